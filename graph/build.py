"""Build graphs from the extract stage's tables: bipartite, paper–paper, concept co-occurrence.

All three graphs start from one sparse paper × concept incidence matrix ``X``
(``X[i, c] = 1`` when paper *i* mentions concept *c*), so they are built with
scipy sparse products rather than pairwise Python loops.

Paper–paper weight (``paper_graph``)
    Each concept gets a specificity weight ``w_c = ln(N / df_c)`` (an inverse
    document frequency), multiplied by ``generic_weight`` (default 0.1) for
    concepts marked ``generic``.  Concepts named by more than ``max_df`` papers
    are left out (by default ``auto``: 25 % of the papers, at most 2,000 papers;
    they link too much to tell anything and would make the product quadratic).
    Papers become vectors ``v_i = X[i] * w`` and the concept similarity of two
    papers is the cosine ``v_i . v_j / (|v_i| |v_j|)`` — 1 when they name exactly
    the same concepts, small when they share only common or generic ones.
    Pruning rule: a pair is kept when it is among the ``top_k`` most similar
    papers of *either* paper (a symmetric k-nearest-neighbour graph), and only
    when its similarity is at least ``min_similarity``.  Every paper therefore
    keeps its ``top_k`` strongest links (fewer if it shares concepts with fewer
    papers) and hubs cannot glue the corpus together through weak links.
    ``analyse`` ranks the links by the cosine of neighbour-smoothed vectors
    (:func:`smoothed_edges`: each paper's vector moved towards its 5 nearest papers')
    and keeps only pairs that share a concept or term, so every link has evidence.

Concept co-occurrence (``concept_graph``)
    ``c_ij`` = number of papers that mention both *i* and *j*.  The edge weight
    is the association strength used by VOSviewer (van Eck & Waltman 2009,
    "How to normalize cooccurrence data?", JASIST 60(8)):
    ``AS_ij = 2m * c_ij / (s_i * s_j)`` where ``s_i = sum_j c_ij`` is the total
    link strength of *i* and ``m = sum_i s_i / 2``.  ``AS_ij`` is the ratio of
    observed to expected co-occurrences under independence: 1 means "as often as
    chance", larger means the two concepts are associated.  The raw count is kept
    in the ``count`` attribute.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = [
    "Incidence",
    "incidence",
    "concept_weights",
    "paper_label",
    "bipartite_graph",
    "paper_nodes",
    "paper_similarity",
    "similarity_edges",
    "nearest_edges",
    "neighbour_weights",
    "smoothed_edges",
    "sharing_pairs",
    "row_dots",
    "PaperVectors",
    "paper_vectors",
    "pair_similarity",
    "paper_graph",
    "cooccurrence_counts",
    "association_strength",
    "concept_graph",
    "ordered_subgraph",
    "CONCEPT_PREFIX",
    "concept_prefix",
    "KIND_PRIORITY",
]

#: When a pair of papers is linked in several ways, the kind shown is the strongest here.
KIND_PRIORITY = {"citation": 3, "inferred-citation": 2, "concept": 1}


@dataclass
class Incidence:
    """Sparse paper × concept matrices and their row/column keys.

    Attributes
    ----------
    binary : csr_matrix, ``binary[i, c] = 1`` when paper i mentions concept c.
    counts : csr_matrix, number of mentions of concept c in paper i.
    paper_ids, concept_ids : the row and column keys (numpy arrays of str).
    in_title, in_abstract : csr_matrix, 1 where the paper names the concept in that field.
    """

    binary: sp.csr_matrix
    counts: sp.csr_matrix
    paper_ids: np.ndarray
    concept_ids: np.ndarray
    in_title: sp.csr_matrix
    in_abstract: sp.csr_matrix

    @property
    def df(self) -> np.ndarray:
        """Document frequency of each concept (papers that mention it)."""
        return np.asarray(self.binary.sum(axis=0)).ravel().astype(np.int64)


def incidence(papers: pd.DataFrame, mentions: pd.DataFrame, concepts: pd.DataFrame) -> Incidence:
    """Paper × concept incidence matrices, rows in ``papers`` order, columns in ``concepts`` order.

    Mentions of papers or concepts absent from the tables are ignored.

    Examples
    --------
    >>> inc = incidence(papers, mentions, concepts)  # doctest: +SKIP
    >>> inc.binary.shape == (len(papers), len(concepts))  # doctest: +SKIP
    True
    """
    paper_ids = papers["id"].astype(str).to_numpy()
    concept_ids = concepts["concept_id"].astype(str).to_numpy()
    pindex = pd.Index(paper_ids)
    cindex = pd.Index(concept_ids)
    shape = (len(paper_ids), len(concept_ids))
    if mentions is None or len(mentions) == 0:
        empty = sp.csr_matrix(shape, dtype=np.float64)
        return Incidence(empty, empty.copy(), paper_ids, concept_ids, empty.copy(), empty.copy())
    rows = pindex.get_indexer(mentions["paper_id"].astype(str))
    cols = cindex.get_indexer(mentions["concept_id"].astype(str))
    field = mentions["field"].astype(str).to_numpy() if "field" in mentions else np.full(len(rows), "abstract")
    ok = (rows >= 0) & (cols >= 0)
    rows, cols, field = rows[ok], cols[ok], field[ok]
    counts = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    counts.sum_duplicates()
    counts.sort_indices()
    binary = counts.copy()
    binary.data[:] = 1.0

    def flag(mask):
        M = sp.csr_matrix((np.ones(int(mask.sum())), (rows[mask], cols[mask])), shape=shape)
        M.sum_duplicates()
        M.data[:] = 1.0
        return M

    is_title = field == "title"
    return Incidence(binary, counts, paper_ids, concept_ids, flag(is_title), flag(~is_title))



def ordered_subgraph(G: nx.Graph, nodes) -> nx.Graph:
    """A copy of the subgraph of ``G`` induced by ``nodes``, its nodes and edges in ``G``'s order.

    ``G.subgraph(nodes).copy()`` iterates a set when ``nodes`` are under half of ``G``, so its
    order — and seeded, order-sensitive results such as Louvain or sampled betweenness on it —
    would change with Python's hash seed from one run to the next.
    """
    keep = set(nodes)
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if n in keep)
    H.add_edges_from((u, v, d) for u, v, d in G.edges(data=True) if u in keep and v in keep)
    return H


def _max_df_count(max_df, n_papers: int, cap: int | None = 2000) -> int:
    if max_df is None:
        return n_papers
    if max_df == "auto":
        share = int(math.ceil(0.25 * n_papers))
        return max(2, share if cap is None else min(share, cap))
    if isinstance(max_df, float) and max_df <= 1.0:
        return max(2, int(math.ceil(max_df * n_papers)))
    return int(max_df)


def concept_weights(inc: Incidence, generic: np.ndarray | None = None, *, generic_weight: float = 0.1,
                    max_df="auto") -> np.ndarray:
    """Specificity weight of each concept for paper–paper similarity.

    ``w_c = ln(N / df_c)``, times ``generic_weight`` for generic concepts; 0 for
    concepts named by fewer than 2 papers (they link nothing) or by more than
    ``max_df`` papers (``"auto"``: 25 % of the papers, at most 2,000; a float
    ≤ 1 is a fraction, an int a count, None no limit).

    Examples
    --------
    >>> w = concept_weights(inc, concepts["generic"].to_numpy())  # doctest: +SKIP
    """
    n = max(inc.binary.shape[0], 1)
    df = inc.df
    w = np.zeros(len(df))
    used = (df >= 2) & (df <= _max_df_count(max_df, n))
    w[used] = np.log(n / df[used])
    if generic is not None:
        g = np.asarray(pd.Series(generic).fillna(False).astype(bool))
        w[g] *= generic_weight
    return w


def paper_label(title, abstract, width: int = 60) -> str:
    """A short display label: the title cut to ``width`` characters, else the abstract's first words.

    >>> paper_label("Densely Connected Convolutional Networks", "")
    'Densely Connected Convolutional Networks'
    >>> paper_label("", "We study the loss landscape of very deep residual networks trained with SGD")
    'We study the loss landscape of very deep residual networks…'
    """
    text = title if isinstance(title, str) and title.strip() else (abstract if isinstance(abstract, str) else "")
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut[width // 2:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.") + "…"


def _scalar(value):
    """A GraphML-safe scalar, or None when the value is missing."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, str):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _set_attrs(attrs: dict, **values) -> dict:
    for key, value in values.items():
        v = _scalar(value)
        if v is not None:
            attrs[key] = v
    return attrs


