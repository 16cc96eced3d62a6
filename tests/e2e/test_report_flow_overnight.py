"""Issue 8 defect 6: a range past midnight is split there, end to end through the sandbox.

e-Kinerja's Progres Harian needs Jam Mulai before Jam Selesai on one Tanggal, so
"23.00-01.00" is stored as 23:00-23:59 (counted 60 minutes) on its day plus 00:00-01:00
on the next day, or only the first part while the next day has not come.
"""

from __future__ import annotations

from datetime import date, time

from storage.models import Activity
from tests.e2e.conftest import World, texts
from tests.e2e.test_report_flow_typed import _activities, _report, _staff, _to_summary

SPLIT = "Melewati tengah malam"


def _rows(acts: list[Activity]) -> list[tuple[date, time | None, time | None, int]]:
    return [(a.work_date, a.start_time, a.end_time, a.minutes) for a in acts]


async def test_an_overnight_range_is_stored_split_at_midnight(world: World) -> None:
    tg, _ = await _staff(world)
    q = (await world.client.send(tg, "kemarin 23.00-01.00 ronda malam di pos RT 05"))["replies"][0]
    assert "2 kegiatan" in q["text"] and SPLIT in q["text"], q["text"]
    summary = await _to_summary(world, tg, q)
    assert "23.00–23.59" in summary["text"] and "00.00–01.00" in summary["text"]
    sent = await world.client.press(tg, summary["message_id"], button="✅ Kirim")
    assert "Laporan terkirim" in texts(sent["replies"])
    stored = _rows(await _activities(world))
    assert stored == [
        (date(2026, 11, 24), time(23, 0), time(23, 59), 60),
        (date(2026, 11, 25), time(0, 0), time(1, 0), 60),
    ]
    assert all(end > start for _, start, end, _ in stored if start and end)


async def test_tonight_keeps_only_the_part_before_midnight_and_says_so(world: World) -> None:
    tg, siti = await _staff(world)
    q = (await world.client.send(tg, "23.00-01.00 ronda malam di pos RT 05"))["replies"][0]
    assert "1 kegiatan" in q["text"] and "hanya bagian sampai 24.00" in q["text"], q["text"]
    acts = (await _report(world, siti))["activities"]
    assert [(a["date"], a["start"], a["end"], a["minutes"]) for a in acts] == [
        ("2026-11-25", "23:00", "23:59", 60)
    ]


async def test_a_typed_overnight_time_splits_the_activity(world: World) -> None:
    """✏️ Ubah → Jam answered with "22.00-02.00" for yesterday's activity."""
    tg, siti = await _staff(world)
    q = (await world.client.send(tg, "kemarin jaga posko banjir kecamatan 2 jam"))["replies"][0]
    summary = await _to_summary(world, tg, q)
    mid = summary["message_id"]
    await world.client.press(tg, mid, button="✏️ Ubah")
    asked = (await world.client.press(tg, mid, button="Jam"))["replies"][0]
    assert "Ketik jam kegiatan" in asked["text"]
    changed = (await world.client.send(tg, "22.00-02.00"))["replies"][-1]
    assert SPLIT in changed["text"], changed["text"]
    acts = (await _report(world, siti))["activities"]
    assert [(a["date"], a["start"], a["end"], a["minutes"]) for a in acts] == [
        ("2026-11-24", "22:00", "23:59", 120),
        ("2026-11-25", "00:00", "02:00", 120),
    ]


async def test_no_activity_is_stored_without_a_free_minute_left(world: World) -> None:
    """No stored activity ends at or before its start: when the day's sent entries leave no
    free minute, a duration-only activity (laid out 23:59-23:59) is not sent."""
    tg, _ = await _staff(world)
    for text in ("00.00-12.00 jaga posko banjir kecamatan", "12.00-23.59 jaga posko banjir desa"):
        q = (await world.client.send(tg, text))["replies"][-1]
        summary = await _to_summary(world, tg, q)
        sent = await world.client.press(tg, summary["message_id"], button="✅ Kirim")
        assert "Laporan terkirim" in texts(sent["replies"])
    q = (await world.client.send(tg, "menelepon kepala desa 1 menit"))["replies"][-1]
    summary = await _to_summary(world, tg, q)
    refused = await world.client.press(tg, summary["message_id"], button="✅ Kirim")
    assert "Tidak ada jam kosong lagi" in refused["answer"]["text"]
    stored = _rows(await _activities(world))
    assert len(stored) == 2
    assert all(end > start for _, start, end, _ in stored if start and end)
