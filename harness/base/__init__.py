"""The ground every layer stands on: errors meant for the person running the suite, and paths."""
