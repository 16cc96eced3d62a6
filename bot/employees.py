"""Employees and units: CSV import, supervisor chains.

A bad row never stops the import: it is reported with its line number and the rest
go in, because an admin with 400 rows should fix three, not re-run 400.
"""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import DEFAULT_ZONE
from bot.i18n import LANGUAGES
from bot.nip import NipError, clean_nip, parse_nip
from storage.models import Employee, Unit

ROLES = ("staff", "supervisor", "admin")
TIMEZONES = ("Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura")
_HEADER_ALIASES = {
    "nip": "nip",
    "name": "name",
    "nama": "name",
    "position": "position",
    "jabatan": "position",
    "unit": "unit",
    "unit_kerja": "unit",
    "supervisor_nip": "supervisor_nip",
    "nip_atasan": "supervisor_nip",
    "roles": "roles",
    "peran": "roles",
    "pppk": "pppk",
    "timezone": "timezone",
    "zona_waktu": "timezone",
    "language": "language",
    "bahasa": "language",
}
_REQUIRED = ("nip", "name")
# A file without a heading row: the columns in the order the /admin add form asks for.
_HEADERLESS = ("nip", "name", "position", "unit", "supervisor_nip", "roles")
_TRUE = {"1", "ya", "yes", "true", "y", "pppk"}


@dataclass
class RowError:
    line: int
    code: str  # locale key suffix under "import."
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    # (employee id, name) of the rows created or updated, in file order.
    people: list[tuple[int, str]] = field(default_factory=list)
    # Paths of the units this import created ('SD Negeri 9'): a typo makes one, so say so.
    new_units: list[str] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    nip: str
    name: str
    position: str
    unit: str
    supervisor_nip: str
    roles: str
    pppk: bool
    timezone: str | None
    language: str | None


def parse_roles(raw: str) -> str | None:
    """'Staff; Admin' → 'staff,admin' in canonical order; None if a role is unknown."""
    parts = {p.lower() for p in re.split(r"[,;|\s]+", raw.strip()) if p}
    aliases = {"staf": "staff", "pegawai": "staff", "atasan": "supervisor"}
    parts = {aliases.get(p, p) for p in parts} or {"staff"}
    if not parts <= set(ROLES):
        return None
    return ",".join(r for r in ROLES if r in parts)


# Telegram's and e-Kinerja's limits: the database columns are 200 characters.
MAX_FIELD = 200
MAX_LINE = 128 * 1024  # a physical line longer than this is not a row of a staff list
_C0 = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # C0 controls but tab, LF and CR
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LONG_FIELDS = (("name", "name_too_long"), ("position", "position_too_long"))


@dataclass(frozen=True)
class DecodedCsv:
    """The text of an uploaded file, and how it was read (None: UTF-8 as expected)."""

    text: str
    encoding: str
    note: str | None = None  # locale key suffix under "import." to show the admin


