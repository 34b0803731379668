"""What specs and snippets can reach, and names every language's code generation can hold."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from harness.base.errors import SpecError
from harness.catalogue import Catalogue
from harness.runtimes.local import LocalRuntime

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def suite_root(tmp_path: Path) -> Path:
    (tmp_path / "languages").symlink_to(REPO / "languages", target_is_directory=True)
    (tmp_path / "patterns").mkdir()
    return tmp_path


def copy_pattern(root: Path, id: str, as_id: str | None = None) -> Path:
    """The repository's pattern `id` in `root`, renamed `as_id` (its spec's id too)."""
    folder = root / "patterns" / (as_id or id)
    shutil.copytree(REPO / "patterns" / id, folder)
    if as_id:
        spec = folder / "pattern.yaml"
        spec.write_text(spec.read_text().replace(f"id: {id}\n", f"id: {as_id}\n", 1))
    return folder


@pytest.mark.parametrize(
    "file",
    ["../../../etc/hostname", "/etc/hostname", "sub/timeout.go", "link.go"],
)
def test_a_spec_names_only_files_of_its_own_folder(suite_root, file):
    folder = copy_pattern(suite_root, "timeout")
    outside = suite_root / "secret.go"
    outside.write_text("package secret\n")
    (folder / "link.go").symlink_to(outside)
    (folder / "sub").mkdir()
    shutil.copy2(folder / "timeout.go", folder / "sub" / "timeout.go")
    spec = folder / "pattern.yaml"
    spec.write_text(spec.read_text().replace("{file: timeout.go,", f"{{file: '{file}',"))
    with pytest.raises(
        SpecError,
        match=r"pattern.yaml:\d+: snippets.go.file: snippet file .* is not a file of the pattern's own folder",
    ):
        Catalogue(suite_root).pattern("timeout")


def test_a_java_class_declared_by_two_patterns_is_a_spec_error_of_both_naming_both_places(suite_root):
    copy_pattern(suite_root, "timeout")
    other = copy_pattern(suite_root, "timeout", "time_out")
    copy_pattern(suite_root, "all_settled")
    catalogue = Catalogue(suite_root)
    for id in ("timeout", "time_out"):
        with pytest.raises(SpecError) as error:
            catalogue.pattern(id)
        said = "\n".join(error.value.problems)
        assert "patterns/time_out/Timeout.java:" in said and "patterns/timeout/Timeout.java:" in said
        assert "java name Timeouts is declared again at" in said
    assert catalogue.pattern("all_settled").id == "all_settled"  # every other pattern still loads
    assert other.is_dir()


def test_a_go_snippet_with_an_init_function_is_refused_naming_its_line(suite_root):
    folder = copy_pattern(suite_root, "timeout")
    go = folder / "timeout.go"
    go.write_text(go.read_text() + "\nfunc init() {\n\tpanic(1)\n}\n")
    with pytest.raises(SpecError, match=r"patterns/timeout/timeout.go:\d+: a Go snippet may not declare func init"):
        Catalogue(suite_root).pattern("timeout")


@pytest.mark.parametrize("id", ["a" * 41, "x" * 250])
def test_ids_have_a_length_bound(suite_root, id):
    copy_pattern(suite_root, "timeout", id)
    with pytest.raises(SpecError, match="is too long"):
        Catalogue(suite_root).pattern(id)


def test_variant_ids_have_a_length_bound(suite_root):
    folder = copy_pattern(suite_root, "all_settled")
    spec = folder / "pattern.yaml"
    spec.write_text(spec.read_text().replace("python: {file:", f"python/{'v' * 41}: {{file:", 1))
    with pytest.raises(SpecError, match="40 characters at most"):
        Catalogue(suite_root).pattern("all_settled")


@pytest.mark.runners
@pytest.mark.parametrize("language", ["go", "rust"])
def test_ids_that_collide_after_mangling_or_are_keywords_build(suite_root, tmp_path, language):
    """`time_out` beside `timeout`, and `type`, a keyword of both: each snippet keeps a name of its own."""
    ids = {"timeout": None, "time_out": "timeout", "type": "timeout"}
    for as_id, id in ids.items():
        copy_pattern(suite_root, id or as_id, as_id if id else None)
    catalogue = Catalogue(suite_root)
    snippets = [s for id in ids for s in catalogue._load(id, drafts=False).snippets if s.language == language]
    runtime = LocalRuntime(REPO / ".cache")
    prepared = runtime.prepare(catalogue.languages[language], snippets, lambda _: None)
    assert prepared.build  # built, or found built


HOSTILE = (
    "<script>alert(1)</script> <iframe src=x></iframe> [click](javascript:alert(1)) "
    "![pic](http://example.com/x.png) <img src=x onerror=alert(1)> `<code stays>`"
)


def test_make_docs_shows_hostile_spec_text_as_text(suite_root, tmp_path):
    from markdown_it import MarkdownIt

    from harness.outputs.docs.reference import render_reference

    folder = copy_pattern(suite_root, "timeout")
    spec = folder / "pattern.yaml"
    text = spec.read_text().replace("title: Timeout", "title: '<script>alert(1)</script> [x](javascript:alert(1))'")
    text = text.replace('reason: "CompletableFuture.orTimeout', f'reason: "{HOSTILE} CompletableFuture.orTimeout')
    spec.write_text(text.replace("summary: >\n", f"summary: >\n  {HOSTILE}\n"))
    out = tmp_path / "docs"
    render_reference(Catalogue(suite_root), out, tick_ms=100)
    for page in ("timeout.md", "README.md"):
        html = MarkdownIt("commonmark").render((out / page).read_text())
        for tag in ("<script", "<iframe", "<img src=x", 'href="javascript:', 'src="http://example'):
            assert tag not in html, (page, tag)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<code>&lt;code stays&gt;</code>" in MarkdownIt("commonmark").render((out / "timeout.md").read_text())


HOSTILE_SNIPPET = """
import sys

