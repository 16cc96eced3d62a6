"""Employees' own time zone is optional (none: follow the unit); broadcasts.document_file_id

Revision ID: 0006
Revises: 0005

`employees.timezone` NULL now means "the unit's zone (inherited down the unit tree), else
DEFAULT_TIMEZONE"; a value is the person's explicit choice. Before, a value equal to the
default meant "follow the unit" (so nobody in a WITA unit could choose WIB). Rows holding
Asia/Jakarta become NULL when DEFAULT_TIMEZONE is Asia/Jakarta (the default), which is
exactly what they meant; with another DEFAULT_TIMEZONE rows are kept as they are.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WIB = "Asia/Jakarta"


def upgrade() -> None:
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_file_id", sa.String(length=255), nullable=True))
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.alter_column("timezone", existing_type=sa.String(length=64), nullable=True)
    if os.environ.get("DEFAULT_TIMEZONE", WIB) == WIB:
        op.execute(
            sa.text("UPDATE employees SET timezone = NULL WHERE timezone = :wib").bindparams(
                wib=WIB
            )
        )


def downgrade() -> None:
    op.execute(
        sa.text("UPDATE employees SET timezone = :wib WHERE timezone IS NULL").bindparams(wib=WIB)
    )
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.alter_column("timezone", existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.drop_column("document_file_id")
