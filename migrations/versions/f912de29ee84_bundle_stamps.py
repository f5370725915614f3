"""bundle stamps

One counter per scope a technician's bundle is built from ("company", "technician:<id>"), moved at every
commit that changes the scope: the bundle's ETag without building the bundle (issue 20, app/field/stamps.py).

Revision ID: f912de29ee84
Revises: fefa48f10ef8
Create Date: 2026-12-05 14:53:04.419697

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f912de29ee84'
down_revision = 'fefa48f10ef8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bundle_stamps',
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_bundle_stamps'))
    )


def downgrade():
    op.drop_table('bundle_stamps')
