"""Shared fixtures: a migrated database on SQLite (default) or TEST_DATABASE_URL (PostgreSQL)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import Database
from storage.migrate import upgrade
from storage.models import Base

# The scheduler tick job (handlers/reminders.py) would fire on the real clock inside every
# e2e test; tests that need it call bot.scheduler.tick with their own clock.
os.environ.setdefault("KINERJA_SCHEDULER", "0")


def database_url(tmp_dir: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp_dir / 'test.db'}"


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return database_url(tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
async def migrated_db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    if database.is_postgres:  # start from a clean schema so old runs leave nothing behind
        async with database.engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(database)
    yield database
    await database.dispose()


async def truncate_all(database: Database) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with database.engine.begin() as conn:
        if database.is_postgres:
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                await conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
async def db(migrated_db: Database) -> AsyncIterator[Database]:
    """A migrated database emptied before each test."""
    await truncate_all(migrated_db)
    yield migrated_db
