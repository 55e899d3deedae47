"""Bring a settings file written by an older zn_ladder up to the current schema.

Migrations work on the raw mapping read from TOML, before validation, one version step at a time, so
a desk that skipped releases still upgrades. They only move and rename; checking values is the
model's job (a bad value survives a migration and is then reported against its new key).

Version 1 (zn_ladder 0.0.x) kept most settings at the top level with other names::

    schema_version = 1            # optional in v1 files
    environment = "sim"           # lower case
    app_name = "zn-ladder"
    company = "acme"
    accounts = "A1,A2"            # one comma-separated string
    product = "ZN"
    poll_seconds = 5              # one interval for orders and fills
    db_path = "C:/ladder/zn.db"
    sod_file = "C:/sod/today.csv"
    [spot]
    source = "pm"                 # or "manual"
    url = "https://pricingmonkey.com/b/..."
    selector = "#cell-1"
    browser = "edge"              # edge, chrome or a path
    refresh_seconds = 2           # how often spot was read
    [ladder]
    rows = 40
    font = 12
    pnl_in_ticks = false
    dark_mode = true
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from zn_ladder.config.settings import SCHEMA_VERSION
from zn_ladder.domain.errors import ConfigError


def _v1_to_v2(old: dict[str, Any]) -> dict[str, Any]:
    raw = copy.deepcopy(old)
    new: dict[str, Any] = {"schema_version": 2, "tt": {}, "polling": {}, "storage": {}, "spot": {}, "ladder": {}}

    def move(src: dict[str, Any], name: str, group: str, new_name: str,
             convert: Callable[[Any], Any] = lambda v: v) -> None:
        if name in src:
            new[group][new_name] = convert(src.pop(name))

    def upper(v: Any) -> Any:
        return v.upper() if isinstance(v, str) else v

    raw.pop("schema_version", None)
    move(raw, "environment", "tt", "environment", upper)
    move(raw, "app_name", "tt", "app_name")
    move(raw, "company", "tt", "company")
    move(raw, "accounts", "tt", "accounts")
    move(raw, "product", "tt", "product")
    if "poll_seconds" in raw:
        seconds = raw.pop("poll_seconds")
        new["polling"]["orders_s"] = seconds
        new["polling"]["fills_s"] = seconds
    move(raw, "db_path", "storage", "database_path")
    move(raw, "sod_file", "storage", "sod_path")

    spot = raw.pop("spot", {})
    if isinstance(spot, dict):
        source = {"pm": "pricing_monkey"}
        browser = {"edge": "msedge"}
        move(spot, "source", "spot", "source", lambda v: source.get(v, v))
        move(spot, "url", "spot", "pm_url")
        move(spot, "selector", "spot", "locator")
        move(spot, "browser", "spot", "browser", lambda v: browser.get(v, v))
        move(spot, "refresh_seconds", "polling", "spot_s")
        new["spot"].update(spot)  # anything else: reported as unknown by the model, not dropped silently
    ladder = raw.pop("ladder", {})
    if isinstance(ladder, dict):
        move(ladder, "rows", "ladder", "ticks_shown")
        move(ladder, "font", "ladder", "font_size")
        move(ladder, "pnl_in_ticks", "ladder", "pnl_units",
             lambda v: ("ticks" if v else "dollars") if isinstance(v, bool) else v)
        move(ladder, "dark_mode", "ladder", "theme",
             lambda v: ("dark" if v else "light") if isinstance(v, bool) else v)
        new["ladder"].update(ladder)
    new.update(raw)  # leftovers surface as "unknown section" problems
    return {k: v for k, v in new.items() if v != {}}


#: from-version -> function returning the mapping of the next version.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def version_of(raw: dict[str, Any]) -> int:
    """The file's schema version. Files without one are v1 unless they already use today's sections."""
    version = raw.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool):
        return version
    if version is None and not any(isinstance(raw.get(g), dict) for g in ("tt", "polling", "storage")):
        return 1
    return SCHEMA_VERSION


def migrate(raw: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """(current-schema mapping, version the file was written in).

    A newer file is read as far as it is understood (its unknown keys become problems); the loader
    keeps a copy of it before this version writes over it.
    """
    start = version_of(raw)
    if start < min(MIGRATIONS):
        raise ConfigError(f"schema_version {start!r} is not one zn_ladder ever wrote (expected 1 to "
                          f"{SCHEMA_VERSION})")
    version = start
    while version < SCHEMA_VERSION:
        raw = MIGRATIONS[version](raw)
        version += 1
    if start != SCHEMA_VERSION:
        raw = dict(raw)
        raw["schema_version"] = SCHEMA_VERSION
    return raw, start
