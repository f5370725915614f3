"""holiday calendar: the days that break the Monday–Friday rule

Revision ID: 95f909c61cf1
Revises: 9e2b71c4d0a8
Create Date: 2026-11-27 09:00:00.000000

Written by hand. Complaints are closed within working days; public holidays (放假) and weekend working
days (调休上班) from the State Council's yearly notice are entered by the admin, one row per day. The
table starts empty: deadlines already stamped stay as they are, and nothing is assumed about a year's
schedule before its notice.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '95f909c61cf1'
down_revision = '9e2b71c4d0a8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('working', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_days')),
    sa.UniqueConstraint('day', name=op.f('uq_calendar_days_day'))
    )


def downgrade():
    op.drop_table('calendar_days')
