"""Which image each language runs in: the official one pinned in language.yaml, unless overridden.

Overrides, strongest first:
1. `--image LANG=REF` on the command line;
2. the environment variable `SUITE_IMAGE_<LANG>` (for example SUITE_IMAGE_GO);
3. `images.override.yaml` at the suite root, a mapping `lang: ref` (written by `make standin-images`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from harness.base.errors import SuiteError
from harness.catalogue.languages import Language
from harness.catalogue.schemas import schema
from harness.catalogue.yamlfile import load_yaml

OVERRIDE_FILE = "images.override.yaml"


@dataclass(frozen=True)
class ImageChoice:
    ref: str
    source: str  # where the choice came from, for the header

    @property
    def overridden(self) -> bool:
        return self.source != "language.yaml"


def env_name(language: str) -> str:
    return f"SUITE_IMAGE_{language.upper()}"


def targets_of(languages: dict[str, Language]) -> set[str]:
    """What an image can be chosen for: a language, or a language at one of its versions."""
    return set(languages) | {f"{name}@{v.name}" for name, lang in languages.items() for v in lang.versions}


def parse_cli(values: list[str], languages: dict[str, Language]) -> dict[str, str]:
    chosen = {}
    for value in values:
        lang, sep, ref = value.partition("=")
        if not sep or not ref or lang not in targets_of(languages):
            raise SuiteError(
                f"--image {value!r}: expected LANG=IMAGE with LANG one of {', '.join(languages)} "
                f"(for example --image go=mirror.example/golang:1.26-bookworm)"
            )
        chosen[lang] = ref
    return chosen


def read_override_file(root: Path, languages: dict[str, Language]) -> dict[str, str]:
    path = root / OVERRIDE_FILE
    if not path.exists():
        return {}
    doc = load_yaml(path)
    doc.validate(schema("images"))
    unknown = sorted(set(doc.data) - targets_of(languages))
    if unknown:
        raise SuiteError(
            f"{path}: unknown language(s) {', '.join(unknown)}; known: {', '.join(languages)}. "
            f"Remove them, or delete the file to use the official images."
        )
    return dict(doc.data)


def choose_images(root: Path, languages: dict[str, Language], cli: list[str]) -> dict[str, ImageChoice]:
    from_cli = parse_cli(cli, languages)
    from_file = read_override_file(root, languages)
    choices = {}
    for name, lang in languages.items():
        if lang.version is not None and name not in from_cli and name not in from_file:
            continue  # a version's image: language.yaml's unless one is named for it (the docker runtime)
        if name in from_cli:
            choices[name] = ImageChoice(from_cli[name], "--image")
        elif os.environ.get(env_name(name)):
            choices[name] = ImageChoice(os.environ[env_name(name)], env_name(name))
        elif name in from_file:
            choices[name] = ImageChoice(from_file[name], OVERRIDE_FILE)
        else:
            choices[name] = ImageChoice(lang.image, "language.yaml")
    for key, ref in from_file.items():  # a version's image (`python@3.14`)
        if "@" in key:
            choices[key] = ImageChoice(ref, OVERRIDE_FILE)
    for key, ref in from_cli.items():
        if "@" in key:
            choices[key] = ImageChoice(ref, "--image")
    return choices


def tag_version(ref: str) -> str | None:
    """The version an image's tag names (`python:3.13-slim-bookworm` -> 3.13), or None (`latest`, a digest)."""
    name = ref.rsplit("/", 1)[-1]
    if "@" in name or ":" not in name:
        return None
    match = re.match(r"(\d+(?:\.\d+)*)(?:[-_]|$)", name.partition(":")[2])
    return match.group(1) if match else None
