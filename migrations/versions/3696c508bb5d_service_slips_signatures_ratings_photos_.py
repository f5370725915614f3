"""service slips, signatures, ratings; photos keep the upload hash

Revision ID: 3696c508bb5d
Revises: 0e48707a2d7d
Create Date: 2026-11-25 20:01:53.833385

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3696c508bb5d'
down_revision = '0e48707a2d7d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_slips',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=32), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('technician_id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=True),
    sa.Column('charged', sa.Boolean(), nullable=False),
    sa.Column('total_fen', sa.BigInteger(), nullable=False),
    sa.Column('payment_method', sa.String(length=10), nullable=False),
    sa.Column('collected_fen', sa.BigInteger(), nullable=False),
    sa.Column('satisfaction', sa.String(length=12), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('voided_by_id', sa.Integer(), nullable=True),
    sa.Column('verify_token', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_service_slips_branch_id_branches')),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_service_slips_quote_id_quotes')),
    sa.ForeignKeyConstraint(['replaces_id'], ['service_slips.id'], name=op.f('fk_service_slips_replaces_id_service_slips')),
    sa.ForeignKeyConstraint(['technician_id'], ['users.id'], name=op.f('fk_service_slips_technician_id_users')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_service_slips_visit_id_visits')),
    sa.ForeignKeyConstraint(['voided_by_id'], ['users.id'], name=op.f('fk_service_slips_voided_by_id_users')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_service_slips_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_slips')),
    sa.UniqueConstraint('replaces_id', name=op.f('uq_service_slips_replaces_id')),
    sa.UniqueConstraint('serial', name=op.f('uq_service_slips_serial')),
    sa.UniqueConstraint('verify_token', name=op.f('uq_service_slips_verify_token'))
    )
    with op.batch_alter_table('service_slips', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_slips_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_slips_technician_id'), ['technician_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_slips_work_order_id'), ['work_order_id'], unique=False)
        batch_op.create_index('uq_service_slips_one_signed_per_order', ['work_order_id'], unique=True,
                              sqlite_where=sa.text("status = 'signed'"),
                              postgresql_where=sa.text("status = 'signed'"))

    op.create_table('slip_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slip_id', sa.Integer(), nullable=False),
    sa.Column('satisfaction', sa.String(length=12), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('solved', sa.Boolean(), nullable=True),
    sa.Column('rated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['slip_id'], ['service_slips.id'], name=op.f('fk_slip_ratings_slip_id_service_slips')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slip_ratings')),
    sa.UniqueConstraint('slip_id', name=op.f('uq_slip_ratings_slip_id'))
    )
    op.create_table('slip_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slip_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=12), nullable=False),
    sa.Column('png', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['slip_id'], ['service_slips.id'], name=op.f('fk_slip_signatures_slip_id_service_slips')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slip_signatures')),
    sa.UniqueConstraint('slip_id', 'party', name='uq_slip_signatures_slip_party')
    )
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('upload_sha256', sa.String(length=64), nullable=True))



def downgrade():
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_column('upload_sha256')

    op.drop_table('slip_signatures')
    op.drop_table('slip_ratings')
    with op.batch_alter_table('service_slips', schema=None) as batch_op:
        batch_op.drop_index('uq_service_slips_one_signed_per_order')
        batch_op.drop_index(batch_op.f('ix_service_slips_work_order_id'))
        batch_op.drop_index(batch_op.f('ix_service_slips_technician_id'))
        batch_op.drop_index(batch_op.f('ix_service_slips_branch_id'))

    op.drop_table('service_slips')
