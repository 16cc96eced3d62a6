"""The report conversation: free text → draft → questions → summary → submit.

Thin: every step is one call into bot.reporting plus rendering; the callback data is
`r:<token>:<op>:<index>:<arg>` and is re-checked against the presser's own draft.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot import approval, drafts
from bot import report_text as view
from bot.context import AppContext
from bot.i18n import t
from bot.parsing import parse_date_text, parse_duration_text
from bot.ptb_types import BotApp
from bot.reporting import (
    Outcome,
    Question,
    ReportDraft,
    Status,
    add_evidence,
    cancel,
    choose_skp,
    employee_tz,
    load_draft,
    local_today,
    remember_message,
    remove_activity,
    reopen_skp,
    report_from_text,
    set_date,
    set_description,
    set_minutes,
    skp_candidates,
    store_draft,
    submit,
)
from handlers.common import app_ctx, drop_buttons, require_employee
from handlers.inputs import register_input, set_text_fallback
from storage.models import Employee

log = logging.getLogger(__name__)

DURATIONS = (30, 60, 90, 120, 180)
PAGE = 8
_URL = re.compile(r"^\s*(https?://\S+)\s*$", re.IGNORECASE)


def _cb(draft: ReportDraft, op: str, index: int = 0, arg: str | int = "") -> str:
    return f"r:{draft.token}:{op}:{index}:{arg}"


def _btn(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


async def _titles(ctx: AppContext, employee: Employee) -> dict[int, str]:
    year = local_today(employee, ctx.clock.now()).year
    async with ctx.db.session() as session:
        return {i.id: i.title for i in await skp_candidates(session, employee, year)}


def _question_keyboard(
    draft: ReportDraft, q: Question, titles: dict[int, str], lang: str
) -> InlineKeyboardMarkup:
    act = draft.activities[q.index]
    rows: list[list[InlineKeyboardButton]] = []
    if q.kind == "duration":
        rows.append(
            [_btn(t(lang, f"report.dur_{m}"), _cb(draft, "d", q.index, m)) for m in DURATIONS[:3]]
        )
        rows.append(
            [_btn(t(lang, f"report.dur_{m}"), _cb(draft, "d", q.index, m)) for m in DURATIONS[3:]]
            + [_btn(t(lang, "report.btn_other_duration"), _cb(draft, "do", q.index))]
        )
    else:
        top = [i for i in act.suggestions if i in titles][: view.SUGGESTIONS]
        for k, item_id in enumerate(top, start=1):
            rows.append(
                [_btn(f"{k}. {view.short(titles[item_id])}", _cb(draft, "s", q.index, item_id))]
            )
        rows.append(
            [
                _btn(t(lang, "report.btn_more"), _cb(draft, "l", q.index, 0)),
                _btn(t(lang, "report.btn_extra"), _cb(draft, "s", q.index, "x")),
            ]
        )
    last = [_btn(t(lang, "report.btn_cancel"), _cb(draft, "cancel"))]
    if act.vague:
        last.insert(0, _btn(t(lang, "report.btn_clarify"), _cb(draft, "et", q.index)))
    rows.append(last)
    return InlineKeyboardMarkup(rows)


def _summary_keyboard(draft: ReportDraft, lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _btn(t(lang, "report.btn_send"), _cb(draft, "send")),
                _btn(t(lang, "report.btn_edit"), _cb(draft, "edit")),
                _btn(t(lang, "report.btn_cancel"), _cb(draft, "cancel")),
            ]
        ]
    )


def render_step(
    ctx: AppContext, draft: ReportDraft, titles: dict[int, str], lang: str, header: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    q = draft.next_question()
    if q is None:
        text = view.summary_text(draft, titles, ctx.settings.workday_minutes, lang)
        return (header + "\n\n" + text if header else text), _summary_keyboard(draft, lang)
    return view.question_text(draft, q, titles, lang, header), _question_keyboard(
        draft, q, titles, lang
    )


async def _send_step(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    draft: ReportDraft,
    header: str = "",
    *,
    titles: dict[int, str] | None = None,
    state: drafts.DraftState | None = None,
) -> None:
    """Post the current step as a new message; the previous step message loses its buttons.

    `titles` and `state` (the draft's state as just stored) spare reading them again."""
    ctx = app_ctx(context)
    if titles is None:
        titles = await _titles(ctx, employee)
    text, markup = render_step(ctx, draft, titles, employee.language, header)
    message = update.effective_message
    assert message is not None
    if draft.message_id:
        await drop_buttons(context, message.chat_id, draft.message_id)
    sent = await message.reply_text(text, reply_markup=markup)
    known = (state, draft) if state is not None else None
    async with ctx.db.session() as session:
        await remember_message(session, employee, draft.token, sent.message_id, known)


async def on_report_text(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    state: drafts.DraftState,
) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await report_text(update, context, employee, message.text, state)


async def report_text(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    text: str,
    state: drafts.DraftState | None = None,
) -> None:
    ctx = app_ctx(context)
    message = update.effective_message
    assert message is not None
    lang = employee.language
    link = _URL.match(text)
    if link:
        async with ctx.db.session() as session:
            added = await add_evidence(session, employee, {"kind": "link", "url": link.group(1)})
        if added is not None:
            await _evidence_added(message, lang, *added)
            return
    async with ctx.db.session() as session:
        outcome = await report_from_text(session, employee, text, ctx.clock.now(), state)
    if outcome.draft is None:
        await message.reply_text(t(lang, "report.nothing_found"))
        return
    header = view.understood_header(outcome.draft, outcome.added, outcome.extended, lang)
    if outcome.truncated:
        header += "\n" + t(lang, "report.too_many")
    titles = {i.id: i.title for i in outcome.items}
    await _send_step(
        update, context, employee, outcome.draft, header, titles=titles, state=outcome.state
    )


async def lapor_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = app_ctx(context)
    employee = await require_employee(ctx, update)
    if employee is None or update.effective_message is None:
        return
    rest = " ".join(context.args or [])
    if rest.strip():
        # Keep the user's line breaks: take the text after the command, not the args.
        full = update.effective_message.text or ""
        await report_text(update, context, employee, full.split(maxsplit=1)[1])
        return
    async with ctx.db.session() as session:
        _, draft = await load_draft(session, employee.id)
    if draft is None:
        await update.effective_message.reply_text(t(employee.language, "report.lapor_prompt"))
        return
    await _send_step(update, context, employee, draft)


async def batal_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = app_ctx(context)
    employee = await require_employee(ctx, update)
    if employee is None or update.effective_message is None:
        return
    async with ctx.db.session() as session:
        # One read: drop a pending question and the report in one write.
        state, draft = await load_draft(session, employee.id)
        had_input = state.pending_input is not None
        drafts.clear_input(state)
        done = draft is not None
        if done:
            await store_draft(session, state, None)
        elif had_input:
            await drafts.save(session, state)
    if draft and draft.message_id and update.effective_chat:
        await drop_buttons(context, update.effective_chat.id, draft.message_id)
    key = "report.cancelled" if done else "report.no_draft"
    await update.effective_message.reply_text(t(employee.language, key))


async def on_evidence(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = app_ctx(context)
    employee = await require_employee(ctx, update)
    message = update.effective_message
    if employee is None or message is None:
        return
    evidence: dict[str, Any]
    if message.photo:
        photo = message.photo[-1]
        evidence = {"kind": "photo", "file_id": photo.file_id, "size": photo.file_size}
    elif message.document:
        doc = message.document
        evidence = {
            "kind": "document",
            "file_id": doc.file_id,
            "file_name": doc.file_name,
            "size": doc.file_size,
        }
    else:
        return
    if message.caption:
        evidence["caption"] = message.caption[:500]
    async with ctx.db.session() as session:
        added = await add_evidence(session, employee, evidence)
    lang = employee.language
    if added is None:
        await message.reply_text(t(lang, "report.evidence_no_draft"))
        return
    await _evidence_added(message, lang, *added)


async def _evidence_added(message: Message, lang: str, draft: ReportDraft, index: int) -> None:
    description = draft.activities[index].description
    await message.reply_text(t(lang, "report.evidence_added", n=index + 1, description=description))


# --- callbacks -------------------------------------------------------------------------


async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    ctx = app_ctx(context)
    employee = await require_employee(ctx, update)
    if employee is None:
        return
    lang = employee.language
    parts = (query.data or "").split(":")
    if len(parts) != 5:
        await query.answer(t(lang, "common.stale_button"))
        return
    _, token, op, index_s, arg = parts
    try:
        index = int(index_s)
    except ValueError:
        await query.answer(t(lang, "common.stale_button"))
        return
    handler = _OPS.get(op)
    if handler is None:
        await query.answer(t(lang, "common.stale_button"))
        return
    await handler(update, context, employee, token, index, arg)


async def _show(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    outcome: Outcome,
    notice: str | None = None,
) -> None:
    """Answer the callback and edit its message to the draft's next step."""
    query = update.callback_query
    assert query is not None
    lang = employee.language
    if outcome.status is Status.STALE:
        await query.answer(t(lang, "common.stale_button"))
        return
    if outcome.status is Status.INVALID:
        await query.answer(notice or t(lang, "report.skp_invalid"), show_alert=True)
        return
    await query.answer()
    ctx = app_ctx(context)
    draft = outcome.draft
    if draft is None:
        await _edit(query.message, t(lang, "report.cancelled"), None)
        return
    titles = await _titles(ctx, employee)
    text, markup = render_step(ctx, draft, titles, lang)
    await _edit(query.message, text, markup)
    if isinstance(query.message, Message) and draft.message_id != query.message.message_id:
        async with ctx.db.session() as session:
            await remember_message(session, employee, draft.token, query.message.message_id)


async def _edit(message: object, text: str, markup: InlineKeyboardMarkup | None) -> None:
    if not isinstance(message, Message):
        return
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise


async def _op_skp(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    token: str,
    index: int,
    arg: str,
) -> None:
    ctx = app_ctx(context)
    if arg == "x":
        skp_id: int | None = None
    else:
        try:
            skp_id = int(arg)
        except ValueError:
            await update.callback_query.answer(t(employee.language, "common.stale_button"))  # type: ignore[union-attr]
            return
    async with ctx.db.session() as session:
        outcome = await choose_skp(session, employee, token, index, skp_id)
    await _show(update, context, employee, outcome)


async def _op_duration(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    token: str,
    index: int,
    arg: str,
) -> None:
    ctx = app_ctx(context)
    minutes = int(arg) if arg.isdigit() else -1
    async with ctx.db.session() as session:
        outcome = await set_minutes(session, employee, token, index, minutes)
    await _show(update, context, employee, outcome, t(employee.language, "report.bad_duration"))


Op = Callable[[Update, ContextTypes.DEFAULT_TYPE, Employee, str, int, str], Awaitable[None]]
DraftStep = Callable[[AsyncSession, Employee, str, int], Awaitable[Outcome]]


def _ask_input(kind: str, prompt_key: str) -> Op:
    """An op that stores a free-text question about activity `index` and asks it."""

    async def op(
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        employee: Employee,
        token: str,
        index: int,
        arg: str,
    ) -> None:
        await _ask(update, context, employee, token, index, kind, prompt_key)

    return op


def _draft_step(step: DraftStep) -> Op:
    """An op that applies one domain step to activity `index` and shows what comes next."""

    async def op(
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        employee: Employee,
        token: str,
        index: int,
        arg: str,
    ) -> None:
        ctx = app_ctx(context)
        async with ctx.db.session() as session:
            outcome = await step(session, employee, token, index)
        await _show(update, context, employee, outcome)

    return op


async def _ask(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    token: str,
    index: int,
    kind: str,
    prompt_key: str,
) -> None:
    query = update.callback_query
    assert query is not None
    ctx = app_ctx(context)
    lang = employee.language
    async with ctx.db.session() as session:
        state, draft = await load_draft(session, employee.id)
        if draft is None or draft.token != token or not 0 <= index < len(draft.activities):
            await query.answer(t(lang, "common.stale_button"))
            return
        drafts.set_input(state, kind, token=token, index=index)
        await drafts.save(session, state)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.reply_text(t(lang, prompt_key, n=index + 1))


async def _op_list(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    token: str,
    index: int,
    arg: str,
) -> None:
    """The full SKP list, paginated, for the activity being asked about."""
    query = update.callback_query
    assert query is not None
    ctx = app_ctx(context)
    lang = employee.language
    async with ctx.db.session() as session:
        _, draft = await load_draft(session, employee.id)
    if draft is None or draft.token != token or not 0 <= index < len(draft.activities):
        await query.answer(t(lang, "common.stale_button"))
        return
    titles = await _titles(ctx, employee)
    ids = list(titles)
    pages = max(1, -(-len(ids) // PAGE))
    page = min(max(int(arg) if arg.isdigit() else 0, 0), pages - 1)
    chunk = ids[page * PAGE : (page + 1) * PAGE]
    lines = [t(lang, "report.skp_list_head", page=page + 1, pages=pages)]
    rows: list[list[InlineKeyboardButton]] = []
    for n, item_id in enumerate(chunk, start=page * PAGE + 1):
        lines.append(t(lang, "report.suggestion_line", n=n, title=titles[item_id]))
        rows.append([_btn(f"{n}. {view.short(titles[item_id])}", _cb(draft, "s", index, item_id))])
    nav = []
    if page > 0:
        nav.append(_btn(t(lang, "report.btn_prev"), _cb(draft, "l", index, page - 1)))
    if page < pages - 1:
        nav.append(_btn(t(lang, "report.btn_next"), _cb(draft, "l", index, page + 1)))
    if nav:
        rows.append(nav)
    rows.append(
        [
            _btn(t(lang, "report.btn_extra"), _cb(draft, "s", index, "x")),
            _btn(t(lang, "report.btn_back"), _cb(draft, "back")),
        ]
    )
    await query.answer()
    act = draft.activities[index]
    text = (
        view.activity_block(index + 1, act, titles, lang, with_skp=False)
        + "\n\n"
        + "\n".join(lines)
    )
    await _edit(query.message, text, InlineKeyboardMarkup(rows))


async def _op_back(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    token: str,
    index: int,
    arg: str,
) -> None:
    ctx = app_ctx(context)
    async with ctx.db.session() as session:
        _, draft = await load_draft(session, employee.id)
    status = Status.OK if draft is not None and draft.token == token else Status.STALE
    await _show(update, context, employee, Outcome(status, draft))


async def _op_cancel(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    token: str,
    index: int,
    arg: str,
) -> None:
    ctx = app_ctx(context)
    async with ctx.db.session() as session:
        done = await cancel(session, employee, token)
    await _show(update, context, employee, Outcome(Status.OK if done else Status.STALE, None))


async def _op_edit_menu(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    token: str,
    index: int,
    arg: str,
) -> None:
    query = update.callback_query
    assert query is not None
    ctx = app_ctx(context)
    lang = employee.language
    async with ctx.db.session() as session:
        _, draft = await load_draft(session, employee.id)
    if draft is None or draft.token != token:
        await query.answer(t(lang, "common.stale_button"))
        return
    titles = await _titles(ctx, employee)
    await query.answer()
    if len(draft.activities) == 1 or arg == "one":
        i = index if arg == "one" else 0
        rows = [
            [
                _btn(t(lang, "report.btn_edit_text"), _cb(draft, "et", i)),
                _btn(t(lang, "report.btn_edit_date"), _cb(draft, "ed", i)),
            ],
            [
                _btn(t(lang, "report.btn_edit_duration"), _cb(draft, "em", i)),
                _btn(t(lang, "report.btn_edit_skp"), _cb(draft, "es", i)),
            ],
            [
                _btn(t(lang, "report.btn_remove"), _cb(draft, "rm", i)),
                _btn(t(lang, "report.btn_back"), _cb(draft, "back")),
            ],
        ]
        text = view.activity_block(i + 1, draft.activities[i], titles, lang, True)
        await _edit(
            query.message,
            text + "\n\n" + t(lang, "report.edit_what", n=i + 1),
            InlineKeyboardMarkup(rows),
        )
        return
    buttons = [_btn(str(i + 1), _cb(draft, "edit", i, "one")) for i in range(len(draft.activities))]
    rows = [buttons[k : k + 5] for k in range(0, len(buttons), 5)]
    rows.append([_btn(t(lang, "report.btn_back"), _cb(draft, "back"))])
    text = view.summary_text(draft, titles, ctx.settings.workday_minutes, lang)
    text = text.rsplit("\n\n", 1)[0] + "\n\n" + t(lang, "report.edit_which")
    await _edit(query.message, text, InlineKeyboardMarkup(rows))


async def _op_edit_duration(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    token: str,
    index: int,
    arg: str,
) -> None:
    query = update.callback_query
    assert query is not None
    ctx = app_ctx(context)
    async with ctx.db.session() as session:
        _, draft = await load_draft(session, employee.id)
    if draft is None or draft.token != token or not 0 <= index < len(draft.activities):
        await query.answer(t(employee.language, "common.stale_button"))
        return
    await query.answer()
    titles = await _titles(ctx, employee)
    q = Question("duration", index)
    text = view.question_text(draft, q, titles, employee.language)
    await _edit(query.message, text, _question_keyboard(draft, q, titles, employee.language))


async def _op_send(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    token: str,
    index: int,
    arg: str,
) -> None:
    query = update.callback_query
    assert query is not None
    ctx = app_ctx(context)
    lang = employee.language
    now = ctx.clock.now()
    async with ctx.db.session() as session:
        _, draft = await load_draft(session, employee.id)
        result = await submit(session, employee, token, now)
        year = local_today(employee, now).year
        titles = {i.id: i.title for i in await skp_candidates(session, employee, year)}
        linked = False
        if result.status is Status.OK:
            linked = await approval.queue_requests(session, employee, result, titles, now)
    if result.status is Status.STALE or draft is None:
        await query.answer(t(lang, "common.stale_button"))
        return
    if result.status is Status.INVALID:
        await query.answer(t(lang, "report.not_ready"), show_alert=True)
        return
    ctx.poke_outbox()
    await query.answer()
    text = view.summary_text(draft, titles, ctx.settings.workday_minutes, lang).rsplit("\n\n", 1)[0]
    text += "\n\n" + view.submitted_text(draft.activities, result, titles, lang, linked)
    await _edit(query.message, text, None)


_OPS: dict[str, Op] = {
    "s": _op_skp,
    "d": _op_duration,
    "do": _ask_input("report_minutes", "report.ask_other_duration"),
    "l": _op_list,
    "back": _op_back,
    "cancel": _op_cancel,
    "send": _op_send,
    "edit": _op_edit_menu,
    "et": _ask_input("report_text", "report.ask_text"),
    "ed": _ask_input("report_date", "report.ask_date"),
    "em": _op_edit_duration,
    "es": _draft_step(reopen_skp),
    "rm": _draft_step(remove_activity),
}


# --- answers to free-text questions ------------------------------------------------------


async def _answer_minutes(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, data: dict[str, Any]
) -> None:
    ctx = app_ctx(context)
    message = update.effective_message
    assert message is not None
    minutes = parse_duration_text(message.text or "")
    async with ctx.db.session() as session:
        if minutes is None or not 1 <= minutes <= 16 * 60:
            state = await drafts.load(session, employee.id)
            drafts.set_input(
                state, "report_minutes", **{k: v for k, v in data.items() if k != "kind"}
            )
            await drafts.save(session, state)
            outcome = None
        else:
            outcome = await set_minutes(
                session, employee, str(data["token"]), int(data["index"]), minutes
            )
    await _after_answer(update, context, employee, outcome, "report.bad_duration")


async def _answer_text(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, data: dict[str, Any]
) -> None:
    ctx = app_ctx(context)
    message = update.effective_message
    assert message is not None
    async with ctx.db.session() as session:
        outcome = await set_description(
            session, employee, str(data["token"]), int(data["index"]), message.text or ""
        )
    await _after_answer(update, context, employee, outcome, "report.bad_text")


async def _answer_date(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, data: dict[str, Any]
) -> None:
    ctx = app_ctx(context)
    message = update.effective_message
    assert message is not None
    now = ctx.clock.now()
    day = parse_date_text(message.text or "", now, employee_tz(employee))
    async with ctx.db.session() as session:
        if day is None:
            outcome: Outcome | None = None
        else:
            outcome = await set_date(
                session, employee, str(data["token"]), int(data["index"]), day, now
            )
        if outcome is None or outcome.status is Status.INVALID:
            state = await drafts.load(session, employee.id)
            drafts.set_input(state, "report_date", token=data["token"], index=data["index"])
            await drafts.save(session, state)
            outcome = None
    await _after_answer(update, context, employee, outcome, "report.bad_date")


async def _after_answer(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    outcome: Outcome | None,
    bad_key: str,
) -> None:
    message = update.effective_message
    assert message is not None
    lang = employee.language
    if outcome is None or outcome.status is Status.INVALID:
        await message.reply_text(t(lang, bad_key))
        return
    if outcome.status is Status.STALE or outcome.draft is None:
        await message.reply_text(t(lang, "report.no_draft"))
        return
    await _send_step(update, context, employee, outcome.draft)


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("lapor", lapor_command))
    app.add_handler(CommandHandler(["batal", "cancel"], batal_command))
    app.add_handler(CallbackQueryHandler(on_callback, pattern=r"^r:"))
    evidence = filters.UpdateType.MESSAGE & (filters.PHOTO | filters.Document.ALL)
    app.add_handler(MessageHandler(evidence, on_evidence), group=10)
    register_input("report_minutes", _answer_minutes)
    register_input("report_text", _answer_text)
    register_input("report_date", _answer_date)
    set_text_fallback(on_report_text)
