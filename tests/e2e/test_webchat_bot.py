"""A person in the web chat (headless Chromium) talks to the real bot and presses its button."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import World
from tests.sandbox.browser import async_browser, requires_browser

pytestmark = [pytest.mark.browser, requires_browser]


def _bot_texts(driver: Any) -> list[str]:
    texts: list[str] = driver.execute_script(
        "return Array.from(document.querySelectorAll('.message.bot .text'), e => e.innerText)"
    )
    return texts


async def test_person_chats_with_the_bot_in_the_web_chat(world: World) -> None:
    siti = await world.add_employee("Siti Rahmawati", skp=["Menyusun modul ajar"])
    tg = await world.join(siti)
    async with async_browser(420, 800) as page:
        await page.get(world.sandbox.base_url + "/")
        await page.wait_until(
            lambda d: (
                d.execute_script(
                    "return Array.from(document.querySelectorAll('#user-select option'),"
                    " o => o.value)"
                ).count(str(tg))
                == 1
            ),
            "the linked user is listed",
        )
        await page.script(
            "const s = document.querySelector('#user-select');"
            "s.value = arguments[0]; s.dispatchEvent(new Event('change'));",
            str(tg),
        )
        await page.wait_until(
            lambda d: any("Halo, Siti" in t for t in _bot_texts(d)), "the chat history shows"
        )
        await page.type("#message-input", "/bahasa")
        await page.click("#send-button")
        await page.wait_until(
            lambda d: any("Choose a language" in t for t in _bot_texts(d)), "the bot answers"
        )
        buttons = await page.find_all(".message .buttons button")
        english = [b for b in buttons if "English" in await page.run(lambda b=b: b.text)]
        assert english, "the language buttons are shown"
        await page.run(english[0].click)
        await page.wait_until(
            lambda d: any("Language changed to English" in t for t in _bot_texts(d)),
            "the bot edits its message after the button press",
        )
