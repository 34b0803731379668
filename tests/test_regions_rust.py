"""Every Rust snippet's `[pattern]` region stands alone, as readers copy it: it names nothing from
the suite helper, and pasted on its own into a module it compiles, with no unused import.

All the regions are checked at once: a scratch crate with each region as a module of its own
(`src/<key>.rs`), depending on tokio exactly as the runner's template does (its features, and its
Cargo.lock for the version), is given to one `cargo check`. Its target directory is kept in
.cache/, so tokio is compiled once. Each problem is reported at its snippet's file and line.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from harness.base.errors import SuiteError
from harness.catalogue.languages import load_languages
from harness.catalogue.regions import find_region
from harness.runtimes.toolchain import find_toolchain

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "languages" / "rust" / "template"
TARGET = REPO / ".cache" / "regions-rust" / "target"
SUITE = re.compile(r"\bsuite\b")  # `crate::suite::...`, `suite::trace`
# What the suite helper exports: a region naming one of them that it does not define is using it.
HELPER = {"trace", "ticks", "sleep_until", "op", "max_in_flight", "Op", "Outcome", "Failure"}
# `#![deny(unused)]` makes an unused import (or variable, or `mut`) an error; nothing calls the
# regions' items here, so dead code is no problem.
LIB_HEADER = "#![deny(unused)]\n#![allow(dead_code)]\n\n"

pytestmark = pytest.mark.runners


def rust_snippets() -> list[Path]:
    """Every Rust snippet (variants too) of every pattern, as pattern.yaml lists them."""
    found = []
    for spec in sorted((REPO / "patterns").glob("*/pattern.yaml")):
        snippets = yaml.safe_load(spec.read_text(encoding="utf-8"))["snippets"]
        for name, snippet in snippets.items():
            if name.split("/")[0] == "rust":
                found.append(spec.parent / snippet["file"])
    return found


def tokio_dependency() -> str:
    """The template's tokio line of Cargo.toml, re-written: the same version and features."""
    tokio = tomllib.loads((TEMPLATE / "Cargo.toml").read_text(encoding="utf-8"))["dependencies"]["tokio"]
    fields = ", ".join(f"{key} = {json.dumps(value)}" for key, value in tokio.items())
    return f"tokio = {{ {fields} }}"


def check_regions(snippets: dict[str, str], crate: Path) -> list[str]:
    """Problems of the regions of `snippets` (a name to show, such as the snippet's path, to its
    source), one line each, located at the snippet's line; none when every region stands alone."""
    problems = []
    modules = {}  # module name -> (snippet name, line of the region's first line in the snippet)
    src = crate / "src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    for index, (name, source) in enumerate(snippets.items()):
        try:
            region = find_region(source, name)
        except SuiteError as exc:
            problems.append(str(exc))
            continue
        for offset, line in enumerate(region.text.splitlines()):
            if SUITE.search(line.split("//")[0]):
                problems.append(f"{name}:{region.first_line + offset}: names the suite helper: {line.strip()}")
        module = f"region_{index}"
        modules[module] = (name, region.first_line)
        (src / f"{module}.rs").write_text(region.text + "\n", encoding="utf-8")
    (src / "lib.rs").write_text(LIB_HEADER + "".join(f"mod {module};\n" for module in modules), encoding="utf-8")
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "regions"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
        f"[dependencies]\n{tokio_dependency()}\n",
        encoding="utf-8",
    )
    shutil.copy(TEMPLATE / "Cargo.lock", crate / "Cargo.lock")  # the same tokio, nothing fetched

    toolchain = find_toolchain(load_languages(REPO / "languages")["rust"])
    done = subprocess.run(
        [toolchain.tools["cargo"], "check", "--quiet", "--message-format=json"],
        cwd=crate,
        env=toolchain.env({**os.environ, "CARGO_TARGET_DIR": str(TARGET)}),
        capture_output=True,
        text=True,
        timeout=900,
    )
    for line in done.stdout.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-message" and message["message"]["level"] in ("error", "warning"):
            problems.append(_locate(message["message"], modules))
    problems = sorted(filter(None, problems), key=_place)
    if done.returncode != 0 and not problems:
        problems.append(f"cargo check failed:\n{done.stderr}")
    return problems


