"""Small reusable queries. Plain SQLAlchemy; no domain rules, no Telegram."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.models import Employee

# Built once: every update runs it, and building a statement costs about as much CPU as
# SQLite running it.
_BY_TELEGRAM_ID = select(Employee).where(Employee.telegram_user_id == bindparam("telegram_id"))


async def employee_by_telegram_id(session: AsyncSession, telegram_user_id: int) -> Employee | None:
    result = await session.execute(_BY_TELEGRAM_ID, {"telegram_id": telegram_user_id})
    return result.scalar_one_or_none()


async def employee_by_nip(session: AsyncSession, nip: str) -> Employee | None:
    result = await session.execute(select(Employee).where(Employee.nip == nip))
    return result.scalar_one_or_none()


async def admin_chat_ids(session: AsyncSession) -> list[int]:
    """Telegram ids of linked, active admins (a handful of rows; roles is a short string)."""
    result = await session.execute(
        select(Employee.telegram_user_id).where(
            Employee.roles.contains("admin"),
            Employee.active.is_(True),
            Employee.telegram_user_id.is_not(None),
        )
    )
    return [int(x) for x in result.scalars() if x is not None]


async def linked_with(session: AsyncSession, flag: InstrumentedAttribute[bool]) -> list[Employee]:
    """Active, linked employees who turned `flag` on (digest mode, the morning summary)."""
    result = await session.execute(
        select(Employee).where(
            flag.is_(True),
            Employee.active.is_(True),
            Employee.telegram_user_id.is_not(None),
        )
    )
    return list(result.scalars())
