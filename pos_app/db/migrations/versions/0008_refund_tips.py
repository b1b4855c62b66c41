"""refunds can give card tips back (a tip part apart from the amount)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 09:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tip_minor', sa.BigInteger(), server_default='0', nullable=False))
    with op.batch_alter_table('refund_allocations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tip_minor', sa.BigInteger(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('refund_allocations', schema=None) as batch_op:
        batch_op.drop_column('tip_minor')
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_column('tip_minor')
