"""Callback-data codecs: one frozen dataclass per prefix builds and parses its own strings.

Telegram gives a button 1–64 bytes of data and a client can send any bytes it likes, so
parsing lives next to building and every field is range-checked: `decode` returns None
for anything it did not build itself, and the caller answers "stale" in one place.

    @dataclass(frozen=True)
    class LangPress(CallbackData, prefix="lang"):
        lang: str = spec(Word("id", "en"))

    LangPress("en").encode()         # "lang:en"
    LangPress.decode("lang:xx")      # None
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import MISSING, Field, fields
from datetime import date
from typing import Any, ClassVar, Generic, Self, TypeVar

T = TypeVar("T")
MAX_BYTES = 64  # Telegram's limit for callback_data
SEP = ":"
INT_MAX = 2**31 - 1  # PostgreSQL integer; larger ids never exist


class _Invalid:
    pass


INVALID: Any = _Invalid()


class Spec(Generic[T]):
    """How one field is written into and read back from the data string."""

    def load(self, raw: str) -> T:  # returns INVALID when `raw` is not acceptable
        raise NotImplementedError

    def dump(self, value: T) -> str:
        return str(value)


class Int(Spec[int]):
    def __init__(self, lo: int = 0, hi: int = INT_MAX) -> None:
        self.lo, self.hi = lo, hi

    def load(self, raw: str) -> int:
        body = raw[1:] if raw.startswith("-") and self.lo < 0 else raw
        if not (0 < len(body) <= 12 and body.isascii() and body.isdigit()):
            return INVALID  # type: ignore[no-any-return]
        if body[0] == "0" and raw != "0":  # one spelling per number: no "007", no "-0"
            return INVALID  # type: ignore[no-any-return]
        value = int(raw)
        return value if self.lo <= value <= self.hi else INVALID  # type: ignore[no-any-return]

    def dump(self, value: int) -> str:
        if not self.lo <= value <= self.hi:
            raise ValueError(f"{value} outside {self.lo}..{self.hi}")
        return str(value)


class Word(Spec[str]):
    def __init__(self, *choices: str) -> None:
        self.choices = frozenset(choices)

    def load(self, raw: str) -> str:
        return raw if raw in self.choices else INVALID  # type: ignore[no-any-return]

    def dump(self, value: str) -> str:
        if value not in self.choices:
            raise ValueError(f"{value!r} is not one of {sorted(self.choices)}")
        return value


class IntOr(Spec[int | str]):
    """A number in range, or one of a few words (e.g. an SKP id or "x" for tugas tambahan)."""

    def __init__(self, lo: int, hi: int, *words: str) -> None:
        self.number, self.words = Int(lo, hi), Word(*words)

    def load(self, raw: str) -> int | str:
        if raw in self.words.choices:
            return raw
        return self.number.load(raw)

    def dump(self, value: int | str) -> str:
        return self.words.dump(value) if isinstance(value, str) else self.number.dump(value)


class Token(Spec[str]):
    """An opaque identifier (a draft token): letters, digits, '-' and '_' only."""

    def __init__(self, max_len: int = 16) -> None:
        self.pattern = re.compile(rf"[A-Za-z0-9_-]{{1,{max_len}}}")

    def load(self, raw: str) -> str:
        return raw if self.pattern.fullmatch(raw) else INVALID  # type: ignore[no-any-return]

    def dump(self, value: str) -> str:
        if not self.pattern.fullmatch(value):
            raise ValueError(f"bad token {value!r}")
        return value


class Day(Spec[date]):
    """A date as YYYYMMDD (8 bytes instead of 10)."""

    def load(self, raw: str) -> date:
        if len(raw) != 8 or not raw.isascii() or not raw.isdigit():
            return INVALID  # type: ignore[no-any-return]
        try:
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        except ValueError:
            return INVALID  # type: ignore[no-any-return]

    def dump(self, value: date) -> str:
        return f"{value.year:04d}{value.month:02d}{value.day:02d}"  # %Y drops zeros before 1000


class Rest(Spec[str]):
    """Free text that runs to the end of the data (may hold ':'); only as the last field."""

    def load(self, raw: str) -> str:
        return raw if raw.isprintable() else INVALID  # type: ignore[no-any-return]


def spec(kind: Spec[Any], default: Any = MISSING) -> Any:
    """Declare a field's codec. A field whose default is None may be left off the end."""
    return dataclasses.field(default=default, metadata={"spec": kind})


class CallbackData:
    """Base of the codecs: subclass as a frozen dataclass with `prefix=` and `spec()` fields."""

    prefix: ClassVar[str]

    def __init_subclass__(cls, *, prefix: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if prefix:
            cls.prefix = prefix

    def valid(self) -> bool:
        """Cross-field rules (e.g. which ops take which fields); decode rejects False."""
        return True

    @classmethod
    def _fields(cls) -> tuple[Field[Any], ...]:
        return fields(cls)  # type: ignore[arg-type]

    def encode(self) -> str:
        parts = [self.prefix]
        for f in self._fields():
            value = getattr(self, f.name)
            if value is None and f.default is None:
                break  # optional tail left off
            parts.append(f.metadata["spec"].dump(value))
        data = SEP.join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def decode(cls, data: str | None) -> Self | None:
        """The press this data encodes, or None for anything this codec would not build."""
        if not data or len(data.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            return None
        specs = cls._fields()
        head, _, body = data.partition(SEP)
        if head != cls.prefix:
            return None
        if not specs:
            return cls() if data == cls.prefix else None
        last_rest = isinstance(specs[-1].metadata["spec"], Rest)
        raw = body.split(SEP, len(specs) - 1) if last_rest else body.split(SEP)
        if SEP not in data:
            raw = []
        if len(raw) > len(specs):
            return None
        values: dict[str, Any] = {}
        for i, f in enumerate(specs):
            if i >= len(raw):
                if f.default is not None:
                    return None  # a required field is missing
                values[f.name] = None
                continue
            value = f.metadata["spec"].load(raw[i])
            if value is INVALID:
                return None
            values[f.name] = value
        press = cls(**values)
        return press if press.valid() else None
