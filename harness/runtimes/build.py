"""Build trees: a language's template rendered with its snippets into a content-addressed cache."""

from __future__ import annotations

import collections
import fcntl
import hashlib
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jinja2

from harness.base.errors import BuildError
from harness.base.paths import repo_relative
from harness.catalogue.languages import Language
from harness.catalogue.spec import Snippet
from harness.runtimes.toolchain import Toolchain

BUILT_MARKER = ".built"
BUILD_STEP_TIMEOUT_S = 1800.0  # a build step running longer is hung, and is killed
BUILD_LOG_LINES = 2000  # the tail of a build's output kept for its failure message
# Where the files pinned by a template's `<name>.fetch` files are kept once fetched (like Node.js).
FETCHED = Path(__file__).resolve().parents[2] / ".cache" / "toolchains" / "fetched"


@dataclass(frozen=True)
class BuildTree:
    language: str
    path: Path
    cached: bool
    seconds: float


def tree_path(snippet: Snippet) -> str:
    """Where a snippet lands inside its language's build tree."""
    return f"patterns/{snippet.key}/{snippet.file.name}"


def snippet_files(snippet: Snippet) -> list[tuple[Path, str]]:
    """(file, its place in the tree) for a snippet and the files it loads (`files:`), beside it."""
    folder = tree_path(snippet).rpartition("/")[0]
    return [(snippet.file, tree_path(snippet)), *((f, f"{folder}/{f.name}") for f in snippet.files)]


def _template_files(lang: Language) -> list[tuple[Path, Path]]:
    """(file, its place in the tree) for the template and, over it, the version's own files
    (languages/<lang>/versions/<version>/: a go.mod, a Cargo.lock)."""
    files = {p.relative_to(lang.template): p for p in lang.template.rglob("*") if p.is_file()}
    if lang.overlay is not None:
        files.update({p.relative_to(lang.overlay): p for p in lang.overlay.rglob("*") if p.is_file()})
    return sorted((file, rel) for rel, file in files.items())


def tree_hash(lang: Language, toolchain_version: str, snippets: list[Snippet]) -> str:
    digest = hashlib.sha256()

    def add(name: str, data: bytes) -> None:
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)

    add("language.yaml", (lang.folder / "language.yaml").read_bytes())
    add("toolchain", toolchain_version.encode())
    add("version", lang.version_name.encode())
    for file, rel in _template_files(lang):
        add(f"template/{rel}", file.read_bytes())
    for snippet in snippets:
        for file, place in snippet_files(snippet):
            add(place, file.read_bytes())
    return digest.hexdigest()[:16]


def render_tree(lang: Language, snippets: list[Snippet], dest: Path) -> None:
    """Copy the template (rendering *.j2 files, *.fetch files becoming the file they pin) and the
    snippets into dest."""
    context = {
        "snippets": [
            {
                "key": s.key,
                "pattern": s.pattern,
                "variant": s.variant,
                "file": s.file.name,
                "stem": s.file.stem,
                "path": tree_path(s),
            }
            for s in sorted(snippets, key=lambda s: s.key)
        ]
    }
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([d for d in (lang.overlay, lang.template) if d is not None]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    for file, rel in _template_files(lang):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.suffix == ".j2":
            template = env.get_template(rel.as_posix())
            target.with_suffix("").write_text(template.render(context), encoding="utf-8")
        elif file.suffix == ".fetch":
            shutil.copy2(fetched(file), target.with_suffix(""))
        else:
            shutil.copy2(file, target)
    for snippet in snippets:
        for file, place in snippet_files(snippet):
            target = dest / place
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)


