"""Fixtures for the window's tests: fixture orders from a TT desk, snapshots, a window with its own ini."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from fractions import Fraction
from pathlib import Path

import pytest

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.ladder import project_ladder
from zn_ladder.domain.prices import Price, parse_price, ticks_from_number
from zn_ladder.domain.records import OrderType, Side, WorkingOrder
from zn_ladder.workers.snapshots import LadderSnapshot

ZN = get_product("ZN")
CONTRACT = "ZN Sep25"


def fixture_orders(fixtures_dir: Path) -> list[WorkingOrder]:
    """The working orders of the TT fixture, read minimally (the importers are someone else's).

    TT orderType 2 = limit, 3/4 = stop / stop limit (the stop price is where it fills on the ladder);
    the algo parent without price or leaves is not a working order on the book.
    """
    data = json.loads((fixtures_dir / "tt_working_orders_response.json").read_text())
    orders = []
    for raw in data["orders"]:
        if "price" not in raw or not raw.get("leavesQuantity"):
            continue
        stop = raw["orderType"] in ("3", "4")
        price = raw.get("stopPrice", raw["price"]) if stop else raw["price"]
        orders.append(WorkingOrder(
            order_id=raw["orderId"], account=str(raw["accountId"]), contract=CONTRACT, side=Side.parse(raw["side"]),
            order_type=OrderType.STOP if stop else OrderType.LIMIT, price=ticks_from_number(price, ZN),
            quantity=int(raw["leavesQuantity"]), order_qty=int(raw.get("orderQty", 0)), status="Working",
            time_ns=int(raw["dateTime"])))
    return orders


def snapshot(orders, spot: str | Price = "110-08.25", *, high: int | None = None, low: int | None = None,
             base_position: int = 12, base_pnl: Fraction = Fraction(1500), avg: str | None = "110-05.5",
             padding: int = 40) -> LadderSnapshot:
    spot_price = spot if isinstance(spot, Price) else parse_price(spot, ZN, spot=True)
    ladder = project_ladder(ZN, spot_price, base_position, base_pnl, orders, high=high, low=low, padding=padding)
    return LadderSnapshot(ladder=ladder, product=ZN, contract=CONTRACT,
                          average_open_price=parse_price(avg, ZN, spot=True) if avg else None,
                          orders=tuple(orders), received_at=datetime.now(timezone.utc))


@pytest.fixture
def orders(fixtures_dir: Path) -> list[WorkingOrder]:
    return fixture_orders(fixtures_dir)


@pytest.fixture
def ui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the window's ini (and anything else) under tmp_path."""
    monkeypatch.setenv("ZN_LADDER_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def window(qtbot, ui_home: Path):
    from zn_ladder.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


@pytest.fixture(autouse=True)
def tt_price_format():
    """The window's price format is process-wide (`ui.price_style`): every test starts and ends on TT."""
    from zn_ladder.ui import price_style

    price_style.set_current("tt")
    yield
    price_style.set_current("tt")
