"""The `zn-ladder` command: the window by default, plus headless subcommands over the same core.

Start-up must stay fast (`zn-ladder --help` well under 150 ms), so this module imports only argparse;
each subcommand lives in its own module here, registers its parser, and imports what it needs
(requests, the store...) only when it runs. The headless commands never import Qt (import-linter checks
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

#: Commands whose module is not named after them (command name with "-" -> "_" otherwise).
_MODULE_OF = {"config": "config_cmd", "import": "import_files"}


def _command_modules(command: str | None = None) -> list:
    """The modules that define `register(subparsers)`, ordered by their `ORDER`: every module of this
    package, or only `command`'s when it is named (see `_named_command`).

    Discovered rather than listed so that a new subcommand is one new file and nothing else.
    Such a module adds its parser, sets `run=<callable(args) -> int>`, and imports heavy libraries
    only inside `run`.
    """
    if command is not None:
        module = _module_of(command)
        return [module] if module is not None else _command_modules()
    import pkgutil

    modules = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            modules.append(module)
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def _module_of(command: str):
    """The module that registers `command`, found by its name alone, or None (then every module is
    registered: always right, only slower)."""
    name = _MODULE_OF.get(command, command.replace("-", "_"))
    if not name.isidentifier():
        return None
    try:
        module = importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise  # the module exists but one of its imports is missing: a real error
        return None
    return module if hasattr(module, "register") else None


def _named_command(argv: Sequence[str]) -> str | None:
    """The subcommand `argv` names: its first word that is neither an option nor --log-level's value;
    "" when `argv` holds only --log-level (the window opens: no command needs registering).

    Why: importing all ~20 command modules to build the full parser is a third of a short command's
    start-up, so `zn-ladder pnl ...` registers only `pnl`. `--help` alone (no command) still lists
    every command; anything unexpected (an abbreviated option, a typo) falls back to all of them.
    """
    skip = False
    window = True
    for word in argv:
        if skip:
            skip = False
        elif word == "--log-level":
            skip = True
        elif word.startswith("--log-level="):
            pass
        elif word.startswith("-"):
            window = False  # --help, --version or anything else: the full parser
        else:
            return word
    return "" if window else None


log = logging.getLogger(__name__)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with every command, or only `command`'s (every command when it is not found), or
    none for `command=""` (the window)."""
    from zn_ladder.cli.arg_types import log_level
    from zn_ladder.cli.one_line_errors import OneLineParser

    parser = OneLineParser(
        prog="zn-ladder",
        description="Scenario ladder for Treasury futures on TT. With no command, opens the window. "
                    "zn-ladder reads from TT; it never sends, changes or cancels an order.",
    )
    parser.add_argument("--version", action="version", version=f"zn-ladder {__version__}")
    parser.add_argument("--log-level", default="WARNING", type=log_level,
                        help="logging level for stderr: DEBUG, INFO, WARNING, ERROR or CRITICAL (default WARNING)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    modules = _command_modules(command) if command != "" else []
    for module in modules:
        module.register(sub)
    if command is not None and command not in sub.choices and len(modules) == 1:
        for module in _command_modules():  # the module named like the command registers another name
            if module is not modules[0]:
                module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_named_command(argv))
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
        # One line, whatever the message quotes (a file name given as "a\nb" is shown as a\nb).
        message = str(exc).replace("\r", "\\r").replace("\n", "\\n")
        print(f"zn-ladder: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`zn-ladder pnl --json | head`): not a crash. Point stdout at devnull so
        # the interpreter's final flush does not raise again.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
