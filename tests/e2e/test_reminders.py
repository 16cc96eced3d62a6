"""Reminders, leave, days off and settings through the sandbox, time moved by the clock."""

from __future__ import annotations

import asyncio
import time as wall
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from bot.i18n import t
from bot.scheduler import tick
from storage.models import Employee, Holiday, Leave, OutboxMessage, Unit
from tests.e2e.conftest import World, buttons, texts

WIB = ZoneInfo("Asia/Jakarta")
TUESDAY = date(2026, 12, 1)


def at(day: date, hh: int, mm: int, tz: ZoneInfo = WIB) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=tz).astimezone(UTC)


def htmls(replies: list[dict[str, Any]]) -> str:
    return "\n---\n".join(str(r.get("html", r.get("text", ""))) for r in replies)


async def run_tick(world: World) -> int:
    result = await tick(world.db, world.settings, world.clock)
    assert world.runtime is not None
    world.runtime.ctx.poke_outbox()
    return result.queued


async def bot_messages(world: World, tg: int) -> list[dict[str, Any]]:
    return [m for m in await world.client.chat(tg) if m["from"] == "bot"]


async def next_bot_message(world: World, tg: int, seen: int, within: float = 10) -> dict[str, Any]:
    """The first bot message after the first `seen` ones (waits for the sender)."""
    deadline = wall.monotonic() + within
    while True:
        msgs = await bot_messages(world, tg)
        if len(msgs) > seen:
            return msgs[seen]
        assert wall.monotonic() < deadline, f"no new bot message in chat {tg}: {msgs}"
        await asyncio.sleep(0.05)


async def test_reminder_buttons_snooze_report_now_and_leave_today(world: World) -> None:
    emp = await world.add_employee("Siti Aminah")
    tg = await world.join(emp)
    seen = len(await bot_messages(world, tg))

    world.clock.set(at(TUESDAY, 15, 30))
    assert await run_tick(world) == 1
    reminder = await next_bot_message(world, tg, seen)
    assert "Siti Aminah" in reminder["text"] and "1 Desember 2026" in reminder["text"]
    assert buttons(reminder) == [
        t("id", "reminders.button_report"),
        t("id", "reminders.button_leave"),
        t("id", "reminders.button_snooze"),
    ]
    assert await run_tick(world) == 0  # a second tick queues nothing

    pressed = await world.client.press(
        tg, reminder["message_id"], t("id", "reminders.button_snooze")
    )
    assert pressed["answer"]["text"] == t("id", "reminders.snooze_set", time="16.30")
    again = await world.client.press(tg, reminder["message_id"], t("id", "reminders.button_snooze"))
    assert again["answer"]["text"] == t("id", "reminders.snooze_once")

    report = await world.client.press(
        tg, reminder["message_id"], t("id", "reminders.button_report")
    )
    assert t("id", "report.lapor_prompt") in htmls(report["replies"])

    world.clock.set(at(TUESDAY, 16, 29))
    assert await run_tick(world) == 0
    seen = len(await bot_messages(world, tg))
    world.clock.set(at(TUESDAY, 16, 30))
    assert await run_tick(world) == 1
    snoozed = await next_bot_message(world, tg, seen)
    seen += 1
    assert snoozed["text"] == t("id", "reminders.snoozed_again", name="Siti Aminah")
    assert await run_tick(world) == 0

    # "Saya cuti hari ini" on the next day: recorded, the reminder message says so
    world.clock.set(at(date(2026, 12, 2), 15, 30))
    await run_tick(world)
    wednesday = await next_bot_message(world, tg, seen)
    done = await world.client.press(tg, wednesday["message_id"], t("id", "reminders.button_leave"))
    assert done["answer"] is not None
    chat = {m["message_id"]: m for m in await world.client.chat(tg)}
    assert chat[wednesday["message_id"]]["text"].startswith("🌴")
    assert chat[wednesday["message_id"]]["buttons"] == []
    async with world.db.session() as session:
        leaves = (await session.execute(select(Leave.start_date, Leave.kind))).tuples().all()
    assert leaves == [(date(2026, 12, 2), "cuti")]
    # yesterday's button is stale now (it speaks of another day)
    stale = await world.client.press(tg, reminder["message_id"], t("id", "reminders.button_leave"))
    assert stale["answer"]["text"] == t("id", "common.stale_button")


