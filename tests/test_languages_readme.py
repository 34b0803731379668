"""languages/README.md matches the code: its language.yaml example says what a real one says."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import yaml

from harness.catalogue.schemas import schema

REPO = Path(__file__).resolve().parents[1]


def example() -> dict:
    text = (REPO / "languages" / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## language.yaml\n.*?```yaml\n(.*?)```", text, re.S)
    assert block, "languages/README.md has no language.yaml example"
    return yaml.safe_load(block.group(1))


def test_the_example_is_a_valid_language_yaml():
    jsonschema.Draft202012Validator(schema("language")).validate(example())


def test_the_example_says_what_the_real_one_says():
    shown = example()
    real = yaml.safe_load((REPO / "languages" / shown["name"] / "language.yaml").read_text(encoding="utf-8"))
    primitives = shown.pop("primitives")
    assert set(primitives) <= set(real["primitives"]), "the example lists primitives the language does not"
    assert {key: real.get(key) for key in shown} == shown
    left_out = set(real) - set(shown) - {"primitives"}
    assert left_out == set(), f"the example leaves out {left_out}: show them, or say why"
