"""Deadline reminders on the work calendar: a reminder whose day is a day off for the person
comes on their previous workday, once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.deadlines import parse_deadline, run_due
from storage.db import Database
from storage.models import Deadline, Employee, Leave, OutboxMessage

WIB = ZoneInfo("Asia/Jakarta")


def at(day: date, hh: int = 8, mm: int = 5) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=WIB).astimezone(UTC)


async def test_reminders_on_days_off_move_to_the_previous_workday(db: Database) -> None:
    settings = Settings(database_url=db.url)
    async with db.session() as s:
        siti = Employee(nip="1" * 18, name="Siti", telegram_user_id=501)
        andi = Employee(nip="2" * 18, name="Andi", telegram_user_id=502)
        s.add_all([siti, andi])
        await s.flush()
        # Due Sunday 6 Dec 2026: H-0 (Sun) and H-1 (Sat) → Friday 4 Dec, once; H-3 Thursday
        # 3 Dec; H-7 Sunday 29 Nov → Friday 27 Nov. Andi is on leave Thu 3 Dec → Wed 2 Dec.
        s.add(Deadline(title="Unggah SKP", due_date=date(2026, 12, 6), audience="all"))
        s.add(
            Leave(
                employee_id=andi.id,
                kind="cuti",
                start_date=date(2026, 12, 3),
                end_date=date(2026, 12, 3),
            )
        )
    sent: dict[date, int] = {}
    for d in range(26, 31):
        day = date(2026, 11, d)
        async with db.session() as s:
            sent[day] = await run_due(s, settings, at(day))
    for d in range(1, 8):
        day = date(2026, 12, d)
        async with db.session() as s:
            sent[day] = await run_due(s, settings, at(day))
            assert await run_due(s, settings, at(day, 10)) == 0  # once a day
    assert {day: n for day, n in sent.items() if n} == {
        date(2026, 11, 27): 2,  # H-7 moved back from Sunday
        date(2026, 12, 2): 1,  # Andi's H-3, moved back from his leave day
        date(2026, 12, 3): 1,  # Siti's H-3
        date(2026, 12, 4): 2,  # H-1 and the day, both on a weekend: one each, on Friday
    }
    async with db.session() as s:
        friday = (
            await s.execute(
                select(OutboxMessage.payload).where(OutboxMessage.dedupe_key.like("%2026-12-04"))
            )
        ).scalars()
        assert all("2 hari lagi" in p["text"] for p in friday)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31 Des; Unggah SKP tahunan", (date(2026, 12, 31), "Unggah SKP tahunan", "all")),
        ("Unggah SKP tahunan; 31 Des", (date(2026, 12, 31), "Unggah SKP tahunan", "all")),
        ("Unggah SKP tahunan 31 Des", (date(2026, 12, 31), "Unggah SKP tahunan", "all")),
        ("Rapat pimpinan; 4 Des; atasan", (date(2026, 12, 4), "Rapat pimpinan", "atasan")),
        ("Upload SKP; tomorrow; supervisors", (date(2026, 11, 28), "Upload SKP", "atasan")),
        ("Unggah SKP tahunan", None),
    ],
)
def test_deadline_date_and_title_in_either_order(
    text: str, expected: tuple[date, str, str] | None
) -> None:
    """QA defect 6: the title typed first was not read."""
    assert parse_deadline(text, date(2026, 11, 27)) == expected