async def test_forged_nudge_is_refused_and_a_real_one_reaches_the_staff(world: World) -> None:
    boss = await world.add_employee("Bambang", roles="staff,supervisor")
    staff = await world.add_employee("Andi", supervisor=boss)
    other = await world.add_employee("Dewi")
    tg_boss, tg_staff, tg_other = (
        await world.join(boss),
        await world.join(staff),
        await world.join(other),
    )
    for day in (date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4)):
        world.clock.set(at(day, 15, 30))
        await run_tick(world)
    # Bambang and Dewi have no atasan; Andi's atasan hears about him once
    notice = None
    deadline = wall.monotonic() + 10
    while notice is None:
        for m in await bot_messages(world, tg_boss):
            if "Andi" in m["text"]:
                notice = m
        assert wall.monotonic() < deadline
        await asyncio.sleep(0.05)
    assert "3 hari kerja" in notice["text"]
    data = notice["buttons"][0][0]["callback_data"]
    own = (await bot_messages(world, tg_other))[-1]  # a forged press on one of Dewi's messages
    forged = await world.client.press(tg_other, own["message_id"], callback_data=data)
    assert forged["answer"]["text"] == t("id", "common.not_allowed")
    seen = len(await bot_messages(world, tg_staff))
    ok = await world.client.press(tg_boss, notice["message_id"], t("id", "reminders.button_nudge"))
    assert ok["answer"]["text"] == t("id", "reminders.nudge_sent")
    nudge = await next_bot_message(world, tg_staff, seen)
    assert "Bambang" in nudge["text"]
    garbage = await world.client.press(tg_boss, notice["message_id"], callback_data="rem:nudge:x")
    assert garbage["answer"]["text"] == t("id", "common.stale_button")


async def test_cuti_and_dinas_from_free_text_with_clear_errors(world: World) -> None:
    emp = await world.add_employee("Siti")
    tg = await world.join(emp)
    world.clock.set(at(date(2026, 11, 27), 9, 0))  # Friday
    for bad, key in [
        ("/cuti kapan-kapan", "calendar.error_unparseable"),
        ("/cuti 1 Jan 2027 - 30 Jun 2027", "calendar.error_too_long"),
        ("/cuti 28-29 Nov", "calendar.error_no_workdays"),
    ]:
        reply = await world.client.send(tg, bad)
        assert htmls(reply["replies"]) == t("id", key, max=60), bad
    async with world.db.session() as session:
        assert (await session.execute(select(func.count(Leave.id)))).scalar_one() == 0

    saved = await world.client.send(tg, "/dinas 3 hari mulai senin")
    assert "30 November 2026" in texts(saved["replies"]) and "2 Desember 2026" in texts(
        saved["replies"]
    )
    world.clock.set(at(date(2026, 12, 1), 15, 30))
    assert await run_tick(world) == 0  # nobody is reminded on a dinas day
    world.clock.set(at(date(2026, 11, 27), 9, 0))
    # /cuti alone lists what is recorded and asks; the answer is read as the range
    listing = await world.client.send(tg, "/cuti")
    assert "Dinas luar" in texts(listing["replies"]) or "dinas luar" in texts(listing["replies"])
    answer = await world.client.send(tg, "24-26 Nov")  # in the past week: still recordable
    assert "3 hari kerja" in texts(answer["replies"])
    cancel_msg = next(m for m in listing["replies"] if m.get("buttons"))
    cancelled = await world.client.press(
        tg, cancel_msg["message_id"], cancel_msg["buttons"][0][0]["text"]
    )
    assert "Dibatalkan" in texts(cancelled["replies"])
    async with world.db.session() as session:
        rows = (
            (
                await session.execute(
                    select(Leave.kind, Leave.cancelled_at.is_(None)).order_by(Leave.id)
                )
            )
            .tuples()
            .all()
        )
    assert rows == [("dinas", False), ("cuti", True)]  # the dinas (listed) was cancelled
    world.clock.set(at(date(2026, 12, 1), 15, 30))
    assert await run_tick(world) == 1  # so Tuesday is a workday again


