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
from dataclasses import dataclass
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


SkpId = int | str


@dataclass(frozen=True, slots=True)
class SkpList:
    """SKP items to rank, with the ids as the file gave them (an integer or a string).

    The matcher ranks integer ids; ``given[i]`` is the id written for internal id ``i``.
    Internal ids follow the given ids' order (integers first, by value; then strings),
    so ties still go to the lower id.
    """

    candidates: tuple[SkpCandidate, ...]
    given: tuple[SkpId, ...]

    def ranked(self, description: str) -> list[SkpId]:
        return [self.given[i] for i in rank(description, self.candidates)]


def _skp_id(raw: object) -> SkpId:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip():
        return raw
    raise CliError(f"bad SKP id {raw!r}: expected an integer or a non-empty string")


def _id_order(item_id: SkpId) -> tuple[int, int, str]:
    return (0, item_id, "") if isinstance(item_id, int) else (1, 0, item_id)


def load_skp(path: str) -> SkpList:
    """Read ``[{"id": 1 | "RHK-1.2", "title": "…", "rhk": "…"?}, …]``."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, json.JSONDecodeError) as exc:
        raise CliError(f"cannot read SKP file {path!r}: {exc}") from exc
    if not isinstance(data, list):
        raise CliError("SKP file must hold a JSON list")
    entries: list[tuple[SkpId, str, str | None]] = []
    for entry in data:
        if not isinstance(entry, dict) or "id" not in entry or "title" not in entry:
            raise CliError('each SKP item needs "id" and "title"')
        rhk = entry.get("rhk")
        entries.append((_skp_id(entry["id"]), str(entry["title"]), str(rhk) if rhk else None))
    order = sorted(range(len(entries)), key=lambda i: _id_order(entries[i][0]))
    given = tuple(entries[i][0] for i in order)
    candidates = tuple(
        SkpCandidate(internal, entries[i][1], entries[i][2]) for internal, i in enumerate(order)
    )
    return SkpList(candidates, given)


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def result_json(result: ParseResult, skp: SkpList | None) -> dict[str, Any]:
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
                "skp_suggestions": skp.ranked(a.description) if skp else [],
            }
            for a in result.activities
        ],
        "warnings": list(result.warnings),
    }


def _line_output(
    raw: str, number: int, default_now: datetime | None, zone: ZoneInfo, skp: SkpList | None
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
        skp = load_skp(skp_path) if skp_path else None
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
    parser.add_argument(
        "--skp", help='JSON list of {"id", "title"} to rank (id an integer or a string)'
    )
    args = parser.parse_args(argv)
    return run_cli(sys.stdin, sys.stdout, args.now, args.tz, args.skp)


if __name__ == "__main__":
    raise SystemExit(main())
