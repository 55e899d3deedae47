"""TT app keys and secrets: in the OS keyring only (Windows Credential Manager on a desk PC).

One keyring entry per TT environment (service ``zn_ladder/tt/<ENV>``, user ``app``) holds the key and
the secret together, so they can never get out of step. The environment variables
`ZN_LADDER_TT_KEY` / `ZN_LADDER_TT_SECRET` override the keyring (CI, a locked-down PC, a one-off run);
nothing here writes a secret to a file or a log, and `Credentials` hides its secret in `repr`.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field

from zn_ladder.config import fields
from zn_ladder.config.settings import spec_of
from zn_ladder.domain.errors import ConfigError

log = logging.getLogger(__name__)

KEY_VAR = "ZN_LADDER_TT_KEY"
SECRET_VAR = "ZN_LADDER_TT_SECRET"
SERVICE_PREFIX = "zn_ladder/tt/"
USERNAME = "app"

_NO_BACKEND = ("no OS keyring is available to hold TT credentials ({why}). On Windows the Credential "
               "Manager is used; on Linux install and unlock a Secret Service (GNOME Keyring or KWallet), "
               f"or set {KEY_VAR} and {SECRET_VAR} in the environment")


class KeyringUnavailable(ConfigError):
    """No OS keyring can hold a secret here (e.g. a Linux desktop without a Secret Service).

    Its own type because it is a property of the PC, not a fault of the session: the window says it
    once in the status strip, and not at all in DEMO, which needs no credentials."""


def key_hint(app_key: str) -> str:
    """Enough of an app key to recognise it in a status line, not enough to use it."""
    return app_key[:4] + "…" if len(app_key) > 8 else "…"


@dataclass(frozen=True)
class Credentials:
    app_key: str
    app_secret: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Credentials(app_key={key_hint(self.app_key)!r}, app_secret='***')"

    __str__ = __repr__


@dataclass(frozen=True)
class CredentialsStatus:
    """What a support engineer needs to see, with no secret in it."""

    environment: str
    source: str  # "environment" | "keyring" | "none"
    key_hint: str = ""
    backend: str = ""
    warning: str = ""

    def describe(self) -> str:
        where = {"environment": f"from {KEY_VAR}/{SECRET_VAR}", "keyring": f"in the keyring ({self.backend})",
                 "none": "none stored"}[self.source]
        key = f", key {self.key_hint}" if self.key_hint else ""
        warn = f" — {self.warning}" if self.warning else ""
        return f"{self.environment}: {where}{key}{warn}"


def normalise_environment(env: str) -> str:
    """`SIM`, `UAT` or `LIVE` from any spelling the settings accept (`sim`, `ext_uat_cert`...)."""
    try:
        return spec_of("tt.environment").parse(env)
    except fields.BadValue as exc:
        raise ConfigError(f"environment: {exc}") from None


def service_name(env: str) -> str:
    return SERVICE_PREFIX + normalise_environment(env)


def _keyring():
    """The active keyring backend, or `ConfigError` when there is none that can hold a secret."""
    try:
        import keyring
        from keyring.backends import chainer, fail
    except ImportError as exc:  # pragma: no cover - keyring is a dependency
        raise KeyringUnavailable(_NO_BACKEND.format(why=f"the keyring package is missing: {exc}")) from None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or (isinstance(backend, chainer.ChainerBackend) and not backend.backends):
        raise KeyringUnavailable(_NO_BACKEND.format(why="keyring found no backend"))
    return backend


def backend_name(backend: object) -> str:
    cls = type(backend)
    names = {"WinVaultKeyring": "Windows Credential Manager", "Keyring": "",
             "SecretService": "Secret Service", "PlaintextKeyring": "plain-text file (keyrings.alt)",
             "EncryptedKeyring": "encrypted file (keyrings.alt)"}
    for klass in cls.__mro__:
        label = names.get(klass.__name__)
        if label:
            return label
    if cls.__module__.startswith("keyring.backends.macOS"):
        return "macOS Keychain"
    return f"{cls.__module__}.{cls.__name__}"


def _plain_file_warning(backend: object) -> str:
    if any(k.__name__ == "PlaintextKeyring" for k in type(backend).__mro__):
        return "this backend keeps secrets unencrypted in a file; use it for tests only"
    return ""


def _keyring_error(action: str, env: str, exc: Exception) -> ConfigError:
    # The backend's message never carries the secret (we never pass it into an error path).
    return ConfigError(f"could not {action} the TT credentials for {env} in the OS keyring "
                       f"({type(exc).__name__}: {exc})")


def _from_environment_vars() -> Credentials | None:
    key = os.environ.get(KEY_VAR, "").strip()
    secret = os.environ.get(SECRET_VAR, "").strip()
    if key and secret:
        return Credentials(key, secret)
    if key or secret:
        have, missing = (KEY_VAR, SECRET_VAR) if key else (SECRET_VAR, KEY_VAR)
        raise ConfigError(f"{have} is set but {missing} is not: set both, or neither to use the keyring")
    return None


def load_credentials(env: str) -> Credentials | None:
    """The app key and secret for `env`, or None when none are configured (the app then runs the demo)."""
    env = normalise_environment(env)
    from_env = _from_environment_vars()
    if from_env is not None:
        return from_env
    backend = _keyring()
    try:
        stored = backend.get_password(service_name(env), USERNAME)
    except Exception as exc:  # keyring backends raise many types; all mean "cannot read"
        raise _keyring_error("read", env, exc) from None
    if stored is None:
        return None
    try:
        data = json.loads(stored)
        return Credentials(str(data["app_key"]), str(data["app_secret"]))
    except (ValueError, KeyError, TypeError):
        raise ConfigError(f"the TT credentials stored for {env} are damaged; store them again with "
                          f"`zn-ladder credentials set --env {env}`") from None


def _clean(name: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ConfigError(f"the {name} is empty")
    if any(c.isspace() for c in value) or len(value) > 500:
        raise ConfigError(f"the {name} must be one word of at most 500 characters (no spaces)")
    return value


def save_credentials(env: str, creds: Credentials) -> None:
    env = normalise_environment(env)
    payload = json.dumps({"app_key": _clean("app key", creds.app_key),
                          "app_secret": _clean("app secret", creds.app_secret)})
    backend = _keyring()
    try:
        backend.set_password(service_name(env), USERNAME, payload)
    except Exception as exc:
        raise _keyring_error("store", env, exc) from None
    log.info("TT credentials for %s stored in the keyring (%s), key %s", env, backend_name(backend),
             key_hint(creds.app_key))


def clear_credentials(env: str) -> bool:
    """Remove the keyring entry for `env`; False when there was none."""
    env = normalise_environment(env)
    backend = _keyring()
    try:
        if backend.get_password(service_name(env), USERNAME) is None:
            return False
        backend.delete_password(service_name(env), USERNAME)
    except Exception as exc:
        raise _keyring_error("remove", env, exc) from None
    log.info("TT credentials for %s removed from the keyring", env)
    return True


def credentials_status(env: str) -> CredentialsStatus:
    """Where the credentials for `env` come from. Reports a missing keyring instead of raising."""
    env = normalise_environment(env)
    from_env = _from_environment_vars()
    try:
        backend = _keyring()
    except ConfigError as exc:
        if from_env is not None:
            return CredentialsStatus(env, "environment", key_hint(from_env.app_key), "none", str(exc))
        return CredentialsStatus(env, "none", "", "none", str(exc))
    name, warning = backend_name(backend), _plain_file_warning(backend)
    if from_env is not None:
        return CredentialsStatus(env, "environment", key_hint(from_env.app_key), name, warning)
    try:
        creds = load_credentials(env)
    except ConfigError as exc:  # a damaged or unreadable entry: say so, do not fail the status
        return CredentialsStatus(env, "keyring", "", name, str(exc))
    if creds is None:
        return CredentialsStatus(env, "none", "", name, warning)
    return CredentialsStatus(env, "keyring", key_hint(creds.app_key), name, warning)
