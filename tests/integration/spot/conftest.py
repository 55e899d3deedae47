"""Real headless Chromium (Debian's /usr/bin/chromium) against pages served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.integration.spot.pages import PagesServer
from zn_ladder.domain.instruments import get_product
from zn_ladder.spot.browser import BrowserSettings
from zn_ladder.spot.pricing_monkey import ReaderSettings

CHROMIUM = "/usr/bin/chromium"
ZN = get_product("ZN")


@pytest.fixture(scope="module")
def pages() -> Iterator[PagesServer]:
    server = PagesServer().start()
    yield server
    server.stop()


def reader_settings(pages: PagesServer, profile: Path, path: str = "/grid", locator: str = "#zn-mid",
                    **overrides) -> ReaderSettings:
    """Short timeouts: every wait in these tests is capped at a few seconds."""
    options = dict(navigation_timeout_s=3.0, read_timeout_s=2.0, attempts=2, backoff_s=0.05)
    options.update(overrides)
    return ReaderSettings(url=pages.url(path), locator=locator, product=ZN,
                          browser=BrowserSettings(browser=CHROMIUM, profile_dir=profile), **options)


def browser_processes() -> list[psutil.Process]:
    """Chromium processes started by this test process (through Playwright's driver)."""
    return [p for p in psutil.Process().children(recursive=True) if "chrom" in p.name()]


def kill_browser() -> int:
    """SIGKILL the main Chromium process (the one whose parent is not Chromium), as a crash would."""
    mains = [p for p in browser_processes() if "chrom" not in psutil.Process(p.ppid()).name()]
    assert len(mains) == 1, f"expected one running browser, found {mains}"
    mains[0].kill()
    mains[0].wait(10)
    return mains[0].pid
