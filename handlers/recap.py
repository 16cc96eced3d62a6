"""/rekap (recap with a chart) and /ekspor (the e-Kinerja XLSX).

/rekap [periode] · /rekap NIP [periode] · /rekap tim [periode]
/ekspor [bulan] [semua] · /ekspor [bulan] NIP · /ekspor [bulan] tim · /ekspor [bulan] unit ID
Who may see whom is decided in bot.export.can_view (oneself, an atasan above, admins).
Buttons `rk:<op>:<employee id or 0 for the team>:<period>` switch the period; the target is
re-checked on every press.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler

from bot import export as ex
from bot import recap as rc
from bot.bot_context import BotContext
from bot.callback_data import CallbackData, Int, Word, spec
from bot.charts import ChartLabels, recap_chart, team_chart
from bot.clock import local_today
from bot.context import AppContext
from bot.evaluation import direct_reports
from bot.i18n import Html, format_date, format_hours, t
from bot.nip import clean_nip
from bot.ptb_types import BotApp
from bot.workcalendar import workdays_of
from handlers.kit import Callbacks, Press, button, keyboard, linked
from storage.models import Employee
from storage.queries import employee_by_nip

log = logging.getLogger(__name__)

MAX_ITEMS_SHOWN = 10
MAX_DAYS_SHOWN = 12
MAX_TEAM_SHOWN = 40
TEAM_WORDS = ("tim", "team")
ALL_WORDS = ("semua", "all", "--all")
PERIOD_WORDS = {"w": "minggu ini", "lw": "minggu lalu", "m": "bulan ini", "lm": "bulan lalu"}


@dataclass(frozen=True)
class RecapPress(CallbackData, prefix="rk"):
    op: str = spec(Word("p", "t"))  # a person's recap / the team's
    target: int = spec(Int(0))  # employee id (0 for the team)
    period: str = spec(Word(*PERIOD_WORDS))


# --- words ---------------------------------------------------------------------------------


def period_label(lang: str, period: rc.Period) -> str:
    if period.kind is rc.PeriodKind.WEEK:
        return t(
            lang,
            "recap.period_week",
            first=format_date(period.first, lang, "d MMM"),
            last=format_date(period.last, lang, "d MMM y"),
        )
    return t(lang, "recap.period_month", month=format_date(period.first, lang, "MMMM y"))


def _days(lang: str, days: list[date]) -> str:
    shown = ", ".join(format_date(d, lang, "EEE d MMM") for d in days[:MAX_DAYS_SHOWN])
    if len(days) > MAX_DAYS_SHOWN:
        shown += " " + t(lang, "recap.more", count=len(days) - MAX_DAYS_SHOWN)
    return shown


def _qty(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def render_recap(lang: str, recap: rc.Recap, *, with_title: str | None = None) -> str:
    """The text beside the chart: hours against the workday, gaps, and SKP items."""
    lines = [with_title] if with_title else []
    workdays = sum(1 for d in recap.days if d.workday)
    lines.append(
        t(
            lang,
            "recap.hours",
            hours=format_hours(recap.total_minutes, lang),
            expected=format_hours(recap.expected_minutes, lang),
            days=workdays,
            until=format_date(recap.until, lang, "d MMM"),
        )
    )
    if recap.missing:
        lines.append(
            t(lang, "recap.missing", count=len(recap.missing), days=_days(lang, recap.missing))
        )
    elif workdays:
        lines.append(t(lang, "recap.all_reported"))
    if pending := recap.with_status("submitted"):
        lines.append(t(lang, "recap.pending", days=_days(lang, pending)))
    if bad := recap.with_status("rejected", "revision_requested", "partly_approved"):
        lines.append(t(lang, "recap.rejected", days=_days(lang, bad)))
    if recap.items:
        lines.append("")
        lines.append(t(lang, "recap.items_title"))
        for item in recap.items[:MAX_ITEMS_SHOWN]:
            title = item.title if item.item_id is not None else t(lang, "recap.tugas_tambahan")
            hours = format_hours(item.minutes, lang)
            if item.target:
                lines.append(
                    t(
                        lang,
                        "recap.item_progress",
                        title=title,
                        hours=hours,
                        count=item.entries,
                        done=_qty(item.realised),
                        target=_qty(item.target),
                        unit=item.unit or "",
                    ).rstrip()
                )
            else:
                lines.append(t(lang, "recap.item", title=title, hours=hours, count=item.entries))
        if len(recap.items) > MAX_ITEMS_SHOWN:
            lines.append(t(lang, "recap.more", count=len(recap.items) - MAX_ITEMS_SHOWN))
    return "\n".join(lines)


def chart_labels(lang: str, workday_minutes: int, target_minutes: int | None = None) -> ChartLabels:
    statuses = (
        "approved",
        "submitted",
        "partly_approved",
        "revision_requested",
        "rejected",
        "missing",
    )
    return ChartLabels(
        title_days=t(lang, "recap.chart_days"),
        title_items=t(lang, "recap.chart_items"),
        hours=t(lang, "recap.chart_hours"),
        target=t(
            lang,
            "recap.chart_target",
            hours=format_hours(
                target_minutes if target_minutes is not None else workday_minutes, lang
            ),
        ),
        status={s: t(lang, f"recap.status_{s}") for s in statuses},
        tugas_tambahan=t(lang, "recap.tugas_tambahan"),
        nothing=t(lang, "recap.chart_nothing"),
    )


def _period_buttons(lang: str, op: str, target: int) -> InlineKeyboardMarkup:
    def b(key: str, word: str) -> InlineKeyboardButton:
        return button(t(lang, key), RecapPress(op, target, word))

    return keyboard(
        [b("recap.btn_last_week", "lw"), b("recap.btn_this_week", "w")],
        [b("recap.btn_last_month", "lm"), b("recap.btn_this_month", "m")],
    )


# --- /rekap --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What to send: a text, and a PNG before it when there is something to draw."""

    text: str
    photo: bytes | None = None
    markup: InlineKeyboardMarkup | None = None


