"""The atasan's buttons and commands (issue 9): decisions, reasons, digest, /plt, /digest.

Thin: every press goes to bot.approval / bot.digest, which check the presser against the
database and return an outcome; here it is rendered. The request message itself is edited
by the outbox (the decision queues the edit in its transaction); views this module shows
in a pressed message (/tim person, digest) are re-rendered here.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop

from bot import approval, approval_requests, delegation, digest, drafts, entries, morning
from bot.approval_buttons import ApprovalPress, DigestPress, PltPress, TeamPress, btn
from bot.bot_context import BotContext
from bot.clock import local_today
from bot.context import AppContext
from bot.i18n import format_clock, format_date_range, t
from bot.ptb_types import BotApp
from handlers import settings
from handlers.entries import render_day
from handlers.inputs import register_input
from handlers.kit import Callbacks, Press, button, keyboard, linked, short
from storage.models import Employee

presses = Callbacks(ApprovalPress)
digest_presses = Callbacks(DigestPress)
_TIME = re.compile(r"^(\d{1,2})[.:](\d{2})$")


def kb(data: dict[str, Any] | None) -> InlineKeyboardMarkup | None:
    """Bot API JSON from the domain as a PTB keyboard."""
    return InlineKeyboardMarkup.de_json(data, None) if data else None


def _with_back(
    data: dict[str, Any] | None, src: str, lang: str, now: datetime, emp: Employee
) -> Any:
    """A view opened from /tim or the digest gets a way back there."""
    rows = list((data or {}).get("inline_keyboard", []))
    if src == "d":
        rows.append([btn(t(lang, "digest.btn_back"), DigestPress("back", 0, 0))])
    elif src == "t":
        today = local_today(now, emp.zone_name)
        rows.append([btn(t(lang, "team.btn_back"), TeamPress("v", today, 1, 0, 0))])
    return {"inline_keyboard": rows} if rows else None


async def _refuse(press: Press[Any], outcome: approval.Outcome) -> None:
    if outcome is approval.Outcome.NOT_ALLOWED:
        await press.answer(t(press.lang, "approval.not_allowed"), alert=True)
    elif outcome is approval.Outcome.ALREADY:
        await press.answer(t(press.lang, "approval.already"))
    else:
        await press.stale()


async def _show(press: Press[ApprovalPress], *, per_activity: bool = False) -> None:
    """Re-render the submission in the pressed message (decision buttons or the decision)."""
    now = press.app.clock.now()
    src = press.data.src
    async with press.app.db.session() as session:
        view_of = approval.activities_view if per_activity else approval.request_view
        view = await view_of(session, press.data.submission, press.employee, src, now)
    if view is None:
        await _refuse(press, approval.Outcome.NOT_ALLOWED)
        return
    text, data = view
    if src in ("d", "t"):
        data = _with_back(data, src, press.lang, now, press.employee)
    await press.edit(text, kb(data))


async def _decided(press: Press[ApprovalPress], result: approval.Decision) -> None:
    if result.outcome is not approval.Outcome.OK:
        await _refuse(press, result.outcome)
        return
    press.app.poke_outbox()
    sub = result.submission
    assert sub is not None
    key = f"approval.ans_{sub.status}" if result.finished else "approval.ans_activity"
    await press.answer(t(press.lang, key))
    if not result.finished:
        await _show(press, per_activity=True)
    elif press.data.src == "d":
        await _show_digest(press, 0)
    elif press.data.src == "t":
        await _show(press)
    # src "r": the outbox edits every open request message, this one included.


@presses.on("ok")
async def approve(press: Press[ApprovalPress]) -> None:
    async with press.app.db.session() as session:
        result = await approval.decide(
            session,
            press.employee,
            press.data.submission,
            approval.APPROVED,
            press.app.clock.now(),
            round_=press.data.round,
        )
    await _decided(press, result)


@presses.on("no", "rev")
async def reject_or_revise(press: Press[ApprovalPress]) -> None:
    """Without a reason: ask for one (quick buttons, or typed text). With one: decide."""
    verdict = approval.verdict_of(press.data.op)
    assert verdict is not None
    now = press.app.clock.now()
    sub_id, src = press.data.submission, press.data.src
    if press.data.arg is not None:
        async with press.app.db.session() as session:
            result = await approval.decide(
                session,
                press.employee,
                sub_id,
                verdict,
                now,
                quick=press.data.arg,
                round_=press.data.round,
            )
        await _decided(press, result)
        return
    prompt = press.message.message_id if press.message else None
    async with press.app.db.session() as session:
        found = await approval.ask_reason(
            session, press.employee, sub_id, verdict, src, prompt, now, press.data.round
        )
        view = await approval.request_view(session, sub_id, press.employee, src, now)
    if found.outcome is not approval.Outcome.OK or view is None:
        await _refuse(press, found.outcome)
        return
    text = view[0] + "\n\n" + t(press.lang, f"approval.ask_reason_{verdict}")
    rows = approval_requests.reason_buttons(
        sub_id, press.data.round, press.data.op, src, press.lang
    )
    await press.answer()
    await press.edit(text, kb({"inline_keyboard": rows}))


@presses.on("cx")
async def back_to_buttons(press: Press[ApprovalPress]) -> None:
    """Leave the reason or per-activity screen (also: open a day from /tim)."""
    async with press.app.db.session() as session:
        await approval.clear_reason_question(session, press.employee.id)
    await _show(press)


@presses.on("one")
async def one_by_one(press: Press[ApprovalPress]) -> None:
    await _show(press, per_activity=True)


@presses.on("aok", "ano")
async def decide_activity(press: Press[ApprovalPress]) -> None:
    verdict = approval.APPROVED if press.data.op == "aok" else approval.REJECTED
    assert press.data.arg is not None
    async with press.app.db.session() as session:
        result = await approval.decide_activity(
            session,
            press.employee,
            press.data.submission,
            press.data.arg,
            verdict,
            press.app.clock.now(),
            press.data.round,
        )
    if result.outcome is approval.Outcome.ALREADY and (
        result.submission is not None and result.submission.status == approval.SUBMITTED
    ):  # this activity was marked already; the day itself is still open
        await press.answer(t(press.lang, "approval.activity_already"))
        return
    await _decided(press, result)


@presses.on("ev")
async def evidence(press: Press[ApprovalPress]) -> None:
    async with press.app.db.session() as session:
        text = await approval.evidence_text(
            session, press.employee, press.data.submission, press.app.clock.now()
        )
    if text is None:
        await _refuse(press, approval.Outcome.NOT_ALLOWED)
        return
    await press.answer()
    await press.reply(text)


@presses.on("rs")
async def resubmit(press: Press[ApprovalPress]) -> None:
    """The employee's 'Kirim ulang' after a rejection or a revision request."""
    async with press.app.db.session() as session:
        outcome = await approval.resubmit(
            session, press.employee, press.data.submission, press.app.clock.now()
        )
    if outcome is approval.Outcome.OK:
        press.app.poke_outbox()
        await press.answer(t(press.lang, "approval.resubmit_ok"))
        if press.data.src == "h":  # /hariini: the day again, with its new status
            async with press.app.db.session() as session:
                view = await entries.resubmitted_day(
                    session, press.employee.id, press.data.submission
                )
            if view is not None:
                text, markup = render_day(press.lang, view, 0, press.app.settings.workday_minutes)
                await press.edit(t(press.lang, "approval.resubmit_ok") + "\n\n" + text, markup)
                return
        if press.message is not None:
            await press.edit(
                press.message.text_html + "\n\n" + t(press.lang, "approval.resubmit_ok")
            )
    elif outcome is approval.Outcome.ALREADY:
        await press.answer(t(press.lang, "approval.resubmit_already"))
    else:
        await press.stale()


