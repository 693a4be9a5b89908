"""交付請求 (様式第8号) filed by the municipality: each municipality's bank account, and the
account a grant's payment was requested to.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import grants.core.models

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bank_accounts',
    sa.Column('municipality_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('bank_name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('bank_code', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('branch_name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('branch_code', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('account_type', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('account_number', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('holder_kana', sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
    sa.Column('updated_at', grants.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], name=op.f('fk_bank_accounts_municipality_code_municipalities')),
    sa.PrimaryKeyConstraint('municipality_code', name=op.f('pk_bank_accounts'))
    )
    with op.batch_alter_table('grants') as batch:
        batch.add_column(sa.Column('payment_account', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('grants') as batch:
        batch.drop_column('payment_account')
    op.drop_table('bank_accounts')
