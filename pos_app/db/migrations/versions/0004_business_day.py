"""business day: orders dated when paid or voided, and when the shop's day ends

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 05:45:00.000000
"""
from alembic import op
import sqlalchemy as sa
import pos_app.db.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('shop_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('business_day_ends_minutes', sa.Integer(), nullable=False, server_default='0')
        )

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('business_at', pos_app.db.types.UTCDateTime(length=32), nullable=True)
        )
    # An order's moment for the books: paid, voided, or (still open) last saved; never the
    # creation of its cart, which may have waited on the screen overnight.
    op.execute("UPDATE orders SET business_at = COALESCE(voided_at, paid_at, updated_at)")
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.alter_column(
            'business_at', existing_type=pos_app.db.types.UTCDateTime(length=32), nullable=False
        )
        batch_op.create_index('ix_orders_business_at', ['business_at'], unique=False)
        batch_op.create_index(
            'ix_orders_status_business_at', ['status', 'business_at'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_status_business_at')
        batch_op.drop_index('ix_orders_business_at')
        batch_op.drop_column('business_at')

    with op.batch_alter_table('shop_settings', schema=None) as batch_op:
        batch_op.drop_column('business_day_ends_minutes')
