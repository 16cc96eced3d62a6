"""Whether a person can hear from the bot: Telegram tells us with `my_chat_member`.

Blocking the bot marks the employee (`blocked_bot_at`); unblocking clears the mark and
puts back in the queue what could not be delivered meanwhile (issue 8 defect 7).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbox import requeue_blocked
from storage.models import Employee


async def chat_blocked(session: AsyncSession, telegram_user_id: int, now: datetime) -> None:
    await session.execute(
        update(Employee)
        .where(Employee.telegram_user_id == telegram_user_id, Employee.blocked_bot_at.is_(None))
        .values(blocked_bot_at=now)
    )


async def chat_unblocked(session: AsyncSession, telegram_user_id: int, now: datetime) -> int:
    """Clear the block; returns how many undelivered messages go out again."""
    await session.execute(
        update(Employee)
        .where(Employee.telegram_user_id == telegram_user_id)
        .values(blocked_bot_at=None)
    )
    return await requeue_blocked(session, telegram_user_id, now)
