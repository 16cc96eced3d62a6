"""Issue 9 end to end: the atasan decides, through the sandbox, with every refusal asserted.

Cast: two staff (Siti, Andi) under an atasan (Bambang), a delegate (Plt, Rudi, in the same
unit), an admin, and an outsider (Oki, another unit, another atasan).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select

from bot import digest
from bot.approval_buttons import DigestPress
from bot.i18n import t
from handlers.approval import send_digests
from storage.models import (
    Activity,
    Delegation,
    Employee,
    OutboxMessage,
    Submission,
    Unit,
)
from tests.e2e.conftest import World, buttons, texts

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # Friday 10:00 WIB
DAY = "07.30-09.00 mengajar IPA kelas V materi ekosistem\nmenyusun modul ajar pecahan 2 jam"
Msg = dict[str, Any]


@dataclass
class Cast:
    boss: Employee
    siti: Employee
    andi: Employee
    plt: Employee
    admin: Employee
    oki: Employee
    tg: dict[str, int]


async def cast(world: World) -> Cast:
    world.clock.set(NOW)
    async with world.db.session() as session:
        school = Unit(name="SDN 1")
        other = Unit(name="SDN 2")
        session.add_all([school, other])
        await session.flush()
        units = (school.id, other.id)
    boss = await world.add_employee("Bambang Sutrisno", roles="staff,supervisor", position="Kepsek")
    siti = await world.add_employee("Siti Rahmawati", supervisor=boss)
    andi = await world.add_employee("Andi Wijaya", supervisor=boss, language="en")
    plt = await world.add_employee("Rudi Hartono", supervisor=boss)
    admin = await world.add_employee("Admin BKPSDM", roles="staff,admin")
    oki_boss = await world.add_employee("Kepala Lain", roles="staff,supervisor")
    oki = await world.add_employee("Oki Outsider", roles="staff,supervisor", supervisor=oki_boss)
    async with world.db.session() as session:
        for emp in (boss, siti, andi, plt):
            (await session.get(Employee, emp.id)).unit_id = units[0]  # type: ignore[union-attr]
        for emp in (oki, oki_boss):
            (await session.get(Employee, emp.id)).unit_id = units[1]  # type: ignore[union-attr]
    tg = {}
    for key, emp in (("boss", boss), ("siti", siti), ("plt", plt), ("admin", admin), ("oki", oki)):
        tg[key] = await world.join(emp)
    tg["andi"] = await world.join(andi, language_code="en")
    return Cast(boss, siti, andi, plt, admin, oki, tg)


async def wait_for(world: World, tg: int, test: Callable[[Msg], bool], seconds: float = 6.0) -> Msg:
    """The newest bot message in `tg`'s chat passing `test` (the outbox delivers it)."""
    for _ in range(int(seconds / 0.1)):
        for msg in reversed(await world.client.chat(tg)):
            if msg["from"] == "bot" and test(msg):
                return msg
        await asyncio.sleep(0.1)
    raise AssertionError("no such message; chat ends: " + texts((await world.client.chat(tg))[-3:]))


async def submit(world: World, tg: int, text: str = DAY) -> None:
    summary = (await world.client.send(tg, text))["replies"][-1]
    sent = await world.client.press(tg, summary["message_id"], button=buttons(summary)[0])
    assert "terkirim" in texts(sent["replies"]).lower() or "sent" in texts(sent["replies"])


async def request_for(world: World, tg: int, name: str) -> Msg:
    return await wait_for(world, tg, lambda m: name in m["text"] and bool(m.get("buttons")))


async def forge(world: World, tg: int, data: str) -> Msg:
    """`tg` sends raw callback data from a bot message in their own chat, as a forged client."""
    own = (await bot_messages(world, tg))[-1]
    result: Msg = await world.client.press(tg, own["message_id"], callback_data=data)
    return result


async def bot_messages(world: World, tg: int) -> list[Msg]:
    return [m for m in await world.client.chat(tg) if m["from"] == "bot"]


