"""One-line usage errors for a subcommand's parser.

Bad input to a headless command gives exit code 2 and one line on stderr naming the problem (issue 3
§4). argparse's own errors print the whole usage block first; a parser passed through `one_line_errors`
prints only `zn-ladder <command>: <message>` (`--help` still shows the usage).
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn


def one_line_errors(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    def error(message: str) -> NoReturn:
        sys.stderr.write(f"{parser.prog}: {message} (see {parser.prog} --help)\n")
        sys.exit(2)

    parser.error = error  # type: ignore[method-assign]
    return parser