async def read_reason(
    update: Update, context: BotContext, employee: Employee, data: dict[str, Any]
) -> None:
    """The typed reason for a rejection or a revision request (asked by a button)."""
    message = update.effective_message
    sub_id, verdict = data.get("submission"), data.get("verdict")
    if message is None or not isinstance(sub_id, int) or not isinstance(verdict, str):
        return
    lang = employee.language
    ctx = context.app
    now = ctx.clock.now()
    text = message.text or ""
    async with ctx.db.session() as session:
        result = await approval.decide(session, employee, sub_id, verdict, now, reason=text)
        if result.outcome in (approval.Outcome.TOO_LONG, approval.Outcome.INVALID):
            await approval.ask_reason(
                session,
                employee,
                sub_id,
                verdict,
                str(data.get("src", "r")),
                data.get("prompt"),
                now,
            )
    if result.outcome is approval.Outcome.TOO_LONG:
        length = len(approval.clean_reason(text))
        await message.reply_text(
            t(lang, "approval.reason_too_long", length=length, max=approval.MAX_REASON)
        )
        return
    if result.outcome is approval.Outcome.INVALID:
        await message.reply_text(t(lang, "approval.reason_empty"))
        return
    if result.outcome is not approval.Outcome.OK:
        key = (
            "approval.already"
            if result.outcome is approval.Outcome.ALREADY
            else "approval.not_allowed"
        )
        await message.reply_text(t(lang, key))
        return
    ctx.poke_outbox()
    await message.reply_text(t(lang, f"approval.ans_{verdict}"))
    src, prompt = data.get("src"), data.get("prompt")
    if src in ("t", "d") and isinstance(prompt, int):
        async with ctx.db.session() as session:
            view = await approval.request_view(session, sub_id, employee, str(src), now)
        if view is not None:
            markup = kb(_with_back(view[1], str(src), lang, now, employee))
            await context.bot.edit_message_text(
                view[0], chat_id=message.chat.id, message_id=prompt, reply_markup=markup
            )


