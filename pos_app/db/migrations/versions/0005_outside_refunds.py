"""outside refunds: refunds of this register's orders made in Stripe's dashboard, pulled

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 06:00:00
"""
from alembic import op
import sqlalchemy as sa
import pos_app.db.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outside_refunds',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('counted_minor', sa.BigInteger(), nullable=False),
    sa.Column('counted_tax_minor', sa.BigInteger(), nullable=False),
    sa.Column('tender_id', sa.Uuid(), nullable=True),
    sa.Column('updated_at', pos_app.db.types.UTCDateTime(length=32), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_outside_refunds_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outside_refunds'))
    )
    with op.batch_alter_table('outside_refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outside_refunds_order_id'), ['order_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outside_refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outside_refunds_order_id'))
    op.drop_table('outside_refunds')
