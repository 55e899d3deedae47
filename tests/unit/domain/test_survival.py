"""The survival curve (issue 15 §5): examples worked by hand from the seed's rules, and hypothesis
against an independent float implementation of the old `R_survival` script, plus properties the
exact answer must always have.

Prices in 32nds: 111'01 = 111 + 1/32. R0 = lots x $62.50 per 1/16 of a point.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.survival import SEED_LEVELS, ZN_RISK_PER_LOT, survival_curve


def p32(whole: int, thirty_seconds: float | Fraction) -> Fraction:
    return whole + Fraction(thirty_seconds) / 32


def test_seed_levels_are_the_old_list():
    assert len(SEED_LEVELS) == 38 and list(SEED_LEVELS) == sorted(set(SEED_LEVELS))
    assert (SEED_LEVELS[0], SEED_LEVELS[-1]) == (p32(108, 15), p32(114, 30))


def test_long_ten_lots_at_a_level_by_hand():
    # Long 10 lots (R0 = $625 per 1/16) at 111'01, itself a level. NBM 25/16 reaches down to 109'15.
    # Below: 110'31 is only 2/32 away (< 3/16 = 6/32) and is dropped; the walk is then
    # 111'01 110'24 110'20 110'15 110'09 110'06 110'02 109'28 109'21 109'19, steps (32nds) 9 4 5 6 3 4 6 7 2.
    # be = -3/16 = -6/32, so each factor is 1 + k/6: coefficients (points, negative)
    # 9/32, 15/32, 55/64, 55/32, 165/64, 275/64, 275/32, 3575/192, 3575/144.
    # P&L at each = 625 x 16 x c = 10000c: ... -85,937.50 at 110'02's step, -186,197.92 at 109'28's:
    # the first at or below -100,000 is the 8th (index 7), so the extreme is 109'28, 37/32 = 18.5/16 away.
    curve = survival_curve(p32(111, 1), 10 * ZN_RISK_PER_LOT, SEED_LEVELS)
    assert curve.extreme_level == p32(109, 28)
    assert curve.sixteenths_to_extreme == Fraction(37, 2)
    levels = [p32(111, 1), p32(110, 24), p32(110, 20), p32(110, 15), p32(110, 9), p32(110, 6), p32(110, 2),
              p32(109, 28)]
    assert [pt.level for pt in curve.points] == levels
    # Risk after each level = R0 x c / (-3/16) = 10000 |c| / 3.
    coeffs = [Fraction(9, 32), Fraction(15, 32), Fraction(55, 64), Fraction(55, 32), Fraction(165, 64),
              Fraction(275, 64), Fraction(275, 32)]
    assert [pt.risk for pt in curve.points] == [625] + [10000 * c / 3 for c in coeffs]
    assert curve.points[1].risk == Fraction(1875, 2)  # $937.50


def test_pnl_so_far_moves_the_extreme():
    price = p32(111, 1)
    # +20,000 already made: room is -120,000, 109'28 still the extreme.
    assert survival_curve(price, 625, SEED_LEVELS, pnl=20_000).extreme_level == p32(109, 28)
    # -20,000 already lost: room -80,000; -85,937.50 at the 7th step breaks it: extreme 110'02.
    lost = survival_curve(price, 625, SEED_LEVELS, pnl=-20_000)
    assert lost.extreme_level == p32(110, 2) and len(lost.points) == 7
    assert lost.sixteenths_to_extreme == Fraction(31, 2)


def test_short_off_level_price_survives_every_level_by_hand():
    # Short 5 lots (R0 = -312.50) at 110'165 = 110 + 16.5/32. Above, up to 112'005: 110'20 is 3.5/32 away
    # (dropped); the walk 110'165 110'24 110'31 111'01 111'05 111'08 111'14 111'18 111'26, steps
    # 7.5 7 2 4 3 6 4 8 (32nds), be = +6/32. Worst P&L -5000 x 11375/864 = -65,827.55 > -100,000: every
    # level is survivable, the extreme is the last, 111'26, 41.5/32 = 20.75/16 away.
    price = p32(110, Fraction(33, 2))
    curve = survival_curve(price, -5 * ZN_RISK_PER_LOT, SEED_LEVELS)
    assert curve.extreme_level == p32(111, 26) and curve.sixteenths_to_extreme == Fraction(83, 4)
    assert len(curve.points) == 9
    assert curve.points[1] .level == p32(110, 24)
    assert curve.points[1].risk == Fraction(-5000, 3) * Fraction(15, 64)  # -$390.625
    assert curve.points[-1].risk == Fraction(-5000, 3) * Fraction(11375, 864)
    # A tighter stop: P&L -28,211.81 at 111'18's step breaks -20,000: extreme 111'14.
    tight = survival_curve(price, -312.5, SEED_LEVELS, stop_loss=-20_000)
    assert tight.extreme_level == p32(111, 14) and len(tight.points) == 7


def test_flat_position_has_no_curve():
    curve = survival_curve(p32(110, 8), 0, SEED_LEVELS)
    assert (curve.points, curve.extreme_level, curve.sixteenths_to_extreme) == ((), p32(110, 8), 0)


def test_no_level_far_enough_keeps_the_price_as_extreme():
    # NBM 2/16 looks only 1/8 of a point away, under the 3/16 minimum: nothing to walk.
    curve = survival_curve(p32(111, 1), 625, SEED_LEVELS, nbm_sixteenths=2)
    assert curve.points[0].level == curve.extreme_level == p32(111, 1)
    assert len(curve.points) == 1 and curve.sixteenths_to_extreme == 0


def test_first_step_already_breaks_the_stop():
    # 1000 lots long: the first step (9/32) alone loses 62,500 x 16 x 9/32 = 281,250.
    curve = survival_curve(p32(111, 1), 1000 * ZN_RISK_PER_LOT, SEED_LEVELS)
    assert [pt.level for pt in curve.points] == [p32(111, 1)] and curve.extreme_level == p32(111, 1)


def test_a_level_exactly_at_nbm_counts():
    # 111'01 + 25/16 = 112'19 exactly, a level: short walk ends there when the stop allows it.
    curve = survival_curve(p32(111, 1), -1, SEED_LEVELS)
    assert curve.extreme_level == p32(112, 19)


def test_a_first_level_exactly_3_16_away_is_kept():
    levels = [p32(110, 27), p32(110, 20)]  # 6/32 and 13/32 below 111'01
    assert [pt.level for pt in survival_curve(p32(111, 1), 625, levels).points] == [p32(111, 1), *levels]
    # 5.5/32 away is too close: dropped
    assert [pt.level for pt in survival_curve(p32(111, 1), 625, [p32(110, 27.5), p32(110, 20)]).points] == \
        [p32(111, 1), p32(110, 20)]


def test_a_long_walk_includes_the_level_exactly_at_nbm():
    # 110'15 is exactly 9/16 = 18/32 below 111'01
    assert survival_curve(p32(111, 1), 625, [p32(110, 24), p32(110, 15)], nbm_sixteenths=9).extreme_level == \
        p32(110, 15)
    assert survival_curve(p32(111, 1), 625, [p32(110, 24), p32(110, 15)], nbm_sixteenths=8).extreme_level == \
        p32(110, 24)


def test_a_pnl_exactly_at_the_stop_is_a_stop():
    # the first step (9/32) loses exactly 625 x 16 x 9/32 = 2,812.50
    hit = survival_curve(p32(111, 1), 625, SEED_LEVELS, stop_loss=Fraction(-5625, 2))
    assert hit.extreme_level == p32(111, 1) and len(hit.points) == 1
    missed = survival_curve(p32(111, 1), 625, SEED_LEVELS, stop_loss=Fraction(-5625, 2) - Fraction(1, 100))
    assert missed.extreme_level == p32(110, 24)


def test_negative_nbm_is_refused():
    with pytest.raises(InputError, match="break-even margin"):
        survival_curve(p32(111, 1), 625, SEED_LEVELS, nbm_sixteenths=-1)


# --- against the old script's arithmetic, in floats -------------------------------------------------

def float_survival(cp: float, r0: float, levels: list[float], stop: float, nbm: float, pnl: float):
    """The old script's algorithm written again in floats (its inputs: sorted levels, decimals)."""
    if r0 == 0:
        return {}, cp, 0.0, []
    sign = -1.0 if r0 > 0 else 1.0  # long walks down
    reach = cp + sign * nbm / 16
    lo, hi = min(cp, reach), max(cp, reach)
    lv = [x for x in levels if lo <= x <= hi]
    lv = lv[::-1] if sign < 0 or reach == cp else lv
    if not lv or lv[0] != cp:
        lv = [cp] + lv
    while len(lv) > 1 and abs(lv[1] - lv[0]) < 0.1875:
        lv.pop(1)
    d = [b - a for a, b in zip(lv, lv[1:])]
    be = [(-3.0 if cp > x else 3.0) / 16 for x in lv]
    coeffs: list[float] = []
    if d:
        prod = d[0]
        coeffs.append(prod)
        for i in range(1, len(d)):
            prod *= 1 + d[i] / be[i]
            coeffs.append(prod)
    idx = next((i for i, c in enumerate(coeffs) if r0 * c * 16 <= stop - pnl), len(coeffs))
    curve = {cp: r0}
    for i in range(1, idx + 1):
        curve[lv[i]] = r0 * coeffs[i - 1] / be[i]
    return curve, lv[idx], abs(lv[idx] - cp) * 16, [r0 * c * 16 for c in coeffs]


