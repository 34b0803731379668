"""The harness's architecture holds: layers import only the layers below them (the import-linter
contracts in pyproject.toml), no two modules import each other through any chain, and no module
uses another's private names. Each check is also shown to catch a harness that breaks it."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

REPO = Path(__file__).resolve().parents[1]
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(LINT, cwd=root, capture_output=True, text=True, timeout=120)


def copy_of_the_harness(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "harness", tmp_path / "harness", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_every_layer_contract_is_kept():
    run = lint_imports(REPO)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_an_import_that_runs_up_the_layers_is_caught(tmp_path):
    root = copy_of_the_harness(tmp_path)
    spec = root / "harness" / "catalogue" / "spec.py"
    spec.write_text(spec.read_text() + "\nfrom harness.running.trace import compare  # noqa\n")
    run = lint_imports(root)
    assert run.returncode != 0
    assert "harness.catalogue.spec -> harness.running.trace" in run.stdout


def module_cycles(package: str, path: Path) -> list[list[str]]:
    """Every cycle of direct imports between the package's modules (one path per cycle found)."""
    sys.path.insert(0, str(path))
    try:
        graph = grimp.build_graph(package, cache_dir=None)
    finally:
        sys.path.remove(str(path))
    imports = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    cycles, state = [], {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(imports.get(module, ())):
            if state.get(target) == "open":
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(graph.modules):
        if module not in state:
            visit(module, [module])
    return cycles


def test_no_module_imports_another_that_imports_it_back():
    assert module_cycles("harness", REPO) == []


def test_a_cycle_between_modules_is_caught(tmp_path, monkeypatch):
    root = copy_of_the_harness(tmp_path)
    lines = root / "harness" / "running" / "lines.py"
    lines.write_text(lines.read_text() + "\nfrom harness.running import client  # noqa\n")
    for name in [m for m in sys.modules if m == "harness" or m.startswith("harness.")]:
        monkeypatch.delitem(sys.modules, name)  # grimp reads the copy, not the harness imported here
    cycles = module_cycles("harness", root)
    assert ["harness.running.client", "harness.running.lines", "harness.running.client"] in cycles


def private_uses(root: Path) -> list[str]:
    """`from harness.x import _name` and `harness.x._name`: another module's private names."""
    found = []
    for path in sorted((root / "harness").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("harness"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{path.relative_to(root)}:{node.lineno}: {node.module}.{alias.name}")
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                owner = ast.unparse(node.value)
                if owner.startswith("harness.") or owner == "harness":
                    found.append(f"{path.relative_to(root)}:{node.lineno}: {owner}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names():
    assert private_uses(REPO) == []


@pytest.mark.parametrize(
    "line",
    [
        "from harness.running.trace import _match_ordered  # noqa",
        "import harness.running.trace\nharness.running.trace._PLAIN",
    ],
)
def test_a_private_name_used_from_outside_is_caught(tmp_path, line):
    root = copy_of_the_harness(tmp_path)
    timeline = root / "harness" / "outputs" / "timeline.py"
    timeline.write_text(timeline.read_text() + f"\n{line}\n")
    assert len(private_uses(root)) == 1
