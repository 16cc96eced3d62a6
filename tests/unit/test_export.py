"""Export for e-Kinerja: the workbook read back with openpyxl, cell by cell."""

from __future__ import annotations

import csv
import itertools
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from bot.export import (
    HEADERS,
    SHEET_EXTRA,
    SHEET_MAIN,
    SHEET_SUMMARY,
    SUMMARY_HEADERS,
    DayItem,
    arrange_day,
    export_file,
    month_bounds,
    one_line,
    people,
    realisasi,
    sheet_title,
)
from bot.skp import import_skp_csv, parse_item_lines
from storage.db import Database
from storage.models import Activity, Employee, SkpItem, Submission, Unit

NOV = (date(2026, 11, 1), date(2026, 11, 30))


async def _person(session: Any, nip: str, name: str, unit_id: int | None = None) -> Employee:
    emp = Employee(nip=nip, name=name, roles="staff", language="id", unit_id=unit_id)
    session.add(emp)
    await session.flush()
    return emp


def _act(
    emp: Employee,
    sub: Submission,
    day: date,
    start: time | None,
    end: time | None,
    minutes: int,
    text: str,
    item: SkpItem | None,
    **kw: Any,
) -> Activity:
    return Activity(
        employee_id=emp.id,
        work_date=day,
        start_time=start,
        end_time=end,
        minutes=minutes,
        description=text,
        skp_item_id=item.id if item else None,
        submission_id=sub.id,
        **kw,
    )


async def seed(db: Database) -> Employee:
    async with db.session() as s:
        emp = await _person(s, "199001222015042001", "Siti")
        item = SkpItem(
            employee_id=emp.id,
            year=2026,
            title="Menyusun laporan",
            rencana_aksi="Menyusun laporan bulanan kegiatan.",
            unit="laporan",
        )
        formula_item = SkpItem(employee_id=emp.id, year=2026, title="=HYPERLINK(1)")
        s.add_all([item, formula_item])
        await s.flush()
        ok = Submission(employee_id=emp.id, work_date=date(2026, 11, 3), status="approved")
        ok2 = Submission(employee_id=emp.id, work_date=date(2026, 11, 2), status="approved")
        pend = Submission(employee_id=emp.id, work_date=date(2026, 11, 4), status="submitted")
        rej = Submission(employee_id=emp.id, work_date=date(2026, 11, 5), status="rejected")
        s.add_all([ok, ok2, pend, rej])
        await s.flush()
        d3, d2 = date(2026, 11, 3), date(2026, 11, 2)
        s.add_all(
            [
                # inserted out of order, overlapping, with multi-line text
                _act(emp, ok, d3, time(10, 0), time(11, 0), 60, "Rapat\n\nevaluasi   tim", item),
                _act(
                    emp,
                    ok,
                    d3,
                    time(8, 0),
                    time(10, 30),
                    150,
                    "Menyusun  laporan",
                    item,
                    quantity=2.6,
                    evidence={"items": [{"kind": "link", "url": "https://x.id/a"}]},
                ),
                _act(
                    emp, ok, d3, None, None, 30, "+62 telepon pimpinan", formula_item, quantity=0.2
                ),
                _act(emp, ok, d3, time(13, 0), time(14, 0), 60, "Piket (tugas tambahan)", None),
                _act(
                    emp,
                    ok2,
                    d2,
                    time(7, 30),
                    time(9, 0),
                    90,
                    "=1+1 -x @y " + "a" * 600,
                    item,
                    unit="dokumen",
                ),
                _act(
                    emp,
                    pend,
                    date(2026, 11, 4),
                    time(8, 0),
                    time(9, 0),
                    60,
                    "Belum disetujui",
                    item,
                ),
                _act(emp, rej, date(2026, 11, 5), time(8, 0), time(9, 0), 60, "Ditolak", item),
            ]
        )
        return emp


async def run_export(db: Database, tmp_path: Path, ids: list[int] | None, **kw: Any) -> Path:
    out = tmp_path / ("out.csv" if kw.get("as_csv") else "out.xlsx")
    async with db.session() as s:
        persons = await people(s, ids)
        await export_file(s, out, persons, *NOV, unit=kw.pop("unit", False), **kw)
    return out


