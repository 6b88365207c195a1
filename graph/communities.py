"""Communities: Leiden clusters, c-TF-IDF cluster labels, bridge concepts.

Clusters come from the Leiden algorithm (Traag, Waltman & van Eck 2019, "From
Louvain to Leiden: guaranteeing well-connected communities") as igraph
implements it in C (``community_leiden``, modularity objective with a
``resolution``; higher → more, smaller clusters), seeded through igraph's random
number generator, so a run is repeatable byte for byte.  Leiden improves on
Louvain's partitions (no badly connected clusters) and is two orders of magnitude
faster than networkx's Louvain (5.7 s against 444 s on a 250k-node graph);
networkx's Louvain (:func:`louvain`) remains the fallback when igraph is not
installed.  Clusters smaller than ``min_size`` join the neighbouring cluster they
are most strongly linked to; papers linked to nothing are left unclustered
(cluster ``-1``).  Clusters are numbered by size, 0 = largest (ties: the cluster
whose smallest node id sorts first), so numbering is stable across runs.

Cluster labels use a class-based TF-IDF (c-TF-IDF, as in BERTopic, Grootendorst
2022): with ``t_kc`` the number of papers of cluster *k* naming concept *c*,

    score_kc = t_kc / sum_c' t_kc'  *  ln(1 + A / f_c)

where ``f_c = sum_k t_kc`` and ``A`` is the mean number of concept occurrences
per cluster.  A concept scores high when it is frequent in the cluster *and*
rare elsewhere — distinctive, not merely frequent.  The label score multiplies
this by ``(t_kc / f_c) ** concentration``, the share of the concept's papers that
are in the cluster: "language model" or "fine-tuning", named in every cluster of
recent arXiv papers, are generic by spread even where they are frequent.  An
acronym is shown by its long form from the concept's aliases ("MIMO" as
"multiple-input multiple-output"), which says the area to a reader outside it.  Generic concepts and
concepts named by fewer than ``min_support`` papers of the cluster (2, or 1 for
clusters smaller than 3) are never used as labels.

Bridge concepts are concepts whose papers are spread over several paper
clusters.  For a concept with papers in clusters ``k`` in shares ``p_k`` the
participation coefficient (Guimerà & Amaral 2005) is ``P = 1 - sum_k p_k^2``;
``bridge_score = P * ln(1 + n_papers)`` favours concepts that are both spread
out and used by many papers.
"""
from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

import re

from .build import _normalise_rows, ordered_subgraph
from .references import as_list

__all__ = ["leiden", "neighbour_links", "nearest_centroids", "merge_small_clusters", "UNCLUSTERED", "louvain", "louvain_core", "cluster_concept_counts", "ctfidf", "cluster_labels", "display_labels", "cluster_table",
           "concept_cluster_labels", "bridge_concepts"]


#: Exponent of the share of a concept's papers in the cluster, in the label score (module docstring).
CONCENTRATION = 0.5

#: The cluster of nodes linked to nothing (and of clusters too small to stand and with no neighbour).
UNCLUSTERED = -1


def _numbered(groups) -> dict:
    """``{node: k}`` with groups numbered by size (0 = largest; ties: smallest node id)."""
    order = sorted(groups, key=lambda c: (-len(c), min(map(str, c))))
    return {n: k for k, c in enumerate(order) for n in c}


