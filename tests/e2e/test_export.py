"""/ekspor through the sandbox and `kinerja-bot export`: the document's bytes are the
workbook the domain writes; an atasan exports the team, a staff member is refused."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from openpyxl import load_workbook
from sqlalchemy import update

from bot.export import HEADERS, SHEET_EXTRA, SHEET_MAIN, SHEET_SUMMARY, export_file, people
from storage.models import Employee, Unit
from tests.e2e.conftest import World, texts
from tests.e2e.seed_recap import seed_month

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


async def _document(world: World, replies: list[dict[str, Any]]) -> tuple[dict[str, Any], bytes]:
    doc = next(r for r in replies if r.get("document"))
    async with httpx.AsyncClient(base_url=world.sandbox.base_url) as http:
        response = await http.get(doc["document"]["url"])
        response.raise_for_status()
        return doc, response.content


def _values(wb: Any) -> dict[str, list[list[Any]]]:
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


async def _team(world: World) -> tuple[Employee, Employee, Employee]:
    boss = await world.add_employee("Bambang", roles="staff,supervisor")
    siti = await world.add_employee("Siti", supervisor=boss)
    andi = await world.add_employee("Andi", supervisor=boss)
    days = [(date(2026, 11, d), "approved") for d in (2, 3, 4)] + [(date(2026, 11, 5), "submitted")]
    await seed_month(world.db, siti, days)
    return boss, siti, andi


async def test_ekspor_sends_the_workbook_the_export_writes(world: World, tmp_path: Path) -> None:
    world.clock.set(NOW)
    boss, siti, andi = await _team(world)
    tg_siti, tg_andi, tg_boss = (
        await world.join(siti),
        await world.join(andi),
        await world.join(boss),
    )

    result = await world.client.send(tg_siti, "/ekspor 2026-11", wait=5.0)
    doc, data = await _document(world, result["replies"])
    assert doc["document"]["file_name"] == f"e-kinerja-{siti.nip}-2026-11.xlsx"
    assert "6 baris siap impor" in doc["text"] and "3 tugas tambahan" in doc["text"]
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [SHEET_MAIN, SHEET_EXTRA]
    sheet = _values(wb)[SHEET_MAIN]
    assert tuple(sheet[0]) == HEADERS
    assert [r[1:4] for r in sheet[1:3]] == [
        ["2026-11-02", "08:00", "11:00"],
        ["2026-11-02", "11:00", "13:00"],  # the overlapping entry moved after the first
    ]
    assert (
        sheet[1][0] == "Menyusun laporan bulanan." and sheet[1][4] == "=SUM(A1:A9) menyusun laporan"
    )
    assert wb[SHEET_MAIN]["E2"].data_type == "s"

    # the same bytes as the domain writes for the same month
    out = tmp_path / "same.xlsx"
    async with world.db.session() as session:
        await export_file(
            session,
            out,
            await people(session, [siti.id]),
            date(2026, 11, 1),
            date(2026, 11, 30),
            unit=False,
        )
    assert _values(load_workbook(out)) == _values(wb)

    # --all adds the submitted day; a staff member may not export someone else
    everything = await world.client.send(tg_siti, "/ekspor November semua", wait=5.0)
    _, data = await _document(world, everything["replies"])
    assert len(_values(load_workbook(io.BytesIO(data)))[SHEET_MAIN]) == 1 + 8
    refused = await world.client.send(tg_andi, f"/ekspor 2026-11 {siti.nip}")
    assert "tidak dapat melihat" in texts(refused["replies"])
    assert not any(r.get("document") for r in refused["replies"])
    refused = await world.client.send(tg_andi, "/ekspor 2026-11 unit 1")
    assert "hanya untuk admin" in texts(refused["replies"])

    # the atasan: one subordinate by NIP, then the team with a summary sheet
    by_nip = await world.client.send(tg_boss, f"/ekspor 2026-11 {siti.nip}", wait=5.0)
    assert any(r.get("document") for r in by_nip["replies"])
    team = await world.client.send(tg_boss, "/ekspor 2026-11 tim", wait=5.0)
    doc, data = await _document(world, team["replies"])
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == SHEET_SUMMARY and wb.sheetnames[-1] == SHEET_EXTRA
    assert len(wb.sheetnames) == 4
    summary = _values(wb)[SHEET_SUMMARY]
    assert [r[1] for r in summary[1:]] == ["Andi", "Siti"]
    assert summary[2][3:6] == [3, 6, 3]


async def test_ekspor_bad_input_gets_clear_answers(world: World) -> None:
    world.clock.set(NOW)
    siti = await world.add_employee("Siti")
    tg = await world.join(siti)
    for command, expected in [
        ("/ekspor 2027-02", "belum dimulai"),
        ("/ekspor minggu lalu", "per bulan"),
        ("/ekspor entah", "tidak saya kenali"),
        ("/ekspor Oktober", "Tidak ada entri yang sudah disetujui untuk Oktober 2026"),
        ("/ekspor 2026-11 tim", "belum punya bawahan"),
    ]:
        replies = (await world.client.send(tg, command))["replies"]
        assert expected in texts(replies), command
        assert not any(r.get("document") for r in replies)


async def test_cli_export_for_a_unit_and_a_person(world: World, tmp_path: Path) -> None:
    _boss, siti, andi = await _team(world)
    async with world.db.session() as session:
        session.add(Unit(id=4, name="SD Negeri 4"))
        await session.flush()
        await session.execute(
            update(Employee).where(Employee.id.in_([siti.id, andi.id])).values(unit_id=4)
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env["DATABASE_URL"] = world.db.url

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "export", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    unit = run("--month", "2026-11", "--unit", "4", "--out", str(tmp_path / "u.xlsx"))
    assert unit.returncode == 0, unit.stderr
    assert "2 employee(s), 6 row(s) to import, 3 on the Tugas Tambahan sheet" in unit.stdout
    wb = load_workbook(tmp_path / "u.xlsx")
    assert wb.sheetnames[0] == SHEET_SUMMARY and len(wb.sheetnames) == 4

    person = run(
        "--month", "2026-11", "--nip", siti.nip, "--all", "--csv", "--out", str(tmp_path / "s.csv")
    )
    assert person.returncode == 0, person.stderr
    lines = (tmp_path / "s.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == ",".join(HEADERS) and len(lines) == 1 + 8
    assert lines[1].split(",")[4] == "'=SUM(A1:A9) menyusun laporan"

    missing = run("--month", "2026-11", "--nip", "199999999999999999", "--out", str(tmp_path / "x"))
    assert missing.returncode == 1 and "No employee" in missing.stderr
    bad = run("--month", "November", "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "YYYY-MM" in bad.stderr
