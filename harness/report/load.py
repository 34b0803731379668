"""Reading a results file (written by every `make test`) for the report, with clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from ..errors import SuiteError
from ..results import SCHEMA_PATH, schema


class ReportError(SuiteError):
    """The results file is missing, not JSON, or not in the shape the report reads."""


def load_results(path: Path) -> dict[str, Any]:
    """The results document at `path`, checked against the results schema."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(
            f"{path}: no results file; run `make test` first (it writes one), "
            f"or name a saved run with `make report RESULTS=path/to/results.json`"
        ) from None
    except OSError as exc:
        raise ReportError(f"{path}: cannot read the results file: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ReportError(f"{path}: byte {exc.start} is not UTF-8; is this a results file?") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{path}:{exc.lineno}:{exc.colno}: not JSON ({exc.msg}); was the run cut short?") from None
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        shown = [f"{path}: at {_where(e.absolute_path)}: {e.message}" for e in errors[:10]]
        more = [f"... and {len(errors) - 10} more"] if len(errors) > 10 else []
        raise ReportError(
            "\n".join([*shown, *more, f"the file does not follow {SCHEMA_PATH.name}; write it again with `make test`"])
        )
    return doc


def _where(path) -> str:
    return "/" + "/".join(str(step) for step in path) if path else "the top level"
