"""Docs: the reference rendered from the verified snippets (make docs), users' pattern blocks checked
against them (make check-docs, UPDATE=1) and run in their place (make test DOCS=...).

The fixture docs of tests/docs_fixtures/ hold pattern blocks in all five languages under the names
people use in info strings: guide.md pasted from an older reference (every block stale), buggy.md
code that reads well and behaves wrongly, wrong_names.md blocks naming what the suite does not have.
"""

from __future__ import annotations

import dataclasses
import os
import pwd
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from harness.base.errors import SpecError
from harness.base.paths import repo_relative
from harness.catalogue import Catalogue
from harness.catalogue.regions import read_region
from harness.outputs.docs.blocks import DocError, expand, find_blocks
from harness.outputs.docs.check import check_docs
from harness.outputs.docs.reference import render_reference
from harness.outputs.docs.run import prepare_doc_runs
from harness.tools.docs import main

pytest_plugins = ["pytester"]

FIXTURES = Path(__file__).with_name("docs_fixtures")
REPO = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^\s*(```|~~~)(?P<info>\S*.*\bpattern=.*)$")


def fences(doc: Path) -> dict[int, str]:
    """Line -> info string of each pattern block's opening fence, read without the harness."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    return {n: m["info"] for n, line in enumerate(lines, 1) if (m := FENCE.match(line))}


@pytest.fixture
def suite_root(tmp_path: Path) -> Path:
    """A suite root holding two of the repository's patterns, so the tests do not depend on the
    rest of the catalogue; its languages/ is the repository's."""
    root = tmp_path / "suite"
    (root / "patterns").mkdir(parents=True)
    (root / "languages").symlink_to(REPO / "languages", target_is_directory=True)
    for pattern in ("all_fail_fast", "timeout"):
        shutil.copytree(REPO / "patterns" / pattern, root / "patterns" / pattern)
    return root


@pytest.fixture
def guide(tmp_path: Path) -> Path:
    doc = tmp_path / "guide.md"
    shutil.copy(FIXTURES / "guide.md", doc)
    return doc


# -- make docs -------------------------------------------------------------------------------------


def test_the_reference_has_a_page_per_pattern_and_passes_its_own_check(tmp_path):
    catalogue = Catalogue(REPO)
    written = render_reference(catalogue, tmp_path, tick_ms=50)
    patterns = catalogue.patterns()
    assert {p.name for p in written} == {"README.md"} | {f"{p.id}{ext}" for p in patterns for ext in (".md", ".svg")}
    index = (tmp_path / "README.md").read_text(encoding="utf-8")
    for pattern in patterns:
        assert f"]({pattern.id}.md)" in index
        assert f"\n## {pattern.category.capitalize()}\n" in index
        page = (tmp_path / f"{pattern.id}.md").read_text(encoding="utf-8")
        assert page.startswith(f"# {pattern.title}\n")
        assert f"]({pattern.id}.svg)" in page
        ET.fromstring((tmp_path / f"{pattern.id}.svg").read_text(encoding="utf-8"))  # well-formed
        for snippet in pattern.snippets:
            assert read_region(snippet.file).text in page
            for file in snippet.files:  # what it loads at run time is named beside its region
                assert f"`{file.relative_to(REPO)}`" in page
        for language, reason in pattern.not_applicable.items():
            assert reason in page
    # Every block of every page names its snippet, and is that snippet's region.
    result = check_docs(expand([str(tmp_path)]), catalogue)
    assert result.ok, result
    assert result.blocks == sum(len(p.snippets) for p in patterns)


def test_a_page_shows_divergences_not_applicable_languages_and_the_timeline(suite_root, tmp_path):
    spec = suite_root / "patterns" / "timeout" / "pattern.yaml"
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    del data["snippets"]["go"]
    for scenario in data["scenarios"]:
        scenario.get("shapes", {}).pop("go", None)
    data["not_applicable"] = {"go": "a reason the page must show"}
    spec.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    catalogue = Catalogue(suite_root)
    render_reference(catalogue, tmp_path / "out", tick_ms=50)
    page = (tmp_path / "out" / "all_fail_fast.md").read_text(encoding="utf-8")
    gather = catalogue.pattern("all_fail_fast").scenarios[0].divergences["python/gather"]
    section = page.split("## Python, variant `gather`", 1)[1].split("\n## ", 1)[0]
    assert gather.reason in section and "`second_fails`" in section
    assert "From `patterns/all_fail_fast/all_fail_fast_gather.py`, lines " in section  # as the suite names it
    svg = ET.fromstring((tmp_path / "out" / "all_fail_fast.svg").read_text(encoding="utf-8"))
    lanes = [g.get("data-status") for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "lane"]
    pinned = catalogue.pattern("all_fail_fast").scenarios[0].divergences  # each pins a lane of its own
    assert lanes == ["expected"] + ["divergent"] * len(pinned) and len(pinned) >= 2
    timeout = (tmp_path / "out" / "timeout.md").read_text(encoding="utf-8")
    assert "## Not applicable\n\n* **Go**: a reason the page must show" in timeout
    assert "```go" not in timeout
    # Each snippet lists the error its caller gets, scenario by scenario, as its spec pins the shape.
    python = timeout.split("## Python", 1)[1].split("\n## ", 1)[0]
    pinned = catalogue.pattern("timeout").scenarios[1].shapes["python"].shapes
    assert f"* `exceeds_deadline`: `{pinned[0]}`" in python and "**The error the caller gets**" in python


def test_a_title_is_one_line_in_the_spec_and_on_the_page(suite_root, tmp_path, monkeypatch):
    spec = suite_root / "patterns" / "timeout" / "pattern.yaml"
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    data["title"] = "A | B\n| --- |\n# injected heading"
    spec.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(SpecError, match="title"):  # the schema refuses a title of more than one line
        Catalogue(suite_root).patterns()
    data["title"] = "Timeout"
    spec.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    catalogue = Catalogue(suite_root)
    # the renderer folds whatever reaches it: a title, a reason, each on one line
    patterns = [dataclasses.replace(p, title="A | B\n| --- |\n# injected heading") for p in catalogue.patterns()]
    monkeypatch.setattr(catalogue, "patterns", lambda: patterns)
    render_reference(catalogue, tmp_path / "out", tick_ms=50)
    page = (tmp_path / "out" / "timeout.md").read_text(encoding="utf-8")
    assert page.startswith("# A | B | --- | # injected heading\n\n")
    assert "\n# injected" not in page and "\n| --- |" not in page


def test_control_characters_of_an_event_name_are_shown_escaped_in_a_well_formed_picture(suite_root, tmp_path):
    spec = suite_root / "patterns" / "timeout" / "pattern.yaml"
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    data["scenarios"][0]["expect"][-1][1] = "res\x1b[31m\x00ult\ufffe"
    spec.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=False), encoding="utf-8")
    render_reference(Catalogue(suite_root), tmp_path / "out", tick_ms=50)
    svg = (tmp_path / "out" / "timeout.svg").read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]", svg)
    names = "".join(ET.fromstring(svg).itertext())  # well-formed XML
    assert "res\\x1b[31m" in names  # the mark's label, cut to its room
    assert '"res\\u001b[31m\\u0000ult\\ufffe"' in names  # its hover title, in full


