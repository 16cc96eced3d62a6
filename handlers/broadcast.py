"""/broadcast (compose, audience, time, preview, confirm, progress, stop) and /deadline.

The message being composed lives in the drafts row ("broadcast"), so any process answers
the next step. The progress job edits each running broadcast's status message when its
counts change.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Coroutine
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update
from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import broadcast as bc
from bot import deadlines as dl
from bot import drafts
from bot.bot_context import BotContext
from bot.broadcast import BcPress, BroadcastError
from bot.context import AppContext
from bot.deadlines import DeadlineError, DlPress
from bot.delegation import CANCEL_WORDS
from bot.i18n import format_clock, format_date, t
from bot.ptb_types import BotApp
from bot.workcalendar import load_calendar, parse_when
from handlers.inputs import register_input
from handlers.kit import Callbacks, EmployeeCommand, Press, button, keyboard, linked, short
from storage.models import Broadcast, Employee, Unit

log = logging.getLogger(__name__)

PROGRESS_EVERY = 2.0  # seconds between status message refreshes
FIXED_AUDIENCES = ("all", "atasan", "not_reported")

presses = Callbacks(BcPress, role="admin")
deadline_presses = Callbacks(DlPress)
admin_only: Callable[
    [EmployeeCommand], Callable[[Update, BotContext], Coroutine[Any, Any, None]]
] = linked(role="admin")


def _args(update: Update) -> str:
    text = update.effective_message.text if update.effective_message else ""
    parts = (text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def _zone(ctx: AppContext, employee: Employee) -> Any:
    now = ctx.clock.now()
    async with ctx.db.session() as session:
        cal = await load_calendar(session, now.date(), now.date(), now=now, employee_ids=[])
    return cal.zone(employee.timezone, employee.unit_id, ctx.settings.default_timezone)


async def _compose(ctx: AppContext, employee: Employee, **changes: Any) -> dict[str, Any]:
    """Update the draft broadcast (None values drop keys); returns it."""
    async with ctx.db.session() as session:
        state = await drafts.load(session, employee.id)
        current = dict(state.payload.get("broadcast") or {})
        for key, value in changes.items():
            if value is None:
                current.pop(key, None)
            else:
                current[key] = value
        state.payload["broadcast"] = current
        ask = current.pop("ask", None)
        if ask:
            drafts.set_input(state, ask)
        elif "ask" in changes:
            drafts.clear_input(state)
        await drafts.save(session, state)
    return current


async def _clear(ctx: AppContext, employee: Employee) -> None:
    async with ctx.db.session() as session:
        state = await drafts.load(session, employee.id)
        state.payload.pop("broadcast", None)
        drafts.clear_input(state)
        await drafts.save(session, state)


def _when(at: Any, lang: str) -> str:
    """'30 Nov 2026 07.30' (id) / '30 Nov 2026 07:30' (en): the glossary's clock."""
    return f"{format_date(at.date(), lang, 'd MMM y')} {format_clock(at.time(), lang)}"


async def _audience_label(ctx: AppContext, lang: str, audience: str) -> str:
    """The audience's name in a sentence (no button emoji)."""
    if audience.startswith("unit:"):
        async with ctx.db.session() as session:
            unit = await session.get(Unit, int(audience.split(":")[1]))
        return unit.name if unit else audience
    return t(lang, f"broadcast.name_{audience}")


async def _audience_keyboard(ctx: AppContext, lang: str) -> Any:
    rows = [
        [button(t(lang, f"broadcast.aud_{a}"), BcPress("aud", n))]
        for n, a in enumerate(FIXED_AUDIENCES)
    ]
    async with ctx.db.session() as session:
        units = (
            await session.execute(select(Unit.id, Unit.name).order_by(Unit.name).limit(12))
        ).tuples()
        rows += [
            [button(t(lang, "broadcast.aud_unit", unit=short(name)), BcPress("unit", uid))]
            for uid, name in units
        ]
    return keyboard(*rows)


@admin_only
async def broadcast_command(update: Update, context: BotContext, employee: Employee) -> None:
    message = update.effective_message
    if message is None:
        return
    text = _args(update)
    ctx = context.app
    if not text:
        await _compose(
            ctx, employee, text=None, document=None, audience=None, at=None, ask="bc_text"
        )
        await message.reply_text(t(employee.language, "broadcast.ask_text"))
        return
    await _take_text(ctx, employee, message, text)


