"""`zn-ladder spot` as a subprocess, against the local pages with the real browser."""

from __future__ import annotations

import json

from tests.integration.spot.conftest import CHROMIUM


def _spot(run_cli, url: str, locator: str = "#zn-mid", *extra: str):
    return run_cli("spot", "--url", url, "--locator", locator, "--browser", CHROMIUM, "--read-timeout", "1",
                   "--nav-timeout", "2", "--attempts", "1", *extra, timeout=90)


def test_json_has_exactly_the_documented_fields(run_cli, pages):
    result = _spot(run_cli, pages.url("/grid"), "xpath=//tr[@data-row='ZN']/td[3]", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"source", "url", "raw", "decimal", "tt", "elapsed_ms"}
    assert payload["source"] == "pricing_monkey" and payload["url"] == pages.url("/grid")
    assert payload["raw"] == "110-08.5" and payload["decimal"] == "110.265625" and payload["tt"] == "110'085"
    assert isinstance(payload["elapsed_ms"], float) and payload["elapsed_ms"] > 0


def test_table_prints_every_form_and_other_products(run_cli, pages):
    result = _spot(run_cli, pages.url("/grid"), "#zb-mid", "--product", "ZB")
    assert result.returncode == 0, result.stderr
    rows = dict(line.split(None, 1) for line in result.stdout.splitlines()[1:])
    assert rows["source"] == "pricing_monkey" and rows["product"] == "ZB"
    assert rows["decimal"] == "115.265625" and rows["tt"] == "115'08" and rows["pricing_monkey"] == "115-08.5"
    assert float(rows["elapsed_ms"]) > 0


def _one_line_error(result) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_unparsable_value_is_exit_2_with_the_text_read(run_cli, pages):
    line = _one_line_error(_spot(run_cli, pages.url("/garbage")))
    assert line.startswith("zn-ladder: ") and "'#N/A'" in line and "not a usable price" in line


def test_locator_not_found_is_exit_2(run_cli, pages):
    line = _one_line_error(_spot(run_cli, pages.url("/grid"), "#no-such-cell"))
    assert "'#no-such-cell' found no element" in line


def test_unreachable_page_is_exit_2(run_cli, pages):
    line = _one_line_error(_spot(run_cli, pages.url("/never")))
    assert "/never did not load within 2s" in line


def test_missing_browser_is_exit_2(run_cli, pages, tmp_path):
    result = run_cli("spot", "--url", pages.url("/grid"), "--locator", "#zn-mid", "--browser",
                     str(tmp_path / "chrome.exe"))
    line = _one_line_error(result)
    assert "chrome.exe' not found" in line
