"""The report conversation: free text → draft → questions → summary → submit.

Thin: every step is one call into bot.reporting plus rendering. A button's data is a
`ReportPress` (`r:<token>:<op>:<index>:<arg>`); the domain re-checks the token and the
index against the presser's own draft (`reporting.open_step`) and the op renders the
outcome it gets back.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot import approval, drafts
from bot import report_text as view
from bot.bot_context import BotContext
from bot.callback_data import INT_MAX, CallbackData, Int, IntOr, Token, Word, spec
from bot.clock import zone
from bot.context import AppContext
from bot.i18n import Html, format_clock, format_date, t
from bot.parsing import parse_date_text, parse_duration_text
from bot.ptb_types import BotApp
from bot.reporting import (
    MAX_ACTIVITIES,
    Outcome,
    PressAge,
    Question,
    ReportDraft,
    Status,
    SubmitResult,
    add_evidence,
    add_held,
    advance,
    already_sent,
    ask,
    ask_about,
    cancel,
    choose_skp,
    keep_overlap,
    keep_today,
    leave_question,
    load_draft,
    open_step,
    press_age,
    remember_message,
    remove_activity,
    reopen_skp,
    report_from_text,
    set_date,
    set_description,
    set_minutes,
    shift_activity,
    shown_suggestions,
    skp_titles,
    store_draft,
    submit,
    valid_minutes,
)
from handlers.inputs import InputReader, register_input, set_text_fallback
from handlers.kit import (
    Callbacks,
    Press,
    button,
    drop_buttons,
    keyboard,
    linked,
    quick_durations,
    short,
)
from storage.models import Employee

log = logging.getLogger(__name__)

PAGE = 8
_URL = re.compile(r"^\s*(https?://\S+)\s*$", re.IGNORECASE)

# --- the buttons -------------------------------------------------------------------------

# s: choose SKP item <arg> (or "x": tugas tambahan) · d: <arg> minutes · do: ask for minutes
# l: SKP list page <arg> · back · cancel · send · edit: the edit menu (arg "one": of <index>)
# et / ed / em / es / tm: ask for a new text / date / duration / SKP item / time range
# rm: remove <index> · today: a future date becomes today · sh: shift an overlap to free time
# keep: keep an overlap (asks the reason) · yc / yr: yes, discard the draft / remove <index>
# dup: add the activities held as typed twice (issue 8 defect 4)
# log: record the held "setuju" as an activity after all · drop: forget it
OPS = (
    "s", "d", "do", "l", "back", "cancel", "send", "edit", "et", "ed", "em", "es", "rm",
    "tm", "today", "sh", "keep", "yc", "yr", "dup",
)  # fmt: skip
EXTRA = "x"  # the SKP choice "tugas tambahan"


@dataclass(frozen=True)
class ReportPress(CallbackData, prefix="r"):
    """A button of the draft `token`: `r:<token>:<op>:<index>:<arg>[:<step>]` (arg may be
    empty). `step` is the draft's step the button was drawn at: a button of an earlier step
    is stale. Data without a step (older buttons) is checked by its message only."""

    token: str = spec(Token(16))
    op: str = spec(Word(*OPS))
    index: int = spec(Int(0, MAX_ACTIVITIES - 1))
    arg: int | str = spec(IntOr(0, INT_MAX, "", EXTRA, "one"), default="")
    step: int | None = spec(Int(0, INT_MAX), default=None)

    def valid(self) -> bool:
        if self.op == "s":
            return isinstance(self.arg, int) or self.arg == EXTRA
        if self.op in ("d", "l"):
            return isinstance(self.arg, int)
        if self.op == "edit":
            return self.arg in ("", "one")
        return self.arg == ""


def _cb(draft: ReportDraft, op: str, index: int = 0, arg: str | int = "") -> ReportPress:
    return ReportPress(draft.token, op, index, arg, draft.step)


async def _titles(ctx: AppContext, employee: Employee) -> dict[int, str]:
    async with ctx.db.session() as session:
        return await skp_titles(session, employee, ctx.clock.now())


def _question_keyboard(
    draft: ReportDraft, q: Question, titles: dict[int, str], lang: str
) -> InlineKeyboardMarkup:
    act = draft.activities[q.index]
    rows: list[list[InlineKeyboardButton]] = []
    if q.kind == "duration":
        other = button(t(lang, "report.btn_other_duration"), _cb(draft, "do", q.index))
        rows += quick_durations(
            lambda m: t(lang, f"report.dur_{m}"),
            lambda m: _cb(draft, "d", q.index, m),
            per_row=3,
            extra=[other],
        )
        if draft.asking is not None:  # opened from ✏️ Ubah: a way back without answering
            rows.append([button(t(lang, "report.btn_back"), _cb(draft, "back"))])
    elif q.kind == "future":
        rows.append([button(t(lang, "report.btn_today"), _cb(draft, "today", q.index))])
        rows.append([button(t(lang, "report.btn_drop_one"), _cb(draft, "rm", q.index))])
    elif q.kind == "overlap":
        rows.append(
            [
                button(t(lang, "report.btn_shift"), _cb(draft, "sh", q.index)),
                button(t(lang, "report.btn_change_time"), _cb(draft, "tm", q.index)),
            ]
        )
        rows.append([button(t(lang, "report.btn_keep"), _cb(draft, "keep", q.index))])
    elif q.kind in ("description", "time"):
        if draft.asking is not None:
            rows.append([button(t(lang, "report.btn_back"), _cb(draft, "back"))])
    else:
        top = shown_suggestions(act, titles)
        for k, item_id in enumerate(top, start=1):
            rows.append(
                [button(f"{k}. {short(titles[item_id])}", _cb(draft, "s", q.index, item_id))]
            )
        rows.append(
            [
                button(t(lang, "report.btn_more"), _cb(draft, "l", q.index, 0)),
                button(t(lang, "report.btn_extra"), _cb(draft, "s", q.index, EXTRA)),
            ]
        )
    last = [button(t(lang, "report.btn_cancel"), _cb(draft, "cancel"))]
    if act.vague and q.kind != "description":
        last.insert(0, button(t(lang, "report.btn_clarify"), _cb(draft, "et", q.index)))
    rows.append(last)
    return keyboard(*rows)


def _summary_keyboard(draft: ReportDraft, lang: str) -> InlineKeyboardMarkup:
    return keyboard(
        [
            button(t(lang, "report.btn_send"), _cb(draft, "send")),
            button(t(lang, "report.btn_edit"), _cb(draft, "edit")),
            button(t(lang, "report.btn_cancel"), _cb(draft, "cancel")),
        ]
    )


def render_step(
    ctx: AppContext,
    draft: ReportDraft,
    titles: dict[int, str],
    lang: str,
    header: str = "",
    position: str | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    q = draft.next_question()
    if q is None:
        text = view.summary_text(draft, titles, ctx.settings.workday_minutes, lang)
        text, markup = (header + "\n\n" + text if header else text), _summary_keyboard(draft, lang)
    else:
        text = view.question_text(draft, q, titles, lang, header, position)
        markup = _question_keyboard(draft, q, titles, lang)
    if draft.held:  # issue 8 defect 4: typed again; added only if the user says so
        again = button(t(lang, "guard.btn_add_again"), _cb(draft, "dup"))
        markup = InlineKeyboardMarkup([*markup.inline_keyboard, (again,)])
    return text, markup


# --- messages ----------------------------------------------------------------------------


async def _send_step(
    update: Update,
    context: BotContext,
    employee: Employee,
    draft: ReportDraft,
    header: str = "",
    *,
    titles: dict[int, str] | None = None,
    state: drafts.DraftState | None = None,
) -> None:
    """Post the current step as a new message; the previous step message loses its buttons.

    `titles` and `state` (the draft's state as just stored) spare reading them again."""
    ctx = context.app
    if titles is None:
        titles = await _titles(ctx, employee)
    text, markup = render_step(ctx, draft, titles, employee.language, header, employee.position)
    message = update.effective_message
    assert message is not None
    if draft.message_id:
        await drop_buttons(context, message.chat_id, draft.message_id)
    sent = await message.reply_text(text, reply_markup=markup)
    known = (state, draft) if state is not None else None
    async with ctx.db.session() as session:
        await remember_message(session, employee, draft.token, sent.message_id, known)


async def on_report_text(
    update: Update, context: BotContext, employee: Employee, state: drafts.DraftState
) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await report_text(update, context, employee, message.text, state)


async def report_text(
    update: Update,
    context: BotContext,
    employee: Employee,
    text: str,
    state: drafts.DraftState | None = None,
) -> None:
    ctx = context.app
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
        outcome = await report_from_text(
            session, employee, text, ctx.clock.now(), state, redelivered=context.redelivered
        )
    if outcome.approval_word:
        await message.reply_text(t(lang, "report.approval_word", count=outcome.approval_word))
        return
    draft = outcome.draft
    if outcome.over_day and not outcome.added:
        dates = ", ".join(format_date(d, lang, "short") for d in outcome.over_day)
        await message.reply_text(t(lang, "report.over_day", dates=dates))
        return
    impossible = [t(lang, "report.impossible_date", description=d) for d in outcome.impossible]
    if draft is None or (not outcome.added and outcome.answered is None and impossible):
        if impossible:
            await message.reply_text("\n".join(impossible))
            return
        key = "report.empty_description" if outcome.empty else "report.nothing_found"
        await message.reply_text(t(lang, key))
        return
    if outcome.unanswered is not None:
        q = outcome.unanswered
        question = view.question_prompt(draft, q, lang)
        await message.reply_text(
            t(lang, "report.unanswered", n=q.index + 1, question=Html(question))
        )
        return
    if outcome.answered is not None:
        header = t(
            lang,
            f"report.answered_{_ANSWERED[outcome.answered.kind]}",
            n=outcome.answered.index + 1,
        )
    elif outcome.added:
        header = view.understood_header(draft, outcome.added, outcome.extended, lang)
    elif context.redelivered:  # stored before the process died (issue 8 defect 4)
        header = t(lang, "guard.resumed")
    elif draft.held:  # nothing new: only the same activities typed again
        header = _held_notice(draft, lang)
    else:
        key = "report.empty_description" if outcome.empty else "report.nothing_found"
        await message.reply_text(t(lang, key))
        return
    notes = impossible
    if draft.held and outcome.added:  # issue 8 defect 4: typed again, so asked about
        notes.insert(0, _held_notice(draft, lang))
    if outcome.truncated:
        notes.append(t(lang, "report.too_many"))
    if outcome.empty and outcome.added:
        notes.append(t(lang, "report.empty_description"))
    if outcome.over_day:
        dates = ", ".join(format_date(d, lang, "short") for d in outcome.over_day)
        notes.append(t(lang, "report.over_day", dates=dates))
    if outcome.tell_no_skp:
        notes.append(t(lang, "report.no_skp_hint"))
    notes += [t(lang, f"report.warn_{w}") for w in outcome.warnings]
    if notes:
        header += "\n\n" + "\n".join(notes)
    titles = {i.id: i.title for i in outcome.items} if outcome.items else None
    await _send_step(update, context, employee, draft, header, titles=titles, state=outcome.state)


def _held_notice(draft: ReportDraft, lang: str) -> str:
    same = ", ".join(short(a.description) for a in draft.held)
    return t(lang, "guard.duplicate_held", activities=same)


_ANSWERED = {
    "duration": "duration",
    "time": "time",
    "overlap": "time",
    "description": "description",
    "skp": "skp",
}


@linked
async def lapor_command(update: Update, context: BotContext, employee: Employee) -> None:
    if update.effective_message is None:
        return
    rest = " ".join(context.args or [])
    if rest.strip():
        # Keep the user's line breaks: take the text after the command, not the args.
        full = update.effective_message.text or ""
        await report_text(update, context, employee, full.split(maxsplit=1)[1])
        return
    async with context.app.db.session() as session:
        _, draft = await load_draft(session, employee.id)
    if draft is None:
        await update.effective_message.reply_text(t(employee.language, "report.lapor_prompt"))
        return
    await _send_step(update, context, employee, draft)


@linked
async def batal_command(update: Update, context: BotContext, employee: Employee) -> None:
    if update.effective_message is None:
        return
    lang = employee.language
    async with context.app.db.session() as session:
        # One read: drop a pending question and the report in one write.
        state, draft = await load_draft(session, employee.id)
        had_input = state.pending_input is not None
        drafts.clear_input(state)
        if draft is not None and len(draft.activities) > 1:
            # More than one activity: ask first (defect 11), on a new step message.
            draft.step += 1
            await store_draft(session, state, draft, bump=False)
        else:
            draft_gone = draft is not None
            if draft_gone:
                await store_draft(session, state, None)
            elif had_input:
                await drafts.save(session, state)
    if draft is not None and len(draft.activities) > 1:
        markup = keyboard(
            [
                button(t(lang, "report.btn_yes_cancel"), _cb(draft, "yc")),
                button(t(lang, "report.btn_no"), _cb(draft, "back")),
            ]
        )
        text = t(lang, "report.confirm_cancel", count=len(draft.activities))
        if draft.message_id and update.effective_chat:
            await drop_buttons(context, update.effective_chat.id, draft.message_id)
        sent = await update.effective_message.reply_text(text, reply_markup=markup)
        async with context.app.db.session() as session:
            await remember_message(session, employee, draft.token, sent.message_id)
        return
    done = draft is not None
    if draft and draft.message_id and update.effective_chat:
        await drop_buttons(context, update.effective_chat.id, draft.message_id)
    key = "report.cancelled" if done else "report.no_draft"
    await update.effective_message.reply_text(t(employee.language, key))


@linked
async def on_evidence(update: Update, context: BotContext, employee: Employee) -> None:
    message = update.effective_message
    if message is None:
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
    async with context.app.db.session() as session:
        added = await add_evidence(session, employee, evidence)
    lang = employee.language
    if added is None:
        await message.reply_text(t(lang, "report.evidence_no_draft"))
        return
    await _evidence_added(message, lang, *added)


async def _evidence_added(message: Message, lang: str, draft: ReportDraft, index: int) -> None:
    description = draft.activities[index].description
    await message.reply_text(t(lang, "report.evidence_added", n=index + 1, description=description))


# --- presses -----------------------------------------------------------------------------

presses = Callbacks(ReportPress)
RPress = Press[ReportPress]


def _on(*ops: str) -> Callable[[Callable[[RPress], Awaitable[None]]], None]:
    """Register a report op behind the step check: a button of the draft's current message
    and step acts; one of an older message or step of the same draft is answered stale and
    changes nothing (issue 7 defect 14); the draft's own message drawn at an earlier step is
    redrawn at the current one (the process died before editing it, issue 8)."""

    def add(fn: Callable[[RPress], Awaitable[None]]) -> None:
        async def guarded(press: RPress) -> None:
            message = press.message
            async with press.app.db.session() as session:
                age = await press_age(
                    session,
                    press.employee.id,
                    press.data.token,
                    message.message_id if message is not None else None,
                    press.data.step,
                )
            if age is PressAge.BEHIND:
                await _redraw(press)
            elif age is PressAge.STALE:
                await _stale(press)  # "Sudah terkirim pada …" for a sent draft's buttons
            else:
                await fn(press)

        presses.on(*ops)(guarded)

    return add


async def _redraw(press: RPress) -> None:
    """Show the draft's current step in the pressed message, changing nothing else."""
    ctx, employee = press.app, press.employee
    async with ctx.db.session() as session:
        _, draft = await load_draft(session, employee.id)
        titles = await skp_titles(session, employee, ctx.clock.now())
    if draft is None:
        await press.stale()
        return
    await press.answer(t(press.lang, "report.step_redrawn"))
    await press.edit(*render_step(ctx, draft, titles, press.lang, position=employee.position))


async def _show(press: RPress, outcome: Outcome, invalid_key: str = "report.skp_invalid") -> None:
    """Answer the press and edit its message to the draft's next step."""
    lang = press.lang
    if outcome.status is Status.STALE:
        await _stale(press)
        return
    if outcome.status is Status.INVALID:
        await press.answer(t(lang, invalid_key), alert=True)
        return
    if outcome.status is Status.OVER_DAY:
        await press.answer(t(lang, "report.over_day_alert"), alert=True)
        return
    await press.answer()
    draft = outcome.draft
    if draft is None:
        await press.edit(t(lang, "report.cancelled"))
        return
    titles = await _titles(press.app, press.employee)
    text, markup = render_step(press.app, draft, titles, lang, position=press.employee.position)
    await press.edit(text, markup)
    message = press.message
    if message is not None and draft.message_id != message.message_id:
        async with press.app.db.session() as session:
            await remember_message(session, press.employee, draft.token, message.message_id)


@_on("s")
async def _op_skp(press: RPress) -> None:
    arg = press.data.arg
    skp_id = arg if isinstance(arg, int) else None  # "x": tugas tambahan
    async with press.app.db.session() as session:
        outcome = await choose_skp(
            session, press.employee, press.data.token, press.data.index, skp_id
        )
    await _show(press, outcome)


@_on("d")
async def _op_duration(press: RPress) -> None:
    minutes = press.data.arg if isinstance(press.data.arg, int) else -1
    async with press.app.db.session() as session:
        outcome = await set_minutes(
            session,
            press.employee,
            press.data.token,
            press.data.index,
            minutes,
            press.app.clock.now(),
        )
    await _show(press, outcome, "report.bad_duration")


DraftStep = Callable[[AsyncSession, Employee, str, int], Awaitable[Outcome]]


def _draft_step(op: str, step: DraftStep) -> None:
    """Op `op` applies one domain step to activity `index` and shows what comes next."""

    async def run(press: RPress) -> None:
        async with press.app.db.session() as session:
            outcome = await step(session, press.employee, press.data.token, press.data.index)
        await _show(press, outcome)

    _on(op)(run)


def _ask_input(op: str, kind: str, prompt_key: str) -> None:
    """Op `op` stores a free-text question about activity `index` and asks it."""

    async def run(press: RPress) -> None:
        index = press.data.index
        async with press.app.db.session() as session:
            outcome = await ask(session, press.employee, press.data.token, index, kind)
        if not outcome.ok:
            await _stale(press)
            return
        await press.answer()
        await press.reply(t(press.lang, prompt_key, n=index + 1))

    _on(op)(run)


_draft_step("es", reopen_skp)
_draft_step("yr", remove_activity)
_draft_step("today", keep_today)
_draft_step("sh", shift_activity)
_ask_input("do", "report_minutes", "report.ask_other_duration")
_ask_input("et", "report_text", "report.ask_text")
_ask_input("ed", "report_date", "report.ask_date")
_ask_input("keep", "report_overlap_note", "report.ask_overlap_reason")


def _ask_typed(op: str, kind: str) -> None:
    """Op `op` opens a question that typed text answers ("1,5 jam", "09.00-11.00")."""

    async def run(press: RPress) -> None:
        async with press.app.db.session() as session:
            outcome = await ask_about(
                session, press.employee, press.data.token, press.data.index, kind
            )
        await _show(press, outcome)

    _on(op)(run)


_ask_typed("em", "duration")
_ask_typed("tm", "time")


async def _confirm(press: RPress, text: str, yes: ReportPress | None = None) -> None:
    """Replace the buttons by a yes/no question; the old buttons of this step go stale."""
    async with press.app.db.session() as session:
        outcome = await advance(session, press.employee, press.data.token)
    if outcome.draft is None:
        await press.stale()
        return
    draft = outcome.draft
    lang = press.lang
    yes_data = ReportPress(
        draft.token, "yc" if yes is None else yes.op, press.data.index, "", draft.step
    )
    yes_key = "report.btn_yes_cancel" if yes_data.op == "yc" else "report.btn_yes_remove"
    await press.answer()
    await press.edit(
        text,
        keyboard(
            [
                button(t(lang, yes_key), yes_data),
                button(t(lang, "report.btn_no"), _cb(draft, "back")),
            ]
        ),
    )


@_on("rm")
async def _op_remove(press: RPress) -> None:
    """🗑 Hapus: asks first when the draft holds more than one activity (defect 11)."""
    draft = await _open(press, index=press.data.index)
    if draft is None:
        return
    if len(draft.activities) > 1:
        act = draft.activities[press.data.index]
        text = t(
            press.lang, "report.confirm_remove", n=press.data.index + 1, description=act.description
        )
        await _confirm(press, text, ReportPress(draft.token, "yr", press.data.index))
        return
    async with press.app.db.session() as session:
        outcome = await remove_activity(session, press.employee, draft.token, press.data.index)
    await _show(press, outcome)


async def _open(press: RPress, *, index: int | None = None) -> ReportDraft | None:
    """The pressed draft (checked by the domain), or None after answering "stale"."""
    async with press.app.db.session() as session:
        outcome = await open_step(session, press.employee.id, press.data.token, index)
    if outcome.draft is None:
        await _stale(press)
    return outcome.draft


@_on("l")
async def _op_list(press: RPress) -> None:
    """The full SKP list, paginated, for the activity being asked about."""
    index = press.data.index
    draft = await _open(press, index=index)
    if draft is None:
        return
    lang = press.lang
    titles = await _titles(press.app, press.employee)
    ids = list(titles)
    pages = max(1, -(-len(ids) // PAGE))
    arg = press.data.arg
    page = min(arg if isinstance(arg, int) else 0, pages - 1)
    chunk = ids[page * PAGE : (page + 1) * PAGE]
    lines = [t(lang, "report.skp_list_head", page=page + 1, pages=pages)]
    rows: list[list[InlineKeyboardButton]] = []
    for n, item_id in enumerate(chunk, start=page * PAGE + 1):
        lines.append(t(lang, "report.suggestion_line", n=n, title=titles[item_id]))
        rows.append([button(f"{n}. {short(titles[item_id])}", _cb(draft, "s", index, item_id))])
    nav = []
    if page > 0:
        nav.append(button(t(lang, "report.btn_prev"), _cb(draft, "l", index, page - 1)))
    if page < pages - 1:
        nav.append(button(t(lang, "report.btn_next"), _cb(draft, "l", index, page + 1)))
    rows.append(nav)
    rows.append(
        [
            button(t(lang, "report.btn_extra"), _cb(draft, "s", index, EXTRA)),
            button(t(lang, "report.btn_back"), _cb(draft, "back")),
        ]
    )
    await press.answer()
    act = draft.activities[index]
    text = (
        view.activity_block(index + 1, act, titles, lang, with_skp=False)
        + "\n\n"
        + "\n".join(lines)
    )
    await press.edit(text, keyboard(*rows))


@_on("back")
async def _op_back(press: RPress) -> None:
    async with press.app.db.session() as session:
        outcome = await leave_question(session, press.employee, press.data.token)
        if outcome.ok:  # the buttons shown before "back" (a menu, a yes/no) go stale
            outcome = await advance(session, press.employee, press.data.token)
    await _show(press, outcome)


@_on("cancel")
async def _op_cancel(press: RPress) -> None:
    """✖️ Batal: asks first when the draft holds more than one activity (defect 11)."""
    draft = await _open(press)
    if draft is None:
        return
    if len(draft.activities) > 1:
        text = t(press.lang, "report.confirm_cancel", count=len(draft.activities))
        await _confirm(press, text)
        return
    await _op_yes_cancel(press)


async def _op_yes_cancel(press: RPress) -> None:
    async with press.app.db.session() as session:
        done = await cancel(session, press.employee, press.data.token)
    await _show(press, Outcome(Status.OK if done else Status.STALE, None))


_on("yc")(_op_yes_cancel)


@_on("edit")
async def _op_edit_menu(press: RPress) -> None:
    one = press.data.arg == "one"
    draft = await _open(press, index=press.data.index if one else None)
    if draft is None:
        return
    lang = press.lang
    titles = await _titles(press.app, press.employee)
    async with press.app.db.session() as session:  # the summary's buttons go stale
        draft = (await advance(session, press.employee, draft.token)).draft or draft
    await press.answer()
    if len(draft.activities) == 1 or one:
        i = press.data.index if one else 0
        rows = [
            [
                button(t(lang, "report.btn_edit_text"), _cb(draft, "et", i)),
                button(t(lang, "report.btn_edit_date"), _cb(draft, "ed", i)),
            ],
            [
                button(t(lang, "report.btn_edit_duration"), _cb(draft, "em", i)),
                button(t(lang, "report.btn_edit_time"), _cb(draft, "tm", i)),
                button(t(lang, "report.btn_edit_skp"), _cb(draft, "es", i)),
            ],
            [
                button(t(lang, "report.btn_remove"), _cb(draft, "rm", i)),
                button(t(lang, "report.btn_back"), _cb(draft, "back")),
            ],
        ]
        text = view.activity_block(i + 1, draft.activities[i], titles, lang, True)
        await press.edit(text + "\n\n" + t(lang, "report.edit_what", n=i + 1), keyboard(*rows))
        return
    numbers = [
        button(str(i + 1), _cb(draft, "edit", i, "one")) for i in range(len(draft.activities))
    ]
    rows = [numbers[k : k + 5] for k in range(0, len(numbers), 5)]
    rows.append([button(t(lang, "report.btn_back"), _cb(draft, "back"))])
    text = view.summary_text(draft, titles, press.app.settings.workday_minutes, lang)
    text = text.rsplit("\n\n", 1)[0] + "\n\n" + t(lang, "report.edit_which")
    await press.edit(text, keyboard(*rows))


@_on("dup")
async def _op_add_held(press: RPress) -> None:
    async with press.app.db.session() as session:
        outcome = await add_held(session, press.employee, press.data.token)
    await _show(press, outcome)


@_on("send")
async def _op_send(press: RPress) -> None:
    ctx, employee, lang = press.app, press.employee, press.lang
    now = ctx.clock.now()
    async with ctx.db.session() as session:
        _, draft = await load_draft(session, employee.id)
        result = await submit(session, employee, press.data.token, now)
        titles = await skp_titles(session, employee, now)
        with_supervisor = False
        if result.status is Status.OK:
            with_supervisor = await approval.queue_requests(session, employee, result, titles, now)
    if result.status is Status.STALE or draft is None:
        await _stale(press)
        return
    if result.status is Status.INVALID:
        await press.answer(t(lang, "report.not_ready"), alert=True)
        return
    if result.status in _SHOWN_AGAIN and result.draft is not None:
        key = _SHOWN_AGAIN[result.status]
        await press.answer(t(lang, key), alert=True)
        text, markup = render_step(ctx, result.draft, titles, lang, position=employee.position)
        await press.edit(text, markup)
        return
    ctx.poke_outbox()
    await press.answer()
    await press.edit(_sent_text(ctx, draft, result, titles, lang, with_supervisor))


def _sent_text(
    ctx: AppContext,
    draft: ReportDraft,
    result: SubmitResult,
    titles: dict[int, str],
    lang: str,
    with_supervisor: bool,
) -> str:
    text = view.summary_text(draft, titles, ctx.settings.workday_minutes, lang).rsplit("\n\n", 1)[0]
    return (
        text + "\n\n" + view.submitted_text(draft.activities, result, titles, lang, with_supervisor)
    )


async def _stale(press: RPress) -> None:
    """A press on a draft that is not open: if it is the draft last sent (say, the process
    died before the message was edited), say when it was sent and show the sent state
    (issue 8 defect 5); otherwise the button is stale."""
    ctx, employee, lang = press.app, press.employee, press.lang
    async with ctx.db.session() as session:
        sent = await already_sent(session, employee, press.data.token)
        titles = await skp_titles(session, employee, ctx.clock.now()) if sent else {}
    if sent is None:
        await press.stale()
        return
    at = sent.at.astimezone(zone(employee.zone_name))
    await press.answer(t(lang, "guard.already_sent", time=format_clock(at.time(), lang)))
    linked_sup = approval.can_receive(sent.result.supervisor)
    await press.edit(_sent_text(ctx, sent.draft, sent.result, titles, lang, linked_sup))


_SHOWN_AGAIN = {
    Status.CHANGED: "report.times_changed",
    Status.OVER_DAY: "report.over_day_alert",
    Status.NO_ROOM: "report.no_room_alert",
}


# --- answers to free-text questions ------------------------------------------------------


DraftAnswer = Callable[[AsyncSession, Employee, str, int, str, datetime], Awaitable[Outcome | None]]


def _draft_reader(kind: str, bad_key: str, answer: DraftAnswer, *, ask_again: bool) -> InputReader:
    """The reader of question `kind` about activity `index` of draft `token`: `answer` applies
    the typed text (None: unreadable). An unacceptable answer is told with `bad_key` and, if
    `ask_again`, the question stays open."""

    async def read(
        update: Update, context: BotContext, employee: Employee, data: dict[str, Any]
    ) -> None:
        message = update.effective_message
        if message is None:
            return
        token, index = str(data["token"]), int(data["index"])
        now = context.app.clock.now()
        async with context.app.db.session() as session:
            outcome = await answer(session, employee, token, index, message.text or "", now)
            if ask_again and (outcome is None or outcome.status is Status.INVALID):
                state = await drafts.load(session, employee.id)
                drafts.set_input(state, kind, token=data["token"], index=data["index"])
                await drafts.save(session, state)
        await _after_answer(update, context, employee, outcome, bad_key)

    return read


async def _answer_minutes(
    session: AsyncSession, employee: Employee, token: str, index: int, text: str, now: datetime
) -> Outcome | None:
    minutes = parse_duration_text(text)
    if minutes is None or not valid_minutes(minutes):
        return None
    return await set_minutes(session, employee, token, index, minutes, now)


async def _answer_text(
    session: AsyncSession, employee: Employee, token: str, index: int, text: str, now: datetime
) -> Outcome | None:
    return await set_description(session, employee, token, index, text)


async def _answer_date(
    session: AsyncSession, employee: Employee, token: str, index: int, text: str, now: datetime
) -> Outcome | None:
    day = parse_date_text(text, now, zone(employee.zone_name))
    return None if day is None else await set_date(session, employee, token, index, day, now)


async def _answer_note(
    session: AsyncSession, employee: Employee, token: str, index: int, text: str, now: datetime
) -> Outcome | None:
    return await keep_overlap(session, employee, token, index, text)


async def _after_answer(
    update: Update,
    context: BotContext,
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
    presses.register(app)
    evidence = filters.UpdateType.MESSAGE & (filters.PHOTO | filters.Document.ALL)
    app.add_handler(MessageHandler(evidence, on_evidence), group=10)
    for kind, bad_key, answer, ask_again in (
        ("report_minutes", "report.bad_duration", _answer_minutes, True),
        ("report_text", "report.bad_text", _answer_text, False),
        ("report_date", "report.bad_date", _answer_date, True),
        ("report_overlap_note", "report.bad_reason", _answer_note, True),
    ):
        register_input(kind, _draft_reader(kind, bad_key, answer, ask_again=ask_again))
    set_text_fallback(on_report_text)
