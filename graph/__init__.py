"""Graphs and network analytics over papers and concepts.

Takes the extract stage's tables (``papers``, ``mentions``, ``concepts``) and
returns networkx graphs plus analytics DataFrames.  Entry point::

    >>> from conceptgraph.graph import analyse, write_exports   # doctest: +SKIP
    >>> result = analyse(papers, mentions, concepts, top_k=10)  # doctest: +SKIP
    >>> result.clusters.head()                                  # doctest: +SKIP
    >>> write_exports(result, "out/")                           # doctest: +SKIP

Modules, one per algorithm family: ``build`` (paper vectors, bipartite, paper–paper
and co-occurrence graphs), ``terms`` (the papers' words), ``citations`` (explicit and
inferred citations), ``centrality``, ``communities`` (Leiden, c-TF-IDF labels,
bridges), ``export``.  Each module's docstring documents its formulas and rules
(concepts and words in one TF-IDF vector, a symmetric k-nearest-neighbour graph;
association strength; when a paper "introduces" a coined name; c-TF-IDF;
participation coefficient).
This package never imports ``conceptgraph.viz`` or ``conceptgraph.extract``.

Scale: paper similarity is a blocked sparse product with per-row top-k and a cost
budget, so memory stays ~ N * top_k; clusters and betweenness run in igraph (C).
On 100,000 synthetic papers (2 shared cores, load 5-8) ``analyse(..., jobs=2)``
took 345 s wall / 132 CPU s against 600 s / 194 CPU s for the Louvain,
concepts-only version on the same tables, back to back.  The concept graph holds
the concepts named by 2+ papers.
"""
from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from .build import _max_df_count
from .build import (KIND_PRIORITY, paper_vectors, association_strength, bipartite_graph, concept_graph, concept_weights,
                    cooccurrence_counts, incidence, nearest_edges, paper_graph, paper_label, paper_nodes,
                    paper_similarity, row_dots, sharing_pairs, similarity_edges, smoothed_edges)
from .centrality import _rank, betweenness, concept_centrality, eigenvector, pagerank, paper_centrality, top_concepts
from .citations import (MAX_INTRODUCERS, citation_graph, citation_table, concept_introductions, inferred_citations,
                        match_references)
from .communities import (UNCLUSTERED, bridge_concepts, cluster_table, concept_cluster_labels, ctfidf, leiden,
                          louvain, louvain_core, merge_small_clusters, nearest_centroids,
                          neighbour_links)
from .terms import term_incidence
from .export import write_exports
from .trends import cluster_years, concept_years

__all__ = [
    "GraphResult", "analyse", "write_exports", "top_concepts",
    "bipartite_graph", "paper_graph", "concept_graph", "citation_graph", "incidence", "concept_weights",
    "paper_similarity", "cooccurrence_counts", "association_strength", "paper_label",
    "match_references", "concept_introductions", "inferred_citations", "citation_table",
    "concept_centrality", "paper_centrality", "pagerank", "betweenness", "eigenvector",
    "leiden", "merge_small_clusters", "UNCLUSTERED", "term_incidence", "louvain", "louvain_core", "ctfidf", "cluster_table", "concept_cluster_labels", "bridge_concepts", "paper_edges_table",
    "KIND_PRIORITY",
]


