"""Reminders driven through an injected clock on the test database (no sleeping)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.clock import FixedClock
from bot.config import Settings
from bot.reminders import evaluate, nudge, snooze
from bot.scheduler import tick
from storage.db import Database
from storage.models import Activity, Employee, Holiday, Leave, OutboxMessage, Unit

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")
TUESDAY = date(2026, 12, 1)


def at(day: date, hh: int, mm: int, tz: ZoneInfo = WIB) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=tz).astimezone(UTC)


@pytest.fixture
def settings(db: Database) -> Settings:
    return Settings(database_url=db.url)


_nip = iter(range(1, 10_000))


async def person(
    db: Database,
    name: str,
    *,
    tz: str | None = None,  # None: the unit's zone, else WIB
    tg: int | None = None,
    unit: int | None = None,
    supervisor: int | None = None,
    reminder_time: time | None = None,
) -> int:
    async with db.session() as session:
        emp = Employee(
            nip=f"19900101201501{next(_nip):04d}",
            name=name,
            timezone=tz,
            telegram_user_id=tg if tg is not None else 7000 + next(_nip),
            unit_id=unit,
            supervisor_id=supervisor,
            reminder_time=reminder_time,
        )
        session.add(emp)
        await session.flush()
        return emp.id


async def sent(db: Database) -> list[tuple[int, str]]:
    async with db.session() as session:
        rows = await session.execute(
            select(OutboxMessage.chat_id, OutboxMessage.dedupe_key).order_by(OutboxMessage.id)
        )
        return [(c, k or "") for c, k in rows.tuples()]


async def chat_of(db: Database, emp: int) -> int:
    async with db.session() as session:
        e = await session.get(Employee, emp)
        assert e is not None and e.telegram_user_id is not None
        return e.telegram_user_id


async def test_reminders_fire_at_local_time_in_all_three_zones(
    db: Database, settings: Settings
) -> None:
    ids = {
        "wib": await person(db, "Wib", tz="Asia/Jakarta"),
        "wita": await person(db, "Wita", tz="Asia/Makassar"),
        "wit": await person(db, "Wit", tz="Asia/Jayapura"),
    }
    clock = FixedClock(at(TUESDAY, 15, 29, WIT))
    assert (await tick(db, settings, clock)).reminders == 0
    clock.set(at(TUESDAY, 15, 30, WIT))
    assert (await tick(db, settings, clock)).reminders == 1
    clock.set(at(TUESDAY, 15, 30, WITA))
    assert (await tick(db, settings, clock)).reminders == 1
    clock.set(at(TUESDAY, 15, 30, WIB))
    assert (await tick(db, settings, clock)).reminders == 1
    clock.advance(minutes=1)
    assert (await tick(db, settings, clock)).reminders == 0  # once per day
    keys = [k for _, k in await sent(db)]
    assert keys == [f"rem:{ids[z]}:2026-12-01" for z in ("wit", "wita", "wib")]


async def test_unit_time_zone_and_reminder_time_apply_unless_the_employee_overrides(
    db: Database, settings: Settings
) -> None:
    async with db.session() as session:
        unit = Unit(name="Dinas Makassar", timezone="Asia/Makassar", reminder_time=time(14, 0))
        session.add(unit)
        await session.flush()
        sub = Unit(name="UPT", parent_id=unit.id)
        session.add(sub)
        await session.flush()
        unit_id, sub_id = unit.id, sub.id
    inherits = await person(db, "Ikut unit", unit=sub_id)
    own = await person(db, "Sendiri", unit=unit_id, tz="Asia/Jayapura", reminder_time=time(15, 45))
    clock = FixedClock(at(TUESDAY, 14, 0, WITA))
    decisions = {d.employee_id: d for d in await evaluate_at(db, settings, clock)}
    assert decisions[inherits].remind and decisions[own].reason == "not_due"
    clock.set(at(TUESDAY, 15, 45, WIT))
    decisions = {d.employee_id: d for d in await evaluate_at(db, settings, clock)}
    assert decisions[own].remind


async def evaluate_at(db: Database, settings: Settings, clock: FixedClock) -> list:  # type: ignore[type-arg]
    async with db.session() as session:
        return await evaluate(session, settings, clock.now())


async def test_nobody_is_reminded_on_days_off_or_after_reporting(
    db: Database, settings: Settings
) -> None:
    async with db.session() as session:
        unit = Unit(name="Sekolah")
        session.add(unit)
        await session.flush()
        unit_id = unit.id
    a = await person(db, "Ani", unit=unit_id)
    b = await person(db, "Budi")
    blocked = await person(db, "Blok")
    unlinked = await person(db, "Tanpa")
    async with db.session() as session:
        (await session.get(Employee, blocked)).blocked_bot_at = at(TUESDAY, 8, 0)  # type: ignore[union-attr]
        (await session.get(Employee, unlinked)).telegram_user_id = None  # type: ignore[union-attr]
        session.add(
            Holiday(day=date(2026, 12, 2), name="Rapat kerja", kind="local", unit_id=unit_id)
        )
        session.add(
            Leave(
                employee_id=b, start_date=date(2026, 12, 3), end_date=date(2026, 12, 3), kind="cuti"
            )
        )
        session.add(
            Activity(employee_id=a, work_date=date(2026, 12, 4), minutes=60, description="rapat")
        )

    async def reasons(day: date) -> dict[int, str]:
        async with db.session() as session:
            return {
                d.employee_id: d.reason for d in await evaluate(session, settings, at(day, 15, 31))
            }

    assert (await reasons(date(2026, 12, 5)))[a] == "weekend"
    assert (await reasons(date(2026, 12, 25)))[a] == "holiday: Hari Raya Natal"
    assert (await reasons(date(2026, 12, 24)))[a] == "cuti_bersama"
    local = await reasons(date(2026, 12, 2))
    assert local[a] == "holiday: Rapat kerja" and local[b] == ""  # Budi is not in the unit
    leave = await reasons(date(2026, 12, 3))
    assert leave[b] == "leave" and leave[a] == ""
    friday = await reasons(date(2026, 12, 4))
    assert friday[a] == "already_reported" and friday[b] == ""
    assert friday[blocked] == "blocked" and friday[unlinked] == "not_linked"
    # and the scheduler agrees with the dry run
    for day in (date(2026, 12, 5), date(2026, 12, 24), date(2026, 12, 25)):
        assert (await tick(db, settings, FixedClock(at(day, 15, 31)))).reminders == 0
    await tick(db, settings, FixedClock(at(date(2026, 12, 4), 15, 31)))
    assert [k for _, k in await sent(db)] == [f"rem:{b}:2026-12-04"]


async def test_snooze_fires_once_an_hour_later(db: Database, settings: Settings) -> None:
    a = await person(db, "Ani")
    clock = FixedClock(at(TUESDAY, 15, 30))
    await tick(db, settings, clock)
    async with db.session() as session:
        assert await snooze(session, a, TUESDAY, clock.now()) is not None
        assert await snooze(session, a, TUESDAY, clock.now()) is None  # once a day
    clock.advance(minutes=59)
    assert (await tick(db, settings, clock)).reminders == 0
    clock.advance(minutes=1)
    assert (await tick(db, settings, clock)).reminders == 1
    clock.advance(minutes=5)
    assert (await tick(db, settings, clock)).reminders == 0
    assert [k for _, k in await sent(db)] == [f"rem:{a}:2026-12-01", f"rem:{a}:2026-12-01:snooze"]


async def test_snooze_is_dropped_when_the_report_came_meanwhile(
    db: Database, settings: Settings
) -> None:
    a = await person(db, "Ani")
    clock = FixedClock(at(TUESDAY, 15, 30))
    await tick(db, settings, clock)
    async with db.session() as session:
        await snooze(session, a, TUESDAY, clock.now())
        session.add(Activity(employee_id=a, work_date=TUESDAY, minutes=60, description="x"))
    clock.advance(hours=1)
    assert (await tick(db, settings, clock)).reminders == 0


async def test_escalation_after_three_missed_days_happens_once(
    db: Database, settings: Settings
) -> None:
    boss = await person(db, "Bos")
    staff = await person(db, "Staf", supervisor=boss)
    boss_chat = await chat_of(db, boss)
    # Thu, Fri, Mon reminded and missed (a weekend in between does not break the streak)
    for day in (date(2026, 12, 3), date(2026, 12, 4), date(2026, 12, 7)):
        result = await tick(db, settings, FixedClock(at(day, 15, 30)))
        assert result.reminders == 2  # staff + boss (nobody reports in this test)
    assert [k for c, k in await sent(db) if k.startswith("esc:")] == []
    await tick(db, settings, FixedClock(at(date(2026, 12, 8), 15, 30)))
    esc = [(c, k) for c, k in await sent(db) if k.startswith("esc:")]
    assert esc == [(boss_chat, f"esc:{staff}:2026-12-03")]
    await tick(db, settings, FixedClock(at(date(2026, 12, 9), 15, 30)))
    assert len([k for _, k in await sent(db) if k.startswith("esc:")]) == 1  # once
    # the boss's own missed days go to nobody (no atasan); the nudge reaches the staff once
    async with db.session() as session:
        boss_row = await session.get(Employee, boss)
        assert boss_row is not None
        assert await nudge(session, boss_row, staff, date(2026, 12, 9), at(TUESDAY, 16, 0)) == "ok"
        assert (
            await nudge(session, boss_row, staff, date(2026, 12, 9), at(TUESDAY, 16, 0))
            == "already"
        )
        staff_row = await session.get(Employee, staff)
        assert staff_row is not None
        assert (
            await nudge(session, staff_row, boss, date(2026, 12, 9), at(TUESDAY, 16, 0))
            == "not_allowed"
        )


async def test_a_restarted_worker_catches_up_within_working_hours_only(
    db: Database, settings: Settings
) -> None:
    a = await person(db, "Ani")
    b = await person(db, "Budi", tz="Asia/Makassar")
    # down at 15:30; back at 15:50 WIB (16:50 WITA, after Budi's hours): Ani only
    assert (await tick(db, settings, FixedClock(at(TUESDAY, 15, 50)))).reminders == 1
    assert [k for _, k in await sent(db)] == [f"rem:{a}:2026-12-01"]
    # next day the worker comes back at 17:00 WIB: too late for everyone
    assert (await tick(db, settings, FixedClock(at(date(2026, 12, 2), 17, 0)))).reminders == 0
    # Friday's hours run to 16:30
    friday = date(2026, 12, 4)
    assert (await tick(db, settings, FixedClock(at(friday, 16, 20)))).reminders == 1
    assert b  # Budi: 17:20 WITA on Friday, after hours
    assert [k for _, k in await sent(db)][-1] == f"rem:{a}:2026-12-04"


async def test_two_ticks_at_the_same_moment_queue_each_reminder_once(
    db: Database, settings: Settings
) -> None:
    import asyncio

    for n in range(30):
        await person(db, f"P{n}")
    clock = FixedClock(at(TUESDAY, 15, 30))
    results = await asyncio.gather(*(tick(db, settings, clock) for _ in range(4)))
    assert sum(r.reminders for r in results) == 30
    keys = [k for _, k in await sent(db)]
    assert len(keys) == len(set(keys)) == 30


async def test_dry_run_reasons_cover_leave_and_dinas(db: Database, settings: Settings) -> None:
    a = await person(db, "Ani")
    async with db.session() as session:
        session.add(Leave(employee_id=a, start_date=TUESDAY, end_date=TUESDAY, kind="dinas"))
        session.add(
            Leave(
                employee_id=a,
                start_date=TUESDAY + timedelta(1),
                end_date=TUESDAY + timedelta(1),
                kind="cuti",
                cancelled_at=at(TUESDAY, 8, 0),
            )
        )
    async with db.session() as session:
        assert [d.reason for d in await evaluate(session, settings, at(TUESDAY, 15, 30))] == [
            "leave"
        ]
        nxt = await evaluate(session, settings, at(TUESDAY + timedelta(1), 15, 30))
        assert [d.reason for d in nxt] == [""]  # the cancelled leave does not count
        early = await evaluate(session, settings, at(TUESDAY + timedelta(1), 9, 0))
        assert [d.reason for d in early] == ["not_due"]


async def test_the_lighter_reminder_is_opt_in_and_only_below_the_workday(
    db: Database, settings: Settings
) -> None:
    from bot.reminders import set_light

    short = await person(db, "Pendek")
    full = await person(db, "Penuh")
    off = await person(db, "Tidak mau")
    async with db.session() as session:
        for emp in (short, full):
            await set_light(session, emp, True, at(TUESDAY, 8, 0))
        for emp, minutes in ((short, 120), (full, 450), (off, 60)):
            session.add(
                Activity(employee_id=emp, work_date=TUESDAY, minutes=minutes, description="x")
            )
    assert (await tick(db, settings, FixedClock(at(TUESDAY, 15, 30)))).reminders == 1
    assert (await tick(db, settings, FixedClock(at(TUESDAY, 15, 35)))).reminders == 0
    assert [k for _, k in await sent(db)] == [f"rem:{short}:2026-12-01:light"]


async def test_not_reported_today_audience_uses_each_persons_local_day(
    db: Database, settings: Settings
) -> None:
    from bot.broadcast import recipients

    wib = await person(db, "Wib")
    wit = await person(db, "Wit", tz="Asia/Jayapura")
    async with db.session() as session:
        # 23:30 WIB on Monday is already Tuesday in WIT; Wit logged Monday, Wib logged Monday
        for emp in (wib, wit):
            session.add(
                Activity(employee_id=emp, work_date=date(2026, 11, 30), minutes=60, description="x")
            )
    async with db.session() as session:
        people = await recipients(session, "not_reported", at(date(2026, 11, 30), 23, 30))
    assert [p.employee_id for p in people] == [wit]
