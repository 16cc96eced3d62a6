"""Approval (issue 9): decisions, delegations (Plt), request messages, digest settings

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "delegations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delegate_id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["employees.id"], name=op.f("fk_delegations_created_by_employees")
        ),
        sa.ForeignKeyConstraint(
            ["delegate_id"], ["employees.id"], name=op.f("fk_delegations_delegate_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["employees.id"], name=op.f("fk_delegations_principal_id_employees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegations")),
    )
    with op.batch_alter_table("delegations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_delegations_delegate_end", ["delegate_id", "end_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_delegations_principal_id"), ["principal_id"], unique=False
        )

    op.create_table(
        "approval_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name=op.f("fk_approval_messages_outbox_id_outbox")
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["employees.id"],
            name=op.f("fk_approval_messages_recipient_id_employees"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_approval_messages_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_messages")),
    )
    with op.batch_alter_table("approval_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_approval_messages_submission_id"), ["submission_id"], unique=False
        )

    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_status", sa.String(length=12), nullable=True))

    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("digest_mode", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("digest_time", sa.Time(), nullable=True))

    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decided_for", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("snapshot", sa.JSON(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_submissions_decided_for_employees"), "employees", ["decided_for"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_submissions_decided_for_employees"), type_="foreignkey"
        )
        batch_op.drop_column("snapshot")
        batch_op.drop_column("decided_for")

    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_column("digest_time")
        batch_op.drop_column("digest_mode")

    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_column("review_status")

    with op.batch_alter_table("approval_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_approval_messages_submission_id"))

    op.drop_table("approval_messages")
    with op.batch_alter_table("delegations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delegations_principal_id"))
        batch_op.drop_index("ix_delegations_delegate_end")

    op.drop_table("delegations")
