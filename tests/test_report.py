"""The HTML report, rendered from results documents: what each page shows must follow from the data."""

from __future__ import annotations

import copy
import functools
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from harness.base.errors import SpecError
from harness.catalogue import Catalogue
from harness.catalogue.languages import load_languages
from harness.catalogue.regions import read_region
from harness.catalogue.schemas import schema
from harness.catalogue.spec import CATEGORIES, QUALIFIED, load_pattern
from harness.outputs.report import make_report, view
from harness.outputs.report.questions import QUESTIONS_FILE, answered, known_patterns, load_questions
from harness.outputs.report.semantics import pin_in_force, topics
from harness.outputs.timeline import MAX_STACK, Event, Lane, short_label, timeline_svg

REPO = Path(__file__).resolve().parents[1]
TICK_MS = 50.0
VERSION = "1.0"  # what every runner of results_from_specs reports


def results_from_specs(failing: tuple[str, str, str] | None = None, not_run: str | None = None) -> dict:
    """A fresh copy of `_results_from_specs(...)`, which tests may change."""
    return copy.deepcopy(_results_from_specs(failing, not_run))


@functools.cache
def _results_from_specs(failing: tuple[str, str, str] | None, not_run: str | None) -> dict:
    """A results document for the repository's real specs, as if every snippet produced its expected
    trace (each event a few ms into its tick), except `failing` (pattern, label, scenario), whose
    last expected event never came, and language `not_run`, which was not selected."""
    languages = list(load_languages(REPO / "languages"))
    patterns, results = [], []
    for path in sorted((REPO / "patterns").glob("*/pattern.yaml")):
        pattern = load_pattern(path, languages)
        patterns.append(
            {
                "id": pattern.id,
                "title": pattern.title,
                "category": pattern.category,
                "summary": pattern.summary,
                "observes": list(pattern.observes),
                "file": path.relative_to(REPO).as_posix(),
                "not_applicable": pattern.not_applicable,
                "snippets": [
                    {
                        "label": s.label,
                        "language": s.language,
                        "variant": s.variant,
                        "file": s.file.relative_to(REPO).as_posix(),
                        "uses": list(s.uses),
                        "loads": [file.relative_to(REPO).as_posix() for file in s.files],
                        "region": read_region(s.file).text,
                        "region_lines": [read_region(s.file).first_line, read_region(s.file).last_line],
                    }
                    for s in pattern.snippets
                ],
                "scenarios": [
                    {
                        "name": sc.name,
                        "input": sc.input,
                        "window": sc.window,
                        "ordered": sc.ordered,
                        "expect": [[e.tick, e.ev, e.fields] for e in sc.expect],
                        "divergences": {
                            label: {"reason": d.reason, "expect": [[e.tick, e.ev, e.fields] for e in d.expect]}
                            for label, d in sc.divergences.items()
                        },
                        "shapes": {key: list(pin.shapes) for key, pin in sc.shapes.items()},
                    }
                    for sc in pattern.scenarios
                ],
            }
        )
        for language in languages:
            for scenario in pattern.scenarios:
                if language in pattern.not_applicable:
                    results.append(
                        _entry(pattern.id, scenario.name, language, language, "not applicable", [], None)
                        | {"message": pattern.not_applicable[language]}
                    )
            for snippet in (s for s in pattern.snippets if s.language == language):
                for scenario in pattern.scenarios:
                    expected, divergence = scenario.expectation_for(snippet, VERSION)
                    events = [[e.tick, e.ev, e.fields] for e in expected]
                    outcome = "not run" if language == not_run else "pass"
                    observed = [] if outcome == "not run" else events
                    if failing == (pattern.id, snippet.label, scenario.name):
                        outcome, observed = "fail", events[:-1]
                    entry = _entry(pattern.id, scenario.name, snippet.label, language, outcome, observed, divergence)
                    entry |= {"variant": snippet.variant, "expected": events}
                    pin = scenario.shape_for(snippet, VERSION)
                    if pin is not None:  # it reported the shape pinned for it
                        shapes = None if outcome == "not run" else list(pin.shapes)
                        entry["shapes"] = {
                            "key": pin.key,
                            "pinned": list(pin.shapes),
                            "observed": shapes,
                            "problem": "",
                        }
                    if outcome == "fail":
                        entry |= {"message": "the trace differs", "report": "✗ an event is missing"}
                    results.append(entry)
    return {
        "schema": 1,
        "run": {
            "started": "2026-01-05T10:00:00.000+00:00",
            "finished": "2026-01-05T10:00:30.000+00:00",
            "runtime": "local",
            "tick_ms": TICK_MS,
            "early_ms": 2.0,
            "jobs": 1,
            "spread": "serial",
            "commit": None,
            "exit_status": 1 if failing else 0,
            "selection": {"languages": [x for x in languages if x != not_run], "patterns": []},
            "languages": {
                x: {"title": x, "version": VERSION, "image": None, "describe": f"{x} {VERSION}"} for x in languages
            },
            "margin": _margin(results),
        },
        "patterns": patterns,
        "results": results,
    }


