# tests/wrong_snippets/ is a miniature suite of deliberately wrong snippets: test_catches_wrong_snippets.py
# runs it in an inner session. The harness plugin loaded by the root conftest must not collect it here.
collect_ignore = ["wrong_snippets"]
