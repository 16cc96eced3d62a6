"""Admin actions on employees: add by pasting lines, find, atasan, status, position, invite.

Each function re-reads what it changes and checks the rules here (NIP valid and not
taken, no atasan loop), so the chat layer cannot skip them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.employees import ImportReport, RowError, creates_loop, import_employees_csv
from bot.nip import clean_nip
from bot.registration import create_invite
from storage.models import Employee, Unit

ADD_COLUMNS = ("nip", "nama", "jabatan", "unit", "nip_atasan", "peran")
MAX_POSITION = 200
MAX_CSV_BYTES = 2 * 1024 * 1024
_CHAIN_LIMIT = 100  # an atasan chain deeper than this is a data error, not an org chart


def is_admin(
    employee: Employee | None, telegram_user_id: int | None, admin_ids: Iterable[int]
) -> bool:
    """Role admin, or a Telegram id listed in ADMIN_TELEGRAM_IDS; inactive people are not."""
    return has_role(employee, "admin", telegram_user_id, admin_ids)


def has_role(
    employee: Employee | None, role: str, telegram_user_id: int | None, admin_ids: Iterable[int]
) -> bool:
    """Whether an active employee holds `role`; ADMIN_TELEGRAM_IDS also make an admin."""
    if employee is None or not employee.active:
        return False
    if role in employee.role_set:
        return True
    return role == "admin" and telegram_user_id is not None and telegram_user_id in set(admin_ids)


def decode_csv(data: bytes) -> str:
    """Excel saves UTF-8 with a BOM or, on older Windows, cp1252; accept both."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(lines: list[str]) -> str:
    sample = "\n".join(lines)
    for candidate in (";", "\t"):
        if candidate in sample:
            return candidate
    return "," if "," in sample else ";"


async def add_employees(
    session: AsyncSession, text: str, default_timezone: str = "Asia/Jakarta"
) -> ImportReport:
    """Lines `nip;nama;jabatan;unit;nip_atasan;peran` → new employees.

    Unlike the CSV import (which updates), a NIP that is already registered is refused:
    a typo here would otherwise overwrite another person's record.
    """
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    delimiter = _delimiter([line for _, line in numbered])
    nips = {clean_nip(line.split(delimiter, 1)[0]): n for n, line in numbered}
    taken = {
        e.nip: e
        for e in (
            await session.execute(select(Employee).where(Employee.nip.in_(list(nips))))
        ).scalars()
    }
    refused: list[RowError] = []
    kept: list[tuple[int, str]] = []
    for n, line in numbered:
        nip = clean_nip(line.split(delimiter, 1)[0])
        if nip in taken:
            refused.append(RowError(n, "nip_exists", {"nip": nip, "name": taken[nip].name}))
        else:
            kept.append((n, line))
    report = ImportReport(errors=refused)
    if kept:
        body = "\n".join([delimiter.join(ADD_COLUMNS), *(line for _, line in kept)])
        result = await import_employees_csv(session, body + "\n", default_timezone)
        report.created, report.updated = result.created, result.updated
        report.people, report.new_units = result.people, result.new_units
        for err in result.errors:  # line 1 was our header; map back to the pasted line
            index = err.line - 2
            line_no = kept[index][0] if 0 <= index < len(kept) else err.line
            report.errors.append(RowError(line_no, err.code, err.params))
    report.errors.sort(key=lambda e: e.line)
    return report


# A workbook, not text: .xlsx/.ods are zip archives, the old .xls an OLE2 compound file.
_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def is_spreadsheet(data: bytes) -> bool:
    """An Excel/Calc workbook sent instead of a CSV (read as text it is noise: 'no nip column')."""
    return data.startswith(_SPREADSHEET_MAGIC)


async def import_employees_file(
    session: AsyncSession, data: bytes, default_timezone: str = "Asia/Jakarta"
) -> ImportReport:
    """An uploaded CSV: the full import, which creates and updates."""
    if len(data) > MAX_CSV_BYTES:
        return ImportReport(errors=[RowError(1, "file_too_large", {"max": "2 MB"})])
    return await import_employees_csv(session, decode_csv(data), default_timezone)


@dataclass
class SearchPage:
    employees: list[Employee]
    total: int


async def find_employees(
    session: AsyncSession, query: str, *, offset: int = 0, limit: int = 8
) -> SearchPage:
    """By NIP (digits, spaces allowed) or by part of the name, case-insensitive."""
    query = " ".join(query.split())
    digits = clean_nip(query)
    if digits.isdigit() and len(digits) >= 3:
        condition = Employee.nip.contains(digits, autoescape=True)
    else:
        words = [w for w in query.lower().split(" ") if w]
        if not words:
            return SearchPage([], 0)
        condition = and_(*[func.lower(Employee.name).contains(w, autoescape=True) for w in words])
    total = (
        await session.execute(select(func.count()).select_from(Employee).where(condition))
    ).scalar_one()
    rows = (
        await session.execute(
            select(Employee)
            .where(condition)
            .order_by(Employee.name, Employee.id)
            .offset(offset)
            .limit(limit)
        )
    ).scalars()
    return SearchPage(list(rows), int(total))