@dataclass
class GraphResult:
    """Everything ``analyse`` computes.

    Attributes
    ----------
    paper_graph : nx.Graph
        Undirected paper–paper graph (concept, citation and inferred-citation links).
    concept_graph : nx.Graph
        Concept co-occurrence graph, weight = association strength, ``count`` = papers.
    bipartite : nx.Graph
        Paper–concept graph (edge kind ``mention``).
    citations : nx.DiGraph
        citing → cited, explicit (``citation``) and inferred (``inferred-citation``).
    papers : DataFrame
        Input papers plus ``n_concepts, cluster, cluster_label, degree, pagerank,
        n_references, n_references_matched, n_cited_by`` (in-corpus citations received).
    concepts : DataFrame
        Input concepts plus ``degree, weighted_degree, pagerank, betweenness,
        eigenvector, rank, cluster, cluster_label, n_papers_graph`` (papers naming it).
    paper_edges : DataFrame
        ``source, target, weight, kind, shared_concepts, similarity, evidence``,
        one row per paper_graph edge (citation kinds: source = citing paper).
    clusters : DataFrame
        Paper clusters ``cluster, size, share, label, top_concepts, top_papers``
        (``top_papers``: the three highest-PageRank papers' labels, " | "-joined).
    bridges : DataFrame
        Bridge concepts (see ``communities.bridge_concepts``).
    concept_clusters : DataFrame
        Concept-graph clusters ``cluster, size, label``.
    introductions : DataFrame
        Which paper introduced which concept, with evidence.
    citation_edges : DataFrame
        ``citing, cited, kind, evidence`` for every edge of ``citations``.
    params : dict
        The parameters used.
    report : dict
        How the graphs were pruned and measured: ``concept_graph`` (concepts kept, the rule,
        how betweenness was computed), ``paper_clusters`` (clusters, unclustered papers),
        ``inferred_citations`` (edges, the in-degree cap, its distribution).
    """

    paper_graph: nx.Graph
    concept_graph: nx.Graph
    bipartite: nx.Graph
    citations: nx.DiGraph
    papers: pd.DataFrame
    concepts: pd.DataFrame
    paper_edges: pd.DataFrame
    clusters: pd.DataFrame
    bridges: pd.DataFrame
    concept_clusters: pd.DataFrame = field(default_factory=pd.DataFrame)
    introductions: pd.DataFrame = field(default_factory=pd.DataFrame)
    citation_edges: pd.DataFrame = field(default_factory=pd.DataFrame)
    params: dict = field(default_factory=dict)
    report: dict = field(default_factory=dict)


def _clean_inputs(papers, mentions, concepts):
    papers = papers.copy()
    papers.attrs = {}  # pandas deep-copies attrs on every operation; the caller keeps its own
    papers["id"] = papers["id"].astype(str)
    for col in ("title", "abstract"):
        if col not in papers:
            papers[col] = ""
        papers[col] = papers[col].fillna("").astype(str)
    if "year" not in papers:
        papers["year"] = pd.array([pd.NA] * len(papers), dtype="Int64")
    if papers["id"].duplicated().any():
        dup = papers.loc[papers["id"].duplicated(), "id"].head(3).tolist()
        raise ValueError(f"duplicate paper ids: {dup}")
    concepts = concepts.copy()
    concepts.attrs = {}
    concepts["concept_id"] = concepts["concept_id"].astype(str)
    if "label" not in concepts:
        concepts["label"] = concepts["concept_id"]
    concepts["label"] = concepts["label"].where(concepts["label"].notna(), concepts["concept_id"]).astype(str)
    if "generic" not in concepts:
        concepts["generic"] = False
    concepts["generic"] = concepts["generic"].fillna(False).astype(bool)
    if "type" not in concepts:
        concepts["type"] = ""
    if "aliases" not in concepts:
        concepts["aliases"] = [[] for _ in range(len(concepts))]
    if mentions is None:
        mentions = pd.DataFrame(columns=["paper_id", "field", "start", "end", "text", "type", "concept_id"])
    mentions = mentions.copy()
    mentions.attrs = {}
    mentions["paper_id"] = mentions["paper_id"].astype(str)
    mentions["concept_id"] = mentions["concept_id"].astype(str)
    return papers, mentions, concepts


def paper_edges_table(G: nx.Graph) -> pd.DataFrame:
    """One row per paper-graph edge: ``source, target, weight, kind, shared_concepts, similarity, evidence``.

    Concept edges have ``source < target``; citation kinds have ``source`` = the
    citing paper and ``shared_concepts`` = the citation evidence.  Sorted by
    ``source, target``.
    """
    rows = []
    for u, v, d in G.edges(data=True):
        kind = d.get("kind", "concept")
        if kind != "concept" and d.get("citing") in (u, v):
            s, t = (u, v) if d["citing"] == u else (v, u)
        else:
            s, t = (u, v) if str(u) <= str(v) else (v, u)
        shared = d.get("shared_concepts", "") if kind == "concept" else d.get("evidence", "")
        rows.append((str(s), str(t), float(d.get("weight", 0.0)), kind, shared, float(d.get("similarity", 0.0)),
                     d.get("evidence", "")))
    df = pd.DataFrame(rows, columns=["source", "target", "weight", "kind", "shared_concepts", "similarity",
                                     "evidence"])
    return df.sort_values(["source", "target"]).reset_index(drop=True)


