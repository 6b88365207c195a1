"""Interactive, offline HTML maps of conceptgraph graphs.

>>> from conceptgraph.viz import render_html, show
>>> html = render_html(G, "graph.html", view="papers")          # doctest: +SKIP
>>> render_html({"papers": G1, "concepts": G2, "bipartite": G3}, "map.html")  # doctest: +SKIP

Takes networkx graphs only (it never imports ``conceptgraph.extract``).
"""
from .html import (DEFAULT_MAX_EDGES, DEFAULT_MAX_NODES, PHYSICS_MAX_NODES, VIEWS, MapFrame, render_html,
                   show)

__all__ = ["render_html", "show", "MapFrame", "VIEWS", "PHYSICS_MAX_NODES", "DEFAULT_MAX_NODES", "DEFAULT_MAX_EDGES"]
