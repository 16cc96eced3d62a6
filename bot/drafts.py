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
from typing import Any

from sqlalchemy import select, update
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


async def load(session: AsyncSession, employee_id: int) -> DraftState:
    # A Core select, not session.get: the payload is decoded afresh from the row (no ORM
    # instance shares it), so it needs no deep copy, and nothing waits in the identity map.
    row = (
        await session.execute(
            select(Draft.version, Draft.payload).where(Draft.employee_id == employee_id)
        )
    ).first()
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
        update(Draft)
        .where(Draft.employee_id == state.employee_id, Draft.version == state.version)
        .values(payload=state.payload, version=state.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if (result.rowcount or 0) != 1:  # type: ignore[attr-defined]
        raise StaleDraft(state.employee_id)
    state.version += 1


def set_input(state: DraftState, kind: str, **data: Any) -> None:
    state.payload["input"] = {"kind": kind, **data}


def clear_input(state: DraftState) -> None:
    state.payload.pop("input", None)
