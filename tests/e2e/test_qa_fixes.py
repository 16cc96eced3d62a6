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


async def _staff(world: World, n: int) -> None:
    for k in range(n):
        emp = await world.add_employee(f"Staf {k}")
        await world.join(emp)


async def test_a_scheduled_broadcast_stopped_before_its_time(world: World) -> None:
    """QA defects 1-5: stop before the time says it was cancelled (not '0 dari 0'); the
    'belum lapor' audience is counted for the send day and the preview says so; times are
    written 07.30; the label has no button emoji; the superseded 'Kirim sekarang' goes."""
    world.clock.set(NOW)  # Friday
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg = await world.join(admin)
    await _staff(world, 5)
    await world.client.send(tg, "/broadcast")
    asked = (await world.client.send(tg, "Rapat besok"))["replies"][-1]
    when_q = await world.client.press(tg, asked["message_id"], button="⏳ Belum lapor hari ini")
    question = when_q["replies"][-1] if when_q["replies"] else asked
    confirm = (await world.client.send(tg, "senin 07.30"))["replies"][-1]
    chat = {m["message_id"]: m for m in await world.client.chat(tg)}
    assert not buttons(chat[asked["message_id"]]), "the superseded Kirim sekarang stays live"
    assert "07.30" in confirm["text"] and "07:30" not in confirm["text"]
    assert "(yang belum lapor)" in confirm["text"] and "⏳" not in confirm["text"]
    assert "dihitung saat pengiriman" in confirm["text"]
    assert "6 penerima" in confirm["text"]  # everyone linked: nobody reported for Monday yet
    status = (await world.client.press(tg, confirm["message_id"], button="✅ Kirim"))["replies"]
    assert question is not None
    msg = {m["message_id"]: m for m in await world.client.chat(tg)}[confirm["message_id"]]
    assert "dijadwalkan" in msg["text"] and "07.30" in msg["text"], texts(status)
    await world.client.press(tg, confirm["message_id"], button=buttons(msg)[0])
    msg = {m["message_id"]: m for m in await world.client.chat(tg)}[confirm["message_id"]]
    assert "Dibatalkan sebelum waktunya" in msg["text"]
    assert "dari 0" not in msg["text"] and not buttons(msg)


async def test_send_now_keeps_the_question_and_drops_its_button(world: World) -> None:
    """QA defect 5: after Kirim sekarang the message was a bare '🚀 Kirim sekarang'."""
    world.clock.set(NOW)
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg = await world.join(admin)
    await _staff(world, 2)
    await world.client.send(tg, "/broadcast")
    asked = (await world.client.send(tg, "Rapat besok"))["replies"][-1]
    await world.client.press(tg, asked["message_id"], button="👥 Semua pegawai")
    await world.client.press(tg, asked["message_id"], button="🚀 Kirim sekarang")
    msg = {m["message_id"]: m for m in await world.client.chat(tg)}[asked["message_id"]]
    assert "penerima" in msg["text"] and "sekarang juga" in msg["text"]
    assert not buttons(msg)
    confirm = (await world.client.chat(tg))[-1]
    assert "(semua pegawai)" in confirm["text"] and "👥" not in confirm["text"]


async def test_dinas_reads_english_dates_and_batal_closes_the_question(world: World) -> None:
    """QA defects 7, 9, 10: 'tomorrow' was 'could not read the dates'; 'batal' to the /cuti
    question was 'Tanggalnya tidak terbaca'; the list said nothing was recorded while a
    past dinas existed."""
    world.clock.set(NOW)  # Friday 27 Nov 2026
    andi = await world.add_employee("Andi Wijaya", language="en")
    tg_en = await world.join(andi, language_code="en")
    asked = texts((await world.client.send(tg_en, "/dinas"))["replies"])
    assert "tomorrow" in asked and "besok" not in asked
    out = texts((await world.client.send(tg_en, "next monday"))["replies"])
    assert "30 November 2026" in out, out
    siti = await world.add_employee("Siti")
    tg = await world.join(siti)
    await world.client.send(tg, "/dinas 25 Nov")  # a past one (within 60 days)
    await world.client.send(tg, "/cuti")
    out = texts((await world.client.send(tg, "batal"))["replies"])
    assert "ditutup" in out and "tidak terbaca" not in out.lower()
    out = texts((await world.client.send(tg, "/cuti"))["replies"])
    assert "akan datang" in out