async def person_answer(
    app: AppContext, viewer: Employee, target: Employee, period: rc.Period
) -> Answer:
    lang = viewer.language
    today = local_today(app.clock.now(), viewer.zone_name)
    since = target.created_at.astimezone(app.settings.tz).date() if target.created_at else None
    async with app.db.session() as session:
        recap = await rc.person_recap(
            session, target, period, today, app.settings.workday_minutes, since=since
        )
    label = period_label(lang, period)
    markup = _period_buttons(lang, "p", target.id)
    if recap.empty:
        if since is not None and period.last < since:
            key = "recap.before_joined"
            text = t(
                lang, key, name=target.name, since=format_date(since, lang, "long"), period=label
            )
        else:
            text = t(lang, "recap.empty", name=target.name, period=label)
        if recap.missing:
            text += "\n" + t(
                lang, "recap.missing", count=len(recap.missing), days=_days(lang, recap.missing)
            )
        return Answer(text, None, markup)
    title = t(lang, "recap.title", name=target.name, period=label)
    labels = chart_labels(lang, app.settings.workday_minutes)
    photo = await asyncio.to_thread(recap_chart, recap, labels, lang)
    return Answer(render_recap(lang, recap, with_title=title), photo, markup)


async def team_answer(app: AppContext, viewer: Employee, period: rc.Period) -> Answer:
    lang = viewer.language
    today = local_today(app.clock.now(), viewer.zone_name)
    async with app.db.session() as session:
        members = await direct_reports(session, viewer.id)
        if not members:
            return Answer(t(lang, "recap.no_team"))
        stats = await rc.team_recap(session, members, period, today, app.settings.workday_minutes)
        until = period.until(today)
        # The office's workdays of the atasan's unit (each member's own leave is in their line).
        workdays = len(
            await workdays_of(
                session, period.first, until, now=app.clock.now(), unit_id=viewer.unit_id
            )
        )
    expected = workdays * app.settings.workday_minutes
    lines = [
        t(
            lang,
            "recap.team_title",
            name=viewer.name,
            period=period_label(lang, period),
            expected=format_hours(expected, lang),
            days=workdays,
            until=format_date(until, lang, "d MMM"),
        )
    ]
    behind = [s for s in stats if s.behind]
    lines.append(
        t(lang, "recap.team_behind", count=len(behind)) if behind else t(lang, "recap.team_ok")
    )
    for s in stats[:MAX_TEAM_SHOWN]:
        lines.append(
            t(
                lang,
                "recap.team_line",
                mark="🔴" if s.behind else "🟢",
                name=s.name,
                hours=format_hours(s.minutes, lang),
                reported=s.reported_days,
                missing=s.missing_days,
                pending=s.pending_days,
                rejected=s.rejected_days,
            )
        )
    if len(stats) > MAX_TEAM_SHOWN:
        lines.append(t(lang, "recap.more", count=len(stats) - MAX_TEAM_SHOWN))
    labels = chart_labels(lang, app.settings.workday_minutes, expected)
    title = t(lang, "recap.team_chart_title")
    photo = await asyncio.to_thread(team_chart, stats, labels, title, expected / 60)
    return Answer("\n".join(lines), photo, _period_buttons(lang, "t", 0))