def leiden(G: nx.Graph, *, weight: str | None = "weight", resolution: float = 1.0, seed: int = 42,
           n_iterations: int = -1, min_size: int = 1, links: pd.DataFrame | None = None) -> dict:
    """Leiden communities (igraph, modularity) as ``{node: cluster}``, numbered by size (0 = largest).

    ``n_iterations=-1`` iterates until the partition is stable.  Clusters smaller than
    ``min_size`` are merged by :func:`merge_small_clusters`; nodes with no link are
    :data:`UNCLUSTERED` when ``min_size > 1``.  Without igraph, networkx's Louvain is used.
    ``links`` (``i, j, weight``, positions in ``G``'s node order, e.g. :func:`neighbour_links`):
    the links to cluster on instead of ``G``'s own (``G``'s still merge the small clusters).

    Examples
    --------
    >>> G = nx.barbell_graph(5, 0)
    >>> sorted(set(leiden(G).values()))
    [0, 1]
    >>> G.add_node("alone"); leiden(G, min_size=2)["alone"]
    -1
    """
    if G.number_of_nodes() == 0:
        return {}
    nodes = list(G)
    if links is None:
        index = {n: i for i, n in enumerate(nodes)}
        links = pd.DataFrame([(index[u], index[v], float(d.get(weight, 1.0)) if weight else 1.0)
                              for u, v, d in G.edges(data=True)], columns=["i", "j", "weight"])
    try:
        import igraph
    except ImportError:  # the fallback: networkx stays usable on its own
        L = nx.Graph()
        L.add_nodes_from(nodes)
        L.add_weighted_edges_from(zip(np.array(nodes, dtype=object)[links["i"].to_numpy(dtype=np.int64)].tolist(),
                                      np.array(nodes, dtype=object)[links["j"].to_numpy(dtype=np.int64)].tolist(),
                                      links["weight"].tolist()))
        part = louvain(L, weight="weight", resolution=resolution, seed=seed)
    else:
        import random

        H = igraph.Graph(n=len(nodes), edges=links[["i", "j"]].to_numpy(dtype=np.int64).tolist())
        weights = links["weight"].to_numpy(dtype=float).tolist()
        igraph.set_random_number_generator(random.Random(seed))
        try:
            membership = H.community_leiden(objective_function="modularity", weights=weights,
                                            resolution=resolution, n_iterations=n_iterations).membership
        finally:
            igraph.set_random_number_generator(random)
        groups: dict = {}
        for n, k in zip(nodes, membership):
            groups.setdefault(k, []).append(n)
        part = _numbered(groups.values())
    return merge_small_clusters(G, part, min_size=min_size, weight=weight) if min_size > 1 else part


def neighbour_links(G: nx.Graph, edges: pd.DataFrame) -> pd.DataFrame:
    """The links paper clusters are found on: the wider ``edges`` and ``G``'s citation links.

    ``edges`` (``i, j, similarity``, row positions in ``G``'s node order; see
    :func:`conceptgraph.graph.build.similarity_edges`) are weighted by similarity; ``G``'s
    citation links keep their weight (similarity plus the citation's bonus). Each paper's 10
    strongest links draw a readable map, but clusters found on them are splintered. With 20
    neighbours and resolution 1.5 (10 and 1.0 before), NMI against the primary category of
    5,000 recent arXiv abstracts (lines 10,000–15,000, the slice tuned on) rose from 0.255 to
    0.273 (k-means on TF-IDF + SVD at the same k: 0.270 and 0.257) and CiteSeer purity from
    0.658 to 0.672 (``benchmarks/links.py``).

    Returns
    -------
    DataFrame ``i, j, weight`` (``i < j``), sorted by ``i, j``: the ``links`` of :func:`leiden`.

    >>> G = nx.Graph([("a", "b", {"weight": 1.5, "kind": "citation"})]); G.add_node("c")
    >>> neighbour_links(G, pd.DataFrame({"i": [1], "j": [2], "similarity": [0.4]})).values.tolist()
    [[0.0, 1.0, 1.5], [1.0, 2.0, 0.4]]
    """
    pos = {n: k for k, n in enumerate(G)}
    cited = [(pos[u], pos[v], d["weight"]) for u, v, d in G.edges(data=True) if d.get("kind") != "concept"]
    a, b, w = (np.array(x) for x in zip(*cited)) if cited else (np.zeros(0, dtype=np.int64),) * 2 + (np.zeros(0),)
    both = pd.DataFrame({"i": np.concatenate([edges["i"].to_numpy(), np.minimum(a, b)]).astype(np.int64),
                         "j": np.concatenate([edges["j"].to_numpy(), np.maximum(a, b)]).astype(np.int64),
                         "weight": np.concatenate([edges["similarity"].to_numpy(dtype=float), w.astype(float)])})
    return both.groupby(["i", "j"], sort=True, as_index=False)["weight"].max()  # a citation's weight is the larger


