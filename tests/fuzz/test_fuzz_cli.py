"""Fuzz the price parser and every flag of every `zn-ladder` command (issue 13), in this process.

- Price parser: any text, as `zn-ladder price TEXT --product P --json`: exit 2 with one stderr line, or
  the exact value an independent reference parser (below) gives, on every product.
- Every flag: a hostile value (nan, inf, -1, 99999, 1e400, empty, unicode, a 5,000-character word, a
  leading dash...) for each flag of each command. Commands that read files and stores run for real
  (price, ladder, pnl, import, export, config); the ones that would serve, poll or open a browser
  (sim, monitor, tt, doctor, reconcile, spot, selftest, credentials) run with their body replaced by a
  check that every numeric setting that got through the parser is finite and inside its bounds.
  Either way: exit 0, 1 or 2; a 2 with exactly one stderr line; never a traceback; the store's bytes
  unchanged unless the command writes it.
"""

from __future__ import annotations

import json
import math
import re
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zn_ladder.domain.instruments import PRODUCTS

from .conftest import FIXTURES, RAN, assert_one_line_refusal, fuzz_settings, run_cli, store_digest

_DIGIT_EIGHTHS = {"0": 0, "1": 1, "2": 2, "3": 3, "5": 4, "6": 5, "7": 6, "8": 7, "+": 4}


def ref_price(text: str, product) -> Fraction | None:
    """The value of a price text by DESIGN.md §3.3, written independently of `domain.prices`."""
    s = text.strip()
    if not s or len(text) > 64:
        return None
    m = re.fullmatch(r"(-?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)", s, re.ASCII)
    if m:
        value = Fraction(m.group(2))
        negative = bool(m.group(1))
    elif not product.is_32nds:
        return None
    elif m := re.fullmatch(r"(-?)([0-9]+)['-]([0-9]{2})([0-9+]?)", s, re.ASCII):
        negative, whole, n32, digit = bool(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)
        if n32 >= 32 or (digit and digit not in _DIGIT_EIGHTHS):
            return None
        value = whole + (n32 + Fraction(_DIGIT_EIGHTHS.get(digit, 0), 8)) / 32
    elif m := re.fullmatch(r"(-?)([0-9]+)-([0-9]{2}\.[0-9]+)", s, re.ASCII):
        negative, whole, n32 = bool(m.group(1)), int(m.group(2)), Fraction(m.group(3))
        if n32 >= 32:
            return None
        value = whole + n32 / 32
    else:
        return None
    if negative or not product.min_price < value < product.max_price:
        return None
    return value


PRICE_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789'-.+ ", max_size=14),
    st.builds(lambda w, sep, n, d: f"{w}{sep}{n:02d}{d}", st.integers(0, 1200), st.sampled_from(["'", "-"]),
              st.integers(0, 40), st.sampled_from(["", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "+"])),
    st.builds(lambda w, n: f"{w}-{n}", st.integers(0, 200), st.decimals(0, 40, places=3, allow_nan=False).map(str)),
    st.fractions(min_value=-10, max_value=1100, max_denominator=512).map(lambda f: str(float(f))),
    st.sampled_from(["1" * 4400, "inf", "nan", "1e2", "110'165", "-110.5", "0", "5000", "١١٠.٥", "110_5",
                     "--help", "-", "110'16+", "115'09", "104'282", "110-08.75"]))


@fuzz_settings
@given(text=PRICE_TEXT, symbol=st.sampled_from(sorted(PRODUCTS)))
def test_price_parser_matches_the_reference_or_refuses_in_one_line(text, symbol):
    RAN["price parser (zn-ladder price)"] += 1
    product = PRODUCTS[symbol]
    code, out, err = run_cli("price", "--product", symbol, "--json", "--", text)
    assert "Traceback" not in err
    want = ref_price(text, product)
    if want is None:
        assert_one_line_refusal(code, err)
        return
    assert code == 0, (text, err)
    payload = json.loads(out)
    assert Fraction(payload["decimal"]) == want, (text, payload)
    assert payload["on_tick"] == ((want * product.ticks_per_point).denominator == 1)


# ---------------------------------------------------------------- every flag of every command
HOSTILE = st.one_of(
    st.sampled_from(["nan", "NaN", "inf", "-inf", "1e400", "-1", "0", "-0", "99999", "65536", "1e308", "1_000",
                     "0x10", "", " ", "٣", "1" * 5000, "--", "-x", "abc", "LIVE", "ZN Sep25", "110'165", "fifo",
                     "2", "0.5", "1e-320", "/dev/zero", "/dev/null", "/", ".", "..", "\x00", "ZN", "debug", "FIFO"]),
    st.text(max_size=20).filter(lambda t: "\x00" not in t),
    st.integers().map(str), st.floats(allow_nan=True, allow_infinity=True).map(repr))

#: (command words, flag, how it runs): "real" runs the command; a dict of bounds stubs its body.
BOUNDS_SIM = {"port": (0, 65535), "seed": (0, 2 ** 63 - 1), "token_lifetime": (0, 86400 * 30),
              "rate_limit": (0.001, 100000), "fault_rate": (0, 1), "latency_ms": (0, 600000),
              "page_size": (1, 100000), "step_interval": (0, 3600), "history_fills": (0, 1000000),
              "hang_seconds": (0, 3600)}