def fetched(pin: Path) -> Path:
    """The file a template's `<name>.fetch` pins (one line: `<sha256> <url>`), downloaded into FETCHED
    the first time and checked against its sha256 every time: a build is offline after that."""
    sha256, url = pin.read_text(encoding="utf-8").split()
    local = FETCHED / pin.name.removesuffix(".fetch")

    def checked(path: Path) -> Path:
        got = hashlib.sha256(path.read_bytes()).hexdigest()
        if got != sha256:
            path.unlink()
            raise BuildError(f"{url} has sha256 {got}, but {repo_relative(pin)} pins {sha256}: not used")
        return path

    if local.exists():
        return checked(local)
    local.parent.mkdir(parents=True, exist_ok=True)
    partial = local.with_name(f"{local.name}.{os.getpid()}.partial")
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(partial, "wb") as out:
            shutil.copyfileobj(response, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BuildError(
            f"cannot fetch {url}, which {repo_relative(pin)} pins ({exc}): where there is no network, "
            f"download it elsewhere and put it at {local} (its sha256 must be {sha256})"
        ) from None
    return checked(partial).replace(local)


def substitute(
    command: tuple[str, ...], tools: dict[str, str], cache: Path | str, version: str = "", toolchain: str = ""
) -> list[str]:
    """Fill `{tool}` with the resolved executable, `{cache}` with the shared cache directory,
    `{version}` with the version a run is for (language.yaml's name: 1.54) and `{major}` with the
    toolchain's first number (javac's --release)."""
    values = {**tools, "cache": str(cache), "version": version, "major": toolchain.split(".")[0]}
    return [part.format(**values) for part in command]


@contextmanager
def locked(path: Path):
    """Hold an exclusive lock on `path` (created if missing): one builder per tree across processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_tree(
    lang: Language,
    toolchain: Toolchain,
    snippets: list[Snippet],
    cache: Path,
    env: dict[str, str],
    progress: Callable[[str], None] = lambda _: None,
) -> BuildTree:
    """Render and build the tree for these snippets, or reuse the one already built for them."""
    started = time.monotonic()
    path = cache / "build" / lang.name / tree_hash(lang, toolchain.version, snippets)
    if (path / BUILT_MARKER).exists():
        return BuildTree(lang.name, path, True, 0.0)
    lock = path.parent.with_suffix(".lock") if lang.build_lock == "language" else path.with_suffix(".lock")
    with locked(lock):
        if (path / BUILT_MARKER).exists():
            return BuildTree(lang.name, path, True, time.monotonic() - started)
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True)
        render_tree(lang, snippets, path)
        for command in lang.build:
            argv = substitute(command, toolchain.tools, cache, lang.version_name, toolchain.version)
            progress(f"{lang.name}: {' '.join(argv)}")
            _run_build_step(lang, argv, path, env, snippets, progress)
        (path / BUILT_MARKER).write_text("")
    return BuildTree(lang.name, path, False, time.monotonic() - started)


def _run_build_step(
    lang: Language,
    argv: list[str],
    cwd: Path,
    env: dict[str, str],
    snippets: list[Snippet],
    progress: Callable[[str], None],
) -> None:
    """Run one build command, its output shown line by line as it comes (a long build is seen to
    move) and its tail kept for a failure; killed, with what it started, past BUILD_STEP_TIMEOUT_S."""
    try:
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
        )
    except OSError as exc:
        raise BuildError(f"{lang.title} build: cannot run `{argv[0]}`: {exc.strerror}") from None
    hung = threading.Timer(BUILD_STEP_TIMEOUT_S, os.killpg, (proc.pid, signal.SIGKILL))
    hung.start()
    output: collections.deque[str] = collections.deque(maxlen=BUILD_LOG_LINES)
    try:
        for line in proc.stdout:
            output.append(line)
            if line.strip():
                progress(f"{lang.name}: {line.rstrip()[:200]}")
        code = proc.wait()
    finally:
        hung.cancel()
        proc.stdout.close()
    if code != 0:
        tail = build_log_tail("".join(output), str(cwd), snippets)
        why = f"was killed after {BUILD_STEP_TIMEOUT_S:g} s" if code == -signal.SIGKILL else f"exited with {code}"
        raise BuildError(f"{lang.title} build failed: `{' '.join(argv)}` {why} in {cwd}\n{tail}")


def in_repository(text: str, snippets: list[Snippet]) -> str:
    """Name each snippet, and each file it loads, by its place in the repository, not by its copy in a
    build tree, wherever that tree was (the cache, a container) and whether the tool printed it
    absolute or relative."""
    for snippet in snippets:
        for file, place in snippet_files(snippet):
            copy = re.compile(rf"[^\s\"'(]*{re.escape(place)}")
            text = copy.sub(repo_relative(file), text)
    return text


def named_by_build_error(text: str, snippets: list[Snippet]) -> list[Snippet]:
    """The snippets a failed build's output blames: by a file of theirs with a line
    (`patterns/timeout/timeout.go:12:`, as in_repository writes it), or by the folder of their copy
    in the tree at the end of a line or before a colon, which is how Go names a package it cannot
    load (`imports asyncsuite/patterns/<key>`, then the import that has no files for this Go)."""
    return [
        s
        for s in snippets
        if f"{repo_relative(s.file)}:" in text
        or re.search(rf"(?:^|[\s/]){re.escape(tree_path(s).rsplit('/', 1)[0])}(?::|$)", text, re.MULTILINE)
    ]


def build_log_tail(output: str, tree: str, snippets: list[Snippet], lines: int = 60) -> str:
    """The end of a failed build's output, with paths made readable."""
    output = in_repository(output.strip(), snippets).replace(f"{tree}/", "")
    return "\n".join(output.splitlines()[-lines:])