# -- make check-docs -------------------------------------------------------------------------------


def test_stale_blocks_in_every_language_are_reported_with_file_line_and_diff(suite_root, guide):
    catalogue = Catalogue(suite_root)
    result = check_docs([guide], catalogue)
    expected_lines = fences(guide)
    assert [d.block.line for d in result.differences] == list(expected_lines)
    assert {d.block.language for d in result.differences} == set(catalogue.languages)
    for difference in result.differences:
        snippet = catalogue.snippet(difference.block.pattern, difference.block.language, difference.block.variant)
        diff = difference.diff()
        assert diff.startswith(f"--- {guide}:{difference.block.line} (")
        assert f"+++ {snippet.file}:" in diff
        for line in read_region(snippet.file).text.splitlines():
            if line.strip() and line not in difference.block.text:
                assert f"\n+{line}\n" in diff  # what the reference says and the doc does not
    assert not result.ok


def test_update_rewrites_the_blocks_and_a_later_edit_is_caught_at_its_line(suite_root, guide, capsys):
    root = f"--root={suite_root}"
    assert main([root, "check", str(guide)]) == 1
    assert main([root, "check", "--update", str(guide)]) == 0
    assert "6 pattern block(s) checked: 0 differ, 6 rewritten, 0 error(s)" in capsys.readouterr().out
    repaired = guide.read_text(encoding="utf-8")
    assert main([root, "check", str(guide)]) == 0  # matching blocks, all five languages
    assert 'print("not a pattern")' in repaired  # a block naming no pattern is left alone

    # One line edited inside the Go block (indented in a list): only that block differs.
    go_line = next(n for n, info in fences(guide).items() if info.startswith("golang"))
    lines = repaired.splitlines(keepends=True)
    code = lines[go_line].rstrip("\n")  # the block's first code line (the fence is line go_line)
    lines[go_line] = f"{code} // edited\n"
    guide.write_text("".join(lines), encoding="utf-8")
    capsys.readouterr()
    assert main([root, "check", str(guide)]) == 1
    out = capsys.readouterr().out
    assert f"{guide}:{go_line}: go pattern=all_fail_fast differs from the verified snippet" in out
    assert f"\n-{code.strip()} // edited\n+{code.strip()}\n" in out
    assert "6 pattern block(s) checked: 1 differ" in out

    assert main([root, "check", "--update", str(guide)]) == 0
    assert guide.read_text(encoding="utf-8") == repaired


