"""An employee who follows their unit's time zone (employees.timezone NULL) lives in it:
"today" and the clock shown come from the unit, inherited down the unit tree."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update

from bot.reporting import load_draft
from storage.models import Employee, Unit
from tests.e2e.conftest import World

# 01.30 on Thursday 26 November in Jayapura (WIT, UTC+9); still Wednesday 23.30 in Jakarta.
THURSDAY_WIT = datetime(2026, 11, 25, 16, 30, tzinfo=UTC)


async def test_a_person_in_a_wit_unit_reports_on_the_wit_day(world: World) -> None:
    world.clock.set(THURSDAY_WIT)
    async with world.db.session() as session:
        dinas = Unit(name="Dinas Pendidikan Kota Jayapura", timezone="Asia/Jayapura")
        session.add(dinas)
        await session.flush()
        school = Unit(name="SD Negeri 2 Jayapura", parent_id=dinas.id)  # inherits WIT
        session.add(school)
        await session.flush()
        school_id = school.id
    yohana = await world.add_employee("Yohana Wenda", skp=["Mengikuti rapat"])
    async with world.db.session() as session:
        await session.execute(
            update(Employee).where(Employee.id == yohana.id).values(unit_id=school_id)
        )
        loaded = (
            await session.execute(select(Employee).where(Employee.id == yohana.id))
        ).scalar_one()
        assert (loaded.timezone, loaded.zone_name) == (None, "Asia/Jayapura")
    tg = await world.join(yohana)
    reply = (await world.client.send(tg, "rapat koordinasi 1 jam"))["replies"][-1]
    assert "Kam, 26 Nov" in reply["text"], reply["text"]  # not "Rab, 25 Nov" (WIB's day)
    async with world.db.session() as session:
        _, draft = await load_draft(session, yohana.id)
    assert draft is not None and draft.activities[0].date == "2026-11-26"
