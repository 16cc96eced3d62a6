"""Headless Chromium helpers for browser tests (the sandbox web chat, the bot's e2e tests).

Selenium is synchronous while the sandbox runs on the test's event loop, so every browser
call goes through ``asyncio.to_thread``; otherwise the page would wait on a blocked server.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar

import pytest

CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver")
CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

T = TypeVar("T")


def browser_available() -> bool:
    """Chromium, chromedriver and selenium are all installed."""
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        return False
    try:
        import selenium  # noqa: F401
    except ImportError:
        return False
    return True


requires_browser = pytest.mark.skipif(
    not browser_available(), reason=f"needs {CHROMIUM}, {CHROMEDRIVER} and selenium"
)


@contextlib.contextmanager
def chrome_driver(width: int = 1000, height: int = 800) -> Iterator[Any]:
    """A headless Chromium WebDriver with a throwaway profile directory."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class AsyncBrowser:
    """Async wrappers over a WebDriver, so the page can talk to a server on this loop."""

    def __init__(self, driver: Any, timeout: float = 10.0) -> None:
        self.driver = driver
        self.timeout = timeout

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(fn, *args)

    async def get(self, url: str) -> None:
        await self.run(self.driver.get, url)

    async def find(self, css: str) -> Any:
        """Wait until an element matching ``css`` is visible and return it."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec

        located = ec.visibility_of_element_located((By.CSS_SELECTOR, css))
        return await self.run(self._wait().until, located)

    async def find_all(self, css: str) -> list[Any]:
        from selenium.webdriver.common.by import By

        elements: list[Any] = await self.run(self.driver.find_elements, By.CSS_SELECTOR, css)
        return elements

    async def type(self, css: str, text: str, clear: bool = True) -> None:
        element = await self.find(css)
        if clear:
            await self.run(element.clear)
        await self.run(element.send_keys, text)

    async def click(self, css: str) -> None:
        element = await self.find(css)
        await self.run(element.click)

    async def wait_until(self, condition: Callable[[Any], Any], message: str = "") -> Any:
        """Wait until ``condition(driver)`` is truthy (it runs in the browser thread).

        Stale element errors count as "not yet": the live page re-renders as messages arrive.
        """
        return await self.run(self._wait().until, condition, message)

    def _wait(self) -> Any:
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(
            self.driver,
            self.timeout,
            poll_frequency=0.05,
            ignored_exceptions=[StaleElementReferenceException],
        )

    async def script(self, source: str, *args: Any) -> Any:
        """Run JavaScript in the page (atomic reads avoid stale element races)."""
        return await self.run(self.driver.execute_script, source, *args)

    async def texts(self, css: str) -> list[str]:
        """Visible text of every element matching ``css``, read in one go."""
        result: list[str] = await self.script(
            "return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText)", css
        )
        return result


@contextlib.asynccontextmanager
async def async_browser(width: int = 1000, height: int = 800) -> AsyncIterator[AsyncBrowser]:
    """Start Chromium in a worker thread and hand out an AsyncBrowser."""
    manager = chrome_driver(width, height)
    driver = await asyncio.to_thread(manager.__enter__)
    try:
        yield AsyncBrowser(driver)
    finally:
        await asyncio.to_thread(manager.__exit__, None, None, None)
