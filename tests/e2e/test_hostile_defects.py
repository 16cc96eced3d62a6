"""Issue 8 (hostile input and faults), one test per defect, end to end through the sandbox.

The table-driven sweep over many inputs is tests/e2e/test_hostile.py; these pin each
defect's exact story.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Activity, Employee, OutboxMessage
from tests.e2e.conftest import World, buttons, texts


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.exc_info is not None
    ]


# --- defect 2: control characters --------------------------------------------------------


async def test_nul_in_typed_text_is_stripped_before_it_reaches_the_database(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Defect 2: U+0000 in a typed answer (here the admin's new position) was stored as is;
    PostgreSQL refused it (CharacterNotInRepertoireError) and the user got the apology."""
    admin = await world.add_employee("Rina Admin", roles="staff,admin")
    siti = await world.add_employee("Siti")
    tg = await world.join(admin)
    menu = (await world.client.send(tg, "/admin"))["replies"][0]
    asked = await world.client.press(tg, menu["message_id"], callback_data=f"adm:pos:{siti.id}")
    assert asked["answer"] is not None
    done = await world.client.send(tg, "Guru\x00 Ahli\x01 Madya\x1b")
    assert "kesalahan" not in texts(done["replies"])
    async with world.db.session() as session:
        row = await session.get(Employee, siti.id)
        assert row is not None and row.position == "Guru Ahli Madya"
    assert tracebacks(caplog) == []


async def test_nul_everywhere_in_an_update_is_removed_in_one_place() -> None:
    """Defect 2: the guard cleans every string of an update (text, caption, file name,
    names), keeps tab and newline, and leaves callback data to the codecs."""
    from telegram import Update

    from bot.guards import clean_update, strip_controls

    assert strip_controls("a\x00b\tc\r\nd\re\x7f") == "ab\tc\nd\ne\x7f"
    raw = {
        "update_id": 1,
        "message": {
            "message_id": 2,
            "date": 0,
            "chat": {"id": 3, "type": "private", "first_name": "A\x00"},
            "from": {"id": 3, "is_bot": False, "first_name": "Si\x00ti"},
            "caption": "bukti\x00 kegiatan\x08",
            "document": {"file_id": "f", "file_unique_id": "u", "file_name": "a\x00.csv"},
            "reply_to_message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 3, "type": "private"},
                "text": "x\x00y",
            },
        },
    }
    update = Update.de_json(raw, None)
    assert clean_update(update) == 5
    message = update.message
    assert message is not None and message.document is not None
    assert message.caption == "bukti kegiatan"
    assert message.document.file_name == "a.csv"
    assert message.from_user is not None and message.from_user.first_name == "Siti"
    assert message.reply_to_message is not None and message.reply_to_message.text == "xy"
    press = Update.de_json(
        {
            "update_id": 2,
            "callback_query": {
                "id": "q",
                "chat_instance": "c",
                "from": {"id": 3, "is_bot": False, "first_name": "A"},
                "data": "\x00\x01",
            },
        },
        None,
    )
    assert clean_update(press) == 0
    assert press.callback_query is not None and press.callback_query.data == "\x00\x01"


# --- defect 8: forged callbacks ----------------------------------------------------------


@pytest.mark.parametrize("data", ["zzz", "🙂", "\x00\x01", "r", "adm", "lang:xx", "x:" * 30])
async def test_unknown_or_forged_press_is_answered_once_as_stale(
    world: World, caplog: pytest.LogCaptureFixture, data: str
) -> None:
    """Defect 8: presses no feature knows were never answered (the client spins)."""
    siti = await world.add_employee("Siti")
    tg = await world.join(siti)
    msg = (await world.client.send(tg, "/bantuan"))["replies"][0]
    before = (await world.client.stats())["callback_answers"]
    press = await world.client.press(tg, msg["message_id"], callback_data=data)
    assert press["answer"] is not None
    refusals = ("Tombol ini sudah tidak berlaku.", "Anda tidak berhak melakukan ini.")
    assert press["answer"]["text"] in refusals  # "adm" checks the role first
    assert (await world.client.stats())["callback_answers"] == before + 1
    assert tracebacks(caplog) == []


