"""Recap, export and evaluation: skp_items.rencana_aksi, evaluations

Revision ID: 0005
Revises: 0002 (the lead rechains onto the latest revision at merge)
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("skp_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rencana_aksi", sa.Text(), nullable=True))

    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("rating_result", sa.String(length=12), nullable=False),
        sa.Column("rating_behaviour", sa.String(length=12), nullable=False),
        sa.Column("predikat", sa.String(length=24), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("rated_by", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_evaluations_employee_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["rated_by"], ["employees.id"], name=op.f("fk_evaluations_rated_by_employees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
        sa.UniqueConstraint("employee_id", "period", name=op.f("uq_evaluations_employee_id")),
    )
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.create_index("ix_evaluations_period", ["period"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluations_period")
    op.drop_table("evaluations")
    with op.batch_alter_table("skp_items", schema=None) as batch_op:
        batch_op.drop_column("rencana_aksi")
