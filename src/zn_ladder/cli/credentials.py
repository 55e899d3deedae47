"""`zn-ladder credentials set|clear|status --env ENV`: TT app keys in the OS keyring; `set-db|clear-db URL`:
the password of a desk database (PostgreSQL) login, in the same keyring.

The secret is read with getpass (never echoed) or, when stdin is not a terminal (a deployment
script piping it in), as one line from stdin; it is never taken from the command line, where it would
land in shell history and process lists. The app key may be given with `--key` or typed at a prompt.
"""

from __future__ import annotations

import argparse
import sys

from zn_ladder.cli.output import print_json, print_table

ORDER = 81
ENVS = ("SIM", "UAT", "LIVE")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("credentials", help="store, remove or check the TT app key and secret (OS keyring)")
    actions = p.add_subparsers(dest="credentials_action", metavar="ACTION", required=True)
    a = actions.add_parser("set", help="store the app key and secret for ENV (the secret is prompted for)")
    a.add_argument("--env", required=True, help="SIM, UAT or LIVE")
    a.add_argument("--key", help="the app key (prompted for when omitted); the secret is always prompted for")
    a = actions.add_parser("clear", help="remove the stored key and secret for ENV")
    a.add_argument("--env", required=True, help="SIM, UAT or LIVE")
    a = actions.add_parser("status", help="where the credentials come from (never prints the secret)")
    a.add_argument("--env", help="SIM, UAT or LIVE (default: all three)")
    a.add_argument("--json", action="store_true", help="print JSON")
    a = actions.add_parser("set-db", help="store the password of a desk database login (prompted for)")
    a.add_argument("url", metavar="URL", help="the desk database, postgresql://user@host[:port]/database")
    a = actions.add_parser("clear-db", help="remove the stored password of a desk database login")
    a.add_argument("url", metavar="URL", help="the desk database, postgresql://user@host[:port]/database")
    p.set_defaults(run=run)


def _read_line(prompt: str, secret: bool) -> str:
    """A line from the person at the terminal (secret: not echoed), else from piped stdin."""
    if sys.stdin.isatty():
        if secret:
            import getpass

            return getpass.getpass(prompt)
        return input(prompt)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _audit(event_detail: dict) -> None:
    from zn_ladder.cli.settings_audit import write_audit
    from zn_ladder.config.settings_file import load_settings

    write_audit(load_settings().settings, "credentials_changed", event_detail)


def run(args: argparse.Namespace) -> int:
    from zn_ladder.config.credentials import (
        Credentials,
        clear_credentials,
        credentials_status,
        key_hint,
        normalise_environment,
        save_credentials,
    )

    action = args.credentials_action
    if action in ("set-db", "clear-db"):
        return _database_password(action, args.url)
    if action == "status":
        envs = [normalise_environment(args.env)] if args.env else list(ENVS)
        statuses = [credentials_status(e) for e in envs]
        if args.json:
            print_json([{"env": s.environment, "source": s.source, "key": s.key_hint, "backend": s.backend,
                         "warning": s.warning} for s in statuses])
        else:
            print_table(["env", "source", "key", "backend"],
                        [(s.environment, s.source, s.key_hint or "-", s.backend) for s in statuses])
            for warning in sorted({s.warning for s in statuses if s.warning}):
                print(f"note: {warning}")
        return 0
    env = normalise_environment(args.env)
    if action == "clear":
        removed = clear_credentials(env)
        if removed:
            _audit({"env": env, "action": "cleared"})
        print(f"TT credentials for {env} removed from the keyring" if removed
              else f"no TT credentials were stored for {env}")
        return 0
    key = args.key if args.key else _read_line(f"TT app key for {env}: ", secret=False)
    secret = _read_line(f"TT app secret for {env} (not shown): ", secret=True)
    save_credentials(env, Credentials(key, secret))
    _audit({"env": env, "action": "stored", "key": key_hint(key.strip())})
    print(f"TT credentials for {env} stored in the OS keyring (key {key_hint(key.strip())})")
    return 0


def _database_password(action: str, url: str) -> int:
    """The password of a desk database login, kept in the OS keyring under the URL's user, host, port and
    database (`store.backend.keyring_password` reads it when connecting); never echoed nor audited."""
    from zn_ladder.config.credentials import _keyring
    from zn_ladder.domain.errors import ConfigError
    from zn_ladder.store.backend import KEYRING_SERVICE, PgLocation, locate, store_keyring_password

    location = locate(url)
    if not isinstance(location, PgLocation):
        raise ConfigError(f"{url} is not a desk database URL: write postgresql://user@host[:port]/database")
    ring = _keyring()
    if action == "clear-db":
        try:
            had = ring.get_password(KEYRING_SERVICE, location.keyring_user) is not None
            if had:
                ring.delete_password(KEYRING_SERVICE, location.keyring_user)
        except Exception as exc:  # keyring backends raise many types
            raise ConfigError(f"could not remove the password for {location} from the OS keyring "
                              f"({type(exc).__name__})") from None
        print(f"password for {location} removed from the keyring" if had else f"no password was stored for {location}")
        return 0
    password = _read_line(f"password of {location.user or 'the login'} for {location} (not shown): ", secret=True)
    if not password:
        raise ConfigError("the password is empty: nothing stored")
    try:
        store_keyring_password(location, password)
    except Exception as exc:
        raise ConfigError(f"could not store the password for {location} in the OS keyring ({type(exc).__name__})") from None
    print(f"password for {location} stored in the OS keyring")
    return 0