async def test_local_days_off_one_date_notice_and_staff_may_view(world: World) -> None:
    """QA defects 8, 11: a one-day local holiday read 'Kamis, 24 Desember 2026 – Kamis, 24
    Desember 2026' with no word that it is already cuti bersama; staff got 'tidak berhak'."""
    world.clock.set(NOW)
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg = await world.join(admin)
    await world.client.send(tg, "/libur")
    out = texts((await world.client.send(tg, "24 Des Rapat kerja"))["replies"])
    assert "Kamis, 24 Desember 2026, Rapat kerja" in out, out
    assert "– Kamis" not in out
    assert "sudah hari libur: Cuti Bersama Hari Raya Natal" in out
    siti = await world.add_employee("Siti")
    tg_siti = await world.join(siti)
    seen = (await world.client.send(tg_siti, "/libur"))["replies"]
    out = texts(seen)
    assert "Rapat kerja" in out and "Hanya admin" in out and "tidak berhak" not in out.lower()
    assert not any(buttons(m) for m in seen)
    out = texts((await world.client.send(tg_siti, "/libur 31 Des Libur"))["replies"])
    assert "Hanya admin" in out


async def test_settings_mark_the_current_choice_and_say_whose_buttons(world: World) -> None:
    """QA defects 3, 12: /pengaturan wrote 15:30 in Indonesian, the 🌐 and 🏢 rows had no
    labels and the current choice was not marked."""
    from sqlalchemy import update

    from storage.models import Employee, Unit

    async with world.db.session() as session:
        unit = Unit(name="SDN 1")
        session.add(unit)
        await session.flush()
        unit_id = unit.id
    admin = await world.add_employee("Rina", roles="staff,admin")
    async with world.db.session() as session:
        await session.execute(
            update(Employee).where(Employee.id == admin.id).values(unit_id=unit_id)
        )
    tg = await world.join(admin)
    msg = (await world.client.send(tg, "/pengaturan"))["replies"][0]
    assert "pukul 15.30" in msg["text"] and "15:30" not in msg["text"]
    assert "Tombol ⏰ dan 🌐" in msg["text"] and "Tombol 🏢" in msg["text"]
    labels = buttons(msg)
    assert "✓ ⏰ 15.30" in labels and "⏰ 16.00" in labels
    assert "✓ 🏢 WIB" in labels and "🌐 WIB" in labels  # own zone: none chosen, follows unit
    await world.client.press(tg, msg["message_id"], "🌐 WITA")
    screen = {m["message_id"]: m for m in await world.client.chat(tg)}[msg["message_id"]]
    assert "✓ 🌐 WITA" in buttons(screen)


async def test_deadline_title_first_and_a_confirm_step(world: World) -> None:
    """QA defect 6: the title typed first was 'Tidak terbaca … Tidak ada yang dicatat' and
    closed the question; a deadline was saved with no preview."""
    from sqlalchemy import func, select

    from storage.models import Deadline

    world.clock.set(NOW)
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg = await world.join(admin)
    await _staff(world, 2)
    await world.client.send(tg, "/deadline")
    out = texts((await world.client.send(tg, "Unggah SKP tahunan"))["replies"])
    assert "Tidak terbaca" in out  # no date: asked again, the question stays open
    proposal = (await world.client.send(tg, "Unggah SKP tahunan; 31 Des"))["replies"][-1]
    assert "Unggah SKP tahunan" in proposal["text"] and "31 Desember 2026" in proposal["text"]
    assert "3 penerima (semua pegawai)" in proposal["text"]
    async with world.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Deadline)) == 0
    await world.client.press(tg, proposal["message_id"], "✅ Simpan")
    saved = {m["message_id"]: m for m in await world.client.chat(tg)}[proposal["message_id"]]
    assert "Tenggat dicatat" in saved["text"] and not buttons(saved)
    async with world.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Deadline)) == 1
    dropped = (await world.client.send(tg, "/deadline Rapat pimpinan 4 Des; semua"))["replies"]
    assert "Rapat pimpinan" in dropped[-1]["text"] and "4 Desember" in dropped[-1]["text"]
    await world.client.press(tg, dropped[-1]["message_id"], "❌ Batal")
    async with world.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Deadline)) == 1
