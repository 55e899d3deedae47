"""Everything needed to talk to one TT environment, as one frozen value.

Built from settings and credentials by the app (or the CLI, or a test pointing `base_url` at the
simulator) and handed to `TTClient`. The secret is kept out of `repr` so that logging a connection,
or an exception that carries one, never writes it anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zn_ladder.tt.budget import Plan
from zn_ladder.tt.environments import DEFAULT_BASE_URL, resolve_env


@dataclass(frozen=True, slots=True)
class TTConnection:
    base_url: str = DEFAULT_BASE_URL
    env: str = "ext_prod_sim"
    app_key: str = field(default="", repr=False)
    app_secret: str = field(default="", repr=False)
    app_name: str = "znladder"
    company: str = "company"
    #: Usage plan of the app key: "free" | "low" | "medium" | "high" (or a custom `Plan` in tests).
    plan: str | Plan = "low"
    #: (connect, read) seconds.
    timeout: tuple[float, float] = (3.05, 10.0)
    #: Retries of one idempotent GET (connection errors, timeouts, 429, 5xx); POSTs are never retried.
    retries: int = 4
    #: Exponential backoff: factor * 2**(n-1) seconds after the n-th consecutive failure, + jitter, capped.
    backoff_factor: float = 0.5
    backoff_max: float = 8.0
    backoff_jitter: float = 0.25
    #: Longest Retry-After we honour before retrying anyway (a worker must not sleep for minutes).
    retry_after_max: float = 30.0
    #: TT allows one POST (token request) per ten seconds; we never ask more often.
    token_min_interval: float = 10.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "env", resolve_env(self.env))
        object.__setattr__(self, "base_url", (self.base_url or DEFAULT_BASE_URL).rstrip("/"))

    @property
    def has_credentials(self) -> bool:
        return bool(self.app_key and self.app_secret)

    def url(self, service: str, endpoint: str) -> str:
        """`<base>/<service>/<env>/<endpoint>`, lower-case service as TT requires."""
        return f"{self.base_url}/{service.lower()}/{self.env}/{endpoint.lstrip('/')}"
