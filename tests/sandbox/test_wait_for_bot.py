"""The sandbox's wait for the bot's replies, with and without the harness's idle signal."""

from __future__ import annotations

import asyncio

from bot.sandbox.state import SandboxState

USER = 42


def _state() -> SandboxState:
    state = SandboxState("123456789:SANDBOX-token", "kinerja_bot", "Kinerja Bot")
    state.upsert_user(USER, "Uji")
    return state


async def _replies_after(state: SandboxState, later: float, wait: float = 3.0) -> list[str]:
    """The bot says "a" at once and "b" after `later` seconds; what the wait returns with."""
    since = state.chat(USER).bot_seq
    state.add_message(USER, True, text="a")

    async def second() -> None:
        await asyncio.sleep(later)
        state.add_message(USER, True, text="b")

    task = asyncio.create_task(second())
    await state.wait_for_bot(USER, since, wait)
    seen = [m["text"] for m in state.chat_entries(USER)]
    await task
    return seen


async def test_without_a_signal_a_pause_longer_than_the_quiet_period_ends_the_wait() -> None:
    assert await _replies_after(_state(), 0.6) == ["a"]


async def test_a_busy_bot_is_waited_for_past_the_quiet_period() -> None:
    state = _state()
    state.bot_idle = lambda: len(state.chat_entries(USER)) >= 2  # busy until it said "b"
    assert await _replies_after(state, 0.6) == ["a", "b"]


async def test_an_idle_bot_ends_the_wait_at_once() -> None:
    state = _state()
    state.bot_idle = lambda: True  # whatever comes later is not an answer to this message
    assert await _replies_after(state, 0.2) == ["a"]
