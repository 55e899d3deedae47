"""`zn-ladder monitor [--db PATH] [--base-url URL] [--interval S] [--schedule WINDOW]`: headless capture of TT fills into the store.

Each poll's fills, corrections and the cursor that follows them are written in one durable
transaction, so the process can be killed at any instant (kill -9, power cut) and restarted: it
resumes from the stored cursor, TT sends the boundary fills again, and the store recognises them
(0 lost, 0 doubled). SIGINT/SIGTERM finish the poll in hand, then exit 0. The SOD TT holds for each
account is stored at start (so `reconcile` compares like with like).

With a capture window (`--schedule "Sun-Fri 16:45-16:15 America/Chicago"` or the settings'
`capture.schedule`) it polls only inside the window, as the desk's `.bat` files did; outside it sends
TT nothing and sleeps in one-second slices against the wall clock, so Ctrl+C/SIGTERM stop it within a
second (Windows does not interrupt a long wait) and a PC that slept wakes up on time. TT's SOD is read
again each time a window opens (a new trading session).

This command composes `tt` (the client) and `store`, which are sibling layers; that is why it lives
in the CLI package and not in either of them.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from zn_ladder.cli.arg_types import seconds
from zn_ladder.cli.tt_connection import add_connection_args

if TYPE_CHECKING:
    from zn_ladder.domain.schedule import CaptureWindow

ORDER = 60
log = logging.getLogger(__name__)
#: Longest single wait while sleeping outside the window: how late a stop or a wake-up can be.
SLICE_S = 1.0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("monitor", help="capture TT fills into the local store until stopped (Ctrl+C)",
                       description="Poll TT (or the simulator) for fills and store each exactly once, with the "
                                   "poll cursor, so a restart resumes where it stopped.")
    p.add_argument("--db", metavar="PATH|URL", help="the store: a SQLite file or a desk database "
                                                      "postgresql://user@host/db, which makes this the desk's one "
                                                      "capture (see README) (default: the app's store)")
    p.add_argument("--interval", type=seconds(0, 86400, low_open=True), default=5.0, metavar="S",
                   help="seconds between polls, above 0 up to 86400 (default 5)")
    p.add_argument("--once", action="store_true", help="poll once and exit")
    p.add_argument("--no-sod", action="store_true", help="do not fetch and store TT's SOD at start")
    p.add_argument("--schedule", metavar="WINDOW",
                   help='poll only inside this window, e.g. "Sun-Fri 16:45-16:15 America/Chicago" (an end before '
                        'the start runs overnight); "always" to ignore the settings\' capture.schedule')
    p.add_argument("--orders-interval", type=seconds(0, 86400, low_open=True), default=None, metavar="S",
                   help="desk capture only: seconds between working-orders polls (default: the settings' "
                        "polling.orders_s)")
    p.add_argument("--positions-interval", type=seconds(0, 86400, low_open=True), default=None, metavar="S",
                   help="desk capture only: seconds between positions polls (default: the settings' "
                        "polling.positions_s)")
    add_connection_args(p)
    p.set_defaults(run=run)


def cursor_source(conn) -> str:
    """The cursor's name: one per TT environment and address, so SIM and LIVE never share one (the
    window's name for the same cursor: the two share it on one store)."""
    from zn_ladder.tt.fills_cursor import cursor_source as name

    return name(conn.env, conn.base_url)


def run(args: argparse.Namespace) -> int:
    from zn_ladder.cli.tt_connection import open_connection, require_credentials
    from zn_ladder.domain.errors import InputError
    from zn_ladder.cli.arg_types import desk_day_rule
    from zn_ladder.store.store import Store

    if not 0 < args.interval <= 86400:  # also when called without the parser (tests, scripts)
        raise InputError(f"--interval {args.interval} must be a number of seconds above 0 up to 86400")
    window = capture_window(args.schedule)
    stop = threading.Event()
    _on_signals(stop)
    from zn_ladder.store.desk import is_desk_url

    if is_desk_url(args.db):
        from zn_ladder.cli.desk_capture import run_desk

        return run_desk(args, stop, window)
    with Store.open(args.db, day_rule=desk_day_rule()) as store, open_connection(args) as conn:
        require_credentials(conn)
        return _capture(store, conn, args, stop, window)


def capture_window(flag: str | None) -> CaptureWindow | None:
    """The window from --schedule, else from the settings; None to capture all the time."""
    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.schedule import parse_capture_window

    if flag is not None:
        if flag.strip().lower() in ("", "always"):
            return None
        try:
            return parse_capture_window(flag)
        except InputError as exc:
            raise InputError(f"--schedule: {exc}") from None
    from zn_ladder.config.settings_file import load_settings

    text = load_settings().settings.capture.schedule
    return parse_capture_window(text) if text else None


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def sleep_until(wake: datetime, stop: threading.Event, now: Callable[[], datetime] = utc_now) -> bool:
    """Wait until the wall clock reaches `wake` or `stop` is set (True then), in slices of at most
    `SLICE_S` so that neither a stop nor a clock jump (the PC slept) is noticed late."""
    while not stop.is_set():
        remaining = (wake - now()).total_seconds()
        if remaining <= 0:
            return False
        stop.wait(min(remaining, SLICE_S))
    return True


def _local(at: datetime, window: CaptureWindow) -> str:
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo(window.zone)).strftime("%a %Y-%m-%d %H:%M %Z")