prices_64ths = st.integers(min_value=108 * 64, max_value=115 * 64).map(lambda n: Fraction(n, 64))
level_sets = st.lists(st.integers(min_value=106 * 32, max_value=117 * 32), max_size=40).map(
    lambda ns: sorted({Fraction(n, 32) for n in ns}))
near_offsets = st.lists(st.integers(min_value=-90, max_value=90), max_size=25)
risks = st.integers(min_value=-400, max_value=400).map(lambda lots: lots * ZN_RISK_PER_LOT)
money = st.integers(min_value=-200_000, max_value=200_000)


@settings(max_examples=500, deadline=None)
@given(price=prices_64ths, risk=risks, levels=st.one_of(st.just(list(SEED_LEVELS)), level_sets),
       near=near_offsets, pnl=money, stop=st.integers(min_value=-300_000, max_value=0),
       nbm=st.integers(min_value=0, max_value=80))
def test_matches_the_float_script(price, risk, levels, near, pnl, stop, nbm):
    # levels a whole number of 64ths from the price hit the 3/16 and NBM boundaries exactly
    levels = sorted(set(levels) | {price + Fraction(k, 64) for k in near})
    exact = survival_curve(price, risk, levels, pnl=pnl, stop_loss=stop, nbm_sixteenths=nbm)
    curve, extreme, sixteenths, pnls = float_survival(float(price), float(risk), [float(x) for x in levels],
                                                      float(stop), float(nbm), float(pnl))
    # a P&L within rounding of the stop may fall on either side in floats: not a disagreement
    assume(all(abs(x - (stop - pnl)) > 1e-6 * max(1, abs(stop - pnl)) for x in pnls))
    assert float(exact.extreme_level) == extreme
    assert float(exact.sixteenths_to_extreme) == sixteenths
    assert [float(pt.level) for pt in exact.points] == list(curve)
    for pt in exact.points:
        assert float(pt.risk) == pytest.approx(curve[float(pt.level)], rel=1e-12)


