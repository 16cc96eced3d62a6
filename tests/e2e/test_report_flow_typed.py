"""Issue 7: the report flow as people really type, end to end through the sandbox.

Each test names the defect it reproduces; all of them failed before the fix.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import select

from storage.models import Activity, Delegation, Draft, Employee, Submission
from tests.e2e.conftest import World, buttons, texts
from tests.e2e.test_approval import request_for

SKP_GURU = (
    "Menyusun modul ajar dan RPP",
    "Melaksanakan pembelajaran di kelas",
    "Mengikuti rapat dan koordinasi sekolah",
)
STALE = "Tombol ini sudah tidak berlaku."
REDRAWN = "Tombol itu dari langkah sebelumnya; pesan ini sekarang menampilkan langkah terbaru."
# A Wednesday, 10.00 in Jakarta: "besok" is Thursday, nothing is a holiday.
WEDNESDAY = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


async def _staff(
    world: World,
    *,
    skp: tuple[str, ...] = SKP_GURU,
    position: str = "Guru",
    lang: str = "id",
) -> tuple[int, Employee]:
    tg, siti, _ = await _team(world, skp=skp, position=position, lang=lang, boss_joins=False)
    return tg, siti


async def _team(
    world: World,
    *,
    skp: tuple[str, ...] = SKP_GURU,
    position: str = "Guru",
    lang: str = "id",
    boss_joins: bool = True,
) -> tuple[int, Employee, int | None]:
    """Siti and her atasan; the atasan's Telegram id if they joined."""
    world.clock.set(WEDNESDAY)
    boss = await world.add_employee("Drs. Bambang", roles="staff,supervisor", skp=["Supervisi"])
    siti = await world.add_employee(
        "Siti Rahmawati", supervisor=boss, skp=skp, position=position, language=lang
    )
    tg_boss = await world.join(boss) if boss_joins else None
    tg = await world.join(siti, language_code=lang)
    return tg, siti, tg_boss


async def _report(world: World, employee: Employee) -> dict[str, Any]:
    async with world.db.session() as session:
        payload = (
            await session.execute(select(Draft.payload).where(Draft.employee_id == employee.id))
        ).scalar_one_or_none()
    report = (payload or {}).get("report")
    return report if isinstance(report, dict) else {}


async def _activities(world: World) -> list[Activity]:
    async with world.db.session() as session:
        rows = await session.execute(select(Activity).order_by(Activity.id))
        return list(rows.scalars())


def _button(message: dict[str, Any], prefix: str) -> str:
    for text in buttons(message):
        if text.startswith(prefix):
            return text
    raise AssertionError(f"no button starting {prefix!r} in {buttons(message)}")


def _data(message: dict[str, Any], prefix: str) -> str:
    for row in message.get("buttons") or []:
        for b in row:
            if b["text"].startswith(prefix):
                return str(b["callback_data"])
    raise AssertionError(f"no button starting {prefix!r} in {buttons(message)}")


async def _to_summary(world: World, tg: int, message: dict[str, Any]) -> dict[str, Any]:
    """Answer every SKP question with "Tugas tambahan" until the summary shows."""
    for _ in range(10):
        if "Ringkasan laporan" in message["text"] or "Report summary" in message["text"]:
            return message
        step = await world.client.press(tg, message["message_id"], button="➕ Tugas tambahan")
        message = step["replies"][0]
    raise AssertionError(message["text"])


# --- defect 1: the open question owns the next text --------------------------------------


