"""`make ci-local [LANG=go@1.22,python@3.14] [PARALLEL=1]` (python -m harness.tools.ci_local): the CI
workflow (.github/workflows/suite.yml) executed here, job by job, from its own text.

Each slice job of the matrix (or those LANG names) runs its `run:` steps, as written, in the image
its `container:` names: the local stand-in of that official image where `make standin-images` made
one (images.override.yaml), in a fresh clone of the checked-out commit, as the CI system's checkout
gives it. Then the merge job runs its steps on this machine in a clone of its own, with each slice's
uploaded files where the download step puts them. Steps that use an action are done by their local
equivalent: checkout is the clone, upload and download copy files, setup-python is this Python
(3.11 or newer). The pip cache is shared between jobs (as a CI cache would be); nothing else is.

Everything lands in .cache/ci-local/<when>/: each job's log, the slices' uploads, the merged results,
the report, the job page summary, and timings.json with each job's wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from harness.base.errors import SuiteError
from harness.catalogue import Catalogue
from harness.catalogue.selection import names
from harness.outputs.workflow import WORKFLOW
from harness.runtimes.docker.engine import connect, sdk
from harness.runtimes.images import read_override_file

SLICE_TIMEOUT_S = 45 * 60  # the workflow gives a slice 30 minutes; a local one twice as slow is hung
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


class WorkflowError(SuiteError):
    """A workflow this executor cannot run as written."""


@dataclass
class Step:
    run: str | None
    uses: str | None
    env: dict[str, str]
    with_: dict[str, Any]
    condition: str  # `success()`, `always()`, `steps.<id>.outcome == 'failure'`
    id: str | None
    continue_on_error: bool


@dataclass
class JobRun:
    name: str
    seconds: float = 0.0
    status: str = "not run"  # passed, failed (step name)
    outcomes: dict[str, str] = field(default_factory=dict)


def steps_of(job: dict[str, Any]) -> list[Step]:
    return [
        Step(
            raw.get("run"),
            raw.get("uses"),
            {k: str(v) for k, v in (raw.get("env") or {}).items()},
            raw.get("with") or {},
            str(raw.get("if", "success()")),
            raw.get("id"),
            bool(raw.get("continue-on-error", False)),
        )
        for raw in job["steps"]
    ]


def substitute(text: str, matrix: dict[str, str]) -> str:
    """`${{ matrix.target }}` and friends: the matrix's values; any other expression is refused."""

    def value(match: re.Match) -> str:
        expression = match[1]
        if expression.startswith("matrix.") and expression[7:] in matrix:
            return matrix[expression[7:]]
        raise WorkflowError(f"{WORKFLOW}: the local executor cannot evaluate ${{{{ {expression} }}}}")

    return EXPRESSION.sub(value, text)


def wanted(step: Step, failed: bool, outcomes: dict[str, str]) -> bool:
    """Whether a step runs, given whether an earlier step failed (GitHub's `if:` as this workflow uses it)."""
    condition = step.condition.strip()
    if condition in ("success()", ""):
        return not failed
    if condition == "always()":
        return True
    match = re.fullmatch(r"(always\(\) && )?steps\.(\w+)\.outcome (==|!=) '(\w+)'", condition)
    if match:
        holds = (outcomes.get(match[2], "skipped") == match[4]) == (match[3] == "==")
        return holds and (bool(match[1]) or not failed)
    raise WorkflowError(f"{WORKFLOW}: the local executor cannot evaluate `if: {condition}`")


def head_commit(root: Path) -> str:
    """The commit checked out when the run began: every job runs it, as every CI job runs one commit."""
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()


def clone(root: Path, into: Path, commit: str) -> None:
    """A fresh clone at `commit`, as a CI checkout gives it."""
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(root), str(into)], check=True)
    subprocess.run(["git", "checkout", "--quiet", commit], cwd=into, check=True)


def standin_images(root: Path) -> dict[str, str]:
    """official image -> the local stand-in `make standin-images` wrote for it."""
    catalogue = Catalogue(root)
    override = read_override_file(root, catalogue.languages)
    found = {}
    for name, language in catalogue.languages.items():
        if name in override:
            found[language.image] = override[name]
        for version in language.versions:
            if f"{name}@{version.name}" in override and version.image:
                found[version.image] = override[f"{name}@{version.name}"]
    return found