async def test_admin_local_day_off_and_settings(world: World) -> None:
    admin = await world.add_employee("Rina", roles="staff,admin")
    staff = await world.add_employee("Andi")
    tg_admin, tg_staff = await world.join(admin), await world.join(staff)
    world.clock.set(at(date(2026, 11, 27), 9, 0))
    refused = await world.client.send(tg_staff, "/libur 2 Des Rapat")
    assert "Hanya admin" in texts(refused["replies"])  # staff may only view (QA defect 11)
    ok = await world.client.send(tg_admin, "/libur 2 Des Rapat kerja tahunan")
    assert "Rapat kerja tahunan" in texts(ok["replies"])
    async with world.db.session() as session:
        days = (
            (
                await session.execute(
                    select(Holiday.day, Holiday.kind).where(Holiday.kind == "local")
                )
            )
            .tuples()
            .all()
        )
    assert days == [(date(2026, 12, 2), "local")]
    world.clock.set(at(date(2026, 12, 2), 15, 30))
    assert await run_tick(world) == 0  # the admin has no unit: the day is everyone's

    # /pengaturan: time zone WITA and reminder 16:00; the next reminder follows them
    world.clock.set(at(date(2026, 11, 27), 9, 0))
    shown = await world.client.send(tg_staff, "/pengaturan")
    msg = shown["replies"][0]
    assert "15.30 WIB" in msg["text"]
    await world.client.press(
        tg_staff, msg["message_id"], t("id", "settings.button_zone", zone="WITA")
    )
    pressed = await world.client.press(
        tg_staff, msg["message_id"], t("id", "settings.button_time", time="16.00")
    )
    assert pressed["answer"]["text"] == t("id", "settings.saved")
    chat = {m["message_id"]: m for m in await world.client.chat(tg_staff)}
    assert "16.00 WITA" in chat[msg["message_id"]]["text"]
    async with world.db.session() as session:
        row = await session.get(Employee, staff.id)
        assert (
            row is not None and row.timezone == "Asia/Makassar" and row.reminder_time == time(16, 0)
        )
    world.clock.set(at(date(2026, 12, 3), 15, 59, ZoneInfo("Asia/Makassar")))
    await run_tick(world)
    world.clock.set(at(date(2026, 12, 3), 16, 0, ZoneInfo("Asia/Makassar")))
    await run_tick(world)
    async with world.db.session() as session:
        keys = (
            (await session.execute(select(OutboxMessage.dedupe_key, OutboxMessage.created_at)))
            .tuples()
            .all()
        )
    staff_keys = [(k, c) for k, c in keys if k and k.startswith(f"rem:{staff.id}:")]
    assert staff_keys == [
        (f"rem:{staff.id}:2026-12-03", at(date(2026, 12, 3), 16, 0, ZoneInfo("Asia/Makassar")))
    ]
    # typed time
    other = await world.client.press(
        tg_staff, msg["message_id"], t("id", "settings.button_other_time")
    )
    assert t("id", "settings.ask_time") in htmls(other["replies"])
    bad = await world.client.send(tg_staff, "jam berapa ya")
    assert htmls(bad["replies"]) == t("id", "settings.bad_time")


