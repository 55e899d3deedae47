"""Credentials in the OS keyring: a real file backend and an in-memory backend on Linux; only the
Windows Credential Manager API (win32cred) is faked, under keyring's real WinVaultKeyring."""

from __future__ import annotations

import logging

import keyring
import pytest
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring

from tests.unit.config.keyrings import MemoryKeyring
from zn_ladder.config.credentials import (
    KEY_VAR,
    SECRET_VAR,
    Credentials,
    clear_credentials,
    credentials_status,
    load_credentials,
    normalise_environment,
    save_credentials,
    service_name,
)
from zn_ladder.domain.errors import ConfigError

SECRET = "s3cr3t-Zq9-do-not-leak"
KEY = "a1b2c3d4-e5f6-0000-1111-222233334444"


@pytest.fixture(autouse=True)
def _restore_keyring(monkeypatch):
    monkeypatch.delenv(KEY_VAR, raising=False)
    monkeypatch.delenv(SECRET_VAR, raising=False)
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def file_keyring(tmp_path):
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring" / "keyring_pass.cfg")
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def memory_keyring():
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


def test_repr_and_str_hide_the_secret():
    creds = Credentials(KEY, SECRET)
    for text in (repr(creds), str(creds), f"{creds}", repr([creds])):
        assert SECRET not in text and KEY not in text
        assert "a1b2…" in text


def test_round_trip_through_a_real_file_keyring(file_keyring, tmp_path):
    assert load_credentials("SIM") is None
    save_credentials("uat", Credentials(f" {KEY} ", SECRET))
    assert load_credentials("UAT") == Credentials(KEY, SECRET)
    assert load_credentials("ext_uat_cert") == Credentials(KEY, SECRET)
    assert load_credentials("SIM") is None  # one entry per environment
    # A fresh backend object reading the same file sees it (it really is on disk, outside our folders).
    other = PlaintextKeyring()
    other.file_path = file_keyring.file_path
    keyring.set_keyring(other)
    assert load_credentials("UAT") == Credentials(KEY, SECRET)
    assert clear_credentials("UAT") is True
    assert load_credentials("UAT") is None
    assert clear_credentials("UAT") is False


def test_in_memory_backend_stores_key_and_secret_together(memory_keyring):
    save_credentials("LIVE", Credentials(KEY, SECRET))
    assert list(memory_keyring.entries) == [("zn_ladder/tt/LIVE", "app")]
    status = credentials_status("live")
    assert (status.environment, status.source, status.key_hint) == ("LIVE", "keyring", "a1b2…")
    assert SECRET not in status.describe() and KEY not in status.describe()
    assert credentials_status("SIM").source == "none"


def test_environment_variables_override_the_keyring(memory_keyring, monkeypatch):
    save_credentials("SIM", Credentials(KEY, SECRET))
    monkeypatch.setenv(KEY_VAR, "envkey-123456789")
    monkeypatch.setenv(SECRET_VAR, "envsecret")
    assert load_credentials("SIM") == Credentials("envkey-123456789", "envsecret")
    assert credentials_status("SIM").source == "environment"


def test_one_environment_variable_alone_is_an_error(memory_keyring, monkeypatch):
    monkeypatch.setenv(KEY_VAR, "envkey")
    with pytest.raises(ConfigError, match=f"{KEY_VAR} is set but {SECRET_VAR} is not"):
        load_credentials("SIM")


def test_missing_backend_gives_a_clear_config_error():
    keyring.set_keyring(fail.Keyring())
    for call in (lambda: load_credentials("SIM"), lambda: save_credentials("SIM", Credentials(KEY, SECRET)),
                 lambda: clear_credentials("SIM")):
        with pytest.raises(ConfigError, match="no OS keyring is available to hold TT credentials") as info:
            call()
        assert "Credential Manager" in str(info.value) and KEY_VAR in str(info.value)
    status = credentials_status("SIM")
    assert status.source == "none" and "no OS keyring" in status.warning


def test_missing_backend_with_environment_variables_still_works(monkeypatch):
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv(KEY_VAR, KEY)
    monkeypatch.setenv(SECRET_VAR, SECRET)
    assert load_credentials("UAT") == Credentials(KEY, SECRET)
    assert credentials_status("UAT").source == "environment"


