"""The results of a run as data: results.json, described by harness/schemas/results.schema.json.

One entry per (pattern, snippet, scenario) in spec order, the cells that did not run included
(`not applicable` from a spec's `not_applicable:`, `not run` for what was deselected or interrupted),
plus what the specs say (titles, divergences, `[pattern]` regions) and the run's metadata. Whatever a
runner can make long (messages, event floods, stderr) is cut to a bound and the entry says so.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NoReturn

import jsonschema

from harness.base.errors import SuiteError
from harness.catalogue.regions import read_region
from harness.catalogue.schemas import schema, schema_path
from harness.catalogue.selection import at_version
from harness.catalogue.shard import Shard
from harness.catalogue.spec import Expected, Pattern, Scenario, Snippet
from harness.running.session import Session
from harness.running.trace import observe
from harness.running.verdict import Outcome, ScenarioResult, failure_report

SCHEMA_PATH = schema_path("results")
SCHEMA_VERSION = 1

# Bounds of one entry; more is cut and flagged `truncated`.
MAX_TEXT = 20_000  # characters of a message or report
MAX_EVENTS = 2_000  # observed events
MAX_STDERR_LINES = 200
MAX_LINE = 2_000  # characters of one stderr line


@dataclass
class _Cell:
    result: ScenarioResult | None = None
    error: str | None = None  # the harness could not run it


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class Results:
    """Collects what each scenario gave during a run (from any thread) and writes results.json."""

    def __init__(self, root: Path, jobs: int, selection: dict[str, list[str]], shard: Shard | None = None):
        self.root = root
        self.jobs = jobs
        self.selection = selection
        self.shard = shard
        self.spread = "serial"
        self.started = now()
        self._cells: dict[tuple[str, str, str], _Cell] = {}
        self._lock = threading.Lock()
        self.columns: list[tuple[str, str | None]] = []  # (language, version) in the order entries go

    def record(self, snippet: Snippet, scenario: Scenario, result: ScenarioResult | None, error: str | None) -> None:
        with self._lock:
            self._cells[(snippet.pattern, snippet.run_label, scenario.name)] = _Cell(result, error)

    def record_missing(self, snippet: Snippet, scenario: Scenario, result: ScenarioResult) -> None:
        """A result whose item was never reached (the run was interrupted): kept unless its item said more."""
        with self._lock:
            self._cells.setdefault((snippet.pattern, snippet.run_label, scenario.name), _Cell(result, None))

    def document(self, session: Session, exit_status: int) -> dict[str, Any]:
        patterns = list(session.patterns.values())
        languages = self.selection["languages"]
        return {
            "schema": SCHEMA_VERSION,
            "run": {
                "started": self.started,
                "finished": now(),
                "runtime": session.runtime.name,
                "tick_ms": session.settings.tick_ms,
                "early_ms": session.settings.early_ms,
                "jobs": self.jobs,
                "spread": self.spread,
                "commit": _commit(self.root),
                "exit_status": int(exit_status),
                "selection": self.selection,
                **({"shard": {"index": self.shard.index, "count": self.shard.count}} if self.shard else {}),
                "languages": {name: _language(session, name) for name in languages},
                "margin": {
                    name: {
                        "passed": st.passed,
                        "scenarios": st.scenarios,
                        "max_lateness_ms": round(st.max_lateness_ms, 3),
                        "worst": st.worst,
                        "build": session.pool.builds.get(name, ""),
                    }
                    for name, st in session.stats.items()
                    if st.scenarios
                },
            },
            "patterns": [self._pattern(p) for p in patterns],
            "results": [entry for p in patterns for entry in self._entries(session, p)],
        }

    def write(self, path: Path, session: Session, exit_status: int) -> dict[str, Any]:
        """Write atomically, so a reader never sees half a file; returns what was written."""
        document = self.document(session, exit_status)
        write_document(document, path)
        return document

    # -- the specs ----------------------------------------------------------------------------

    def _relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _pattern(self, pattern: Pattern) -> dict[str, Any]:
        return {
            "id": pattern.id,
            "title": pattern.title,
            "category": pattern.category,
            "summary": pattern.summary,
            "observes": list(pattern.observes),
            "file": self._relative(pattern.path),
            "not_applicable": dict(pattern.not_applicable),
            "snippets": [self._snippet(s) for s in pattern.snippets],
            "scenarios": [
                {
                    "name": sc.name,
                    "input": sc.input,
                    "window": sc.window,
                    "ordered": sc.ordered,
                    "expect": _events(sc.expect),
                    **_one_of(sc.one_of),
                    "divergences": {
                        label: {
                            "reason": d.reason,
                            "expect": _events(d.expect),
                            **({"unsteady": True} if d.unsteady else {}),
                            **_one_of(d.one_of),
                            **({"ending": d.ending.as_yaml()} if d.ending else {}),
                        }
                        for label, d in sc.divergences.items()
                    },
                    **({"alone": True, "ending": sc.ending.as_yaml()} if sc.alone and sc.ending else {}),
                    "shapes": {key: list(pin.shapes) for key, pin in sc.shapes.items()},
                }
                for sc in pattern.scenarios
            ],
        }

    def _snippet(self, snippet: Snippet) -> dict[str, Any]:
        try:
            region = read_region(snippet.file)
            text, lines = region.text, [region.first_line, region.last_line]
        except (SuiteError, OSError):  # no anchors: shown whole by readers, not an error of the run
            text, lines = None, None
        return {
            "label": snippet.label,
            "language": snippet.language,
            "variant": snippet.variant,
            "file": self._relative(snippet.file),
            "uses": list(snippet.uses),
            "loads": [self._relative(file) for file in snippet.files],
            "region": text,
            "region_lines": lines,
        }

    # -- the cells ----------------------------------------------------------------------------

    def _entries(self, session: Session, pattern: Pattern):
        """Language order of the suite (each language at every version the run named), a language's
        snippets by label, scenarios in spec order."""
        for language, version in self.columns:
            if language in pattern.not_applicable:
                for scenario in pattern.scenarios:
                    yield _not_applicable(pattern, language, version, scenario)
            for snippet in sorted((s for s in pattern.snippets if s.language == language), key=lambda s: s.label):
                snippet = snippet.at(version)
                for scenario in pattern.scenarios:
                    cell = self._cells.get((pattern.id, snippet.run_label, scenario.name))
                    yield self._entry(session, snippet, scenario, cell)

    def _entry(self, session: Session, snippet: Snippet, scenario: Scenario, cell: _Cell | None) -> dict[str, Any]:
        version = session.version_of(snippet) if cell else None
        expected, divergence = scenario.expectation_for(snippet, version)
        entry = _blank(snippet.pattern, scenario.name, snippet.label, snippet.language, snippet.variant)
        entry["version"] = snippet.version
        entry["expected"] = _events(expected)
        if divergence is not None:
            entry["divergence"] = {"reason": divergence.reason, "stale": False}
        pin = scenario.shape_for(snippet, version)
        if pin is not None:
            entry["shapes"] = {"key": pin.key, "pinned": list(pin.shapes), "observed": None, "problem": ""}
        if scenario.alone and scenario.ending is not None:
            pinned = scenario.ending_for(snippet, version)
            entry["ending"] = {"pinned": pinned.as_yaml(), "observed": None, "problem": ""}
        if cell is None:
            return entry
        if cell.result is None:
            entry["outcome"] = "error"
            entry["message"], entry["truncated"] = _cut(cell.error or "")
            return entry
        result = cell.result
        if result.alternative is not None:  # of an expect_one_of: the trace it gave, or the closest
            entry["expected"] = _events(
                scenario.traces_for(snippet, session.version_of(snippet))[0][result.alternative]
            )
        tick_ms, early_ms = session.settings.tick_ms, session.settings.early_ms
        events = result.events
        cut = len(events) > MAX_EVENTS
        entry["observed"] = [
            {
                "t_ms": round(o.t, 3),
                "tick": o.tick,
                "ev": o.ev,
                "fields": o.fields,
                "late_ms": round(o.t - o.tick * tick_ms, 3),
            }
            for o in observe(events[:MAX_EVENTS], tick_ms, early_ms)
        ]
        if result.comparison is not None:
            entry["max_lateness_ms"] = round(result.comparison.max_lateness_ms, 3)
        if entry["divergence"] is not None:
            entry["divergence"]["stale"] = result.stale
        if result.shapes or result.shape_pin is not None:
            pin = result.shape_pin
            entry["shapes"] = {
                "key": pin.key if pin else None,
                "pinned": list(pin.shapes) if pin else None,
                "observed": list(result.shapes),
                "problem": result.shape_problem,
            }
        if result.ending_pin is not None:
            entry["ending"] = {
                "pinned": result.ending_pin.as_yaml(),
                "observed": result.ending.as_yaml() if result.ending else None,
                "problem": result.ending_problem,
            }
        entry["outcome"] = result.outcome.value
        entry["seconds"] = round(result.response.seconds, 3)
        entry["message"], cut_message = _cut(result.message)
        if result.outcome is not Outcome.PASS:
            entry["report"], cut_report = _cut(failure_report(result, tick_ms))
            cut = cut or cut_report
        stderr = result.response.stderr
        entry["stderr"] = [line[:MAX_LINE] for line in stderr[-MAX_STDERR_LINES:]]
        cut_stderr = bool(result.response.stderr_cut) or len(stderr) > MAX_STDERR_LINES
        cut_stderr = cut_stderr or any(len(line) > MAX_LINE for line in stderr)
        entry["truncated"] = cut or cut_message or cut_stderr
        return entry


def _blank(pattern: str, scenario: str, label: str, language: str, variant: str | None) -> dict[str, Any]:
    return {
        "pattern": pattern,
        "scenario": scenario,
        "snippet": label,
        "language": language,
        "variant": variant,
        "outcome": "not run",
        "divergence": None,
        "expected": [],
        "observed": [],
        "max_lateness_ms": None,
        "message": "",
        "report": None,
        "stderr": [],
        "truncated": False,
        "seconds": None,
    }


def _not_applicable(pattern: Pattern, language: str, version: str | None, scenario: Scenario) -> dict[str, Any]:
    entry = _blank(pattern.id, scenario.name, language, language, None)
    entry["version"] = version
    entry["outcome"] = "not applicable"
    entry["message"] = pattern.not_applicable[language]
    return entry


def _events(events: tuple[Expected, ...]) -> list[list]:
    return [[e.tick, e.ev, e.fields] for e in events]


def _one_of(traces: tuple[tuple[Expected, ...], ...]) -> dict[str, Any]:
    return {"expect_one_of": [_events(trace) for trace in traces]} if traces else {}


def _cut(text: str) -> tuple[str, bool]:
    if len(text) <= MAX_TEXT:
        return text, False
    return text[:MAX_TEXT] + f"\n[... {len(text) - MAX_TEXT} more characters cut]", True


def _language(session: Session, name: str) -> dict[str, Any]:
    lang = session.languages[name]
    try:
        describe = session.runtime.describe(lang)
    except SuiteError as exc:
        describe = f"NOT AVAILABLE: {exc}"
    return {
        "title": lang.title,
        "version": session.pool.versions.get(name),
        "image": session.runtime.image_of(lang),
        "describe": describe,
    }


def write_document(document: dict[str, Any], path: Path) -> None:
    """Write a results document atomically, so a reader never sees half a file."""
    text = json.dumps(document, indent=1, ensure_ascii=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".partial", delete=False, encoding="utf-8")
    try:
        with out:
            out.write(text + "\n")
        os.chmod(out.name, 0o644)  # a temporary file is private; results are for CI and reports to read
        os.replace(out.name, path)
    finally:
        Path(out.name).unlink(missing_ok=True)  # nothing half written is left


def _commit(root: Path) -> str | None:
    try:
        proc = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.strip() or None if proc.returncode == 0 else None


# -- reading a results file back -------------------------------------------------------------


class ResultsFileError(SuiteError):
    """A results file that is missing, not JSON, or not in the shape readers expect."""


MAX_RESULTS_BYTES = 64 << 20  # a full run's file is about 1 MB; more is not a results file


def load_results(path: Path) -> dict[str, Any]:
    """The results document at `path`, checked against the results schema and its own specs.

    Refused fast, whatever the file holds: one above MAX_RESULTS_BYTES before it is read, nesting
    too deep for the JSON decoder, entries repeated or missing (checked first, in one pass, as the
    schema check is slow on a large file); then the schema, which also holds every id to the
    specs' rules (readers make file names of them)."""
    text = _read(path)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultsFileError(
            f"{path}:{exc.lineno}:{exc.colno}: not JSON ({exc.msg}); was the run cut short?"
        ) from None
    except RecursionError:
        raise ResultsFileError(
            f"{path}: JSON nested too deeply to read; a results file nests a few levels deep, "
            "so this one was not written by `make test`"
        ) from None
    check_results(doc, path)
    return doc


