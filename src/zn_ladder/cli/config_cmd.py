"""`zn-ladder config path|show|get|set|reset|export|import`: the settings, for support staff.

Values go through the same checks as the settings dialog, so a bad value is refused with the same
message naming the key and what was expected. Switching to LIVE needs the word LIVE (typed at the
prompt or given as `--confirm-live LIVE`); every change is written to the audit log.
"""

from __future__ import annotations

import argparse
import sys

from zn_ladder.cli.output import print_json, print_table

ORDER = 80


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("config", help="show or change the settings (path, show, get, set, reset, export, import)")
    actions = p.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    a = actions.add_parser("path", help="print where the settings file is")
    a.add_argument("--json", action="store_true", help="print JSON with every folder the app uses")
    a = actions.add_parser("show", help="print every setting (value, default, restart needed)")
    a.add_argument("--json", action="store_true", help="print JSON")
    a = actions.add_parser("get", help="print one setting, e.g. ladder.font_size")
    a.add_argument("key")
    a.add_argument("--json", action="store_true", help="print JSON")
    a = actions.add_parser("set", help="change one setting, e.g. `config set ladder.font_size 14`")
    a.add_argument("key")
    a.add_argument("value", help="the new value; lists are comma-separated (e.g. 'ZN Dec26, ZN Mar27')")
    a.add_argument("--confirm-live", metavar="WORD", help="type LIVE here to switch tt.environment to LIVE "
                                                           "without the prompt")
    a = actions.add_parser("reset", help="put every setting (or one KEY) back to its default")
    a.add_argument("key", nargs="?")
    a = actions.add_parser("export", help="write the settings to FILE for another desk (no secrets)")
    a.add_argument("file")
    a = actions.add_parser("import", help="replace the settings with those in FILE (made by export)")
    a.add_argument("file")
    a.add_argument("--confirm-live", metavar="WORD", help="type LIVE here if FILE switches to LIVE")
    p.set_defaults(run=run)


def _load():
    from zn_ladder.config.settings_file import load_settings

    loaded = load_settings()
    for problem in loaded.problems:
        print(f"zn-ladder: warning: {problem}", file=sys.stderr)
    return loaded


def _report(changed: list[str], restart: list[str]) -> None:
    if not changed:
        print("nothing changed")
        return
    print(f"saved: {', '.join(changed)}")
    if restart:
        print(f"takes effect after a restart of the app: {', '.join(restart)}")


def run(args: argparse.Namespace) -> int:
    from zn_ladder.config import paths
    from zn_ladder.config.settings import Settings, default_of, restart_keys, spec_of
    from zn_ladder.config.settings_file import export_settings, import_settings, settings_path

    action = args.config_action
    if action == "path":
        if args.json:
            print_json({"settings": str(settings_path()), "config_dir": str(paths.config_dir()),
                        "data_dir": str(paths.data_dir()), "log_dir": str(paths.log_dir())})
        else:
            print(settings_path())
        return 0
    if action == "get":
        spec_of(args.key)  # refuses an unknown key before touching the file
        settings = _load().settings
        if args.json:
            spec = spec_of(args.key)
            print_json({"key": args.key, "value": spec.to_toml(settings.get_value(args.key))})
        else:
            print(settings.text_value(args.key))
        return 0
    if action == "show":
        settings = _load().settings
        needs_restart = set(restart_keys())
        if args.json:
            print_json({k: spec_of(k).to_toml(settings.get_value(k)) for k in Settings.keys()})
        else:
            defaults = Settings()
            print_table(["key", "value", "default", "restart"],
                        [(k, settings.text_value(k) or '""',
                          "(same)" if settings.get_value(k) == default_of(k) else defaults.text_value(k) or '""',
                          "yes" if k in needs_restart else "")
                         for k in Settings.keys()])
        return 0
    if action == "export":
        path = export_settings(args.file, _load().settings, make_folder=False)
        print(f"settings written to {path} (no credentials: they stay in this PC's keyring)")
        return 0

    from zn_ladder.cli.settings_audit import apply_change

    old = _load().settings
    if action == "set":
        new = old.replace_value(args.key, args.value)
        confirm = args.confirm_live
    elif action == "reset":
        if args.key:
            new = old.replace_value(args.key, spec_of(args.key).to_toml(default_of(args.key)))
        else:
            new = Settings()
        confirm = None
    else:  # import
        imported = import_settings(args.file)
        for problem in imported.problems:
            print(f"zn-ladder: warning: {args.file}: {problem}", file=sys.stderr)
        new = imported.settings
        confirm = args.confirm_live
    restart = apply_change(old, new, None, confirm, action)
    _report(old.changed_keys(new), restart)
    return 0
