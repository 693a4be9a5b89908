"""Reminders and notifications: the report's stored due date and the day each grant entered
its state, the outbox of notices (inbox and e-mail), and each person's e-mail choice and
calendar feed.

Revision ID: 0006
Revises: 0005
"""

from datetime import date, timedelta

import sqlalchemy as sa
import sqlmodel
from alembic import op

import grants.core.models
from grants.core.calendar import roll_forward
from grants.core.clock import japan_date

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state_entered_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('report_due', sa.Date(), nullable=True))
        batch_op.create_index('ix_grants_year_state_entered_on', ['fiscal_year', 'state_entered_on'],
                              unique=False)
        batch_op.create_index('ix_grants_year_report_due', ['fiscal_year', 'report_due'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_notifications', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
        batch_op.add_column(sa.Column('calendar_token_hash', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_calendar_token_hash'), ['calendar_token_hash'])
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dedup_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('occurrence', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('grant_id', sa.Integer(), nullable=True),
        sa.Column('fiscal_year', sa.Integer(), nullable=True),
        sa.Column('event_seq', sa.Integer(), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('created_at', grants.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('read_at', grants.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('email_state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', grants.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('claimed_until', grants.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('sent_at', grants.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.CheckConstraint("email_state IN ('pending', 'sending', 'sent', 'failed', 'off')",
                           name=op.f('ck_notifications_email_state')),
        sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_notifications_grant_id_grants')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
        sa.UniqueConstraint('dedup_key', name=op.f('uq_notifications_dedup_key')),
    )
    op.create_index(op.f('ix_notifications_email_state'), 'notifications', ['email_state'], unique=False)
    op.create_index(op.f('ix_notifications_grant_id'), 'notifications', ['grant_id'], unique=False)
    op.create_index(op.f('ix_notifications_user_id'), 'notifications', ['user_id'], unique=False)
    _backfill()


def _backfill() -> None:
    """Grants already under way: the day they entered their state is taken as the day of
    their last change, and an awarded grant's report is due as SPEC §3 reckons it."""
    connection = op.get_bind()
    grants_ = sa.table('grants', sa.column('id'), sa.column('fiscal_year'),
                       sa.column('updated_at', grants.core.models.UTCDateTime(timezone=True)),
                       sa.column('project_end', sa.Date()), sa.column('awarded_yen'),
                       sa.column('state_entered_on', sa.Date()), sa.column('report_due', sa.Date()))
    programs = dict(connection.execute(sa.text(
        "SELECT fiscal_year, report_days_after_end FROM programs")).all())
    rows = connection.execute(sa.select(grants_.c.id, grants_.c.fiscal_year, grants_.c.project_end,
                                        grants_.c.awarded_yen, grants_.c.updated_at)).all()
    for row in rows:
        due = None
        if row.awarded_yen is not None and row.project_end is not None:
            days = programs.get(row.fiscal_year, 30)
            due = roll_forward(min(row.project_end + timedelta(days=days), date(row.fiscal_year + 1, 4, 10)))
        connection.execute(sa.update(grants_).where(grants_.c.id == row.id).values(
            state_entered_on=japan_date(row.updated_at), report_due=due))


def downgrade() -> None:
    op.drop_index(op.f('ix_notifications_user_id'), table_name='notifications')
    op.drop_index(op.f('ix_notifications_grant_id'), table_name='notifications')
    op.drop_index(op.f('ix_notifications_email_state'), table_name='notifications')
    op.drop_table('notifications')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_calendar_token_hash'), type_='unique')
        batch_op.drop_column('calendar_token_hash')
        batch_op.drop_column('email_notifications')
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_index('ix_grants_year_report_due')
        batch_op.drop_index('ix_grants_year_state_entered_on')
        batch_op.drop_column('report_due')
        batch_op.drop_column('state_entered_on')
