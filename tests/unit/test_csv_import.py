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


async def _unit_tree(db: Database) -> None:
    async with db.session() as session:
        dinas = Unit(name="Dinas Pendidikan Kabupaten Contoh")
        session.add(dinas)
        await session.flush()
        session.add(Unit(name="SD Negeri 1 Sukamaju", parent_id=dinas.id))
        session.add(Unit(name="SD Negeri 10 Sukamaju", parent_id=dinas.id))


@pytest.mark.parametrize(
    "unit",
    ["SDN 1", "sd negeri 1 sukamaju", "Dinas Pendidikan > SDN 1", "dinas pendidikan > sdn 1"],
)
async def test_a_unit_given_by_short_name_is_the_existing_unit(db: Database, unit: str) -> None:
    """QA admin: 'SDN 1' (the /admin example's short name) made a new top-level unit
    beside 'SD Negeri 1 Sukamaju'; it never takes 'SD Negeri 10'."""
    await _unit_tree(db)
    report, people = await run_import(db, f"{HEADER}\n199602142022032001;Lina;Guru;{unit};;staff")
    assert errors(report) == []
    async with db.session() as session:
        units = {u.id: u.name for u in (await session.execute(select(Unit))).scalars()}
    assert len(units) == 3
    assert units[people["199602142022032001"].unit_id] == "SD Negeri 1 Sukamaju"


async def test_a_short_name_shared_by_two_units_is_ambiguous(db: Database) -> None:
    await _unit_tree(db)
    report, _ = await run_import(db, f"{HEADER}\n199602142022032001;Lina;Guru;SDN;;staff")
    assert errors(report) == [(2, "ambiguous_unit")]


async def test_a_nip_excel_rounded_to_a_scientific_number_is_named_as_such(db: Database) -> None:
    """QA admin: '1,99602E+17' was 'must be 18 digits' and an atasan NIP so rounded was
    'not found', with nothing saying Excel lost the digits."""
    report, people = await run_import(
        db,
        f"{HEADER}\n{BAMBANG}\n1,99602E+17;Maya;Guru;Dinas;;staff\n"
        "199602142022032003;Rudi;Guru;Dinas;1.97505E+17;staff\n",
    )
    assert errors(report) == [(3, "nip_excel"), (4, "supervisor_nip_excel")]
    assert "dibulatkan Excel" in t("id", "import.nip_excel", nip="1,99602E+17")
    assert set(people) == {"197505101998031003"}


async def test_a_file_without_a_heading_row_is_read_in_the_add_order(db: Database) -> None:
    """QA admin: a CSV whose first line is already an employee answered 'Baris 1: Kolom
    wajib tidak ada: nip, name.' and imported nothing."""
    report, people = await run_import(db, f"{BAMBANG}\n{SITI}\n1234;Salah;Guru;Dinas;;staff\n")
    assert errors(report) == [(3, "nip_length")]
    assert people["199001222015042001"].position == "Guru"
    assert people["199001222015042001"].supervisor_id == people["197505101998031003"].id
    assert report.created == 2


async def test_a_heading_row_without_nip_is_still_reported(db: Database) -> None:
    report, _ = await run_import(db, "nomor;nama\n1;Siti\n")
    assert errors(report) == [(1, "missing_columns")]
