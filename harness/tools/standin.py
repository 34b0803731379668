"""`make standin-images`: local stand-ins of the official images, and images.override.yaml to run
them (harness.runtimes.docker.standin)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

from harness.base.errors import SuiteError
from harness.catalogue import Catalogue
from harness.runtimes.docker.engine import connect
from harness.runtimes.docker.standin import build_base, build_language, say
from harness.runtimes.images import OVERRIDE_FILE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=".", help="the suite root (holds languages/)")
    parser.add_argument("--lang", action="append", default=[], help="only these languages (go@1.22: that version)")
    parser.add_argument("--versions", default="", help="all: a stand-in of every version's image")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    try:
        catalogue = Catalogue(root)
        selection = catalogue.select(args.lang, versions=args.versions)
        targets = {lang.key: lang for lang in (catalogue.target(n, v) for n, v in selection.targets)}
        # a version whose image is the language's own is that image's stand-in; one image per tag
        wanted = {lang.image: (key, lang) for key, lang in targets.items()}
        client = connect()
        scratch = root / ".cache" / "standin"  # on the project's disk: the base tree is half a gigabyte
        scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=scratch) as work:
            suites = sorted({lang.standin_suite for _, lang in wanted.values()})
            bases = {suite: build_base(client, Path(work), suite) for suite in suites}
            built = {key: build_language(client, lang, bases[lang.standin_suite]) for key, lang in wanted.values()}
            chosen = {
                key if lang.image != catalogue.languages[lang.name].image else lang.name: built[wanted[lang.image][0]]
                for key, lang in targets.items()
            }
    except SuiteError as exc:
        print(f"standin: {exc}", file=sys.stderr)
        return 1
    path = root / OVERRIDE_FILE
    existing = yaml.safe_load(path.read_text()) if path.exists() else {}
    existing.update(chosen)
    path.write_text(
        "# Written by `make standin-images`: run these local stand-ins instead of the official images.\n"
        "# Delete this file to use the official images again.\n" + yaml.safe_dump(existing, sort_keys=True)
    )
    say(f"wrote {OVERRIDE_FILE}: " + ", ".join(f"{k}={v}" for k, v in sorted(chosen.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
