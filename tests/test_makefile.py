"""The Makefile hands what people set (PATTERN=, DOCS=, PYTEST_ARGS=, ...) to the harness as text.

Whatever a value holds (quotes, `;`, `$(...)`, backquotes, a newline, spaces, a glob, a leading -),
it runs nothing and arrives as it was typed, one argument; PYTEST_ARGS is split shell-style by shlex,
in Python. Most checks run the real Makefile with a stand-in interpreter (VENV= a folder whose
bin/python only records how it was called), so they take milliseconds and need no toolchain; a few
run the real harness, which refuses the hostile name and quotes it back. Every hostile value would
run `pwned`, a command on PATH that leaves a marker file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.tools import make_args

REPO = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")

HOSTILE = {
    "single quotes": "x'; pwned; echo '",
    "double quotes": 'x"; pwned; echo "',
    "semicolon": "x; pwned",
    "pipe and redirection": "x | pwned >&2",
    "command substitution": "$(pwned)",
    "backquotes": "`pwned`",
    "make function": "$(shell pwned)",
    "doubled dollar": "$$(pwned)",
    "parameters": "${HOME}$PATH",
    "newline": "x\npwned",
    "trailing backslash": "x\\",
    "spaces": "two  words",
    "glob": "*.md",  # README.md is there: a shell would expand it
    "tilde": "~",
    "leading dash": "--help",
    "hash": "x # pwned",
}

# The command each target runs with no variable set (`-m` left out; `pytest` after make_args).
COMMAND = {
    "test": ["pytest"],
    "check": ["pytest", "tests", "-m", "not docker and not runners"],
    "check-runners": ["pytest", "tests", "-m", "runners and not docker"],
    "check-docker": ["pytest", "tests", "-m", "docker"],
    "record": ["harness.tools.record"],
    "bench": ["harness.tools.bench"],
    "mutate": ["harness.tools.mutate"],
    "new-pattern": ["harness.tools.new_pattern", "--"],
    "report": ["harness.tools.report"],
    "coverage": ["harness.tools.coverage"],
    "docs": ["harness.tools.docs", "render"],
    "check-docs": ["harness.tools.docs", "check"],
}

# What each variable becomes in the targets that take it: the arguments added to COMMAND ({} is the
# value). PYTEST_ARGS is not among them: it goes through the environment to make_args.
SELECTING = ("test", "record", "bench", "mutate")
USES = {
    "LANG": dict.fromkeys(SELECTING, ["--lang={}"]),
    "PATTERN": dict.fromkeys(SELECTING, ["--pattern={}"]),
    "RUNTIME": dict.fromkeys(SELECTING, ["--runtime={}"]),
    "TICK_MS": dict.fromkeys(SELECTING, ["--tick-ms={}"]),
    "JOBS": {"test": ["--jobs={}"], "bench": ["--jobs={}"]},
    "RESULTS": {"test": ["--results={}"], "report": ["--results={}"], "coverage": ["--results={}"]},
    "JUNIT": {"test": ["--junit={}"]},
    "OUT": {"report": ["--out={}"], "docs": ["--out={}"]},
    "SCENARIO": {"record": ["--scenario={}"]},
    "DOCS": {"test": ["--docs={}"], "check-docs": ["--", "{}"]},
    "ID": {"new-pattern": ["{}"]},
    "UPDATE": {"record": ["--update"], "check-docs": ["--update", "--", "guide.md"]},  # a flag: the value stays
    "ALLOW_MIXED": {"report": ["--allow-mixed"]},  # a flag too
}
ALSO = {"UPDATE": ["DOCS=guide.md"]}  # check-docs needs a doc to run at all
PYTEST_TARGETS = ("test", "check", "check-runners", "check-docker")

STAND_IN = """#!/bin/sh
# Stands in for the venv's python: appends its argument count, its arguments, and PYTEST_ARGS and
# LANG as its environment has them, each NUL-terminated, to calls.log.
printf '%s\\0' "$#" "$@" "${{PYTEST_ARGS-}}" "${{LANG-}}" >> '{log}'
"""


@dataclass
class Call:
    """One run of the (stand-in) interpreter: its arguments and what its environment held."""

    args: list[str]
    pytest_args: str
    lang: str

    @property
    def command(self) -> list[str]:
        """What runs in the end: the module and its arguments, pytest's through make_args."""
        assert self.args[0] == "-m", self.args
        module, *rest = self.args[1:]
        if module == "harness.tools.make_args":
            return ["pytest", *make_args.pytest_args(rest, {"PYTEST_ARGS": self.pytest_args})]
        return [module, *rest]


