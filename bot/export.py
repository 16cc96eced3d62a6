"""Export for e-Kinerja: an XLSX (or CSV) that the community importers read.

The first sheet has exactly the columns of e-Kinerja's "Tambah Progres Harian" form, in
its order, one row per activity, so every row there can be imported as it is:
Rencana Aksi (the dropdown text, verbatim), Tanggal (text YYYY-MM-DD), Jam Mulai and Jam
Selesai (text HH:MM, start before end, no two rows of a person overlapping), Kegiatan
Harian (one line, at most 500 characters), Realisasi (a whole number, 1 when none was
given), Satuan, Bukti Dukung (a link or empty). Activities with no SKP item (tugas
tambahan) — and the rare one that no longer fits in its day — go to a second sheet.

A unit export has a summary sheet, then one sheet per employee, then the tugas tambahan.
Rows are streamed from the database (chunks of employees, `yield_per`) into openpyxl's
write-only workbook, which keeps each finished sheet in a temporary file and writes
strings inline: memory stays bounded by one chunk, not by the size of the unit.

Every text cell is typed as a string, so "=SUM(A1)" or "+62…" stays text, never a formula;
CSV cells that start with = + - @ get a leading apostrophe (OWASP CSV injection).
"""

from __future__ import annotations

import calendar
import csv
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.workday import LayoutItem, lay_out
from storage.models import Activity, Employee, SkpItem, Submission, Unit

if TYPE_CHECKING:  # openpyxl is imported where a workbook is made: 0.3 s at start-up
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

HEADERS = (
    "Rencana Aksi",
    "Tanggal",
    "Jam Mulai",
    "Jam Selesai",
    "Kegiatan Harian",
    "Realisasi",
    "Satuan",
    "Bukti Dukung",
)
EXTRA_HEADERS = (*HEADERS[1:], "Catatan")
UNIT_EXTRA_HEADERS = ("NIP", "Nama", *EXTRA_HEADERS)
SUMMARY_HEADERS = (
    "NIP",
    "Nama",
    "Jabatan",
    "Hari dilaporkan",
    "Kegiatan (diimpor)",
    "Tugas tambahan",
    "Jam",
    "Lembar",
)
SHEET_MAIN = "Progres Harian"
SHEET_EXTRA = "Tugas Tambahan"
SHEET_SUMMARY = "Ringkasan"
NOTE_EXTRA = "tugas tambahan (tanpa Rencana Aksi)"
NOTE_NO_ROOM = "tidak muat dalam hari (jam bertumpuk sampai 23:59)"
DEFAULT_SATUAN = "Kegiatan"
MAX_TEXT = 500
APPROVED = ("approved",)
# --all: every entry sent for approval; a rejected one is left out (the atasan said no).
ALL_SUBMITTED = ("approved", "submitted", "revision_requested")
CHUNK = 100  # employees per query: memory bounded by one chunk, and a short IN list
_FORMULA_START = ("=", "+", "-", "@")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_LAST = 23 * 60 + 59


# --- pure cell rules ----------------------------------------------------------------------