@settings(max_examples=300, deadline=None)
@given(price=prices_64ths, risk=risks, levels=level_sets, pnl=money, nbm=st.integers(min_value=0, max_value=80))
def test_properties(price, risk, levels, pnl, nbm):
    stop = Fraction(-100_000)
    curve = survival_curve(price, risk, levels, pnl=pnl, nbm_sixteenths=nbm)
    if risk == 0:
        assert curve.points == ()
        return
    pts = curve.points
    assert pts[0].level == price and pts[0].risk == risk and pts[-1].level == curve.extreme_level
    direction = -1 if risk > 0 else 1  # long: the walk goes down
    for a, b in zip(pts, pts[1:]):
        assert (b.level - a.level) * direction > 0  # strictly away from the price
        assert abs(b.risk) >= abs(a.risk) and b.risk * risk > 0  # more of the same risk each level
    for pt in pts[1:]:
        assert pt.level in levels and abs(pt.level - price) >= Fraction(3, 16)
        assert abs(pt.level - price) <= Fraction(nbm, 16)
        # the P&L on reaching each level of the curve, R0 x coeff x 16 = risk there x be x 16, is above
        # the stop: every level of the curve is survived
        assert pt.risk * 3 * direction > stop - pnl
    assert curve.sixteenths_to_extreme == abs(curve.extreme_level - price) * 16


@settings(max_examples=200, deadline=None)
@given(price=prices_64ths, risk=risks, levels=level_sets, pnl=money, nbm=st.integers(min_value=0, max_value=80))
def test_a_short_is_a_long_seen_in_a_mirror(price, risk, levels, pnl, nbm):
    centre = Fraction(111)
    curve = survival_curve(price, risk, levels, pnl=pnl, nbm_sixteenths=nbm)
    mirror = survival_curve(2 * centre - price, -risk, [2 * centre - x for x in levels], pnl=pnl,
                            nbm_sixteenths=nbm)
    assert [(2 * centre - pt.level, -pt.risk) for pt in mirror.points] == [(pt.level, pt.risk) for pt in curve.points]
    assert mirror.sixteenths_to_extreme == curve.sixteenths_to_extreme


def test_level_order_and_repeats_do_not_matter():
    shuffled = list(reversed(SEED_LEVELS)) + list(SEED_LEVELS[:5])
    assert survival_curve(p32(111, 1), 625, shuffled) == survival_curve(p32(111, 1), 625, SEED_LEVELS)
