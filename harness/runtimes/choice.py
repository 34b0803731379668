"""What the suite needs of a runtime (local toolchains or Docker images), and choosing one.

The runtimes import nothing from here (what they give back, Prepared, is in harness.process)."""

from __future__ import annotations

from dataclasses import dataclass

from harness.base.errors import SuiteError
from harness.catalogue.languages import Language
from harness.runtimes.docker.runtime import DockerRuntime, ImageMissing
from harness.runtimes.local import LocalRuntime, runner_pid_files
from harness.runtimes.runtime import Runtime

__all__ = ["Choice", "choose_runtime"]


@dataclass(frozen=True)
class Choice:
    runtime: Runtime
    why: str  # said in the header when the runtime was chosen automatically


def choose_runtime(wanted: str, cache, languages: dict[str, Language], selected: list[str], images: dict) -> Choice:
    """`local`, `docker`, or `auto`: docker when an engine answers and every selected image is there
    (or can be pulled), else local. An explicit `docker` that cannot work raises a SuiteError.
    Either way, local runners a killed run left are killed first (and said in the header)."""
    removed = runner_pid_files(cache).remove_orphans()
    choice = _choose(wanted, cache, languages, selected, images)
    if removed:
        choice.runtime.notes.append(
            f"killed {len(removed)} runner(s) an earlier run left when it was killed: {', '.join(removed)}"
        )
    return choice


def _missing_images(errors: list[SuiteError]) -> str:
    """Why the images cannot be used, in one line: images that cannot be pulled are listed together."""
    unpulled = [e for e in errors if isinstance(e, ImageMissing)]
    if len(unpulled) < 2:
        return " ".join(map(str, errors))
    refs = ", ".join(e.ref for e in unpulled)
    together = (
        f"these images are not present and cannot be pulled: {refs} ({unpulled[0].reason}). "
        "`make standin-images` builds local stand-ins."
    )
    return " ".join([together, *(str(e) for e in errors if not isinstance(e, ImageMissing))])


def _choose(wanted: str, cache, languages: dict[str, Language], selected: list[str], images: dict) -> Choice:
    if wanted == "local":
        return Choice(LocalRuntime(cache), "")
    if wanted == "docker":
        return Choice(DockerRuntime(cache, images), "")
    try:
        docker = DockerRuntime(cache, images)
    except SuiteError as exc:
        return Choice(LocalRuntime(cache), f"auto: local, because {exc}")
    missing: list[SuiteError] = []
    for name in selected:
        try:
            docker.image(languages[name])
        except SuiteError as exc:
            missing.append(exc)
    if missing:
        docker.close()
        return Choice(LocalRuntime(cache), "auto: local, because " + _missing_images(missing))
    return Choice(docker, "auto: docker, because an engine answers and every image is present")