async def _send(update: Update, answer: Answer) -> None:
    message = update.effective_message
    if message is None:
        return
    if answer.photo is not None:
        await message.reply_photo(answer.photo)
    await message.reply_text(answer.text, reply_markup=answer.markup)


def _split_target(args: list[str]) -> tuple[str | None, list[str]]:
    """('tim' | a NIP | None, the rest): the target may come first or last."""
    for index in (0, len(args) - 1):
        if not args:
            break
        word = args[index]
        if word.lower() in TEAM_WORDS:
            return "tim", args[:index] + args[index + 1 :]
        nip = clean_nip(word)
        if nip.isdigit() and len(nip) >= 9:
            return nip, args[:index] + args[index + 1 :]
    return None, args


async def _visible_target(app: AppContext, viewer: Employee, nip: str) -> Employee | None:
    """The employee with that NIP if the viewer may see them; None otherwise — never
    saying whether the NIP exists."""
    async with app.db.session() as session:
        target = await employee_by_nip(session, nip)
        if target is None or not await ex.can_view(session, viewer, target):
            return None
        return target


@linked
async def rekap_command(update: Update, context: BotContext, employee: Employee) -> None:
    app, lang = context.app, employee.language
    target_word, rest = _split_target(list(context.args or []))
    text = " ".join(rest)
    period = rc.parse_period(text, local_today(app.clock.now(), employee.zone_name))
    if period is rc.PeriodError.FUTURE:
        await _reply(update, t(lang, "recap.future"))
        return
    if isinstance(period, rc.PeriodError):
        await _reply(update, t(lang, "recap.unknown_period", text=text))
        return
    if target_word == "tim":
        await _send(update, await team_answer(app, employee, period))
        return
    target = employee
    if target_word is not None:
        visible = await _visible_target(app, employee, target_word)
        if visible is None:
            await _reply(update, t(lang, "recap.not_visible"))
            return
        target = visible
    await _send(update, await person_answer(app, employee, target, period))


async def _reply(update: Update, text: str) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(text)


presses = Callbacks(RecapPress)


@presses.on("p", "t")
async def period_pressed(press: Press[RecapPress]) -> None:
    """Another period for the same recap: a new photo and text (a photo cannot become text)."""
    app, viewer = press.app, press.employee
    today = local_today(app.clock.now(), viewer.zone_name)
    period = rc.parse_period(PERIOD_WORDS[press.data.period], today)
    assert isinstance(period, rc.Period)
    if press.data.op == "t":
        answer = await team_answer(app, viewer, period)
    else:
        async with app.db.session() as session:
            target = await session.get(Employee, press.data.target)
            visible = target is not None and await ex.can_view(session, viewer, target)
        if target is None or not visible:
            await press.answer(t(press.lang, "recap.not_visible"), alert=True)
            return
        answer = await person_answer(app, viewer, target, period)
    await press.answer()
    message = press.message
    if message is None:
        return
    if answer.photo is not None:
        await message.reply_photo(answer.photo)
    await message.reply_text(answer.text, reply_markup=answer.markup)


# --- /ekspor -------------------------------------------------------------------------------


def _default_month(today: date) -> rc.Period:
    """This month, except in its first five days: then the month just ended."""
    if today.day <= 5:
        return rc.parse_period("bulan lalu", today)  # type: ignore[return-value]
    return rc.month_of(today.year, today.month)


@dataclass(frozen=True)
class ExportRequest:
    month: rc.Period
    include_all: bool
    target: str | None  # None: oneself; 'tim'; a NIP; 'unit:<id>'


