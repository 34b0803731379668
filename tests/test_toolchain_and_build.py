"""Local toolchain discovery and content-addressed build trees, with stand-in tools."""

import os
import stat
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from harness.base.errors import BuildError, ToolchainError
from harness.catalogue.languages import holds, load_language
from harness.catalogue.spec import Snippet
from harness.runtimes.build import build_tree, in_repository, named_by_build_error, tree_hash
from harness.runtimes.images import tag_version
from harness.runtimes.toolchain import find_toolchain

LANGUAGE_YAML = """\
name: fake
title: Fake
image: fake:1
toolchain:
  tools: [fakec]
  version: ["{fakec}", --version]
  version_regex: 'fakec (\\d+(?:\\.\\d+)*)'
  minimum: "2.0"
  home_env: FAKE_HOME
  search: ["%(search)s"]
  install_hint: Install fakec 2 or later.
build:
  - ["{fakec}", build]
run: [./runner]
"""


def make_tool(bin_dir: Path, version: str, build_exit: int = 0) -> None:
    bin_dir.mkdir(parents=True, exist_ok=True)
    tool = bin_dir / "fakec"
    tool.write_text(
        textwrap.dedent(f"""\
        #!/bin/sh
        if [ "$1" = --version ]; then echo "fakec {version}"; exit 0; fi
        echo * > built.txt
        echo "patterns/demo/demo.fk:3: syntax error" >&2
        exit {build_exit}
        """)
    )
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def language(tmp_path, monkeypatch):
    folder = tmp_path / "languages" / "fake"
    (folder / "template").mkdir(parents=True)
    (folder / "language.yaml").write_text(LANGUAGE_YAML % {"search": str(tmp_path / "jdks" / "*" / "bin")})
    (folder / "template" / "registry.txt.j2").write_text(
        "{% for s in snippets %}{{ s.key }}={{ s.path }}\n{% endfor %}"
    )
    (folder / "template" / "static.txt").write_text("static")
    monkeypatch.setenv("PATH", str(tmp_path / "path-bin"))
    monkeypatch.delenv("FAKE_HOME", raising=False)
    return load_language(folder / "language.yaml")


def test_missing_tool_says_what_to_do(language):
    with pytest.raises(ToolchainError) as info:
        find_toolchain(language)
    assert str(info.value) == (
        "Fake: needs fakec >= 2.0 (found: no `fakec` on PATH). "
        "Install fakec 2 or later. Put it on PATH or set FAKE_HOME."
    )


def test_too_old_on_path_then_newer_found_by_search(language, tmp_path):
    make_tool(tmp_path / "path-bin", "1.9")
    with pytest.raises(ToolchainError, match=r"found: .*path-bin/fakec is 1\.9\)"):
        find_toolchain(language)
    make_tool(tmp_path / "jdks" / "v2" / "bin", "2.1.0")
    toolchain = find_toolchain(language)
    assert toolchain.version == "2.1.0" and toolchain.bin_dir == tmp_path / "jdks" / "v2" / "bin"


def test_relative_search_is_relative_to_the_suite_root_not_the_working_directory(tmp_path, monkeypatch):
    folder = tmp_path / "suite" / "languages" / "fake"
    folder.mkdir(parents=True)
    (folder / "language.yaml").write_text(LANGUAGE_YAML % {"search": ".cache/toolchains/fake/*/bin"})
    language = load_language(folder / "language.yaml")
    make_tool(tmp_path / "suite" / ".cache" / "toolchains" / "fake" / "v2" / "bin", "2.2")
    make_tool(tmp_path / "elsewhere" / ".cache" / "toolchains" / "fake" / "v3" / "bin", "3.0")
    monkeypatch.setenv("PATH", str(tmp_path / "path-bin"))
    monkeypatch.delenv("FAKE_HOME", raising=False)
    monkeypatch.chdir(tmp_path / "elsewhere")
    toolchain = find_toolchain(language)
    assert toolchain.version == "2.2"
    assert toolchain.bin_dir == (tmp_path / "suite").resolve() / ".cache" / "toolchains" / "fake" / "v2" / "bin"


