"""Command-line tools over the suite: make mutate, bench, coverage, report, docs, record,
new-pattern, standin-images, junit."""
