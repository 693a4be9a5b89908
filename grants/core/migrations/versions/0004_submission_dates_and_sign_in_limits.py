"""The latest submission and the completion date on grants; sign-in rate counters and the
lock-outs they caused.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import grants.core.models

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('grants', sa.Column('submitted_at', grants.core.models.UTCDateTime(timezone=True), nullable=True))
    op.add_column('grants', sa.Column('completed_on', sa.Date(), nullable=True))
    # Until now only the first submission was kept; it is the best answer for the latest.
    op.execute("UPDATE grants SET submitted_at = first_submitted_at")
    op.create_table(
        'rate_counters',
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_counters')),
    )
    op.create_table(
        'sign_in_lockouts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('locked_at', grants.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('locked_until', grants.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_lockouts')),
    )


def downgrade() -> None:
    op.drop_table('sign_in_lockouts')
    op.drop_table('rate_counters')
    op.drop_column('grants', 'completed_on')
    op.drop_column('grants', 'submitted_at')
