"""Write graphs and tables: GraphML, GEXF, node-link JSON, CSV and VOSviewer map/network files.

Every file is written to a temporary name in its target directory and moved
into place with ``os.replace``, so a reader never sees a half-written file.

VOSviewer files (the documented text formats, tab-separated)
    map file: header ``id, label, x, y, cluster, weight<Links>, weight<Total link
    strength>, weight<Occurrences>``; ``id`` runs from 1, ``cluster`` from 1
    (our cluster + 1); ``x, y`` a spring layout (fixed seed).
    network file: no header, one line ``id1 id2 strength`` per link, strength =
    the raw co-occurrence count (VOSviewer applies its own association-strength
    normalisation when it lays out the map).
    In VOSviewer: File → Create → "Create a map based on network data" → pick both files.
"""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

# GraphML is streamed by the writer build uses (networkx's builds the whole XML tree in memory).
from ..outputs import atomic_path, write_csv, write_graphml
from .build import ordered_subgraph

__all__ = ["write_graphml", "write_gexf", "write_node_link", "write_tables", "write_vosviewer",
           "write_exports", "FORMATS", "GRAPHS"]

FORMATS = ("graphml", "gexf", "json", "csv", "vosviewer")
#: GraphResult attribute → file stem
GRAPHS = {"paper_graph": "paper_graph", "concept_graph": "concept_graph", "bipartite": "bipartite",
          "citations": "citations"}


