"""SKP items: what a daily activity is reported against (e-Kinerja's Rencana Aksi).

Items are added by pasting a list in the chat or by a CSV import from the admin; they are
archived, never deleted, because old activities still point at them.
"""

from __future__ import annotations

import csv
import enum
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.employees import RowError
from bot.i18n import normalize_language
from bot.nip import clean_nip
from storage.models import Employee, SkpItem

TRAJECTORY = "trajectory"
NON_TRAJECTORY = "non_trajectory"
KINDS = (TRAJECTORY, NON_TRAJECTORY)
MAX_TITLE = 500
MAX_UNIT = 50

_BULLET = re.compile(r"^\s*(?:[-*•·–—+>]+|\(?\d{1,3}[.)](?=\s|$)|\(?[a-zA-Z][.)](?=\s))\s*")
_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+(?:[.,]\d+)?)(?:\s+(.*))?$")
_KIND_ALIASES = {
    "trajectory": TRAJECTORY,
    "trajektori": TRAJECTORY,
    "trayektori": TRAJECTORY,
    "traj": TRAJECTORY,
    "t": TRAJECTORY,
    "non_trajectory": NON_TRAJECTORY,
    "nontrajectory": NON_TRAJECTORY,
    "non_trajektori": NON_TRAJECTORY,
    "nontrajektori": NON_TRAJECTORY,
    "non_trayektori": NON_TRAJECTORY,
    "non": NON_TRAJECTORY,
    "nt": NON_TRAJECTORY,
}
_HEADER_ALIASES = {
    "nip": "nip",
    "title": "title",
    "judul": "title",
    "rencana_aksi": "rencana_aksi",
    "butir": "title",
    "butir_skp": "title",
    "kegiatan": "title",
    "rhk": "rhk",
    "rencana_hasil_kerja": "rhk",
    "indicator": "indicator",
    "indikator": "indicator",
    "kind": "kind",
    "jenis": "kind",
    "target": "target",
    "target_qty": "target",
    "satuan": "unit",
    "unit": "unit",
    "year": "year",
    "tahun": "year",
}


def normalize_title(title: str) -> str:
    """The key two titles are compared by: case and spacing do not make a new item."""
    return " ".join(title.split()).casefold()


def parse_number(raw: str) -> float | None:
    """'12', '12,5', '1.000' (Indonesian thousands), '2.5' → float; None if not a number."""
    raw = raw.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        return float(raw.replace(".", ""))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", raw):
        return float(raw.replace(",", "."))
    return None


def parse_target(raw: str) -> tuple[float, str | None] | None:
    """'12 laporan' → (12.0, 'laporan'); '12' → (12.0, None); None if it is not a target."""
    match = _NUMBER.fullmatch(" ".join(raw.split()))
    if match is None:
        return None
    qty = parse_number(match.group(1))
    if qty is None or qty <= 0:
        return None
    unit = (match.group(2) or "").strip() or None
    return qty, unit


def format_qty(qty: float, lang: str | None) -> str:
    """12.0 → '12'; 2.5 → '2,5' (id) / '2.5' (en); 1000 → '1.000' (id)."""
    return format_decimal(qty, format="#,##0.##", locale=normalize_language(lang))


class SkipReason(enum.Enum):
    EMPTY = "empty"  # a bullet or number with nothing after it
    DUPLICATE = "duplicate"
    BAD_TARGET = "bad_target"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class ParsedItem:
    line: int
    title: str
    target_qty: float | None = None
    unit: str | None = None
    # The line as e-Kinerja's dropdown shows it (bullet/numbering stripped, target cut).
    rencana_aksi: str | None = None

    @property
    def kind(self) -> str:
        return TRAJECTORY if self.target_qty is not None else NON_TRAJECTORY


@dataclass(frozen=True)
class SkippedLine:
    line: int
    text: str
    reason: SkipReason


def rencana_aksi(text: str) -> str | None:
    """The Rencana Aksi text to keep: outer spaces and a trailing ';' cut, runs of spaces
    folded (the dropdown shows them folded), case and punctuation otherwise kept verbatim."""
    text = " ".join(text.split()).rstrip(";").strip()
    return text[:MAX_TITLE] or None


