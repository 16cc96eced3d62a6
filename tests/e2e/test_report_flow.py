"""The daily report conversation, end to end through the sandbox, as an ASN would use it."""

from __future__ import annotations

import asyncio
import itertools

from sqlalchemy import select

from storage.models import Activity, OutboxMessage, SkpChoice, SkpItem, Submission
from tests.e2e.conftest import World, buttons, texts

SKP_GURU = (
    "Menyusun modul ajar dan RPP",
    "Melaksanakan pembelajaran di kelas",
    "Mengikuti rapat dan koordinasi sekolah",
    "Melaksanakan penilaian hasil belajar",
)
REPORT = (
    "Selamat pagi pak, izin lapor:\n"
    "1. rapat koordinasi persiapan ANBK 1,5 jam\n"
    "2. 08.00-09.30 mengajar matematika kelas V materi pecahan\n"
    "3. menyusun modul ajar IPA kelas V\n"
    "Terima kasih"
)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


def last_bot_message(chat: list[dict[str, object]]) -> dict[str, object]:
    return [m for m in chat if m["from"] == "bot"][-1]


def button_starting(message: dict[str, object], prefix: str) -> str:
    for text in buttons(message):
        if text.startswith(prefix):
            return text
    raise AssertionError(f"no button starting {prefix!r} in {buttons(message)}")


async def _team(world: World) -> tuple[int, int]:
    boss = await world.add_employee("Drs. Bambang", roles="staff,supervisor", skp=["Supervisi"])
    siti = await world.add_employee("Siti Rahmawati", supervisor=boss, skp=SKP_GURU)
    tg_boss = await world.join(boss)
    tg_siti = await world.join(siti)
    return tg_siti, tg_boss


async def test_three_activities_mapped_timed_evidenced_and_submitted(world: World) -> None:
    tg, tg_boss = await _team(world)
    result = await world.client.send(tg, REPORT)
    assert len(result["replies"]) == 1
    q = result["replies"][0]
    assert "Saya mencatat 3 kegiatan" in q["text"]
    assert "Kegiatan 1 dari 3" in q["text"]
    assert "Termasuk butir SKP yang mana" in q["text"]
    mid = q["message_id"]

    step = await world.client.press(tg, mid, button=button_starting(q, "1. Mengikuti rapat"))
    q = step["replies"][0]
    assert "Kegiatan 2 dari 3" in q["text"] and "08.00–09.30" in q["text"]
    step = await world.client.press(tg, mid, button=button_starting(q, "1. Melaksanakan pembel"))
    q = step["replies"][0]
    assert "Kegiatan 3 dari 3" in q["text"] and "Berapa lama" in q["text"]
    step = await world.client.press(tg, mid, button="2 jam")
    q = step["replies"][0]
    assert "Termasuk butir SKP" in q["text"]
    step = await world.client.press(tg, mid, button=button_starting(q, "1. Menyusun modul"))
    summary = step["replies"][0]
    assert "Ringkasan laporan" in summary["text"]
    assert "5 / 7,5 jam" in summary["text"] and "kurang 2,5 jam" in summary["text"]
    assert buttons(summary) == ["✅ Kirim", "✏️ Ubah", "✖️ Batal"]

    photo = await world.client.send_photo(tg, PNG, caption="foto kegiatan")
    assert "Bukti dukung ditambahkan ke kegiatan 3" in texts(photo["replies"])

    sent = await world.client.press(tg, mid, button="✅ Kirim")
    assert "Laporan terkirim: 3 kegiatan" in texts(sent["replies"])
    assert "Drs. Bambang" in texts(sent["replies"])
    # The approval request reaches the atasan through the outbox.
    for _ in range(50):
        boss_chat = await world.client.chat(tg_boss)
        if "Laporan dari" in boss_chat[-1]["text"]:
            break
        await asyncio.sleep(0.1)
    request = boss_chat[-1]["text"]
    assert "Laporan dari Siti Rahmawati" in request and "3 kegiatan, 5 jam" in request

    async with world.db.session() as session:
        acts = list(
            (await session.execute(select(Activity).order_by(Activity.start_time))).scalars()
        )
        subs = list((await session.execute(select(Submission))).scalars())
        learned = list((await session.execute(select(SkpChoice))).scalars())
        outbox = list((await session.execute(select(OutboxMessage))).scalars())
    assert len(acts) == 3 and len(subs) == 1 and subs[0].status == "submitted"
    assert sorted(a.minutes for a in acts) == [90, 90, 120]
    ranges = [(a.start_time, a.end_time) for a in acts]
    assert all(s is not None and e is not None and s < e for s, e in ranges)
    for (_s1, e1), (s2, _e2) in itertools.pairwise(ranges):
        assert e1 is not None and s2 is not None and e1 <= s2, ranges  # never overlapping
    fixed = next(a for a in acts if "matematika" in a.description)
    assert (fixed.start_time.strftime("%H:%M"), fixed.end_time.strftime("%H:%M")) == (  # type: ignore[union-attr]
        "08:00",
        "09:30",
    )
    modul = next(a for a in acts if "modul" in a.description)
    assert modul.evidence is not None and modul.evidence["items"][0]["kind"] == "photo"
    assert len(learned) == 3
    assert [o.status for o in outbox] == ["sent"]


