"""Sessions of the web pages beside the API's bearer tokens: a kind on each token.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10),
                                      server_default='api', nullable=False))
        batch_op.create_check_constraint('kind', "kind IN ('api', 'web')")


def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint('ck_api_tokens_kind', type_='check')
        batch_op.drop_column('kind')