# Column headings of an e-Kinerja table copied with the rows ('No', 'Rencana Aksi', 'Target').
_PASTE_HEADINGS = frozenset(
    {
        "no",
        "no.",
        "nomor",
        "rencana aksi",
        "rencana hasil kerja",
        "rhk",
        "butir skp",
        "indikator",
        "indikator kinerja",
        "target",
        "satuan",
        "kuantitas",
        "aksi",
    }
)
_TRAILING_TARGET = re.compile(r"^(.*\S)\s+[-–—]\s+(\d[\d.,]*(?:\s+\S.*)?)$")


def _is_heading(raw: str) -> bool:
    """A heading row: every cell is a known column heading ('Rencana Aksi:', 'No<TAB>RHK')."""
    cells = [" ".join(c.split()).strip(" :").casefold() for c in raw.split("\t")]
    cells = [c for c in cells if c]
    return bool(cells) and all(c in _PASTE_HEADINGS for c in cells)


def _from_cells(line: str) -> str:
    """A table row copied from e-Kinerja ('1<TAB>Judul<TAB>12<TAB>Dokumen') as 'Judul | 12 Dokumen'.

    The first cell with a letter is the title; the first later cell that reads as a target is
    the target, with the next word cell as its unit when the target cell has none.
    """
    cells = [" ".join(c.split()) for c in line.split("\t")]
    cells = [c for c in cells if c]
    at = next((i for i, c in enumerate(cells) if any(ch.isalpha() for ch in c)), None)
    if at is None:
        return line
    title, rest = cells[at], cells[at + 1 :]
    for i, cell in enumerate(rest):
        target = parse_target(cell)
        if target is None:
            continue
        if target[1] is None and i + 1 < len(rest) and parse_number(rest[i + 1]) is None:
            cell = f"{cell} {rest[i + 1]}"
        return f"{title} | {cell}"
    return title