def one_line(text: str, limit: int = MAX_TEXT) -> str:
    """Line breaks, tabs and repeated spaces folded to one space; cut to `limit` with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def realisasi(quantity: float | None) -> int:
    """A whole number (half up); 1 when none was given or it rounds below 1."""
    if quantity is None:
        return 1
    return max(1, int(quantity + 0.5))


def evidence_link(evidence: dict[str, Any] | None) -> str:
    """The first http(s) link among the evidence, or '' (photos live in Telegram only)."""
    for item in (evidence or {}).get("items", []) or []:
        url = item.get("url") if isinstance(item, dict) else None
        if isinstance(url, str) and re.match(r"https?://\S+$", url.strip()):
            return url.strip()[:2000]
    return ""


def csv_safe(value: str) -> str:
    """A CSV cell Excel will not run: a leading = + - @ gets an apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def sheet_title(nip: str, name: str, taken: set[str]) -> str:
    """A unique sheet name of at most 31 characters, without the characters Excel refuses."""
    base = _SHEET_BAD.sub(" ", f"{nip} {name}").strip("' ")[:31].rstrip() or nip or "Pegawai"
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def month_bounds(period: str) -> tuple[date, date] | None:
    """'2026-11' → (2026-11-01, 2026-11-30); None if it is not a month."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", period.strip())
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


# --- one person-day: times that import ----------------------------------------------------


@dataclass(frozen=True)
class DayItem:
    minutes: int
    start: time | None
    end: time | None
    payload: Any = None


@dataclass(frozen=True)
class Placed:
    item: DayItem
    start: time | None  # None: no room left in the day
    end: time | None


def _m(t: time) -> int:
    return t.hour * 60 + t.minute


def _t(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def arrange_day(work_date: date, items: Sequence[DayItem]) -> list[Placed]:
    """Start and end for each item, start < end and no two overlapping, ordered by start.

    Times as reported are kept where they do not collide; items without them are laid out
    in the work day (bot.workday); an item that overlaps the one before it is moved to
    start when that one ends, keeping its length (cut at 23:59). One that finds no minute
    left gets no times and the caller puts it aside.
    """
    laid = lay_out(work_date, [], [LayoutItem(i.minutes, i.start, i.end) for i in items])
    spans: list[tuple[int, int, int]] = []
    for index, (item, (t0, t1)) in enumerate(zip(items, laid, strict=True)):
        s, e = _m(t0), _m(t1)
        if e <= s:  # reversed, empty or pushed to 23:59: keep the start, use the minutes
            e = s + max(item.minutes, 1)
        spans.append((s, e, index))
    spans.sort()
    out: list[Placed] = []
    cursor = 0
    for s, e, index in spans:
        begin = max(s, cursor)
        finish = min(begin + (e - s), _LAST)
        if finish <= begin:
            out.append(Placed(items[index], None, None))
            continue
        out.append(Placed(items[index], _t(begin), _t(finish)))
        cursor = finish
    return out


# --- who is exported ----------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    nip: str
    name: str
    position: str


async def unit_ids(session: AsyncSession, root: int) -> list[int]:
    """The unit and every unit below it (the tree is small: read it once)."""
    rows = (await session.execute(select(Unit.id, Unit.parent_id))).all()
    children: dict[int | None, list[int]] = {}
    for uid, parent in rows:
        children.setdefault(parent, []).append(uid)
    found, todo = [], [root] if any(uid == root for uid, _ in rows) else []
    while todo:
        uid = todo.pop()
        found.append(uid)
        todo.extend(children.get(uid, []))
    return found


async def team_ids(session: AsyncSession, supervisor_id: int, depth: int = 12) -> list[int]:
    """Everyone below the atasan, level by level (one indexed query per level)."""
    found: list[int] = []
    seen = {supervisor_id}
    level = [supervisor_id]
    for _ in range(depth):
        if not level:
            break
        rows = (
            await session.execute(select(Employee.id).where(Employee.supervisor_id.in_(level)))
        ).scalars()
        level = [i for i in rows if i not in seen]
        seen.update(level)
        found.extend(level)
    return found


async def can_view(session: AsyncSession, viewer: Employee, target: Employee) -> bool:
    """Oneself, an admin, or an atasan above the target (directly or further up)."""
    if viewer.id == target.id or "admin" in viewer.role_set:
        return True
    current: int | None = target.supervisor_id
    seen: set[int] = set()
    while current is not None and current not in seen:
        if current == viewer.id:
            return True
        seen.add(current)
        current = (
            await session.execute(select(Employee.supervisor_id).where(Employee.id == current))
        ).scalar_one_or_none()
    return False


async def people(session: AsyncSession, ids: Iterable[int] | None) -> list[Person]:
    """The employees to export, by name (None: everyone), as small plain records."""
    stmt = select(Employee.id, Employee.nip, Employee.name, Employee.position)
    if ids is not None:
        id_list = list(ids)
        out: list[Person] = []
        for i in range(0, len(id_list), CHUNK):
            part = id_list[i : i + CHUNK]
            out.extend(
                Person(*row)
                for row in (await session.execute(stmt.where(Employee.id.in_(part)))).all()
            )
        return sorted(out, key=lambda p: (p.name.casefold(), p.id))
    rows = (await session.execute(stmt.order_by(Employee.name, Employee.id))).all()
    return sorted((Person(*r) for r in rows), key=lambda p: (p.name.casefold(), p.id))


# --- rows from the database ---------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    employee_id: int
    work_date: date
    start: time | None
    end: time | None
    minutes: int
    description: str
    quantity: float | None
    unit: str | None
    evidence: dict[str, Any] | None
    skp_item_id: int | None
    rencana_aksi: str | None
    item_unit: str | None


async def stream_entries(
    session: AsyncSession,
    person_ids: Sequence[int],
    first: date,
    last: date,
    statuses: Sequence[str],
) -> AsyncIterator[Entry]:
    """Entries of these people (already in export order) ordered by person, date, time."""
    stmt = (
        select(
            Activity.employee_id,
            Activity.work_date,
            Activity.start_time,
            Activity.end_time,
            Activity.minutes,
            Activity.description,
            Activity.quantity,
            Activity.unit,
            Activity.evidence,
            Activity.skp_item_id,
            SkpItem.rencana_aksi,
            SkpItem.title,
            SkpItem.unit,
        )
        .join(Submission, Submission.id == Activity.submission_id)
        .outerjoin(SkpItem, SkpItem.id == Activity.skp_item_id)
        .where(
            Activity.employee_id.in_(list(person_ids)),
            Activity.work_date >= first,
            Activity.work_date <= last,
            Submission.status.in_(list(statuses)),
        )
        .order_by(Activity.employee_id, Activity.work_date, Activity.start_time, Activity.id)
        .execution_options(yield_per=1000)
    )
    result = await session.stream(stmt)
    async for row in result:
        yield Entry(
            employee_id=row[0],
            work_date=row[1],
            start=row[2],
            end=row[3],
            minutes=row[4] or 0,
            description=row[5] or "",
            quantity=row[6],
            unit=row[7],
            evidence=row[8],
            skp_item_id=row[9],
            rencana_aksi=(row[10] or row[11]) if row[9] is not None else None,
            item_unit=row[12],
        )


# --- sinks: XLSX (sheets) and CSV ---------------------------------------------------------


class Sink(Protocol):
    def begin_person(self, person: Person) -> None: ...
    def main_row(self, person: Person, values: Sequence[str | int]) -> None: ...
    def extra_row(self, person: Person, values: Sequence[str | int]) -> None: ...
    def end_person(self, person: Person, stats: PersonStats) -> None: ...
    def finish(self) -> None: ...


@dataclass
class PersonStats:
    days: set[date] = field(default_factory=set)
    main: int = 0
    extra: int = 0
    minutes: int = 0


class XlsxSink:
    def __init__(self, out: str | Path | IO[bytes], *, unit: bool) -> None:
        self.out = out
        self.unit = unit
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        self.wb = Workbook(write_only=True)
        self.text_cell = WriteOnlyCell
        self.titles: set[str] = {SHEET_EXTRA.casefold(), SHEET_SUMMARY.casefold()}
        self.sheet: WriteOnlyWorksheet | None = None
        self.extra: WriteOnlyWorksheet | None = None
        # per person, only numbers are kept: (person, days, main, extra, minutes, sheet)
        self.summary: list[tuple[Person, int, int, int, int, str]] = []
        if not unit:
            self.sheet = self._sheet(SHEET_MAIN, HEADERS)
            self.extra = self._sheet(SHEET_EXTRA, EXTRA_HEADERS)

    def _cell(self, ws: WriteOnlyWorksheet, value: str | int) -> WriteOnlyCell | int:
        """A string cell typed as text: openpyxl would make '=…' a formula otherwise."""
        if isinstance(value, int):
            return value
        cell = self.text_cell(ws, value=value)
        cell.data_type = "s"
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited, too
        return cell

    def _sheet(self, title: str, headers: Sequence[str]) -> WriteOnlyWorksheet:
        ws: WriteOnlyWorksheet = self.wb.create_sheet(title)
        ws.append([self._cell(ws, h) for h in headers])
        return ws

    def _row(self, ws: WriteOnlyWorksheet, values: Sequence[str | int]) -> None:
        ws.append([self._cell(ws, v) for v in values])

    def begin_person(self, person: Person) -> None:
        if self.unit:
            title = sheet_title(person.nip, person.name, self.titles)
            self.sheet = self._sheet(title, HEADERS)

    def main_row(self, person: Person, values: Sequence[str | int]) -> None:
        assert self.sheet is not None
        self._row(self.sheet, values)

    def extra_row(self, person: Person, values: Sequence[str | int]) -> None:
        if self.extra is None:
            # unit: one sheet for everyone's, created when the first one comes
            self.extra = self._sheet(SHEET_EXTRA, UNIT_EXTRA_HEADERS)
        self._row(self.extra, [person.nip, person.name, *values] if self.unit else values)

    def end_person(self, person: Person, stats: PersonStats) -> None:
        if self.unit and self.sheet is not None:
            title = self.sheet.title
            self.sheet.close()  # written to its temporary file; frees the handle
            self.sheet = None
            self.summary.append(
                (person, len(stats.days), stats.main, stats.extra, stats.minutes, title)
            )

    def finish(self) -> None:
        if self.unit:
            if self.extra is None:
                self.extra = self._sheet(SHEET_EXTRA, UNIT_EXTRA_HEADERS)
            ws: WriteOnlyWorksheet = self.wb.create_sheet(SHEET_SUMMARY, 0)
            ws.append([self._cell(ws, h) for h in SUMMARY_HEADERS])
            for person, days, main, extra, minutes, title in self.summary:
                row: list[Any] = [
                    self._cell(ws, person.nip),
                    self._cell(ws, person.name),
                    self._cell(ws, person.position or ""),
                    days,
                    main,
                    extra,
                    round(minutes / 60, 2),
                    self._cell(ws, title),
                ]
                ws.append(row)
        self.wb.save(self.out)


class CsvSink:
    """The first sheet as CSV (a unit export adds NIP and Nama in front); no second sheet."""

    def __init__(self, out: IO[str], *, unit: bool) -> None:
        self.unit = unit
        self.writer = csv.writer(out)
        self.writer.writerow((("NIP", "Nama") if unit else ()) + HEADERS)

    def begin_person(self, person: Person) -> None:
        pass

    def main_row(self, person: Person, values: Sequence[str | int]) -> None:
        cells = [csv_safe(v) if isinstance(v, str) else v for v in values]
        if self.unit:
            cells = [csv_safe(person.nip), csv_safe(person.name), *cells]
        self.writer.writerow(cells)

    def extra_row(self, person: Person, values: Sequence[str | int]) -> None:
        pass

    def end_person(self, person: Person, stats: PersonStats) -> None:
        pass

    def finish(self) -> None:
        pass


# --- the export ---------------------------------------------------------------------------


@dataclass
class ExportResult:
    people: int = 0
    rows: int = 0  # first sheet (importable)
    extra_rows: int = 0  # tugas tambahan + no room
    no_room: int = 0


def _values(entry: Entry, start: time, end: time) -> list[str | int]:
    satuan = (entry.unit or entry.item_unit or DEFAULT_SATUAN).strip() or DEFAULT_SATUAN
    return [
        one_line(entry.rencana_aksi or ""),
        entry.work_date.isoformat(),
        start.strftime("%H:%M"),
        end.strftime("%H:%M"),
        one_line(entry.description),
        realisasi(entry.quantity),
        one_line(satuan, 50),
        evidence_link(entry.evidence),
    ]


def _write_day(
    sink: Sink, person: Person, day: list[Entry], stats: PersonStats, result: ExportResult
) -> None:
    items = [DayItem(e.minutes, e.start, e.end, e) for e in day]
    for placed in arrange_day(day[0].work_date, items):
        entry: Entry = placed.item.payload
        stats.days.add(entry.work_date)
        if placed.start is None or placed.end is None:
            start = entry.start or time(0, 0)
            values = _values(entry, start, entry.end or start)[1:]
            sink.extra_row(person, [*values, NOTE_NO_ROOM])
            stats.extra += 1
            result.extra_rows += 1
            result.no_room += 1
            continue
        span = _m(placed.end) - _m(placed.start)
        if _m(placed.end) == _LAST and entry.minutes > span:
            span += 1  # stored until 23:59, counted to 24.00 (the midnight split)
        stats.minutes += span
        values = _values(entry, placed.start, placed.end)
        if entry.skp_item_id is None:
            sink.extra_row(person, [*values[1:], NOTE_EXTRA])
            stats.extra += 1
            result.extra_rows += 1
        else:
            sink.main_row(person, values)
            stats.main += 1
            result.rows += 1


def split_overnight(days: list[list[Entry]], last: date) -> list[list[Entry]]:
    """One person's days (in date order) with rows stored before issue 8 defect 6 that end at
    or before their start ("23:00-01:00", 120 min) split at midnight as the chat now splits
    them: start-23:59 on their day, the rest from 00:00 on the next day (if in the period).
    e-Kinerja's Progres Harian takes Jam Mulai before Jam Selesai on one Tanggal."""
    if not any(
        e.start is not None and e.end is not None and e.end <= e.start for d in days for e in d
    ):
        return days
    by_date: dict[date, list[Entry]] = {d[0].work_date: list(d) for d in days}
    for day in sorted(by_date):
        for i, e in enumerate(by_date[day]):
            if e.start is None or e.end is None or e.end > e.start:
                continue
            first = min(max(e.minutes, 1), _LAST + 1 - _m(e.start))
            rest = max(e.minutes - first, 0)
            by_date[day][i] = replace(e, end=_t(_LAST), minutes=first)
            next_day = day + timedelta(days=1)
            if rest and next_day <= last:
                tail_end = min(_m(e.end) or rest, _LAST)
                tail = replace(e, work_date=next_day, start=time(0), end=_t(tail_end), minutes=rest)
                by_date.setdefault(next_day, []).insert(0, tail)
    return [by_date[d] for d in sorted(by_date)]


