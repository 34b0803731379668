"""The "How languages differ" page: questions users ask, answered per language from the run's specs.

The questions are data (questions.yaml, next to this module): each names the pattern and
scenario(s) whose traces answer it. A snippet with no divergence pinned there answers as the spec
does; a snippet with one answers otherwise, shown with the pin's reason and how its trace differs.
A question asking what error the caller gets (`shapes: true`) is answered, besides, by the error
shape pinned for each snippet there; one asking how a process run alone ends (`endings: true`), by
the ending pinned for each snippet (its exit status and the classes of what it printed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.base.errors import SpecError, SuiteError
from harness.catalogue import Catalogue
from harness.catalogue.selection import at_version
from harness.catalogue.yamlfile import load_yaml
from harness.outputs.report import semantics
from harness.outputs.report.view import languages_of, page_of, scenario_anchor
from harness.outputs.timeline import short_label
from harness.running.trace import event_key as same_event

QUESTIONS_FILE = Path(__file__).resolve().parent / "questions.yaml"

_SCHEMA = {
    "type": "object",
    "required": ["questions"],
    "additionalProperties": False,
    "properties": {
        "questions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "ask", "spec", "pattern", "scenarios"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
                    "ask": {"type": "string", "minLength": 1},
                    "spec": {"type": "string", "minLength": 1},
                    "pattern": {"type": "string", "minLength": 1},
                    "scenarios": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                    "about": {"enum": [topic for topic, *_ in semantics.TOPICS]},
                    "shapes": {"type": "boolean"},
                    "endings": {"type": "boolean"},
                },
            },
        }
    },
}


@dataclass(frozen=True)
class Question:
    id: str
    ask: str
    spec: str  # the spec's answer, in words
    pattern: str
    scenarios: tuple[str, ...]
    about: str | None  # the semantics topic it asks about; None: any pinned difference answers otherwise
    where: str  # file:line of the question, for messages
    shapes: bool = False  # answered by the error shape pinned for each snippet as well
    endings: bool = False  # answered by the ending pinned for each snippet as well (scenarios run alone)


def load_questions(path: Path, known: Mapping[str, frozenset[str] | None], complete: bool) -> list[Question]:
    """The questions of `path`, each checked against the catalogue `known` (pattern id: its scenario
    names, or None where they cannot be told). With `complete`, `known` is the whole catalogue and a
    pattern not in it is an error; otherwise it is only what the run holds, and such a question is
    answered as not in this run. SpecError names the file and line of every problem."""
    doc = load_yaml(path)
    doc.validate(_SCHEMA)
    questions, problems, seen = [], [], set()
    for i, entry in enumerate(doc.data["questions"]):
        if entry["id"] in seen:
            problems.append(doc.problem(["questions", i, "id"], f"question id {entry['id']!r} is used twice"))
        seen.add(entry["id"])
        pattern = entry["pattern"]
        if pattern not in known:
            if complete:
                ids = ", ".join(sorted(known)) or "none"
                problems.append(
                    doc.problem(["questions", i, "pattern"], f"no pattern {pattern!r} in the catalogue (it has: {ids})")
                )
        elif known[pattern] is not None:
            for j, scenario in enumerate(entry["scenarios"]):
                if scenario not in known[pattern]:
                    names = ", ".join(sorted(known[pattern]))
                    problems.append(
                        doc.problem(
                            ["questions", i, "scenarios", j],
                            f"pattern {pattern!r} has no scenario {scenario!r} (it has: {names})",
                        )
                    )
        questions.append(
            Question(
                id=entry["id"],
                ask=entry["ask"],
                spec=entry["spec"],
                pattern=pattern,
                scenarios=tuple(entry["scenarios"]),
                about=entry.get("about"),
                where=f"{path}:{doc.line_of(['questions', i])}",
                shapes=entry.get("shapes", False),
                endings=entry.get("endings", False),
            )
        )
    if problems:
        raise SpecError(problems)
    return questions


def known_patterns(doc: dict[str, Any], catalogue: Catalogue | None) -> tuple[dict[str, frozenset[str] | None], bool]:
    """What questions may name, for load_questions: (pattern id: its scenario names, complete).
    From the checkout's `catalogue` when it has patterns (complete: a pattern it lacks is an error;
    a spec that does not load is known by its id, its scenarios by the run's copy, if any), plus the
    patterns the run holds; from the run's alone otherwise (then not complete: a run may hold part
    of the catalogue)."""
    run = {p["id"]: frozenset(sc["name"] for sc in p["scenarios"]) for p in doc["patterns"]}
    if catalogue is None or not catalogue.pattern_ids:
        return dict(run), False
    try:
        loaded = {p.id: frozenset(sc.name for sc in p.scenarios) for p in catalogue.loadable()}
    except SuiteError:
        loaded = {}
    known: dict[str, frozenset[str] | None] = {id: loaded.get(id, run.get(id)) for id in catalogue.pattern_ids}
    return run | known, True


# -- what the page shows --------------------------------------------------------------------------


@dataclass(frozen=True)
class TraceLine:
    tick: int
    text: str  # the event as the timelines label it: `succeed a 7`
    change: str  # "" (as in the spec), "added" (only the pin has it), "missing" (only the spec has it)


@dataclass(frozen=True)
class Answer:
    label: str  # the snippet: `java`, `java/allof`
    variant: str | None
    scenario: str
    href: str  # the scenario on its pattern's page
    verdict: str  # agrees, differs
    reason: str | None  # the pin's reason (for an agreeing answer: the other difference it is pinned for)
    trace: list[TraceLine]  # differs: the pinned trace, with the spec's events it lacks
    run: str  # this run: held, not run, or the outcome that broke it
    run_state: str  # its state class: divergent/pass, not-run, fail
    shapes: tuple[str, ...] = ()  # the error shapes pinned for it there (on the version that ran)
    ending: dict[str, Any] | None = None  # run alone: the ending pinned for it there ({exit, printed})


@dataclass(frozen=True)
class LanguageAnswer:
    language: str
    answers: list[Answer]  # reference snippet first, then variants, each per scenario
    not_applicable: str | None  # the reason, when the pattern does not apply to the language

    @property
    def verdict(self) -> str:
        """differs if any snippet differs, agrees if every one agrees, n/a or none."""
        if self.not_applicable is not None:
            return "not-applicable"
        if not self.answers:
            return "none"
        return "differs" if any(a.verdict == "differs" for a in self.answers) else "agrees"

    @property
    def snippets(self) -> list[tuple[str, str]]:
        """(name, verdict) per snippet: `reference` or the variant's name; differs when it differs
        in any of the question's scenarios."""
        verdicts: dict[str, str] = {}
        for a in self.answers:
            name = a.variant or "reference"
            verdicts[name] = "differs" if a.verdict == "differs" else verdicts.get(name, "agrees")
        return list(verdicts.items())


