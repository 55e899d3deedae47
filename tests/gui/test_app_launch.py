"""Launch decisions: DEMO without credentials, the configured environment with them (LIVE badge)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from zn_ladder.config.settings import Settings
from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer

from .live_app import FAST, ladder_has_orders


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")  # an empty keyring of our own
    previous = keyring.get_keyring()
    keyring.set_keyring(ring)
    monkeypatch.delenv("ZN_LADDER_TT_KEY", raising=False)
    monkeypatch.delenv("ZN_LADDER_TT_SECRET", raising=False)
    yield
    keyring.set_keyring(previous)


def with_tt(settings: Settings, **changes) -> Settings:
    return dataclasses.replace(settings, tt=dataclasses.replace(settings.tt, **changes))


def test_plan_runs_the_demo_without_credentials_and_tt_with_them(no_keyring, monkeypatch) -> None:
    from zn_ladder.app import plan_launch

    plan = plan_launch(Settings())
    assert plan.demo and plan.env == "SIM" and plan.credentials is None
    assert plan_launch(with_tt(Settings(), simulator="always")).demo
    never = plan_launch(with_tt(Settings(), simulator="never"))
    assert not never.demo and "no TT credentials for SIM" in never.messages[0]
    monkeypatch.setenv("ZN_LADDER_TT_KEY", "k-123")
    monkeypatch.setenv("ZN_LADDER_TT_SECRET", "s-456")
    live = plan_launch(with_tt(Settings(), environment="LIVE"))
    assert (live.demo, live.env, live.credentials.app_key) == (False, "LIVE", "k-123")
    assert "s-456" not in repr(live)


def test_with_credentials_the_window_connects_to_the_configured_environment(qtbot, tmp_path, ui_home,
                                                                            no_keyring, monkeypatch) -> None:
    """LIVE settings with credentials: the app talks to that environment (a simulator posing as LIVE)."""
    from zn_ladder.app import AppController

    monkeypatch.setenv("ZN_LADDER_TT_KEY", DEMO_API_KEY)
    monkeypatch.setenv("ZN_LADDER_TT_SECRET", DEMO_API_SECRET)
    with SimulatorServer(SimConfig(seed=3, env="ext_prod_live", history_fills=8, step_interval=0.2)) as sim:
        settings = with_tt(Settings(), environment="LIVE", base_url=sim.url, usage_plan="high")
        controller = AppController(settings, db_path=tmp_path / "live.sqlite3", ui_state=tmp_path / "w.ini",
                                   intervals=FAST)
        w = controller.window
        qtbot.addWidget(w)
        w.show()
        controller.start()
        try:
            qtbot.waitUntil(lambda: ladder_has_orders(w) and w.fills.model.rowCount() > 0, timeout=15_000)
            qtbot.waitUntil(lambda: w.status_strip.env_badge.text() == "LIVE", timeout=5000)
            assert not w.status_strip.demo_badge.isVisibleTo(w)
            assert "LIVE" in w.windowTitle() and "DEMO" not in w.windowTitle()
            assert controller.sim is None and controller.session.config.conn.env == "ext_prod_live"
            assert {r.path.split("/")[2] for r in sim.request_log if r.path.count("/") >= 2} == {"ext_prod_live"}
            # Spot is manual by default outside the demo: the ladder walks from the last fill until one is typed.
            assert controller.session.last_result.spot_source == "last fill"
            qtbot.waitUntil(lambda: "last fill" in w.status_strip.spot.text(), timeout=3000)
        finally:
            w.close()
            controller.shutdown()
