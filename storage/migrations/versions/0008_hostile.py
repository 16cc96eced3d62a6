"""Hostile input (issue 8): processed_updates.done_at, invite_attempts

Revision ID: 0008
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0008"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("processed_updates") as batch:
        batch.add_column(
            sa.Column("done_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "invite_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("attempted_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite_attempts")),
    )
    op.create_index(
        op.f("ix_invite_attempts_telegram_user_id"),
        "invite_attempts",
        ["telegram_user_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_invite_attempts_attempted_at"), "invite_attempts", ["attempted_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_invite_attempts_attempted_at"), table_name="invite_attempts")
    op.drop_index(op.f("ix_invite_attempts_telegram_user_id"), table_name="invite_attempts")
    op.drop_table("invite_attempts")
    with op.batch_alter_table("processed_updates") as batch:
        batch.drop_column("done_at")
