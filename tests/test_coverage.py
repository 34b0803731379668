"""make coverage: the project's lists against the specs' `uses:` and `observes:`, and the statuses a real
run wrote to its results file (a snippet with any outcome but pass there is failing)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from harness.catalogue import Catalogue
from harness.catalogue.languages import load_languages
from harness.outputs.coverage import COVERED, ONLY_FAILING, UNCOVERED, UNVERIFIED, alternatives, compute_coverage
from harness.tools.coverage import main

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]
CATALOGUE = {
    "patterns": [
        {"name": "cancellation"},  # all_fail_fast observes it
        {"name": "fail-fast"},  # ... and this one too
        {"name": "worker pool", "patterns": ["worker_pool"]},  # a pattern not written here
    ]
}


@pytest.fixture
def suite_root(tmp_path: Path) -> Path:
    """The repository's languages (their own primitive lists) with a catalogue of three entries, and
    all_fail_fast with the divergences of python/gather removed: that snippet really fails."""
    root = tmp_path / "suite"
    (root / "languages").mkdir(parents=True)
    for lang in load_languages(REPO / "languages"):
        (root / "languages" / lang).symlink_to(REPO / "languages" / lang, target_is_directory=True)
    (root / "languages" / "catalogue.yaml").write_text(yaml.safe_dump(CATALOGUE), encoding="utf-8")
    shutil.copytree(REPO / "patterns" / "all_fail_fast", root / "patterns" / "all_fail_fast")
    spec = root / "patterns" / "all_fail_fast" / "pattern.yaml"
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    for scenario in data["scenarios"]:
        scenario.get("divergences", {}).pop("python/gather", None)
    spec.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return root


def test_an_entry_offers_its_alternatives():
    assert alternatives("ctx.Done / ctx.Err") == ("ctx.Done / ctx.Err", "ctx.Done", "ctx.Err")
    assert alternatives("tokio::sync::watch or Notify") == (
        "tokio::sync::watch or Notify",
        "tokio::sync::watch",
        "Notify",
    )
    assert alternatives("gather(return_exceptions=True)") == ("gather(return_exceptions=True)",)


def test_an_entrys_covers_come_in_the_catalogues_pattern_order_whatever_the_hash_seed():
    """The primitives page lists them so: two renders of one run are the same page."""
    pages = []
    for seed in ("1", "2", "3"):
        code = (
            "from pathlib import Path; from harness.catalogue import Catalogue; "
            "from harness.outputs.coverage import compute_coverage; "
            "c = compute_coverage(Catalogue(Path('.'))); "
            "print([(e.name, [str(x) for x in e.covers]) for lang in c.languages for e in lang.entries])"
        )
        env = {**os.environ, "PYTHONHASHSEED": seed}
        pages.append(subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True))
    assert pages[0].returncode == 0, pages[0].stderr
    assert pages[0].stdout == pages[1].stdout == pages[2].stdout


def test_without_results_covered_entries_are_not_verified_and_the_rest_uncovered(suite_root, tmp_path):
    coverage = compute_coverage(Catalogue(suite_root), tmp_path / "no-results.json")
    assert coverage.results is None
    pattern_uses = _uses(suite_root)
    for lang in coverage.languages:
        for entry in lang.entries:
            used = set(alternatives(entry.name)) & pattern_uses.get(lang.language, set())
            assert entry.status == (UNVERIFIED if used else UNCOVERED), entry
        # What the snippets use beyond the list is shown, not lost.
        listed = {name for e in lang.entries for name in alternatives(e.name)}
        assert {e.name for e in lang.unlisted} == pattern_uses.get(lang.language, set()) - listed
    catalogue = {e.name: e.status for e in coverage.patterns}
    assert catalogue == {"cancellation": UNVERIFIED, "fail-fast": UNVERIFIED, "worker pool": UNCOVERED}
    assert not coverage.ok  # uncovered entries


def test_a_failing_snippet_covers_nothing_and_a_passing_one_does(suite_root, inner_suite, tmp_path, capsys):
    results = tmp_path / "results.json"
    run = inner_suite(suite_root / "patterns", "--runtime=local", runtime="local")
    session = run("--lang=python", f"--results={results}")
    outcomes = {nodeid.rpartition("::")[2]: report.outcome for nodeid, report in session.calls.items()}
    gather_failed = any(o == "failed" for item, o in outcomes.items() if "python/gather:" in item)
    group_passed = all(o == "passed" for item, o in outcomes.items() if "[python:" in item)
    assert gather_failed and group_passed, outcomes  # what the statuses below stand on

    coverage = compute_coverage(Catalogue(suite_root), results)
    assert coverage.results == results
    python = next(lang for lang in coverage.languages if lang.language == "python")
    group, gather = (_snippet(suite_root, label).uses for label in ("python", "python/gather"))
    for entry in python.entries:
        names = set(alternatives(entry.name))
        if names & set(group):
            assert entry.status == COVERED, entry
        elif names & set(gather):
            assert entry.status == ONLY_FAILING, entry
            assert [str(c) for c in entry.covers] == ["all_fail_fast[python/gather]"]
    go = next(lang for lang in coverage.languages if lang.language == "go")
    assert {e.status for e in go.entries} <= {UNCOVERED, UNVERIFIED}  # go did not run: not failing
    # all_fail_fast observes cancellation, and one of its snippets fails.
    assert {e.name: e.status for e in coverage.patterns}["cancellation"] == ONLY_FAILING

    assert main([f"--root={suite_root}", f"--results={results}"]) == 1
    out = capsys.readouterr().out
    assert f"statuses from {results}" in out
    assert "failing: all_fail_fast[python/gather] (failing)" in out
    assert "✗ worker pool" in out and "uncovered (by pattern worker_pool, when written)" in out


def test_a_catalogue_that_does_not_follow_its_schema_is_an_error_with_its_line(suite_root, capsys):
    (suite_root / "languages" / "catalogue.yaml").write_text("patterns:\n  - {title: fan-out}\n", encoding="utf-8")
    assert main([f"--root={suite_root}"]) == 2
    err = capsys.readouterr().err
    assert "catalogue.yaml:2: patterns[0]: missing field: 'name' is a required property" in err


def _snippet(root: Path, label: str):

    return next(s for s in Catalogue(root).pattern("all_fail_fast").snippets if s.label == label)


def _uses(root: Path) -> dict[str, set[str]]:
    """Language -> every name the specs' `uses:` list for it, read straight from the YAML."""
    data = yaml.safe_load((root / "patterns" / "all_fail_fast" / "pattern.yaml").read_text(encoding="utf-8"))
    uses: dict[str, set[str]] = {}
    for label, entry in data["snippets"].items():
        uses.setdefault(label.partition("/")[0], set()).update(entry.get("uses", ()))
    return uses