def run_slice(
    client, root: Path, commit: str, out: Path, job: dict[str, Any], matrix: dict[str, str], image: str, pip_cache: Path
) -> JobRun:
    """One matrix job: its run steps in a container of `image`, in a clone mounted as the workspace."""
    name = matrix["target"]
    record = JobRun(name)
    work = out / "work" / matrix["artifact"]
    clone(root, work, commit)
    script = ["set -u", 'failed=""']
    uploads = []
    for i, step in enumerate(steps_of(job)):
        if step.uses is not None:
            if step.uses.startswith("actions/upload-artifact"):
                uploads.append((substitute(str(step.with_["name"]), matrix), str(step.with_["path"])))
            elif not step.uses.startswith("actions/checkout"):
                raise WorkflowError(f"{WORKFLOW}: slice step {i + 1} uses {step.uses}, which the executor lacks")
            continue
        if step.condition not in ("success()", "always()"):
            raise WorkflowError(f"{WORKFLOW}: slice step {i + 1}: `if: {step.condition}` is not run locally")
        guard = "" if step.condition == "always()" else 'test -z "$failed" && '
        exports = "".join(f"export {k}={json.dumps(substitute(v, matrix))}; " for k, v in step.env.items())
        body = substitute(step.run or "", matrix)
        script.append(
            f"{guard}{{ echo '::step {i + 1}'; ( set -eo pipefail; {exports}\n{body}\n) || failed={i + 1}; }}"
        )
    script.append('chown -R "$HOST_UID:$HOST_GID" . /root/.cache/pip 2>/dev/null; test -z "$failed"')
    started = time.monotonic()
    container = client.containers.run(
        image,
        ["bash", "-c", "\n".join(script)],
        detach=True,
        working_dir="/workspace",
        volumes={str(work): {"bind": "/workspace", "mode": "rw"}, str(pip_cache): {"bind": "/root/.cache/pip"}},
        environment={"CI": "true", "HOST_UID": str(os.getuid()), "HOST_GID": str(os.getgid())},
        user="0",
        labels={"io.async-suite": "ci-local"},
    )
    try:
        with open(out / f"{matrix['artifact']}.log", "wb") as log:
            for chunk in container.logs(stream=True, follow=True):
                log.write(chunk)
        status = container.wait(timeout=SLICE_TIMEOUT_S)["StatusCode"]
    finally:
        container.remove(force=True)
    record.seconds = time.monotonic() - started
    record.status = "passed" if status == 0 else "failed"
    for artifact, path in uploads:
        source = work / path
        if source.exists():
            shutil.copytree(source, out / "artifacts" / artifact, dirs_exist_ok=True)
    return record


def run_merge(root: Path, commit: str, out: Path, job: dict[str, Any]) -> JobRun:
    """The merge job: its steps on this machine, in a clone, with the slices' uploads downloaded."""
    record = JobRun("merge")
    work = out / "work" / "merge"
    clone(root, work, commit)
    summary = out / "summary.md"
    summary.touch()
    started, failed = time.monotonic(), False
    with open(out / "merge.log", "w") as log:
        for i, step in enumerate(steps_of(job)):
            if not wanted(step, failed, record.outcomes):
                if step.id:
                    record.outcomes[step.id] = "skipped"
                continue
            ok = _merge_step(step, work, out, summary, log, i)
            if step.id:
                record.outcomes[step.id] = "success" if ok else "failure"
            if not ok and not step.continue_on_error:
                failed = True
                record.status = f"failed at step {i + 1}"
    record.seconds = time.monotonic() - started
    if not failed:
        record.status = "passed"
    return record


def _merge_step(step: Step, work: Path, out: Path, summary: Path, log, index: int) -> bool:
    uses = step.uses or ""
    if uses.startswith("actions/checkout"):
        return True  # the clone is the checkout
    if uses.startswith("actions/setup-python"):
        return sys.version_info >= (3, 11)  # this Python is the setup
    if uses.startswith("actions/download-artifact"):
        prefix = str(step.with_.get("pattern", "*")).rstrip("*")
        target = work / str(step.with_["path"])
        for artifact in sorted((out / "artifacts").glob(prefix + "*")):
            shutil.copytree(artifact, target / artifact.name, dirs_exist_ok=True)
        return True
    if uses.startswith(("actions/upload-artifact", "actions/upload-pages-artifact")):
        for path in str(step.with_["path"]).split():
            if (work / path).exists():
                shutil.copytree(work / path, out / "uploads" / Path(path).name, dirs_exist_ok=True)
        return True
    if step.uses is not None:
        raise WorkflowError(f"{WORKFLOW}: merge step {index + 1} uses {step.uses}, which the executor lacks")
    log.write(f"::step {index + 1}\n")
    log.flush()
    env = {**_host_env(), **step.env, "GITHUB_STEP_SUMMARY": str(summary)}
    proc = subprocess.run(["bash", "-eo", "pipefail", "-c", step.run or ""], cwd=work, env=env, stdout=log, stderr=log)
    return proc.returncode == 0