def nearest_centroids(V: sp.csr_matrix, clusters: np.ndarray, *, block_rows: int = 8192) -> np.ndarray:
    """One step of spherical k-means from a partition: each node joins the cluster of the nearest centroid.

    ``V``: one L2-normalised row per node (the paper vectors); ``clusters``: each row's
    cluster, :data:`UNCLUSTERED` rows stay so and make no centroid.  A centroid is the
    normalised sum of its cluster's rows; a row moves to the centroid of largest cosine (ties:
    the smaller cluster number; a row with no positive cosine keeps its cluster).  Leiden's
    clusters are cut along the kNN graph, whose links see only each paper's 20 nearest papers;
    the centroids see all of a cluster's words.  On 5,000 recent arXiv abstracts (lines
    0–5,000, ``benchmarks/links.py``; Leiden seeds 0, 3, 7) one step lifted NMI against the
    primary category by 0.009–0.012 and purity by 0.004–0.011; more steps added nothing.

    >>> V = sp.csr_matrix(np.array([[1.0, 0.0], [0.96, 0.28], [0.0, 1.0], [0.0, 1.0]]))
    >>> nearest_centroids(V, np.array([0, 1, 1, 1])).tolist()
    [0, 0, 1, 1]
    """
    clusters = np.asarray(clusters, dtype=np.int64)
    n, k = len(clusters), int(clusters.max(initial=-1)) + 1
    member = np.flatnonzero(clusters != UNCLUSTERED)
    if k == 0:
        return clusters.copy()
    Z = sp.csr_matrix((np.ones(len(member)), (clusters[member], member)), shape=(k, n))
    CT = _normalise_rows(Z @ V).T.tocsr()
    out = clusters.copy()
    for start in range(0, len(member), block_rows):
        rows = member[start:start + block_rows]
        scores = (V[rows] @ CT).toarray()
        best = scores.argmax(axis=1)
        moved = scores[np.arange(len(rows)), best] > 0
        out[rows[moved]] = best[moved]
    return out


def merge_small_clusters(G: nx.Graph, part: dict, *, min_size: int = 5, weight: str | None = "weight") -> dict:
    """Clusters below ``min_size`` nodes join the cluster they share the most link weight with.

    Small clusters are taken smallest first (ties: smallest node id); one with no link to
    another cluster becomes :data:`UNCLUSTERED` (``-1``) unless it has ``min_size`` nodes
    by then.  The result is renumbered by size.

    >>> G = nx.barbell_graph(5, 0); G.add_edge(9, "leaf"); G.add_node("alone")
    >>> part = merge_small_clusters(G, {**{n: 0 for n in range(5)}, **{n: 1 for n in range(5, 10)},
    ...                                  "leaf": 2, "alone": 3}, min_size=2)
    >>> part["leaf"] == part[9], part["alone"]
    (True, -1)
    """
    # Unclustered nodes are no cluster: they stay so, and nothing merges into them.
    unclustered = [n for n, k in part.items() if k == UNCLUSTERED]
    part = {n: k for n, k in part.items() if k != UNCLUSTERED}
    groups: dict = {}
    for n, k in part.items():
        groups.setdefault(k, []).append(n)
    parent = {k: k for k in groups}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    size = {k: len(v) for k, v in groups.items()}
    small = sorted((k for k in groups if size[k] < min_size), key=lambda k: (size[k], min(map(str, groups[k]))))
    for k in small:
        root = find(k)
        if size[root] >= min_size:
            continue
        links: dict = {}
        for node in groups[k]:
            for nb, d in G[node].items():
                if nb not in part:
                    continue
                other = find(part[nb])
                if other != root:
                    links[other] = links.get(other, 0.0) + (float(d.get(weight, 1.0)) if weight else 1.0)
        if not links:
            continue
        target = min(links, key=lambda c: (-links[c], min(map(str, groups[c]))))
        parent[root] = target
        size[target] += size[root]
    merged: dict = {}
    for n, k in part.items():
        merged.setdefault(find(k), []).append(n)
    keep = [v for v in merged.values() if len(v) >= min_size]
    out = _numbered(keep)
    out.update({n: UNCLUSTERED for v in merged.values() if len(v) < min_size for n in v})
    out.update(dict.fromkeys(unclustered, UNCLUSTERED))
    return out


