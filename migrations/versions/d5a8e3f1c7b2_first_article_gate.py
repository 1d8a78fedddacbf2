"""products: the first-article switch and sample quantity (the first article gates mass production)

Revision ID: d5a8e3f1c7b2
Revises: e4a9c1d7f203
Create Date: 2026-12-07 03:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5a8e3f1c7b2'
down_revision = 'e4a9c1d7f203'
branch_labels = None
depends_on = None


def upgrade():
    # Existing products need a first article with a sample of 5 pieces (column defaults, no rewrite).
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('needs_first_article', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('first_article_qty', sa.Integer(), server_default='5', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_column('first_article_qty')
        batch_op.drop_column('needs_first_article')
