"""outbox entries the sync server refused

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import pos_app.db.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refused_at', pos_app.db.types.UTCDateTime(length=32), nullable=True))
        batch_op.add_column(sa.Column('refused_code', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('refused_reason', sa.Text(), nullable=True))
        batch_op.create_index('ix_outbox_refused', ['seq'], unique=False, sqlite_where=sa.text('refused_at IS NOT NULL'))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_refused', sqlite_where=sa.text('refused_at IS NOT NULL'))
        batch_op.drop_column('refused_reason')
        batch_op.drop_column('refused_code')
        batch_op.drop_column('refused_at')
