"""getUpdates offsets and long polling, webhooks (secret header, redelivery, 409)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response

from bot.sandbox import Sandbox, SandboxClient

from .conftest import RawBot


async def test_offset_confirms_and_redelivers(bot: RawBot, client: SandboxClient) -> None:
    await client.create_user(1001, "Siti")
    for text in ("satu", "dua", "tiga"):
        await client.send(1001, text, wait=0)
    first = await bot.ok("getUpdates")
    assert [u["message"]["text"] for u in first] == ["satu", "dua", "tiga"]
    ids = [u["update_id"] for u in first]
    assert ids == sorted(ids) and ids[1] == ids[0] + 1
    again = await bot.ok("getUpdates")  # not confirmed: delivered again
    assert [u["update_id"] for u in again] == ids
    limited = await bot.ok("getUpdates", limit=1, offset=ids[1])
    assert [u["update_id"] for u in limited] == [ids[1]]
    rest = await bot.ok("getUpdates")
    assert [u["update_id"] for u in rest] == ids[1:]  # the first one is gone for good
    assert await bot.ok("getUpdates", offset=ids[-1] + 1) == []
    assert await bot.ok("getUpdates", offset=ids[0]) == []  # confirmed ones never come back


async def test_long_poll_wakes_on_new_update(bot: RawBot, client: SandboxClient) -> None:
    await client.create_user(1001, "Siti")
    started = time.monotonic()
    poll = asyncio.create_task(bot.ok("getUpdates", timeout=10))
    await asyncio.sleep(0.2)
    await client.send(1001, "halo", wait=0)
    updates = await poll
    assert updates[0]["message"]["text"] == "halo"
    assert time.monotonic() - started < 2
    started = time.monotonic()
    assert await bot.ok("getUpdates", offset=updates[0]["update_id"] + 1, timeout=1) == []
    assert 0.9 < time.monotonic() - started < 2


async def test_second_poller_terminates_the_first(bot: RawBot) -> None:
    first = asyncio.create_task(bot.call("getUpdates", timeout=10))
    await asyncio.sleep(0.2)
    assert await bot.ok("getUpdates") == []
    answer = await first
    assert answer["_status"] == 409
    assert answer["description"] == (
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running"
    )


async def test_message_update_shape(bot: RawBot, client: SandboxClient) -> None:
    await client.create_user(1001, "Siti", "siti", "id")
    sent = await client.send(1001, "/start ABC123", wait=0)
    (update,) = await bot.ok("getUpdates")
    msg = update["message"]
    assert msg["message_id"] == sent["message_id"]
    assert msg["from"] == {
        "id": 1001,
        "is_bot": False,
        "first_name": "Siti",
        "username": "siti",
        "language_code": "id",
    }
    assert msg["chat"] == {"id": 1001, "first_name": "Siti", "username": "siti", "type": "private"}
    assert msg["text"] == "/start ABC123"
    assert msg["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]


async def test_allowed_updates_and_my_chat_member(bot: RawBot, client: SandboxClient) -> None:
    await client.create_user(1001, "Siti")
    await client.send(1001, "halo", wait=0)
    await client.block(1001)
    await client.unblock(1001)
    updates = await bot.ok("getUpdates")
    kinds = [next(k for k in u if k != "update_id") for u in updates]
    assert kinds == ["message", "my_chat_member", "my_chat_member"]
    blocked = updates[1]["my_chat_member"]
    assert blocked["old_chat_member"]["status"] == "member"
    assert blocked["new_chat_member"]["status"] == "kicked"
    assert blocked["new_chat_member"]["user"]["is_bot"] is True
    assert updates[2]["my_chat_member"]["new_chat_member"]["status"] == "member"
    await bot.ok("getUpdates", offset=updates[-1]["update_id"] + 1, allowed_updates=["message"])
    await client.block(1001)
    await client.send(1001, "tetap kirim", wait=0)
    only = await bot.ok("getUpdates")
    assert [u["message"]["text"] for u in only] == ["tetap kirim"]


class Receiver:
    """A webhook endpoint that can fail its first calls; records bodies and secret headers."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.fail_first = 0
        self.status = 403
        self.reply: dict[str, Any] | None = None
        self.event = asyncio.Event()
        self.app = FastAPI()

        @self.app.post("/hook")
        async def hook(request: Request) -> Response:
            body = json.loads(await request.body())
            if self.fail_first > 0:
                self.fail_first -= 1
                return Response(status_code=self.status)
            self.received.append((body, request.headers.get("x-telegram-bot-api-secret-token")))
            self.event.set()
            if self.reply is not None:
                return Response(json.dumps(self.reply), media_type="application/json")
            return Response(status_code=200)


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    rec = Receiver()
    host = Sandbox()  # reuse the embedded uvicorn runner to serve the receiver's app
    host.app = rec.app
    await host.start()
    yield rec, f"{host.base_url}/hook"
    await host.stop()