def _place(problem: str) -> tuple[str, int]:
    """A problem's snippet and line, to sort by."""
    name, line, _ = (problem.split(":", 2) + ["", ""])[:3]
    return (name, int(line) if line.isdigit() else 0)


def _locate(diagnostic: dict, modules: dict[str, tuple[str, int]]) -> str | None:
    """One compiler diagnostic as `snippet:line: error[E0425]: ...`, with a hint when it is about a
    name of the suite helper; None for the summary lines (`aborting due to ...`)."""
    code = (diagnostic.get("code") or {}).get("code", "")
    if re.fullmatch(r"E\d+", code):  # an error code, else a lint's name
        text = f"{diagnostic['level']}[{code}]: {diagnostic['message']}"
    else:
        text = f"{diagnostic['level']}: {diagnostic['message']}" + (f" ({code})" if code else "")
    primary = next((span for span in diagnostic["spans"] if span["is_primary"]), None)
    if primary is None:
        return None if diagnostic["message"].startswith(("aborting due to", "could not compile")) else text
    module = Path(primary["file_name"]).stem
    if module not in modules:
        return f"{primary['file_name']}:{primary['line_start']}: {text}"
    name, first_line = modules[module]
    named = set(re.findall(r"`(\w+)`", diagnostic["message"])) & HELPER
    if named and code in ("E0412", "E0422", "E0425", "E0433"):  # a name not found
        text += f" (the suite helper's `{named.pop()}`? a region takes the work it runs, or a hook, from its caller)"
    return f"{name}:{first_line + primary['line_start'] - 1}: {text}"


def test_every_rust_region_stands_alone(tmp_path):
    snippets = {str(path.relative_to(REPO)): path.read_text(encoding="utf-8") for path in rust_snippets()}
    assert len(snippets) >= 30, sorted(snippets)
    problems = check_regions(snippets, tmp_path / "crate")
    assert problems == [], "regions that do not stand alone:\n" + "\n".join(problems)


WRONG = {
    # The region traces by itself instead of taking a hook.
    "calls_trace.rs": """\
use serde_json::json;

use crate::suite::trace;

// [pattern]
fn enter(from: &str, to: &str) {
    trace("state", json!({"from": from, "to": to}));
}
// [/pattern]
""",
    # ... or imports the helper inside the region.
    "imports_the_helper.rs": """\
// [pattern]
use std::time::Duration;

use crate::suite::ticks;

fn cooldown() -> Duration {
    ticks(2)
}
// [/pattern]
""",
    # JoinSet is used, never imported: the adapter's import does not travel with the region.
    "missing_import.rs": """\
use tokio::task::JoinSet;

// [pattern]
async fn first() -> Option<u32> {
    let mut set = JoinSet::new();
    set.spawn(async { 1 });
    set.join_next().await.map(Result::unwrap)
}
// [/pattern]
""",
    # Imported, never used.
    "unused_import.rs": """\
// [pattern]
use std::time::Duration;

fn nothing() {}
// [/pattern]
""",
    "fine.rs": """\
// [pattern]
use tokio::time::{sleep, Duration};

async fn pause() {
    sleep(Duration::from_millis(1)).await;
}
// [/pattern]
""",
}


def test_the_check_catches_regions_that_do_not_stand_alone(tmp_path):
    problems = check_regions(WRONG, tmp_path / "crate")
    # Each wrong region at its snippet's line, and nothing about the fine one.
    located = {problem.split(": ", 1)[0] for problem in problems}
    assert located == {"calls_trace.rs:7", "imports_the_helper.rs:4", "missing_import.rs:5", "unused_import.rs:2"}
    text = "\n".join(problems)
    assert "error[E0425]: cannot find function `trace` in this scope (the suite helper's `trace`? " in text
    assert "names the suite helper: use crate::suite::ticks;" in text
    assert "`JoinSet`" in text and "unused import: `std::time::Duration`" in text