# --- digest ---------------------------------------------------------------------------------


async def _show_digest(press: Press[Any], page: int, note: str = "") -> None:
    now = press.app.clock.now()
    async with press.app.db.session() as session:
        items = await digest.pending_for(
            session, press.employee, local_today(now, press.employee.zone_name)
        )
    text, data = digest.build_digest(items, press.lang, page, note)
    await press.edit(text, kb(data))


@digest_presses.on("pg", "back")
async def digest_page(press: Press[DigestPress]) -> None:
    await _show_digest(press, press.data.page or 0)


@digest_presses.on("p")
async def digest_item(press: Press[DigestPress]) -> None:
    now = press.app.clock.now()
    async with press.app.db.session() as session:
        view = await approval.request_view(session, press.data.arg, press.employee, "d", now)
    if view is None:
        await _refuse(press, approval.Outcome.NOT_ALLOWED)
        return
    await press.edit(view[0], kb(_with_back(view[1], "d", press.lang, now, press.employee)))


@digest_presses.on("all")
async def digest_confirm(press: Press[DigestPress]) -> None:
    now = press.app.clock.now()
    async with press.app.db.session() as session:
        items = await digest.pending_for(
            session, press.employee, local_today(now, press.employee.zone_name), press.data.arg
        )
    if not items:
        await _show_digest(press, 0)
        return
    lang, count = press.lang, len(items)
    rows = [
        [
            InlineKeyboardButton(
                t(lang, "digest.btn_yes", total=count),
                callback_data=DigestPress("yes", press.data.arg).encode(),
            ),
            InlineKeyboardButton(
                t(lang, "digest.btn_back"),
                callback_data=DigestPress("back", 0, press.data.page).encode(),
            ),
        ]
    ]
    await press.edit(t(lang, "digest.confirm", count=count), InlineKeyboardMarkup(rows))