def parse_export_args(args: list[str], today: date) -> ExportRequest | str:
    """The request, or the key of the message that explains what was wrong."""
    words = list(args)
    include_all = False
    for word in list(words):
        if word.lower() in ALL_WORDS:
            include_all = True
            words.remove(word)
    target: str | None = None
    lowered = [w.lower() for w in words]
    if "unit" in lowered:
        i = lowered.index("unit")
        if i + 1 >= len(words) or not words[i + 1].isdigit():
            return "export.unknown"
        target = f"unit:{int(words[i + 1])}"
        del words[i : i + 2]
    else:
        target, words = _split_target(words)
    text = " ".join(words)
    if not text:
        return ExportRequest(_default_month(today), include_all, target)
    period = rc.parse_period(text, today)
    if period is rc.PeriodError.FUTURE:
        return "export.future"
    if isinstance(period, rc.PeriodError):
        return "export.unknown"
    if period.kind is not rc.PeriodKind.MONTH:
        return "export.week_not_month"
    return ExportRequest(period, include_all, target)


async def _export_people(
    app: AppContext, viewer: Employee, target: str | None
) -> tuple[list[ex.Person], bool, Employee | None] | str:
    """(people, is a unit export, the one person) or a message key."""
    async with app.db.session() as session:
        if target is None:
            return await ex.people(session, [viewer.id]), False, viewer
        if target == "tim":
            ids = await ex.team_ids(session, viewer.id)
            if not ids:
                return "recap.no_team"
            return await ex.people(session, ids), True, None
        if target.startswith("unit:"):
            if "admin" not in viewer.role_set:
                return "export.admin_only"
            units = await ex.unit_ids(session, int(target.split(":", 1)[1]))
            if not units:
                return "export.no_unit"
            return await ex.people(session, await ex.unit_members(session, units)), True, None
        person = await employee_by_nip(session, target)
        if person is None or not await ex.can_view(session, viewer, person):
            return "recap.not_visible"
        return await ex.people(session, [person.id]), False, person


@linked
async def ekspor_command(update: Update, context: BotContext, employee: Employee) -> None:
    app, lang = context.app, employee.language
    message = update.effective_message
    if message is None:
        return
    request = parse_export_args(
        list(context.args or []), local_today(app.clock.now(), employee.zone_name)
    )
    if isinstance(request, str):
        await message.reply_text(t(lang, request, text=" ".join(context.args or [])))
        return
    found = await _export_people(app, employee, request.target)
    if isinstance(found, str):
        await message.reply_text(t(lang, found))
        return
    persons, unit, person = found
    month = request.month.month
    month_label = format_date(request.month.first, lang, "MMMM y")
    with tempfile.TemporaryDirectory(prefix="kinerja-export-") as tmp:
        who = person.nip if person is not None else "tim" if request.target == "tim" else "unit"
        path = Path(tmp) / f"e-kinerja-{who}-{month}.xlsx"
        try:
            async with app.db.session() as session:
                result = await ex.export_file(
                    session,
                    path,
                    persons,
                    request.month.first,
                    request.month.last,
                    unit=unit,
                    include_all=request.include_all,
                )
        except Exception:
            log.exception("export failed")
            await message.reply_text(t(lang, "export.failed"))
            return
        if not unit and result.rows + result.extra_rows == 0:
            status = "export.status_all" if request.include_all else "export.status_approved"
            text = t(lang, "export.empty", status=t(lang, status), month=month_label)
            if not request.include_all:
                text += "\n" + t(lang, "export.hint_all", month=month)
            await message.reply_text(text)
            return
        if unit:
            caption = t(
                lang,
                "export.caption_unit",
                people=result.people,
                month=month_label,
                rows=result.rows,
                extra=result.extra_rows,
            )
        else:
            extra = Html(
                t(lang, "export.caption_extra", count=result.extra_rows)
                if result.extra_rows
                else ""
            )
            caption = t(
                lang,
                "export.caption",
                name=person.name if person else "",
                month=month_label,
                rows=result.rows,
                extra=extra,
            )
        with path.open("rb") as fh:
            await message.reply_document(fh, filename=path.name, caption=caption[:1024])


def register(app: BotApp) -> None:
    for name in ("rekap", "recap"):
        app.add_handler(CommandHandler(name, rekap_command))
    for name in ("ekspor", "export"):
        app.add_handler(CommandHandler(name, ekspor_command))
    presses.register(app)