async def test_learned_choice_is_suggested_first_next_time(world: World) -> None:
    tg, _ = await _team(world)
    first = (await world.client.send(tg, "piket UKS 1 jam"))["replies"][0]
    # Put the activity under an item that text similarity alone would not rank first.
    more = await world.client.press(tg, first["message_id"], button="📋 Lainnya…")
    listing = more["replies"][0]
    target = button_starting(listing, "4. Melaksanakan penilaian")
    step = await world.client.press(tg, first["message_id"], button=target)
    await world.client.press(tg, first["message_id"], button="✅ Kirim")
    assert "Ringkasan" in step["replies"][0]["text"]

    again = (await world.client.send(tg, "piket UKS 2 jam"))["replies"][0]
    assert buttons(again)[0].startswith("1. Melaksanakan penilaian")


async def test_vague_text_is_nudged_and_can_be_kept_or_clarified(world: World) -> None:
    tg, _ = await _team(world)
    q = (await world.client.send(tg, "melaksanakan tugas kedinasan 3 jam"))["replies"][0]
    assert "terlalu umum" in q["text"]
    assert "✏️ Perjelas" in buttons(q)
    asked = await world.client.press(tg, q["message_id"], button="✏️ Perjelas")
    assert "Tulis uraian baru" in texts(asked["replies"])
    answer = await world.client.send(tg, "Menyusun kisi-kisi soal PAS Matematika kelas V")
    q2 = answer["replies"][-1]
    assert "Menyusun kisi-kisi soal PAS" in q2["text"] and "terlalu umum" not in q2["text"]
    await world.client.press(tg, q2["message_id"], button="➕ Tugas tambahan")
    # Keeping vague text is allowed: the nudge shows, choosing an item goes on to Kirim.
    q3 = (await world.client.send(tg, "kegiatan rutin 1 jam"))["replies"][-1]
    assert "Kegiatan 2 dari 2" in q3["text"] and "terlalu umum" in q3["text"]
    summary = await world.client.press(tg, q3["message_id"], button="➕ Tugas tambahan")
    assert "Uraian kegiatan 2 masih umum" in summary["replies"][0]["text"]
    assert "✅ Kirim" in buttons(summary["replies"][0])


async def test_other_duration_by_text_and_edit_menu(world: World) -> None:
    tg, _ = await _team(world)
    q = (await world.client.send(tg, "mengoreksi 32 lembar jawaban PTS"))["replies"][0]
    asked = await world.client.press(tg, q["message_id"], button="Lainnya…")
    assert "Tulis durasi" in texts(asked["replies"])
    bad = await world.client.send(tg, "lama sekali")
    assert "tidak saya pahami" in texts(bad["replies"])
    good = await world.client.send(tg, "1 jam 20 menit")
    q = good["replies"][-1]
    assert "1 jam 20 menit" in q["text"] and "Termasuk butir SKP" in q["text"]
    step = await world.client.press(tg, q["message_id"], button="➕ Tugas tambahan")
    summary = step["replies"][0]
    assert "Tugas tambahan" in summary["text"] and "Realisasi: 32 lembar" in summary["text"]
    menu = await world.client.press(tg, q["message_id"], button="✏️ Ubah")
    assert "Apa yang ingin diubah" in menu["replies"][0]["text"]
    dur = await world.client.press(tg, q["message_id"], button="Durasi")
    back = await world.client.press(tg, q["message_id"], button="3 jam")
    assert "3 / 7,5 jam" in back["replies"][0]["text"] and dur["replies"]


async def test_restart_in_the_middle_of_a_draft_loses_nothing(world: World) -> None:
    tg, _ = await _team(world)
    q = (await world.client.send(tg, "rapat dinas 2 jam\nmengajar IPA kelas V 2 x 35 menit"))[
        "replies"
    ][0]
    step = await world.client.press(tg, q["message_id"], button=button_starting(q, "1. Mengikuti"))
    assert "Kegiatan 2 dari 2" in step["replies"][0]["text"]

    await world.stop_bot()  # the process dies between two steps
    await world.start_bot()  # a new Application on the same database

    q = step["replies"][0]
    step = await world.client.press(
        tg, q["message_id"], button=button_starting(q, "1. Melaksanakan")
    )
    assert "Ringkasan laporan" in step["replies"][0]["text"]
    done = await world.client.press(tg, q["message_id"], button="✅ Kirim")
    assert "Laporan terkirim: 2 kegiatan" in texts(done["replies"])