async def test_admin_sets_the_units_zone_and_sub_units_follow(world: World) -> None:
    from sqlalchemy import update

    from storage.models import Unit

    async with world.db.session() as session:
        parent = Unit(name="Dinas Pendidikan")
        session.add(parent)
        await session.flush()
        child = Unit(name="SD Negeri 1", parent_id=parent.id)
        session.add(child)
        await session.flush()
        parent_id, child_id = parent.id, child.id
    admin = await world.add_employee("Rina", roles="staff,admin")
    teacher = await world.add_employee("Guru")
    async with world.db.session() as session:
        await session.execute(
            update(Employee).where(Employee.id == admin.id).values(unit_id=parent_id)
        )
        await session.execute(
            update(Employee).where(Employee.id == teacher.id).values(unit_id=child_id)
        )
    tg_admin, tg_teacher = await world.join(admin), await world.join(teacher)
    staff_view = (await world.client.send(tg_teacher, "/pengaturan"))["replies"][0]
    assert "Dinas Pendidikan" not in staff_view["text"]  # the unit part is for admins
    forged = await world.client.press(
        tg_teacher, staff_view["message_id"], callback_data="set:utz:WIT"
    )
    assert forged["answer"]["text"] == t("id", "common.not_allowed")
    shown = (await world.client.send(tg_admin, "/pengaturan"))["replies"][0]
    assert "Dinas Pendidikan" in shown["text"]
    await world.client.press(
        tg_admin, shown["message_id"], t("id", "settings.button_unit_zone", zone="WITA")
    )
    await world.client.press(
        tg_admin, shown["message_id"], t("id", "settings.button_unit_time", time="15.00")
    )
    # the teacher (default zone, sub-unit) now gets the reminder at 15:00 WITA
    wita = ZoneInfo("Asia/Makassar")
    world.clock.set(at(date(2026, 12, 1), 14, 59, wita))
    assert await run_tick(world) == 0
    world.clock.set(at(date(2026, 12, 1), 15, 0, wita))
    assert await run_tick(world) == 2  # the admin's own unit too
    replies = (await world.client.send(tg_teacher, "/pengaturan"))["replies"]
    teacher_view = next(
        r for r in replies if r["text"].startswith("Pengaturan")
    )  # not the reminder
    assert "15.00 WITA" in teacher_view["text"]


async def test_libur_for_a_unit_chosen_by_name_or_path(world: World) -> None:
    """An admin's /libur is for their own unit by default; '; <unit name or path>' picks a
    unit at or below theirs (a unit elsewhere, an unknown or ambiguous name: refused, nothing
    saved); only those in that unit are spared the reminder."""
    async with world.db.session() as session:
        dinas = Unit(name="Dinas Pendidikan")
        other = Unit(name="Dinas Kesehatan")
        session.add_all([dinas, other])
        await session.flush()
        sd1 = Unit(name="SD Negeri 1", parent_id=dinas.id)
        sd2 = Unit(name="SD Negeri 2", parent_id=dinas.id)
        pkm = Unit(name="SD Negeri 1", parent_id=other.id)  # same name, another tree
        session.add_all([sd1, sd2, pkm])
        await session.flush()
        ids = {"dinas": dinas.id, "other": other.id, "sd1": sd1.id, "sd2": sd2.id}
    admin = await world.add_employee("Rina", roles="staff,admin")
    guru1 = await world.add_employee("Guru Satu")
    guru2 = await world.add_employee("Guru Dua")
    async with world.db.session() as session:
        for emp, unit in ((admin, "dinas"), (guru1, "sd1"), (guru2, "sd2")):
            await session.execute(
                update(Employee).where(Employee.id == emp.id).values(unit_id=ids[unit])
            )
    tg_admin = await world.join(admin)
    await world.join(guru1)
    await world.join(guru2)
    world.clock.set(at(date(2026, 11, 27), 9, 0))

    async def said(text: str) -> str:
        return htmls((await world.client.send(tg_admin, text))["replies"])

    assert await said("/libur 3 Des HUT; Dinas Kesehatan") == t(
        "id", "calendar.error_unit_not_allowed"
    )
    assert await said("/libur 3 Des HUT; SD Negeri 9") == t(
        "id", "calendar.error_unknown_unit", unit="SD Negeri 9"
    )
    assert await said("/libur 3 Des HUT; semua") == t("id", "calendar.error_unit_not_allowed")
    # "SD Negeri 1" names two units, but only one is below the admin's: that one.
    saved = await said("/libur 2 Des HUT Sekolah; sd negeri  1")
    assert "Dinas Pendidikan &gt; SD Negeri 1" in saved
    saved = await said("/libur 3 Des Rapat dinas")  # no unit: the admin's own
    assert "Dinas Pendidikan" in saved
    async with world.db.session() as session:
        days = (
            (
                await session.execute(
                    select(Holiday.day, Holiday.unit_id)
                    .where(Holiday.kind == "local")
                    .order_by(Holiday.day)
                )
            )
            .tuples()
            .all()
        )
    assert days == [(date(2026, 12, 2), ids["sd1"]), (date(2026, 12, 3), ids["dinas"])]
    world.clock.set(at(date(2026, 12, 2), 15, 30))
    assert await run_tick(world) == 2  # the admin and Guru Dua; Guru Satu's school is off
    world.clock.set(at(date(2026, 12, 3), 15, 30))
    assert await run_tick(world) == 0  # the whole Dinas Pendidikan tree is off


