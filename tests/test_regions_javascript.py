"""Every JavaScript `[pattern]` region stands alone, as readers copy it: pasted into an empty ES module
it parses (`node --check`), names nothing that is not defined there or a global of the Node.js that
runs the snippets, imports nothing it does not use (ESLint's no-undef and no-unused-vars), and names
nothing of the suite helper (`#suite`: trace, op, ...), whose work an adapter passes in instead.

ESLint is pinned and installed under .cache/toolchains/eslint by `make check-runners`; its globals
are read from that Node.js itself, so they are exactly what a module can use there."""

from __future__ import annotations

import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from harness.base.errors import ToolchainError
from harness.catalogue.languages import load_languages
from harness.catalogue.regions import Region, find_region
from harness.runtimes.toolchain import find_toolchain

REPO = Path(__file__).resolve().parents[1]
ESLINT = REPO / ".cache" / "toolchains" / "eslint" / "node_modules" / "eslint" / "bin" / "eslint.js"
SUITE = REPO / "languages" / "javascript" / "template" / "suite.js"
# Every name the helper exports, the runner's side included.
HELPER = set(re.findall(r"^export (?:async )?(?:function\*?|class|const|let) (\w+)", SUITE.read_text(), re.M))
ESLINT_CONFIG = """\
export default [{
  languageOptions: {
    ecmaVersion: "latest",
    sourceType: "module",
    globals: Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, "readonly"])),
  },
  rules: {
    "no-undef": "error",
    "no-unused-vars": ["error", { vars: "all", args: "none", caughtErrors: "none" }],
  },
}];
"""


def javascript_snippets() -> list[tuple[str, str]]:
    """(path from the repository root, source) of every JavaScript snippet of every pattern."""
    found = []
    for spec in sorted((REPO / "patterns").glob("*/pattern.yaml")):
        snippets = yaml.safe_load(spec.read_text(encoding="utf-8")).get("snippets", {})
        for name, snippet in snippets.items():
            if name == "javascript" or name.startswith("javascript/"):
                path = spec.parent / snippet["file"]
                found.append((str(path.relative_to(REPO)), path.read_text(encoding="utf-8")))
    return found


def node() -> str:
    try:
        return find_toolchain(load_languages(REPO / "languages")["javascript"]).tools["node"]
    except ToolchainError as exc:
        pytest.fail(str(exc), pytrace=False)


def region_problems(snippets: list[tuple[str, str]], scratch: Path) -> list[str]:
    """What keeps each snippet's region from standing alone, as `<snippet>:<line>: <problem>`."""
    if not ESLINT.is_file():
        pytest.fail(f"ESLint is missing ({ESLINT.relative_to(REPO)}): `make check-runners` installs it", pytrace=False)
    node_bin, scratch = node(), scratch.resolve()  # ESLint names files by their real path
    problems: list[str] = []
    regions: dict[Path, tuple[str, Region]] = {}
    for name, source in snippets:
        region = find_region(source, name)
        module = scratch / (name.replace("/", "__") + ".mjs")
        module.write_text(region.text + "\n", encoding="utf-8")
        regions[module] = (name, region)
        for offset, line in enumerate(region.text.splitlines()):
            if "#suite" in line or "suite.js" in line:
                problems.append(f"{name}:{region.first_line + offset}: names the suite helper: {line.strip()}")

    def where(module: Path, line: int, column: int | None = None) -> str:
        name, region = regions[module]
        return f"{name}:{region.first_line + line - 1}" + (f":{column}" if column else "")

    # A module's syntax, as Node.js itself parses it: one file per invocation.
    def check(module: Path) -> str | None:
        done = subprocess.run([node_bin, "--check", str(module)], capture_output=True, text=True, timeout=60)
        if done.returncode == 0:
            return None
        said = done.stderr.strip().splitlines()
        line = re.search(r":(\d+)$", said[0]) if said else None
        error = next((s for s in said if re.match(r"\w*Error\b", s)), said[-1] if said else "")
        return f"{where(module, int(line[1])) if line else regions[module][0]}: does not parse: {error}"

    with ThreadPoolExecutor(max_workers=2) as pool:
        problems += [p for p in pool.map(check, regions) if p]

    # Every module's names, in one ESLint run.
    (scratch / "eslint.config.mjs").write_text(ESLINT_CONFIG, encoding="utf-8")
    command = [node_bin, str(ESLINT), "--format", "json", "--config", "eslint.config.mjs", *map(str, regions)]
    done = subprocess.run(command, cwd=scratch, capture_output=True, text=True, timeout=300)
    if done.returncode not in (0, 1):
        pytest.fail(f"ESLint failed (exit {done.returncode}):\n{done.stderr}", pytrace=False)
    for result in json.loads(done.stdout):
        module = Path(result["filePath"])
        for message in result["messages"]:
            text = f"{where(module, message['line'], message['column'])}: {message['message']}"
            undefined = re.fullmatch(r"'(\w+)' is not defined\.", message["message"])
            if undefined and undefined[1] in HELPER:
                text += " (the suite helper's: take it from the caller, as a function or a hook)"
            problems.append(f"{text} ({message.get('ruleId') or 'syntax'})")
    return problems


@pytest.mark.runners
def test_every_javascript_region_stands_alone(tmp_path):
    snippets = javascript_snippets()
    assert snippets, "no JavaScript snippet found"
    problems = region_problems(snippets, tmp_path)
    assert not problems, "regions that do not stand alone:\n" + "\n".join(problems)


WRONG = {
    "patterns/w/calls_trace.js": """\
import { op, trace } from "#suite";

// [pattern]
export async function twice(task) {
  trace("first");
  return [await task(), await task()];
}
// [/pattern]
""",
    "patterns/w/misses_import.js": """\
// [pattern]
import { readFile } from "node:fs/promises";

export async function later(ms, value) {
  await sleep(ms);
  return value;
}
// [/pattern]
""",
    "patterns/w/does_not_parse.js": """\
// [pattern]
export const factor = = 1;
// [/pattern]
""",
    "patterns/w/imports_the_helper.js": """\
// [pattern]
import { op } from "#suite";

export const first = (spec) => op(spec);
// [/pattern]
""",
}


@pytest.mark.runners
def test_the_check_names_the_file_and_line_of_what_keeps_a_region_from_standing_alone(tmp_path):
    problems = region_problems(list(WRONG.items()), tmp_path)
    expected = [
        "patterns/w/calls_trace.js:5:3: 'trace' is not defined. (the suite helper's",
        "patterns/w/misses_import.js:2:10: 'readFile' is defined but never used.",
        "patterns/w/misses_import.js:5:9: 'sleep' is not defined.",
        "patterns/w/does_not_parse.js:2: does not parse: SyntaxError: Unexpected token '='",
        'patterns/w/imports_the_helper.js:2: names the suite helper: import { op } from "#suite";',
    ]
    for start in expected:
        assert any(problem.startswith(start) for problem in problems), f"{start!r} not in:\n" + "\n".join(problems)