@dataclass
class EmployeeCard:
    employee: Employee
    unit_name: str | None
    supervisor: Employee | None


async def employee_card(session: AsyncSession, employee_id: int) -> EmployeeCard | None:
    emp = await session.get(Employee, employee_id, populate_existing=True)
    if emp is None:
        return None
    unit = await session.get(Unit, emp.unit_id) if emp.unit_id is not None else None
    sup = await session.get(Employee, emp.supervisor_id) if emp.supervisor_id else None
    return EmployeeCard(emp, unit.name if unit else None, sup)


class SupervisorStatus(enum.Enum):
    SET = "set"
    CLEARED = "cleared"
    NOT_FOUND = "not_found"  # the employee being edited is gone
    INVALID_NIP = "invalid_nip"
    UNKNOWN_NIP = "unknown_nip"
    SELF = "self"
    LOOP = "loop"
    INACTIVE = "inactive"  # an inactive atasan could never approve anything


@dataclass
class SupervisorResult:
    status: SupervisorStatus
    supervisor: Employee | None = None


async def _chain(session: AsyncSession, start_id: int) -> dict[int, int | None]:
    """supervisor_of for the atasan chain above `start_id`: a few rows, not the whole table."""
    chain: dict[int, int | None] = {}
    current: int | None = start_id
    while current is not None and current not in chain and len(chain) < _CHAIN_LIMIT:
        parent = (
            await session.execute(select(Employee.supervisor_id).where(Employee.id == current))
        ).scalar_one_or_none()
        chain[current] = parent
        current = parent
    return chain


async def set_supervisor(
    session: AsyncSession, employee_id: int, supervisor_nip: str
) -> SupervisorResult:
    """Make the employee with `supervisor_nip` the atasan; '-' clears it."""
    emp = await session.get(Employee, employee_id, with_for_update=True)
    if emp is None:
        return SupervisorResult(SupervisorStatus.NOT_FOUND)
    if supervisor_nip.strip() in ("-", "—", "0"):
        emp.supervisor_id = None
        await session.flush()
        return SupervisorResult(SupervisorStatus.CLEARED)
    nip = clean_nip(supervisor_nip)
    if not (len(nip) == 18 and nip.isdigit()):
        return SupervisorResult(SupervisorStatus.INVALID_NIP)
    sup = (await session.execute(select(Employee).where(Employee.nip == nip))).scalar_one_or_none()
    if sup is None:
        return SupervisorResult(SupervisorStatus.UNKNOWN_NIP)
    if sup.id == emp.id:
        return SupervisorResult(SupervisorStatus.SELF, sup)
    if not sup.active:
        return SupervisorResult(SupervisorStatus.INACTIVE, sup)
    if creates_loop(await _chain(session, sup.id), emp.id, sup.id):
        return SupervisorResult(SupervisorStatus.LOOP, sup)
    emp.supervisor_id = sup.id
    await session.flush()
    return SupervisorResult(SupervisorStatus.SET, sup)


async def set_active(session: AsyncSession, employee_id: int, active: bool) -> Employee | None:
    emp = await session.get(Employee, employee_id, with_for_update=True)
    if emp is None:
        return None
    emp.active = active
    await session.flush()
    return emp


async def active_team_size(session: AsyncSession, employee_id: int) -> int:
    """How many active employees have this person as atasan (left waiting when deactivated)."""
    count = await session.execute(
        select(func.count(Employee.id)).where(
            Employee.supervisor_id == employee_id, Employee.active.is_(True)
        )
    )
    return int(count.scalar_one())


def clean_position(text: str) -> str | None:
    position = " ".join(text.split())
    return position if 0 < len(position) <= MAX_POSITION else None


async def set_position(session: AsyncSession, employee_id: int, text: str) -> Employee | None:
    """None when the employee is gone; the caller validates with `clean_position` first."""
    position = clean_position(text)
    emp = await session.get(Employee, employee_id, with_for_update=True)
    if emp is None or position is None:
        return None
    emp.position = position
    await session.flush()
    return emp


class InviteStatus(enum.Enum):
    ISSUED = "issued"
    NOT_FOUND = "not_found"
    INACTIVE = "inactive"


@dataclass
class InviteResult:
    status: InviteStatus
    code: str | None = None
    employee: Employee | None = None
    already_linked: bool = False  # a new link can only help if the old account is unlinked


async def issue_invite(session: AsyncSession, employee_id: int, now: datetime) -> InviteResult:
    emp = await session.get(Employee, employee_id)
    if emp is None:
        return InviteResult(InviteStatus.NOT_FOUND)
    if not emp.active:
        return InviteResult(InviteStatus.INACTIVE, employee=emp)
    code = await create_invite(session, emp.id, now)
    return InviteResult(
        InviteStatus.ISSUED, code, emp, already_linked=emp.telegram_user_id is not None
    )
