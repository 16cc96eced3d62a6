"""/evaluasi: the monthly rating of hasil kerja and perilaku kerja, and its predikat.

The atasan picks a subordinate, sees that person's month, rates both (di atas / sesuai /
di bawah ekspektasi), may add a feedback note, and the employee is told through the
outbox. Admins also see completion per unit. In the first working days of a month a job
asks every atasan once (outbox dedupe key per atasan and month).

Callback data `ev:<op>:<employee>:<YYYYMM>[:<hasil>[:<perilaku>]]`: l list, p person,
h hasil chosen, b perilaku chosen, s send, n add a note. Every press re-checks that the
presser is the person's direct atasan (bot.evaluation.rateable).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, ContextTypes

from bot import drafts
from bot import evaluation as ev
from bot import recap as rc
from bot.bot_context import BotContext
from bot.callback_data import CallbackData, Int, Word, spec
from bot.clock import local_today
from bot.context import AppContext
from bot.i18n import Html, format_date, t
from bot.outbox import enqueue
from bot.ptb_types import BotApp
from handlers.inputs import register_input
from handlers.kit import Callbacks, Press, button, keyboard, linked, short
from handlers.recap import render_recap
from storage.models import Employee

log = logging.getLogger(__name__)

INPUT_NOTE = "ev_note"
CODES = {"a": ev.ABOVE, "m": ev.MEETS, "b": ev.BELOW}
LETTERS = {v: k for k, v in CODES.items()}
MAX_LISTED = 30


@dataclass(frozen=True)
class EvalPress(CallbackData, prefix="ev"):
    op: str = spec(Word("l", "p", "h", "b", "s", "n"))
    employee: int = spec(Int(0))
    month: int = spec(Int(200001, 210012))  # YYYYMM
    hasil: str | None = spec(Word(*CODES), default=None)
    perilaku: str | None = spec(Word(*CODES), default=None)

    def valid(self) -> bool:
        if not 1 <= self.month % 100 <= 12:
            return False
        needs = {"l": 0, "p": 0, "h": 1, "b": 2, "s": 2, "n": 2}[self.op]
        given = (self.hasil is not None) + (self.perilaku is not None)
        return given == needs and (self.perilaku is None or self.hasil is not None)

    @property
    def period(self) -> str:
        return f"{self.month // 100:04d}-{self.month % 100:02d}"


def _ym(period: str) -> int:
    year, month = period.split("-")
    return int(year) * 100 + int(month)


def _month_label(lang: str, period: str) -> str:
    return format_date(ev.period_bounds(period)[0], lang, "MMMM y")


def _rating(lang: str, code: str) -> str:
    return t(lang, f"eval.rating_{CODES[code]}")


# --- the list ------------------------------------------------------------------------------


async def list_view(
    app: AppContext, viewer: Employee, period: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    lang = viewer.language
    month = _month_label(lang, period)
    parts: list[str] = []
    rows: list[list[InlineKeyboardButton]] = []
    async with app.db.session() as session:
        team = await ev.direct_reports(session, viewer.id)
        done = await ev.evaluations_for(session, [m.id for m in team], period)
        completion = (
            await ev.completion_by_unit(session, period) if "admin" in viewer.role_set else []
        )
    if team:
        parts.append(t(lang, "eval.list_title", month=month, rated=len(done), total=len(team)))
        ordered = sorted(team, key=lambda m: (m.id in done, m.name))
        for member in ordered[:MAX_LISTED]:
            row = done.get(member.id)
            predikat = f" — {row.predikat}" if row is not None else ""
            mark = "✅" if row is not None else "⬜"
            parts.append(t(lang, "eval.list_line", mark=mark, name=member.name, predikat=predikat))
            rows.append(
                [
                    button(
                        f"{mark} {short(member.name, 36)}",
                        EvalPress("p", member.id, _ym(period)),
                    )
                ]
            )
    if completion:
        parts.append("")
        parts.append(t(lang, "eval.admin_title", month=month))
        for c in completion:
            unit = c.unit_name or t(lang, "eval.no_unit")
            parts.append(t(lang, "eval.admin_line", unit=unit, rated=c.rated, total=c.total))
    if not parts:
        return t(lang, "eval.no_team"), None
    return "\n".join(parts), keyboard(*rows) if rows else None


def _parse_month(text: str, today: date) -> str | tuple[str, dict[str, str]]:
    """The period to rate (last month by default), or a message key and its arguments."""
    if not text.strip():
        return ev.previous_period(today)
    period = rc.parse_period(text, today)
    if isinstance(period, rc.PeriodError) or period.kind is not rc.PeriodKind.MONTH:
        if period is rc.PeriodError.FUTURE:
            return "eval.period_future", {"month": text}
        return "eval.unknown_period", {"text": text}
    return period.month


@linked
async def evaluasi_command(update: Update, context: BotContext, employee: Employee) -> None:
    app, lang = context.app, employee.language
    message = update.effective_message
    if message is None:
        return
    today = local_today(app.clock.now(), employee.zone_name)
    found = _parse_month(" ".join(context.args or []), today)
    if isinstance(found, tuple):
        await message.reply_text(t(lang, found[0], **found[1]))
        return
    if ev.period_bounds(found)[1] >= today:
        await message.reply_text(t(lang, "eval.period_future", month=_month_label(lang, found)))
        return
    text, markup = await list_view(app, employee, found)
    await message.reply_text(text, reply_markup=markup)


# --- the steps -----------------------------------------------------------------------------


presses = Callbacks(EvalPress)


def _choices(lang: str, make: Any) -> InlineKeyboardMarkup:
    return keyboard(*[[button(_rating(lang, code), make(code))] for code in CODES])


async def _target(press: Press[EvalPress]) -> Employee | None:
    async with press.app.db.session() as session:
        target = await ev.rateable(session, press.employee, press.data.employee)
    if target is None:
        await press.answer(t(press.lang, "eval.not_allowed"), alert=True)
    return target


@presses.on("l")
async def show_list(press: Press[EvalPress]) -> None:
    text, markup = await list_view(press.app, press.employee, press.data.period)
    await press.answer()
    await press.reply(text, markup)


@presses.on("p")
async def ask_result(press: Press[EvalPress]) -> None:
    target = await _target(press)
    if target is None:
        return
    lang, d = press.lang, press.data
    first, last = ev.period_bounds(d.period)
    period = rc.Period(rc.PeriodKind.MONTH, first, last)
    today = local_today(press.app.clock.now(), press.employee.zone_name)
    async with press.app.db.session() as session:
        recap = await rc.person_recap(
            session, target, period, today, press.app.settings.workday_minutes
        )
    month = _month_label(lang, d.period)
    summary = (
        render_recap(lang, recap) if not recap.empty else t(lang, "eval.empty_recap", month=month)
    )
    text = t(
        lang,
        "eval.ask_result",
        name=target.name,
        month=month,
        recap=Html(summary),
    )
    await press.answer()
    await press.reply(text[:4000], _choices(lang, lambda c: EvalPress("h", target.id, d.month, c)))


@presses.on("h")
async def ask_behaviour(press: Press[EvalPress]) -> None:
    target = await _target(press)
    if target is None:
        return
    lang, d = press.lang, press.data
    assert d.hasil is not None
    text = t(
        lang,
        "eval.ask_behaviour",
        name=target.name,
        month=_month_label(lang, d.period),
        result=_rating(lang, d.hasil),
    )
    await press.edit(text, _choices(lang, lambda c: EvalPress("b", target.id, d.month, d.hasil, c)))


@presses.on("b")
async def confirm(press: Press[EvalPress]) -> None:
    target = await _target(press)
    if target is None:
        return
    lang, d = press.lang, press.data
    assert d.hasil is not None and d.perilaku is not None
    text = t(
        lang,
        "eval.confirm",
        name=target.name,
        month=_month_label(lang, d.period),
        result=_rating(lang, d.hasil),
        behaviour=_rating(lang, d.perilaku),
        predikat=ev.predikat(CODES[d.hasil], CODES[d.perilaku]),
    )
    markup = keyboard(
        [
            button(
                t(lang, "eval.btn_send"), EvalPress("s", target.id, d.month, d.hasil, d.perilaku)
            ),
            button(
                t(lang, "eval.btn_note"), EvalPress("n", target.id, d.month, d.hasil, d.perilaku)
            ),
        ]
    )
    await press.edit(text, markup)


@presses.on("s")
async def send(press: Press[EvalPress]) -> None:
    d = press.data
    assert d.hasil is not None and d.perilaku is not None
    text = await save_and_tell(
        press.app, press.employee, d.employee, d.period, d.hasil, d.perilaku, None
    )
    if text is None:
        await press.answer(t(press.lang, "eval.not_allowed"), alert=True)
        return
    await press.answer()
    await press.edit(text)


@presses.on("n")
async def ask_note(press: Press[EvalPress]) -> None:
    target = await _target(press)
    if target is None:
        return
    d = press.data
    async with press.app.db.session() as session:
        state = await drafts.load(session, press.employee.id)
        drafts.set_input(
            state,
            INPUT_NOTE,
            employee=target.id,
            period=d.period,
            hasil=d.hasil,
            perilaku=d.perilaku,
        )
        await drafts.save(session, state)
    await press.answer()
    await press.edit(t(press.lang, "eval.ask_note", name=target.name))


async def read_note(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, data: dict[str, Any]
) -> None:
    """The feedback note typed after "Tambah catatan": save and tell the employee."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    app = cast(BotContext, context).app
    hasil, perilaku = str(data.get("hasil")), str(data.get("perilaku"))
    if hasil not in CODES or perilaku not in CODES:
        return
    text = await save_and_tell(
        app,
        employee,
        int(data.get("employee", 0)),
        str(data.get("period")),
        hasil,
        perilaku,
        ev.clean_note(message.text),
    )
    await message.reply_text(text or t(employee.language, "eval.not_allowed"))


