"""Self-contained, offline HTML explorer for conceptgraph maps.

pyvis builds the vis-network node, link and option records of each view; the
page itself comes from our own template (``static/template.html``), which inlines
vis-network 9.1.2's JavaScript and CSS (read from the installed pyvis package)
and a small explorer (``static/explorer.js``/``explorer.css``). Nothing in the
page is fetched from the network: pyvis's own template links Bootstrap from a
CDN even with ``cdn_resources="in_line"``, so it is not used.

Security: all corpus text (titles, abstracts, labels, evidence) travels as
JSON inside ``<script type="application/json">`` with ``<``, ``>`` and ``&``
escaped as ``\\u003c`` … (and everything non-ASCII, including U+2028/U+2029,
as ``\\uXXXX``), so ``</script>`` in a title cannot end the block. The
explorer builds tooltips (its own, formatted: bold title, cluster, concepts)
and the side panel from DOM elements with ``textContent`` only, and the page
carries a Content-Security-Policy that forbids every fetch.

Encodings: colour = cluster (Tableau-10 plus ten hues, by cluster size; small
clusters share grey), shape = node kind / concept type (:data:`SHAPES`), area =
PageRank, edge width = weight, dashed = citation, dotted orange = inferred
citation. Cluster names are drawn on the map above each cluster.

Size limits (all documented in :func:`render_html`):

* positions are always computed in Python with networkx (:mod:`.layout`,
  seeded) and physics is off, so pages open instantly and deterministically
  (vis-network's physics needs minutes to settle beyond ~1,000 nodes);
* up to :data:`PHYSICS_MAX_NODES` nodes (and :data:`VIS_EDGES_MAX` edges)
  vis-network draws the edges and the page offers a live-physics toggle;
  above that the explorer draws the edges on vis-network's canvas itself, so
  a 5,000-node, 20,000-edge page is interactive within a couple of seconds;
* above ``max_nodes`` (default :data:`DEFAULT_MAX_NODES`) only the top nodes by
  PageRank are drawn, and the page says what was left out and how to see it.
"""
from __future__ import annotations

import base64
import copy
import hashlib
import html as _html
import json
import math
import re
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Mapping

import networkx as nx

from ..outputs import gc_paused, write_text
from .layout import island_layout

__all__ = [
    "render_html", "show", "MapFrame", "page_data", "VIEWS", "PHYSICS_MAX_NODES", "DEFAULT_MAX_NODES",
    "DEFAULT_MAX_EDGES", "PALETTE", "SHAPES", "YEAR_SCALE", "NO_YEAR_COLOUR", "year_colour",
]

VIEWS = ("papers", "concepts", "bipartite")
VIEW_TITLES = {"papers": "Papers", "concepts": "Concepts", "bipartite": "Papers + concepts"}
PHYSICS_MAX_NODES = 300   # up to this many nodes (and VIS_EDGES_MAX edges) the page offers live physics
VIS_EDGES_MAX = 4000
DEFAULT_MAX_NODES = 5000
DEFAULT_MAX_EDGES = 25000
DRAWABLE_NODES = 10000    # about the most nodes vis-network still pans and zooms through (FACTS.md)
ABSTRACT_CHARS = 1000     # the panel's preview (papers.csv has the whole abstract); most of the page's size
# The previews of all drawn papers share this many characters, each keeping at least ABSTRACT_MIN_CHARS:
# 5,000 drawn arXiv papers' 1,000-character previews made 7 of a 12 MB page, CiteSeer's 3,129 2 of 8 MB.
ABSTRACT_BUDGET = 1_200_000
ABSTRACT_MIN_CHARS = 240
GENERIC_OPACITY = 0.55
EVIDENCE_CHARS = 400

# Tableau 10 followed by ten further well-separated hues; clusters beyond
# these share the neutral "other" grey (the legend says so).
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b",
    "#17becf", "#bcbd22", "#e377c2", "#393b79", "#637939",
)
OTHER_COLOUR = "#c4c8cf"
UNCLUSTERED_COLOUR = "#8d96a3"

# Year overlay: viridis (perceptually uniform, colour-blind safe, readable in
# greyscale), sampled at nine stops and interpolated linearly in RGB. Nodes
# without a year are drawn in a neutral grey that is not on the scale.
YEAR_SCALE = (
    "#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c",
    "#28ae80", "#5ec962", "#addc30", "#fde725",
)
NO_YEAR_COLOUR = "#b4b4b4"
TIMELINE_MAX_YEARS = 200  # per-year counts kept per node (the most recent years)

SHAPES = {
    "paper": "dot",
    "method": "diamond",
    "dataset": "square",
    "architecture": "hexagon",
    "task": "triangle",
    "metric": "star",
    "concept": "triangleDown",  # a concept of another / unknown type
}
CONCEPT_TYPES = ("method", "dataset", "architecture", "task", "metric")

EDGE_STYLES = {
    # kind: (label, colour, dashes)
    "concept": ("shared concepts", "rgba(110,120,140,0.35)", False),
    "citation": ("citation", "rgba(55,65,95,0.75)", [7, 4]),
    "inferred-citation": ("inferred citation", "rgba(214,110,30,0.8)", [2, 4]),
    "cooccurrence": ("co-occurrence", "rgba(110,120,140,0.35)", False),
    "mention": ("mentions", "rgba(130,140,160,0.30)", False),
}
OTHER_EDGE = ("link", "rgba(110,120,140,0.35)", False)

