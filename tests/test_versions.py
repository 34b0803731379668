"""Versions as an axis: selections name them, a language at a version builds with its own files,
divergences hold for some versions only, and a snippet pinned as needing a newer version is shown as
not available where it fails to run, and as a stale pin where it runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.catalogue import Catalogue
from harness.catalogue.languages import holds, version_key
from harness.catalogue.selection import SelectionError, at_version
from harness.catalogue.spec import Divergence, Expected, Scenario, Snippet
from harness.running.client import Fault, Response
from harness.running.verdict import Outcome, ScenarioResult, availability
from harness.runtimes.build import render_tree, tree_hash

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue(REPO)


def test_a_language_at_a_version_is_selected_and_named(catalogue):
    selection = catalogue.select(["go@1.22, python", "go@1.27"], ["timeout"])
    assert selection.languages == ("go", "python")  # the catalogue's order
    assert selection.target_names() == ["go@1.22", "go@1.27", "python"]
    assert selection.versions_of("go") == ["1.22", "1.27"] and selection.versions_of("python") == [None]


def test_no_version_named_keeps_one_plain_target_per_language(catalogue):
    selection = catalogue.select(["go,rust"])
    assert selection.target_names() == ["go", "rust"] and selection.versions == ()


def test_versions_all_runs_every_version_of_each_selected_language(catalogue):
    selection = catalogue.select(["javascript,go"], versions="all")
    assert selection.target_names() == [
        "go@1.22", "go@1.23", "go@1.26", "go@1.27",
        "javascript@20", "javascript@22", "javascript@24", "javascript@26",
    ]  # fmt: skip


def test_an_unknown_version_is_refused_naming_the_known_ones(catalogue):
    with pytest.raises(SelectionError, match=r"go@1\.9: go has no version '1\.9'; its versions: 1\.22, 1\.23"):
        catalogue.select(["go@1.9"])
    with pytest.raises(SelectionError, match="VERSIONS.*say `all`"):
        catalogue.select(["go"], versions="newest")


def test_every_language_lists_its_versions_with_one_default(catalogue):
    for lang in catalogue.languages.values():
        assert lang.versions, f"{lang.name} lists no versions"
        assert sum(v.default for v in lang.versions) == 1
        default = lang.default_version
        if not default.names:  # the default image holds the default version
            assert holds(default.name + ".0", default.name) and default.image in (None, lang.image)


def test_holds_compares_as_far_as_the_short_name_spells():
    assert holds("3.13.5", "3.13") and holds("25.0.3", "25") and holds("1.22.12 X:rangefunc", "1.22")
    assert not holds("3.1", "3.13") and not holds("3.14.0", "3.13") and not holds("junk", "3")
    assert version_key("1.22.12") == (1, 22, 12)
    assert version_key("go1.26.8") == (1, 26, 8) and holds("go1.22.12", "1.22")  # Go's runner says go1.26.8


def test_a_version_builds_with_its_own_files_over_the_template(catalogue, tmp_path):
    rust = catalogue.languages["rust"]
    old, new = rust.at("1.51"), rust.at("1.54")
    assert old.overlay == rust.folder / "versions" / "1.51" and new.overlay is None
    assert tree_hash(old, "1.95.0", []) != tree_hash(new, "1.95.0", [])
    render_tree(old, [], tmp_path / "old")
    render_tree(new, [], tmp_path / "new")
    lock = 'name = "tokio"\nversion = "{}"'
    assert lock.format("1.51.6") in (tmp_path / "old" / "Cargo.lock").read_text()
    assert lock.format("1.54.1") in (tmp_path / "new" / "Cargo.lock").read_text()
    assert (tmp_path / "old" / "Cargo.toml").read_bytes() == (tmp_path / "new" / "Cargo.toml").read_bytes()


def test_a_version_runs_in_its_own_image(catalogue):
    go = catalogue.languages["go"]
    assert go.at("1.22").image == "golang:1.22-bookworm" and go.at("1.26").image == go.image
    assert go.at("1.22").key == "go@1.22" and go.key == "go"


# -- divergences qualified by version ------------------------------------------------------


def snippet(label: str = "python", requires=None, version=None) -> Snippet:
    language, _, variant = label.partition("/")
    return Snippet("demo", language, variant or None, Path("demo.py"), (), requires, version)


def scenario(*divergences: tuple[str, str, str, str]) -> Scenario:
    common = (Expected(0, "common", {}),)
    pinned = {
        f"{label}{op}{version}": Divergence(reason, (Expected(0, reason, {}),), label, op, version)
        for label, op, version, reason in divergences
    }
    return Scenario("one", {}, 1, False, common, pinned)


def test_a_qualified_divergence_holds_only_for_the_versions_it_names():
    sc = scenario(("python", ">=", "3.14", "new"))
    assert sc.expectation_for(snippet(), "3.14.8")[1].reason == "new"
    assert sc.expectation_for(snippet(), "3.13.5") == (sc.expect, None)
    assert sc.expectation_for(snippet(), None) == (sc.expect, None)  # a version unknown: only plain pins


def test_a_qualified_divergence_wins_over_the_plain_one_of_its_label():
    sc = scenario(("python", "", "", "always"), ("python", "<", "3.12", "old"))
    assert sc.expectation_for(snippet(), "3.11.2")[1].reason == "old"
    assert sc.expectation_for(snippet(), "3.13.5")[1].reason == "always"
    assert sc.expectation_for(snippet("python/other"), "3.11.2")[1] is None


def test_the_spec_refuses_a_qualifier_on_a_label_it_does_not_hold(tmp_path):
    from tests.test_spec import GOOD, problems

    text = GOOD + "    divergences:\n      go>=1.23: {reason: r, expect: [[0, x]]}\n"
    assert "divergence for 'go>=1.23', which has no snippet" in problems(tmp_path, text)
    text = GOOD + "    divergences:\n      python=>3: {reason: r, expect: [[0, x]]}\n"
    assert "python=>3" in problems(tmp_path, text)


def test_a_qualified_divergence_is_read_back_by_the_report_for_the_versions_it_holds_for():
    import jsonschema

    from harness.catalogue.schemas import schema
    from harness.outputs.report.semantics import divergence_rows, pin_in_force

    pins = {"go<1.23": {"reason": "old", "expect": [[0, "x", {}]]}, "go": {"reason": "always", "expect": []}}
    assert pin_in_force(pins, "go", "go1.22.12") == "go<1.23"
    assert pin_in_force(pins, "go", "go1.26.8") == "go"
    assert pin_in_force({"go<1.23": pins["go<1.23"]}, "go", "go1.26.8") is None
    assert pin_in_force(pins, "go/drain", "go1.22.12") is None
    assert pin_in_force(pins, "go", None) == "go"  # a version unknown: only plain pins

    # results.json keeps the spec's keys, and the semantics page shows each pin with a run it held in.
    keys = schema("results")["$defs"]["pin"]
    for key in ("go<1.23", "python/gather>=3.14", "java"):
        jsonschema.validate(key, keys)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("go=>1.23", keys)
    scenario = {"name": "one", "expect": [[0, "y", {}]], "divergences": {"go<1.23": pins["go<1.23"]}}
    pattern = {"id": "demo", "scenarios": [scenario]}

    def run(*versions: str) -> dict:
        named = {f"go@{v}": {"version": f"go{v}.1"} for v in versions}
        results = [
            {"pattern": "demo", "snippet": "go", "scenario": "one", "language": "go", "version": v, "outcome": "pass"}
            for v in versions
        ]
        return {"run": {"languages": named}, "results": results}

    (row,) = divergence_rows([pattern], run("1.22", "1.26"))
    assert (row["label"], row["snippet"], row["result"]["version"]) == ("go<1.23", "go", "1.22")
    (row,) = divergence_rows([pattern], run("1.26"))
    assert row["result"] is None  # not run at a version it holds for


# -- availability ---------------------------------------------------------------------------


def result(outcome: Outcome, message: str = "TypeError: x is not a function") -> ScenarioResult:
    sn = snippet("javascript", requires=("22", "it arrived in 22"), version="20")
    return ScenarioResult(outcome, sn, scenario(), None, Response(fault=Fault.RAISED), None, message)


def test_a_crash_below_the_required_version_is_shown_as_not_available():
    judged = availability(result(Outcome.CRASH), "20.20.2")
    assert judged.outcome is Outcome.UNAVAILABLE
    assert judged.message.startswith("not available before 22 (it arrived in 22); on 20.20.2: TypeError")


def test_a_pass_below_the_required_version_is_a_stale_pin():
    judged = availability(result(Outcome.PASS, ""), "20.20.2")
    assert judged.outcome is Outcome.FAIL and judged.stale
    assert "stale availability: javascript runs on 20.20.2, but" in judged.message


def test_a_wrong_trace_below_the_required_version_still_fails():
    judged = availability(result(Outcome.FAIL, "trace differs"), "20.20.2")
    assert judged.outcome is Outcome.FAIL and "it requires 22" in judged.message


def test_at_or_above_the_required_version_nothing_changes():
    for version in ("22.0.0", "26.12.1", None):
        assert availability(result(Outcome.CRASH), version).outcome is Outcome.CRASH


def test_labels_carry_the_version_a_run_named():
    assert at_version("python/gather", "3.14") == "python@3.14/gather" and at_version("go", None) == "go"
    assert snippet("python/gather", version="3.14").run_label == "python@3.14/gather"
    assert snippet("go", version="1.22").target == "go@1.22"


def test_a_run_of_local_and_image_versions_routes_each_to_its_runtime(catalogue):
    from types import SimpleNamespace

    from harness.runtimes.choice import Routed

    def runtime(name):
        return SimpleNamespace(
            notes=[f"{name} note"],
            describe=lambda lang: f"{name}: {lang.key}",
            image_of=lambda lang: None if name == "local" else f"image of {lang.key}",
            prepare=lambda lang, snippets, progress: f"{name} built {lang.key}",
            close=lambda: closed.append(name),
        )

    closed: list[str] = []
    routed = Routed(runtime("local"), runtime("docker"), ["python@3.14"])
    python, node = catalogue.target("python", "3.14"), catalogue.target("javascript", "20")
    assert routed.describe(python) == "docker: python@3.14" and routed.describe(node) == "local: javascript@20"
    assert routed.image_of(python) == "image of python@3.14" and routed.image_of(node) is None
    assert routed.prepare(node, [], print) == "local built javascript@20"
    assert routed.notes == ["local note", "docker note"]
    routed.close()
    assert closed == ["docker", "local"]


def test_the_docs_state_the_versions_a_snippet_was_verified_on(catalogue):
    from harness.outputs.docs.reference import verified

    def entry(version, outcome, label="javascript"):
        return {"pattern": "sync_async_bridge", "snippet": label, "version": version, "outcome": outcome}

    run = {
        "run": {"languages": {"javascript@20": {"version": "20.20.2"}, "javascript@22": {"version": "22.23.5"}}},
        "results": [
            entry("20", "not available"),
            entry("20", "not available"),
            entry("22", "pass"),
            entry("22", "pass"),
            entry("22", "fail", "javascript/module"),
        ],
    }
    plain = {"run": {"languages": {"javascript": {"version": "24.22.3"}}}, "results": [entry(None, "pass")]}
    snippet = catalogue.snippet("sync_async_bridge", "javascript", None)
    seen = verified(snippet, [run, plain])
    assert seen.passed == ("22.23.5", "24.22.3") and seen.unavailable == ("20.20.2",) and seen.failed == ()
    module = catalogue.snippet("sync_async_bridge", "javascript", "module")
    assert verified(module, [run]).failed == ("22.23.5",) and not verified(module, []).any


# -- divergences whose ticks are unsteady ---------------------------------------------------


def unsteady_scenario() -> Scenario:
    """Common: a beat at tick 1, then done at 2; pinned for python>=3.14, unsteady: both at once,
    as one run saw them at 5."""
    common = (Expected(1, "beat", {}), Expected(2, "done", {}))
    pinned = (Expected(5, "beat", {}), Expected(5, "done", {}))
    why = "the first submit blocks the loop while a process starts"
    divergence = Divergence(why, pinned, "python", ">=", "3.14", unsteady=True)
    return Scenario("one", {}, 6, False, common, {"python>=3.14": divergence})


def judged(events: list[tuple[float, str]], version: str = "3.14.8"):
    from harness.running.verdict import judge

    response = Response(events=[(t, ev, {}) for t, ev in events])
    return judge(snippet("python", version="3.14"), unsteady_scenario(), response, 100.0, 2.0, version)


@pytest.mark.parametrize("at", [(300.0, 310.0), (900.0, 910.0), (250.0, 2400.0)])
def test_an_unsteady_pin_holds_its_events_at_whichever_ticks_they_come(at):
    result = judged([(at[0], "beat"), (at[1], "done")])
    assert result.outcome is Outcome.PASS and not result.stale
    assert result.comparison.max_lateness_ms == 0.0  # nothing was due at a tick: the margin stays honest


def test_an_unsteady_pin_still_fails_on_an_event_missing_or_another_one():
    missing = judged([(300.0, "beat")])
    assert missing.outcome is Outcome.FAIL and "events differ from those pinned (at any ticks)" in missing.message
    other = judged([(300.0, "beat"), (310.0, "error")])
    assert other.outcome is Outcome.FAIL


def test_an_unsteady_pin_holds_on_a_machine_fast_enough_to_give_the_common_ticks():
    """Seen on CPython 3.14: a forkserver started in 70 ms blocks the loop within the tick. One run
    cannot tell such a pin stale; its events are still held."""
    result = judged([(105.0, "beat"), (205.0, "done")])
    assert result.outcome is Outcome.PASS and not result.stale


def test_an_unsteady_pin_applies_only_to_the_versions_it_names():
    assert judged([(300.0, "beat"), (310.0, "done")], version="3.13.5").outcome is Outcome.FAIL
    assert judged([(105.0, "beat"), (205.0, "done")], version="3.13.5").outcome is Outcome.PASS
