"""order stops (hold/cancel with reasons) reach work orders, cards, transfers and reservations; work
order material lines follow spec changes; colour of colour-specific SKUs

Revision ID: e4a9c1d7f203
Revises: b7d2c4e9a318
Create Date: 2026-12-07 04:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4a9c1d7f203'
down_revision = 'b7d2c4e9a318'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_from', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('stop_reason', sa.String(length=500), nullable=True))
    with op.batch_alter_table('order_stage_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=500), nullable=True))
    with op.batch_alter_table('work_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_from', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('stop_reason', sa.String(length=500), nullable=True))
    with op.batch_alter_table('task_card', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stopped_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('sku', schema=None) as batch_op:
        batch_op.add_column(sa.Column('colour', sa.String(length=100), nullable=True))
    with op.batch_alter_table('material_reservation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('release_reason', sa.String(length=32), nullable=True))
    with op.batch_alter_table('stock_transfer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stopped_reason', sa.String(length=500), nullable=True))
    op.create_table('work_order_material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=False),
    sa.Column('bom_sku_id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=True),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['bom_sku_id'], ['sku.id'], name=op.f('fk_work_order_material_bom_sku_id_sku')),
    sa.ForeignKeyConstraint(['notice_id'], ['change_notice.id'], name=op.f('fk_work_order_material_notice_id_change_notice'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sku_id'], ['sku.id'], name=op.f('fk_work_order_material_sku_id_sku')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_order.id'], name=op.f('fk_work_order_material_work_order_id_work_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_order_material')),
    sa.UniqueConstraint('work_order_id', 'bom_sku_id', name=op.f('uq_work_order_material_work_order_id'))
    )
    with op.batch_alter_table('work_order_material', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_order_material_work_order_id'), ['work_order_id'], unique=False)


def downgrade():
    with op.batch_alter_table('work_order_material', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_order_material_work_order_id'))
    op.drop_table('work_order_material')
    for table, columns in (
        ('stock_transfer', ('stopped_reason',)),
        ('material_reservation', ('release_reason',)),
        ('sku', ('colour',)),
        ('task_card', ('stopped_at',)),
        ('work_order', ('stop_reason', 'held_from')),
        ('order_stage_event', ('reason',)),
        ('sales_order', ('stop_reason', 'held_from')),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_column(column)
