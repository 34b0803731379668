"""The HTML report of a run, rendered from its results file (so a saved run renders too), or of
several runs' files read as one (harness/outputs/merge.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from harness.base.errors import SuiteError
from harness.catalogue import Catalogue
from harness.outputs.coverage import compute_coverage
from harness.outputs.merge import read_results
from harness.outputs.report.questions import QUESTIONS_FILE, known_patterns, load_questions
from harness.outputs.report.render import render

__all__ = ["make_report"]


def make_report(
    results: Path | Sequence[Path],
    out: Path,
    root: Path | None = None,
    questions: Path = QUESTIONS_FILE,
    allow_mixed: bool = False,
) -> Path:
    """Render the results file `results` (or several, merged into one run) into folder `out`;
    return the path of its index.html.

    With `root` (a suite checkout), the primitives page also shows the coverage of its languages'
    primitive lists and of the catalogue (`make coverage`), with statuses from the same results, and
    the `questions` of the "How languages differ" page are checked against its catalogue (without
    it, against the patterns the run holds). A question naming a pattern or scenario that does not
    exist is a SpecError naming its file and line. Files of different commits or specs are refused
    unless `allow_mixed`."""
    doc = read_results([results] if isinstance(results, Path) else list(results), allow_mixed)
    coverage, why = None, "render the report from a suite checkout (`make report`) to see it"
    catalogue = None
    if root is not None:
        try:
            catalogue = Catalogue(root)
            coverage = compute_coverage(catalogue, document=doc)
        except SuiteError as exc:  # a checkout that does not load spoils this page only, not the run's report
            why = f"the checkout's lists or specs do not load:\n{exc}"
    known, complete = known_patterns(doc, catalogue)
    return render(doc, out, coverage, why, load_questions(questions, known, complete))
