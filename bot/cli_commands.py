"""The bodies of the CLI commands; `bot/__main__.py` only parses arguments."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.config import TELEGRAM_API, Settings
from bot.i18n import t
from bot.registration import create_invite, deep_link
from bot.runtime import BotRuntime, wait_for_signal
from storage.db import Database
from storage.migrate import upgrade
from storage.queries import employee_by_nip

log = logging.getLogger(__name__)


async def migrate(settings: Settings) -> int:
    db = Database(settings.database_url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()
    print("Database is up to date.")
    return 0


async def check_telegram(settings: Settings) -> str | None:
    """None if the Bot API answers getMe with this token, else one line naming what to fix.

    Run before start-up so a wrong token or URL stops the process with a sentence
    instead of a traceback after a minute of retries. Plain HTTP, not PTB: PTB reports
    401 and 404 alike and puts the token in its message.
    """
    import httpx

    assert settings.telegram_bot_token is not None
    url = settings.telegram_api_base_url
    timeout = httpx.Timeout(
        settings.telegram_read_timeout, connect=settings.telegram_connect_timeout
    )
    try:
        async with httpx.AsyncClient(timeout=timeout) as http:
            response = await http.post(f"{url}{settings.telegram_bot_token}/getMe")
    except httpx.HTTPError as exc:
        name = type(exc).__name__
        return f"Configuration error: TELEGRAM_API_BASE_URL: cannot reach {url} ({name})"
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code == 200 and isinstance(body, dict) and body.get("ok"):
        return None
    # Telegram answers 401 for a well-formed token it does not know; a 404 for getMe
    # means the address is not a Bot API (at Telegram itself: a malformed token).
    if response.status_code == 401 or (response.status_code == 404 and url == TELEGRAM_API):
        return (
            "Configuration error: TELEGRAM_BOT_TOKEN: rejected by the Bot API at "
            f"{url} ({response.status_code}); get a valid token from @BotFather"
        )
    return (
        f"Configuration error: TELEGRAM_API_BASE_URL: {url} does not answer as the Bot API "
        f"(HTTP {response.status_code})"
    )


async def run_polling(settings: Settings) -> int:
    problem = await check_telegram(settings)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    runtime = BotRuntime(settings)
    await runtime.start("polling")
    print(f"Kinerja Bot @{runtime.ctx.bot_username} is polling. Ctrl-C to stop.", flush=True)
    try:
        await wait_for_signal()
    finally:
        await runtime.stop()
    return 0


def run_serve(settings: Settings, host: str, port: int) -> int:
    import uvicorn

    from bot.api.webhook import create_api

    problem = asyncio.run(check_telegram(settings))
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    runtime = BotRuntime(settings)
    uvicorn.run(create_api(runtime), host=host, port=port, log_level="info")
    return 0


WORKER_LOCK_ID = 0x4B494E4A  # "KINJ": one pg advisory lock key for the worker role


async def run_worker(settings: Settings) -> int:
    """Scheduler + outbox sender; on PostgreSQL only one worker is active at a time."""
    from sqlalchemy import text

    problem = await check_telegram(settings)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    runtime = BotRuntime(settings)
    lock_conn = None
    if runtime.db.is_postgres:
        lock_conn = await runtime.db.engine.connect()
        while not (
            await lock_conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": WORKER_LOCK_ID})
        ).scalar_one():
            print("Another worker is active; waiting to take over...", flush=True)
            await asyncio.sleep(10)
    await runtime.start("manual")
    print("Kinerja Bot worker running (scheduler + outbox). Ctrl-C to stop.", flush=True)
    try:
        await wait_for_signal()
    finally:
        if lock_conn is not None:
            await lock_conn.close()  # closing the session releases the advisory lock
        await runtime.stop()
    return 0


async def run_sandbox(settings: Settings, host: str, port: int, demo: bool) -> int:
    from bot.sandbox_mode import start_sandbox_world

    world = await start_sandbox_world(settings, host=host, port=port, demo_data=demo)
    print(f"\nKinerja Bot sandbox is running: open {world.sandbox.base_url}/ in a browser.")
    print("Chat as the demo users (Rina = admin, Bambang = atasan, Siti/Andi/Dewi = staff).")
    print("Ctrl-C to stop.", flush=True)
    try:
        await wait_for_signal()
    finally:
        await world.stop()
    return 0


def read_csv(path: Path, lang: str = "id") -> str | None:
    """The file's text, read like a chat upload (bot.employees.decode_csv), or None."""
    from bot.employees import clean_csv_text, decode_csv

    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"Cannot read {path}: {exc}", file=sys.stderr)
        return None
    decoded = decode_csv(data)
    if decoded.note is not None:
        print(t(lang, f"import.{decoded.note}"), file=sys.stderr)
    return clean_csv_text(decoded.text)


