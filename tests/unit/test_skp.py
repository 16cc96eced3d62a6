"""SKP items: pasting a list, archiving, the CSV import (on the real database)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.i18n import t
from bot.skp import (
    ArchiveResult,
    SkipReason,
    active_items,
    add_items,
    archive_item,
    format_qty,
    import_skp_csv,
    parse_item_lines,
    parse_target,
)
from storage.db import Database
from storage.models import Employee, SkpItem

SITI = "199001222015042001"
ANDI = "199208082019031005"


async def make_employee(db: Database, nip: str = SITI, name: str = "Siti") -> int:
    async with db.session() as session:
        emp = Employee(nip=nip, name=name, roles="staff", language="id")
        session.add(emp)
        await session.flush()
        return emp.id


def test_bullets_numbering_and_targets_are_read() -> None:
    text = """
    1. Menyusun laporan bulanan | 12 laporan
    2) Melaksanakan supervisi akademik
    - Menyusun modul ajar |
    • Mengikuti rapat koordinasi.
    a. Menilai hasil belajar | 2,5 dokumen
    * Mengarsipkan surat | 1.000 surat
    3.
    Membuat RPP | banyak
    1.000 berkas diarsipkan
    """
    items, skipped = parse_item_lines(text)
    assert [(i.title, i.target_qty, i.unit, i.kind) for i in items] == [
        ("Menyusun laporan bulanan", 12.0, "laporan", "trajectory"),
        ("Melaksanakan supervisi akademik", None, None, "non_trajectory"),
        ("Menyusun modul ajar", None, None, "non_trajectory"),
        ("Mengikuti rapat koordinasi", None, None, "non_trajectory"),
        ("Menilai hasil belajar", 2.5, "dokumen", "trajectory"),
        ("Mengarsipkan surat", 1000.0, "surat", "trajectory"),
        ("1.000 berkas diarsipkan", None, None, "non_trajectory"),
    ]
    assert [(s.line, s.reason) for s in skipped] == [
        (8, SkipReason.EMPTY),
        (9, SkipReason.BAD_TARGET),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12 laporan", (12.0, "laporan")),
        ("12", (12.0, None)),
        ("2,5 jam", (2.5, "jam")),
        ("1.000", (1000.0, None)),
        ("2.5", (2.5, None)),
        ("0", None),
        ("dua belas", None),
        ("", None),
    ],
)
def test_targets(raw: str, expected: tuple[float, str | None] | None) -> None:
    assert parse_target(raw) == expected


def test_quantities_in_the_users_language() -> None:
    assert format_qty(12.0, "id") == "12"
    assert format_qty(2.5, "id") == "2,5"
    assert format_qty(2.5, "en") == "2.5"
    assert format_qty(1000.0, "id") == "1.000"


async def test_add_skips_duplicates_and_lists_in_order(db: Database) -> None:
    emp = await make_employee(db)
    async with db.session() as session:
        report = await add_items(session, emp, 2026, "Menyusun RPP\nMengajar | 20 jam\n")
    assert len(report.created) == 2
    async with db.session() as session:
        report = await add_items(session, emp, 2026, "menyusun  rpp\nMenilai\nMenilai\n\n- \n")
    assert [i.title for i in report.created] == ["Menilai"]
    assert [(s.line, s.reason) for s in report.skipped] == [
        (1, SkipReason.DUPLICATE),
        (3, SkipReason.DUPLICATE),
        (5, SkipReason.EMPTY),
    ]
    async with db.session() as session:
        items = await active_items(session, emp, 2026)
        other_year = await active_items(session, emp, 2025)
    assert [(i.title, i.kind, i.target_qty, i.unit) for i in items] == [
        ("Menyusun RPP", "non_trajectory", None, None),
        ("Mengajar", "trajectory", 20.0, "jam"),
        ("Menilai", "non_trajectory", None, None),
    ]
    assert other_year == []


async def test_archive_hides_an_item_and_adding_it_again_restores_it(db: Database) -> None:
    emp = await make_employee(db)
    other = await make_employee(db, ANDI, "Andi")
    async with db.session() as session:
        created = (await add_items(session, emp, 2026, "A\nB")).created
    a_id = created[0].id
    async with db.session() as session:
        assert await archive_item(session, other, a_id) is ArchiveResult.NOT_FOUND
        assert await archive_item(session, emp, 999_999) is ArchiveResult.NOT_FOUND
        assert await archive_item(session, emp, a_id) is ArchiveResult.ARCHIVED
        assert await archive_item(session, emp, a_id) is ArchiveResult.ALREADY
    async with db.session() as session:
        assert [i.title for i in await active_items(session, emp, 2026)] == ["B"]
        assert (await session.get(SkpItem, a_id)) is not None  # kept for old activities
    async with db.session() as session:
        report = await add_items(session, emp, 2026, "a | 3 dokumen")
    assert [i.id for i in report.restored] == [a_id] and report.created == []
    async with db.session() as session:
        items = await active_items(session, emp, 2026)
    assert [(i.id, i.kind, i.target_qty) for i in items] == [
        (a_id, "trajectory", 3.0),
        (created[1].id, "non_trajectory", None),
    ]


SKP_CSV = """NIP;Judul;RHK;Jenis;Target;Satuan
199001222015042001;Menyusun modul ajar;Meningkatnya mutu pembelajaran;trajectory;12;dokumen
199001222015042001;Melaksanakan pembelajaran;Meningkatnya mutu pembelajaran;non trajectory;;
199208082019031005;Pemutakhiran Dapodik;;;4 kali;
123;Salah NIP;;;;
199001222015042001;;;;;
199001222015042001;Menilai;;trajectory;;
199001222015042001;Menilai hasil;;jenis aneh;;
199001222015042001;Menilai lagi;;;dua;
199001222015042001;menyusun  MODUL ajar;;;;
"""


async def test_csv_import_reports_bad_rows_and_keeps_the_rest(db: Database) -> None:
    siti = await make_employee(db)
    andi = await make_employee(db, ANDI, "Andi")
    async with db.session() as session:
        report = await import_skp_csv(session, SKP_CSV, year_default=2026)
    assert report.created == 3
    assert [(e.line, e.code) for e in report.errors] == [
        (5, "skp_unknown_employee"),
        (6, "skp_missing_title"),
        (7, "skp_missing_target"),
        (8, "skp_bad_kind"),
        (9, "skp_bad_target"),
        (10, "skp_duplicate_row"),
    ]
    for err in report.errors:  # every code has a message
        assert t("id", f"import.{err.code}", **err.params) != f"import.{err.code}"
    async with db.session() as session:
        s_items = await active_items(session, siti, 2026)
        a_items = await active_items(session, andi, 2026)
    assert [(i.title, i.rhk, i.kind, i.target_qty, i.unit) for i in s_items] == [
        ("Menyusun modul ajar", "Meningkatnya mutu pembelajaran", "trajectory", 12.0, "dokumen"),
        (
            "Melaksanakan pembelajaran",
            "Meningkatnya mutu pembelajaran",
            "non_trajectory",
            None,
            None,
        ),
    ]
    assert [(i.title, i.kind, i.target_qty, i.unit) for i in a_items] == [
        ("Pemutakhiran Dapodik", "trajectory", 4.0, "kali")
    ]


async def test_csv_reimport_updates_instead_of_duplicating(db: Database) -> None:
    siti = await make_employee(db)
    first = "nip,title,target,satuan,tahun\n199001222015042001,Menyusun modul,10,dokumen,2026\n"
    again = "nip,title,target,satuan,tahun\n199001222015042001,Menyusun modul,12,dokumen,2026\n"
    async with db.session() as session:
        assert (await import_skp_csv(session, first, None)).created == 1
    async with db.session() as session:
        item = (await session.execute(select(SkpItem))).scalar_one()
        await archive_item(session, siti, item.id)
    async with db.session() as session:
        report = await import_skp_csv(session, again, None)
    assert (report.created, report.updated, report.errors) == (0, 1, [])
    async with db.session() as session:
        items = await active_items(session, siti, 2026)
    assert [(i.title, i.target_qty, i.active) for i in items] == [("Menyusun modul", 12.0, True)]


async def test_csv_year_column_and_default(db: Database) -> None:
    siti = await make_employee(db)
    text = "nip;title;year\n199001222015042001;Lama;2025\n199001222015042001;Baru;\n"
    text += "199001222015042001;Aneh;20x5\n"
    async with db.session() as session:
        report = await import_skp_csv(session, text, None, today=date(2027, 1, 2))
    assert report.created == 2
    assert [(e.line, e.code) for e in report.errors] == [(4, "skp_bad_year")]
    async with db.session() as session:
        assert [i.title for i in await active_items(session, siti, 2025)] == ["Lama"]
        assert [i.title for i in await active_items(session, siti, 2027)] == ["Baru"]


async def test_csv_missing_columns_and_empty_file(db: Database) -> None:
    async with db.session() as session:
        report = await import_skp_csv(session, "nama;jabatan\nx;y\n", 2026)
        empty = await import_skp_csv(session, "", 2026)
    assert [(e.line, e.code, e.params) for e in report.errors] == [
        (1, "missing_columns", {"columns": "nip, title"})
    ]
    assert [e.code for e in empty.errors] == ["empty_file"]


def test_a_page_of_long_items_fits_one_telegram_message() -> None:
    from handlers.skp import render_list

    items = [
        SkpItem(id=n, title="Judul " * 100, rhk="R" * 400, kind="trajectory", target_qty=1.0)
        for n in range(1, 20)
    ]
    text, markup = render_list("id", items, 2026, 0)
    assert visible_length(text) < 4096
    assert "Halaman 1/3" in text
    assert [b.callback_data for b in markup.inline_keyboard[0]] == ["skp:p:1"]


def visible_length(text: str) -> int:
    """What Telegram counts against 4096: the text after HTML entity parsing."""
    import html
    import re

    return len(html.unescape(re.sub(r"<[^>]+>", "", text)))


def test_a_pasted_e_kinerja_table_gives_titles_and_targets() -> None:
    """QA admin: the heading row was an item and tab cells were glued into the title."""
    text = (
        "Rencana Aksi\n"
        "1. Terlaksananya pengelolaan data kepegawaian\tLaporan\t12 Dokumen\n"
        "2. Tersusunnya usulan kenaikan pangkat  -  24 Berkas\n"
        "3.\tTerlaksananya verifikasi presensi pegawai\n"
        "No\tRencana Aksi\tTarget\tSatuan\n"
        "4\tMenyusun laporan bulanan\t12\tLaporan\n"
        "Rapat koordinasi - evaluasi\n"
    )
    items, skipped = parse_item_lines(text)
    assert [(i.line, i.title, i.target_qty, i.unit) for i in items] == [
        (2, "Terlaksananya pengelolaan data kepegawaian", 12.0, "Dokumen"),
        (3, "Tersusunnya usulan kenaikan pangkat", 24.0, "Berkas"),
        (4, "Terlaksananya verifikasi presensi pegawai", None, None),
        (6, "Menyusun laporan bulanan", 12.0, "Laporan"),
        (7, "Rapat koordinasi - evaluasi", None, None),
    ]
    assert skipped == []
