"""`make new-pattern ID=first_success`: lays out a new pattern's folder, ready to fill in.

    patterns/<id>/pattern.yaml    the spec, with TODOs and one scenario whose trace `make record` observes
    patterns/<id>/<snippet>       one snippet per language, from languages/<lang>/new-snippet.j2
    patterns/<id>/mutants.yaml    one example mutant to replace

Every snippet already runs (a placeholder that calls the operations one after another), so
`make record PATTERN=<id>` works at once; CONTRIBUTING.md, *Adding a pattern*, says what comes next.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import jinja2

from harness.base.errors import SuiteError
from harness.base.paths import repo_relative
from harness.catalogue import Catalogue
from harness.catalogue.languages import spellings
from harness.catalogue.spec import CATEGORIES, ID, ID_RULE

TEMPLATES = Path(__file__).with_name("templates")


def names(id: str) -> dict[str, str]:
    """How each language spells the pattern: `first_success`, `FirstSuccess`, `firstSuccess`, `firstsuccess`."""
    return spellings(id)


def lay_out(catalogue: Catalogue, id: str) -> list[Path]:
    """Write the new pattern's folder; the files written."""
    if not re.fullmatch(ID, id) or len(id) > 40:
        raise SuiteError(f"ID={id!r}: a pattern id is {ID_RULE}, 40 at most")
    clashes = [
        f"{lang.name} would spell it {clash[1]} ({clash[0]}): {reserved.says}"
        for lang in catalogue.languages.values()
        for reserved in lang.reserved
        if (clash := reserved.clash(id, when="new_pattern"))
    ]
    if clashes:
        raise SuiteError(
            f"ID={id!r} is a name the generated code cannot hold; choose another ID:\n  " + "\n  ".join(clashes)
        )
    folder = catalogue.patterns_folder / id
    if folder.exists():
        raise SuiteError(f"{repo_relative(folder)} exists already: choose another ID, or edit that pattern")
    spelled = names(id)
    strict = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    files: dict[Path, str] = {}
    languages = []
    for lang in catalogue.languages.values():
        if lang.new_snippet is None or not lang.new_snippet_template.is_file():
            raise SuiteError(
                f"languages/{lang.name}: no new_snippet in language.yaml, or no new-snippet.j2 beside it: "
                "add both (CONTRIBUTING.md, Adding a language)"
            )
        file = lang.new_snippet.format(**spelled)
        languages.append({"name": lang.name, "file": file})
        template = strict.from_string(lang.new_snippet_template.read_text(encoding="utf-8"))
        files[folder / file] = template.render(**spelled)
    context = {**spelled, "languages": languages, "categories": CATEGORIES}
    for name in ("pattern.yaml", "mutants.yaml"):
        template = strict.from_string((TEMPLATES / f"{name}.j2").read_text(encoding="utf-8"))
        files[folder / name] = template.render(**context)
    folder.mkdir(parents=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return list(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make new-pattern", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the suite root (default: .)")
    parser.add_argument("id", help="the new pattern's id: lowercase, words joined by _")
    args = parser.parse_args(argv)
    try:
        written = lay_out(Catalogue(args.root), args.id)
    except SuiteError as exc:
        print(f"make new-pattern: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(repo_relative(path))
    print(f"next: fill in the TODOs, then `make record PATTERN={args.id}` (CONTRIBUTING.md, Adding a pattern)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
