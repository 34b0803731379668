"""`make bench` over a small suite root: the four measures side by side, their ratios, and the exit."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.runners
def test_bench_runs_every_way_and_prints_the_ratios(tmp_path: Path):
    root = tmp_path  # a suite root of one pattern
    (root / "languages").symlink_to(REPO / "languages", target_is_directory=True)
    shutil.copy2(REPO / "conftest.py", root)  # what loads the harness into the runs the bench times
    shutil.copytree(REPO / "patterns" / "timeout", root / "patterns" / "timeout")
    bench = subprocess.run(
        [sys.executable, "-m", "harness.tools.bench", "--lang=python", "--tick-ms=50", "--jobs=2"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(REPO), "RUNTIME": "local"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    text = bench.stdout + bench.stderr
    assert bench.returncode == 0, text
    scenarios = int(re.search(r"^bench: (\d+) scenarios in python; runtime local", text, re.M)[1])
    assert scenarios >= 2
    for run in ("naive \\(fresh runner each\\)", "serial \\(JOBS=1\\)", "parallel \\(JOBS=2\\)"):
        assert re.search(rf"^{run} +[\d.]+s +{scenarios}/{scenarios} ", text, re.M), text
    assert re.search(r"^intrinsic bound \(python\) +[\d.]+s$", text, re.M), text
    # each measure says so as it ends, before the table
    for run in ("start-up", "parallel \\(JOBS=2\\)", "serial \\(JOBS=1\\)", "naive \\(fresh runner each\\)"):
        assert re.search(rf"^  \.\.\. {run}: [\d.]+ s, \d+/\d+ passed$", text, re.M), text
    assert re.search(r"^parallel is [\d.]+x faster than serial", text, re.M), text
    assert re.search(r"^parallel less start-up is [\d.]+x the intrinsic bound", text, re.M), text
    # Every measure wrote its own results; the repository's own bench logs are untouched.
    assert {p.name for p in (root / ".cache" / "bench").glob("*.json")} == {
        "start-up.json",
        "parallel.json",
        "serial.json",
    }