from suite import trace


async def run(input):
    trace("start\\x1b[2J\\x00", {"op\\x1b]0;pwned\\x07": "a\\x00b", "\\ud800": 1})
    trace("start", {"op": "a\\x1b[31m"})
    sys.stderr.write("stderr \\x1b[2J\\x00 end\\n")
    print("stdout \\x1b[2J\\x00")
"""


@pytest.mark.runners
def test_what_a_snippet_prints_is_shown_escaped_and_every_output_stays_valid(tmp_path, pytester, monkeypatch):
    import json
    import xml.etree.ElementTree as ET

    folder = tmp_path / "cases" / "hostile"
    folder.mkdir(parents=True)
    (folder / "hostile.py").write_text(HOSTILE_SNIPPET)
    (folder / "pattern.yaml").write_text(
        "id: hostile\ntitle: Hostile output\ncategory: combinators\nsummary: Prints control characters.\n"
        "snippets:\n  python: {file: hostile.py}\nscenarios:\n  - name: prints\n    input: {}\n"
        "    expect:\n      - [0, start, {op: a}]\n"
    )
    (pytester.path / "languages").symlink_to(REPO / "languages", target_is_directory=True)
    shutil.copytree(tmp_path / "cases", pytester.path / "patterns")
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    junit, results = tmp_path / "junit.xml", tmp_path / "results.json"
    run = pytester.runpytest_subprocess(
        "-p", "harness.plugin", f"--suite-root={pytester.path}", f"--cache-dir={REPO / '.cache'}",
        "--runtime=local", f"--junit={junit}", f"--results={results}", "patterns",
    )  # fmt: skip
    text = "\n".join(run.outlines + run.errlines)
    assert run.ret == 1
    for raw in ("\x1b", "\x00", "\x07"):
        assert raw not in text
    assert "\\x1b[2J" in text and "stderr \\x1b[2J\\x00 end" in text
    assert "not Unicode (a lone surrogate)" in text
    ET.parse(junit)  # well-formed XML
    json.loads(results.read_text(encoding="utf-8"))  # and valid JSON, in UTF-8


REACH_SNIPPET = """
import os
import socket

from suite import trace