def _rows(ws: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


async def test_person_workbook_reads_back_as_e_kinerja_wants(db: Database, tmp_path: Path) -> None:
    emp = await seed(db)
    wb = load_workbook(await run_export(db, tmp_path, [emp.id]))
    assert wb.sheetnames == [SHEET_MAIN, SHEET_EXTRA]
    main = wb[SHEET_MAIN]
    rows = _rows(main)
    assert tuple(rows[0]) == HEADERS
    body = rows[1:]
    assert len(body) == 4  # approved only: 2 Nov (1) + 3 Nov (3 with an SKP item)
    # order by date, then start; Jam Mulai < Jam Selesai; no overlap within a day
    keys = [(r[1], r[2]) for r in body]
    assert keys == sorted(keys)
    for prev, cur in itertools.pairwise(body):
        if prev[1] == cur[1]:
            assert _minutes(prev[3]) <= _minutes(cur[2])
    for r in body:
        assert _minutes(r[2]) < _minutes(r[3])
    # cell types: every text cell a string, Realisasi an int; no formula anywhere
    for row in main.iter_rows(min_row=2):
        for col, cell in enumerate(row):
            if col == 5:
                assert cell.data_type == "n" and isinstance(cell.value, int)
            else:
                assert cell.value is None or cell.data_type == "s", (col, cell.value)
                assert cell.value is None or isinstance(cell.value, str)
    first = body[0]
    assert first[1] == "2026-11-02" and first[2] == "07:30" and first[3] == "09:00"
    assert first[4].startswith("=1+1 -x @y a") and len(first[4]) == 500
    assert first[5] == 1 and first[6] == "dokumen"
    assert first[0] == "Menyusun laporan bulanan kegiatan."  # verbatim Rencana Aksi
    by_text = {r[4]: r for r in body}
    laporan = by_text["Menyusun laporan"]
    assert (laporan[2], laporan[3], laporan[5], laporan[6], laporan[7]) == (
        "08:00",
        "10:30",
        3,
        "laporan",
        "https://x.id/a",
    )
    rapat = by_text["Rapat evaluasi tim"]  # one line; moved after the overlap, length kept
    assert (rapat[2], rapat[3]) == ("10:30", "11:30")
    telepon = by_text["+62 telepon pimpinan"]
    assert telepon[0] == "=HYPERLINK(1)" and telepon[5] == 1
    assert all("\n" not in str(v) for r in body for v in r)
    extra = _rows(wb[SHEET_EXTRA])
    assert extra[0][:7] == list(HEADERS[1:])
    assert [r[3] for r in extra[1:]] == ["Piket (tugas tambahan)"]


async def test_formula_text_is_stored_as_text_in_the_file(db: Database, tmp_path: Path) -> None:
    emp = await seed(db)
    path = await run_export(db, tmp_path, [emp.id])
    wb = load_workbook(path)  # the formula reader would return '=…' for <f> cells too
    values = [c.value for row in wb[SHEET_MAIN].iter_rows() for c in row]
    assert "=HYPERLINK(1)" in values
    import zipfile

    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and all(b"<f>" not in z.read(n) for n in sheets)


async def test_all_adds_submitted_but_not_rejected(db: Database, tmp_path: Path) -> None:
    emp = await seed(db)
    wb = load_workbook(await run_export(db, tmp_path, [emp.id], include_all=True))
    texts = [r[4] for r in _rows(wb[SHEET_MAIN])[1:]]
    assert "Belum disetujui" in texts and "Ditolak" not in texts


async def test_empty_month_gives_headers_only(db: Database, tmp_path: Path) -> None:
    async with db.session() as s:
        emp = await _person(s, "199001222015042001", "Siti")
    wb = load_workbook(await run_export(db, tmp_path, [emp.id]))
    assert _rows(wb[SHEET_MAIN]) == [list(HEADERS)]


async def test_unit_export_has_summary_and_a_sheet_per_person(db: Database, tmp_path: Path) -> None:
    emp = await seed(db)
    async with db.session() as s:
        s.add(Unit(id=7, name="Sekolah"))
        await s.flush()
        other = await _person(s, "199208082019031005", "Andi [TU]/Kepala", unit_id=7)
    wb = load_workbook(await run_export(db, tmp_path, [emp.id, other.id], unit=True))
    assert wb.sheetnames[0] == SHEET_SUMMARY
    assert wb.sheetnames[-1] == SHEET_EXTRA
    persons = wb.sheetnames[1:-1]
    assert len(persons) == 2 and all(len(n) <= 31 for n in persons)
    summary = _rows(wb[SHEET_SUMMARY])
    assert tuple(summary[0]) == SUMMARY_HEADERS
    assert [r[1] for r in summary[1:]] == ["Andi [TU]/Kepala", "Siti"]  # by name
    siti = summary[2]
    assert siti[3:6] == [2, 4, 1]
    assert _rows(wb[persons[0]]) == [list(HEADERS)]  # Andi: nothing approved
    assert len(_rows(wb[persons[1]])) == 5
    extra = _rows(wb[SHEET_EXTRA])
    assert extra[0][:2] == ["NIP", "Nama"] and extra[1][1] == "Siti"


async def test_csv_keeps_formulas_as_text(db: Database, tmp_path: Path) -> None:
    emp = await seed(db)
    path = await run_export(db, tmp_path, [emp.id], as_csv=True)
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert tuple(rows[0]) == HEADERS
    assert rows[1][4].startswith("'=1+1")
    assert any(r[0] == "'=HYPERLINK(1)" and r[4] == "'+62 telepon pimpinan" for r in rows)


# --- pure rules ---------------------------------------------------------------------------


def test_one_line_and_realisasi() -> None:
    assert one_line(" a\n\tb   c\r\n") == "a b c"
    assert len(one_line("x" * 900)) == 500
    assert [realisasi(q) for q in (None, 0, 0.4, 1, 2.5, 2.49, 7.0)] == [1, 1, 1, 1, 3, 2, 7]


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = set()
    a = sheet_title("199001222015042001", "Siti: [Guru]/Kelas*?", taken)
    b = sheet_title("199001222015042001", "Siti: [Guru]/Kelas*?", taken)
    assert a != b and len(a) <= 31 and len(b) <= 31
    assert not any(ch in a + b for ch in "[]:*?/\\")


def test_month_bounds() -> None:
    assert month_bounds("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert month_bounds("2026-13") is None and month_bounds("bulan") is None


_times = st.one_of(st.none(), st.times().map(lambda t: t.replace(second=0, microsecond=0)))


@given(st.lists(st.tuples(st.integers(0, 600), _times, _times), max_size=12))
def test_arranged_day_never_overlaps(specs: list[tuple[int, time | None, time | None]]) -> None:
    items = [DayItem(m, s, e) for m, s, e in specs]
    placed = arrange_day(date(2026, 11, 6), items)
    assert sorted(id(p.item) for p in placed) == sorted(id(i) for i in items)
    spans = [(p.start, p.end) for p in placed if p.start is not None and p.end is not None]
    assert spans == sorted(spans)
    for s, e in spans:
        assert s < e
    for (_, e1), (s2, _) in itertools.pairwise(spans):
        assert e1 <= s2


# --- Rencana Aksi from the /skp paste and the CSV ----------------------------------------


def test_pasted_dropdown_list_keeps_rencana_aksi_verbatim() -> None:
    items, _ = parse_item_lines(
        "1. Melaksanakan pembelajaran  Matematika kelas V.\n"
        "• Menyusun RPP (Rencana Pelaksanaan Pembelajaran)\n"
        "2) Mengikuti rapat | 12 kali\n"
    )
    assert [i.rencana_aksi for i in items] == [
        "Melaksanakan pembelajaran Matematika kelas V.",
        "Menyusun RPP (Rencana Pelaksanaan Pembelajaran)",
        "Mengikuti rapat",
    ]


@pytest.mark.parametrize(
    ("header", "row", "title", "aksi"),
    [
        (
            "nip;title;rencana_aksi",
            "{nip};Laporan;Menyusun laporan.",
            "Laporan",
            "Menyusun laporan.",
        ),
        ("nip;Rencana Aksi", "{nip};Menyusun laporan.", "Menyusun laporan.", "Menyusun laporan."),
        ("nip;judul", "{nip};Laporan", "Laporan", None),
    ],
)
async def test_csv_import_reads_the_rencana_aksi_column(
    db: Database, header: str, row: str, title: str, aksi: str | None
) -> None:
    nip = "199001222015042001"
    async with db.session() as s:
        await _person(s, nip, "Siti")
        report = await import_skp_csv(s, f"{header}\n{row.format(nip=nip)}\n", 2026)
        assert report.created == 1 and not report.errors
        from sqlalchemy import select

        item = (await s.execute(select(SkpItem))).scalar_one()
        assert (item.title, item.rencana_aksi) == (title, aksi)


async def test_a_row_stored_past_midnight_is_exported_split(db: Database, tmp_path: Path) -> None:
    """Issue 8 defect 6: rows stored before the midnight split ("23:00-01:00", 120 min) come
    out as 23:00-23:59 on their day and 00:00-01:00 on the next; a row split by the chat
    (23:00-23:59, 60 min) counts 60 minutes."""
    async with db.session() as s:
        emp = await _person(s, "199001222015042001", "Siti")
        item = SkpItem(employee_id=emp.id, year=2026, title="Ronda malam")
        s.add(item)
        await s.flush()
        d1, d2 = date(2026, 11, 9), date(2026, 11, 10)
        subs = [Submission(employee_id=emp.id, work_date=d, status="approved") for d in (d1, d2)]
        s.add_all(subs)
        await s.flush()
        s.add_all(
            [
                _act(emp, subs[0], d1, time(23), time(1), 120, "Ronda malam lama", item),
                _act(emp, subs[1], d2, time(23), time(23, 59), 60, "Ronda malam baru", item),
                # the last day of the period: the part after midnight is outside it
                _act(emp, subs[1], d2, time(22), time(22, 30), 30, "Laporan ronda", item),
            ]
        )
    path = await run_export(db, tmp_path, [emp.id], unit=True)
    wb = load_workbook(path)
    body = _rows(wb[wb.sheetnames[1]])[1:]
    spans = [(r[1], r[2], r[3], r[4]) for r in body]
    assert spans == [
        ("2026-11-09", "23:00", "23:59", "Ronda malam lama"),
        ("2026-11-10", "00:00", "01:00", "Ronda malam lama"),
        ("2026-11-10", "22:00", "22:30", "Laporan ronda"),
        ("2026-11-10", "23:00", "23:59", "Ronda malam baru"),
    ]
    for r in body:
        assert _minutes(r[2]) < _minutes(r[3])
    summary = _rows(wb[SHEET_SUMMARY])
    assert 3.5 in summary[1], summary  # hours: 60 + 60 + 30 + 60 minutes