async def test_typed_duration_answers_the_duration_question(world: World) -> None:
    """Defect 1: "2 jam" typed under "⏱ Berapa lama" sets the duration, it is no new activity."""
    tg, siti = await _staff(world)
    q = (await world.client.send(tg, "menyusun modul ajar IPA kelas V"))["replies"][0]
    assert "Berapa lama kegiatan ini" in q["text"]
    answered = (await world.client.send(tg, "2 jam"))["replies"][-1]
    assert "Durasi kegiatan 1 dicatat" in answered["text"]
    assert "Termasuk butir SKP" in answered["text"] and "2 jam" in answered["text"]
    report = await _report(world, siti)
    assert [a["minutes"] for a in report["activities"]] == [120]
    # A number typed under the SKP question picks that suggestion, as its button would.
    picked = (await world.client.send(tg, "1"))["replies"][-1]
    assert "Ringkasan laporan" in picked["text"]
    assert (await _report(world, siti))["activities"][0]["skp_done"] is True
    # A time range answers a duration question too; text that is an activity is added.
    await world.client.send(tg, "koreksi ulangan kelas 8B")
    ranged = (await world.client.send(tg, "09.00-11.00"))["replies"][-1]
    assert "Durasi kegiatan 2 dicatat" in ranged["text"] and "09.00–11.00" in ranged["text"]
    added = (await world.client.send(tg, "rapat koordinasi ANBK 1 jam"))["replies"][-1]
    assert "1 kegiatan ditambahkan" in added["text"]
    report = await _report(world, siti)
    assert [(a["minutes"], a["start"]) for a in report["activities"]] == [
        (120, None),
        (120, "09:00"),
        (60, None),
    ]


async def test_typed_duration_answers_ubah_durasi(world: World) -> None:
    """Defect 1: under ✏️ Ubah → Durasi, typing "1,5 jam" changes the duration."""
    tg, siti = await _staff(world)
    q = (await world.client.send(tg, "rapat koordinasi sekolah 1 jam"))["replies"][0]
    summary = await _to_summary(world, tg, q)
    mid = summary["message_id"]
    await world.client.press(tg, mid, button="✏️ Ubah")
    asked = (await world.client.press(tg, mid, button="Durasi"))["replies"][0]
    assert "Berapa lama" in asked["text"]
    answered = (await world.client.send(tg, "1,5 jam"))["replies"][-1]
    assert "Durasi kegiatan 1 dicatat" in answered["text"]
    assert "Ringkasan laporan" in answered["text"] and "1,5 / 7,5 jam" in answered["text"]
    report = await _report(world, siti)
    assert [a["minutes"] for a in report["activities"]] == [90]
    # A bare duration while an SKP question is open answers nothing and adds nothing.
    q = (await world.client.send(tg, "menyusun modul ajar 2 jam"))["replies"][-1]
    assert "Termasuk butir SKP" in q["text"]
    stray = (await world.client.send(tg, "30 menit"))["replies"][-1]
    assert "pertanyaan yang terbuka untuk kegiatan 2" in stray["text"]
    assert len((await _report(world, siti))["activities"]) == 2


# --- defect 2: no activity without a description ------------------------------------------


async def test_activity_without_description_is_refused(world: World) -> None:
    """Defect 2: "& < > … 1 jam" and a bare "2 jam" are not activities; Perjelas needs words."""
    tg, siti = await _staff(world)
    for text in ("& < > … 1 jam", "2 jam", "09.00-10.00"):
        reply = (await world.client.send(tg, text))["replies"][-1]
        assert "Kegiatan tanpa uraian tidak saya catat" in reply["text"], text
    assert await _report(world, siti) == {}
    q = (await world.client.send(tg, "kegiatan rutin 1 jam"))["replies"][0]
    await world.client.press(tg, q["message_id"], button="✏️ Perjelas")
    bad = (await world.client.send(tg, "  ... !!  "))["replies"][-1]
    assert "Uraian tidak boleh kosong" in bad["text"]
    assert (await _report(world, siti))["activities"][0]["description"] == "Kegiatan rutin"
    summary = await _to_summary(world, tg, q)
    assert all(a["description"].strip() for a in (await _report(world, siti))["activities"])
    assert "✅ Kirim" in buttons(summary)


# --- defect 4: the summary shows the times Kirim stores ----------------------------------


