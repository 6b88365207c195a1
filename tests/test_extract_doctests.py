"""Run the docstring examples of the extractor modules."""
import doctest
import importlib

import pytest

MODULES = ["conceptgraph.extract.nlp", "conceptgraph.extract.components._resources",
           "conceptgraph.extract.components._tokens", "conceptgraph.extract.components.lexicon",
           "conceptgraph.extract.components.abbreviations", "conceptgraph.extract.components.names",
           "conceptgraph.extract.components.chunks", "conceptgraph.extract.components.normalize"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
