"""The local runtime: each language's toolchain from PATH (or its home variable), runners as child
processes, each named by a pid file while it runs (harness.leftovers)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .build import build_tree, substitute
from .errors import SuiteError, once
from .languages import Language
from .leftovers import PidFiles
from .process import Prepared, local_launcher
from .spec import Snippet
from .toolchain import Toolchain, find_toolchain


def runner_pid_files(cache: Path) -> PidFiles:
    """Where local runners are named while they run (whichever runtime the next run chooses, it
    kills those a killed run left: harness.runtime.choose_runtime)."""
    return PidFiles(cache / "runners")


class LocalRuntime:
    name = "local"

    def __init__(self, cache: Path):
        self.cache = cache
        self.pid_files = runner_pid_files(cache)
        self.notes: list[str] = []
        self._toolchains: dict[str, Toolchain | SuiteError] = {}

    def toolchain(self, lang: Language) -> Toolchain:
        return once(self._toolchains, lang.name, lambda: find_toolchain(lang))

    def describe(self, lang: Language) -> str:
        toolchain = self.toolchain(lang)
        return f"{lang.tools[0]} {toolchain.version:<10} {toolchain.tools[lang.tools[0]]}"

    def prepare(self, lang: Language, snippets: list[Snippet], progress: Callable[[str], None]) -> Prepared:
        toolchain = self.toolchain(lang)
        env = toolchain.env(dict(os.environ))
        env.update({k: substitute((v,), toolchain.tools, self.cache)[0] for k, v in lang.env.items()})
        tree = build_tree(lang, toolchain, snippets, self.cache, env, progress)
        argv = substitute(lang.run, toolchain.tools, self.cache)
        if argv[0].startswith("./"):
            argv[0] = str(tree.path / argv[0][2:])
        build = "cached" if tree.cached else f"built in {tree.seconds:.1f} s"
        return Prepared(local_launcher(argv, tree.path, env, self.pid_files), " ".join(argv), build)

    def close(self) -> None:
        pass