async def _take_text(
    ctx: AppContext, employee: Employee, message: Any, text: str, document: str | None = None
) -> None:
    """The broadcast's text, or with `document` (a file_id) the document and its caption."""
    lang = employee.language
    try:
        body = bc.check_text(text, document=document is not None)
    except BroadcastError as err:
        await message.reply_text(t(lang, f"broadcast.error_{err.code}", length=len(text.strip())))
        return
    await _compose(ctx, employee, text=body, document=document, audience=None, at=None, ask=None)
    await message.reply_text(
        t(lang, "broadcast.ask_audience"), reply_markup=await _audience_keyboard(ctx, lang)
    )


async def read_text(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, pending: dict[str, Any]
) -> None:
    if update.effective_message is None or "admin" not in employee.role_set:
        return
    ctx: AppContext = context.bot_data["ctx"]
    await _take_text(ctx, employee, update.effective_message, update.effective_message.text or "")


_CAPTION_COMMAND = re.compile(r"/broadcast(?:@\w+)?(?:\s+|$)", re.IGNORECASE)


async def on_document(update: Update, context: BotContext) -> None:
    """A document from an admin is a broadcast's attachment (its caption the text) when
    asked for after /broadcast, or when its caption starts with /broadcast. Anything else
    is left to the other handlers (the report flow keeps it as evidence)."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    employee = await context.employee(update)
    if employee is None or not employee.active or "admin" not in employee.role_set:
        return
    ctx = context.app
    caption = message.caption or ""
    command = _CAPTION_COMMAND.match(caption)
    if command is not None:
        caption = caption[command.end() :]
    else:
        async with ctx.db.session() as session:
            state = await drafts.load(session, employee.id)
            pending = state.pending_input
            if pending is None or pending.get("kind") != "bc_text":
                return
            drafts.clear_input(state)
            await drafts.save(session, state)
    await _take_text(ctx, employee, message, caption, document=message.document.file_id)
    raise ApplicationHandlerStop


def _has_body(draft: dict[str, Any]) -> bool:
    return bool(draft.get("text") or draft.get("document"))


async def _draft(ctx: AppContext, employee: Employee) -> dict[str, Any]:
    async with ctx.db.session() as session:
        state = await drafts.load(session, employee.id)
    return dict(state.payload.get("broadcast") or {})


@presses.on("aud", "unit")
async def choose_audience(press: Press[BcPress]) -> None:
    ctx, lang, data = press.app, press.lang, press.data
    draft = await _draft(ctx, press.employee)
    if not _has_body(draft):
        await press.answer(t(lang, "broadcast.expired"), alert=True)
        return
    if data.op == "aud":
        if data.arg >= len(FIXED_AUDIENCES):
            await press.stale()
            return
        audience = FIXED_AUDIENCES[data.arg]
    else:
        audience = f"unit:{data.arg}"
    try:
        async with ctx.db.session() as session:
            count = len(
                await bc.recipients(
                    session, audience, ctx.clock.now(), ctx.settings.default_timezone
                )
            )
    except BroadcastError as err:
        await press.answer(t(lang, f"broadcast.error_{err.code}"), alert=True)
        return
    await press.answer()
    if count == 0:
        await press.edit(t(lang, "broadcast.error_empty_audience"))
        await _clear(ctx, press.employee)
        return
    when_message = press.message.message_id if press.message is not None else None
    await _compose(ctx, press.employee, audience=audience, ask="bc_when", when_message=when_message)
    await press.edit(
        t(lang, "broadcast.ask_when", count=count),
        keyboard([button(t(lang, "broadcast.button_now"), BcPress("now", 0))]),
    )


async def _preview(
    ctx: AppContext, employee: Employee, message: Any, when_text: str | None
) -> None:
    """Show the message exactly as recipients will get it, then ask to confirm."""
    lang = employee.language
    draft = await _draft(ctx, employee)
    if not _has_body(draft) or not draft.get("audience"):
        await message.reply_text(t(lang, "broadcast.expired"))
        return
    now = ctx.clock.now()
    zone = await _zone(ctx, employee)
    if when_text is None:
        at = now
    else:
        parsed = parse_when(when_text, now, zone)
        if parsed is None:
            await _compose(ctx, employee, ask="bc_when")
            await message.reply_text(t(lang, "broadcast.error_when"))
            return
        if parsed < now - timedelta(minutes=1):
            await _compose(ctx, employee, ask="bc_when")
            await message.reply_text(t(lang, "broadcast.error_past"))
            return
        at = parsed
        # The time is taken: the question's "Kirim sekarang" button is superseded.
        if isinstance(draft.get("when_message"), int):
            try:
                await message.get_bot().edit_message_reply_markup(
                    message.chat_id, draft["when_message"], reply_markup=None
                )
            except TelegramError:  # already gone, or already without buttons
                pass
    await _compose(ctx, employee, at=at.isoformat(), ask=None, when_message=None)
    async with ctx.db.session() as session:
        # Counted as at the send time: "not reported" means not reported on that day.
        count = len(
            await bc.recipients(
                session, draft["audience"], max(at, now), ctx.settings.default_timezone
            )
        )
    local = at.astimezone(zone)
    when = t(lang, "broadcast.when_now") if when_text is None else _when(local, lang)
    note = ""
    if when_text is not None and draft["audience"] == "not_reported":
        note = t(lang, "broadcast.note_at_send", day=format_date(local.date(), lang))
    await message.reply_text(t(lang, "broadcast.preview_intro"))
    if draft.get("document"):
        await message.reply_document(
            draft["document"],
            caption=bc.recipient_text(draft["text"]) or None,
            parse_mode=ParseMode.HTML,
        )
    else:
        await message.reply_text(bc.recipient_text(draft["text"]))
    await message.reply_text(
        t(
            lang,
            "broadcast.confirm",
            count=count,
            audience=await _audience_label(ctx, lang, draft["audience"]),
            when=when,
        )
        + note,
        reply_markup=keyboard(
            [
                button(t(lang, "broadcast.button_send"), BcPress("send", 0)),
                button(t(lang, "broadcast.button_drop"), BcPress("drop", 0)),
            ]
        ),
    )


@presses.on("now")
async def send_now(press: Press[BcPress]) -> None:
    await press.answer()
    if press.message is not None:  # the question stays, its button becomes the answer
        await press.edit(
            press.message.text_html + "\n\n→ " + t(press.lang, "broadcast.when_now"), None
        )
    await _compose(press.app, press.employee, when_message=None)
    if press.message is not None:
        await _preview(press.app, press.employee, press.message, None)


async def read_when(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, pending: dict[str, Any]
) -> None:
    if update.effective_message is None or "admin" not in employee.role_set:
        return
    ctx: AppContext = context.bot_data["ctx"]
    await _preview(ctx, employee, update.effective_message, update.effective_message.text or "")


@presses.on("drop")
async def drop(press: Press[BcPress]) -> None:
    await _clear(press.app, press.employee)
    await press.answer()
    await press.edit(t(press.lang, "broadcast.dropped"))


@presses.on("send")
async def send(press: Press[BcPress]) -> None:
    from datetime import datetime

    ctx, lang, employee = press.app, press.lang, press.employee
    draft = await _draft(ctx, employee)
    if not (_has_body(draft) and draft.get("audience") and draft.get("at")):
        await press.answer(t(lang, "broadcast.expired"), alert=True)
        return
    message = press.message
    now = ctx.clock.now()
    try:
        async with ctx.db.session() as session:
            row = await bc.create(
                session,
                author_id=employee.id,
                text=draft.get("text") or "",
                document=draft.get("document"),
                audience=draft["audience"],
                at=datetime.fromisoformat(draft["at"]),
                now=now,
                status_chat_id=message.chat_id if message else None,
                status_message_id=message.message_id if message else None,
            )
            await bc.start_due(session, now)
            bc_id = row.id
    except BroadcastError as err:
        await press.answer(t(lang, f"broadcast.error_{err.code}"), alert=True)
        return
    await _clear(ctx, employee)
    ctx.poke_outbox()
    await press.answer()
    text, markup = await _status(ctx, bc_id, lang)
    await press.edit(text, markup)


async def _status(ctx: AppContext, bc_id: int, lang: str) -> tuple[str, Any]:
    async with ctx.db.session() as session:
        row = await session.get(Broadcast, bc_id)
        progress = await bc.progress(session, bc_id)
    assert row is not None and progress is not None
    audience = await _audience_label(ctx, lang, row.audience)
    stop = keyboard([button(t(lang, "broadcast.button_stop"), BcPress("stop", bc_id))])
    when = _when(row.scheduled_at.astimezone(ctx.settings.tz), lang)
    if row.status == "scheduled":
        return t(lang, "broadcast.status_scheduled", id=bc_id, audience=audience, when=when), stop
    if row.status == "cancelled" and row.total == 0 and progress.cancelled == 0:
        # Stopped before its time: nothing was queued, so there are no counts to show.
        return t(
            lang, "broadcast.status_cancelled_early", id=bc_id, audience=audience, when=when
        ), None
    text = t(
        lang,
        "broadcast.status",
        id=bc_id,
        audience=audience,
        sent=progress.sent,
        failed=progress.failed,
        blocked=progress.blocked,
        pending=progress.pending,
        total=progress.total,
    )
    if progress.status == "cancelled":
        return text + t(lang, "broadcast.status_cancelled", cancelled=progress.cancelled), None
    if progress.finished:
        return text + t(lang, "broadcast.status_done"), None
    return text, stop


@presses.on("stop")
async def stop(press: Press[BcPress]) -> None:
    ctx, lang = press.app, press.lang
    async with ctx.db.session() as session:
        stopped = await bc.cancel(session, press.data.arg, ctx.clock.now())
    if stopped is None:
        await press.answer(t(lang, "broadcast.nothing_to_stop"))
        return
    await press.answer(t(lang, "broadcast.stopped"))
    text, markup = await _status(ctx, press.data.arg, lang)
    await press.edit(text, markup)


async def _progress_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Edit each running broadcast's status message when its counts changed."""
    ctx: AppContext = context.bot_data["ctx"]
    try:
        async with ctx.db.session() as session:
            rows = [
                (r.id, r.status_chat_id, r.status_message_id, r.status_text, r.author_id)
                for r in await bc.active(session)
            ]
            authors = [r[4] for r in rows if r[4] is not None]
            found = await session.execute(
                select(Employee.id, Employee.language).where(Employee.id.in_(authors))
            )
            langs = dict(found.tuples().all())
        for bc_id, chat_id, message_id, shown, author in rows:
            lang = langs.get(author or 0, ctx.settings.default_language)
            text, markup = await _status(ctx, bc_id, lang)
            if text != shown and chat_id and message_id:
                try:
                    await context.bot.edit_message_text(
                        text, chat_id, message_id, reply_markup=markup
                    )
                except BadRequest as exc:
                    if "not modified" not in str(exc):
                        log.warning("status edit failed: %s", exc)
                except TelegramError as exc:
                    log.warning("status edit failed: %s", exc)
                    continue
            async with ctx.db.session() as session:
                await session.execute(
                    update(Broadcast).where(Broadcast.id == bc_id).values(status_text=text)
                )
                if markup is None:
                    await bc.finish_if_done(session, bc_id)
    except Exception:
        log.exception("broadcast progress job failed")


