"""The one settings model: typed, validated, frozen, with a schema version.

Groups are nested frozen dataclasses (they cross threads: workers read them while the dialog builds the
next one). Every field carries a `Spec` (see `fields.py`) that checks it, so a bad value in the file, on
the command line or in the dialog gets the same message naming the key and what was expected, and the
app starts on the default for that key. The model holds no secret, by construction: credentials live in
the OS keyring (`credentials.py`), which is why `export_settings` can hand the file to another desk.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from zn_ladder.config import fields as f
from zn_ladder.config.paths import data_dir, default_db_path
from zn_ladder.domain.alerts import AlertLimits
from zn_ladder.domain.errors import ConfigError, InputError
from zn_ladder.domain.instruments import PRODUCTS, get_product, product_of_contract
from zn_ladder.domain.survival import DEFAULT_NBM_SIXTEENTHS, DEFAULT_STOP_LOSS, SEED_LEVELS

#: The version this code writes. Older files are migrated (`migrations.py`) when read.
SCHEMA_VERSION = 2

ENVIRONMENTS = ("SIM", "UAT", "LIVE")


def setting(default: Any, spec: f.Spec) -> Any:
    return field(default=default, metadata={"spec": spec})


def _contract(text: str) -> str:
    try:
        product_of_contract(text)
    except InputError as exc:
        raise ValueError(str(exc)) from None
    return " ".join(text.split())


_NAME = r"[A-Za-z0-9]+"
_ENV_ALIASES = {"ext_prod_sim": "SIM", "ext_uat_cert": "UAT", "ext_prod_live": "LIVE",
                "simulation": "SIM", "live": "LIVE", "prod": "LIVE", "production": "LIVE"}


@dataclass(frozen=True)
class TTSettings:
    environment: str = setting("SIM", f.Choice(
        "Environment", "TT environment; an app key belongs to one environment. LIVE needs a typed "
        "confirmation.", restart=True, choices=ENVIRONMENTS, aliases=_ENV_ALIASES))
    simulator: str = setting("auto", f.Choice(
        "Built-in simulator", "auto: the built-in TT simulator when the environment is SIM and no "
        "credentials are stored (the demo); always; never.", restart=True, choices=("auto", "always", "never"),
        labels={"auto": "Automatic (DEMO when SIM has no credentials)", "always": "Always", "never": "Never"}))
    app_name: str = setting("znladder", f.Text(
        "App name", "First part of TT's requestId.", restart=True, pattern=_NAME, max_length=40,
        described="letters and digits only (part of TT's requestId), up to 40 characters"))
    company: str = setting("desk", f.Text(
        "Company", "Second part of TT's requestId.", restart=True, pattern=_NAME, max_length=40,
        described="letters and digits only (part of TT's requestId), up to 40 characters"))
    base_url: str = setting("", f.Url(
        "Base URL override", "Empty: TT's https://ttrestapi.trade.tt. Set only for a proxy or a test "
        "server.", restart=True))
    usage_plan: str = setting("low", f.Choice(
        "Usage plan", "The app key's TT usage plan; the client budgets its requests to it.",
        restart=True, choices=("free", "low", "medium", "high"),
        labels={"free": "Free", "low": "Low", "medium": "Medium", "high": "High"}))
    accounts: tuple[str, ...] = setting((), f.TextList(
        "Accounts", "Accounts to show (names or ids); empty for all.",
        described="a comma-separated list of accounts (or empty for all)"))
    contracts: tuple[str, ...] = setting((), f.TextList(
        "Contracts", "Contracts to show, e.g. ZN Dec26; empty for all.", item=_contract,
        described="a comma-separated list of contracts such as 'ZN Dec26' (or empty for all)"))
    market: str = setting("CME", f.Text(
        "Market", "The market whose orders, fills and positions the window shows (e.g. CME, CME_Delayed): "
        "one contract on two markets is two instruments, never one book.", restart=True,
        pattern=r"^[A-Za-z0-9_ .-]+$",
        max_length=40, described="a TT market name such as CME or CME_Delayed"))
    product: str = setting("ZN", f.Choice(
        "Product", "The ladder's product.", restart=True, choices=tuple(PRODUCTS),
        aliases={k.lower(): get_product(k).symbol for k in ("TY", "FV", "TU", "US", "WN", "UXY")}))

    def uses_simulator(self, has_credentials: bool) -> bool:
        """Whether the app talks to its built-in simulator instead of TT.

        `auto` falls back to the simulator only on SIM: a UAT or LIVE desk without credentials must see
        "no credentials", never simulated orders under a real environment's name.
        """
        if self.simulator == "always":
            return True
        return self.simulator == "auto" and self.environment == "SIM" and not has_credentials


@dataclass(frozen=True)
class PollingSettings:
    orders_s: float = setting(30.0, f.Seconds(
        "Orders every (s)", "How often working orders are read from TT.", low=1, high=3600))
    fills_s: float = setting(8.0, f.Seconds(
        "Fills every (s)", "How often new fills are read from TT.", low=1, high=3600))
    positions_s: float = setting(120.0, f.Seconds(
        "Positions every (s)", "How often positions are read from TT.", low=5, high=3600))
    spot_s: float = setting(1.0, f.Seconds(
        "Spot every (s)", "How often the spot price is read from its source.", low=0.2, high=600))


@dataclass(frozen=True)
class StorageSettings:
    database_path: str = setting("", f.PathText(
        "Database file", "Empty: the default in the user's data folder.", restart=True,
        what="file path"))
    url: str = setting("", f.DatabaseUrl(
        "Desk database", "A shared PostgreSQL store, postgresql://user@host/database (password in the "
        "keyring or .pgpass). Empty: the database file.", restart=True))
    sod_path: str = setting("", f.PathText(
        "Start-of-day file or folder", "Actant SOD export (a file, or a folder: the newest file).",
        what="file or folder path"))
    sod_auto_import: bool = setting(False, f.Flag(
        "Import SOD at start", "Import the start-of-day file when the app starts."))
    export_dir: str = setting("", f.PathText(
        "Export folder", "Empty: an 'exports' folder in the user's data folder.", what="folder path"))

    def resolved_database_path(self) -> Path:
        return Path(self.database_path) if self.database_path else default_db_path()

    def resolved_store(self) -> Path | str:
        """Where the store is: the desk database when `url` is set, else the SQLite file."""
        return self.url or self.resolved_database_path()

    def resolved_export_dir(self) -> Path:
        return Path(self.export_dir) if self.export_dir else data_dir() / "exports"


@dataclass(frozen=True)
class SodSettings:
    account_map: tuple[tuple[str, str], ...] = setting((), f.AccountMap(
        "Actant -> TT accounts", "Which TT account each Actant account's start-of-day lots belong to, e.g. "
        "73050502 = 1334000. An Actant account not listed is shown as its own account, with its Actant "
        "number.", restart=True))


@dataclass(frozen=True)
class SpotSettings:
    source: str = setting("manual", f.Choice(
        "Spot source", "Where the spot price comes from (manual by default: the demo needs no login).", choices=("pricing_monkey", "manual"),
        aliases={"pm": "pricing_monkey", "pricing monkey": "pricing_monkey"},
        labels={"pricing_monkey": "Pricing Monkey", "manual": "Typed in (manual)"}))
    pm_url: str = setting("https://pricingmonkey.com/", f.Url(
        "Pricing Monkey URL", "The page that shows the price.", restart=True, allow_empty=False))
    locator: str = setting("text=ZN", f.Text(
        "Price locator", "Playwright selector of the price cell: CSS, XPath, text=... or role=...",
        pattern=r".+", max_length=500, described="a Playwright selector (CSS, XPath, text=..., role=...)"))
    browser: str = setting("auto", f.Browser(
        "Browser", "auto (Edge on Windows, Debian's Chromium elsewhere), msedge, chrome, chromium, "
        "or the browser's path.", restart=True))
    page_refresh_s: float = setting(1800.0, f.Seconds(
        "Reload page every (s)", "Reload the Pricing Monkey page now and then (0: never).", low=0,
        high=86_400))
    max_jump_points: Fraction = setting(Fraction(2), f.Points(
        "Max jump (points)", "A read further than this from the last good price is refused.",
        low=Fraction(1, 1000), high=Fraction(50)))


@dataclass(frozen=True)
class LadderSettings:
    ticks_shown: int = setting(60, f.Integer(
        "Ticks shown", "Rows in the ladder.", low=10, high=1000))
    recenter_band_ticks: int = setting(10, f.Integer(
        "Recenter band (ticks)", "Recenter when spot is this many ticks from the middle (less than "
        "half the ticks shown).", low=1, high=499))
    font_size: int = setting(11, f.Integer("Font size", "Ladder font size (points).", low=6, high=40))
    pnl_units: str = setting("dollars", f.Choice(
        "P&L units", "Show P&L in dollars or ticks.", choices=("dollars", "ticks"),
        labels={"dollars": "Dollars", "ticks": "Ticks"}))
    price_format: str = setting("tt", f.Choice(
        "Price format", "How prices are printed everywhere in the window: ladder, tables, cards, charts and "
        "tooltips.", choices=("tt", "cme", "decimal", "pricing_monkey"),
        aliases={"pm": "pricing_monkey"},
        labels={"tt": "TT (110'165)", "cme": "CME (110-16+)", "decimal": "Decimal (110.515625)",
                "pricing_monkey": "Pricing Monkey (110-16.5)"}))
    theme: str = setting("dark", f.Choice("Theme", "Dark (MD-Trader-like) or light (e.g. for a projector).",
                                          choices=("dark", "light"), labels={"dark": "Dark", "light": "Light"}))
    buy_colour: str = setting("", f.Colour("Buy colour", "Working buys and long positions."))
    sell_colour: str = setting("", f.Colour("Sell colour", "Working sells and short positions."))
    spot_colour: str = setting("", f.Colour("Spot row colour", "The row at the spot price."))
    profit_colour: str = setting("", f.Colour("Profit colour", "Positive P&L."))
    loss_colour: str = setting("", f.Colour("Loss colour", "Negative P&L."))


@dataclass(frozen=True)
class NotificationSettings:
    sound: bool = setting(True, f.Flag("Sound", "Play a sound on a new fill."))
    desktop: bool = setting(True, f.Flag("Desktop notification", "Show a desktop notification on a new fill."))


@dataclass(frozen=True)
class AlertSettings:
    """Thresholds the trader is alerted on (banner, sound, tray or status strip; acknowledged, audited).
    0 switches one off. When each fires and re-arms is `domain.alerts`."""

    loss_limit: Fraction = setting(Fraction(0), f.Dollars(
        "Loss limit ($)", "Alert when the total P&L falls to minus this amount, e.g. 5000 for -$5,000 "
        "(0: off). It fires again only after the P&L has come back by a tenth of it.",
        low=Fraction(0), high=Fraction(100_000_000)))
    profit_target: Fraction = setting(Fraction(0), f.Dollars(
        "Profit target ($)", "Alert when the total P&L reaches this amount (0: off).",
        low=Fraction(0), high=Fraction(100_000_000)))
    max_position: int = setting(0, f.Integer(
        "Max position (lots)", "Alert when the net position, long or short, is beyond this many lots (0: off).",
        low=0, high=1_000_000))
    large_fill_lots: int = setting(0, f.Integer(
        "Fill larger than (lots)", "Alert on a new fill of more than this many lots (0: off).",
        low=0, high=1_000_000))
    stale_feed_s: float = setting(0.0, f.Seconds(
        "Feed stale for more than (s)", "Alert when orders, fills, positions or spot have been stale or "
        "failing for longer than this (0: off).", low=0, high=86_400))
    sound: bool = setting(True, f.Flag("Sound", "Play a sound when an alert fires."))

    def limits(self) -> AlertLimits:
        return AlertLimits(self.loss_limit, self.profit_target, self.max_position, self.large_fill_lots,
                           self.stale_feed_s)


@dataclass(frozen=True)
class SurvivalSettings:
    """The survival curve's inputs that belong to the desk rather than to a trade (issue 15 §5)."""

    levels: tuple[Fraction, ...] = setting(SEED_LEVELS, f.PriceList(
        "Technical levels", "Prices the survival curve steps through (the desk's list by default)."))
    stop_loss: Fraction = setting(DEFAULT_STOP_LOSS, f.Dollars(
        "Stop loss ($)", "The trade's P&L at which it is given up.", low=Fraction(-100_000_000), high=Fraction(0)))
    nbm_sixteenths: int = setting(int(DEFAULT_NBM_SIXTEENTHS), f.Integer(
        "Nearest break-even margin (1/16)", "How far from the price, in sixteenths of a point, levels are "
        "looked at.", low=0, high=1600))


