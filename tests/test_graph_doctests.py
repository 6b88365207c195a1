"""The examples in the graph modules' docstrings run."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["conceptgraph.graph", "conceptgraph.graph.build", "conceptgraph.graph.citations",
           "conceptgraph.graph.centrality", "conceptgraph.graph.communities", "conceptgraph.graph.export"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
