"""RetryingRequest: repeat only what cannot have reached Telegram (issue 8 defect 1)."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
from telegram.error import NetworkError, TimedOut

from bot.transport import RetryingRequest, Timeouts, maybe_sent

URL = "http://telegram.test/bot123:abc/"
Handler = Callable[[httpx.Request], httpx.Response]


def fake(outcomes: list[str]) -> tuple[RetryingRequest, list[httpx.Request]]:
    """A request object whose network plays ``outcomes`` in turn ('ok', 'read', 'connect', …)."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        outcome = outcomes[min(len(seen), len(outcomes)) - 1]
        if outcome == "read":
            raise httpx.ReadTimeout("slow", request=request)
        if outcome == "write":
            raise httpx.WriteTimeout("slow", request=request)
        if outcome == "connect":
            raise httpx.ConnectError("refused", request=request)
        if outcome == "429":
            body = {"ok": False, "error_code": 429, "parameters": {"retry_after": 0.01}}
            return httpx.Response(429, json=body)
        if outcome == "500":
            return httpx.Response(500, json={"ok": False, "error_code": 500})
        return httpx.Response(200, json={"ok": True, "result": True})

    request = RetryingRequest(timeouts=Timeouts(connect=1.5, read=2.5, write=3.5, pool=4.5))
    request._client = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    return request, seen


async def call(request: RetryingRequest, method: str) -> int:
    code, _ = await request.do_request(URL + method, "POST")
    return code


async def test_a_send_that_timed_out_while_reading_is_not_repeated() -> None:
    request, seen = fake(["read", "ok"])
    with pytest.raises(TimedOut) as info:
        await call(request, "sendMessage")
    assert len(seen) == 1 and maybe_sent(info.value)


async def test_a_send_that_timed_out_while_writing_is_not_repeated() -> None:
    request, seen = fake(["write", "ok"])
    with pytest.raises(TimedOut):
        await call(request, "answerCallbackQuery")
    assert len(seen) == 1


async def test_a_send_that_never_connected_is_repeated() -> None:
    request, seen = fake(["connect", "ok"])
    assert await call(request, "sendMessage") == 200
    assert len(seen) == 2


async def test_an_edit_after_a_read_timeout_is_repeated() -> None:
    request, seen = fake(["read", "ok"])
    assert await call(request, "editMessageText") == 200
    assert len(seen) == 2


async def test_429_and_5xx_are_repeated() -> None:
    request, seen = fake(["429", "500", "ok"])
    assert await call(request, "sendMessage") == 200
    assert len(seen) == 3


async def test_set_my_commands_is_tried_once() -> None:
    request, seen = fake(["500", "ok"])
    assert await call(request, "setMyCommands") == 500
    request, seen = fake(["connect", "ok"])
    with pytest.raises(NetworkError):
        await call(request, "setMyCommands")
    assert len(seen) == 1


async def test_configured_timeouts_reach_the_wire() -> None:
    request, seen = fake(["ok"])
    await call(request, "sendMessage")
    assert seen[0].extensions["timeout"] == {
        "connect": 1.5,
        "read": 2.5,
        "write": 3.5,
        "pool": 4.5,
    }
    request.configure(Timeouts(read=9.0))
    await call(request, "sendMessage")
    assert seen[1].extensions["timeout"]["read"] == 9.0
    await request.do_request(URL + "sendMessage", "POST", read_timeout=1.0)
    assert seen[2].extensions["timeout"]["read"] == 1.0  # a method's own timeout wins


def test_the_settings_give_the_runtime_generous_timeouts() -> None:
    from bot.config import Settings
    from bot.runtime import timeouts_from

    settings = Settings(telegram_read_timeout=45)
    assert timeouts_from(settings).read == 45
    assert Settings().telegram_read_timeout >= 20  # Telegram's slow days take several seconds
    assert json.dumps(Settings().telegram_write_timeout)
