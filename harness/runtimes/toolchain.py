"""Local toolchains: find each language's tools, read their version, check the minimum."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from harness.base.errors import ToolchainError
from harness.catalogue.languages import Language, holds, version_key


@dataclass(frozen=True)
class Toolchain:
    language: str
    version: str
    bin_dir: Path
    tools: dict[str, str]

    def env(self, base: dict[str, str]) -> dict[str, str]:
        """Environment for builds and runners: this toolchain's bin directory first on PATH."""
        env = dict(base)
        env["PATH"] = f"{self.bin_dir}{os.pathsep}{base.get('PATH', '')}"
        return env


def _candidates(lang: Language, first: Path | None = None) -> list[Path]:
    """Bin directories that might hold the toolchain, in order of preference, without duplicates."""
    dirs: list[Path] = [first] if first is not None else []
    if lang.home_env and os.environ.get(lang.home_env):
        dirs.append(Path(os.environ[lang.home_env]) / "bin")
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if entry and shutil.which(lang.tools[0], path=entry):
            dirs.append(Path(entry))
    root = lang.folder.resolve().parent.parent  # languages/<lang>/ is two levels under the suite root
    for pattern in lang.search:  # a relative glob is relative to the suite root, wherever we run from
        dirs.extend(Path(p) for p in sorted(glob.glob(str(root / pattern)), reverse=True))
    seen: set[Path] = set()
    unique = []
    for d in dirs:
        key = d.resolve() if d.exists() else d
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


def _probe(lang: Language, bin_dir: Path) -> tuple[str | None, dict[str, str], str]:
    """(version or None, tools, note) for one candidate directory."""
    tools = {}
    for tool in lang.tools:
        found = shutil.which(tool, path=str(bin_dir))
        if not found:
            return None, {}, f"{bin_dir}: no {tool}"
        tools[tool] = found
    command = [part.format(**tools) for part in lang.version_command]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, {}, f"{bin_dir}: `{' '.join(command)}` failed: {exc}"
    match = re.search(lang.version_regex, proc.stdout + proc.stderr)
    if not match:
        said = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[:1]
        said = f": {said[0][:200]}" if said else ""
        return (
            None,
            {},
            f"{bin_dir}: could not read a version from `{' '.join(command)}` (exit {proc.returncode}{said})",
        )
    return match.group(1), tools, f"{tools[lang.tools[0]]} is {match.group(1)}"


def wants_toolchain_version(lang: Language) -> str | None:
    """The toolchain version a run named (`go@1.22`: 1.22), or None: any at the minimum or newer (no
    version named, or one that names a dependency's line, as Rust's name tokio's)."""
    named = lang.version_named
    return named.name if named is not None and not named.names else None


def find_toolchain(lang: Language, obtained: Path | None = None) -> Toolchain:
    """The first candidate whose version meets the minimum (holds the version a run named), or a
    ToolchainError saying what was seen. `obtained`: a bin directory tried first."""
    notes = []
    wanted = wants_toolchain_version(lang)
    for bin_dir in _candidates(lang, obtained):
        version, tools, note = _probe(lang, bin_dir)
        notes.append(note)
        if version and (holds(version, wanted) if wanted else version_key(version) >= version_key(lang.minimum)):
            return Toolchain(lang.name, version, bin_dir, tools)
    seen = "; ".join(notes) if notes else f"no `{lang.tools[0]}` on PATH"
    where = f" or set {lang.home_env}" if lang.home_env else ""
    if wanted:
        image = f"; the docker runtime runs it in {lang.image} (RUNTIME=docker)" if lang.image else ""
        raise ToolchainError(
            f"{lang.title} {wanted}: no local {lang.tools[0]} {wanted} (found: {seen}). Put one on PATH{where}{image}."
        )
    raise ToolchainError(
        f"{lang.title}: needs {lang.tools[0]} >= {lang.minimum} (found: {seen}). "
        f"{lang.install_hint} Put it on PATH{where}."
    )
