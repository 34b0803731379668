"""What the plugin keeps for one pytest session, in its stash."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from harness.catalogue import Catalogue, Selection
from harness.catalogue.shard import Shard
from harness.outputs.claim import Claim
from harness.outputs.docs.run import DocRuns
from harness.outputs.results import Results
from harness.running.scheduler import Scheduler
from harness.running.session import Session


@dataclass
class Run:
    catalogue: Catalogue
    selection: Selection
    session: Session
    results: Results
    why: str  # why this runtime, said in the header when it was chosen automatically
    shard: Shard | None = None  # SHARD=i/N: the slice of the selection this run runs
    outputs: dict[str, Claim] = field(default_factory=dict)  # "results", "junit": where this run writes
    unwritten: list[str] = field(default_factory=list)  # outputs that could not be written, and why


RUN_KEY = pytest.StashKey[Run]()
SCHEDULER_KEY = pytest.StashKey[Scheduler]()
DOCS_KEY = pytest.StashKey[DocRuns]()
