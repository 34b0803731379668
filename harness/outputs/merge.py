"""Several results files read as one run: `make report RESULTS=a.json:b.json`.

Runs that split a selection between them (JavaScript at 20 and 22 in one, Python and Go in another,
or the same language at versions only an image holds) are reported together. Each file is read and
checked as `load_results` reads one; then they must be runs of one catalogue: the same commit and the
same specs (their `patterns` lists equal), the same tick, and each target (`javascript@20`) at one
exact version. Anything else is refused naming both files, unless `allow_mixed` (then the first
file's specs, tick and version win, and what no longer fits them is left out).

The merged document is a results document like any other (it passes the same checks), plus
`run.merged`, which names each file and what it contributed:

* its selection is the union of the files' targets, languages in the catalogue's order (the order
  their entries come in), a language's targets in the order they first appear;
* one entry per cell: the one that ran (a cell that ran in two files is refused, naming the cell
  and both files); a `not run` entry only where no file ran the cell, and only for a target of the
  merged selection (a language that no file selected keeps its plain `not run` cells);
* runtime the one runtime, or `local+docker` when both appear; started the earliest, finished the
  latest, exit status the worst; each target's version and timing margin from the file that ran it.

Slices (`make test SHARD=i/N`) merge like any runs; the slices of one split must share their
selection and their N, and each slice may come once. What should be there and is not goes into
`run.missing`, and its cells stay `not run`, never a silently smaller run: a slice of the split
that no file holds, and each target of `expected` (the selection a CI matrix ran, one job per
target) that no file ran.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from harness.catalogue.selection import at_version
from harness.outputs.results import (
    ResultsFileError,
    check_results,
    entry_key,
    expected_cells,
    load_results,
    versions_run,
)

# Outcomes of cells that did not run: they say nothing a file that ran the cell does not say better.
IDLE = ("not run", "not applicable")


class MergeError(ResultsFileError):
    """Results files that cannot be read as one run."""


def ran(entry: dict[str, Any]) -> bool:
    return entry["outcome"] not in IDLE


def cell_name(key: tuple[str, str, str]) -> str:
    pattern, label, scenario = key
    return f"{pattern}[{label}:{scenario}]"


def read_results(paths: Sequence[Path], allow_mixed: bool = False) -> dict[str, Any]:
    """The results document of `paths`: the file itself when there is one (and it is no slice of a
    split), else their merge."""
    if not paths:
        raise MergeError("no results file named")
    if len(paths) == 1:
        doc = load_results(paths[0])
        if "shard" not in doc["run"]:
            return doc
    return merge_results([(path, load_results(path)) for path in paths], allow_mixed)


def merge_results(
    files: Sequence[tuple[Path, dict[str, Any]]],
    allow_mixed: bool = False,
    expected: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One results document from several read ones, given as (path, document) in the order named.
    `expected`: target -> its `run.languages` entry, for each target that must have run."""
    _refuse_repeats([path for path, _ in files])
    problems = _split_problems(files) + ([] if allow_mixed else _mixed(files))
    if problems:
        raise MergeError(
            "\n".join(
                [
                    *problems,
                    "results files merge only when they are runs of one catalogue (one commit, the same specs, "
                    "the same tick); run them again from one checkout, or give --allow-mixed "
                    "(ALLOW_MIXED=1) to merge them anyway",
                ]
            )
        )
    docs = [doc for _, doc in files]
    first = docs[0]
    patterns = _patterns(docs)
    missing = [f"slice {slice} of {group}" for group, slices in _missing_slices(files).items() for slice in slices]
    targets = _targets(docs)
    absent = [target for target in (expected or {}) if target not in targets]
    missing += [f"{target}: no results file ran it" for target in absent]
    selection = {"languages": _targets(docs, absent), "patterns": _selected_patterns(docs, patterns)}
    run: dict[str, Any] = {
        "started": _earliest([d["run"]["started"] for d in docs]),
        "finished": _latest([d["run"]["finished"] for d in docs]),
        "runtime": _runtime([d["run"]["runtime"] for d in docs]),
        "tick_ms": first["run"]["tick_ms"],
        "early_ms": first["run"]["early_ms"],
        "jobs": max(d["run"]["jobs"] for d in docs),
        "spread": _spread(files),
        "commit": first["run"]["commit"] if len({d["run"]["commit"] for d in docs}) == 1 else None,
        "exit_status": max([*(d["run"]["exit_status"] for d in docs), 1 if missing else 0]),
        "selection": selection,
        "languages": {},
        "margin": {},
        "missing": missing,
    }
    for target in selection["languages"]:
        info = next((d["run"]["languages"][target] for d in docs if target in d["run"]["languages"]), None)
        info = info or (expected or {}).get(target)
        if info is not None:
            run["languages"][target] = info
        margins = [d["run"]["margin"][target] for d in docs if target in d["run"]["margin"]]
        if margins:
            run["margin"][target] = _margin(margins)
    merged = {"schema": first["schema"], "run": run, "patterns": patterns, "results": []}

    chosen, conflicts = _cells(files)
    if conflicts:
        shown = [f"{cell_name(key)} ran in both {files[a][0]} and {files[b][0]}" for key, a, b in conflicts[:10]]
        more = [f"... and {len(conflicts) - 10} more cells"] if len(conflicts) > 10 else []
        raise MergeError(
            "\n".join(
                [
                    *shown,
                    *more,
                    "a cell's result must come from one run: merge runs that did not run the same cells "
                    "(select them apart with LANG and PATTERN)",
                ]
            )
        )
    contributed, left_out = [0] * len(files), [0] * len(files)
    cells = _in_writers_order(merged, _language_order(docs))
    for key in cells:
        if key in chosen:
            entry, source = chosen[key]
            contributed[source] += ran(entry)
        else:  # only where the specs were mixed: a cell of the first file's specs that another file lacks
            entry = _not_run(patterns, key)
        merged["results"].append(entry)
    for key in chosen.keys() - set(cells):  # only where the specs were mixed: a cell the first file's lack
        entry, source = chosen[key]
        left_out[source] += ran(entry)
    run["merged"] = [
        {
            "file": str(path),
            "commit": doc["run"]["commit"],
            "runtime": doc["run"]["runtime"],
            "started": doc["run"]["started"],
            "finished": doc["run"]["finished"],
            "targets": list(doc["run"]["selection"]["languages"]),
            **({"shard": "{index}/{count}".format(**doc["run"]["shard"])} if "shard" in doc["run"] else {}),
            "exit_status": doc["run"]["exit_status"],
            "scenarios": count,
            "left_out": dropped,
        }
        for (path, doc), count, dropped in zip(files, contributed, left_out)
    ]
    check_results(
        merged,
        "the merge of " + ", ".join(str(path) for path, _ in files),
        "this is a bug of the merge; report it with the files named",
    )
    return merged