@digest_presses.on("yes")
async def digest_approve_all(press: Press[DigestPress]) -> None:
    async with press.app.db.session() as session:
        done = await digest.approve_all(
            session, press.employee, press.data.arg, press.app.clock.now()
        )
    press.app.poke_outbox()
    note = t(press.lang, "digest.approved_all", count=done)
    await press.answer(note)
    await _show_digest(press, 0, note)


@digest_presses.on("on", "off", "t", "mon", "moff")
async def digest_toggle(press: Press[DigestPress]) -> None:
    op = press.data.op
    at = None
    if op == "t":
        if press.data.arg >= 24 * 60:
            await press.stale()
            return
        at = time(press.data.arg // 60, press.data.arg % 60)
    async with press.app.db.session() as session:
        if not await digest.is_atasan(session, press.employee):
            emp = None
        elif op in ("mon", "moff"):
            emp = await morning.set_morning(session, press.employee, op == "mon")
        else:
            emp = await digest.set_digest(
                session, press.employee, on=None if op == "t" else op == "on", at=at
            )
    if emp is None:
        await press.answer(t(press.lang, "digest.only_atasan"), alert=True)
        return
    if press.data.page == 1:  # pressed on /pengaturan: the whole screen again
        await press.answer(t(press.lang, "settings.saved"))
        await press.edit(*await settings.render(press.app, emp))
        return
    text, rows = digest_settings_section(emp, press.lang)
    await press.edit(text, InlineKeyboardMarkup(rows))


async def digest_section(
    ctx: AppContext, employee: Employee
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    """/pengaturan's digest part, for atasan only (its buttons redraw /pengaturan)."""
    async with ctx.db.session() as session:
        if not await digest.is_atasan(session, employee):
            return "", []
    return digest_settings_section(employee, employee.language, in_settings=True)


def digest_settings_section(
    employee: Employee, lang: str, *, in_settings: bool = False
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    """The digest part of /pengaturan (and /digest): its state and the buttons to change
    it."""
    where = 1 if in_settings else None
    at = employee.digest_time or digest.DEFAULT_TIME
    state = (
        t(lang, "digest.state_on", time=format_clock(at, lang))
        if employee.digest_mode
        else t(lang, "digest.state_off")
    )
    morning_state = t(lang, "morning.state_on" if employee.morning_summary else "morning.state_off")
    text = (
        t(lang, "digest.settings", state=state)
        + "\n"
        + t(
            lang,
            "morning.settings",
            state=morning_state,
            time=format_clock(morning.MORNING_TIME, lang),
        )
    )
    toggle = DigestPress("off" if employee.digest_mode else "on", 0, where)
    label = "digest.btn_off" if employee.digest_mode else "digest.btn_on"
    rows = [[InlineKeyboardButton(t(lang, label), callback_data=toggle.encode())]]
    rows.append(
        [
            InlineKeyboardButton(
                format_clock(choice, lang),
                callback_data=DigestPress("t", choice.hour * 60 + choice.minute, where).encode(),
            )
            for choice in digest.TIME_CHOICES
        ]
    )
    flip = DigestPress("moff" if employee.morning_summary else "mon", 0, where)
    label = "morning.btn_off" if employee.morning_summary else "morning.btn_on"
    rows.append([InlineKeyboardButton(t(lang, label), callback_data=flip.encode())])
    return text, rows


_ON = ("on", "aktif", "ya", "nyala", "yes")
_OFF = ("off", "mati", "tidak", "nonaktif", "no")
_MORNING_WORDS = ("pagi", "morning")


@linked
async def digest_command(update: Update, context: BotContext, employee: Employee) -> None:
    """/digest, /digest on, /digest off, /digest 16.00 (atasan only)."""
    message = update.effective_message
    assert message is not None
    async with context.app.db.session() as session:
        atasan = await digest.is_atasan(session, employee)
    if not atasan:
        await message.reply_text(t(employee.language, "digest.only_atasan"))
        return
    arg = " ".join(context.args or []).strip().lower()
    on: bool | None = None
    at: time | None = None
    first, _, rest = arg.partition(" ")
    if first in _MORNING_WORDS:  # /digest pagi on · /digest pagi off
        if rest not in _ON + _OFF:
            await message.reply_text(t(employee.language, "morning.usage"))
            return
        async with context.app.db.session() as session:
            emp = await morning.set_morning(session, employee, rest in _ON)
        text, rows = digest_settings_section(emp, employee.language)
        await message.reply_text(text, reply_markup=InlineKeyboardMarkup(rows))
        return
    if arg in _ON:
        on = True
    elif arg in _OFF:
        on = False
    elif arg:
        match = _TIME.match(arg)
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            await message.reply_text(t(employee.language, "digest.bad_time"))
            return
        at = time(int(match[1]), int(match[2]))
    async with context.app.db.session() as session:
        emp = await digest.set_digest(session, employee, on=on, at=at)
    text, rows = digest_settings_section(emp, employee.language)
    await message.reply_text(
        text + "\n" + t(employee.language, "digest.usage"), reply_markup=InlineKeyboardMarkup(rows)
    )


async def send_digests(context: BotContext) -> None:
    """Job, every minute: today's digest to each atasan whose time has come (once: the
    outbox's dedupe key per atasan and day holds across processes)."""
    ctx = context.app
    now = ctx.clock.now()
    sent = 0
    async with ctx.db.session() as session:
        for approver in await digest.due_digests(session, now):
            sent += await digest.send_digest(session, approver, now)
    if sent:
        ctx.poke_outbox()


async def send_morning_summaries(context: BotContext) -> None:
    """Job, every minute: the morning summary to each atasan who asked for it (once a day:
    the outbox's dedupe key per atasan and day holds across processes)."""
    ctx = context.app
    now = ctx.clock.now()
    sent = 0
    async with ctx.db.session() as session:
        for atasan, today in await morning.due(session, now):
            sent += await morning.send(session, atasan, today, now)
    if sent:
        ctx.poke_outbox()


# --- "setuju" typed instead of pressed ------------------------------------------------------

# A whole message that is only a decision word: an atasan answering a request in words.
DECISION_WORDS = re.compile(
    r"^\s*(setuju|setujui|disetujui|ok|oke|okay|okey|acc|approve|approved|sip|siap|ya"
    r"|tolak|ditolak|reject|revisi|minta revisi)\s*[.!]*\s*$",
    re.I,
)


async def decision_word(update: Update, context: BotContext) -> None:
    """'setuju' / 'ok' / 'tolak' typed by an atasan with days waiting: which day is meant
    is not known, so say where the buttons are and list the waiting days (the digest view,
    with a button per day and 'Setujui semua'), instead of starting a report called
    'Setuju'. A pending question (a typed reason) or a report being written goes on as
    before."""
    message = update.effective_message
    employee = await context.employee(update)
    if message is None or employee is None or not employee.active:
        return  # the text router answers strangers, once
    now = context.app.clock.now()
    async with context.app.db.session() as session:
        state = await drafts.load(session, employee.id)
        if state.pending_input is not None or state.report is not None:
            return
        items = await digest.pending_for(session, employee, local_today(now, employee.zone_name))
    if not items:
        return
    text, buttons = digest.build_digest(items, employee.language)
    await message.reply_text(
        t(employee.language, "approval.typed_decision")
        + "\n"
        + t(employee.language, "report.approval_word", count=len(items))
        + "\n\n"
        + text,
        reply_markup=kb(buttons),
    )
    raise ApplicationHandlerStop


# --- /plt -----------------------------------------------------------------------------------


def _plt_list(
    lang: str, employee: Employee, rows: list[Any]
) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [t(lang, "approval.plt_list_head") if rows else t(lang, "approval.plt_list_none")]
    ends = []
    for row, principal, delegate in rows:
        lines.append(
            t(
                lang,
                "approval.plt_list_line",
                delegate=delegate.name,
                principal=principal.name,
                dates=format_date_range(row.start_date, row.end_date, lang, "long"),
            )
        )
        if principal.id == employee.id or "admin" in employee.role_set:
            label = t(lang, "approval.plt_btn_end", delegate=short(delegate.name, 30))
            ends.append([button(label, PltPress("end", row.id))])
    text = "\n".join(lines) + "\n\n" + t(lang, "approval.plt_usage")
    return text, keyboard(*ends) if ends else None


def _plt_done(lang: str, key: str, made: delegation.Created) -> str:
    """The answer to a /plt that changed something, or why it did not."""
    if made.result is not delegation.Result.OK:
        return t(lang, f"approval.plt_{made.result.value}", max=delegation.MAX_DAYS)
    assert made.delegation is not None and made.principal is not None
    assert made.delegate is not None
    return t(
        lang,
        key,
        delegate=made.delegate.name,
        principal=made.principal.name,
        dates=format_date_range(made.delegation.start_date, made.delegation.end_date, lang, "long"),
    )


@linked
async def plt_command(update: Update, context: BotContext, employee: Employee) -> None:
    """/plt NIP 1-12 Des (atasan) · /plt NIP_ATASAN NIP_PLT 1-12 Des (admin) · /plt: list ·
    /plt batal NIP (admin: /plt batal NIP_ATASAN NIP_PLT): end it early."""
    message = update.effective_message
    assert message is not None
    lang = employee.language
    args = list(context.args or [])
    now = context.app.clock.now()
    ending = bool(args) and args[0].lower() in delegation.CANCEL_WORDS
    async with context.app.db.session() as session:
        if not args:
            rows = await delegation.listing(session, employee, now)
            text, markup = _plt_list(lang, employee, rows)
            await message.reply_text(text, reply_markup=markup)
            return
        if ending:
            made = await delegation.end_early(session, employee, args[1:], now)
        else:
            made = await delegation.create(session, employee, args, now)
    if made.result is delegation.Result.USAGE and ending:
        await message.reply_text(t(lang, "approval.plt_end_usage"))
        return
    if made.result is delegation.Result.OK:
        context.app.poke_outbox()
    await message.reply_text(
        _plt_done(lang, "approval.plt_ended" if ending else "approval.plt_ok", made)
    )


plt_presses = Callbacks(PltPress)


@plt_presses.on("end")
async def plt_end_pressed(press: Press[PltPress]) -> None:
    now = press.app.clock.now()
    async with press.app.db.session() as session:
        made = await delegation.end_by_id(session, press.employee, press.data.delegation, now)
        rows = await delegation.listing(session, press.employee, now)
    if made.result is delegation.Result.NONE_TO_END:
        await press.stale()
        return
    if made.result is not delegation.Result.OK:
        await press.answer(t(press.lang, f"approval.plt_{made.result.value}"))
        return
    press.app.poke_outbox()
    await press.answer(t(press.lang, "approval.plt_ended_short"))
    text, markup = _plt_list(press.lang, press.employee, rows)
    await press.edit(_plt_done(press.lang, "approval.plt_ended", made) + "\n\n" + text, markup)


def register(app: BotApp) -> None:
    from telegram.ext import CommandHandler, MessageHandler, filters

    presses.register(app)
    digest_presses.register(app)
    settings.register_section(digest_section)
    app.add_handler(CommandHandler("digest", digest_command))
    app.add_handler(CommandHandler("plt", plt_command))
    # Before the plain-text router (group 10): only a bare decision word, only with days
    # waiting; anything else falls through to it.
    words = filters.UpdateType.MESSAGE & filters.Regex(DECISION_WORDS) & ~filters.COMMAND
    app.add_handler(MessageHandler(words, decision_word), group=9)
    plt_presses.register(app)
    register_input(approval.INPUT_REASON, read_reason)
    if app.job_queue is not None:
        app.job_queue.run_repeating(send_digests, interval=timedelta(minutes=1), first=5)  # type: ignore[arg-type]
        app.job_queue.run_repeating(send_morning_summaries, interval=timedelta(minutes=1), first=7)  # type: ignore[arg-type]
