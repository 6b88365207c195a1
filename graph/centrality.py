"""Node centrality as DataFrames: which concepts (and papers) are central.

Measures on the concept co-occurrence graph use the raw co-occurrence count
(edge attribute ``count``) as strength: degree, weighted degree (VOSviewer's
"total link strength"), PageRank and eigenvector centrality weighted by count;
betweenness uses shortest paths with ``distance = 1 / count`` (frequent
co-occurrence = close), exact on small graphs and otherwise estimated from
sampled sources with a fixed seed, their number bounded by nodes and edges
(:func:`betweenness_sources`).  All outputs are sorted
deterministically (score descending, then node id).
"""
from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.csgraph

from .build import ordered_subgraph

__all__ = ["pagerank", "eigenvector", "betweenness", "betweenness_sources", "concept_centrality", "paper_centrality", "top_concepts"]


def _adjacency(G: nx.Graph, weights: tuple = ("weight",)):
    """``G``'s nodes, its edges as index arrays and one weight list per name in ``weights``.

    One pass over the edges, in ``G.edges()`` order; a missing weight (or the name None) is 1.
    """
    nodes = list(G)
    index = dict(zip(nodes, range(len(nodes))))
    rows, cols = [], []
    values = [[] for _ in weights]
    for u, v, d in G.edges(data=True):
        rows.append(index[u])
        cols.append(index[v])
        for out, name in zip(values, weights):
            out.append(1 if name is None else d.get(name, 1))
    return nodes, rows, cols, values


def _matrix(n: int, rows: list, cols: list, data: list, loops: list | None = None):
    """The symmetric CSR adjacency matrix of an undirected graph's edges, as ``nx.to_scipy_sparse_array``
    builds it (``loops``: the edge positions that are self-loops, counted once)."""
    d, r, c = data + data, rows + cols, cols + rows
    if loops:
        d += [-data[k] for k in loops]
        r += [rows[k] for k in loops]
        c += [rows[k] for k in loops]
    return sp.coo_array((d, (r, c)), shape=(n, n), dtype=float).asformat("csr")


def _pagerank_matrix(A, alpha: float, max_iter: int, tol: float) -> np.ndarray:
    """``networkx``'s scipy PageRank (no personalisation) on the adjacency matrix ``A``, step for step."""
    N = A.shape[0]
    S = A.sum(axis=1)
    S[S != 0] = 1.0 / S[S != 0]
    Q = sp.dia_array((S.T, 0), shape=A.shape).tocsr()
    A = Q @ A
    x = np.repeat(1.0 / N, N)
    p = np.repeat(1.0 / N, N)
    dangling_weights = p
    is_dangling = np.where(S == 0)[0]
    for _ in range(max_iter):
        xlast = x
        x = alpha * (x @ A + sum(x[is_dangling]) * dangling_weights) + (1 - alpha) * p
        err = np.absolute(x - xlast).sum()
        if err < N * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def _pagerank_of(A, nodes: list, alpha: float = 0.85) -> dict:
    """:func:`pagerank` from the graph's adjacency matrix ``A`` (rows in the order of ``nodes``)."""
    if len(nodes) == 0:
        return {}
    try:
        x = _pagerank_matrix(A, alpha, 500, 1e-10)
    except nx.PowerIterationFailedConvergence:  # pragma: no cover - very rare
        x = _pagerank_matrix(A, alpha, 5000, 1e-6)
    return dict(zip(nodes, map(float, x)))


def _loops(G: nx.Graph, rows: list, cols: list) -> list:
    return [k for k, (r, c) in enumerate(zip(rows, cols)) if r == c] if nx.number_of_selfloops(G) else []


def pagerank(G: nx.Graph, weight: str | None = "weight", alpha: float = 0.85) -> dict:
    """PageRank of every node (scipy power iteration); isolated nodes get the teleport share.

    ``networkx.pagerank`` (``max_iter=500, tol=1e-10``) computed the same way, on one
    conversion of the graph to a matrix.

    >>> pagerank(nx.path_graph(3), weight=None)[1] > pagerank(nx.path_graph(3), weight=None)[0]
    True
    """
    if G.number_of_nodes() == 0:
        return {}
    nodes, rows, cols, (data,) = _adjacency(G, (weight,))
    return _pagerank_of(_matrix(len(nodes), rows, cols, data, _loops(G, rows, cols)), nodes, alpha)


def _eigenvector_matrix(M, max_iter: int = 1000, tol: float = 1e-8) -> np.ndarray:
    """The leading eigenvector of the adjacency matrix ``M`` (ARPACK, fixed start), unit length, sum > 0."""
    import scipy.sparse.linalg

    n = M.shape[0]
    start = np.full(n, 1.0 / np.sqrt(n))
    _, vectors = scipy.sparse.linalg.eigs(M.T, k=1, which="LR", maxiter=max_iter, tol=tol, v0=start)
    largest = vectors.flatten().real
    return largest / (np.sign(largest.sum()) * np.linalg.norm(largest))


