"""one signed slip per visit, not per order

Revision ID: 9e2b71c4d0a8
Revises: 5c0d4a7e91b3
Create Date: 2026-11-26 08:30:00.000000

Written by hand. A callback that finds the problem not solved reopens the order; the technician's
second visit records its own repair (and perhaps paid work) and needs its own slip, which one signed
slip per order refused. Every existing signed slip is its visit's only one, so the new index holds.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e2b71c4d0a8'
down_revision = '5c0d4a7e91b3'
branch_labels = None
depends_on = None

SIGNED = sa.text("status = 'signed'")


def upgrade():
    with op.batch_alter_table('service_slips', schema=None) as batch_op:
        batch_op.drop_index('uq_service_slips_one_signed_per_order')
        batch_op.create_index('uq_service_slips_one_signed_per_visit', ['visit_id'], unique=True,
                              sqlite_where=SIGNED, postgresql_where=SIGNED)


def downgrade():
    with op.batch_alter_table('service_slips', schema=None) as batch_op:
        batch_op.drop_index('uq_service_slips_one_signed_per_visit')
        batch_op.create_index('uq_service_slips_one_signed_per_order', ['work_order_id'], unique=True,
                              sqlite_where=SIGNED, postgresql_where=SIGNED)