async def test_summary_shows_the_proposed_times_that_are_stored(world: World) -> None:
    """Defect 4: durations get clock times at Kirim; the summary shows them as proposed first,
    and ✏️ Ubah → Jam takes a typed range."""
    tg, _ = await _staff(world)
    q = (await world.client.send(tg, "rapat koordinasi 1,5 jam\nmenyusun modul ajar 2 jam"))[
        "replies"
    ][0]
    summary = await _to_summary(world, tg, q)
    assert "07.30–09.00 (usulan)" in summary["text"] and "<i>" not in summary["text"]
    assert "09.00–11.00" in summary["text"] and "Jam bertanda (usulan)" in summary["text"]
    mid = summary["message_id"]
    await world.client.press(tg, mid, button="✏️ Ubah")
    await world.client.press(tg, mid, button="2")
    asked = (await world.client.press(tg, mid, button="Jam"))["replies"][0]
    assert "Ketik jam kegiatan" in asked["text"]
    changed = (await world.client.send(tg, "13.00-15.00"))["replies"][-1]
    assert "Jam kegiatan 2 dicatat" in changed["text"] and "13.00–15.00" in changed["text"]
    sent = await world.client.press(tg, changed["message_id"], button="✅ Kirim")
    assert "Laporan terkirim" in texts(sent["replies"])
    stored = [(a.start_time, a.end_time) for a in await _activities(world)]
    assert stored == [(time(7, 30), time(9, 0)), (time(13, 0), time(15, 0))]


# --- defect 5: the day's total and overlaps ------------------------------------------------


async def _send_one(world: World, tg: int, text: str) -> None:
    q = (await world.client.send(tg, text))["replies"][-1]
    summary = await _to_summary(world, tg, q)
    sent = await world.client.press(tg, summary["message_id"], button="✅ Kirim")
    assert "Laporan terkirim" in texts(sent["replies"])


async def test_day_total_counts_sent_entries_and_overlaps_must_be_resolved(world: World) -> None:
    """Defect 5: the total includes what was sent; an overlap is shown and resolved first."""
    tg, _, tg_boss = await _team(world)
    assert tg_boss is not None
    await _send_one(world, tg, "13.00-15.00 rapat dinas")
    q = (await world.client.send(tg, "13.00-14.30 menyusun modul ajar"))["replies"][0]
    assert "bertumpuk dengan kegiatan yang sudah terkirim" in q["text"].lower()
    assert "13.00–15.00 Rapat dinas" in q["text"] or "13.00–15.00 rapat dinas" in q["text"]
    assert buttons(q)[:3] == ["↪️ Geser", "🕘 Ubah jam", "📝 Tetap, dengan alasan"]
    assert "✅ Kirim" not in buttons(q)
    shifted = (await world.client.press(tg, q["message_id"], button="↪️ Geser"))["replies"][0]
    summary = await _to_summary(world, tg, shifted)
    assert "3,5 / 7,5 jam" in summary["text"] and "2 jam yang sudah terkirim" in summary["text"]
    await world.client.press(tg, summary["message_id"], button="✅ Kirim")
    ranges = sorted((a.start_time, a.end_time) for a in await _activities(world))
    assert ranges == [(time(7, 30), time(9, 0)), (time(13, 0), time(15, 0))]
    # Keep with a reason: stored as it is, with the reason.
    q = (await world.client.send(tg, "14.00-15.00 piket UKS"))["replies"][0]
    await world.client.press(tg, q["message_id"], button="📝 Tetap, dengan alasan")
    kept = (await world.client.send(tg, "rapat diselingi piket"))["replies"][-1]
    summary = await _to_summary(world, tg, kept)
    assert "Tetap bertumpuk, alasan: rapat diselingi piket" in summary["text"]
    await world.client.press(tg, summary["message_id"], button="✅ Kirim")
    last = (await _activities(world))[-1]
    assert (last.start_time, last.end_time) == (time(14, 0), time(15, 0))
    assert last.evidence == {"overlap_note": "rapat diselingi piket"}
    # The atasan's request shows the stored times and the reason.
    boss_chat = await world.client.chat(tg_boss)
    request = [m for m in boss_chat if "Piket UKS" in str(m.get("text"))][-1]
    assert (
        "14.00–15.00 Piket UKS — bertumpuk dengan kegiatan lain, alasan: rapat diselingi piket"
        in request["text"]
    )


