"""The Pricing Monkey reader: one browser page kept open on the desk's sheet, read on demand.

Pricing Monkey is a web grid that updates itself, so the page is loaded once and then only read; it is
reloaded after a failure. A read waits (up to the read timeout) for the cell to exist and to hold a
price, because the grid fills its cells by JavaScript after the page loads. Failures that may pass (page
not loaded, cell not there yet, browser crashed) are retried with backoff, restarting the browser when
it died; failures that will not pass (no browser installed, a locked profile, a cell showing garbage)
are reported at once with what was read.

A reader belongs to the thread that first uses it, and a thread can run only one (Playwright's sync API
is bound to its thread). Use `SpotReaderThread` (service.py) to read from anywhere else.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Callable

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.prices import Price
from zn_ladder.spot.browser import BrowserSettings, first_line, launch_context
from zn_ladder.spot.errors import (BadLocatorError, BrowserCrashedError, LocatorNotFoundError,
                                   PageUnreachableError, SpotError, SpotValueError)
from zn_ladder.spot.sanity import SpotSanity
from zn_ladder.spot.snapshot import SpotSnapshot

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Playwright

    from zn_ladder.config.settings import SpotSettings as SpotConfig

log = logging.getLogger(__name__)

#: Text of the matched element: an input's value, else its rendered text.
_CELL_TEXT_JS = ("el => (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) ? el.value "
                 ": (el.innerText ?? el.textContent ?? '')")

#: Errors worth another attempt (after reloading the page, or restarting a dead browser).
RETRYABLE: tuple[type[SpotError], ...] = (BrowserCrashedError, PageUnreachableError, LocatorNotFoundError)

_CLOSED_MARKERS = ("has been closed", "browser has disconnected", "crashed", "target closed", "connection closed",
                   "browser closed")


@dataclass(frozen=True, slots=True)
class ReaderSettings:
    """Where the spot is on the page and how patient to be. Locators use Playwright's selector syntax:
    CSS (`#zn .mid`), XPath (`xpath=//td[3]` or `//td[3]`), text (`text=110-`) or ARIA role
    (`role=cell[name="ZN mid"]`)."""

    url: str
    locator: str
    product: Product
    browser: BrowserSettings = field(default_factory=BrowserSettings)
    navigation_timeout_s: float = 15.0
    read_timeout_s: float = 5.0
    attempts: int = 3
    backoff_s: float = 0.5
    max_backoff_s: float = 5.0
    #: Reload the page when it has been open this long (0: never). Bounds a long-running page's memory
    #: and recovers a sheet whose live updates silently stopped.
    reload_every_s: float = 0.0
    sanity: SpotSanity = field(default_factory=SpotSanity)

    @classmethod
    def from_config(cls, spot: SpotConfig, product: Product, **overrides: Any) -> ReaderSettings:
        """Reader settings from the app's `[spot]` settings group (`config.settings.SpotSettings`)."""
        options: dict[str, Any] = dict(
            url=spot.pm_url, locator=spot.locator, product=product,
            browser=BrowserSettings(browser=spot.browser), reload_every_s=float(spot.page_refresh_s),
            sanity=SpotSanity(max_move_points=Fraction(spot.max_jump_points)))
        options.update(overrides)
        return cls(**options)


