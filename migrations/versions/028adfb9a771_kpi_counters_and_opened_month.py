"""KPI counters: the month an order was opened in (Beijing), per-order contributions and the counts

Revision ID: 028adfb9a771
Revises: 63c7129d014b
Create Date: 2026-11-26 10:00:00

Written by hand. After upgrading a database that already holds orders, run `flask kpis rebuild` once:
the counters start empty, and this migration does not import the app's rules to fill them.
"""
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op
from flask import current_app

# revision identifiers, used by Alembic.
revision = '028adfb9a771'
down_revision = '63c7129d014b'
branch_labels = None
depends_on = None

TALLIES = ("repairs", "repairs_timely", "asked", "satisfied", "complaints", "complaints_timely",
           "complaints_closed", "complaints_satisfied", "visits", "visits_complete")


def _tally_columns():
    return [sa.Column(name, sa.Integer(), server_default="0", nullable=False) for name in TALLIES]


def _backfill_opened_month():
    """Each existing order's Beijing month: one UPDATE per month over its UTC span (both databases, and
    a million orders take a few dozen statements, not a million)."""
    zone = ZoneInfo(current_app.config.get("SHIFU_TIME_ZONE") or "Asia/Shanghai")
    orders = sa.table("work_orders", sa.column("created_at", sa.DateTime), sa.column("opened_month", sa.Integer))
    connection = op.get_bind()
    first, last = connection.execute(sa.select(sa.func.min(orders.c.created_at),
                                               sa.func.max(orders.c.created_at))).one()
    if first is None:
        return
    month = first.replace(tzinfo=UTC).astimezone(zone).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    while month <= last.replace(tzinfo=UTC).astimezone(zone):
        following = (month + timedelta(days=32)).replace(day=1)
        start, end = (moment.astimezone(UTC).replace(tzinfo=None) for moment in (month, following))
        connection.execute(orders.update().where(orders.c.created_at >= start, orders.c.created_at < end)
                           .values(opened_month=month.year * 100 + month.month))
        month = following


def upgrade():
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opened_month', sa.Integer(), nullable=True))
    _backfill_opened_month()
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.alter_column('opened_month', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index('ix_work_orders_opened_month_category_branch',
                              ['opened_month', 'category', 'branch_id'], unique=False)

    op.create_table('kpi_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('technician_id', sa.Integer(), nullable=False),
    *_tally_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_counts')),
    sa.UniqueConstraint('month', 'branch_id', 'technician_id', name='uq_kpi_counts_month_branch_technician')
    )
    op.create_table('kpi_contributions',
    sa.Column('work_order_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('technician_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    *_tally_columns(),
    sa.PrimaryKeyConstraint('work_order_id', 'technician_id', name=op.f('pk_kpi_contributions'))
    )
    with op.batch_alter_table('kpi_contributions', schema=None) as batch_op:
        batch_op.create_index('ix_kpi_contributions_month_order', ['month', 'work_order_id', 'technician_id'],
                              unique=False)
        batch_op.create_index('ix_kpi_contributions_month_branch_order',
                              ['month', 'branch_id', 'work_order_id', 'technician_id'], unique=False)
        batch_op.create_index('ix_kpi_contributions_month_technician_order',
                              ['month', 'technician_id', 'work_order_id'], unique=False)


def downgrade():
    with op.batch_alter_table('kpi_contributions', schema=None) as batch_op:
        batch_op.drop_index('ix_kpi_contributions_month_technician_order')
        batch_op.drop_index('ix_kpi_contributions_month_branch_order')
        batch_op.drop_index('ix_kpi_contributions_month_order')
    op.drop_table('kpi_contributions')
    op.drop_table('kpi_counts')
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_work_orders_opened_month_category_branch')
        batch_op.drop_column('opened_month')
