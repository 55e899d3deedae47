"""The live window on the simulator: a store that disagrees with TT's netPosition is shown after two
position polls (red banner line, marker on the POSITION card) and the marks go when they agree again."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, Side

from .live_app import make_controller

INTERVALS = {"orders_s": 0.5, "fills_s": 0.3, "positions_s": 0.4, "spot_s": 0.5}


@pytest.fixture
def quiet_app(qtbot, tmp_path: Path, ui_home: Path):
    """The demo on a simulator that does not step: TT's positions hold still unless the test moves them."""
    controller = make_controller(tmp_path, sim={"step_interval": None}, intervals=INTERVALS)
    qtbot.addWidget(controller.window)
    controller.window.resize(1400, 900)
    controller.window.show()
    controller.start()
    yield controller
    controller.window.close()
    controller.shutdown()


def test_a_store_that_differs_from_tt_is_shown_after_two_polls_and_cleared_when_they_agree(qtbot, quiet_app):
    controller, w = quiet_app, quiet_app.window
    qtbot.waitUntil(lambda: controller.session is not None, timeout=10_000)
    session = controller.session
    checks = []
    session.position_check.checked.connect(checks.append)

    # The app's books (TT's SOD + the day's fills from the simulator) agree with TT's netPosition.
    qtbot.waitUntil(lambda: sum(r.poll for r in checks) >= 3 and checks[-1].seen == ()
                    and session.last_fills is not None and bool(session.last_fills.fills), timeout=15_000)
    qtbot.waitUntil(lambda: session.last_position_check is checks[-1], timeout=5000)
    session.emit_status()
    assert "Position differs" not in w.banner.text()
    assert not w.summary.position_marker.isVisibleTo(w)
    tt_net = {(p.account, p.contract): p.net_position for p in session.tt_positions}
    assert tt_net, "the simulator reports positions"
    account, contract = sorted(tt_net)[0]
    assert contract == session.contract

    # A fill TT never reported (e.g. a manual entry gone wrong) makes the store +3 against TT.
    price = controller.sim.server.market.price_ticks
    extra = Fill("manual-extra-1", account, contract, Side.BUY, 3, price, time.time_ns(), source="fill_monitor")
    session.store.submit(lambda store: store.ingest([extra], source="fill_monitor")).result(10)
    injected_at = len(checks)
    session.store.refresh(full=True)  # a store change: compared at once, but not flagged on its own

    app, tt = tt_net[(account, contract)] + 3, tt_net[(account, contract)]
    line = f"Position differs from TT: {account} {contract} app {app:+d}, TT {tt:+d}" if tt else \
        f"Position differs from TT: {account} {contract} app {app:+d}, TT 0"
    # the banner's slot and this test's `checks.append` are two queued calls of one signal: wait for both
    qtbot.waitUntil(lambda: line in w.banner.text() and any(
        r.differences and any(d.key == (account, contract) for d in r.seen) for r in checks[injected_at:]),
        timeout=15_000)
    after = checks[injected_at:]
    seeing = [r for r in after if any(d.key == (account, contract) for d in r.seen)]
    flagged = [r for r in seeing if r.differences]
    first_flag = seeing.index(flagged[0])
    # Flagged at the second poll that saw it, not before: store changes and the first poll only count.
    assert [r.poll for r in seeing[:first_flag + 1]].count(True) == 2 and seeing[first_flag].poll
    assert all(not r.differences for r in seeing[:first_flag])
    assert "(checked " in w.banner.text() and w.banner.isVisibleTo(w)
    assert w.banner.text().splitlines()[0].startswith("Position differs from TT")
    assert w.summary.position_marker.isVisibleTo(w)
    tip = w.summary.position_marker.toolTip()
    assert f"{account} {contract}: app {app:+d}" in tip and "two consecutive TT position polls" in tip
    assert w.summary.position_box.property("differs") is True

    # TT is right: the fill is busted in the store, the app agrees again and the marks go.
    bust = FillCorrection("manual-extra-1-bust", extra.key, CorrectionKind.BUST, time.time_ns())
    session.store.submit(lambda store: store.ingest([], [bust], source="fill_monitor")).result(10)
    session.store.refresh(full=True)
    qtbot.waitUntil(lambda: "Position differs" not in w.banner.text(), timeout=15_000)
    assert not w.summary.position_marker.isVisibleTo(w)
    assert w.summary.position_marker.toolTip() == "" and w.summary.position_box.property("differs") is False