async def test_forged_and_stale_buttons_change_nothing(world: World) -> None:
    tg, tg_boss = await _team(world)
    q = (await world.client.send(tg, "rapat koordinasi 1 jam"))["replies"][0]
    token = q["buttons"][0][0]["callback_data"].split(":")[1]
    async with world.db.session() as session:
        boss_item = (
            await session.execute(select(SkpItem).where(SkpItem.title == "Supervisi"))
        ).scalar_one()
    forged = await world.client.press(
        tg, q["message_id"], callback_data=f"r:{token}:s:0:{boss_item.id}"
    )
    assert forged["answer"]["text"] == "Butir SKP itu tidak tersedia."
    for data in (f"r:ffffff:s:0:{boss_item.id}", f"r:{token}:s:9:1", "r:x", f"r:{token}:zz:0:"):
        answer = await world.client.press(tg, q["message_id"], callback_data=data)
        assert answer["answer"]["text"] == "Tombol ini sudah tidak berlaku.", data
    # The atasan forging Siti's button data reaches only the atasan's own (absent) draft.
    boss_message = last_bot_message(await world.client.chat(tg_boss))
    other = await world.client.press(
        tg_boss, boss_message["message_id"], callback_data=f"r:{token}:cancel:0:"
    )
    assert other["answer"]["text"] == "Tombol ini sudah tidak berlaku."
    cancel = await world.client.press(tg, q["message_id"], button="✖️ Batal")
    assert "Laporan dibatalkan" in texts(cancel["replies"])
    stale = await world.client.press(tg, q["message_id"], callback_data=f"r:{token}:send:0:")
    assert stale["answer"]["text"] == "Tombol ini sudah tidak berlaku."
    async with world.db.session() as session:
        assert (await session.execute(select(Activity))).first() is None


async def test_two_users_at_once_get_no_cross_talk(world: World) -> None:
    boss = await world.add_employee("Bambang", roles="staff,supervisor")
    a = await world.add_employee("Siti", supervisor=boss, skp=SKP_GURU)
    b = await world.add_employee("Andi", supervisor=boss, skp=("Pemutakhiran data Dapodik",))
    tg_a, tg_b = await world.join(a), await world.join(b)
    ra, rb = await asyncio.gather(
        world.client.send(tg_a, "mengajar matematika kelas V 2 jam"),
        world.client.send(tg_b, "verval data Dapodik siswa baru 3 jam"),
    )
    qa, qb = ra["replies"][0], rb["replies"][0]
    assert "matematika" in qa["text"] and "Dapodik" not in qa["text"]
    assert "Dapodik" in qb["text"] and "matematika" not in qb["text"]
    sa, sb = await asyncio.gather(
        world.client.press(tg_a, qa["message_id"], button=button_starting(qa, "1.")),
        world.client.press(tg_b, qb["message_id"], button=button_starting(qb, "1.")),
    )
    fa, fb = await asyncio.gather(
        world.client.press(tg_a, qa["message_id"], button="✅ Kirim"),
        world.client.press(tg_b, qb["message_id"], button="✅ Kirim"),
    )
    assert "2 jam" in texts(fa["replies"]) and "3 jam" in texts(fb["replies"])
    assert sa["replies"] and sb["replies"]
    async with world.db.session() as session:
        rows = (await session.execute(select(Activity.employee_id, Activity.description))).all()
    owners = {desc: emp for emp, desc in rows}
    assert owners[next(d for d in owners if "matematika" in d)] == a.id
    assert owners[next(d for d in owners if "Dapodik" in d)] == b.id


async def test_links_and_documents_become_evidence_only_while_a_draft_is_open(
    world: World,
) -> None:
    tg, _ = await _team(world)
    early = await world.client.send_document(tg, "undangan.pdf", b"%PDF-1.4 undangan")
    assert "Kirim laporan kegiatan Anda dulu" in texts(early["replies"])
    q = (await world.client.send(tg, "rapat koordinasi kurikulum 1 jam"))["replies"][-1]
    link = await world.client.send(tg, "https://drive.example.id/notulen-rapat")
    assert "Bukti dukung ditambahkan ke kegiatan 1" in texts(link["replies"])
    doc = await world.client.send_document(
        tg, "notulen.pdf", b"%PDF-1.4 notulen", caption="notulen"
    )
    assert "Bukti dukung ditambahkan ke kegiatan 1" in texts(doc["replies"])
    summary = await world.client.press(tg, q["message_id"], button="➕ Tugas tambahan")
    assert "📎 2 bukti dukung" in summary["replies"][0]["text"]
    await world.client.press(tg, q["message_id"], button="✅ Kirim")
    async with world.db.session() as session:
        act = (await session.execute(select(Activity))).scalar_one()
    kinds = [e["kind"] for e in act.evidence["items"]]  # type: ignore[index]
    assert kinds == ["link", "document"]
    assert act.evidence["items"][1]["file_name"] == "notulen.pdf"  # type: ignore[index]
