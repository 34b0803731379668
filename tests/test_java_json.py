"""The Java helper's JSON (languages/java/template/suite/Json.java, Jackson configured strictly): a
strict RFC 8259 reader and a binder into records. A plain Java test class,
languages/java/tests/JsonTest.java, holds the cases
(well-formed and deliberately malformed texts, records bound and refused); this compiles it with the
helper on the real JDK and runs it. It needs the Java toolchain (marker `runners`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from harness.catalogue.languages import load_language
from harness.runtimes.build import fetched
from harness.runtimes.toolchain import find_toolchain

JAVA = Path(__file__).resolve().parents[1] / "languages" / "java"


@pytest.mark.runners
def test_the_java_json_reader_is_strict_and_its_binder_names_the_field_path(tmp_path):
    tools = find_toolchain(load_language(JAVA / "language.yaml")).tools
    sources = [*sorted((JAVA / "template" / "suite").glob("*.java")), JAVA / "tests" / "JsonTest.java"]
    jars = [str(fetched(pin)) for pin in sorted((JAVA / "template" / "lib").glob("*.jar.fetch"))]
    flags = ["--release", "25", "-Xlint:all,-serial", "-Werror", "-cp", ":".join(jars), "-d", str(tmp_path)]
    javac = [tools["javac"], *flags]
    built = subprocess.run([*javac, *map(str, sources)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, f"javac failed:\n{built.stdout}{built.stderr}"
    classpath = ":".join([str(tmp_path), *jars])
    run = subprocess.run([tools["java"], "-cp", classpath, "JsonTest"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"JsonTest failed:\n{run.stdout}{run.stderr}"
    assert run.stdout.strip().endswith(" checks, 0 failed"), run.stdout
