"""Parser speed and date accuracy versus ``dateparser.search_dates`` on the corpus.

Run from the repository root: ``python bench/parse.py [--rounds N]``.

Both get the same messages with the same reference instant (dateparser with
``languages=["id", "en"]``, ``PREFER_DATES_FROM="past"``, ``RELATIVE_BASE`` = the
message's local time). Speed is messages per second of CPU time, the median pass of
each after a warm-up; passes alternate between the two, so load from other processes
hits both alike. Accuracy is how often the date found equals the expected
work date of the message's first activity; a message where nothing is found counts as
"today" for both (that is what a bot would assume).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import warnings
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dateparser.search import search_dates

from bot.parsing import parse_report
from bot.parsing.parser import local_today
from tests.unit.parser_corpus import MESSAGES

GOAL_RATIO = 20.0


def _local_naive(now: datetime, tz: str) -> datetime:
    if now.tzinfo is None:
        return now
    return now.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def _ours(text: str, now: datetime, tz: str) -> date:
    result = parse_report(text, now, tz)
    return result.activities[0].work_date if result.activities else local_today(now, tz)


def _dateparser(text: str, now: datetime, tz: str) -> date:
    base = _local_naive(now, tz)
    found = search_dates(
        text,
        languages=["id", "en"],
        settings={"PREFER_DATES_FROM": "past", "RELATIVE_BASE": base},
    )
    return found[0][1].date() if found else base.date()


def _alternating(cases: list[tuple[str, datetime, str]], rounds: int) -> tuple[float, float]:
    """CPU seconds per message for (ours, dateparser): the median pass of each.

    Passes alternate (ours, dateparser, ours, …) so that load from other processes
    hits both alike, and the median filters out bursts. CPU time of this process is
    used rather than wall time for the same reason.
    """
    clock = time.process_time
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(rounds):
        start = clock()
        for text, now, tz in cases:
            parse_report(text, now, tz)
        ours.append(clock() - start)
        start = clock()
        for text, now, tz in cases:
            _dateparser(text, now, tz)
        theirs.append(clock() - start)
    n = len(cases)
    return statistics.median(ours) / n, statistics.median(theirs) / n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # dateparser's deprecation chatter

    cases = [(m.text, datetime.fromisoformat(m.now), m.tz) for m in MESSAGES]
    expected = [date.fromisoformat(m.acts[0].date) for m in MESSAGES]
    n = len(cases)

    for text, now, tz in cases:  # warm-up: compiled patterns, stemmer, zone cache
        _ours(text, now, tz)
    _dateparser(*cases[0])
    # Long-lived objects (dateparser's language data above all) out of the collector's
    # way, as a server process would have them: otherwise every full collection
    # triggered by either parser walks them and the timings measure the GC.
    gc.collect()
    gc.freeze()

    ours_per_msg, dp_per_msg = _alternating(cases, args.rounds)

    latencies = []
    for text, now, tz in cases:
        start = time.perf_counter()
        parse_report(text, now, tz)
        latencies.append((time.perf_counter() - start) * 1e6)

    ours_ok = [_ours(*c) == e for c, e in zip(cases, expected, strict=True)]
    dp_ok = [_dateparser(*c) == e for c, e in zip(cases, expected, strict=True)]
    not_today = [
        i
        for i, (c, e) in enumerate(zip(cases, expected, strict=True))
        if e != local_today(c[1], c[2])
    ]

    ours_rate, dp_rate = 1 / ours_per_msg, 1 / dp_per_msg
    ratio = ours_rate / dp_rate
    print(f"corpus: {n} messages ({len(not_today)} whose work date is not today)")
    print(f"kinerja parser : {ours_rate:10.0f} msg/s  ({ours_per_msg * 1e6:7.1f} us/msg CPU)")
    print(f"dateparser     : {dp_rate:10.1f} msg/s  ({dp_per_msg * 1e6:7.1f} us/msg CPU)")
    print(f"speed ratio    : {ratio:10.1f}x  (goal >= {GOAL_RATIO:.0f}x)")
    print(
        f"our latency    : median {statistics.median(latencies):.0f} us, "
        f"p95 {sorted(latencies)[int(0.95 * n)]:.0f} us, max {max(latencies):.0f} us"
    )
    print(f"date accuracy  : kinerja {sum(ours_ok) / n:6.1%}   dateparser {sum(dp_ok) / n:6.1%}")
    print(
        f"  not-today set: kinerja {sum(ours_ok[i] for i in not_today) / len(not_today):6.1%}"
        f"   dateparser {sum(dp_ok[i] for i in not_today) / len(not_today):6.1%}"
    )
    print("goal met" if ratio >= GOAL_RATIO else "below goal")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