def parse_item_lines(text: str) -> tuple[list[ParsedItem], list[SkippedLine]]:
    """One item per line: bullets and numbering stripped, '| 12 laporan' read as target.

    Blank lines and heading rows ('Rencana Aksi') are layout, not mistakes, so they are
    skipped without a report; a row copied from a table (cells split by tabs) gives its
    title and target cells, and 'Judul - 12 laporan' reads like 'Judul | 12 laporan'. A
    line that is only a bullet, or whose target is not a number, is reported.
    """
    items: list[ParsedItem] = []
    skipped: list[SkippedLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or _is_heading(raw):
            continue
        line = _BULLET.sub("", raw.strip(), count=1).strip()
        if "\t" in line and "|" not in line:
            line = _from_cells(line)
        if "|" not in line:
            dashed = _TRAILING_TARGET.match(" ".join(line.split()))
            if dashed and parse_target(dashed.group(2)) is not None:
                line = f"{dashed.group(1)} | {dashed.group(2)}"
        title, bar, rest = line.partition("|")
        title = " ".join(title.split()).strip(" .;")
        shown = " ".join(raw.split())
        if not title:
            skipped.append(SkippedLine(number, shown, SkipReason.EMPTY))
            continue
        if len(title) > MAX_TITLE:
            skipped.append(SkippedLine(number, shown, SkipReason.TOO_LONG))
            continue
        qty: float | None = None
        unit: str | None = None
        if bar and rest.strip():
            target = parse_target(rest)
            if target is None or (target[1] is not None and len(target[1]) > MAX_UNIT):
                skipped.append(SkippedLine(number, shown, SkipReason.BAD_TARGET))
                continue
            qty, unit = target
        items.append(ParsedItem(number, title, qty, unit, rencana_aksi(line.partition("|")[0])))
    return items, skipped


async def active_items(session: AsyncSession, employee_id: int, year: int) -> list[SkpItem]:
    """The items the employee can report against this year, in the order they were added."""
    result = await session.execute(
        select(SkpItem)
        .where(
            SkpItem.employee_id == employee_id,
            SkpItem.year == year,
            SkpItem.active.is_(True),
        )
        .order_by(SkpItem.id)
    )
    return list(result.scalars())


async def own_item(session: AsyncSession, employee_id: int, item_id: int) -> SkpItem | None:
    """The item if it belongs to the employee: a forged id of someone else's is None."""
    item = await session.get(SkpItem, item_id)
    if item is None or item.employee_id != employee_id:
        return None
    return item


@dataclass
class AddReport:
    created: list[SkpItem] = field(default_factory=list)
    restored: list[SkpItem] = field(default_factory=list)  # archived items added again
    skipped: list[SkippedLine] = field(default_factory=list)


async def add_items(session: AsyncSession, employee_id: int, year: int, text: str) -> AddReport:
    """Add the pasted items; a title already active (or twice in the paste) is skipped.

    Pasting a title that was archived brings that item back instead of making a second
    one, so the matcher's history for it is kept.
    """
    parsed, skipped = parse_item_lines(text)
    report = AddReport(skipped=skipped)
    rows = (
        await session.execute(
            select(SkpItem)
            .where(SkpItem.employee_id == employee_id, SkpItem.year == year)
            .order_by(SkpItem.id)
        )
    ).scalars()
    active: set[str] = set()
    archived: dict[str, SkpItem] = {}
    for row in rows:
        key = normalize_title(row.title)
        if row.active:
            active.add(key)
        else:
            archived.setdefault(key, row)
    for item in parsed:
        key = normalize_title(item.title)
        if key in active:
            report.skipped.append(SkippedLine(item.line, item.title, SkipReason.DUPLICATE))
            continue
        active.add(key)
        old = archived.get(key)
        if old is not None:
            old.active = True
            old.rencana_aksi = item.rencana_aksi or old.rencana_aksi
            if item.target_qty is not None:
                old.kind, old.target_qty, old.unit = TRAJECTORY, item.target_qty, item.unit
            report.restored.append(old)
            continue
        new = SkpItem(
            employee_id=employee_id,
            year=year,
            title=item.title,
            kind=item.kind,
            target_qty=item.target_qty,
            unit=item.unit,
            rencana_aksi=item.rencana_aksi,
            active=True,
        )
        session.add(new)
        report.created.append(new)
    report.skipped.sort(key=lambda s: s.line)
    await session.flush()
    return report


class ArchiveResult(enum.Enum):
    ARCHIVED = "archived"
    ALREADY = "already"
    NOT_FOUND = "not_found"  # missing or someone else's: the caller must not say which


async def archive_item(session: AsyncSession, employee_id: int, item_id: int) -> ArchiveResult:
    item = await own_item(session, employee_id, item_id)
    if item is None:
        return ArchiveResult.NOT_FOUND
    if not item.active:
        return ArchiveResult.ALREADY
    item.active = False
    await session.flush()
    return ArchiveResult.ARCHIVED


# --- CSV import (admin / CLI) ---------------------------------------------------------


@dataclass
class SkpImportReport:
    created: int = 0
    updated: int = 0  # same employee, year and title: rhk, kind and target refreshed
    errors: list[RowError] = field(default_factory=list)


@dataclass
class _CsvRow:
    line: int
    nip: str
    title: str
    rhk: str | None
    indicator: str | None
    kind: str
    rencana_aksi: str | None
    target_qty: float | None
    unit: str | None
    year: int


class _Semicolon(csv.excel):
    delimiter = ";"


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    """Excel in Indonesian locales writes ';', others ','; a one-line file fools Sniffer."""
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        first = text.split("\n", 1)[0]
        return _Semicolon if first.count(";") > first.count(",") else csv.excel


def _read_csv(text: str, year_default: int, report: SkpImportReport) -> list[_CsvRow]:
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), _sniff(text))
    try:
        header = next(reader)
    except StopIteration:
        report.errors.append(RowError(1, "empty_file"))
        return []
    names = [_HEADER_ALIASES.get(h.strip().lower().replace(" ", "_"), "") for h in header]
    missing = [c for c in ("nip", "title") if c not in names]
    if "rencana_aksi" in names and "title" in missing:  # the Rencana Aksi is the title then
        missing.remove("title")
    if missing:
        report.errors.append(RowError(1, "missing_columns", {"columns": ", ".join(missing)}))
        return []
    rows: list[_CsvRow] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        rec = {n: " ".join(v.split()) for n, v in zip(names, values, strict=False) if n}
        row = _csv_row(line, rec, year_default, report)
        if row is not None:
            rows.append(row)
    return rows