def _margin(results: list[dict]) -> dict:
    """The run's summary per language that ran, as the terminal gives it."""
    margin: dict[str, dict] = {}
    for r in results:
        if r["outcome"] in ("not run", "not applicable"):
            continue
        m = margin.setdefault(
            r["language"], {"passed": 0, "scenarios": 0, "max_lateness_ms": 0.0, "worst": "", "build": "cached"}
        )
        m["scenarios"] += 1
        m["passed"] += r["outcome"] == "pass"
        if (r["max_lateness_ms"] or 0.0) > m["max_lateness_ms"]:
            m["max_lateness_ms"], m["worst"] = r["max_lateness_ms"], f"{r['pattern']}[{r['snippet']}:{r['scenario']}]"
    return margin


def _entry(pattern, scenario, label, language, outcome, observed, divergence) -> dict:
    # Each event a little later into its tick than the one before: 1.5, 3.0, 4.5 ms...
    events = [
        {"t_ms": tick * TICK_MS + 1.5 * (i + 1), "tick": tick, "ev": ev, "fields": fields, "late_ms": 1.5 * (i + 1)}
        for i, (tick, ev, fields) in enumerate(observed)
    ]
    return {
        "pattern": pattern,
        "scenario": scenario,
        "snippet": label,
        "language": language,
        "variant": None,
        "outcome": outcome,
        "divergence": {"reason": divergence.reason, "stale": False} if divergence else None,
        "expected": [],
        "observed": events,
        "max_lateness_ms": max((e["late_ms"] for e in events), default=None) if outcome == "pass" else None,
        "message": "",
        "report": None,
        "stderr": [],
        "truncated": False,
        "seconds": None if outcome == "not run" else 0.1,
    }


class Page(HTMLParser):
    """What the tests look at in a page: elements by id, links, matrix cells, svg marks."""

    def __init__(self, path: Path):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.sources: list[str] = []
        self.cells: list[dict] = []
        self.marks: list[dict] = []
        self.lanes: list[str] = []
        self.text: list[str] = []
        self._open: list[dict] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
            if self.cells and self.cells[-1].get("open"):
                self.cells[-1]["href"] = attrs["href"]
        if tag in ("link", "script", "img"):
            self.sources.append(attrs.get("href") or attrs.get("src") or "")
        state = re.search(r"\bstate-([a-z-]+)", attrs.get("class") or "")
        if state and tag in ("td", "li") and "cell" in attrs["class"].split():
            self.cells.append(
                {
                    "state": state.group(1),
                    "title": attrs.get("title", ""),
                    "href": None,
                    "open": True,
                    "snippet": attrs.get("data-snippet"),
                }
            )
        if tag == "g" and attrs.get("class") == "lane":
            self.lanes.append(attrs["data-status"])
        if tag == "g" and attrs.get("class") == "mark":
            self.marks.append({"kind": attrs["data-kind"], "title": ""})
            self._open.append(self.marks[-1])

    def handle_endtag(self, tag):
        if tag in ("td", "li") and self.cells:
            self.cells[-1]["open"] = False

    def handle_data(self, data):
        self.text.append(data)
        if self._open and self.lasttag == "title":
            self._open.pop()["title"] = data


def _render(doc: dict, folder: Path) -> Path:
    """The report of `doc` (written as a results file in `folder`); returns the report's folder."""
    path = folder / "results.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return make_report(path, folder / "report").parent


@pytest.fixture
def report(tmp_path):
    """Renders a results document into this test's folder."""
    return lambda doc: _render(doc, tmp_path)


@pytest.fixture(scope="module")
def typical(tmp_path_factory) -> tuple[dict, Path]:
    """A run with one failure (timeout, go, exceeds_deadline) and rust not run, rendered once:
    (the results document, the report's folder). Tests read it and change nothing."""
    doc = results_from_specs(("timeout", "go", "exceeds_deadline"), not_run="rust")
    return doc, _render(doc, tmp_path_factory.mktemp("typical"))


