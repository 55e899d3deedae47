"""`zn-ladder spot --url URL --locator LOC`: read the spot once from Pricing Monkey, as the app would.

Support uses it to check a URL and locator before putting them in the settings, and to see why the
window's spot is failing: it drives the same browser, profile and parser as the app and prints the value
in every form, where it came from and how long it took. Failures (no browser, page unreachable, locator
not found, a value that is not a price) are one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from zn_ladder.cli.arg_types import seconds, whole
from zn_ladder.cli.output import print_json, print_table

ORDER = 40


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("spot", help="read the spot price from Pricing Monkey (or any page) with the browser")
    p.add_argument("--url", required=True, help="page to read, e.g. the desk's Pricing Monkey sheet")
    p.add_argument("--locator", required=True,
                   help="the spot cell: CSS (#zn-mid), XPath (//td[3]), text=... or role=cell[name=\"ZN mid\"]")
    p.add_argument("--product", default="ZN", help="product symbol (default ZN)")
    p.add_argument("--browser", default=None,
                   help="msedge, chrome, chromium or a browser executable path (default: Edge on Windows, "
                        "else the installed Chromium)")
    p.add_argument("--profile", type=Path, default=None,
                   help="browser profile folder (default: the app's, which keeps the Pricing Monkey login)")
    p.add_argument("--headed", action="store_true",
                   help="show the browser window (e.g. to log in once; use with a long --read-timeout)")
    p.add_argument("--nav-timeout", type=seconds(0, 3600, low_open=True), default=15.0,
                   help="seconds to wait for the page (default 15)")
    p.add_argument("--read-timeout", type=seconds(0, 3600, low_open=True), default=5.0,
                   help="seconds to wait for the cell to hold a price (default 5)")
    p.add_argument("--attempts", type=whole(1, 100), default=2, help="attempts before giving up (default 2)")
    p.add_argument("--json", action="store_true",
                   help='print JSON {"source", "url", "raw", "decimal", "tt", "elapsed_ms"}')
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import time

    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.instruments import get_product
    from zn_ladder.spot.browser import BrowserSettings
    from zn_ladder.spot.pricing_monkey import PricingMonkeyReader, ReaderSettings

    if args.nav_timeout <= 0 or args.read_timeout <= 0 or args.attempts < 1:
        raise InputError("--nav-timeout and --read-timeout must be positive and --attempts at least 1")
    settings = ReaderSettings(
        url=args.url, locator=args.locator, product=get_product(args.product),
        browser=BrowserSettings(browser=args.browser, profile_dir=args.profile, headless=not args.headed),
        navigation_timeout_s=args.nav_timeout, read_timeout_s=args.read_timeout, attempts=args.attempts,
        backoff_s=0.25,
    )
    started = time.perf_counter()
    reader = PricingMonkeyReader(settings)
    try:
        snapshot = reader.read()
        elapsed_ms = round((time.perf_counter() - started) * 1000, 1)  # launch + load + read, not the close
    finally:
        reader.close()
    forms = snapshot.formats()
    if args.json:
        print_json({"source": snapshot.source, "url": snapshot.url, "raw": snapshot.raw,
                    "decimal": forms["decimal"], "tt": forms["tt"], "elapsed_ms": elapsed_ms})
    else:
        print_table(["field", "value"], [
            ("source", snapshot.source), ("url", snapshot.url), ("raw", snapshot.raw),
            *forms.items(), ("product", snapshot.product.symbol), ("elapsed_ms", elapsed_ms),
        ])
    return 0
