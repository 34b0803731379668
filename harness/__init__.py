"""Cross-language async pattern equivalence suite: the harness package."""
