"""Async engine and sessions for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# aiosqlite runs each sqlite3 call on its own thread; each call is a round trip between
# threads (tens of microseconds of CPU on a small VM). SQLAlchemy's adapter makes four calls
# per statement (cursor, execute, fetchall, close) plus a COMMIT and a reset ROLLBACK per
# transaction even when SQLite has no transaction open. These subclasses make a statement
# one call, and skip COMMIT/ROLLBACK when sqlite3 itself would do nothing (it checks the
# same flag). Results, errors and transactions are unchanged.


class _OneCallCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        connection: Any = self._connection  # an aiosqlite.Connection

        def run() -> tuple[Any, list[Any] | None, Any, int]:
            cursor = connection._conn.cursor()  # on aiosqlite's thread
            try:
                if parameters is None:
                    cursor.execute(operation)
                else:
                    cursor.execute(operation, parameters)
                if cursor.description:
                    return cursor.description, cursor.fetchall(), -1, -1
                return None, None, cursor.lastrowid, cursor.rowcount
            finally:
                cursor.close()

        try:
            description, rows, lastrowid, rowcount = self.await_(connection._execute(run))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description = description
        self.lastrowid = lastrowid
        self.rowcount = rowcount
        if rows is not None:
            self._rows = deque(rows)


class _OneCallConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:
            return super().cursor(server_side)
        return _OneCallCursor(self)

    def _in_transaction(self) -> bool:
        try:
            return bool(self._connection.in_transaction)
        except ValueError:  # closed: let the real call raise what it raises
            return True

    def commit(self) -> None:
        if self._in_transaction():
            super().commit()

    def rollback(self) -> None:
        if self._in_transaction():
            super().rollback()


class _OneCallDbapi(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        adapted = super().connect(*arg, **kw)
        if type(adapted) is AsyncAdapt_aiosqlite_connection:
            return _OneCallConnection(self, adapted._connection)
        return adapted


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Engine with the settings each backend needs.

    SQLite gets a busy timeout and WAL so the bot, the sender and a CLI command can share
    one file; foreign keys are switched on because SQLite leaves them off.
    """
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
        if url.startswith("sqlite+aiosqlite"):
            kwargs.setdefault("module", _OneCallDbapi(aiosqlite, sqlite3))
        engine = create_async_engine(url, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
                # WAL + NORMAL never corrupts the file; it may lose the last commit on power loss,
                # and saves an fsync per transaction (several per update).
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    return create_async_engine(url, **kwargs)


class Database:
    """One engine + session factory; passed around explicitly, never global."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction: committed on success, rolled back on error."""
        async with self.sessionmaker() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
