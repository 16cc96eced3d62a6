"""Faults through the sandbox: a slow Telegram, a failing start-up (issues 7 and 8).

Each test drives the real bot over HTTP with the sandbox's fault injection on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from storage.models import OutboxMessage
from tests.e2e.conftest import World, buttons

LATENCY_MS = 5600  # the hostile run's figure: every Bot API call took 5.6 s


async def _summary(world: World) -> tuple[int, int, int]:
    """Siti has a one-activity draft at its summary; returns (tg_siti, tg_boss, message_id)."""
    boss = await world.add_employee("Drs. Bambang", roles="staff,supervisor", skp=["Supervisi"])
    siti = await world.add_employee(
        "Siti Rahmawati", supervisor=boss, skp=["Mengikuti rapat dan koordinasi sekolah"]
    )
    tg_boss = await world.join(boss)
    tg = await world.join(siti)
    q = (await world.client.send(tg, "rapat koordinasi persiapan ANBK 1 jam"))["replies"][0]
    choice = next(b for b in buttons(q) if b.startswith("1. Mengikuti"))
    summary = (await world.client.press(tg, q["message_id"], button=choice))["replies"][0]
    assert "✅ Kirim" in buttons(summary)
    return tg, tg_boss, summary["message_id"]


async def test_a_slow_telegram_turns_one_press_into_one_reply_and_one_request(
    world: World,
) -> None:
    tg, tg_boss, mid = await _summary(world)
    await world.client.reset()  # counters from here on
    await world.client.faults(latency_ms=LATENCY_MS)  # every method, getUpdates included
    try:
        await world.client.press(tg, mid, button="✅ Kirim", wait=60)
        deadline = time.monotonic() + 120
        while True:
            async with world.db.session() as session:
                rows = list((await session.execute(select(OutboxMessage))).scalars())
            boss_texts = [m["text"] for m in await world.client.chat(tg_boss)]
            staff = [m["text"] for m in await world.client.chat(tg) if m["from"] == "bot"]
            done = any("terkirim" in t for t in staff)
            if rows and all(r.status == "sent" for r in rows) and done:
                break
            assert time.monotonic() < deadline, (rows, staff)
            await asyncio.sleep(0.5)
        # Anything repeated would arrive within two more slow round trips.
        await asyncio.sleep(2.5 * LATENCY_MS / 1000)
    finally:
        await world.client.faults()
    boss_texts = [m["text"] for m in await world.client.chat(tg_boss)]
    assert sum("Laporan dari Siti" in t for t in boss_texts) == 1, boss_texts
    staff = [m["text"] for m in await world.client.chat(tg) if m["from"] == "bot"]
    assert sum("Laporan terkirim" in t for t in staff) == 1, staff
    assert not any("Maaf" in t for t in staff), staff  # no apology for a slow network
    stats = await world.client.stats()
    # Every sendMessage request the bot made created exactly one message: none was re-sent.
    assert stats["methods"].get("sendMessage", 0) == stats["sent_messages"], stats
    assert stats["methods"].get("answerCallbackQuery", 0) == 1, stats
    async with world.db.session() as session:
        (row,) = (await session.execute(select(OutboxMessage))).scalars()
    assert row.attempts == 1 and row.last_error is None


async def test_a_hanging_set_my_commands_does_not_hold_up_polling(world: World) -> None:
    await world.stop_bot()
    await world.client.reset()
    await world.client.faults(latency_ms=60_000, latency_methods=["setMyCommands"])
    try:
        await asyncio.wait_for(world.start_bot(), 20)
        tg = await world.new_user()
        answer = await world.client.send(tg, "/start", wait=10)
        assert answer["replies"], "the bot did not answer while its menus were being set"
        assert (await world.client.stats())["methods"]["setMyCommands"] == 1
    finally:
        await world.client.faults()


async def test_a_failing_set_my_commands_is_one_warning_line(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await world.stop_bot()
    await world.client.reset()
    await world.client.faults(error_rate=1.0, codes=[500], methods=["setMyCommands"])
    try:
        with caplog.at_level(logging.WARNING):
            runtime = await asyncio.wait_for(world.start_bot(), 20)
            assert runtime.menus_task is not None
            await asyncio.wait_for(runtime.menus_task, 20)
        tg = await world.new_user()
        assert (await world.client.send(tg, "/start", wait=10))["replies"]
    finally:
        await world.client.faults()
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert "setMyCommands" in lines[0].getMessage() and lines[0].exc_info is None
    assert (await world.client.stats())["methods"]["setMyCommands"] == 1


def _lines_until(proc: subprocess.Popen[str], marker: str, within: float = 60) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if marker in line:
            return line
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"no line with {marker!r}")


def test_kill_9_the_bot_not_the_sandbox_and_the_chat_goes_on(tmp_path: Path) -> None:
    """The kill-test set-up of docs/reliability.md: `python -m bot.sandbox` + `kinerja-bot run`.

    The sandbox keeps the chats and the undelivered updates while the bot is killed with
    SIGKILL and started again; the draft is in the database, so the old buttons still work.
    """
    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the bot process uses its own SQLite file")
    sandbox = subprocess.Popen(
        [sys.executable, "-m", "bot.sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    bots: list[subprocess.Popen[str]] = []
    try:
        base = _lines_until(sandbox, "Web chat:").split()[-1].rstrip("/")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE"))}
        env.update(
            TELEGRAM_BOT_TOKEN="123456789:SANDBOX-token",
            TELEGRAM_API_BASE_URL=f"{base}/bot",
            TELEGRAM_FILE_BASE_URL=f"{base}/file/bot",
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            BOT_USERNAME="kinerja_bot",
        )
        csv = tmp_path / "p.csv"
        csv.write_text("nip;nama;jabatan\n199001222015042001;Siti Rahmawati;Guru\n")
        cli = [sys.executable, "-m", "bot"]
        subprocess.run([*cli, "import-employees", str(csv)], env=env, check=True, timeout=60)
        link = subprocess.run(
            [*cli, "invite", "199001222015042001"],
            env=env,
            check=True,
            timeout=60,
            capture_output=True,
            text=True,
        ).stdout.strip()
        code = link.split("start=", 1)[1]

        def start_bot() -> None:
            log = tmp_path / f"bot{len(bots)}.log"
            with log.open("w") as out:  # a file, not a pipe nobody drains
                bots.append(subprocess.Popen([*cli, "run"], env=env, stdout=out, stderr=out))
            deadline = time.monotonic() + 60
            while "is polling" not in log.read_text():
                assert bots[-1].poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)

        http = httpx.Client(base_url=base, timeout=30)
        start_bot()
        http.post("/sandbox/users", json={"id": 4242, "first_name": "Siti"})
        joined = http.post("/sandbox/users/4242/messages", json={"text": f"/start {code}"})
        assert joined.json()["replies"]
        asked = http.post(
            "/sandbox/users/4242/messages", json={"text": "rapat koordinasi 1 jam", "wait": 5}
        ).json()["replies"][-1]
        assert "✅ Kirim" in json.dumps(asked, ensure_ascii=False), asked

        bots[-1].send_signal(signal.SIGKILL)
        bots[-1].wait(timeout=10)
        # Written while the bot is dead: the sandbox keeps the update for the next bot.
        http.post("/sandbox/users/4242/messages", json={"text": "/hariini", "wait": 0})
        start_bot()
        chat = http.get("/sandbox/users/4242/chat").json()
        assert [m["text"] for m in chat][:2] == [f"/start {code}", chat[1]["text"]]
        assert any(m["message_id"] == asked["message_id"] for m in chat)
        for _ in range(100):  # the update sent while the bot was dead is answered
            chat = http.get("/sandbox/users/4242/chat").json()
            if chat[-1]["from"] == "bot" and chat[-2]["text"] == "/hariini":
                break
            time.sleep(0.1)
        assert chat[-2]["text"] == "/hariini" and chat[-1]["from"] == "bot", chat[-2:]
        pressed = http.post(
            "/sandbox/users/4242/press",
            json={"message_id": asked["message_id"], "button": "✏️ Ubah", "wait": 5},
        ).json()
        menu = json.dumps(pressed["replies"], ensure_ascii=False)
        assert "Durasi" in menu, pressed  # the draft survived the kill
    finally:
        for proc in [*bots, sandbox]:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=20)