@dataclass(frozen=True)
class QuestionView:
    question: Question
    anchor: str
    pattern: dict[str, Any] | None  # None: the pattern is not in this run
    sources: list[tuple[str, str]]  # (scenario, href) it is drawn from
    expect: list[TraceLine]  # the spec's trace (of the first scenario)
    languages: list[LanguageAnswer]


def answered(doc: dict[str, Any], questions: list[Question]) -> list[QuestionView]:
    """Every question, answered per language of the run from the specs it holds."""
    patterns = {p["id"]: p for p in doc["patterns"]}
    outcomes = {(r["pattern"], at_version(r["snippet"], r.get("version")), r["scenario"]): r for r in doc["results"]}
    languages = languages_of(doc)
    views = []
    for q in questions:
        pattern = patterns.get(q.pattern)
        if pattern is None:
            views.append(QuestionView(q, f"q-{q.id}", None, [], [], []))
            continue
        scenarios = {sc["name"]: sc for sc in pattern["scenarios"]}
        chosen = [scenarios[name] for name in q.scenarios if name in scenarios]
        sources = [(sc["name"], page_of(q.pattern) + "#" + scenario_anchor(sc["name"])) for sc in chosen]
        per_language = [  # a column per language, or per language at each version the run named (`go@1.22`)
            _language(q, pattern, chosen, outcomes, target, semantics.reported_version(doc, target))
            for target in languages
        ]
        expect = _trace(chosen[0]["expect"], None) if chosen else []
        views.append(QuestionView(q, f"q-{q.id}", pattern, sources, expect, per_language))
    return views


