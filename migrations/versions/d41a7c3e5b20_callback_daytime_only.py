"""a callback keeps its policy's night rule

Revision ID: d41a7c3e5b20
Revises: 95f909c61cf1
Create Date: 2026-11-26 09:30:00.000000

Written by hand. Paid service is never called back 20:00–08:00 (003): not only the window's ends but
any moment of it. The task copies the flag from its category's policy when it is made, as it copies
the window; existing tasks take it from the policy in force now.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd41a7c3e5b20'
down_revision = '95f909c61cf1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('callbacks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('daytime_only', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE callbacks SET daytime_only = COALESCE((SELECT clock_policies.callback_daytime_only "
               "FROM clock_policies WHERE clock_policies.category = callbacks.category), false)")


def downgrade():
    with op.batch_alter_table('callbacks', schema=None) as batch_op:
        batch_op.drop_column('daytime_only')
