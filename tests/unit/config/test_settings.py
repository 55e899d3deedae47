"""The settings model: every key typed and checked, messages that name the key and what was expected."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from tests.unit.config.examples import OTHER_VALUES, all_changed
from zn_ladder.config.settings import SCHEMA_VERSION, Settings, default_of, restart_keys, spec_of
from zn_ladder.config.settings_file import parse_settings, to_toml_text
from zn_ladder.domain.errors import ConfigError


def test_every_key_has_an_example_and_no_example_is_stale():
    assert set(OTHER_VALUES) == set(Settings.keys())
    assert len(Settings.keys()) == len(set(Settings.keys()))  # no key declared twice


def test_defaults_run_the_demo():
    s = Settings()
    assert s.schema_version == SCHEMA_VERSION
    assert s.tt.environment == "SIM"
    assert s.tt.simulator == "auto"  # no credentials -> the built-in simulator
    assert s.tt.base_url == ""
    assert s.spot.source == "manual"  # no Pricing Monkey login needed for the demo
    assert s.tt.product == "ZN"


@pytest.mark.parametrize("key", sorted(OTHER_VALUES))
def test_each_key_takes_a_non_default_value_and_prints_it_back(key):
    text, expected = OTHER_VALUES[key]
    s = Settings().replace_value(key, text)
    assert s.get_value(key) == expected
    assert expected != default_of(key)
    # Only that key changed, and its text form parses back to the same value.
    assert Settings().changed_keys(s) == [key]
    assert Settings().replace_value(key, s.text_value(key)).get_value(key) == expected


def test_settings_are_frozen():
    s = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.ladder.font_size = 3  # type: ignore[misc]


def test_all_fields_round_trip_through_toml_exactly():
    s = all_changed()
    back, problems, version = parse_settings(to_toml_text(s))
    assert problems == [] and version == SCHEMA_VERSION
    assert back == s
    assert back.spot.max_jump_points == Fraction(3, 10)


def test_points_that_are_not_decimal_round_trip_as_text():
    s = Settings().replace_value("spot.max_jump_points", "1/3")
    text = to_toml_text(s)
    assert 'max_jump_points = "1/3"' in text
    assert parse_settings(text)[0].spot.max_jump_points == Fraction(1, 3)


@pytest.mark.parametrize("key, value, expected", [
    ("ladder.font_size", "huge", "expected a whole number from 6 to 40, got 'huge'"),
    ("ladder.font_size", "41", "expected a whole number from 6 to 40, got '41'"),
    ("tt.environment", "PROD-ish", "expected one of SIM, UAT, LIVE"),
    ("polling.fills_s", "0", "expected a number of seconds from 1 to 3600"),
    ("polling.fills_s", "nan", "expected a number of seconds"),
    ("tt.app_name", "zn ladder", "letters and digits only"),
    ("tt.base_url", "ftp://example.com", "an http:// or https:// URL"),
    ("tt.contracts", "ZN Dec26, QQ Mar27", "'QQ Mar27': unknown product 'QQ'"),
    ("storage.database_path", "relative/zn.db", "expected an absolute file path"),
    ("storage.url", "mysql://desk@db/zn", "expected a postgresql://user@host[:port]/database URL"),
    ("storage.url", "postgres:/zn", "expected a postgresql://"),
    ("storage.url", "postgresql://desk:hunter2@db/zn", "got 'postgresql://desk:***@db/zn'"),
    ("storage.url", "postgresql://desk@db/zn?password=hunter2", "got 'postgresql://desk@db/zn?password=***'"),
    ("spot.browser", "firefox", "expected auto or msedge or chrome or chromium"),
    ("ladder.buy_colour", "blue", "expected a colour as #RRGGBB"),
    ("notifications.sound", "maybe", "expected true or false, got 'maybe'"),
    ("spot.max_jump_points", "-1", "expected a number of points from 1/1000 to 50"),
    ("sod.account_map", "73050502 1334000", "entry '73050502 1334000' is not one ACTANT = TT pair"),
    ("sod.account_map", "1 = A, 1 = B", "Actant account '1' is mapped twice ('A' and 'B')"),
])
def test_bad_values_are_refused_with_the_key_and_what_was_expected(key, value, expected):
    with pytest.raises(ConfigError) as info:
        Settings().replace_value(key, value)
    message = str(info.value)
    assert message.startswith(f"{key}: ")
    assert expected in message


def test_the_sod_account_map_is_a_toml_table_in_the_file():
    s = Settings().replace_value("sod.account_map", "73050502=1334000, 73050503 = 1334001")
    text = to_toml_text(s)
    assert '[sod.account_map]\n73050502 = "1334000"\n73050503 = "1334001"' in text
    assert parse_settings(text)[0] == s
    # Hand-written tables: inline, numbers for accounts.
    inline = parse_settings("schema_version = 2\n[sod]\naccount_map = { 73050502 = 1334000 }\n")
    assert inline[0].sod.account_map == (("73050502", "1334000"),) and inline[1] == []
    bad = parse_settings("schema_version = 2\n[sod]\naccount_map = { 73050502 = true }\n")
    assert bad[0].sod.account_map == () and [str(p) for p in bad[1]] == [
        "sod.account_map: entry '73050502 = True': the TT account must be text or a number, got True; "
        "using the default ''"]
    assert s.text_value("sod.account_map") == "73050502 = 1334000, 73050503 = 1334001"
    assert Settings().text_value("sod.account_map") == ""
    assert Settings().replace_value("sod.account_map", "").sod.account_map == ()


def test_url_with_a_password_is_refused_without_repeating_the_password():
    with pytest.raises(ConfigError) as info:
        Settings().replace_value("tt.base_url", "https://user:hunter2@proxy.desk:8443/")
    assert "hunter2" not in str(info.value)
    assert "no user name or password" in str(info.value)


def test_unknown_key_lists_the_known_ones():
    with pytest.raises(ConfigError, match=r"unknown setting 'ladder.fontsize': expected one of tt.environment"):
        Settings().get_value("ladder.fontsize")


def test_environment_aliases_are_normalised():
    assert Settings().replace_value("tt.environment", "ext_uat_cert").tt.environment == "UAT"
    assert Settings().replace_value("tt.environment", "live").tt.environment == "LIVE"
    assert Settings().replace_value("tt.product", "ty").tt.product == "ZN"


def test_recenter_band_must_fit_inside_the_ladder():
    with pytest.raises(ConfigError, match=r"ladder.recenter_band_ticks: expected fewer than half of "
                                          r"ladder.ticks_shown \(60\), got 30"):
        Settings().replace_value("ladder.recenter_band_ticks", "30")


def test_from_mapping_keeps_good_values_and_defaults_each_bad_key():
    raw = {"schema_version": 2,
           "ladder": {"font_size": "enormous", "ticks_shown": 80, "colour_scheme": "x"},
           "tt": {"environment": "UAT", "usage_plan": 7},
           "polling": "every second",
           "extras": {"a": 1}}
    s, problems = Settings.from_mapping(raw)
    assert s.ladder.ticks_shown == 80 and s.tt.environment == "UAT"
    assert s.ladder.font_size == 11 and s.tt.usage_plan == "low"
    assert s.polling == Settings().polling
    text = [str(p) for p in problems]
    assert "ladder.font_size: expected a whole number from 6 to 40, got 'enormous'; using the default '11'" in text
    assert "tt.usage_plan: expected one of free, low, medium, high, got 7; using the default 'low'" in text
    assert "ladder.colour_scheme: unknown setting, ignored" in text
    assert "extras: unknown section, ignored" in text
    assert any(t.startswith("polling: expected a [polling] section") for t in text)


def test_from_mapping_repairs_a_band_that_does_not_fit():
    s, problems = Settings.from_mapping({"ladder": {"ticks_shown": 12, "recenter_band_ticks": 11}})
    assert s.ladder.recenter_band_ticks == 3  # the default (10) does not fit either: a quarter of 12
    assert [p.key for p in problems] == ["ladder.recenter_band_ticks"]


def test_restart_keys_are_the_ones_the_running_app_cannot_pick_up():
    keys = restart_keys()
    assert {"tt.environment", "tt.base_url", "storage.database_path"} <= set(keys)
    assert "ladder.font_size" not in keys and "polling.fills_s" not in keys
    assert spec_of("tt.environment").restart


def test_resolved_paths_default_under_zn_ladder_home(monkeypatch, tmp_path):
    monkeypatch.setenv("ZN_LADDER_HOME", str(tmp_path))
    s = Settings()
    assert s.storage.resolved_database_path() == tmp_path / "data" / "zn_ladder.sqlite3"
    assert s.storage.resolved_export_dir() == tmp_path / "data" / "exports"
    other = s.replace_value("storage.database_path", str(tmp_path / "x.db"))
    assert other.storage.resolved_database_path() == tmp_path / "x.db"
    assert other.storage.resolved_store() == tmp_path / "x.db"
    desk = other.replace_value("storage.url", "postgresql://desk@db/zn")
    assert desk.storage.resolved_store() == "postgresql://desk@db/zn"  # the desk database wins


def test_simulator_is_used_for_the_demo_only():
    sim = Settings().tt
    assert sim.uses_simulator(has_credentials=False) and not sim.uses_simulator(has_credentials=True)
    live = Settings().replace_value("tt.environment", "LIVE").tt
    assert not live.uses_simulator(has_credentials=False)  # never simulated data under LIVE's name
    uat = Settings().replace_value("tt.environment", "UAT").tt
    assert not uat.uses_simulator(has_credentials=False)
    always = Settings().replace_value("tt.simulator", "always").replace_value("tt.environment", "UAT").tt
    assert always.uses_simulator(has_credentials=True)
    assert not Settings().replace_value("tt.simulator", "never").tt.uses_simulator(has_credentials=False)


def test_survival_levels_default_to_the_desk_list_and_print_in_tt_form():
    from zn_ladder.domain.survival import SEED_LEVELS

    s = Settings()
    assert s.survival.levels == SEED_LEVELS and s.survival.stop_loss == -100_000
    assert s.survival.nbm_sixteenths == 25
    toml = s.to_toml_dict()["survival"]
    assert toml["levels"][:3] == ["108'150", "108'230", "108'290"] and toml["stop_loss"] == -100_000
    assert parse_settings(to_toml_text(s))[0] == s
    # a level between ZN ticks keeps its exact value (TT's form at 1/8 of a 32nd, else a decimal)
    odd = Settings().replace_value("survival.levels", "110'152, 110.5000001")
    assert odd.text_value("survival.levels") == "110'152, 110.5000001"


def test_bad_level_or_capture_window_names_the_key_and_the_value():
    with pytest.raises(ConfigError, match=r"survival.levels: .*\"110'40\" is not a valid ZN price"):
        Settings().replace_value("survival.levels", "110'15, 110'40")
    with pytest.raises(ConfigError, match=r"capture.schedule: .*'Sat-Sun 9-17 UTC'"):
        Settings().replace_value("capture.schedule", "Sat-Sun 9-17 UTC")
    with pytest.raises(ConfigError, match=r"survival.stop_loss: expected an amount in dollars"):
        Settings().replace_value("survival.stop_loss", "5000")
    assert Settings().replace_value("capture.schedule", " ").capture.schedule == ""


def test_alert_thresholds_are_never_negative_and_say_so():
    with pytest.raises(ConfigError, match=r"alerts.loss_limit: expected an amount in dollars from 0 to 100000000 "
                                          r"\(e.g. 5000\), got '-5000'"):
        Settings().replace_value("alerts.loss_limit", "-5000")
    limits = Settings().replace_value("alerts.loss_limit", "5000").replace_value("alerts.stale_feed_s", "45") \
        .alerts.limits()
    assert (limits.loss_limit, limits.stale_feed_s, limits.max_position) == (5000, 45.0, 0)


def test_trading_day_close_is_a_rule_and_a_bad_one_names_the_key():
    from datetime import time

    from zn_ladder.domain.trading_day import TradingDayRule

    assert Settings().trading_day.rule() == TradingDayRule(time(16, 0), "America/Chicago")
    old_tool = Settings().replace_value("trading_day.close", "15:00 Europe/London")
    assert old_tool.trading_day.rule() == TradingDayRule(time(15, 0), "Europe/London")
    with pytest.raises(ConfigError, match=r"trading_day.close: expected the session close .*unknown time zone "
                                          r"'Europe/Londn'"):
        Settings().replace_value("trading_day.close", "15:00 Europe/Londn")
    with pytest.raises(ConfigError, match=r"trading_day.close: .*not in the form HH:MM ZONE"):
        Settings().replace_value("trading_day.close", "")
    settings, problems = Settings.from_mapping({"trading_day": {"close": "25:00 UTC"}})
    assert settings.trading_day.close == "16:00 America/Chicago"
    assert [p.key for p in problems] == ["trading_day.close"] and "using the default" in problems[0].message
