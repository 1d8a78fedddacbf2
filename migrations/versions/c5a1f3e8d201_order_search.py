"""order search: customers' search key (code, name, pinyin), trigram indexes on order number and PO

Revision ID: c5a1f3e8d201
Revises: a6c3e9b27f14
Create Date: 2026-12-07 03:50:00

Existing customers get their search key computed here (pypinyin), so they are found by pinyin at once.
On PostgreSQL the pg_trgm extension is created (it ships with PostgreSQL; creating it needs a superuser
or the database owner on PostgreSQL 13+, where pg_trgm is a trusted extension).
"""
from alembic import op
import sqlalchemy as sa


revision = 'c5a1f3e8d201'
down_revision = 'a6c3e9b27f14'
branch_labels = None
depends_on = None


def upgrade():
    from domain.search_text import search_key

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_key', sa.Text(), server_default='', nullable=False))
    bind = op.get_bind()
    customer = sa.table('customer', sa.column('id'), sa.column('code'), sa.column('name'), sa.column('search_key'))
    rows = bind.execute(sa.select(customer.c.id, customer.c.code, customer.c.name)).all()
    for row in rows:
        bind.execute(
            customer.update().where(customer.c.id == row.id).values(search_key=search_key(row.code, row.name))
        )
    if bind.dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.create_index(
            'ix_sales_order_number_trgm', ['number'], unique=False,
            postgresql_using='gin', postgresql_ops={'number': 'gin_trgm_ops'},
        )
        batch_op.create_index(
            'ix_sales_order_ref_trgm', ['original_ref'], unique=False,
            postgresql_using='gin', postgresql_ops={'original_ref': 'gin_trgm_ops'},
        )


def downgrade():
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_order_ref_trgm')
        batch_op.drop_index('ix_sales_order_number_trgm')
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_column('search_key')
