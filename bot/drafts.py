"""Per-employee conversation state in the `drafts` row (DESIGN §2).

The payload holds two independent parts:
- "report": the report being composed (activities, which question is being asked);
- "input":  a pending free-text question ("send the atasan's NIP"), so the next plain
            text message is read as its answer instead of as a new report.
Every write bumps `version`; a write based on an old version fails, so two processes
handling the same user's updates cannot silently overwrite each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Draft
from storage.types import utcnow


class StaleDraft(Exception):
    """Another process changed the draft since it was read."""


@dataclass
class DraftState:
    employee_id: int
    version: int  # 0 = no row yet
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def report(self) -> dict[str, Any] | None:
        value = self.payload.get("report")
        return value if isinstance(value, dict) else None

    @property
    def pending_input(self) -> dict[str, Any] | None:
        value = self.payload.get("input")
        return value if isinstance(value, dict) else None


# Built once: every update reads and most write the draft, and building a statement costs
# about as much CPU as SQLite running it.
_table = cast(Table, Draft.__table__)
_LOAD = select(_table.c.version, _table.c.payload).where(
    _table.c.employee_id == bindparam("employee_id")
)
_SAVE = (
    update(_table)
    .where(_table.c.employee_id == bindparam("draft_of"))
    .where(_table.c.version == bindparam("old_version"))
    .values(
        payload=bindparam("new_payload", type_=_table.c.payload.type),
        version=bindparam("new_version", type_=_table.c.version.type),
        updated_at=bindparam("now", type_=_table.c.updated_at.type),
    )
)


async def load(session: AsyncSession, employee_id: int) -> DraftState:
    # A Core select, not session.get: the payload is decoded afresh from the row (no ORM
    # instance shares it), so it needs no deep copy, and nothing waits in the identity map.
    row = (await session.execute(_LOAD, {"employee_id": employee_id})).first()
    if row is None:
        return DraftState(employee_id, 0, {})
    payload = row.payload
    return DraftState(employee_id, row.version, dict(payload) if isinstance(payload, dict) else {})


async def save(session: AsyncSession, state: DraftState) -> None:
    """Write the state back; raises StaleDraft if the row moved on meanwhile."""
    now = utcnow()
    if state.version == 0:
        session.add(Draft(employee_id=state.employee_id, payload=state.payload, version=1))
        await session.flush()
        state.version = 1
        return
    result = await session.execute(
        _SAVE,
        {
            "draft_of": state.employee_id,
            "old_version": state.version,
            "new_payload": state.payload,
            "new_version": state.version + 1,
            "now": now,
        },
    )
    if (result.rowcount or 0) != 1:  # type: ignore[attr-defined]
        raise StaleDraft(state.employee_id)
    state.version += 1


def set_input(state: DraftState, kind: str, **data: Any) -> None:
    state.payload["input"] = {"kind": kind, **data}


def clear_input(state: DraftState) -> None:
    state.payload.pop("input", None)
