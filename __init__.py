"""conceptgraph: turn research-paper abstracts into a concept and citation map.

Data flows one way::

    files --load--> papers --extract--> mentions, concepts --graph.analyse--> graphs,
    analytics tables --viz.render_html--> graph.html

>>> import conceptgraph
>>> papers = conceptgraph.load()                       # the bundled sample corpus
>>> mentions, concepts = conceptgraph.extract(papers)
>>> result = conceptgraph.graph.analyse(papers, mentions, concepts)
>>> html = conceptgraph.viz.render_html(result.paper_graph)
"""
from importlib import import_module

# The extract package itself, not its function of the same name: the package is callable
# (``conceptgraph.extract(papers)``), and binding the function here instead would hide the
# package from ``import conceptgraph.extract.nlp as nlp``.
from . import extract
from .extract import InputError, load

__version__ = "0.1.0"


def __getattr__(name):
    # graph and viz import networkx/pyvis; load them on first use only.
    if name in ("graph", "viz", "pipeline"):
        return import_module(f"{__name__}.{name}")
    if name == "build":
        return import_module(f"{__name__}.pipeline").build
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["load", "extract", "build", "InputError", "__version__"]
