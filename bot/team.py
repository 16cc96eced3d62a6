"""/tim (issue 9): an atasan's team for a day or a week, in a fixed number of statements.

Who: the direct subordinates of the atasan (and of those they act for as Plt today), or
with `deep` every employee below them (a recursive CTE). For each: minutes reported in the
period, on how many days, and days waiting for a decision. One statement for the
delegations, one for the whole team with its figures — whatever the team's size — and the
message is paged to stay inside Telegram's 4,096 characters and 100 buttons. No Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.approval_buttons import ApprovalPress, Button, TeamPress, btn, markup
from bot.clock import local_today
from bot.digest import principals
from bot.i18n import format_date, format_duration, format_hours, format_span, t
from bot.report_text import short
from bot.workcalendar import workdays_of
from storage.models import Activity, Employee, Submission

PAGE = 20
MAX_DEPTH = 12  # a cycle in supervisor_id can never loop the CTE forever


@dataclass
class Member:
    id: int
    name: str
    depth: int
    minutes: int
    days: int  # days with at least one activity
    pending: int  # days waiting for a decision


@dataclass
class TeamView:
    start: date
    days: int
    deep: bool
    members: list[Member]
    workdays: int = 0  # the atasan's unit's workdays in the period (bot/workcalendar.py)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days - 1)


def period(arg: str, today: date) -> tuple[date, int] | None:
    """'' / 'hari ini' → today; 'kemarin' → yesterday; 'minggu ini' → Monday to today."""
    low = " ".join(arg.lower().split())
    if low in ("", "hari ini", "today"):
        return today, 1
    if low in ("kemarin", "yesterday"):
        return today - timedelta(days=1), 1
    if low in ("minggu ini", "this week", "pekan ini"):
        return today - timedelta(days=today.weekday()), today.weekday() + 1
    from bot.parsing import parse_date_text

    day = parse_date_text(arg, datetime.combine(today, datetime.min.time()))
    return (day, 1) if day is not None else None


def _tree(roots: list[int], deep: bool) -> Any:
    """Employees below `roots` with their depth. Recursive even for direct subordinates
    only (depth 1): SQLite materialises a recursive CTE once, while a plain one is inlined
    and evaluated again for each use (40x slower at 3,000 people)."""
    tree = (
        select(Employee.id.label("id"), literal(1).label("depth"))
        .where(Employee.supervisor_id.in_(roots), Employee.active.is_(True))
        .cte("tree", recursive=True)
    )
    below = select(Employee.id, tree.c.depth + 1).join(
        tree, and_(Employee.supervisor_id == tree.c.id, tree.c.depth < (MAX_DEPTH if deep else 1))
    )
    return tree.union_all(below.where(Employee.active.is_(True)))


async def team(
    session: AsyncSession, actor: Employee, start: date, days: int, deep: bool, now: datetime
) -> TeamView:
    """The team with its figures for [start, start + days): two statements, plus the work
    calendar's few (whatever the team's size)."""
    roots = await principals(session, actor.id, local_today(now, actor.zone_name))
    tree = _tree(roots, deep)
    end = start + timedelta(days=days - 1)
    ids = select(tree.c.id)
    done = (
        select(
            Activity.employee_id.label("eid"),
            func.sum(Activity.minutes).label("minutes"),
            func.count(func.distinct(Activity.work_date)).label("days"),
        )
        .where(Activity.work_date >= start, Activity.work_date <= end)
        .where(Activity.employee_id.in_(ids))
        .group_by(Activity.employee_id)
        .subquery()
    )
    waiting = (
        select(Submission.employee_id.label("eid"), func.count().label("pending"))
        .where(Submission.status == "submitted", Submission.employee_id.in_(ids))
        .group_by(Submission.employee_id)
        .subquery()
    )
    stmt = (
        select(
            Employee.id,
            Employee.name,
            func.min(tree.c.depth),
            func.coalesce(func.max(done.c.minutes), 0),
            func.coalesce(func.max(done.c.days), 0),
            func.coalesce(func.max(waiting.c.pending), 0),
        )
        .join(tree, tree.c.id == Employee.id)
        .outerjoin(done, done.c.eid == Employee.id)
        .outerjoin(waiting, waiting.c.eid == Employee.id)
        .where(Employee.id != actor.id)
        .group_by(Employee.id, Employee.name)
        .order_by(func.min(tree.c.depth), Employee.name, Employee.id)
    )
    members = [Member(*row) for row in (await session.execute(stmt)).tuples().all()]
    work = await workdays_of(session, start, end, now=now, unit_id=actor.unit_id)
    return TeamView(start, days, deep, members, len(work))


async def in_team(session: AsyncSession, actor: Employee, member_id: int, now: datetime) -> bool:
    """Is `member_id` below the actor (or below someone they act for)? One CTE query."""
    roots = await principals(session, actor.id, local_today(now, actor.zone_name))
    tree = _tree(roots, True)
    found = await session.scalar(select(tree.c.id).where(tree.c.id == member_id).limit(1))
    return found is not None and member_id != actor.id


def _period_text(view: TeamView, lang: str) -> str:
    if view.days == 1:
        return format_date(view.start, lang)
    return t(
        lang,
        "team.period_range",
        start=format_date(view.start, lang, "short"),
        end=format_date(view.end, lang, "short"),
    )


def _bare(name: str) -> str:
    """'Siti Rahmawati, S.Pd.' -> 'Siti Rahmawati' (a degree after the comma)."""
    return name.split(",", 1)[0].strip() or name


# How one activity shows in a person's view: its own verdict (a per-activity decision)
# first, else its day's status.
_MARKS = {
    "approved": "✅",
    "submitted": "⏳",
    "rejected": "❌",
    "revision_requested": "🔁",
    "partly_approved": "◐",
}


def render_team(
    view: TeamView, lang: str, page: int, workday_minutes: int
) -> tuple[str, dict[str, Any] | None]:
    """A page of the team: one line and one button per person, totals, paging, toggles."""
    members = view.members
    target = workday_minutes * view.workdays
    pages = max(1, -(-len(members) // PAGE))
    page = max(0, min(page, pages - 1))
    reported = sum(1 for m in members if m.minutes)
    pending = sum(m.pending for m in members)
    lines = [
        t(lang, "team.head", period=_period_text(view, lang)),
        t(lang, "team.summary", reported=reported, total=len(members), pending=pending),
    ]
    if members:
        lines.append(t(lang, "team.legend"))
    if not members:
        lines.append(t(lang, "team.empty"))
    shown = list(enumerate(members, start=1))[page * PAGE : (page + 1) * PAGE]
    for n, m in shown:
        icon = "✅" if target and m.minutes >= target else ("🟡" if m.minutes else "❌")
        wait = t(lang, "team.pending_mark", pending=m.pending) if m.pending else ""
        lines.append(
            t(
                lang,
                "team.line",
                n=n,
                icon=icon,
                name=short(m.name, 40),
                done=format_hours(m.minutes, lang),
                target=format_hours(target, lang),
                wait=wait,
            )
        )
    if pages > 1:
        lines.append(t(lang, "team.page", page=page + 1, pages=pages))
    deep = int(view.deep)

    def press(op: str, pg: int, arg: int | None = None, **kw: Any) -> TeamPress:
        return TeamPress(
            op,
            kw.get("start", view.start),
            kw.get("days", view.days),
            kw.get("deep", deep),
            pg,
            arg,
        )

    # Two a row, the name without its degree: three cut "Andi Pratama, S.Kom." to
    # "1. Andi Pratama..." on a phone.
    people = [btn(f"{n}. {short(_bare(m.name), 22)}", press("p", page, m.id)) for n, m in shown]
    grid: list[list[Button]] = [people[i : i + 2] for i in range(0, len(people), 2)]
    nav = []
    if page > 0:
        nav.append(btn(t(lang, "team.btn_prev"), press("v", page - 1)))
    if page < pages - 1:
        nav.append(btn(t(lang, "team.btn_next"), press("v", page + 1)))
    grid.append(nav)
    toggle = "team.btn_direct" if view.deep else "team.btn_all"
    if members or view.deep:  # nobody below: no "all levels" button to press in vain
        grid.append([btn(t(lang, toggle), press("v", 0, deep=1 - deep))])
    return "\n".join(lines), markup(grid)


async def person_view(
    session: AsyncSession,
    actor: Employee,
    member_id: int,
    start: date,
    days: int,
    back: TeamPress,
    now: datetime,
) -> tuple[str, dict[str, Any] | None] | None:
    """One person's activities in the period, with a button per day waiting for a decision;
    None if the person is not in the actor's team."""
    if not await in_team(session, actor, member_id, now):
        return None
    member = await session.get(Employee, member_id)
    assert member is not None
    end = start + timedelta(days=days - 1)
    lang = actor.language
    acts = (
        await session.execute(
            select(Activity, Submission.status)
            .outerjoin(Submission, Submission.id == Activity.submission_id)
            .where(
                Activity.employee_id == member_id,
                Activity.work_date >= start,
                Activity.work_date <= end,
            )
            .order_by(Activity.work_date, Activity.start_time, Activity.id)
        )
    ).all()
    lines = [t(lang, "team.person_head", name=member.name, position=member.position or "-")]
    current: date | None = None
    size = len(lines[0])
    for shown, (act, status) in enumerate(acts):
        block = []
        if act.work_date != current:
            current = act.work_date
            block.append("\n" + t(lang, "team.person_day", date=format_date(current, lang)))
        rng = (
            format_span(act.start_time, act.end_time, lang) + " "
            if act.start_time and act.end_time
            else ""
        )
        mark = _MARKS.get(act.review_status or status or "", "•")
        block.append(
            t(
                lang,
                "team.person_line",
                mark=mark,
                range=rng,
                description=short(act.description, 120),
                duration=format_duration(act.minutes, lang),
            )
        )
        size += sum(len(b) + 1 for b in block)
        if size > 3500:  # whole lines only: a cut could split an HTML entity
            lines.append(t(lang, "team.person_more", count=len(acts) - shown))
            break
        lines.extend(block)
    if not acts:
        lines.append(t(lang, "team.person_nothing"))
    waiting = (
        await session.execute(
            select(Submission.id, Submission.work_date)
            .where(Submission.employee_id == member_id, Submission.status == "submitted")
            .order_by(Submission.work_date)
            .limit(10)
        )
    ).all()
    decidable = member.supervisor_id in await principals(
        session, actor.id, local_today(now, actor.zone_name)
    )
    grid: list[list[Button]] = []
    if decidable:
        grid = [
            [
                btn(
                    t(lang, "team.btn_decide", date=f"{day:%d/%m}"),
                    ApprovalPress("cx", "t", sub_id, 0),
                )
            ]
            for sub_id, day in waiting
        ]
    grid.append([btn(t(lang, "team.btn_back"), back)])
    return "\n".join(lines), markup(grid)