_STATIC = "static"


# --------------------------------------------------------------------------- public API

@gc_paused()  # the records are millions of small dicts and lists without cycles (see gc_paused)
def render_html(graph, path=None, *, title: str = "conceptgraph", view: str = "papers",
                legend=None, max_nodes: int = DEFAULT_MAX_NODES,
                max_edges: int = DEFAULT_MAX_EDGES, seed: int = 42,
                colour_by: str = "cluster") -> str:
    """Render a map as one self-contained, offline HTML page and return its text.

    Parameters
    ----------
    graph : a networkx graph, or a mapping ``{view name: graph}`` (e.g.
        ``{"papers": G1, "concepts": G2, "bipartite": G3}``) for one page with a
        view switch. Nodes carry the graph stage's attributes (``kind``,
        ``label``, ``title``, ``abstract``, ``year``, ``cluster``,
        ``cluster_label``, ``pagerank``, ``concepts``, ``type``, ``generic``,
        ``n_papers`` …); edges carry ``weight``, ``kind`` and ``evidence``. Any
        of them may be missing.
    path : if given, the page is also written there (atomically: a temporary
        file in the same directory, then :func:`os.replace`).
    title : page title and heading.
    view : "papers", "concepts" or "bipartite": what ``graph`` is, or, for a
        mapping, which view the page opens on.
    legend : None (default) shows the legend with the nodes' ``cluster_label``;
        ``False`` starts with the legend panel collapsed; a mapping
        ``{cluster: label}`` overrides cluster labels.
    max_nodes : cap on drawn nodes per view. Above it, the top ``max_nodes``
        nodes by PageRank are drawn and the page lists what was left out.
    max_edges : cap on drawn edges per view (the strongest are kept).
    seed : seed for the layouts (networkx in Python, vis-network in the page).
    colour_by : "cluster" (default) or "year": the colouring the page opens
        with; the legend switches between them ("Colour: cluster | year").

    Time: a paper's ``year`` (int) and a concept's ``mean_year``,
    ``first_year``, ``last_year`` and ``counts_by_year`` (``"2015:3; 2016:5"``)
    drive the year overlay (viridis scale, :data:`YEAR_SCALE`, grey
    :data:`NO_YEAR_COLOUR` for nodes without a year), the year-range filter
    (papers by year, concepts by ``first_year..last_year`` overlap) and the
    small per-concept / per-cluster timelines in the side panel. Malformed
    ``year:count`` pairs are dropped, never passed on as text.

    Positions are computed with networkx (see :mod:`conceptgraph.viz.layout`,
    seeded) and physics is off; views up to :data:`PHYSICS_MAX_NODES` nodes
    offer a live-physics toggle in the page.
    The output is deterministic: the same graph gives byte-identical HTML.
    """
    if isinstance(graph, Mapping):
        graphs = dict(graph)
        if not graphs:
            raise ValueError("render_html: empty mapping of views")
        for name, g in graphs.items():
            if not isinstance(g, nx.Graph):
                raise TypeError(f"render_html: view {name!r} is not a networkx graph")
        known = [v for v in VIEWS if v in graphs]
        names = known + sorted(str(v) for v in graphs if v not in VIEWS)
        initial = view if view in graphs else names[0]
    elif isinstance(graph, nx.Graph):
        if not isinstance(view, str) or not view:
            raise ValueError("render_html: view must be a view name")
        graphs = {view: graph}
        names, initial = [view], view
    else:
        raise TypeError(f"render_html: expected a networkx graph or a mapping of them, got {type(graph).__name__}")
    if int(max_nodes) < 1:
        raise ValueError("render_html: max_nodes must be at least 1")
    if colour_by not in ("cluster", "year"):
        raise ValueError("render_html: colour_by must be 'cluster' or 'year'")

    overrides = dict(legend) if isinstance(legend, Mapping) else {}
    views = [_prepare_view(name, graphs[name], int(max_nodes), int(max_edges), int(seed), overrides)
             for name in names]
    has_years = any(v["years"] is not None for v in views)
    records, strings, views = _pack(views)
    _shorten_abstracts(records)
    payload = {
        "title": str(title),
        "initial": initial,
        "legendOpen": legend is not False,
        "clusterLabels": True,
        "seed": int(seed),
        "colourBy": colour_by,
        "yearScale": list(YEAR_SCALE),
        "noYearColour": NO_YEAR_COLOUR,
        "hasYears": has_years,
        "genericOpacity": GENERIC_OPACITY,
        "recordDefaults": RECORD_DEFAULTS,
        "records": records,
        "strings": strings,
        "views": views,
    }
    text = _fill_template(str(title), payload)
    if path is not None:
        write_text(path, text)
    return text


