"""Delegation (Plt, issue 9): who may decide for an atasan, from when to when. No Telegram.

`/plt NIP 1-12 Des` by the atasan (for themself) or `/plt NIP_ATASAN NIP_PLT 1-12 Des` by
an admin; `/plt batal NIP` (admin: `/plt batal NIP_ATASAN NIP_PLT`) ends it early. A NIP
may be typed with spaces (`19900122 201504 2 001`); ISO dates (`2026-12-01 - 2026-12-12`)
are read too. The range is read with the report parser's date grammar, but future dates are
wanted here (a Plt is set before the leave), so the parser's finders are used directly.
A delegate must be someone else, active, in the atasan's unit, a unit under it or a unit
above it; the range must not start in the past nor last more than MAX_DAYS.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import local_today
from bot.i18n import format_date_range, t
from bot.outbox import enqueue
from bot.parsing.dates import find_dates, find_year_dates
from bot.parsing.normalize import clean, lower
from bot.parsing.spans import Occupied
from storage.models import Delegation, Employee, Unit

MAX_DAYS = 90
_SPLIT = re.compile(r"\s*(?:s\.?/?d\.?|sampai(?: dengan)?|hingga|until|to|–|—|-)\s*", re.I)
_NIP = re.compile(r"^\d{18}$")
_ISO = r"(\d{4}-\d{2}-\d{2})"
_ISO_RANGE = re.compile(
    rf"^{_ISO}(?:\s*(?:\.\.|s\.?/?d\.?|sampai(?: dengan)?|hingga|until|to|–|—|-)\s*{_ISO})?$",
    re.I,
)
CANCEL_WORDS = ("batal", "batalkan", "akhiri", "hapus", "cancel", "end", "stop")


class Result(enum.Enum):
    OK = "ok"
    USAGE = "usage"  # not "NIP range"
    NOT_ALLOWED = "not_allowed"  # neither the atasan nor an admin
    NONE_TO_END = "none_to_end"  # /plt batal: no current or future Plt of that person
    UNKNOWN = "unknown"  # no active employee with that NIP
    SELF = "self"  # the delegate is the atasan themself
    OUTSIDE = "outside"  # the delegate's unit is outside the atasan's tree
    BAD_RANGE = "bad_range"  # no dates read
    PAST = "past"  # starts before today
    TOO_LONG = "too_long"  # more than MAX_DAYS


@dataclass
class Created:
    result: Result
    delegation: Delegation | None = None
    principal: Employee | None = None
    delegate: Employee | None = None


def _one_date(text: str, today: date) -> date | None:
    low = lower(clean(text)).strip()
    if not low:
        return None
    occupied = Occupied()
    items = find_year_dates(low, today, occupied) + find_dates(low, today, occupied)
    if not items:
        return None
    return max(items, key=lambda it: (it.priority, -it.start)).value


def _iso_range(m: re.Match[str]) -> tuple[date, date] | None:
    """'2026-12-01 - 2026-12-12' or one ISO date; None for a day that does not exist."""
    try:
        start = date.fromisoformat(m.group(1))
        end = date.fromisoformat(m.group(2)) if m.group(2) else start
    except ValueError:
        return None  # 2026-02-30
    return start, end


def take_nips(args: list[str], most: int = 2) -> tuple[list[str], list[str]]:
    """Leading NIPs from the words, each typed whole or in digit groups
    ('19900122 201504 2 001'); returns (nips, the other words)."""
    nips: list[str] = []
    i = 0
    while i < len(args) and len(nips) < most:
        digits, j = "", i
        while j < len(args) and args[j].isdigit() and len(digits) < 18:
            digits += args[j]
            j += 1
        if len(digits) != 18 or not _NIP.match(digits):
            break
        nips.append(digits)
        i = j
    return nips, args[i:]


def parse_range(text: str, today: date) -> tuple[date, date] | None:
    """'1-12 Des', '1 Des - 5 Jan 2027', 'besok sampai Jumat depan', '3/12',
    '2026-12-01 - 2026-12-12' → (start, end)."""
    text = text.strip()
    if iso := _ISO_RANGE.match(text):  # before _SPLIT, whose "-" would cut 2026-12-01
        return _iso_range(iso)
    for m in _SPLIT.finditer(text):
        left, right = text[: m.start()].strip(), text[m.end() :].strip()
        if not left or not right:
            continue
        end = _one_date(right, today)
        if end is None:
            continue
        if left.isdigit():
            start = _day_before(int(left), end)
        else:
            start = _one_date(left, today)
        if start is not None:
            return start, end
    single = _one_date(text, today)
    return (single, single) if single is not None else None


def _day_before(day: int, end: date) -> date | None:
    """'1' in '1-12 Des': that day in the end's month, or the month before if it is later."""
    try:
        start = end.replace(day=day)
    except ValueError:
        return None
    if start > end:
        prev = end.replace(day=1) - timedelta(days=1)
        try:
            return prev.replace(day=day)
        except ValueError:
            return None
    return start


