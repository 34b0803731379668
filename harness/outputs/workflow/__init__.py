"""The project's CI workflow (.github/workflows/suite.yml), generated from the languages' versions.

Its job matrix is the catalogue's: one job per language x supported version (`go@1.22`), run in
that version's official image, so a version added to a language.yaml is a job after `make
workflow`, and a test holds the checked-in file to what this renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from harness.catalogue import Catalogue

WORKFLOW = Path(".github/workflows/suite.yml")
ARTIFACT_PREFIX = "results-"
SLICE_MINUTES = 30  # a slice runs in 2-4 minutes on a 2-core machine; more is a hung job

# What every official image lacks of what the harness needs, installed only where missing (the
# images are Debian or Ubuntu): git (the commit a results file names), make, Python 3.11+ with venv.
PREPARE = """\
missing=""
command -v git >/dev/null || missing="$missing git"
command -v make >/dev/null || missing="$missing make"
python3 -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \\
  || missing="$missing python3 python3-venv"
if [ -n "$missing" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates $missing >/dev/null
fi"""


@dataclass(frozen=True)
class Job:
    target: str  # `go@1.22`, as `make test LANG=` takes it
    image: str  # the official image of that version

    @property
    def artifact(self) -> str:
        return ARTIFACT_PREFIX + self.target.replace("@", "-")


def jobs(catalogue: Catalogue) -> list[Job]:
    """One job per language x supported version, languages in the catalogue's order, versions oldest
    first; a version without an image of its own (Rust's tokio lines) runs in the language's."""
    return [
        Job(f"{name}@{version.name}", version.image or language.image)
        for name, language in catalogue.languages.items()
        for version in language.versions
    ]


def render(catalogue: Catalogue) -> str:
    """The workflow's text. Jinja2's delimiters are [[ ]] and [% %] here: ${{ }} is GitHub's."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("harness.outputs.workflow", "templates"),
        variable_start_string="[[",
        variable_end_string="]]",
        block_start_string="[%",
        block_end_string="%]",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    return env.get_template("suite.yml.j2").render(
        jobs=jobs(catalogue), prepare=PREPARE, artifact_prefix=ARTIFACT_PREFIX, slice_minutes=SLICE_MINUTES
    )
