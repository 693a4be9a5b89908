"""The PDF of each issued document, kept as made: made once from the stored .docx, never
changed (triggers refuse UPDATE and DELETE, as for the documents themselves).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import grants.core.models

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

AS_MADE = {
    "postgresql": [
        """CREATE FUNCTION document_pdfs_as_made() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'document PDFs are kept as made'; END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER document_pdfs_as_made BEFORE UPDATE OR DELETE ON document_pdfs
           FOR EACH ROW EXECUTE FUNCTION document_pdfs_as_made()""",
    ],
    "sqlite": [
        """CREATE TRIGGER document_pdfs_no_update BEFORE UPDATE ON document_pdfs
           BEGIN SELECT RAISE(ABORT, 'document PDFs are kept as made'); END""",
        """CREATE TRIGGER document_pdfs_no_delete BEFORE DELETE ON document_pdfs
           BEGIN SELECT RAISE(ABORT, 'document PDFs are kept as made'); END""",
    ],
}
DROP_AS_MADE = {
    "postgresql": ["DROP TRIGGER document_pdfs_as_made ON document_pdfs",
                   "DROP FUNCTION document_pdfs_as_made()"],
    "sqlite": ["DROP TRIGGER document_pdfs_no_update", "DROP TRIGGER document_pdfs_no_delete"],
}


def upgrade() -> None:
    op.create_table('document_pdfs',
    sa.Column('document_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('made_at', grants.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_pdfs_document_id_documents')),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_document_pdfs'))
    )
    for statement in AS_MADE[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_AS_MADE[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_table('document_pdfs')
