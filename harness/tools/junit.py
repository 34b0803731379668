"""`python -m harness.tools.junit RESULTS_JSON OUT_XML`: JUnit XML from a saved run's results."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from harness.outputs.junit import write_junit


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m harness.tools.junit RESULTS_JSON OUT_XML", file=sys.stderr)
        return 2
    source, target = Path(argv[0]), Path(argv[1])
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
        write_junit(document, target)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"{source}: not a readable results.json ({exc!r}); make one with `make test`", file=sys.stderr)
        return 1
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