FLAGS: list[tuple[tuple[str, ...], str]] = [
    (("price", "110'165"), "--product"), (("price",), "TEXT"), (("price", "110'165"), "--log-level"),
    (("ladder", "--orders", "{orders}", "--spot", "110'090"), "--product"),
    (("ladder", "--orders", "{orders}", "--product", "ZN"), "--spot"),
    (("ladder", "--orders", "{orders}", "--spot", "110'090"), "--account"),
    (("ladder", "--orders", "{orders}", "--spot", "110'090"), "--sod"),
    (("ladder", "--spot", "110'090"), "--orders"),
    (("ladder", "--orders", "{orders}", "--spot", "110'090"), "--fills"),
    (("pnl", "{fills}", "--contract", "ZN Sep25"), "--mark"),
    (("pnl", "{fills}"), "--contract"), (("pnl", "{fills}", "--contract", "ZN Sep25"), "--method"),
    (("pnl", "{fills}", "--contract", "ZN Sep25"), "--kind"),
    (("pnl", "{fills}", "--contract", "ZN Sep25"), "--account"),
    (("pnl", "{fills}", "--contract", "ZN Sep25"), "--product"),
    (("pnl", "{fills}", "--contract", "ZN Sep25"), "--sod"),
    (("pnl", "--contract", "ZN Sep25"), "--db"),
    (("import", "{fills}", "--db", "{db}"), "--kind"), (("import", "{fills}", "--db", "{db}"), "--contract"),
    (("import", "--db", "{db}"), "FILE"),
    (("export", "--db", "{db}", "--what", "fills"), "--contract"), (("export", "--db", "{db}"), "--what"),
    (("export", "--db", "{db}", "--what", "fills"), "--out"), (("export", "--what", "pnl"), "--db"),
    (("export", "--db", "{db}", "--what", "fills"), "--format"),
    (("config", "get"), "KEY"), (("config", "set", "ladder.font_size"), "VALUE"),
    (("config", "set", "spot.poll_seconds"), "VALUE"), (("config", "reset"), "KEY"),
    (("config", "import"), "FILE"), (("config", "export"), "FILE"),
    *((("sim",), f"--{name.replace('_', '-')}") for name in BOUNDS_SIM),
    (("sim",), "--env"), (("sim",), "--host"),
    (("monitor", "--db", "{db}"), "--interval"), (("monitor", "--db", "{db}"), "--env"),
    (("monitor", "--db", "{db}"), "--plan"), (("monitor", "--db", "{db}"), "--base-url"),
    (("tt", "fills"), "--since"), (("tt", "positions"), "--account"), (("tt",), "WHAT"),
    (("doctor",), "--env"), (("reconcile", "--db", "{db}"), "--base-url"),
    (("spot", "--url", "http://127.0.0.1:9/", "--locator", "#x"), "--nav-timeout"),
    (("spot", "--url", "http://127.0.0.1:9/", "--locator", "#x"), "--read-timeout"),
    (("spot", "--url", "http://127.0.0.1:9/", "--locator", "#x"), "--attempts"),
    (("spot", "--url", "http://127.0.0.1:9/", "--locator", "#x"), "--product"),
    (("selftest",), "--seconds"), (("credentials", "status"), "--env"), (("credentials",), "ACTION"),
]
STUBBED = {"sim": "sim", "monitor": "monitor", "tt": "tt", "doctor": "doctor", "reconcile": "reconcile",
           "spot": "spot", "selftest": "selftest", "credentials": "credentials"}
NUMERIC_BOUNDS = {**BOUNDS_SIM, "interval": (0, 86400), "since": (0, 2 ** 63 - 1), "nav_timeout": (0, 3600),
                  "read_timeout": (0, 3600), "attempts": (1, 100), "seconds": (0, 3600)}


def _checked_body(args) -> int:
    """Stands in for a serving/polling command: what got through the parser must be sane."""
    for name, (low, high) in NUMERIC_BOUNDS.items():
        value = getattr(args, name, None)
        if value is not None and not isinstance(value, bool):
            assert isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high, (name, value)
    return 0


@pytest.fixture(scope="module")
def files(tmp_path_factory, baseline_store) -> dict[str, str]:
    import shutil

    folder = tmp_path_factory.mktemp("cli")
    db = folder / "store.sqlite3"
    shutil.copyfile(baseline_store, db)
    return {"orders": str(FIXTURES / "tt_working_orders_response.json"),
            "fills": str(FIXTURES / "fill_monitor_sample.csv"), "db": str(db), "folder": str(folder)}


def _argv(words: tuple[str, ...], flag: str, value: str, files: dict[str, str]) -> list[str]:
    argv = [w.format(**files) for w in words]
    if flag.isupper():  # a positional
        return argv + ["--", value] if not argv[0] == "config" else argv + [value]
    return argv + [f"{flag}={value}"]


@pytest.mark.parametrize("words, flag", FLAGS, ids=[f"{w[0]} {f}" for w, f in FLAGS])
@fuzz_settings
@given(value=HOSTILE)
def test_every_flag_exits_0_1_or_2_with_one_line(monkeypatch, files, words, flag, value):
    RAN["cli flags (every flag of every command)"] += 1
    command = words[0]
    if command in STUBBED:
        import importlib

        module = importlib.import_module(f"zn_ladder.cli.{STUBBED[command]}")
        monkeypatch.setattr(module, "run", _checked_body)
    if command == "config" and words[1] == "import":
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO(""))
    db = Path(files["db"])
    before = store_digest(db)
    code, out, err = run_cli(*_argv(words, flag, value, files))
    assert "Traceback" not in err, err[-2000:]
    assert code in (0, 1, 2), (code, err[-500:])
    if code == 2:
        assert_one_line_refusal(code, err)
    if command not in ("import",):
        assert store_digest(db) == before  # only `import` writes the store