async def wait_for(condition: Any, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_webhook_delivery_secret_and_conflict(
    bot: RawBot, client: SandboxClient, receiver: tuple[Receiver, str]
) -> None:
    rec, url = receiver
    await client.create_user(1001, "Siti")
    await client.send(1001, "sebelum webhook", wait=0)
    result = await bot.call("setWebhook", url=url, secret_token="rahasia_123")
    assert result["ok"] and result["description"] == "Webhook was set"
    await client.send(1001, "sesudah webhook", wait=0)
    await wait_for(lambda: len(rec.received) == 2)
    assert [b["message"]["text"] for b, _ in rec.received] == ["sebelum webhook", "sesudah webhook"]
    assert {secret for _, secret in rec.received} == {"rahasia_123"}
    conflict = await bot.call("getUpdates")
    assert (conflict["_status"], conflict["description"]) == (
        409,
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first",
    )
    info = await bot.ok("getWebhookInfo")
    assert info["url"] == url and info["pending_update_count"] == 0
    assert info["has_custom_certificate"] is False
    deleted = await bot.call("deleteWebhook")
    assert deleted["description"] == "Webhook was deleted"
    assert await bot.ok("getUpdates") == []


async def test_webhook_retries_until_2xx(
    bot: RawBot, client: SandboxClient, receiver: tuple[Receiver, str]
) -> None:
    rec, url = receiver
    rec.fail_first = 3
    await client.create_user(1001, "Siti")
    await bot.ok("setWebhook", url=url)
    await client.send(1001, "pertama", wait=0)
    await client.send(1001, "kedua", wait=0)
    await wait_for(lambda: len(rec.received) == 2)
    assert [b["message"]["text"] for b, _ in rec.received] == ["pertama", "kedua"]  # in order
    info = await bot.ok("getWebhookInfo")
    assert info["last_error_message"] == "Wrong response from the webhook: 403 Forbidden"
    assert isinstance(info["last_error_date"], int)
    stats = await client.stats()
    assert stats["webhook_failures"] == 3 and stats["webhook_deliveries"] == 2


async def test_webhook_unreachable_keeps_updates(bot: RawBot, client: SandboxClient) -> None:
    await client.create_user(1001, "Siti")
    await bot.ok("setWebhook", url="http://127.0.0.1:9/hook", drop_pending_updates=True)
    await client.send(1001, "x", wait=0)
    await wait_for(lambda: client is not None and bot.sandbox.state.stats.webhook_failures >= 1)
    info = await bot.ok("getWebhookInfo")
    assert info["pending_update_count"] == 1
    assert info["last_error_message"] == "Connection refused"
    await bot.ok("deleteWebhook", drop_pending_updates=True)
    assert await bot.ok("getUpdates") == []


async def test_webhook_answer_can_carry_a_method(
    bot: RawBot, client: SandboxClient, receiver: tuple[Receiver, str]
) -> None:
    rec, url = receiver
    rec.reply = {
        "method": "sendMessage",
        "chat_id": 1001,
        "text": "<b>dari webhook</b>",
        "parse_mode": "HTML",
    }
    await client.create_user(1001, "Siti")
    await bot.ok("setWebhook", url=url)
    result = await client.send(1001, "halo", wait=5)
    assert [r["text"] for r in result["replies"]] == ["dari webhook"]
