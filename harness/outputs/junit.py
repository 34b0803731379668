"""JUnit XML from the results document (results.json), for CI systems.

pytest's own --junitxml names a scenario by its node id with an empty classname, and in a parallel run
its times are those of waiting for a result. Here each (pattern, snippet, scenario) is one test case:
classname `<pattern>.<snippet label>` (`timeout.go`, `all_settled.python/gather`), name the scenario,
its own request time, the failure report (the trace diff) as the failure's text, the runner's stderr
as system-err. One test suite per pattern. Cells of the selected languages and patterns that did not
run are skipped test cases, with the reason (not applicable, or the run stopped before them).
`python -m harness.tools.junit results.json out.xml` converts a saved run.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from harness.base.text import printable
from harness.catalogue.selection import at_version

_FAILED = {"fail", "timeout", "crash", "protocol error"}  # the snippet (or its runner) misbehaved
INTERRUPTED = 2  # a run's exit status when Ctrl-C or SIGTERM ended it (pytest.ExitCode.INTERRUPTED)


def to_junit(document: dict[str, Any]) -> ET.ElementTree:
    run = document["run"]
    languages = set(run["selection"]["languages"])
    patterns = set(run["selection"]["patterns"])
    titles = {p["id"]: p["title"] for p in document["patterns"]}
    root = ET.Element("testsuites", name="async pattern suite")
    suites: dict[str, ET.Element] = {}
    for entry in document["results"]:
        target = entry["language"] + (f"@{entry['version']}" if entry.get("version") else "")
        if target not in languages or (patterns and entry["pattern"] not in patterns):
            continue
        suite = suites.get(entry["pattern"])
        if suite is None:
            suite = suites[entry["pattern"]] = ET.SubElement(
                root, "testsuite", name=entry["pattern"], timestamp=run["started"]
            )
            properties = ET.SubElement(suite, "properties")
            for name, value in (("title", titles.get(entry["pattern"], "")), ("runtime", run["runtime"])):
                ET.SubElement(properties, "property", name=name, value=value)
            if run["exit_status"] == INTERRUPTED:
                ET.SubElement(properties, "property", name="interrupted", value="the run was interrupted")
            ET.SubElement(properties, "property", name="tick_ms", value=f"{run['tick_ms']:g}")
        suite.append(_case(entry, interrupted=run["exit_status"] == INTERRUPTED))
    for element in [*suites.values(), root]:
        _count(element, list(element.iter("testcase")))
    for element in root.iter():  # what snippets printed may hold characters XML cannot
        element.text = printable(element.text) if element.text else element.text
        element.attrib.update({key: printable(value) for key, value in element.attrib.items()})
    ET.indent(root)
    return ET.ElementTree(root)


def _case(entry: dict[str, Any], interrupted: bool) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=f"{entry['pattern']}.{at_version(entry['snippet'], entry.get('version'))}",
        name=entry["scenario"],
        time=f"{entry['seconds'] or 0:.3f}",
    )
    outcome = entry["outcome"]
    first_line = entry["message"].splitlines()[0] if entry["message"] else ""
    summary = f"{outcome}: {first_line}" if first_line else outcome
    if entry["divergence"] is not None:
        summary += f" [pinned divergence: {entry['divergence']['reason']}]"
    if outcome in _FAILED:
        ET.SubElement(case, "failure", message=summary, type=outcome).text = entry["report"] or entry["message"]
    elif outcome == "error":
        ET.SubElement(case, "error", message=summary, type=outcome).text = entry["message"]
    elif outcome == "not applicable":
        ET.SubElement(case, "skipped", message=summary)
    elif outcome == "not run":
        why = "the run was interrupted before it" if interrupted else "deselected, or the run stopped before it"
        ET.SubElement(case, "skipped", message=f"not run: {why}")
    if entry["stderr"]:
        ET.SubElement(case, "system-err").text = "\n".join(entry["stderr"])
    return case


def _count(element: ET.Element, cases: list[ET.Element]) -> None:
    def having(tag: str) -> int:
        return sum(1 for case in cases if case.find(tag) is not None)

    element.set("tests", str(len(cases)))
    element.set("failures", str(having("failure")))
    element.set("errors", str(having("error")))
    element.set("skipped", str(having("skipped")))
    element.set("time", f"{sum(float(case.get('time', 0)) for case in cases):.3f}")


def write_junit(document: dict[str, Any], path: Path) -> None:
    """Write atomically: a reader never sees half a file, and a failed write leaves none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        to_junit(document).write(partial, encoding="utf-8", xml_declaration=True)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
