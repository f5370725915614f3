"""reconciliation: returned third copies, handovers, closed days

Revision ID: 63c7129d014b
Revises: b7c41e9d2a55
Create Date: 2026-11-26 10:00:00.000000

Written by hand: only the three reconciliation tables (app/reconciliation/models.py).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '63c7129d014b'
down_revision = 'b7c41e9d2a55'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('slip_copy_returns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slip_id', sa.Integer(), nullable=False),
    sa.Column('returned_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('how', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_slip_copy_returns_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['slip_id'], ['service_slips.id'], name=op.f('fk_slip_copy_returns_slip_id_service_slips')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slip_copy_returns')),
    sa.UniqueConstraint('slip_id', name=op.f('uq_slip_copy_returns_slip_id'))
    )
    op.create_table('handovers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('technician_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_handovers_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['technician_id'], ['users.id'], name=op.f('fk_handovers_technician_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handovers'))
    )
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        batch_op.create_index('ix_handovers_technician_id_day', ['technician_id', 'day'], unique=False)

    op.create_table('day_closes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('technician_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('balanced', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_day_closes_closed_by_id_users')),
    sa.ForeignKeyConstraint(['technician_id'], ['users.id'], name=op.f('fk_day_closes_technician_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_day_closes')),
    sa.UniqueConstraint('technician_id', 'day', name='uq_day_closes_technician_id_day')
    )


def downgrade():
    op.drop_table('day_closes')
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        batch_op.drop_index('ix_handovers_technician_id_day')

    op.drop_table('handovers')
    op.drop_table('slip_copy_returns')
