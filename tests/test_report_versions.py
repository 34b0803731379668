"""Reports of runs at several versions: results files merged into one report, each pattern's versions
grouped by trace, and the changelog of what changes from one version to the next.

The inputs are real runs' results, cut to the two patterns they ran (tests/versions_results/, with
the machine's paths taken out): `make test LANG=javascript@20,javascript@22
PATTERN=sync_async_bridge,timeout RUNTIME=local` (sync_async_bridge's javascript snippet needs Node.js
22, so on 20 it is not available) and `make test LANG=python,go` on the same patterns. Versions the
machine did not run are made by editing those: a copy of javascript@22's entries named 24 and 26,
one of 26's traces changed.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harness.outputs.merge import MergeError, merge_results, read_results
from harness.outputs.report import make_report
from harness.outputs.report.versions import changelog, pattern_versions, targets_by_language, trace_of
from harness.outputs.results import check_results, entry_key, entry_problems, load_results

REPO = Path(__file__).resolve().parents[1]
SAVED = Path(__file__).resolve().parent / "versions_results"
JS = SAVED / "javascript-20-22.json"  # javascript@20 and @22, sync_async_bridge and timeout
GO_PY = SAVED / "go-python.json"  # go and python, the same patterns, no version named
IDLE = ("not run", "not applicable")


def read(path: Path) -> dict:
    return load_results(path)


def write(doc: dict, path: Path) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def ran(doc: dict) -> dict[tuple[str, str, str], dict]:
    return {entry_key(e): e for e in doc["results"] if e["outcome"] not in IDLE}


def with_version(doc: dict, source: str, version: str, reported: str) -> dict:
    """`doc` with the entries of target `source` (`javascript@22`) copied as `language@version`, as
    if the run had named that version too and it had traced exactly the same."""
    language = source.partition("@")[0]
    target = f"{language}@{version}"
    doc = copy.deepcopy(doc)
    doc["run"]["selection"]["languages"].append(target)
    doc["run"]["languages"][target] = doc["run"]["languages"][source] | {
        "version": reported,
        "describe": f"node {reported}",
    }
    doc["run"]["margin"][target] = copy.deepcopy(doc["run"]["margin"][source])
    copies = [
        e | {"version": version}
        for e in copy.deepcopy(doc["results"])
        if e["language"] == language and e["version"] == source.partition("@")[2]
    ]
    doc["results"] += copies
    return doc


def entry(doc: dict, pattern: str, label: str, version: str | None, scenario: str) -> dict:
    (found,) = [
        e
        for e in doc["results"]
        if (e["pattern"], e["snippet"], e["version"], e["scenario"]) == (pattern, label, version, scenario)
    ]
    return found


@pytest.fixture
def four_versions() -> dict:
    """JavaScript at 20, 22, 24 and 26: 24 traced as 22 did; 26 too, but in timeout's exceeds_deadline
    the operation is no longer cancelled (it succeeds at tick 4, failing the scenario), and in
    within_deadline its events of tick 1 came the other way round (the scenario is not ordered)."""
    doc = with_version(with_version(read(JS), "javascript@22", "24", "24.22.3"), "javascript@22", "26", "26.12.1")
    late = entry(doc, "timeout", "javascript", "26", "exceeds_deadline")
    cancelled = next(o for o in late["observed"] if o["ev"] == "cancelled")
    late["observed"].remove(cancelled)
    late["observed"].append(
        {"t_ms": 401.2, "tick": 4, "ev": "succeed", "fields": {"op": "a", "value": 7}, "late_ms": 1.2}
    )
    late |= {"outcome": "fail", "message": "the trace differs from the spec's: cancelled a did not come", "report": "✗"}
    swapped = entry(doc, "timeout", "javascript", "26", "within_deadline")
    tick1 = [o for o in swapped["observed"] if o["tick"] == 1]
    assert len(tick1) == 2
    swapped["observed"] = [o for o in swapped["observed"] if o["tick"] != 1] + tick1[::-1]
    doc["run"]["exit_status"] = 1
    check_results(doc, "four_versions")
    return doc


# -- merging -------------------------------------------------------------------------------------


def test_two_real_runs_merge_into_one_run_that_passes_the_checks_of_a_results_file():
    js, go_py = read(JS), read(GO_PY)
    merged = merge_results([(JS, js), (GO_PY, go_py)])
    run = merged["run"]
    # Languages in the catalogue's order (that of the files' entries), a language's versions as they came.
    assert run["selection"] == {
        "languages": ["go", "javascript@20", "javascript@22", "python"],
        "patterns": ["sync_async_bridge", "timeout"],
    }
    assert list(run["languages"]) == list(run["margin"]) == run["selection"]["languages"]
    assert run["languages"]["javascript@20"]["version"] == "20.20.2" and run["languages"]["go"]["version"]
    assert run["runtime"] == "local" and run["commit"] == js["run"]["commit"]
    assert run["started"] == js["run"]["started"] and run["finished"] == go_py["run"]["finished"]
    assert run["exit_status"] == max(js["run"]["exit_status"], go_py["run"]["exit_status"])
    assert entry_problems(merged) == []
    check_results(merged, "merged")
    # Every cell that ran in either file, as it ran; nothing else ran.
    assert ran(merged) == ran(js) | ran(go_py)
    assert len(ran(merged)) == len(ran(js)) + len(ran(go_py)) == 14 + 8
    # A target no file ran as such leaves no entry (plain javascript: both files ran it at versions only,
    # or not at all); a language no file selected keeps its `not run` cells.
    languages = {(e["language"], e["version"]) for e in merged["results"]}
    assert ("javascript", None) not in languages and ("python", "20") not in languages
    assert {e["outcome"] for e in merged["results"] if e["language"] == "rust"} <= {"not run", "not applicable"}
    assert ("rust", None) in languages
    assert [(s["file"], s["targets"], s["scenarios"], s["left_out"]) for s in run["merged"]] == [
        (str(JS), ["javascript@20", "javascript@22"], 14, 0),
        (str(GO_PY), ["go", "python"], 8, 0),
    ]
    # The files' order decides only the order of versions and the list of sources.
    backwards = merge_results([(GO_PY, go_py), (JS, js)])
    assert {entry_key(e): e for e in backwards["results"]} == {entry_key(e): e for e in merged["results"]}


def test_a_run_split_by_pattern_merges_back_into_the_run(tmp_path):
    """The same targets, each file having run one pattern: the cells one file did not run come from
    the other, and the merge holds what the whole run held."""
    whole = read(JS)

    def only(pattern: str) -> dict:
        doc = copy.deepcopy(whole)
        doc["run"]["selection"]["patterns"] = [pattern]
        for e in doc["results"]:
            if e["pattern"] != pattern and e["outcome"] not in IDLE:
                e |= {"outcome": "not run", "observed": [], "message": "", "report": None, "stderr": []}
                e |= {"seconds": None, "max_lateness_ms": None, "truncated": False}
        return doc

    bridge, timeout = write(only("sync_async_bridge"), tmp_path / "a.json"), write(only("timeout"), tmp_path / "b.json")
    merged = read_results([bridge, timeout])
    assert ran(merged) == ran(whole)
    assert [e for e in merged["results"] if e["outcome"] in IDLE] == [
        e for e in whole["results"] if e["outcome"] in IDLE
    ]
    assert merged["run"]["selection"] == whole["run"]["selection"]
    assert [s["scenarios"] for s in merged["run"]["merged"]] == [8, 6]
    # Each target's margin over both files: the scenarios add up, the latest event is the later one.
    assert (
        merged["run"]["margin"]["javascript@20"]["scenarios"]
        == 2 * whole["run"]["margin"]["javascript@20"]["scenarios"]
    )


def test_a_local_and_a_docker_run_merge_as_local_plus_docker():
    go_py = read(GO_PY)
    go_py["run"]["runtime"] = "docker"
    merged = merge_results([(JS, read(JS)), (GO_PY, go_py)])
    assert merged["run"]["runtime"] == "local+docker"
    assert [s["runtime"] for s in merged["run"]["merged"]] == ["local", "docker"]


def test_files_of_another_commit_or_other_specs_are_refused_naming_both_unless_mixed_is_allowed(tmp_path):
    js = read(JS)
    other = read(GO_PY)
    other["run"]["commit"] = "0123456789abcdef0123456789abcdef01234567"
    other_path = write(other, tmp_path / "other-commit.json")
    with pytest.raises(MergeError) as caught:
        read_results([JS, other_path])
    message = str(caught.value)
    assert f"{JS} and {other_path} are runs of different commits: {js['run']['commit']} and 0123456789ab" in message
    assert "--allow-mixed" in message
    mixed = read_results([JS, other_path], allow_mixed=True)
    assert mixed["run"]["commit"] is None and [s["commit"] for s in mixed["run"]["merged"]][1].startswith("0123")

    respecced = read(GO_PY)
    respecced["patterns"][1]["scenarios"][0]["window"] += 1
    respecced_path = write(respecced, tmp_path / "other-specs.json")
    with pytest.raises(
        MergeError,
        match=re.escape(f"{JS} and {respecced_path} hold different specs: pattern timeout differs in scenarios"),
    ):
        read_results([JS, respecced_path])


def test_mixed_specs_merge_on_the_first_files_and_say_what_they_leave_out(tmp_path):
    """A scenario renamed in the second file: its entries there name no cell of the first file's
    specs, so they are left out (and counted); the cells it lacks are `not run`."""
    renamed = read(GO_PY)
    renamed["patterns"][1]["scenarios"][0]["name"] = "inside_deadline"
    for e in renamed["results"]:
        if (e["pattern"], e["scenario"]) == ("timeout", "within_deadline"):
            e["scenario"] = "inside_deadline"
    path = write(renamed, tmp_path / "renamed.json")
    with pytest.raises(MergeError, match="hold different specs"):
        read_results([JS, path])
    merged = read_results([JS, path], allow_mixed=True)
    assert [s["left_out"] for s in merged["run"]["merged"]] == [0, 2]  # go's and python's within_deadline
    assert entry(merged, "timeout", "go", None, "within_deadline")["outcome"] == "not run"
    assert not [e for e in merged["results"] if e["scenario"] == "inside_deadline"]


def test_a_cell_run_in_two_files_is_refused_naming_the_cell_and_both_files(tmp_path):
    again = write(read(JS), tmp_path / "again.json")
    with pytest.raises(MergeError) as caught:
        read_results([JS, again])
    lines = str(caught.value).splitlines()
    assert lines[0] == f"sync_async_bridge[javascript@20:both_succeed] ran in both {JS} and {again}"
    assert lines[10] == "... and 4 more cells" and "select them apart with LANG and PATTERN" in lines[-1]
    with pytest.raises(MergeError, match="named twice"):
        read_results([JS, SAVED / ".." / SAVED.name / JS.name])


def test_one_target_at_two_exact_versions_is_refused(tmp_path):
    """Two files that ran javascript@22 (each on its own pattern) at different patch releases."""
    whole = read(JS)
    first, second = copy.deepcopy(whole), copy.deepcopy(whole)
    for doc, pattern in ((first, "timeout"), (second, "sync_async_bridge")):
        for e in doc["results"]:
            if e["pattern"] == pattern and e["outcome"] not in IDLE:
                e |= {
                    "outcome": "not run",
                    "observed": [],
                    "message": "",
                    "report": None,
                    "stderr": [],
                    "seconds": None,
                }
                e["max_lateness_ms"] = None
    second["run"]["languages"]["javascript@22"]["version"] = "22.1.0"
    a, b = write(first, tmp_path / "a.json"), write(second, tmp_path / "b.json")
    with pytest.raises(
        MergeError, match=re.escape(f"{a} and {b} ran javascript@22 at different versions: 22.23.5 and 22.1.0")
    ):
        read_results([a, b])


def test_the_tool_takes_files_as_a_path_list_or_repeated_and_says_why_it_refuses(tmp_path):
    def report(*args: str) -> subprocess.CompletedProcess:
        argv = [sys.executable, "-m", "harness.tools.report", *args, "--out", str(tmp_path / "out")]
        return subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=120)

    listed = report(f"--results={JS}:{GO_PY}")
    assert listed.returncode == 0, listed.stderr
    assert f"from {JS}, {GO_PY}" in listed.stdout
    header = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    repeated = report("--results", str(JS), "--results", str(GO_PY))
    assert repeated.returncode == 0, repeated.stderr
    assert (tmp_path / "out" / "index.html").read_text(encoding="utf-8") == header
    globbed = report(f"--results={JS.parent}/*.json")  # a glob, as CI's downloaded slices are named
    assert globbed.returncode == 0, globbed.stderr
    assert f"from {GO_PY}, {JS}" in globbed.stdout  # its matches, sorted
    nothing = report(f"--results={tmp_path}/slices/*.json")
    assert nothing.returncode == 2 and "slices/*.json matches no file" in nothing.stderr
    assert "Traceback" not in nothing.stderr
    other = read(GO_PY)
    other["run"]["commit"] = None
    path = write(other, tmp_path / "nocommit.json")
    refused = report(f"--results={JS}:{path}")
    assert refused.returncode == 1 and f"report: {JS} and {path} are runs of different commits" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert report(f"--results={JS}:{path}", "--allow-mixed").returncode == 0


# -- the report of a merged run ------------------------------------------------------------------


class Links(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.ids: set[str] = set()
        self.repeated: list[str] = []
        self.links: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.repeated.append(attrs["id"])
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def text_of(html: str) -> str:
    """A page's words, tags and the SVG pictures left out, spaces folded."""
    html = re.sub(r"<svg\b.*?</svg>", " ", html, flags=re.S)
    html = re.sub(r"</?(?:li|p|div|tr|td|th|h\d|ul|ol|section|article|caption|table|header)\b[^>]*>", " ", html)
    html = re.sub(r"<[^>]+>", "", html)
    return " ".join(html.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&").split())


def rendered(folder: Path) -> dict[str, str]:
    pages = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.html")}
    parsed = {name: Links(html) for name, html in pages.items()}
    for name, page in parsed.items():  # every link of every page reaches a page and an anchor of it
        assert page.repeated == [], f"{name} repeats ids"
        for link in page.links:
            target, _, anchor = link.partition("#")
            target = target or name
            assert target in parsed, f"{name} links to {link}"
            assert not anchor or anchor in parsed[target].ids, f"{name} links to {link}: no such anchor"
    return pages


@pytest.fixture(scope="module")
def merged_report(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("merged")
    make_report([JS, GO_PY], out / "report", REPO)
    return rendered(out / "report")


def test_the_header_names_each_file_merged_and_what_it_contributed(merged_report):
    for name in ("index.html", "changelog.html", "pattern-timeout.html"):
        header = text_of(re.search(r'<header class="merged".*?</header>', merged_report[name], re.S).group(0))
        assert header.startswith("Merged from 2 results files:")
        assert f"{JS}: javascript@20, javascript@22 · 14 scenarios run · local" in header
        assert f"{GO_PY}: go, python · 8 scenarios run · local" in header
    assert '<a href="changelog.html">Changelog</a>' in merged_report["index.html"]
    # The matrix has a column per target of both files.
    heads = re.findall(r'<th scope="col" data-language="([^"]+)">', merged_report["index.html"])
    assert heads[:4] == ["go", "javascript@20", "javascript@22", "python"]


def test_each_pattern_page_groups_a_languages_versions_by_trace(merged_report):
    bridge = merged_report["pattern-sync_async_bridge.html"]
    section = re.search(r'<section class="versions" id="versions-javascript">.*?</section>', bridge, re.S).group(0)
    rows = re.findall(r'<table class="versions" data-snippet="([^"]+)">.*?</table>', section, re.S)
    assert rows == ["javascript", "javascript/module"]
    tables = {label: text_of(t) for label, t in re.findall(r'data-snippet="([^"]+)">(.*?)</table>', section, re.S)}
    assert "differs between versions in 2 of 2 scenarios" in tables["javascript"]
    assert "both_succeed 20: not available · 22: pass" in tables["javascript"]
    assert "one_fails 20: not available · 22: pass (pinned)" in tables["javascript"]
    assert "the same trace on every version that ran it" in tables["javascript/module"]
    assert "both_succeed 20, 22: pass" in tables["javascript/module"]
    # A group's reason on hover: what the snippet requires.
    assert (
        'title="requires 22: Promise.withResolvers arrived in Node.js 22; on 20 the call throws a TypeError"' in section
    )
    # Languages run at one version have no such table.
    assert 'id="versions-python"' not in bridge and 'id="versions-go"' not in bridge
    timeout = text_of(merged_report["pattern-timeout.html"])
    assert "within_deadline 20, 22: pass" in timeout and "exceeds_deadline 20, 22: pass" in timeout


def test_the_changelog_lists_each_change_with_both_traces_and_the_requirement(merged_report):
    page = merged_report["changelog.html"]
    words = text_of(page)
    assert "javascript 20, 22: 2 changes in 7 scenarios" in words
    changes = re.findall(r'<article class="step-change change-(\w+)" id="([^"]+)"[^>]*>(.*?)</article>', page, re.S)
    assert [(what, anchor) for what, anchor, _ in changes] == [
        ("availability", "ch-javascript-20-22-sync-async-bridge-javascript-both-succeed"),
        ("availability", "ch-javascript-20-22-sync-async-bridge-javascript-one-fails"),
    ]
    body = text_of(changes[0][2])
    assert "both_succeed: 20: not available → 22: pass" in body
    assert "20: not available: requires 22: Promise.withResolvers arrived in Node.js 22" in body
    # Both traces: 20's single start, 22's whole trace with what 20 lacked marked.
    assert "javascript 20 (not available) tick 0 start c javascript 22 (pass) tick 0 start c tick 0 + start a" in body
    assert "tick 2 + result 3" in body
    svg = re.search(r"<svg\b.*?</svg>", changes[0][2], re.S).group(0)
    assert re.findall(r'data-label="([^"]+)"', svg) == ["javascript 20", "javascript 22"]
    assert 'href="pattern-sync_async_bridge.html#sc-both-succeed"' in changes[0][2]


def test_four_versions_group_and_log_where_the_trace_changes(four_versions, tmp_path):
    by_language = targets_by_language(four_versions)
    assert [t.shown for t in by_language["javascript"]] == ["20", "22", "24", "26"]
    timeout = next(p for p in four_versions["patterns"] if p["id"] == "timeout")
    (js,) = pattern_versions(four_versions, timeout)
    (table,) = js.snippets
    groups = {row.scenario: [(g.versions, g.word) for g in row.groups] for row in table.rows}
    assert groups == {
        "within_deadline": [("20, 22, 24, 26", "pass")],  # 26's swapped tick is the same trace
        "exceeds_deadline": [("20, 22, 24", "pass"), ("26", "fail")],
        "failure_inside_deadline": [("20, 22, 24, 26", "pass")],
    }
    (log,) = changelog(four_versions)
    assert (log.language, log.versions, log.compared, log.changes) == ("javascript", "20, 22, 24, 26", 7, 3)
    steps = [
        (s.before.shown, s.after.shown, [(c.label, c.scenario["name"], c.what) for c in s.changes]) for s in log.steps
    ]
    assert steps == [
        ("20", "22", [("javascript", "both_succeed", "availability"), ("javascript", "one_fails", "availability")]),
        ("22", "24", []),
        ("24", "26", [("javascript", "exceeds_deadline", "outcome")]),
    ]
    (late,) = log.steps[2].changes
    assert late.reasons == (("26", "fail: the trace differs from the spec's: cancelled a did not come"),)
    old, new = late.traces
    assert [(line.tick, line.text, line.only) for line in old if line.only] == [(2, "cancelled a", True)]
    assert [(line.tick, line.text, line.only) for line in new if line.only] == [(4, "succeed a 7", True)]

    pages = rendered(make_report(write(four_versions, tmp_path / "four.json"), tmp_path / "report").parent)
    words = text_of(pages["changelog.html"])
    assert "javascript 20, 22, 24, 26: 3 changes in 7 scenarios" in words
    assert "22 → 24 no change" in words and "24 → 26 1 change" in words
    assert "exceeds_deadline 20, 22, 24: pass · 26: fail" in text_of(pages["pattern-timeout.html"])


def test_an_ordered_scenario_tells_events_of_one_tick_apart_by_order(four_versions):
    timeout = next(p for p in four_versions["patterns"] if p["id"] == "timeout")
    swapped = entry(four_versions, "timeout", "javascript", "26", "within_deadline")
    same = entry(four_versions, "timeout", "javascript", "24", "within_deadline")
    within = next(s for s in timeout["scenarios"] if s["name"] == "within_deadline")
    assert trace_of(swapped, {**within, "ordered": False}) == trace_of(same, {**within, "ordered": False})
    assert trace_of(swapped, {**within, "ordered": True}) != trace_of(same, {**within, "ordered": True})
    within["ordered"] = True
    (log,) = changelog(four_versions)
    assert [(c.scenario["name"], c.what) for c in log.steps[2].changes] == [
        ("within_deadline", "trace"),
        ("exceeds_deadline", "outcome"),
    ]


def test_versions_that_each_gave_one_trace_of_a_choice_agree(four_versions):
    """A random choice (Go's select, an unbiased select!) may come out one way on one version and the
    other way on the next: both hold to the spec's expect_one_of, so that is no change of the
    version; a version that gives neither is one."""
    timeout = next(p for p in four_versions["patterns"] if p["id"] == "timeout")
    within = next(s for s in timeout["scenarios"] if s["name"] == "within_deadline")
    given = entry(four_versions, "timeout", "javascript", "22", "within_deadline")
    other = entry(four_versions, "timeout", "javascript", "24", "within_deadline")
    other["observed"] = [o | {"tick": o["tick"] + 1} if o["tick"] == 1 else o for o in other["observed"]]
    shifted = [[tick + (tick == 1), ev, fields] for tick, ev, fields in within["expect"]]
    within["expect_one_of"] = [within["expect"], shifted]
    (log,) = changelog(four_versions)
    timeouts = [c for step in log.steps for c in step.changes if c.pattern["id"] == "timeout"]
    assert [c.scenario["name"] for c in timeouts] == ["exceeds_deadline"]
    assert given["observed"] != other["observed"]

    other["outcome"], other["message"] = "fail", "the trace differs from each trace of the choice"
    (log,) = changelog(four_versions)
    timeouts = [c for step in log.steps for c in step.changes if c.pattern["id"] == "timeout"]
    assert sorted((c.before.shown, c.after.shown, c.scenario["name"]) for c in timeouts) == [
        ("22", "24", "within_deadline"),
        ("24", "26", "exceeds_deadline"),
        ("24", "26", "within_deadline"),
    ]


def test_versions_whose_processes_ended_otherwise_differ_though_their_events_agree(four_versions, tmp_path):
    """A scenario run alone is compared by how its process ended too: 24 and 26 both fail it with the
    same events, but 26's process printed a warning 24's did not; that is a change of its own kind,
    with both endings shown. The same ending on both is none."""
    timeout = next(p for p in four_versions["patterns"] if p["id"] == "timeout")
    within = next(s for s in timeout["scenarios"] if s["name"] == "within_deadline")
    pinned = {"exit": 1, "printed": ["traceback"]}
    within |= {"alone": True, "ending": pinned}
    for version in ("20", "22", "24", "26"):
        ran_alone = entry(four_versions, "timeout", "javascript", version, "within_deadline")
        ran_alone["ending"] = {"pinned": pinned, "observed": pinned, "problem": ""}
    for version, printed in (("24", []), ("26", ["warning"])):
        failed = entry(four_versions, "timeout", "javascript", version, "within_deadline")
        failed["ending"] |= {"observed": {"exit": 0, "printed": printed}, "problem": "the process ended otherwise"}
        failed |= {"outcome": "fail", "message": "the process ended otherwise: exit 0", "report": "✗"}

    (log,) = changelog(four_versions)
    changes = {(s.before.shown, s.after.shown): [(c.scenario["name"], c.what) for c in s.changes] for s in log.steps}
    assert changes["22", "24"] == [("within_deadline", "outcome")]
    assert changes["24", "26"] == [("within_deadline", "ending"), ("exceeds_deadline", "outcome")]
    ending = log.steps[2].changes[0]
    assert ending.endings == ("exit 0, printed []", "exit 0, printed [warning]")
    assert ending.traces[0] and not any(line.only for lines in ending.traces for line in lines)

    pages = rendered(make_report(write(four_versions, tmp_path / "alone.json"), tmp_path / "report").parent)
    page = pages["changelog.html"]
    (article,) = re.findall(r'<article class="step-change change-ending"[^>]*>(.*?)</article>', page, re.S)
    words = text_of(article)
    assert "javascript 24 (fail)" in words and "the process ended: + exit 0, printed []" in words
    assert "the process ended: + exit 0, printed [warning]" in words
    assert "within_deadline 20, 22: pass · 24: fail · 26: fail" in text_of(pages["pattern-timeout.html"])

    entry(four_versions, "timeout", "javascript", "26", "within_deadline")["ending"]["observed"]["printed"] = []
    (log,) = changelog(four_versions)
    assert [c.scenario["name"] for c in log.steps[2].changes] == ["exceeds_deadline"]


def test_a_language_whose_versions_agree_is_said_to_have_no_change(tmp_path):
    js = read(JS)
    same = with_version(js, "javascript@22", "24", "24.22.3")
    same["run"]["selection"]["languages"].remove("javascript@20")
    del same["run"]["languages"]["javascript@20"], same["run"]["margin"]["javascript@20"]
    same["results"] = [e for e in same["results"] if e["version"] != "20"]
    pages = rendered(make_report(write(same, tmp_path / "same.json"), tmp_path / "report").parent)
    assert "javascript 22, 24: no change in 7 scenarios" in text_of(pages["changelog.html"])
    assert "<article" not in pages["changelog.html"]


def test_a_plain_run_renders_as_before_with_nothing_to_compare(tmp_path):
    pages = rendered(make_report(GO_PY, tmp_path / "report", REPO).parent)
    assert '<header class="merged"' not in pages["index.html"]
    assert all('id="versions"' not in html for name, html in pages.items() if name.startswith("pattern-"))
    assert "This run named no language at more than one version" in text_of(pages["changelog.html"])
    assert len(re.findall(r'<li class="cell state-pass"', pages["index.html"])) == 3  # go timeout, python both


def test_the_changelog_escapes_what_a_snippet_traced_and_spec_text(four_versions, tmp_path):
    late = entry(four_versions, "timeout", "javascript", "26", "exceeds_deadline")
    late["observed"][-1] |= {"ev": "<b>bold</b>\x1b[31m", "fields": {"op": "<i>\x00"}}
    late["message"] = "<script>alert(1)</script>\x07 differs"
    page = rendered(make_report(write(four_versions, tmp_path / "hostile.json"), tmp_path / "report").parent)[
        "changelog.html"
    ]
    assert "<b>bold</b>" not in page and "<script>" not in page and "<i>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;\\x1b[31m" in page and "&lt;script&gt;alert(1)&lt;/script&gt;\\x07 differs" in page
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", page)
    for svg in re.findall(r"<svg\b.*?</svg>", page, re.S):
        ET.fromstring(svg)  # well-formed


def test_the_questions_page_answers_each_target_from_its_own_results(merged_report):
    """A column per target, as the matrix has: javascript@22 answers from javascript@22's cells."""
    page = merged_report["differ.html"]
    question = re.search(r'id="q-timeout-stops-work".*?</section>', page, re.S).group(0)
    for target in ("javascript@20", "javascript@22", "go", "python"):
        cell = re.search(rf'<th scope="row">{re.escape(target)}</th>.*?</tr>', question, re.S)
        assert cell is not None, f"no answer for {target}"
        assert "held in this run" in cell.group(0), (target, text_of(cell.group(0)))
