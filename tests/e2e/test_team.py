"""/tim (issue 9): the atasan's team through the sandbox, its limits at 300, and its SQL cost."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import event

from bot import team
from bot.approval_buttons import TeamPress
from bot.workcalendar import ensure_years
from storage.db import Database
from storage.models import Activity, Employee, Submission
from tests.e2e.conftest import World, buttons, texts

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # Friday 10:00 WIB
TODAY = date(2026, 11, 27)


async def add_team(db: Database, boss_id: int, size: int, prefix: str = "Staf") -> list[int]:
    """`size` subordinates; every third reported 7.5 h today, every third 2 h, one in
    three waits for a decision."""
    async with db.session() as session:
        people = [
            Employee(nip=f"{boss_id:06d}{n:012d}", name=f"{prefix} {n:04d}", supervisor_id=boss_id)
            for n in range(size)
        ]
        session.add_all(people)
        await session.flush()
        for n, emp in enumerate(people):
            if n % 3 == 2:
                continue
            sub = Submission(employee_id=emp.id, work_date=TODAY, status="submitted")
            session.add(sub)
            await session.flush()
            minutes = 450 if n % 3 == 0 else 120
            session.add(
                Activity(
                    employee_id=emp.id,
                    work_date=TODAY,
                    start_time=time(7, 30),
                    minutes=minutes,
                    description=f"Kegiatan {n}",
                    submission_id=sub.id,
                )
            )
        return [p.id for p in people]


@contextmanager
def count_statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def test_tim_today_yesterday_week_person_and_outsider(world: World) -> None:
    world.clock.set(NOW)
    boss = await world.add_employee("Bambang", roles="staff,supervisor")
    wakil = await world.add_employee("Wakil Kepala", roles="staff,supervisor", supervisor=boss)
    outsider = await world.add_employee("Oki", roles="staff,supervisor")
    tg = await world.join(boss)
    tg_out = await world.join(outsider)
    await add_team(world.db, boss.id, 3)
    await add_team(world.db, wakil.id, 2, prefix="Guru")

    view = (await world.client.send(tg, "/tim"))["replies"][-1]
    text = view["text"]
    assert "Tim Anda — Jumat, 27 November 2026" in text
    assert "Melapor: 2/4 · Menunggu keputusan: 2" in text
    assert "✅ Staf 0000 — 7,5/7,5 jam · ⏳1" in text
    assert "🟡 Staf 0001 — 2/7,5 jam · ⏳1" in text
    assert "❌ Staf 0002 — 0/7,5 jam" in text and "❌ Wakil Kepala — 0/7,5 jam" in text
    assert "Guru" not in text  # only direct subordinates by default
    assert buttons(view)[-1] == "🌳 Semua jenjang"

    deep = await world.client.press(tg, view["message_id"], button="🌳 Semua jenjang")
    assert "Guru 0000" in texts(deep["replies"]) and "Melapor: 4/6" in texts(deep["replies"])

    yesterday = (await world.client.send(tg, "/tim kemarin"))["replies"][-1]["text"]
    assert "Kamis, 26 November 2026" in yesterday and "Melapor: 0/4" in yesterday
    week = (await world.client.send(tg, "/tim minggu ini"))["replies"][-1]["text"]
    assert "Sen, 23 Nov – Jum, 27 Nov" in week and "7,5/37,5 jam" in week
    bad = await world.client.send(tg, "/tim kapan-kapan")
    assert "Periode tidak terbaca" in texts(bad["replies"])

    person = await world.client.press(tg, view["message_id"], button="1. Staf 0000")
    assert "Kegiatan 0 (7 jam 30 menit)" in texts(person["replies"])
    assert buttons(person["replies"][-1]) == ["📝 Putuskan 27/11", "⬅️ Tim"]

    # Someone else's team member, by forged data: refused, nothing shown.
    forged = TeamPress("p", TODAY, 1, 1, 0, boss.id + 1).encode()
    own = [m for m in await world.client.chat(tg_out) if m["from"] == "bot"][-1]
    refused = await world.client.press(tg_out, own["message_id"], callback_data=forged)
    assert "bukan anggota tim" in refused["answer"]["text"]
    empty = (await world.client.send(tg_out, "/tim"))["replies"][-1]["text"]
    assert "Belum ada bawahan" in empty


async def test_tim_for_300_is_paged_within_telegram_limits(world: World) -> None:
    world.clock.set(NOW)
    boss = await world.add_employee("Bambang", roles="staff,supervisor")
    tg = await world.join(boss)
    await add_team(world.db, boss.id, 300)
    view = (await world.client.send(tg, "/tim"))["replies"][-1]
    assert "Melapor: 200/300 · Menunggu keputusan: 200" in view["text"]
    assert "Halaman 1 dari 15" in view["text"]
    assert len(view["text"]) <= 4096
    assert len(buttons(view)) <= 100
    nxt = await world.client.press(tg, view["message_id"], button="▶️")
    page2 = nxt["replies"][-1]
    assert "Halaman 2 dari 15" in page2["text"] and "21. " in page2["text"]
    assert len(page2["text"]) <= 4096 and len(buttons(page2)) <= 100


async def test_statements_per_tim_do_not_grow_with_the_team(db: Database) -> None:
    counts = {}
    async with db.session() as session:  # the year's national days are seeded once, before
        await ensure_years(session, [TODAY.year], NOW)
    for size in (10, 300):
        async with db.session() as session:
            boss = Employee(nip=f"{size:018d}", name=f"Boss {size}", roles="staff,supervisor")
            session.add(boss)
            await session.flush()
            boss_id = boss.id
        await add_team(db, boss_id, size)
        for deep in (False, True):
            async with db.session() as session:
                actor = await session.get(Employee, boss_id)
                assert actor is not None
                with count_statements(db) as seen:
                    view = await team.team(session, actor, TODAY, 5, deep, NOW)
                    text, markup = team.render_team(view, "id", 0, 450)
                assert len(view.members) == size
                assert len(text) <= 4096
                assert markup is not None
                assert sum(len(r) for r in markup["inline_keyboard"]) <= 100
                counts[(size, deep)] = len(seen)
    # Two for the team (delegations, the team with its figures) and four for the work
    # calendar (years seeded?, units, days off, leaves), whatever the team's size.
    assert counts[(10, False)] == counts[(300, False)] == 2 + 4
    assert counts[(10, True)] == counts[(300, True)] == 2 + 4
