"""scheduling: pinned operations, the scheduler's settings, transfer time and tonnage

Revision ID: b7d2c4e9a318
Revises: 3c1f2a7d9e40
Create Date: 2026-12-07 00:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d2c4e9a318'
down_revision = '3c1f2a7d9e40'
branch_labels = None
depends_on = None


def upgrade():
    # Existing operations are not pinned: the scheduler may place them (a column default, no rewrite).
    with op.batch_alter_table('operation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pinned', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('routing_step', schema=None) as batch_op:
        batch_op.add_column(sa.Column('transfer_minutes', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('min_tonnage', sa.Integer(), nullable=True))
    with op.batch_alter_table('machine', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tonnage', sa.Integer(), nullable=True))
    op.create_table('scheduling_settings_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_scheduling_settings_record_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduling_settings_record'))
    )


def downgrade():
    op.drop_table('scheduling_settings_record')
    with op.batch_alter_table('machine', schema=None) as batch_op:
        batch_op.drop_column('tonnage')
    with op.batch_alter_table('routing_step', schema=None) as batch_op:
        batch_op.drop_column('min_tonnage')
        batch_op.drop_column('transfer_minutes')
    with op.batch_alter_table('operation', schema=None) as batch_op:
        batch_op.drop_column('pinned')