@dataclass(frozen=True)
class CaptureSettings:
    schedule: str = setting("", f.CaptureWindow(
        "Capture window", "When `zn-ladder monitor` polls TT, e.g. Sun-Fri 16:45-16:15 America/Chicago; "
        "outside it, it sleeps. Empty: always."))


#: Group name -> group class, in the order the dialog shows them.
GROUPS: dict[str, type] = {
    "tt": TTSettings, "polling": PollingSettings, "storage": StorageSettings, "sod": SodSettings,
    "spot": SpotSettings, "ladder": LadderSettings, "notifications": NotificationSettings,
    "alerts": AlertSettings, "survival": SurvivalSettings, "capture": CaptureSettings,
}
GROUP_TITLES = {"tt": "TT connection", "polling": "Polling", "storage": "Storage", "sod": "Start of day",
                "spot": "Spot price", "ladder": "Ladder", "notifications": "Notifications",
                "alerts": "Alerts", "survival": "Survival curve", "capture": "Capture"}


@dataclass(frozen=True)
class Problem:
    """A value the app could not use: it names the key and what was expected."""

    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}" if self.key else self.message


@dataclass(frozen=True)
class Settings:
    schema_version: int = SCHEMA_VERSION
    tt: TTSettings = field(default_factory=TTSettings)
    polling: PollingSettings = field(default_factory=PollingSettings)
    storage: StorageSettings = field(default_factory=StorageSettings)
    sod: SodSettings = field(default_factory=SodSettings)
    spot: SpotSettings = field(default_factory=SpotSettings)
    ladder: LadderSettings = field(default_factory=LadderSettings)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    survival: SurvivalSettings = field(default_factory=SurvivalSettings)
    capture: CaptureSettings = field(default_factory=CaptureSettings)

    # --- dotted-key access (the CLI and the dialog) --------------------------------------------
    @staticmethod
    def keys() -> list[str]:
        """Every settable key, e.g. ``ladder.font_size``, in display order."""
        return [f"{g}.{fl.name}" for g, cls in GROUPS.items() for fl in dataclasses.fields(cls)]

    def get_value(self, key: str) -> Any:
        group, name = _split(key)
        return getattr(getattr(self, group), name)

    def replace_value(self, key: str, value: Any) -> Settings:
        """A copy with `key` set from `value` (typed text or a TOML value); `ConfigError` if refused."""
        group, name = _split(key)
        try:
            parsed = spec_of(key).parse(value)
        except f.BadValue as exc:
            raise ConfigError(f"{key}: {exc}") from None
        updated = dataclasses.replace(self, **{group: dataclasses.replace(getattr(self, group), **{name: parsed})})
        problem = cross_check(updated)
        if problem is not None:
            raise ConfigError(str(problem))
        return updated

    def text_value(self, key: str) -> str:
        return spec_of(key).to_text(self.get_value(key))

    def changed_keys(self, other: Settings) -> list[str]:
        return [k for k in self.keys() if self.get_value(k) != other.get_value(k)]

    # --- the file form -------------------------------------------------------------------------
    def to_toml_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        for group in GROUPS:
            out[group] = {fl.name: fl.metadata["spec"].to_toml(getattr(getattr(self, group), fl.name))
                          for fl in dataclasses.fields(getattr(self, group))}
        return out

    @classmethod
    def from_mapping(cls, raw: dict[str, Any]) -> tuple[Settings, list[Problem]]:
        """Settings from a (migrated) mapping: every bad or unknown key becomes a problem, never a crash."""
        problems: list[Problem] = []
        groups: dict[str, Any] = {}
        for key in raw:
            if key != "schema_version" and key not in GROUPS:
                problems.append(Problem(key, "unknown section, ignored"))
        for group, group_cls in GROUPS.items():
            section = raw.get(group, {})
            if not isinstance(section, dict):
                problems.append(Problem(group, f"expected a [{group}] section, got {section!r}; using defaults"))
                section = {}
            values: dict[str, Any] = {}
            names = {fl.name: fl for fl in dataclasses.fields(group_cls)}
            for name, value in section.items():
                key = f"{group}.{name}"
                if name not in names:
                    problems.append(Problem(key, "unknown setting, ignored"))
                    continue
                try:
                    values[name] = names[name].metadata["spec"].parse(value)
                except f.BadValue as exc:
                    default = names[name].metadata["spec"].to_text(names[name].default)
                    problems.append(Problem(key, f"{exc}; using the default {default!r}"))
            groups[group] = group_cls(**values)
        settings = cls(**groups)
        problem = cross_check(settings)
        if problem is not None:
            problems.append(problem)
            ladder = settings.ladder
            band = LadderSettings.recenter_band_ticks
            if band * 2 >= ladder.ticks_shown:
                band = max(1, ladder.ticks_shown // 4)
            settings = dataclasses.replace(settings, ladder=dataclasses.replace(ladder, recenter_band_ticks=band))
        return settings, problems


def cross_check(settings: Settings) -> Problem | None:
    """Rules between keys. The one today: the recenter band must fit inside the ladder."""
    ladder = settings.ladder
    if ladder.recenter_band_ticks * 2 >= ladder.ticks_shown:
        return Problem("ladder.recenter_band_ticks",
                       f"expected fewer than half of ladder.ticks_shown ({ladder.ticks_shown}), "
                       f"got {ladder.recenter_band_ticks}")
    return None


def _split(key: str) -> tuple[str, str]:
    group, _, name = key.strip().partition(".")
    cls = GROUPS.get(group)
    if cls is None or name not in {fl.name for fl in dataclasses.fields(cls)}:
        raise ConfigError(f"unknown setting {key!r}: expected one of {', '.join(Settings.keys())}")
    return group, name


def spec_of(key: str) -> f.Spec:
    group, name = _split(key)
    return next(fl.metadata["spec"] for fl in dataclasses.fields(GROUPS[group]) if fl.name == name)


def default_of(key: str) -> Any:
    return Settings().get_value(key)


def restart_keys() -> list[str]:
    """Keys the running app cannot pick up: the dialog and the CLI say a restart is needed."""
    return [k for k in Settings.keys() if spec_of(k).restart]
