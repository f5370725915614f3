"""late arrival: heating seasons, customer told

The heating season per year (default 15 Nov – 15 Mar when a year has no row) decides how early a
technician who is not yet on his way must call the customer about an appointment (1 h in season, a day
outside); the order keeps when he said so.

Revision ID: 794064c68784
Revises: 62bc1aff60df
Create Date: 2026-12-05 06:59:27.745196

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '794064c68784'
down_revision = '62bc1aff60df'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('heating_seasons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_heating_seasons')),
    sa.UniqueConstraint('starts_on', name=op.f('uq_heating_seasons_starts_on'))
    )
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_told_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.drop_column('customer_told_at')

    op.drop_table('heating_seasons')
