"""The HTML report of a run, rendered from its results file (so a saved run renders too)."""

from __future__ import annotations

from pathlib import Path

from .load import ReportError, load_results
from .render import render

__all__ = ["ReportError", "make_report"]


def make_report(results: Path, out: Path) -> Path:
    """Render the results file `results` into folder `out`; return the path of its index.html."""
    return render(load_results(results), out)