def test_the_fixture_follows_the_results_schema():
    doc = results_from_specs(("timeout", "go", "exceeds_deadline"), not_run="rust")
    jsonschema.Draft202012Validator(schema("results")).validate(doc)


def test_matrix_cells_follow_the_outcomes(typical):
    doc, folder = typical
    cells = Page(folder / "index.html").cells
    languages = list(doc["run"]["languages"])
    # An entry per snippet inside its language's cell; one for a language the pattern does not apply to.
    expected = sum(
        1 if language in p["not_applicable"] else sum(s["language"] == language for s in p["snippets"])
        for p in doc["patterns"]
        for language in languages
    )
    assert len(cells) == expected
    ran = [c for c in cells if c["state"] != "not-applicable"]
    assert sorted(c["snippet"] for c in ran) == sorted(s["label"] for p in doc["patterns"] for s in p["snippets"])
    pinned = {  # (pattern, snippet label) of every pin the fixture's runs are held to
        (p["id"], QUALIFIED.match(key)["label"])
        for p in doc["patterns"]
        for sc in p["scenarios"]
        for key in sc["divergences"]
        if pin_in_force(sc["divergences"], QUALIFIED.match(key)["label"], VERSION) == key
    }
    fail = [c for c in cells if c["state"] == "fail"]
    assert len(fail) == 1 and "exceeds_deadline: fail" in fail[0]["title"]
    assert fail[0]["href"] == "pattern-timeout.html#sc-exceeds-deadline"
    divergent = [c for c in cells if c["state"] == "divergent"]
    assert len(divergent) == len({(p, label) for p, label in pinned if label.split("/")[0] != "rust"})
    assert all("pinned divergence" in c["title"] for c in divergent)
    not_run = [c for c in cells if c["state"] == "not-run"]
    assert len(not_run) == sum(1 for p in doc["patterns"] for s in p["snippets"] if s["language"] == "rust")
    na = [c for c in cells if c["state"] == "not-applicable"]
    # a language that does not apply fills its cell once (for its variants too), with the reason
    declared = [
        p["not_applicable"][language]
        for p in doc["patterns"]
        for language in languages
        if language in p["not_applicable"]
    ]
    assert sorted(c["title"] for c in na) == sorted(f"not applicable: {reason}" for reason in declared)


def test_matrix_rows_follow_the_catalogue_sections(typical):
    doc, folder = typical
    html = (folder / "index.html").read_text()
    sections = re.findall(r'<tr class="section"><th [^>]*>([^<]+)</th>', html)
    assert sections == [c for c in CATEGORIES if any(p["category"] == c for p in doc["patterns"])]
    titles = re.findall(r'<th scope="row"><a href="pattern-([a-z0-9_]+)\.html">', html)
    category = {p["id"]: p["category"] for p in doc["patterns"]}
    assert sorted(titles) == sorted(category)
    assert [CATEGORIES.index(category[t]) for t in titles] == sorted(CATEGORIES.index(category[t]) for t in titles)


def test_every_link_resolves_and_nothing_is_fetched(typical):
    _, folder = typical
    pages = {p.name: Page(p) for p in folder.glob("*.html")}
    for name, page in pages.items():
        for link in page.links:
            target, _, anchor = link.partition("#")
            target = target or name
            assert target in pages, f"{name} links to {link}"
            assert not anchor or anchor in pages[target].ids, f"{name} links to {link}: no such anchor"
        for source in page.sources:
            assert (folder / source).is_file(), f"{name} loads {source}, not in the report's folder"


def test_timeline_lanes_and_failure_overlay(typical):
    doc, folder = typical
    page = Page(folder / "pattern-timeout.html")
    pattern = next(p for p in doc["patterns"] if p["id"] == "timeout")
    assert page.lanes.count("expected") == len(pattern["scenarios"])
    assert page.lanes[0] == "expected"
    # The failed lane lacks its last expected event: one dashed `missing` mark, nothing extra.
    assert [m["kind"] for m in page.marks].count("missing") == 1
    assert "extra" not in [m["kind"] for m in page.marks]
    java = next(r for r in doc["results"] if r["pattern"] == "timeout" and r["snippet"] == "java" and r["divergence"])
    assert "divergent" in page.lanes and java["divergence"]["reason"] in "".join(page.text)
    # Hovering an observed mark gives its raw milliseconds.
    first = java["observed"][0]
    assert any(f"{first['t_ms']:.1f} ms" in m["title"] for m in page.marks)


