"""``parse_report``: a free-text daily report into e-Kinerja activities.

Overnight ranges are split at midnight (issue 8 defect 6): e-Kinerja's Progres Harian
needs Jam Mulai before Jam Selesai on one Tanggal, so "23.00-01.00 ronda malam" becomes
two activities: 23.00-23.59 on its day, counted 60 minutes (to 24.00), and 00.00-01.00
on the next day, counted 60 (``overnight_split`` on both). When the next day is still in
the future only the first part is kept (``overnight_later``: report the rest on that
day). "22.00-24.00" ends at 23.59 and is not split. No activity ends at or before its
start; a range that starts and ends at the same minute is no range.

Warnings (``WARNING_CODES`` lists them all; the chat has a text for each):
``future_date_ignored`` a future date ("besok", "tomorrow") was read, the activity is
today's; ``impossible_date`` a day the month lacks ("tanggal 31 Februari"), today's too
and the date words are not in the description; ``empty_description`` no word left
("& < > … 1 jam"); ``generic_description`` too vague for e-Kinerja; ``no_duration``;
``duration_too_long`` one activity over 16 h ("rapat 17 jam", kept as typed up to 24 h
so a 24-hour duty can be filed); ``overlap`` two timed activities of a day overlap;
``day_over_16h`` several activities of one day add up to more than 16 h.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache, partial
from typing import Final
from zoneinfo import ZoneInfo

from bot.parsing.dates import best_date, find_dates, find_year_dates
from bot.parsing.durations import MAX_MINUTES, find_durations, find_ranges
from bot.parsing.model import (
    DAY_OVER_16H,
    DURATION_TOO_LONG,
    EMPTY_DESCRIPTION,
    FUTURE_DATE_IGNORED,
    GENERIC_DESCRIPTION,
    IMPOSSIBLE_DATE,
    NO_DURATION,
    OVERLAP,
    OVERNIGHT_LATER,
    OVERNIGHT_SPLIT,
    ParsedActivity,
    ParseResult,
)
from bot.parsing.normalize import clean, drop_symbols, lower, strip_bullet
from bot.parsing.quantity import PERSON_UNITS, find_quantity
from bot.parsing.scan import ScannedLine, scan_line
from bot.parsing.spans import DateItem, Occupied, TimeItem, digit_runs, has_any
from bot.parsing.splitting import (
    NO_WORK,
    Part,
    classify,
    header_prefix,
    only_filler,
    split_at_measures,
    split_line,
)
from bot.parsing.vague import is_vague

log = logging.getLogger(__name__)

DEFAULT_TZ: Final = "Asia/Jakarta"
DAY_LIMIT_MINUTES: Final = 16 * 60
_SCHEDULE_GAP_LIMIT: Final = 6 * 60
_WARNING_ORDER: Final[tuple[str, ...]] = (
    FUTURE_DATE_IGNORED,
    IMPOSSIBLE_DATE,
    EMPTY_DESCRIPTION,
    GENERIC_DESCRIPTION,
    NO_DURATION,
    DURATION_TOO_LONG,
    OVERLAP,
    DAY_OVER_16H,
    OVERNIGHT_SPLIT,
    OVERNIGHT_LATER,
)
#: A description needs a word of two letters or more ("& < > …" and "8B" have none).
_WORD_OF_TWO: Final = re.compile(r"[^\W\d_]{2}")
_NO_WORK_HINTS: Final = (
    "tidak",
    "tdk",
    "no activ",
    "day off",
    "libur",
    "cuti",
    "izin",
    "sakit",
    "off",
)
# "Pagi pak, tadi rapat…": a greeting before the first activity is not part of it.
_GREETING_PREFIX: Final = re.compile(
    r"\s*(?:selamat\s+(?:pagi|siang|sore|malam)|assalamu\S*(?:\s+wr\.?\s*wb\.?)?"
    r"|(?:pagi|siang|sore|malam)(?=\s+(?:pak|bu|bpk|bapak|ibu|kak|bos|semua|all)\b)"
    r"|izin\s+lapor|ijin\s+lapor|mohon\s+izin|halo|hai|dear|hello|hi"
    r"|good\s+(?:morning|afternoon|evening))"
    r"(?:\s+(?:pak|bu|bpk|bapak|ibu|bapak/ibu|kak|bos|semua|all|sir|madam|ma'am|everyone|team)"
    r"(?:\s+[\w.]+){0,2})?"
    r"\s*[,.!:;]\s*"
)
_GREETING_STARTS: Final = (
    "selamat", "assalam", "pagi", "siang", "sore", "malam", "izin", "ijin", "mohon", "halo",
    "hai", "dear", "hello", "hi", "good",
)  # fmt: skip
_BREAK_WORDS: Final = frozenset(
    "istirahat ishoma isoma rehat break lunch makan sholat shalat solat pulang selesai".split()
)
#: Breaks and the end of the day ("12.00 ishoma", "15.00 pulang"): not activities, but
#: their time ends the activity before them.
_BREAK: Final = re.compile(
    r"(?:istirahat|ishoma|isoma|rehat|break|lunch|makan\s+siang|sholat|shalat|solat)"
    r"(?:\s+(?:siang|makan\s+siang|sholat|shalat|dzuhur|zuhur|ashar|break|dan\s+\w+))*"
    r"|(?:pulang|selesai)(?:\s+(?:kantor|kerja|dinas|sekolah|ke\s+rumah))?"
)
#: What is left of "…, selesai jam 11" once the time is taken: no activity of its own.
_END_WORDS: Final = frozenset(
    (
        *"selesai sampai hingga until till to s.d s.d. s/d sd berakhir finished end done".split(),
        "sampai dengan",
        "selesai jam",
    )
)
_ALNUM: Final = re.compile(r"[^\W_]")
_LETTER: Final = re.compile(r"[^\W\d_]")

_EMPTY_BRACKETS: Final = re.compile(r"\(\s*[-,.;:&/+]*\s*\)|\[\s*[-,.;:&/+]*\s*\]")
_CONNECT = (
    r"dan|lalu|kemudian|serta|setelah\s+itu|selanjutnya|lanjut|then|and|trus|terus|after\s+that"
)
_LEAD: Final = re.compile(
    rf"^(?:[\s,.;:&/+~±>=*-]+|(?:{_CONNECT}|saya|sy|aku|i|pada|hari|tgl|tanggal|on|yang|yg|dari"
    r"|mulai|sejak|pukul|jam|pkl|at|selama|sekitar|kurang\s+lebih|total|lupa\s+lapor"
    r"|(?:pagi|siang|sore|malam)\s*:|s\.d\.?|s/d)(?![\w'-]))+",
    re.IGNORECASE,
)
#: First words that may start a leading run to drop (tested before running ``_LEAD``).
_LEAD_WORDS: Final = frozenset(
    """
    dan lalu kemudian serta setelah selanjutnya lanjut then and trus terus after saya sy aku i
    pada hari tgl tanggal on yang yg dari mulai sejak pukul jam pkl at selama sekitar kurang
    total lupa pagi siang sore malam pagi: siang: sore: malam: s.d s.d. s/d
    """.split()
)
_TRAIL_WORDS: Final = frozenset(
    """
    dan lalu kemudian serta selanjutnya lanjut then and trus terus dari mulai pada selama sekitar
    sampai hingga s.d s.d. sd s/d pukul jam pkl di ke for at from to on yang yg utk untuk dengan
    dgn total sebanyak hari tgl tanggal wib wita wit sejak kurleb kira-kira about around approx
    """.split()
)
_TRAIL_PAIRS: Final = frozenset({"setelah itu", "after that", "kurang lebih", "lupa lapor"})
_TRAIL_PUNCT: Final = " ,.;:&/+~±(=*-"


_TRAIL_PAIR_ENDS: Final = frozenset(pair.rpartition(" ")[2] for pair in _TRAIL_PAIRS)


def _strip_trailing(text: str) -> str:
    """Drop dangling connectors/punctuation at the end ("rapat, lalu" → "rapat").

    A loop over words, not a ``…+$`` regex: that one costs tens of microseconds a line.
    """
    while True:
        text = text.rstrip(_TRAIL_PUNCT)
        head, _, last = text.rpartition(" ")
        last = last.lower()
        if last in _TRAIL_WORDS:
            text = head
            continue
        if last in _TRAIL_PAIR_ENDS:
            head2, _, prev = head.rpartition(" ")
            if f"{prev.lower()} {last}" in _TRAIL_PAIRS:
                text = head2
                continue
        return text


_SPACE_BEFORE_PUNCT: Final = re.compile(r"\s+([,.;:)\]])")
_SPACE_AFTER_OPEN: Final = re.compile(r"([(\[])\s+")
_REPEATED_PUNCT: Final = re.compile(r"([,;:])(?:\s*[,;:])+")
_SPACES: Final = re.compile(r"\s+")


def zone(tz: str | ZoneInfo) -> ZoneInfo:
    """The user's zone; an unknown name falls back to WIB rather than failing."""
    if isinstance(tz, ZoneInfo):
        return tz
    return _zone_named(tz)