class Sandbox:
    """make in the repository, with VENV= a folder of its own whose python is the stand-in (or execs
    `python`), and PATH and HOME in a temporary folder."""

    def __init__(self, root: Path, python: str | None = None):
        self.marker = root / "PWNED"
        self.log = root / "calls.log"
        venv = root / "venv"
        (venv / "bin").mkdir(parents=True)
        (root / "bin").mkdir()
        self._script(root / "bin" / "pwned", f"#!/bin/sh\n: > '{self.marker}'\n")
        stand_in = STAND_IN.format(log=self.log)
        self._script(venv / "bin" / "python", stand_in if python is None else f'#!/bin/sh\nexec "{python}" "$@"\n')
        for done in (venv / ".installed", root / "node", root / "eslint"):
            done.touch()
        self.variables = [f"VENV={venv}", f"NODE={root / 'node'}", f"ESLINT={root / 'eslint'}"]
        # Nothing from an outer make (make check): its MAKEFLAGS carry its command line's variables.
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {*USES, "PYTEST_ARGS", "SUITE_LANG", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
        }
        self.env.update(PATH=f"{root / 'bin'}{os.pathsep}{os.environ['PATH']}", HOME=str(root), LANG="en_US.UTF-8")

    @staticmethod
    def _script(path: Path, text: str) -> None:
        path.write_text(text)
        path.chmod(0o755)

    def make(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [MAKE, "--no-print-directory", *args, *self.variables],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def calls(self) -> list[Call]:
        """The interpreter's calls since the last look (the stand-in's log)."""
        fields = iter(self.log.read_text().split("\0")[:-1] if self.log.exists() else [])
        self.log.unlink(missing_ok=True)
        calls = []
        for count in fields:
            args = [next(fields) for _ in range(int(count))]
            calls.append(Call(args, pytest_args=next(fields), lang=next(fields)))
        return calls


@pytest.fixture
def sandbox(tmp_path) -> Sandbox:
    return Sandbox(tmp_path)


@pytest.fixture
def harness(tmp_path) -> Sandbox:
    """A sandbox whose interpreter is this session's, so the real harness runs."""
    return Sandbox(tmp_path, sys.executable)


DOCUMENTED = [
    (["test"], ["pytest"]),
    (["test", "LANG=go", "PATTERN=timeout"], ["pytest", "--lang=go", "--pattern=timeout"]),
    (["test", "LANG=go,java"], ["pytest", "--lang=go,java"]),
    (["test", "PATTERN=timeout, race_and_any"], ["pytest", "--pattern=timeout, race_and_any"]),
    (["test", "RUNTIME=docker", "TICK_MS=50"], ["pytest", "--runtime=docker", "--tick-ms=50"]),
    (
        ["test", "JOBS=1", "RESULTS=out/r.json", "JUNIT=out/j.xml"],
        ["pytest", "--jobs=1", "--results=out/r.json", "--junit=out/j.xml"],
    ),
    (["test", "DOCS=docs/**/*.md"], ["pytest", "--docs=docs/**/*.md"]),
    (["test", "PYTEST_ARGS=-k 'python and second_fails'"], ["pytest", "-k", "python and second_fails"]),
    (
        ["test", "PYTEST_ARGS='patterns/timeout/pattern.yaml::timeout[go:within_deadline]'"],
        ["pytest", "patterns/timeout/pattern.yaml::timeout[go:within_deadline]"],
    ),
    (["check", "PYTEST_ARGS=-x -q"], [*COMMAND["check"], "-x", "-q"]),
    (["check-runners"], COMMAND["check-runners"]),
    (["check-docker", "PYTEST_ARGS=-k engine"], [*COMMAND["check-docker"], "-k", "engine"]),
    (["record", "PATTERN=first_success"], ["harness.tools.record", "--pattern=first_success"]),
    (["record", "PATTERN=first_success", "UPDATE=1"], ["harness.tools.record", "--pattern=first_success", "--update"]),
    (["record", "PATTERN=timeout", "UPDATE=0"], ["harness.tools.record", "--pattern=timeout"]),
    (
        ["record", "PATTERN=timeout", "LANG=go", "SCENARIO=exceeds_deadline"],
        ["harness.tools.record", "--lang=go", "--pattern=timeout", "--scenario=exceeds_deadline"],
    ),
    (["new-pattern", "ID=first_success"], ["harness.tools.new_pattern", "--", "first_success"]),
    (["mutate", "PATTERN=first_success"], ["harness.tools.mutate", "--pattern=first_success"]),
    (["bench", "LANG=go", "JOBS=10"], ["harness.tools.bench", "--lang=go", "--jobs=10"]),
    (["report"], ["harness.tools.report"]),
    (["report", "RESULTS=saved.json", "OUT=out"], ["harness.tools.report", "--results=saved.json", "--out=out"]),
    (
        ["report", "RESULTS=a.json:b.json", "ALLOW_MIXED=1"],
        ["harness.tools.report", "--results=a.json:b.json", "--allow-mixed"],
    ),
    (["report", "RESULTS=a.json:b.json", "ALLOW_MIXED=0"], ["harness.tools.report", "--results=a.json:b.json"]),
    (["coverage", "RESULTS=saved.json"], ["harness.tools.coverage", "--results=saved.json"]),
    (["docs", "OUT=out"], ["harness.tools.docs", "render", "--out=out"]),
    (["check-docs", "DOCS=docs/**/*.md"], ["harness.tools.docs", "check", "--", "docs/**/*.md"]),
    (
        ["check-docs", "DOCS=docs/**/*.md", "UPDATE=1"],
        ["harness.tools.docs", "check", "--update", "--", "docs/**/*.md"],
    ),
]


@pytest.mark.parametrize(("make", "command"), DOCUMENTED, ids=[" ".join(m) for m, _ in DOCUMENTED])
def test_documented_forms_give_these_arguments(sandbox, make, command):
    run = sandbox.make(*make)
    assert run.returncode == 0, run.stderr
    assert [call.command for call in sandbox.calls()] == [command]


def test_lang_selects_only_from_the_command_line_and_leaves_a_sane_locale(sandbox):
    sandbox.make("test")
    [call] = sandbox.calls()
    assert call.command == ["pytest"] and call.lang == "en_US.UTF-8"  # the locale, untouched
    sandbox.make("test", "LANG=go")
    [call] = sandbox.calls()
    assert call.command == ["pytest", "--lang=go"] and call.lang == "C.UTF-8"


@pytest.mark.parametrize("target", ["new-pattern", "check-docs"])
def test_a_missing_name_is_asked_for(sandbox, target):
    run = sandbox.make(target)
    assert run.returncode == 2 and "name the" in run.stdout
    assert sandbox.calls() == []


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("variable", USES)
def test_a_hostile_value_runs_nothing_and_arrives_as_one_argument(sandbox, variable, value):
    uses = USES[variable]
    run = sandbox.make(*uses, f"{variable}={value}", *ALSO.get(variable, []))
    assert not sandbox.marker.exists(), f"{variable}={value!r} ran a command"
    assert run.returncode == 0, run.stderr
    expected = [[*COMMAND[target], *(arg.format(value) for arg in args)] for target, args in uses.items()]
    assert [call.command for call in sandbox.calls()] == expected


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_pytest_args_reach_make_args_intact_through_the_environment(sandbox, value):
    run = sandbox.make(*PYTEST_TARGETS, f"PYTEST_ARGS={value}")
    assert not sandbox.marker.exists(), f"PYTEST_ARGS={value!r} ran a command"
    assert run.returncode == 0, run.stderr
    calls = sandbox.calls()
    assert [call.args for call in calls] == [["-m", "harness.tools.make_args", *COMMAND[t][1:]] for t in PYTEST_TARGETS]
    assert [call.pytest_args for call in calls] == [value] * len(PYTEST_TARGETS)


def test_no_recipe_line_holds_a_value(sandbox):
    """`make -n` prints every command: with every variable set, not one holds what was set."""
    canary = "x'\"; pwned; `pwned` $(pwned) $(shell pwned) #"
    targets = [*COMMAND, "venv", "lint", "standin-images", "clean"]
    run = sandbox.make("-n", *targets, *(f"{v}={canary}" for v in [*USES, "PYTEST_ARGS"]))
    assert run.returncode == 0, run.stderr
    assert "pwned" not in run.stdout
    assert not sandbox.marker.exists()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("-k 'python and second_fails'", ["-k", "python and second_fails"]),
        (
            "'patterns/timeout/pattern.yaml::timeout[go:within_deadline]'",
            ["patterns/timeout/pattern.yaml::timeout[go:within_deadline]"],
        ),
        ("x'; pwned; echo '", ["x; pwned; echo "]),
        ('-k "a and not b" -x', ["-k", "a and not b", "-x"]),
        ("$(pwned) `pwned` ${HOME} *.md ~ #", ["$(pwned)", "`pwned`", "${HOME}", "*.md", "~", "#"]),
        ("x\npwned", ["x", "pwned"]),
        ("", []),
    ],
)
def test_make_args_splits_pytest_args_like_a_shell_but_runs_nothing(text, words):
    assert make_args.pytest_args(["tests"], {"PYTEST_ARGS": text}) == ["tests", *words]