def test_code_panels_show_every_region_highlighted(typical):
    doc, folder = typical
    for pattern in doc["patterns"]:
        html = (folder / f"pattern-{pattern['id']}.html").read_text()
        panels = re.findall(r'<section class="code-panel" id="([^"]+)">', html)
        assert len(panels) == len(pattern["snippets"])
        assert html.count('<div class="hl">') == len(pattern["snippets"])
        for snippet in pattern["snippets"]:
            first_word = re.search(r"\w+", snippet["region"]).group(0)
            assert first_word in html


def test_semantics_lists_every_divergence_once_with_what_this_run_saw(report):
    doc = results_from_specs(not_run="java")
    html = (report(doc) / "semantics.html").read_text()
    declared = [(p["id"], label) for p in doc["patterns"] for sc in p["scenarios"] for label in sc["divergences"]]
    assert html.count("<tr>\n  <td>") == len(declared)
    # a pin qualified by versions is held only where the version the run reported (VERSION) is one of them
    in_force = [
        key == pin_in_force(sc["divergences"], QUALIFIED.match(key)["label"], VERSION)
        for p in doc["patterns"]
        for sc in p["scenarios"]
        for key in sc["divergences"]
    ]
    held = sum(1 for (_, label), now in zip(declared, in_force) if now and label.split("/")[0] != "java")
    assert html.count('state-divergent">held') == held
    assert html.count('state-not-run">not run') == len(declared) - held


def test_primitives_page_shows_the_coverage_of_the_checkout(tmp_path):
    from harness.catalogue import Catalogue
    from harness.outputs.coverage import compute_coverage

    path = tmp_path / "results.json"
    path.write_text(json.dumps(results_from_specs(("timeout", "go", "exceeds_deadline"))))
    page = (make_report(path, tmp_path / "report", REPO).parent / "primitives.html").read_text()
    coverage = compute_coverage(Catalogue(REPO), path)
    for lang in coverage.languages:
        for entry in lang.entries:
            assert f'<code>{escape(entry.name)}</code></th><td class="cell' in page
    failing = [e for e in coverage.entries() if e.status == "failing"]
    assert page.count('">failing</td>') == len(failing)


@pytest.mark.parametrize(
    ("spec", "pinned", "expected"),
    [
        ([[1, "error", {"error": "a"}]], [[1, "error", {"error": "b"}]], ["outcome"]),
        ([[1, "cancelled", {"op": "a"}]], [[3, "succeed", {"op": "a"}]], ["cancellation", "effects"]),
        ([[1, "error", {"error": "a"}]], [[3, "error", {"error": "a"}]], ["timing"]),
        (
            [[1, "start", {"op": "a"}], [1, "start", {"op": "b"}]],
            [[1, "start", {"op": "b"}], [1, "start", {"op": "a"}]],
            ["ordering"],
        ),
    ],
)
def test_divergence_topics(spec, pinned, expected):
    assert topics(spec, pinned) == expected


def test_timeline_overlay_marks_missing_and_extra():
    expected = [Event(0, "start", {"op": "a"}), Event(2, "cancelled", {"op": "a"})]
    observed = [Event(0, "start", {"op": "a"}, 0.8), Event(4, "succeed", {"op": "a", "value": 7}, 201.3)]
    svg = timeline_svg([Lane("go", observed, "fail", "differs", expected)], window=5, tick_ms=50)
    kinds = re.findall(r'data-kind="(\w+)"', svg)
    assert sorted(kinds) == ["extra", "missing", "ok"]
    assert "201.3 ms" in svg and "window closes (tick 5, 250 ms)" in svg


def test_bad_results_files_get_clear_errors(tmp_path):
    def run(path: Path) -> subprocess.CompletedProcess:
        argv = [sys.executable, "-m", "harness.tools.report", "--results", str(path), "--out", str(tmp_path / "out")]
        return subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=60)

    missing = run(tmp_path / "nothing.json")
    assert missing.returncode == 1 and "nothing.json: no results file; run `make test`" in missing.stderr
    cut = tmp_path / "cut.json"
    cut.write_text('{"schema": 1,\n "run": {')
    assert "cut.json:2:10: not JSON" in run(cut).stderr
    wrong = tmp_path / "wrong.json"
    doc = copy.deepcopy(results_from_specs())
    doc["results"][3]["outcome"] = "maybe"
    wrong.write_text(json.dumps(doc))
    out = run(wrong)
    assert out.returncode == 1 and "at /results/3/outcome: 'maybe' is not one of" in out.stderr
    binary = tmp_path / "binary.json"
    binary.write_bytes(b'{"schema": \xff}')
    assert "binary.json: byte 11 is not UTF-8" in run(binary).stderr
    assert "Traceback" not in missing.stderr + out.stderr


