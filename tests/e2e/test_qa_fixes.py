"""QA pass through the web chat (qafix): one test per defect fixed, through the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.e2e.conftest import World, buttons, texts

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # Friday 10:00 WIB
DAY = "07.30-09.00 mengajar IPA kelas V materi ekosistem\nmenyusun modul ajar pecahan 2 jam"


async def test_sent_to_an_atasan_with_a_degree_has_no_double_full_stop(world: World) -> None:
    """QA defect 13: 'Permintaan persetujuan dikirim ke Bambang, S.E..'"""
    world.clock.set(NOW)
    boss = await world.add_employee("Bambang Sutrisno, S.E.", roles="staff,supervisor")
    siti = await world.add_employee("Siti Rahmawati", supervisor=boss)
    await world.join(boss)
    tg = await world.join(siti)
    summary = (await world.client.send(tg, DAY))["replies"][-1]
    sent = await world.client.press(tg, summary["message_id"], button=buttons(summary)[0])
    out = texts(sent["replies"])
    assert "Bambang Sutrisno, S.E." in out
    assert "S.E.." not in out


async def test_english_lapor_prompt_writes_clock_times_with_a_colon(world: World) -> None:
    """QA defect 14: the English /lapor example read '13.00-15.30'."""
    andi = await world.add_employee("Andi Wijaya", language="en")
    tg = await world.join(andi, language_code="en")
    out = texts((await world.client.send(tg, "/lapor"))["replies"])
    assert "13:00-15:30" in out and "13.00" not in out