async def _unit_chain(session: AsyncSession, unit_id: int | None) -> set[int]:
    """The unit and all units above it."""
    seen: set[int] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        unit_id = await session.scalar(select(Unit.parent_id).where(Unit.id == unit_id))
    return seen


async def in_tree(session: AsyncSession, principal: Employee, delegate: Employee) -> bool:
    """The delegate's unit is the atasan's, under it, or above it."""
    if principal.unit_id is None or delegate.unit_id is None:
        return principal.unit_id == delegate.unit_id
    if principal.unit_id in await _unit_chain(session, delegate.unit_id):
        return True  # delegate's unit is the principal's or below it
    return delegate.unit_id in await _unit_chain(session, principal.unit_id)


async def _by_nip(session: AsyncSession, nip: str) -> Employee | None:
    return (
        await session.execute(select(Employee).where(Employee.nip == nip, Employee.active))
    ).scalar_one_or_none()


async def _pair(
    session: AsyncSession, actor: Employee, nips: list[str]
) -> tuple[Employee, Employee] | Result:
    """The atasan and the Plt the NIPs name: `NIP_PLT` (the actor's own Plt) or, for an
    admin, `NIP_ATASAN NIP_PLT`; else why not."""
    if len(nips) == 2:
        if "admin" not in actor.role_set:
            return Result.NOT_ALLOWED
        principal = await _by_nip(session, nips[0])
        if principal is None:
            return Result.UNKNOWN
    else:
        principal = actor
    delegate = await _by_nip(session, nips[-1])
    return Result.UNKNOWN if delegate is None else (principal, delegate)


