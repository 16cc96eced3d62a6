"""Texts of the report conversation (pure: drafts and items in, escaped HTML out)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from bot.i18n import Html, format_date, format_duration, format_hours, format_span, t
from bot.reporting import (
    DraftActivity,
    Question,
    ReportDraft,
    SubmitResult,
    shown_suggestions,
)

BUTTON_TITLE = 40
MESSAGE_LIMIT = 4000  # Telegram's 4096 with room for the markup's own growth
_SHORTER = (None, 200, 100, 50)


def short(text: str, limit: int | None = BUTTON_TITLE) -> str:
    text = " ".join(text.split())
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def when(act: DraftActivity, lang: str) -> str:
    """'Sen, 23 Nov · 08.30–10.00 (1 jam 30 menit)' — the date, range and duration as known.

    Times the user did not give are the ones Kirim will store, marked as proposed. The
    result is HTML (the proposed mark is italic); its parts are dates, times and units."""
    day = format_date(act.work_date, lang, "short")
    if not act.minutes:
        return f"{day} · {t(lang, 'report.duration_missing')}"
    duration = format_duration(act.minutes, lang)
    if act.fixed and act.planned_start and act.planned_end:
        span = format_span(act.planned_start, act.planned_end, lang)
        return f"{day} · {span} ({duration})"
    if act.start and act.end:
        span = format_span(act.start, act.end, lang)
        return f"{day} · {span} ({duration})"
    if act.planned_start and act.planned_end:
        span = format_span(act.planned_start, act.planned_end, lang)
        return t(lang, "report.when_proposed", date=day, span=span, duration=duration)
    return f"{day} · {duration}"


# Shown by their own question or nudge, not as a warning line.
_NOT_LISTED = frozenset(
    {"generic_description", "no_duration", "empty_description", "future_date_ignored"}
)


def warning_lines(act: DraftActivity, lang: str) -> list[str]:
    lines = []
    for code in act.warnings:
        if code in _NOT_LISTED:
            continue
        lines.append(t(lang, "report.warning_line", text=t(lang, f"report.warn_{code}")))
    for start, end, description in act.conflicts:
        lines.append(
            t(
                lang,
                "report.conflict_line",
                span=format_span(start, end, lang),
                description=short(description, 60),
            )
        )
    if act.overlap_note:
        lines.append(t(lang, "report.overlap_kept", reason=act.overlap_note))
    return lines


def skp_label(act: DraftActivity, titles: Mapping[int, str], lang: str) -> str:
    if not act.skp_done:
        return t(lang, "report.skp_pending")
    if act.skp_id is None:
        return t(lang, "report.extra_task")
    return titles.get(act.skp_id, "?")


def activity_block(
    n: int,
    act: DraftActivity,
    titles: Mapping[int, str],
    lang: str,
    with_skp: bool,
    limit: int | None = None,
) -> str:
    desc = short(act.description, limit) if limit else act.description
    lines = [t(lang, "report.item_line", n=n, when=Html(when(act, lang)), description=desc)]
    if act.quantity is not None and act.unit:
        qty = int(act.quantity) if float(act.quantity).is_integer() else act.quantity
        lines.append(t(lang, "report.item_quantity", quantity=str(qty), unit=act.unit))
    if with_skp:
        lines.append(t(lang, "report.item_skp", skp=skp_label(act, titles, lang)))
    lines += warning_lines(act, lang)
    if act.evidence:
        lines.append(t(lang, "report.item_evidence", count=len(act.evidence)))
    return "\n".join(lines)


def question_text(
    draft: ReportDraft,
    q: Question,
    titles: Mapping[int, str],
    lang: str,
    header: str = "",
    position: str | None = None,
) -> str:
    act = draft.activities[q.index]
    parts = [header] if header else []
    parts.append(
        t(lang, "report.question_head", n=q.index + 1, total=len(draft.activities))
        + "\n"
        + activity_block(q.index + 1, act, titles, lang, with_skp=False)
    )
    if act.vague and q.kind != "description":
        parts.append(vague_nudge(act, titles, position, lang))
    if q.kind in _ASK:
        parts.append(_ask(act, q.kind, lang))
    else:
        top = shown_suggestions(act, titles)
        listing = "\n".join(
            t(lang, "report.suggestion_line", n=k + 1, title=titles[i]) for k, i in enumerate(top)
        )
        parts.append(t(lang, "report.ask_skp") + ("\n" + listing if listing else ""))
    return "\n\n".join(parts)


_ASK = {
    "duration": "report.ask_duration",
    "description": "report.ask_description",
    "future": "report.ask_future",
    "overlap": "report.ask_overlap",
    "time": "report.ask_time",
}


def _ask(act: DraftActivity, kind: str, lang: str) -> str:
    """The question's line; the future-date one names the date that was read."""
    if kind != "future" or act.future_date is None:
        return t(lang, _ASK.get(kind, "report.ask_skp"))
    read = date.fromisoformat(act.future_date)
    if read == act.work_date + timedelta(days=1):
        return t(lang, "report.ask_future")  # "besok"
    return t(lang, "report.ask_future_on", date=format_date(read, lang, "EEEE, d MMMM"))


def question_prompt(draft: ReportDraft, q: Question, lang: str) -> str:
    """The open question in one line (to say what a stray answer did not answer)."""
    return _ask(draft.activities[q.index], q.kind, lang)


