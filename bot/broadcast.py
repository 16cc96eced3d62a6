"""Admins' broadcasts: audience, schedule, expansion into the outbox, progress and cancel.

A broadcast is a `broadcasts` row; at its time the scheduler tick (or the confirm itself,
for "now") expands its audience into outbox rows keyed `bc:<id>:<employee>` in one
transaction, so a crash or a second process never queues a person twice. Progress is read
from the outbox rows (sent / failed / blocked / pending); cancel marks the rows not yet
claimed 'cancelled', which no sender takes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callback_data import CallbackData, Int, Word, spec
from bot.outbox import BLOCKED
from bot.workcalendar import load_calendar
from storage.models import Activity, Broadcast, Employee, OutboxMessage

MAX_TEXT = 4096  # Telegram's limit for a message, after entities
MAX_CAPTION = 1024  # ... and for a document's caption
AUDIENCES = ("all", "atasan", "not_reported")  # and "unit:<id>"


@dataclass(frozen=True)
class BcPress(CallbackData, prefix="bc"):
    """Composing (aud, unit, now, send, cancel) and the status message (stop)."""

    op: str = spec(Word("aud", "unit", "now", "send", "drop", "stop"))
    arg: int = spec(Int(0))  # audience index / unit id / broadcast id


class BroadcastError(ValueError):
    """`code`: too_long, caption_too_long, empty_text, empty_audience, past, unknown_unit."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def recipient_text(text: str) -> str:
    """What recipients see: the admin's text, escaped (it is sent as HTML)."""
    return html.escape(text.strip(), quote=False)


def check_text(text: str, *, document: bool = False) -> str:
    """The text to send; with a document it is the caption (may be empty, at most 1,024)."""
    body = text.strip()
    if not body and not document:
        raise BroadcastError("empty_text")
    if document and len(body) > MAX_CAPTION:
        raise BroadcastError("caption_too_long")
    if len(body) > MAX_TEXT:
        raise BroadcastError("too_long")
    return body


def valid_audience(audience: str) -> bool:
    if audience in AUDIENCES:
        return True
    kind, _, unit = audience.partition(":")
    return kind == "unit" and unit.isdigit()


@dataclass(frozen=True)
class Recipient:
    employee_id: int
    chat_id: int
    language: str


async def recipients(
    session: AsyncSession, audience: str, now: datetime, default_tz: str = "Asia/Jakarta"
) -> list[Recipient]:
    """Active, linked, not blocked employees in the audience (a few set queries)."""
    query = select(
        Employee.id,
        Employee.telegram_user_id,
        Employee.language,
        Employee.unit_id,
        Employee.timezone,
    ).where(
        Employee.active.is_(True),
        Employee.telegram_user_id.is_not(None),
        Employee.blocked_bot_at.is_(None),
    )
    if audience == "atasan":
        has_staff = select(Employee.supervisor_id).where(
            Employee.supervisor_id.is_not(None), Employee.active.is_(True)
        )
        query = query.where(Employee.id.in_(has_staff))
    rows = list((await session.execute(query.order_by(Employee.id))).tuples())
    if audience.startswith("unit:"):
        cal = await load_calendar(session, now.date(), now.date(), now=now, employee_ids=[])
        unit = int(audience.split(":", 1)[1])
        if unit not in cal.parents:
            raise BroadcastError("unknown_unit")
        inside = cal.subunits(unit)
        rows = [r for r in rows if r[3] in inside]
    elif audience == "not_reported":
        start, end = now.date() - timedelta(days=1), now.date() + timedelta(days=1)
        cal = await load_calendar(session, start, end, now=now, employee_ids=[])
        done = set(
            (
                await session.execute(
                    select(Activity.employee_id, Activity.work_date)
                    .where(Activity.work_date >= start, Activity.work_date <= end)
                    .distinct()
                )
            ).tuples()
        )
        rows = [
            r
            for r in rows
            if (r[0], now.astimezone(cal.zone(r[4], r[3], default_tz)).date()) not in done
        ]
    return [Recipient(r[0], int(r[1] or 0), r[2]) for r in rows]


