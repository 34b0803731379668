"""Writing the report: one static folder (HTML pages, a stylesheet), publishable as is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from harness.outputs.coverage import Coverage
from harness.outputs.folder import write_folder
from harness.outputs.report import questions as asked
from harness.outputs.report import semantics, versions, view
from harness.outputs.report.highlight import highlighted, stylesheet
from harness.outputs.text import visible

_STATIC = Path(__file__).resolve().parent / "static"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("harness.outputs.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_visible,
    )
    env.filters["highlight"] = lambda code, language: Markup(highlighted(code, language))
    env.filters["slug"] = view.slug
    env.filters["when"] = _when
    env.filters["inline"] = _inline
    env.filters["ms"] = lambda value: f"{value:g} ms"
    env.globals.update(
        page_of=view.page_of,
        scenario_anchor=view.scenario_anchor,
        code_anchor=view.code_anchor,
        run_label=view.run_label,
    )
    return env


def _visible(value: Any) -> Any:
    """What a page shows of a value: text (a snippet's events, messages, stderr) with the control
    characters HTML and XML cannot hold written out (`\\x1b`); markup the report built (timelines,
    highlighted code) is already made so and passes as it is."""
    return visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _inline(text: str) -> Markup:
    """Spec prose (or a message) with its `code` spans as <code>, everything else escaped and its
    control characters written out, as `finalize` does for plain text."""
    parts = str(escape(visible(text))).split("`")
    return Markup("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)))


def _when(stamp: str | None) -> str:
    """An ISO timestamp as `2026-11-27 09:50:13 UTC`-like text; as given when not ISO."""
    if not stamp:
        return "—"
    try:
        return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M:%S %Z").strip()
    except ValueError:
        return stamp


def render(
    doc: dict[str, Any],
    out: Path,
    coverage: Coverage | None = None,
    no_coverage: str = "",
    questions: Sequence[asked.Question] = (),
) -> Path:
    """Write the report of results document `doc` into folder `out`; return its index.html.
    `coverage` (`make coverage`'s, from the same results) fills the primitives page; without it,
    the page says `no_coverage`. `questions` are answered on the "How languages differ" page."""
    env = _environment()
    languages, rows = view.matrix(doc)
    common = {"run": doc["run"], "patterns": view.catalogue_order(doc["patterns"])}

    # Every page is rendered before the folder is touched: a report that cannot be rendered writes nothing.
    pages: dict[str, str | bytes] = {}

    def page(name: str, template: str, **context: Any) -> None:
        pages[name] = env.get_template(template).render(**common, page=name, **context)

    for pattern in doc["patterns"]:
        page(
            view.page_of(pattern["id"]),
            "pattern.html.j2",
            pattern=pattern,
            scenarios=view.scenarios(doc, pattern),
            versions=versions.pattern_versions(doc, pattern),
        )
    page("changelog.html", "changelog.html.j2", logs=versions.changelog(doc))
    page("semantics.html", "semantics.html.j2", groups=semantics.grouped(doc["patterns"], doc))
    page("differ.html", "differ.html.j2", questions=asked.answered(doc, list(questions)), languages=languages)
    page(
        "primitives.html",
        "primitives.html.j2",
        coverage=coverage,
        no_coverage=no_coverage,
        reported={p["id"] for p in doc["patterns"]},
    )
    pages["report.css"] = (_STATIC / "report.css").read_bytes()
    pages["highlight.css"] = stylesheet()
    page(
        "index.html",
        "index.html.j2",
        languages=languages,
        rows=rows,
        state_words=view.STATE_WORDS,
        margins=view.margins(doc),
        counts=_counts(doc),
    )
    # Pages an earlier report of this folder wrote and this one did not (patterns gone from the
    # run) would mislead: write_folder removes them, and nothing this report did not write.
    write_folder(out, MARKER, "make report", pages)
    return out / "index.html"


def _counts(doc: dict[str, Any]) -> dict[str, int]:
    """Scenario results by state (a pinned pass counts as divergent)."""
    return dict(Counter(view.lane_status(result) for result in doc["results"]))


MARKER = ".async-suite-report"  # in a folder the report owns: the files it wrote there