async def save_and_tell(
    app: AppContext,
    atasan: Employee,
    employee_id: int,
    period: str,
    hasil: str,
    perilaku: str,
    note: str | None,
) -> str | None:
    """Save the rating and queue the employee's message in the same transaction; the text
    for the atasan, or None when they may not rate this person."""
    lang = atasan.language
    now = app.clock.now()
    today = local_today(now, atasan.zone_name)
    async with app.db.session() as session:
        result = await ev.save_evaluation(
            session, atasan, employee_id, period, CODES[hasil], CODES[perilaku], note, today
        )
        if result.status is ev.SaveStatus.BAD_PERIOD:
            return t(lang, "eval.period_future", month=_month_label(lang, period))
        if result.status is not ev.SaveStatus.OK or result.employee is None:
            return None
        target, row = result.employee, result.evaluation
        assert row is not None
        linked_chat = target.telegram_user_id is not None and target.blocked_bot_at is None
        if linked_chat:
            their = target.language
            body = t(
                their,
                "eval.notify",
                month=_month_label(their, period),
                atasan=atasan.name,
                result=_rating(their, hasil),
                behaviour=_rating(their, perilaku),
                predikat=row.predikat,
            )
            if note:
                body += t(their, "eval.notify_note", note=note)
            await enqueue(session, int(target.telegram_user_id or 0), body, now=now)
    app.poke_outbox()
    key = "eval.saved" if linked_chat else "eval.saved_unlinked"
    return t(lang, key, name=target.name, month=_month_label(lang, period), predikat=row.predikat)


