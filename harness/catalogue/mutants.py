"""Mutants: plausible wrong versions of a pattern's snippets, declared in patterns/<id>/mutants.yaml
(harness/schemas/mutants.schema.json), each with the scenario that must catch it (`make mutate`)."""

from __future__ import annotations

from dataclasses import dataclass

from harness.base.errors import SpecError
from harness.base.paths import repo_relative
from harness.catalogue.schemas import schema
from harness.catalogue.spec import TODO, Pattern, Snippet
from harness.catalogue.yamlfile import load_yaml

MUTANTS_FILE = "mutants.yaml"


@dataclass(frozen=True)
class Mutant:
    pattern: Pattern
    snippet: Snippet
    id: str
    mistake: str
    find: str
    replace: str
    killed_by: str

    def source(self) -> str:
        return self.snippet.file.read_text(encoding="utf-8").replace(self.find, self.replace, 1)


def load_mutants(pattern: Pattern) -> list[Mutant]:
    """The mutants declared beside a pattern; SpecError naming the file and line of every problem."""
    doc = load_yaml(pattern.path.with_name(MUTANTS_FILE), inside=pattern.path.parent.resolve())
    doc.validate(schema("mutants"))
    snippets = {s.label: s for s in pattern.snippets}
    scenarios = {s.name for s in pattern.scenarios}
    problems: list[str] = []
    mutants: list[Mutant] = []
    seen: set[str] = set()
    for index, raw in enumerate(doc.data["mutants"]):
        at = ["mutants", index]
        if raw["id"] in seen:
            problems.append(doc.problem([*at, "id"], f"mutant id {raw['id']!r} is used twice"))
        seen.add(raw["id"])
        snippet = snippets.get(raw["snippet"])
        if snippet is None:
            known = ", ".join(sorted(snippets))
            problems.append(doc.problem([*at, "snippet"], f"no snippet {raw['snippet']!r} in {pattern.id}: {known}"))
            continue
        if raw["killed_by"] not in scenarios:
            known = ", ".join(s.name for s in pattern.scenarios)
            problems.append(doc.problem([*at, "killed_by"], f"no scenario {raw['killed_by']!r}; scenarios: {known}"))
        count = snippet.file.read_text(encoding="utf-8").count(raw["find"])
        if count != 1:
            problems.append(
                doc.problem(
                    [*at, "find"],
                    f"the find text occurs {count} times in {repo_relative(snippet.file)}; it must occur exactly "
                    "once (copy it from the snippet, with enough context to be unique)",
                )
            )
        if raw["mistake"].lstrip().startswith(TODO):
            problems.append(doc.problem([*at, "mistake"], f"a {TODO} is left: {raw['mistake']}"))
        if raw["find"] == raw["replace"]:
            problems.append(doc.problem([*at, "replace"], "replace is the same text as find: nothing would change"))
        fields = {k: raw[k] for k in ("id", "mistake", "find", "replace", "killed_by")}
        mutants.append(Mutant(pattern, snippet, **fields))
    if problems:
        raise SpecError(problems)
    return mutants