def louvain(G: nx.Graph, *, weight: str | None = "weight", resolution: float = 1.0, seed: int = 42,
            threshold: float = 1e-7) -> dict:
    """Louvain communities as ``{node: cluster}``, clusters numbered by size (0 = largest).

    Examples
    --------
    >>> G = nx.barbell_graph(5, 0)
    >>> sorted(set(louvain(G).values()))
    [0, 1]
    """
    if G.number_of_nodes() == 0:
        return {}
    if G.number_of_edges() == 0:
        comms = [{n} for n in G.nodes]
    else:
        comms = nx.community.louvain_communities(G, weight=weight, resolution=resolution, seed=seed,
                                                 threshold=threshold)
    return _numbered(comms)


def louvain_core(G: nx.Graph, core, *, weight: str | None = "weight", attach: str = "count",
                 resolution: float = 1.0, seed: int = 42) -> dict:
    """Louvain on the subgraph of ``core`` nodes; every other node joins its strongest core neighbour.

    For large concept graphs: concepts named by a single paper carry no
    structure of their own (they are linked only to that paper's other
    concepts), so clustering the core and attaching them is much faster and
    gives the same picture.  Strongest = highest ``attach`` attribute, then
    ``weight``, then smallest neighbour id.  Nodes with no core neighbour are
    clustered among themselves.  Clusters are renumbered by size (0 = largest).

    >>> G = nx.barbell_graph(4, 0); G.add_edge(0, "leaf", count=1)
    >>> part = louvain_core(G, [0, 1, 2, 3, 4, 5, 6, 7], weight=None); part["leaf"] == part[0]
    True
    """
    core = set(core)
    part = louvain(ordered_subgraph(G, core), weight=weight, resolution=resolution, seed=seed)
    rest = []
    for n in sorted(set(G) - core, key=str):
        best, best_key = None, None
        for nb, d in G[n].items():
            if nb in core:
                key = (d.get(attach, 1) if attach else 1, d.get(weight, 1) if weight else 1, str(nb))
                if best is None or (key[0], key[1]) > (best_key[0], best_key[1]) or \
                        ((key[0], key[1]) == (best_key[0], best_key[1]) and key[2] < best_key[2]):
                    best, best_key = nb, key
        if best is None:
            rest.append(n)
        else:
            part[n] = part[best]
    if rest:
        offset = max(part.values(), default=-1) + 1
        for n, k in louvain(ordered_subgraph(G, rest), weight=weight, resolution=resolution, seed=seed).items():
            part[n] = offset + k
    groups: dict = {}
    for n, k in part.items():
        groups.setdefault(k, []).append(n)
    return _numbered(groups.values())


def cluster_concept_counts(X: sp.csr_matrix, clusters: np.ndarray) -> sp.csr_matrix:
    """Cluster × concept matrix ``t_kc``: papers of cluster k naming concept c (``X`` binary paper × concept)."""
    clusters = np.asarray(clusters)
    n_clusters = int(clusters.max()) + 1 if len(clusters) else 0
    M = sp.csr_matrix((np.ones(len(clusters)), (clusters, np.arange(len(clusters)))),
                      shape=(n_clusters, len(clusters)))
    return (M @ X).tocsr()


def ctfidf(T: sp.csr_matrix) -> sp.csr_matrix:
    """c-TF-IDF scores of a cluster × concept count matrix (formula in the module docstring).

    >>> import numpy as np, scipy.sparse as sp
    >>> T = sp.csr_matrix(np.array([[5, 5, 0], [0, 5, 5]]))
    >>> s = ctfidf(T).toarray(); bool(s[0, 0] > s[0, 1])  # concept 0 only in cluster 0 beats shared concept 1
    True
    """
    T = sp.csr_matrix(T, dtype=np.float64)
    rows = np.asarray(T.sum(axis=1)).ravel()
    f = np.asarray(T.sum(axis=0)).ravel()
    A = rows.mean() if len(rows) else 0.0
    idf = np.zeros_like(f)
    idf[f > 0] = np.log(1.0 + A / f[f > 0])
    inv = np.zeros_like(rows)
    inv[rows > 0] = 1.0 / rows[rows > 0]
    return (sp.diags(inv) @ T @ sp.diags(idf)).tocsr()


