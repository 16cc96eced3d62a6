"""What a walk through the product as its people turned up (the QA pass), end to end."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import httpx
from sqlalchemy import select

from bot import drafts
from handlers.approval import send_morning_summaries
from storage.models import Activity, Delegation, Employee, OutboxMessage, Submission
from tests.e2e.conftest import World, buttons, texts
from tests.e2e.test_approval import (
    Cast,
    cast,
    forge,
    only_submission,
    request_for,
    state,
    submit,
    wait_for,
)
from tests.e2e.test_recap import registered_since


async def _partly_approved(world: World) -> Cast:
    """Siti's day (1.5 h + 2 h) with activity 1 approved and activity 2 rejected."""
    c = await cast(world)
    await registered_since(world, datetime(2026, 1, 5, tzinfo=UTC))
    await submit(world, c.tg["siti"])
    req = await request_for(world, c.tg["boss"], "Siti Rahmawati")
    boss = c.tg["boss"]
    await world.client.press(boss, req["message_id"], button="🔍 Periksa satu per satu")
    await world.client.press(boss, req["message_id"], button="✅ 1")
    await world.client.press(boss, req["message_id"], button="❌ 2")
    assert (await only_submission(world, c.siti)).status == "partly_approved"
    return c


async def test_a_partly_approved_day_counts_as_reported_with_its_approved_hours(
    world: World,
) -> None:
    tg = (await _partly_approved(world)).tg
    team = texts((await world.client.send(tg["boss"], "/rekap tim", wait=4.0))["replies"])
    siti = next(line for line in team.splitlines() if "Siti" in line)
    # Reported that day (not 0 days and 5 missing); only the approved 1.5 h count.
    assert "1,5 jam, lapor 1 hari, belum 4, menunggu 1" in siti, siti
    own = texts((await world.client.send(tg["siti"], "/rekap", wait=4.0))["replies"])
    assert "Jam: <b>1,5</b>" in own or "1,5 dari" in own, own
    assert "Ditolak / minta revisi: Jum 27" in own or "minta revisi" in own, own


async def test_hariini_offers_kirim_ulang_for_a_day_sent_back(world: World) -> None:
    c = await _partly_approved(world)
    tg = c.tg
    view = (await world.client.send(tg["siti"], "/hariini"))["replies"][-1]
    assert buttons(view) == ["✏️ 2", "🗑 2", "📤 Kirim ulang"]
    sent = await world.client.press(tg["siti"], view["message_id"], button="📤 Kirim ulang")
    assert "terkirim ulang" in sent["answer"]["text"].lower()
    assert (await only_submission(world, c.siti)).status == "submitted"
    # The /hariini message shows the day again with its new status (not the old one).
    shown = await wait_for(world, tg["siti"], lambda m: m["message_id"] == view["message_id"])
    assert shown["text"].startswith("📤 Terkirim ulang ke atasan.")
    assert "disetujui sebagian" not in shown["text"] and "menunggu" in shown["text"].lower()
    assert "📤 Kirim ulang" not in buttons(shown) and "✏️ 2" in buttons(shown)
    fresh = await wait_for(
        world, tg["boss"], lambda m: "Dikirim ulang" in m["text"] and bool(m.get("buttons"))
    )
    assert "Siti Rahmawati" in fresh["text"]
    # A day waiting for a decision, or not sent yet, has no such button.
    again = (await world.client.send(tg["siti"], "/hariini"))["replies"][-1]
    assert "📤 Kirim ulang" not in buttons(again)


async def test_tim_explains_its_marks_and_a_person_shows_each_verdict(world: World) -> None:
    c = await _partly_approved(world)
    async with world.db.session() as session:
        siti = await session.get(Employee, c.siti.id)
        assert siti is not None
        siti.name = "Siti Rahmawati, S.Pd."
    view = (await world.client.send(c.tg["boss"], "/tim"))["replies"][-1]
    assert "✅ jam cukup · 🟡 kurang · ❌ belum lapor · ⏳ menunggu keputusan" in view["text"]
    rows = [[b["text"] for b in row] for row in view["buttons"]]
    # Two a row (three cut the names on a phone), the degree left out of the button.
    assert [len(r) for r in rows[:-1]] == [2, 1]
    assert "3. Siti Rahmawati" in buttons(view)
    person = await world.client.press(c.tg["boss"], view["message_id"], button="3. Siti Rahmawati")
    text = texts(person["replies"])
    assert "✅ 07.30–09.00 Mengajar IPA" in text, text
    assert "❌ " in text and "Menyusun modul ajar pecahan" in text, text


