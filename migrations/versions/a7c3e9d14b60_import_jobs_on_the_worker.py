"""order-import jobs run by the delivery worker: the upload in the row, claims with a lease

Revision ID: a7c3e9d14b60
Revises: d41e8a6c2f57
Create Date: 2026-12-07 07:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e9d14b60'
down_revision = 'd41e8a6c2f57'
branch_labels = None
depends_on = None


def upgrade():
    # Existing jobs keep every figure. One left unfinished by the old in-process thread has no file in
    # its row: the worker claims it and finishes it as failed, asking for the file again.
    with op.batch_alter_table('order_import_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('upload', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('lease_until', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_order_import_job_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('order_import_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_import_job_status'))
        batch_op.drop_column('lease_until')
        batch_op.drop_column('attempts')
        batch_op.drop_column('upload')
