"""Every Python snippet's `[pattern]` region stands alone: pasted into an empty file, it names nothing
from the suite helper (languages/python/template/suite.py), pyflakes finds nothing in it (no
undefined name, no unused import), and the toolchain's python3 compiles it.

The regions are analysed in this process and compiled by one python3 run; every problem is
reported at its snippet's file and line.
"""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path

import pytest
import yaml
from pyflakes import messages
from pyflakes.checker import Checker

from harness.catalogue.languages import load_languages
from harness.catalogue.regions import Region, find_region
from harness.runtimes.toolchain import find_toolchain

pytestmark = pytest.mark.runners

REPO = Path(__file__).resolve().parents[1]
HELPER = REPO / "languages" / "python" / "template" / "suite.py"
HELPER_NAMES = {
    node.name
    for node in ast.parse(HELPER.read_text(encoding="utf-8")).body
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_")
}
# Run by the toolchain's python3: compiles each region it is given on stdin, says where one does not.
COMPILE = """
import json, sys
for n, text in enumerate(json.load(sys.stdin)):
    try:
        compile(text, "region", "exec", dont_inherit=True)
    except SyntaxError as exc:
        print(json.dumps([n, exc.lineno or 1, f"{type(exc).__name__}: {exc.msg}"]))
"""


def python_snippets(patterns: Path) -> list[Path]:
    """The file of every Python snippet (`python` or `python/<variant>`) the pattern specs name."""
    found = []
    for spec in sorted(patterns.glob("*/pattern.yaml")):
        snippets = yaml.safe_load(spec.read_text(encoding="utf-8")).get("snippets") or {}
        for label, snippet in snippets.items():
            if label.split("/")[0] == "python":
                found.append(spec.parent / snippet["file"])
    return found


def imported_modules(node: ast.AST) -> set[str]:
    """The top-level modules an import statement imports from (none for other nodes)."""
    if isinstance(node, ast.Import):
        return {alias.name.split(".")[0] for alias in node.names}
    if isinstance(node, ast.ImportFrom) and node.level == 0:
        return {(node.module or "").split(".")[0]}
    return set()


def lint(text: str) -> list[tuple[int, str]]:
    """(line in the region, problem) for what a pasted region would lack or name in vain."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        return [(exc.lineno or 1, f"does not parse: {exc.msg}")]
    found = [
        (node.lineno, "imports the suite helper: only the adapter, outside the region, may")
        for node in ast.walk(tree)
        if "suite" in imported_modules(node)
    ]
    for message in Checker(tree, filename="region").messages:
        name = message.message_args[0] if message.message_args else None
        if isinstance(message, messages.UndefinedName) and name in HELPER_NAMES:
            what = f"names the suite helper's `{name}`: take the work, or a hook the adapter wires to it, instead"
        else:
            what = f"pyflakes: {message.message % message.message_args}"
        found.append((message.lineno, what))
    return found


def region_problems(snippets: list[Path]) -> list[str]:
    """Every problem of the snippets' regions, as `<file>:<line>: <problem>`, in file order."""
    regions: dict[Path, Region] = {path: find_region(path.read_text(encoding="utf-8"), str(path)) for path in snippets}

    def at(path: Path, line: int) -> tuple[str, int]:
        """Where a region's line is in its snippet file."""
        return str(path.relative_to(REPO) if path.is_relative_to(REPO) else path), regions[path].first_line + line - 1

    found = [(at(path, line), what) for path, region in regions.items() for line, what in lint(region.text)]
    python3 = find_toolchain(load_languages(REPO / "languages")["python"]).tools["python3"]
    paths, texts = list(regions), [region.text for region in regions.values()]
    proc = subprocess.run(
        [python3, "-c", COMPILE], input=json.dumps(texts), capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, f"{python3} could not compile the regions:\n{proc.stderr}"
    for line in proc.stdout.splitlines():
        n, lineno, what = json.loads(line)
        found.append((at(paths[n], lineno), f"python3 ({python3}) does not compile it: {what}"))
    return [f"{file}:{line}: {what}" for (file, line), what in sorted(found)]


def test_every_python_region_stands_alone():
    snippets = python_snippets(REPO / "patterns")
    assert len(snippets) > 30, snippets  # every pattern has one: none went unchecked
    problems = region_problems(snippets)
    if problems:
        pytest.fail("regions that do not stand alone:\n" + "\n".join(problems), pytrace=False)


WRONG = {
    "calls_trace.py": '''
"""A region that reports through the suite helper instead of a hook."""

from suite import op, trace

# isort: split
# [pattern]
import asyncio


async def all_or_nothing(coros):
    trace("started")
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(coro) for coro in coros]
    return [task.result() for task in tasks]


# [/pattern]


async def run(data):
    trace("result", values=await all_or_nothing([op(spec) for spec in data["ops"]]))
''',
    "misses_an_import.py": '''
"""A region that uses asyncio, imported by the adapter only, and imports what it does not use."""

import asyncio

from suite import op, trace

# isort: split
# [pattern]
import time


async def all_or_nothing(coros):
    return await asyncio.gather(*coros)


# [/pattern]


async def run(data):
    trace("result", values=await all_or_nothing([op(spec) for spec in data["ops"]]))
''',
    "imports_the_helper.py": """
# [pattern]
from suite import op


async def first(spec):
    return await op(spec)
# [/pattern]
""",
}


def test_the_check_names_the_file_and_line_of_each_wrong_region(tmp_path: Path):
    folder = tmp_path / "patterns" / "wrong"
    folder.mkdir(parents=True)
    for name, text in WRONG.items():
        (folder / name).write_text(text.lstrip("\n"), encoding="utf-8")
    (folder / "pattern.yaml").write_text(
        yaml.safe_dump(
            {
                "id": "wrong",
                "snippets": {
                    "python": {"file": "calls_trace.py"},
                    "python/missing": {"file": "misses_an_import.py"},
                    "python/helper": {"file": "imports_the_helper.py"},
                    "go": {"file": "wrong.go"},  # another language's: not read
                },
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    snippets = python_snippets(tmp_path / "patterns")
    assert [path.name for path in snippets] == ["calls_trace.py", "misses_an_import.py", "imports_the_helper.py"]
    assert region_problems(snippets) == [
        f"{folder}/calls_trace.py:11: names the suite helper's `trace`: take the work, or a hook the adapter "
        "wires to it, instead",
        f"{folder}/imports_the_helper.py:2: imports the suite helper: only the adapter, outside the region, may",
        f"{folder}/misses_an_import.py:9: pyflakes: 'time' imported but unused",
        f"{folder}/misses_an_import.py:13: pyflakes: undefined name 'asyncio'",
    ]


def test_the_check_names_a_region_the_toolchain_does_not_compile(tmp_path: Path):
    snippet = tmp_path / "broken.py"
    snippet.write_text("# [pattern]\nasync def f():\n    return await\n# [/pattern]\n", encoding="utf-8")
    problems = region_problems([snippet])
    assert problems[0].startswith(f"{snippet}:3: does not parse: "), problems
    assert any(
        problem.startswith(f"{snippet}:3: ") and "does not compile it: SyntaxError" in problem for problem in problems
    )
