"""Trace normalisation and comparison, independent of any language."""

import random

import pytest

from harness.catalogue.spec import Expected
from harness.running.trace import compare, observe, render_diff, to_tick

TICK = 50.0
EARLY = 2.0

EXPECTED = (
    Expected(0, "start", {"op": "a"}),
    Expected(0, "start", {"op": "b"}),
    Expected(0, "start", {"op": "c"}),
    Expected(1, "fail", {"op": "b", "error": "boom"}),
    Expected(1, "cancelled", {"op": "a"}),
    Expected(1, "cancelled", {"op": "c"}),
    Expected(1, "error", {"error": "boom"}),
)


def as_observed(expected, lateness=0.4):
    return [(e.tick * TICK + lateness, e.ev, dict(e.fields)) for e in expected]


@pytest.mark.parametrize("t_ms, tick", [(0.0, 0), (47.9, 0), (48.0, 1), (50.0, 1), (97.9, 1), (98.0, 2), (-1.0, 0)])
def test_tick_tolerance_is_asymmetric(t_ms, tick):
    assert to_tick(t_ms, TICK, EARLY) == tick


def test_every_legal_interleaving_inside_a_tick_matches():
    rng = random.Random(7)
    for _ in range(50):
        raw = as_observed(EXPECTED)
        by_tick = [sorted((r for r in raw if r[0] // TICK == k), key=lambda _: rng.random()) for k in (0, 1)]
        shuffled = [r for group in by_tick for r in group]
        assert compare(EXPECTED, observe(shuffled, TICK, EARLY), ordered=False, tick_ms=TICK).ok


def test_ordered_scenario_rejects_a_swap_inside_a_tick():
    raw = as_observed(EXPECTED)
    raw[4], raw[5] = raw[5], raw[4]
    result = compare(EXPECTED, observe(raw, TICK, EARLY), ordered=True, tick_ms=TICK)
    assert not result.ok
    assert "out of order" in render_diff(result, TICK)
    assert compare(EXPECTED, observe(raw, TICK, EARLY), ordered=False, tick_ms=TICK).ok


def test_one_tick_late_is_named_in_the_diff():
    raw = as_observed(EXPECTED)
    raw[6] = (2 * TICK + 3.0, "error", {"error": "boom"})
    result = compare(EXPECTED, observe(raw, TICK, EARLY), ordered=False, tick_ms=TICK)
    assert not result.ok
    diff = render_diff(result, TICK)
    missing, late = [line for line in diff.splitlines() if line.startswith("✗")]
    assert "error {error: boom}" in missing and missing.endswith("(missing)   <- seen at tick 2")
    assert late.startswith("✗    2") and late.endswith(
        "error {error: boom}  @103.0   <- expected at tick 1: 1 tick late"
    )


def test_missing_and_unexpected_events():
    raw = as_observed(EXPECTED[:4]) + [(150.2, "succeed", {"op": "c", "value": 3})]
    result = compare(EXPECTED, observe(raw, TICK, EARLY), ordered=False, tick_ms=TICK)
    diff = render_diff(result, TICK)
    assert not result.ok
    assert diff.count("(missing)") == 3
    assert "✗    3" in diff and "succeed {op: c, value: 3}  @150.2" in diff


def test_fields_compare_as_json_values():
    exp = (Expected(0, "result", {"values": [1, 2], "ok": True}),)
    assert compare(exp, observe([(0.1, "result", {"ok": True, "values": [1.0, 2]})], TICK, EARLY), False, TICK).ok
    assert not compare(exp, observe([(0.1, "result", {"ok": True, "values": [2, 1]})], TICK, EARLY), False, TICK).ok
    assert not compare(exp, observe([(0.1, "result", {"ok": "true", "values": [1, 2]})], TICK, EARLY), False, TICK).ok


def test_stream_going_back_in_time_is_a_failure():
    raw = [(60.0, "a", {}), (10.0, "b", {})]
    exp = (Expected(0, "b", {}), Expected(1, "a", {}))
    result = compare(exp, observe(raw, TICK, EARLY), ordered=False, tick_ms=TICK)
    assert not result.ok and "went back in time" in result.problems[0]


def test_lateness_is_measured_from_the_tick_start():
    raw = as_observed(EXPECTED, lateness=7.5)
    result = compare(EXPECTED, observe(raw, TICK, EARLY), ordered=False, tick_ms=TICK)
    assert result.ok and result.max_lateness_ms == pytest.approx(7.5)