async def create(session: AsyncSession, actor: Employee, args: list[str], now: datetime) -> Created:
    """Store a delegation from the command's words, or say why not (nothing stored then)."""
    nips, words = take_nips(args)
    rest = " ".join(words)
    if not nips or not rest.strip():
        return Created(Result.USAGE)
    if len(nips) == 1 and "supervisor" not in actor.role_set:
        if not await _has_staff(session, actor.id):
            return Created(Result.NOT_ALLOWED)
    pair = await _pair(session, actor, nips)
    if isinstance(pair, Result):
        return Created(pair)
    principal, delegate = pair
    if delegate.id == principal.id:
        return Created(Result.SELF)
    if not await in_tree(session, principal, delegate):
        return Created(Result.OUTSIDE)
    today = local_today(now, actor.zone_name)
    span = parse_range(rest, today)
    if span is None:
        return Created(Result.BAD_RANGE)
    start, end = min(span), max(span)
    if start < today:
        return Created(Result.PAST)
    if (end - start).days + 1 > MAX_DAYS or (end - today).days > 366:
        return Created(Result.TOO_LONG)
    row = Delegation(
        delegate_id=delegate.id,
        principal_id=principal.id,
        start_date=start,
        end_date=end,
        created_by=actor.id,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    if delegate.telegram_user_id is not None and delegate.active:
        lang = delegate.language
        await enqueue(
            session,
            delegate.telegram_user_id,
            t(
                lang,
                "approval.plt_notice",
                principal=principal.name,
                dates=format_date_range(start, end, lang, "long"),
            ),
            now=now,
            dedupe_key=f"plt:{row.id}",
        )
    return Created(Result.OK, row, principal, delegate)


async def end_early(
    session: AsyncSession, actor: Employee, args: list[str], now: datetime
) -> Created:
    """`/plt batal NIP` (the atasan's own Plt) or `/plt batal NIP_ATASAN NIP_PLT` (admin):
    the Plt decides nothing from today on. A range not started yet is removed, one under
    way ends yesterday; the delegate is told."""
    nips, rest = take_nips(args)
    if not nips or rest:
        return Created(Result.USAGE)
    pair = await _pair(session, actor, nips)
    if isinstance(pair, Result):
        return Created(pair)
    principal, delegate = pair
    today = local_today(now, actor.zone_name)
    rows = (
        await session.execute(
            select(Delegation).where(
                Delegation.principal_id == principal.id,
                Delegation.delegate_id == delegate.id,
                Delegation.end_date >= today,
            )
        )
    ).scalars()
    return await _end(session, list(rows), principal, delegate, today, now)


async def end_by_id(
    session: AsyncSession, actor: Employee, delegation_id: int, now: datetime
) -> Created:
    """The 'end' button under /plt: the principal or an admin (a forged id does nothing)."""
    row = await session.get(Delegation, delegation_id)
    today = local_today(now, actor.zone_name)
    if row is None or row.end_date < today:
        return Created(Result.NONE_TO_END)
    if row.principal_id != actor.id and "admin" not in actor.role_set:
        return Created(Result.NOT_ALLOWED)
    principal = await session.get(Employee, row.principal_id)
    delegate = await session.get(Employee, row.delegate_id)
    assert principal is not None and delegate is not None
    return await _end(session, [row], principal, delegate, today, now)


async def _end(
    session: AsyncSession,
    rows: list[Delegation],
    principal: Employee,
    delegate: Employee,
    today: date,
    now: datetime,
) -> Created:
    if not rows:
        return Created(Result.NONE_TO_END, None, principal, delegate)
    for row in rows:
        if row.start_date >= today:
            await session.delete(row)
        else:
            row.end_date = today - timedelta(days=1)
    await session.flush()
    if delegate.telegram_user_id is not None and delegate.active:
        await enqueue(
            session,
            delegate.telegram_user_id,
            t(delegate.language, "approval.plt_ended_notice", principal=principal.name),
            now=now,
            dedupe_key=f"plt-end:{rows[0].id}:{today.isoformat()}",
        )
    return Created(Result.OK, rows[0], principal, delegate)


async def _has_staff(session: AsyncSession, employee_id: int) -> bool:
    found = await session.scalar(
        select(Employee.id).where(Employee.supervisor_id == employee_id).limit(1)
    )
    return found is not None


async def listing(
    session: AsyncSession, actor: Employee, now: datetime
) -> list[tuple[Delegation, Employee, Employee]]:
    """Current and future delegations the actor gives or holds: (row, principal, delegate)."""
    today = local_today(now, actor.zone_name)
    rows = await session.execute(
        select(Delegation).where(
            Delegation.end_date >= today,
            (Delegation.principal_id == actor.id) | (Delegation.delegate_id == actor.id),
        )
    )
    out = []
    for row in rows.scalars():
        principal = await session.get(Employee, row.principal_id)
        delegate = await session.get(Employee, row.delegate_id)
        if principal is not None and delegate is not None:
            out.append((row, principal, delegate))
    return out