async def create(
    session: AsyncSession,
    *,
    author_id: int | None,
    text: str,
    audience: str,
    at: datetime,
    now: datetime,
    status_chat_id: int | None = None,
    status_message_id: int | None = None,
    document: str | None = None,
) -> Broadcast:
    """A scheduled broadcast (with `document`, a file_id, the text is its caption); checks
    text, audience and time (BroadcastError otherwise)."""
    body = check_text(text, document=document is not None)
    if not valid_audience(audience):
        raise BroadcastError("empty_audience")
    if at < now - timedelta(minutes=1):
        raise BroadcastError("past")
    if not await recipients(session, audience, max(at, now)):  # as at its send time
        raise BroadcastError("empty_audience")
    row = Broadcast(
        author_id=author_id,
        text=body,
        document_file_id=document,
        audience=audience,
        scheduled_at=max(at, now),
        status="scheduled",
        total=0,
        status_chat_id=status_chat_id,
        status_message_id=status_message_id,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def start_due(session: AsyncSession, now: datetime) -> int:
    """Expand every broadcast whose time has come; returns how many rows were queued."""
    from bot.reminders import enqueue_many

    due = list(
        (
            await session.execute(
                select(Broadcast.id).where(
                    Broadcast.status == "scheduled", Broadcast.scheduled_at <= now
                )
            )
        ).scalars()
    )
    queued = 0
    for bc_id in due:
        # Conditional: only one process moves it on (and expands it).
        moved = await session.execute(
            update(Broadcast)
            .where(Broadcast.id == bc_id, Broadcast.status == "scheduled")
            .values(status="sending")
            .returning(Broadcast.text, Broadcast.audience, Broadcast.document_file_id)
        )
        row = moved.first()
        if row is None:
            continue
        body, audience, document = row
        people = await recipients(session, audience, now)
        messages: list[dict[str, Any]] = [
            {
                "chat_id": p.chat_id,
                "text": recipient_text(body),
                "dedupe_key": f"bc:{bc_id}:{p.employee_id}",
                "now": now,
                "broadcast_id": bc_id,
                "document": document,
            }
            for p in people
        ]
        queued += await enqueue_many(session, messages)
        await session.execute(
            update(Broadcast).where(Broadcast.id == bc_id).values(total=len(messages))
        )
    return queued


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int
    blocked: int
    pending: int
    cancelled: int
    status: str

    @property
    def finished(self) -> bool:
        return self.status in ("cancelled", "done") or (
            self.status == "sending" and self.pending == 0
        )


async def progress(session: AsyncSession, broadcast_id: int) -> Progress | None:
    bc = await session.get(Broadcast, broadcast_id)
    if bc is None:
        return None
    counts: dict[str, int] = {"sent": 0, "failed": 0, "blocked": 0, "pending": 0, "cancelled": 0}
    rows = await session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.broadcast_id == broadcast_id)
        .group_by(OutboxMessage.status)
    )
    for status, n in rows.tuples():
        if status in ("pending", "sending"):
            counts["pending"] += n
        else:
            counts[status] = counts.get(status, 0) + n
    if counts["failed"]:
        blocked = await session.execute(
            select(func.count()).where(
                OutboxMessage.broadcast_id == broadcast_id,
                OutboxMessage.status == "failed",
                OutboxMessage.last_error.like(f"{BLOCKED}%"),  # the sender's mark for a 403
            )
        )
        counts["blocked"] = int(blocked.scalar_one())
        counts["failed"] -= counts["blocked"]
    return Progress(
        bc.total,
        counts["sent"],
        counts["failed"],
        counts["blocked"],
        counts["pending"],
        counts["cancelled"],
        bc.status,
    )


async def cancel(session: AsyncSession, broadcast_id: int, now: datetime) -> int | None:
    """Stop what is not yet sent; None if there is nothing to cancel any more."""
    moved = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status.in_(("scheduled", "sending")))
        .values(status="cancelled", cancelled_at=now)
    )
    if not getattr(moved, "rowcount", 0):
        return None
    stopped = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.broadcast_id == broadcast_id, OutboxMessage.status == "pending")
        .values(status="cancelled")
    )
    return int(getattr(stopped, "rowcount", 0) or 0)


async def active(session: AsyncSession) -> list[Broadcast]:
    """Broadcasts whose status message may still change."""
    return list(
        (
            await session.execute(
                select(Broadcast).where(
                    Broadcast.status.in_(("scheduled", "sending")),
                    Broadcast.status_message_id.is_not(None),
                )
            )
        ).scalars()
    )


async def finish_if_done(session: AsyncSession, broadcast_id: int) -> None:
    await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == "sending")
        .values(status="done")
    )