async def run(input):
    target = input["outside"]
    try:
        with open(target, "w") as out:
            out.write("reached")
        wrote = True
    except OSError:
        wrote = False
    try:  # a server of the test's, on this machine's loopback
        socket.create_connection(("127.0.0.1", input["port"]), timeout=1).close()
        network = True
    except OSError:
        network = False
    with open("/tmp/scratch", "w") as out:
        out.write("tmp is writable")
    others = []  # the secret, read from another process's environment (make's, pytest's)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as environ:
                others.append(b"do-not-leak" in environ.read())
        except OSError:
            pass
    try:  # a host socket under /run, as the Docker daemon's is
        with socket.socket(socket.AF_UNIX) as unix:
            unix.connect(input["socket"])
        host_socket = True
    except OSError:
        host_socket = False
    try:  # the build tree the next run reuses
        open("poisoned-by-a-snippet", "w").close()
        os.remove("poisoned-by-a-snippet")
        wrote_tree = True
    except OSError:
        wrote_tree = False
    trace("reach", {
        "secret": os.environ.get("AWS_SECRET_ACCESS_KEY"), "wrote_outside": wrote, "network": network,
        "secret_elsewhere": any(others), "host_socket": host_socket, "wrote_tree": wrote_tree,
    })
"""


@pytest.mark.runners
@pytest.mark.parametrize("sandbox", ["auto", "off"])
def test_a_local_snippet_gets_no_secret_and_in_the_sandbox_no_file_outside_its_tree(
    tmp_path, pytester, monkeypatch, sandbox
):
    import json

    outside = tmp_path / "outside.txt"
    folder = pytester.path / "patterns" / "reach"
    folder.mkdir(parents=True)
    (folder / "reach.py").write_text(REACH_SNIPPET)
    sandboxed = sandbox == "auto"
    reached = str(not sandboxed).lower()
    server = socket.create_server(("127.0.0.1", 0))
    unix = socket.socket(socket.AF_UNIX)
    unix_path = Path("/run") / f"async-suite-test-{os.getpid()}.sock"
    unix.bind(str(unix_path))
    unix.listen()
    (folder / "pattern.yaml").write_text(
        "id: reach\ntitle: Reach\ncategory: combinators\nsummary: What a snippet can reach.\n"
        "snippets:\n  python: {file: reach.py}\nscenarios:\n  - name: reaches\n"
        f"    input: {{outside: {json.dumps(str(outside))}, port: {server.getsockname()[1]}, "
        f"socket: {json.dumps(str(unix_path))}}}\n"
        f"    expect:\n      - [0, reach, {{secret: null, wrote_outside: {reached}, network: {reached}, "
        f"secret_elsewhere: {reached}, host_socket: {reached}, wrote_tree: {reached}}}]\n"
    )
    (pytester.path / "languages").symlink_to(REPO / "languages", target_is_directory=True)
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "do-not-leak")
    monkeypatch.setenv("SANDBOX", sandbox)
    results = tmp_path / "results.json"
    run = pytester.runpytest_subprocess(
        "-p", "harness.plugin", f"--suite-root={pytester.path}", f"--cache-dir={REPO / '.cache'}",
        "--runtime=local", f"--results={results}", "patterns",
    )  # fmt: skip
    text = "\n".join(run.outlines)
    assert run.ret == 0, text
    assert ("local runners: sandboxed (bubblewrap)" in text) == sandboxed
    assert "do-not-leak" not in results.read_text()
    assert outside.exists() != sandboxed
    server.close()
    unix.close()
    unix_path.unlink()


DETACHED_SNIPPET = """
import subprocess

from suite import trace


async def run(input):
    # a process of its own session, as a daemon would start it: no process group reaches it
    subprocess.Popen(["sleep", input["seconds"]], start_new_session=True)
    trace("started")
