"""The corpus of real-style reports: at least 97% of messages fully right.

"Fully right" = same number of activities, and for each: work date, minutes, the SKP
item ranked first (where one applies) and any start/end/quantity/unit/warnings the
corpus states. Misses are printed so a regression says what broke.
"""

from __future__ import annotations

from datetime import datetime

from bot.matching import SkpCandidate, rank
from bot.parsing import ParseResult
from bot.parsing.parser import parse_report_strict
from tests.unit.parser_corpus import ANY, MESSAGES, PERSONAS, Msg

REQUIRED_ACCURACY = 0.97


def _hhmm(value: object) -> str | None:
    return value.strftime("%H:%M") if value is not None else None  # type: ignore[attr-defined]


def check(msg: Msg, result: ParseResult) -> list[str]:
    """Differences between the expectation and the result (empty = fully right)."""
    problems: list[str] = []
    if len(result.activities) != len(msg.acts):
        problems.append(f"{len(result.activities)} activities, expected {len(msg.acts)}")
    skp = [SkpCandidate(s.id, s.title, s.rhk) for s in PERSONAS[msg.persona]]
    for i, (got, want) in enumerate(zip(result.activities, msg.acts, strict=False)):
        if got.work_date.isoformat() != want.date:
            problems.append(f"#{i} date {got.work_date} != {want.date}")
        if got.minutes != want.minutes:
            problems.append(f"#{i} minutes {got.minutes} != {want.minutes}")
        if want.start is not ANY and _hhmm(got.start) != want.start:
            problems.append(f"#{i} start {_hhmm(got.start)} != {want.start}")
        if want.end is not ANY and _hhmm(got.end) != want.end:
            problems.append(f"#{i} end {_hhmm(got.end)} != {want.end}")
        if want.qty is not ANY and got.quantity != want.qty:
            problems.append(f"#{i} quantity {got.quantity} != {want.qty}")
        if want.unit is not ANY and got.unit != want.unit:
            problems.append(f"#{i} unit {got.unit} != {want.unit}")
        if want.skp is not None:
            top = rank(got.description, skp)[0]
            if top != want.skp:
                problems.append(f"#{i} SKP {top} != {want.skp} for {got.description!r}")
    if msg.warnings is not ANY and tuple(result.warnings) != msg.warnings:
        problems.append(f"warnings {result.warnings} != {msg.warnings}")
    return problems


def test_corpus_is_big_and_varied() -> None:
    assert len(MESSAGES) >= 150
    assert len({m.persona for m in MESSAGES}) >= 6
    weekdays = {datetime.fromisoformat(m.now).weekday() for m in MESSAGES}
    assert weekdays >= {0, 1, 2, 3, 4}
    assert any(m.now.startswith("2026-01-0") for m in MESSAGES)  # year boundary
    assert any(m.now[8:10] in ("01", "02") for m in MESSAGES)  # month start
    assert sum(1 for m in MESSAGES for a in m.acts if a.skp is not None) >= 100


def test_corpus_accuracy() -> None:
    misses: list[str] = []
    for msg in MESSAGES:
        result = parse_report_strict(msg.text, datetime.fromisoformat(msg.now), msg.tz)
        problems = check(msg, result)
        if problems:
            misses.append(f"{msg.id}: {'; '.join(problems)}\n    {msg.text!r}")
    accuracy = 1 - len(misses) / len(MESSAGES)
    print(f"\ncorpus: {len(MESSAGES) - len(misses)}/{len(MESSAGES)} fully right ({accuracy:.1%})")
    for miss in misses:
        print("MISS", miss)
    assert accuracy >= REQUIRED_ACCURACY, "\n".join(misses)


def test_english_comma_lists_are_all_right() -> None:
    """Issue 7 leftover (defect 3 in English): every "en" case, not only 97% of them."""
    english = [m for m in MESSAGES if m.id.startswith("en")]
    assert len(english) >= 12
    for msg in english:
        result = parse_report_strict(msg.text, datetime.fromisoformat(msg.now), msg.tz)
        assert check(msg, result) == [], (msg.id, msg.text)
