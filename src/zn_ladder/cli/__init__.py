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

def _command_modules() -> list:
    """Every module of this package that defines `register(subparsers)`, ordered by its `ORDER`.

    Discovered rather than listed so that a new subcommand is one new file and nothing else.
    Such a module adds its parser, sets `run=<callable(args) -> int>`, and imports heavy libraries
    only inside `run`.
    """
    import pkgutil

    modules = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            modules.append(module)
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))

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
    for module in _command_modules():
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    # An unexpected exception (a bug, not bad input) writes a crash report to the log folder; stderr
    # lines are redacted like the log files.
    from zn_ladder import crash
    from zn_ladder.config.logging_setup import redact_handlers

    crash.install()
    redact_handlers()
    try:
        if args.command is None:
            return importlib.import_module("zn_ladder.app").run_gui(args)
        return int(args.run(args) or 0)
    except ZnLadderError as exc:
        print(f"zn-ladder: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