async def state(world: World) -> tuple[Any, ...]:
    """Everything a decision could change: submissions, activities, delegations, outbox."""
    async with world.db.session() as session:
        subs = (
            await session.execute(
                select(
                    Submission.id,
                    Submission.status,
                    Submission.decided_by,
                    Submission.decided_for,
                    Submission.note,
                ).order_by(Submission.id)
            )
        ).all()
        acts = (
            await session.execute(
                select(
                    Activity.id, Activity.description, Activity.minutes, Activity.review_status
                ).order_by(Activity.id)
            )
        ).all()
        outbox = await session.scalar(select(func.count()).select_from(OutboxMessage))
        plts = await session.scalar(select(func.count()).select_from(Delegation))
    return tuple(subs), tuple(acts), outbox, plts


async def only_submission(world: World, employee: Employee) -> Submission:
    async with world.db.session() as session:
        return (
            await session.execute(select(Submission).where(Submission.employee_id == employee.id))
        ).scalar_one()


async def test_approve_outsider_forged_double_tap_and_lock(world: World) -> None:
    c = await cast(world)
    await submit(world, c.tg["siti"])
    req = await request_for(world, c.tg["boss"], "Siti Rahmawati")
    assert buttons(req) == [
        "✅ Setujui",
        "❌ Tolak",
        "🔁 Minta revisi",
        "🔍 Periksa satu per satu",
    ]
    sub = await only_submission(world, c.siti)
    before = await state(world)

    # The outsider replays the real button's data, and forges others: refused, nothing changes.
    ok_data = req["buttons"][0][0]["callback_data"]
    for data in (
        ok_data,
        f"ap:no:r:{sub.id}:1:1",
        f"ap:aok:r:{sub.id}:1:1",
        f"ap:one:r:{sub.id}:1",
    ):
        refused = await forge(world, c.tg["oki"], data)
        assert "bukan atasan" in refused["answer"]["text"], data
    for data in (
        "ap:ok:r:x",
        "ap:ok:r:99999999",
        "ap:zz:r:1",
        f"ap:ok:r:{sub.id}:5",
        f"ap:ok:r:{sub.id}:1:7",
        "ap",
    ):
        refused = await world.client.press(c.tg["boss"], req["message_id"], callback_data=data)
        assert refused["answer"] is not None, data
    # Siti herself cannot approve her own day either.
    refused = await forge(world, c.tg["siti"], ok_data)
    assert "bukan atasan" in refused["answer"]["text"]
    assert await state(world) == before

    pressed = await world.client.press(c.tg["boss"], req["message_id"], button="✅ Setujui")
    assert pressed["answer"]["text"] == "✅ Disetujui"
    decided = await wait_for(
        world,
        c.tg["boss"],
        lambda m: m["message_id"] == req["message_id"] and "Disetujui" in m["text"],
    )
    assert "Disetujui</b>" not in decided["text"]  # rendered, not raw HTML
    assert "Disetujui oleh Bambang Sutrisno" in decided["text"]
    assert buttons(decided) == []
    notice = await wait_for(world, c.tg["siti"], lambda m: "disetujui" in m["text"])
    assert "Bambang Sutrisno" in notice["text"]

    after = await state(world)
    again = await world.client.press(c.tg["boss"], req["message_id"], callback_data=ok_data)
    assert again["answer"]["text"] == "Laporan ini sudah diputuskan."
    assert await state(world) == after
    sub = await only_submission(world, c.siti)
    assert (sub.status, sub.decided_by, sub.decided_for) == ("approved", c.boss.id, None)

    view = (await world.client.send(c.tg["siti"], "/hariini"))["replies"][-1]
    assert "disetujui atasan" in view["text"] and buttons(view) == []


