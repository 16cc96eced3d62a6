"""Broadcasts and deadlines through the sandbox: compose, preview, confirm, progress, stop,
bad input, faults; and the `kinerja-bot broadcast` / `remind --dry-run` command lines."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time as wall
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from bot.broadcast import recipient_text
from bot.i18n import t
from bot.outbox import BLOCKED
from bot.outbox_sender import MAYBE_SENT
from bot.scheduler import tick
from storage.models import Broadcast, Employee, OutboxMessage, Unit
from tests.e2e.conftest import World, texts

ROOT = Path(__file__).resolve().parents[2]
WIB = ZoneInfo("Asia/Jakarta")


def at(day: date, hh: int, mm: int) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=WIB).astimezone(UTC)


def htmls(replies: list[dict[str, Any]]) -> str:
    return "\n---\n".join(str(r.get("html", r.get("text", ""))) for r in replies)


async def staff(world: World, n: int, *, supervisor: Employee | None = None) -> list[int]:
    """n linked staff whose Telegram users have started the bot (no /start round trips)."""
    ids = []
    for k in range(n):
        emp = await world.add_employee(f"Staf {k}", supervisor=supervisor)
        tg = 600_000 + emp.id
        async with world.db.session() as session:
            await session.execute(
                update(Employee).where(Employee.id == emp.id).values(telegram_user_id=tg)
            )
        world.sandbox.state.upsert_user(tg, f"S{k}").started = True
        ids.append(tg)
    return ids


async def settled(world: World, within: float = 30) -> list[OutboxMessage]:
    deadline = wall.monotonic() + within
    while True:
        async with world.db.session() as session:
            rows = list((await session.execute(select(OutboxMessage))).scalars())
        if rows and all(r.status in ("sent", "failed", "cancelled") for r in rows):
            return rows
        assert wall.monotonic() < deadline, [(r.id, r.status) for r in rows]
        await asyncio.sleep(0.05)


async def missed_block(world: World, tg: int) -> None:
    """Wait for the my_chat_member update to be handled, then undo what it recorded."""
    for _ in range(100):
        async with world.db.session() as session:
            marked = (
                await session.execute(
                    select(Employee.blocked_bot_at).where(Employee.telegram_user_id == tg)
                )
            ).scalar_one_or_none()
            if marked is not None:
                await session.execute(
                    update(Employee)
                    .where(Employee.telegram_user_id == tg)
                    .values(blocked_bot_at=None)
                )
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the block was never recorded")


async def message(world: World, tg: int, message_id: int) -> dict[str, Any]:
    return {m["message_id"]: m for m in await world.client.chat(tg)}[message_id]


async def test_compose_preview_confirm_and_progress_under_faults(world: World) -> None:
    """20% injected 429/500/502 and 20% timeouts on sendMessage (carried out by the sandbox,
    answered after the bot's read timeout): every message arrives; a chat gets a second
    copy only when its send timed out after delivery and the outbox tried once more (by
    design, docs/reliability.md), so duplicates <= timeouts injected and <= 1 per chat."""
    # A 1 s read timeout, so a held answer (2 s) is a timeout without a slow test.
    await world.stop_bot()
    world.settings = world.settings.model_copy(update={"telegram_read_timeout": 1.0})
    await world.start_bot()
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg_admin = await world.join(admin)
    n = 30
    users = await staff(world, n)
    body = "Apel pagi <wajib> besok & bawa laptop"

    asked = await world.client.send(tg_admin, "/broadcast")
    assert texts(asked["replies"]) == t("id", "broadcast.ask_text")
    audience = await world.client.send(tg_admin, body)
    choose = audience["replies"][-1]
    assert choose["text"] == t("id", "broadcast.ask_audience")
    when = await world.client.press(tg_admin, choose["message_id"], t("id", "broadcast.aud_all"))
    assert (await message(world, tg_admin, choose["message_id"]))["html"] == t(
        "id", "broadcast.ask_when", count=n + 1
    )
    preview = await world.client.press(
        tg_admin, choose["message_id"], t("id", "broadcast.button_now")
    )
    shown = preview["replies"]
    assert when["answer"] is not None
    intro = [m for m in shown if m["text"] == t("id", "broadcast.preview_intro")]
    assert intro, texts(shown)
    exact = shown[shown.index(intro[0]) + 1]
    assert exact["html"] == recipient_text(body) and exact["text"] == body
    confirm = shown[-1]
    assert str(n + 1) in confirm["text"] and confirm["buttons"]
    async with world.db.session() as session:
        assert (await session.execute(select(func.count(OutboxMessage.id)))).scalar_one() == 0

    await world.client.block(users[0])  # blocked after the count: counted as blocked
    # Telegram tells the bot with my_chat_member (handlers/membership.py marks the block
    # and broadcasts then leave the person out). Here the bot missed it, as when it was
    # down at that moment, so it learns of the block from the 403.
    await missed_block(world, users[0])
    await world.client.reset()
    await world.client.faults(
        error_rate=0.2,
        codes=[429, 500, 502],
        seed=4,
        timeout_rate=0.2,
        timeout_ms=2000,
        timeout_methods=["sendMessage"],
    )
    await world.client.press(tg_admin, confirm["message_id"], t("id", "broadcast.button_send"))
    rows = await settled(world, within=120)  # a maybe-delivered row waits 2-16 s to retry
    # the status message reaches "finished" through the progress job
    deadline = wall.monotonic() + 20
    while "✅" not in (status := await message(world, tg_admin, confirm["message_id"]))["text"]:
        assert wall.monotonic() < deadline, status
        await asyncio.sleep(0.2)
    stats = await world.client.stats()
    await world.client.faults(error_rate=0.0)
    assert stats["faults_injected"] > 0 and stats["timeouts_injected"] > 0
    blocked = [r for r in rows if (r.last_error or "").startswith(BLOCKED)]
    assert [r.chat_id for r in blocked] == [users[0]]
    others = [r for r in rows if r not in blocked]
    # Sent, or failed only after two timeouts in a row (both carried out: it did arrive).
    unsure = {r.chat_id for r in others if (r.last_error or "").startswith(MAYBE_SENT)}
    assert all(r.status == "sent" or r.chat_id in unsure for r in others)
    sent = sum(r.status == "sent" for r in others)
    assert f"Terkirim {sent}" in status["text"] and "memblokir 1" in status["text"]
    assert status["buttons"] == []
    duplicates = 0
    for tg in [*users[1:], tg_admin]:
        got = [m for m in await world.client.chat(tg) if m["from"] == "bot" and m["text"] == body]
        once = 2 if tg == tg_admin else 1  # the admin also saw the preview
        assert len(got) in (once, once + 1), tg  # every message arrives, at most one extra
        if len(got) > once:
            assert tg in unsure, tg  # an extra copy only after a timed-out send
            duplicates += 1
    # Each maybe-delivered row is tried once more at most: one extra copy per timed-out row.
    assert duplicates <= len(unsure) <= stats["timeouts_injected"]
    assert not [m for m in await world.client.chat(users[0]) if m["text"] == body]


async def test_bad_input_queues_nothing(world: World) -> None:
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg_admin = await world.join(admin)
    staff_tg = (await staff(world, 1))[0]
    async with world.db.session() as session:
        session.add(Unit(name="Unit Kosong"))
    world.clock.set(at(date(2026, 12, 1), 10, 0))

    refused = await world.client.send(staff_tg, "/broadcast halo")
    assert texts(refused["replies"]) == t("id", "common.not_allowed")
    # (over 4096 characters cannot come through the chat: Telegram stops it; see the CLI test)

    choose = (await world.client.send(tg_admin, "/broadcast Rapat jam 13"))["replies"][-1]
    empty = await world.client.press(
        tg_admin, choose["message_id"], t("id", "broadcast.aud_unit", unit="Unit Kosong")
    )
    assert htmls(empty["replies"]) == t("id", "broadcast.error_empty_audience")

    choose = (await world.client.send(tg_admin, "/broadcast Rapat jam 13"))["replies"][-1]
    await world.client.press(tg_admin, choose["message_id"], t("id", "broadcast.aud_atasan"))
    assert (await message(world, tg_admin, choose["message_id"]))["html"] == t(
        "id", "broadcast.error_empty_audience"
    )  # nobody has staff under them

    choose = (await world.client.send(tg_admin, "/broadcast Rapat jam 13"))["replies"][-1]
    await world.client.press(tg_admin, choose["message_id"], t("id", "broadcast.aud_all"))
    past = await world.client.send(tg_admin, "08.00")
    assert htmls(past["replies"]) == t("id", "broadcast.error_past")
    garbled = await world.client.send(tg_admin, "nanti sore saja")
    assert htmls(garbled["replies"]) == t("id", "broadcast.error_when")
    # a forged "send" without a composed draft
    stale = await world.client.press(tg_admin, choose["message_id"], callback_data="bc:stop:999")
    assert stale["answer"]["text"] == t("id", "broadcast.nothing_to_stop")
    async with world.db.session() as session:
        assert (await session.execute(select(func.count(Broadcast.id)))).scalar_one() == 0
        assert (await session.execute(select(func.count(OutboxMessage.id)))).scalar_one() == 0


async def test_scheduled_broadcast_waits_for_its_time_and_can_be_stopped(world: World) -> None:
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg_admin = await world.join(admin)
    await staff(world, 3)
    world.clock.set(at(date(2026, 12, 1), 10, 0))
    choose = (await world.client.send(tg_admin, "/broadcast Libur besok"))["replies"][-1]
    await world.client.press(tg_admin, choose["message_id"], t("id", "broadcast.aud_all"))
    shown = (await world.client.send(tg_admin, "besok 08.00"))["replies"]
    confirm = shown[-1]
    assert "2 Des 2026 08.00" in confirm["text"], confirm
    await world.client.press(tg_admin, confirm["message_id"], t("id", "broadcast.button_send"))
    status = await message(world, tg_admin, confirm["message_id"])
    assert status["buttons"][0][0]["text"] == t("id", "broadcast.button_stop")
    world.clock.set(at(date(2026, 12, 2), 7, 59))
    assert (await tick(world.db, world.settings, world.clock)).broadcasts == 0
    stop = await world.client.press(
        tg_admin, confirm["message_id"], t("id", "broadcast.button_stop")
    )
    assert stop["answer"]["text"] == t("id", "broadcast.stopped")
    world.clock.set(at(date(2026, 12, 2), 8, 0))
    assert (await tick(world.db, world.settings, world.clock)).broadcasts == 0
    again = await world.client.press(tg_admin, confirm["message_id"], callback_data="bc:stop:1")
    assert again["answer"]["text"] == t("id", "broadcast.nothing_to_stop")


async def test_stop_mid_send_cancels_what_is_not_yet_sent(world: World) -> None:
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg_admin = await world.join(admin)
    await staff(world, 5)
    assert world.runtime is not None and world.runtime.sender is not None
    await world.runtime.sender.stop()  # nothing leaves until we say so
    world.runtime.sender = None
    choose = (await world.client.send(tg_admin, "/broadcast Cek email"))["replies"][-1]
    await world.client.press(tg_admin, choose["message_id"], t("id", "broadcast.aud_all"))
    confirm = (
        await world.client.press(tg_admin, choose["message_id"], t("id", "broadcast.button_now"))
    )["replies"][-1]
    await world.client.press(tg_admin, confirm["message_id"], t("id", "broadcast.button_send"))
    await world.client.press(tg_admin, confirm["message_id"], t("id", "broadcast.button_stop"))
    status = await message(world, tg_admin, confirm["message_id"])
    assert "⛔" in status["text"] and "6" in status["text"], status
    async with world.db.session() as session:
        states = list((await session.execute(select(OutboxMessage.status))).scalars())
    assert states == ["cancelled"] * 6


async def save(world: World, tg: int, proposal: dict[str, Any]) -> dict[str, Any]:
    """Press ✅ Simpan under a proposed deadline; the edited message as the only reply."""
    await world.client.press(tg, proposal["message_id"], t("id", "deadline.button_save"))
    return {"replies": [await message(world, tg, proposal["message_id"])]}


async def test_deadline_reminders_siap_and_who_did_not(world: World) -> None:
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg_admin = await world.join(admin)
    a, b = await staff(world, 2)
    world.clock.set(at(date(2026, 11, 27), 7, 0))  # Friday; due Friday 4 Dec = H-7
    proposed = await world.client.send(tg_admin, "/deadline 4 Des; Unggah SKP tahunan")
    assert (await tick(world.db, world.settings, world.clock)).deadlines == 0  # not saved yet
    saved = await save(world, tg_admin, proposed["replies"][-1])
    assert "Unggah SKP tahunan" in texts(saved["replies"]) and "3 penerima" in texts(
        saved["replies"]
    )
    assert (await tick(world.db, world.settings, world.clock)).deadlines == 0  # before 08:00
    world.clock.set(at(date(2026, 11, 27), 8, 0))
    assert (await tick(world.db, world.settings, world.clock)).deadlines == 3
    assert (await tick(world.db, world.settings, world.clock)).deadlines == 0  # once a day
    assert world.runtime is not None
    world.runtime.ctx.poke_outbox()
    await settled(world)
    note = [m for m in await world.client.chat(a) if m["from"] == "bot"][-1]
    assert "Unggah SKP tahunan" in note["text"] and "7 hari lagi" in note["text"]
    ok = await world.client.press(a, note["message_id"], t("id", "deadline.button_ready"))
    assert ok["answer"]["text"] == t("id", "deadline.acked")
    again = await world.client.press(
        a, note["message_id"], callback_data=note["buttons"][0][0]["callback_data"]
    )
    assert again["answer"]["text"] == t("id", "deadline.already")

    listing = await world.client.send(tg_admin, "/deadline")
    assert "1/3" in texts(listing["replies"])
    who_msg = next(m for m in listing["replies"] if m.get("buttons"))
    who = await world.client.press(
        tg_admin, who_msg["message_id"], who_msg["buttons"][0][0]["text"]
    )
    names = texts(who["replies"])
    assert "Rina" in names and "Staf 1" in names and "Staf 0" not in names
    forged = await world.client.press(
        b,
        [m for m in await world.client.chat(b) if m["from"] == "bot"][-1]["message_id"],
        callback_data=who_msg["buttons"][0][0]["callback_data"],
    )
    assert forged["answer"]["text"] == t("id", "common.not_allowed")
    # H-3 (Tuesday 1 Dec): only those not ready yet
    world.clock.set(at(date(2026, 12, 1), 8, 5))
    assert (await tick(world.db, world.settings, world.clock)).deadlines == 2
    await settled(world)  # the admin is one of the two: their reminder is not the answer
    bad = await world.client.send(tg_admin, "/deadline 1 Nov; Sudah lewat")
    assert htmls(bad["replies"]) == t("id", "deadline.error_past")


async def test_only_the_audience_can_press_siap(world: World) -> None:
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg_admin = await world.join(admin)
    boss = await world.add_employee("Bambang", roles="staff,supervisor")
    (tg_staff,) = await staff(world, 1, supervisor=boss)
    await world.join(boss)
    world.clock.set(at(date(2026, 11, 27), 7, 0))
    proposed = await world.client.send(tg_admin, "/deadline 4 Des; Rapat pimpinan; atasan")
    saved = await save(world, tg_admin, proposed["replies"][-1])
    assert "1 penerima" in texts(saved["replies"])  # Bambang only
    own = (await world.client.send(tg_staff, "/pengaturan"))["replies"][0]
    forged = await world.client.press(tg_staff, own["message_id"], callback_data="dl:ok:1")
    assert forged["answer"]["text"] == t("id", "common.not_allowed")


def cli(world: World, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env["DATABASE_URL"] = world.db.url
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_command_lines_broadcast_preview_and_remind_dry_run(world: World) -> None:
    boss = await world.add_employee("Bambang", roles="staff,supervisor")
    await staff(world, 2, supervisor=boss)
    await world.join(boss)
    unlinked = await world.add_employee("Tanpa Telegram")
    preview = await asyncio.to_thread(
        cli, world, "broadcast", "--text", "Rapat <b>", "--audience", "atasan"
    )
    assert preview.returncode == 0, preview.stderr
    assert "1 recipients (atasan)" in preview.stdout and "Rapat &lt;b&gt;" in preview.stdout
    too_long = await asyncio.to_thread(cli, world, "broadcast", "--text", "x" * 5000, "--yes")
    assert too_long.returncode == 2 and "too_long" in too_long.stderr
    async with world.db.session() as session:
        assert (await session.execute(select(func.count(OutboxMessage.id)))).scalar_one() == 0

    dry = await asyncio.to_thread(
        cli, world, "remind", "--dry-run", "--json", "--at", "2026-12-25T08:30:00Z"
    )
    lines = [json.loads(line) for line in dry.stdout.splitlines()]
    assert len(lines) == 4 and {x["reason"] for x in lines} == {"holiday: Hari Raya Natal"}
    assert set(lines[0]) == {"nip", "name", "remind", "reason"}
    dry = await asyncio.to_thread(
        cli, world, "remind", "--dry-run", "--json", "--at", "2026-12-01T08:30:00Z"
    )
    by_name = {x["name"]: x for x in map(json.loads, dry.stdout.splitlines())}
    assert by_name["Bambang"] == {**by_name["Bambang"], "remind": True, "reason": None}
    assert by_name["Tanpa Telegram"]["reason"] == "not_linked" and unlinked
    assert {by_name["Staf 0"]["reason"], by_name["Staf 1"]["reason"]} == {None}
    plain = await asyncio.to_thread(
        cli, world, "remind", "--dry-run", "--at", "2026-12-05T08:30:00Z"
    )
    assert plain.stdout.count("weekend") == 4
    async with world.db.session() as session:
        assert (await session.execute(select(func.count(OutboxMessage.id)))).scalar_one() == 0


async def test_broadcast_with_a_document_under_faults(world: World) -> None:
    """A document (its caption the text, HTML-escaped) goes out by file_id with sendDocument,
    previewed exactly as sent; a caption over 1,024 characters queues nothing."""
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg_admin = await world.join(admin)
    users = await staff(world, 8)
    caption = "Surat edaran <penting> & jadwal apel"
    pdf = b"%PDF-1.4 surat edaran\n"

    await world.client.send(tg_admin, "/broadcast")
    too_long = await world.client.send_document(tg_admin, "edaran.pdf", pdf, caption="x" * 1025)
    assert texts(too_long["replies"]) == t("id", "broadcast.error_caption_too_long", length=1025)
    # One step: a document whose caption starts with /broadcast.
    chosen = await world.client.send_document(
        tg_admin, "edaran.pdf", pdf, caption=f"/broadcast {caption}"
    )
    choose = chosen["replies"][-1]
    assert choose["text"] == t("id", "broadcast.ask_audience")
    await world.client.press(tg_admin, choose["message_id"], t("id", "broadcast.aud_all"))
    preview = await world.client.press(
        tg_admin, choose["message_id"], t("id", "broadcast.button_now")
    )
    shown = preview["replies"]
    intro = next(m for m in shown if m["text"] == t("id", "broadcast.preview_intro"))
    exact = shown[shown.index(intro) + 1]
    assert exact["document"]["file_name"] == "edaran.pdf"
    assert exact["html"] == recipient_text(caption) and exact["text"] == caption
    file_id = exact["document"]["file_id"]
    async with world.db.session() as session:
        assert (await session.execute(select(func.count(OutboxMessage.id)))).scalar_one() == 0

    await world.client.reset()
    await world.client.faults(error_rate=0.2, codes=[429, 500, 502], seed=7)
    confirm = shown[-1]
    await world.client.press(tg_admin, confirm["message_id"], t("id", "broadcast.button_send"))
    rows = await settled(world)
    await world.client.faults(error_rate=0.0)
    assert [r.status for r in rows] == ["sent"] * 9
    assert {r.method for r in rows} == {"sendDocument"}
    async with world.db.session() as session:
        stored = (await session.execute(select(Broadcast))).scalar_one()
    assert (stored.document_file_id, stored.text) == (file_id, caption)
    for tg in [*users, tg_admin]:
        docs = [m for m in await world.client.chat(tg) if m["from"] == "bot" and m.get("document")]
        sent = [m for m in docs if m["text"] == caption]
        # the admin also saw the preview; each got the same file, once
        assert len(sent) == (2 if tg == tg_admin else 1), (tg, docs)
        assert all(m["document"]["file_id"] == file_id for m in sent)
        assert sent[-1]["html"] == recipient_text(caption)
