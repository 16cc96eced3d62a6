"""Issue acceptance, in one go: the first day of an ASN with the bot, as she would live it."""

from __future__ import annotations

import asyncio

from tests.e2e.conftest import World, buttons, texts

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


async def test_first_day_invite_skp_report_evidence_submit_hariini(world: World) -> None:
    boss = await world.add_employee("Drs. Bambang Sutrisno", roles="staff,supervisor")
    siti = await world.add_employee("Siti Rahmawati", position="Guru Kelas V", supervisor=boss)
    tg_boss = await world.join(boss)

    # 1. Register by invite (deep link /start <code>).
    tg = await world.new_user()
    welcome = await world.client.send(tg, f"/start {await world.invite(siti)}")
    assert "Halo, <b>Siti Rahmawati</b>" in welcome["replies"][0]["html"]

    # 2. Add SKP items by pasting them, one per line.
    listing = (await world.client.send(tg, "/skp"))["replies"][0]
    await world.client.press(tg, listing["message_id"], button="➕ Tambah")
    pasted = await world.client.send(
        tg,
        "Menyusun modul ajar dan RPP\n"
        "Melaksanakan pembelajaran di kelas\n"
        "Melaksanakan penilaian hasil belajar | 4 dokumen",
    )
    assert "3 butir SKP ditambahkan" in texts(pasted["replies"])

    # 3. Report three activities in one message; the third has no duration.
    q = (
        await world.client.send(
            tg,
            "07.30-09.00 mengajar IPA kelas V materi ekosistem\n"
            "menyusun modul ajar matematika bab pecahan 2 jam\n"
            "mengoreksi 28 lembar jawaban PTS",
        )
    )["replies"][-1]
    assert "Saya mencatat 3 kegiatan" in q["text"]
    mid = q["message_id"]

    # 4. Choose the suggested SKP items (the best one is offered first).
    assert buttons(q)[0] == "1. Melaksanakan pembelajaran di kelas"
    q = (await world.client.press(tg, mid, button=buttons(q)[0]))["replies"][0]
    assert buttons(q)[0] == "1. Menyusun modul ajar dan RPP"
    q = (await world.client.press(tg, mid, button=buttons(q)[0]))["replies"][0]

    # 5. Fill the missing duration with a quick button.
    assert "Berapa lama" in q["text"]
    q = (await world.client.press(tg, mid, button="1,5 jam"))["replies"][0]
    assert buttons(q)[0] == "1. Melaksanakan penilaian hasil belajar"

    # 6. Attach a photo as bukti dukung while the draft is open.
    added = await world.client.send_photo(tg, PNG, caption="lembar jawaban")
    assert "Bukti dukung ditambahkan ke kegiatan 3" in texts(added["replies"])
    summary = (await world.client.press(tg, mid, button=buttons(q)[0]))["replies"][0]
    assert "5 / 7,5 jam" in summary["text"] and "📎 1 bukti dukung" in summary["text"]
    assert "Realisasi: 28 lembar" in summary["text"]

    # 7. Submit: the atasan gets the request.
    sent = await world.client.press(tg, mid, button="✅ Kirim")
    assert "Laporan terkirim: 3 kegiatan" in texts(sent["replies"])
    for _ in range(50):
        if "Laporan dari Siti" in (await world.client.chat(tg_boss))[-1]["text"]:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the atasan got no approval request")

    # 8. /hariini shows the day.
    today = (await world.client.send(tg, "/hariini"))["replies"][-1]["text"]
    assert "07.30" in today and "materi ekosistem" in today
    assert "📎" in today and "menunggu persetujuan atasan" in today
    assert "Total 5 / 7,5 jam" in today