# --- the monthly prompt --------------------------------------------------------------------


async def prompt_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask each atasan once a month (the outbox dedupe key makes a second run a no-op)."""
    app: AppContext = context.bot_data["ctx"]
    now = app.clock.now()
    local = now.astimezone(app.settings.tz)
    queued = False
    async with app.db.session() as session:
        for prompt in await ev.evaluation_prompts_due(session, local):
            lang = prompt.language
            markup = {
                "inline_keyboard": [
                    [
                        {
                            "text": t(lang, "eval.btn_start"),
                            "callback_data": EvalPress("l", 0, _ym(prompt.period)).encode(),
                        }
                    ]
                ]
            }
            text = t(
                lang, "eval.prompt", month=_month_label(lang, prompt.period), count=prompt.pending
            )
            row = await enqueue(
                session,
                prompt.chat_id,
                text,
                now=now,
                dedupe_key=ev.prompt_dedupe_key(prompt),
                reply_markup=markup,
            )
            queued = queued or row is not None
    if queued:
        app.poke_outbox()


def register(app: BotApp) -> None:
    for name in ("evaluasi", "penilaian"):
        app.add_handler(CommandHandler(name, evaluasi_command))
    presses.register(app)
    register_input(INPUT_NOTE, read_note)
    if app.job_queue is not None:
        app.job_queue.run_repeating(prompt_job, interval=timedelta(hours=1), first=90)
