"""Tolerant readers for fields of TT's JSON: numbers may come as strings, floats or be missing.

TT's answers vary between services and versions (`5.0` for a quantity, `"110.5"` for a price,
`null` or no key at all), so every parser reads through these and turns a bad value into one
`FieldError` that names the field, which the record parsers turn into a "skipped ... because ..."
warning.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any


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
        if isinstance(value, (int, str)):
            return Fraction(str(value).strip())
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