async def test_a_press_whose_handler_fails_is_answered_once_with_the_apology(
    world: World, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 8: after an exception the error handler answers the press (once), and the
    last group does not answer it a second time ("query is too old")."""
    from handlers import common

    async def broken(press: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setitem(common.language_presses.ops, "", broken)
    siti = await world.add_employee("Siti")
    tg = await world.join(siti)
    msg = (await world.client.send(tg, "/bahasa"))["replies"][0]
    before = (await world.client.stats())["callback_answers"]
    press = await world.client.press(tg, msg["message_id"], callback_data="lang:en")
    assert press["answer"] is not None and "kesalahan" in press["answer"]["text"]
    assert (await world.client.stats())["callback_answers"] == before + 1
    assert not [r for r in caplog.records if "could not answer" in r.getMessage()]


# --- defect 9 and issue 7 defect 7: unknown commands -------------------------------------


@pytest.mark.parametrize("command", ["/rekapan", "/xyz", "/123 rapat 1 jam", "/import", "/Xyz_1"])
async def test_unknown_commands_are_answered(world: World, command: str) -> None:
    siti = await world.add_employee("Siti")
    tg = await world.join(siti)
    result = await world.client.send(tg, command)
    assert "Perintah tidak dikenal" in texts(result["replies"])


async def test_unknown_command_to_this_bot_by_name_is_answered_and_to_another_bot_ignored(
    world: World,
) -> None:
    siti = await world.add_employee("Siti")
    tg = await world.join(siti)
    me = (await world.client.bot())["username"]
    mine = await world.client.send(tg, f"/xyz@{me}")
    assert "Perintah tidak dikenal" in texts(mine["replies"])
    other = await world.client.send(tg, "/lapor@otherbot", wait=1.0)
    assert other["replies"] == []
    other = await world.client.send(tg, "/xyz@otherbot", wait=1.0)
    assert other["replies"] == []


async def test_known_commands_do_not_get_the_unknown_answer(world: World) -> None:
    siti = await world.add_employee("Siti")
    tg = await world.join(siti)
    for command in ("/bantuan", "/bahasa", "/hariini", "/skp", "/lapor", "/BANTUAN", "/start"):
        result = await world.client.send(tg, command)
        assert result["replies"], command
        assert "Perintah tidak dikenal" not in texts(result["replies"]), command


async def test_a_command_registered_later_is_known_without_a_list(world: World) -> None:
    """Features add commands later; "known" is read from the handlers at answer time."""
    from telegram.ext import CommandHandler

    siti = await world.add_employee("Siti")
    tg = await world.join(siti)
    assert "Perintah tidak dikenal" in texts((await world.client.send(tg, "/ringkas"))["replies"])

    async def ringkas(update: object, context: object) -> None:
        from telegram import Update

        assert isinstance(update, Update) and update.effective_message is not None
        await update.effective_message.reply_text("ringkas!")

    assert world.runtime is not None
    world.runtime.app.add_handler(CommandHandler("ringkas", ringkas))
    result = await world.client.send(tg, "/ringkas")
    assert texts(result["replies"]) == "ringkas!"


# --- defect 11: error reports ------------------------------------------------------------


async def test_admin_error_report_names_id_type_handler_and_update_but_no_data(
    world: World, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 11: the admins' error message carried the traceback with SQL parameters."""
    from handlers import common

    secret = "NIP 199001012015011001 Siti Rahmawati"

    async def broken(press: object) -> None:
        raise ValueError(f"[parameters: ('{secret}',)]")

    monkeypatch.setitem(common.language_presses.ops, "", broken)
    admin = await world.add_employee("Rina Admin", roles="staff,admin")
    tg_admin = await world.join(admin)
    siti = await world.add_employee("Siti")
    tg = await world.join(siti)
    msg = (await world.client.send(tg, "/bahasa"))["replies"][0]
    await world.client.press(tg, msg["message_id"], callback_data="lang:en")
    chat = await world.client.chat(tg_admin)
    report = [m for m in chat if m["from"] == "bot" and "Galat" in str(m.get("text"))]
    assert len(report) == 1
    text = str(report[0]["text"])
    assert secret not in text and "Traceback" not in text and "parameters" not in text
    assert "ValueError" in text
    assert "handlers.kit.dispatch" in text  # the innermost handler frame
    assert "callback_query (lang)" in text
    logged = [r for r in caplog.records if r.exc_info is not None]
    assert len(logged) == 1
    error_id = str(logged[0].args[0]) if isinstance(logged[0].args, tuple) else ""
    assert error_id and error_id in text
    assert secret in str(logged[0].exc_info[1])  # full details stay in the log


# --- defect 7: a blocked atasan ----------------------------------------------------------


async def _wait_for(world: World, tg: int, needle: str, seconds: float = 8.0) -> list[str]:
    """Bot messages in `tg`'s chat once one contains `needle` (or after `seconds`)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        said = [str(m.get("text")) for m in await world.client.chat(tg) if m["from"] == "bot"]
        if any(needle in s for s in said) or asyncio.get_running_loop().time() > deadline:
            return said
        await asyncio.sleep(0.2)


async def _submit_one(world: World, tg: int, text: str = "rapat koordinasi 09.00-10.00") -> None:
    first = (await world.client.send(tg, text))["replies"][0]
    step = await world.client.press(tg, first["message_id"], button=buttons(first)[0])
    assert "Ringkasan" in step["replies"][0]["text"], step
    sent = await world.client.press(tg, first["message_id"], button="✅ Kirim")
    assert sent["answer"] is not None


async def test_blocked_atasan_staff_told_the_truth_admin_told_once_unblock_resends(
    world: World,
) -> None:
    """Defect 7: the request to an atasan who blocked the bot failed with 403 while the
    staff member was told it was sent; unblocking re-sent nothing and kept the mark."""
    boss = await world.add_employee("Drs. Bambang", roles="staff,supervisor", skp=["Supervisi"])
    siti = await world.add_employee("Siti", supervisor=boss, skp=["Mengikuti rapat"])
    andi = await world.add_employee("Andi", supervisor=boss, skp=["Mengikuti rapat"])
    admin = await world.add_employee("Rina Admin", roles="staff,admin")
    tg_boss, tg_siti = await world.join(boss), await world.join(siti)
    tg_andi, tg_admin = await world.join(andi), await world.join(admin)
    await world.client.block(tg_boss)

    await _submit_one(world, tg_siti)
    said = await _wait_for(world, tg_siti, "belum sampai")
    assert any("belum sampai" in s and "Drs. Bambang" in s for s in said), said
    await _submit_one(world, tg_andi, "rapat dinas 13.00-14.00")
    assert any("belum sampai" in s for s in await _wait_for(world, tg_andi, "belum sampai"))
    to_admin = await _wait_for(world, tg_admin, "memblokir")
    assert sum("memblokir" in s for s in to_admin) == 1, to_admin  # once, not per request
    async with world.db.session() as session:
        row = await session.get(Employee, boss.id)
        assert row is not None and row.blocked_bot_at is not None

    await world.client.unblock(tg_boss)  # Telegram sends my_chat_member (member)
    got = await _wait_for(world, tg_boss, "Andi")
    assert any("Siti" in s for s in got) and any("Andi" in s for s in got), got
    async with world.db.session() as session:
        row = await session.get(Employee, boss.id)
        assert row is not None and row.blocked_bot_at is None
        failed = (
            await session.execute(select(OutboxMessage).where(OutboxMessage.status == "failed"))
        ).all()
        assert failed == []


# --- defect 12: guessing invite codes ----------------------------------------------------


async def test_guessing_invite_codes_is_stopped_with_a_clear_answer(world: World) -> None:
    """Defect 12: 20 wrong codes in a row were all tried (no limit)."""
    from bot.registration import MAX_WRONG_PER_USER

    siti = await world.add_employee("Siti")
    code = await world.invite(siti)
    guesser = await world.new_user()
    answers = [
        texts((await world.client.send(guesser, f"/start AAAAbbbbCCCCdddd{n:06d}"))["replies"])
        for n in range(MAX_WRONG_PER_USER + 3)
    ]
    assert all("tidak dikenal" in a for a in answers[:MAX_WRONG_PER_USER])
    assert all("Terlalu banyak kode" in a and "menit" in a for a in answers[MAX_WRONG_PER_USER:])
    # The right code does not get through either while the limit holds.
    refused = texts((await world.client.send(guesser, f"/start {code}"))["replies"])
    assert "Terlalu banyak kode" in refused
    async with world.db.session() as session:
        row = await session.get(Employee, siti.id)
        assert row is not None and row.telegram_user_id is None
    # Another person is not locked out by someone else's guesses.
    tg = await world.join(siti)
    assert tg != guesser


async def test_staff_submitting_to_an_atasan_known_blocked_is_not_told_it_was_sent(
    world: World,
) -> None:
    boss = await world.add_employee("Drs. Bambang", roles="staff,supervisor", skp=["Supervisi"])
    siti = await world.add_employee("Siti", supervisor=boss, skp=["Mengikuti rapat"])
    tg_boss, tg_siti = await world.join(boss), await world.join(siti)
    await world.client.block(tg_boss)
    await asyncio.sleep(0.5)  # the my_chat_member update marks the block
    first = (await world.client.send(tg_siti, "rapat koordinasi 09.00-10.00"))["replies"][0]
    await world.client.press(tg_siti, first["message_id"], button=buttons(first)[0])
    sent = await world.client.press(tg_siti, first["message_id"], button="✅ Kirim")
    text = texts(sent["replies"])
    assert "memblokir" in text and "untuk disetujui" not in text


# --- defect 5: the confirmation lost in a crash ------------------------------------------


async def test_press_on_a_draft_already_sent_says_when_and_shows_the_sent_state(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 5: the submission committed, the message was never edited (crash), and
    pressing ✅ Kirim again said "Tombol ini sudah tidak berlaku"."""
    from bot import report_text

    boss = await world.add_employee("Drs. Bambang", roles="staff,supervisor", skp=["Supervisi"])
    siti = await world.add_employee("Siti", supervisor=boss, skp=["Mengikuti rapat"])
    await world.join(boss)
    tg = await world.join(siti)
    first = (await world.client.send(tg, "rapat koordinasi 09.00-10.00"))["replies"][0]
    await world.client.press(tg, first["message_id"], button=buttons(first)[0])
    real = report_text.submitted_text
    monkeypatch.setattr(report_text, "submitted_text", _crash_once(real))
    crashed = await world.client.press(tg, first["message_id"], button="✅ Kirim")
    assert crashed["answer"] is not None
    summary = [m for m in await world.client.chat(tg) if m["message_id"] == first["message_id"]]
    assert "✅ Kirim" in buttons(summary[0])  # the message still offers Kirim

    again = await world.client.press(tg, first["message_id"], button="✅ Kirim")
    assert again["answer"] is not None
    assert str(again["answer"]["text"]).startswith("Sudah terkirim pada ")
    shown = [m for m in await world.client.chat(tg) if m["message_id"] == first["message_id"]]
    assert buttons(shown[0]) == []
    assert "Dikirim ke Drs. Bambang untuk disetujui" in str(shown[0]["text"])
    async with world.db.session() as session:
        n = len((await session.execute(select(Activity))).all())
    assert n == 1  # stored once


def _crash_once(real: Any) -> Any:
    calls = {"n": 0}

    def fake(*args: Any, **kwargs: Any) -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("process died here")
        return str(real(*args, **kwargs))

    return fake


# --- defect 4: text resent after a crash ---------------------------------------------------


async def _draft_activities(world: World, employee_id: int) -> list[str]:
    from bot.reporting import load_draft

    async with world.db.session() as session:
        _, draft = await load_draft(session, employee_id)
    return [a.description for a in draft.activities] if draft else []


async def test_an_activity_typed_again_is_asked_about_not_added(world: World) -> None:
    """Defect 4: the user resent their text (no reply came) and the draft held every
    activity twice."""
    siti = await world.add_employee("Siti", skp=["Mengikuti rapat", "Menyusun modul"])
    tg = await world.join(siti)
    await world.client.send(tg, "rapat koordinasi 1 jam\nmenyusun modul ajar 2 jam")
    again = await world.client.send(tg, "rapat koordinasi 1 jam\nmenyusun modul ajar 2 jam")
    reply = again["replies"][-1]
    assert "Sudah ada di draf" in str(reply["text"])
    assert "➕ Tetap tambahkan lagi" in buttons(reply)
    assert len(await _draft_activities(world, siti.id)) == 2
    # Different duration or text is a different activity.
    await world.client.send(tg, "rapat koordinasi 2 jam")
    assert len(await _draft_activities(world, siti.id)) == 3
    # Asked, the user says it really happened twice.
    more = await world.client.send(tg, "menyusun modul ajar 2 jam")
    press = await world.client.press(
        tg, more["replies"][-1]["message_id"], button="➕ Tetap tambahkan lagi"
    )
    assert press["answer"] is not None
    assert len(await _draft_activities(world, siti.id)) == 4


def _message_update(update_id: int, tg: int, text: str) -> dict[str, object]:
    user = {"id": tg, "is_bot": False, "first_name": "Siti", "language_code": "id"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 900_000 + update_id % 1000,
            "date": 1_700_000_000,
            "chat": {"id": tg, "type": "private", "first_name": "Siti"},
            "from": user,
            "text": text,
        },
    }


