"""receipt header: lines printed under the shop's name on every receipt

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 09:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('shop_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('receipt_header', sa.String(length=200), nullable=False, server_default='')
        )


def downgrade() -> None:
    with op.batch_alter_table('shop_settings', schema=None) as batch_op:
        batch_op.drop_column('receipt_header')
