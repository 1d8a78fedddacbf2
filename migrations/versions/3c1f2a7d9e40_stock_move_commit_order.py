"""stock_move.xact_id: commit order for reading the whole ledger incrementally

Revision ID: 3c1f2a7d9e40
Revises: 69085f5e175f
Create Date: 2026-12-07 00:20:00

Existing moves get 0: they are all committed, so id order is their feed order. On PostgreSQL new
moves take their writing transaction's id (see domain/stock/ledger.py).
"""
from alembic import op
import sqlalchemy as sa


revision = '3c1f2a7d9e40'
down_revision = '69085f5e175f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stock_move', schema=None) as batch_op:
        batch_op.add_column(sa.Column('xact_id', sa.BigInteger(), server_default=sa.text('0'), nullable=False))
        batch_op.create_index('ix_stock_move_feed', ['xact_id', 'id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            'ALTER TABLE stock_move ALTER COLUMN xact_id SET DEFAULT pg_current_xact_id()::text::bigint'
        )


def downgrade():
    with op.batch_alter_table('stock_move', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_move_feed')
        batch_op.drop_column('xact_id')