def test_home_env_wins_over_path(language, tmp_path, monkeypatch):
    make_tool(tmp_path / "path-bin", "3.0")
    make_tool(tmp_path / "home" / "bin", "2.5")
    monkeypatch.setenv("FAKE_HOME", str(tmp_path / "home"))
    assert find_toolchain(language).version == "2.5"


def snippet(tmp_path: Path, text: str = "code") -> Snippet:
    file = tmp_path / "patterns" / "demo" / "demo.fk"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text)
    return Snippet("demo", "fake", None, file, ())


def test_tree_is_rendered_built_once_and_keyed_by_content(language, tmp_path):
    make_tool(tmp_path / "path-bin", "2.0")
    toolchain = find_toolchain(language)
    env = toolchain.env(dict(os.environ))
    snippets = [snippet(tmp_path)]
    first = build_tree(language, toolchain, snippets, tmp_path / "cache", env)
    assert not first.cached
    assert (first.path / "registry.txt").read_text() == "demo=patterns/demo/demo.fk\n"
    assert (first.path / "static.txt").read_text() == "static"
    assert (first.path / "patterns" / "demo" / "demo.fk").read_text() == "code"
    assert "registry.txt" in (first.path / "built.txt").read_text()
    again = build_tree(language, toolchain, snippets, tmp_path / "cache", env)
    assert again.cached and again.path == first.path
    before = tree_hash(language, toolchain.version, snippets)
    assert tree_hash(language, "2.1", snippets) != before
    snippet(tmp_path, "other code")
    assert tree_hash(language, toolchain.version, snippets) != before


def test_the_files_a_snippet_loads_are_copied_beside_it_and_named_by_their_place(language, tmp_path, monkeypatch):
    """`files:` in a spec: a module the snippet loads at run time is in the tree, beside the
    snippet's copy (a variant's folder too), part of the tree's hash, and named as in the repository."""
    monkeypatch.chdir(tmp_path)
    make_tool(tmp_path / "path-bin", "2.0")
    toolchain = find_toolchain(language)
    file = snippet(tmp_path).file
    module = file.with_name("demo_module.fk")
    module.write_text("module")
    variant = Snippet("demo", "fake", "file", file, (), files=(module,))
    built = build_tree(language, toolchain, [variant], tmp_path / "cache", toolchain.env(dict(os.environ)))
    assert (built.path / "patterns" / "demo__file" / "demo_module.fk").read_text() == "module"
    assert (built.path / "patterns" / "demo__file" / "demo.fk").read_text() == "code"
    before = tree_hash(language, toolchain.version, [variant])
    module.write_text("another module")
    assert tree_hash(language, toolchain.version, [variant]) != before
    stack = "at file:///suite/tree/patterns/demo__file/demo_module.fk?load=2:3:1"
    assert in_repository(stack, [variant]) == "at patterns/demo/demo_module.fk?load=2:3:1"


def test_build_failure_names_the_snippet_file(language, tmp_path, monkeypatch):
    make_tool(tmp_path / "path-bin", "2.0", build_exit=1)
    monkeypatch.chdir(tmp_path)
    toolchain = find_toolchain(language)
    with pytest.raises(BuildError) as info:
        build_tree(language, toolchain, [snippet(tmp_path)], tmp_path / "cache", toolchain.env(dict(os.environ)))
    message = str(info.value)
    assert message.startswith("Fake build failed: ")
    assert message.endswith("patterns/demo/demo.fk:3: syntax error")


def test_copies_of_a_snippet_are_named_by_its_place_in_the_repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    variant = Snippet("demo", "fake", "gather", snippet(tmp_path).file, ())  # copied as patterns/demo__gather/
    text = (
        f"{tmp_path}/.cache/build/fake/0123/patterns/demo__gather/demo.fk:3: error\n"  # local cache, absolute
        '  File "/suite/tree/patterns/demo__gather/demo.fk", line 3\n'  # inside a container
        "--> patterns/demo__gather/demo.fk:1:5\n"  # relative to the tree
        "patterns/other/demo.fk:2"  # another pattern's file: untouched
    )
    assert in_repository(text, [variant]).splitlines() == [
        "patterns/demo/demo.fk:3: error",
        '  File "patterns/demo/demo.fk", line 3',
        "--> patterns/demo/demo.fk:1:5",
        "patterns/other/demo.fk:2",
    ]


