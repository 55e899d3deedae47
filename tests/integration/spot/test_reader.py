"""The Pricing Monkey reader against a Pricing Monkey-like grid, with one browser for the module."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from fractions import Fraction

import pytest

from tests.integration.spot.conftest import reader_settings
from zn_ladder.domain.errors import SpotError
from zn_ladder.domain.prices import Price
from zn_ladder.spot.errors import BadLocatorError, LocatorNotFoundError, PageUnreachableError, SpotValueError
from zn_ladder.spot.pricing_monkey import PricingMonkeyReader


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> object:
    return tmp_path_factory.mktemp("profile")


@pytest.fixture(scope="module")
def shared_reader(pages, profile) -> Iterator[PricingMonkeyReader]:
    reader = PricingMonkeyReader(reader_settings(pages, profile))
    yield reader
    reader.close()


@pytest.fixture
def reader(shared_reader, pages, profile):
    """The module's reader, pointed at a page by `point(path, locator, **overrides)`."""
    def point(path: str = "/grid", locator: str = "#zn-mid", **overrides) -> PricingMonkeyReader:
        shared_reader.configure(reader_settings(pages, profile, path, locator, **overrides))
        shared_reader.reset_reference()
        return shared_reader
    return point


@pytest.mark.parametrize("locator", [
    "#zn-mid",                                   # CSS
    "xpath=//tr[@data-row='ZN']/td[3]",          # XPath, explicit
    "//tr[@data-row='ZN']/td[contains(@class, 'mid')]",  # XPath, implicit
    'role=gridcell[name="ZN mid"]',              # ARIA role
    "text=110-08.5",                             # text
])
def test_reads_the_grid_cell_with_every_locator_kind(reader, locator):
    snapshot = reader("/grid", locator).read()
    assert snapshot.source == "pricing_monkey"
    assert snapshot.raw == "110-08.5"
    assert snapshot.price == Price(110 + Fraction(17, 64))
    assert snapshot.formats() == {"decimal": "110.265625", "tt": "110'085", "cme": "110-085",
                                  "pricing_monkey": "110-08.5"}
    assert snapshot.url.endswith("/grid") and snapshot.error is None and snapshot.elapsed_ms > 0


def test_any_price_form_on_the_page_is_accepted(reader, pages):
    r = reader("/grid?zn=110'165")
    assert r.read().price == Price(Fraction(110) + Fraction(33, 64))
    r = reader("/input")  # a value in an <input>, CME form
    assert r.read().formats()["tt"] == "110'165"


def test_page_stays_open_between_reads(reader, pages):
    """Pricing Monkey updates itself: reads must not reload it (that would be slow and lose state)."""
    r = reader("/grid")
    r.read()
    loads = pages.hits["/grid"]
    for _ in range(5):
        assert r.read().raw == "110-08.5"
    assert pages.hits["/grid"] == loads


def test_waits_for_a_value_filled_in_by_javascript(reader):
    snapshot = reader("/delayed?ms=400&value=110-16.75").read()
    assert snapshot.raw == "110-16.75"
    assert snapshot.formats()["decimal"] == "110.5234375"


def test_waits_for_a_cell_created_late_by_javascript(reader):
    assert reader("/late-cell?ms=400&value=110-09.00").read().formats()["tt"] == "110'090"


def test_follows_a_value_that_changes_every_second(reader):
    r = reader("/ticking?ms=1000", read_timeout_s=2.0)
    start = r.read().price
    seen = [start]
    # Each read without reloading sees the page's current value; give the page ~3 ticks (capped at 6 s).
    deadline = time.monotonic() + 6.0
    while len(set(seen)) < 3 and time.monotonic() < deadline:
        r.reset_reference()
        seen.append(r.read().price)
        time.sleep(0.2)
    assert len(set(seen)) >= 3, seen
    assert seen == sorted(seen)  # it only ticks up: no stale or out-of-order value
    steps = {(b.value - a.value) * 64 for a, b in zip(seen, seen[1:]) if b != a}
    assert all(s.denominator == 1 and s >= 1 for s in steps)


def test_garbage_cell_is_refused_with_what_was_read(reader):
    with pytest.raises(SpotValueError) as info:
        reader("/garbage", read_timeout_s=0.5).read()
    assert "'#N/A'" in str(info.value) and "not a usable price" in str(info.value)
    assert info.value.raw == "#N/A"


def test_value_far_from_the_last_good_is_refused(reader, pages):
    r = reader("/grid")
    good = r.read()
    r.configure(reader_settings(pages, r.settings.browser.profile_dir, "/grid?zn=113-00.0"))
    with pytest.raises(SpotValueError) as info:
        r.read()
    message = str(info.value)
    assert "'113-00.0'" in message and "2.734375 points" in message and "limit is 2 points" in message
    assert r.last_good == good  # the refused value did not replace the last good one
    r.reset_reference()
    assert r.read().raw == "113-00.0"


def test_locator_matching_nothing_is_a_clear_error(reader):
    with pytest.raises(LocatorNotFoundError, match=r"locator '#nope' found no element .* within 0.5s"):
        reader("/grid", "#nope", read_timeout_s=0.5).read()


def test_locator_matching_several_cells_is_refused(reader):
    with pytest.raises(BadLocatorError, match="matches more than one element"):
        reader("/grid", "td.mid").read()


def test_http_error_and_refused_connection_are_unreachable(reader):
    with pytest.raises(PageUnreachableError, match="answered HTTP 404"):
        reader("/missing").read()
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = reader()
    r.configure(replace(r.settings, url=f"http://127.0.0.1:{port}/grid"))
    with pytest.raises(PageUnreachableError, match="could not be reached: .*ERR_CONNECTION_REFUSED"):
        r.read()
    assert issubclass(PageUnreachableError, SpotError)


def test_reader_belongs_to_its_thread(shared_reader):
    caught: list[BaseException] = []

    def other_thread() -> None:
        try:
            shared_reader.read()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            caught.append(exc)

    t = threading.Thread(target=other_thread)
    t.start()
    t.join(10)
    assert len(caught) == 1 and isinstance(caught[0], RuntimeError)
    assert "bound to the thread" in str(caught[0])