def _clean_graph(G: nx.Graph) -> nx.Graph:
    """A copy whose attributes are all GraphML-safe scalars (None/NaN dropped, others stringified)."""
    H = G.__class__()
    H.graph.update({k: v for k, v in G.graph.items() if isinstance(v, (str, int, float, bool))})

    def clean(d):
        out = {}
        for k, v in d.items():
            if v is None:
                continue
            if isinstance(v, (bool, np.bool_)):
                out[k] = bool(v)
            elif isinstance(v, (int, np.integer)):
                out[k] = int(v)
            elif isinstance(v, (float, np.floating)):
                if not np.isnan(v):
                    out[k] = float(v)
            elif isinstance(v, str):
                out[k] = v
            else:
                out[k] = str(v)
        return out

    H.add_nodes_from((n, clean(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, clean(d)) for u, v, d in G.edges(data=True))
    return H


def write_gexf(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` as GEXF 1.2 (atomically), for Gephi."""
    with atomic_path(path) as tmp:
        nx.write_gexf(_clean_graph(G), tmp, encoding="utf-8")
    return Path(path)


def write_node_link(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` as node-link JSON (``{"nodes": [...], "edges": [...]}``, atomically)."""
    data = nx.node_link_data(_clean_graph(G), edges="edges")
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, allow_nan=False)
    return Path(path)


def concept_edges_table(K: nx.Graph) -> pd.DataFrame:
    """``source, target, weight (association strength), count`` per co-occurrence edge, sorted."""
    rows = [(min(str(u), str(v)), max(str(u), str(v)), float(d.get("weight", 0.0)), int(d.get("count", 0)))
            for u, v, d in K.edges(data=True)]
    df = pd.DataFrame(rows, columns=["source", "target", "weight", "count"])
    return df.sort_values(["source", "target"]).reset_index(drop=True)


def write_tables(result, outdir: str | Path, leave_out=()) -> list[Path]:
    """Write the analytics tables of a ``GraphResult`` as spreadsheet-safe CSV files (lists joined with "; ").

    ``leave_out``: file names (``"papers.csv"`` …) not to write.
    """
    outdir = Path(outdir)
    tables = {"papers": result.papers, "concepts": result.concepts, "paper_edges": result.paper_edges,
              "clusters": result.clusters, "bridges": result.bridges,
              "concept_edges": concept_edges_table(result.concept_graph)}
    for name in ("concept_clusters", "introductions", "citation_edges"):
        df = getattr(result, name, None)
        if isinstance(df, pd.DataFrame):
            tables[name] = df
    return [write_csv(outdir / f"{name}.csv", df) for name, df in tables.items() if f"{name}.csv" not in leave_out]


def write_vosviewer(K: nx.Graph, map_path: str | Path, network_path: str | Path, *, max_items: int = 1000,
                    min_occurrences: int = 2, include_generic: bool = True, seed: int = 42) -> tuple[Path, Path]:
    """Write a concept co-occurrence graph as a VOSviewer map file + network file pair.

    The ``max_items`` concepts with most occurrences (``n_papers``; ties by
    total link strength, then id) among those named by at least
    ``min_occurrences`` papers and with at least one link are written (VOSviewer
    itself defaults to 10 occurrences and 1,000 items).  Formats in the module
    docstring.

    Examples
    --------
    >>> write_vosviewer(result.concept_graph, "vos_map.txt", "vos_network.txt")  # doctest: +SKIP
    """
    nodes = [n for n in K.nodes if K.degree(n) > 0 and (include_generic or not K.nodes[n].get("generic", False))
             and int(K.nodes[n].get("n_papers", min_occurrences) or 0) >= min_occurrences]
    nodes.sort(key=lambda n: (-int(K.nodes[n].get("n_papers", 0) or 0), -K.degree(n, weight="count"), str(n)))
    nodes = sorted(nodes[:max_items], key=str)
    H = ordered_subgraph(K, nodes)
    if H.number_of_nodes():
        pos = nx.spring_layout(H, weight=None, seed=seed)
    else:
        pos = {}
    ids = {n: i for i, n in enumerate(nodes, start=1)}
    lines = ["id\tlabel\tx\ty\tcluster\tweight<Links>\tweight<Total link strength>\tweight<Occurrences>"]
    for n in nodes:
        d = K.nodes[n]
        label = str(d.get("label", n)).replace("\t", " ").replace("\n", " ")
        x, y = pos.get(n, (0.0, 0.0))
        lines.append(f"{ids[n]}\t{label}\t{x:.4f}\t{y:.4f}\t{int(d.get('cluster', 0)) + 1}\t{H.degree(n)}\t"
                     f"{int(H.degree(n, weight='count'))}\t{int(d.get('n_papers', 0) or 0)}")
    net = []
    for u, v, d in sorted(H.edges(data=True), key=lambda e: (min(ids[e[0]], ids[e[1]]), max(ids[e[0]], ids[e[1]]))):
        a, b = sorted((ids[u], ids[v]))
        net.append(f"{a}\t{b}\t{int(d.get('count', 1))}")
    with atomic_path(map_path) as tmp:
        Path(tmp).write_text("\n".join(lines) + "\n", encoding="utf-8")
    with atomic_path(network_path) as tmp:
        Path(tmp).write_text("\n".join(net) + ("\n" if net else ""), encoding="utf-8")
    return Path(map_path), Path(network_path)


def write_exports(result, outdir: str | Path, formats=FORMATS, leave_out=()) -> list[Path]:
    """Write a ``GraphResult`` in the given formats; returns the paths written, in format order.

    ``leave_out``: file names not to write (``conceptgraph export`` leaves out what ``build``
    already wrote, so it only ever adds files).

    Formats: ``graphml``, ``gexf``, ``json`` (node-link) — one file per graph
    (``paper_graph.graphml``, ``concept_graph.graphml``, ``bipartite.graphml``,
    ``citations.graphml``, likewise ``.gexf``/``.json``); ``csv`` —
    the analytics tables; ``vosviewer`` — ``vosviewer_map.txt`` +
    ``vosviewer_network.txt`` for the concept map.

    Examples
    --------
    >>> write_exports(result, "out", formats=("graphml", "csv"))  # doctest: +SKIP
    """
    if isinstance(formats, str):
        formats = (formats,)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown export format(s): {', '.join(sorted(unknown))}; choose from {', '.join(FORMATS)}")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    writers = {"graphml": (write_graphml, "graphml"), "gexf": (write_gexf, "gexf"), "json": (write_node_link, "json")}
    written: list[Path] = []
    for fmt in dict.fromkeys(formats):
        if fmt in writers:
            fn, ext = writers[fmt]
            written += [fn(getattr(result, attr), outdir / f"{stem}.{ext}") for attr, stem in GRAPHS.items()
                        if f"{stem}.{ext}" not in leave_out]
        elif fmt == "csv":
            written += write_tables(result, outdir, leave_out)
        elif fmt == "vosviewer":
            written += list(write_vosviewer(result.concept_graph, outdir / "vosviewer_map.txt",
                                            outdir / "vosviewer_network.txt",
                                            seed=int(result.params.get("seed", 42)) if result.params else 42))
    return written