async def test_more_than_24_hours_in_a_day_is_refused(world: World) -> None:
    """Defect 5: sent 16 h + 9 h more for the same day is refused."""
    tg, _ = await _staff(world)
    await _send_one(world, tg, "jaga posko bencana 16 jam")
    refused = (await world.client.send(tg, "piket malam posko 9 jam"))["replies"][-1]
    assert "tidak bisa lebih dari 24 jam" in refused["text"]
    assert len(await _activities(world)) == 1


# --- defect 6: every warning is shown; a future date is asked about -----------------------


async def test_besok_is_explained_and_asked(world: World) -> None:
    """Defect 6: "besok" is not silently today: the bot asks with buttons."""
    tg, siti = await _staff(world)
    q = (await world.client.send(tg, "besok rapat koordinasi persiapan ANBK 1 jam"))["replies"][0]
    assert "Laporan untuk besok belum bisa dikirim; dicatat untuk hari ini?" in q["text"]
    assert buttons(q)[:2] == ["📅 Ya, untuk hari ini", "🗑 Hapus kegiatan ini"]
    step = (await world.client.press(tg, q["message_id"], button="📅 Ya, untuk hari ini"))[
        "replies"
    ][0]
    assert "Termasuk butir SKP" in step["text"]
    assert (await _report(world, siti))["activities"][0]["date"] == "2026-11-25"


async def test_a_later_future_date_is_named_in_the_question(world: World) -> None:
    """Defect 6 leftover: "lusa" or "Senin depan" is not called "besok"; the question names
    the date that was read (from a leading date and from a header line alike)."""
    tg, siti = await _staff(world)
    q = (await world.client.send(tg, "lusa rapat koordinasi persiapan ANBK 1 jam"))["replies"][0]
    assert "Laporan untuk Jumat, 27 November belum bisa dikirim" in q["text"]
    assert "besok" not in q["text"]
    await world.client.press(tg, q["message_id"], button="🗑 Hapus kegiatan ini")
    q = (await world.client.send(tg, "Senin depan:\n- menyusun modul ajar IPA 2 jam"))["replies"][0]
    assert "Laporan untuk Senin, 30 November belum bisa dikirim" in q["text"], q["text"]
    step = (await world.client.press(tg, q["message_id"], button="📅 Ya, untuk hari ini"))[
        "replies"
    ][0]
    assert "Termasuk butir SKP" in step["text"]
    assert (await _report(world, siti))["activities"][0]["date"] == "2026-11-25"


# --- defect 9: the vague-text example fits the person -------------------------------------


async def test_vague_hint_example_comes_from_own_skp_or_is_neutral(world: World) -> None:
    """Defect 9: an analyst is not shown a teacher's example."""
    tg, _ = await _staff(
        world, skp=("Menyusun analisis jabatan dan beban kerja",), position="Analis SDM"
    )
    q = (await world.client.send(tg, "rapat 1 jam"))["replies"][0]
    assert "terlalu umum" in q["text"]
    assert "pecahan" not in q["text"] and "kelas V" not in q["text"]
    assert "Menyusun analisis jabatan dan beban kerja" in q["text"]


async def test_vague_hint_without_skp_uses_the_position_or_is_neutral(world: World) -> None:
    tg, _ = await _staff(world, skp=(), position="Kepala Sekolah")
    q = (await world.client.send(tg, "kegiatan rutin"))["replies"][0]
    assert "terlalu umum" in q["text"] and "pecahan" not in q["text"]
    assert "sebagai Kepala Sekolah" in q["text"]


# --- defect 11: discarding asks first -------------------------------------------------------