@lru_cache(maxsize=64)
def _zone_named(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ValueError, KeyError, OSError):
        return ZoneInfo(DEFAULT_TZ)


def local_today(now: datetime, tz: str | ZoneInfo = DEFAULT_TZ) -> date:
    """Today in the user's zone; a naive ``now`` is already local time there."""
    if now.tzinfo is None or now.utcoffset() is None:
        return now.date()
    return now.astimezone(zone(tz)).date()


@dataclass(slots=True)
class _Draft:
    work_date: date
    minutes: int | None
    start: time | None
    end: time | None
    description: str
    quantity: float | None
    unit: str | None
    warnings: set[str] = field(default_factory=set)
    date_from_text: bool = False
    #: A timed break ("12.00 ishoma"): only ends the activity before it, then dropped.
    is_break: bool = False
    #: The future date that was read (``FUTURE_DATE_IGNORED``), to name it in the question.
    future_date: date | None = None


_SPACED_PUNCT: Final = (" ,", " .", " ;", " :", " )", " ]")
_DOUBLE_PUNCT: Final = re.compile(r"[,;] ?[,;]|:,|,:")


def tidy(text: str) -> str:
    """One clean line: no emoji, no dangling connectors or punctuation, capitalised."""
    if not text.isascii():
        text = drop_symbols(text)
    text = " ".join(text.split())
    for _ in range(3):
        before = len(text)
        if "(" in text or "[" in text:
            text = " ".join(_EMPTY_BRACKETS.sub(" ", text).split())
        first = text[:1]
        if first and (not first.isalnum() or text.partition(" ")[0].lower() in _LEAD_WORDS):
            text = _LEAD.sub("", text)
        text = _strip_trailing(text)
        if len(text) == before:
            break
    if has_any(text, _SPACED_PUNCT):
        text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    if "( " in text or "[ " in text:
        text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    if ("," in text or ";" in text) and _DOUBLE_PUNCT.search(text) is not None:
        text = _REPEATED_PUNCT.sub(r"\1", text)
    if "(" in text and text.count("(") > text.count(")") and text[-1:].isalnum():
        text += ")"
    return text[:1].upper() + text[1:]