def _concept_labels(concepts: pd.DataFrame) -> np.ndarray:
    return concepts["label"].fillna(concepts["concept_id"]).astype(str).to_numpy()


def _row_groups(rows: np.ndarray, n_rows: int, values: list, sep: str = "; ") -> list[str]:
    """``sep``-joined ``values`` of each row; ``rows`` sorted, aligned with ``values``."""
    bounds = np.searchsorted(rows, np.arange(n_rows + 1)).tolist()
    return [sep.join(values[bounds[r]:bounds[r + 1]]) for r in range(n_rows)]


def _paper_concept_strings(inc: Incidence, labels: np.ndarray) -> list[str]:
    """Each paper's distinct concept labels, "; "-joined in case-insensitive order (then exact order)."""
    X = inc.binary
    # One global order of the distinct labels: a paper's names are then sorted and deduplicated
    # with array operations instead of a Python sort per paper.
    names = sorted(set(labels.tolist()), key=lambda s: (s.lower(), s))
    rank = pd.Index(names).get_indexer(labels)
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    r = rank[X.indices]
    order = np.lexsort((r, rows))
    rows, r = rows[order], r[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (r[1:] != r[:-1])
    return _row_groups(rows[first], X.shape[0], np.array(names, dtype=object)[r[first]].tolist())


def _paper_nodes(papers: pd.DataFrame, inc: Incidence, labels: np.ndarray) -> list[tuple[str, dict]]:
    concept_strings = _paper_concept_strings(inc, labels)
    n_concepts = np.diff(inc.binary.indptr).tolist()
    titles = papers["title"].fillna("").astype(str).tolist() if "title" in papers else [""] * len(papers)
    abstracts = papers["abstract"].fillna("").astype(str).tolist() if "abstract" in papers else [""] * len(papers)
    years = papers["year"].tolist() if "year" in papers else [None] * len(papers)
    known = (~pd.isna(papers["year"])).to_numpy(dtype=bool).tolist() if "year" in papers else [False] * len(papers)
    nodes = []
    for pid, title, abstract, concepts, n, y, has_year in zip(inc.paper_ids.tolist(), titles, abstracts,
                                                              concept_strings, n_concepts, years, known):
        attrs = {"kind": "paper", "label": paper_label(title, abstract), "title": title, "abstract": abstract,
                 "concepts": concepts, "n_concepts": n}
        if has_year:
            attrs["year"] = int(y)
        nodes.append((str(pid), attrs))
    return nodes


def _column_scalars(column: pd.Series) -> list:
    """:func:`_scalar` of each value of ``column``, as iterating the column gives them."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        return column.tolist()  # Python ints and bools already
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        values = column.tolist()
        return [None if v != v else v for v in values]  # NaN → None
    return [_scalar(v) for v in column.tolist()]


def paper_nodes(papers: pd.DataFrame, concepts: pd.DataFrame, inc: Incidence) -> list[tuple[str, dict]]:
    """The paper nodes ``(id, attributes)`` of :func:`paper_graph` and :func:`bipartite_graph`, made once for both.

    Each graph copies the attributes (networkx does), so one list serves both.
    """
    return _paper_nodes(papers, inc, _concept_labels(concepts))


def _concept_nodes(concepts: pd.DataFrame, keep: np.ndarray | None = None) -> list[tuple[str, dict]]:
    """``(concept_id, attributes)`` of each concept (of those ``keep`` marks, None: all), in table order."""
    if keep is not None:
        concepts = concepts[np.asarray(keep, dtype=bool)]
    cols = concepts.columns
    if not cols.is_unique:  # the row-by-row reading, for a table with a repeated column name
        return [node for row in concepts.itertuples(index=False) for node in [_concept_node(row._asdict(), cols)]]
    n = len(concepts)
    ids = concepts["concept_id"].tolist()
    labels = concepts["label"].tolist() if "label" in cols else [None] * n
    labels = _column_scalars(pd.Series([c if v is None else v for v, c in zip(labels, ids)], dtype=object))
    missing = [None] * n
    types = _column_scalars(concepts["type"]) if "type" in cols else missing
    generic = [bool(v) if not pd.isna(v) else False for v in concepts["generic"].tolist()] if "generic" in cols \
        else [False] * n
    n_papers = _column_scalars(concepts["n_papers"]) if "n_papers" in cols else missing
    n_mentions = _column_scalars(concepts["n_mentions"]) if "n_mentions" in cols else missing
    nodes = []
    for cid, values in zip(ids, zip(labels, types, generic, n_papers, n_mentions)):
        attrs = {"kind": "concept"}
        for key, v in zip(("label", "type", "generic", "n_papers", "n_mentions"), values):
            if v is not None:
                attrs[key] = v
        nodes.append((str(cid), attrs))
    return nodes


def _concept_node(r: dict, cols) -> tuple[str, dict]:
    attrs = _set_attrs({"kind": "concept"}, label=r.get("label") if r.get("label") is not None else r["concept_id"],
                       type=r.get("type") if "type" in cols else None,
                       generic=bool(r["generic"]) if "generic" in cols and not pd.isna(r["generic"]) else False,
                       n_papers=r.get("n_papers") if "n_papers" in cols else None,
                       n_mentions=r.get("n_mentions") if "n_mentions" in cols else None)
    return str(r["concept_id"]), attrs


#: Concept nodes of graphs that also hold papers (bipartite, neighbourhoods) are named
#: ``concept:<concept_id>``, so a paper id equal to a concept id (a BibTeX key ``bert``) is no clash.
CONCEPT_PREFIX = "concept:"


def concept_prefix(paper_ids) -> str:
    """The prefix that keeps concept node ids apart from ``paper_ids``: ``"concept:"``, or longer.

    Papers keep their ids (the map links a paper across its views by id); concept nodes
    take the prefix, lengthened with ":" in the odd case that a paper id starts with it.

    >>> concept_prefix(["bert", "p2"]), concept_prefix(["concept:x"])
    ('concept:', 'concept::')
    """
    prefix = CONCEPT_PREFIX
    taken = [str(p) for p in paper_ids if str(p).startswith(CONCEPT_PREFIX)]
    while any(p.startswith(prefix) for p in taken):
        prefix += ":"
    return prefix


def bipartite_graph(papers: pd.DataFrame, mentions: pd.DataFrame, concepts: pd.DataFrame, *,
                    inc: Incidence | None = None, keep: np.ndarray | None = None,
                    paper_nodes: list | None = None) -> nx.Graph:
    """Paper–concept bipartite graph.

    Nodes are paper ids (``kind="paper"``, ``bipartite=0``) and concepts
    (``kind="concept"``, ``bipartite=1``) named ``concept:<concept_id>`` (see
    :func:`concept_prefix`; the attribute ``concept_id`` holds the bare id, and
    ``graph.graph["concept_prefix"]`` the prefix), so paper and concept ids never
    collide.  An edge links a paper to each concept it mentions: ``kind="mention"``,
    ``weight`` = number of mentions, ``evidence`` = the fields it was found in
    (``"title"``, ``"abstract"``).  ``keep``: a boolean mask of the concepts to
    include (None: all).  ``inc``: ``incidence(papers, mentions, concepts)`` when the
    caller has it already; ``paper_nodes``: the paper nodes, when it has them from
    :func:`paper_nodes` already.

    Examples
    --------
    >>> B = bipartite_graph(papers, mentions, concepts)  # doctest: +SKIP
    >>> sorted(B["p1"])  # the concepts paper p1 mentions  # doctest: +SKIP
    ['concept:densenet', 'concept:imagenet']
    """
    inc = incidence(papers, mentions, concepts) if inc is None else inc
    labels = _concept_labels(concepts)
    prefix = concept_prefix(inc.paper_ids.tolist())
    B = nx.Graph(name="paper-concept", concept_prefix=prefix)
    B.add_nodes_from(_paper_nodes(papers, inc, labels) if paper_nodes is None else paper_nodes, bipartite=0)
    keep = np.ones(len(concepts), dtype=bool) if keep is None else np.asarray(keep, dtype=bool)
    B.add_nodes_from(((prefix + cid, {**attrs, "concept_id": cid}) for cid, attrs in _concept_nodes(concepts, keep)),
                     bipartite=1)
    C = inc.counts.tocoo()  # canonical: sorted by row, then column
    ncols = max(C.shape[1], 1)
    keys = C.row.astype(np.int64) * ncols + C.col  # sorted, so a binary search finds each flagged entry

    def flagged(M):
        M = M.tocoo()
        wanted = M.row.astype(np.int64) * ncols + M.col
        pos = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
        out = np.zeros(len(keys), dtype=bool)
        if len(keys):
            out[pos[keys[pos] == wanted]] = True
        return out

    t, a = flagged(inc.in_title), flagged(inc.in_abstract)
    evidence = np.array(["abstract", "title", "title; abstract"], dtype=object)[t.astype(np.int8) + (t & a)]
    sel = keep[C.col]
    pids = np.array([str(x) for x in inc.paper_ids], dtype=object)[C.row[sel]].tolist()
    cids = np.array([prefix + str(x) for x in inc.concept_ids], dtype=object)[C.col[sel]].tolist()
    B.add_edges_from((p, c, {"weight": v, "kind": "mention", "evidence": e})
                     for p, c, v, e in zip(pids, cids, C.data[sel].astype(float).tolist(), evidence[sel].tolist()))
    return B


def _paper_vectors(inc: Incidence, w: np.ndarray) -> sp.csr_matrix:
    return _normalise_rows(inc.binary @ sp.diags(w))


def _normalise_rows(M: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to unit length (zero rows stay zero), explicit zeros dropped, indices sorted."""
    M = sp.csr_matrix(M)
    M.eliminate_zeros()
    norms = np.sqrt(np.asarray(M.multiply(M).sum(axis=1)).ravel())
    inv = np.zeros_like(norms)
    inv[norms > 0] = 1.0 / norms[norms > 0]
    M = (sp.diags(inv) @ M).tocsr()
    M.sort_indices()
    return M


@dataclass
class PaperVectors:
    """One sparse vector per paper: weighted concepts, then weighted terms (see :func:`paper_vectors`).

    Attributes
    ----------
    vectors : csr_matrix, rows L2-normalised; columns = concepts, then terms.
    n_concepts : the number of concept columns (the rest are terms).
    names : the column names (concept labels, then terms).
    concept_weights, term_weights : the column weights used (0 = left out).
    """

    vectors: sp.csr_matrix
    n_concepts: int
    names: np.ndarray
    concept_weights: np.ndarray
    term_weights: np.ndarray


def _within_budget(df: np.ndarray, w: np.ndarray, budget: float | None) -> np.ndarray:
    """``w`` with the most common columns set to 0 until the product's cost ``sum(df^2)`` fits ``budget``."""
    if budget is None:
        return w
    used = np.flatnonzero(w > 0)
    order = used[np.lexsort((used, df[used]))]  # rarest first; ties by column
    cost = np.cumsum(df[order].astype(np.float64) ** 2)
    w = w.copy()
    w[order[cost > budget]] = 0.0
    return w


def paper_vectors(inc: Incidence, concepts: pd.DataFrame, terms=None, *, generic_weight: float = 0.1,
                  max_df="auto", concept_weight: float = 1.0, idf_power: float = 0.75,
                  phrase_weight: float = 0.7, budget: float | None = None) -> PaperVectors:
    """The paper representation that links and clusters papers: concepts and terms in one vector.

    One sparse TF-IDF-like vector per paper, L2-normalised, whose columns are the typed
    concepts and (``terms``: a :class:`conceptgraph.graph.terms.TermIncidence`) the paper's
    other words. A concept counts like a phrase term: ``concept_weight * w_c ** idf_power``
    with ``w_c`` its specificity (:func:`concept_weights`: IDF, generic concepts ×
    ``generic_weight``, concepts named by more than ``max_df`` papers left out); a term
    ``(1 + ln tf) * ln(N / df) ** idf_power`` (sublinear TF-IDF; title words count twice), times
    ``phrase_weight`` for a two-word term.
    Columns named by a single paper link nothing and are left out. While the cost of the
    similarity product, ``sum(df^2)`` over the columns, exceeds ``budget`` (None:
    ``max(2e8, 3000 N)`` multiply-adds) the most common columns are left out too: they
    carry little weight and most of the cost.

    Why this weighting (CiteSeer, recall@10 of real citation neighbours,
    ``benchmarks/links.py``): concepts alone 0.19; words alone 0.458 (TF-IDF baseline 0.454);
    words + concepts in one space 0.471; with ``idf_power`` 0.75 (common words keep more
    weight: leaving out the words of more than 10 % of papers lost 0.016) 0.476; with two-word
    terms at ``phrase_weight`` 0.7 0.493 (0.490 at 0.5, 0.486 at 1.0; pairs of words adjacent
    in the text, function words not skipped, 0.490). The two-word terms also lift the clusters
    (``analyse`` defaults): NMI on 5,000 recent arXiv abstracts 0.231 → 0.253 (lines 0–5,000),
    CiteSeer purity 0.655 → 0.672.
    Normalising concepts and words separately and mixing the two cosines was worse at
    every mix (0.445 at 20 % concepts, 0.34 at 50 %).

    Examples
    --------
    >>> pv = paper_vectors(inc, concepts, term_incidence(papers))  # doctest: +SKIP
    >>> pv.vectors.shape[1] == len(concepts) + len(pv.term_weights)  # doctest: +SKIP
    True
    """
    n = inc.binary.shape[0]
    budget = max(2e8, 3000.0 * n) if budget is None else budget
    generic = concepts["generic"].to_numpy() if "generic" in concepts else None
    wc = concept_weights(inc, generic, generic_weight=generic_weight, max_df=max_df) ** idf_power * concept_weight
    df_c = inc.df
    labels = _concept_labels(concepts)
    if terms is None or terms.counts.shape[1] == 0:
        wc = _within_budget(df_c, wc, budget)
        return PaperVectors(_paper_vectors(inc, wc), len(wc), labels, wc, np.zeros(0))
    df_t = terms.df
    wt = np.zeros(len(df_t))
    used = df_t >= 2
    wt[used] = np.log(max(n, 1) / df_t[used]) ** idf_power
    wt[terms.phrase] *= phrase_weight
    both = _within_budget(np.concatenate([df_c, df_t]), np.concatenate([wc, wt]), budget)
    wc, wt = both[:len(wc)], both[len(wc):]
    T = terms.counts.tocsr().astype(np.float64)
    T.data = 1.0 + np.log(T.data)
    V = _normalise_rows(sp.hstack([inc.binary @ sp.diags(wc), T @ sp.diags(wt)]).tocsr())
    return PaperVectors(V, len(wc), np.concatenate([labels.astype(object), terms.terms.astype(object)]), wc, wt)


def _kth_largest(indptr: np.ndarray, data: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    """The k-th largest value of each of ``rows`` (each longer than k) of a CSR matrix.

    Rows of equal length are taken together, as one 2-D ``np.partition`` (linear time per row):
    a loop over the distinct row lengths, not over the rows.
    """
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    out = np.empty(len(rows))
    for length in np.unique(lengths).tolist():
        same = np.flatnonzero(lengths == length)
        values = data[starts[same][:, None] + np.arange(length)]
        out[same] = np.partition(values, length - k, axis=1)[:, length - k]
    return out


def _topk_mask(S: sp.csr_matrix, k: int) -> np.ndarray:
    """Which entries of ``S.data`` are among the k largest of their row (ties: smaller column first).

    Rows with at most k entries are kept whole; longer rows keep the entries at
    or above their k-th largest value (``np.partition``: linear time, no global
    sort), and a row with ties at that value beyond k keeps the tied entries of
    the smallest columns.  All on whole arrays (the synthetic 100,000-paper corpus has
    ties in three rows of four).
    """
    indptr, indices, data = S.indptr, S.indices, S.data
    counts = np.diff(indptr)
    long_rows = np.flatnonzero(counts > k)
    if not len(long_rows):
        return np.ones(len(data), dtype=bool)
    thr = np.full(S.shape[0], -np.inf)
    thr[long_rows] = _kth_largest(indptr, data, long_rows, k)
    row_of = np.repeat(np.arange(S.shape[0]), counts)
    row_thr = thr[row_of]
    keep = data >= row_thr
    # ties at the k-th value: of the tied entries, a row keeps as many as fit, smallest columns first
    room = k - np.bincount(row_of[data > row_thr], minlength=S.shape[0])
    tied = np.flatnonzero(data == row_thr)
    tied = tied[np.lexsort((indices[tied], row_of[tied]))]
    tied_rows = row_of[tied]
    starts = np.flatnonzero(np.r_[True, tied_rows[1:] != tied_rows[:-1]]) if len(tied) else np.zeros(0, dtype=np.int64)
    rank = np.arange(len(tied)) - np.repeat(starts, np.diff(np.r_[starts, len(tied)]))
    keep[tied[rank >= room[tied_rows]]] = False
    return keep


def _topk_rows(S: sp.csr_matrix, k: int, row_offset: int):
    """(rows, cols, values) of the k largest entries of each row (ties: smaller column first; :func:`_topk_mask`)."""
    S = S.tocsr()
    keep = _topk_mask(S, k)
    rows = np.repeat(np.arange(S.shape[0], dtype=np.int64), np.diff(S.indptr))
    return rows[keep] + row_offset, S.indices[keep], S.data[keep]


def paper_similarity(inc: Incidence, weights: np.ndarray, *, top_k: int | None = 10,
                     min_similarity: float = 0.0, block_rows: int | None = None) -> pd.DataFrame:
    """Pruned paper–paper concept similarity as an edge table.

    Computes ``S = V V^T`` (``V`` the IDF-weighted, L2-normalised concept vectors
    of the papers, see the module docstring) with :func:`similarity_edges`.

    Returns
    -------
    DataFrame ``i, j, similarity`` with ``i < j`` row positions, sorted by ``i, j``.

    Examples
    --------
    >>> inc = incidence(papers, mentions, concepts)  # doctest: +SKIP
    >>> edges = paper_similarity(inc, concept_weights(inc), top_k=10)  # doctest: +SKIP
    """
    return similarity_edges(_paper_vectors(inc, weights), top_k=top_k, min_similarity=min_similarity,
                            block_rows=block_rows)


def similarity_edges(V: sp.csr_matrix, *, top_k: int | None = 10, min_similarity: float = 0.0,
                     block_rows: int | None = None) -> pd.DataFrame:
    """The symmetric k-nearest-neighbour graph of L2-normalised rows ``V`` by cosine.

    ``S = V V^T`` is computed block by block of rows with scipy sparse products (a
    block holds about 5 million candidate products), never for all pairs at once;
    each row keeps its ``top_k`` largest off-diagonal entries (None keeps all) and
    the result is their symmetric union.

    Returns
    -------
    DataFrame ``i, j, similarity`` with ``i < j`` row positions, sorted by ``i, j``.

    Examples
    --------
    >>> V = sp.csr_matrix(np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]]))
    >>> similarity_edges(V, top_k=1).values.tolist()
    [[0.0, 1.0, 0.6], [1.0, 2.0, 0.8]]
    """
    n = V.shape[0]
    VT = V.T.tocsr()  # the product would convert a CSC operand to CSR for every block
    if block_rows is None:
        # Bound each block's product: a row has at most sum(df of its concepts) candidates.
        df = np.asarray((V != 0).sum(axis=0)).ravel()
        cost = np.asarray((V != 0) @ df).ravel() + 1
        bounds = np.searchsorted(np.cumsum(cost), np.arange(1, int(cost.sum() // 5_000_000) + 2) * 5_000_000)
        stops = sorted(set(np.minimum(bounds + 1, n).tolist()) | {n})
    else:
        stops = list(range(block_rows, n, block_rows)) + [n]
    parts_i, parts_j, parts_v = [], [], []
    start = 0
    for stop in stops:
        if stop <= start:
            continue
        S = (V[start:stop] @ VT).tocsr()
        block_rows_of = np.repeat(np.arange(start, stop), np.diff(S.indptr))
        S.data[(S.indices == block_rows_of) | (S.data < max(min_similarity, 1e-12))] = 0  # no self-links
        S.eliminate_zeros()
        if top_k is None:
            C = S.tocoo()
            r, c, v = C.row + start, C.col, C.data
        else:
            r, c, v = _topk_rows(S, top_k, start)
        parts_i.append(r)
        parts_j.append(c)
        parts_v.append(v)
        start = stop
    if not parts_i:
        return pd.DataFrame({"i": pd.Series(dtype=np.int64), "j": pd.Series(dtype=np.int64),
                             "similarity": pd.Series(dtype=float)})
    return _symmetric_union(np.concatenate(parts_i), np.concatenate(parts_j), np.concatenate(parts_v))


def _symmetric_union(r: np.ndarray, c: np.ndarray, v: np.ndarray) -> pd.DataFrame:
    """Directed entries ``(r, c, v)`` as one undirected edge per pair (``i < j``, the larger value), sorted."""
    r, c = r.astype(np.int64), c.astype(np.int64)
    lo, hi = np.minimum(r, c), np.maximum(r, c)
    key = lo * (int(hi.max(initial=0)) + 1) + hi
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
    return pd.DataFrame({"i": lo[order][starts], "j": hi[order][starts],
                         "similarity": np.maximum.reduceat(np.asarray(v, dtype=float)[order], starts)
                         if len(starts) else np.zeros(0)})


def _both_ways(edges: pd.DataFrame, n: int, values: np.ndarray) -> sp.csr_matrix:
    """The ``n x n`` matrix holding ``values`` at ``(i, j)`` and ``(j, i)`` of each edge."""
    i, j = edges["i"].to_numpy(dtype=np.int64), edges["j"].to_numpy(dtype=np.int64)
    return sp.csr_matrix((np.r_[values, values], (np.r_[i, j], np.r_[j, i])), shape=(n, n))


def nearest_edges(edges: pd.DataFrame, top_k: int) -> pd.DataFrame:
    """The symmetric ``top_k``-nearest-neighbour graph inside a wider one (:func:`similarity_edges`).

    ``similarity_edges(V, top_k=20)`` holds every row's 20 nearest neighbours, so its
    rows' 10 strongest entries (ties: smaller column first, as there) are
    ``similarity_edges(V, top_k=10)``: one similarity product serves both the links of the
    map and the denser graph that clusters are found on.

    >>> V = sp.csr_matrix(np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]]))
    >>> nearest_edges(similarity_edges(V, top_k=2), 1).values.tolist()
    [[0.0, 1.0, 0.6], [1.0, 2.0, 0.8]]
    """
    n = int(max(edges["i"].max(), edges["j"].max())) + 1 if len(edges) else 0
    position = _both_ways(edges, n, np.arange(len(edges), dtype=np.int64))  # same layout as the similarities
    kept = np.zeros(len(edges), dtype=bool)
    kept[position.data[_topk_mask(_both_ways(edges, n, edges["similarity"].to_numpy(dtype=float)), top_k)]] = True
    return edges[kept].reset_index(drop=True)


def neighbour_weights(edges: pd.DataFrame, n: int, neighbours: int) -> sp.csr_matrix:
    """``W`` of neighbour smoothing: row i holds the similarities of paper i's ``neighbours``
    strongest links in ``edges`` (ties: smaller column), scaled to sum to 1.

    >>> edges = pd.DataFrame({"i": [0, 0], "j": [1, 2], "similarity": [0.6, 0.2]})
    >>> neighbour_weights(edges, 3, 1).toarray().tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]
    """
    W = _both_ways(edges, n, edges["similarity"].to_numpy(dtype=float))
    W.data[~_topk_mask(W, neighbours)] = 0
    W.eliminate_zeros()
    total = np.asarray(W.sum(axis=1)).ravel()
    inv = np.zeros(n)
    inv[total > 0] = 1.0 / total[total > 0]
    return (sp.diags(inv) @ W).tocsr()


def smoothed_edges(edges: pd.DataFrame, n: int, *, neighbours: int = 5, weight: float = 0.6,
                   top_k: int | None = 20, block_rows: int = 4096) -> pd.DataFrame:
    """The nearest neighbours by cosine of neighbour-smoothed paper vectors, found from a kNN graph.

    Neighbour smoothing (pseudo-relevance feedback, as in query expansion): each paper's
    vector moves towards those of its ``neighbours`` nearest papers,
    ``V' = normalise(V + weight * W V)`` with ``W`` from :func:`neighbour_weights`.  Two
    papers whose nearest papers are the same come closer although their own words differ,
    and a paper's incidental words count for less.  The cosines of ``V'`` are
    ``A S A^T`` (``A = I + weight * W``, ``S = V V^T``) divided by the square roots of its
    diagonal; ``S`` is taken to be the kNN graph ``edges`` (the :func:`similarity_edges`
    of ``V``) with 1 on the diagonal, so pairs outside each other's nearest neighbours count
    as 0.  This costs two sparse products of matrices with about as many entries per row as
    ``edges`` and ``neighbours + 1``, where the product ``V' V'^T`` of the smoothed vectors
    (4.6 times the entries of ``V`` on CiteSeer at 5 neighbours) costs several times the
    first similarity product.  On CiteSeer (``benchmarks/links.py``) the exact ``V' V'^T``
    gave recall@10 0.510 and this 0.507, from 0.493 unsmoothed, in 0.2 s against 2.1 s.

    Returns
    -------
    DataFrame ``i, j, similarity`` (the smoothed cosine) with ``i < j``, sorted by ``i, j``:
    each row's ``top_k`` strongest entries (None: all), their symmetric union.  A pair can
    share no concept or term at all, only neighbours (see :func:`sharing_pairs`).

    Examples
    --------
    A chain 0 – 1 – 2: papers 0 and 2 share nothing, but both are close to paper 1
    (``S`` is complete here, so these are the exact cosines of ``V'``).

    >>> edges = pd.DataFrame({"i": [0, 1], "j": [1, 2], "similarity": [0.5, 0.5]})
    >>> smoothed_edges(edges, 3, neighbours=2, weight=0.6).round(3).values.tolist()
    [[0.0, 1.0, 0.846], [0.0, 2.0, 0.49], [1.0, 2.0, 0.846]]
    """
    A = (sp.identity(n, format="csr") + weight * neighbour_weights(edges, n, neighbours)).tocsr()
    S = (_both_ways(edges, n, edges["similarity"].to_numpy(dtype=float)) + sp.identity(n, format="csr")).tocsr()
    AT = A.T.tocsr()
    blocks = [(start, min(start + block_rows, n)) for start in range(0, n, block_rows)]
    AS = [(A[a:b] @ S).tocsr() for a, b in blocks]
    # |V'_i|^2 = (A S A^T)_ii: the row sums of (A S) * A
    norm = np.concatenate([np.asarray(part.multiply(A[a:b]).sum(axis=1)).ravel() for part, (a, b) in zip(AS, blocks)])
    inv = 1.0 / np.sqrt(norm)  # norm >= 1: A and S hold 1 on their diagonals and nothing negative
    parts = []
    for (a, b), part in zip(blocks, AS):
        M = (part @ AT).tocsr()
        rows = np.repeat(np.arange(a, b), np.diff(M.indptr))
        M.data *= inv[rows] * inv[M.indices]
        M.data[M.indices == rows] = 0  # no self-links
        M.eliminate_zeros()
        parts.append(_topk_rows(M, top_k, a) if top_k is not None else
                     (np.repeat(np.arange(a, b), np.diff(M.indptr)), M.indices, M.data))
    r, c, v = (np.concatenate(x) for x in zip(*parts)) if parts else (np.zeros(0, dtype=np.int64),) * 2 + (np.zeros(0),)
    return _symmetric_union(r, c, v)


def sharing_pairs(V: sp.csr_matrix, edges: pd.DataFrame, known: pd.DataFrame) -> np.ndarray:
    """Which pairs of ``edges`` (``i, j``) share at least one column of ``V``: a concept or a term.

    Pairs in ``known`` (a :func:`similarity_edges` table of ``V``: positive cosines) do; the
    others' cosine is computed.
    """
    inside = edges[["i", "j"]].merge(known[["i", "j"]].assign(_known=True), on=["i", "j"], how="left")
    shared = np.array(inside["_known"].fillna(False), dtype=bool)
    rest = np.flatnonzero(~shared)
    shared[rest] = row_dots(V, edges["i"].to_numpy()[rest], edges["j"].to_numpy()[rest]) > 0
    return shared


def row_dots(V: sp.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """``V[i[k]] . V[j[k]]`` for each k: the cosine of paper pairs when ``V``'s rows are L2-normalised."""
    if len(i) == 0:
        return np.zeros(0)
    return np.asarray(V[np.asarray(i)].multiply(V[np.asarray(j)]).sum(axis=1)).ravel()


def pair_similarity(inc: Incidence, weights: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Concept similarity (same cosine as ``paper_similarity``) of given row-position pairs, unpruned."""
    return row_dots(_paper_vectors(inc, weights), i, j)


def _shared_strings(pv: PaperVectors, i: np.ndarray, j: np.ndarray, limit: int = 8,
                    term_limit: int = 6) -> list[str]:
    """For each pair, what made it similar: shared concepts then shared terms, strongest first.

    "DenseNet; ImageNet; terms: pruning, sparsity" — concepts "; "-joined, at most
    ``limit`` (then "… (+n)"), then at most ``term_limit`` terms; ties by name.
    """
    if len(i) == 0:
        return []
    P = pv.vectors[np.asarray(i)].multiply(pv.vectors[np.asarray(j)]).tocsr()
    P.eliminate_zeros()
    n = P.shape[0]
    rows = np.repeat(np.arange(n), np.diff(P.indptr))
    cols = P.indices
    is_term = cols >= pv.n_concepts
    # One stable sort of all pairs' columns (pair, concepts first, -contribution, name), not one per pair.
    name_rank = pd.Index(sorted(set(pv.names.tolist()))).get_indexer(pv.names)
    order = np.lexsort((name_rank[cols], -P.data, is_term, rows))
    rows, cols, is_term = rows[order], cols[order], is_term[order]
    group = rows * 2 + is_term  # (pair, part) runs
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    position = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    n_concepts = np.bincount(rows[~is_term], minlength=n)
    concepts = _row_groups(rows[~is_term & (position < limit)], n,
                           pv.names[cols[~is_term & (position < limit)]].tolist())
    terms = _row_groups(rows[is_term & (position < term_limit)], n,
                        pv.names[cols[is_term & (position < term_limit)]].tolist(), sep=", ")
    out = []
    for r, (c, t) in enumerate(zip(concepts, terms)):
        if n_concepts[r] > limit:
            c += f"; … (+{n_concepts[r] - limit})"
        out.append("; ".join(x for x in (c, f"terms: {t}" if t else "") if x))
    return out


def paper_graph(papers: pd.DataFrame, mentions: pd.DataFrame, concepts: pd.DataFrame, *, top_k: int | None = 10,
                min_similarity: float = 0.0, generic_weight: float = 0.1, max_df="auto",
                citations: pd.DataFrame | None = None, citation_weight: float = 0.5,
                inferred_weight: float = 0.25, inc: Incidence | None = None, terms=None,
                concept_weight: float = 1.0, budget: float | None = None,
                vectors: PaperVectors | None = None, edges: pd.DataFrame | None = None,
                paper_nodes: list | None = None) -> nx.Graph:
    """Undirected paper–paper graph: similarity links, plus citation links when given.

    Papers are represented by :func:`paper_vectors` — their concepts and, when ``terms``
    (a :class:`conceptgraph.graph.terms.TermIncidence`) is given, their other words;
    links are the symmetric ``top_k`` nearest neighbours by cosine
    (:func:`similarity_edges`).
    ``citations`` (columns ``citing, cited, kind, evidence``; kind ``citation`` or
    ``inferred-citation``) adds a link for each citing pair whether or not it
    shares concepts.  A pair linked in several ways gets one edge whose ``kind``
    is the strongest (citation > inferred-citation > concept), whose ``weight``
    is the concept similarity plus ``citation_weight`` (explicit) or
    ``inferred_weight`` (inferred), and whose ``evidence`` keeps everything:
    the citation phrase(s) and the shared concepts.

    Edge attributes: ``weight`` (float), ``kind``, ``similarity`` (concept cosine),
    ``shared_concepts`` (the shared concepts "; "-joined, strongest first, then
    "terms: " and the shared terms), ``evidence`` (str)
    and, for citation kinds, ``citing`` (the citing paper's id).
    Node attributes: ``kind="paper"``, ``label``, ``title``, ``abstract``,
    ``year`` (only when known), ``concepts``, ``n_concepts``.
    ``inc``, ``vectors``, ``edges`` and ``paper_nodes``: ``incidence(papers, mentions, concepts)``,
    :func:`paper_vectors`, the similarity links (:func:`similarity_edges`) and the nodes
    (:func:`paper_nodes`) when the caller has them already.

    Examples
    --------
    >>> G = paper_graph(papers, mentions, concepts, top_k=10)  # doctest: +SKIP
    >>> G.edges["p1", "p2"]["kind"]  # doctest: +SKIP
    'concept'
    """
    inc = incidence(papers, mentions, concepts) if inc is None else inc
    labels = _concept_labels(concepts)
    pv = paper_vectors(inc, concepts, terms, generic_weight=generic_weight, max_df=max_df,
                       concept_weight=concept_weight, budget=budget) if vectors is None else vectors
    G = nx.Graph(name="paper-paper")
    G.add_nodes_from(_paper_nodes(papers, inc, labels) if paper_nodes is None else paper_nodes)
    if edges is None:
        edges = similarity_edges(pv.vectors, top_k=top_k, min_similarity=min_similarity)
    pos = {str(p): k for k, p in enumerate(inc.paper_ids)}

    cites = None
    if citations is not None and len(citations):
        cites = citations[["citing", "cited", "kind", "evidence"]].copy()
        cites["citing"] = cites["citing"].astype(str)
        cites["cited"] = cites["cited"].astype(str)
        cites = cites[cites["citing"].isin(pos) & cites["cited"].isin(pos) & (cites["citing"] != cites["cited"])]
        cites["ci"] = cites["citing"].map(pos)
        cites["cj"] = cites["cited"].map(pos)
        cites["i"] = np.minimum(cites["ci"], cites["cj"])
        cites["j"] = np.maximum(cites["ci"], cites["cj"])
        extra = cites[["i", "j"]].drop_duplicates()
        extra = extra.merge(edges[["i", "j"]], on=["i", "j"], how="left", indicator=True)
        extra = extra[extra["_merge"] == "left_only"][["i", "j"]]
        if len(extra):
            extra = extra.assign(similarity=row_dots(pv.vectors, extra["i"].to_numpy(), extra["j"].to_numpy()))
            edges = pd.concat([edges, extra], ignore_index=True).sort_values(["i", "j"], ignore_index=True)

    i, j = edges["i"].to_numpy(), edges["j"].to_numpy()
    shared = _shared_strings(pv, i, j)
    ids = np.array([str(p) for p in inc.paper_ids], dtype=object)
    G.add_edges_from((u, v, {"weight": s, "similarity": s, "kind": "concept", "shared_concepts": sh,
                             "evidence": ("shared terms: " + sh[len("terms: "):] if sh.startswith("terms: ")
                                          else f"shared concepts: {sh}") if sh else ""})
                     for u, v, s, sh in zip(ids[i].tolist(), ids[j].tolist(),
                                            edges["similarity"].to_numpy(dtype=float).tolist(), shared))
    if cites is not None and len(cites):
        bonus = {"citation": citation_weight, "inferred-citation": inferred_weight}
        cites = cites.sort_values(["citing", "cited", "kind"])
        evidence: dict[tuple, list] = {}  # edge → its citation phrases, in citation order
        for u, v, kind, ev in zip(cites["citing"].tolist(), cites["cited"].tolist(), cites["kind"].tolist(),
                                  cites["evidence"].tolist()):
            d = G.edges[u, v]
            phrase = f"{u} cites {v}" + (f" ({ev})" if isinstance(ev, str) and ev else "")
            if KIND_PRIORITY.get(kind, 0) > KIND_PRIORITY.get(d["kind"], 0):
                d["kind"] = kind
                d["citing"] = u
                d["weight"] = d["similarity"] + bonus.get(kind, 0.0)
            evidence.setdefault((u, v) if u < v else (v, u), []).append(f"[{kind}] {phrase}")
        for (u, v), ev in evidence.items():
            d = G.edges[u, v]
            d["evidence"] = " | ".join(ev + ([d["evidence"]] if d["evidence"] else []))
    return G


def cooccurrence_counts(inc: Incidence) -> sp.csr_matrix:
    """Concept × concept co-occurrence counts ``C = X^T X`` (papers naming both), diagonal zero."""
    C = (inc.binary.T @ inc.binary).tocsr()
    C.setdiag(0)
    C.eliminate_zeros()
    return C


def association_strength(C: sp.csr_matrix) -> sp.csr_matrix:
    """VOSviewer's association strength ``AS_ij = 2m c_ij / (s_i s_j)`` of a co-occurrence matrix.

    ``s_i`` is the total link strength of *i* (row sum of ``C``) and ``m`` half
    the sum of all ``s_i``; 1 means as many co-occurrences as expected by chance.

    >>> import scipy.sparse as sp, numpy as np
    >>> C = sp.csr_matrix(np.array([[0, 2, 0], [2, 0, 1], [0, 1, 0]]))
    >>> association_strength(C).toarray().round(3).tolist()  # s = [2, 3, 1], 2m = 6
    [[0.0, 2.0, 0.0], [2.0, 0.0, 2.0], [0.0, 2.0, 0.0]]
    """
    C = C.tocsr().astype(np.float64)
    s = np.asarray(C.sum(axis=1)).ravel()
    two_m = s.sum()
    inv = np.zeros_like(s)
    inv[s > 0] = 1.0 / s[s > 0]
    A = (sp.diags(inv) @ C @ sp.diags(inv)) * two_m
    return A.tocsr()


def concept_graph(papers: pd.DataFrame, mentions: pd.DataFrame, concepts: pd.DataFrame, *, min_count: int = 1,
                  top_k: int | None = None, inc: Incidence | None = None,
                  keep: np.ndarray | None = None) -> nx.Graph:
    """Concept co-occurrence graph with association-strength weights.

    Nodes: every concept (``kind="concept"``, ``label``, ``type``, ``generic``,
    ``n_papers``, ``n_mentions`` where given).  Edges: concept pairs named together by at
    least ``min_count`` papers; ``weight`` = association strength (see the module
    docstring), ``count`` = papers naming both, ``distance = 1 / count`` (for
    shortest-path measures), ``kind="cooccurrence"``, ``evidence`` = "N papers".
    ``top_k`` (None = all) keeps only each concept's ``top_k`` strongest links by
    association strength (symmetric union), for very large vocabularies.
    ``keep``: a boolean mask of the concepts the graph holds (None: all), e.g. those
    named by at least 2 papers; association strength is computed among them.
    ``inc``: ``incidence(papers, mentions, concepts)`` when the caller has it already.

    Examples
    --------
    >>> K = concept_graph(papers, mentions, concepts)  # doctest: +SKIP
    >>> K.edges["c:densenet", "c:imagenet"]["count"]  # doctest: +SKIP
    3
    """
    inc = incidence(papers, mentions, concepts) if inc is None else inc
    K = nx.Graph(name="concept-cooccurrence")
    keep = np.ones(len(concepts), dtype=bool) if keep is None else np.asarray(keep, dtype=bool)
    K.add_nodes_from(_concept_nodes(concepts, keep))
    C = cooccurrence_counts(inc)
    if not keep.all():
        mask = sp.diags(keep.astype(np.float64))
        C = (mask @ C @ mask).tocsr()
        C.eliminate_zeros()
    A = association_strength(C)
    C = sp.triu(C, k=1).tocoo()
    Aup = sp.triu(A, k=1).tocsr()
    keep = C.data >= min_count
    r, c, cnt = C.row[keep], C.col[keep], C.data[keep]
    a = np.asarray(Aup[r, c]).ravel()
    if top_k is not None and len(r):
        M = sp.csr_matrix((a, (r, c)), shape=A.shape)
        M = (M + M.T).tocsr()
        tr, tc, _ = _topk_rows(M, top_k, 0)
        sel = pd.DataFrame({"i": np.minimum(tr, tc), "j": np.maximum(tr, tc)}).drop_duplicates()
        cur = pd.DataFrame({"i": r, "j": c, "a": a, "cnt": cnt}).merge(sel, on=["i", "j"])
        r, c, a, cnt = cur["i"].to_numpy(), cur["j"].to_numpy(), cur["a"].to_numpy(), cur["cnt"].to_numpy()
    order = np.lexsort((c, r))
    ids = np.array([str(x) for x in inc.concept_ids], dtype=object)
    K.add_edges_from((u, v, {"weight": s, "count": n, "distance": 1.0 / n, "kind": "cooccurrence",
                             "evidence": f"{n} paper{'s' if n != 1 else ''}"})
                     for u, v, s, n in zip(ids[r[order]].tolist(), ids[c[order]].tolist(),
                                           a[order].astype(float).tolist(), cnt[order].astype(np.int64).tolist()))
    return K
