"""An output folder a tool owns: `make report` and `make docs` write only into a folder they created,
one an earlier run of the same tool wrote (its marker file names what it wrote there), or an empty one.

A folder that holds anything else (the checkout's root, a user's own docs) is refused before anything
is written, so `OUT=.` can never overwrite a README. The marker is written first, naming every file
this run may leave behind, so a run that fails midway (a full disk) leaves a folder the next run
still owns; files are written whole (a temporary file, then a rename) and pages an earlier run wrote
that this one did not are removed, never a file the tool did not write.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from harness.base.errors import SuiteError


class FolderError(SuiteError):
    """A folder a tool may not write into, or a file name it may not write there."""


def claim_folder(out: Path, marker: str, tool: str) -> list[str]:
    """Make `out` the folder of `tool` (`make docs`), whose marker file is named `marker`: a new or
    empty folder, or one it wrote before; returns the files that earlier run wrote. FolderError for
    any other folder, which is then never written into."""
    if out.exists() and not out.is_dir():
        raise FolderError(f"{out}: not a folder; name a folder for {tool} (OUT=...)")
    mark = out / marker
    if mark.is_file():
        return [name for name in mark.read_text(encoding="utf-8").split() if _plain_name(name) and name != marker]
    if out.is_dir() and any(out.iterdir()):
        raise FolderError(
            f"{out}: the folder holds files {tool} did not write; {tool} writes only into a new or empty "
            f"folder, or one it wrote before (OUT=...)"
        )
    out.mkdir(parents=True, exist_ok=True)
    return []


def write_folder(out: Path, marker: str, tool: str, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write `files` (file name -> content) into the folder `out` that `tool` owns (claim_folder), and
    remove the files an earlier run wrote there that these do not name; returns the paths written."""
    for name in files:
        if not _plain_name(name) or name == marker:
            raise FolderError(f"{tool}: {name!r} is not a plain file name; nothing was written to {out}")
    before = claim_folder(out, marker, tool)
    _mark(out / marker, [*before, *files])  # claimed before anything else is written
    written = []
    for name, content in files.items():
        _write_whole(out / name, content)
        written.append(out / name)
    for stale in set(before) - set(files):  # an earlier run's page this run did not write
        (out / stale).unlink(missing_ok=True)
    _mark(out / marker, list(files))
    return written


def _plain_name(name: str) -> bool:
    """A file name inside the folder itself: no separator, no `.`/`..`, nothing a marker cannot list."""
    return (
        bool(name)
        and name not in (".", "..")
        and "/" not in name
        and "\0" not in name
        and not any(c.isspace() for c in name)
    )


def _mark(path: Path, names: list[str]) -> None:
    _write_whole(path, "".join(f"{name}\n" for name in sorted(set(names))))


def _write_whole(path: Path, content: str | bytes) -> None:
    """Write through a temporary file beside `path` and a rename, so a reader never sees half a file
    and a failed write leaves no stray file behind."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)  # a temporary file is private; these are pages to publish
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
