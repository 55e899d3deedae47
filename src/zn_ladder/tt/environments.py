"""TT's environments and where their REST API lives.

An app key belongs to one environment, so the environment is part of every URL
(`<base>/<service>/<environment>/<endpoint>`). Names are lower-case because TT's gateway refuses
anything else with a confusing 403 (TT_API.md); we normalise here so no caller can get it wrong.
"""

from __future__ import annotations

from zn_ladder.domain.errors import ConfigError

#: TT's public REST gateway. `apigateway.trade.tt` answers 403; never use it.
DEFAULT_BASE_URL = "https://ttrestapi.trade.tt"

#: Short names a trader or support engineer types -> TT's environment path segment.
ENVIRONMENTS: dict[str, str] = {
    "sim": "ext_prod_sim",
    "uat": "ext_uat_cert",
    "live": "ext_prod_live",
}


def resolve_env(name: str) -> str:
    """TT's environment segment for `sim|uat|live` or an explicit `ext_...` name (any case)."""
    key = (name or "").strip().lower()
    if key in ENVIRONMENTS:
        return ENVIRONMENTS[key]
    if key in ENVIRONMENTS.values():
        return key
    known = ", ".join(f"{k} ({v})" for k, v in ENVIRONMENTS.items())
    raise ConfigError(f"unknown TT environment {name!r}: expected one of {known}")


def short_name(env: str) -> str:
    """`sim`, `uat` or `live` for an environment segment (the segment itself if unknown)."""
    for short, segment in ENVIRONMENTS.items():
        if segment == env:
            return short
    return env


def is_live(env: str) -> bool:
    return resolve_env(env) == ENVIRONMENTS["live"]
