"""The `zn-ladder` command: the window by default, plus headless subcommands over the same core.

Start-up must stay fast (`zn-ladder --help` well under 150 ms), so this module imports only argparse;
each subcommand lives in its own module here, registers its parser, and imports what it needs (pandas,
requests, the store...) only when it runs. The headless commands never import Qt (import-linter checks
it); the window is reached through `importlib` so that the CLI package does not depend on the GUI.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from zn_ladder import __version__
from zn_ladder.domain.errors import ZnLadderError

#: Subcommand modules in `zn_ladder.cli`, in the order `--help` lists them. Each defines
#: `register(subparsers)`, which adds its parser and sets `run=<callable(args) -> int>`.
COMMANDS: tuple[str, ...] = (
    "price",
)

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zn-ladder",
        description="Scenario ladder for Treasury futures on TT. With no command, opens the window. "
                    "zn-ladder reads from TT; it never sends, changes or cancels an order.",
    )
    parser.add_argument("--version", action="version", version=f"zn-ladder {__version__}")
    parser.add_argument("--log-level", default="WARNING", help="logging level for stderr (default WARNING)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"zn_ladder.cli.{name.replace('-', '_')}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command is None:
            return importlib.import_module("zn_ladder.app").run_gui(args)
        return int(args.run(args) or 0)
    except ZnLadderError as exc:
        print(f"zn-ladder: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
