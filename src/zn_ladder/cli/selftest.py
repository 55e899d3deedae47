"""`zn-ladder selftest`: the window against the embedded simulator, checked against its ground truth.

The check itself lives beside the GUI entry (`zn_ladder.selftest`) and is reached through importlib,
so this package stays free of Qt (import-linter checks it).
"""

from __future__ import annotations

import argparse
import importlib

from zn_ladder.cli.arg_types import seconds

ORDER = 90


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "selftest", help="open the window on the built-in simulator and check its numbers (CI smoke test)",
        description="Starts the window against the embedded TT simulator, lets it trade, holds the market "
                    "still until the screen settles, checks the cards, every visible ladder row, the fills table "
                    "and the projected-P&L chart against the simulator's ground truth (computed without the "
                    "window's code), and exits 0 (1 naming each disagreement otherwise). Works offscreen "
                    "(QT_QPA_PLATFORM=offscreen).")
    p.add_argument("--screenshot", metavar="PATH", help="save a PNG of the window here")
    p.add_argument("--seconds", type=seconds(0, 3600, low_open=True), default=30.0,
                   help="give up after this many seconds (default 30)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from zn_ladder.domain.errors import InputError

    if args.seconds <= 0:
        raise InputError(f"--seconds must be positive, got {args.seconds}")
    return int(importlib.import_module("zn_ladder.selftest").run_selftest(args))
