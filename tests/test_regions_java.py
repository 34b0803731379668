"""Every Java `[pattern]` region stands alone (the snippet style guide): pasted into an empty file after
a `package` line it compiles, it names nothing from the suite helper, it starts with the imports it
needs (and no others), and it declares one package-private top-level class, whose name is unique in
the `patterns` package. The regions are compiled together, as files of one scratch package, by one
javac run with the build's flags and -Werror; a problem is reported at the snippet's own file and line.
It needs the Java toolchain (marker `runners`)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from harness.catalogue.languages import load_language
from harness.catalogue.regions import find_region
from harness.runtimes.toolchain import find_toolchain

REPO = Path(__file__).resolve().parents[1]
JAVAC_FLAGS = ["--release", "25", "--enable-preview", "-Xlint:all,-preview,-serial", "-Werror"]
HELPER = re.compile(r"\b(?:suite\.\w+|Suite|Json)\b")  # the helper's package and its classes
IMPORT = re.compile(r"^import\s+(static\s+)?([\w.]+?)(\.\*)?\s*;\s*$")
TOP_LEVEL = re.compile(
    r"^(?P<modifiers>(?:(?:public|final|abstract|sealed|non-sealed|strictfp)\s+)*)"
    r"(?:class|interface|enum|record|@interface)\s+(?P<name>\w+)"
)


@dataclass(frozen=True)
class Region:
    snippet: str  # the snippet's path, relative to the suite root
    text: str
    first_line: int  # the snippet's line of the region's first line


def java_regions(root: Path = REPO) -> list[Region]:
    """The region of every Java snippet (java and java/<variant>) of every pattern under root."""
    regions = []
    for spec in sorted((root / "patterns").glob("*/pattern.yaml")):
        snippets = yaml.safe_load(spec.read_text(encoding="utf-8")).get("snippets", {})
        for label, snippet in snippets.items():
            if label.split("/")[0] == "java":
                path = spec.parent / snippet["file"]
                found = find_region(path.read_text(encoding="utf-8"), str(path.relative_to(root)))
                regions.append(Region(str(path.relative_to(root)), found.text, found.first_line))
    return regions


def shape_problems(region: Region, adapters: set[str]) -> list[str]:
    """What the style guide forbids, read from the text: the helper named, an import that is not at
    the start or not used, anything but one package-private top-level class, a taken name."""
    problems = []
    lines = region.text.splitlines()

    def at(index: int) -> str:
        return f"{region.snippet}:{region.first_line + index}"

    code = [
        (i, line) for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith(("//", "*", "/*"))
    ]
    for i, line in enumerate(lines):
        if HELPER.search(line.split("//")[0]):
            problems.append(f"{at(i)}: names the suite helper ({HELPER.search(line)[0]}): {line.strip()}")
    imports = [(i, IMPORT.match(line)) for i, line in code if line.startswith("import ")]
    if code and imports and code[0][0] != imports[0][0]:
        problems.append(f"{at(code[0][0])}: the region must start with its imports")
    body = "\n".join(line for i, line in enumerate(lines) if not line.startswith("import "))
    for i, match in imports:
        if match is None:
            problems.append(f"{at(i)}: not a single-type import: {lines[i].strip()}")
        elif match[3]:
            problems.append(f"{at(i)}: a wildcard import: {lines[i].strip()}")
        elif not re.search(rf"\b{re.escape(match[2].rsplit('.', 1)[1])}\b", body):
            problems.append(f"{at(i)}: unused import: {lines[i].strip()}")
    after = [(i, line) for i, line in code if not line.startswith("import ")]
    if after and any(line.startswith("import ") for i, line in code if i > after[0][0]):
        problems.append(f"{region.snippet}: an import after the first declaration")
    types = [(i, TOP_LEVEL.match(line)) for i, line in after if TOP_LEVEL.match(line)]
    if len(types) != 1:
        names = ", ".join(m["name"] for _, m in types) or "none"
        problems.append(f"{region.snippet}:{region.first_line}: one top-level class expected, found: {names}")
    for i, match in types:
        if "public" in match["modifiers"].split():
            problems.append(f"{at(i)}: {match['name']} must be package-private (the adapter is the public class)")
        if match["name"] in adapters:
            problems.append(f"{at(i)}: {match['name']} is the name of a snippet's adapter class")
    return problems


def compile_regions(regions: list[Region], scratch: Path, javac: str) -> list[str]:
    """Compile every region on its own, as a file of package `patterns`, in one javac run; javac's
    complaints with each scratch file and line replaced by the snippet's."""
    where: dict[str, Region] = {}
    for n, region in enumerate(regions):
        path = scratch / "src" / f"r{n}" / Path(region.snippet).name
        path.parent.mkdir(parents=True)
        # on the region's first line, so that line n of the file is line n of the region
        path.write_text("package patterns; " + region.text + "\n", encoding="utf-8")
        where[str(path)] = region
    run = subprocess.run(
        [javac, *JAVAC_FLAGS, "-d", str(scratch / "classes"), *where],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if run.returncode == 0:
        return []

    def located(match: re.Match) -> str:
        region = where[match["file"]]
        return f"{region.snippet}:{region.first_line + int(match['line']) - 1}"

    files = "|".join(re.escape(path) for path in where)
    return [re.sub(rf"(?P<file>{files}):(?P<line>\d+)", located, run.stdout + run.stderr).rstrip()]


def region_problems(regions: list[Region], scratch: Path, adapters: set[str]) -> list[str]:
    problems = [problem for region in regions for problem in shape_problems(region, adapters)]
    names = {}
    for region in regions:
        for match in map(TOP_LEVEL.match, region.text.splitlines()):
            if match:
                names.setdefault(match["name"], []).append(region.snippet)
    problems += [
        f"{name} is declared by more than one region: {', '.join(by)}" for name, by in names.items() if len(by) > 1
    ]
    javac = find_toolchain(load_language(REPO / "languages" / "java" / "language.yaml")).tools["javac"]
    return problems + compile_regions(regions, scratch, javac)


def adapter_names(regions: list[Region]) -> set[str]:
    return {Path(region.snippet).stem for region in regions}


@pytest.mark.runners
def test_every_java_region_stands_alone(tmp_path):
    regions = java_regions()
    assert len(regions) > 30, "the Java snippets were not found"
    problems = region_problems(regions, tmp_path, adapter_names(regions))
    assert not problems, "\n".join(problems)


WRONG = {
    # calls the trace helper from inside the pattern
    "Traced.java": """\
// [pattern]
import java.util.Map;

final class Traced {
    static void step() {
        Suite.trace("step", Map.of());
    }
}
// [/pattern]
""",
    # uses List without importing it
    "Unimported.java": """\
// [pattern]
final class Unimported {
    static int size(List<String> items) {
        return items.size();
    }
}
// [/pattern]
""",
    # two top-level classes, one public, and an import it never uses
    "Shapeless.java": """\
// [pattern]
import java.time.Duration;

public final class Shapeless {
}

final class Extra {
}
// [/pattern]
""",
}


@pytest.mark.runners
def test_the_check_catches_a_region_that_calls_the_helper_or_misses_an_import(tmp_path):
    regions = []
    for name, source in WRONG.items():
        path = tmp_path / "patterns" / "wrong" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("package patterns;\n\n" + source, encoding="utf-8")
        region = find_region(source, name)
        regions.append(Region(f"patterns/wrong/{name}", region.text, region.first_line + 2))
    problems = "\n".join(region_problems(regions, tmp_path / "scratch", {"Wrong"}))
    # named by the snippet's file and line, by the text check and by javac
    assert "patterns/wrong/Traced.java:8: names the suite helper (Suite)" in problems, problems
    assert re.search(r"patterns/wrong/Traced\.java:8: error: cannot find symbol", problems), problems
    assert re.search(r"patterns/wrong/Unimported\.java:5: error: cannot find symbol", problems), problems
    assert "symbol:   class List" in problems, problems
    assert "patterns/wrong/Shapeless.java:4: unused import: import java.time.Duration;" in problems, problems
    assert "patterns/wrong/Shapeless.java:4: one top-level class expected, found: Shapeless, Extra" in problems
    assert "patterns/wrong/Shapeless.java:6: Shapeless must be package-private" in problems, problems