def cluster_labels(T: sp.csr_matrix, labels: np.ndarray, generic: np.ndarray | None = None,
                   sizes: np.ndarray | None = None, *, n_label: int = 3, n_top: int = 10,
                   min_support: int = 2, concentration: float = CONCENTRATION,
                   terse: np.ndarray | None = None) -> list[tuple[str, str]]:
    """``(label, top_concepts)`` per cluster: the most distinctive concepts by c-TF-IDF.

    The score is c-TF-IDF times ``(t_kc / f_c) ** concentration`` (module docstring).
    ``label`` joins the best ``n_label`` concepts with " / ", ``top_concepts``
    the best ``n_top`` with "; ".  Ties are broken by support then label.  The label
    skips a concept whose words contain, or are contained in, those of a concept already
    in it ("autonomous driving systems" after "autonomous driving": it would say nothing
    new), and takes concepts flagged ``terse`` (a short acronym with no long form, "V2X",
    "RAW") only after the other concepts among the best ``n_top``.

    >>> T = sp.csr_matrix(np.array([[3, 30, 0, 0], [0, 30, 3, 0], [0, 30, 0, 3]]))  # concept 1 is everywhere
    >>> names = np.array(["a", "everywhere", "c", "d"])
    >>> [a for a, _ in cluster_labels(T, names, n_label=1)]
    ['a', 'c', 'd']
    >>> [a for a, _ in cluster_labels(T, names, n_label=1, concentration=0)]
    ['everywhere', 'everywhere', 'everywhere']
    """
    T = sp.csr_matrix(T, dtype=np.float64)
    f = np.asarray(T.sum(axis=0)).ravel()
    inv = np.zeros_like(f)
    inv[f > 0] = 1.0 / f[f > 0]
    share = (T @ sp.diags(inv)).tocsr()
    share.data **= concentration
    S = ctfidf(T).multiply(share).tocsr()
    generic = np.zeros(T.shape[1], dtype=bool) if generic is None else np.asarray(generic, dtype=bool)
    out = []
    for k in range(T.shape[0]):
        lo, hi = T.indptr[k], T.indptr[k + 1]
        cols, support = T.indices[lo:hi], T.data[lo:hi]
        score = np.asarray(S[k, cols].todense()).ravel() if len(cols) else np.zeros(0)
        need = min_support if sizes is None or sizes[k] >= 3 else 1
        ok = (~generic[cols]) & (support >= need)
        if not ok.any():  # tiny cluster: fall back to any specific concept
            ok = ~generic[cols]
        cols, support, score = cols[ok], support[ok], score[ok]
        order = np.lexsort((labels[cols], -support, -score))
        names, short = [], []
        for c in cols[order]:
            name = str(labels[c])
            if name.lower() not in {x.lower() for x in names}:
                names.append(name)
                short.append(bool(terse[c]) if terse is not None else False)
            if len(names) >= n_top:
                break
        label: list[str] = []
        for name in [x for x, t in zip(names, short) if not t] + [x for x, t in zip(names, short) if t]:
            words = _words(name)
            if not any(words <= _words(x) or _words(x) <= words for x in label):
                label.append(name)
            if len(label) >= n_label:
                break
        out.append((" / ".join(label), "; ".join(names)))
    return out


def _words(name: str) -> frozenset:
    """The lower-case words of a label, hyphens and plurals aside ("Vision-Language-Action Models" →
    vision, language, action, model)."""
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                     for w in re.findall(r"[a-z0-9]+", name.lower()))


#: A label that is an acronym ("MIMO", "VLAs", "3D-CNN"): no lower-case letter but a final plural "s".
_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9\-]*s?$")


def display_labels(concepts: pd.DataFrame) -> np.ndarray:
    """Each concept's label, an acronym replaced by its long form among its ``aliases``.

    The long form is an alias of several words (a space or hyphen), or one lower-case word
    ("ECG" as "electrocardiogram"), that is no acronym itself;
    the one whose words begin with the acronym's letters ("WSIs" as "whole-slide images", not as
    "slide images"), then the one with at most one capital (a common noun, not a title-cased
    name), then the shortest.

    >>> display_labels(pd.DataFrame({"label": ["MIMO", "BERT", "U-Net", "WSIs"], "aliases": [
    ...     ["MIMO", "Multiple-Input Multiple-Output", "multiple-input multiple-output"], ["BERT"], ["U-Net"],
    ...     ["WSI", "slide images", "whole-slide images"]]}))
    array(['multiple-input multiple-output', 'BERT', 'U-Net', 'whole-slide images'], dtype=object)
    """
    labels = concepts["label"].astype(str).tolist()
    aliases = concepts["aliases"].tolist() if "aliases" in concepts else [None] * len(labels)
    out = []
    for label, names in zip(labels, aliases):
        long = [a for a in as_list(names) if (" " in a or "-" in a or (a.isalpha() and a.islower()))
                and len(a) > len(label) + 3
                and not _ACRONYM.match(a)] if _ACRONYM.match(label) else []
        out.append(min(long, key=lambda a: (not _spells(label, a), sum(ch.isupper() for ch in a) > 1, len(a), a))
                   if long else label)
    return np.array(out, dtype=object)


