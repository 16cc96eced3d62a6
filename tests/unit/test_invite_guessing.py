"""Issue 8 defect 12: invite codes cannot be guessed without limit (on the real database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import registration
from bot.registration import RedeemStatus, create_invite, redeem_invite
from storage.db import Database
from storage.models import Employee

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


async def _invite(db: Database, nip: str = "199001222015042001") -> str:
    async with db.session() as session:
        emp = Employee(nip=nip, name="Siti", roles="staff", active=True)
        session.add(emp)
        await session.flush()
        return await create_invite(session, emp.id, NOW)


async def _try(db: Database, code: str, user: int, at: datetime) -> registration.RedeemResult:
    async with db.session() as session:
        return await redeem_invite(session, code, user, "id", at)


async def test_wrong_codes_per_user_are_limited_and_the_limit_lifts(db: Database) -> None:
    code = await _invite(db)
    for n in range(registration.MAX_WRONG_PER_USER):
        result = await _try(db, f"guess{n}", 7, NOW + timedelta(seconds=n))
        assert result.status is RedeemStatus.INVALID
    limited = await _try(db, "guess-more", 7, NOW + timedelta(seconds=30))
    assert limited.status is RedeemStatus.TOO_MANY_WRONG
    assert limited.retry_after is not None
    assert timedelta(minutes=14) <= limited.retry_after <= registration.GUESS_WINDOW
    # While limited even the right code is refused: guessing must not go on.
    assert (await _try(db, code, 7, NOW + timedelta(minutes=1))).status is (
        RedeemStatus.TOO_MANY_WRONG
    )
    # Someone else is not affected by this user's guesses.
    assert (await _try(db, "other", 8, NOW + timedelta(minutes=1))).status is RedeemStatus.INVALID
    later = NOW + registration.GUESS_WINDOW + timedelta(seconds=10)
    assert (await _try(db, code, 7, later)).status is RedeemStatus.LINKED


async def test_wrong_codes_overall_are_limited(db: Database) -> None:
    code = await _invite(db)
    for n in range(registration.MAX_WRONG_OVERALL):
        result = await _try(db, f"guess{n}", 1000 + n, NOW)  # many accounts, one guess each
        assert result.status is RedeemStatus.INVALID
    assert (await _try(db, code, 99, NOW)).status is RedeemStatus.TOO_MANY_WRONG
    async with db.session() as session:
        await registration.forget_old_attempts(session, NOW + registration.GUESS_WINDOW)
    assert (await _try(db, code, 99, NOW + timedelta(minutes=16))).status is RedeemStatus.LINKED
