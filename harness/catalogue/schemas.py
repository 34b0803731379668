"""The suite's JSON Schemas, one file each in harness/schemas/ (linked from the docs).

pattern     patterns/<id>/pattern.yaml          mutants     patterns/<id>/mutants.yaml
language    languages/<lang>/language.yaml      catalogue   languages/catalogue.yaml
images      images.override.yaml                protocol    every runner protocol line
results     results.json, written by every run
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def schema_path(name: str) -> Path:
    return SCHEMAS / f"{name}.schema.json"


@cache
def schema(name: str) -> dict[str, Any]:
    """The schema `name` (see above), parsed once."""
    return json.loads(schema_path(name).read_text(encoding="utf-8"))
