"""Fixtures for the sandbox conformance tests: a fresh sandbox per test on a free port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.sandbox import Sandbox, SandboxClient


class RawBot:
    """A bot speaking the raw Bot API over HTTP, as any client library would."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.http = httpx.AsyncClient(timeout=30)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """POST JSON; returns the decoded answer (ok or not) with the HTTP status added."""
        url = f"{self.sandbox.api_base_url}{self.sandbox.token}/{method}"
        response = await self.http.post(url, json=params)
        body: dict[str, Any] = response.json()
        body["_status"] = response.status_code
        return body

    async def ok(self, method: str, **params: Any) -> Any:
        body = await self.call(method, **params)
        assert body["ok"], body
        return body["result"]


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as sb:
        yield sb


@pytest.fixture
async def client(sandbox: Sandbox) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(sandbox.base_url) as c:
        yield c


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[RawBot]:
    raw = RawBot(sandbox)
    yield raw
    await raw.http.aclose()


@pytest.fixture
async def siti(client: SandboxClient, bot: RawBot) -> int:
    """A user who has started the bot (her /start is already confirmed)."""
    await client.create_user(1001, "Siti", "siti")
    await client.send(1001, "/start", wait=0)
    updates = await bot.ok("getUpdates")
    await bot.ok("getUpdates", offset=updates[-1]["update_id"] + 1)
    return 1001
