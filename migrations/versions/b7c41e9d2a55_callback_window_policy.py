"""the callback window in the clock policy

Revision ID: b7c41e9d2a55
Revises: 067ec7b06fa9
Create Date: 2026-11-26 09:30:00.000000

Written by hand: only the two policy columns, and the domain's defaults for the rows a company
already has (repairs 48 h; paid service 24 h in daytime; consultation none).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c41e9d2a55'
down_revision = '067ec7b06fa9'
branch_labels = None
depends_on = None

REPAIRS = ("repair", "urgent_leak", "temperature_check", "complaint")


def upgrade():
    with op.batch_alter_table('clock_policies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('callback_hours', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('callback_daytime_only', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    policies = sa.table('clock_policies', sa.column('category', sa.String),
                        sa.column('callback_hours', sa.Integer), sa.column('callback_daytime_only', sa.Boolean))
    op.execute(policies.update().where(policies.c.category.in_(REPAIRS)).values(callback_hours=48))
    op.execute(policies.update().where(policies.c.category == 'paid_service')
               .values(callback_hours=24, callback_daytime_only=True))


def downgrade():
    with op.batch_alter_table('clock_policies', schema=None) as batch_op:
        batch_op.drop_column('callback_daytime_only')
        batch_op.drop_column('callback_hours')