async def test_reject_with_quick_and_typed_reasons(world: World) -> None:
    c = await cast(world)
    await submit(world, c.tg["siti"])
    await submit(world, c.tg["andi"])
    siti_req = await request_for(world, c.tg["boss"], "Siti Rahmawati")
    andi_req = await request_for(world, c.tg["boss"], "Andi Wijaya")

    asked = await world.client.press(c.tg["boss"], siti_req["message_id"], button="❌ Tolak")
    menu = asked["replies"][-1]
    assert "Alasan penolakan" in menu["text"]
    assert buttons(menu) == [
        "Uraian kurang jelas",
        "Durasi tidak wajar",
        "Tidak sesuai SKP",
        "⬅️ Kembali",
    ]
    await world.client.press(c.tg["boss"], siti_req["message_id"], button="Uraian kurang jelas")
    decided = await wait_for(
        world,
        c.tg["boss"],
        lambda m: m["message_id"] == siti_req["message_id"] and "Ditolak" in m["text"],
    )
    assert "Alasan: Uraian kurang jelas" in decided["text"] and buttons(decided) == []
    notice = await wait_for(world, c.tg["siti"], lambda m: "ditolak" in m["text"])
    assert "Alasan: Uraian kurang jelas" in notice["text"]
    assert buttons(notice) == ["📤 Kirim ulang"]

    # A typed reason: too long first (nothing stored), then HTML, escaped everywhere.
    await world.client.press(c.tg["boss"], andi_req["message_id"], button="❌ Tolak")
    before = await state(world)
    long = await world.client.send(c.tg["boss"], "x" * 501)
    assert "terlalu panjang (501 karakter; paling banyak 500)" in texts(long["replies"])
    assert await state(world) == before
    reason = "Uraian <b>kabur</b> & jam <script>tidak</script> wajar"
    typed = await world.client.send(c.tg["boss"], reason)
    assert "Ditolak" in texts(typed["replies"])
    decided = await wait_for(
        world,
        c.tg["boss"],
        lambda m: m["message_id"] == andi_req["message_id"] and "Ditolak" in m["text"],
    )
    assert f"Alasan: {reason}" in decided["text"]  # shown as text: it was escaped
    notice = await wait_for(world, c.tg["andi"], lambda m: "rejected" in m["text"])
    assert f"Reason: {reason}" in notice["text"]  # Andi reads English
    assert buttons(notice) == ["📤 Send again"]
    sub = await only_submission(world, c.andi)
    assert (sub.status, sub.note) == ("rejected", reason)