async def test_batal_and_hapus_ask_before_discarding_several_activities(world: World) -> None:
    """Defect 11: ✖️ Batal, /batal and 🗑 Hapus ask when the draft holds more than one."""
    tg, siti = await _staff(world)
    q = (await world.client.send(tg, "rapat koordinasi 1 jam\nmenyusun modul ajar 2 jam"))[
        "replies"
    ][0]
    mid = q["message_id"]
    asked = (await world.client.press(tg, mid, button="✖️ Batal"))["replies"][0]
    assert "Buang laporan ini beserta 2 kegiatannya?" in asked["text"]
    assert buttons(asked) == ["🗑 Ya, buang", "⬅️ Tidak"]
    back = (await world.client.press(tg, mid, button="⬅️ Tidak"))["replies"][0]
    assert "Kegiatan 1 dari 2" in back["text"]
    assert len((await _report(world, siti))["activities"]) == 2
    cmd = (await world.client.send(tg, "/batal"))["replies"][-1]
    assert "Buang laporan ini beserta 2 kegiatannya?" in cmd["text"]
    assert len((await _report(world, siti))["activities"]) == 2
    back = (await world.client.press(tg, cmd["message_id"], button="⬅️ Tidak"))["replies"][0]
    summary = await _to_summary(world, tg, back)
    smid = summary["message_id"]
    await world.client.press(tg, smid, button="✏️ Ubah")
    await world.client.press(tg, smid, button="1")
    confirm = (await world.client.press(tg, smid, button="🗑 Hapus"))["replies"][0]
    assert "Hapus kegiatan 1" in confirm["text"]
    assert len((await _report(world, siti))["activities"]) == 2
    done = (await world.client.press(tg, smid, button="🗑 Ya, hapus"))["replies"][0]
    assert "Ringkasan laporan" in done["text"]
    assert len((await _report(world, siti))["activities"]) == 1
    # One activity left: no question, Batal discards at once.
    gone = await world.client.press(tg, smid, button="✖️ Batal")
    assert "Laporan dibatalkan" in texts(gone["replies"])


# --- defect 12: no SKP items ------------------------------------------------------------------


async def test_user_without_skp_is_told_once_how_to_add_them(world: World) -> None:
    """Defect 12: everything becoming "Tugas tambahan" is explained, once."""
    tg, _ = await _staff(world, skp=())
    first = (await world.client.send(tg, "menyusun laporan bulanan 2 jam"))["replies"][0]
    assert "/skp" in first["text"] and "e-Kinerja" in first["text"]
    second = (await world.client.send(tg, "rapat koordinasi 1 jam"))["replies"][-1]
    assert "ditambahkan" in second["text"]
    assert "/skp" not in second["text"]


# --- defect 13: an atasan's "setuju" -------------------------------------------------------


async def test_setuju_from_an_atasan_with_pending_decisions_is_asked_about(world: World) -> None:
    """Defect 13: "setuju" from an atasan with a pending submission is not an activity."""
    world.clock.set(WEDNESDAY)
    boss = await world.add_employee("Drs. Bambang", roles="staff,supervisor", skp=["Supervisi"])
    siti = await world.add_employee("Siti", supervisor=boss, skp=SKP_GURU)
    tg_boss = await world.join(boss)
    tg = await world.join(siti)
    await _send_one(world, tg, "rapat koordinasi 1 jam")
    for word in ("setuju", "OK", "acc"):
        reply = (await world.client.send(tg_boss, word))["replies"][-1]
        assert "1 laporan bawahan yang menunggu keputusan" in reply["text"], word
    assert await _report(world, boss) == {}
    # A Plt standing in for the atasan today is asked too.
    plt = await world.add_employee("Wakil Kepala", roles="staff,supervisor")
    tg_plt = await world.join(plt)
    async with world.db.session() as session:
        day = WEDNESDAY.date()
        session.add(
            Delegation(
                delegate_id=plt.id,
                principal_id=boss.id,
                start_date=day,
                end_date=day,
                created_by=boss.id,
            )
        )
    reply = (await world.client.send(tg_plt, "acc"))["replies"][-1]
    assert "1 laporan bawahan yang menunggu keputusan" in reply["text"]
    # Once decided, "ok" is ordinary text again (here: an activity with no duration yet).
    async with world.db.session() as session:
        for sub in (await session.execute(select(Submission))).scalars():
            sub.status = "approved"
    reply = (await world.client.send(tg_boss, "ok"))["replies"][-1]
    assert "menunggu keputusan" not in reply["text"]


