"""`make standin-images`: local stand-ins of the official images, and images.override.yaml to run
them (harness.runtimes.docker.standin)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

from harness.base.errors import SuiteError
from harness.catalogue.languages import load_languages
from harness.runtimes.docker.engine import connect
from harness.runtimes.docker.standin import build_base, build_language, say
from harness.runtimes.images import OVERRIDE_FILE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=".", help="the suite root (holds languages/)")
    parser.add_argument("--lang", action="append", default=[], help="only these languages")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    try:
        languages = load_languages(root / "languages")
        wanted = [name for name in languages if not args.lang or name in args.lang]
        client = connect()
        scratch = root / ".cache" / "standin"  # on the project's disk: the base tree is half a gigabyte
        scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=scratch) as work:
            suites = sorted({languages[name].standin_suite for name in wanted})
            bases = {suite: build_base(client, Path(work), suite) for suite in suites}
            chosen = {
                name: build_language(client, languages[name], bases[languages[name].standin_suite]) for name in wanted
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