async def test_bahasa_with_a_language_switches_at_once(world: World) -> None:
    siti = await world.add_employee("Siti Rahmawati")
    tg = await world.join(siti)
    reply = (await world.client.send(tg, "/bahasa en"))["replies"][-1]
    assert reply.get("buttons") in (None, [])
    async with world.db.session() as session:
        assert (await session.get(Employee, siti.id)).language == "en"  # type: ignore[union-attr]
    back = (await world.client.send(tg, "/bahasa Indonesia"))["replies"][-1]
    assert "Indonesia" in back["text"]
    async with world.db.session() as session:
        assert (await session.get(Employee, siti.id)).language == "id"  # type: ignore[union-attr]
    # No argument, or one it does not know: the picker, as before.
    picker = (await world.client.send(tg, "/bahasa klingon"))["replies"][-1]
    assert buttons(picker) == ["🇮🇩 Bahasa Indonesia", "🇬🇧 English"]


async def test_the_admin_menu_lists_every_command(world: World) -> None:
    admin = await world.add_employee("Rina Kartika", roles="staff,supervisor,admin")
    tg = await world.join(admin)
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{world.sandbox.api_base_url}{world.sandbox.token}/getMyCommands",
            json={"scope": {"type": "chat", "chat_id": tg}},
        )
    names = [c["command"] for c in response.json()["result"]]
    for name in ("lapor", "hariini", "rekap", "tim", "ekspor", "evaluasi", "admin", "bantuan"):
        assert name in names, names
    assert {"broadcast", "deadline", "libur", "plt", "digest", "batal"} <= set(names)


async def test_plt_with_iso_dates_a_spaced_nip_ended_early_by_command_and_by_button(
    world: World,
) -> None:
    c = await cast(world)  # Friday 27 Nov 2026
    tgb, nip = c.tg["boss"], c.plt.nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    ok = await world.client.send(tgb, f"/plt {spaced} 2026-11-27 - 2026-12-12")
    assert "Rudi Hartono menjadi Plt untuk Bambang Sutrisno" in texts(ok["replies"])
    assert "12 Desember 2026" in texts(ok["replies"])
    # Ended by command: from today Rudi decides nothing; he is told.
    ended = await world.client.send(tgb, f"/plt batal {nip}")
    assert "diakhiri" in texts(ended["replies"])
    async with world.db.session() as session:
        rows = (await session.execute(select(Delegation))).scalars().all()
        assert [(r.start_date.isoformat(), r.end_date.isoformat()) for r in rows] == []
    await wait_for(world, c.tg["plt"], lambda m: "telah diakhiri" in m["text"])
    again = await world.client.send(tgb, f"/plt batal {nip}")
    assert "Tidak ada Plt yang berlaku" in texts(again["replies"])
    # A future one, ended by the button under /plt; the staff cannot end it.
    await world.client.send(tgb, f"/plt {nip} 1-5 Des")
    listing = (await world.client.send(tgb, "/plt"))["replies"][-1]
    assert buttons(listing) == ["✖️ Akhiri Plt Rudi Hartono"]
    data = listing["buttons"][0][0]["callback_data"]
    before = await state(world)
    forged = await forge(world, c.tg["siti"], data)
    assert forged["answer"]["text"]
    assert await state(world) == before
    pressed = await world.client.press(
        tgb, listing["message_id"], button="✖️ Akhiri Plt Rudi Hartono"
    )
    assert pressed["answer"]["text"] == "Plt diakhiri"
    async with world.db.session() as session:
        assert (await session.execute(select(Delegation))).scalars().all() == []
    usage = await world.client.send(tgb, "/plt batal")
    assert "/plt batal NIP_PLT" in texts(usage["replies"])


async def _morning_tick(world: World, at: datetime) -> None:
    world.clock.set(at)
    assert world.runtime is not None
    await send_morning_summaries(SimpleNamespace(app=world.runtime.ctx))  # type: ignore[arg-type]


async def _morning_rows(world: World) -> list[str]:
    async with world.db.session() as session:
        keys = await session.execute(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like("morning:%"))
        )
        return sorted(k for k in keys.scalars() if k)


