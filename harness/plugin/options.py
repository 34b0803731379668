"""The suite's options and selection, checked before anything runs.

Each check raises pytest.UsageError naming the option, what it got and the expected form, so a bad
value never reaches a runner (a NaN tick would make every wait endless, a zero one every diff).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from harness.catalogue.spec import Scenario

TICK_MS = (5.0, 1000.0)  # below 5 ms timers are noise; above a second a run takes hours
EARLY_SHARE = 0.5  # events may be early by less than half a tick, or ticks would overlap
GRACE_S = (0.5, 600.0)
LONG_SCENARIO_S = 10.0  # a window longer than this is said before the run starts


def suite_wanted(config: pytest.Config, root: Path) -> bool:
    """Whether this session runs patterns: some argument is patterns/ (or in it, or above it). The
    harness's own tests (`pytest tests`) then set up no runtime, probe no toolchain, touch no engine."""
    patterns = (root / "patterns").resolve()
    here = config.invocation_params.dir
    for arg in config.args:
        path = (here / arg.split("::")[0]).resolve()
        if path == patterns or patterns in path.parents or path in patterns.parents:
            return True
    return False


def _number(config: pytest.Config, option: str, what: str) -> float | None:
    value = config.getoption(option)
    if value is not None and not math.isfinite(value):
        raise pytest.UsageError(f"{option}={value}: {what} must be a finite number")
    return value


def valid_tick_ms(config: pytest.Config, default: float) -> float:
    value = _number(config, "--tick-ms", "the tick length")
    if value is None:
        return default
    low, high = TICK_MS
    if not low <= value <= high:
        raise pytest.UsageError(
            f"--tick-ms={value:g} (TICK_MS): the tick must be between {low:g} and {high:g} ms; "
            f"the default, {default:g} ms, is measured to be flake-free on a loaded 2-core machine"
        )
    return value


def valid_early_ms(config: pytest.Config, tick: float) -> float:
    value = _number(config, "--early-ms", "the early tolerance")
    if not 0 <= value < tick * EARLY_SHARE:
        raise pytest.UsageError(
            f"--early-ms={value:g}: how early an event may come must be at least 0 and less than half "
            f"a tick ({tick * EARLY_SHARE:g} ms at a {tick:g} ms tick)"
        )
    return value


def valid_grace_s(config: pytest.Config) -> float:
    value = _number(config, "--grace-s", "the grace")
    low, high = GRACE_S
    if not low <= value <= high:
        raise pytest.UsageError(
            f"--grace-s={value:g}: the seconds a runner may take beyond a window must be between {low:g} and {high:g}"
        )
    return value


def valid_jobs(text: str | int) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise pytest.UsageError(
            f"--jobs / JOBS must be a whole number of scenarios run at once (1: serial), not {text!r}"
        )
    return jobs


def window_warnings(scenarios: list[tuple[str, Scenario]], tick: float) -> list[str]:
    """What to say before a run whose windows are long: each long scenario by its file and line,
    and how long the selected scenarios will take at the least."""
    long = [
        f"{where}: scenario {s.name!r} observes {s.window} ticks, {s.window * tick / 1000:.0f} s at {tick:g} ms a tick"
        for where, s in scenarios
        if s.window * tick / 1000 > LONG_SCENARIO_S
    ]
    if not long:
        return []
    total = sum(s.window * tick / 1000 for _, s in scenarios)
    return [*long, f"the {len(scenarios)} scenarios selected observe {total:.0f} s of windows in all"]
