"""Demo data for `kinerja-bot sandbox`: a school under a district office, ready to chat.

Invites are marked used and Telegram ids set, so a person can open the web chat and
talk as any of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.registration import hash_code
from storage.models import Employee, Invite, SkpItem, Unit


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