def abstract_limit(n_papers: int) -> int:
    """How many characters of each abstract a page drawing ``n_papers`` papers keeps.

    >>> abstract_limit(300), abstract_limit(3129), abstract_limit(10_000)
    (1000, 383, 240)
    """
    return max(ABSTRACT_MIN_CHARS, min(ABSTRACT_CHARS, ABSTRACT_BUDGET // max(1, n_papers)))


def _shorten_abstracts(records: list) -> None:
    """Cut the papers' abstract previews to :func:`abstract_limit` of the papers drawn in any view."""
    papers = [r for r in records if r.get("kind") == "paper"]
    limit = abstract_limit(len(papers))
    if limit < ABSTRACT_CHARS:
        for r in papers:
            if len(r.get("abstract", "")) > limit:
                r["abstract"] = _text(r["abstract"], limit)


class MapFrame:
    """A map for a notebook cell: Jupyter shows it through :meth:`_repr_html_`.

    ``data`` is the ``<iframe srcdoc>`` markup (the whole page escaped as one
    attribute value), ``page`` the page itself.
    """

    def __init__(self, page: str, height: int):
        self.page = page
        # sandboxed without allow-same-origin: the map runs in an opaque origin,
        # apart from the notebook
        self.data = ('<iframe srcdoc="{}" style="width:100%;height:{}px;border:1px solid #d9dde3;'
                     'border-radius:8px" sandbox="allow-scripts"></iframe>').format(
            _html.escape(page, quote=True), int(height))

    def _repr_html_(self) -> str:
        return self.data

    def __repr__(self) -> str:
        return f"<conceptgraph map, {len(self.page):,} characters; shown as HTML in a notebook>"


def show(graph, *, height: int = 720, **kw) -> MapFrame:
    """The map for a Jupyter cell (an ``<iframe srcdoc>``; nothing is fetched).

    Follows IPython's convention: it returns an object with ``_repr_html_`` and
    displays nothing itself, so the notebook shows the map once when ``show``
    ends a cell, and stores one copy. Keyword arguments go to :func:`render_html`.

    >>> frame = show(G, height=600)    # doctest: +SKIP
    >>> frame                          # the last expression of a cell: drawn inline  # doctest: +SKIP
    """
    return MapFrame(render_html(graph, **kw), height)


# --------------------------------------------------------------------------- view preparation

def _node_sort_key(n):
    return (str(n), type(n).__name__, repr(n))


def _num(x, default=0.0) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return default
    return v if math.isfinite(v) else default


def _text(x, limit=None) -> str:
    if x is None:
        return ""
    if isinstance(x, float) and not math.isfinite(x):
        return ""
    s = str(x)
    # lone surrogates cannot be encoded; keep the page valid UTF-8
    s = s.encode("utf-8", "replace").decode("utf-8")
    s = " ".join(s.split()) if limit is not None else s.strip()
    if limit is not None and len(s) > limit:
        cut = s.rfind(" ", 0, limit)
        s = s[: cut if cut > limit * 0.6 else limit].rstrip() + "…"
    return s


def _finite(x) -> float | None:
    if x is None or isinstance(x, bool):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _year(x):
    v = _finite(x)
    return None if v is None else int(v)


def _float_year(x):
    v = _finite(x)
    return None if v is None else round(v, 2)


_COUNT_PAIR = re.compile(r"\s*(\d{1,4})\s*:\s*(\d{1,9})\s*")


def _counts_by_year(x) -> list:
    """``"2015:3; 2016:5"`` (or a mapping) -> ``[[2015, 3], [2016, 5]]``.

    Tolerant: malformed pairs and zero counts are dropped, so nothing but
    integers ever reaches the page from this attribute.
    """
    if x is None or isinstance(x, bool):
        return []
    pairs = {}
    if isinstance(x, Mapping):
        items = x.items()
    elif isinstance(x, str):
        items = []
        for part in x.split(";"):
            m = _COUNT_PAIR.fullmatch(part)
            if m:
                items.append((m.group(1), m.group(2)))
    else:
        return []
    for y, n in items:
        yy, nn = _year(y), _year(n)
        if yy is None or nn is None or nn <= 0 or not 0 < yy < 10000:
            continue
        pairs[yy] = pairs.get(yy, 0) + nn
    out = [[y, pairs[y]] for y in sorted(pairs)]
    return out[-TIMELINE_MAX_YEARS:]


def year_colour(value, lo, hi) -> str:
    """Colour of a (mean) year on the viridis scale spanning ``lo..hi``."""
    if value is None:
        return NO_YEAR_COLOUR
    t = 0.5 if hi <= lo else min(1.0, max(0.0, (float(value) - lo) / (hi - lo)))
    x = t * (len(YEAR_SCALE) - 1)
    i = min(int(x), len(YEAR_SCALE) - 2)
    f = x - i
    a, b = YEAR_SCALE[i].lstrip("#"), YEAR_SCALE[i + 1].lstrip("#")
    rgb = [round(int(a[k:k + 2], 16) + (int(b[k:k + 2], 16) - int(a[k:k + 2], 16)) * f) for k in (0, 2, 4)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _add_time(m: dict, a) -> None:
    """A concept's time attributes (only those known) into its explorer record."""
    counts = _counts_by_year(a.get("counts_by_year"))
    first, last, mean = _year(a.get("first_year")), _year(a.get("last_year")), _float_year(a.get("mean_year"))
    if counts:
        first = counts[0][0] if first is None else first
        last = counts[-1][0] if last is None else last
        if mean is None:
            total = sum(n for _y, n in counts)
            mean = round(sum(y * n for y, n in counts) / total, 2)
        m["counts"] = counts
    if mean is None and first is not None and last is not None:
        mean = round((first + last) / 2, 2)
    if first is not None and last is not None and first > last:
        first, last = last, first
    if mean is not None:
        m["meanYear"] = mean
    if first is not None:
        m["firstYear"] = first
    if last is not None:
        m["lastYear"] = last


def _split_concepts(x) -> list:
    if x is None:
        return []
    if isinstance(x, str):
        items = x.split(";")
    elif isinstance(x, (list, tuple, set, frozenset)):
        items = sorted(x, key=str) if isinstance(x, (set, frozenset)) else list(x)
    else:
        return []
    out, seen = [], set()
    for item in items:
        s = _text(item, 120)
        if s and s.lower() not in seen:
            seen.add(s.lower())
            out.append(s)
    return out


def _node_kind(view: str, attrs: dict) -> str:
    kind = attrs.get("kind")
    if kind in ("paper", "concept"):
        return kind
    return "concept" if view == "concepts" else "paper"


def _prepare_view(name: str, G: nx.Graph, max_nodes: int, max_edges: int, seed: int,
                  overrides: dict) -> dict:
    from pyvis.network import Network  # imports IPython: loaded only when a page is drawn
    from pyvis.node import Node

    # string ids (the graph stage's): distinct strings sort as their _node_sort_key tuples do
    sort_key = None if all(type(n) is str for n in G) else _node_sort_key
    all_nodes = sorted(G.nodes, key=sort_key)
    total_nodes, total_edges = len(all_nodes), G.number_of_edges()

    # -- cap: keep the top nodes by PageRank (then degree, then id)
    if total_nodes > max_nodes:
        degree = dict(G.degree())  # one pass: G.degree(n) per node is slow on 100,000 nodes
        pagerank = {n: _num(p) for n, p in G.nodes(data="pagerank")}
        rank = sorted(all_nodes, key=lambda n: (-pagerank[n], -degree[n], n if sort_key is None else sort_key(n)))
        keep = set(rank[:max_nodes])
        nodes = [n for n in all_nodes if n in keep]
    else:
        nodes = all_nodes
    index = {n: i for i, n in enumerate(nodes)}

    edges = []
    if G.is_multigraph() or len(nodes) == total_nodes:
        for u, v, d in G.edges(data=True):
            if u in index and v in index:
                a, b = index[u], index[v]
                if not G.is_directed() and a > b:
                    a, b = b, a
                edges.append((a, b, d))
    else:  # a capped view: only the kept nodes' links are looked at (each pair (a, b) once)
        adjacency = G._succ if G.is_directed() else G._adj  # the dicts themselves: their views cost a call per item
        for u in nodes:
            a = index[u]
            for v, d in adjacency[u].items():
                b = index.get(v)
                if b is not None and (G.is_directed() or a <= b):
                    edges.append((a, b, d))
    edges.sort(key=lambda e: (e[0], e[1], str(e[2].get("kind", "")), _num(e[2].get("weight"), 1.0)))
    # all edges among the kept nodes, for the layout: iterating G.subgraph(nodes) would walk every
    # neighbour of every kept node through a filter
    layout_edges = [(nodes[a], nodes[b], d) for a, b, d in edges]
    edges_in_kept = len(edges)
    if len(edges) > max_edges:
        strongest = sorted(range(len(edges)), key=lambda i: (-_num(edges[i][2].get("weight"), 1.0), i))
        chosen = sorted(strongest[:max_edges])
        edges = [edges[i] for i in chosen]

    # -- clusters: colours by size order
    ckey = {}
    for n in nodes:
        c = G.nodes[n].get("cluster")
        ckey[n] = None if c is None or (isinstance(c, float) and not math.isfinite(c)) else c
    sizes = Counter(str(c) for c in ckey.values() if c is not None)
    label_votes: dict = {}
    raw_of: dict = {}
    for n in nodes:
        c = ckey[n]
        if c is None:
            continue
        raw_of.setdefault(str(c), c)
        lab = _text(G.nodes[n].get("cluster_label"), 80)
        if lab:
            label_votes.setdefault(str(c), Counter())[lab] += 1
    cluster_ids = sorted(sizes, key=lambda c: (-sizes[c], _cluster_order(raw_of[c])))
    clusters, cindex = [], {}
    # palette colours go to the largest clusters of two or more nodes; the rest share grey
    coloured = [c for c in cluster_ids if sizes[c] >= 2][:len(PALETTE)]
    colour_of = {c: PALETTE[i] for i, c in enumerate(coloured)}
    for c in cluster_ids:
        raw = raw_of[c]
        label = overrides.get(raw, overrides.get(c))
        if label is None:
            votes = label_votes.get(c)
            label = min(votes, key=lambda s: (-votes[s], s)) if votes else f"cluster {c}"
        cindex[c] = len(clusters)
        clusters.append({"id": c, "label": _text(label, 80), "colour": colour_of.get(c, OTHER_COLOUR),
                         "count": sizes[c], "other": c not in colour_of})
    has_unclustered = any(ckey[n] is None for n in nodes)
    if has_unclustered:
        cindex[None] = len(clusters)
        clusters.append({"id": None, "label": "no cluster", "colour": UNCLUSTERED_COLOUR,
                         "count": sum(1 for n in nodes if ckey[n] is None), "other": False})

    # -- layout: always computed here (seeded, deterministic, instant in the page);
    # small views let the reader switch vis-network's physics on
    spacing = 26.0 if len(nodes) > 1000 else 34.0 if len(nodes) > PHYSICS_MAX_NODES else 46.0
    pos = island_layout(G, nodes, seed, spacing=spacing, edges=layout_edges)
    small = len(nodes) <= PHYSICS_MAX_NODES and len(edges) <= VIS_EDGES_MAX

    # -- node records (vis-network) and metadata (explorer)
    big = len(nodes) > 1000
    prs = [_num(G.nodes[n].get("pagerank")) for n in nodes]
    prmax = max([p for p in prs if p > 0], default=0.0)
    net = Network(directed=G.is_directed())  # pyvis builds the records; its template is not used
    meta, type_counts, kind_counts = [], Counter(), Counter()
    for i, n in enumerate(nodes):
        a = G.nodes[n]
        kind = _node_kind(name, a)
        c = ckey[n]
        ci = cindex[None if c is None else str(c)]
        rel = math.sqrt(prs[i] / prmax) if prmax > 0 else 0.3
        if kind == "paper":
            size = 7 + 25 * rel
            shape = SHAPES["paper"]
            title = _text(a.get("title") or a.get("label") or n, 400)
            label = _text(a.get("label") or title, 34 if big else 60)
            m = {"kind": "paper", "title": title,
                 "year": _year(a.get("year")),
                 "abstract": _text(a.get("abstract"), ABSTRACT_CHARS),
                 "concepts": _split_concepts(a.get("concepts")),
                 "venue": _text(a.get("venue"), 120),
                 "authors": _text(a.get("authors"), 200)}
            kind_counts["paper"] += 1
        else:
            size = 8 + 24 * rel
            ctype = _text(a.get("type"), 30).lower() or "concept"
            shape = SHAPES.get(ctype, SHAPES["concept"])
            title = _text(a.get("label") or n, 120)
            label = _text(title, 34 if big else 60)
            generic = bool(a.get("generic")) and str(a.get("generic")).lower() not in ("false", "0")
            m = {"kind": "concept", "title": title, "type": ctype, "generic": generic,
                 "n_papers": int(_num(a.get("n_papers"))) if a.get("n_papers") is not None else None,
                 "papers": _split_concepts(a.get("papers"))}
            _add_time(m, a)
            type_counts[ctype] += 1
            kind_counts["concept"] += 1
        m["cluster"] = ci
        m["pagerank"] = round(prs[i], 8)
        m["id"] = _text(n, 200)
        meta.append(m)
        # label size follows node size: with drawThreshold, labels of central
        # nodes show first and the rest appear as one zooms in
        opts = {"size": round(size, 2), "group": f"c{ci}", "font": {"size": round(8 + rel * 14, 1)}}
        if m["kind"] == "concept" and m["generic"]:
            opts["opacity"] = GENERIC_OPACITY
        opts["x"], opts["y"] = pos[n]
        # pyvis's add_node scans every node added before for a duplicate (quadratic), and puts the
        # node number in place of an empty label: the nodes are unique, so the records go in directly
        record = Node(i, shape, label=label, font_color=net.font_color, **opts).options
        net.nodes.append(record)
        net.node_ids.append(i)
        net.node_map[i] = record
    # -- drawing order: vis-network draws the nodes in the order given, each over the ones before, so
    # the smallest go first and the largest (most central) last, on top, where a click finds them
    # (issue 19: on a 50,000-paper map the most-linked paper was covered by nodes drawn after it)
    order = sorted(range(len(nodes)), key=lambda i: (net.nodes[i]["size"], i))
    if order != list(range(len(nodes))):
        position = {old: new for new, old in enumerate(order)}
        net.nodes = [net.nodes[i] for i in order]
        meta = [meta[i] for i in order]
        for new, record in enumerate(net.nodes):
            record["id"] = new
        net.node_ids = list(range(len(nodes)))
        net.node_map = dict(enumerate(net.nodes))
        edges = [(position[a], position[b], d) for a, b, d in edges]
    _add_edges(net, edges, big)
    net.options = _vis_options(big, seed, clusters)
    vis_nodes, vis_edges, _heading, _height, _width, options = net.get_network_data()
    years = _year_overlay(meta, clusters)
    edge_meta, edge_kinds = [], Counter()
    for a, b, d in edges:
        kind = _text(d.get("kind"), 40) or "link"
        edge_kinds[kind] += 1
        edge_meta.append({"kind": kind, "weight": _significant(_num(d.get("weight"), 1.0), 4),
                          "evidence": _text(d.get("evidence"), EVIDENCE_CHARS)})

    types = [{"type": t, "shape": SHAPES.get(t, SHAPES["concept"]), "count": type_counts[t]}
             for t in list(CONCEPT_TYPES) + sorted(set(type_counts) - set(CONCEPT_TYPES))
             if type_counts[t]]
    ekinds = []
    for k in list(EDGE_STYLES) + sorted(set(edge_kinds) - set(EDGE_STYLES)):
        if edge_kinds[k]:
            lab, col, dashes = EDGE_STYLES.get(k, OTHER_EDGE)
            ekinds.append({"kind": k, "label": lab if k in EDGE_STYLES else k, "colour": col,
                           "dashes": dashes, "count": edge_kinds[k]})
    omitted = None
    if total_nodes > len(nodes) or edges_in_kept > len(edges):
        omitted = {"nodes": total_nodes - len(nodes), "edges": total_edges - len(edges),
                   "totalNodes": total_nodes, "totalEdges": total_edges,
                   "maxNodes": max_nodes, "maxEdges": max_edges,
                   # a larger --max-nodes is worth suggesting only while a browser can draw the whole view
                   "suggestMaxNodes": total_nodes if len(nodes) < total_nodes <= DRAWABLE_NODES else None}
    return {
        "name": name,
        "label": VIEW_TITLES.get(name, name),
        "directed": G.is_directed(),
        # small views: vis-network edges (hover, physics toggle); larger ones: the
        # explorer draws the edges itself on vis-network's canvas (one batched path
        # per style): vis builds an object per edge, ~0.1 ms each, too slow for 20k.
        "physicsToggle": small,
        "physicsOptions": _PHYSICS,
        "edgeLayer": "vis" if small else "canvas",
        "nodes": vis_nodes,
        "edges": vis_edges,
        "meta": meta,
        "edgeMeta": edge_meta,
        "clusters": clusters,
        "types": types,
        "kinds": dict(sorted(kind_counts.items())),
        "edgeKinds": ekinds,
        "omitted": omitted,
        "years": years,
        "options": json.loads(options),
    }


# --------------------------------------------------------------------------- page data: one copy of each record
#
# A paper is a node of the papers view and of the papers + concepts view, a concept of the
# concepts view and of the papers + concepts view: its record (title, abstract, concepts …)
# is stored once, in ``records``, and each view keeps columns of what differs per view
# (position, size, cluster, PageRank, year colour). Link evidence is a table of the distinct ", "-separated
# parts of its strings (``strings``). The explorer expands the columns back into these records when the
# page opens; :func:`page_data` does the same in Python.

_PER_VIEW_META = ("cluster", "pagerank", "yc")
# values a record leaves out (most papers have no venue, most concepts no paper list)
RECORD_DEFAULTS = {"paper": {"year": None, "abstract": "", "concepts": [], "venue": "", "authors": ""},
                   "concept": {"generic": False, "n_papers": None, "papers": []}}


def _pack(views: list):
    records, record_index = [], {}

    def intern(value, key):
        i = record_index.get(key)
        if i is None:
            i = record_index[key] = len(records)
            records.append(value)
        return i

    packed, evidence = [], []
    for v in views:
        rec, cols = [], {k: [] for k in ("x", "y", "size", "font", "label") + _PER_VIEW_META}
        for node, m in zip(v["nodes"], v["meta"]):
            defaults = RECORD_DEFAULTS.get(m["kind"], {})
            record = {k: x for k, x in m.items()
                      if k not in _PER_VIEW_META and not (k in defaults and x == defaults[k])}
            record["shape"] = node["shape"]
            rec.append(intern(record, json.dumps(record, sort_keys=True)))
            for k in _PER_VIEW_META:
                cols[k].append(m.get(k))
            cols["x"].append(node["x"])
            cols["y"].append(node["y"])
            cols["size"].append(node["size"])
            cols["font"].append(node["font"]["size"])
            cols["label"].append(_label_code(node["label"], m["title"]))
        if v["years"] is None:
            del cols["yc"]
        kind_of = {k["kind"]: i for i, k in enumerate(v["edgeKinds"])}
        ids = [m["id"] for m in v["meta"]]
        evidence.append([_evidence_parts(m["evidence"], (ids[e["from"]], ids[e["to"]]))
                         for e, m in zip(v["edges"], v["edgeMeta"])])
        edges = {"from": [e["from"] for e in v["edges"]], "to": [e["to"] for e in v["edges"]],
                 "width": [e["width"] for e in v["edges"]],
                 "kind": [kind_of[e["kind"]] for e in v["edges"]],
                 "weight": [e["weight"] for e in v["edgeMeta"]]}
        rest = {k: x for k, x in v.items() if k not in ("nodes", "edges", "meta", "edgeMeta")}
        packed.append(dict(rest, node=dict(cols, rec=rec), edge=edges))
    # the most used parts get the shortest indices (ties: first seen)
    uses = Counter(part for view in evidence for parts in view for part in parts)
    strings = sorted(uses, key=lambda part: -uses[part])
    string_index = {part: i for i, part in enumerate(strings)}
    for v, view in zip(packed, evidence):
        v["edge"]["evidence"] = [-1 if not parts else string_index[parts[0]] if len(parts) == 1
                                 else [string_index[part] for part in parts] for parts in view]
    return records, strings, packed


def _utf16_units(s: str) -> int:
    """Length of ``s`` as JavaScript counts it (UTF-16 code units)."""
    return len(s.encode("utf-16-le")) // 2


def _label_code(label: str, title: str):
    """A node label as the page stores it: 0 for the title itself, ``n`` for the title's first ``n``
    characters (UTF-16 units, as JavaScript slices) and "…", else the label.

    On a map of more than 1,000 nodes labels are titles cut to 34 characters: CiteSeer's 8,129
    such labels were 0.2 MB of its page.
    """
    if label == title:
        return 0
    if len(label) > 1 and label.endswith("…") and title.startswith(label[:-1]):
        return _utf16_units(label[:-1])
    return label


def _label_text(code, title: str) -> str:
    """The label :func:`_label_code` stored."""
    if isinstance(code, str):
        return code
    if code == 0:
        return title
    return title.encode("utf-16-le")[:2 * code].decode("utf-16-le") + "…"


# A link's own two ends, where its evidence names them by id ("[citation] A cites B (references "B"
# matched by id)"): with the ids as these marks, such phrases are one shared string, not one per link.
_END_MARKS = ("\x01", "\x02")
_EVIDENCE_PARTS = re.compile(r"(?<=, )|(?<=; )|(?<= \| )")


def _evidence_parts(evidence: str, ends: tuple) -> list[str]:
    """A link's evidence cut into the parts the page shares between links, each with its separator.

    The ids of the link's ends (``ends``: the records' ``id``) become :data:`_END_MARKS`, which
    :func:`_evidence_text` turns back into the ids; a mark character already in the text (a control
    character, which corpus cleaning removes before this) is shown as U+FFFD. CiteSeer's 23,956
    drawn paper links had 4,045 distinct citation phrases (0.5 MB) and 11,606 evidence parts used once.
    """
    if not evidence:
        return []
    for mark in _END_MARKS:
        evidence = evidence.replace(mark, "\ufffd")
    for mark, end in zip(_END_MARKS, ends):
        if end and not any(m in end for m in _END_MARKS):
            evidence = evidence.replace(end, mark)
    return [part for part in _EVIDENCE_PARTS.split(evidence) if part]


def _evidence_text(x, strings: list, ends: tuple) -> str:
    """The evidence :func:`_evidence_parts` stored: -1 (none), one index into ``strings`` or a list."""
    text = "".join(strings[i] for i in x) if isinstance(x, list) else strings[x] if x >= 0 else ""
    for mark, end in reversed(list(zip(_END_MARKS, ends))):
        text = text.replace(mark, end)
    return text


def _unpack_view(v: dict, records: list, strings: list) -> dict:
    """A packed view back to ``nodes``/``edges``/``meta``/``edgeMeta`` records (as the explorer does)."""
    cols, out = v["node"], {k: x for k, x in v.items() if k not in ("node", "edge")}
    nodes, meta = [], []
    for i, r in enumerate(cols["rec"]):
        record = dict(copy.deepcopy(RECORD_DEFAULTS.get(records[r]["kind"], {})), **records[r])
        shape = record.pop("shape")
        m = dict(record, cluster=cols["cluster"][i], pagerank=cols["pagerank"][i])
        if "yc" in cols:
            m["yc"] = cols["yc"][i]
        meta.append(m)
        node = {"id": i, "label": _label_text(cols["label"][i], m["title"]), "shape": shape, "size": cols["size"][i],
                "group": f"c{m['cluster']}", "font": {"size": cols["font"][i]}, "x": cols["x"][i], "y": cols["y"][i]}
        if m["kind"] == "concept" and m["generic"]:
            node["opacity"] = GENERIC_OPACITY
        nodes.append(node)
    e = v["edge"]
    kinds = [k["kind"] for k in v["edgeKinds"]]
    out["nodes"], out["meta"] = nodes, meta
    out["edges"] = [{"from": a, "to": b, "width": w, "kind": kinds[k]}
                    for a, b, w, k in zip(e["from"], e["to"], e["width"], e["kind"])]
    out["edgeMeta"] = [{"kind": kinds[k], "weight": w,
                        "evidence": _evidence_text(s, strings, (meta[a]["id"], meta[b]["id"]))}
                       for k, w, s, a, b in zip(e["kind"], e["weight"], e["evidence"], e["from"], e["to"])]
    return out


def page_data(page: str) -> dict:
    """The data of a page written by :func:`render_html`, with every view's records expanded.

    Each view gets ``nodes`` and ``edges`` (vis-network records), ``meta``
    (one record per node: title, abstract, concepts, type, cluster, PageRank …)
    and ``edgeMeta`` (kind, weight, evidence), as the explorer rebuilds them.

    >>> data = page_data(render_html(G))          # doctest: +SKIP
    >>> data["views"][0]["meta"][0]["title"]      # doctest: +SKIP
    """
    start = page.index('<script type="application/json" id="cg-data">')
    start = page.index(">", start) + 1
    data = json.loads(page[start:page.index("</script>", start)])
    records, strings = data.pop("records"), data.pop("strings")
    data["views"] = [_unpack_view(v, records, strings) for v in data["views"]]
    return data


def _significant(x: float, digits: int) -> float:
    """``x`` rounded to ``digits`` significant digits (weights are shown with three)."""
    return float(f"{x:.{digits}g}")


def _year_overlay(meta: list, clusters: list):
    """Year colour (``yc``) of each node and paper counts per year of each cluster.

    A paper is placed by its ``year``, a concept by its ``mean_year``; the scale
    spans the view's earliest to latest such value. Returns the view's year
    summary (None when no node has a year).
    """
    values = [m.get("year") if m["kind"] == "paper" else m.get("meanYear") for m in meta]
    known = [v for v in values if v is not None]
    spans = [y for m in meta for y in ((m.get("year"),) if m["kind"] == "paper"
                                       else (m.get("firstYear"), m.get("lastYear"))) if y is not None]
    per_cluster: dict = {}
    for m in meta:
        if m["kind"] == "paper" and m.get("year") is not None:
            c = per_cluster.setdefault(m["cluster"], Counter())
            c[m["year"]] += 1
    for ci, c in per_cluster.items():
        counts = [[y, c[y]] for y in sorted(c)][-TIMELINE_MAX_YEARS:]
        total = sum(n for _y, n in counts)
        clusters[ci]["counts"] = counts
        clusters[ci]["meanYear"] = round(sum(y * n for y, n in counts) / total, 2)
    if not known:
        return None
    lo, hi = math.floor(min(known)), math.ceil(max(known))
    for m, v in zip(meta, values):
        m["yc"] = year_colour(v, lo, hi)
    return {"min": lo, "max": hi, "first": min(spans), "last": max(spans),
            "withYear": len(known), "withoutYear": len(meta) - len(known)}


def _cluster_order(c):
    return (0, float(c), "") if isinstance(c, (int, float)) and not isinstance(c, bool) else (1, 0.0, str(c))


def _add_edges(net, edges, big):
    """Add vis-network edge records through pyvis: endpoints, width by weight and kind.

    The explorer styles each kind (colour, dashes, arrows) from the page's
    edge-kind table, so the records stay small.
    """
    from pyvis.edge import Edge

    weights = [_num(d.get("weight"), 1.0) for _a, _b, d in edges]
    wmax = max(weights, default=1.0) or 1.0
    lo, span = (0.6, 3.4) if big else (1.0, 5.0)
    for (a, b, d), w in zip(edges, weights):
        kind = _text(d.get("kind"), 40) or "link"
        rel = math.sqrt(max(w, 0.0) / wmax) if wmax > 0 else 0.0
        # pyvis's add_edge scans every existing edge for duplicates (quadratic);
        # networkx edges are already unique, so append pyvis Edge records directly.
        net.edges.append(Edge(a, b, False, width=round(lo + span * rel, 2), kind=kind).options)


def _vis_options(big: bool, seed: int, clusters: list) -> dict:
    groups = {}
    for ci, c in enumerate(clusters):
        colour = c["colour"]
        border = _shade(colour, 0.72)
        groups[f"c{ci}"] = {"color": {"background": colour, "border": border,
                                      "highlight": {"background": colour, "border": "#1d2433"},
                                      "hover": {"background": colour, "border": "#1d2433"}},
                            "borderWidth": 1}
    opts = {
        "groups": groups,
        "autoResize": True,
        "layout": {"randomSeed": seed, "improvedLayout": False},
        "nodes": {"font": {"face": "Inter, system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                           "color": "#1d2433", "strokeWidth": 3, "strokeColor": "rgba(255,255,255,0.85)"},
                  "scaling": {"label": {"enabled": False, "drawThreshold": 9 if big else 8}},
                  "shadow": False},
        "edges": {"smooth": False,
                  "selectionWidth": 1.5, "hoverWidth": 0.5},
        "interaction": {"hover": True, "tooltipDelay": 180, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "navigationButtons": False, "keyboard": False,
                        "multiselect": True},
    }
    opts["physics"] = {"enabled": False}
    return opts


_PHYSICS = {
    "enabled": True,
    "solver": "forceAtlas2Based",
    "forceAtlas2Based": {"gravitationalConstant": -40, "centralGravity": 0.005, "springLength": 60,
                         "springConstant": 0.05, "damping": 0.6, "avoidOverlap": 0.3},
    "stabilization": {"enabled": False},
    "minVelocity": 0.8,
}


def _shade(hex_colour: str, f: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return "#{:02x}{:02x}{:02x}".format(int(r * f), int(g * f), int(b * f))


# --------------------------------------------------------------------------- page assembly

def _static(name: str) -> str:
    return resources.files(__package__).joinpath(_STATIC, name).read_text(encoding="utf-8")


def _vis_asset(name: str) -> str:
    import pyvis

    # vis-network as pyvis ships it: inlined, since pyvis's own template links Bootstrap from a CDN
    base = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
    text = (base / name).read_text(encoding="utf-8")
    # drop the source-map reference: a relative URL DevTools would try to fetch
    return re.sub(r"^\s*(//|/\*)# sourceMappingURL=.*$", "", text, flags=re.M)


def json_for_script(obj) -> str:
    """JSON safe to place inside ``<script type="application/json">``.

    ASCII-only output (so U+2028/U+2029 and lone surrogates are escaped) with
    ``<``, ``>`` and ``&`` as ``\\u003c``, ``\\u003e``, ``\\u0026``: no
    ``</script>`` or ``<!--`` can appear.
    """
    s = json.dumps(obj, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    s = s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # "/" as "\\/" (valid JSON): a URL quoted in an abstract is not a literal URL in the page
    return s.replace("/", "\\/")


def _script_text(js: str) -> str:
    """Make library code safe inside a classic <script> element."""
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.I)   # only inside strings/regexps/comments
    js = re.sub(r"<(s)(cript)", lambda m: "<\\x" + format(ord(m.group(1)), "02x") + m.group(2), js, flags=re.I)
    return js.replace("<!--", "<\\x21--")


def _script_hash(js: str) -> str:
    """The CSP source that allows exactly this inline script (``'sha256-…'``)."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii") + "'"


def _fill_template(title: str, payload: dict) -> str:
    page = _static("template.html")
    scripts = [_script_text(_vis_asset("vis-network.min.js")), _script_text(_static("explorer.js"))]
    parts = {
        "{{TITLE}}": _html.escape(title, quote=True),
        "{{VIS_CSS}}": _vis_asset("vis-network.css").replace("</style", "<\\/style"),
        "{{APP_CSS}}": _static("explorer.css"),
        "{{VIS_JS}}": scripts[0],
        "{{APP_JS}}": scripts[1],
        # the policy runs our two scripts and nothing else: no 'unsafe-inline'
        "{{SCRIPT_HASHES}}": " ".join(_script_hash(js) for js in scripts),
        "{{DATA}}": json_for_script(payload),
    }
    # single pass, so a placeholder-looking string inside inserted text is never expanded
    out, i = [], 0
    while True:
        j = page.find("{{", i)
        if j < 0:
            out.append(page[i:])
            break
        k = page.find("}}", j)
        key = page[j:k + 2]
        out.append(page[i:j])
        out.append(parts[key] if key in parts else key)
        i = k + 2
    return "".join(out)