class PricingMonkeyReader:
    """Reads the spot from the configured page. Not thread-safe: one owner thread (see module doc)."""

    def __init__(self, settings: ReaderSettings, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._sleep = sleep
        self._clock = clock  # for the page's age (periodic reload)
        self._owner: int | None = None
        self._pw_manager: Any = None
        self._playwright: Playwright | None = None
        self._context: BrowserContext | None = None
        self._page: Page | None = None
        self._loaded = False
        self._loaded_at = 0.0
        self._dead = False
        self.last_good: SpotSnapshot | None = None
        #: How many times the browser was (re)started; diagnostics and tests.
        self.launches = 0

    # -- public -------------------------------------------------------------------------------------------
    def configure(self, settings: ReaderSettings) -> None:
        """New URL/locator/timeouts. A new browser setting or profile restarts the browser on next use."""
        self._check_thread()
        if settings.browser != self.settings.browser:
            self._teardown()
        if settings.url != self.settings.url:
            self._loaded = False
        if settings.product != self.settings.product:
            self.last_good = None
        self.settings = settings

    def reset_reference(self) -> None:
        """Forget the last good value, so the next read is not compared with it (e.g. after a real gap)."""
        self.last_good = None

    def open(self) -> None:
        """Start the browser and load the page now, so the first read is warm."""
        self._check_thread()
        self._with_retries(lambda: self._ensure_loaded())

    def read(self) -> SpotSnapshot:
        """The current spot from the page, or a SpotError saying why not."""
        self._check_thread()
        started = time.perf_counter()
        raw, price = self._with_retries(self._read_once)
        snapshot = SpotSnapshot.now(price, self.settings.product, "pricing_monkey", raw, url=self.settings.url,
                                    elapsed_ms=(time.perf_counter() - started) * 1000)
        self.last_good = snapshot
        return snapshot

    def close(self) -> None:
        """Close the browser and Playwright. Safe to call twice, and after a crash."""
        self._check_thread()
        self._teardown()

    @property
    def browser_running(self) -> bool:
        return self._context is not None and not self._dead

    # -- attempts -----------------------------------------------------------------------------------------
    def _with_retries(self, action: Callable[[], Any]) -> Any:
        s = self.settings
        attempts = max(1, s.attempts)
        for attempt in range(1, attempts + 1):
            try:
                return self._guarded(action)
            except RETRYABLE as exc:
                if attempt == attempts:
                    raise
                delay = min(s.max_backoff_s, s.backoff_s * 2 ** (attempt - 1))
                log.warning("spot read attempt %d/%d failed (%s); retrying in %.2fs", attempt, attempts, exc, delay)
                if isinstance(exc, BrowserCrashedError):
                    self._teardown()
                self._loaded = False
                self._sleep(delay)
        raise AssertionError("unreachable")

    def _guarded(self, action: Callable[[], Any]) -> Any:
        """Run `action`; a Playwright error not classified where it happened becomes a SpotError here
        (a browser that died between two calls, a driver that went away)."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            return action()
        except PlaywrightError as exc:
            if self._is_closed(exc):
                raise BrowserCrashedError(f"the browser closed: {first_line(exc)}") from None
            raise SpotError(f"the browser failed reading {self.settings.url}: {first_line(exc)}") from None

    def _read_once(self) -> tuple[str, Price]:
        page = self._ensure_loaded()
        s = self.settings
        deadline = time.monotonic() + s.read_timeout_s
        locator = page.locator(s.locator)
        last_error: SpotValueError | None = None
        while True:
            remaining_ms = max(1.0, (deadline - time.monotonic()) * 1000)
            try:
                raw = str(locator.evaluate(_CELL_TEXT_JS, timeout=remaining_ms))
            except Exception as exc:  # noqa: BLE001 - classified below
                if last_error is not None and self._is_timeout(exc):
                    raise last_error from None  # the cell was there but never held a price
                raise self._classify_read_error(exc, page) from None
            where = f"the spot cell {s.locator!r}"
            try:
                price = s.sanity.parse(raw, s.product, where=where)
            except SpotValueError as exc:
                last_error = exc  # maybe still loading ("", "-", "..."): look again until the deadline
            else:
                # A price far from the last good one is reported at once: waiting would not change it.
                s.sanity.check_move(price, raw, s.product, self.last_good.price if self.last_good else None,
                                    where=where)
                return raw, price
            if time.monotonic() >= deadline:
                raise last_error
            page.wait_for_timeout(50)

    # -- browser and page ---------------------------------------------------------------------------------
    def _ensure_loaded(self) -> Page:
        s = self.settings
        if self._context is None or self._dead:
            self._start()
        assert self._context is not None
        if self._page is None or self._page.is_closed():
            pages = [p for p in self._context.pages if not p.is_closed()]
            self._page = pages[0] if pages else self._context.new_page()
            self._page.on("crash", self._on_dead)
            self._loaded = False
        if self._loaded and s.reload_every_s > 0 and self._clock() - self._loaded_at > s.reload_every_s:
            log.info("reloading %s after %.0fs", s.url, self._clock() - self._loaded_at)
            self._loaded = False
        if not self._loaded:
            self._navigate(self._page, s.url)
            self._loaded = True
            self._loaded_at = self._clock()
        return self._page

    def _navigate(self, page: Page, url: str) -> None:
        s = self.settings
        try:
            response = page.goto(url, wait_until="domcontentloaded", timeout=s.navigation_timeout_s * 1000)
        except Exception as exc:  # noqa: BLE001 - classified below
            if self._is_closed(exc):
                raise BrowserCrashedError(f"the browser closed while loading {url}: {first_line(exc)}") from None
            if self._is_timeout(exc):
                self._abandon(page)
                raise PageUnreachableError(f"{url} did not load within {s.navigation_timeout_s:g}s") from None
            raise PageUnreachableError(f"{url} could not be reached: {first_line(exc)}") from None
        if response is not None and response.status >= 400:
            raise PageUnreachableError(f"{url} answered HTTP {response.status} {response.status_text}".rstrip())

    @staticmethod
    def _abandon(page: Page) -> None:
        """Stop a load that timed out, so that the retry starts a fresh navigation instead of aborting it."""
        try:
            page.goto("about:blank", timeout=2000)
        except Exception as exc:  # noqa: BLE001 - best effort
            log.debug("abandoning a stuck load: %s", first_line(exc))

    def _start(self) -> None:
        self._teardown()
        from playwright.sync_api import sync_playwright

        self._pw_manager = sync_playwright()
        self._playwright = self._pw_manager.start()
        try:
            context = launch_context(self._playwright, self.settings.browser)
        except BaseException:
            self._teardown()
            raise
        context.set_default_timeout(self.settings.read_timeout_s * 1000)
        context.on("close", self._on_dead)
        self._context = context
        self._dead = False
        self._loaded = False
        self.launches += 1

    def _on_dead(self, *_: object) -> None:
        self._dead = True

    def _teardown(self) -> None:
        """Close whatever is open, ignoring errors from a browser or driver that already died."""
        context, self._context, self._page = self._context, None, None
        manager, self._pw_manager, self._playwright = self._pw_manager, None, None
        self._loaded = False
        if context is not None:
            try:
                context.close()
            except Exception as exc:  # noqa: BLE001 - a dead browser cannot be closed cleanly
                log.debug("closing the browser: %s", first_line(exc))
        if manager is not None:
            try:
                manager.__exit__(None, None, None)
            except Exception as exc:  # noqa: BLE001
                log.debug("stopping Playwright: %s", first_line(exc))

    # -- error classification -----------------------------------------------------------------------------
    def _classify_read_error(self, exc: BaseException, page: Page) -> SpotError:
        s = self.settings
        message = str(exc)
        if self._is_closed(exc) or self._dead:
            return BrowserCrashedError(f"the browser closed while reading {s.url}: {first_line(exc)}")
        if "strict mode violation" in message:
            return BadLocatorError(f"locator {s.locator!r} matches more than one element on {s.url}; "
                                        "make it match exactly the spot cell")
        if self._is_timeout(exc):
            hint = ""
            try:
                if page.url.split("#")[0].rstrip("/") != s.url.split("#")[0].rstrip("/"):
                    hint = (f"; the browser is now on {page.url} - if that is a login page, log in once with a "
                            "visible browser (zn-ladder spot ... --headed --read-timeout 300); the profile keeps it")
            except Exception:  # noqa: BLE001 - the hint is best effort
                pass
            return LocatorNotFoundError(
                f"locator {s.locator!r} found no element on {s.url} within {s.read_timeout_s:g}s{hint}")
        return BadLocatorError(f"locator {s.locator!r} cannot be used on {s.url}: {first_line(exc)}")

    @staticmethod
    def _is_timeout(exc: BaseException) -> bool:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        return isinstance(exc, PlaywrightTimeout)

    def _is_closed(self, exc: BaseException) -> bool:
        text = str(exc).lower()
        return self._dead or any(marker in text for marker in _CLOSED_MARKERS)

    def _check_thread(self) -> None:
        ident = threading.get_ident()
        if self._owner is None:
            self._owner = ident
        elif self._owner != ident:
            raise RuntimeError("PricingMonkeyReader is bound to the thread that first used it (Playwright's sync "
                               "API); use SpotReaderThread to read from other threads")
