"""One-line usage errors for a subcommand's parser.

Bad input to a headless command gives exit code 2 and one line on stderr naming the problem (issue 3
§4). argparse's own errors print the whole usage block first; a parser passed through `one_line_errors`
prints only `zn-ladder <command>: <message>` (`--help` still shows the usage).
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn


class OneLineParser(argparse.ArgumentParser):
    """An `ArgumentParser` whose errors are one line; `build_parser` makes it the class of the main
    parser and of every subcommand's (argparse gives nested subparsers their parent's class), so no
    command can print a usage block on bad input."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {' '.join(message.split())} (see {self.prog} --help)\n")
        sys.exit(2)

    def _get_values(self, action: argparse.Action, arg_strings: list[str]):  # type: ignore[override]
        # `--product=--` reaches here as ["--"]; Python 3.11's argparse drops the "--" and hands the
        # command an empty list where it expects a text (a traceback later). Refuse it here.
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            self.error(f"argument {'/'.join(action.option_strings)}: expected a value, not '--'")
        return super()._get_values(action, arg_strings)


def one_line_errors(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    def error(message: str) -> NoReturn:
        sys.stderr.write(f"{parser.prog}: {message} (see {parser.prog} --help)\n")
        sys.exit(2)

    parser.error = error  # type: ignore[method-assign]
    return parser
