"""A typed spot stays in force until cleared; the live source stands by (issue 12 item 7)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from fractions import Fraction

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price, format_price, parse_price
from zn_ladder.ui.spot_entry import SpotEntry
from zn_ladder.ui.status import StatusStrip
from zn_ladder.ui.theme import DARK
from zn_ladder.workers.snapshots import SourceHealth, StatusSnapshot
from zn_ladder.workers.spot_worker import SpotWorker
from zn_ladder.workers.threads import WorkerThread

ZN = get_product("ZN")
NOW = datetime(2026, 12, 3, 14, 0, tzinfo=timezone.utc)


def test_a_typed_spot_is_not_overwritten_by_the_live_source_until_cleared(qtbot) -> None:
    market = {"ticks": 7072}
    worker = SpotWorker(ZN, "simulator", 0.05, read_price=lambda: Price.from_ticks(market["ticks"], ZN))
    spots, standby = [], []
    worker.spotReady.connect(spots.append)
    worker.standby.connect(standby.append)
    thread = WorkerThread(worker)
    thread.start()
    try:
        qtbot.waitUntil(lambda: bool(spots), timeout=5000)
        typed = parse_price("110-02+", ZN, spot=True)
        worker.manualRequested.emit(typed)
        qtbot.waitUntil(lambda: spots[-1].source == "manual", timeout=5000)
        count = len(spots)
        for ticks in (7073, 7080, 7060):  # the market moves: the live source keeps reading, standing by
            market["ticks"] = ticks
            qtbot.waitUntil(lambda t=ticks: bool(standby) and standby[-1].price == Price.from_ticks(t, ZN), timeout=5000)
        assert len(spots) == count and spots[-1].price == typed  # nothing published over the typed spot
        worker.clearRequested.emit()
        qtbot.waitUntil(lambda: spots[-1].source == "simulator", timeout=5000)
        assert spots[-1].price == Price.from_ticks(7060, ZN)
    finally:
        thread.request_stop()
        assert thread.wait(5.0)


def test_spot_entry_asks_before_a_far_value_and_refuses_one_out_of_range(qtbot) -> None:
    entry = SpotEntry()
    qtbot.addWidget(entry)
    entry.product = ZN
    entry.last_good = parse_price("110-16", ZN, spot=True)
    asked: list[str] = []
    answer = {"yes": False}
    entry.confirm = lambda message: asked.append(message) or answer["yes"]
    sent: list = []
    entry.spotEntered.connect(sent.append)
    entry.edit.setText("1200")
    assert entry.submit() is None and not asked and not sent
    assert "outside the ZN price range" in entry.error.text() and "110'165" in entry.error.text()
    entry.edit.setText("113-00")  # 2.5 points away
    assert entry.submit() is None and len(asked) == 1 and not sent
    assert "2.5 points" in asked[0] and "not confirmed" in entry.error.text()
    answer["yes"] = True
    assert entry.submit() == Price(Fraction(113)) and sent == [Price(Fraction(113))]
    assert entry.in_force == Price(Fraction(113)) and entry.clear_button.isEnabled()
    entry.edit.setText("110-20")  # near: no question
    assert entry.submit() is not None and len(asked) == 2  # asked for 113-00 (twice), not for this
    with qtbot.waitSignal(entry.spotCleared):
        entry.clear_button.click()
    assert entry.in_force is None and entry.edit.text() == "" and not entry.clear_button.isEnabled()


def test_status_strip_says_manual_with_its_age_and_the_live_source_standing_by(qtbot) -> None:
    strip = StatusStrip(DARK)
    qtbot.addWidget(strip)
    health = (SourceHealth("spot", "ok", NOW - timedelta(seconds=1), interval_s=0.5),)
    strip.apply(StatusSnapshot(env="LIVE", demo=False, connection="connected", health=health, spot_source="manual",
                               spot_at=NOW - timedelta(seconds=75), at=NOW, spot_standby="Pricing Monkey"))
    assert strip.spot.text() == "Spot MANUAL 1m 15s · Pricing Monkey standing by"
    assert "until cleared" in strip.spot.toolTip()
    strip.apply(StatusSnapshot(env="LIVE", demo=False, connection="connected", health=health,
                               spot_source="Pricing Monkey", spot_at=NOW - timedelta(seconds=1), at=NOW))
    assert strip.spot.text() == "Spot Pricing Monkey 1s"
    strip.stop()


def test_in_the_window_a_typed_spot_holds_while_the_market_moves_until_cleared(qtbot, tmp_path, ui_home) -> None:
    from tests.gui.live_app import ladder_has_orders, make_controller

    controller = make_controller(tmp_path, sim={"step_interval": 0.05})
    w = controller.window
    qtbot.addWidget(w)
    w.show()
    controller.start()
    try:
        qtbot.waitUntil(lambda: ladder_has_orders(w), timeout=15_000)
        market = controller.sim.server.market
        w.spot_entry.confirm = lambda message: True
        typed = Price.from_ticks(market.price_ticks - 3, ZN)
        w.spot_entry.edit.setText(format_price(typed, ZN, "tt"))
        assert w.spot_entry.submit() == typed
        qtbot.waitUntil(lambda: w.ladder_model.snapshot.spot == typed, timeout=5000)
        qtbot.waitUntil(lambda: "MANUAL" in w.status_strip.spot.text(), timeout=5000)
        assert "simulator standing by" in w.status_strip.spot.text()
        steps = market.steps
        qtbot.waitUntil(lambda: market.steps > steps + 20, timeout=10_000)  # a second of market moves
        qtbot.wait(300)
        assert w.ladder_model.snapshot.spot == typed and w.spot_entry.edit.text()  # still the typed one
        w.spot_entry.clear_button.click()
        qtbot.waitUntil(lambda: "MANUAL" not in w.status_strip.spot.text(), timeout=5000)
        qtbot.waitUntil(lambda: controller.session.last_result.spot_source == "simulator", timeout=5000)
    finally:
        w.close()
        controller.shutdown()


def test_clearing_with_no_live_source_leaves_no_spot(qtbot) -> None:
    """Manual mode: Clear publishes no spot at all, so the ladder goes back to walking from the last fill."""
    worker = SpotWorker(ZN, "manual", 1.0)
    spots: list = []
    worker.spotReady.connect(spots.append)
    typed = parse_price("110-02+", ZN, spot=True)
    worker.set_manual(typed)
    worker.clear_manual()
    worker.clear_manual()  # a second Clear changes nothing
    assert [s.price if s is not None else None for s in spots] == [typed, None]


def test_the_window_checks_a_typed_spot_against_the_ladder_spot_with_the_reader_limit(window, orders) -> None:
    """The limit is the Pricing Monkey reader's setting (spot.max_jump_points); the reference is the spot
    the ladder walks from."""
    import dataclasses

    from tests.gui.conftest import snapshot
    from zn_ladder.config.settings import Settings

    s = Settings()
    window.apply_settings(dataclasses.replace(s, spot=dataclasses.replace(s.spot, max_jump_points=Fraction(1, 2))))
    window.apply_ladder(snapshot(orders, "110-08"))
    entry = window.spot_entry
    asked: list[str] = []
    entry.confirm = lambda message: asked.append(message) or False
    sent: list = []
    window.manualSpotEntered.connect(sent.append)
    entry.edit.setText("110-24")  # half a point above 110-08: at the limit
    assert entry.submit() == parse_price("110-24", ZN) and not asked
    entry.edit.setText("110-24+")  # just past it
    assert entry.submit() is None and len(asked) == 1 and "limit is 0.5 points" in asked[0]
    assert sent == [parse_price("110-24", ZN)]
