"""Issued documents (様式), stored as issued, and document number counters.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import grants.core.models

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


# Issued documents are never regenerated in place (SPEC §6): refuse UPDATE and DELETE.
APPEND_ONLY = {
    "postgresql": [
        """CREATE FUNCTION documents_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'documents are kept as issued'; END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER documents_as_issued BEFORE UPDATE OR DELETE ON documents
           FOR EACH ROW EXECUTE FUNCTION documents_append_only()""",
    ],
    "sqlite": [
        """CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
           BEGIN SELECT RAISE(ABORT, 'documents are kept as issued'); END""",
        """CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
           BEGIN SELECT RAISE(ABORT, 'documents are kept as issued'); END""",
    ],
}
DROP_APPEND_ONLY = {
    "postgresql": ["DROP TRIGGER documents_as_issued ON documents",
                   "DROP FUNCTION documents_append_only()"],
    "sqlite": ["DROP TRIGGER documents_no_update", "DROP TRIGGER documents_no_delete"],
}


def upgrade() -> None:
    op.create_table('document_counters',
    sa.Column('org_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_document_counters_org_id_orgs')),
    sa.PrimaryKeyConstraint('org_id', 'fiscal_year', name=op.f('pk_document_counters'))
    )
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_at', grants.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('issued_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_documents_grant_id_grants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_grant_id'), ['grant_id'], unique=False)
    # A counter for every org and every year already open.
    op.execute("INSERT INTO document_counters (org_id, fiscal_year, last_number) "
               "SELECT orgs.id, programs.fiscal_year, 0 FROM orgs CROSS JOIN programs")
    for statement in APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_grant_id'))

    op.drop_table('documents')
    op.drop_table('document_counters')