def decode_csv(data: bytes) -> DecodedCsv:
    """One decoder for the CLI and the chat: what Excel and LibreOffice save.

    UTF-8 (with or without a BOM), UTF-16 with a BOM ("Unicode text"), UTF-16 without a
    BOM when every other byte is NUL, else Windows-1252 (Latin-1 for its five undefined
    bytes), with a note so the admin can check names with accents.
    """
    if data.startswith(codecs.BOM_UTF8):
        return DecodedCsv(data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return DecodedCsv(data.decode("utf-16", "replace"), "utf-16")
    if len(data) >= 4 and data.count(0) * 3 >= len(data):
        odd_nuls = data[1::2].count(0)
        encoding = "utf-16-le" if odd_nuls > data[0::2].count(0) else "utf-16-be"
        return DecodedCsv(data.decode(encoding, "replace"), encoding)
    try:
        return DecodedCsv(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return DecodedCsv(data.decode("cp1252"), "cp1252", "decoded_cp1252")
    except UnicodeDecodeError:
        return DecodedCsv(data.decode("latin-1"), "latin-1", "decoded_cp1252")


def clean_csv_text(text: str) -> str:
    """No BOM, no NUL or other C0 controls (PostgreSQL refuses NUL; the rest is noise)."""
    return _C0.sub("", text.lstrip("\ufeff"))


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _fields(line: str, delimiter: str) -> list[str]:
    """One physical line as fields; csv.Error on an unbalanced quote or a huge field.

    Each line is read alone: a staff list has no multi-line cells, so a quote left open
    must be reported on its own line, not swallow the rows after it.
    """
    reader = csv.reader([line], delimiter=delimiter, strict=True)
    return next(reader, [])


def _row_error(line: int, exc: csv.Error) -> RowError:
    if "field larger" in str(exc):
        return RowError(line, "field_too_large", {"max": "128 KB"})
    return RowError(line, "unbalanced_quote")


def _read_rows(text: str, report: ImportReport) -> list[_Row]:
    lines = _LINE_BREAK.split(clean_csv_text(text))
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is None:
        report.errors.append(RowError(1, "empty_file"))
        return []
    delimiter = _delimiter(lines[first])
    try:
        header = _fields(lines[first], delimiter)
    except csv.Error as exc:
        report.errors.append(_row_error(first + 1, exc))
        return []
    names = [_HEADER_ALIASES.get(h.strip().lower().replace(" ", "_"), "") for h in header]
    missing = [c for c in _REQUIRED if c not in names]
    start = first + 1
    if missing and header and re.fullmatch(r"\d{18}", _nip(header[0])):
        # No heading row, the data starts at once: read it in the /admin add order.
        names, missing, start = list(_HEADERLESS), [], first
    if missing:
        report.errors.append(
            RowError(first + 1, "missing_columns", {"columns": ", ".join(missing)})
        )
        return []
    rows: list[_Row] = []
    for index in range(start, len(lines)):
        line_no = index + 1
        raw = lines[index]
        if not raw.strip():
            continue
        if len(raw) > MAX_LINE:
            report.errors.append(RowError(line_no, "field_too_large", {"max": "128 KB"}))
            continue
        try:
            values = _fields(raw, delimiter)
        except csv.Error as exc:
            report.errors.append(_row_error(line_no, exc))
            continue
        if not any(v.strip() for v in values):
            continue
        rec = {n: v.strip() for n, v in zip(names, values, strict=False) if n}
        rows.append(
            _Row(
                line=line_no,
                nip=_nip(rec.get("nip", "")),
                name=rec.get("name", ""),
                position=rec.get("position", ""),
                unit=rec.get("unit", ""),
                supervisor_nip=_nip(rec.get("supervisor_nip", "")),
                roles=rec.get("roles", ""),
                pppk=rec.get("pppk", "").lower() in _TRUE,
                timezone=rec.get("timezone") or None,
                language=(rec.get("language") or "").lower() or None,
            )
        )
    return rows


def _nip(raw: str) -> str:
    """Full-width and other compatibility digits become ASCII before the NIP is read."""
    return clean_nip(unicodedata.normalize("NFKC", raw))


# Titles written before a name in the register ('Drs.', 'Hj.'), not used to greet someone.
_NAME_PREFIX = re.compile(r"^(?:(?:drs?|dra|ir|prof|h|hj|kh)\.\s*)+", re.IGNORECASE)


def call_name(name: str) -> str:
    """The name to greet someone by: 'Siti Rahmawati, S.Pd.' -> 'Siti Rahmawati',
    'Drs. Bambang Sutrisno' -> 'Bambang Sutrisno' (degrees after the first comma and titles
    before the name dropped); the full name when nothing would be left."""
    short = _NAME_PREFIX.sub("", name.split(",", 1)[0].strip()).strip()
    return short or name.strip()


# School abbreviations admins write for the names on the unit tree ('SDN 1' = 'SD Negeri 1').
_UNIT_ABBREVIATIONS = {
    "sdn": "sd negeri",
    "smpn": "smp negeri",
    "sman": "sma negeri",
    "smkn": "smk negeri",
    "tkn": "tk negeri",
}


def unit_key(name: str) -> str:
    """Units are the same unit whatever the case, spacing and school abbreviation:
    'SDN  1' = 'sdn 1' = 'SD Negeri 1'."""
    words = " ".join(name.split()).casefold().split(" ")
    return " ".join(_UNIT_ABBREVIATIONS.get(w, w) for w in words)


class UnitIndex:
    """All units, read once per import, to match names the way admins type them."""

    def __init__(self, units: Sequence[tuple[int, str, int | None]]) -> None:
        self.units: dict[int, tuple[str, int | None]] = {i: (n, p) for i, n, p in units}

    @classmethod
    async def load(cls, session: AsyncSession) -> UnitIndex:
        rows = await session.execute(select(Unit.id, Unit.name, Unit.parent_id))
        return cls([(i, n, p) for i, n, p in rows.all()])

    def path(self, unit_id: int) -> str:
        names: list[str] = []
        seen: set[int] = set()
        cur: int | None = unit_id
        while cur is not None and cur in self.units and cur not in seen:
            seen.add(cur)
            name, cur = self.units[cur]
            names.append(name)
        return " > ".join(reversed(names))

    def children(self, parent_id: int | None, name: str) -> list[int]:
        """Twins under one parent cannot be told apart, so an exact name gives the first."""
        ids = [i for i, (_, p) in self.units.items() if p == parent_id]
        key = unit_key(name)
        exact = [i for i in ids if unit_key(self.units[i][0]) == key]
        return exact[:1] or self._matching(name, ids)

    def named(self, name: str) -> list[int]:
        return self._matching(name, sorted(self.units))

    def _matching(self, name: str, ids: list[int]) -> list[int]:
        """Units of `ids` named `name`; failing that, those whose name starts with its words
        (a short name: 'SDN 1' for 'SD Negeri 1 Sukamaju', never 'SD Negeri 10')."""
        key = unit_key(name)
        exact = [i for i in ids if unit_key(self.units[i][0]) == key]
        if exact:
            return exact
        return [i for i in ids if unit_key(self.units[i][0]).startswith(key + " ")]


class AmbiguousUnit(Exception):
    def __init__(self, paths: list[str]) -> None:
        super().__init__(paths)
        self.paths = paths


async def unit_for_path(session: AsyncSession, path: str, index: UnitIndex) -> int | None:
    """The unit for 'Dinas Pendidikan > SD Negeri 1' (parent > child), created if missing.

    Names match case- and space-insensitively, 'SDN' as 'SD Negeri', and a short name
    matches the one unit whose name starts with it. A single name ('sdn 1') matches an existing
    unit anywhere in the tree; when several units carry it, AmbiguousUnit lists their paths
    so the admin can write the one meant. Only a name found nowhere becomes a new unit."""
    names = [" ".join(p.split()) for p in path.split(">") if p.strip()]
    if not names:
        return None
    if len(names) == 1:
        found = index.named(names[0])
        if len(found) > 1:
            raise AmbiguousUnit([index.path(i) for i in found])
        if found:
            return found[0]
    parent_id: int | None = None
    for name in names:
        found = index.children(parent_id, name)
        if len(found) > 1:
            raise AmbiguousUnit([index.path(i) for i in found])
        if found:
            parent_id = found[0]
            continue
        unit = Unit(name=name[:200], parent_id=parent_id)
        session.add(unit)
        await session.flush()
        index.units[unit.id] = (unit.name, parent_id)
        parent_id = unit.id
    return parent_id


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


async def find_units(session: AsyncSession, text: str) -> list[tuple[Unit, str]]:
    """Existing units named by 'SD Negeri 1' or by the end of a path 'Dinas Pendidikan >
    SD Negeri 1' (the import's path syntax; case and spacing ignored), each with its full
    path. Several when a bare name is not unique; nothing is created."""
    wanted = [_fold(p) for p in text.split(">") if p.strip()]
    if not wanted:
        return []
    units = {u.id: u for u in (await session.execute(select(Unit))).scalars()}
    found: list[tuple[Unit, str]] = []
    for unit in units.values():
        chain: list[str] = []
        cur: Unit | None = unit
        while cur is not None and len(chain) <= len(units):
            chain.insert(0, cur.name)
            cur = units.get(cur.parent_id) if cur.parent_id is not None else None
        if [_fold(n) for n in chain[-len(wanted) :]] == wanted:
            found.append((unit, " > ".join(chain)))
    return sorted(found, key=lambda f: f[1])


def creates_loop(
    supervisor_of: dict[int, int | None], employee_id: int, supervisor_id: int
) -> bool:
    """Would making `supervisor_id` the atasan of `employee_id` close a cycle?"""
    seen: set[int] = set()
    cur: int | None = supervisor_id
    while cur is not None and cur not in seen:
        if cur == employee_id:
            return True
        seen.add(cur)
        cur = supervisor_of.get(cur)
    return False


async def import_employees_csv(
    session: AsyncSession, text: str, default_timezone: str = "Asia/Jakarta"
) -> ImportReport:
    report = ImportReport()
    rows = _read_rows(text, report)
    valid: list[_Row] = []
    seen_nips: dict[str, int] = {}
    for row in rows:
        error = _validate(row, seen_nips)
        if error is not None:
            report.errors.append(error)
            continue
        seen_nips[row.nip] = row.line
        valid.append(row)

    existing = {
        e.nip: e
        for e in (
            await session.execute(select(Employee).where(Employee.nip.in_([r.nip for r in valid])))
        ).scalars()
    }
    units = await UnitIndex.load(session)
    known_units = set(units.units)
    by_nip: dict[str, Employee] = {}
    for row in list(valid):
        try:
            unit_id = await unit_for_path(session, row.unit, units) if row.unit else None
        except AmbiguousUnit as exc:
            report.errors.append(
                RowError(
                    row.line, "ambiguous_unit", {"unit": row.unit, "paths": "; ".join(exc.paths)}
                )
            )
            valid.remove(row)
            continue
        roles = parse_roles(row.roles) or "staff"
        emp = existing.get(row.nip)
        if emp is None:
            emp = Employee(nip=row.nip, name=row.name, roles=roles, language="id")
            # No zone in the file: follow the unit (None), unless the instansi's default is
            # not WIB, which bare local_today(now, None) would not know.
            emp.timezone = row.timezone or (
                None if default_timezone == DEFAULT_ZONE else default_timezone
            )
            emp.active = True
            session.add(emp)
            report.created += 1
        else:
            report.updated += 1
            if row.timezone:
                emp.timezone = row.timezone
        emp.name = row.name
        emp.position = row.position
        emp.unit_id = unit_id if row.unit else emp.unit_id
        emp.roles = roles
        emp.is_pppk = row.pppk
        if row.language in ("id", "en"):
            emp.language = row.language
        by_nip[row.nip] = emp
    await session.flush()
    report.people = [(by_nip[row.nip].id, by_nip[row.nip].name) for row in valid]
    report.new_units = [units.path(i) for i in units.units if i not in known_units]

    supervisor_of = {
        i: s for i, s in (await session.execute(select(Employee.id, Employee.supervisor_id))).all()
    }
    for row in valid:
        if not row.supervisor_nip:
            continue
        emp = by_nip[row.nip]
        sup = (
            by_nip.get(row.supervisor_nip)
            or (
                await session.execute(select(Employee).where(Employee.nip == row.supervisor_nip))
            ).scalar_one_or_none()
        )
        if sup is None:
            report.errors.append(
                RowError(row.line, "unknown_supervisor", {"nip": row.supervisor_nip})
            )
            continue
        if sup.id == emp.id or creates_loop(supervisor_of, emp.id, sup.id):
            report.errors.append(RowError(row.line, "supervisor_loop", {"nip": row.supervisor_nip}))
            continue
        emp.supervisor_id = sup.id
        supervisor_of[emp.id] = sup.id
    await session.flush()
    return report


# A NIP that Excel turned into a number and wrote back as '1,99602E+17': digits are lost.
_EXCEL_NUMBER = re.compile(r"\d+(?:[.,]\d+)?[eE]\+?\d{1,2}")


def _excel_rounded(nip: str) -> bool:
    return _EXCEL_NUMBER.fullmatch(nip.replace(" ", "")) is not None


def _validate(row: _Row, seen: dict[str, int]) -> RowError | None:
    if not row.name:
        return RowError(row.line, "missing_name")
    for nip, code in ((row.nip, "nip_excel"), (row.supervisor_nip, "supervisor_nip_excel")):
        if nip and _excel_rounded(nip):
            return RowError(row.line, code, {"nip": nip})
    for attr, code in _LONG_FIELDS:
        if len(getattr(row, attr)) > MAX_FIELD:
            return RowError(row.line, code, {"max": str(MAX_FIELD)})
    if any(len(part.strip()) > MAX_FIELD for part in row.unit.split(">")):
        return RowError(row.line, "unit_too_long", {"max": str(MAX_FIELD)})
    try:
        parse_nip(row.nip, pppk=row.pppk)
    except NipError as exc:
        if row.pppk:
            return RowError(row.line, exc.code, {"nip": row.nip})
        try:  # an unflagged PPPK number: accept it and mark it
            parse_nip(row.nip, pppk=True)
            row.pppk = True
        except NipError:
            return RowError(row.line, exc.code, {"nip": row.nip})
    if row.nip in seen:
        return RowError(row.line, "duplicate_nip", {"nip": row.nip, "first": str(seen[row.nip])})
    if row.roles and parse_roles(row.roles) is None:
        return RowError(row.line, "bad_roles", {"roles": row.roles})
    if row.timezone and row.timezone not in TIMEZONES:
        return RowError(row.line, "bad_timezone", {"timezone": row.timezone})
    if row.supervisor_nip == row.nip:
        return RowError(row.line, "supervisor_loop", {"nip": row.nip})
    return None


async def set_language(session: AsyncSession, employee_id: int, lang: str) -> bool:
    """The employee's chosen language (one of LANGUAGES); False if the employee is gone."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    employee = await session.get(Employee, employee_id)
    if employee is None:
        return False
    employee.language = lang
    return True
