"""Start-up of `zn-ladder`: a named command registers only its own module, `--help` still lists every
command, and the crash hooks are installed before any command runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from zn_ladder import cli, crash


@pytest.mark.parametrize(("argv", "command"), [
    (["pnl", "f.csv", "--contract", "ZN Sep25"], "pnl"),
    (["--log-level", "DEBUG", "price", "110-16"], "price"),
    (["--log-level=INFO", "config", "path"], "config"),
    (["--help"], None),
    (["--version"], None),
    (["--log", "DEBUG", "pnl"], "DEBUG"),  # an abbreviated option: "DEBUG" is no command -> all of them
    ([], ""),
    (["--log-level", "DEBUG"], ""),
])
def test_the_named_command_is_the_first_word_that_is_no_option(argv, command):
    assert cli._named_command(argv) == command


def subcommands(parser) -> set[str]:
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    return set(sub.choices)


def test_a_named_command_registers_only_its_module_and_help_lists_all():
    every = subcommands(cli.build_parser())
    assert {"price", "ladder", "pnl", "config", "import"} <= every
    assert subcommands(cli.build_parser("pnl")) == {"pnl"}
    assert subcommands(cli.build_parser("config")) == {"config"}  # module config_cmd
    assert subcommands(cli.build_parser("import")) == {"import"}  # module import_files
    assert subcommands(cli.build_parser("no-such-command")) == every
    assert subcommands(cli.build_parser("inputs")) == every  # a module of the package that is no command
    assert subcommands(cli.build_parser("")) == set()  # the window


def test_help_lists_every_command(run_cli):
    out = run_cli("--help")
    assert out.returncode == 0
    for name in subcommands(cli.build_parser()):
        assert name in out.stdout


def test_unknown_command_exits_2_listing_the_commands(run_cli):
    out = run_cli("pricee", "110-16")
    assert out.returncode == 2
    assert "invalid choice: 'pricee'" in out.stderr and "'price'" in out.stderr


def test_a_command_imports_no_other_command_module_nor_the_log_file_handlers(cli_env):
    code = ("import sys\n"
            "from zn_ladder import crash\n"
            "from zn_ladder.cli import main\n"
            "code = main(['price', '110-16+', '--product', 'ZN', '--json'])\n"
            "print(sorted(m for m in sys.modules if m.startswith('zn_ladder.cli.')))\n"
            "print(sys.excepthook is crash._sys_hook, 'logging.handlers' in sys.modules, code)\n")
    out = subprocess.run([sys.executable, "-c", code], env=cli_env, capture_output=True, text=True, check=True)
    *payload, modules, hooks = out.stdout.strip().splitlines()
    assert json.loads("\n".join(payload))["tt"] == "110'165"
    # arg_types and one_line_errors are the parser's own (bounded flag values, one-line errors), not commands
    assert modules == ("['zn_ladder.cli.arg_types', 'zn_ladder.cli.one_line_errors', 'zn_ladder.cli.output', "
                       "'zn_ladder.cli.price']")
    assert hooks == "True False 0"


def test_crash_hooks_are_installed_before_the_command_runs(monkeypatch):
    from zn_ladder.cli import price

    seen = []
    monkeypatch.setattr(crash, "install", lambda **kw: seen.append("install"))
    monkeypatch.setattr(price, "run", lambda args: seen.append(("run", args.text)) or 0)
    assert cli.main(["price", "110-16"]) == 0
    assert seen == ["install", ("run", "110-16")]