# --- deadlines --------------------------------------------------------------------------


async def _deadline_list(ctx: AppContext, employee: Employee) -> tuple[str, Any]:
    lang = employee.language
    now = ctx.clock.now()
    async with ctx.db.session() as session:
        rows = await dl.upcoming(session, now.date())
        totals = {d.id: len(await bc.recipients(session, d.audience, now)) for d, _ in rows}
    if not rows:
        return t(lang, "deadline.none"), None
    items = "\n".join(
        t(
            lang,
            "deadline.item",
            date=format_date(d.due_date, lang, "short"),
            title=d.title,
            acked=n,
            total=totals[d.id],
        )
        for d, n in rows
    )
    buttons = [
        [button(t(lang, "deadline.button_who", title=short(d.title, 30)), DlPress("who", d.id))]
        for d, _ in rows
    ]
    return t(lang, "deadline.list", items=items), keyboard(*buttons)


async def _propose_deadline(ctx: AppContext, employee: Employee, text: str) -> tuple[str, Any]:
    """Read the deadline and show it with ✅ Simpan / ❌ Batal; nothing is saved yet (the
    proposal waits in the drafts row). An unreadable one asks again."""
    lang = employee.language
    now = ctx.clock.now()
    zone = await _zone(ctx, employee)
    today = now.astimezone(zone).date()
    parsed = dl.parse_deadline(text, today)
    async with ctx.db.session() as session:
        state = await drafts.load(session, employee.id)
        if parsed is None:
            drafts.set_input(state, "deadline")  # the question stays open
            await drafts.save(session, state)
            return t(lang, "deadline.error_unparseable"), None
        due, title, audience = parsed
        try:
            title, count = await dl.check(
                session, title=title, due=due, audience=audience, today=today, now=now
            )
        except DeadlineError as err:
            return t(lang, f"deadline.error_{err.code}"), None
        state.payload["deadline"] = {"title": title, "due": due.isoformat(), "audience": audience}
        await drafts.save(session, state)
    text = t(
        lang,
        "deadline.confirm",
        title=title,
        date=format_date(due, lang),
        count=count,
        audience=t(lang, f"broadcast.name_{audience}"),
    )
    return text, keyboard(
        [
            button(t(lang, "deadline.button_save"), DlPress("save", 0)),
            button(t(lang, "broadcast.button_drop"), DlPress("drop", 0)),
        ]
    )


