"""What the official notices name and cite: each org's head from a given day, each
municipality's head, and per program the 交付要綱 with its articles and the standard
conditions of the award.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('org_heads',
    sa.Column('org_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_org_heads_org_id_orgs')),
    sa.PrimaryKeyConstraint('org_id', 'effective_from', name=op.f('pk_org_heads'))
    )
    with op.batch_alter_table('municipalities') as batch:
        batch.add_column(sa.Column('head_name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
    with op.batch_alter_table('programs') as batch:
        batch.add_column(sa.Column('guideline_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch.add_column(sa.Column('guideline_articles', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('award_conditions', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('programs') as batch:
        batch.drop_column('award_conditions')
        batch.drop_column('guideline_articles')
        batch.drop_column('guideline_name')
    with op.batch_alter_table('municipalities') as batch:
        batch.drop_column('head_name')
    op.drop_table('org_heads')
