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


def browser_processes(profile: Path | None = None) -> list[psutil.Process]:
    """Main Chromium processes started by this test process (through Playwright's driver), optionally
    only the one running on `profile` (its `--user-data-dir`), so other tests' browsers never count."""
    found = []
    for p in psutil.Process().children(recursive=True):
        try:
            if "chrom" not in p.name() or any(a.startswith("--type=") for a in p.cmdline()):
                continue
            if profile is None or f"--user-data-dir={profile}" in p.cmdline():
                found.append(p)
        except psutil.NoSuchProcess:
            pass
    return found


def kill_browser(profile: Path) -> int:
    """SIGKILL the main Chromium process running on `profile`, as a crash would."""
    mains = browser_processes(profile)
    assert len(mains) == 1, f"expected one browser on {profile}, found {mains}"
    mains[0].kill()
    mains[0].wait(10)
    return mains[0].pid
