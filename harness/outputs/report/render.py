"""Writing the report: one static folder (HTML pages, a stylesheet), publishable as is."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from harness.base.errors import SuiteError
from harness.outputs.coverage import Coverage
from harness.outputs.report import questions as asked
from harness.outputs.report import semantics, view
from harness.outputs.report.highlight import highlighted, stylesheet

_STATIC = Path(__file__).resolve().parent / "static"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("harness.outputs.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
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
    )
    return env


def _inline(text: str) -> Markup:
    """Spec prose with its `code` spans as <code>, everything else escaped."""
    parts = str(escape(text)).split("`")
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
    written_before = _claim(out)
    env = _environment()
    languages, rows = view.matrix(doc)
    common = {"run": doc["run"], "patterns": view.catalogue_order(doc["patterns"])}

    written: list[str] = []

    def write(name: str, template: str, **context: Any) -> Path:
        path = out / name
        path.write_text(env.get_template(template).render(**common, page=name, **context), encoding="utf-8")
        written.append(name)
        return path

    for pattern in doc["patterns"]:
        write(view.page_of(pattern["id"]), "pattern.html.j2", pattern=pattern, scenarios=view.scenarios(doc, pattern))
    outcomes = {(r["pattern"], r["snippet"], r["scenario"]): r for r in doc["results"]}
    write("semantics.html", "semantics.html.j2", groups=semantics.grouped(doc["patterns"]), outcomes=outcomes)
    write("differ.html", "differ.html.j2", questions=asked.answered(doc, list(questions)), languages=languages)
    write(
        "primitives.html",
        "primitives.html.j2",
        coverage=coverage,
        no_coverage=no_coverage,
        reported={p["id"] for p in doc["patterns"]},
    )
    shutil.copyfile(_STATIC / "report.css", out / "report.css")
    (out / "highlight.css").write_text(stylesheet(), encoding="utf-8")
    written += ["report.css", "highlight.css"]
    index = write(
        "index.html",
        "index.html.j2",
        languages=languages,
        rows=rows,
        state_words=view.STATE_WORDS,
        margins=view.margins(doc),
        counts=_counts(doc),
    )
    # Pages an earlier report of this folder wrote and this one did not (patterns gone from the
    # run) would mislead: remove them, and nothing this report did not write.
    for stale in set(written_before) - set(written):
        (out / stale).unlink(missing_ok=True)
    (out / MARKER).write_text("\n".join(sorted(written)) + "\n", encoding="utf-8")
    return index


def _counts(doc: dict[str, Any]) -> dict[str, int]:
    """Scenario results by state (a pinned pass counts as divergent)."""
    return dict(Counter(view.lane_status(result) for result in doc["results"]))


MARKER = ".async-suite-report"  # in a folder the report owns: the files it wrote there


def _claim(out: Path) -> list[str]:
    """Make `out` the report's folder: a new or empty one, or one an earlier report wrote (it then
    names what it wrote); ReportError for any other, which is never written into."""
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out}: not a folder; name a folder for the report (OUT=...)")
    marker = out / MARKER
    if marker.is_file():
        return [name for name in marker.read_text(encoding="utf-8").split() if "/" not in name and name != MARKER]
    if out.is_dir() and any(out.iterdir()):
        raise ReportError(
            f"{out}: the folder holds files no report wrote; the report writes only into a new or empty "
            "folder, or one it wrote before (OUT=...)"
        )
    out.mkdir(parents=True, exist_ok=True)
    return []


class ReportError(SuiteError):
    """A folder the report may not write into."""
