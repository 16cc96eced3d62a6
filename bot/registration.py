"""Invite links: one-time codes that link a Telegram account to an employee.

Only a hash of the code is stored, so a leaked database does not leak usable links.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Employee, Invite, InviteAttempt
from storage.queries import employee_by_telegram_id

INVITE_TTL = timedelta(days=14)

# Guessing invite codes (issue 8 defect 12): wrong codes are counted in the database, so
# the limit holds across processes and restarts. Past the limit every /start code is
# refused (a right one too: otherwise guessing would go on and only the answer change).
GUESS_WINDOW = timedelta(minutes=15)
MAX_WRONG_PER_USER = 5
MAX_WRONG_OVERALL = 60


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


async def create_invite(
    session: AsyncSession, employee_id: int, now: datetime, ttl: timedelta = INVITE_TTL
) -> str:
    """A fresh code; older unused codes of the employee stop working."""
    await session.execute(
        update(Invite)
        .where(Invite.employee_id == employee_id, Invite.used_at.is_(None))
        .values(expires_at=now)
    )
    code = secrets.token_urlsafe(16)  # 22 chars of [A-Za-z0-9_-]: valid in a /start payload
    session.add(Invite(code_hash=hash_code(code), employee_id=employee_id, expires_at=now + ttl))
    await session.flush()
    return code


class RedeemStatus(enum.Enum):
    LINKED = "linked"
    ALREADY_LINKED = "already_linked"  # same account, same employee: harmless repeat
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    ACCOUNT_TAKEN = "account_taken"  # this Telegram account belongs to someone else
    EMPLOYEE_TAKEN = "employee_taken"  # the employee is linked to another account
    TOO_MANY_WRONG = "too_many_wrong"  # too many wrong codes lately; `retry_after` says how long


@dataclass
class RedeemResult:
    status: RedeemStatus
    employee: Employee | None = None
    retry_after: timedelta | None = None


async def guess_limit(
    session: AsyncSession, telegram_user_id: int, now: datetime
) -> timedelta | None:
    """How long until this user may try a code again, or None if they may now."""
    since = now - GUESS_WINDOW
    recent = InviteAttempt.attempted_at > since
    mine = select(func.count(), func.min(InviteAttempt.attempted_at)).where(
        recent, InviteAttempt.telegram_user_id == telegram_user_id
    )
    count, oldest = (await session.execute(mine)).one()
    if count >= MAX_WRONG_PER_USER and isinstance(oldest, datetime):
        wait: timedelta = oldest + GUESS_WINDOW - now
        return max(wait, timedelta(minutes=1))
    overall = (await session.execute(select(func.count()).where(recent))).scalar_one()
    if overall >= MAX_WRONG_OVERALL:
        return GUESS_WINDOW
    return None


async def forget_old_attempts(session: AsyncSession, now: datetime) -> None:
    await session.execute(
        delete(InviteAttempt).where(InviteAttempt.attempted_at <= now - GUESS_WINDOW)
    )


async def redeem_invite(
    session: AsyncSession, code: str, telegram_user_id: int, language: str, now: datetime
) -> RedeemResult:
    wait = await guess_limit(session, telegram_user_id, now)
    if wait is not None:
        return RedeemResult(RedeemStatus.TOO_MANY_WRONG, retry_after=wait)
    invite = (
        await session.execute(
            select(Invite).where(Invite.code_hash == hash_code(code)).with_for_update()
        )
    ).scalar_one_or_none()
    if invite is None:
        await session.execute(
            insert(InviteAttempt).values(telegram_user_id=telegram_user_id, attempted_at=now)
        )
        return RedeemResult(RedeemStatus.INVALID)
    employee = await session.get(Employee, invite.employee_id)
    if employee is None or not employee.active:
        return RedeemResult(RedeemStatus.INVALID)
    if invite.used_at is not None:
        if employee.telegram_user_id == telegram_user_id:
            return RedeemResult(RedeemStatus.ALREADY_LINKED, employee)
        return RedeemResult(RedeemStatus.USED)
    if invite.expires_at <= now:
        return RedeemResult(RedeemStatus.EXPIRED)
    other = await employee_by_telegram_id(session, telegram_user_id)
    if other is not None and other.id != employee.id:
        return RedeemResult(RedeemStatus.ACCOUNT_TAKEN, other)
    if employee.telegram_user_id not in (None, telegram_user_id):
        return RedeemResult(RedeemStatus.EMPLOYEE_TAKEN)
    employee.telegram_user_id = telegram_user_id
    employee.language = language
    employee.blocked_bot_at = None
    invite.used_at = now
    await session.flush()
    return RedeemResult(RedeemStatus.LINKED, employee)
