"""Admin actions on employees (on the real database)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.admin import (
    InviteStatus,
    SupervisorStatus,
    add_employees,
    decode_csv,
    employee_card,
    find_employees,
    import_employees_file,
    is_admin,
    issue_invite,
    set_active,
    set_position,
    set_supervisor,
)
from bot.i18n import t
from bot.registration import RedeemStatus, redeem_invite
from storage.db import Database
from storage.models import Employee

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
BAMBANG = "197505101998031003"
SITI = "199001222015042001"
ANDI = "199208082019031005"
PPPK = "199001012022211001"


def test_is_admin_by_role_or_settings_and_only_when_active() -> None:
    admin = Employee(nip=SITI, name="A", roles="staff,admin", active=True)
    staff = Employee(nip=ANDI, name="B", roles="staff", active=True)
    assert is_admin(admin, 1, [])
    assert not is_admin(staff, 2, [])
    assert is_admin(staff, 2, [2, 3])
    assert not is_admin(None, 2, [2])
    admin.active = False
    assert not is_admin(admin, 1, [1])


async def test_add_lines_creates_and_refuses_registered_nips(db: Database) -> None:
    async with db.session() as session:
        session.add(Employee(nip=ANDI, name="Andi Lama", roles="staff"))
    lines = "\n".join(
        [
            f"{BAMBANG};Drs. Bambang;Kepala Sekolah;Dinas > SDN 1;;staff,supervisor",
            "",
            f"{SITI};Siti Rahmawati, S.Pd.;Guru Kelas V;Dinas > SDN 1;{BAMBANG};staff",
            f"{ANDI};Andi Baru;Operator;;;staff",
            "12345;Salah;Guru;;;staff",
            f"{PPPK};Pak PPPK;Guru PPPK;Dinas > SDN 1;{BAMBANG};",
            f"{SITI};Siti Lagi;Guru;;;staff",
        ]
    )
    async with db.session() as session:
        report = await add_employees(session, lines)
    assert (report.created, report.updated) == (3, 0)
    assert [(e.line, e.code) for e in report.errors] == [
        (4, "nip_exists"),
        (5, "nip_length"),
        (7, "duplicate_nip"),
    ]
    assert "Andi Lama" in t("id", "import.nip_exists", **report.errors[0].params)
    async with db.session() as session:
        emps = {e.nip: e for e in (await session.execute(select(Employee))).scalars()}
    assert emps[ANDI].name == "Andi Lama"  # not overwritten
    assert emps[SITI].name == "Siti Rahmawati, S.Pd."
    assert emps[SITI].supervisor_id == emps[BAMBANG].id
    assert emps[PPPK].is_pppk and emps[PPPK].roles == "staff"


async def test_add_lines_with_tabs_from_a_spreadsheet(db: Database) -> None:
    async with db.session() as session:
        report = await add_employees(session, f"{SITI}\tSiti\tGuru\tSDN 1\t\tstaff\n")
    assert (report.created, report.errors) == (1, [])


async def test_add_lines_reports_a_loop_against_existing_data(db: Database) -> None:
    async with db.session() as session:
        await add_employees(session, f"{BAMBANG};Bambang;KS;;;supervisor")
    async with db.session() as session:
        report = await add_employees(session, f"{SITI};Siti;Guru;;{SITI};staff")
    assert [(e.line, e.code) for e in report.errors] == [(1, "supervisor_loop")]


async def seed_chain(db: Database) -> dict[str, int]:
    """Bambang ← Siti ← Andi (Andi's atasan is Siti, Siti's is Bambang)."""
    async with db.session() as session:
        bambang = Employee(nip=BAMBANG, name="Bambang", roles="staff,supervisor")
        session.add(bambang)
        await session.flush()
        siti = Employee(nip=SITI, name="Siti Rahmawati", roles="staff", supervisor_id=bambang.id)
        session.add(siti)
        await session.flush()
        andi = Employee(nip=ANDI, name="Andi Pratama", roles="staff", supervisor_id=siti.id)
        session.add(andi)
        await session.flush()
        return {"bambang": bambang.id, "siti": siti.id, "andi": andi.id}


async def test_set_supervisor_refuses_loops_and_bad_nips(db: Database) -> None:
    ids = await seed_chain(db)
    async with db.session() as session:
        loop = await set_supervisor(session, ids["bambang"], ANDI)
        unknown = await set_supervisor(session, ids["andi"], PPPK)
        invalid = await set_supervisor(session, ids["andi"], "12345")
        own = await set_supervisor(session, ids["andi"], ANDI)
        gone = await set_supervisor(session, 999_999, SITI)
    assert loop.status is SupervisorStatus.LOOP
    assert loop.supervisor is not None and loop.supervisor.name == "Andi Pratama"
    assert unknown.status is SupervisorStatus.UNKNOWN_NIP
    assert invalid.status is SupervisorStatus.INVALID_NIP
    assert own.status is SupervisorStatus.SELF
    assert gone.status is SupervisorStatus.NOT_FOUND
    async with db.session() as session:
        bambang = await session.get(Employee, ids["bambang"])
        assert bambang is not None and bambang.supervisor_id is None

    async with db.session() as session:
        moved = await set_supervisor(session, ids["andi"], "1975 0510 1998 03 1 003")
    assert moved.status is SupervisorStatus.SET
    async with db.session() as session:
        card = await employee_card(session, ids["andi"])
    assert card is not None and card.supervisor is not None and card.supervisor.nip == BAMBANG

    async with db.session() as session:
        cleared = await set_supervisor(session, ids["andi"], "-")
        await set_active(session, ids["siti"], False)
        inactive = await set_supervisor(session, ids["andi"], SITI)
    assert cleared.status is SupervisorStatus.CLEARED
    assert inactive.status is SupervisorStatus.INACTIVE


async def test_find_by_nip_or_name_with_paging(db: Database) -> None:
    await seed_chain(db)
    async with db.session() as session:
        for n in range(10):
            session.add(Employee(nip=f"199001012015011{n:03d}", name=f"Guru Siti {n}"))
    async with db.session() as session:
        by_nip = await find_employees(session, "1992 0808")
        by_name = await find_employees(session, "siti", limit=8)
        second = await find_employees(session, "siti", offset=8, limit=8)
        two_words = await find_employees(session, "siti rahma")
        nothing = await find_employees(session, "zzz")
        percent = await find_employees(session, "%")
    assert [e.name for e in by_nip.employees] == ["Andi Pratama"]
    assert by_name.total == 11 and len(by_name.employees) == 8
    assert len(second.employees) == 3
    assert [e.name for e in two_words.employees] == ["Siti Rahmawati"]
    assert (nothing.total, percent.total) == (0, 0)


async def test_status_position_and_invite(db: Database) -> None:
    ids = await seed_chain(db)
    async with db.session() as session:
        assert await set_position(session, ids["siti"], "  Guru   Kelas VI ") is not None
        assert await set_position(session, ids["siti"], "   ") is None
        assert await set_active(session, ids["siti"], False) is not None
    async with db.session() as session:
        refused = await issue_invite(session, ids["siti"], NOW)
        await set_active(session, ids["siti"], True)
        issued = await issue_invite(session, ids["siti"], NOW)
        missing = await issue_invite(session, 999_999, NOW)
    assert refused.status is InviteStatus.INACTIVE
    assert missing.status is InviteStatus.NOT_FOUND
    assert issued.status is InviteStatus.ISSUED and issued.code and not issued.already_linked
    async with db.session() as session:
        redeemed = await redeem_invite(session, issued.code, 777, "id", NOW)
        card = await employee_card(session, ids["siti"])
    assert redeemed.status is RedeemStatus.LINKED
    assert card is not None and card.employee.position == "Guru Kelas VI"
    async with db.session() as session:
        again = await issue_invite(session, ids["siti"], NOW)
    assert again.already_linked


async def test_uploaded_file_is_decoded_and_size_checked(db: Database) -> None:
    text = f"nip;nama;jabatan\n{SITI};Siti Rahmawati;Guru Bahasa Indonesia – kelas V\n"
    assert decode_csv(b"\xef\xbb\xbf" + text.encode()) == text
    assert "Jos\u00e9" in decode_csv("Jos\u00e9".encode("cp1252"))
    async with db.session() as session:
        report = await import_employees_file(session, text.encode("cp1252"))
        too_big = await import_employees_file(session, b"x" * (3 * 1024 * 1024))
    assert (report.created, report.errors) == (1, [])
    assert [e.code for e in too_big.errors] == ["file_too_large"]


def test_import_report_fits_one_telegram_message() -> None:
    from bot.employees import ImportReport, RowError
    from handlers.admin import render_import

    errors = [RowError(i, "nip_exists", {"nip": "1" * 18, "name": "N" * 200}) for i in range(40)]
    text = render_import("id", ImportReport(errors=errors))
    assert visible_length(text) < 4096
    assert text.endswith("baris bermasalah lainnya.")


def visible_length(text: str) -> int:
    """What Telegram counts against 4096: the text after HTML entity parsing."""
    import html
    import re

    return len(html.unescape(re.sub(r"<[^>]+>", "", text)))