async def test_pending_edit_in_place_then_revise_edit_resubmit(world: World) -> None:
    c = await cast(world)
    await submit(world, c.tg["siti"])
    req = await request_for(world, c.tg["boss"], "Siti Rahmawati")
    count = len(await bot_messages(world, c.tg["boss"]))

    # Siti changes a description while the day waits: the same request shows it.
    view = (await world.client.send(c.tg["siti"], "/hariini"))["replies"][-1]
    await world.client.press(c.tg["siti"], view["message_id"], button="✏️ 2")
    await world.client.press(c.tg["siti"], view["message_id"], button="📝 Uraian")
    await world.client.send(c.tg["siti"], "Menyusun modul ajar pecahan kelas V bab 3")
    updated = await wait_for(
        world, c.tg["boss"], lambda m: m["message_id"] == req["message_id"] and "bab 3" in m["text"]
    )
    assert "Diperbarui oleh pegawai" in updated["text"]
    assert buttons(updated)[:3] == ["✅ Setujui", "❌ Tolak", "🔁 Minta revisi"]
    assert len(await bot_messages(world, c.tg["boss"])) == count  # no second request

    await world.client.press(c.tg["boss"], req["message_id"], button="🔁 Minta revisi")
    await world.client.press(c.tg["boss"], req["message_id"], button="Durasi tidak wajar")
    notice = await wait_for(
        world, c.tg["siti"], lambda m: "revisi" in m["text"] and bool(m.get("buttons"))
    )
    assert "Alasan: Durasi tidak wajar" in notice["text"]

    # Reopened: Siti fixes the duration, then sends again.
    view = (await world.client.send(c.tg["siti"], "/hariini"))["replies"][-1]
    assert "meminta revisi" in view["text"]
    await world.client.press(c.tg["siti"], view["message_id"], button="✏️ 2")
    await world.client.press(c.tg["siti"], view["message_id"], button="⏱ Durasi")
    await world.client.press(c.tg["siti"], view["message_id"], button="1 jam")
    again = await world.client.press(c.tg["siti"], notice["message_id"], button="📤 Kirim ulang")
    assert again["answer"]["text"] == "📤 Terkirim ulang ke atasan."
    fresh = await wait_for(world, c.tg["boss"], lambda m: "Dikirim ulang" in m["text"])
    assert fresh["message_id"] != req["message_id"]
    assert "2. durasi 2 jam → 1 jam" in fresh["text"]
    assert "uraian baru" not in fresh["text"]  # the in-place edit was already seen
    old = await wait_for(
        world,
        c.tg["boss"],
        lambda m: m["message_id"] == req["message_id"] and "Digantikan" in m["text"],
    )
    assert "Revisi diminta" in old["text"] and buttons(old) == []
    assert len(await bot_messages(world, c.tg["boss"])) == count + 1  # exactly one fresh request

    before = await state(world)
    twice = await world.client.press(
        c.tg["siti"], notice["message_id"], callback_data=notice["buttons"][0][0]["callback_data"]
    )
    assert "sudah dikirim ulang" in twice["answer"]["text"]
    assert await state(world) == before
    # The old request's buttons are gone; its data replayed is refused as already decided.
    stale = await world.client.press(
        c.tg["boss"], req["message_id"], callback_data=req["buttons"][0][0]["callback_data"]
    )
    assert "tidak berlaku" in stale["answer"]["text"]
    assert await state(world) == before
    await world.client.press(c.tg["boss"], fresh["message_id"], button="✅ Setujui")
    sub = await only_submission(world, c.siti)
    assert sub.status == "approved"


async def test_per_activity_decisions(world: World) -> None:
    c = await cast(world)
    await submit(world, c.tg["siti"])
    req = await request_for(world, c.tg["boss"], "Siti Rahmawati")
    one = await world.client.press(
        c.tg["boss"], req["message_id"], button="🔍 Periksa satu per satu"
    )
    assert buttons(one["replies"][-1]) == ["✅ 1", "❌ 1", "✅ 2", "❌ 2", "⬅️ Kembali"]
    first = await world.client.press(c.tg["boss"], req["message_id"], button="✅ 1")
    assert first["answer"]["text"] == "Dicatat"
    assert (await only_submission(world, c.siti)).status == "submitted"
    twice = await world.client.press(c.tg["boss"], req["message_id"], button="• ✅ 1")
    assert twice["answer"]["text"] == "Kegiatan ini sudah dinilai. Nilai kegiatan lainnya."
    last = await world.client.press(c.tg["boss"], req["message_id"], button="❌ 2")
    assert last["answer"]["text"] == "◐ Disetujui sebagian"
    done = await wait_for(
        world,
        c.tg["boss"],
        lambda m: m["message_id"] == req["message_id"] and "sebagian" in m["text"],
    )
    assert buttons(done) == []
    notice = await wait_for(world, c.tg["siti"], lambda m: "sebagian" in m["text"])
    assert "❌ 2. Menyusun modul ajar pecahan" in notice["text"]
    sub = await only_submission(world, c.siti)
    assert sub.status == "partly_approved"
    # The approved activity is locked; the rejected one can be fixed.
    view = (await world.client.send(c.tg["siti"], "/hariini"))["replies"][-1]
    assert buttons(view) == ["✏️ 2", "🗑 2", "📤 Kirim ulang"]
    assert "disetujui sebagian" in view["text"]