async def test_morning_summary_opt_in_once_a_workday_listing_who_did_not_report(
    world: World,
) -> None:
    c = await cast(world)  # Friday 27 Nov 2026 10:00 WIB
    await registered_since(world, datetime(2026, 11, 1, tzinfo=UTC))
    boss = c.tg["boss"]
    # Off by default: nothing on Friday morning.
    await _morning_tick(world, datetime(2026, 11, 27, 0, 30, tzinfo=UTC))  # 07:30 WIB
    assert await _morning_rows(world) == []
    settings = (await world.client.send(boss, "/digest"))["replies"][-1]
    assert "Ringkasan pagi" in settings["text"] and "tidak aktif" in settings["text"]
    turned = await world.client.press(
        boss, settings["message_id"], button="🌅 Aktifkan ringkasan pagi"
    )
    assert "🌅 Matikan ringkasan pagi" in buttons(turned["replies"][-1])
    bad = await world.client.send(boss, "/digest pagi kapan")
    assert "/digest pagi on" in texts(bad["replies"])
    refused = await world.client.send(c.tg["siti"], "/digest pagi on")
    assert "hanya untuk atasan" in texts(refused["replies"])
    # Siti reports Friday; then the weekend: no summary on Saturday or Sunday.
    await submit(world, c.tg["siti"])
    for at in (datetime(2026, 11, 28, 1, 0, tzinfo=UTC), datetime(2026, 11, 29, 1, 0, tzinfo=UTC)):
        await _morning_tick(world, at)
    assert await _morning_rows(world) == []
    # Monday before 07:00: not yet. At 07:05: Friday's missing (Andi, Rudi), once.
    await _morning_tick(world, datetime(2026, 11, 29, 23, 30, tzinfo=UTC))  # Mon 06:30 WIB
    assert await _morning_rows(world) == []
    monday = datetime(2026, 11, 30, 0, 5, tzinfo=UTC)
    await _morning_tick(world, monday)
    await _morning_tick(world, monday)
    assert await _morning_rows(world) == [f"morning:{c.boss.id}:20261130"]
    msg = await wait_for(world, boss, lambda m: "Belum melapor" in m["text"])
    assert "Jumat, 27 November 2026: 2 orang" in msg["text"]
    assert "• Andi Wijaya" in msg["text"] and "• Rudi Hartono" in msg["text"]
    assert "Siti" not in msg["text"]
    # Off again by command: Tuesday brings nothing.
    off = await world.client.send(boss, "/digest pagi off")
    assert "🌅 Aktifkan ringkasan pagi" in buttons(off["replies"][-1])
    await _morning_tick(world, datetime(2026, 12, 1, 0, 5, tzinfo=UTC))
    assert await _morning_rows(world) == [f"morning:{c.boss.id}:20261130"]


COMMON = ("/lapor", "/hariini", "/batal", "/rekap", "/ekspor", "/skp", "/bahasa", "/bantuan")
ATASAN = ("/tim", "/rekap tim", "/digest", "/digest pagi on", "/plt", "/plt batal", "/evaluasi")


async def test_bantuan_lists_the_commands_that_exist_for_each_role(world: World) -> None:
    c = await cast(world)
    staff = texts((await world.client.send(c.tg["siti"], "/bantuan"))["replies"])
    boss = texts((await world.client.send(c.tg["boss"], "/bantuan"))["replies"])
    admin = texts((await world.client.send(c.tg["admin"], "/bantuan"))["replies"])
    english = texts((await world.client.send(c.tg["andi"], "/bantuan"))["replies"])
    for text in (staff, boss, admin, english):
        for command in COMMON:
            assert command in text, (command, text)
    for command in ATASAN:
        assert command in boss, command
    assert "\nAtasan\n" in boss and "\nAtasan\n" not in staff + admin
    assert "/admin" in admin and "/admin" not in staff + boss
    assert "/tim yesterday" not in english  # Andi is staff: no supervisor section
    assert "this guide" in english and "/rekap last week" in english


async def _draft_report(world: World, employee: Employee) -> object:
    async with world.db.session() as session:
        return (await drafts.load(session, employee.id)).report


