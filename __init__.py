"""conceptgraph: turn research-paper abstracts into a concept and citation map.

Data flows one way::

    files --load--> papers --extract--> mentions, concepts --graph.analyse--> graphs,
    analytics tables --viz.render_html--> graph.html

>>> import conceptgraph
>>> papers = conceptgraph.load()                       # the bundled sample corpus
>>> mentions, concepts = conceptgraph.extract_concepts(papers)
>>> result = conceptgraph.graph.analyse(papers, mentions, concepts)
>>> html = conceptgraph.viz.render_html(result.paper_graph)
"""
from importlib import import_module

__version__ = "0.1.0"


def __getattr__(name):
    # Every stage loads on first use, so that `conceptgraph` itself imports in a few
    # milliseconds: the command line installs its Ctrl-C handling before anything heavy.
    if name in ("extract", "graph", "viz", "pipeline"):
        return import_module(f"{__name__}.{name}")
    if name in ("load", "extract_concepts", "InputError"):
        return getattr(import_module(f"{__name__}.extract"), name)
    if name in ("build", "BuildOptions"):
        return getattr(import_module(f"{__name__}.pipeline"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["load", "extract_concepts", "build", "BuildOptions", "InputError", "__version__"]
