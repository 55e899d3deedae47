from __future__ import annotations

import os
from pathlib import Path

import pytest

from zn_ladder.spot import browser
from zn_ladder.spot.browser import BrowserChoice, BrowserSettings, choose_browser, launch_options
from zn_ladder.spot.errors import BrowserMissingError


def test_channels_are_passed_to_playwright_never_a_downloaded_browser():
    assert choose_browser("msedge") == BrowserChoice(channel="msedge")
    assert choose_browser("Chrome") == BrowserChoice(channel="chrome")
    options = launch_options(BrowserSettings(), BrowserChoice(channel="msedge"))
    assert options["channel"] == "msedge" and "executable_path" not in options


def test_auto_uses_edge_on_windows(monkeypatch):
    monkeypatch.setattr(browser.sys, "platform", "win32")
    assert choose_browser(None) == BrowserChoice(channel="msedge")
    assert choose_browser("auto") == BrowserChoice(channel="msedge")


def test_auto_elsewhere_finds_an_installed_chromium(monkeypatch, tmp_path):
    monkeypatch.setattr(browser.sys, "platform", "linux")
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    monkeypatch.setattr(browser, "UNIX_CANDIDATES", (str(tmp_path / "absent"), str(fake)))
    assert choose_browser(None) == BrowserChoice(executable=fake)


def test_auto_with_no_browser_anywhere_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(browser.sys, "platform", "linux")
    monkeypatch.setattr(browser, "UNIX_CANDIDATES", (str(tmp_path / "absent"),))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BrowserMissingError, match="apt-get install chromium"):
        choose_browser(None)


def test_an_explicit_path_must_exist(tmp_path):
    with pytest.raises(BrowserMissingError, match=r"'.*nowhere.exe' not found"):
        choose_browser(str(tmp_path / "nowhere.exe"))
    exe = tmp_path / "chrome"
    exe.write_text("")
    assert choose_browser(str(exe)) == BrowserChoice(executable=exe)


def test_launch_options_quiet_the_browser_and_drop_the_sandbox_only_as_root(monkeypatch):
    settings = BrowserSettings(headless=True, extra_args=("--lang=en-US",))
    options = launch_options(settings, BrowserChoice(executable=Path("/usr/bin/chromium")))
    assert options["executable_path"] == "/usr/bin/chromium" and options["headless"] is True
    for flag in ("--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic", "--disable-gpu", "--lang=en-US"):
        assert flag in options["args"]
    monkeypatch.setattr(browser.os, "geteuid", lambda: 0, raising=False)
    assert launch_options(settings, BrowserChoice(channel="chrome"))["chromium_sandbox"] is False
    monkeypatch.setattr(browser.os, "geteuid", lambda: 1000, raising=False)
    assert launch_options(settings, BrowserChoice(channel="chrome"))["chromium_sandbox"] is True


def test_profile_is_in_the_app_data_dir_unless_overridden(monkeypatch, tmp_path):
    monkeypatch.setenv("ZN_LADDER_HOME", str(tmp_path))
    assert BrowserSettings().profile() == tmp_path / "data" / "browser-profile"
    assert BrowserSettings(profile_dir=tmp_path / "p").profile() == tmp_path / "p"
    assert os.environ["ZN_LADDER_HOME"] == str(tmp_path)
