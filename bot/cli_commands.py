"""The bodies of the CLI commands; `bot/__main__.py` only parses arguments."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.config import TELEGRAM_API, Settings
from bot.i18n import Html, t
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
WORKER_RETRY_SECONDS = 2.0  # a standby worker takes over within seconds


async def run_worker(settings: Settings) -> int:
    """Scheduler + outbox sender; only one worker is active at a time (PostgreSQL advisory
    lock, or a file lock beside a SQLite database)."""
    from bot.scheduler import WorkerLock, after_takeover

    problem = await check_telegram(settings)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    runtime = BotRuntime(settings)
    lock = WorkerLock(runtime.db, WORKER_LOCK_ID)  # issue 10: a file lock on SQLite too
    waiting = False
    while not await lock.try_acquire():
        if not waiting:
            print("Another worker is active; waiting to take over...", flush=True)
            waiting = True
        await asyncio.sleep(WORKER_RETRY_SECONDS)
    await runtime.start("manual")
    # Holding the lock, the worker before us is gone: its claimed rows go back in seconds.
    takeover = asyncio.create_task(
        after_takeover(runtime.db, runtime.ctx.clock, runtime.ctx.poke_outbox)
    )
    print("Kinerja Bot worker running (scheduler + outbox). Ctrl-C to stop.", flush=True)
    try:
        await wait_for_signal()
    finally:
        takeover.cancel()
        await lock.release()
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
    counts = (  # the same plural-aware summary as the chat import (handlers/admin.py)
        t(lang, "admin.count_created", count=report.created),
        t(lang, "admin.count_updated", updated=report.updated),
        t(lang, "admin.count_errors", count=len(report.errors)),
    )
    print(t(lang, "admin.import_summary", counts=Html(", ".join(counts))))
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


# --- issue 10: remind, broadcast --------------------------------------------------------


def _instant(raw: str | None) -> datetime:
    """--at: an ISO 8601 instant (a naive one is in DEFAULT_TIMEZONE's sense: UTC here)."""
    if raw is None:
        return datetime.now(UTC)
    value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def remind(settings: Settings, at: str | None, dry_run: bool, as_json: bool) -> int:
    """`remind --dry-run`: one line per active employee; without --dry-run, one tick."""
    import json

    from bot import reminders
    from bot.clock import FixedClock
    from bot.scheduler import tick

    try:
        now = _instant(at)
    except ValueError:
        print(f"--at: not an ISO 8601 instant: {at}", file=sys.stderr)
        return 2
    db = Database(settings.database_url)
    try:
        await upgrade(db)
        if not dry_run:
            result = await tick(db, settings, FixedClock(now))
            print(
                f"queued {result.queued} (reminders {result.reminders}, "
                f"deadlines {result.deadlines}, broadcasts {result.broadcasts})"
            )
            return 0
        async with db.session() as session:
            decisions = await reminders.evaluate(session, settings, now)
    finally:
        await db.dispose()
    for d in decisions:
        if as_json:
            row = {"nip": d.nip, "name": d.name, "remind": d.remind, "reason": d.reason or None}
            print(json.dumps(row, ensure_ascii=False))
        else:
            verdict = "remind" if d.remind else d.reason
            print(f"{d.nip}  {d.day.isoformat()} {d.local_time:%H:%M}  {verdict:<18} {d.name}")
    return 0


async def broadcast(settings: Settings, args: Any) -> int:
    """`broadcast`: preview (count + text), --yes queues it, --status / --cancel ID."""
    from zoneinfo import ZoneInfo

    from bot import broadcast as bc
    from bot.workcalendar import parse_when

    db = Database(settings.database_url)
    now = datetime.now(UTC)
    try:
        await upgrade(db)
        if args.status is not None or args.cancel is not None:
            bc_id = args.status if args.status is not None else args.cancel
            async with db.session() as session:
                if args.cancel is not None and await bc.cancel(session, bc_id, now) is None:
                    print(f"Broadcast {bc_id}: nothing left to stop.", file=sys.stderr)
                progress = await bc.progress(session, bc_id)
            if progress is None:
                print(f"No broadcast {bc_id}.", file=sys.stderr)
                return 1
            p = progress
            print(
                f"broadcast {bc_id} {p.status}: total {p.total}, sent {p.sent}, failed {p.failed}, "
                f"blocked {p.blocked}, pending {p.pending}, cancelled {p.cancelled}"
            )
            return 0
        text = sys.stdin.read() if args.text == "-" else (args.text or "")
        try:
            bc.check_text(text)
        except bc.BroadcastError as err:
            print(f"Not sent: {err.code} ({len(text.strip())} characters).", file=sys.stderr)
            return 2
        when = now
        if args.at:
            try:
                parsed: datetime | None = _instant(args.at)
            except ValueError:
                parsed = parse_when(args.at, now, ZoneInfo(settings.default_timezone))
            if parsed is None:
                print(f"Not sent: cannot read the time {args.at!r}.", file=sys.stderr)
                return 2
            when = parsed
        async with db.session() as session:
            try:
                people = await bc.recipients(session, args.audience, now, settings.default_timezone)
            except bc.BroadcastError as err:
                print(f"Not sent: {err.code}.", file=sys.stderr)
                return 2
            print(f"{len(people)} recipients ({args.audience}), at {when.isoformat()}. Preview:")
            print(bc.recipient_text(text))
            if not args.yes:
                print("(preview only: add --yes to queue it)")
                return 0
            try:
                row = await bc.create(
                    session, author_id=None, text=text, audience=args.audience, at=when, now=now
                )
            except bc.BroadcastError as err:
                print(f"Not sent: {err.code}.", file=sys.stderr)
                return 2
            await bc.start_due(session, now)
            bc_id = row.id
        print(f"Queued broadcast {bc_id}; a running bot or worker delivers it.")
        return 0
    finally:
        await db.dispose()