def eigenvector(G: nx.Graph, weight: str | None = "weight") -> dict:
    """Eigenvector centrality (scipy/ARPACK); 0 for every node outside the largest component.

    Computed on the largest connected component so that disconnected graphs give
    a well-defined, deterministic answer.

    >>> round(eigenvector(nx.star_graph(3), weight=None)[0], 3)
    0.707
    """
    if G.number_of_edges() == 0:
        return dict.fromkeys(G.nodes, 0.0)
    nodes, rows, cols, (data,) = _adjacency(G, (weight,))
    return _eigenvector_of(G, _matrix(len(nodes), rows, cols, data, _loops(G, rows, cols)), nodes, weight)


def _eigenvector_of(G: nx.Graph, A, nodes: list, weight: str | None) -> dict:
    """:func:`eigenvector` from ``G``'s adjacency matrix ``A`` (rows in the order of ``nodes``).

    The largest component's matrix is cut out of ``A`` (rows and columns in ``G``'s order)
    instead of built again from a copy of the graph. ARPACK gets a fixed start vector:
    networkx leaves it a random one, whose generator carries over from one call to the next in
    a process (a second build in the same process differed in the last digits of every value).
    """
    out = dict.fromkeys(nodes, 0.0)
    if G.number_of_edges() == 0:
        return out
    n_parts, labels = scipy.sparse.csgraph.connected_components(A, directed=False)
    if n_parts == 1:
        keep = np.arange(len(nodes))
    else:
        sizes = np.bincount(labels, minlength=n_parts)
        big = np.flatnonzero(sizes == sizes.max())
        if len(big) == 1:
            part = big[0]
        else:  # ties: the component with the greatest smallest node name
            names = np.array([str(n) for n in nodes], dtype=object)
            part = max(big.tolist(), key=lambda b: min(names[labels == b].tolist()))
        keep = np.flatnonzero(labels == part)
    sub = [nodes[i] for i in keep.tolist()]
    if len(sub) < 3:
        for n in sub:
            out[n] = 1.0 / np.sqrt(len(sub))
        return out
    M = A if len(keep) == len(nodes) else A[keep][:, keep].tocsr()
    M.sort_indices()
    try:
        values = dict(zip(sub, _eigenvector_matrix(M)))
    except Exception:  # ARPACK can fail on odd spectra; fall back to power iteration
        values = nx.eigenvector_centrality(ordered_subgraph(G, sub), weight=weight, max_iter=2000, tol=1e-8)
    for n, v in values.items():
        out[n] = abs(float(v))
    return out


