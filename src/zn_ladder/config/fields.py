"""The kinds of value a setting can hold, each with its own check and its own words for the user.

One spec per kind (a choice, a whole number in a range, seconds, a URL...) parses a value coming from
the TOML file, the command line or a dialog's text box, and says what it expected when the value is
wrong. The file loader, `zn-ladder config set` and the settings dialog all go through the same spec,
so a support engineer reads the same message wherever they typed the value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import PureWindowsPath, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import decimal_text, format_price, parse_price
from zn_ladder.domain.schedule import parse_capture_window
from zn_ladder.domain.sod_accounts import EXAMPLE, format_account_map, parse_account_map


class BadValue(ValueError):
    """A value a spec refuses; the message says what was expected (the caller adds the key)."""


_TRUE = {"true", "yes", "on", "1", "y"}
_FALSE = {"false", "no", "off", "0", "n"}


@dataclass(frozen=True)
class Spec:
    """How one setting is checked, converted and shown.

    `restart` marks settings the running app cannot pick up (it says so after Apply);
    `label` and `help` are the words the dialog and `config show` use.
    """

    label: str
    help: str = ""
    restart: bool = False

    @property
    def expected(self) -> str:  # pragma: no cover - every kind overrides it
        raise NotImplementedError

    def parse(self, value: Any) -> Any:
        """The typed value for `value` (from TOML or typed text), or `BadValue`."""
        raise NotImplementedError  # pragma: no cover

    def to_toml(self, value: Any) -> Any:
        return value

    def to_text(self, value: Any) -> str:
        return str(value)

    def _refuse(self, value: Any) -> BadValue:
        return BadValue(f"expected {self.expected}, got {value!r}")


@dataclass(frozen=True)
class Choice(Spec):
    choices: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    upper: bool = False
    #: The words a person reads for a choice (the dialog's combo box); the code is what the file holds.
    labels: dict[str, str] = field(default_factory=dict)

    def label_of(self, choice: str) -> str:
        return self.labels.get(choice, choice)

    @property
    def expected(self) -> str:
        return "one of " + ", ".join(self.choices)

    def parse(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self._refuse(value)
        text = value.strip()
        lowered = {c.lower(): c for c in self.choices}
        text = self.aliases.get(text.lower(), text)
        if text.lower() in lowered:
            return lowered[text.lower()]
        raise self._refuse(value)


@dataclass(frozen=True)
class Integer(Spec):
    low: int = 0
    high: int = 1_000_000

    @property
    def expected(self) -> str:
        return f"a whole number from {self.low} to {self.high}"

    def parse(self, value: Any) -> int:
        if isinstance(value, bool):
            raise self._refuse(value)
        if isinstance(value, str):
            text = value.strip()
            if not re.fullmatch(r"[+-]?[0-9]{1,30}", text):  # bounded: int() of 4,300+ digits raises
                raise self._refuse(value)
            number = int(text)
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            raise self._refuse(value)
        if not self.low <= number <= self.high:
            raise self._refuse(value)
        return number


@dataclass(frozen=True)
class Seconds(Spec):
    """A duration in seconds (a float: it is a timer interval, never a price)."""

    low: float = 0.0
    high: float = 86_400.0

    @property
    def expected(self) -> str:
        return f"a number of seconds from {self.low:g} to {self.high:g}"

    def parse(self, value: Any) -> float:
        if isinstance(value, bool):
            raise self._refuse(value)
        try:
            number = float(value.strip() if isinstance(value, str) else value)
        except (TypeError, ValueError):
            raise self._refuse(value) from None
        if not math.isfinite(number) or not self.low <= number <= self.high:
            raise self._refuse(value)
        return number

    def to_text(self, value: Any) -> str:
        return f"{value:g}"


@dataclass(frozen=True)
class Points(Spec):
    """A price distance in points, kept exact (a Fraction) because it is compared with prices."""

    low: Fraction = Fraction(0)
    high: Fraction = Fraction(100)

    @property
    def expected(self) -> str:
        return f"a number of points from {self.low} to {self.high} (e.g. 2 or 0.5)"

    def parse(self, value: Any) -> Fraction:
        if isinstance(value, bool):
            raise self._refuse(value)
        try:
            if isinstance(value, float):
                number = Fraction(repr(value))
            elif isinstance(value, (int, Fraction)):
                number = Fraction(value)
            elif isinstance(value, str):
                number = Fraction(value.strip())
            else:
                raise ValueError
        except (ValueError, ZeroDivisionError):
            raise self._refuse(value) from None
        if not self.low <= number <= self.high:
            raise self._refuse(value)
        return number

    def to_toml(self, value: Fraction) -> Any:
        """A TOML number when it reads back exactly, else the exact text (e.g. "1/3")."""
        if value.denominator == 1:
            return int(value)
        as_float = float(value)
        return as_float if Fraction(repr(as_float)) == value else str(value)

    def to_text(self, value: Fraction) -> str:
        return str(self.to_toml(value))


@dataclass(frozen=True)
class Flag(Spec):
    @property
    def expected(self) -> str:
        return "true or false"

    def parse(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise self._refuse(value)

    def to_text(self, value: Any) -> str:
        return "true" if value else "false"


@dataclass(frozen=True)
class Text(Spec):
    pattern: str = r".*"
    described: str = "text"
    max_length: int = 200

    @property
    def expected(self) -> str:
        return self.described

    def parse(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self._refuse(value)
        text = value.strip()
        if len(text) > self.max_length or not re.fullmatch(self.pattern, text) or "\n" in text:
            raise self._refuse(value)
        return text


@dataclass(frozen=True)
class Url(Spec):
    """An http(s) URL, or empty for the built-in default. Never one that carries a password."""

    allow_empty: bool = True

    @property
    def expected(self) -> str:
        empty = " (or empty for the default)" if self.allow_empty else ""
        return f"an http:// or https:// URL with a host name and no user name or password{empty}"

    def parse(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self._refuse(value)
        text = value.strip()
        if not text and self.allow_empty:
            return ""
        try:
            parts = urlsplit(text)
            port_ok = parts.port is None or parts.port > 0
        except ValueError:
            raise self._refuse(value) from None
        if (parts.scheme not in ("http", "https") or not parts.hostname or parts.username
                or parts.password or not port_ok or any(c.isspace() for c in text)):
            # A URL with user:password@ would put a secret in the settings file: refused.
            raise BadValue(f"expected {self.expected}, got {_hide_userinfo(text)!r}")
        return text


@dataclass(frozen=True)
class DatabaseUrl(Spec):
    """A desk database, `postgresql://user@host[:port]/database`, or empty for the SQLite file. Never one
    that carries a password (it comes from the keyring or .pgpass); the rest is checked when connecting."""

    @property
    def expected(self) -> str:
        return "a postgresql://user@host[:port]/database URL without a password (or empty for the local file)"

    def parse(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self._refuse(value)
        text = value.strip()
        if not text:
            return ""
        try:
            parts = urlsplit(text)
            port_ok = parts.port is None or parts.port > 0
        except ValueError:
            raise self._refuse(_hide_password(text)) from None
        if (parts.scheme not in ("postgresql", "postgres") or not text.lower().startswith(f"{parts.scheme}://")
                or parts.password is not None or "password=" in parts.query or not port_ok
                or any(c.isspace() for c in text)):
            raise BadValue(f"expected {self.expected}, got {_hide_password(text)!r}")
        return text


def _hide_password(text: str) -> str:
    return re.sub(r"(//[^/@:]*:)[^@/]*@", r"\1***@", re.sub(r"password=[^&]*", "password=***", text))


def _hide_userinfo(text: str) -> str:
    return re.sub(r"//[^/@]*@", "//***@", text)


def is_absolute_path(text: str) -> bool:
    """Absolute on Windows or POSIX: a desk's settings are written on Linux CI and read on Windows."""
    return PureWindowsPath(text).is_absolute() or PurePosixPath(text).is_absolute()