"""


def _processes_running(argv: list[str]) -> list[int]:
    wanted = "\0".join(argv).encode() + b"\0"
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if cmdline.read() == wanted:
                    found.append(int(pid))
        except OSError:
            pass
    return found


@pytest.mark.runners
def test_in_the_sandbox_nothing_a_snippet_starts_outlives_the_run(tmp_path, pytester, monkeypatch):
    if not LocalRuntime(tmp_path).sandbox.on:
        pytest.skip("bubblewrap does not work here")
    seconds = f"{300 + os.getpid() % 1000}.5"  # names this test's own process
    folder = pytester.path / "patterns" / "detached"
    folder.mkdir(parents=True)
    (folder / "detached.py").write_text(DETACHED_SNIPPET)
    (folder / "pattern.yaml").write_text(
        "id: detached\ntitle: Detached\ncategory: combinators\nsummary: A process of its own session.\n"
        "snippets:\n  python: {file: detached.py}\nscenarios:\n  - name: starts\n"
        f"    input: {{seconds: '{seconds}'}}\n    expect:\n      - [0, started]\n"
    )
    (pytester.path / "languages").symlink_to(REPO / "languages", target_is_directory=True)
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.setenv("SANDBOX", "on")
    run = pytester.runpytest_subprocess(
        "-p", "harness.plugin", f"--suite-root={pytester.path}", f"--cache-dir={REPO / '.cache'}",
        "--runtime=local", f"--results={tmp_path / 'results.json'}", "patterns",
    )  # fmt: skip
    text = "\n".join(run.outlines)
    assert run.ret == 1, text  # charged to its scenario: it left a process running
    assert "still running after the window: 1 child process (sleep)" in text
    assert _processes_running(["sleep", seconds]) == []


@pytest.mark.parametrize(
    "declaration",
    [
        "@Deprecated final class Dup {}",
        '@SuppressWarnings("unused") public abstract class Dup {}',
        "sealed interface Dup permits Timeout {}",
        "record Dup(int a) {}",
        "@Deprecated enum Dup { A }",
        "@interface Dup {}",
    ],
)
def test_a_java_type_declared_twice_is_seen_whatever_annotations_and_modifiers_it_has(suite_root, declaration):
    """Probe 21, N46: `@Deprecated final class Dup {}` in two patterns slipped past the check, and javac
    then failed every Java scenario."""
    for id in ("timeout", "all_settled"):
        folder = copy_pattern(suite_root, id)
        java = next(folder.glob("*.java"))
        java.write_text(java.read_text() + f"\n{declaration}\n")
    catalogue = Catalogue(suite_root)
    for id in ("timeout", "all_settled"):
        with pytest.raises(SpecError) as error:
            catalogue.pattern(id)
        said = "\n".join(error.value.problems)
        assert "java name Dup is declared again at" in said
        assert "patterns/timeout/Timeout.java:" in said and "patterns/all_settled/AllSettled.java:" in said


@pytest.mark.parametrize("id, name", [("string", "String"), ("object", "Object"), ("thread", "Thread")])
def test_a_pattern_id_whose_java_class_would_shadow_java_lang_is_refused(suite_root, id, name):
    """Probe 21, N47: pattern `string` gave a class patterns.String, which shadows java.lang.String in
    every snippet of the shared package: the whole Java build failed."""
    folder = copy_pattern(suite_root, "timeout", id)
    for java in folder.glob("*.java"):
        java.rename(java.with_name(java.name.replace("Timeout", name)))
        java = java.with_name(java.name.replace("Timeout", name))
        java.write_text(java.read_text().replace("Timeout", name))
    spec = folder / "pattern.yaml"
    spec.write_text(spec.read_text().replace("Timeout", name))
    with pytest.raises(SpecError) as error:
        Catalogue(suite_root).pattern(id)
    said = "\n".join(error.value.problems)
    line = next(n for n, text in enumerate(spec.read_text().splitlines(), 1) if text.startswith("  java:"))
    assert f"patterns/{id}/pattern.yaml:{line}: snippets.java: java spells the key {id} as {name} (pascal)" in said
    assert "a name of java.lang" in said
    assert f"patterns/{id}/{name}.java:" in said and f"java name {name} is reserved" in said  # the declaration too


def test_a_java_snippet_declaring_a_java_lang_name_is_refused_naming_its_line(suite_root):
    folder = copy_pattern(suite_root, "timeout")
    java = folder / "Timeout.java"
    java.write_text(java.read_text() + "\n@Deprecated final class Integer {}\n")
    with pytest.raises(SpecError) as error:
        Catalogue(suite_root).pattern("timeout")
    lines = java.read_text().count("\n")
    assert f"patterns/timeout/Timeout.java:{lines}: java name Integer is reserved: a name of java.lang" in str(
        error.value
    )


def test_a_go_pattern_id_internal_is_refused(suite_root):
    copy_pattern(suite_root, "timeout", "internal")
    with pytest.raises(
        SpecError, match=r"pattern.yaml:\d+: snippets.go: go spells the key internal as internal \(id\)"
    ):
        Catalogue(suite_root).pattern("internal")


def test_keywords_are_left_to_the_snippets_own_code(suite_root):
    """A keyword (`type`) breaks only the placeholder make new-pattern lays out; a written snippet
    names its own functions, and the build trees prefix every key (tests/test_containment.py builds it)."""
    copy_pattern(suite_root, "timeout", "type")
    assert Catalogue(suite_root).pattern("type").id == "type"
