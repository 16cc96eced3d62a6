"""Where the sandbox must refuse what Telegram refuses (issue 8, "Sandbox fidelity")."""

from __future__ import annotations

import time

import httpx
import pytest

from bot.sandbox import Sandbox, SandboxClient, SandboxError

from .conftest import RawBot

LONE_SURROGATE = '{"text": "rapat \\ud800 1 jam", "wait": 0}'


async def test_a_lone_surrogate_is_refused_and_polling_keeps_working(
    sandbox: Sandbox, client: SandboxClient, bot: RawBot
) -> None:
    await client.create_user(1001, "Siti")
    async with httpx.AsyncClient(base_url=sandbox.base_url) as http:
        sent = await http.post(
            "/sandbox/users/1001/messages",
            content=LONE_SURROGATE,
            headers={"content-type": "application/json"},
        )
        assert sent.status_code == 400, sent.text
        assert "UTF-8" in sent.text
        named = await http.post(
            "/sandbox/users",
            content='{"id": 1002, "first_name": "A\\udc00"}',
            headers={"content-type": "application/json"},
        )
        assert named.status_code in (400, 422), named.text  # refused, not a 500
    await client.send(1001, "halo", wait=0)
    updates = await bot.ok("getUpdates")  # was a 500 for every later call
    assert [u["message"]["text"] for u in updates] == ["halo"]


async def test_the_bot_cannot_send_a_lone_surrogate_either(siti: int, bot: RawBot) -> None:
    url = f"{bot.sandbox.api_base_url}{bot.sandbox.token}/sendMessage"
    body = '{"chat_id": 1001, "text": "x \\ud83d y"}'
    answer = await bot.http.post(url, content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 400
    assert "UTF-8" in answer.json()["description"]


async def test_user_text_length_counts_utf16_code_units(client: SandboxClient) -> None:
    await client.create_user(1001, "Siti")
    await client.send(1001, "a" * 4096, wait=0)
    await client.send(1001, "😀" * 2048, wait=0)  # 4,096 UTF-16 units: allowed
    with pytest.raises(SandboxError) as info:
        await client.send(1001, "😀" * 2049, wait=0)
    assert info.value.status_code == 400
    with pytest.raises(SandboxError):
        await client.send(1001, "😀" * 4096, wait=0)  # 4,096 characters, 8,192 units


@pytest.mark.parametrize("data", ["", "x" * 65, "é" * 33])
async def test_forged_callback_data_must_be_1_to_64_bytes(
    client: SandboxClient, bot: RawBot, siti: int, data: str
) -> None:
    msg = await bot.ok("sendMessage", chat_id=siti, text="pilih")
    with pytest.raises(SandboxError) as info:
        await client.press(siti, msg["message_id"], callback_data=data, wait=0)
    assert info.value.status_code == 400
    assert "BUTTON_DATA_INVALID" in str(info.value.detail)
    pressed = await client.press(siti, msg["message_id"], callback_data="é" * 32, wait=0)
    assert pressed["callback_query_id"]


async def test_latency_can_be_set_per_method(client: SandboxClient, bot: RawBot, siti: int) -> None:
    config = await client.faults(latency_ms=400, latency_methods=["sendMessage"])
    assert config["latency_methods"] == ["sendMessage"]
    started = time.monotonic()
    await bot.ok("getUpdates")
    await bot.ok("getMe")
    fast = time.monotonic() - started
    started = time.monotonic()
    await bot.ok("sendMessage", chat_id=siti, text="lambat")
    slow = time.monotonic() - started
    assert slow >= 0.4 and fast < slow
    # Backward compatible: latency without latency_methods still slows every method.
    assert (await client.faults(latency_ms=200))["latency_methods"] is None
    started = time.monotonic()
    await bot.ok("getUpdates")
    assert time.monotonic() - started >= 0.2
    await client.faults()
