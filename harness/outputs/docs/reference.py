"""`make docs`: a multi-language reference rendered from the verified snippets, in Markdown.

The output folder holds README.md (the index, by category), one `<pattern>.md` per pattern and the
timeline of its main scenario (its first) as `<pattern>.svg`. Every code block names its pattern in
its info string, so copies of it can be checked with `make check-docs`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from harness.catalogue import Catalogue
from harness.catalogue.languages import version_key
from harness.catalogue.spec import CATEGORIES, Ending, Pattern, Scenario, Snippet
from harness.outputs.folder import claim_folder, write_folder
from harness.outputs.text import visible
from harness.outputs.timeline import Event, Lane, timeline_svg


@dataclass(frozen=True)
class Divergent:
    """Where one snippet differs from the common trace, with the same reason in each scenario listed."""

    reason: str
    scenarios: tuple[str, ...]


@dataclass(frozen=True)
class Shaped:
    """The error a snippet's caller gets in one scenario, as its spec pins it: the shape(s), and the
    versions the pin holds for (`""`: every version)."""

    scenario: str
    shapes: tuple[str, ...]
    versions: str = ""


@dataclass(frozen=True)
class Ended:
    """How a snippet's process ends in a scenario run alone, as its spec pins it (the scenario's
    ending, or its divergence's), and the versions the pin holds for (`""`: every version)."""

    scenario: str
    ending: Ending
    versions: str = ""


@dataclass(frozen=True)
class Verified:
    """What runs said of a snippet: the versions (as its runner reported them) on which all its
    scenarios passed, those on which it was pinned as not available (and why), and those on which
    a scenario failed."""

    passed: tuple[str, ...] = ()
    unavailable: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.passed or self.unavailable or self.failed)


def verified(snippet: Snippet, runs: list[dict]) -> Verified:
    """The versions the results documents `runs` ran `snippet` on, by what they showed."""
    passed, unavailable, failed = {}, {}, {}
    for doc in runs:
        for target, about in doc["run"]["languages"].items():
            language, _, named = target.partition("@")
            if language != snippet.language:
                continue
            outcomes = [
                r
                for r in doc["results"]
                if r["pattern"] == snippet.pattern
                and r["snippet"] == snippet.label
                and (r.get("version") or "") == named
                and r["outcome"] not in ("not run", "not applicable")
            ]
            version = about.get("version") or named
            if not outcomes or not version:
                continue
            if all(r["outcome"] == "pass" for r in outcomes):
                passed[version] = None
            elif all(r["outcome"] == "not available" for r in outcomes):
                unavailable[version] = None
            else:
                failed[version] = None
    order = lambda versions: tuple(sorted(versions, key=version_key))  # noqa: E731
    return Verified(order(passed), order(unavailable), order(failed))


@dataclass(frozen=True)
class SnippetView:
    snippet: Snippet
    title: str  # `Python`, `Python, variant gather`
    info: str  # the block's info string: `python pattern=all_fail_fast variant=gather`
    fence: str
    code: str
    source: str  # `patterns/all_fail_fast/all_fail_fast.py`, lines 9-15
    divergences: tuple[Divergent, ...]
    verified: Verified = Verified()
    shapes: tuple[Shaped, ...] = ()
    endings: tuple[Ended, ...] = ()


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, not HTML
    )
    env.filters["code"] = code_span
    env.filters["prose"] = prose
    env.filters["line"] = lambda text: prose(" ".join(str(text).split()))  # a heading, a list item: one line
    env.filters["cell"] = lambda text: prose(" ".join(str(text).split())).replace("|", "\\|")
    env.globals["availability"] = availability
    return env


_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


def prose(text: str) -> str:
    """Spec text (a title, a summary, a reason) as Markdown that renders it as text: its `code`
    spans stay code, and nothing else becomes HTML, a link or an image wherever the docs are shown."""
    out, at = [], 0
    for span in _CODE_SPAN.finditer(text):
        out += [_plain(text[at : span.start()]), span.group(0)]
        at = span.end()
    return visible("".join([*out, _plain(text[at:])]))


def _plain(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\\[\]])", r"\\\1", text)  # [x](y), ![x](y) and [x]: no link, no image


def code_span(text: str) -> str:
    """`text` as inline code, with a fence of backticks it does not contain."""
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return visible(f"{ticks}{pad}{text}{pad}{ticks}")


def availability(pattern: Pattern, language: str) -> str:
    """An index cell: ✓ (and ✓+variant per further variant), n/a, or — when no snippet exists yet."""
    if language in pattern.not_applicable:
        return "n/a"
    variants = [s.variant for s in pattern.snippets if s.language == language]
    if not variants:
        return "—"
    return " ".join(("✓" if v is None else f"✓+{v}") for v in sorted(variants, key=lambda v: v or ""))


def fence_for(code: str) -> str:
    """A backtick fence longer than any run of backticks that starts a line of `code`."""
    runs = [len(m[1]) for m in re.finditer(r"^[ \t]*(`+)", code, re.MULTILINE)]
    return "`" * max([3, *(n + 1 for n in runs)])


