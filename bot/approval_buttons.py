"""Callback codecs of the atasan's side (issue 9) and the plain-dict keyboards the outbox sends.

The domain builds the request message's buttons as Bot API JSON (the outbox stores them),
so the codecs live here, outside handlers, and nothing here imports `telegram`. Every id in
a press is re-checked against the database by bot.approval; the data is never trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.callback_data import CallbackData, Day, Int, Word, spec

# ok approve · no reject · rev ask for revision (arg: quick reason 1..3, none = reason menu)
# cx back to the decision buttons · one per-activity view · aok/ano one activity (arg: its id)
# rs the employee's "Kirim ulang" · ev evidence list
APPROVAL_OPS = ("ok", "no", "rev", "cx", "one", "aok", "ano", "rs", "ev")
# Where the press came from: r request message, t /tim person view, d digest, e employee
# (the decision notice), h the employee's /hariini day view.
SOURCES = ("r", "t", "d", "e", "h")


@dataclass(frozen=True)
class ApprovalPress(CallbackData, prefix="ap"):
    op: str = spec(Word(*APPROVAL_OPS))
    src: str = spec(Word(*SOURCES))
    submission: int = spec(Int(1))
    round: int = spec(Int(0, 9999))  # which request of the day: an older one's buttons are stale
    arg: int | None = spec(Int(0), default=None)

    def valid(self) -> bool:
        if self.op in ("aok", "ano"):
            return self.arg is not None
        if self.op in ("no", "rev"):
            return self.arg is None or 1 <= self.arg <= 3
        return self.arg is None


# all: confirm approve-all (arg = highest submission id shown) · yes: do it · pg: page
# p: one pending day (arg = submission) · on/off: digest mode · t: digest time (arg = minutes)
# mon/moff: the morning summary (who did not report the last workday)
DIGEST_OPS = ("all", "yes", "pg", "p", "on", "off", "t", "back", "mon", "moff")


@dataclass(frozen=True)
class DigestPress(CallbackData, prefix="dg"):
    op: str = spec(Word(*DIGEST_OPS))
    arg: int = spec(Int(0))
    # all/pg/p/back: the digest's page. on/off/t: 1 when pressed on /pengaturan (the whole
    # settings screen is drawn again), none on /digest's own message.
    page: int | None = spec(Int(0, 999), default=None)


@dataclass(frozen=True)
class TeamPress(CallbackData, prefix="tim"):
    """v: a page of the team · p: one person (arg = employee id) for the period."""

    op: str = spec(Word("v", "p"))
    start: date = spec(Day())
    days: int = spec(Int(1, 7))
    deep: int = spec(Int(0, 1))  # 1 = the whole subtree, 0 = direct subordinates
    page: int = spec(Int(0, 999))
    arg: int | None = spec(Int(1), default=None)


@dataclass(frozen=True)
class PltPress(CallbackData, prefix="plt"):
    """end: end that delegation early (the principal or an admin; re-checked)."""

    op: str = spec(Word("end"))
    delegation: int = spec(Int(1))


Button = dict[str, str]


def btn(text: str, data: CallbackData) -> Button:
    return {"text": text, "callback_data": data.encode()}


def markup(rows: list[list[Button]]) -> dict[str, Any] | None:
    rows = [row for row in rows if row]
    return {"inline_keyboard": rows} if rows else None