def test_blocks_naming_an_unknown_pattern_language_or_variant_are_errors(suite_root, capsys):
    doc = FIXTURES / "wrong_names.md"
    with pytest.raises(DocError) as caught:
        find_blocks(doc, Catalogue(suite_root))
    lines = list(fences(doc))
    assert [p.split(": ", 1)[0] for p in caught.value.problems] == [f"{repo_relative(doc)}:{n}" for n in lines]
    assert "unknown pattern 'no_such_pattern'; known: all_fail_fast, timeout" in caught.value.problems[0]
    assert "unknown language 'typescript'" in caught.value.problems[1]
    assert (
        "has no python/no_such_variant snippet; its python snippets: python, python/gather" in caught.value.problems[2]
    )
    assert "no language" in caught.value.problems[3]
    assert main([f"--root={suite_root}", "check", str(doc)]) == 1


@pytest.mark.parametrize(
    "text, problem",
    [
        ("```go pattern=timeout\nfunc f() {}\n", "never closed"),
        ("> ```go pattern=timeout\n> x\n> ```\n", "must start its line"),
    ],
)
def test_blocks_that_cannot_be_rewritten_safely_are_errors(suite_root, tmp_path, text, problem):
    doc = tmp_path / "doc.md"
    doc.write_text(f"# Doc\n\n{text}", encoding="utf-8")
    with pytest.raises(DocError, match=rf"^{re.escape(str(doc))}:3: .*{problem}"):
        find_blocks(doc, Catalogue(suite_root))


def test_docs_that_match_no_file_are_an_error(suite_root, tmp_path, capsys):
    assert main([f"--root={suite_root}", "check", f"{tmp_path}/nothing/**/*.md"]) == 2
    assert "no such Markdown file" in capsys.readouterr().err


# -- make test DOCS=... ----------------------------------------------------------------------------


@pytest.fixture
def run_docs(inner_suite, suite_root, monkeypatch):
    """run(docs, *args): an inner session of the harness running the blocks of `docs`."""
    # pytester gives the inner session a HOME of its own; rustup finds its toolchains from the real one.
    home = Path(pwd.getpwuid(os.getuid()).pw_dir)
    monkeypatch.setenv("RUSTUP_HOME", os.environ.get("RUSTUP_HOME") or str(home / ".rustup"))
    run = inner_suite(suite_root / "patterns", "--runtime=local", runtime="local")
    return lambda docs, *args: run(f"--docs={docs}", *args)


