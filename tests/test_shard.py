"""Slices of a selection (`make test SHARD=i/N`) and their merge (`make merge`): every cell runs in
exactly one slice, the split is the same whatever order the cells come in, and N slices run as
separate processes merge into what one run gives; a missing or repeated slice is said."""

from __future__ import annotations

import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from harness.base.errors import SuiteError
from harness.catalogue.shard import OVERHEAD_TICKS, parse_shard, split
from harness.outputs.merge import MergeError, merge_results
from harness.outputs.results import entry_key, load_results
from harness.tools import merge as merge_tool

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("text, index, count", [("1/1", 1, 1), ("2/3", 2, 3), (" 3 / 3 ", 3, 3)])
def test_a_slice_is_written_i_of_n(text, index, count):
    shard = parse_shard(text)
    assert (shard.index, shard.count, str(shard)) == (index, count, f"{index}/{count}")


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "1/0", "a/b", "-1/2", "1/2/3", ""])
def test_a_slice_that_names_none_is_refused_saying_how_to_write_one(text):
    with pytest.raises(SuiteError, match=r"SHARD=.*i/N, with 1 <= i <= N"):
        parse_shard(text)


def test_the_split_puts_every_cell_in_one_slice_whatever_order_the_cells_come_in():
    cells = [(f"p{i}[go:s{i}]", random.Random(i).randint(0, 40)) for i in range(200)]
    slices = split(cells, 4)
    assert sorted(slices) == sorted(name for name, _ in cells)
    assert set(slices.values()) == {1, 2, 3, 4}
    shuffled = cells[:]
    random.Random(7).shuffle(shuffled)
    assert split(shuffled, 4) == slices


def test_slices_are_balanced_by_window_time_not_by_count():
    """One long cell against many short ones: the long one gets a slice nearly to itself."""
    cells = [("long", 30)] + [(f"short{i}", 2) for i in range(20)]
    slices = split(cells, 2)
    load = {n: sum(w + OVERHEAD_TICKS for name, w in cells if slices[name] == n) for n in (1, 2)}
    assert abs(load[1] - load[2]) <= 30 + OVERHEAD_TICKS
    assert sum(1 for s in slices.values() if s == slices["long"]) < 10  # by count it would be 11 and 10
    assert abs(load[1] - load[2]) <= 3  # the greedy split evens the rest out


def run_suite(*args: str, results: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "harness.plugin",
            "-q",
            f"--suite-root={REPO}",
            f"--cache-dir={REPO / '.cache'}",
            "--runtime=local",
            "--lang=python",
            "--pattern=timeout,all_settled,race_and_any,bounded_concurrency",
            # three slices share this machine's two cores, which the default tick is not sized for
            # (CI saw events 90 ms late at 100 ms); what is tested here is the split and the merge
            "--tick-ms=250",
            "--jobs=2",
            f"--results={results}",
            *args,
            str(REPO / "patterns"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.runners
def test_three_slices_run_apart_merge_into_the_entries_of_one_run(tmp_path, capsys):
    paths = [tmp_path / f"slice{i}.json" for i in (1, 2, 3)]
    with ThreadPoolExecutor(3) as pool:  # three processes at once, as three machines would
        runs = list(pool.map(lambda i: run_suite(f"--shard={i}/3", results=paths[i - 1]), (1, 2, 3)))
    for proc in runs:
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    whole = run_suite(results=tmp_path / "whole.json")
    assert whole.returncode == 0, whole.stdout[-3000:]

    docs = [load_results(path) for path in paths]
    ran = [{entry_key(e) for e in doc["results"] if e["outcome"] not in ("not run", "not applicable")} for doc in docs]
    assert all(ran) and not (ran[0] & ran[1] or ran[0] & ran[2] or ran[1] & ran[2])  # each cell in one slice

    out = tmp_path / "merged.json"
    assert merge_tool.main(["--results", ":".join(map(str, paths)), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    for i, path in enumerate(paths, 1):
        assert f"{path}: python slice {i}/3: {len(ran[i - 1])} scenarios, passed" in said
    merged, one = load_results(out), load_results(tmp_path / "whole.json")
    assert merged["run"]["missing"] == []
    outcomes = {entry_key(e): (e["outcome"], e["expected"]) for e in merged["results"]}
    assert outcomes == {entry_key(e): (e["outcome"], e["expected"]) for e in one["results"]}

    # a slice that never arrived: its cells stay `not run`, said, and the merge fails
    partial = tmp_path / "partial.json"
    assert merge_tool.main(["--results", f"{paths[0]}:{paths[2]}", "--out", str(partial)]) == 1
    assert "MISSING slice 2 of 3 of python" in capsys.readouterr().out
    lost = {entry_key(e) for e in load_results(partial)["results"] if e["outcome"] == "not run"}
    assert ran[1] <= lost

    # the same slice twice is refused, naming both files
    copy = tmp_path / "again.json"
    copy.write_text(paths[0].read_text())
    with pytest.raises(MergeError, match=r"slice1.json and .*again.json are both slice 1 of 3"):
        merge_results([(paths[0], docs[0]), (copy, load_results(copy))])


def test_a_target_the_matrix_expected_and_no_file_ran_is_missing(tmp_path, capsys):
    """The CI merge names the selection its jobs ran; a job that uploaded nothing shows."""
    results = REPO / "tests" / "versions_results" / "go-python.json"
    out = tmp_path / "merged.json"
    code = merge_tool.main(["--results", str(results), "--out", str(out), "--lang", "go,python,rust"])
    said = capsys.readouterr().out
    assert code == 1 and "MISSING rust: no results file ran it" in said
    merged = load_results(out)
    assert "rust" in merged["run"]["selection"]["languages"]
    assert merged["run"]["languages"]["rust"]["describe"].startswith("not run")
    rust = [e for e in merged["results"] if e["language"] == "rust"]
    assert rust and {e["outcome"] for e in rust} <= {"not run", "not applicable"}


def test_a_glob_that_matches_nothing_is_refused(tmp_path, capsys):
    assert merge_tool.main(["--results", str(tmp_path / "none" / "*.json")]) == 2
    assert "matches no file" in capsys.readouterr().err