def _language(
    q: Question, pattern: dict, scenarios: list[dict], outcomes: dict, target: str, version: str | None
) -> LanguageAnswer:
    """The answer of one column: a language, maybe at a version the run named (`go@1.22`)."""
    language, _, named = target.partition("@")
    reason = pattern["not_applicable"].get(language)
    if reason is not None:
        return LanguageAnswer(target, [], reason)
    snippets = sorted(
        (s for s in pattern["snippets"] if s["language"] == language), key=lambda s: s["variant"] is not None
    )
    answers = [
        _answer(
            q,
            pattern,
            scenario,
            snippet,
            outcomes.get((pattern["id"], at_version(snippet["label"], named or None), scenario["name"])),
            version,
        )
        for snippet in snippets
        for scenario in scenarios
    ]
    return LanguageAnswer(target, answers, None)


def _answer(
    q: Question, pattern: dict, scenario: dict, snippet: dict, result: dict | None, version: str | None
) -> Answer:
    """`version`: the one the language's runner reported, which picks a pin qualified by versions."""
    label = snippet["label"]
    divergences = scenario.get("divergences", {})
    key = semantics.pin_in_force(divergences, label, version)
    pin = divergences[key] if key is not None else None
    verdict, reason, trace = "agrees", None, []
    if pin is not None:
        reason = pin["reason"]
        found = semantics.topics(scenario["expect"], pin["expect"], scenario.get("ending"), pin.get("ending"))
        if q.about is None or q.about in found:
            verdict, trace = "differs", _trace(pin["expect"], scenario["expect"])
    shapes = scenario.get("shapes", {})
    shape_key = semantics.pin_in_force(shapes, label, version)
    run, state = _run(result)
    href = page_of(pattern["id"]) + "#" + scenario_anchor(scenario["name"])
    return Answer(
        label,
        snippet["variant"],
        scenario["name"],
        href,
        verdict,
        reason,
        trace,
        run,
        state,
        tuple(shapes[shape_key]) if shape_key is not None else (),
        pin["ending"] if pin is not None and "ending" in pin else scenario.get("ending"),
    )


def _run(result: dict | None) -> tuple[str, str]:
    """What this run saw of the answer: it held, it was not run, or it broke (how)."""
    if result is None or result["outcome"] in ("not run", "not applicable"):
        return "not run", "not-run"
    if result["outcome"] == "pass":
        return "held in this run", "divergent" if result["divergence"] else "pass"
    stale = result["divergence"] and result["divergence"]["stale"]
    return f"this run: {'stale divergence' if stale else result['outcome']}", "fail"


def _trace(events: list[list], spec: list[list] | None) -> list[TraceLine]:
    """`events` as lines, tick by tick; against `spec`, each marked added where the spec lacks it, and
    the spec's events it lacks put in as missing (the comparison's notion of one event: 1 == 1.0)."""
    if spec is None:
        return [TraceLine(tick, short_label(ev, fields), "") for tick, ev, fields in events]
    own = Counter((tick, same_event(ev, fields)) for tick, ev, fields in events)
    theirs = Counter((tick, same_event(ev, fields)) for tick, ev, fields in spec)
    extra, lacking = own - theirs, theirs - own
    lines: list[tuple[int, int, TraceLine]] = []
    for i, (tick, ev, fields) in enumerate(events):
        key = (tick, same_event(ev, fields))
        change = ""
        if extra[key]:
            extra[key] -= 1
            change = "added"
        lines.append((tick, i, TraceLine(tick, short_label(ev, fields), change)))
    for i, (tick, ev, fields) in enumerate(spec):
        key = (tick, same_event(ev, fields))
        if lacking[key]:
            lacking[key] -= 1
            lines.append((tick, len(events) + i, TraceLine(tick, short_label(ev, fields), "missing")))
    return [line for *_, line in sorted(lines, key=lambda x: (x[0], x[1]))]
