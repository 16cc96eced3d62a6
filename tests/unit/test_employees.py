"""NIP rules and the employee CSV import (on the real database)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.employees import creates_loop, import_employees_csv, parse_roles
from bot.nip import NipError, looks_like_pppk, parse_nip
from storage.db import Database
from storage.models import Employee, Unit

TODAY = date(2026, 11, 23)


def test_pns_nip_parts() -> None:
    info = parse_nip("19850312 201001 1 004", today=TODAY)
    assert (info.birth_date, info.tmt_year, info.tmt_month, info.gender) == (
        date(1985, 3, 12),
        2010,
        1,
        "L",
    )


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("1985031220100110", "nip_length"),
        ("19851312201001100A", "nip_length"),
        ("198513122010011004", "nip_birth_date"),
        ("198503122010131004", "nip_tmt"),
        ("198503122010013004", "nip_gender"),
    ],
)
def test_bad_nips(nip: str, code: str) -> None:
    with pytest.raises(NipError) as err:
        parse_nip(nip, today=TODAY)
    assert err.value.code == code


def test_pppk_digits_13_14_are_not_a_month() -> None:
    nip = "199001012022211001"  # appointed 2022, code 21: not a month
    with pytest.raises(NipError):
        parse_nip(nip, today=TODAY)
    assert parse_nip(nip, pppk=True, today=TODAY).tmt_month is None
    assert looks_like_pppk(nip)


def test_roles() -> None:
    assert parse_roles("Admin; staff") == "staff,admin"
    assert parse_roles("") == "staff"
    assert parse_roles("atasan") == "supervisor"
    assert parse_roles("boss") is None


def test_loop_detection() -> None:
    chain = {1: 2, 2: 3, 3: None}
    assert creates_loop(chain, 3, 1)
    assert not creates_loop(chain, 4, 1)


CSV = """nip;name;position;unit;supervisor_nip;roles
197505101998031003;Drs. Bambang;Kepala Sekolah;Dinas Pendidikan > SDN 1;;staff,supervisor
199001222015042001;Siti Rahmawati;Guru Kelas V;Dinas Pendidikan > SDN 1;197505101998031003;staff
12345;Salah NIP;Guru;Dinas Pendidikan > SDN 1;;staff
199001222015042001;Siti Lagi;Guru;Dinas Pendidikan > SDN 1;;staff
199208082019031005;Andi;Operator;Dinas Pendidikan > SDN 1;199999999999999999;staff
199001012022211001;Pak PPPK;Guru PPPK;Dinas Pendidikan > SDN 1;197505101998031003;boss
"""


async def test_import_reports_bad_rows_and_keeps_the_rest(db: Database) -> None:
    async with db.session() as session:
        report = await import_employees_csv(session, CSV)
    assert (report.created, report.updated) == (3, 0)
    assert [(e.line, e.code) for e in report.errors] == [
        (4, "nip_length"),
        (5, "duplicate_nip"),
        (7, "bad_roles"),
        (6, "unknown_supervisor"),
    ]
    async with db.session() as session:
        emps = {e.nip: e for e in (await session.execute(select(Employee))).scalars()}
        units = (await session.execute(select(Unit))).scalars().all()
    assert len(units) == 2
    assert emps["199001222015042001"].supervisor_id == emps["197505101998031003"].id
    assert emps["197505101998031003"].roles == "staff,supervisor"


async def test_reimport_updates_and_refuses_a_loop(db: Database) -> None:
    async with db.session() as session:
        await import_employees_csv(session, CSV)
    loop = "nip,name,supervisor_nip\n197505101998031003,Drs. Bambang,199001222015042001\n"
    async with db.session() as session:
        report = await import_employees_csv(session, loop)
    assert report.updated == 1
    assert [e.code for e in report.errors] == ["supervisor_loop"]
