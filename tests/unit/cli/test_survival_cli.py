"""`zn-ladder survival` in a subprocess: the JSON contract, the curves worked by hand in
tests/unit/domain/test_survival.py, levels from a file and from the settings, and exit 2 with one
line on stderr for bad input."""

from __future__ import annotations

import json

import pytest

KEYS = ["price", "risk", "extreme_level", "ticks_to_extreme", "curve"]


def survival(run_cli, *args):
    out = run_cli("survival", *map(str, args), "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_long_by_hand_json_contract(run_cli):
    data = survival(run_cli, "--price", "111'01", "--risk", "625")
    assert list(data) == KEYS
    assert (data["price"], data["risk"], data["extreme_level"], data["ticks_to_extreme"]) == \
        ("111.03125", 625, "109.875", 18.5)
    assert [pt["tt"] for pt in data["curve"]] == ["111'010", "110'240", "110'200", "110'150", "110'090",
                                                  "110'060", "110'020", "109'280"]
    assert all(list(pt) == ["level", "tt", "risk"] for pt in data["curve"])
    assert data["curve"][0] == {"level": "111.03125", "tt": "111'010", "risk": 625}
    assert data["curve"][1]["risk"] == 937.5 and data["curve"][-1]["risk"] == pytest.approx(859375 / 30)


def test_pnl_and_stop_loss_flags(run_cli):
    assert survival(run_cli, "--price", "111-01", "--risk", "625", "--pnl", "-20000")["extreme_level"] == "110.0625"
    short = survival(run_cli, "--price", "110-16+", "--risk", "-312.5", "--stop-loss", "-20000")
    assert (short["extreme_level"], len(short["curve"])) == ("111.4375", 7)
    assert survival(run_cli, "--price", "110-16+", "--risk", "-312.5")["ticks_to_extreme"] == 20.75


def test_flat_position_gives_an_empty_curve(run_cli):
    data = survival(run_cli, "--price", "110.5", "--risk", "0")
    assert data == {"price": "110.5", "risk": 0, "extreme_level": "110.5", "ticks_to_extreme": 0, "curve": []}


def test_levels_file_and_nbm(run_cli, tmp_path):
    levels = tmp_path / "levels.txt"
    levels.write_text("# desk levels\n110'24, 110-20\n110.46875  109'28\n\n", encoding="utf-8")
    data = survival(run_cli, "--price", "111'01", "--risk", "625", "--levels", levels, "--nbm", "40")
    assert [pt["tt"] for pt in data["curve"]] == ["111'010", "110'240", "110'200", "110'150", "109'280"]
    # 110'15 is exactly 9/16 (18/32) below 111'01: the margin includes it, 8/16 does not
    assert survival(run_cli, "--price", "111'01", "--risk", "625", "--levels", levels, "--nbm", "9")[
        "extreme_level"] == "110.46875"
    assert survival(run_cli, "--price", "111'01", "--risk", "625", "--levels", levels, "--nbm", "8")[
        "extreme_level"] == "110.625"


def test_levels_stop_and_nbm_come_from_the_settings(run_cli):
    assert run_cli("config", "set", "survival.levels", "110'22, 109'30").returncode == 0
    data = survival(run_cli, "--price", "111'01", "--risk", "625")
    assert [pt["tt"] for pt in data["curve"]] == ["111'010", "110'220", "109'300"]
    # the first step (11/32) loses 625 x 16 x 11/32 = 3,437.50: a -3,000 stop leaves only the price
    assert run_cli("config", "set", "survival.stop_loss", "-3000").returncode == 0
    assert [pt["tt"] for pt in survival(run_cli, "--price", "111'01", "--risk", "625")["curve"]] == ["111'010"]
    assert run_cli("config", "set", "survival.stop_loss", "-100000").returncode == 0
    assert run_cli("config", "set", "survival.nbm_sixteenths", "5").returncode == 0  # 110'22 is 5.5/16 away
    assert survival(run_cli, "--price", "111'01", "--risk", "625")["curve"] == [
        {"level": "111.03125", "tt": "111'010", "risk": 625}]


def test_table(run_cli):
    out = run_cli("survival", "--price", "111'01", "--risk", "625")
    assert out.returncode == 0, out.stderr
    assert "extreme level 109'280 (109.875), 18.5 sixteenths away" in out.stdout
    assert "110'240" in out.stdout and "937.50" in out.stdout
    flat = run_cli("survival", "--price", "111'01", "--risk", "0")
    assert "flat: no survival curve" in flat.stdout


@pytest.mark.parametrize("args, words", [
    (["--price", "110'40", "--risk", "1"], "--price"),
    (["--price", "111'01", "--risk", "ten"], "--risk 'ten'"),
    (["--price", "111'01", "--risk", "1", "--pnl", "x"], "--pnl 'x'"),
    (["--price", "111'01", "--risk", "1", "--nbm", "-1"], "--nbm -1"),
    (["--price", "111'01", "--risk", "1", "--stop-loss", "1e"], "--stop-loss '1e'"),
    (["--price", "111'01", "--risk", "1", "--levels", "missing.txt"], "--levels missing.txt"),
    (["--price", "111'01", "--risk", "1", "--product", "QQ"], "unknown product 'QQ'"),
    (["--risk", "1"], "--price"),
])
def test_bad_input_exit_2_one_line(run_cli, args, words):
    out = run_cli("survival", *args, "--json")
    assert out.returncode == 2 and out.stdout == ""
    assert len(out.stderr.splitlines()) == 1 and words in out.stderr, out.stderr


def test_bad_level_in_the_file_names_its_line(run_cli, tmp_path):
    levels = tmp_path / "levels.txt"
    levels.write_text("110'24\n110'2x\n", encoding="utf-8")
    out = run_cli("survival", "--price", "111'01", "--risk", "1", "--levels", str(levels))
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1
    assert "line 2" in out.stderr and "110'2x" in out.stderr
