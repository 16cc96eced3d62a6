"""Issue 9 domain: codecs, ranges, what-changed, limits of the rendered messages, and the
decision rules against a database (concurrent taps, rounds, delegation windows)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time

import pytest

from bot import approval, approval_requests, delegation, digest, morning, team
from bot.approval_buttons import ApprovalPress, DigestPress, TeamPress
from bot.workcalendar import package_calendar
from storage.db import Database
from storage.models import Activity, Delegation, Employee, Submission

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # Friday 10:00 WIB
TODAY = date(2026, 11, 27)


def test_codecs_round_trip_and_refuse_what_they_would_not_build() -> None:
    press = ApprovalPress("no", "r", 12, 3, 2)
    assert press.encode() == "ap:no:r:12:3:2"
    assert ApprovalPress.decode(press.encode()) == press
    assert ApprovalPress.decode("ap:ok:r:12:1") == ApprovalPress("ok", "r", 12, 1)
    for bad in ("ap:ok:r:12", "ap:ok:r:12:1:5", "ap:no:r:12:1:4", "ap:aok:r:12:1", "ap:ok:x:1:1"):
        assert ApprovalPress.decode(bad) is None, bad
    team_press = TeamPress("p", TODAY, 7, 1, 14, 2147483647)
    assert len(team_press.encode()) <= 64
    assert TeamPress.decode(team_press.encode()) == team_press
    assert DigestPress.decode("dg:all:99:0") == DigestPress("all", 99, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-12 Des", (date(2026, 12, 1), date(2026, 12, 12))),
        ("1 - 12 Des", (date(2026, 12, 1), date(2026, 12, 12))),
        ("28-3 Des", (date(2026, 11, 28), date(2026, 12, 3))),
        ("30 Nov s/d 2 Des", (date(2026, 11, 30), date(2026, 12, 2))),
        ("1 Des - 5 Jan 2027", (date(2026, 12, 1), date(2027, 1, 5))),
        ("besok sampai Jumat depan", (date(2026, 11, 28), date(2026, 12, 4))),
        ("3/12", (date(2026, 12, 3), date(2026, 12, 3))),
        ("kapan-kapan", None),
        ("1-12", None),
        ("2026-12-01 - 2026-12-12", (date(2026, 12, 1), date(2026, 12, 12))),
        ("2026-12-01..2026-12-12", (date(2026, 12, 1), date(2026, 12, 12))),
        ("2026-12-01 s/d 2026-12-12", (date(2026, 12, 1), date(2026, 12, 12))),
        ("2026-12-01 sampai 2027-01-05", (date(2026, 12, 1), date(2027, 1, 5))),
        ("2026-12-03", (date(2026, 12, 3), date(2026, 12, 3))),
        ("2026-02-30 - 2026-03-02", None),
    ],
)
def test_delegation_ranges(text: str, expected: tuple[date, date] | None) -> None:
    assert delegation.parse_range(text, TODAY) == expected


@pytest.mark.parametrize(
    ("words", "nips", "rest"),
    [
        (["199001222015042001", "1-12", "Des"], ["199001222015042001"], ["1-12", "Des"]),
        (["19900122", "201504", "2", "001", "3", "Des"], ["199001222015042001"], ["3", "Des"]),
        (
            ["197505101998031003", "1990", "0122", "2015", "04", "2", "001", "1-2", "Des"],
            ["197505101998031003", "199001222015042001"],
            ["1-2", "Des"],
        ),
        (["12345", "Des"], [], ["12345", "Des"]),
        (["batal"], [], ["batal"]),
    ],
)
def test_nips_typed_with_spaces(words: list[str], nips: list[str], rest: list[str]) -> None:
    assert delegation.take_nips(words) == (nips, rest)


def _row(i: int, desc: str, minutes: int, skp: int | None = None) -> approval_requests.Row:
    return approval_requests.Row(i, "", desc, minutes, skp, None, None)


def test_changes_since_the_last_request() -> None:
    old = approval_requests.snapshot(
        [_row(1, "rapat", 60), _row(2, "modul", 120, 5), _row(3, "x", 30)], 1
    )
    new = [_row(1, "rapat dinas", 60), _row(2, "modul", 90, 6), _row(4, "baru <b>", 45)]
    lines = approval_requests.changes(old, new, "id")
    assert lines == [
        "✏️ 1. uraian baru: rapat dinas",
        "⏱ 2. durasi 2 jam → 1 jam 30 menit",
        "🎯 2. butir SKP diganti",
        "➕ 3. baru &lt;b&gt;",
        "🗑 dihapus: x",
    ]
    assert approval_requests.changes(
        old, [_row(1, "rapat", 60), _row(2, "modul", 120, 5), _row(3, "x", 30)], "en"
    ) == ["no changes"]
    assert approval_requests.changes(None, new, "id") == []


def test_request_text_stays_within_the_limit_with_its_extra_blocks() -> None:
    staff = Employee(name="S" * 200, position="P" * 200)
    rows = [_row(i, "uraian panjang " * 30, 30) for i in range(20)]
    extra = ["x" * 900, "y" * 300]
    text = approval_requests.request_text(staff, TODAY, rows, "id", extra=extra)
    assert len(text) <= 4096 and text.endswith("y" * 300)


def test_digest_pages_3000_days_within_telegram_limits() -> None:
    items = [digest.Pending(i, "Nama Sangat Panjang " * 10, TODAY, 450, 5) for i in range(1, 3001)]
    for page in (0, 57, 199, 500):
        text, markup = digest.build_digest(items, "id", page)
        assert len(text) <= 4096
        assert markup is not None
        assert sum(len(r) for r in markup["inline_keyboard"]) <= 100
    assert "Halaman 200 dari 200" in digest.build_digest(items, "id", 500)[0]


def test_team_render_with_long_names_and_many_pages() -> None:
    members = [team.Member(i + 1, "N" * 200, 1, i % 500, 1, i % 2) for i in range(3000)]
    view = team.TeamView(TODAY, 5, True, members)
    for page in (0, 149, 999):
        text, markup = team.render_team(view, "en", page, 450)
        assert len(text) <= 4096
        assert markup is not None
        assert sum(len(r) for r in markup["inline_keyboard"]) <= 100
        for row in markup["inline_keyboard"]:
            for button in row:
                assert len(button["callback_data"].encode()) <= 64


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("", (TODAY, 1)),
        ("kemarin", (date(2026, 11, 26), 1)),
        ("minggu ini", (date(2026, 11, 23), 5)),
        ("This week", (date(2026, 11, 23), 5)),
        ("20/11", (date(2026, 11, 20), 1)),
        ("besok lusa", None),
    ],
)
def test_team_period(arg: str, expected: tuple[date, int] | None) -> None:
    assert team.period(arg, TODAY) == expected


async def _day(db: Database) -> tuple[Employee, Employee, Employee, int]:
    async with db.session() as session:
        boss = Employee(nip="1" * 18, name="Boss", roles="staff,supervisor")
        plt = Employee(nip="2" * 18, name="Plt")
        session.add_all([boss, plt])
        await session.flush()
        staff = Employee(nip="3" * 18, name="Staff", supervisor_id=boss.id)
        session.add(staff)
        await session.flush()
        sub = Submission(
            employee_id=staff.id, work_date=TODAY, status="submitted", snapshot={"round": 1}
        )
        session.add(sub)
        await session.flush()
        for n in range(2):
            session.add(
                Activity(
                    employee_id=staff.id,
                    work_date=TODAY,
                    start_time=time(8 + n),
                    minutes=60,
                    description=f"kegiatan {n}",
                    submission_id=sub.id,
                )
            )
        session.add(
            Delegation(
                delegate_id=plt.id,
                principal_id=boss.id,
                start_date=date(2026, 12, 1),
                end_date=date(2026, 12, 12),
                created_by=boss.id,
            )
        )
        return boss, plt, staff, sub.id


async def test_two_taps_at_once_decide_once(db: Database) -> None:
    boss, _, _, sub_id = await _day(db)

    async def tap(verdict: str) -> approval.Outcome:
        try:
            async with db.session() as session:
                result = await approval.decide(
                    session, boss, sub_id, verdict, NOW, reason="alasan", round_=1
                )
                return result.outcome
        except Exception:  # SQLite may refuse the second writer outright: also "not twice"
            return approval.Outcome.ALREADY

    outcomes = await asyncio.gather(tap(approval.APPROVED), tap(approval.REJECTED))
    assert sorted(o.value for o in outcomes) == ["already", "ok"]
    async with db.session() as session:
        sub = await session.get(Submission, sub_id)
        assert sub is not None and sub.status in ("approved", "rejected")


async def test_rounds_reasons_and_the_delegation_window(db: Database) -> None:
    boss, plt, _, sub_id = await _day(db)
    async with db.session() as session:
        stale = await approval.decide(session, boss, sub_id, approval.APPROVED, NOW, round_=0)
        assert stale.outcome is approval.Outcome.STALE
        long = await approval.decide(
            session, boss, sub_id, approval.REJECTED, NOW, reason="x" * 501, round_=1
        )
        assert long.outcome is approval.Outcome.TOO_LONG
        empty = await approval.decide(session, boss, sub_id, approval.REVISION, NOW, reason="  ")
        assert empty.outcome is approval.Outcome.INVALID
        early = await approval.decide(session, plt, sub_id, approval.APPROVED, NOW)
        assert early.outcome is approval.Outcome.NOT_ALLOWED
        late = datetime(2026, 12, 13, 3, 0, tzinfo=UTC)
        after = await approval.decide(session, plt, sub_id, approval.APPROVED, late)
        assert after.outcome is approval.Outcome.NOT_ALLOWED
        inside = datetime(2026, 12, 12, 16, 59, tzinfo=UTC)  # 23:59 WIB on the last day
        staff = (
            await session.get(Employee, sub.employee_id)
            if (sub := await session.get(Submission, sub_id))
            else None
        )
        assert staff is not None
        own = await approval.authority(session, staff, staff, date(2026, 12, 12))
        assert own == (False, None)  # nobody decides their own day
        done = await approval.decide(session, plt, sub_id, approval.APPROVED, inside, round_=1)
        assert done.outcome is approval.Outcome.OK
        sub = await session.get(Submission, sub_id)
        assert sub is not None
        assert (sub.status, sub.decided_by, sub.decided_for) == ("approved", plt.id, boss.id)


async def test_digest_is_due_once_per_day_after_its_time(db: Database) -> None:
    boss, _, _, _ = await _day(db)
    async with db.session() as session:
        emp = await session.get(Employee, boss.id)
        assert emp is not None
        emp.telegram_user_id = 777
        await digest.set_digest(session, emp, at=time(7, 30))
    before = datetime(2026, 11, 27, 0, 29, tzinfo=UTC)  # 07:29 WIB
    at = datetime(2026, 11, 27, 0, 31, tzinfo=UTC)
    async with db.session() as session:
        assert await digest.due_digests(session, before) == []
        due = await digest.due_digests(session, at)
        assert [e.id for e in due] == [boss.id]
        assert await digest.send_digest(session, due[0], at) is True
    async with db.session() as session:
        assert await digest.due_digests(session, at) == []
        saturday = datetime(2026, 11, 28, 0, 31, tzinfo=UTC)  # "every workday", as it says
        assert await digest.due_digests(session, saturday) == []
        monday = datetime(2026, 11, 30, 0, 31, tzinfo=UTC)
        assert [e.id for e in await digest.due_digests(session, monday)] == [boss.id]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 30), date(2026, 11, 27)),  # Monday: the Friday before
        (date(2026, 11, 27), date(2026, 11, 26)),
        (date(2026, 12, 28), date(2026, 12, 23)),  # 24 cuti bersama, 25 Christmas, weekend
    ],
)
def test_morning_summary_looks_at_the_last_workday(today: date, expected: date) -> None:
    cal = package_calendar(date(2026, 11, 1), date(2026, 12, 31))
    assert morning.last_workday_before(cal, today) == expected
    assert cal.office_workday(expected)
    assert not cal.office_workday(date(2026, 11, 28))  # Saturday
    # A local day off of the unit is skipped too (bot.workcalendar is the one source).
    cal.local[expected] = {7: "HUT Kota"}
    assert morning.last_workday_before(cal, today, 7) < expected
    assert morning.last_workday_before(cal, today, 8) == expected
