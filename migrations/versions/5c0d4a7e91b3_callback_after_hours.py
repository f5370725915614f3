"""a repair is called back 48 h after completion, not within 48 h

Revision ID: 5c0d4a7e91b3
Revises: 028adfb9a771
Create Date: 2026-11-26 08:00:00.000000

Written by hand. Seed 000 九.十一: "48小时后做一次回访" — the call comes once the repair has had two
days to prove itself. The window now opens `callback_after_hours` after completion and lasts
`callback_hours`. Rows still on the old repair default (48 h, no delay) move to the new default
(from 48 h, within 24 h); a window a company set itself is kept. Callbacks already made keep theirs.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c0d4a7e91b3'
down_revision = '028adfb9a771'
branch_labels = None
depends_on = None

REPAIRS = ("repair", "urgent_leak")


def upgrade():
    with op.batch_alter_table('clock_policies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('callback_after_hours', sa.Integer(), nullable=False,
                                      server_default='0'))
    policies = sa.table('clock_policies', sa.column('category', sa.String),
                        sa.column('callback_hours', sa.Integer), sa.column('callback_after_hours', sa.Integer))
    op.execute(policies.update()
               .where(policies.c.category.in_(REPAIRS), policies.c.callback_hours == 48)
               .values(callback_after_hours=48, callback_hours=24))


def downgrade():
    with op.batch_alter_table('clock_policies', schema=None) as batch_op:
        batch_op.drop_column('callback_after_hours')
