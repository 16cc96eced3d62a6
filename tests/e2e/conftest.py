"""End-to-end fixtures: the real bot polling a real sandbox over HTTP, on the test database.

One sandbox serves the whole session (cheap to keep); the bot is built fresh for every
test so no state leaks between tests except what the database holds, and the database
is emptied before each test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.registration import create_invite
from bot.runtime import BotRuntime
from bot.sandbox import Sandbox, SandboxClient
from storage.db import Database
from storage.models import Employee, SkpItem

NIPS = iter(f"199001012015{m:02d}1{n:03d}" for m in range(1, 13) for n in range(1, 999))


class LiveClock(FixedClock):
    """Real time unless a test pins it (then it stays where the test puts it)."""

    def __init__(self) -> None:
        super().__init__(datetime.now(UTC))
        self.pinned = False

    def now(self) -> datetime:
        return super().now() if self.pinned else datetime.now(UTC)

    def set(self, at: datetime) -> None:
        self.pinned = True
        super().set(at)


@dataclass
class World:
    sandbox: Sandbox
    client: SandboxClient
    db: Database
    clock: LiveClock
    settings: Settings
    runtime: BotRuntime | None = None
    _next_tg: list[int] = field(default_factory=lambda: [5000])

    async def start_bot(self, mode: str = "polling") -> BotRuntime:
        self.runtime = BotRuntime(
            self.settings, clock=self.clock, db=self.db, file_base_url=self.sandbox.file_base_url
        )
        await self.runtime.start(mode, migrate=False)  # type: ignore[arg-type]
        runtime = self.runtime
        self.sandbox.state.bot_idle = lambda: runtime.idle
        return self.runtime

    async def stop_bot(self) -> None:
        if self.runtime is not None:
            self.sandbox.state.bot_idle = None
            await self.runtime.stop()
            self.runtime = None

    async def add_employee(
        self,
        name: str,
        *,
        roles: str = "staff",
        position: str = "Guru",
        supervisor: Employee | None = None,
        skp: Sequence[str] = (),
        language: str = "id",
        timezone: str | None = None,  # None: the unit's zone (else WIB)
    ) -> Employee:
        async with self.db.session() as session:
            emp = Employee(
                nip=next(NIPS),
                name=name,
                position=position,
                roles=roles,
                language=language,
                timezone=timezone,
                supervisor_id=supervisor.id if supervisor else None,
                active=True,
            )
            session.add(emp)
            await session.flush()
            year = self.clock.now().year
            for title in skp:
                session.add(SkpItem(employee_id=emp.id, year=year, title=title))
        return emp

    async def invite(self, employee: Employee) -> str:
        async with self.db.session() as session:
            return await create_invite(session, employee.id, self.clock.now())

    async def join(
        self, employee: Employee, *, language_code: str = "id", first_name: str | None = None
    ) -> int:
        """The employee's Telegram user opens their invite link; returns the Telegram id."""
        tg = self._next_tg[0]
        self._next_tg[0] += 1
        name = first_name or employee.name.split()[0]
        await self.client.create_user(tg, name, None, language_code)
        code = await self.invite(employee)
        result = await self.client.send(tg, f"/start {code}")
        assert result["replies"], "the bot did not answer /start"
        employee.telegram_user_id = tg
        return tg

    async def new_user(self, language_code: str = "id") -> int:
        tg = self._next_tg[0]
        self._next_tg[0] += 1
        await self.client.create_user(tg, "Tamu", None, language_code)
        return tg


@pytest.fixture(scope="session")
async def sandbox() -> AsyncIterator[Sandbox]:
    box = Sandbox()
    await box.start()
    yield box
    await box.stop()


@pytest.fixture
async def world(sandbox: Sandbox, db: Database) -> AsyncIterator[World]:
    async with SandboxClient(sandbox.base_url) as client:
        await client.reset(everything=True)
        settings = Settings(
            telegram_bot_token=sandbox.token,
            telegram_api_base_url=sandbox.api_base_url,
            telegram_file_base_url=sandbox.file_base_url,
            database_url=db.url,
        )
        w = World(sandbox, client, db, LiveClock(), settings)
        await w.start_bot()
        try:
            yield w
        finally:
            await w.stop_bot()


def texts(replies: Sequence[dict[str, object]]) -> str:
    """All reply texts joined, for `in` assertions."""
    return "\n---\n".join(str(r.get("text", "")) for r in replies)


def buttons(message: dict[str, object]) -> list[str]:
    rows = message.get("buttons") or []
    return [b["text"] for row in rows for b in row]  # type: ignore[union-attr,index]
