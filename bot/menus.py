"""Which commands a person's menu lists: one list per role, defined once.

Telegram shows the default menu (by client language) to everyone and a per-chat menu,
which replaces it, to linked people; both are built from these lists.
"""

from __future__ import annotations

from collections.abc import Iterable

STAFF = (
    "lapor",
    "hariini",
    "rekap",
    "ekspor",
    "skp",
    "cuti",
    "dinas",
    "pengaturan",
    "batal",
    "bahasa",
    "bantuan",
)
SUPERVISOR = ("tim", "plt", "digest", "evaluasi")
ADMIN = ("admin", "broadcast", "deadline", "libur")
EVERYONE = ("start",)


def commands_for(roles: Iterable[str]) -> tuple[str, ...]:
    """The menu of someone holding `roles` (staff always; atasan and admin add theirs)."""
    held = set(roles)
    names = list(STAFF)
    if "supervisor" in held:
        names[2:2] = SUPERVISOR  # right after /lapor and /hariini: what an atasan uses daily
    if "admin" in held:
        names += ADMIN
    return (*names, *EVERYONE)


DEFAULT = commands_for(())
