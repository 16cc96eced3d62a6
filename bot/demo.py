"""Demo data for `kinerja-bot sandbox`: a school under a district office, ready to chat.

Invites are marked used and Telegram ids set, so a person can open the web chat and
talk as any of them at once. Two weeks of history come with it, so /rekap, /tim kemarin,
/evaluasi and the atasan's side have something to show: earlier workdays approved (Dewi
skipped one), and the last workday before today sent by Siti and Andi and waiting for
Bambang (his approval requests are in his chat), while Dewi has not reported it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.approval_requests import send_request
from bot.registration import hash_code
from bot.workcalendar import package_calendar
from storage.models import Activity, Employee, Invite, OutboxMessage, SkpItem, Submission, Unit


@dataclass(frozen=True)
class DemoUser:
    telegram_id: int
    nip: str
    name: str
    first_name: str
    position: str
    roles: str
    language: str
    skp: tuple[str, ...] = ()


ADMIN = DemoUser(
    1001,
    "198703152010012004",
    "Rina Kartika, S.E.",
    "Rina",
    "Analis SDM Aparatur",
    "staff,admin",
    "id",
)
ATASAN = DemoUser(
    1002,
    "197505101998031003",
    "Drs. Bambang Sutrisno",
    "Bambang",
    "Kepala Sekolah",
    "staff,supervisor",
    "id",
    ("Terlaksananya supervisi akademik guru", "Tersusunnya laporan bulanan sekolah"),
)
STAFF = (
    DemoUser(
        1003,
        "199001222015042001",
        "Siti Rahmawati, S.Pd.",
        "Siti",
        "Guru Kelas V",
        "staff",
        "id",
        (
            "Menyusun modul ajar dan RPP",
            "Melaksanakan pembelajaran di kelas",
            "Melaksanakan penilaian hasil belajar",
            "Mengikuti rapat dan koordinasi sekolah",
        ),
    ),
    DemoUser(
        1004,
        "199208082019031005",
        "Andi Pratama, S.Kom.",
        "Andi",
        "Operator Sekolah",
        "staff",
        "id",
        (
            "Pemutakhiran data Dapodik",
            "Pelaksanaan ANBK",
            "Pengelolaan administrasi persuratan",
        ),
    ),
    DemoUser(
        1005,
        "198812032014022002",
        "Dewi Lestari, A.Md.",
        "Dewi",
        "Bendahara BOS",
        "staff",
        "en",
        (
            "Preparing SPJ for BOS funds",
            "Recording daily cash book",
            "Monthly tax reporting",
        ),
    ),
)
ALL = (ADMIN, ATASAN, *STAFF)

# A full day (7.5 h) per staff member: (start, end, description, index of the SKP item).
DAYS: dict[int, tuple[tuple[time, time, str, int], ...]] = {
    1003: (
        (time(7, 30), time(9, 30), "Mengajar Matematika kelas V materi pecahan", 1),
        (time(9, 30), time(12, 0), "Menyusun modul ajar IPA bab ekosistem", 0),
        (time(13, 0), time(16, 0), "Mengoreksi ulangan harian Bahasa Indonesia", 2),
    ),
    1004: (
        (time(7, 30), time(10, 0), "Pemutakhiran data siswa baru di Dapodik", 0),
        (time(10, 0), time(12, 0), "Menyiapkan ruang dan perangkat simulasi ANBK", 1),
        (time(13, 0), time(16, 0), "Mengarsipkan surat masuk dan keluar", 2),
    ),
    1005: (
        (time(7, 30), time(10, 0), "Recording BOS receipts in the cash book", 1),
        (time(10, 0), time(12, 0), "Preparing SPJ for October BOS spending", 0),
        (time(13, 0), time(16, 0), "Filing PPh 21 monthly tax report", 2),
    ),
}
HISTORY_WORKDAYS = 10
DEWI_SKIPPED = 3  # Dewi did not report the 3rd workday back (a gap /rekap shows)


async def is_empty(session: AsyncSession) -> bool:
    count = (await session.execute(select(func.count()).select_from(Employee))).scalar_one()
    return int(count) == 0


async def seed(session: AsyncSession, now: datetime, timezone: str = "Asia/Jakarta") -> None:
    """Insert the demo organisation; the caller checks `is_empty` first."""
    dinas = Unit(name="Dinas Pendidikan Kabupaten Contoh")
    session.add(dinas)
    await session.flush()
    school = Unit(name="SD Negeri 1 Sukamaju", parent_id=dinas.id)
    session.add(school)
    await session.flush()
    by_tg: dict[int, Employee] = {}
    for user in ALL:
        emp = Employee(
            nip=user.nip,
            name=user.name,
            position=user.position,
            unit_id=dinas.id if user is ADMIN else school.id,
            roles=user.roles,
            telegram_user_id=user.telegram_id,
            language=user.language,
            timezone=timezone,
            active=True,
        )
        session.add(emp)
        by_tg[user.telegram_id] = emp
    await session.flush()
    for user in STAFF:
        by_tg[user.telegram_id].supervisor_id = by_tg[ATASAN.telegram_id].id
    for user in ALL:
        emp = by_tg[user.telegram_id]
        session.add(
            Invite(
                code_hash=hash_code(f"demo-{user.nip}"),
                employee_id=emp.id,
                expires_at=now,
                used_at=now,
            )
        )
        for title in user.skp:
            session.add(SkpItem(employee_id=emp.id, year=now.year, title=title))
    await session.flush()
    await _history(session, by_tg, now, timezone)


async def _history(
    session: AsyncSession, by_tg: dict[int, Employee], now: datetime, timezone: str
) -> None:
    today = now.astimezone(ZoneInfo(timezone)).date()
    first, last = today - timedelta(days=31), today - timedelta(days=1)
    days = package_calendar(first, last).workdays(first, last)[-HISTORY_WORKDAYS:]
    if not days:
        return
    boss = by_tg[ATASAN.telegram_id]
    joined = datetime.combine(days[0] - timedelta(days=7), time(1, 0), now.tzinfo)
    for emp in by_tg.values():
        emp.created_at = joined
    last = days[-1]
    waiting: list[tuple[Employee, Submission]] = []
    for user in STAFF:
        emp = by_tg[user.telegram_id]
        items = (
            (await session.execute(select(SkpItem.id).where(SkpItem.employee_id == emp.id)))
            .scalars()
            .all()
        )
        for back, day in enumerate(reversed(days), start=1):
            if user.telegram_id == 1005 and (back == DEWI_SKIPPED or day == last):
                continue
            pending = day == last
            sub = Submission(
                employee_id=emp.id,
                work_date=day,
                status="submitted" if pending else "approved",
                decided_by=None if pending else boss.id,
                decided_at=None if pending else _at(day, time(16, 30), timezone),
                created_at=_at(day, time(15, 45), timezone),
            )
            session.add(sub)
            await session.flush()
            for start, end, text, skp in DAYS[user.telegram_id]:
                session.add(
                    Activity(
                        employee_id=emp.id,
                        work_date=day,
                        start_time=start,
                        end_time=end,
                        minutes=_minutes(start, end),
                        description=text,
                        skp_item_id=items[skp] if skp < len(items) else None,
                        submission_id=sub.id,
                        created_at=sub.created_at,
                    )
                )
            if pending:
                waiting.append((emp, sub))
    await session.flush()
    for emp, sub in waiting:
        await send_request(session, emp, sub, now)
    # The sandbox creates its users after the seed: hold the requests a few seconds so the
    # first send does not find Bambang's chat missing (a 403 would mark him as blocked).
    await session.execute(update(OutboxMessage).values(not_before=now + timedelta(seconds=8)))
    await session.flush()


def _at(day: date, at: time, timezone: str) -> datetime:
    return datetime.combine(day, at, ZoneInfo(timezone))


def _minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
