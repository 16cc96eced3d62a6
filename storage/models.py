"""ORM models (DESIGN §3). Storage knows nothing of Telegram or the domain rules."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, aliased, column_property, mapped_column

from storage.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # Issue 10: the unit's time zone and reminder time (None: the parent's, then settings).
    timezone: Mapped[str | None] = mapped_column(String(64))
    reminder_time: Mapped[time | None] = mapped_column(Time)


_UNITS_UP = tuple(aliased(Unit) for _ in range(4))


class Employee(Base):
    __tablename__ = "employees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), index=True)
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    # Comma-separated subset of staff,supervisor,admin: tiny, portable, readable in SQL.
    roles: Mapped[str] = mapped_column(String(64), default="staff")
    is_pppk: Mapped[bool] = mapped_column(Boolean, default=False)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    language: Mapped[str] = mapped_column(String(5), default="id")
    # The person's own zone (an explicit choice); None follows the unit (bot/workcalendar.py).
    timezone: Mapped[str | None] = mapped_column(String(64))
    reminder_time: Mapped[time | None] = mapped_column(Time)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    blocked_bot_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Approval digest (issue 9): one message a day at digest_time instead of one per day sent.
    digest_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    digest_time: Mapped[time | None] = mapped_column(Time)
    # Morning summary (issue 9): who did not report the last workday, at 07.00; opt-in.
    morning_summary: Mapped[bool] = mapped_column(Boolean, default=False)
    # The unit's zone, else its parents' (4 levels: Dinas > Bidang > Sekolah > …), loaded
    # with the row so that "today" needs no second query. Read it through `zone_name`.
    unit_timezone: Mapped[str | None] = column_property(
        select(func.coalesce(*(u.timezone for u in _UNITS_UP)))
        .select_from(_UNITS_UP[0])
        .outerjoin(_UNITS_UP[1], _UNITS_UP[1].id == _UNITS_UP[0].parent_id)
        .outerjoin(_UNITS_UP[2], _UNITS_UP[2].id == _UNITS_UP[1].parent_id)
        .outerjoin(_UNITS_UP[3], _UNITS_UP[3].id == _UNITS_UP[2].parent_id)
        .where(_UNITS_UP[0].id == unit_id)
        .correlate_except(*_UNITS_UP)
        .scalar_subquery(),
        expire_on_flush=False,
    )

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split(",") if r)

    @property
    def zone_name(self) -> str | None:
        """The zone the person lives in: their own choice, else their unit's; None means the
        default (WIB). Never loads anything (an object not read from the database has only
        its own zone), so it is safe to call outside a session."""
        return self.timezone or self.__dict__.get("unit_timezone")


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Draft(Base):
    __tablename__ = "drafts"

    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProcessedUpdate(Base):
    """update_ids already handled, so a redelivered webhook update is skipped."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Set once every handler has run: a redelivered update without it died half-way
    # (issue 8 defect 4), so the user is shown the current state instead of silence.
    done_at: Mapped[datetime | None]


class InviteAttempt(Base):
    """A /start with a code that matched no invite (issue 8 defect 12: guess limiting)."""

    __tablename__ = "invite_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SkpItem(Base):
    __tablename__ = "skp_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    rhk: Mapped[str | None] = mapped_column(Text)
    # e-Kinerja's Rencana Aksi dropdown text, verbatim: importers match entries by it.
    rencana_aksi: Mapped[str | None] = mapped_column(Text)
    indicator: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="non_trajectory")
    target_qty: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_skp_items_employee_year", "employee_id", "year"),)


class Submission(Base):
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    work_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24), default="submitted")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    decided_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Issue 9: the atasan a delegate (Plt) decided for; decided_by is then the delegate.
    decided_for: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    # The activities as last shown to the atasan, so a resubmission can say what changed.
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_submissions_employee_date", "employee_id", "work_date"),
        Index("ix_submissions_status", "status"),
    )


