"""Recap charts as PNG bytes: matplotlib's Agg canvas, no display, no network.

Sized for a phone: 720 × 960 px, which Telegram shows at about 360 px wide, so every
font is large (≥ 15 px on the image, ≥ 7.5 px on the screen) and labels are short.
Every word on the chart comes from the caller (translated), so this module has none.
`Figure` is used directly, never pyplot: no global state, safe in any thread.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.i18n import format_date
from bot.recap import MemberStat, PeriodKind, Recap

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDTH_PX, HEIGHT_PX, DPI = 720, 960, 100
COLORS = {
    "approved": "#2e7d32",
    "submitted": "#f9a825",
    "revision_requested": "#ef6c00",
    "partly_approved": "#8d6e63",
    "rejected": "#c62828",
    None: "#9e9e9e",
}
MAX_ITEMS = 6
MAX_MEMBERS = 15
BASE_FONT = 15


@dataclass(frozen=True)
class ChartLabels:
    """The chart's words in the reader's language."""

    title_days: str
    title_items: str
    hours: str
    target: str
    status: dict[str, str]  # approved / submitted / revision_requested / rejected / missing
    tugas_tambahan: str
    nothing: str


def _figure() -> Figure:
    # Imported here: matplotlib costs 0.6 s at start-up, and most processes draw no chart.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _patch(color: str, label: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(color=color, label=label)


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _wrap(text: str, width: int = 24, lines: int = 2) -> str:
    text = " ".join(text.split())
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder="…")) or "–"


def recap_chart(recap: Recap, labels: ChartLabels, lang: str) -> bytes:
    """Hours per day against the workday (bars coloured by approval) above, hours per SKP
    item (with trajectory progress such as 7/12) below."""
    fig = _figure()
    top, bottom = fig.subplots(2, 1, gridspec_kw={"height_ratios": [1, 1.15]})
    fig.subplots_adjust(left=0.09, right=0.97, top=0.95, bottom=0.06, hspace=0.62)

    days = [d for d in recap.days if d.workday or d.minutes]
    month = recap.period.kind is PeriodKind.MONTH
    xs = list(range(len(days)))
    hours = [d.minutes / 60 for d in days]
    # A workday without a report gets a short grey stub, so it is seen, not just absent.
    shown = [h if h or d.status else 0.25 for h, d in zip(hours, days, strict=True)]
    colors = [COLORS.get(d.status, COLORS[None]) for d in days]
    top.bar(xs, shown, color=colors, width=0.75)
    goal = recap.workday_minutes / 60
    top.axhline(goal, color="#1565c0", linestyle="--", linewidth=2)
    top.set_title(f"{labels.title_days} ({labels.hours})", fontsize=BASE_FONT + 4, loc="left")
    top.set_ylim(0, max([goal * 1.2, *hours]) + 0.5)
    if month:
        ticks = [i for i in xs if i % 3 == 0]
        top.set_xticks(ticks, [str(days[i].day.day) for i in ticks], fontsize=BASE_FONT - 1)
    else:
        names = [format_date(d.day, lang, "EEE\nd") for d in days]
        top.set_xticks(xs, names, fontsize=BASE_FONT - 1)
    top.tick_params(axis="y", labelsize=BASE_FONT - 1)
    present = {d.status for d in days}
    legend = [
        _patch(color=COLORS[key], label=labels.status[key or "missing"])
        for key in (
            "approved",
            "submitted",
            "partly_approved",
            "revision_requested",
            "rejected",
            None,
        )
        if key in present
    ]
    legend.append(_patch(color="#1565c0", label=labels.target))
    top.legend(
        handles=legend,
        fontsize=BASE_FONT - 2,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.2 if not month else -0.12),
        ncol=3,
        frameon=False,
    )

    items = recap.items[:MAX_ITEMS]
    bottom.set_title(f"{labels.title_items} ({labels.hours})", fontsize=BASE_FONT + 4, loc="left")
    if not items:
        bottom.text(0.5, 0.5, labels.nothing, ha="center", va="center", fontsize=BASE_FONT)
        bottom.set_axis_off()
    else:
        values = [i.minutes / 60 for i in items]
        room = max(values) or 1
        ys = [2 * k for k in range(len(items))][::-1]  # a row for the name above each bar
        bottom.barh(ys, values, color="#1565c0", height=0.8)
        for y, item, value in zip(ys, items, values, strict=True):
            name = _wrap(item.title if item.item_id else labels.tugas_tambahan, 58, 1)
            bottom.text(0, y + 0.75, name, va="bottom", fontsize=BASE_FONT - 1)
            note = f"{value:.1f}".replace(".", "," if lang == "id" else ".")
            if item.target:
                note += f" · {_qty(item.realised)}/{_qty(item.target)} {item.unit or ''}"
            bottom.text(value + room * 0.02, y, note.strip(), va="center", fontsize=BASE_FONT - 1)
        bottom.set_yticks([])
        bottom.set_ylim(-0.8, ys[0] + 2)
        bottom.set_xlim(0, room * 1.45 + 0.5)
        bottom.tick_params(axis="x", labelsize=BASE_FONT - 1)
        for side in ("top", "right", "left"):
            bottom.spines[side].set_visible(False)
    return _png(fig)


def _qty(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def team_chart(
    members: Sequence[MemberStat], labels: ChartLabels, title: str, expected_hours: float
) -> bytes:
    """Hours per person over the period against the expected hours; the most behind first."""
    fig = _figure()
    ax = fig.subplots()
    fig.subplots_adjust(left=0.05, right=0.97, top=0.93, bottom=0.08)
    shown = list(members)[:MAX_MEMBERS]
    ax.set_title(title, fontsize=BASE_FONT + 4, loc="left")
    if not shown:
        ax.text(0.5, 0.5, labels.nothing, ha="center", va="center", fontsize=BASE_FONT)
        ax.set_axis_off()
        return _png(fig)
    ys = [2 * k for k in range(len(shown))][::-1]  # a row for the name above each bar
    values = [m.minutes / 60 for m in shown]
    colors = [COLORS["rejected"] if m.behind else COLORS["approved"] for m in shown]
    ax.barh(ys, values, color=colors, height=0.8)
    ax.axvline(expected_hours, color="#1565c0", linestyle="--", linewidth=2)
    for y, member in zip(ys, shown, strict=True):
        ax.text(0, y + 0.6, _wrap(member.name, 52, 1), va="bottom", fontsize=BASE_FONT - 1)
    ax.set_yticks([])
    ax.set_ylim(-0.8, ys[0] + 2)
    ax.set_xlabel(labels.hours, fontsize=BASE_FONT)
    ax.tick_params(axis="x", labelsize=BASE_FONT - 1)
    ax.set_xlim(0, max([expected_hours, *values]) * 1.1 + 0.5)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.legend(
        handles=[_patch(color="#1565c0", label=labels.target)],
        fontsize=BASE_FONT - 2,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
    )
    return _png(fig)
