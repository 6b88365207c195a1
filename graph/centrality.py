"""Node centrality as DataFrames: which concepts (and papers) are central.

Measures on the concept co-occurrence graph use the raw co-occurrence count
(edge attribute ``count``) as strength: degree, weighted degree (VOSviewer's
"total link strength"), PageRank and eigenvector centrality weighted by count;
betweenness uses shortest paths with ``distance = 1 / count`` (frequent
co-occurrence = close), and above ``exact_limit`` nodes (default 2,000) is
estimated from ``k`` sampled sources with a fixed seed.  All outputs are sorted
deterministically (score descending, then node id).
"""
from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from .build import ordered_subgraph

__all__ = ["pagerank", "eigenvector", "betweenness", "concept_centrality", "paper_centrality", "top_concepts"]


def pagerank(G: nx.Graph, weight: str | None = "weight", alpha: float = 0.85) -> dict:
    """PageRank of every node (scipy power iteration); isolated nodes get the teleport share.

    >>> pagerank(nx.path_graph(3), weight=None)[1] > pagerank(nx.path_graph(3), weight=None)[0]
    True
    """
    if G.number_of_nodes() == 0:
        return {}
    try:
        return nx.pagerank(G, alpha=alpha, weight=weight, max_iter=500, tol=1e-10)
    except nx.PowerIterationFailedConvergence:  # pragma: no cover - very rare
        return nx.pagerank(G, alpha=alpha, weight=weight, max_iter=5000, tol=1e-6)


def _eigenvector_arpack(G: nx.Graph, weight: str | None, max_iter: int = 1000, tol: float = 1e-8) -> dict:
    """``nx.eigenvector_centrality_numpy`` with a fixed ARPACK start vector.

    networkx leaves ARPACK its random start vector, whose generator carries over from one
    call to the next in a process: a second build in the same process differed in the last
    digits of every value.
    """
    import scipy.sparse.linalg

    nodes = list(G)
    M = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight, dtype=float)
    start = np.full(len(nodes), 1.0 / np.sqrt(len(nodes)))
    _, vectors = scipy.sparse.linalg.eigs(M.T, k=1, which="LR", maxiter=max_iter, tol=tol, v0=start)
    largest = vectors.flatten().real
    return dict(zip(nodes, largest / (np.sign(largest.sum()) * np.linalg.norm(largest))))


def eigenvector(G: nx.Graph, weight: str | None = "weight") -> dict:
    """Eigenvector centrality (scipy/ARPACK); 0 for every node outside the largest component.

    Computed on the largest connected component so that disconnected graphs give
    a well-defined, deterministic answer.

    >>> round(eigenvector(nx.star_graph(3), weight=None)[0], 3)
    0.707
    """
    out = dict.fromkeys(G.nodes, 0.0)
    if G.number_of_edges() == 0:
        return out
    comp = max(nx.connected_components(G), key=lambda c: (len(c), min(map(str, c))))
    H = G if len(comp) == len(G) else ordered_subgraph(G, comp)
    if H.number_of_nodes() < 3:
        for n in H:
            out[n] = 1.0 / np.sqrt(H.number_of_nodes())
        return out
    try:
        ev = _eigenvector_arpack(H, weight)
    except Exception:  # ARPACK can fail on odd spectra; fall back to power iteration
        ev = nx.eigenvector_centrality(H, weight=weight, max_iter=2000, tol=1e-8)
    for n, v in ev.items():
        out[n] = abs(float(v))
    return out


