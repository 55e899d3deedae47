"""The reader when things go wrong (a page that never loads, a killed browser, a login, no browser), and
its own page recycling. Each test has its own browser: one Playwright per thread, so no shared reader."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.integration.spot.conftest import browser_processes, kill_browser, reader_settings
from zn_ladder.spot.browser import BrowserSettings
from zn_ladder.spot.errors import (BrowserMissingError, LocatorNotFoundError, PageUnreachableError,
                                   ProfileInUseError)
from zn_ladder.spot.pricing_monkey import PricingMonkeyReader
from zn_ladder.spot.service import SpotReaderThread


def test_page_that_never_loads_times_out_with_a_clear_error(pages, tmp_path):
    reader = PricingMonkeyReader(reader_settings(pages, tmp_path, "/never", navigation_timeout_s=1.0, attempts=2))
    try:
        with pytest.raises(PageUnreachableError, match=r"/never did not load within 1s"):
            reader.read()
        assert pages.hits["/never"] == 2  # retried once, each a fresh navigation
        # The same browser then reads a good page: a stuck load does not poison the reader.
        reader.configure(replace(reader.settings, url=pages.url("/grid")))
        assert reader.read().raw == "110-08.5"
        assert reader.launches == 1
    finally:
        reader.close()


def test_browser_killed_mid_run_is_restarted_and_read_again(pages, tmp_path):
    reader = PricingMonkeyReader(reader_settings(pages, tmp_path))
    try:
        assert reader.read().raw == "110-08.5"
        killed = kill_browser(tmp_path)
        snapshot = reader.read()
        assert snapshot.raw == "110-08.5" and snapshot.source == "pricing_monkey"
        assert reader.launches == 2
        assert [p.pid for p in browser_processes(tmp_path)] not in ([], [killed])  # a new one runs
        assert reader.read().raw == "110-08.5"  # and keeps working
    finally:
        reader.close()
    assert browser_processes(tmp_path) == []  # close() leaves no browser behind


def test_crashed_page_renderer_is_recovered(pages, tmp_path):
    reader = PricingMonkeyReader(reader_settings(pages, tmp_path))
    try:
        assert reader.read().raw == "110-08.5"
        (browser,) = browser_processes(tmp_path)
        renderers = [p for p in browser.children(recursive=True)
                     if "--type=renderer" in p.cmdline() and "--top-chrome-webui" not in p.cmdline()]
        assert renderers
        for renderer in renderers:
            renderer.kill()
        assert reader.read().raw == "110-08.5"
    finally:
        reader.close()


def test_login_cookie_survives_a_browser_restart_in_the_persistent_profile(pages, tmp_path):
    profile = tmp_path / "profile"
    # Without the login the page redirects to the login form: the error says so.
    fresh = PricingMonkeyReader(reader_settings(pages, tmp_path / "other", "/secure", read_timeout_s=0.5,
                                                attempts=1))
    try:
        with pytest.raises(LocatorNotFoundError, match=r"now on http://127.0.0.1:\d+/login .*log in once"):
            fresh.read()
    finally:
        fresh.close()
    # Log in (the login page sets the cookie and redirects to the sheet), then close the browser.
    first = PricingMonkeyReader(reader_settings(pages, profile, "/login?user=trader"))
    try:
        assert first.read().raw == "110-08.5"
    finally:
        first.close()
    # A new browser on the same profile is still logged in.
    second = PricingMonkeyReader(reader_settings(pages, profile, "/secure", attempts=1))
    try:
        assert second.read().raw == "110-08.5"
    finally:
        second.close()


def test_missing_browser_is_reported_without_retrying(pages, tmp_path):
    settings = reader_settings(pages, tmp_path)
    reader = PricingMonkeyReader(replace(settings, browser=BrowserSettings(browser=str(tmp_path / "no-chrome"),
                                                                           profile_dir=tmp_path)))
    with pytest.raises(BrowserMissingError, match="no-chrome' not found"):
        reader.read()
    assert reader.launches == 0
    reader.close()
    edge = PricingMonkeyReader(replace(settings, browser=BrowserSettings(browser="msedge", profile_dir=tmp_path)))
    with pytest.raises(BrowserMissingError, match="channel msedge is not installed"):
        edge.read()
    edge.close()


def test_profile_locked_by_another_browser_is_a_clear_error(pages, tmp_path):
    # One Playwright per thread: the second browser runs in its own reader thread, as in the app.
    owner = PricingMonkeyReader(reader_settings(pages, tmp_path))
    try:
        owner.read()
        with SpotReaderThread(reader_settings(pages, tmp_path, attempts=1)) as other:
            with pytest.raises(ProfileInUseError, match="in use by another browser"):
                other.read(timeout=30)
        assert owner.read().raw == "110-08.5"  # the owner is unaffected
    finally:
        owner.close()


def test_page_is_reloaded_when_it_has_been_open_long_enough(pages, tmp_path):
    now = [1000.0]
    reader = PricingMonkeyReader(reader_settings(pages, tmp_path, "/grid?reload", reload_every_s=1800),
                                 clock=lambda: now[0])
    try:
        reader.read()
        loads = pages.hits["/grid"]
        now[0] += 1800
        reader.read()
        assert pages.hits["/grid"] == loads  # not older than the limit: read in place
        now[0] += 1
        assert reader.read().raw == "110-08.5"
        assert pages.hits["/grid"] == loads + 1  # reloaded once
        reader.read()
        assert pages.hits["/grid"] == loads + 1
    finally:
        reader.close()
