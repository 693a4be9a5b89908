"""Audit events that concern no single grant: an export of the ledger is recorded in the
same hash chain (who, what filter, how many rows, the file's SHA-256), with no grant and no
state.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# SQLite rebuilds the table to change a column; the append-only triggers go with the old one.
SQLITE_APPEND_ONLY = [
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
]


def _nullable(nullable: bool) -> None:
    with op.batch_alter_table('audit_events') as batch:
        batch.alter_column('grant_id', existing_type=sa.Integer(), nullable=nullable)
        batch.alter_column('to_state', existing_type=sqlmodel.sql.sqltypes.AutoString(length=20),
                           nullable=nullable)
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_APPEND_ONLY:
            op.execute(statement)


def upgrade() -> None:
    _nullable(True)


def downgrade() -> None:
    _nullable(False)  # refused while any event concerns no grant, as it should be