@admin_only
async def deadline_command(update: Update, context: BotContext, employee: Employee) -> None:
    message = update.effective_message
    if message is None:
        return
    ctx = context.app
    text = _args(update)
    if text:
        reply, markup = await _propose_deadline(ctx, employee, text)
        await message.reply_text(reply, reply_markup=markup)
        return
    listing, markup = await _deadline_list(ctx, employee)
    await message.reply_text(listing, reply_markup=markup)
    async with ctx.db.session() as session:
        state = await drafts.load(session, employee.id)
        drafts.set_input(state, "deadline")
        await drafts.save(session, state)
    await message.reply_text(t(employee.language, "deadline.ask"))


async def read_deadline(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, pending: dict[str, Any]
) -> None:
    if update.effective_message is None or "admin" not in employee.role_set:
        return
    ctx: AppContext = context.bot_data["ctx"]
    text = update.effective_message.text or ""
    if text.strip().strip("/").lower() in CANCEL_WORDS:
        await update.effective_message.reply_text(t(employee.language, "deadline.dropped"))
        return
    reply, markup = await _propose_deadline(ctx, employee, text)
    await update.effective_message.reply_text(reply, reply_markup=markup)


@deadline_presses.on("save", "drop")
async def save_deadline(press: Press[DlPress]) -> None:
    """✅ Simpan / ❌ Batal under a proposed deadline (admins only)."""
    ctx, lang, employee = press.app, press.lang, press.employee
    if "admin" not in employee.role_set:
        await press.answer(t(lang, "common.not_allowed"), alert=True)
        return
    now = ctx.clock.now()
    today = now.astimezone(await _zone(ctx, employee)).date()
    async with ctx.db.session() as session:
        state = await drafts.load(session, employee.id)
        proposal = state.payload.pop("deadline", None)
        await drafts.save(session, state)
        if not isinstance(proposal, dict):
            await press.answer(t(lang, "deadline.expired"), alert=True)
            await press.edit(t(lang, "deadline.expired"))
            return
        if press.data.op == "drop":
            await press.answer()
            await press.edit(t(lang, "deadline.dropped"))
            return
        try:
            row = await dl.create(
                session,
                title=proposal["title"],
                due=date.fromisoformat(proposal["due"]),
                audience=proposal["audience"],
                author_id=employee.id,
                today=today,
                now=now,
            )
            count = len(await bc.recipients(session, row.audience, now))
        except DeadlineError as err:
            await press.answer(t(lang, f"deadline.error_{err.code}"), alert=True)
            await press.edit(t(lang, f"deadline.error_{err.code}"))
            return
    await press.answer()
    await press.edit(
        t(
            lang,
            "deadline.saved",
            title=row.title,
            date=format_date(row.due_date, lang),
            count=count,
        )
    )