def vague_example(
    act: DraftActivity, titles: Mapping[int, str], position: str | None
) -> tuple[str, str]:
    """An example of a specific description from the person's own work: (locale key, the
    best-matching SKP item or else the position); the neutral example when neither exists."""
    for item_id in [*act.suggestions, *titles]:
        if item_id in titles:
            return "report.vague_nudge", short(titles[item_id], 80)
    if position and position.strip():
        return "report.vague_nudge_position", short(position, 60)
    return "report.vague_nudge_neutral", ""


def vague_nudge(
    act: DraftActivity, titles: Mapping[int, str], position: str | None, lang: str
) -> str:
    key, example = vague_example(act, titles, position)
    return t(lang, key, example=example) if example else t(lang, key)


def understood_header(draft: ReportDraft, added: int, extended: bool, lang: str) -> str:
    key = "report.added_to_draft" if extended else "report.understood"
    return t(lang, key, count=added, total=len(draft.activities))


def day_totals(draft: ReportDraft, workday_minutes: int, lang: str) -> str:
    """One line per date: everything of that date (sent before and in this draft)."""
    lines = []
    for day, (sent, mine) in draft.day_minutes().items():
        minutes = sent + mine
        key = "report.day_total_ok" if minutes >= workday_minutes else "report.day_total_short"
        line = t(
            lang,
            key,
            date=format_date(day, lang, "short"),
            hours=format_hours(minutes, lang),
            target=format_hours(workday_minutes, lang),
            missing=format_hours(max(workday_minutes - minutes, 0), lang),
        )
        if sent:
            line += t(lang, "report.day_total_sent", hours=format_hours(sent, lang))
        lines.append(line)
    return "\n".join(lines)


def summary_text(
    draft: ReportDraft, titles: Mapping[int, str], workday_minutes: int, lang: str
) -> str:
    """The whole draft; long descriptions are shortened until it fits one message."""
    for limit in _SHORTER:
        text = _summary(draft, titles, workday_minutes, lang, limit)
        if len(text) <= MESSAGE_LIMIT:
            break
    return text


def _summary(
    draft: ReportDraft,
    titles: Mapping[int, str],
    workday_minutes: int,
    lang: str,
    limit: int | None,
) -> str:
    short_titles = {k: short(v, limit) for k, v in titles.items()} if limit else titles
    blocks = [
        activity_block(i + 1, a, short_titles, lang, with_skp=True, limit=limit)
        for i, a in enumerate(draft.activities)
    ]
    vague = [str(i + 1) for i, a in enumerate(draft.activities) if a.vague]
    proposed = any(not a.fixed for a in draft.activities)
    parts = [
        t(lang, "report.summary_head"),
        "\n\n".join(blocks),
        day_totals(draft, workday_minutes, lang),
    ]
    if proposed:
        parts.append(t(lang, "report.summary_proposed"))
    if vague:
        parts.append(t(lang, "report.summary_vague", numbers=", ".join(vague)))
    parts.append(t(lang, "report.summary_ask"))
    return "\n\n".join(parts)


def submitted_text(
    draft_acts: Sequence[DraftActivity],
    result: SubmitResult,
    titles: Mapping[int, str],
    lang: str,
    supervisor_linked: bool,
) -> str:
    days = ", ".join(format_date(d.work_date, lang, "short") for d in result.days)
    total = sum(d.minutes for d in result.days)
    head = t(
        lang,
        "report.submitted",
        count=len(draft_acts),
        days=days,
        hours=format_hours(total, lang),
    )
    if result.supervisor is None:
        tail = t(lang, "report.no_supervisor")
    elif supervisor_linked and result.supervisor.blocked_bot_at is not None:
        # Known blocked: "sent" would not be true (issue 8 defect 7).
        tail = t(lang, "guard.supervisor_blocked", name=result.supervisor.name)
    elif supervisor_linked:
        tail = t(lang, "report.sent_to_supervisor", name=result.supervisor.name)
    else:
        tail = t(lang, "report.supervisor_not_linked", name=result.supervisor.name)
    return head + "\n" + tail + "\n\n" + t(lang, "report.copy_hint")


def approval_request_text(
    name: str,
    position: str,
    work_date: date,
    rows: Sequence[tuple[str, str, int, str]],
    lang: str,
    reserve: int = 0,
) -> str:
    """The approval request to the atasan: (range, description, minutes, skp) rows, short
    enough to leave `reserve` characters for what the caller appends."""
    for limit in _SHORTER:
        text = _approval(name, position, work_date, rows, lang, limit)
        if len(text) <= MESSAGE_LIMIT - reserve:
            break
    return text


def _approval(
    name: str,
    position: str,
    work_date: date,
    rows: Sequence[tuple[str, str, int, str]],
    lang: str,
    limit: int | None,
) -> str:
    total = sum(r[2] for r in rows)
    lines = [
        t(
            lang,
            "report.approval_request",
            name=name,
            position=position or "-",
            date=format_date(work_date, lang),
            count=len(rows),
            hours=format_hours(total, lang),
        )
    ]
    for n, (rng, desc, _minutes, skp) in enumerate(rows, start=1):
        if limit:
            desc, skp = short(desc, limit), short(skp, limit)
        lines.append(t(lang, "report.approval_line", n=n, range=rng, description=desc, skp=skp))
    return "\n".join(lines)
