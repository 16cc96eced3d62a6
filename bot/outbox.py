"""Durable outgoing messages (DESIGN §3 `outbox`).

A message to someone other than the person we are replying to (the atasan's approval
request, a reminder, a broadcast) is written to `outbox` in the same transaction as the
fact it reports, then delivered by `bot.outbox_sender`. So a crash never loses a
notification the database says was sent, and a Telegram outage only delays it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage

# last_error of a row Telegram refused with 403 (the person blocked the bot): such rows are
# kept as failed and re-queued by requeue_blocked() when the person unblocks the bot.
BLOCKED = "403 "
# A row with a document (payload: document = Telegram file_id, caption, parse_mode).
DOCUMENT_METHOD = "sendDocument"


async def enqueue(
    session: AsyncSession,
    chat_id: int,
    text: str,
    *,
    now: datetime,
    dedupe_key: str | None = None,
    reply_markup: dict[str, Any] | None = None,
    not_before: datetime | None = None,
    broadcast_id: int | None = None,
) -> OutboxMessage | None:
    """Queue a sendMessage; None if a message with this dedupe_key is already queued."""
    payload: dict[str, Any] = {"text": text, "parse_mode": "HTML"}
    if reply_markup is not None:
        payload["reply_markup"] = reply_markup
    values: dict[str, Any] = {
        "dedupe_key": dedupe_key,
        "chat_id": chat_id,
        "method": "sendMessage",
        "payload": payload,
        "not_before": not_before or now,
        "status": "pending",
        "attempts": 0,
        "created_at": now,
        "broadcast_id": broadcast_id,
    }
    if dedupe_key is None:
        row = OutboxMessage(**values)
        session.add(row)
        await session.flush()
        return row
    # INSERT ... ON CONFLICT DO NOTHING, not a savepoint: with SQLite's default (legacy)
    # transaction handling, releasing a savepoint that opened the transaction commits it,
    # so a message queued as the first write of a transaction that later rolled back was
    # still sent. ON CONFLICT is also safe against a concurrent insert of the same key.
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite_insert if dialect == "sqlite" else pg_insert
        stmt = (
            insert(OutboxMessage)
            .values(**values)
            .on_conflict_do_nothing(index_elements=[OutboxMessage.dedupe_key])
            .returning(OutboxMessage)
        )
        return (await session.execute(stmt)).scalar_one_or_none()
    row = OutboxMessage(**values)
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        return None
    return row


def _blocked_failure() -> Any:
    return (OutboxMessage.status == "failed") & OutboxMessage.last_error.startswith(BLOCKED)


async def pending_for_chat(session: AsyncSession, chat_id: int) -> list[OutboxMessage]:
    """Messages for this chat not delivered yet: queued, being sent, or refused by a block."""
    stmt = (
        select(OutboxMessage)
        .where(
            OutboxMessage.chat_id == chat_id,
            or_(OutboxMessage.status.in_(("pending", "sending")), _blocked_failure()),
        )
        .order_by(OutboxMessage.id)
    )
    return list((await session.execute(stmt)).scalars())


async def requeue_blocked(
    session: AsyncSession, chat_id: int, now: datetime, *, since: datetime | None = None
) -> int:
    """After an unblock: rows that failed with 403 for this chat go out again, in order.

    `since` leaves older ones failed (a week-old reminder is noise). Returns how many were
    re-queued; the caller commits and pokes the sender. Attempts are kept, the error cleared.
    """
    stmt = update(OutboxMessage).where(OutboxMessage.chat_id == chat_id, _blocked_failure())
    if since is not None:
        stmt = stmt.where(OutboxMessage.created_at >= since)
    result = await session.execute(
        stmt.values(status="pending", not_before=now, last_error=None).execution_options(
            synchronize_session=False
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


EDIT_METHOD = "editMessageText"


async def enqueue_edit(
    session: AsyncSession,
    target: OutboxMessage,
    text: str,
    *,
    now: datetime,
    reply_markup: dict[str, Any] | None = None,
) -> OutboxMessage:
    """Queue an edit of the message that outbox row `target` sent (buttons gone if no markup).

    The target may not be delivered yet: the row names it (`ref_outbox_id`) and the sender
    reads its message id at delivery time, waiting while the target is still queued.
    """
    payload: dict[str, Any] = {"text": text, "parse_mode": "HTML", "ref_outbox_id": target.id}
    if target.result_message_id is not None:
        payload["message_id"] = target.result_message_id
    if reply_markup is not None:
        payload["reply_markup"] = reply_markup
    row = OutboxMessage(
        chat_id=target.chat_id,
        method=EDIT_METHOD,
        payload=payload,
        not_before=now,
        status="pending",
        attempts=0,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row