@deadline_presses.on("ok")
async def ready(press: Press[DlPress]) -> None:
    ctx = press.app
    async with ctx.db.session() as session:
        outcome = await dl.acknowledge(
            session, press.data.deadline, press.employee.id, ctx.clock.now()
        )
    if outcome == "stale":
        await press.stale()
        return
    if outcome == "not_allowed":
        await press.answer(t(press.lang, "common.not_allowed"), alert=True)
        return
    await press.answer(t(press.lang, "deadline.acked" if outcome == "ok" else "deadline.already"))
    if outcome == "ok" and press.message is not None:
        await press.edit(press.message.text_html + "\n\n✅ " + t(press.lang, "deadline.acked"))


@deadline_presses.on("who")
async def who(press: Press[DlPress]) -> None:
    if "admin" not in press.employee.role_set:
        await press.answer(t(press.lang, "common.not_allowed"), alert=True)
        return
    ctx, lang = press.app, press.lang
    async with ctx.db.session() as session:
        status = await dl.status(session, press.data.deadline, ctx.clock.now())
    if status is None:
        await press.stale()
        return
    await press.answer()
    if not status.missing:
        await press.reply(t(lang, "deadline.everyone_ready"))
        return
    names = "\n".join(f"• {n}" for n in status.missing[:100])
    text = t(
        lang, "deadline.who", title=status.deadline.title, missing=len(status.missing), names=""
    )
    await press.reply(text + _escape(names)[: 4000 - len(text)])


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("broadcast", broadcast_command))
    app.add_handler(CommandHandler(["deadline", "tenggat"], deadline_command))
    # Group 1: after the admin's CSV import (group 0), before the report's evidence (10).
    app.add_handler(MessageHandler(filters.Document.ALL, on_document), group=1)
    presses.register(app)
    deadline_presses.register(app)
    register_input("bc_text", read_text)
    register_input("bc_when", read_when)
    register_input("deadline", read_deadline)
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            _progress_job, interval=timedelta(seconds=PROGRESS_EVERY), first=timedelta(seconds=1)
        )
