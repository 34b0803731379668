"""A run in a few lines of Markdown, for a CI job's page ($GITHUB_STEP_SUMMARY): per target what
passed, what passed as pinned, what is not available at that version, what failed or did not run;
then the failures and what is missing, each named as `make test` names it."""

from __future__ import annotations

from typing import Any

from harness.catalogue.selection import at_version

SHOWN_FAILURES = 20  # more than this is a link to the report, not a page of lines

COLUMNS = ("passed", "pinned", "not available", "failed", "not run")


def column(entry: dict[str, Any]) -> str | None:
    outcome = entry["outcome"]
    if outcome == "pass":
        return "pinned" if entry["divergence"] else "passed"
    if outcome == "not applicable":
        return None
    if outcome in ("not available", "not run"):
        return outcome
    return "failed"


def summary(doc: dict[str, Any], title: str = "async pattern suite") -> str:
    run = doc["run"]
    counts: dict[str, dict[str, int]] = {t: dict.fromkeys(COLUMNS, 0) for t in run["selection"]["languages"]}
    failures = []
    patterns = set(run["selection"]["patterns"])  # empty: every one
    for entry in doc["results"]:
        kind, target = column(entry), at_version(entry["language"], entry.get("version"))
        if kind is None or target not in counts or (patterns and entry["pattern"] not in patterns):
            continue
        counts[target][kind] += 1
        if kind == "failed":
            cell = f"{entry['pattern']}[{at_version(entry['snippet'], entry.get('version'))}:{entry['scenario']}]"
            first = (entry["message"] or "").strip().splitlines()[:1]
            failures.append(f"- `{cell}`: {entry['outcome']}" + (f": {first[0][:200]}" if first else ""))
    ok = sum(c["passed"] + c["pinned"] + c["not available"] for c in counts.values())
    ran = sum(sum(c.values()) - c["not run"] for c in counts.values())
    idle = sum(c["not run"] for c in counts.values())
    verdict = "as the specs say" if not failures and not run.get("missing") else "NOT as the specs say"
    lines = [
        f"### {title}: {ok} of {ran} scenarios run {verdict}" + (f"; {idle} not run" if idle else ""),
        "",
        f"tick {run['tick_ms']:g} ms · runtime {run['runtime']}"
        + (f" · commit {run['commit'][:12]}" if run["commit"] else ""),
        "",
        "| target | " + " | ".join(COLUMNS) + " |",
        "|---|" + "---:|" * len(COLUMNS),
    ]
    lines += [f"| {target} | " + " | ".join(str(c[k]) for k in COLUMNS) + " |" for target, c in counts.items()]
    if run.get("missing"):
        lines += ["", "**Missing** (their cells are *not run*):", *(f"- {what}" for what in run["missing"])]
    if failures:
        lines += ["", f"**Failed** ({len(failures)}):", *failures[:SHOWN_FAILURES]]
        if len(failures) > SHOWN_FAILURES:
            lines.append(f"- ... and {len(failures) - SHOWN_FAILURES} more: see the report")
    return "\n".join(lines) + "\n"
