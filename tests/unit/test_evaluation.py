"""Monthly evaluation: the predikat matrix cell by cell, the prompt window, saving."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.evaluation import (
    ABOVE,
    BELOW,
    MEETS,
    SaveStatus,
    completion_by_unit,
    evaluation_prompts_due,
    in_prompt_window,
    predikat,
    previous_period,
    prompt_dedupe_key,
    save_evaluation,
)
from bot.workcalendar import package_calendar
from storage.db import Database
from storage.models import Employee, Holiday, Unit

# The table (hasil ↓, perilaku →), written out as the regulation prints it.
TABLE = {
    "di atas": {"di atas": "Sangat Baik", "sesuai": "Baik", "di bawah": "Kurang/Misconduct"},
    "sesuai": {"di atas": "Baik", "sesuai": "Baik", "di bawah": "Kurang/Misconduct"},
    "di bawah": {
        "di atas": "Butuh Perbaikan",
        "sesuai": "Butuh Perbaikan",
        "di bawah": "Sangat Kurang",
    },
}
WORDS = {"di atas": ABOVE, "sesuai": MEETS, "di bawah": BELOW}
CELLS = [(h, p, TABLE[h][p]) for h in TABLE for p in TABLE[h]]


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), CELLS)
def test_every_cell_of_the_predikat_table(hasil: str, perilaku: str, expected: str) -> None:
    assert predikat(WORDS[hasil], WORDS[perilaku]) == expected


def test_the_table_has_nine_cells_and_no_other_rating() -> None:
    assert len(CELLS) == 9
    with pytest.raises(ValueError):
        predikat("excellent", MEETS)


def test_prompt_window_is_the_first_three_working_days() -> None:
    cal = package_calendar(date(2026, 12, 1), date(2027, 1, 31))
    # December 2026: Tue 1, Wed 2, Thu 3 are the first working days; Fri 4 is the fourth
    days = [in_prompt_window(date(2026, 12, d), cal) for d in (1, 2, 3, 4)]
    assert days == [True] * 3 + [False]
    # January 2027: 1 Jan is a holiday, 2-3 a weekend; Mon 4 is the first working day
    assert not in_prompt_window(date(2027, 1, 1), cal)
    assert in_prompt_window(date(2027, 1, 4), cal)
    assert previous_period(date(2027, 1, 4)) == "2026-12"
    # A local day off of unit 3 on 1 Dec moves that unit's window one day on (not others').
    cal.local[date(2026, 12, 1)] = {3: "HUT Kabupaten"}
    assert not in_prompt_window(date(2026, 12, 1), cal, 3)
    assert in_prompt_window(date(2026, 12, 4), cal, 3)
    assert in_prompt_window(date(2026, 12, 1), cal, 4)


async def _team(db: Database) -> tuple[Employee, Employee, Employee]:
    async with db.session() as s:
        s.add(Unit(id=3, name="SD Negeri 1"))
        await s.flush()
        boss = Employee(
            nip="1" * 18, name="Bambang", roles="staff,supervisor", telegram_user_id=77, unit_id=3
        )
        s.add(boss)
        await s.flush()
        a = Employee(nip="2" * 18, name="Siti", supervisor_id=boss.id, unit_id=3)
        b = Employee(nip="3" * 18, name="Andi", supervisor_id=boss.id, unit_id=3)
        s.add_all([a, b])
        await s.flush()
        return boss, a, b


async def test_prompts_once_per_atasan_until_everyone_is_rated(db: Database) -> None:
    boss, siti, andi = await _team(db)
    wib = ZoneInfo("Asia/Jakarta")
    now = datetime(2026, 12, 1, 9, 0, tzinfo=wib)
    async with db.session() as s:
        due = await evaluation_prompts_due(s, now)
        assert [(p.atasan_id, p.period, p.pending) for p in due] == [(boss.id, "2026-11", 2)]
        assert await evaluation_prompts_due(s, now.replace(hour=6)) == []  # too early
        assert prompt_dedupe_key(due[0]) == f"ev:prompt:{boss.id}:2026-11"
        assert await evaluation_prompts_due(s, datetime(2026, 12, 4, 9, tzinfo=wib)) == []
        for emp in (siti, andi):
            res = await save_evaluation(
                s, boss, emp.id, "2026-11", ABOVE, MEETS, None, date(2026, 12, 1)
            )
            assert res.status is SaveStatus.OK and res.evaluation is not None
            assert res.evaluation.predikat == "Baik"
        assert await evaluation_prompts_due(s, now) == []
        done = await completion_by_unit(s, "2026-11")
        assert [(c.unit_name, c.rated, c.total) for c in done] == [("SD Negeri 1", 2, 2)]


async def test_only_the_atasan_rates_and_only_a_past_month(db: Database) -> None:
    boss, siti, andi = await _team(db)
    today = date(2026, 12, 1)
    async with db.session() as s:
        forged = await save_evaluation(s, siti, andi.id, "2026-11", ABOVE, ABOVE, None, today)
        assert forged.status is SaveStatus.NOT_ALLOWED
        future = await save_evaluation(s, boss, siti.id, "2026-12", ABOVE, ABOVE, None, today)
        assert future.status is SaveStatus.BAD_PERIOD
        again = await save_evaluation(s, boss, siti.id, "2026-11", BELOW, BELOW, "x", today)
        again = await save_evaluation(s, boss, siti.id, "2026-11", ABOVE, ABOVE, "y", today)
        assert again.evaluation is not None
        assert (again.evaluation.predikat, again.evaluation.note) == ("Sangat Baik", "y")


async def test_prompt_window_follows_the_units_local_days_off(db: Database) -> None:
    """/libur for the atasan's unit on 1-3 Dec: their first working days are 4, 7 and 8 Dec."""
    boss, _, _ = await _team(db)
    wib = ZoneInfo("Asia/Jakarta")
    async with db.session() as s:
        for d in (1, 2, 3):
            s.add(Holiday(day=date(2026, 12, d), name="Libur lokal", kind="local", unit_id=3))
        await s.flush()
        assert await evaluation_prompts_due(s, datetime(2026, 12, 1, 9, tzinfo=wib)) == []
        due = await evaluation_prompts_due(s, datetime(2026, 12, 4, 9, tzinfo=wib))
        assert [p.atasan_id for p in due] == [boss.id]
        assert await evaluation_prompts_due(s, datetime(2026, 12, 9, 9, tzinfo=wib)) == []