def _on_signals(stop: threading.Event) -> None:
    def handler(signum, _frame) -> None:
        log.info("signal %s: stopping after the poll in hand", signum)
        stop.set()

    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)


def _capture(store, conn, args: argparse.Namespace, stop: threading.Event, window: CaptureWindow | None,
             desk=None) -> int:
    """Poll until stopped. `desk` (a `desk_capture.DeskHooks`, for a desk database): the request count
    is the desk's, each poll beats the heartbeat and notifies the windows, and a lost lease ends the
    capture (the caller stands by again, or buffers). A `desk_capture.BufferHooks` instead: `store` is
    the local buffer, and the capture ends when the desk database can be reached again."""
    from zn_ladder.domain.errors import InputError, TTError
    from zn_ladder.store.refdata import USER
    from zn_ladder.tt.client import TTClient
    from zn_ladder.tt.fills_cursor import FillCursor

    source = cursor_source(conn)
    saved = store.get_cursor(source)
    try:
        cursor = FillCursor.from_dict(saved) if saved is not None else None
    except InputError as exc:
        log.warning("stored cursor for %s unusable (%s): starting from the beginning; duplicates are ignored",
                    source, exc)
        cursor = None
    held = store.quarantined(conn.env)
    if held and cursor is not None:  # ask TT again for what was set aside as unreadable
        cursor = cursor.rewound_to(held[0].time_ns)
    if desk is not None:  # where this store's fills end: a buffer started after a lost database goes on from it
        desk.cursor = cursor.to_dict() if cursor is not None else None
    where = desk.where if desk is not None else store.path
    print(f"monitoring {conn.base_url} ({conn.env}) into {where}; "
          f"{'resuming from the stored cursor' if cursor else 'from the start of the day'}", flush=True)
    added = polls = 0
    from zn_ladder.tt.budget import budget_source

    spent = budget_source(conn.env, conn.base_url)
    with TTClient(conn) as client:
        if desk is not None:
            desk.start(client)  # the desk's count of today's requests, all processes together
        else:
            client.budget.carry_over(store.get_cursor(spent))  # today's requests of earlier runs count on
        client.know_users(store.all_refdata(USER).items())  # named before: never asked again
        sod_due = not args.no_sod
        closes = None
        while not stop.is_set():
            if window is not None and (closes is None or utc_now() >= closes):
                closes = window.close_after(utc_now())
                if closes is None:
                    if args.once:
                        print(f"outside the capture window {window}: nothing polled", flush=True)
                        break
                    wake = window.next_open(utc_now())
                    print(f"{time.strftime('%H:%M:%S')} outside the capture window {window}: sleeping until "
                          f"{_local(wake, window)}", flush=True)
                    sleep_until(wake, stop)
                    sod_due = not args.no_sod  # a new session: TT's SOD again
                    continue
                print(f"{time.strftime('%H:%M:%S')} capture window open until {_local(closes, window)}", flush=True)
            if sod_due:
                _store_sod(store, client)
                sod_due = False
            started = time.monotonic()
            failure, changed = "", 0
            try:
                page = client.fills_since(cursor)
            except TTError as exc:
                failure = str(exc)
                if args.once:
                    raise
                log.warning("poll failed: %s", exc)
                print(f"{time.strftime('%H:%M:%S')} TT unreachable: {exc}", flush=True)
            else:
                result = store.ingest(page.fills, page.corrections, source="tt_api",
                                      cursor=(source, page.cursor.to_dict()), environment=conn.env,
                                      quarantined=page.quarantined,
                                      users=[(u.user_id, u.refdata()) for u in page.users])
                if desk is None:
                    store.put_cursor(spent, client.budget.saved())
                cursor = page.cursor
                if desk is not None:
                    desk.cursor = cursor.to_dict()
                polls += 1
                added += result.added
                changed = result.added + result.corrections_added
                for warning in (*page.warnings, *result.warnings):
                    print(f"warning: {warning}", flush=True)
                if result.added or result.corrections_added:
                    print(f"{time.strftime('%H:%M:%S')} +{result.added} fills ({result.duplicate} repeated), "
                          f"{result.corrections_added} corrections", flush=True)
            if desk is not None and not desk.after_fills(client, failure, changed):
                break  # the lease is gone: another capture may hold it now
            if args.once:
                break
            pause = args.interval - (time.monotonic() - started)
            if closes is not None:  # no poll after the window closes
                pause = min(pause, (closes - utc_now()).total_seconds())
            stop.wait(max(0.0, pause))
    print(f"stopped: {polls} polls, {added} new fills stored", flush=True)
    return 0


def _store_sod(store, client) -> None:
    """TT's SOD for each account it reports a position for (one request per account, once), and the
    contract name of each instrument TT reports a position in (the store's reference data)."""
    from zn_ladder.domain.errors import TTError

    try:
        positions = client.positions()
        accounts = sorted({p.account for p in positions})
        lots = [lot for account in accounts for lot in client.sod(account)]
    except TTError as exc:
        log.warning("SOD not fetched: %s", exc)
        print(f"warning: TT's SOD could not be read ({exc}); positions start from the fills", flush=True)
        return
    for p in positions:  # instrument id -> contract, so TT JSON files import with the right names
        if p.instrument_id and p.contract and store.get_refdata("instrument", p.instrument_id) is None:
            store.put_refdata("instrument", p.instrument_id, {"alias": p.contract})
    if lots:
        result = store.put_sod(lots, source="tt_sod")
        if result.added:
            print(f"stored TT's SOD: {result.added} lots", flush=True)