def test_pages_of_patterns_gone_from_the_run_are_removed(report):
    doc = results_from_specs()
    folder = report(doc)
    gone = doc["patterns"].pop()["id"]
    doc["results"] = [r for r in doc["results"] if r["pattern"] != gone]
    assert (folder / f"pattern-{gone}.html").is_file()
    report(doc)
    assert not (folder / f"pattern-{gone}.html").exists()
    assert len(list(folder.glob("pattern-*.html"))) == len(doc["patterns"])


def test_cli_prints_the_index_last(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results_from_specs()))
    argv = [sys.executable, "-m", "harness.tools.report", "--results", str(path), "--out", str(tmp_path / "r")]
    out = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.splitlines()[-1] == str((tmp_path / "r" / "index.html").resolve())


def test_mark_labels_read_alike_whatever_order_the_fields_came_in():
    assert (
        short_label("fail", {"error": "y", "op": "b"}) == short_label("fail", {"op": "b", "error": "y"}) == "fail b y"
    )


def test_margin_table_gives_each_language_its_share_of_the_tick(typical):
    doc, folder = typical
    html = (folder / "index.html").read_text()
    table = html[html.index('<table class="margin">') : html.index("</table>", html.index('<table class="margin">'))]
    assert table.count('<th scope="row">') == len(doc["run"]["margin"]) == len(doc["run"]["languages"]) - 1
    for language, margin in doc["run"]["margin"].items():
        share = margin["max_lateness_ms"] / TICK_MS * 100
        assert f'<th scope="row">{language}</th>' in table
        assert f"{margin['max_lateness_ms']:.1f} ms" in table and f"{share:.0f} %" in table
        assert margin["worst"] in table


def test_stale_divergence_and_cut_output_are_flagged(report):
    doc = results_from_specs()
    stale = next(r for r in doc["results"] if r["divergence"])
    stale |= {"outcome": "fail", "message": "the divergence is stale", "truncated": True}
    stale["divergence"]["stale"] = True
    folder = report(doc)
    cell = next(c for c in Page(folder / "index.html").cells if c["state"] == "fail")
    assert f"{stale['scenario']}: fail (stale divergence)" in cell["title"]
    html = (folder / f"pattern-{stale['pattern']}.html").read_text()
    assert html.count("stale: the language no longer behaves this way") == 1
    assert html.count("output was cut") == 1


def test_compact_timeline_is_smaller_and_shows_the_same_marks():
    lanes = [Lane("expected", [Event(0, "start", {"op": "a"}), Event(2, "error", {"error": "timeout"})], "expected")]
    full, compact = timeline_svg(lanes, 3, 50), timeline_svg(lanes, 3, 50, compact=True)
    width = re.compile(r'width="(\d+)"')
    assert int(width.search(compact).group(1)) < int(width.search(full).group(1))
    assert re.findall(r"<title>[^<]*</title>", compact) == re.findall(r"<title>[^<]*</title>", full)


def test_a_language_whose_runner_never_started_shows_no_version(report):
    doc = results_from_specs(not_run="rust")
    doc["run"]["languages"]["rust"] |= {"version": None, "describe": "NOT AVAILABLE: no cargo on PATH"}
    text = "".join(Page(report(doc) / "index.html").text)
    assert "no runner started · NOT AVAILABLE: no cargo on PATH" in text and "None" not in text


def test_a_checkout_that_does_not_load_spoils_only_the_primitives_page(tmp_path):
    root = tmp_path / "checkout"
    (root / "languages").mkdir(parents=True)
    (root / "languages" / "catalogue.yaml").write_text("patterns: oops\n")
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results_from_specs()))
    folder = make_report(path, tmp_path / "report", root).parent
    page = (folder / "primitives.html").read_text()
    assert "the checkout&#39;s lists or specs do not load" in page and str(root) in page
    assert Page(folder / "index.html").cells


