"""The catalogue: languages, pattern specs, mutants and the project's lists, loaded and checked
against their schemas (harness/schemas/), and the selections people make of them."""

from harness.catalogue.catalogue import Catalogue, Requirement
from harness.catalogue.selection import Selection, SelectionError

__all__ = ["Catalogue", "Requirement", "Selection", "SelectionError"]