def _host_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TERM", "DOCKER_HOST")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make ci-local", description="Run the CI workflow's jobs here.")
    parser.add_argument("--lang", action="append", default=[], help="only these matrix targets (go@1.22,...)")
    parser.add_argument("--parallel", type=int, default=1, help="slice jobs at once (default 1: timing is measured)")
    parser.add_argument("--root", type=Path, default=Path("."))
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        workflow = yaml.safe_load((root / WORKFLOW).read_text(encoding="utf-8"))
        slice_job, merge_job = workflow["jobs"]["slice"], workflow["jobs"]["merge"]
        matrix = slice_job["strategy"]["matrix"]["include"]
        chosen = names(args.lang)
        unknown = [t for t in chosen if t not in {m["target"] for m in matrix}]
        if unknown:
            raise SuiteError(
                f"LANG: {', '.join(unknown)} is no job of {WORKFLOW}; its jobs: "
                + ", ".join(m["target"] for m in matrix)
            )
        jobs = [m for m in matrix if not chosen or m["target"] in chosen]
        images = standin_images(root)
        client = connect()
        for job in jobs:
            job["local_image"] = images.get(job["image"], job["image"])
            try:
                client.images.get(job["local_image"])
            except sdk().errors.ImageNotFound:
                raise SuiteError(
                    f"{job['target']}: no image {job['local_image']} here; build the stand-ins first "
                    f"(make standin-images VERSIONS=all)"
                ) from None
    except (OSError, KeyError, TypeError, yaml.YAMLError) as exc:
        print(f"ci-local: cannot read {WORKFLOW}: {exc}", file=sys.stderr)
        return 2
    except SuiteError as exc:
        print(f"ci-local: {exc}", file=sys.stderr)
        return 2
    commit = head_commit(root)
    out = root / ".cache" / "ci-local" / datetime.now().strftime("%Y%m%d-%H%M%S")
    pip_cache = root / ".cache" / "ci-local" / "pip"
    pip_cache.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True)
    print(
        f"ci-local: {len(jobs)} slice job(s) of {commit[:12]}, {args.parallel} at once, then the merge; logs in {out}",
        flush=True,
    )
    started = time.monotonic()

    def one(job: dict[str, Any]) -> JobRun:
        print(f"  {job['target']}: started in {job['local_image']}", flush=True)
        try:
            record = run_slice(client, root, commit, out, slice_job, job, job["local_image"], pip_cache)
        except (SuiteError, subprocess.CalledProcessError, sdk().errors.DockerException) as exc:
            record = JobRun(job["target"], status=f"failed: {exc}")
        print(f"  {job['target']}: {record.status} in {record.seconds:.0f} s", flush=True)
        return record

    with ThreadPoolExecutor(max(1, args.parallel)) as pool:
        slices = list(pool.map(one, jobs))
    slices_wall = time.monotonic() - started
    try:
        merge = run_merge(root, commit, out, merge_job)
    except (SuiteError, subprocess.CalledProcessError) as exc:
        merge = JobRun("merge", status=f"failed: {exc}")
    print(f"  merge: {merge.status} in {merge.seconds:.1f} s (steps: {merge.outcomes})", flush=True)
    timings = {
        "slices": {r.name: {"seconds": round(r.seconds, 1), "status": r.status} for r in slices},
        "slices_wall_seconds": round(slices_wall, 1),
        "merge": {"seconds": round(merge.seconds, 1), "status": merge.status, "steps": merge.outcomes},
        "parallel": args.parallel,
    }
    (out / "timings.json").write_text(json.dumps(timings, indent=1) + "\n")
    print((out / "summary.md").read_text() if (out / "summary.md").exists() else "")
    print(f"ci-local: slices {slices_wall:.0f} s wall, merge {merge.seconds:.1f} s; {out / 'timings.json'}")
    report = out / "uploads" / "site" / "index.html"
    if report.exists():
        print(report)
    return 0 if all(r.status == "passed" for r in slices) and merge.status == "passed" else 1


if __name__ == "__main__":
    sys.exit(main())