def _refuse_repeats(paths: list[Path]) -> None:
    seen: dict[Path, Path] = {}
    for path in paths:
        same = seen.setdefault(path.resolve(), path)
        if same is not path:
            raise MergeError(f"{path}: named twice (as {same} and {path}); name each results file once")


def _split_of(doc: dict[str, Any]) -> str:
    """The split a slice belongs to, in words: its N and its selection."""
    selection = doc["run"]["selection"]
    patterns = ",".join(selection["patterns"]) or "every pattern"
    return f"{doc['run']['shard']['count']} of {','.join(selection['languages'])} ({patterns})"


def _split_problems(files: Sequence[tuple[Path, dict[str, Any]]]) -> list[str]:
    """A slice given twice: its cells would come from two runs."""
    seen: dict[tuple[str, int], Path] = {}
    problems = []
    for path, doc in files:
        if "shard" in doc["run"]:
            key = (_split_of(doc), doc["run"]["shard"]["index"])
            if key in seen:
                problems.append(f"{seen[key]} and {path} are both slice {key[1]} of {key[0]}: give each slice once")
            seen.setdefault(key, path)
    return problems


def _missing_slices(files: Sequence[tuple[Path, dict[str, Any]]]) -> dict[str, list[int]]:
    """Per split (in words), the slices no file holds."""
    held: dict[str, set[int]] = {}
    counts: dict[str, int] = {}
    for _, doc in files:
        if "shard" in doc["run"]:
            split = _split_of(doc)
            held.setdefault(split, set()).add(doc["run"]["shard"]["index"])
            counts[split] = doc["run"]["shard"]["count"]
    return {
        split: missing
        for split, indexes in held.items()
        if (missing := [i for i in range(1, counts[split] + 1) if i not in indexes])
    }