async def write_export(
    session: AsyncSession,
    sink: Sink,
    persons: Sequence[Person],
    first: date,
    last: date,
    *,
    include_all: bool = False,
) -> ExportResult:
    """Stream the entries of `persons` in [first, last] into the sink, person by person."""
    statuses = ALL_SUBMITTED if include_all else APPROVED
    result = ExportResult(people=len(persons))
    for offset in range(0, len(persons), CHUNK):
        chunk = persons[offset : offset + CHUNK]
        by_id = {p.id: p for p in chunk}
        pending: dict[int, list[list[Entry]]] = {}
        # Rows come ordered by employee id; sheets go in name order, so a chunk's days are
        # grouped per person first. One chunk's entries at most are held at once.
        current_day: list[Entry] = []
        async for entry in stream_entries(session, list(by_id), first, last, statuses):
            if current_day and (
                entry.employee_id != current_day[0].employee_id
                or entry.work_date != current_day[0].work_date
            ):
                pending.setdefault(current_day[0].employee_id, []).append(current_day)
                current_day = []
            current_day.append(entry)
        if current_day:
            pending.setdefault(current_day[0].employee_id, []).append(current_day)
        for person in chunk:
            stats = PersonStats()
            sink.begin_person(person)
            for day in split_overnight(pending.pop(person.id, []), last):
                _write_day(sink, person, day, stats, result)
            sink.end_person(person, stats)
    sink.finish()
    return result


async def export_file(
    session: AsyncSession,
    out: Path,
    persons: Sequence[Person],
    first: date,
    last: date,
    *,
    unit: bool,
    include_all: bool = False,
    as_csv: bool = False,
) -> ExportResult:
    """Write the XLSX (or CSV) to `out`."""
    if as_csv:
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            return await write_export(
                session, CsvSink(fh, unit=unit), persons, first, last, include_all=include_all
            )
    return await write_export(
        session, XlsxSink(out, unit=unit), persons, first, last, include_all=include_all
    )


async def unit_members(session: AsyncSession, units: Sequence[int]) -> list[int]:
    """Employees of these units (active or not: a month's entries outlive a transfer)."""
    rows = await session.execute(select(Employee.id).where(Employee.unit_id.in_(list(units))))
    return list(rows.scalars())
