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
    present: list[str] = []
    for name in selected:
        try:
            docker.image(languages[name])
            present.append(name)
        except SuiteError as exc:
            missing.append(exc)
    if not missing:
        return Choice(docker, "auto: docker, because an engine answers and every image is present")
    local = LocalRuntime(cache)
    # a version that only an image holds here (no such toolchain found or obtainable locally) runs
    # in its image, the others locally
    in_images = [name for name in present if languages[name].version is not None and not local.can_run(languages[name])]
    why = "auto: local, because " + _missing_images(missing)
    if not in_images:
        docker.close()
        return Choice(local, why)
    return Choice(Routed(local, docker, in_images), f"{why}; in their images: {', '.join(in_images)}")


class Routed:
    """Local toolchains for most languages, docker images for the versions only an image holds."""

    name = "local+docker"

    def __init__(self, local: LocalRuntime, docker: DockerRuntime, in_images: list[str]):
        self.local, self.docker, self.in_images = local, docker, set(in_images)
        self.notes = [*local.notes, *docker.notes]

    def _for(self, lang: Language) -> Runtime:
        return self.docker if lang.key in self.in_images else self.local

    def describe(self, lang: Language) -> str:
        return self._for(lang).describe(lang)

    def image_of(self, lang: Language) -> str | None:
        return self._for(lang).image_of(lang)

    def prepare(self, lang: Language, snippets, progress):
        return self._for(lang).prepare(lang, snippets, progress)

    def close(self) -> None:
        try:
            self.docker.close()
        finally:
            self.local.close()
