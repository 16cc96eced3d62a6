"""Command line (DESIGN §6): `kinerja-bot <command>` or `python -m bot <command>`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import ConfigError, load_settings

NO_TOKEN = (
    "TELEGRAM_BOT_TOKEN is not set.\n"
    "Get a token from @BotFather in Telegram (/newbot), then:\n"
    "  export TELEGRAM_BOT_TOKEN=123456789:ABC...\n"
    "To try the bot without Telegram, run the local sandbox with demo data:\n"
    "  kinerja-bot sandbox"
)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kinerja-bot", description="Kinerja Bot (not an official BKN product)"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="long polling with scheduler and outbox sender")
    sb = sub.add_parser("sandbox", help="local Telegram sandbox + bot + demo data")
    sb.add_argument("--port", type=int, default=8080)
    sb.add_argument("--host", default="127.0.0.1")
    sb.add_argument("--no-demo", action="store_true", help="do not seed demo data")
    sv = sub.add_parser("serve", help="webhook mode + /healthz")
    sv.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    sv.add_argument("--host", default="0.0.0.0")
    sub.add_parser("worker", help="scheduler + outbox sender only")
    sub.add_parser("migrate", help="apply database migrations")
    ie = sub.add_parser("import-employees", help="import employees from CSV")
    ie.add_argument("file")
    isk = sub.add_parser("import-skp", help="import SKP items from CSV")
    isk.add_argument("file")
    inv = sub.add_parser("invite", help="print an invite deep link for a NIP")
    inv.add_argument("nip")
    ex = sub.add_parser("export", help="write the e-Kinerja XLSX (or CSV) for a month")
    ex.add_argument("--month", required=True, help="YYYY-MM")
    who = ex.add_mutually_exclusive_group()
    who.add_argument("--nip", default=None)
    who.add_argument("--unit", type=int, default=None, help="unit id (with the units below it)")
    ex.add_argument("--all", action="store_true", help="also entries not yet approved")
    ex.add_argument("--csv", action="store_true", help="CSV of the first sheet")
    ex.add_argument("--out", required=True)
    rm = sub.add_parser("remind", help="who would be reminded now and why not (issue 10)")
    rm.add_argument("--dry-run", action="store_true", help="only list; without it, queue")
    rm.add_argument("--at", default=None, help="ISO 8601 instant instead of now")
    rm.add_argument(
        "--json", action="store_true", help='JSON lines {"nip","name","remind","reason"}'
    )
    bc = sub.add_parser("broadcast", help="send a broadcast (preview unless --yes)")
    bc.add_argument("--text", default=None, help="message text ('-' reads stdin)")
    bc.add_argument("--audience", default="all", help="all | atasan | not_reported | unit:ID")
    bc.add_argument("--at", default=None, help='when: "sekarang", "15.30", "besok 08.00", ISO')
    bc.add_argument("--yes", action="store_true", help="queue it (without: preview only)")
    bc.add_argument("--status", type=int, default=None, help="progress of broadcast ID")
    bc.add_argument("--cancel", type=int, default=None, help="stop broadcast ID")
    pa = sub.add_parser("parse", help="parse report texts (JSON lines on stdin)")
    pa.add_argument("--now", default=None, help="ISO 8601 instant used as 'now'")
    pa.add_argument("--tz", default="Asia/Jakarta")
    pa.add_argument("--skp", default=None, help='JSON list of {"id", "title"}')
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "httpcore", "apscheduler", "uvicorn.access", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if args.command == "parse":
        from bot.parsing.cli import run_cli

        return int(run_cli(sys.stdin, sys.stdout, args.now, args.tz, args.skp))
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    from bot import cli_commands as cmd

    try:
        if args.command == "run":
            if settings.telegram_bot_token is None:
                print(NO_TOKEN, file=sys.stderr)
                return 2
            return asyncio.run(cmd.run_polling(settings))
        if args.command == "sandbox":
            return asyncio.run(cmd.run_sandbox(settings, args.host, args.port, not args.no_demo))
        if args.command == "serve":
            if settings.telegram_bot_token is None:
                print(NO_TOKEN, file=sys.stderr)
                return 2
            return cmd.run_serve(settings, args.host, args.port)
        if args.command == "worker":
            if settings.telegram_bot_token is None:
                print(NO_TOKEN, file=sys.stderr)
                return 2
            return asyncio.run(cmd.run_worker(settings))
        if args.command == "migrate":
            return asyncio.run(cmd.migrate(settings))
        if args.command == "import-employees":
            text = cmd.read_csv(Path(args.file), settings.default_language)
            return 2 if text is None else asyncio.run(cmd.import_employees(settings, text))
        if args.command == "import-skp":
            text = cmd.read_csv(Path(args.file), settings.default_language)
            return 2 if text is None else asyncio.run(cmd.import_skp(settings, text))
        if args.command == "export":
            return asyncio.run(cmd.export(settings, args))
        if args.command == "invite":
            return asyncio.run(cmd.invite(settings, args.nip))
        if args.command == "remind":
            return asyncio.run(cmd.remind(settings, args.at, args.dry_run, args.json))
        if args.command == "broadcast":
            return asyncio.run(cmd.broadcast(settings, args))
    except KeyboardInterrupt:
        return 130
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