async def test_own_time_zone_overrides_the_units_even_wib(world: World) -> None:
    """A teacher of a WITA unit follows it (reminder 15:30 WITA); choosing WIB in
    /pengaturan is her own choice even though WIB is the default (15:30 WIB); 'follow my
    unit' brings WITA back."""
    async with world.db.session() as session:
        unit = Unit(name="SD Negeri Makassar", timezone="Asia/Makassar")
        session.add(unit)
        await session.flush()
        unit_id = unit.id
    teacher = await world.add_employee("Guru")
    async with world.db.session() as session:
        await session.execute(
            update(Employee).where(Employee.id == teacher.id).values(unit_id=unit_id)
        )
    tg = await world.join(teacher)
    world.clock.set(at(date(2026, 11, 27), 9, 0))
    msg = (await world.client.send(tg, "/pengaturan"))["replies"][0]
    assert "15.30 WITA" in msg["text"] and t("id", "settings.zone_unit").strip() in msg["text"]
    assert t("id", "settings.button_zone_unit") not in buttons(msg)  # already the unit's
    wita = ZoneInfo("Asia/Makassar")
    world.clock.set(at(TUESDAY, 15, 30, wita))
    assert await run_tick(world) == 1  # 15:30 WITA = 14:30 WIB

    await world.client.press(tg, msg["message_id"], t("id", "settings.button_zone", zone="WIB"))
    screen = {m["message_id"]: m for m in await world.client.chat(tg)}[msg["message_id"]]
    assert "15.30 WIB" in screen["text"] and t("id", "settings.zone_own").strip() in screen["text"]
    async with world.db.session() as session:
        assert (await session.get(Employee, teacher.id)).timezone == "Asia/Jakarta"  # type: ignore[union-attr]
    wednesday = date(2026, 12, 2)
    world.clock.set(at(wednesday, 15, 30, wita))
    assert await run_tick(world) == 0  # 14:30 WIB: not yet
    world.clock.set(at(wednesday, 15, 30))
    assert await run_tick(world) == 1

    await world.client.press(tg, msg["message_id"], t("id", "settings.button_zone_unit"))
    screen = {m["message_id"]: m for m in await world.client.chat(tg)}[msg["message_id"]]
    assert "15.30 WITA" in screen["text"]
    async with world.db.session() as session:
        assert (await session.get(Employee, teacher.id)).timezone is None  # type: ignore[union-attr]
