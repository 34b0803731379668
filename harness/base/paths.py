"""Paths as the person running the suite reads them."""

from __future__ import annotations

import glob
import os
from pathlib import Path

from harness.base.errors import SuiteError


def path_list(values: list[str]) -> list[Path]:
    """Paths given as people give several (`a.json:b.json`, like PATH, or the option repeated), each
    maybe a glob (`slices/**/results.json`: its matches, sorted); a glob that matches nothing is a
    SuiteError, never taken for no file."""
    found: list[Path] = []
    for part in (part for value in values for part in value.split(os.pathsep) if part.strip()):
        if glob.has_magic(part):
            matches = sorted(glob.glob(part, recursive=True))
            if not matches:
                raise SuiteError(f"{part} matches no file")
            found += [Path(match) for match in matches]
        else:
            found.append(Path(part))
    return found


def repo_relative(path: Path) -> str:
    """`path` relative to the working directory where it lies under it, else as it is."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