async def test_delegate_inside_and_outside_the_range_and_bad_plt_input(world: World) -> None:
    c = await cast(world)
    boss, tgb = c.boss, c.tg["boss"]
    before = await state(world)
    bad = {
        f"/plt {boss.nip} 1-12 Des": "bukan atasan itu sendiri",
        f"/plt {c.oki.nip} 1-12 Des": "di luar unit kerja",
        f"/plt {c.plt.nip} 1-10 Nov": "sudah lewat",
        f"/plt {c.plt.nip} 1 Des - 5 Mar 2027": "paling lama 90 hari",
        f"/plt {c.plt.nip} kapan-kapan": "Tanggal tidak terbaca",
        "/plt 199999999999999999 1-12 Des": "Tidak ada pegawai aktif",
        "/plt 1-12 Des": "Cara menunjuk Plt",
    }
    for command, expected in bad.items():
        reply = await world.client.send(tgb, command)
        assert expected in texts(reply["replies"]), command
    staff_try = await world.client.send(c.tg["siti"], f"/plt {c.plt.nip} 1-12 Des")
    assert "Hanya atasan" in texts(staff_try["replies"])
    admin_bad = await world.client.send(c.tg["admin"], f"/plt {boss.nip} {c.oki.nip} 1-12 Des")
    assert "di luar unit kerja" in texts(admin_bad["replies"])
    assert await state(world) == before  # nothing stored

    ok = await world.client.send(tgb, f"/plt {c.plt.nip} 1-12 Des")
    assert "Rudi Hartono menjadi Plt untuk Bambang Sutrisno" in texts(ok["replies"])
    assert "1 Desember 2026 – 12 Desember 2026" in texts(ok["replies"])
    await wait_for(world, c.tg["plt"], lambda m: "Anda ditunjuk sebagai Plt" in m["text"])
    by_admin = await world.client.send(c.tg["admin"], f"/plt {boss.nip} {c.siti.nip} 14-16 Des")
    assert "Siti Rahmawati menjadi Plt" in texts(by_admin["replies"])

    await submit(world, c.tg["andi"])
    req = await request_for(world, tgb, "Andi Wijaya")
    sub = await only_submission(world, c.andi)
    # 27 Nov: before the range. The Plt replays the atasan's button: refused, nothing changes.
    before = await state(world)
    early = await forge(world, c.tg["plt"], f"ap:ok:r:{sub.id}:1")
    assert "bukan atasan" in early["answer"]["text"]
    assert await state(world) == before

    # 2 Dec: inside. The Plt finds Andi in /tim and approves from there.
    world.clock.set(datetime(2026, 12, 2, 2, 0, tzinfo=UTC))
    team = (await world.client.send(c.tg["plt"], "/tim 27/11"))["replies"][-1]
    assert "Andi Wijaya" in team["text"] and "⏳1" in team["text"]
    person = await world.client.press(
        c.tg["plt"], team["message_id"], button=next(b for b in buttons(team) if "Andi" in b)
    )
    assert "Mengajar IPA" in texts(person["replies"])
    opened = await world.client.press(c.tg["plt"], team["message_id"], button="📝 Putuskan 27/11")
    assert "✅ Setujui" in buttons(opened["replies"][-1])
    done = await world.client.press(c.tg["plt"], team["message_id"], button="✅ Setujui")
    assert done["answer"]["text"] == "✅ Disetujui"
    assert "Rudi Hartono (Plt. untuk Bambang Sutrisno)" in texts(done["replies"])
    sub = await only_submission(world, c.andi)
    assert (sub.status, sub.decided_by, sub.decided_for) == ("approved", c.plt.id, boss.id)
    boss_view = await wait_for(
        world,
        tgb,
        lambda m: (
            m["message_id"] == req["message_id"]
            and "Approved" not in m["text"]
            and "Disetujui" in m["text"]
        ),
    )
    assert "Rudi Hartono (Plt. untuk Bambang Sutrisno)" in boss_view["text"]
    notice = await wait_for(world, c.tg["andi"], lambda m: "approved" in m["text"])
    assert "Rudi Hartono (acting for Bambang Sutrisno)" in notice["text"]

    # 13 Dec: after the range; Siti's own Plt range (14-16) does not help Rudi.
    world.clock.set(datetime(2026, 12, 13, 2, 0, tzinfo=UTC))
    await submit(world, c.tg["siti"], "rapat dinas 2 jam")
    async with world.db.session() as session:
        later = (
            await session.execute(select(Submission).where(Submission.employee_id == c.siti.id))
        ).scalar_one()
    before = await state(world)
    late = await world.client.press(
        c.tg["plt"], team["message_id"], callback_data=f"ap:ok:t:{later.id}:1"
    )
    assert "bukan atasan" in late["answer"]["text"]
    assert await state(world) == before


