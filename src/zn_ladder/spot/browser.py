"""Which browser the Pricing Monkey reader drives, and how it is launched.

The desk's own browser is used, never one downloaded by Playwright: on Windows Microsoft Edge (always
installed) or Chrome through Playwright's `channel`, elsewhere an executable path such as Debian's
`/usr/bin/chromium`. The profile is persistent (`launch_persistent_context`) so that a Pricing Monkey
login or SSO cookie survives restarts of the app. The flags stop Chromium's background calls home
(component updates, sync, field trials...), which on a closed trading network would only stall it.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zn_ladder.config.paths import browser_profile_dir
from zn_ladder.spot.errors import BrowserMissingError, ProfileInUseError, SpotError

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Playwright

log = logging.getLogger(__name__)

#: Playwright channels of browsers a desk already has installed.
CHANNELS = ("msedge", "chrome")

#: Flags that stop background network traffic and GPU use of a headless reader.
QUIET_ARGS: tuple[str, ...] = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-quic",
    "--disable-gpu",
    "--disable-domain-reliability",
    "--disable-breakpad",
)

#: Where a Chromium-family browser usually lives off Windows, in order of preference.
UNIX_CANDIDATES: tuple[str, ...] = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/snap/bin/chromium",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/usr/bin/microsoft-edge",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)


@dataclass(frozen=True, slots=True)
class BrowserSettings:
    """How to start the browser. `browser`: None/"auto", "msedge", "chrome", "chromium", or a path."""

    browser: str | None = None
    #: Persistent profile folder; None means the app's data directory (`browser_profile_dir()`).
    profile_dir: Path | None = None
    headless: bool = True
    extra_args: tuple[str, ...] = ()

    def profile(self) -> Path:
        return Path(self.profile_dir) if self.profile_dir else browser_profile_dir()


@dataclass(frozen=True, slots=True)
class BrowserChoice:
    """Either a Playwright channel ("msedge") or an executable path."""

    channel: str | None = None
    executable: Path | None = None

    def describe(self) -> str:
        return f"channel {self.channel}" if self.channel else str(self.executable)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _find_unix(names: tuple[str, ...] | None = None) -> Path | None:
    for candidate in UNIX_CANDIDATES if names is None else names:
        if Path(candidate).is_file():
            return Path(candidate)
    for name in ("chromium", "chromium-browser", "google-chrome", "microsoft-edge"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def choose_browser(spec: str | None) -> BrowserChoice:
    """Resolve the `browser` setting to a channel or an existing executable, or BrowserMissingError."""
    value = (spec or "auto").strip()
    key = value.lower()
    if key in CHANNELS:
        return BrowserChoice(channel=key)
    if key == "auto":
        if sys.platform == "win32":
            return BrowserChoice(channel="msedge")
        found = _find_unix()
        if found is None:
            raise BrowserMissingError(
                "no Chromium-family browser found (looked for chromium, google-chrome, microsoft-edge); "
                "install one (Debian: apt-get install chromium) or set the browser to its executable path")
        return BrowserChoice(executable=found)
    if key == "chromium":
        found = _find_unix(tuple(c for c in UNIX_CANDIDATES if "hromium" in c))
        if found is None:
            raise BrowserMissingError("chromium is not installed (Debian: apt-get install chromium); "
                                      "or set the browser to msedge, chrome or an executable path")
        return BrowserChoice(executable=found)
    path = Path(value).expanduser()
    if not path.is_file():
        raise BrowserMissingError(f"browser executable {value!r} not found; set the browser to msedge, chrome "
                                  "or the path of an installed Chromium-family browser")
    return BrowserChoice(executable=path)


def launch_options(settings: BrowserSettings, choice: BrowserChoice) -> dict[str, Any]:
    """Keyword arguments for `BrowserType.launch_persistent_context` (without the profile dir)."""
    options: dict[str, Any] = {
        "headless": settings.headless,
        "args": [*QUIET_ARGS, *settings.extra_args],
        # Chromium refuses to start sandboxed as root; for a normal user the sandbox stays on.
        "chromium_sandbox": not _is_root(),
        "handle_sigint": False,
        "handle_sigterm": False,
        "handle_sighup": False,
    }
    if choice.channel:
        options["channel"] = choice.channel
    else:
        options["executable_path"] = str(choice.executable)
    return options


def first_line(exc: BaseException) -> str:
    """Playwright errors carry a multi-line call log; a banner or CLI line wants the first line."""
    text = str(exc).strip()
    for line in text.splitlines():
        line = line.strip().strip("=").strip()
        if line:
            return line
    return type(exc).__name__


def launch_context(playwright: Playwright, settings: BrowserSettings) -> BrowserContext:
    """Start the browser on the persistent profile; map failures to errors a support engineer can act on."""
    from playwright.sync_api import Error as PlaywrightError

    choice = choose_browser(settings.browser)
    profile = settings.profile()
    profile.mkdir(parents=True, exist_ok=True)
    options = launch_options(settings, choice)
    log.info("launching %s (headless=%s) on profile %s", choice.describe(), settings.headless, profile)
    try:
        return playwright.chromium.launch_persistent_context(str(profile), **options)
    except PlaywrightError as exc:
        message = str(exc)
        if choice.channel and ("is not found at" in message or "distribution" in message):
            raise BrowserMissingError(
                f"the browser for channel {choice.channel} is not installed; install it or set the browser "
                "to the path of an installed Chromium-family browser") from None
        if "Executable doesn't exist" in message or "ENOENT" in message:
            raise BrowserMissingError(f"browser executable {choice.describe()} cannot be started") from None
        lowered = message.lower()
        in_use = "profile" in lowered and "in use" in lowered
        if in_use or "processsingleton" in lowered or "singletonlock" in lowered:
            raise ProfileInUseError(
                f"the browser profile {profile} is in use by another browser (another zn-ladder?); close it "
                "or use a different profile folder") from None
        raise SpotError(f"could not start the browser ({choice.describe()}): {first_line(exc)}") from None