def _spells(acronym: str, long: str) -> bool:
    """Whether the words of ``long`` begin with the letters of ``acronym`` ("WSI": "whole-slide images",
    not "slide images"; a final plural "s" and the words "and", "of", "the" aside).

    >>> _spells("WSIs", "whole-slide images"), _spells("WSIs", "slide images"), _spells("LiDAR", "x")
    (True, False, False)
    """
    letters = re.sub(r"s$", "", re.sub(r"[^A-Za-z0-9]", "", acronym)).lower()
    words = [w for w in re.split(r"[\s\-]+", long.lower()) if w and w not in {"and", "of", "the"}]
    return bool(letters) and "".join(w[0] for w in words) == letters


def _left_out(concepts: pd.DataFrame, exclude, exclude_types) -> np.ndarray:
    """Concepts never used to describe clusters: generic ones, ``exclude`` and those of ``exclude_types``."""
    out = concepts["generic"].fillna(False).astype(bool).to_numpy() if "generic" in concepts else \
        np.zeros(len(concepts), dtype=bool)
    if exclude is not None:
        out = out | np.asarray(exclude, dtype=bool)
    if exclude_types and "type" in concepts:
        out = out | concepts["type"].isin(list(exclude_types)).to_numpy()
    return out


def cluster_table(clusters: np.ndarray, X: sp.csr_matrix, concepts: pd.DataFrame, *, n_label: int = 3,
                  n_top: int = 10, exclude: np.ndarray | None = None,
                  exclude_types=("metric",)) -> pd.DataFrame:
    """Paper clusters: ``cluster, size, share, label, top_concepts``, sorted by cluster.

    ``clusters`` gives each paper's cluster (row order of ``X``), ``X`` the binary
    paper × concept matrix, ``concepts`` the concept table (``label``, ``generic``).
    Generic concepts, concepts flagged in ``exclude`` (e.g. hubs named by a
    quarter of the corpus) and concepts of ``exclude_types`` ("accuracy" says
    nothing about a topic) are not used as labels.  Papers of cluster
    :data:`UNCLUSTERED` (-1) are counted in one last row labelled "unclustered";
    ``share`` is of all papers.

    Examples
    --------
    >>> cluster_table(np.array([0, 0, 1]), X, concepts)  # doctest: +SKIP
    """
    clusters = np.asarray(clusters, dtype=np.int64)
    cols = ["cluster", "size", "share", "label", "top_concepts"]
    clustered = clusters >= 0
    if not clustered.any():
        table = pd.DataFrame(columns=cols)
    else:
        sizes = np.bincount(clusters[clustered])
        T = cluster_concept_counts(X[np.flatnonzero(clustered)], clusters[clustered])
        labels = display_labels(concepts.assign(label=concepts["label"].fillna(concepts["concept_id"])))
        skip = _left_out(concepts, exclude, exclude_types)
        terse = np.array([len(x) <= 4 and bool(_ACRONYM.match(x)) for x in labels], dtype=bool)
        lab = cluster_labels(T, labels, skip, sizes, n_label=n_label, n_top=n_top, terse=terse)
        table = pd.DataFrame({
            "cluster": np.arange(len(sizes)),
            "size": sizes,
            "share": np.round(sizes / len(clusters), 4),
            "label": [a for a, _ in lab],
            "top_concepts": [b for _, b in lab],
        })
    n_out = int((~clustered).sum())
    if n_out:  # one row for the papers linked to nothing, last
        table = pd.concat([table, pd.DataFrame({"cluster": [UNCLUSTERED], "size": [n_out],
                                                "share": [round(n_out / len(clusters), 4)],
                                                "label": ["unclustered"], "top_concepts": [""]})],
                          ignore_index=True)
    return table.astype({"cluster": np.int64, "size": np.int64})


