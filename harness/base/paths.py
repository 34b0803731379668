"""Paths as the person running the suite reads them."""

from __future__ import annotations

import os
from pathlib import Path


def path_list(values: list[str]) -> list[Path]:
    """Paths given as people give several (`a.json:b.json`, like PATH, or the option repeated)."""
    return [Path(part) for value in values for part in value.split(os.pathsep) if part.strip()]


def repo_relative(path: Path) -> str:
    """`path` relative to the working directory where it lies under it, else as it is."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
