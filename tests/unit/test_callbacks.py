"""Every feature's callback codec: the exact strings the bot has always sent, rejections,
no exception on any input, and a round trip for every valid press."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callback_data import INT_MAX, CallbackData
from bot.reporting import MAX_ACTIVITIES
from handlers.admin import AdminPress
from handlers.common import LanguagePress
from handlers.entries import EntryPress
from handlers.report import OPS as REPORT_OPS
from handlers.report import ReportPress
from handlers.skp import SkpPress

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


@st.composite
def entry_presses(draw: st.DrawFn) -> EntryPress:
    op = draw(st.sampled_from(["v", "e", "ed", "em", "m", "d", "dy", "cx"]))
    if op == "v":
        return EntryPress.view(draw(st.dates()), draw(st.integers(0, INT_MAX)))
    minutes = draw(st.integers(0, INT_MAX)) if op == "m" else None
    return EntryPress(op, draw(ids), minutes)


@st.composite
def admin_presses(draw: st.DrawFn) -> AdminPress:
    op = draw(
        st.sampled_from(["m", "add", "find", "csv", "cx", "f", "e", "sup", "pos", "act", "inv"])
    )
    if op in ("m", "add", "find", "csv"):
        return AdminPress(op)
    if op == "cx":
        return AdminPress(op, draw(st.one_of(st.none(), ids)))
    if op == "f":
        search = draw(st.text(st.characters(codec="utf-8", exclude_characters=":"), max_size=40))
        search = search.encode()[:40].decode(errors="ignore")
        return AdminPress(
            op, draw(st.integers(0, 9999)), "".join(c for c in search if c.isprintable())
        )
    if op == "act":
        return AdminPress(op, draw(ids), draw(st.sampled_from(["0", "1"])))
    return AdminPress(op, draw(ids))


@st.composite
def skp_presses(draw: st.DrawFn) -> SkpPress:
    op = draw(st.sampled_from(["p", "add", "arc", "a", "ay", "cx"]))
    return SkpPress(op) if op in ("add", "cx") else SkpPress(op, draw(st.integers(0, INT_MAX)))


CODECS: list[tuple[type[CallbackData], st.SearchStrategy[Any]]] = [
    (ReportPress, report_presses()),
    (EntryPress, entry_presses()),
    (AdminPress, admin_presses()),
    (SkpPress, skp_presses()),
    (LanguagePress, st.sampled_from(["id", "en"]).map(LanguagePress)),
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


@pytest.mark.parametrize(
    ("data", "press"),
    [
        ("ent:v:20261124:0", EntryPress.view(date(2026, 11, 24), 0)),
        ("ent:e:17", EntryPress("e", 17)),
        ("ent:ed:17", EntryPress("ed", 17)),
        ("ent:em:17", EntryPress("em", 17)),
        ("ent:m:17:90", EntryPress("m", 17, 90)),
        ("ent:d:17", EntryPress("d", 17)),
        ("ent:dy:17", EntryPress("dy", 17)),
        ("ent:cx:17", EntryPress("cx", 17)),
    ],
)
def test_entry_strings(data: str, press: EntryPress) -> None:
    assert press.encode() == data
    assert EntryPress.decode(data) == press


def test_entry_view_day() -> None:
    press = EntryPress.decode("ent:v:20261124:2")
    assert press is not None and press.day == date(2026, 11, 24) and press.n == 2
    assert EntryPress("e", 20261124).day is None


@pytest.mark.parametrize(
    "data",
    [
        "ent:v:x:0",
        "ent:v:20261324:0",  # no 13th month
        "ent:v:20261124",  # no page
        "ent:e:0",
        "ent:e:x",
        "ent:e:17:5",  # only "m" takes minutes
        "ent:m:17",  # minutes missing
        "ent:zz:1",
        "ent",
    ],
)
def test_entry_rejects(data: str) -> None:
    assert EntryPress.decode(data) is None


@pytest.mark.parametrize(
    ("data", "press"),
    [
        ("adm:m", AdminPress("m")),
        ("adm:add", AdminPress("add")),
        ("adm:find", AdminPress("find")),
        ("adm:csv", AdminPress("csv")),
        ("adm:cx", AdminPress("cx")),
        ("adm:cx:12", AdminPress("cx", 12)),
        ("adm:f:1:siti rahma", AdminPress("f", 1, "siti rahma")),
        ("adm:f:0:", AdminPress("f", 0, "")),
        ("adm:e:12", AdminPress("e", 12)),
        ("adm:sup:12", AdminPress("sup", 12)),
        ("adm:pos:12", AdminPress("pos", 12)),
        ("adm:act:12:0", AdminPress("act", 12, "0")),
        ("adm:act:12:1", AdminPress("act", 12, "1")),
        ("adm:inv:12", AdminPress("inv", 12)),
    ],
)
def test_admin_strings(data: str, press: AdminPress) -> None:
    assert press.encode() == data
    assert AdminPress.decode(data) == press


def test_admin_search_may_hold_colons() -> None:
    assert AdminPress.decode("adm:f:2:a:b") == AdminPress("f", 2, "a:b")


@pytest.mark.parametrize(
    "data",
    [
        "adm:zz:1",
        "adm:m:1",  # the menu takes no id
        "adm:e",  # the card needs one
        "adm:e:x",
        "adm:e:12:x",
        "adm:act:12",
        "adm:act:12:2",
        "adm:f:1",  # a search page without the search
        "adm:f:x:siti",
        "adm:cx:x",
        "adm:f:0:\x00",
    ],
)
def test_admin_rejects(data: str) -> None:
    assert AdminPress.decode(data) is None


@pytest.mark.parametrize(
    ("data", "press"),
    [
        ("skp:p:0", SkpPress("p", 0)),
        ("skp:add", SkpPress("add")),
        ("skp:arc:1", SkpPress("arc", 1)),
        ("skp:a:42", SkpPress("a", 42)),
        ("skp:ay:42", SkpPress("ay", 42)),
        ("skp:cx", SkpPress("cx")),
    ],
)
def test_skp_strings(data: str, press: SkpPress) -> None:
    assert press.encode() == data
    assert SkpPress.decode(data) == press


@pytest.mark.parametrize(
    "data", ["skp:zz", "skp:p", "skp:add:1", "skp:cx:0", "skp:a:x", "skp:ay:-1", "skp:p:1:2"]
)
def test_skp_rejects(data: str) -> None:
    assert SkpPress.decode(data) is None


def test_language_strings() -> None:
    assert LanguagePress("en").encode() == "lang:en"
    assert LanguagePress.decode("lang:id") == LanguagePress("id")
    for data in ("lang", "lang:", "lang:xx", "lang:en:1", "lang:EN"):
        assert LanguagePress.decode(data) is None