def _csv_row(
    line: int, rec: dict[str, str], year_default: int, report: SkpImportReport
) -> _CsvRow | None:
    def fail(code: str, **params: str) -> None:
        report.errors.append(RowError(line, code, params))

    title = rec.get("title", "") or rec.get("rencana_aksi", "")
    if not title:
        fail("skp_missing_title")
        return None
    if len(title) > MAX_TITLE:
        fail("skp_title_too_long", max=str(MAX_TITLE))
        return None
    year = year_default
    if rec.get("year"):
        raw_year = rec["year"]
        if not re.fullmatch(r"\d{4}", raw_year) or not 2000 <= int(raw_year) <= 2100:
            fail("skp_bad_year", year=raw_year)
            return None
        year = int(raw_year)
    qty: float | None = None
    unit = rec.get("unit") or None
    if rec.get("target"):
        target = parse_target(rec["target"])
        if target is None:
            fail("skp_bad_target", target=rec["target"])
            return None
        qty, unit = target[0], unit or target[1]
    if unit is not None and len(unit) > MAX_UNIT:
        fail("skp_bad_target", target=unit)
        return None
    raw_kind = rec.get("kind", "").lower().replace("-", "_").replace(" ", "_")
    if raw_kind:
        kind = _KIND_ALIASES.get(raw_kind)
        if kind is None:
            fail("skp_bad_kind", kind=rec["kind"])
            return None
    else:
        kind = TRAJECTORY if qty is not None else NON_TRAJECTORY
    if kind == TRAJECTORY and qty is None:
        fail("skp_missing_target")
        return None
    return _CsvRow(
        line=line,
        nip=clean_nip(rec.get("nip", "")),
        title=title,
        rhk=rec.get("rhk") or None,
        indicator=rec.get("indicator") or None,
        kind=kind,
        rencana_aksi=rencana_aksi(rec["rencana_aksi"]) if rec.get("rencana_aksi") else None,
        target_qty=qty,
        unit=unit,
        year=year,
    )


async def import_skp_csv(
    session: AsyncSession, text: str, year_default: int | None, *, today: date | None = None
) -> SkpImportReport:
    """Import items for many employees (columns nip, title, rhk, kind, target, satuan[, year]).

    A bad row is reported with its line number and the rest go in. Re-importing the same
    file is safe: a row whose employee, year and title exist refreshes that item (and
    brings it back if archived) instead of adding a twin.
    """
    report = SkpImportReport()
    if year_default is None:
        year_default = (today or datetime.now(ZoneInfo("Asia/Jakarta")).date()).year
    rows = _read_csv(text, year_default, report)
    nips = {r.nip for r in rows}
    employees = {
        e.nip: e
        for e in (await session.execute(select(Employee).where(Employee.nip.in_(nips)))).scalars()
    }
    existing: dict[tuple[int, int, str], SkpItem] = {}
    ids = [e.id for e in employees.values()]
    if ids:
        for old in (
            await session.execute(
                select(SkpItem).where(SkpItem.employee_id.in_(ids)).order_by(SkpItem.id)
            )
        ).scalars():
            key = (old.employee_id, old.year, normalize_title(old.title))
            if key not in existing or old.active:
                existing[key] = old
    seen: dict[tuple[int, int, str], int] = {}
    for row in rows:
        employee = employees.get(row.nip)
        if employee is None:
            report.errors.append(RowError(row.line, "skp_unknown_employee", {"nip": row.nip}))
            continue
        key = (employee.id, row.year, normalize_title(row.title))
        if key in seen:
            report.errors.append(RowError(row.line, "skp_duplicate_row", {"first": str(seen[key])}))
            continue
        seen[key] = row.line
        item = existing.get(key)
        if item is None:
            item = SkpItem(employee_id=employee.id, year=row.year, title=row.title)
            session.add(item)
            report.created += 1
        else:
            report.updated += 1
        item.rhk = row.rhk if row.rhk is not None else item.rhk
        item.indicator = row.indicator if row.indicator is not None else item.indicator
        if row.rencana_aksi is not None:
            item.rencana_aksi = row.rencana_aksi
        item.kind = row.kind
        item.target_qty = row.target_qty
        item.unit = row.unit
        item.active = True
    report.errors.sort(key=lambda e: e.line)
    await session.flush()
    return report
