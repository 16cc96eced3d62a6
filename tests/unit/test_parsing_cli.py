"""``run_cli``: the parse command's JSON-lines contract (DESIGN §6)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from bot.parsing.cli import run_cli


class FlushCounter(io.StringIO):
    flushes = 0

    def flush(self) -> None:
        self.flushes += 1
        super().flush()


def run(
    lines: list[str], now: str | None = "2025-11-19T16:00:00+07:00", skp: str | None = None
) -> tuple[int, list[dict[str, object]], int]:
    out = FlushCounter()
    code = run_cli(io.StringIO("\n".join(lines) + "\n"), out, now, "Asia/Jakarta", skp)
    return code, [json.loads(x) for x in out.getvalue().splitlines()], out.flushes


def test_contract_shape_and_bad_line_in_the_middle(tmp_path: Path) -> None:
    skp_file = tmp_path / "skp.json"
    skp_file.write_text(
        json.dumps(
            [
                {"id": 7, "title": "Memproses usulan kenaikan gaji berkala"},
                {"id": 3, "title": "Memverifikasi usulan kenaikan pangkat"},
            ]
        ),
        encoding="utf-8",
    )
    lines = [
        json.dumps({"text": "kemarin verifikasi 8 berkas KP 08.00-09.30, lalu proses KGB 1 jam"}),
        "this is not json",
        "",
        json.dumps({"no_text": 1}),
        json.dumps({"text": "rapat", "now": "not a date"}),
        json.dumps({"text": "rapat evaluasi 1 jam", "now": "2025-12-01T08:00:00+07:00"}),
    ]
    code, outputs, flushes = run(lines, skp=str(skp_file))
    assert code == 0
    assert len(outputs) == 5  # the blank line is skipped
    assert flushes >= 5
    first = outputs[0]
    assert first["warnings"] == []
    assert first["activities"] == [
        {
            "date": "2025-11-18",
            "minutes": 90,
            "start": "08:00",
            "end": "09:30",
            "description": "Verifikasi 8 berkas KP",
            "quantity": 8,
            "unit": "berkas",
            "skp_suggestions": [3, 7],
        },
        {
            "date": "2025-11-18",  # "kemarin" opens the line: it dates both
            "minutes": 60,
            "start": None,
            "end": None,
            "description": "Proses KGB",
            "quantity": None,
            "unit": None,
            "skp_suggestions": [7, 3],
        },
    ]
    assert set(outputs[1]) == {"error"}
    assert set(outputs[2]) == {"error"}
    assert set(outputs[3]) == {"error"}
    assert outputs[4]["activities"][0]["date"] == "2025-12-01"  # per-line now wins


def test_without_skp_suggestions_are_empty() -> None:
    code, outputs, _ = run([json.dumps({"text": "rapat evaluasi 1 jam"})])
    assert code == 0
    assert outputs[0]["activities"][0]["skp_suggestions"] == []


def test_default_now_is_the_current_time() -> None:
    code, outputs, _ = run([json.dumps({"text": "rapat evaluasi 1 jam"})], now=None)
    assert code == 0 and len(outputs[0]["activities"]) == 1


def test_warnings_are_reported() -> None:
    _, outputs, _ = run([json.dumps({"text": "Rapat"})])
    assert outputs[0]["warnings"] == ["generic_description", "no_duration"]


def test_bad_arguments_fail_with_an_error_line(tmp_path: Path) -> None:
    out = io.StringIO()
    assert run_cli(io.StringIO(""), out, "nope", "Asia/Jakarta", None) == 2
    assert "error" in json.loads(out.getvalue())
    out = io.StringIO()
    assert run_cli(io.StringIO(""), out, None, "Mars/Olympus", None) == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    out = io.StringIO()
    assert run_cli(io.StringIO(""), out, None, "Asia/Jakarta", str(bad)) == 2


def test_string_skp_ids_are_returned_as_given_through_the_command(tmp_path: Path) -> None:
    """Issue 7 defect 18: e-Kinerja and spreadsheets use codes like "RHK-1.2"."""
    skp_file = tmp_path / "skp.json"
    skp_file.write_text(
        json.dumps(
            [
                {"id": "RHK-1.2", "title": "Memproses usulan kenaikan gaji berkala"},
                {"id": 3, "title": "Memverifikasi usulan kenaikan pangkat"},
                {"id": "12", "title": "Menyusun laporan pertanggungjawaban keuangan"},
            ]
        ),
        encoding="utf-8",
    )
    lines = [
        json.dumps({"text": "proses KGB 1 jam"}),
        json.dumps({"text": "verifikasi berkas KP 1 jam"}),
        json.dumps({"text": "membuat LPJ 1 jam"}),
    ]
    command = [sys.executable, "-m", "bot", "parse", "--now", "2025-11-19T16:00:00+07:00"]
    done = subprocess.run(
        [*command, "--skp", str(skp_file)],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    outputs = [json.loads(x) for x in done.stdout.splitlines()]
    suggestions = [o["activities"][0]["skp_suggestions"] for o in outputs]
    assert [s[0] for s in suggestions] == ["RHK-1.2", 3, "12"]
    assert all(sorted(map(str, s)) == ["12", "3", "RHK-1.2"] for s in suggestions)


def test_bad_skp_ids_are_refused(tmp_path: Path) -> None:
    for bad_id in (None, True, 1.5, "", [1]):
        skp_file = tmp_path / "skp.json"
        skp_file.write_text(json.dumps([{"id": bad_id, "title": "Rapat"}]), encoding="utf-8")
        out = io.StringIO()
        assert run_cli(io.StringIO(""), out, None, "Asia/Jakarta", str(skp_file)) == 2
        assert "SKP id" in json.loads(out.getvalue())["error"]
