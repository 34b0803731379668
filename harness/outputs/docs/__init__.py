"""Docs from the verified snippets, and users' docs checked against them.

* reference: `make docs` renders a Markdown reference from the `[pattern]` regions;
* blocks: the Markdown code blocks that name a pattern (```go pattern=timeout);
* check: `make check-docs` compares them with the regions, `UPDATE=1` rewrites them;
* run: `make test DOCS=...` runs them in place of the regions.
"""