WRITE_AGAIN = "write it again with `make test`"


def check_results(doc: Any, where: Path | str, advice: str = WRITE_AGAIN) -> None:
    """Raise ResultsFileError unless `doc` is a results document readers can trust: its entries one
    per cell of its own specs (checked first, in one pass, when its shape allows), then the schema.
    `where` names it in the messages (a file, or what a document was made from); `advice` says
    what to do about it."""
    readable = _readable_cells(doc)
    if readable and (problems := entry_problems(doc)):
        _refuse_entries(where, problems, advice)
    validator = jsonschema.Draft202012Validator(schema("results"))
    try:
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    except RecursionError:  # nesting the decoder took and the schema's walk does not
        raise ResultsFileError(f"{where}: JSON nested too deeply to check; {advice}") from None
    if errors:
        shown = [f"{where}: at {_where(e.absolute_path)}: {e.message}" for e in errors[:10]]
        more = [f"... and {len(errors) - 10} more"] if len(errors) > 10 else []
        raise ResultsFileError("\n".join([*shown, *more, f"it does not follow {SCHEMA_PATH.name}; {advice}"]))
    if not readable and (problems := entry_problems(doc)):  # the schema holds it to the shape read
        _refuse_entries(where, problems, advice)


def _read(path: Path) -> str:
    """The file's text, read only when it is no larger than MAX_RESULTS_BYTES (a device or a pipe
    named as the results file is read up to the bound, never to its end)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_RESULTS_BYTES + 1)
    except FileNotFoundError:
        raise ResultsFileError(
            f"{path}: no results file; run `make test` first (it writes one), "
            f"or name a saved run with `make report RESULTS=path/to/results.json`"
        ) from None
    except OSError as exc:
        raise ResultsFileError(f"{path}: cannot read the results file: {exc.strerror}") from None
    if len(data) > MAX_RESULTS_BYTES:
        raise ResultsFileError(
            f"{path}: larger than {MAX_RESULTS_BYTES >> 20} MiB; a run's results file is far smaller "
            "(every entry is cut to a bound), so this one was not written by `make test`"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ResultsFileError(f"{path}: byte {exc.start} is not UTF-8; is this a results file?") from None


def _refuse_entries(where: Path | str, problems: list[str], advice: str) -> NoReturn:
    shown = [f"{where}: {problem}" for problem in problems[:10]]
    more = [f"... and {len(problems) - 10} more"] if len(problems) > 10 else []
    why = "it was cut or edited; " if advice == WRITE_AGAIN else ""
    raise ResultsFileError("\n".join([*shown, *more, f"its entries do not match its own specs: {why}{advice}"]))


def _readable_cells(doc: Any) -> bool:
    """Whether `doc` has the shape entry_problems reads (before the schema has checked it): then its
    entries can be checked at once, in one pass, without waiting for the schema's slower walk."""

    def strings(*values: Any) -> bool:
        return all(isinstance(v, str) for v in values)

    def listed(value: Any, *keys: str) -> bool:
        return isinstance(value, list) and all(
            isinstance(i, dict) and strings(*(i.get(k) for k in keys)) for i in value
        )

    if not isinstance(doc, dict) or not isinstance(doc.get("patterns"), list):
        return False
    for pattern in doc["patterns"]:
        if not isinstance(pattern, dict) or not isinstance(pattern.get("id"), str):
            return False
        if not isinstance(pattern.get("not_applicable"), dict):
            return False
        if not listed(pattern.get("snippets"), "label") or not listed(pattern.get("scenarios"), "name"):
            return False
    return listed(doc.get("results"), "pattern", "snippet", "scenario")