async def test_setuju_counts_a_day_decided_in_part_until_the_employee_has_the_turn(
    world: World,
) -> None:
    """Defect 13 leftover: a day whose activities the atasan is deciding one by one still
    waits for them ("setuju" is asked about); once every activity is decided (partly
    approved), the day waits for the employee and "ok" is ordinary text again."""
    tg, _, tg_boss = await _team(world)
    assert tg_boss is not None
    await _send_one(world, tg, "rapat koordinasi 1 jam\nmenyusun modul ajar IPA 2 jam")
    request = await request_for(world, tg_boss, "Siti Rahmawati")
    mid = request["message_id"]
    await world.client.press(tg_boss, mid, button="🔍 Periksa satu per satu")
    await world.client.press(tg_boss, mid, button="✅ 1")
    reply = (await world.client.send(tg_boss, "setuju"))["replies"][-1]
    assert "1 laporan bawahan yang menunggu keputusan" in reply["text"]
    await world.client.press(tg_boss, mid, button="❌ 2")
    async with world.db.session() as session:
        assert (await session.execute(select(Submission.status))).scalar_one() == (
            "partly_approved"
        )
    reply = (await world.client.send(tg_boss, "ok"))["replies"][-1]
    assert "menunggu keputusan" not in reply["text"]


# --- defect 14: buttons of a superseded step --------------------------------------------------


async def test_buttons_of_a_superseded_step_or_message_are_stale(world: World) -> None:
    """Defect 14: every button kind, pressed from an earlier step of the same message or
    from an older message of the same draft, changes nothing. An older message's button is
    stale; the draft's own message drawn at an earlier step (a double tap, or the process
    died before editing it: issue 8) is redrawn at the current step."""
    tg, siti = await _staff(world)
    q = (await world.client.send(tg, "rapat koordinasi 1 jam\nmenyusun modul ajar"))["replies"][0]
    mid = q["message_id"]
    old_skp = _data(q, "1. ")
    token = old_skp.split(":")[1]
    old_step = int(old_skp.split(":")[5])
    await world.client.press(tg, mid, button=_button(q, "1. "))  # activity 1 → step moves on
    before = await _report(world, siti)
    assert before["step"] > old_step
    forged = [
        f"r:{token}:{op}:{i}:{arg}:{old_step}"
        for op, i, arg in (
            ("s", 0, "x"), ("s", 1, "x"), ("d", 1, "60"), ("do", 1, ""), ("l", 1, "0"),
            ("back", 0, ""), ("cancel", 0, ""), ("send", 0, ""), ("edit", 0, ""),
            ("edit", 0, "one"), ("et", 0, ""), ("ed", 0, ""), ("em", 0, ""), ("es", 0, ""),
            ("rm", 0, ""), ("tm", 0, ""), ("today", 0, ""), ("sh", 0, ""), ("keep", 0, ""),
            ("yc", 0, ""), ("yr", 0, ""),
        )
    ]  # fmt: skip
    for data in forged:
        answer = await world.client.press(tg, mid, callback_data=data)
        assert answer["answer"]["text"] == REDRAWN, data
    assert await _report(world, siti) == before
    shown = next(m for m in await world.client.chat(tg) if m["message_id"] == mid)
    assert "Kegiatan 2 dari 2" in shown["text"], shown["text"]
    assert _data(shown, "1 jam").split(":")[5] == str(before["step"])  # pressable again
    ahead = f"r:{token}:s:1:x:{before['step'] + 1}"  # a step not reached yet: forged
    assert (await world.client.press(tg, mid, callback_data=ahead))["answer"]["text"] == STALE
    assert await _report(world, siti) == before
    # A new message for the same draft: the current step's data on the old message is stale.
    q2 = (await world.client.send(tg, "koreksi ulangan kelas 8B 1 jam"))["replies"][-1]
    current = await _report(world, siti)
    for op, arg in (("s", "x"), ("cancel", ""), ("d", "60")):
        data = f"r:{token}:{op}:1:{arg}:{current['step']}"
        answer = await world.client.press(tg, mid, callback_data=data)
        assert answer["answer"]["text"] == STALE, data
    assert await _report(world, siti) == current
    # Without a step (older buttons, forged): checked by message, still acts on the current one.
    ok = await world.client.press(tg, q2["message_id"], callback_data=f"r:{token}:d:1:60")
    assert ok["answer"] is None or ok["answer"].get("text") != STALE
    assert (await _report(world, siti))["activities"][1]["minutes"] == 60