async def import_employees(settings: Settings, text: str) -> int:
    from bot.employees import import_employees_csv

    db = Database(settings.database_url)
    try:
        await upgrade(db)
        async with db.session() as session:
            report = await import_employees_csv(session, text, settings.default_timezone)
    finally:
        await db.dispose()
    lang = settings.default_language
    for err in report.errors:
        message = t(lang, f"import.{err.code}", **err.params)
        print(t(lang, "import.row_error", line=err.line, message=message), file=sys.stderr)
    print(
        t(
            lang,
            "import.summary",
            created=report.created,
            updated=report.updated,
            errors=len(report.errors),
        )
    )
    return 1 if report.errors and not (report.created or report.updated) else 0


async def import_skp(settings: Settings, text: str) -> int:
    from bot.skp import import_skp_csv

    db = Database(settings.database_url)
    try:
        await upgrade(db)
        async with db.session() as session:
            report = await import_skp_csv(session, text, year_default=None)
    finally:
        await db.dispose()
    lang = settings.default_language
    for err in report.errors:
        message = t(lang, f"import.{err.code}", **err.params)
        print(t(lang, "import.row_error", line=err.line, message=message), file=sys.stderr)
    print(t(lang, "skp.import_summary", created=report.created, errors=len(report.errors)))
    return 1 if report.errors and not report.created else 0


async def bot_username(settings: Settings) -> str:
    """BOT_USERNAME, else asked from Telegram with the token, else a placeholder."""
    if settings.bot_username:
        return settings.bot_username.lstrip("@")
    if settings.telegram_bot_token:
        from telegram import Bot

        try:
            async with Bot(
                settings.telegram_bot_token, base_url=settings.telegram_api_base_url
            ) as bot:
                return bot.username
        except Exception as exc:  # offline: the link is still useful with the name filled in
            log.warning("getMe failed (%s); set BOT_USERNAME", exc)
    return "kinerja_bot"


async def invite(settings: Settings, nip: str) -> int:
    from bot.clock import SystemClock
    from bot.nip import clean_nip

    db = Database(settings.database_url)
    try:
        await upgrade(db)
        async with db.session() as session:
            employee = await employee_by_nip(session, clean_nip(nip))
            if employee is None:
                print(f"No employee with NIP {nip}.", file=sys.stderr)
                return 1
            code = await create_invite(session, employee.id, SystemClock().now())
    finally:
        await db.dispose()
    print(deep_link(await bot_username(settings), code))
    return 0


async def export(settings: Settings, args: argparse.Namespace) -> int:
    """`export --month YYYY-MM [--nip N | --unit ID] [--all] [--csv] --out FILE`."""
    from bot.export import export_file, month_bounds, people, unit_ids, unit_members
    from bot.nip import clean_nip

    bounds = month_bounds(args.month)
    if bounds is None:
        print(f"--month must be YYYY-MM, not {args.month!r}.", file=sys.stderr)
        return 2
    db = Database(settings.database_url)
    try:
        await upgrade(db)
        async with db.session() as session:
            ids: list[int] | None = None
            if args.nip is not None:
                employee = await employee_by_nip(session, clean_nip(args.nip))
                if employee is None:
                    print(f"No employee with NIP {args.nip}.", file=sys.stderr)
                    return 1
                ids = [employee.id]
            elif args.unit is not None:
                units = await unit_ids(session, args.unit)
                if not units:
                    print(f"No unit with id {args.unit}.", file=sys.stderr)
                    return 1
                ids = await unit_members(session, units)
            persons = await people(session, ids)
            result = await export_file(
                session,
                Path(args.out),
                persons,
                *bounds,
                unit=args.nip is None,
                include_all=args.all,
                as_csv=args.csv,
            )
    except OSError as exc:
        print(f"Cannot write {args.out}: {exc}", file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    print(
        f"{args.out}: {result.people} employee(s), {result.rows} row(s) to import, "
        f"{result.extra_rows} on the Tugas Tambahan sheet"
        + (" (not in the CSV)" if args.csv and result.extra_rows else "")
        + "."
    )
    return 0