def versions_run(doc: dict[str, Any]) -> dict[str, list[str | None]]:
    """language -> the versions a results document's run named for it ([None]: none named)."""
    named: dict[str, list[str | None]] = {}
    for target in doc["run"]["selection"]["languages"]:
        language, _, version = target.partition("@")
        named.setdefault(language, []).append(version or None)
    return named


def expected_cells(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Every (pattern, snippet label at its version, scenario) a results document must hold one entry
    for: each scenario of each snippet at each version run (those not run included), and the
    not-applicable cells."""
    versions, cells = versions_run(doc), []
    for pattern in doc["patterns"]:
        labels = [*pattern["not_applicable"], *(s["label"] for s in pattern["snippets"])]
        cells += [
            (pattern["id"], at_version(label, version), s["name"])
            for label in labels
            for version in versions.get(label.partition("/")[0], [None])
            for s in pattern["scenarios"]
        ]
    return cells


def entry_key(entry: dict[str, Any]) -> tuple[str, str, str]:
    return entry["pattern"], at_version(entry["snippet"], entry.get("version")), entry["scenario"]


def entry_problems(doc: dict[str, Any]) -> list[str]:
    """Entries missing, repeated, or naming what the document's specs do not hold."""
    expected = set(expected_cells(doc))
    seen: dict[tuple[str, str, str], int] = {}
    for entry in doc["results"]:
        key = entry_key(entry)
        seen[key] = seen.get(key, 0) + 1
    problems = [f"entry {p}[{s}:{c}] appears {n} times" for (p, s, c), n in seen.items() if n > 1]
    problems += [f"entry {p}[{s}:{c}] names no cell of its specs" for (p, s, c) in seen if (p, s, c) not in expected]
    missing = [f"{p}[{s}:{c}]" for (p, s, c) in expected_cells(doc) if (p, s, c) not in seen]
    if missing:
        problems.append(
            f"{len(missing)} entries missing: {', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''}"
        )
    return problems


def _where(path) -> str:
    return "/" + "/".join(str(step) for step in path) if path else "the top level"