async def test_digest_with_approve_all(world: World) -> None:
    c = await cast(world)
    turned = await world.client.send(c.tg["boss"], "/digest 16.00")
    assert "aktif, setiap hari kerja pukul 16.00" in texts(turned["replies"])
    refused = await world.client.send(c.tg["siti"], "/digest on")
    assert "hanya untuk atasan" in texts(refused["replies"])
    count = len(await bot_messages(world, c.tg["boss"]))
    await submit(world, c.tg["siti"])
    await submit(world, c.tg["andi"])
    await asyncio.sleep(0.5)
    assert len(await bot_messages(world, c.tg["boss"])) == count  # no request one by one

    async with world.db.session() as session:
        assert await digest.due_digests(session, NOW) == []  # 10:00 < 16:00
    at = datetime(2026, 11, 27, 9, 1, tzinfo=UTC)  # 16:01 WIB
    world.clock.set(at)
    assert world.runtime is not None
    job_context = SimpleNamespace(app=world.runtime.ctx)
    await send_digests(job_context)  # type: ignore[arg-type]
    async with world.db.session() as session:  # a second process, or the next tick: no second
        for approver in await digest.due_digests(session, at):
            await digest.send_digest(session, approver, at)
    await send_digests(job_context)  # type: ignore[arg-type]
    msg = await wait_for(world, c.tg["boss"], lambda m: "Menunggu persetujuan Anda" in m["text"])
    assert "2 laporan" in msg["text"] and "Siti Rahmawati" in msg["text"]
    assert buttons(msg) == ["1. Andi Wijaya", "2. Siti Rahmawati", "✅ Setujui semua (2)"]
    await asyncio.sleep(0.3)
    assert len(await bot_messages(world, c.tg["boss"])) == count + 1

    confirm = await world.client.press(
        c.tg["boss"], msg["message_id"], button="✅ Setujui semua (2)"
    )
    assert "Setujui 2 laporan sekaligus?" in texts(confirm["replies"])
    done = await world.client.press(c.tg["boss"], msg["message_id"], button="✅ Ya, setujui 2")
    assert "2 laporan disetujui" in done["answer"]["text"]
    for emp in (c.siti, c.andi):
        assert (await only_submission(world, emp)).status == "approved"
    final = await wait_for(
        world,
        c.tg["boss"],
        lambda m: m["message_id"] == msg["message_id"] and "Tidak ada laporan" in m["text"],
    )
    assert buttons(final) == []
    again = await world.client.press(c.tg["boss"], msg["message_id"], callback_data="dg:yes:999")
    assert again["answer"] is not None
    await wait_for(world, c.tg["andi"], lambda m: "approved" in m["text"])

    # The settings section (for /pengaturan) switches it off and on again with a time.
    settings = (await world.client.send(c.tg["boss"], "/digest"))["replies"][-1]
    assert buttons(settings) == [
        "🔕 Matikan",
        "07.30",
        "12.00",
        "16.00",
        "🌅 Aktifkan ringkasan pagi",
    ]
    off = await world.client.press(c.tg["boss"], settings["message_id"], button="🔕 Matikan")
    assert "Ringkasan persetujuan: tidak aktif" in texts(off["replies"])
    on = await world.client.press(c.tg["boss"], settings["message_id"], button="07.30")
    assert "aktif, setiap hari kerja pukul 07.30" in texts(on["replies"])
    bad = await world.client.send(c.tg["boss"], "/digest 25.00")
    assert "Perintah tidak dikenali" in texts(bad["replies"])


