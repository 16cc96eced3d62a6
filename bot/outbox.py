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

from bot.i18n import t
from storage.models import Employee, OutboxMessage

ON_BLOCKED = "on_blocked"  # payload key: not sent to Telegram, read when the send gets 403

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
    on_blocked: dict[str, Any] | None = None,
) -> OutboxMessage | None:
    """Queue a sendMessage; None if a message with this dedupe_key is already queued.

    `on_blocked` (built with `blocked_notice`) says whom to tell if the recipient has
    blocked the bot (Telegram answers 403): the sender queues those messages then."""
    payload: dict[str, Any] = {"text": text, "parse_mode": "HTML"}
    if reply_markup is not None:
        payload["reply_markup"] = reply_markup
    if on_blocked is not None:
        payload[ON_BLOCKED] = on_blocked
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


# --- recipients who blocked the bot (issue 8 defect 7) ------------------------------------


def blocked_notice(
    tell: list[tuple[int, str]], admins_key: str, admins_args: dict[str, str]
) -> dict[str, Any]:
    """What to do if a message cannot be delivered because its recipient blocked the bot:
    send `tell` (chat id, text already in that person's language), and tell the admins
    once per blocking (`admins_key` rendered in each admin's language with `admins_args`)."""
    return {
        "tell": [[chat_id, text] for chat_id, text in tell],
        "admins_key": admins_key,
        "admins_args": admins_args,
    }


async def report_blocked(session: AsyncSession, row: OutboxMessage, now: datetime) -> int:
    """`row` failed with 403: mark its recipient blocked and queue the row's `on_blocked`
    notices (in the caller's transaction). Returns how many notices were queued."""
    await session.execute(
        update(Employee)
        .where(Employee.telegram_user_id == row.chat_id, Employee.blocked_bot_at.is_(None))
        .values(blocked_bot_at=now)
    )
    info = (row.payload or {}).get(ON_BLOCKED)
    if not isinstance(info, dict):
        return 0
    queued = 0
    for chat_id, text in info.get("tell", []):
        key = f"blocked:{row.id}:{chat_id}"
        queued += (
            await enqueue(session, int(chat_id), str(text), now=now, dedupe_key=key) is not None
        )
    since = (
        await session.execute(
            select(Employee.blocked_bot_at).where(Employee.telegram_user_id == row.chat_id)
        )
    ).scalar_one_or_none() or now
    admins = (
        await session.execute(
            select(Employee.telegram_user_id, Employee.language).where(
                Employee.roles.contains("admin"),
                Employee.active.is_(True),
                Employee.telegram_user_id.is_not(None),
                Employee.telegram_user_id != row.chat_id,
            )
        )
    ).all()
    args = {k: str(v) for k, v in dict(info.get("admins_args") or {}).items()}
    for admin_chat, lang in admins:
        # Once per blocking: the key names the blocked chat and when the block was seen.
        key = f"blocked-admin:{row.chat_id}:{since:%Y%m%d%H%M%S}:{admin_chat}"
        text = t(lang, str(info.get("admins_key")), **args)
        row_in = await enqueue(session, int(admin_chat), text, now=now, dedupe_key=key)
        queued += row_in is not None
    return queued


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


async def queued_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    """Which of these dedupe keys are already in the outbox (sent or waiting): what a
    once-a-day job has done today, whichever process did it."""
    if not keys:
        return set()
    rows = await session.execute(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))
    )
    return {key for key in rows.scalars() if key is not None}