def _cut(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    pieces: list[str] = []
    pos = start
    for s, e in sorted(spans):
        s, e = max(s, pos), min(e, end)
        if s >= e:
            continue
        pieces.append(text[pos:s])
        pieces.append(" ")
        pos = e
    pieces.append(text[pos:end])
    return "".join(pieces)


def _is_leading(line: ScannedLine, item: DateItem, part_start: int) -> bool:
    """A date before any activity words: it was meant as the work date."""
    spans = [(t.start, t.end) for t in line.times] + [(d.start, d.end) for d in line.dates]
    return only_filler(_cut(line.low, part_start, item.start, spans))


def _minute_of(t: time) -> int:
    return t.hour * 60 + t.minute


def _add_minutes(t: time, minutes: int) -> time:
    return (datetime.combine(date(2000, 1, 1), t) + timedelta(minutes=minutes)).time()


def _timing(items: list[TimeItem]) -> tuple[int | None, time | None, time | None]:
    if len(items) == 1:  # the usual case: one range, duration or start time
        only = items[0]
        if only.kind == "range":
            return min(only.minutes or 0, MAX_MINUTES) or None, only.t_start, only.t_end
        if only.kind == "dur":
            return min(only.minutes or 0, MAX_MINUTES), None, None
        return None, only.t_start, None
    ranges = [t for t in items if t.kind == "range"]
    if ranges:
        minutes = sum(r.minutes or 0 for r in ranges)
        return min(minutes, MAX_MINUTES) or None, ranges[0].t_start, ranges[-1].t_end
    clocks = [t for t in items if t.kind == "clock"]
    start = clocks[0].t_start if clocks else None
    durations = [t for t in items if t.kind == "dur"]
    if durations:
        minutes = min(sum(d.minutes or 0 for d in durations), MAX_MINUTES)
        return minutes, start, _add_minutes(start, minutes) if start else None
    if len(clocks) >= 2 and start and clocks[1].t_start and clocks[1].t_start > start:
        end = clocks[1].t_start
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        return minutes, start, end
    return None, start, None


@dataclass(slots=True)
class _PartResult:
    draft: _Draft
    own_date: DateItem | None
    has_text: bool
    ranges_only: bool


def _build(line: ScannedLine, part: Part, today: date) -> _PartResult | None:
    a, b = part.start, part.end
    text, low = line.text, line.low
    whole = a == 0 and b == len(text)
    items = line.times if whole else [t for t in line.times if a <= t.start < b]
    dates = line.dates if whole else [d for d in line.dates if a <= d.start < b]
    removed = [(t.start, t.end) for t in items]
    leading_future: date | None = None
    impossible = False
    for d in dates:
        if d.impossible:
            impossible = True
        if not d.future:
            removed.append((d.start, d.end))
        elif _is_leading(line, d, a):
            removed.append((d.start, d.end))
            leading_future = leading_future or d.value
    raw = _cut(text, a, b, removed) if removed else text[a:b]
    if whole:
        work = line.work_items
    else:
        work = [t for t in items if t.kind != "clock"] if items else []
    if not work and has_any(low[a:b] if not whole else low, _NO_WORK_HINTS):
        if NO_WORK.search(lower(raw)):
            return None
    if a == 0 or not low[:a].strip(" :"):
        # The anchored match fails at once on most lines; the word test is the rule's.
        greeting = _GREETING_PREFIX.match(lower(raw))
        if greeting is not None and has_any(low[:12], _GREETING_STARTS):
            raw = raw[greeting.end() :]
    description = tidy(raw)
    first_word = description.partition(" ")[0].lower()
    is_break = first_word in _BREAK_WORDS and _BREAK.fullmatch(description.lower()) is not None
    minutes, start, end = _timing(items) if items else (None, None, None)
    own_date = best_date(dates) if dates else None
    if is_break:  # breaks are not e-Kinerja activities; a timed one ends the one before
        if start is None:
            return None
        draft = _Draft(today, minutes, start, end, description, None, None, is_break=True)
        return _PartResult(draft, own_date, True, False)
    qty = find_quantity(low, line.occupied, a, b) if line.has_digits else None
    draft = _Draft(
        today, minutes, start, end, description, qty[0] if qty else None, qty[1] if qty else None
    )
    if leading_future:
        draft.warnings.add(FUTURE_DATE_IGNORED)
        draft.future_date = leading_future
    if impossible:
        draft.warnings.add(IMPOSSIBLE_DATE)
    has_text = _LETTER.search(description) is not None and (
        len(description) > 13 or description.lower() not in _END_WORDS
    )
    ranges_only = bool(work) and all(t.kind == "range" for t in work)
    return _PartResult(draft, own_date, has_text, ranges_only)


def _share_leading_sessions(results: list[_PartResult]) -> None:
    lead = 0
    while lead < len(results) and not results[lead].has_text:
        lead += 1
    if lead == 0 or lead == len(results):
        return
    group = results[: lead + 1]
    if not all(r.ranges_only for r in group):
        return
    source = results[lead]
    shared = next((r.own_date for r in group if r.own_date is not None), None)
    for r in group:
        r.own_date = r.own_date or shared
        if r is not source:
            r.draft.description = source.draft.description
            r.draft.quantity, r.draft.unit = source.draft.quantity, source.draft.unit
            r.has_text = True


def _merge_empty(results: list[_PartResult]) -> list[_PartResult]:
    """A part with no words of its own ("…, 10.15-11.45") is not a new activity.

    Two sessions ("07.00-08.30 and 10.15-11.45") keep the first one's description (and
    date); an extra duration ("2 jam dan 30 menit") is added to the previous activity.
    Sessions written before the words ("07.00-08.30 dan 10.15-11.45 mengawas ujian")
    take the words that follow them.
    """
    if len(results) <= 1:
        return results
    _share_leading_sessions(results)
    out: list[_PartResult] = []
    for r in results:
        if r.has_text or not out:
            out.append(r)
            continue
        prev = out[-1]
        if r.ranges_only and prev.ranges_only:
            r.draft.description = prev.draft.description
            r.draft.quantity, r.draft.unit = prev.draft.quantity, prev.draft.unit
            r.has_text = True
            r.own_date = r.own_date or prev.own_date  # another session of the same activity
            out.append(r)
        elif r.draft.minutes:
            prev.own_date = prev.own_date or r.own_date
            prev.draft.minutes = min((prev.draft.minutes or 0) + r.draft.minutes, MAX_MINUTES)
            if prev.draft.start and prev.draft.end and r.draft.end:
                prev.draft.end = r.draft.end
            elif prev.draft.start and not prev.draft.end:  # "rapat jam 9, selama 2 jam"
                prev.draft.end = _add_minutes(prev.draft.start, prev.draft.minutes)
        elif r.draft.start and prev.draft.start and not prev.draft.end and not prev.draft.minutes:
            # "rapat mulai jam 9, selesai jam 11": the second time ends the first activity.
            gap = _minute_of(r.draft.start) - _minute_of(prev.draft.start)
            if 0 < gap:
                prev.draft.minutes, prev.draft.end = gap, r.draft.start
    if len(out) > 1 and not out[0].has_text:
        first, second = out[0], out[1]
        if first.draft.minutes and not second.draft.minutes:
            second.draft.minutes, second.draft.start, second.draft.end = (
                first.draft.minutes,
                first.draft.start,
                first.draft.end,
            )
            second.own_date = second.own_date or first.own_date
            out = out[1:]
    return out


def _leading_dates(line: ScannedLine, start: int) -> list[DateItem]:
    """Dates that open the line: in its "Senin:" prefix (ending at ``start``) or after
    it, before any activity words.

    "kemarin rapat 1,5 jam; 13.00-15.30 menyusun modul", "tgl 28 08.00-10.00 rapat, …":
    such a date dates every activity after it, like a header (issue 7 defect 19).
    """
    words_from = start
    if has_any(line.low[start : start + 12], _GREETING_STARTS):  # "Izin lapor, kemarin …"
        greeting = _GREETING_PREFIX.match(line.low, start)
        words_from = greeting.end() if greeting is not None else start
    lead: list[DateItem] = []
    for d in line.dates:  # sorted by position: the leading ones come first
        if d.end <= start or (
            d.start >= words_from and (d.start == words_from or _is_leading(line, d, words_from))
        ):
            lead.append(d)
            words_from = max(words_from, d.end) if d.start == words_from else words_from
        else:
            break
    return lead


_MEASURE_SEPS: Final = (",", "lalu", "kemudian", "terus", "trus", "then")


def _may_split_at_measures(line: ScannedLine) -> bool:
    """Cheap gate: a separator, a number no time/date/class took (a quantity's), and
    another measure. Two times alone were split by ``split_line`` already."""
    if not line.has_digits or (len(digit_runs(line.low)) < 2 and not line.times):
        return False
    if not has_any(line.low, _MEASURE_SEPS):
        return False
    if line.times:  # a timed activity may be followed by one with no measure of its own
        return True
    claimed = line.occupied.spans
    free_numbers = 0
    for run_start, _ in digit_runs(line.low):
        for s, e in claimed:
            if s <= run_start < e:
                break
        else:
            free_numbers += 1
    return free_numbers >= 1 and free_numbers + len(line.times) >= 2


def _has_output(line: ScannedLine, start: int, end: int) -> bool:
    """An output count ("35 lembar"); people served ("38 pasien") measure the work before."""
    found = find_quantity(line.low, line.occupied, start, end)
    return found is not None and found[1] not in PERSON_UNITS


def _assign_dates(results: list[_PartResult], scope_date: date) -> None:
    """A part's own date applies to that part only; the others get the scope's date.

    A date that opens the line is the scope's already; one written after an activity's
    text began ("rapat evaluasi kemarin 2 jam, …", "…; kemarin mengoreksi 1 jam") is
    that activity's own.
    """
    for r in results:
        if r.own_date is not None:
            r.draft.work_date = r.own_date.value
            r.draft.date_from_text = True
        else:
            r.draft.work_date = scope_date


def _infer_schedule(drafts: list[_Draft]) -> None:
    """ "07.30 apel / 08.00 mengajar": a start time ends where the next one starts."""
    for i, d in enumerate(drafts):
        if d.start is None or d.end is not None or d.minutes is not None:
            continue
        for nxt in drafts[i + 1 :]:
            if nxt.work_date != d.work_date or nxt.start is None:
                continue
            gap = (nxt.start.hour * 60 + nxt.start.minute) - (d.start.hour * 60 + d.start.minute)
            if 0 < gap <= _SCHEDULE_GAP_LIMIT:
                d.minutes, d.end = gap, nxt.start
            break


def _check_overlaps(drafts: list[_Draft]) -> None:
    spans: list[tuple[date, int, int, _Draft]] = []
    for d in drafts:
        if d.start is not None and d.minutes:
            begin = d.start.hour * 60 + d.start.minute
            spans.append((d.work_date, begin, begin + d.minutes, d))
    for i, (day_a, s_a, e_a, d_a) in enumerate(spans):
        for day_b, s_b, e_b, d_b in spans[i + 1 :]:
            if day_a == day_b and s_a < e_b and s_b < e_a:
                d_a.warnings.add(OVERLAP)
                d_b.warnings.add(OVERLAP)


def _check_day_totals(drafts: list[_Draft]) -> None:
    """Several activities of one day add up to more than 16 h (one alone is
    ``DURATION_TOO_LONG`` instead)."""
    totals: dict[date, int] = {}
    counts: dict[date, int] = {}
    for d in drafts:
        totals[d.work_date] = totals.get(d.work_date, 0) + (d.minutes or 0)
        counts[d.work_date] = counts.get(d.work_date, 0) + 1
    for d in drafts:
        if totals[d.work_date] > DAY_LIMIT_MINUTES and counts[d.work_date] > 1:
            d.warnings.add(DAY_OVER_16H)


def parse_report_strict(text: str, now: datetime, tz: str | ZoneInfo = DEFAULT_TZ) -> ParseResult:
    """``parse_report`` without the safety net (tests use it so bugs surface)."""
    today = local_today(now, tz)
    drafts: list[_Draft] = []
    message_warnings: list[str] = []
    scope: date | None = None
    scope_future: date | None = None  # a future header date: activities under it are asked
    future_used = False
    after_closing = False
    for raw_line in clean(text).split("\n"):
        body = strip_bullet(raw_line)
        if not _ALNUM.search(body):
            continue
        line = scan_line(body, today)
        kind = classify(line, after_closing)
        if kind == "closing":
            after_closing = True
            continue
        if kind == "skip":
            continue
        if kind == "header":
            scope, scope_future, future_used = _header_scope(
                line.dates, scope, scope_future, future_used, message_warnings
            )
            continue
        prefix_end = header_prefix(line)
        if line.dates:
            # "Senin: …" and "kemarin …" alike: a date before any activity words scopes
            # this line's activities and the lines below until another date appears.
            lead = _leading_dates(line, prefix_end)
            if lead:
                scope, scope_future, future_used = _header_scope(
                    lead, scope, scope_future, future_used, message_warnings
                )
        parts = split_line(line, prefix_end)
        if _may_split_at_measures(line):
            parts = split_at_measures(line, parts, partial(_has_output, line))
        results = [r for p in parts if (r := _build(line, p, today))]
        results = _merge_empty(results)
        _assign_dates(results, scope or today)
        for r in results:
            if scope_future and not r.draft.date_from_text and not r.draft.is_break:
                r.draft.warnings.add(FUTURE_DATE_IGNORED)
                r.draft.future_date = r.draft.future_date or scope_future
                future_used = True
            drafts.append(r.draft)
    if scope_future and not future_used and FUTURE_DATE_IGNORED not in message_warnings:
        message_warnings.append(FUTURE_DATE_IGNORED)
    return _finish(_split_overnight(drafts, today), message_warnings)


_DAY_MINUTES: Final = 24 * 60
_LAST_MINUTE: Final = time(23, 59)  # e-Kinerja has no 24.00: the day's part ends at 23.59


def _split_overnight(drafts: list[_Draft], today: date) -> list[_Draft]:
    """Ranges past midnight in two parts (module docstring); the others as they are."""
    out: list[_Draft] = []
    for d in drafts:
        if d.start is None or d.end is None or not d.minutes or d.is_break:
            out.append(d)
            continue
        begin, finish = _minute_of(d.start), _minute_of(d.end)
        if finish > begin:
            out.append(d)
            continue
        first = min(d.minutes, _DAY_MINUTES - begin)
        rest = d.minutes - first
        d.minutes, d.end = first, _LAST_MINUTE
        out.append(d)
        if rest <= 0:  # "22.00-24.00": ends at midnight, nothing on the next day
            continue
        next_day = d.work_date + timedelta(days=1)
        if next_day > today:
            d.warnings.add(OVERNIGHT_LATER)
            continue
        d.warnings.add(OVERNIGHT_SPLIT)
        tail = _Draft(
            next_day,
            rest,
            _add_minutes(time(0, 0), max(finish - rest, 0)),
            time(finish // 60, finish % 60),
            d.description,
            None,
            None,
            {OVERNIGHT_SPLIT} | (d.warnings & {GENERIC_DESCRIPTION}),
            d.date_from_text,
        )
        out.append(tail)
    return out


def _header_scope(
    dates: list[DateItem],
    scope: date | None,
    scope_future: date | None,
    future_used: bool,
    message_warnings: list[str],
) -> tuple[date | None, date | None, bool]:
    """New (scope, the future date read if the scope is one, future_warning_used) after a
    header line."""
    for d in dates:
        if d.impossible and IMPOSSIBLE_DATE not in message_warnings:
            message_warnings.append(IMPOSSIBLE_DATE)  # "Tanggal 31 April:": scope stays
    chosen = best_date(dates)
    if chosen is not None:
        if scope_future and not future_used:
            message_warnings.append(FUTURE_DATE_IGNORED)
        return chosen.value, None, False
    future = next((d.value for d in dates if d.future), None)
    if future is not None:
        if scope_future and not future_used:
            message_warnings.append(FUTURE_DATE_IGNORED)
        return None, future, False
    return scope, scope_future, future_used


def _finish(drafts: list[_Draft], message_warnings: list[str]) -> ParseResult:
    if len(drafts) > 1:
        _infer_schedule(drafts)
        drafts = [d for d in drafts if not d.is_break]
        _check_overlaps(drafts)
        if sum(d.minutes or 0 for d in drafts) > DAY_LIMIT_MINUTES:
            _check_day_totals(drafts)
    elif drafts and drafts[0].is_break:
        drafts = []
    activities: list[ParsedActivity] = []
    seen: list[str] = []
    for d in drafts:
        if not d.description[:2].isalpha() and _WORD_OF_TWO.search(d.description) is None:
            d.warnings.add(EMPTY_DESCRIPTION)
        elif is_vague(d.description):
            d.warnings.add(GENERIC_DESCRIPTION)
        if (d.minutes or 0) > DAY_LIMIT_MINUTES:
            d.warnings.add(DURATION_TOO_LONG)
        if not d.minutes:
            d.minutes = None
            d.warnings.add(NO_DURATION)
        if d.warnings:
            ordered = tuple(w for w in _WARNING_ORDER if w in d.warnings)
            for w in ordered:
                if w not in seen:
                    seen.append(w)
        else:
            ordered = ()
        activities.append(
            ParsedActivity(
                d.work_date,
                d.minutes,
                d.start,
                d.end,
                d.description,
                d.quantity,
                d.unit,
                ordered,
                d.future_date if FUTURE_DATE_IGNORED in d.warnings else None,
            )
        )
    for extra in message_warnings:
        if extra not in seen:
            seen.append(extra)
    return ParseResult(tuple(activities), tuple(seen))


def parse_report(text: str, now: datetime, tz: str | ZoneInfo = DEFAULT_TZ) -> ParseResult:
    """Parse a report; never raises (a failure yields no activities, and is logged)."""
    try:
        return parse_report_strict(text if isinstance(text, str) else str(text), now, tz)
    except Exception:  # the chat must keep working whatever users type
        log.exception("parse_report failed")
        return ParseResult((), ())


def parse_duration_text(text: str) -> int | None:
    """Minutes in a chat answer: "1,5 jam", "90 menit", "1j30m", "09.00-10.30".

    A bare number is read as hours up to 12 ("2", "1,5") and as minutes above ("45").
    """
    try:
        low = lower(clean(text)).strip()
        occupied = Occupied()
        items = find_ranges(low, occupied) + find_durations(low, occupied)
        if items:
            total = sum(it.minutes or 0 for it in items)
            return total if 0 < total <= MAX_MINUTES else None
        m = re.fullmatch(r"(\d+(?:[.,]\d+)?)", low)
        if m:
            value = float(m.group(1).replace(",", "."))
            minutes = round(value * 60) if value <= 12 else round(value)
            return minutes if 0 < minutes <= MAX_MINUTES else None
    except Exception:
        log.exception("parse_duration_text failed")
    return None


def parse_date_text(text: str, now: datetime, tz: str | ZoneInfo = DEFAULT_TZ) -> date | None:
    """The date in a chat answer ("kemarin", "20/11", "Senin"); None if none or future."""
    try:
        today = local_today(now, tz)
        low = lower(clean(text)).strip()
        occupied = Occupied()
        dates = find_year_dates(low, today, occupied) + find_dates(low, today, occupied)
        chosen = best_date(dates)
        return chosen.value if chosen else None
    except Exception:
        log.exception("parse_date_text failed")
        return None
