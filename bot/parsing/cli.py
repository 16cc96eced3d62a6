"""``kinerja-bot parse``: JSON lines in, one JSON line of parsed activities out.

Each input line is ``{"text": "…", "now": "…"?}``; each output line is the parse (see
DESIGN §6) or ``{"error": "…"}`` for a bad line, and the run goes on. Output is flushed
per line so the command can sit behind a pipe.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.matching import SkpCandidate, rank
from bot.parsing.model import ParseResult
from bot.parsing.parser import parse_report


class CliError(ValueError):
    """A problem with the command's own arguments (not with one input line)."""


def _parse_now(raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError as exc:
        raise CliError(f"bad now {raw!r}: expected ISO 8601") from exc


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CliError(f"unknown time zone {name!r}") from exc


def load_skp(path: str) -> list[SkpCandidate]:
    """Read ``[{"id": 1, "title": "…", "rhk": "…"?}, …]``."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, json.JSONDecodeError) as exc:
        raise CliError(f"cannot read SKP file {path!r}: {exc}") from exc
    if not isinstance(data, list):
        raise CliError("SKP file must hold a JSON list")
    items: list[SkpCandidate] = []
    for entry in data:
        if not isinstance(entry, dict) or "id" not in entry or "title" not in entry:
            raise CliError('each SKP item needs "id" and "title"')
        try:
            item_id = int(entry["id"])
        except (TypeError, ValueError) as exc:
            raise CliError(f"bad SKP id {entry['id']!r}") from exc
        rhk = entry.get("rhk")
        items.append(SkpCandidate(item_id, str(entry["title"]), str(rhk) if rhk else None))
    return items


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def result_json(result: ParseResult, skp: Sequence[SkpCandidate]) -> dict[str, Any]:
    """The §6 contract shape of one parse."""
    return {
        "activities": [
            {
                "date": a.work_date.isoformat(),
                "minutes": a.minutes,
                "start": a.start.strftime("%H:%M") if a.start else None,
                "end": a.end.strftime("%H:%M") if a.end else None,
                "description": a.description,
                "quantity": _number(a.quantity),
                "unit": a.unit,
                "skp_suggestions": rank(a.description, skp) if skp else [],
            }
            for a in result.activities
        ],
        "warnings": list(result.warnings),
    }


def _line_output(
    raw: str, number: int, default_now: datetime | None, zone: ZoneInfo, skp: Sequence[SkpCandidate]
) -> dict[str, Any]:
    try:
        request = json.loads(raw)
    except json.JSONDecodeError as exc:
        return {"error": f"line {number}: not JSON ({exc.msg})"}
    if not isinstance(request, dict) or not isinstance(request.get("text"), str):
        return {"error": f'line {number}: expected an object with a "text" string'}
    now = default_now
    if request.get("now") is not None:
        if not isinstance(request["now"], str):
            return {"error": f'line {number}: "now" must be an ISO 8601 string'}
        try:
            now = _parse_now(request["now"])
        except CliError as exc:
            return {"error": f"line {number}: {exc}"}
    if now is None:
        now = datetime.now(zone)
    return result_json(parse_report(request["text"], now, zone), skp)


def run_cli(stdin: TextIO, stdout: TextIO, now: str | None, tz: str, skp_path: str | None) -> int:
    """Run the parse command; 0 on success, 2 when the arguments themselves are bad."""
    try:
        zone = _zone(tz)
        default_now = _parse_now(now) if now else None
        skp = load_skp(skp_path) if skp_path else []
    except CliError as exc:
        stdout.write(json.dumps({"error": str(exc)}, ensure_ascii=False) + "\n")
        stdout.flush()
        return 2
    for number, raw in enumerate(stdin, start=1):
        if not raw.strip():
            continue
        output = _line_output(raw, number, default_now, zone, skp)
        stdout.write(json.dumps(output, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bot.parsing.cli`` (the project CLI calls ``run_cli`` directly)."""
    parser = argparse.ArgumentParser(prog="kinerja-bot parse")
    parser.add_argument("--now", help="reference instant, ISO 8601 (default: now)")
    parser.add_argument("--tz", default="Asia/Jakarta", help="user time zone")
    parser.add_argument("--skp", help='JSON list of {"id", "title"} to rank')
    args = parser.parse_args(argv)
    return run_cli(sys.stdin, sys.stdout, args.now, args.tz, args.skp)


if __name__ == "__main__":
    raise SystemExit(main())