def _pair_cosine(V, ids, a, b) -> np.ndarray:
    """Cosine of the rows of ``V`` (L2-normalised) for paper id pairs ``a[k], b[k]``."""
    if len(a) == 0:
        return np.zeros(0)
    pos = pd.Series(np.arange(len(ids)), index=pd.Index([str(x) for x in ids]))
    return row_dots(V, pos.loc[list(map(str, a))].to_numpy(), pos.loc[list(map(str, b))].to_numpy())


def similar_inferred(inf: pd.DataFrame, V, ids, *, min_similarity: float):
    """Which inferred citations (:func:`inferred_citations` rows) the two papers' vectors bear out.

    A name in common is not enough: the two papers must be about the same thing too, their
    cosine (rows of ``V``, in the order of ``ids``) at least ``min_similarity``.

    Returns the boolean mask and a report ``dropped_as_dissimilar``, ``min_similarity``.
    """
    similar = _pair_cosine(V, ids, inf["citing"], inf["cited"]) >= min_similarity
    return similar, {"dropped_as_dissimilar": int((~similar).sum()), "min_similarity": min_similarity}


def _cluster_strength(G: nx.Graph, part: dict, nodes: list, weight: str = "weight") -> list[float]:
    """Each node's link weight to nodes of its own cluster: its centrality within the cluster."""
    strength = dict.fromkeys(nodes, 0.0)
    for u, v, w in G.edges(data=weight, default=1.0):
        if part.get(u) == part.get(v) and part.get(u, UNCLUSTERED) != UNCLUSTERED:
            strength[u] += w
            strength[v] += w
    return [round(strength[n], 9) for n in nodes]


def _annotate(graphs, nodes: list, values: dict[str, list]) -> None:
    """Set per-node values (one list per attribute, aligned with ``nodes``) on every graph holding the node.

    A None value sets nothing (an unclustered node has no ``cluster``, which the map shows as "no cluster").
    """
    for G in graphs:
        for i, node in enumerate(nodes):
            if node in G:
                G.nodes[node].update({key: column[i] for key, column in values.items() if column[i] is not None})


#: With ``jobs >= 2``, :func:`analyse` runs the concept side in a second process from this many
#: papers on; below it, starting a process costs more than it saves.
PARALLEL_MIN_PAPERS = 10_000