def test_a_flood_of_events_in_one_tick_is_drawn_bounded():
    flood = [Event(1, "succeed", {"op": f"x{i}"}, 50.0 + i) for i in range(500)]
    svg = timeline_svg([Lane("go", flood, "protocol error")], window=2, tick_ms=50)
    assert svg.count('<g class="mark"') == MAX_STACK
    assert f"+{500 - MAX_STACK} more" in svg
    height = int(re.search(r'height="(\d+)"', svg).group(1))
    assert height < (MAX_STACK + 3) * 20


def test_matrix_groups_each_languages_variants_into_its_cell():
    doc = results_from_specs(("all_fail_fast", "java/allof", "second_fails"))
    # A variant written before its reference in the spec still comes after it in the cell.
    spec = next(p for p in doc["patterns"] if p["id"] == "all_fail_fast")
    spec["snippets"].sort(key=lambda s: s["variant"] is None)
    languages, rows = view.matrix(doc)
    assert languages == list(doc["run"]["languages"])
    assert all([c.language for c in cells] == languages for _, cells in rows)
    cells = {c.language: c for p, row in rows if p["id"] == "all_fail_fast" for c in row}
    java = cells["java"].snippets
    assert [(c.label, c.variant, c.state) for c in java] == [("java", None, "pass"), ("java/allof", "allof", "fail")]
    assert java[1].href == "pattern-all_fail_fast.html#sc-second-fails"
    assert [(c.label, c.state) for c in cells["python"].snippets] == [
        ("python", "divergent"),  # two_fail_together: its ExceptionGroup holds both failures
        ("python/gather", "divergent"),
    ]
    assert [c.label for c in cells["go"].snippets] == ["go"]
    # Where the pattern does not apply, the language's cell is one entry with the reason.
    na = next((p, row) for p, row in rows if p["not_applicable"])
    language = next(iter(na[0]["not_applicable"]))
    (entry,) = next(c for c in na[1] if c.language == language).snippets
    assert entry.state == "not-applicable" and na[0]["not_applicable"][language] in entry.title
    # A language of the run with no snippet in a pattern still has its column: one "no snippet" entry.
    doc["run"]["languages"]["cobol"] = {"title": "COBOL", "version": None, "image": None, "describe": ""}
    languages, rows = view.matrix(doc)
    assert languages[-1] == "cobol"
    assert all(row[-1].snippets[0].state == "absent" for _, row in rows)


def _questions_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "questions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


QUESTION = """questions:
  - id: one
    ask: Does a timeout stop the work?
    spec: "Yes"
    pattern: timeout
    scenarios: [exceeds_deadline]
    about: cancellation
"""


def test_questions_naming_what_the_catalogue_lacks_are_refused_with_file_and_line(tmp_path):
    known = known_patterns(results_from_specs(), Catalogue(REPO))[0]
    bad = _questions_file(
        tmp_path,
        QUESTION
        + """  - id: two
    ask: Which error?
    spec: the first
    pattern: no_such_pattern
    scenarios: [x]
  - id: three
    ask: Which error?
    spec: the first
    pattern: timeout
    scenarios: [exceeds_deadline, no_such_scenario]
""",
    )
    with pytest.raises(SpecError) as caught:
        load_questions(bad, known, complete=True)
    assert caught.value.problems == [
        f"{bad}:11: questions[1].pattern: no pattern 'no_such_pattern' in the catalogue (it has: "
        + ", ".join(sorted(known))
        + ")",
        f"{bad}:17: questions[2].scenarios[1]: pattern 'timeout' has no scenario 'no_such_scenario' "
        "(it has: exceeds_deadline, failure_inside_deadline, within_deadline)",
    ]
    # The shape is checked too, by line: a missing field, an unknown topic.
    shape = _questions_file(tmp_path, QUESTION.replace('    spec: "Yes"\n', "").replace("cancellation", "speed"))
    with pytest.raises(SpecError) as caught:
        load_questions(shape, known, complete=True)
    assert f"{shape}:2: questions[0]: missing field: 'spec' is a required property" in caught.value.problems
    assert any(p.startswith(f"{shape}:6: questions[0].about: 'speed' is not one of") for p in caught.value.problems)


def test_make_report_refuses_a_question_on_an_unknown_pattern(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results_from_specs()))
    bad = _questions_file(tmp_path, QUESTION.replace("pattern: timeout", "pattern: timeuot"))
    with pytest.raises(SpecError, match=rf"^{re.escape(str(bad))}:5: questions\[0\]\.pattern: no pattern 'timeuot'"):
        make_report(path, tmp_path / "report", REPO, bad)
    assert not (tmp_path / "report" / "index.html").exists()


