"""`kinerja-bot sandbox`: the Telegram sandbox, our bot polling it, and demo data."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from bot import demo
from bot.config import Settings
from bot.runtime import BotRuntime
from bot.sandbox import Sandbox, SandboxClient
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Employee

log = logging.getLogger(__name__)


@dataclass
class SandboxWorld:
    sandbox: Sandbox
    runtime: BotRuntime

    async def stop(self) -> None:
        await self.runtime.stop()
        await self.sandbox.stop()


async def start_sandbox_world(
    settings: Settings, *, host: str = "127.0.0.1", port: int = 8080, demo_data: bool = True
) -> SandboxWorld:
    sandbox = Sandbox(host=host, port=port)
    await sandbox.start()
    settings = settings.model_copy(
        update={
            "telegram_bot_token": sandbox.token,
            "telegram_api_base_url": sandbox.api_base_url,
            "telegram_file_base_url": sandbox.file_base_url,
        }
    )
    db = Database(settings.database_url)
    await upgrade(db)
    async with db.session() as session:
        if demo_data and await demo.is_empty(session):
            await demo.seed(session, runtime_now(), settings.default_timezone)
            log.info("seeded demo data")
        linked = (
            (await session.execute(select(Employee).where(Employee.telegram_user_id.is_not(None))))
            .scalars()
            .all()
        )
    runtime = BotRuntime(settings, db=db, file_base_url=sandbox.file_base_url)
    await runtime.start("polling", migrate=False)
    # The sandbox forgets users on restart; recreate the linked ones and open their chats.
    async with SandboxClient(sandbox.base_url) as client:
        for emp in linked:
            assert emp.telegram_user_id is not None
            first = emp.name.split(",")[0].split()
            first_name = (
                first[1]
                if first and first[0].endswith(".") and len(first) > 1
                else (first[0] if first else "User")
            )
            await client.create_user(
                emp.telegram_user_id, first_name, None, language_code=emp.language
            )
            await client.send(emp.telegram_user_id, "/start", wait=0)
    return SandboxWorld(sandbox, runtime)


def runtime_now() -> datetime:
    return datetime.now(UTC)