def concept_cluster_labels(K: nx.Graph, clusters: dict, score: dict, *, n_label: int = 3) -> dict:
    """Label each concept cluster by its ``n_label`` highest-scoring non-generic members (e.g. PageRank)."""
    members: dict = {}
    for node, k in clusters.items():
        members.setdefault(k, []).append(node)
    out = {}
    for k, nodes in members.items():
        specific = [n for n in nodes if not K.nodes[n].get("generic", False)] or nodes
        specific.sort(key=lambda n: (-score.get(n, 0.0), str(n)))
        out[k] = " / ".join(str(K.nodes[n].get("label", n)) for n in specific[:n_label])
    return out


def bridge_concepts(X: sp.csr_matrix, clusters: np.ndarray, concepts: pd.DataFrame, *, min_papers: int = 3,
                    min_clusters: int = 2, cluster_labels: dict | None = None,
                    betweenness: pd.Series | None = None, n: int | None = 50,
                    exclude: np.ndarray | None = None, exclude_types=("metric",)) -> pd.DataFrame:
    """Concepts that connect paper clusters (participation coefficient, see module docstring).

    Returns
    -------
    DataFrame ``concept_id, label, type, n_papers, n_clusters, participation,
    bridge_score, betweenness, clusters`` (``clusters``: "k (label): count; ..."
    largest first), only non-generic concepts with ≥ ``min_papers`` papers in ≥
    ``min_clusters`` clusters, best ``n`` by bridge_score (None = all).  Concepts
    flagged in ``exclude`` (hubs named by a large share of all papers, which
    trivially touch every cluster) and of ``exclude_types`` (metrics such as
    "accuracy" are reported everywhere) are left out.

    Examples
    --------
    >>> bridge_concepts(X, paper_clusters, concepts).head()  # doctest: +SKIP
    """
    cols = ["concept_id", "label", "type", "n_papers", "n_clusters", "participation", "bridge_score",
            "betweenness", "clusters"]
    clusters = np.asarray(clusters, dtype=np.int64)
    if not (clusters >= 0).any() or X.shape[1] == 0:
        return pd.DataFrame(columns=cols)
    clustered = np.flatnonzero(clusters >= 0)  # unclustered papers connect no clusters
    T = cluster_concept_counts(X[clustered], clusters[clustered]).T.tocsr().astype(np.float64)  # concept × cluster
    n_papers = np.asarray(T.sum(axis=1)).ravel()
    n_clusters = np.diff(T.indptr)
    inv = np.zeros_like(n_papers)
    inv[n_papers > 0] = 1.0 / n_papers[n_papers > 0]
    P = sp.diags(inv) @ T
    participation = 1.0 - np.asarray(P.multiply(P).sum(axis=1)).ravel()
    participation[n_papers == 0] = 0.0
    score = participation * np.log1p(n_papers)
    generic = _left_out(concepts, exclude, exclude_types)
    keep = np.flatnonzero((~generic) & (n_papers >= min_papers) & (n_clusters >= min_clusters))
    ids = concepts["concept_id"].astype(str).to_numpy()
    labels = concepts["label"].fillna(concepts["concept_id"]).astype(str).to_numpy()
    types = concepts["type"].astype(str).to_numpy() if "type" in concepts else np.array([""] * len(concepts))
    rows = []
    for c in keep:
        lo, hi = T.indptr[c], T.indptr[c + 1]
        ks, cnt = T.indices[lo:hi], T.data[lo:hi]
        order = np.lexsort((ks, -cnt))
        parts = []
        for k, v in zip(ks[order], cnt[order]):
            name = f" ({cluster_labels[k]})" if cluster_labels and k in cluster_labels else ""
            parts.append(f"{k}{name}: {int(v)}")
        rows.append((ids[c], labels[c], types[c], int(n_papers[c]), int(n_clusters[c]),
                     round(float(participation[c]), 6), round(float(score[c]), 6),
                     float(betweenness.get(ids[c], 0.0)) if betweenness is not None else np.nan, "; ".join(parts)))
    df = pd.DataFrame(rows, columns=cols)
    df = df.sort_values(["bridge_score", "concept_id"], ascending=[False, True]).reset_index(drop=True)
    return df.head(n) if n is not None else df