class Activity(Base):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    work_date: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    minutes: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    skp_item_id: Mapped[int | None] = mapped_column(ForeignKey("skp_items.id"), index=True)
    quantity: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(50))
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(20), default="chat")
    external_ref: Mapped[str | None] = mapped_column(String(200))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Issue 9, per-activity decisions: None (undecided), "approved" (locked) or "rejected".
    review_status: Mapped[str | None] = mapped_column(String(12))

    __table_args__ = (Index("ix_activities_employee_date", "employee_id", "work_date"),)


class SkpChoice(Base):
    """What the matcher learns: this phrase went to that SKP item N times."""

    __tablename__ = "skp_choices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    phrase: Mapped[str] = mapped_column(String(500))
    skp_item_id: Mapped[int] = mapped_column(ForeignKey("skp_items.id"))
    count: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("employee_id", "phrase", "skp_item_id"),)


class OutboxMessage(Base):
    """Durable outgoing message: written in the same transaction as the fact it reports."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(40), default="sendMessage")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    not_before: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    result_message_id: Mapped[int | None] = mapped_column(BigInteger)
    broadcast_id: Mapped[int | None] = mapped_column(Integer, index=True)

    __table_args__ = (Index("ix_outbox_status_not_before", "status", "not_before"),)


class Evaluation(Base):
    """A monthly rating by the atasan (PermenPANRB 6/2022): hasil kerja × perilaku kerja."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    rating_result: Mapped[str] = mapped_column(String(12))  # above | meets | below
    rating_behaviour: Mapped[str] = mapped_column(String(12))
    predikat: Mapped[str] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(Text)
    rated_by: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("employee_id", "period"),
        Index("ix_evaluations_period", "period"),
    )


class Delegation(Base):
    """A Plt: `delegate_id` may decide for `principal_id` from start_date to end_date."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    principal_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    created_by: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_delegations_delegate_end", "delegate_id", "end_date"),)


class ApprovalMessage(Base):
    """One approval request message (an outbox row) shown to one approver for a submission.

    state: open (buttons live), decided, superseded (a resubmission replaced it).
    """

    __tablename__ = "approval_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"))
    state: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Issue 10: work calendar, reminders, broadcasts, deadlines ------------------------------


class Holiday(Base):
    """A day off: national / cuti_bersama (seeded per year, editable) or local (a unit tree)."""

    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # national, cuti_bersama, local
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    # An admin who finds a seeded day wrong switches it off; reseeding never brings it back.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HolidayYear(Base):
    """Years whose national holidays were copied from the `holidays` package."""

    __tablename__ = "holiday_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seeded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Leave(Base):
    """Personal leave (cuti) or duty travel (dinas), inclusive dates."""

    __tablename__ = "leaves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))  # cuti, dinas
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_leaves_employee_end", "employee_id", "end_date"),)


class ReminderLog(Base):
    """What the scheduler decided to send, once per person, day and kind (the dedupe)."""

    __tablename__ = "reminder_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))  # daily, light, snooze, escalation, settings
    detail: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("employee_id", "day", "kind"),
        Index("ix_reminder_log_day_kind", "day", "kind"),
    )


class Broadcast(Base):
    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    text: Mapped[str] = mapped_column(Text)  # the caption when a document goes with it
    # Telegram's file_id of a document sent with the text (sendDocument), or none.
    document_file_id: Mapped[str | None] = mapped_column(String(255))
    audience: Mapped[str] = mapped_column(String(40))  # all, unit:<id>, atasan, not_reported
    scheduled_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    total: Mapped[int] = mapped_column(Integer, default=0)
    status_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    status_message_id: Mapped[int | None] = mapped_column(BigInteger)
    status_text: Mapped[str | None] = mapped_column(Text)  # last progress shown (no re-edit)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_broadcasts_status_scheduled", "status", "scheduled_at"),)


class Deadline(Base):
    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    audience: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeadlineAck(Base):
    __tablename__ = "deadline_acks"

    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id"), primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    acked_at: Mapped[datetime] = mapped_column(default=utcnow)