def test_a_run_holding_part_of_the_catalogue_answers_the_rest_as_not_in_this_run(report, tmp_path):
    doc = results_from_specs()
    doc["patterns"] = [p for p in doc["patterns"] if p["id"] != "timeout"]
    doc["results"] = [r for r in doc["results"] if r["pattern"] != "timeout"]
    known, complete = known_patterns(doc, None)
    assert not complete
    (view_,) = answered(doc, load_questions(_questions_file(tmp_path, QUESTION), known, complete))
    assert view_.pattern is None and view_.languages == []
    html = (report(doc) / "differ.html").read_text()
    assert "Not in this run" in html


def test_the_repositorys_questions_follow_its_catalogue_and_are_answered_from_the_pins():
    doc = results_from_specs(not_run="rust")
    questions = load_questions(QUESTIONS_FILE, *known_patterns(doc, Catalogue(REPO)))
    assert len(questions) >= 6
    views = {v.question.id: v for v in answered(doc, questions)}
    patterns = {p["id"]: p for p in doc["patterns"]}
    for v in views.values():
        assert [la.language for la in v.languages] == list(doc["run"]["languages"])
        for la in v.languages:
            for a in la.answers:
                scenario = next(sc for sc in patterns[v.question.pattern]["scenarios"] if sc["name"] == a.scenario)
                pin = scenario["divergences"].get(a.label)
                # Differs only on a pin (and the pin's reason is what it says); agrees without one.
                assert a.verdict == "agrees" if pin is None else a.reason == pin["reason"]
                assert a.href == f"pattern-{v.question.pattern}.html#sc-{a.scenario.replace('_', '-')}"
                assert (a.run == "not run") == (la.language == "rust")
    timeout = {la.language: la for la in views["timeout-stops-work"].languages}
    assert {lang: la.verdict for lang, la in timeout.items()} == {
        lang: "differs" if lang == "java" else "agrees" for lang in timeout
    }
    (java,) = timeout["java"].answers
    assert "orTimeout" in java.reason
    assert [(line.tick, line.text, line.change) for line in java.trace if line.change] == [
        (2, "cancelled a", "missing"),
        (4, "succeed a 7", "added"),
    ]
    # `about: outcome`: a pin for the siblings' cancellation gives the same error, so it agrees;
    # CompletableFuture.allOf's error is another one, so it differs.
    which = {a.label: a for la in views["which-error"].languages for a in la.answers}
    assert which["python/gather"].verdict == "agrees" and "gather" in which["python/gather"].reason
    assert which["java/allof"].verdict == "differs"
    assert views["semaphore-order"].languages and all(
        la.verdict == "agrees" for la in views["semaphore-order"].languages
    )


def test_differ_page_shows_every_question_per_language_escaped(tmp_path):
    path = tmp_path / "results.json"
    doc = results_from_specs()
    path.write_text(json.dumps(doc))
    questions = _questions_file(tmp_path, QUESTION.replace("Does a timeout", "Does <b>a</b> timeout"))
    folder = make_report(path, tmp_path / "report", REPO, questions).parent
    html = (folder / "differ.html").read_text()
    assert "Does &lt;b&gt;a&lt;/b&gt; timeout" in html and "<b>a</b>" not in html
    page = Page(folder / "differ.html")
    for language in doc["run"]["languages"]:
        assert f"q-one-{language}" in page.ids
    assert "pattern-timeout.html#sc-exceeds-deadline" in page.links
    assert 'href="differ.html"' in (folder / "index.html").read_text()


def test_control_characters_a_snippet_traced_are_shown_escaped_in_well_formed_timelines(report):
    doc = results_from_specs(("timeout", "python", "exceeds_deadline"))
    entry = next(r for r in doc["results"] if (r["pattern"], r["snippet"]) == ("timeout", "python"))
    hostile = "ev\x1b[31mred\x00nul\x07\ufffe"
    entry["observed"].append({**entry["observed"][-1], "ev": hostile, "fields": {"k\x1b": "v\x00"}})
    entry["stderr"] = ["\x1b[31mred\x00"]
    entry["outcome"] = "fail"
    page = (report(doc) / "pattern-timeout.html").read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]", page)  # nowhere on the page, stderr included
    pictures = re.findall(r"<svg\b.*?</svg>", page, re.S)
    assert pictures
    texts = "".join("".join(ET.fromstring(svg).itertext()) for svg in pictures)  # each is well-formed XML
    assert "ev\\x1b[31m" in texts  # the mark's label, escaped as Python spells it
    assert "\\x1b[31mred\\x00" in page  # stderr too


