"""The report of a real run, opened in headless Chromium: the matrix, a timeline and a code panel
render, offline, on a wide and a narrow screen and in print.

It runs a small real selection (two patterns, Python and JavaScript, local toolchains), renders
its results.json with `make report` into .cache/report-check/, and writes screenshots and the
measured size and render times there (screenshots/, metrics.json).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from harness.outputs.merge import read_results
from harness.outputs.report.view import scenario_anchor

pytestmark = pytest.mark.runners  # a real run (python, node) before the browser: make check-runners

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / ".cache" / "report-check"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SELECTION = ["--runtime=local", "--lang=python,javascript", "--pattern=timeout,all_fail_fast"]


@pytest.fixture(scope="module")
def report() -> tuple[Path, dict]:
    """A real run's results rendered by `make report`: (index.html, the results document)."""
    shutil.rmtree(OUT, ignore_errors=True)
    results = OUT / "results.json"
    # The run's own pass or fail does not matter here (a loaded machine may be late): its results do.
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "patterns",
            *SELECTION,
            f"--results={results}",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert results.is_file(), f"the run wrote no results.json:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    made = subprocess.run(
        ["make", "--no-print-directory", "report", f"RESULTS={results}", f"OUT={OUT / 'report'}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    index = Path(made.stdout.splitlines()[-1])
    assert index == (OUT / "report" / "index.html").resolve()
    return index, json.loads(results.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.is_file(), (
        f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install -y chromium), or name it with CHROMIUM="
    )
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            OUT / "profile",
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


@pytest.fixture(scope="module")
def timings(report):
    """Render times of the pages opened, by page; written with the report's size at the end."""
    measured: dict[str, float] = {}
    yield measured
    _record(measured)


@pytest.fixture
def page(browser, report):
    """A page that refuses anything but the report's own files, and remembers what it asked for."""
    page = browser.new_page()
    page.set_default_timeout(15_000)
    page.requested = []
    page.route("**/*", lambda route: _only_files(page, route))
    yield page
    page.close()


def _only_files(page: Page, route) -> None:
    page.requested.append(route.request.url)
    if route.request.url.startswith("file://"):
        route.continue_()
    else:
        route.abort()


def _cell_key(page: Page, cell) -> tuple[str, str]:
    """(pattern id, snippet label) of a snippet's entry in the matrix, from its row header and itself."""
    href = cell.locator("xpath=ancestor::tr/th/a").get_attribute("href")
    return href.removeprefix("pattern-").removesuffix(".html"), cell.get_attribute("data-snippet")


def _open(page: Page, url: str) -> float:
    """Open `url`; return its render time in ms (navigation start to the end of the load event)."""
    page.goto(url)
    return page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")


def _shot(page: Page, name: str, **options) -> Path:
    path = OUT / "report" / "screenshots" / f"{name}.png"
    page.screenshot(path=path, **options)
    assert path.stat().st_size > 5_000, f"{path} is nearly empty"
    return path


def test_matrix_timeline_and_code_render(page, report, timings):
    index, doc = report
    timings["index.html"] = _open(page, index.as_uri())

    # The matrix: a row per pattern, an entry per snippet that ran (inside its language's cell).
    rows = page.locator("#matrix tbody tr:has(td)")
    assert rows.count() == len(doc["patterns"])
    ran = {(r["pattern"], r["snippet"]) for r in doc["results"] if r["outcome"] not in ("not run", "not applicable")}
    assert page.locator("#matrix li.state-pass, #matrix li.state-divergent, #matrix li.state-fail").count() == len(ran)
    # An entry that is not a plain pass (a pinned divergence; a failure, should this run have had one)
    # carries its reasons on hover and links to its scenario.
    linked = page.locator("#matrix li.state-divergent, #matrix li.state-fail").first
    pattern_id, label = _cell_key(page, linked)
    results = [r for r in doc["results"] if (r["pattern"], r["snippet"]) == (pattern_id, label)]
    assert linked.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"  # styled
    hover = linked.get_attribute("title")
    if "state-fail" in linked.get_attribute("class"):
        assert all(f"{r['scenario']}: {r['outcome']}" in hover for r in results if r["outcome"] != "pass")
    else:
        assert all(r["divergence"]["reason"] in hover for r in results if r["divergence"])
    _shot(page, "matrix", full_page=True)

    # The scenario's timeline: the expected lane on top, then a lane per snippet that ran, in its state.
    linked.locator("a").click()
    page.wait_for_load_state("load")
    timings[f"pattern-{pattern_id}.html"] = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    anchor = page.url.split("#")[1]
    scenario = next(r["scenario"] for r in results if scenario_anchor(r["scenario"]) == anchor)
    timeline = page.locator(f"#{anchor} svg.timeline")
    box = timeline.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 60
    lanes = timeline.locator("g.lane")
    assert lanes.first.get_attribute("data-status") == "expected"
    drawn = {lane.get_attribute("data-label"): lane.get_attribute("data-status") for lane in lanes.all()[1:]}
    in_scenario = [
        r
        for r in doc["results"]
        if (r["pattern"], r["scenario"]) == (pattern_id, scenario) and r["outcome"] not in ("not run", "not applicable")
    ]
    assert drawn == {
        r["snippet"]: "divergent" if r["outcome"] == "pass" and r["divergence"] else r["outcome"] for r in in_scenario
    }
    observed = next(r for r in in_scenario if r["observed"])["observed"][0]
    titles = timeline.locator("g.mark > title").all_text_contents()
    assert any(f"{observed['t_ms']:.1f} ms" in t for t in titles)
    timeline.scroll_into_view_if_needed()
    _shot(page, "timeline", clip=timeline.bounding_box())

    # The code panels: one per snippet, highlighted (keywords coloured unlike plain text).
    pattern = next(p for p in doc["patterns"] if p["id"] == pattern_id)
    panels = page.locator(".code-panel")
    assert panels.count() == len(pattern["snippets"])
    keyword = panels.first.locator(".hl .k, .hl .kd, .hl .kn").first
    assert keyword.is_visible()
    plain = panels.first.locator(".hl pre").evaluate("e => getComputedStyle(e).color")
    assert keyword.evaluate("e => getComputedStyle(e).color") != plain
    panels.first.scroll_into_view_if_needed()
    _shot(page, "code", clip=page.locator(".code-grid").bounding_box())

    assert all(url.startswith("file://") for url in page.requested), page.requested


def test_matrix_fits_a_1366_screen_with_one_column_per_language(page, report, timings):
    index, doc = report
    page.set_viewport_size({"width": 1366, "height": 768})
    timings["index.html (1366)"] = _open(page, index.as_uri())
    sizes = page.evaluate(
        """() => ({inner: innerWidth, document: document.documentElement.scrollWidth,
                   table: document.querySelector('#matrix').getBoundingClientRect().width,
                   box: document.querySelector('#matrix').parentElement.scrollWidth})"""
    )
    (OUT / "widths-1366.json").write_text(json.dumps(sizes) + "\n", encoding="utf-8")
    assert sizes["document"] <= sizes["inner"], sizes  # the page does not scroll sideways
    assert sizes["table"] <= sizes["inner"] and sizes["box"] <= sizes["inner"], sizes  # nor does the matrix's box
    # One column per language, named by it: the run's languages first, then those it did not select.
    snippets = [s for p in doc["patterns"] for s in p["snippets"]]
    languages = list(doc["run"]["languages"])
    languages += sorted({s["language"] for s in snippets} - set(languages))
    assert page.locator("#matrix thead th").all_inner_texts() == ["pattern", *languages]
    # Every snippet, variants too, is an entry in its language's cell of its pattern's row; the
    # reference snippet first, each variant showing its name.
    for pattern in doc["patterns"]:
        row = page.locator("#matrix tbody tr").filter(has=page.locator(f'th a[href="pattern-{pattern["id"]}.html"]'))
        for language in languages:
            if language in pattern["not_applicable"]:
                continue
            cell = row.locator(f'td[data-language="{language}"] li')
            labels = [s["label"] for s in pattern["snippets"] if s["language"] == language]
            assert cell.evaluate_all("es => es.map(e => e.dataset.snippet)") == sorted(labels, key=lambda x: "/" in x)
            for entry, label in zip(cell.all(), sorted(labels, key=lambda x: "/" in x)):
                if "/" in label:
                    assert entry.locator(".variant").inner_text() == label.split("/")[1]
                assert entry.locator("a").count() == 1
    assert page.locator("#matrix li .variant").count() == sum(1 for s in snippets if s["variant"])
    _shot(page, "matrix-1366")


def test_differ_page_answers_link_to_existing_anchors(page, report, timings):
    index, doc = report
    page.set_viewport_size({"width": 1366, "height": 768})
    _open(page, index.as_uri())
    page.locator('main a[href="differ.html"]').click()
    page.wait_for_load_state("load")
    timings["differ.html"] = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    questions = page.locator("section.question")
    assert questions.count() >= 6
    answered = page.locator("section.question li.answer")
    assert answered.count() > 0 and page.locator("li.answer.verdict-differs").count() > 0
    # Each answer names the scenario it is drawn from; every link of the page reaches an existing anchor.
    assert page.locator("li.answer a.source").count() == answered.count()
    links = page.locator("main a[href]").evaluate_all("es => es.map(e => e.getAttribute('href'))")
    pages: dict[str, set[str]] = {}
    for link in links:
        target, _, anchor = link.partition("#")
        if not anchor:
            continue
        if target not in pages:
            other = page.context.new_page()
            other.goto((index.parent / (target or "differ.html")).as_uri())
            pages[target] = set(other.locator("[id]").evaluate_all("es => es.map(e => e.id)"))
            other.close()
        assert anchor in pages[target], f"differ.html links to {link}: no such anchor"
    _shot(page, "differ", full_page=True)


def test_every_page_fits_a_narrow_screen_and_a_printed_page(page, report, timings):
    index, _ = report
    pages = sorted(index.parent.glob("*.html"))
    # On a phone, nothing but the scrolling boxes (matrix, timelines, code) is wider than the screen.
    page.set_viewport_size({"width": 375, "height": 800})
    too_wide = {}
    for path in pages:
        timings[f"{path.name} (narrow)"] = _open(page, path.as_uri())
        too_wide[path.name] = page.evaluate("document.documentElement.scrollWidth")
    assert {name: width for name, width in too_wide.items() if width > 375} == {}
    _open(page, max(pages, key=lambda p: p.stat().st_size).as_uri())
    _shot(page, "narrow")
    # On an A4 page (794 px at 96 dpi) nothing is cut: print shows what scrolls on screen.
    page.set_viewport_size({"width": 794, "height": 1123})
    page.emulate_media(media="print")
    for path in pages:
        _open(page, path.as_uri())
        assert not page.locator("nav.site").is_visible()
        too_wide[path.name] = page.evaluate("document.documentElement.scrollWidth")
    assert {name: width for name, width in too_wide.items() if width > 794} == {}
    _open(page, index.as_uri())
    _shot(page, "print", full_page=True)
    page.pdf(path=OUT / "report" / "screenshots" / "print.pdf")


@pytest.fixture(scope="module")
def merged() -> tuple[Path, dict]:
    """Two real runs merged by `make report RESULTS=a:b`: JavaScript at Node.js 20 and 22 (whose
    sync_async_bridge snippet needs 22) and Python, on two patterns: (index.html, the merged document)."""
    folder = OUT / "merged"
    shutil.rmtree(folder, ignore_errors=True)
    files = []
    for name, lang in (("javascript.json", "javascript@20,javascript@22"), ("python.json", "python")):
        results = folder / name
        subprocess.run(
            [sys.executable, "-m", "pytest", "patterns", "--runtime=local", f"--lang={lang}"]
            + ["--pattern=sync_async_bridge,timeout", f"--results={results}", "-q", "-p", "no:cacheprovider"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert results.is_file(), f"the {lang} run wrote no results"
        files.append(results)
    made = subprocess.run(
        ["make", "--no-print-directory", "report", f"RESULTS={':'.join(map(str, files))}", f"OUT={folder / 'report'}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    return Path(made.stdout.splitlines()[-1]), read_results(files)


def test_a_merged_run_shows_its_files_its_versions_and_their_changelog(page, merged, timings):
    index, doc = merged
    timings["index.html (merged)"] = _open(page, index.as_uri())
    header = page.locator("header.merged")
    assert header.is_visible() and header.locator("li").count() == 2
    assert "javascript@20, javascript@22" in header.inner_text() and "python" in header.inner_text()
    assert page.locator("#matrix thead th").all_inner_texts()[:4] == [
        "pattern",
        "javascript@20",
        "javascript@22",
        "python",
    ]

    # The pattern page: javascript's versions grouped by trace, the snippet that needs 22 apart on 20.
    page.goto(index.with_name("pattern-sync_async_bridge.html").as_uri() + "#versions-javascript")
    table = page.locator('#versions-javascript table[data-snippet="javascript"]')
    table.scroll_into_view_if_needed()
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 2
    unavailable = table.locator("span.group.state-not-available")
    assert unavailable.count() == 2 and all(t.startswith("20: ") for t in unavailable.all_inner_texts())
    assert "Promise.withResolvers" in unavailable.first.get_attribute("title")
    _shot(page, "versions", clip=page.locator("#versions-javascript").bounding_box())

    # The changelog: reached from the navigation; every change between 20 and 22 with both traces.
    page.locator('nav.site a[href="changelog.html"]').click()
    page.wait_for_load_state("load")
    timings["changelog.html"] = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    changes = page.locator("article.step-change")
    cells = {(r["pattern"], r["snippet"], r["scenario"]) for r in doc["results"]}
    js = {
        key: {r["version"]: r for r in doc["results"] if (r["pattern"], r["snippet"], r["scenario"]) == key}
        for key in cells
        if key[1].startswith("javascript")
    }
    differing = [
        key for key, by in js.items() if {"20", "22"} <= by.keys() and by["20"]["outcome"] != by["22"]["outcome"]
    ]
    assert ("sync_async_bridge", "javascript", "both_succeed") in differing
    assert changes.count() >= len(differing)
    availability = page.locator("article.step-change.change-availability")
    assert availability.count() >= 2
    first = availability.first
    assert "requires 22" in first.locator(".reasons").inner_text()
    assert first.locator(".sides ol.trace").count() == 2 and first.locator("svg.timeline g.lane").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    _shot(page, "changelog", full_page=True)
    # Narrow and on paper, nothing is cut.
    for width, media in ((375, "screen"), (794, "print")):
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(media=media)
        for name in ("changelog.html", "pattern-sync_async_bridge.html"):
            _open(page, index.with_name(name).as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
    assert all(url.startswith("file://") for url in page.requested), page.requested


def _record(timings: dict[str, float]) -> None:
    """The report's size and render times, for the record."""
    folder = OUT / "report"
    files = [p for p in folder.rglob("*") if p.is_file() and "screenshots" not in p.parts]
    metrics = {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "render_ms": {name: round(ms, 1) for name, ms in timings.items()},
        "screenshots": sorted(str(p.relative_to(REPO)) for p in (folder / "screenshots").glob("*.png")),
    }
    (OUT / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(metrics))