def betweenness_sources(n_nodes: int, n_edges: int, *, exact_limit: int = 5000, k: int = 300,
                        budget: float = 2e7, min_k: int = 16) -> int | None:
    """How many sources betweenness uses on a graph this size: None for all (exact).

    Exact betweenness costs one shortest-path search per node, about ``nodes * edges``
    steps; it is used when there are at most ``exact_limit`` nodes *and* that product is
    within ``budget``. Otherwise ``k`` sources are sampled, fewer on dense graphs so that
    ``k * edges`` stays within ``budget`` (at least ``min_k``): 11 dense abstracts once made a
    1,668-node, 440,834-edge graph on which exact betweenness ran for 17 minutes (networkx;
    igraph takes about 0.2 µs per node × edge here, so the budget is a few seconds).

    >>> betweenness_sources(1000, 5000), betweenness_sources(1668, 440834), betweenness_sources(50000, 200000)
    (None, 45, 100)
    """
    if n_nodes <= exact_limit and n_nodes * max(n_edges, 1) <= budget:
        return None
    return int(min(k, n_nodes, max(min_k, budget // max(n_edges, 1))))


def _betweenness_igraph(G: nx.Graph, weight: str | None, sources: int | None, seed: int) -> dict:
    """Normalised betweenness with igraph's C implementation (60 times networkx's speed)."""
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in G.edges()]
    weights = [float(d.get(weight, 1.0)) for _, _, d in G.edges(data=True)] if weight else None
    return _betweenness_edges(nodes, edges, weights, sources, seed)


def _betweenness_edges(nodes: list, edges: list, weights: list | None, sources: int | None, seed: int) -> dict:
    """:func:`_betweenness_igraph` of the graph with ``edges`` (index pairs into ``nodes``) and their ``weights``."""
    import igraph

    n = len(nodes)
    H = igraph.Graph(n=n, edges=edges)
    if sources is None:
        raw = np.asarray(H.betweenness(weights=weights, directed=False), dtype=float)
    else:  # paths from a seeded sample of sources, scaled up: an unbiased estimate
        picked = np.sort(np.random.default_rng(seed).choice(n, size=sources, replace=False))
        raw = np.asarray(H.betweenness(weights=weights, directed=False, sources=picked.tolist()),
                         dtype=float) * n / sources
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return dict(zip(nodes, (raw * scale).tolist()))


def betweenness(G: nx.Graph, weight: str | None = "distance", *, exact_limit: int = 5000, k: int = 300,
                seed: int = 42, budget: float = 2e7) -> dict:
    """Normalised betweenness, exact or sampled (fixed ``seed``) as :func:`betweenness_sources` says.

    Computed by igraph (networkx when igraph is missing; its sampled values differ).

    >>> round(betweenness(nx.path_graph(3), weight=None)[1], 6)
    1.0
    """
    if G.number_of_nodes() == 0:
        return {}
    sources = betweenness_sources(G.number_of_nodes(), G.number_of_edges(), exact_limit=exact_limit, k=k,
                                  budget=budget)
    try:
        return _betweenness_igraph(G, weight, sources, seed)
    except ImportError:  # the fallback: networkx on its own
        if sources is None:
            return nx.betweenness_centrality(G, weight=weight, normalized=True)
        return nx.betweenness_centrality(G, k=sources, weight=weight, normalized=True, seed=seed)


def _rank(values: pd.Series, ids: pd.Series) -> np.ndarray:
    order = np.lexsort((ids.astype(str).to_numpy(), -values.to_numpy(dtype=float)))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    return rank


def concept_centrality(K: nx.Graph, *, strength: str = "count", seed: int = 42,
                       exact_limit: int = 5000, k: int = 300, budget: float = 2e7) -> pd.DataFrame:
    """Centrality of every concept in the co-occurrence graph ``K``.

    ``K`` is expected to be pruned already (``analyse`` keeps the concepts named by at
    least 2 papers: a concept of a single paper lies on no shortest path, since all its
    neighbours are named by that paper too and so are linked directly).  Betweenness uses
    ``distance = 1 / count`` and is exact or sampled from a number of sources bounded by
    nodes *and* edges (:func:`betweenness_sources`); ``attrs["betweenness"]`` says which.

    Returns
    -------
    DataFrame ``concept_id, degree, weighted_degree, pagerank, betweenness,
    eigenvector, rank`` (rank 1 = highest PageRank; ties by concept id), sorted by rank.

    Examples
    --------
    >>> K = nx.Graph(); K.add_edge("a", "b", count=2, distance=0.5); K.add_edge("b", "c", count=1, distance=1.0)
    >>> table = concept_centrality(K)
    >>> table[["concept_id", "degree", "rank"]].values.tolist()
    [['b', 2, 1], ['a', 1, 2], ['c', 1, 3]]
    >>> table.attrs["betweenness"]
    'exact, on 3 concepts and 2 links'
    """
    nodes = sorted(K.nodes, key=str)
    deg = dict(K.degree())
    wdeg = dict(K.degree(weight=strength))
    # one pass over the edges and one matrix for PageRank and eigenvector centrality (the same
    # numbers as pagerank(K) and eigenvector(K), which would convert the graph twice more)
    order, rows, cols, (counts, distances) = _adjacency(K, (strength, "distance"))
    A = _matrix(len(order), rows, cols, counts, _loops(K, rows, cols)) if order else None
    pr = _pagerank_of(A, order)
    has_distance = any("distance" in d for _, _, d in K.edges(data=True))
    sources = betweenness_sources(K.number_of_nodes(), K.number_of_edges(), exact_limit=exact_limit, k=k,
                                  budget=budget)
    try:
        bt = _betweenness_edges(order, list(zip(rows, cols)), [float(x) for x in distances] if has_distance else None,
                                sources, seed) if order else {}
    except ImportError:  # no igraph: networkx on its own
        bt = betweenness(K, weight="distance" if has_distance else None, exact_limit=exact_limit, k=k, seed=seed,
                         budget=budget)
    how = "exact" if sources is None else f"estimated from {sources} sampled sources (seed {seed})"
    ev = _eigenvector_of(K, A, order, strength) if order else {}
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
    df = df.sort_values("rank").reset_index(drop=True)
    df.attrs["betweenness"] = f"{how}, on {K.number_of_nodes()} concepts and {K.number_of_edges()} links"
    return df


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

    Generic concepts ("deep neural network") are left out unless ``include_generic``, and so
    are concepts outside the concept graph (``in_concept_graph`` False: named by too few
    papers), whose centrality is 0 by construction.

    Examples
    --------
    >>> top_concepts(result.concepts, type="dataset", n=5)  # doctest: +SKIP
    """
    df = concepts
    if type is not None and "type" in df:
        df = df[df["type"] == type]
    if not include_generic and "generic" in df:
        df = df[~df["generic"].fillna(False).astype(bool)]
    if "in_concept_graph" in df:
        df = df[df["in_concept_graph"].fillna(False).astype(bool)]
    df = df.sort_values([by, "concept_id"], ascending=[False, True]).head(n).reset_index(drop=True)
    return df