def test_a_language_at_two_versions_links_each_column_to_its_code_and_names_each_versions_notes(report):
    """go@1.22 and go@1.26 (entries copied from one run): the matrix links each column's snippets to
    the one code panel of the snippet, and a scenario's notes say which version each is about."""
    doc = results_from_specs(("timeout", "go", "exceeds_deadline"))
    go = [r for r in doc["results"] if r["language"] == "go"]
    doc["results"] = [r for r in doc["results"] if r["language"] != "go"]
    doc["results"] += [r | {"version": v} for v in ("1.22", "1.26") for r in copy.deepcopy(go)]
    info = doc["run"]["languages"].pop("go")
    doc["run"]["languages"] |= {"go@1.22": info, "go@1.26": info}
    doc["run"]["selection"]["languages"] = [t for t in doc["run"]["selection"]["languages"] if t != "go"]
    doc["run"]["selection"]["languages"] += ["go@1.22", "go@1.26"]
    folder = report(doc)
    index = Page(folder / "index.html")
    for link in index.links:
        target, _, anchor = link.partition("#")
        assert not anchor or anchor in Page(folder / target).ids, link
    assert any(link.endswith("#code-go") for link in index.links)
    html = (folder / "pattern-timeout.html").read_text()
    assert html.count('id="sc-exceeds-deadline-go-1-22"') == html.count('id="sc-exceeds-deadline-go-1-26"') == 1
    assert "<strong>go@1.22</strong>: fail" in html and "<strong>go@1.26</strong>: fail" in html


def test_error_shapes_are_shown_per_snippet_and_answer_the_questions_about_the_error(report):
    doc = results_from_specs()
    pins = next(sc for p in doc["patterns"] if p["id"] == "timeout" for sc in p["scenarios"])  # within_deadline
    assert pins["shapes"] == {}  # no error there, nothing pinned, no table
    exceeds = next(sc for p in doc["patterns"] if p["id"] == "timeout" for sc in p["scenarios"] if sc["shapes"])
    java = next(
        r for r in doc["results"] if (r["pattern"], r["snippet"], r["scenario"]) == ("timeout", "java", exceeds["name"])
    )
    java["outcome"] = "fail"
    java["shapes"] |= {"observed": ["TimeoutException"], "problem": "error shape differs from the one pinned for java"}
    folder = report(doc)
    html = (folder / "pattern-timeout.html").read_text(encoding="utf-8")
    table = re.search(rf'id="sc-{exceeds["name"].replace("_", "-")}".*?<table class="shapes">(.*?)</table>', html, re.S)
    assert table, "the scenario has an error shape table"
    rows = dict(re.findall(r'data-snippet="([^"]+)">\s*<th scope="row">[^<]*</th>\s*<td>(.*?)</td>', table[1], re.S))
    assert set(rows) == set(exceeds["shapes"])
    for label, (shape,) in exceeds["shapes"].items():
        assert f"<code>{escape(shape)}</code>" in rows[label]
    assert "<strong>this run:</strong> <code>TimeoutException</code>" in rows["java"]
    assert '<tr class="differs" data-snippet="java">' in table[1]
    # The "How languages differ" page answers what error a timeout gives, in each language.
    differ = (folder / "differ.html").read_text(encoding="utf-8")
    answers = differ.split('id="q-timeout-error"', 1)[1].split("</section>", 1)[0]
    for label, (shape,) in exceeds["shapes"].items():
        assert f'data-snippet="{label}"' in answers and f"Error shape: <code>{escape(shape)}</code>" in answers
    overview = differ.split('href="#q-timeout-error"', 1)[1].split("</tr>", 1)[0]
    assert f"<code>{escape(exceeds['shapes']['python'][0])}</code>" in overview


def test_a_snippet_that_loads_files_names_them_beside_its_own(report):
    folder = report(results_from_specs())
    html = (folder / "pattern-event_loop_ordering.html").read_text(encoding="utf-8")
    row = html.split('href="#code-javascript-esm-file">', 1)[1].split("</tr>", 1)[0]
    assert "<code>patterns/event_loop_ordering/event_loop_ordering_esm_file.js</code>, loading" in row
    assert "<code>patterns/event_loop_ordering/event_loop_ordering_top_level.mjs</code>" in row
    plain = html.split('href="#code-javascript">', 1)[1].split("</tr>", 1)[0]
    assert "loading" not in plain