def _concept_side(concepts: pd.DataFrame, inc, resolution: float, seed: int, keep: np.ndarray):
    """The pruned concept co-occurrence graph, its centrality table and its clusters ``{concept: cluster}``."""
    mask = sp.diags(keep.astype(np.float64))
    n_pairs = int((mask @ cooccurrence_counts(inc) @ mask).nnz // 2)
    K = concept_graph(None, None, concepts, top_k=None if n_pairs <= 500_000 else 25, inc=inc, keep=keep)
    cc = concept_centrality(K, seed=seed)
    kclusters = leiden(K, weight="weight", resolution=resolution, seed=seed)
    return K, cc, kclusters


_NO_INTRODUCTIONS = ["concept_id", "label", "paper_id", "level", "rule", "evidence"]


def _citation_side(papers: pd.DataFrame, mentions: pd.DataFrame, concepts: pd.DataFrame, infer: bool,
                   max_introducers: int):
    """Which paper introduced which concept, and the inferred citations (None unless ``infer``)."""
    if not infer:
        return pd.DataFrame(columns=_NO_INTRODUCTIONS), None
    introductions = concept_introductions(papers, mentions, concepts, max_introducers=max_introducers)
    return introductions, inferred_citations(papers, mentions, concepts, introductions=introductions)


def side_tasks(tasks: list, parallel: bool) -> list:
    """Run ``tasks`` (``(func, args)`` pairs), in order; return one future per task.

    ``parallel``: in one new process, while this one goes on (:func:`analyse` does its paper
    side meanwhile; ``build`` writes its tables there while it writes the graphs).  A spawned process, not a forked one: it holds only its arguments and
    results, so memory is not shared (and counted) twice, and it behaves the same on every
    platform.  Otherwise here and now.
    """
    from concurrent.futures import Future

    if not parallel:
        futures = [Future() for _ in tasks]
        for future, (func, args) in zip(futures, tasks):
            future.set_result(func(*args))
        return futures
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    futures = [pool.submit(func, *args) for func, args in tasks]  # one worker: they run in this order
    pool.shutdown(wait=False)  # the process ends once the results are in
    return futures


def analyse(papers: pd.DataFrame, mentions: pd.DataFrame, concepts: pd.DataFrame, *, top_k: int = 10,
            cluster_top_k: int = 20, resolution: float = 1.5, seed: int = 42, infer_citations: bool = True,
            concept_resolution: float | None = None, generic_weight: float = 0.1, max_df="auto",
            max_introducers: int = MAX_INTRODUCERS, jobs: int = 1, concept_weight: float = 1.0, use_terms: bool = True,
            min_cluster_size="auto", concept_min_papers: int = 2,
            inferred_min_similarity: float = 0.15, smooth_neighbours: int = 5, smooth_weight: float = 0.6,
            centroid_steps: int = 1) -> GraphResult:
    """Build all graphs and analytics from the extract stage's tables.

    Parameters
    ----------
    papers, mentions, concepts : the extract stage's DataFrames (see the package contract).
    top_k : each paper keeps its ``top_k`` nearest neighbours (symmetric union).
    cluster_top_k : paper clusters are found on the graph of each paper's ``cluster_top_k``
        nearest neighbours (:func:`conceptgraph.graph.communities.neighbour_links`).
    resolution : Leiden resolution for paper clusters (higher → more clusters).
    seed : seed for Leiden and sampled betweenness; same inputs + seed → same tables.
    infer_citations : add inferred citations (A names a concept B introduced).
    concept_resolution : Leiden resolution for concept clusters (default: ``resolution``).
    generic_weight, max_df, concept_weight : the paper representation
        (:func:`conceptgraph.graph.build.paper_vectors`): generic concepts' weight, the most
        papers a concept may name, the weight of concepts against words.
    use_terms : represent papers by their words too (:mod:`conceptgraph.graph.terms`);
        False links papers by their concepts alone.
    min_cluster_size : smaller paper clusters join their most strongly linked neighbour
        cluster; papers linked to nothing are unclustered (cluster -1). ``"auto"``: 1 % of
        the papers, at least 2 and at most 5.
    concept_min_papers : the concept graph, its centrality and clusters, and the bipartite
        graph hold the concepts named by at least this many papers (a concept named by one
        paper links only that paper's own concepts); the others keep their mentions, and
        centrality 0 and cluster -1 in ``concepts`` (``in_concept_graph`` False).
    max_introducers : a concept with more would-be introducers than this has none.
    inferred_min_similarity : an inferred citation also needs the two papers' cosine (the
        paper representation's) to be at least this: on CiteSeer, at 0.15, 52 of 63 name
        matches stay and 28 of 28 real citations among them.
    smooth_neighbours, smooth_weight : neighbour smoothing of the paper links
        (:func:`conceptgraph.graph.build.smoothed_edges`): each paper's vector moves towards
        its ``smooth_neighbours`` nearest papers' by ``smooth_weight``; 0 neighbours links
        papers by their own vectors' cosine.  Smoothed pairs that share no concept or term
        (only neighbours) are no links, so every link keeps its evidence
        (``report["paper_links"]`` counts those left out).  CiteSeer recall@10 of real
        citation neighbours 0.493 → 0.507 at the defaults (``benchmarks/links.py``; 0.504–0.510
        for 4–6 neighbours and weights 0.4–1.0).  Clusters are still found on the
        unsmoothed neighbours: on the smoothed ones, 5,000 recent arXiv abstracts (lines
        0–5,000) gave NMI 0.226 / purity 0.687 at k = 33 against TF-IDF + SVD + k-means 0.236 /
        0.709 at the same k (unsmoothed: 0.247 / 0.698 against 0.251 / 0.715 at k = 21).
    centroid_steps : after Leiden, steps of spherical k-means in which each paper joins the
        cluster of the nearest centroid of the paper vectors
        (:func:`conceptgraph.graph.communities.nearest_centroids`); 0 keeps Leiden's clusters.
    jobs : processes; with 2 or more (and :data:`PARALLEL_MIN_PAPERS` papers or more) the
        concept graph, its centrality and clusters are computed in a second process while
        this one builds and clusters the paper graph. The results are the same. As with
        any multiprocessing, a script calling this needs an ``if __name__ == "__main__":`` guard.

    Returns
    -------
    GraphResult

    Notes
    -----
    Paper-graph edge weight = concept cosine similarity, + 0.5 for an explicit
    citation, + 0.25 for an inferred one (so citations pull papers into the same
    cluster); ``kind`` is the strongest link type of the pair.  Papers sharing no
    specific concept with any other paper stay isolated and form one-paper
    clusters (numbered after the real ones, since clusters are sorted by size).
    Concept centrality uses co-occurrence counts (``concepts`` columns ``degree,
    weighted_degree, pagerank, betweenness, eigenvector``; ``rank`` 1 = highest
    PageRank over all concepts, generic ones included — use ``top_concepts`` for
    rankings without them).  Concept clusters: Louvain on association strength.

    Examples
    --------
    >>> result = analyse(papers, mentions, concepts)  # doctest: +SKIP
    >>> result.clusters[["cluster", "size", "label"]].head()  # doctest: +SKIP
    >>> top_concepts(result.concepts, type="dataset", n=5)  # doctest: +SKIP
    """
    attrs = dict(papers.attrs)
    papers, mentions, concepts = _clean_inputs(papers, mentions, concepts)
    params = dict(top_k=top_k, cluster_top_k=cluster_top_k, resolution=resolution, seed=seed, infer_citations=infer_citations,
                  concept_resolution=concept_resolution if concept_resolution is not None else resolution,
                  generic_weight=generic_weight, max_df=max_df, max_introducers=max_introducers,
                  concept_weight=concept_weight, use_terms=use_terms, min_cluster_size=min_cluster_size,
                  concept_min_papers=concept_min_papers, inferred_min_similarity=inferred_min_similarity,
                  smooth_neighbours=smooth_neighbours, smooth_weight=smooth_weight, centroid_steps=centroid_steps)
    inc = incidence(papers, mentions, concepts)
    if "n_papers" not in concepts:
        concepts["n_papers"] = inc.df
    if "n_mentions" not in concepts:
        concepts["n_mentions"] = np.asarray(inc.counts.sum(axis=0)).ravel().astype(np.int64)

    # The concept side (the concept graph, its centrality and clusters; introductions and inferred
    # citations; concept years) needs nothing of the paper side, so with jobs >= 2 it runs in a
    # second process while this one computes terms, paper vectors and links (started here in
    # both cases, so that both see the same inputs).
    in_concept_graph = inc.df >= concept_min_papers
    side = side_tasks([(_citation_side, (papers, mentions, concepts, infer_citations, max_introducers)),
                        (_concept_side, (concepts, inc, params["concept_resolution"], seed, in_concept_graph)),
                        (concept_years, (papers, mentions, concepts))],
                       parallel=jobs >= 2 and len(papers) >= PARALLEL_MIN_PAPERS)

    terms = term_incidence(papers) if use_terms else None
    vectors = paper_vectors(inc, concepts, terms, generic_weight=generic_weight, max_df=max_df,
                            concept_weight=concept_weight)
    explicit = match_references(papers)
    per_paper = explicit.attrs.get("per_paper", {})
    explicit.attrs = {}  # per_paper holds every paper; pandas would deep-copy it at each step
    wide = similarity_edges(vectors.vectors, top_k=max(top_k, cluster_top_k))
    linked, links_report = wide, {"smoothing": "none"}
    if smooth_neighbours > 0:
        smooth = smoothed_edges(wide, len(papers), neighbours=smooth_neighbours, weight=smooth_weight,
                                top_k=max(top_k, cluster_top_k))
        sharing = sharing_pairs(vectors.vectors, smooth, wide)
        linked = smooth[sharing].reset_index(drop=True)
        links_report = {"smoothing": f"{smooth_neighbours} neighbours, weight {smooth_weight}",
                        "pairs_sharing_nothing_left_out": int((~sharing).sum())}

    # citations
    introductions, inf = side[0].result()
    frames = [explicit[["citing", "cited", "kind", "evidence"]]]
    inferred_report = {}
    if infer_citations:
        inferred_report = inf.attrs.pop("report", {})
        similar, cut = similar_inferred(inf, vectors.vectors, inc.paper_ids, min_similarity=inferred_min_similarity)
        inferred_report.update(cut)
        inf = inf[similar]
        inferred_report["edges"] = int(len(inf))
        inferred_report["in_degree"] = {int(k): int(v) for k, v in
                                        inf["cited"].value_counts().value_counts().sort_index().items()}
        known = set(zip(explicit["citing"], explicit["cited"]))
        frames.append(inf.loc[[(a, b) not in known for a, b in zip(inf["citing"], inf["cited"])],
                              ["citing", "cited", "kind", "evidence"]])
    frames = [f for f in frames if len(f)]
    cites = pd.concat(frames, ignore_index=True) if frames else \
        pd.DataFrame(columns=["citing", "cited", "kind", "evidence"])
    cites = cites.sort_values(["citing", "cited"]).reset_index(drop=True)

    # graphs
    nodes = paper_nodes(papers, concepts, inc)
    P = paper_graph(papers, mentions, concepts, top_k=top_k, citations=cites, inc=inc, vectors=vectors,
                    edges=nearest_edges(linked, top_k), paper_nodes=nodes)
    B = bipartite_graph(papers, mentions, concepts, inc=inc, keep=in_concept_graph, paper_nodes=nodes)
    del nodes
    prefix = B.graph["concept_prefix"]
    D = citation_graph(papers, cites)

    # paper clusters and centrality
    min_size = min(5, max(2, math.ceil(0.01 * len(papers)))) if min_cluster_size == "auto" else int(min_cluster_size)
    # on the unsmoothed neighbours: clusters found on the smoothed ones were worse (see the docstring)
    pclusters = leiden(P, links=neighbour_links(P, wide), resolution=resolution, seed=seed, min_size=min_size)
    pids = papers["id"].tolist()
    if centroid_steps > 0:
        cl = np.array([pclusters[p] for p in pids], dtype=np.int64)
        for _ in range(centroid_steps):
            cl = nearest_centroids(vectors.vectors, cl)
        pclusters = merge_small_clusters(P, dict(zip(pids, cl.tolist())), min_size=min_size)
    cl = np.array([pclusters[p] for p in pids], dtype=np.int64)
    hubs = inc.df > _max_df_count(max_df, len(papers))
    clusters = cluster_table(cl, inc.binary, concepts, exclude=hubs)
    clabel = dict(zip(clusters["cluster"], clusters["label"]))
    pc = paper_centrality(P).set_index("id")
    out_papers = papers.copy()
    out_papers["n_concepts"] = np.diff(inc.binary.indptr).astype(np.int64)
    out_papers["cluster"] = cl
    out_papers["cluster_label"] = [clabel[k] for k in cl]
    out_papers["degree"] = pc.loc[pids, "degree"].to_numpy()
    out_papers["pagerank"] = pc.loc[pids, "pagerank"].to_numpy()
    ranked = out_papers.assign(_label=[P.nodes[p]["label"] for p in pids],
                               _central=_cluster_strength(P, pclusters, pids)).sort_values(
        ["cluster", "_central", "pagerank", "id"], ascending=[True, False, False, True])
    clusters["top_papers"] = clusters["cluster"].map(
        ranked[ranked["cluster"] >= 0].groupby("cluster")["_label"].agg(lambda s: " | ".join(s.head(3)))
    ).astype(object).fillna("")
    out_papers["n_references"] = [per_paper.get(p, {}).get("n_references", 0) for p in pids]
    out_papers["n_references_matched"] = [per_paper.get(p, {}).get("n_references_matched", 0) for p in pids]
    indeg = dict(D.in_degree())
    out_papers["n_cited_by"] = [int(indeg.get(p, 0)) for p in pids]

    # concept centrality and clusters
    K, cc, kclusters = side[1].result()
    pr = dict(zip(cc["concept_id"], cc["pagerank"]))
    klabels = concept_cluster_labels(K, kclusters, pr)
    out_concepts = concepts.merge(cc.drop(columns="rank"), on="concept_id", how="left")
    # concepts outside the pruned graph: no links, no centrality, no cluster (still in mentions)
    out_concepts = out_concepts.fillna({"degree": 0, "weighted_degree": 0.0, "pagerank": 0.0, "betweenness": 0.0,
                                        "eigenvector": 0.0})
    out_concepts["degree"] = out_concepts["degree"].astype(np.int64)
    out_concepts["rank"] = _rank(out_concepts["pagerank"], out_concepts["concept_id"])
    out_concepts["in_concept_graph"] = in_concept_graph
    out_concepts["cluster"] = out_concepts["concept_id"].map(kclusters).fillna(UNCLUSTERED).astype("int64")
    out_concepts["cluster_label"] = [klabels.get(k, "") for k in out_concepts["cluster"].tolist()]
    out_concepts["n_papers_graph"] = inc.df
    ksizes = pd.Series(kclusters).value_counts()
    concept_clusters = pd.DataFrame({"cluster": sorted(klabels)})
    concept_clusters["size"] = concept_clusters["cluster"].map(ksizes).astype("int64")
    concept_clusters["label"] = concept_clusters["cluster"].map(klabels)

    bridges = bridge_concepts(inc.binary, cl, concepts, cluster_labels=clabel,
                              betweenness=cc.set_index("concept_id")["betweenness"], exclude=hubs)

    # node attributes for viz / exports (plain dict lookups: .at per node is slow at scale)
    clustered = (out_papers["cluster"] != UNCLUSTERED).tolist()
    _annotate((P, B, D), pids, {"cluster": [int(k) if c else None for k, c in zip(cl.tolist(), clustered)],
                                "cluster_label": [str(k) if c else None for k, c in
                                                  zip(out_papers["cluster_label"].tolist(), clustered)],
                                "pagerank": out_papers["pagerank"].astype(float).tolist(),
                                "degree": out_papers["degree"].astype(int).tolist()})
    for G in (B, D):  # the paper graph's text travels to the other graphs' paper nodes
        for p in pids:
            if p in G:
                G.nodes[p].update({k: P.nodes[p][k] for k in ("title", "abstract", "concepts") if k in P.nodes[p]})
    # time: concept first/last/mean year and per-year counts; cluster mean year and growth
    out_concepts = out_concepts.merge(side[2].result(), on="concept_id", how="left")
    years = cluster_years(out_papers, clusters)
    clusters = clusters.merge(years[["cluster", "mean_year", "growth", "counts_by_year"]], on="cluster", how="left")

    cids = out_concepts["concept_id"].tolist()
    c_time = out_concepts.set_index("concept_id")[["first_year", "last_year", "mean_year", "counts_by_year"]]
    for c, first, last, mean, counts in c_time.itertuples():
        if pd.notna(mean):
            for G, node in ((K, c), (B, prefix + c)):
                if node in G:
                    G.nodes[node].update(first_year=int(first), last_year=int(last), mean_year=float(mean),
                                         counts_by_year=str(counts))
    values = {"cluster": out_concepts["cluster"].astype(int).tolist(),
              "cluster_label": out_concepts["cluster_label"].astype(str).tolist(),
              "pagerank": out_concepts["pagerank"].astype(float).tolist(),
              "rank": out_concepts["rank"].astype(int).tolist()}
    _annotate((K,), cids, values)
    _annotate((B,), [prefix + c for c in cids], values)

    report = {
        "concept_graph": {"concepts": int(K.number_of_nodes()), "links": int(K.number_of_edges()),
                          "rule": f"concepts named by at least {concept_min_papers} papers",
                          "concepts_left_out": int((~in_concept_graph).sum()),
                          "betweenness": cc.attrs.get("betweenness", "")},
        "paper_clusters": {"clusters": int((clusters["cluster"] >= 0).sum()),
                           "unclustered_papers": int((cl == UNCLUSTERED).sum()),
                           "min_cluster_size": min_size,
                           "algorithm": ("Leiden (igraph" if importlib.util.find_spec("igraph") else "Louvain (networkx")
                           + f", modularity, resolution {resolution})"},
        "inferred_citations": inferred_report,
        "paper_links": links_report,
    }
    citation_edges = pd.DataFrame([(u, v, d["kind"], d["evidence"]) for u, v, d in D.edges(data=True)],
                                  columns=["citing", "cited", "kind", "evidence"])
    citation_edges = citation_edges.sort_values(["citing", "cited"]).reset_index(drop=True)
    out_papers.attrs = attrs
    return GraphResult(paper_graph=P, concept_graph=K, bipartite=B, citations=D, papers=out_papers,
                       concepts=out_concepts, paper_edges=paper_edges_table(P), clusters=clusters,
                       bridges=bridges, concept_clusters=concept_clusters, introductions=introductions,
                       citation_edges=citation_edges, params=params, report=report)
