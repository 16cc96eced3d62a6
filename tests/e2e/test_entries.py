"""/hariini end to end: the day view, editing and deleting until approved."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from storage.models import Activity, Employee, SkpItem, Submission
from tests.e2e.conftest import World, buttons, texts

NOW = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)  # Wednesday 11:00 WIB
TODAY = date(2026, 11, 25)
YESTERDAY = date(2026, 11, 24)


async def _day(world: World, employee: Employee, day: date, status: str | None) -> list[int]:
    async with world.db.session() as session:
        item = SkpItem(employee_id=employee.id, year=2026, title="Menyusun modul ajar")
        session.add(item)
        await session.flush()
        sub_id = None
        if status is not None:
            sub = Submission(employee_id=employee.id, work_date=day, status=status)
            session.add(sub)
            await session.flush()
            sub_id = sub.id
        acts = [
            Activity(
                employee_id=employee.id,
                work_date=day,
                start_time=time(13),
                end_time=time(14, 30),
                minutes=90,
                description="Menyusun modul ajar IPA kelas V",
                skp_item_id=item.id,
                submission_id=sub_id,
                evidence={"items": [{"kind": "link", "url": "https://drive.example/x"}]},
            ),
            Activity(
                employee_id=employee.id,
                work_date=day,
                start_time=time(7, 30),
                end_time=time(8, 30),
                minutes=60,
                description="Rapat koordinasi <ANBK> & persiapan",
                submission_id=sub_id,
            ),
        ]
        session.add_all(acts)
        await session.flush()
        return [a.id for a in acts]


async def _activity(world: World, activity_id: int) -> Activity | None:
    async with world.db.session() as session:
        return await session.get(Activity, activity_id)


async def test_today_view_edit_and_delete(world: World) -> None:
    world.clock.set(NOW)
    siti = await world.add_employee("Siti")
    tg = await world.join(siti)
    modul, rapat = await _day(world, siti, TODAY, "submitted")

    view = (await world.client.send(tg, "/hariini"))["replies"][0]
    text = view["text"]
    assert "Rabu, 25 November 2026" in text
    assert "menunggu persetujuan" in text
    assert text.index("Rapat koordinasi <ANBK> & persiapan") < text.index("Menyusun modul")
    assert "1. 07.30–08.30 · 1 jam" in text
    assert "2. 13.00–14.30 · 1 jam 30 menit 📎" in text
    assert "Tugas tambahan" in text and "SKP: Menyusun modul ajar" in text
    assert "Total 2,5 / 7,5 jam" in text
    assert buttons(view) == ["✏️ 1", "🗑 1", "✏️ 2", "🗑 2"]
    mid = view["message_id"]

    menu = await world.client.press(tg, mid, button="✏️ 1")
    assert "Ubah kegiatan 1" in texts(menu["replies"])
    asked = await world.client.press(tg, mid, button="⏱ Durasi")
    assert buttons(asked["replies"][-1]) == [
        "30 menit",
        "1 jam",
        "1,5 jam",
        "2 jam",
        "3 jam",
        "Batal",
    ]
    changed = await world.client.press(tg, mid, button="2 jam")
    after = texts(changed["replies"])
    assert "Durasi diubah" in after and "07.30–09.30 · 2 jam" in after
    assert "Total 3,5 / 7,5 jam" in after
    act = await _activity(world, rapat)
    assert act is not None and (act.minutes, act.end_time) == (120, time(9, 30))

    await world.client.press(tg, mid, button="✏️ 1")
    await world.client.press(tg, mid, button="⏱ Durasi")
    typed = await world.client.send(tg, "45 menit")
    assert "Durasi diubah" in texts(typed["replies"])
    act = await _activity(world, rapat)
    assert act is not None and (act.minutes, act.end_time) == (45, time(8, 15))

    prompt = next(m for m in await world.client.chat(tg) if m["message_id"] == mid)
    assert buttons(prompt) == []  # the answered question cannot be pressed again
    mid = typed["replies"][-1]["message_id"]
    await world.client.press(tg, mid, button="✏️ 1")
    asked = await world.client.press(tg, mid, button="📝 Uraian")
    assert "Kirim uraian baru" in texts(asked["replies"])
    # Issue 7 defect 2: punctuation is no description; the question stays open.
    refused = await world.client.send(tg, " ... & ")
    assert "Uraian tidak boleh kosong" in texts(refused["replies"])
    edited = await world.client.send(tg, "Rapat koordinasi persiapan ANBK\nkelas VI")
    assert "Uraian kegiatan diubah" in texts(edited["replies"])
    act = await _activity(world, rapat)
    assert act is not None and act.description == "Rapat koordinasi persiapan ANBK kelas VI"

    latest = edited["replies"][-1]
    confirm = await world.client.press(tg, latest["message_id"], button="🗑 2")
    assert "Hapus kegiatan 2?" in texts(confirm["replies"])
    deleted = await world.client.press(tg, latest["message_id"], button="🗑 Ya, hapus")
    assert "Kegiatan dihapus" in texts(deleted["replies"])
    assert await _activity(world, modul) is None
    assert "Total 0,75 / 7,5 jam" in texts(deleted["replies"])


async def test_bad_typed_duration_asks_again_and_cancel_restores_the_view(world: World) -> None:
    world.clock.set(NOW)
    siti = await world.add_employee("Siti")
    tg = await world.join(siti)
    _, rapat = await _day(world, siti, TODAY, None)
    view = (await world.client.send(tg, "/hariini"))["replies"][0]
    assert "belum dikirim" in view["text"]
    await world.client.press(tg, view["message_id"], button="✏️ 1")
    await world.client.press(tg, view["message_id"], button="⏱ Durasi")
    bad = await world.client.send(tg, "lama sekali")
    assert "Durasi tidak terbaca" in texts(bad["replies"])
    cancelled = await world.client.press(tg, bad["replies"][-1]["message_id"], button="Batal")
    assert cancelled["answer"] is not None
    act = await _activity(world, rapat)
    assert act is not None and act.minutes == 60


async def test_other_days_and_approved_entries_are_frozen(world: World) -> None:
    world.clock.set(NOW)
    siti = await world.add_employee("Siti")
    andi = await world.add_employee("Andi")
    tg = await world.join(siti)
    ids = await _day(world, siti, YESTERDAY, "approved")
    andi_ids = await _day(world, andi, TODAY, None)

    for arg in ("kemarin", "24/11", "Selasa"):
        view = (await world.client.send(tg, f"/hariini {arg}"))["replies"][0]
        assert "Selasa, 24 November 2026" in view["text"], arg
        assert "disetujui atasan" in view["text"]
        assert buttons(view) == []
    bad = await world.client.send(tg, "/hariini kapan-kapan")
    assert "Tanggal tidak terbaca" in texts(bad["replies"])

    mid = view["message_id"]
    for data in (f"ent:dy:{ids[0]}", f"ent:m:{ids[1]}:30", f"ent:ed:{ids[1]}"):
        forged = await world.client.press(tg, mid, callback_data=data)
        assert forged["answer"] is not None and "sudah disetujui" in forged["answer"]["text"]
    for data in (f"ent:dy:{andi_ids[0]}", f"ent:e:{andi_ids[1]}", "ent:dy:999999", "ent:v:x:0"):
        forged = await world.client.press(tg, mid, callback_data=data)
        assert forged["answer"] is not None and "tidak berlaku" in forged["answer"]["text"]
    for activity_id in (*ids, *andi_ids):
        assert await _activity(world, activity_id) is not None
    act = await _activity(world, ids[1])
    assert act is not None and act.minutes == 60


async def test_empty_day_in_english(world: World) -> None:
    world.clock.set(NOW)
    dewi = await world.add_employee("Dewi", language="en")
    tg = await world.join(dewi, language_code="en")
    view = (await world.client.send(tg, "/hariini"))["replies"][0]
    assert "Activities on Wednesday, 25 November 2026" in view["text"]
    assert "No activities recorded" in view["text"]


async def test_a_duration_past_midnight_is_refused_with_how_to_enter_it(world: World) -> None:
    """Issue 8 defect 6: 13.00 + 12 h runs past midnight; the refusal says to stop at 24.00
    and report the rest on the next date (it was "Durasi tidak terbaca")."""
    world.clock.set(NOW)
    siti = await world.add_employee("Siti")
    tg = await world.join(siti)
    modul, _ = await _day(world, siti, TODAY, None)
    view = (await world.client.send(tg, "/hariini"))["replies"][0]
    await world.client.press(tg, view["message_id"], button="✏️ 2")
    await world.client.press(tg, view["message_id"], button="⏱ Durasi")
    refused = await world.client.send(tg, "12 jam")
    assert "melewati tengah malam" in texts(refused["replies"])
    assert "tanggal berikutnya" in texts(refused["replies"])
    act = await _activity(world, modul)
    assert act is not None and (act.minutes, act.end_time) == (90, time(14, 30))
    midnight = await world.client.send(tg, "11 jam")
    assert "Durasi diubah" in texts(midnight["replies"])
    act = await _activity(world, modul)
    assert act is not None and (act.start_time, act.end_time, act.minutes) == (
        time(13),
        time(23, 59),
        660,
    )