# --- issue 8 defect 6 (chat side): impossible dates, over-long days, overlaps ---------------


async def test_impossible_dates_are_refused_and_warnings_are_shown(world: World) -> None:
    """Issue 8 defect 6: "31 februari" is refused, not stored on another day; 17 h is asked
    again; day_over_16h and overlap are shown like the other parser warnings."""
    tg, siti = await _staff(world)
    for text in ("tanggal 31 februari rapat koordinasi 1 jam", "tgl 31 april rapat dinas 1 jam"):
        reply = (await world.client.send(tg, text))["replies"][-1]
        assert "Tanggal itu tidak ada di kalender" in reply["text"], text
    assert await _report(world, siti) == {}
    long = (await world.client.send(tg, "jaga posko bencana 17 jam"))["replies"][-1]
    assert "Durasi lebih dari 16 jam tidak bisa dicatat" in long["text"]
    assert "Berapa lama kegiatan ini" in long["text"]
    await world.client.send(tg, "/batal")
    both = await world.client.send(tg, "08.00-10.00 rapat koordinasi\n09.00-11.00 menyusun modul")
    assert "bertumpuk dengan kegiatan lain" in both["replies"][-1]["text"]
    await world.client.press(tg, both["replies"][-1]["message_id"], button="✖️ Batal")
    await world.client.press(tg, both["replies"][-1]["message_id"], button="🗑 Ya, buang")
    day = await world.client.send(tg, "lembur rekap data 10 jam\nmenyusun modul ajar 8 jam")
    assert "lebih dari 16 jam" in day["replies"][-1]["text"]


async def test_hariini_shows_overlapping_entries(world: World) -> None:
    """Defect 5: /hariini showed 13.00–14.30 next to 13.00–15.00 with no warning."""
    tg, siti = await _staff(world)
    async with world.db.session() as session:
        for start, end, desc in (
            (time(13, 0), time(14, 30), "rapat"),
            (time(13, 0), time(15, 0), "modul"),
        ):
            session.add(
                Activity(
                    employee_id=siti.id,
                    work_date=WEDNESDAY.date(),
                    start_time=start,
                    end_time=end,
                    minutes=(end.hour * 60 + end.minute) - (start.hour * 60 + start.minute),
                    description=desc,
                    source="integration",
                    created_at=WEDNESDAY,
                    updated_at=WEDNESDAY,
                )
            )
    today = (await world.client.send(tg, "/hariini"))["replies"][-1]
    assert "Jamnya bertumpuk dengan kegiatan 2" in today["text"]
    assert "Jamnya bertumpuk dengan kegiatan 1" in today["text"]


async def test_english_atasan_sees_the_stored_times_in_the_english_glossary(world: World) -> None:
    """Defects 4 and 10: the proposed times Siti saw are what her English-speaking atasan
    gets, written the English way (07:30, not 07.30)."""
    world.clock.set(WEDNESDAY)
    boss = await world.add_employee("Mr. Bambang", roles="staff,supervisor", language="en")
    siti = await world.add_employee("Siti", supervisor=boss, skp=SKP_GURU)
    tg_boss = await world.join(boss, language_code="en")
    tg = await world.join(siti)
    q = (await world.client.send(tg, "rapat koordinasi sekolah 1,5 jam"))["replies"][-1]
    summary = await _to_summary(world, tg, q)
    assert "07.30–09.00 (usulan)" in summary["text"]
    await world.client.press(tg, summary["message_id"], button="✅ Kirim")
    request = [m for m in await world.client.chat(tg_boss) if "Siti" in str(m.get("text"))][-1]
    assert "07:30–09:00" in request["text"]