def doc_reports(session, doc: Path) -> dict:
    """Each item's call report, by `<line>::<pattern>[<label>:<scenario>]`: every item names its doc block
    (`patterns/<id>/pattern.yaml::<pattern>[<label>:<scenario>]@<doc>:<line>`)."""
    reports = [r for r in session.result.reprec.getreports("pytest_runtest_logreport") if r.when == "call"]
    names = [re.fullmatch(rf".*::(?P<item>[^@]+)@{re.escape(str(doc))}:(?P<line>\d+)", r.nodeid) for r in reports]
    assert reports and all(names), [r.nodeid for r in reports]
    return {f"{m['line']}::{m['item']}": r for m, r in zip(names, reports)}


def doc_items(session, doc: Path) -> dict[str, str]:
    return {item: report.outcome for item, report in doc_reports(session, doc).items()}


def test_python_doc_blocks_run_in_place_of_the_regions(run_docs, guide, suite_root):
    assert main([f"--root={suite_root}", "check", "--update", str(guide)]) == 0
    lines = {info: n for n, info in fences(guide).items()}
    session = run_docs(guide, "--lang=python")
    catalogue = Catalogue(suite_root)
    expected = {
        f"{lines[info]}::{pattern}[{label}:{scenario.name}]": "passed"
        for info, pattern, label in [
            ("py pattern=timeout", "timeout", "python"),
            ("python pattern=all_fail_fast variant=gather", "all_fail_fast", "python/gather"),
        ]
        for scenario in catalogue.pattern(pattern).scenarios
    }
    assert doc_items(session, guide) == expected


def test_a_python_block_that_behaves_wrongly_fails_naming_its_doc_line(run_docs, suite_root):
    doc = FIXTURES / "buggy.md"
    line = next(n for n, info in fences(doc).items() if info.startswith("python"))
    session = run_docs(doc, "--lang=python", "-k", "second_fails")
    assert doc_items(session, doc) == {f"{line}::all_fail_fast[python:second_fails]": "failed"}
    report = doc_reports(session, doc)[f"{line}::all_fail_fast[python:second_fails]"].longreprtext
    first = report.splitlines()[0]
    assert first.startswith(f"doc block {doc}:{line} (python pattern=all_fail_fast), run as the [pattern] region")
    # gather in place of a TaskGroup: the siblings are never cancelled.
    assert re.search(r"✗\s+1?\s+cancelled \{op: a\}\s+\(missing\)", report), report


@pytest.mark.runners
def test_doc_blocks_run_in_all_five_languages(run_docs, guide, suite_root):
    assert main([f"--root={suite_root}", "check", "--update", str(guide)]) == 0
    session = run_docs(guide)
    outcomes = doc_items(session, guide)
    ran = {re.search(r"\[(\w+)", item)[1] for item in outcomes}
    assert ran == set(Catalogue(suite_root).languages)
    assert set(outcomes.values()) == {"passed"}, session.text


