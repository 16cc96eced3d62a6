"""The codec machinery: round trips, rejections, and no exception on any input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callback_data import CallbackData, Day, Int, IntOr, Rest, Token, Word, spec


@dataclass(frozen=True)
class Sample(CallbackData, prefix="x"):
    token: str = spec(Token(8))
    op: str = spec(Word("a", "bb"))
    index: int = spec(Int(0, 99))
    arg: int | str = spec(IntOr(0, 1000, "", "x"), default="")


@dataclass(frozen=True)
class Tail(CallbackData, prefix="t"):
    op: str = spec(Word("m", "f"))
    day: date | None = spec(Day(), default=None)
    text: str | None = spec(Rest(), default=None)

    def valid(self) -> bool:
        return self.op != "f" or self.text is not None


def test_round_trip_keeps_the_exact_format() -> None:
    press = Sample("ab12", "bb", 3, 77)
    assert press.encode() == "x:ab12:bb:3:77"
    assert Sample.decode("x:ab12:bb:3:77") == press
    assert Sample("ab12", "a", 0).encode() == "x:ab12:a:0:"
    assert Sample.decode("x:ab12:a:0:") == Sample("ab12", "a", 0, "")


@pytest.mark.parametrize(
    "data",
    [
        "",
        "x",
        "y:ab12:a:0:",
        "x:ab12:a:100:",  # index out of range
        "x:ab12:zz:0:",  # unknown op
        "x:ab12:a:0:1001",
        "x:ab12:a:0:99999999999999999999",
        "x:ab12:a:-1:",
        "x:ab12:a:０:",  # full-width digit
        "x:ab12:a:0",  # missing required field
        "x:ab12:a:0::",  # one too many
        "x:a:b:a:0:",
        "x:" + "a" * 9 + ":a:0:",
        "\x00\x01",
    ],
)
def test_anything_else_is_rejected(data: str) -> None:
    assert Sample.decode(data) is None


def test_optional_tail_and_rest() -> None:
    assert Tail("m").encode() == "t:m"
    assert Tail.decode("t:m") == Tail("m")
    assert Tail.decode("t:f:20261127:a:b") == Tail("f", date(2026, 11, 27), "a:b")
    assert Tail.decode("t:f:20261127") is None  # valid() refuses "f" without text
    assert Tail.decode("t:m:20260231") is None  # no such date


def test_encode_refuses_what_telegram_would_refuse() -> None:
    with pytest.raises(ValueError):
        Sample("ab12", "a", 100).encode()
    with pytest.raises(ValueError):
        Tail("f", date(2026, 1, 1), "x" * 60).encode()


@given(st.text())
def test_arbitrary_strings_never_raise(data: str) -> None:
    for codec in (Sample, Tail):
        press = codec.decode(data)
        if press is not None:
            assert codec.decode(press.encode()) == press


@given(
    st.text("abcXYZ019_-", min_size=1, max_size=8),
    st.sampled_from(["a", "bb"]),
    st.integers(0, 99),
    st.one_of(st.integers(0, 1000), st.sampled_from(["", "x"])),
)
def test_valid_presses_round_trip(token: str, op: str, index: int, arg: int | str) -> None:
    press = Sample(token, op, index, arg)
    assert Sample.decode(press.encode()) == press


def test_one_spelling_per_number_and_day() -> None:
    assert Sample.decode("x:ab12:a:07:") is None  # "7" is the only spelling of 7
    assert Sample.decode("x:ab12:a:0:") is not None
    old = Tail("m", date(999, 1, 2))
    assert old.encode() == "t:m:09990102"
    assert Tail.decode("t:m:09990102") == old