def _mixed(files: Sequence[tuple[Path, dict[str, Any]]]) -> list[str]:
    """What makes the files runs of different catalogues or settings, each naming both files."""
    problems = []
    (path, doc), rest = files[0], files[1:]
    for other, odoc in rest:
        if doc["run"]["commit"] != odoc["run"]["commit"]:
            problems.append(
                f"{path} and {other} are runs of different commits: "
                f"{doc['run']['commit'] or 'none (not a git work tree)'} and "
                f"{odoc['run']['commit'] or 'none (not a git work tree)'}"
            )
        if doc["patterns"] != odoc["patterns"]:
            problems.append(f"{path} and {other} hold different specs: {_spec_difference(doc, odoc)}")
        for key in ("tick_ms", "early_ms"):
            if doc["run"][key] != odoc["run"][key]:
                problems.append(
                    f"{path} and {other} ran with different {key}: {doc['run'][key]:g} and {odoc['run'][key]:g}"
                )
    for i, (path, doc) in enumerate(files):
        for other, odoc in files[i + 1 :]:
            for target, info in doc["run"]["languages"].items():
                theirs = odoc["run"]["languages"].get(target)
                if theirs and info["version"] and theirs["version"] and info["version"] != theirs["version"]:
                    problems.append(
                        f"{path} and {other} ran {target} at different versions: "
                        f"{info['version']} and {theirs['version']}"
                    )
    return problems


def _spec_difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    """The first thing that differs between two files' specs, in words."""
    ours, theirs = {p["id"]: p for p in a["patterns"]}, {p["id"]: p for p in b["patterns"]}
    if only := sorted(set(ours) ^ set(theirs)):
        return "pattern(s) in one only: " + ", ".join(only[:5]) + (", ..." if len(only) > 5 else "")
    for id, pattern in ours.items():
        if pattern != theirs[id]:
            keys = [k for k in pattern if pattern[k] != theirs[id].get(k)]
            return f"pattern {id} differs in {', '.join(keys)}"
    return "the patterns come in another order"


