"""Every feature's callback codec: the exact strings the bot has always sent, rejections,
no exception on any input, and a round trip for every valid press."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callback_data import INT_MAX, CallbackData
from bot.reporting import MAX_ACTIVITIES
from handlers.report import OPS as REPORT_OPS
from handlers.report import ReportPress

tokens = st.text("0123456789abcdef", min_size=6, max_size=6)
ids = st.integers(1, INT_MAX)


@st.composite
def report_presses(draw: st.DrawFn) -> ReportPress:
    op = draw(st.sampled_from(REPORT_OPS))
    arg: int | str = ""
    if op == "s":
        arg = draw(st.one_of(ids, st.just("x")))
    elif op in ("d", "l"):
        arg = draw(st.integers(0, INT_MAX))
    elif op == "edit":
        arg = draw(st.sampled_from(["", "one"]))
    return ReportPress(draw(tokens), op, draw(st.integers(0, MAX_ACTIVITIES - 1)), arg)


CODECS: list[tuple[type[CallbackData], st.SearchStrategy[Any]]] = [
    (ReportPress, report_presses()),
]


@pytest.mark.parametrize(("codec", "presses"), CODECS, ids=lambda c: getattr(c, "prefix", ""))
def test_valid_presses_round_trip(
    codec: type[CallbackData], presses: st.SearchStrategy[Any]
) -> None:
    @given(presses)
    def check(press: CallbackData) -> None:
        data = press.encode()
        assert len(data.encode()) <= 64
        assert data.startswith(codec.prefix + ":")
        assert codec.decode(data) == press

    check()


@pytest.mark.parametrize("codec", [c for c, _ in CODECS], ids=lambda c: c.prefix)
def test_arbitrary_strings_never_raise(codec: type[CallbackData]) -> None:
    @given(
        st.one_of(st.text(max_size=80), st.text(max_size=30).map(lambda s: codec.prefix + ":" + s))
    )
    def check(data: str) -> None:
        press = codec.decode(data)
        assert press is None or press.encode() == data

    check()


# --- the exact strings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "press"),
    [
        ("r:a1b2c3:s:0:17", ReportPress("a1b2c3", "s", 0, 17)),
        ("r:a1b2c3:s:2:x", ReportPress("a1b2c3", "s", 2, "x")),
        ("r:a1b2c3:d:0:90", ReportPress("a1b2c3", "d", 0, 90)),
        ("r:a1b2c3:do:1:", ReportPress("a1b2c3", "do", 1)),
        ("r:a1b2c3:l:0:2", ReportPress("a1b2c3", "l", 0, 2)),
        ("r:a1b2c3:cancel:0:", ReportPress("a1b2c3", "cancel", 0)),
        ("r:a1b2c3:send:0:", ReportPress("a1b2c3", "send", 0)),
        ("r:a1b2c3:edit:3:one", ReportPress("a1b2c3", "edit", 3, "one")),
        ("r:a1b2c3:rm:19:", ReportPress("a1b2c3", "rm", 19)),
    ],
)
def test_report_strings(data: str, press: ReportPress) -> None:
    assert press.encode() == data
    assert ReportPress.decode(data) == press


@pytest.mark.parametrize(
    "data",
    [
        "r:x",
        "r:a1b2c3:zz:0:",  # unknown op
        "r:a1b2c3:s:0:",  # SKP choice without an item
        "r:a1b2c3:s:0:y",
        "r:a1b2c3:d:0:",  # duration without minutes
        "r:a1b2c3:d:0:x",
        "r:a1b2c3:send:0:5",  # an op that takes no argument
        "r:a1b2c3:edit:0:two",
        "r:a1b2c3:s:20:1",  # index beyond MAX_ACTIVITIES
        "r:a1b2c3:s:-1:1",
        "r:a1b2c3:cancel:0",  # the empty argument is always written
        "r:a1b2c3:cancel:0::",
        "r:a b:send:0:",
        "rr:a1b2c3:send:0:",
    ],
)
def test_report_rejects(data: str) -> None:
    assert ReportPress.decode(data) is None
