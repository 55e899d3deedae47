"""Tolerant readers for fields of TT's JSON: numbers may come as strings, floats or be missing.

TT's answers vary between services and versions (`5.0` for a quantity, `"110.5"` for a price,
`null` or no key at all), so every parser reads through these and turns a bad value into one
`FieldError` that names the field, which the record parsers turn into a "skipped ... because ..."
warning.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.values import lots, signed_lots, timestamp_ns


#: A decimal as TT writes one; the exponent bounded (see `exact`).
_EXACT_TEXT = re.compile(r"[-+]?(?:[0-9]{1,30}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})(?:[eE][-+]?[0-9]{1,2})?", re.ASCII)


class FieldError(ValueError):
    """A required field is missing or unusable; the message names it."""


def first(raw: Mapping[str, Any], *keys: str) -> Any:
    """The first of `keys` present with a non-null, non-empty value, else None."""
    for key in keys:
        value = raw.get(key)
        if value is not None and value != "":
            return value
    return None


def text(raw: Mapping[str, Any], *keys: str, default: str = "") -> str:
    value = first(raw, *keys)
    if value is None:
        return default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def required_text(raw: Mapping[str, Any], *keys: str) -> str:
    value = text(raw, *keys)
    if not value:
        raise FieldError(f"no {keys[0]}")
    return value


def whole(value: Any, name: str) -> int:
    """An integer from 5, 5.0, "5" or "5.0"; refuses 5.5 and garbage."""
    if isinstance(value, bool):
        raise FieldError(f"{name} {value!r} is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise FieldError(f"{name} {value!r} is not a whole number")
    if isinstance(value, str):
        s = value.strip()
        try:
            return int(s)
        except ValueError:
            pass
        try:
            exact = Fraction(s)
        except (ValueError, ZeroDivisionError):
            raise FieldError(f"{name} {value!r} is not a number") from None
        if exact.denominator != 1:
            raise FieldError(f"{name} {value!r} is not a whole number")
        return int(exact)
    raise FieldError(f"{name} {value!r} is not a number")


def optional_whole(raw: Mapping[str, Any], *keys: str) -> int | None:
    value = first(raw, *keys)
    return None if value is None else whole(value, keys[0])


def required_whole(raw: Mapping[str, Any], *keys: str) -> int:
    value = first(raw, *keys)
    if value is None:
        raise FieldError(f"no {keys[0]}")
    return whole(value, keys[0])


def exact(value: Any, name: str) -> Fraction:
    """An exact number from JSON (a float is read through its shortest decimal form)."""
    if isinstance(value, bool):
        raise FieldError(f"{name} {value!r} is not a number")
    try:
        if isinstance(value, float):
            if not math.isfinite(value):
                raise FieldError(f"{name} {value!r} is not finite")
            return Fraction(repr(value))
        if isinstance(value, int):
            return Fraction(value)
        if isinstance(value, str) and _EXACT_TEXT.fullmatch(value.strip()):
            # Bounded first: Fraction("1e999999999") would build a number of a billion digits.
            return Fraction(value.strip())
    except (ValueError, ZeroDivisionError):
        pass
    raise FieldError(f"{name} {value!r} is not a number")


def optional_exact(raw: Mapping[str, Any], *keys: str) -> Fraction | None:
    value = first(raw, *keys)
    return None if value is None else exact(value, keys[0])


def truthy(value: Any) -> bool:
    """TT's booleans: true, "true", "True", 1."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _bounded(convert: Any, value: Any, name: str, **kwargs: Any) -> int:
    try:
        return convert(value, name, **kwargs)
    except InputError as exc:
        raise FieldError(str(exc)) from None


def optional_lots(raw: Mapping[str, Any], *keys: str, allow_zero: bool = False) -> int | None:
    """A quantity bounded by `values.lots` (a whole number of lots, at most a million), or None."""
    value = first(raw, *keys)
    return None if value is None else _bounded(lots, value, keys[0], allow_zero=allow_zero)


def optional_position(raw: Mapping[str, Any], *keys: str) -> int | None:
    """A signed position bounded by `values.signed_lots`, or None."""
    value = first(raw, *keys)
    return None if value is None else _bounded(signed_lots, value, keys[0])


def timestamp(value: Any, name: str) -> int:
    """ns since 1970 inside the trading era (`values.timestamp_ns`)."""
    return _bounded(timestamp_ns, value, name)
