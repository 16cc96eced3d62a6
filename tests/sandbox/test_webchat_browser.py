"""The web chat in headless Chromium: create a user, talk to a bot, press its button."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.sandbox import Sandbox

from .browser import async_browser, requires_browser
from .echobot import echo_bot

pytestmark = [pytest.mark.browser, requires_browser]


async def test_web_chat_round_trip(tmp_path: Path) -> None:
    async with Sandbox() as sandbox, echo_bot(sandbox.api_base_url, sandbox.token):
        async with async_browser(420, 800) as page:  # phone-sized
            await page.get(sandbox.base_url + "/")
            await page.type("#new-user-id", "1001")
            await page.type("#new-user-name", "Siti")
            await page.click("#new-user-create")
            await page.wait_until(
                lambda d: (
                    d.execute_script("return document.querySelector('#user-select').value")
                    == "1001"
                ),
                "the new user is selected",
            )
            assert sandbox.state.users[1001].first_name == "Siti"

            await page.type("#message-input", "Rapat <b>koordinasi</b>")
            await page.click("#send-button")
            await page.find(".message.user")
            await page.find(".message.bot")
            await page.wait_until(
                lambda d: "Echo:" in d.find_element("css selector", ".message.bot").text,
                "the bot replies",
            )
            assert (await page.texts(".message.user .text")) == ["Rapat <b>koordinasi</b>"]
            bold = await page.find(".message.bot .text b")
            assert await page.run(lambda: bold.text) == "Rapat <b>koordinasi</b>"
            assert await page.find_all(".message.user .text b") == []  # user text is never HTML

            await page.click(".message .buttons button")

            def edited(driver: Any) -> bool:
                texts = driver.execute_script(
                    "return Array.from(document.querySelectorAll('.message.bot .text'),"
                    " e => e.innerText)"
                )
                return bool(texts == ["✅ Ditandai: Rapat <b>koordinasi</b>"])

            await page.wait_until(edited, "the bot edits its message")
            assert await page.find_all(".message .buttons button") == []
            toast = await page.find("#toast")
            assert await page.run(lambda: toast.text) == "Ditandai"

            upload = tmp_path / "laporan.txt"
            upload.write_text("isi laporan")
            file_input = (await page.find_all("#file-input"))[0]
            await page.run(file_input.send_keys, str(upload))
            doc = await page.find(".message.user .document")
            assert "laporan.txt" in await page.run(lambda: doc.text)
            chat = sandbox.state.chat_entries(1001)
            assert chat[-1]["document"]["file_name"] == "laporan.txt"