async def test_redelivered_update_that_died_before_its_reply_is_answered_once(
    world: World,
) -> None:
    """Defect 4: the process saved the draft and died before replying; the redelivered
    update was skipped in silence (so the user typed it again and got it twice)."""
    from bot.reporting import report_from_text
    from storage.models import ProcessedUpdate

    siti = await world.add_employee("Siti", skp=["Mengikuti rapat"])
    tg = await world.join(siti)
    update_id = 777_000_001
    # The first process: claimed the update, stored the activity, died before replying.
    async with world.db.session() as session:
        session.add(ProcessedUpdate(update_id=update_id, processed_at=world.clock.now()))
        employee = await session.get(Employee, siti.id)
        assert employee is not None
        await report_from_text(session, employee, "rapat koordinasi 1 jam", world.clock.now())
    before = len(await world.client.chat(tg))

    assert world.runtime is not None
    await world.runtime.process_update_json(
        _message_update(update_id, tg, "rapat koordinasi 1 jam")
    )
    chat = await world.client.chat(tg)
    new = [m for m in chat[before:] if m["from"] == "bot"]
    assert len(new) == 1, new  # the user hears the current state
    assert "rapat koordinasi" in str(new[0]["text"]).lower()
    assert "sudah saya catat sebelum bot sempat membalas" in str(new[0]["text"])
    assert "➕ Tetap tambahkan lagi" not in buttons(new[0])  # the same message, not a repeat
    assert len(await _draft_activities(world, siti.id)) == 1  # not doubled

    # Handled to the end now: another redelivery is skipped.
    await world.runtime.process_update_json(
        _message_update(update_id, tg, "rapat koordinasi 1 jam")
    )
    assert len(await world.client.chat(tg)) == len(chat)
