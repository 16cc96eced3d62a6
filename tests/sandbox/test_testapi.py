"""The /sandbox test API: wait/replies, pressing buttons, the chat view, faults and stats."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.sandbox import Sandbox, SandboxClient, SandboxError

from .conftest import RawBot
from .echobot import echo_bot


@pytest.fixture
async def echo(sandbox: Sandbox) -> AsyncIterator[None]:
    async with echo_bot(sandbox.api_base_url, sandbox.token):
        yield


async def test_wait_returns_replies_after_quiet(client: SandboxClient, echo: None) -> None:
    await client.create_user(1001, "Siti")
    started = time.monotonic()
    result = await client.send(1001, "a < b", wait=5)
    elapsed = time.monotonic() - started
    assert 0.3 <= elapsed < 2, elapsed  # quiet period, not the whole wait
    (reply,) = result["replies"]
    assert reply["from"] == "bot" and reply["text"] == "Echo: a < b"
    assert reply["html"] == "Echo: <b>a &lt; b</b>"
    assert reply["buttons"] == [[{"text": "Tandai", "callback_data": "mark"}]]
    assert result["message_id"] == 1 and reply["message_id"] == 2


async def test_wait_without_bot_times_out_empty(client: SandboxClient) -> None:
    await client.create_user(1001, "Siti")
    started = time.monotonic()
    result = await client.send(1001, "halo?", wait=0.5)
    assert result["replies"] == [] and 0.5 <= time.monotonic() - started < 1.5


async def test_replies_collect_a_burst_and_edits(client: SandboxClient, bot: RawBot) -> None:
    await client.create_user(1001, "Siti")
    await client.send(1001, "/start", wait=0)
    first = await bot.ok("sendMessage", chat_id=1001, text="lama")

    async def slow_bot() -> None:
        await asyncio.sleep(0.1)
        await bot.ok("sendMessage", chat_id=1001, text="satu")
        await asyncio.sleep(0.2)  # shorter than the quiet period: still the same reply burst
        await bot.ok("editMessageText", chat_id=1001, message_id=first["message_id"], text="baru")
        await bot.ok("sendMessage", chat_id=1001, text="dua")

    task = asyncio.create_task(slow_bot())
    result = await client.send(1001, "go", wait=5)
    await task
    assert [r["text"] for r in result["replies"]] == ["baru", "satu", "dua"]
    assert result["replies"][0]["edited"] is True


async def test_press_by_text_and_answer(client: SandboxClient, echo: None) -> None:
    await client.create_user(1001, "Siti")
    sent = await client.send(1001, "rapat", wait=5)
    mid = sent["replies"][0]["message_id"]
    pressed = await client.press(1001, mid, button="Tandai", wait=5)
    assert pressed["answer"] == {
        "text": "Ditandai",
        "show_alert": False,
        "url": None,
        "cache_time": 0,
    }
    (edited,) = pressed["replies"]
    assert edited["message_id"] == mid and edited["text"] == "✅ Ditandai: rapat"
    assert edited["buttons"] == []
    chat = await client.chat(1001)
    assert [(m["from"], m["text"]) for m in chat] == [
        ("user", "rapat"),
        ("bot", "✅ Ditandai: rapat"),
    ]
    with pytest.raises(SandboxError) as info:
        await client.press(1001, mid, button="Tandai", wait=0)  # the edit removed it
    assert info.value.status_code == 404
    with pytest.raises(SandboxError):
        await client.press(1001, 999, callback_data="x", wait=0)


async def test_forged_callback_data_reaches_the_bot(client: SandboxClient, bot: RawBot) -> None:
    await client.create_user(1001, "Siti")
    await client.send(1001, "/start", wait=0)
    msg = await bot.ok(
        "sendMessage",
        chat_id=1001,
        text="Setujui?",
        reply_markup={"inline_keyboard": [[{"text": "Setujui", "callback_data": "approve:1"}]]},
    )
    await bot.ok("getUpdates", offset=-1)  # forget the /start
    pressed = await client.press(1001, msg["message_id"], callback_data="approve:999", wait=0)
    assert pressed["answer"] is None and pressed["replies"] == []
    updates = await bot.ok("getUpdates", offset=-1)
    query = updates[-1]["callback_query"]
    assert query["id"] == pressed["callback_query_id"] and query["data"] == "approve:999"
    assert query["from"]["id"] == 1001 and query["message"]["message_id"] == msg["message_id"]
    assert isinstance(query["chat_instance"], str)
    assert await bot.ok("answerCallbackQuery", callback_query_id=query["id"], text="Tidak sah")
    twice = await bot.call("answerCallbackQuery", callback_query_id=query["id"])
    assert twice["description"] == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    unknown = await bot.call("answerCallbackQuery", callback_query_id="123")
    assert unknown["_status"] == 400
    long_text = await bot.call(
        "answerCallbackQuery", callback_query_id=pressed["callback_query_id"], text="x" * 201
    )
    assert long_text["_status"] == 400


async def test_press_answer_only_returns_early(client: SandboxClient, bot: RawBot) -> None:
    await client.create_user(1001, "Siti")
    await client.send(1001, "/start", wait=0)
    msg = await bot.ok(
        "sendMessage",
        chat_id=1001,
        text="?",
        reply_markup={"inline_keyboard": [[{"text": "Info", "callback_data": "info"}]]},
    )

    async def answer() -> None:
        while True:
            for update in await bot.ok("getUpdates", timeout=5):
                await bot.ok("getUpdates", offset=update["update_id"] + 1)
                if "callback_query" in update:
                    query = update["callback_query"]
                    await bot.ok(
                        "answerCallbackQuery",
                        callback_query_id=query["id"],
                        text="Info!",
                        show_alert=True,
                    )
                    return

    task = asyncio.create_task(answer())
    started = time.monotonic()
    pressed = await client.press(1001, msg["message_id"], button="Info", wait=5)
    await task
    assert time.monotonic() - started < 2
    assert pressed["answer"]["text"] == "Info!" and pressed["answer"]["show_alert"] is True
    assert pressed["replies"] == []


async def test_chat_view_and_long_poll(
    sandbox: Sandbox, client: SandboxClient, bot: RawBot
) -> None:
    await client.create_user(1001, "Siti")
    async with httpx.AsyncClient(base_url=sandbox.base_url) as http:
        first = await http.get("/sandbox/users/1001/chat")
        assert first.json() == []
        version = first.headers["X-Chat-Version"]
        poll = asyncio.create_task(
            http.get("/sandbox/users/1001/chat", params={"after_version": version, "timeout": 10})
        )
        await asyncio.sleep(0.1)
        await client.send(1001, "halo", wait=0)
        changed = await poll
        assert [m["text"] for m in changed.json()] == ["halo"]
        assert changed.headers["X-Chat-Version"] != version
        missing = await http.get("/sandbox/users/4242/chat")
        assert missing.status_code == 404
        users = (await http.get("/sandbox/users")).json()
        assert users == [
            {
                "id": 1001,
                "first_name": "Siti",
                "username": None,
                "language_code": "id",
                "started": True,
                "blocked": False,
            }
        ]
        page = await http.get("/")
        assert page.status_code == 200 and 'id="message-input"' in page.text


async def test_create_user_is_idempotent(client: SandboxClient) -> None:
    await client.create_user(1001, "Siti", "siti")
    updated = await client.create_user(1001, "Siti Aminah", "siti_a", language_code="en")
    assert updated["first_name"] == "Siti Aminah" and updated["language_code"] == "en"
    assert len(await client.users()) == 1
    with pytest.raises(SandboxError) as info:
        await client.send(5555, "siapa?", wait=0)
    assert info.value.status_code == 404


async def test_faults_fail_everything_but_polling(client: SandboxClient, bot: RawBot) -> None:
    await client.create_user(1001, "Siti")
    await client.send(1001, "/start", wait=0)
    config = await client.faults(error_rate=1.0, codes=[502])
    assert config["error_rate"] == 1.0 and config["codes"] == [502]
    for _ in range(3):
        answer = await bot.call("sendMessage", chat_id=1001, text="x")
        assert (answer["_status"], answer["description"]) == (502, "Bad Gateway")
    assert len(await bot.ok("getUpdates")) == 1  # polling keeps working
    await client.faults(error_rate=1.0, codes=[429])
    limited = await bot.call("sendMessage", chat_id=1001, text="x")
    assert limited["parameters"] == {"retry_after": 1}
    await client.faults(error_rate=1.0, codes=[500], methods=["getUpdates"])
    assert (await bot.call("getUpdates"))["_status"] == 500
    assert await bot.ok("getMe")
    stats = await client.stats()
    assert stats["errors"] == {"502": 3, "429": 1, "500": 1}
    assert stats["methods"]["sendMessage"] == 4 and stats["sent_messages"] == 0
    assert [m["from"] for m in await client.chat(1001)] == ["user"]  # nothing was sent
    await client.faults()
    assert await bot.ok("sendMessage", chat_id=1001, text="ok")
    await client.reset()
    assert (await client.stats())["methods"] == {}


async def test_latency_delays_answers(client: SandboxClient, bot: RawBot) -> None:
    await client.faults(latency_ms=200)
    started = time.monotonic()
    await bot.ok("getMe")
    assert time.monotonic() - started >= 0.2
    await client.faults()


async def test_reset_everything(client: SandboxClient, bot: RawBot) -> None:
    await client.create_user(1001, "Siti")
    await client.send(1001, "x", wait=0)
    await client.reset(everything=True)
    assert await client.users() == []
    assert await bot.ok("getUpdates") == []


async def test_press_waits_for_a_late_answer(client: SandboxClient, bot: RawBot) -> None:
    await client.create_user(1001, "Siti")
    await client.send(1001, "/start", wait=0)
    msg = await bot.ok(
        "sendMessage",
        chat_id=1001,
        text="Setujui?",
        reply_markup={"inline_keyboard": [[{"text": "Setujui", "callback_data": "ok"}]]},
    )
    await bot.ok("getUpdates", offset=-1)

    async def slow_answer() -> None:
        updates = await bot.ok("getUpdates", offset=-1, timeout=5)
        while "callback_query" not in updates[-1]:
            updates = await bot.ok("getUpdates", offset=updates[-1]["update_id"] + 1, timeout=5)
        query = updates[-1]["callback_query"]
        await bot.ok(
            "editMessageText", chat_id=1001, message_id=msg["message_id"], text="Disetujui"
        )
        await asyncio.sleep(0.6)  # longer than the quiet period
        await bot.ok("answerCallbackQuery", callback_query_id=query["id"], text="Tersimpan")

    task = asyncio.create_task(slow_answer())
    pressed = await client.press(1001, msg["message_id"], button="Setujui", wait=5)
    await task
    assert pressed["answer"]["text"] == "Tersimpan"
    assert [r["text"] for r in pressed["replies"]] == ["Disetujui"]
