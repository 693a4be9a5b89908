"""Two-factor sign-in: each person's TOTP secret (sealed) and the step of the last code
accepted, their one-time recovery codes, which roles must use it, a sign-in that waits for
its code (a token of kind ``pending``), and browser sessions that may only set it up.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import grants.core.models

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('totp_secret', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch.add_column(sa.Column('totp_pending', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch.add_column(sa.Column('totp_enabled_at', grants.core.models.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('api_tokens') as batch:
        batch.add_column(sa.Column('enrolment_only', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.drop_constraint(op.f('ck_api_tokens_kind'), type_='check')
        batch.create_check_constraint('kind', "kind IN ('api', 'web', 'pending')")
    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('used_at', grants.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes'))
    )
    with op.batch_alter_table('recovery_codes') as batch:
        batch.create_index(batch.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)
    op.create_table('role_policies',
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('totp_required', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('role', name=op.f('pk_role_policies'))
    )


def downgrade() -> None:
    op.drop_table('role_policies')
    with op.batch_alter_table('recovery_codes') as batch:
        batch.drop_index(batch.f('ix_recovery_codes_user_id'))
    op.drop_table('recovery_codes')
    with op.batch_alter_table('api_tokens') as batch:
        batch.drop_constraint(op.f('ck_api_tokens_kind'), type_='check')
        batch.create_check_constraint('kind', "kind IN ('api', 'web')")
        batch.drop_column('enrolment_only')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('totp_last_step')
        batch.drop_column('totp_enabled_at')
        batch.drop_column('totp_pending')
        batch.drop_column('totp_secret')