def test_damaged_entry_is_reported(memory_keyring):
    memory_keyring.entries[(service_name("SIM"), "app")] = "not json"
    with pytest.raises(ConfigError, match=r"damaged; store them again with `zn-ladder credentials set --env SIM`"):
        load_credentials("SIM")
    status = credentials_status("SIM")
    assert status.source == "keyring" and "damaged" in status.warning


@pytest.mark.parametrize("key, secret, message", [
    ("", SECRET, "the app key is empty"), (KEY, "  ", "the app secret is empty"),
    (KEY, "two words", "the app secret must be one word")])
def test_bad_input_is_refused_before_the_keyring(memory_keyring, key, secret, message):
    with pytest.raises(ConfigError, match=message):
        save_credentials("SIM", Credentials(key, secret))
    assert memory_keyring.entries == {}


def test_unknown_environment_is_refused(memory_keyring):
    with pytest.raises(ConfigError, match="environment: expected one of SIM, UAT, LIVE"):
        load_credentials("staging")
    assert normalise_environment("ext_prod_live") == "LIVE"


def test_plaintext_backend_is_flagged_in_status(file_keyring):
    status = credentials_status("SIM")
    assert status.backend == "plain-text file (keyrings.alt)"
    assert "unencrypted" in status.warning


def test_backend_errors_become_config_errors_without_the_secret():
    class Broken(MemoryKeyring):
        def set_password(self, service, username, password):
            raise RuntimeError("vault locked")

    keyring.set_keyring(Broken())
    with pytest.raises(ConfigError) as info:
        save_credentials("SIM", Credentials(KEY, SECRET))
    assert "could not store the TT credentials for SIM" in str(info.value) and "vault locked" in str(info.value)
    assert SECRET not in str(info.value)


def test_nothing_secret_is_logged(memory_keyring, caplog):
    caplog.set_level(logging.DEBUG)
    save_credentials("UAT", Credentials(KEY, SECRET))
    load_credentials("UAT")
    credentials_status("UAT")
    clear_credentials("UAT")
    assert "stored in the keyring" in caplog.text
    assert SECRET not in caplog.text and KEY not in caplog.text


# --- Windows: keyring's real WinVaultKeyring over a fake win32cred (the only mock) -----------------

class _FakeWinError(Exception):
    def __init__(self, winerror, funcname, message):
        super().__init__(winerror, funcname, message)
        self.winerror, self.funcname = winerror, funcname


class _FakeWin32Cred:
    """The few calls of the Windows Credential Manager API that WinVaultKeyring makes."""

    CRED_TYPE_GENERIC = 1
    CRED_PERSIST_ENTERPRISE = 3

    def __init__(self):
        self.vault: dict[str, dict] = {}

    def CredRead(self, Type, TargetName):  # noqa: N802,N803 - Windows' names
        if TargetName not in self.vault:
            raise _FakeWinError(1168, "CredRead", "Element not found.")
        return dict(self.vault[TargetName])

    def CredWrite(self, credential, flags):  # noqa: N802
        blob = credential["CredentialBlob"]
        self.vault[credential["TargetName"]] = {**credential, "CredentialBlob": blob.encode("utf-16-le")}

    def CredDelete(self, Type, TargetName):  # noqa: N802,N803
        if self.vault.pop(TargetName, None) is None:
            raise _FakeWinError(1168, "CredDelete", "Element not found.")


def test_windows_credential_manager_backend(monkeypatch):
    from keyring.backends import Windows

    fake = _FakeWin32Cred()
    monkeypatch.setattr(Windows, "win32cred", fake, raising=False)
    monkeypatch.setattr(Windows, "pywintypes", type("pywintypes", (), {"error": _FakeWinError}), raising=False)
    keyring.set_keyring(Windows.WinVaultKeyring())

    save_credentials("UAT", Credentials(KEY, SECRET))
    save_credentials("LIVE", Credentials("live-key-000000", "live-secret"))
    # One Credential Manager entry per environment, named so a support engineer can find it.
    assert set(fake.vault) == {"zn_ladder/tt/UAT", "zn_ladder/tt/LIVE"}
    assert fake.vault["zn_ladder/tt/UAT"]["UserName"] == "app"
    assert load_credentials("UAT") == Credentials(KEY, SECRET)
    status = credentials_status("UAT")
    assert (status.backend, status.source, status.warning) == ("Windows Credential Manager", "keyring", "")
    assert clear_credentials("UAT") is True
    assert set(fake.vault) == {"zn_ladder/tt/LIVE"}
    assert load_credentials("UAT") is None
