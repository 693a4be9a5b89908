"""Initial schema: orgs, municipalities, programs, commitments, grants, audit trail.

Revision ID: 0001
Revises: 
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import grants.core.models

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


GENESIS = "0" * 64

# Audit events are never updated or deleted (SPEC §5). The hash chain proves it after the
# fact; these triggers refuse it up front for everyone but a superuser who disables them.
APPEND_ONLY = {
    "postgresql": [
        """CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
           FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
    ],
    "sqlite": [
        """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
           BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
        """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
           BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    ],
}
DROP_APPEND_ONLY = {
    "postgresql": ["DROP TRIGGER audit_events_no_update ON audit_events",
                   "DROP FUNCTION audit_events_append_only()"],
    "sqlite": ["DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"],
}


def upgrade() -> None:
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('orgs',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('head_title', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orgs'))
    )
    op.create_table('programs',
    sa.Column('fiscal_year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('cap_yen', sa.BigInteger(), nullable=False),
    sa.Column('budget_yen', sa.BigInteger(), nullable=True),
    sa.Column('committed_yen', sa.BigInteger(), nullable=False),
    sa.Column('applications_open', sa.Date(), nullable=False),
    sa.Column('applications_close', sa.Date(), nullable=False),
    sa.Column('allows_advance', sa.Boolean(), nullable=False),
    sa.Column('report_days_after_end', sa.Integer(), nullable=False),
    sa.Column('report_deadline', sa.Date(), nullable=False),
    sa.Column('reminder_offsets', sa.JSON(), nullable=False),
    sa.Column('created_at', grants.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('applications_open <= applications_close', name=op.f('ck_programs_window_order')),
    sa.CheckConstraint('budget_yen IS NULL OR budget_yen > 0', name=op.f('ck_programs_budget_positive')),
    sa.CheckConstraint('cap_yen > 0', name=op.f('ck_programs_cap_positive')),
    sa.CheckConstraint('committed_yen >= 0', name=op.f('ck_programs_committed_nonnegative')),
    sa.PrimaryKeyConstraint('fiscal_year', name=op.f('pk_programs'))
    )
    op.create_table('municipalities',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('kana', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('org_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_municipalities_org_id_orgs')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_municipalities'))
    )
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_municipalities_org_id'), ['org_id'], unique=False)

    op.create_table('commitments',
    sa.Column('municipality_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('committed_yen', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('committed_yen >= 0', name=op.f('ck_commitments_committed_nonnegative')),
    sa.ForeignKeyConstraint(['fiscal_year'], ['programs.fiscal_year'], name=op.f('fk_commitments_fiscal_year_programs')),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], name=op.f('fk_commitments_municipality_code_municipalities')),
    sa.PrimaryKeyConstraint('municipality_code', 'fiscal_year', name=op.f('pk_commitments'))
    )
    op.create_table('grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('municipality_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
    sa.Column('actions', sa.JSON(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('project_start', sa.Date(), nullable=True),
    sa.Column('project_end', sa.Date(), nullable=True),
    sa.Column('project_cost_yen', sa.BigInteger(), nullable=True),
    sa.Column('requested_yen', sa.BigInteger(), nullable=True),
    sa.Column('first_submitted_at', grants.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('awarded_yen', sa.BigInteger(), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('conditions', sa.Text(), nullable=True),
    sa.Column('pending_change', sa.JSON(), nullable=True),
    sa.Column('actual_cost_yen', sa.BigInteger(), nullable=True),
    sa.Column('outcomes', sa.Text(), nullable=True),
    sa.Column('report_submitted_at', grants.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_yen', sa.BigInteger(), nullable=True),
    sa.Column('confirmed_at', grants.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('advanced_yen', sa.BigInteger(), nullable=False),
    sa.Column('paid_yen', sa.BigInteger(), nullable=False),
    sa.Column('refund_due_yen', sa.BigInteger(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('public_summary', sa.Text(), nullable=True),
    sa.Column('published_at', grants.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', grants.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', grants.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('actual_cost_yen >= 0', name=op.f('ck_grants_actual_cost_yen_nonnegative')),
    sa.CheckConstraint('advanced_yen >= 0', name=op.f('ck_grants_advanced_yen_nonnegative')),
    sa.CheckConstraint('awarded_yen >= 0', name=op.f('ck_grants_awarded_yen_nonnegative')),
    sa.CheckConstraint('confirmed_yen >= 0', name=op.f('ck_grants_confirmed_yen_nonnegative')),
    sa.CheckConstraint('paid_yen >= 0', name=op.f('ck_grants_paid_yen_nonnegative')),
    sa.CheckConstraint('project_cost_yen >= 0', name=op.f('ck_grants_project_cost_yen_nonnegative')),
    sa.CheckConstraint('refund_due_yen >= 0', name=op.f('ck_grants_refund_due_yen_nonnegative')),
    sa.CheckConstraint('requested_yen >= 0', name=op.f('ck_grants_requested_yen_nonnegative')),
    sa.ForeignKeyConstraint(['fiscal_year'], ['programs.fiscal_year'], name=op.f('fk_grants_fiscal_year_programs')),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], name=op.f('fk_grants_municipality_code_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants'))
    )
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_fiscal_year'), ['fiscal_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_municipality_code'), ['municipality_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_state'), ['state'], unique=False)

    op.create_table('audit_events',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('from_state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('to_state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('actor_role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('occurred_at', grants.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('amounts', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_audit_events_grant_id_grants')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_events_hash'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_grant_id'), ['grant_id'], unique=False)

    op.execute(sa.text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :h)").bindparams(h=GENESIS))
    for statement in APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_grant_id'))

    op.drop_table('audit_events')
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_state'))
        batch_op.drop_index(batch_op.f('ix_grants_municipality_code'))
        batch_op.drop_index(batch_op.f('ix_grants_fiscal_year'))

    op.drop_table('grants')
    op.drop_table('commitments')
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_municipalities_org_id'))

    op.drop_table('municipalities')
    op.drop_table('programs')
    op.drop_table('orgs')
    op.drop_table('audit_head')
