"""capacity in handling units: a SKU's units per handling unit, a warehouse's handling unit

Revision ID: d41e8a6c2f57
Revises: c5a1f3e8d201
Create Date: 2026-12-07 03:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd41e8a6c2f57'
down_revision = 'c5a1f3e8d201'
branch_labels = None
depends_on = None


def upgrade():
    # Existing data keeps its meaning: one unit of every SKU takes one handling unit, so each
    # warehouse's capacity number checks exactly as before until an administrator sets the figures.
    with op.batch_alter_table('sku', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('units_per_handling_unit', sa.Numeric(precision=14, scale=3), server_default='1', nullable=False)
        )
    with op.batch_alter_table('warehouse', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handling_unit', sa.String(length=16), server_default='pallet', nullable=False))


def downgrade():
    with op.batch_alter_table('warehouse', schema=None) as batch_op:
        batch_op.drop_column('handling_unit')
    with op.batch_alter_table('sku', schema=None) as batch_op:
        batch_op.drop_column('units_per_handling_unit')