def betweenness(G: nx.Graph, weight: str | None = "distance", *, exact_limit: int = 2000, k: int = 300,
                seed: int = 42, budget: float = 3e6) -> dict:
    """Normalised betweenness; sampled from ``k`` sources (fixed ``seed``) above ``exact_limit`` nodes.

    On very large graphs ``k`` is lowered further so that ``k * edges`` stays
    under ``budget`` (at least 16 sources): each source costs one Dijkstra run.

    >>> betweenness(nx.path_graph(3), weight=None)[1]
    1.0
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    if n > exact_limit:
        k = int(min(k, n, max(16, budget / max(G.number_of_edges(), 1))))
        return nx.betweenness_centrality(G, k=k, weight=weight, normalized=True, seed=seed)
    return nx.betweenness_centrality(G, weight=weight, normalized=True)


def _rank(values: pd.Series, ids: pd.Series) -> np.ndarray:
    order = np.lexsort((ids.astype(str).to_numpy(), -values.to_numpy(dtype=float)))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    return rank


def concept_centrality(K: nx.Graph, *, strength: str = "count", seed: int = 42,
                       exact_limit: int = 2000, k: int = 300, core_min_papers: int = 2,
                       max_core: int = 3000) -> pd.DataFrame:
    """Centrality of every concept in the co-occurrence graph ``K``.

    Betweenness is computed on the core of concepts named by at least
    ``core_min_papers`` papers (node attribute ``n_papers``; nodes without it are
    kept).  A concept named by a single paper lies on no shortest path — all its
    neighbours are named by that paper too and so are directly linked — so its
    betweenness is 0; dropping these leaves keeps betweenness affordable (the
    values of core concepts then count paths between core concepts only).  On
    large vocabularies the core is further limited to the ``max_core`` concepts
    named by most papers (ties by id), and betweenness there is sampled.

    Returns
    -------
    DataFrame ``concept_id, degree, weighted_degree, pagerank, betweenness,
    eigenvector, rank`` (rank 1 = highest PageRank; ties by concept id), sorted by rank.

    Examples
    --------
    >>> K = nx.Graph(); K.add_edge("a", "b", count=2, distance=0.5); K.add_edge("b", "c", count=1, distance=1.0)
    >>> concept_centrality(K)[["concept_id", "degree", "rank"]].values.tolist()
    [['b', 2, 1], ['a', 1, 2], ['c', 1, 3]]
    """
    nodes = sorted(K.nodes, key=str)
    deg = dict(K.degree())
    wdeg = dict(K.degree(weight=strength))
    pr = pagerank(K, weight=strength)
    n_papers = {n: int(K.nodes[n].get("n_papers", core_min_papers) or 0) for n in nodes}
    core = [n for n in nodes if n_papers[n] >= core_min_papers]
    if len(core) > max_core:
        core = sorted(sorted(core, key=lambda n: (-n_papers[n], str(n)))[:max_core], key=str)
    H = ordered_subgraph(K, core) if len(core) < len(nodes) else K
    has_distance = any("distance" in d for _, _, d in K.edges(data=True))
    bt = betweenness(H, weight="distance" if has_distance else None, exact_limit=exact_limit, k=k, seed=seed)
    ev = eigenvector(K, weight=strength)
    df = pd.DataFrame({
        "concept_id": pd.Series([str(n) for n in nodes], dtype=str),
        "degree": np.array([int(deg[n]) for n in nodes], dtype=np.int64),
        "weighted_degree": np.array([float(wdeg[n]) for n in nodes], dtype=float),
        "pagerank": np.array([float(pr.get(n, 0.0)) for n in nodes], dtype=float),
        "betweenness": np.array([float(bt.get(n, 0.0)) for n in nodes], dtype=float),
        "eigenvector": np.array([float(ev.get(n, 0.0)) for n in nodes], dtype=float),
    })
    # round away floating-point noise so tables are byte-identical across runs
    for col in ("pagerank", "betweenness", "eigenvector"):
        df[col] = df[col].round(12)
    df["rank"] = _rank(df["pagerank"], df["concept_id"])
    return df.sort_values("rank").reset_index(drop=True)


def paper_centrality(G: nx.Graph, weight: str = "weight") -> pd.DataFrame:
    """``id, degree, weighted_degree, pagerank`` of every paper in the paper graph, sorted by id."""
    nodes = sorted(G.nodes, key=str)
    deg = dict(G.degree())
    wdeg = dict(G.degree(weight=weight))
    pr = pagerank(G, weight=weight)
    return pd.DataFrame({
        "id": pd.Series([str(n) for n in nodes], dtype=str),
        "degree": np.array([int(deg[n]) for n in nodes], dtype=np.int64),
        "weighted_degree": np.array([float(wdeg[n]) for n in nodes], dtype=float),
        "pagerank": np.array([round(float(pr.get(n, 0.0)), 12) for n in nodes], dtype=float),
    })


def top_concepts(concepts: pd.DataFrame, type: str | None = None, n: int = 20, *, by: str = "pagerank",
                 include_generic: bool = False) -> pd.DataFrame:
    """The ``n`` most central concepts, optionally of one ``type`` (method, dataset, architecture, ...).

    Generic concepts ("deep neural network") are left out unless ``include_generic``.

    Examples
    --------
    >>> top_concepts(result.concepts, type="dataset", n=5)  # doctest: +SKIP
    """
    df = concepts
    if type is not None and "type" in df:
        df = df[df["type"] == type]
    if not include_generic and "generic" in df:
        df = df[~df["generic"].fillna(False).astype(bool)]
    df = df.sort_values([by, "concept_id"], ascending=[False, True]).head(n).reset_index(drop=True)
    return df