async def test_setuju_typed_by_an_atasan_shows_the_waiting_days_not_a_new_report(
    world: World,
) -> None:
    c = await cast(world)
    boss = c.tg["boss"]
    # Nothing waiting: "ok" is plain text for the report flow, as before.
    plain = await world.client.send(boss, "ok")
    assert "Laporan mana yang dimaksud" not in texts(plain["replies"])
    await world.client.send(boss, "/batal")
    await submit(world, c.tg["siti"])
    await submit(world, c.tg["andi"])
    await request_for(world, boss, "Andi Wijaya")
    for word in ("setuju", "Setuju!", "ok", "ACC", "tolak"):
        reply = (await world.client.send(boss, word))["replies"][-1]
        assert reply["text"].startswith("Laporan mana yang dimaksud?"), (word, reply["text"])
        assert "2 laporan" in reply["text"]
        assert buttons(reply) == ["1. Andi Wijaya", "2. Siti Rahmawati", "✅ Setujui semua (2)"]
        assert await _draft_report(world, c.boss) is None
    assert (await only_submission(world, c.siti)).status == "submitted"  # nothing decided
    # A question waiting for a typed reason takes the word as the reason.
    req = await wait_for(world, boss, lambda m: "Laporan dari Siti Rahmawati" in m["text"])
    await world.client.press(boss, req["message_id"], button="🔁 Minta revisi")
    await world.client.send(boss, "revisi")
    sub = await only_submission(world, c.siti)
    assert (sub.status, sub.note) == ("revision_requested", "revisi")
    # Staff typing "ok" are not atasan of anyone: the report flow answers.
    staff = await world.client.send(c.tg["siti"], "ok")
    assert "Laporan mana yang dimaksud" not in texts(staff["replies"])


async def test_rekap_tim_does_not_count_today_as_missing_before_it_is_reported(
    world: World,
) -> None:
    c = await cast(world)  # Friday 27 Nov 2026, 10:00 WIB
    await registered_since(world, datetime(2026, 1, 5, tzinfo=UTC))
    async with world.db.session() as session:  # Andi reported Monday to Thursday in full
        for day in range(23, 27):
            sub = Submission(
                employee_id=c.andi.id, work_date=date(2026, 11, day), status="approved"
            )
            session.add(sub)
            await session.flush()
            session.add(
                Activity(
                    employee_id=c.andi.id,
                    work_date=date(2026, 11, day),
                    minutes=450,
                    description="Mengajar kelas V",
                    submission_id=sub.id,
                )
            )
    await submit(world, c.tg["siti"])  # Siti: only today, 3.5 h so far
    team = texts((await world.client.send(c.tg["boss"], "/rekap tim", wait=4.0))["replies"])
    lines = {line.split(" — ")[0]: line for line in team.splitlines() if " — " in line}
    assert lines["🟢 Andi Wijaya"].endswith("30 jam, lapor 4 hari, belum 0, menunggu 0, ditolak 0")
    # Siti reported today: today counts for her (3.5 of 37.5 h, Monday-Thursday missing).
    assert "🔴 Siti Rahmawati" in lines and "belum 4" in lines["🔴 Siti Rahmawati"]
    assert "Tertinggal: 2 orang" in team  # Siti and Rudi, not Andi


async def test_evaluasi_names_the_month_it_rates_not_this_month(world: World) -> None:
    c = await cast(world)  # 27 Nov: October is rated
    start = (await world.client.send(c.tg["boss"], "/evaluasi"))["replies"][-1]
    siti = next(b for b in buttons(start) if "Siti" in b)
    asked = texts(
        (await world.client.press(c.tg["boss"], start["message_id"], button=siti))["replies"]
    )
    assert "Belum ada laporan pada Oktober 2026." in asked
    assert "Hasil kerja pada Oktober 2026 dibanding ekspektasi?" in asked
    assert "bulan ini" not in asked


async def test_bantuan_ends_with_the_disclaimer_and_tim_without_staff_has_no_toggle(
    world: World,
) -> None:
    c = await cast(world)
    admin = texts((await world.client.send(c.tg["admin"], "/bantuan"))["replies"])
    assert admin.rstrip().endswith("Salin entri yang sudah disetujui ke e-Kinerja BKN.")
    assert admin.index("/admin") < admin.index("bukan aplikasi resmi BKN")
    team = (await world.client.send(c.tg["siti"], "/tim"))["replies"][-1]
    assert "Belum ada bawahan yang terdaftar." in team["text"]
    assert buttons(team) == []