def _patterns(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The specs: the first file's, then any pattern only a later file holds (mixed specs only)."""
    patterns = list(docs[0]["patterns"])
    ids = {p["id"] for p in patterns}
    for doc in docs[1:]:
        for pattern in doc["patterns"]:
            if pattern["id"] not in ids:
                patterns.append(pattern)
                ids.add(pattern["id"])
    return patterns


def _language_order(docs: list[dict[str, Any]]) -> list[str]:
    """The catalogue's order of languages, as the files' entries come in it (then any language a
    selection names that no entry does)."""
    order: dict[str, None] = {}
    for doc in docs:
        for entry in doc["results"]:
            order.setdefault(entry["language"], None)
    for doc in docs:
        for target in doc["run"]["selection"]["languages"]:
            order.setdefault(target.partition("@")[0], None)
    return list(order)


def _targets(docs: list[dict[str, Any]], more: Sequence[str] = ()) -> list[str]:
    """Every file's targets once, and `more`: languages in the catalogue's order, a language's
    targets in the order they first appear."""
    order = _language_order(docs)
    order += [language for language in dict.fromkeys(t.partition("@")[0] for t in more) if language not in order]
    rank = {language: i for i, language in enumerate(order)}
    targets = list(dict.fromkeys([*(t for doc in docs for t in doc["run"]["selection"]["languages"]), *more]))
    return sorted(targets, key=lambda t: (rank[t.partition("@")[0]], targets.index(t)))


def _in_writers_order(doc: dict[str, Any], languages: list[str]) -> list[tuple[str, str, str]]:
    """The cells `doc` must hold, in the order `make test` writes them: per pattern, per language
    (in the catalogue's order) at each version run, the not-applicable cells, then each snippet by
    label; scenarios in spec order."""
    versions, cells = versions_run(doc), []
    for pattern in doc["patterns"]:
        scenarios = [s["name"] for s in pattern["scenarios"]]
        for language in languages:
            labels = [language] if language in pattern["not_applicable"] else []
            labels += sorted(s["label"] for s in pattern["snippets"] if s["language"] == language)
            cells += [
                (pattern["id"], at_version(label, version), name)
                for version in versions.get(language, [None])
                for label in labels
                for name in scenarios
            ]
    listed = set(cells)
    return cells + [cell for cell in expected_cells(doc) if cell not in listed]


def _selected_patterns(docs: list[dict[str, Any]], patterns: list[dict[str, Any]]) -> list[str]:
    """The union of the patterns selected, in spec order; [] (every one) when a file selected all."""
    if any(not d["run"]["selection"]["patterns"] for d in docs):
        return []
    wanted = {p for d in docs for p in d["run"]["selection"]["patterns"]}
    return [p["id"] for p in patterns if p["id"] in wanted]


def _instant(stamp: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _earliest(stamps: list[str]) -> str:
    moments = [_instant(s) for s in stamps]
    if any(m is None for m in moments):
        return min(stamps)
    return min(zip(moments, stamps))[1]


def _latest(stamps: list[str]) -> str:
    moments = [_instant(s) for s in stamps]
    if any(m is None for m in moments):
        return max(stamps)
    return max(zip(moments, stamps))[1]


def _runtime(runtimes: list[str]) -> str:
    kinds = {part for runtime in runtimes for part in runtime.split("+")}
    return "local+docker" if kinds >= {"local", "docker"} else runtimes[0]


def _spread(files: Sequence[tuple[Path, dict[str, Any]]]) -> str:
    spreads = list(dict.fromkeys(doc["run"]["spread"] for _, doc in files))
    if len(spreads) == 1:
        return spreads[0]
    return "; ".join(f"{path.name}: {doc['run']['spread']}" for path, doc in files)


def _margin(margins: list[dict[str, Any]]) -> dict[str, Any]:
    """One target's timing margin over the files that ran it."""
    worst = max(margins, key=lambda m: m["max_lateness_ms"])
    return {
        "passed": sum(m["passed"] for m in margins),
        "scenarios": sum(m["scenarios"] for m in margins),
        "max_lateness_ms": worst["max_lateness_ms"],
        "worst": worst["worst"],
        "build": ", ".join(dict.fromkeys(m["build"] for m in margins)),
    }


def _cells(
    files: Sequence[tuple[Path, dict[str, Any]]],
) -> tuple[dict[tuple[str, str, str], tuple[dict[str, Any], int]], list[tuple[tuple[str, str, str], int, int]]]:
    """Per cell, the entry to keep and the index of its file; and the cells that ran in two files
    (cell, first file's index, second's). An entry that ran wins over one that did not; of those
    that did not, `not applicable` (the specs' word) over `not run`."""
    chosen: dict[tuple[str, str, str], tuple[dict[str, Any], int]] = {}
    conflicts = []
    for i, (_, doc) in enumerate(files):
        for entry in doc["results"]:
            key = entry_key(entry)
            kept = chosen.get(key)
            if kept is None:
                chosen[key] = (entry, i)
            elif ran(entry) and ran(kept[0]):
                conflicts.append((key, kept[1], i))
            elif ran(entry) or (not ran(kept[0]) and entry["outcome"] == "not applicable"):
                chosen[key] = (entry, i)
    return chosen, conflicts


def _not_run(patterns: list[dict[str, Any]], key: tuple[str, str, str]) -> dict[str, Any]:
    """A `not run` entry for a cell no file holds (the specs were mixed)."""
    pattern_id, label, scenario_name = key
    pattern = next(p for p in patterns if p["id"] == pattern_id)
    scenario = next(s for s in pattern["scenarios"] if s["name"] == scenario_name)
    target, _, variant = label.partition("/")
    language, _, version = target.partition("@")
    plain = f"{language}/{variant}" if variant else language
    applicable = language not in pattern["not_applicable"]
    pinned = scenario["divergences"].get(plain) if applicable else None
    return {
        "pattern": pattern_id,
        "scenario": scenario_name,
        "snippet": plain,
        "language": language,
        "version": version or None,
        "variant": variant or None,
        "outcome": "not run" if applicable else "not applicable",
        "divergence": {"reason": pinned["reason"], "stale": False} if pinned else None,
        "expected": pinned["expect"] if pinned else (scenario["expect"] if applicable else []),
        "observed": [],
        "max_lateness_ms": None,
        "message": "" if applicable else pattern["not_applicable"][language],
        "report": None,
        "stderr": [],
        "truncated": False,
        "seconds": None,
    }