async def test_evidence_is_shown_to_the_atasan_only(world: World) -> None:
    c = await cast(world)
    summary = (await world.client.send(c.tg["siti"], DAY))["replies"][-1]
    added = await world.client.send(c.tg["siti"], "https://drive.example/modul-bab3")
    assert "Bukti dukung ditambahkan" in texts(added["replies"])
    latest = [m for m in await bot_messages(world, c.tg["siti"]) if "✅ Kirim" in buttons(m)]
    target = latest[-1] if latest else summary
    await world.client.press(c.tg["siti"], target["message_id"], button="✅ Kirim")
    req = await request_for(world, c.tg["boss"], "Siti Rahmawati")
    assert "📎 Lihat bukti" in buttons(req)
    shown = await world.client.press(c.tg["boss"], req["message_id"], button="📎 Lihat bukti")
    assert "https://drive.example/modul-bab3" in texts(shown["replies"])
    data = next(b["callback_data"] for row in req["buttons"] for b in row if "bukti" in b["text"])
    refused = await forge(world, c.tg["oki"], data)
    assert "bukan atasan" in refused["answer"]["text"]
    assert "modul-bab3" not in texts(refused["replies"])


async def message(world: World, user: int, message_id: int) -> dict[str, Any]:
    """One message of the chat as the user sees it now (edits applied)."""
    return next(m for m in await world.client.chat(user) if m["message_id"] == message_id)


async def test_pengaturan_has_the_digest_part_for_atasan_only(world: World) -> None:
    """Atasan = the supervisor role or anyone with a subordinate; the part's buttons redraw
    the whole /pengaturan screen; a staff member's forged press changes nothing."""
    world.clock.set(NOW)
    boss = await world.add_employee("Bambang")  # no supervisor role, but Siti reports to him
    siti = await world.add_employee("Siti", supervisor=boss)
    kepala = await world.add_employee("Kepala", roles="staff,supervisor")  # nobody below yet
    tg_boss, tg_siti, tg_kepala = [await world.join(e) for e in (boss, siti, kepala)]
    off_label = t("id", "digest.btn_on")

    staff = (await world.client.send(tg_siti, "/pengaturan"))["replies"][0]
    assert staff["text"].startswith("Pengaturan") and "Ringkasan persetujuan" not in staff["text"]
    assert off_label not in buttons(staff)
    forged = await world.client.press(
        tg_siti, staff["message_id"], callback_data=DigestPress("on", 0, 1).encode()
    )
    assert forged["answer"]["text"] == t("id", "digest.only_atasan")

    role_only = (await world.client.send(tg_kepala, "/pengaturan"))["replies"][0]
    assert "Ringkasan persetujuan" in role_only["text"] and off_label in buttons(role_only)

    shown = (await world.client.send(tg_boss, "/pengaturan"))["replies"][0]
    assert "Ringkasan persetujuan: tidak aktif" in shown["text"]
    assert "Pengingat harian" in shown["text"]  # the rest of the screen is there too
    on = await world.client.press(tg_boss, shown["message_id"], button=off_label)
    assert on["answer"]["text"] == t("id", "settings.saved")
    screen = await message(world, tg_boss, shown["message_id"])
    assert "Pengingat harian" in screen["text"] and "pukul 16.00" in screen["text"]
    await world.client.press(tg_boss, shown["message_id"], button="07.30")
    screen = await message(world, tg_boss, shown["message_id"])
    assert "pukul 07.30" in screen["text"] and "Pengingat harian" in screen["text"]
    assert t("id", "digest.btn_off") in buttons(screen)
    async with world.db.session() as session:
        modes = dict(
            (await session.execute(select(Employee.name, Employee.digest_mode))).tuples().all()
        )
        boss_time = await session.scalar(select(Employee.digest_time).where(Employee.id == boss.id))
    assert modes == {"Bambang": True, "Siti": False, "Kepala": False}
    assert boss_time is not None and boss_time.strftime("%H:%M") == "07:30"
