"""Paths as the person running the suite reads them."""

from __future__ import annotations

from pathlib import Path


def repo_relative(path: Path) -> str:
    """`path` relative to the working directory where it lies under it, else as it is."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
