"""CSV import of employees against hostile files (issue 8 defects 3 and 10).

One bad row is reported with its line number and never sinks the others; the same
decoder reads files for the CLI and the chat. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import codecs

import pytest
from sqlalchemy import select

from bot.employees import ImportReport, decode_csv, import_employees_csv
from bot.i18n import t
from storage.db import Database
from storage.models import Employee, Unit

HEADER = "nip;nama;jabatan;unit;nip_atasan;peran"
BAMBANG = "197505101998031003;Drs. Bambang;Kepala Sekolah;Dinas > SDN 1;;staff,supervisor"
SITI = "199001222015042001;Siti Rahmawati;Guru;Dinas > SDN 1;197505101998031003;staff"
ANDI = "199208082019031005;Andi;Operator;Dinas > SDN 1;;staff"


async def run_import(db: Database, text: str) -> tuple[ImportReport, dict[str, Employee]]:
    async with db.session() as session:
        report = await import_employees_csv(session, text)
    async with db.session() as session:
        people = {e.nip: e for e in (await session.execute(select(Employee))).scalars()}
    return report, people


def errors(report: ImportReport) -> list[tuple[int, str]]:
    return sorted((e.line, e.code) for e in report.errors)


@pytest.mark.parametrize(
    ("data", "encoding", "note", "text"),
    [
        ("Añdi;Ça".encode(), "utf-8", None, "Añdi;Ça"),
        (codecs.BOM_UTF8 + "Añdi;Ça".encode(), "utf-8-sig", None, "Añdi;Ça"),
        ("Añdi;Ça".encode("utf-16"), "utf-16", None, "Añdi;Ça"),  # with a BOM
        ("Añdi;Ça".encode("utf-16-le"), "utf-16-le", None, "Añdi;Ça"),
        ("Añdi;Ça".encode("cp1252"), "cp1252", "decoded_cp1252", "Añdi;Ça"),
        (b"A\x81\xf1di;\xc7a", "latin-1", "decoded_cp1252", "A\x81ñdi;Ça"),  # 0x81: not cp1252
    ],
)
def test_one_decoder_reads_what_spreadsheets_save(
    data: bytes, encoding: str, note: str | None, text: str
) -> None:
    decoded = decode_csv(data)
    assert (decoded.encoding, decoded.note, decoded.text) == (encoding, note, text)
    if note:
        assert t("id", f"import.{note}") != f"import.{note}"


async def test_cr_only_line_endings_are_rows(db: Database) -> None:
    report, people = await run_import(db, "\r".join([HEADER, BAMBANG, SITI, ANDI]) + "\r")
    assert (report.created, report.errors) == (3, [])
    assert people["199001222015042001"].supervisor_id == people["197505101998031003"].id


async def test_a_huge_field_is_one_row_error(db: Database) -> None:
    huge = f"199208082019031005;{'A' * (130 * 1024)};Guru;;;staff"
    report, people = await run_import(db, "\n".join([HEADER, BAMBANG, huge, SITI]))
    assert errors(report) == [(3, "field_too_large")]
    assert set(people) == {"197505101998031003", "199001222015042001"}


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (f"199208082019031005;{'N' * 201};Guru;Dinas;;staff", "name_too_long"),
        (f"199208082019031005;Andi;{'J' * 201};Dinas;;staff", "position_too_long"),
        (f"199208082019031005;Andi;Guru;Dinas > {'U' * 201};;staff", "unit_too_long"),
    ],
)
async def test_over_200_characters_is_a_row_error_not_a_rollback(
    db: Database, row: str, code: str
) -> None:
    report, people = await run_import(db, "\n".join([HEADER, BAMBANG, row, SITI]))
    assert errors(report) == [(3, code)]
    assert report.created == 2 and "199208082019031005" not in people
    assert t("en", f"import.{code}", max="200") != f"import.{code}"


async def test_exactly_200_characters_is_fine(db: Database) -> None:
    row = f"199208082019031005;{'N' * 200};{'J' * 200};Dinas > {'U' * 200};;staff"
    report, people = await run_import(db, "\n".join([HEADER, row]))
    assert report.errors == [] and len(people["199208082019031005"].name) == 200


async def test_an_unbalanced_quote_is_reported_and_the_next_row_still_imported(
    db: Database,
) -> None:
    broken = '199208082019031005;"Andi;Operator;Dinas > SDN 1;;staff'
    report, people = await run_import(db, "\n".join([HEADER, BAMBANG, broken, SITI]))
    assert errors(report) == [(3, "unbalanced_quote")]
    assert people["199001222015042001"].name == "Siti Rahmawati"  # not swallowed
    assert "199208082019031005" not in people


async def test_quoted_fields_with_the_delimiter_still_work(db: Database) -> None:
    row = '199208082019031005;"Andi; S.Pd.";"Guru ""Kelas"" V";Dinas;;staff'
    report, people = await run_import(db, "\n".join([HEADER, row]))
    assert report.errors == []
    andi = people["199208082019031005"]
    assert (andi.name, andi.position) == ("Andi; S.Pd.", 'Guru "Kelas" V')


async def test_full_width_nip_digits_are_normalised_first(db: Database) -> None:
    full = "１９９２０８０８２０１９０３１００５"
    mixed = "1990０1222015042001"
    rows = [HEADER, f"{full};Andi;Operator;;;staff", f"{mixed};Siti;Guru;;{full};staff"]
    report, people = await run_import(db, "\n".join(rows))
    assert report.errors == []
    assert people["199001222015042001"].supervisor_id == people["199208082019031005"].id


async def test_nul_and_control_characters_are_stripped(db: Database) -> None:
    row = "199208082019031005;An\x00di\x07;Guru\tKelas;Din\x1bas;;staff"
    report, people = await run_import(db, "\n".join([HEADER, row]))
    assert report.errors == []
    andi = people["199208082019031005"]
    assert (andi.name, andi.position) == ("Andi", "Guru\tKelas")


async def test_formula_looking_cells_are_stored_as_given(db: Database) -> None:
    rows = [
        HEADER,
        '199208082019031005;=HYPERLINK("http://x");+62 guru;-;;staff',
        "199001222015042001;@Siti;Guru;Dinas;;staff",
    ]
    report, people = await run_import(db, "\n".join(rows))
    assert report.errors == []
    assert people["199208082019031005"].name == '=HYPERLINK("http://x")'
    assert people["199208082019031005"].position == "+62 guru"
    assert people["199001222015042001"].name == "@Siti"
    async with db.session() as session:
        assert {u.name for u in (await session.execute(select(Unit))).scalars()} == {"-", "Dinas"}