@pytest.mark.runners
def test_wrong_javascript_go_and_java_blocks_fail_naming_their_doc_lines(run_docs):
    doc = FIXTURES / "buggy.md"
    lines = {info.split()[0]: n for n, info in fences(doc).items()}
    session = run_docs(doc, "--lang=javascript,go,java", "-k", "exceeds_deadline or second_fails")
    assert doc_items(session, doc) == {
        f"{lines['js']}::timeout[javascript:exceeds_deadline]": "failed",
        f"{lines['go']}::all_fail_fast[go:second_fails]": "failed",
        f"{lines['java']}::timeout[java:exceeds_deadline]": "failed",
    }
    reports = {item.split("::")[-1]: r.longreprtext for item, r in doc_reports(session, doc).items()}
    js = reports["timeout[javascript:exceeds_deadline]"]
    assert js.startswith(f"doc block {doc}:{lines['js']} (javascript pattern=timeout)")
    assert re.search(r"error \{error: timeout\}\s+\(missing\)", js), js
    # The compiler's complaint and the stack frame, located in the doc: the block's second and
    # third code lines are the bad ones.
    go = reports["all_fail_fast[go:second_fails]"]
    assert go.startswith(f"doc block {doc}:{lines['go']} (go pattern=all_fail_fast)")
    assert f"{doc}:{lines['go'] + 2}" in go and "undefinedName" in go, go
    java = reports["timeout[java:exceeds_deadline]"]
    assert java.startswith(f"doc block {doc}:{lines['java']} (java pattern=timeout)")
    assert "IllegalStateException: no future" in java and f"({doc}:{lines['java'] + 12})" in java, java


def test_update_keeps_crlf_line_ends_and_lines_counted_as_markdown_counts_them(suite_root, tmp_path):
    doc = tmp_path / "doc.md"
    # A form feed and U+2028 end no line in Markdown: the block's fence is line 3.
    doc.write_bytes("# Doc\r\nprose\x0c more \u2028 prose\r\n```py pattern=timeout\r\nold\r\n```\r\n".encode())
    catalogue = Catalogue(suite_root)
    [difference] = check_docs([doc], catalogue).differences
    assert difference.block.line == 3
    check_docs([doc], catalogue, update=True)
    text = doc.read_bytes().decode()
    assert "\n" not in text.replace("\r\n", "")  # every line still ends with CRLF
    assert check_docs([doc], catalogue).ok


def test_a_docs_run_refuses_two_versions_of_one_snippet_and_docs_without_blocks(suite_root, tmp_path):
    one, other = tmp_path / "one.md", tmp_path / "other.md"
    one.write_text("```go pattern=timeout\nfunc a() {}\n```\n", encoding="utf-8")
    other.write_text("# Other\n\n```golang pattern=timeout\nfunc b() {}\n```\n", encoding="utf-8")
    with pytest.raises(
        DocError, match=rf"^{re.escape(str(other))}:3: go pattern=timeout shows other code than {one}:1"
    ):
        prepare_doc_runs([f"{one} {other}"], Catalogue(suite_root), tmp_path / "cache")
    plain = tmp_path / "plain.md"
    plain.write_text("```go\nfunc c() {}\n```\n", encoding="utf-8")
    with pytest.raises(DocError, match="no code block names a pattern"):
        prepare_doc_runs([str(plain)], Catalogue(suite_root), tmp_path / "cache")


def test_a_region_holding_a_fence_gets_a_longer_one_and_is_never_spliced_into_a_shorter(suite_root, tmp_path):
    snippet = suite_root / "patterns" / "timeout" / "timeout.py"
    source = snippet.read_text(encoding="utf-8")
    marked = source.replace(
        "async def with_timeout(coro, seconds):\n",
        'async def with_timeout(coro, seconds):\n    """\n    ```\n    """\n',
        1,
    )
    assert marked != source
    snippet.write_text(marked, encoding="utf-8")
    catalogue = Catalogue(suite_root)
    render_reference(catalogue, tmp_path / "out", tick_ms=50)
    assert "\n````python pattern=timeout\n" in (tmp_path / "out" / "timeout.md").read_text(encoding="utf-8")
    result = check_docs([tmp_path / "out" / "timeout.md"], catalogue)
    assert result.ok and result.blocks == len(catalogue.pattern("timeout").snippets)

    doc = tmp_path / "doc.md"
    doc.write_text("```python pattern=timeout\nold\n```\n", encoding="utf-8")
    result = check_docs([doc], catalogue, update=True)
    assert [e.split(": ", 1)[0] for e in result.errors] == [f"{doc}:1"]
    assert "open the block with a longer fence (````)" in result.errors[0]
    assert doc.read_text(encoding="utf-8") == "```python pattern=timeout\nold\n```\n"
