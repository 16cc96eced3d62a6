"""One user's updates run one at a time, in order; different users run side by side."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.updates import PerUserUpdateProcessor


def _update(update_id: int, user_id: int) -> Update:
    user = User(user_id, "U", False)
    msg = Message(update_id, None, Chat(user_id, "private"), from_user=user, text="x")  # type: ignore[arg-type]
    return Update(update_id, message=msg)


async def test_same_user_serialised_other_users_concurrent() -> None:
    proc = PerUserUpdateProcessor(16)
    log: list[str] = []
    running = {"now": 0, "max": 0}

    async def work(name: str, delay: float) -> None:
        running["now"] += 1
        running["max"] = max(running["max"], running["now"])
        log.append(f"start {name}")
        await asyncio.sleep(delay)
        log.append(f"end {name}")
        running["now"] -= 1

    await asyncio.gather(
        proc.process_update(_update(1, 7), work("a1", 0.05)),
        proc.process_update(_update(2, 7), work("a2", 0.0)),
        proc.process_update(_update(3, 8), work("b1", 0.01)),
    )
    assert log.index("end a1") < log.index("start a2")  # a2 waited for a1
    assert log.index("start b1") < log.index("end a1")  # b1 did not wait
    assert running["max"] == 2
    assert proc._locks == {}  # no lock left behind per user
