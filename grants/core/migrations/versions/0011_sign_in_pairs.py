"""Sign-in failures counted per username and address with a growing pause
(``rate_counters.next_try_at``), and each lock-out's username, so the person can be told
(``notifications.lockout_id``).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('rate_counters') as batch:
        batch.add_column(sa.Column('next_try_at', sa.Float(), nullable=False, server_default='0'))
    with op.batch_alter_table('sign_in_lockouts') as batch:
        batch.add_column(sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    with op.batch_alter_table('notifications') as batch:
        batch.add_column(sa.Column('lockout_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_notifications_lockout_id_sign_in_lockouts'),
                                 'sign_in_lockouts', ['lockout_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('notifications') as batch:
        batch.drop_constraint(op.f('fk_notifications_lockout_id_sign_in_lockouts'), type_='foreignkey')
        batch.drop_column('lockout_id')
    with op.batch_alter_table('sign_in_lockouts') as batch:
        batch.drop_column('username')
    with op.batch_alter_table('rate_counters') as batch:
        batch.drop_column('next_try_at')