def divergences_of(pattern: Pattern, snippet: Snippet) -> tuple[Divergent, ...]:
    """Where the snippet differs, by reason; one pinned for some versions only names them first."""
    by_reason: dict[str, list[str]] = {}
    for scenario in pattern.scenarios:
        for divergence in scenario.divergences.values():
            if divergence.label == snippet.label:
                on = f"on {snippet.language} {divergence.op}{divergence.version}: " if divergence.op else ""
                by_reason.setdefault(on + divergence.reason, []).append(scenario.name)
    return tuple(Divergent(reason, tuple(names)) for reason, names in by_reason.items())


def shapes_of(pattern: Pattern, snippet: Snippet) -> tuple[Shaped, ...]:
    """The error shapes pinned for the snippet, scenario by scenario in spec order."""
    return tuple(
        Shaped(scenario.name, pin.shapes, f"{pin.op}{pin.version}")
        for scenario in pattern.scenarios
        for pin in scenario.shapes.values()
        if pin.label == snippet.label
    )


def endings_of(pattern: Pattern, snippet: Snippet) -> tuple[Ended, ...]:
    """How the snippet's process ends in each scenario run alone, in spec order: the ending of each
    of its divergences that pins one, else the scenario's."""
    ended = []
    for scenario in pattern.scenarios:
        if not scenario.alone or scenario.ending is None:
            continue
        own = [d for d in scenario.divergences.values() if d.label == snippet.label and d.ending is not None]
        ended += [Ended(scenario.name, d.ending, f"{d.op}{d.version}") for d in own]
        if not own or any(d.op for d in own):
            ended.append(Ended(scenario.name, scenario.ending))
    return tuple(ended)


def snippet_views(pattern: Pattern, catalogue: Catalogue, runs: list[dict] = ()) -> list[SnippetView]:
    """The pattern's snippets in the languages' order, each language's own before its variants;
    `runs`: results documents, which say what versions each was verified on."""
    order = list(catalogue.languages)
    views = []
    for snippet in sorted(pattern.snippets, key=lambda s: (order.index(s.language), s.variant or "")):
        region = catalogue.region(snippet)
        title = catalogue.languages[snippet.language].title
        loads = ", ".join(f"`{catalogue.in_suite(file)}`" for file in snippet.files)  # its spec's `files:`
        views.append(
            SnippetView(
                snippet=snippet,
                title=f"{title}, variant `{snippet.variant}`" if snippet.variant else title,
                info=f"{snippet.language} pattern={pattern.id}"
                + (f" variant={snippet.variant}" if snippet.variant else ""),
                fence=fence_for(region.text),
                code=region.text,
                source=f"`{catalogue.in_suite(snippet.file)}`, lines {region.first_line}-{region.last_line}"
                + (f"; it loads {loads}" if loads else ""),
                divergences=divergences_of(pattern, snippet),
                verified=verified(snippet, list(runs)),
                shapes=shapes_of(pattern, snippet),
                endings=endings_of(pattern, snippet),
            )
        )
    return views


def main_timeline(pattern: Pattern, tick_ms: float) -> tuple[Scenario, str]:
    """The first scenario's trace, and each snippet's own where it diverges, as one SVG picture."""
    scenario = pattern.scenarios[0]
    lanes = [Lane("common", [Event(e.tick, e.ev, e.fields) for e in scenario.expect], "expected")]
    for label, divergence in scenario.divergences.items():
        events = [Event(e.tick, e.ev, e.fields) for e in divergence.expect]
        lanes.append(Lane(label, events, "divergent", note=divergence.reason))
    return scenario, timeline_svg(lanes, scenario.window, tick_ms)


MARKER = ".async-suite-docs"  # in a folder `make docs` owns: the files it wrote there


def render_reference(catalogue: Catalogue, out: Path, tick_ms: float, runs: list[dict] = ()) -> list[Path]:
    """Write the reference into `out`, a folder `make docs` owns (harness.outputs.folder: a new or
    empty one, or one it wrote before; FolderError for any other); returns the files written.
    `runs`: results documents, from which each snippet states the versions it was verified on."""
    env = _environment()
    claim_folder(out, MARKER, "make docs")  # refused before anything is rendered
    pages: dict[str, str] = {}
    patterns = catalogue.patterns()
    for pattern in patterns:
        scenario, svg = main_timeline(pattern, tick_ms)
        picture = f"{pattern.id}.svg"
        missing = [
            catalogue.languages[name].title
            for name in catalogue.languages
            if name not in pattern.not_applicable and not any(s.language == name for s in pattern.snippets)
        ]
        pages[f"{pattern.id}.md"] = env.get_template("pattern.md.j2").render(
            pattern=pattern,
            snippets=snippet_views(pattern, catalogue, runs),
            titles={name: lang.title for name, lang in catalogue.languages.items()},
            scenario=scenario,
            picture=picture,
            not_applicable={catalogue.languages[k].title: v for k, v in pattern.not_applicable.items()},
            missing=missing,
            spec=catalogue.in_suite(pattern.path),
        )
        pages[picture] = svg + "\n"
    categories = [(c, [p for p in patterns if p.category == c]) for c in CATEGORIES]
    index = env.get_template("index.md.j2").render(
        categories=[(c, ps) for c, ps in categories if ps], languages=list(catalogue.languages.values())
    )
    return write_folder(out, MARKER, "make docs", {"README.md": index, **pages})