@dataclass(frozen=True)
class PathText(Spec):
    """A file or folder path: absolute, or empty for the default. Existence is checked at use."""

    what: str = "path"

    @property
    def expected(self) -> str:
        return f"an absolute {self.what} (or empty for the default)"

    def parse(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self._refuse(value)
        text = value.strip().strip('"')
        if text and (not is_absolute_path(text) or "\n" in text or "\x00" in text):
            raise self._refuse(value)
        return text


@dataclass(frozen=True)
class Browser(Spec):
    """`auto`, a browser channel (`msedge`, `chrome`, `chromium`) or an absolute executable path."""

    channels: tuple[str, ...] = ("auto", "msedge", "chrome", "chromium")

    @property
    def expected(self) -> str:
        return " or ".join(self.channels) + ", or the absolute path of a Chromium-based browser"

    def parse(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self._refuse(value)
        text = value.strip().strip('"')
        if text.lower() in self.channels:
            return text.lower()
        if text and is_absolute_path(text) and "\n" not in text:
            return text
        raise self._refuse(value)


@dataclass(frozen=True)
class Colour(Spec):
    """#RRGGBB, or empty for the theme's own colour (so a theme switch still recolours everything)."""

    @property
    def expected(self) -> str:
        return "a colour as #RRGGBB, e.g. #1f77b4 (or empty for the theme's colour)"

    def parse(self, value: Any) -> str:
        if isinstance(value, str) and re.fullmatch(r"(#[0-9A-Fa-f]{6})?", value.strip()):
            return value.strip().lower()
        raise self._refuse(value)


@dataclass(frozen=True)
class TextList(Spec):
    """A list of names (accounts, contracts). Typed as comma-separated text; a TOML array in the file.

    `item` checks each entry (e.g. that a contract names a known product) and returns its clean form.
    """

    item: Callable[[str], str] | None = None
    described: str = "a comma-separated list (or empty for all)"

    @property
    def expected(self) -> str:
        return self.described

    def parse(self, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            parts = value.split(",")
        elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            parts = list(value)
        else:
            raise self._refuse(value)
        out: list[str] = []
        for part in (p.strip() for p in parts):
            if not part:
                continue
            if self.item is not None:
                try:
                    part = self.item(part)
                except ValueError as exc:
                    raise BadValue(f"expected {self.expected}; {part!r}: {exc}") from None
            if part not in out:
                out.append(part)
        return tuple(out)

    def to_toml(self, value: tuple[str, ...]) -> list[str]:
        return list(value)

    def to_text(self, value: tuple[str, ...]) -> str:
        return ", ".join(value)


@dataclass(frozen=True)
class AccountMap(Spec):
    """Pairs of accounts, FROM = TO (Actant's account -> TT's). Typed as ``73050502 = 1334000, ...``; a
    TOML table in the file. Held as a sorted tuple of pairs: the settings stay hashable, and two maps
    with the same pairs are the same setting whatever order they were typed in."""

    @property
    def expected(self) -> str:
        return f"pairs ACTANT = TT separated by commas, e.g. '{EXAMPLE}' (or empty for none)"

    def parse(self, value: Any) -> tuple[tuple[str, str], ...]:
        if isinstance(value, tuple) and all(isinstance(p, tuple) and len(p) == 2 for p in value):
            value = dict(value)  # the model's own form (e.g. a default handed back)
        try:
            mapping = parse_account_map(value)
        except InputError as exc:
            raise BadValue(str(exc)) from None
        return tuple(sorted(mapping.items()))

    def to_toml(self, value: tuple[tuple[str, str], ...]) -> dict[str, str]:
        return dict(value)

    def to_text(self, value: tuple[tuple[str, str], ...]) -> str:
        return format_account_map(value)


@dataclass(frozen=True)
class Dollars(Points):
    """An amount of money in dollars, exact (it is compared with P&L figures)."""

    @property
    def expected(self) -> str:
        example = -100000 if self.low < 0 else 5000
        return f"an amount in dollars from {self.low} to {self.high} (e.g. {example})"


@dataclass(frozen=True)
class PriceList(Spec):
    """Prices (technical levels) in any form a desk writes them, kept exact, sorted and distinct.

    Typed as comma-separated text, a TOML array of strings in the file. Each is printed in TT's form
    when that is exact at the finest Treasury tick (1/8 of a 32nd), else as its exact decimal.
    """

    @property
    def expected(self) -> str:
        return "a comma-separated list of prices such as 110'15, 110-20+, 110-24.5 or 110.75"

    def parse(self, value: Any) -> tuple[Fraction, ...]:
        if isinstance(value, str):
            items: list[Any] = [v for v in re.split(r"[,\s]+", value) if v]
        elif isinstance(value, (list, tuple)):
            items = list(value)
        else:
            raise self._refuse(value)
        zn = get_product("ZN")
        out: set[Fraction] = set()
        for item in items:
            if isinstance(item, Fraction):
                out.add(item)
                continue
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                raise self._refuse(value)
            text = repr(item) if isinstance(item, float) else str(item)
            try:
                out.add(parse_price(text, zn, spot=True).value)
            except InputError as exc:
                raise BadValue(f"expected {self.expected}; {exc}") from None
        return tuple(sorted(out))

    def to_toml(self, value: tuple[Fraction, ...]) -> list[str]:
        finest = get_product("ZT")
        return [format_price(v, finest, "tt") if (v * finest.ticks_per_point).denominator == 1 else decimal_text(v)
                for v in value]

    def to_text(self, value: tuple[Fraction, ...]) -> str:
        return ", ".join(self.to_toml(value))


@dataclass(frozen=True)
class CaptureWindow(Spec):
    """When headless capture polls TT (`DAYS HH:MM-HH:MM ZONE`), or empty for always."""

    @property
    def expected(self) -> str:
        return "a window such as 'Sun-Fri 16:45-16:15 America/Chicago' (or empty for always)"

    def parse(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self._refuse(value)
        if not value.strip():
            return ""
        try:
            return str(parse_capture_window(value))
        except InputError as exc:
            raise BadValue(f"expected {self.expected}; {exc}") from None