def test_make_args_refuses_an_open_quote(monkeypatch, capsys):
    monkeypatch.setenv("PYTEST_ARGS", "-k 'python")
    assert make_args.main([]) == 2
    assert 'PYTEST_ARGS="-k \'python": No closing quotation' in capsys.readouterr().err


# The real harness refuses each of these names and quotes it back, as one argument.
REFUSED = [
    (["test", "PATTERN=x'; pwned; echo '"], "unknown pattern(s) x'; pwned; echo '"),
    (["record", "LANG=$(pwned) `pwned`"], "unknown language(s) $(pwned) `pwned`"),
    (["new-pattern", "ID=--root=/ pwned"], "ID='--root=/ pwned': a pattern id is"),
    (["check-docs", "DOCS=x';pwned;'*.md"], "x';pwned;'*.md: no such Markdown file"),
    (["test", "PYTEST_ARGS=x'; pwned; echo '"], "file or directory not found: x; pwned; echo "),
]


@pytest.mark.parametrize(("make", "message"), REFUSED, ids=[m[0] for m, _ in REFUSED])
def test_the_harness_quotes_a_hostile_value_back(harness, make, message):
    run = harness.make(*make)
    assert not harness.marker.exists()
    assert run.returncode != 0
    assert message in run.stdout + run.stderr