def test_a_build_error_blames_a_snippet_by_a_line_of_its_file_or_by_the_package_that_cannot_load(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    file = snippet(tmp_path).file
    plain = Snippet("demo", "fake", None, file, ())  # copied as patterns/demo/
    variant = Snippet("demo", "fake", "gather", file, ())  # copied as patterns/demo__gather/
    both = [plain, variant]
    assert named_by_build_error("patterns/demo/demo.fk:3: syntax error", [plain]) == [plain]
    # Go, when a snippet imports a package this Go has no files for (iter on Go 1.22): no line
    go_122 = (
        "Go build failed: `go build -o runner .` exited with 1 in /cache/build/go/0123\n"
        "package asyncsuite\n\timports asyncsuite/patterns/demo__gather\n"
        "\timports iter: build constraints exclude all Go files in GOROOT/src/iter"
    )
    assert named_by_build_error(go_122, both) == [variant]
    own_files = "package asyncsuite\n\timports asyncsuite/patterns/demo: build constraints exclude all Go files"
    assert named_by_build_error(own_files, both) == [plain]
    # a folder named inside a longer path, or another pattern's folder, blames no one
    assert named_by_build_error("in /cache/patterns/demo/x\nimports asyncsuite/patterns/demo_two\n", both) == []


def test_a_language_that_shares_build_output_builds_one_tree_at_a_time(tmp_path, monkeypatch):
    """Rust's trees share one cargo target directory and copy the runner out of it afterwards: two
    trees building at once would copy each other's runner, so such a language locks as a whole."""
    folder = tmp_path / "languages" / "fake"
    (folder / "template").mkdir(parents=True)
    (folder / "language.yaml").write_text(LANGUAGE_YAML % {"search": str(tmp_path / "none")} + "build_lock: language\n")
    language = load_language(folder / "language.yaml")
    log = tmp_path / "builds.log"
    bin_dir = tmp_path / "path-bin"
    bin_dir.mkdir()
    tool = bin_dir / "fakec"
    tool.write_text(
        f'#!/bin/sh\nif [ "$1" = --version ]; then echo "fakec 2.0"; exit 0; fi\n'
        f"echo start >> {log}; sleep 0.3; echo end >> {log}\n"
    )
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(bin_dir))
    toolchain = find_toolchain(language)
    env = toolchain.env(dict(os.environ))

    def build(code: str) -> None:
        source = tmp_path / code / "demo.fk"
        source.parent.mkdir()
        source.write_text(code)
        build_tree(language, toolchain, [Snippet("demo", "fake", None, source, ())], tmp_path / "cache", env)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(build, ["one", "two"]))
    assert log.read_text().split() == ["start", "end", "start", "end"]


@pytest.mark.parametrize(
    "ref, meant",
    [
        ("python:3.13-slim-bookworm", "3.13"),
        ("async-suite-standin/python:3.13-slim-bookworm", "3.13"),
        ("eclipse-temurin:25-jdk-noble", "25"),
        ("node:24-bookworm-slim", "24"),
        ("registry.example:5000/golang:1.26", "1.26"),
        ("python:latest", None),
        ("python", None),
        ("python@sha256:" + "a" * 64, None),
        ("my/image:bookworm-3.13", None),  # the version must lead the tag
    ],
)
def test_an_image_tag_names_the_version_it_leads_with(ref, meant):
    assert tag_version(ref) == meant


@pytest.mark.parametrize(
    "version, meant, held",
    [("3.13.5", "3.13", True), ("3.11.2", "3.13", False), ("3.1", "3.13", False), ("25.0.3", "25", True)],
)
def test_a_version_holds_the_tag_it_starts_with(version, meant, held):
    assert holds(version, meant) is held
