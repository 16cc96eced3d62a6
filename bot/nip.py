"""NIP (Nomor Induk Pegawai) validation.

PNS: 18 digits = birth date YYYYMMDD, TMT CPNS YYYYMM, gender 1|2, sequence 3 digits.
PPPK numbers are 18 digits too but digits 9-14 are (year of appointment, code), so
digits 13-14 are not a month for them: they get only the birth-date and gender checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_DIGITS = re.compile(r"\d{18}")


@dataclass(frozen=True)
class NipInfo:
    nip: str
    birth_date: date
    gender: str  # "L" | "P"
    tmt_year: int
    tmt_month: int | None  # None for PPPK


class NipError(ValueError):
    """Why a NIP is not valid; `code` is a locale key suffix."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def clean_nip(raw: str) -> str:
    """Strip the spaces and dots people type ('19850312 201001 1 004')."""
    return re.sub(r"[\s.\-]", "", raw or "")


def parse_nip(raw: str, *, pppk: bool = False, today: date | None = None) -> NipInfo:
    nip = clean_nip(raw)
    if not _DIGITS.fullmatch(nip):
        raise NipError("nip_length")
    try:
        birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise NipError("nip_birth_date") from None
    today = today or date.today()
    age = today.year - birth.year
    if not 15 <= age <= 80:
        raise NipError("nip_birth_date")
    tmt_year = int(nip[8:12])
    if not birth.year + 15 <= tmt_year <= today.year + 1:
        raise NipError("nip_tmt")
    tmt_month: int | None = None
    if not pppk:
        tmt_month = int(nip[12:14])
        if not 1 <= tmt_month <= 12:
            raise NipError("nip_tmt")
    gender_digit = nip[14]
    if gender_digit not in "12":
        raise NipError("nip_gender")
    return NipInfo(nip, birth, "L" if gender_digit == "1" else "P", tmt_year, tmt_month)


def looks_like_pppk(raw: str) -> bool:
    """A number that fails the PNS month check but passes PPPK rules is probably PPPK."""
    try:
        parse_nip(raw)
        return False
    except NipError:
        pass
    try:
        parse_nip(raw, pppk=True)
        return True
    except NipError:
        return False
