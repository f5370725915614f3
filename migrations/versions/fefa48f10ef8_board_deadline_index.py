"""board deadline index

The dispatch board's order after the status (issue 20): with thousands of open orders the page's ids are
sorted from the index alone, no row read before the LIMIT. Replaces (status, next_due_at), its prefix.

Revision ID: fefa48f10ef8
Revises: a9b3f2d209b7
Create Date: 2026-12-05 14:50:45.972292

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fefa48f10ef8'
down_revision = 'a9b3f2d209b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_work_orders_status_deadline', 'work_orders',
                    ['status', 'next_due_at', 'appointment_at', 'created_at'], unique=False)
    op.drop_index('ix_work_orders_status_next_due', table_name='work_orders')


def downgrade():
    op.create_index('ix_work_orders_status_next_due', 'work_orders', ['status', 'next_due_at'], unique=False)
    op.drop_index('ix_work_orders_status_deadline', table_name='work_orders')
