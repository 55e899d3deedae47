"""The simulator's settings: one frozen value, so a test states exactly the TT it talks to.

The defaults are a friendly DEMO TT (no rate limit, no faults, tokens that last an hour, a market that
moves twice a second); tests turn on the strictness and the failures they want to exercise.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The credentials the desktop app's DEMO mode uses against its built-in simulator. Not secrets: they
#: open nothing but a simulator on loopback.
DEMO_API_KEY = "00000000-demo-4000-8000-zn0ladder000"
DEMO_API_SECRET = "11111111-demo-4111-8111-zn0ladder111"

#: The failures injected by default when `fault_rate` > 0 (see `faults.py`).
FAULT_KINDS: tuple[str, ...] = ("500", "502", "503", "hang", "non_json", "missing_field", "string_numbers")
#: Further failures a test may ask for by name in `fault_kinds` (not drawn unless listed).
EXTRA_FAULT_KINDS: tuple[str, ...] = ("504", "redirect", "not_ok", "null_field")

ENVIRONMENTS: tuple[str, ...] = ("ext_prod_sim", "ext_uat_cert", "ext_prod_live")


@dataclass(frozen=True)
class SimConfig:
    """What kind of TT to imitate. Times are seconds unless the name says otherwise."""

    seed: int = 1
    api_key: str = DEMO_API_KEY
    api_secret: str = DEMO_API_SECRET
    env: str = "ext_prod_sim"
    #: seconds_until_expiry of each token issued.
    token_lifetime: float = 3600.0
    #: Requests per second over which the answer is 429 (None: unlimited). Counts every request.
    rate_limit: float | None = None
    #: Requests per simulator day over which the answer is 429 (None: unlimited).
    daily_limit: int | None = None
    #: Whether a 429 carries a Retry-After header (TT's gateway sometimes omits it).
    retry_after: bool = True
    #: TT allows one POST (token) every ten seconds; None turns the rule off (the default, so that
    #: token refresh tests may fetch more often).
    token_post_interval: float | None = None
    #: Probability that a data GET gets a fault instead of its answer (0 = never).
    fault_rate: float = 0.0
    #: Which faults may be drawn (from FAULT_KINDS and EXTRA_FAULT_KINDS).
    fault_kinds: tuple[str, ...] = FAULT_KINDS
    #: Whether the token POST may also be hit by a fault.
    fault_token: bool = False
    #: How long a "hang" fault holds the request before answering 504 (longer than a client's timeout).
    hang_seconds: float = 30.0
    #: Delay added to every answer.
    latency_ms: int = 0
    #: Records per page of a list answer (orders, fills).
    page_size: int = 500
    #: Seconds between market steps when the market runs by itself; None: only `market.step(n)` moves it.
    step_interval: float | None = 0.5
    #: Simulated time advanced by one market step, in ns (default: half a second).
    step_ns: int = 500_000_000
    #: Simulated clock at start, ns since the epoch; None: the wall clock when the market is created
    #: (tests set it, with the seed, to get byte-identical answers).
    start_time_ns: int | None = None
    #: Chance per market step of a trade correction or bust of a recent fill (~1 in 20 trades by default).
    correction_rate: float = 0.005
    #: Account ids whose working books the market keeps.
    accounts: tuple[int, ...] = (1334000, 1334001)
    #: Accounts that trade the same contract on TT SIM's delayed CME market: another instrument
    #: (`reference.DELAYED_INSTRUMENT_ID`, market 183 "CME_Delayed"), as in the desk's fill monitor.
    delayed_accounts: tuple[int, ...] = ()
    #: Roll week: accounts that also hold and trade the next contract month (`reference.NEXT_ALIAS`, ZN
    #: Mar27, priced `ROLL_SPREAD_TICKS` under the front), with a SOD there, working orders and fills of
    #: its own, and now and then a calendar spread (sell the front, buy the next) reported as two leg
    #: fills with one timeStamp, both with the spread order's orderId and cumQty.
    next_accounts: tuple[int, ...] = ()
    #: Chance per market step that a next-month account rolls a few lots by a calendar spread.
    spread_rate: float = 0.02
    #: Working orders kept per account and side (limits; a few stops come on top).
    orders_per_side: int = 5
    #: Fills already in the history at start (before the first step), for paging and cost tests.
    history_fills: int = 0

    def __post_init__(self) -> None:
        import math

        # A step interval of -1 or nan made the market thread spin a core and grow memory (issue 13 §13).
        for name in ("step_interval", "token_lifetime", "hang_seconds", "fault_rate"):
            value = getattr(self, name, None)
            if value is not None and (not math.isfinite(value) or value < 0):
                raise ValueError(f"{name} {value} must be a finite number, not negative")
        if self.rate_limit is not None and not math.isfinite(self.rate_limit):
            raise ValueError(f"rate_limit {self.rate_limit} must be a finite number")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError(f"fault_rate {self.fault_rate} must lie between 0 and 1")
        unknown = set(self.fault_kinds) - set(FAULT_KINDS) - set(EXTRA_FAULT_KINDS)
        if unknown or not self.fault_kinds:
            raise ValueError(f"fault_kinds {self.fault_kinds} must be a non-empty subset of "
                             f"{FAULT_KINDS + EXTRA_FAULT_KINDS}")
        if self.page_size < 1:
            raise ValueError("page_size must be at least 1")
        if self.rate_limit is not None and self.rate_limit <= 0:
            raise ValueError("rate_limit must be positive (or None for unlimited)")
        if not self.accounts:
            raise ValueError("the simulator needs at least one account")
        if not set(self.next_accounts) <= set(self.accounts) - set(self.delayed_accounts):
            raise ValueError("next_accounts must be accounts of the simulator on CME (not delayed_accounts)")
        if not 0.0 <= self.spread_rate <= 1.0:
            raise ValueError(f"spread_rate {self.spread_rate} must lie between 0 and 1")
        if self.env != self.env.lower():
            raise ValueError("env must be lower-case, as TT's are")
