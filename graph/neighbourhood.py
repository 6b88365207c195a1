"""Neighbourhoods: what surrounds one concept or one paper, from the analytics tables.

Both functions take the tables that ``analyse`` returns (or that ``build``
wrote as CSV), so they answer for the last build without recomputing it.
"""
from __future__ import annotations

import networkx as nx
import pandas as pd

from .build import concept_prefix

__all__ = ["find_concept", "find_paper", "concept_neighbourhood", "paper_neighbourhood"]


def _fold(text) -> str:
    return " ".join(str(text).lower().replace("-", " ").split())


def find_concept(concepts: pd.DataFrame, query: str) -> str | None:
    """The concept id that ``query`` names: an id, a label or an alias (case and hyphens folded).

    >>> concepts = pd.DataFrame({"concept_id": ["densenet"], "label": ["DenseNet"],
    ...                          "aliases": [["DenseNets", "Dense Convolutional Network"]]})
    >>> find_concept(concepts, "dense convolutional network")
    'densenet'
    """
    key = _fold(query)
    for column in ("concept_id", "label"):
        hit = concepts.loc[concepts[column].map(_fold) == key, "concept_id"]
        if len(hit):
            return str(hit.iloc[0])
    for concept_id, aliases in zip(concepts["concept_id"], concepts["aliases"]):
        names = aliases if isinstance(aliases, (list, tuple)) else str(aliases or "").split("; ")
        if any(_fold(a) == key for a in names):
            return str(concept_id)
    return None


def find_paper(papers: pd.DataFrame, query: str, *, exact: bool = False) -> str | None:
    """The paper id that ``query`` names: an id, an exact title, or (unless ``exact``) the one title containing it.

    >>> papers = pd.DataFrame({"id": ["p1", "p2"], "title": ["U-Net: Convolutional Networks", "nnU-Net Revisited"]})
    >>> find_paper(papers, "revisited")
    'p2'
    """
    if query in set(papers["id"]):
        return query
    titles = papers["title"].fillna("").map(_fold)
    key = _fold(query)
    same_title = papers.loc[titles == key, "id"]
    if len(same_title):
        return str(same_title.iloc[0])
    if exact:
        return None
    contains = papers.loc[titles.str.contains(key, regex=False) & (key != ""), "id"]
    return str(contains.iloc[0]) if len(contains) == 1 else None


def _paper_node(row) -> dict:
    node = {"kind": "paper", "label": (row.get("title") or row["id"])[:60], "title": row.get("title") or "",
            "cluster": int(row.get("cluster", 0)), "cluster_label": str(row.get("cluster_label", "")),
            "pagerank": float(row.get("pagerank", 0.0) or 0.0)}
    if isinstance(row.get("abstract"), str):
        node["abstract"] = row["abstract"]
    if pd.notna(row.get("year")):
        node["year"] = int(row["year"])
    return node


def _concept_node(row) -> dict:
    return {"kind": "concept", "label": str(row["label"]), "type": str(row["type"]),
            "generic": bool(row.get("generic", False)), "n_papers": int(row.get("n_papers", 0)),
            "cluster": int(row.get("cluster", 0)), "cluster_label": str(row.get("cluster_label", "")),
            "pagerank": float(row.get("pagerank", 0.0) or 0.0)}


def concept_neighbourhood(concept_id: str, papers: pd.DataFrame, mentions: pd.DataFrame,
                          concepts: pd.DataFrame, *, max_papers: int = 40,
                          max_concepts: int = 15) -> tuple[nx.Graph, pd.DataFrame]:
    """The papers that name a concept and the concepts named with it most often.

    Returns
    -------
    graph : paper–concept graph (the concept, its papers, its strongest co-concepts),
        with the node ids and the node and edge attributes of the bipartite graph
        (concept nodes ``concept:<id>``, see :func:`conceptgraph.graph.build.concept_prefix`).
    table : one row per paper naming the concept: ``paper_id, title, year, cluster,
        n_mentions, as_written`` (the distinct surface forms), most mentions first.

    Examples
    --------
    >>> G, table = concept_neighbourhood("densenet", papers, mentions, concepts)  # doctest: +SKIP
    """
    hits = mentions[mentions["concept_id"] == concept_id]
    per_paper = (hits.groupby("paper_id")
                 .agg(n_mentions=("text", "size"), as_written=("text", lambda t: "; ".join(sorted(set(t)))))
                 .reset_index())
    info = papers.set_index("id")
    per_paper["title"] = per_paper["paper_id"].map(info["title"]).fillna("")
    per_paper["year"] = per_paper["paper_id"].map(info["year"]) if "year" in info else pd.NA
    per_paper["cluster"] = per_paper["paper_id"].map(info["cluster"]) if "cluster" in info else pd.NA
    table = (per_paper.sort_values(["n_mentions", "paper_id"], ascending=[False, True])
             [["paper_id", "title", "year", "cluster", "n_mentions", "as_written"]].reset_index(drop=True))

    shown = table["paper_id"].head(max_papers).tolist()
    concept_rows = concepts.set_index("concept_id")
    prefix = concept_prefix(papers["id"].tolist())  # a paper id may equal a concept id ("bert")
    G = nx.Graph(concept_prefix=prefix)
    G.add_node(prefix + concept_id, **_concept_node(concept_rows.loc[concept_id].to_dict()), concept_id=concept_id)
    for pid in shown:
        G.add_node(pid, **_paper_node(info.loc[pid].to_dict() | {"id": pid}))
        G.add_edge(pid, prefix + concept_id, kind="mention", weight=1.0,
                   evidence=f"names {concept_rows.at[concept_id, 'label']}")
    others = mentions[mentions["paper_id"].isin(shown) & (mentions["concept_id"] != concept_id)]
    co = (others.drop_duplicates(["paper_id", "concept_id"]).groupby("concept_id").size()
          .sort_values(ascending=False, kind="stable"))
    for other in sorted(co.head(max_concepts).index):
        G.add_node(prefix + other, **_concept_node(concept_rows.loc[other].to_dict()), concept_id=other)
        for pid in sorted(set(others.loc[others["concept_id"] == other, "paper_id"])):
            G.add_edge(pid, prefix + other, kind="mention", weight=1.0, evidence="")
    return G, table


def paper_neighbourhood(paper_id: str, papers: pd.DataFrame, mentions: pd.DataFrame,
                        concepts: pd.DataFrame, paper_edges: pd.DataFrame, *,
                        max_neighbours: int = 25) -> tuple[nx.Graph, pd.DataFrame]:
    """A paper's strongest links (concept, citation and inferred-citation) and why.

    Returns
    -------
    graph : the ego paper graph (the paper and its neighbours, edges with
        ``weight, kind, evidence``).
    table : one row per neighbour: ``paper_id, title, kind, direction, weight,
        evidence`` (shared concepts, or the phrase that revealed a citation).

    Examples
    --------
    >>> G, table = paper_neighbourhood("p1", papers, mentions, concepts, paper_edges)  # doctest: +SKIP
    """
    edges = paper_edges[(paper_edges["source"] == paper_id) | (paper_edges["target"] == paper_id)].copy()
    edges["paper_id"] = edges["target"].where(edges["source"] == paper_id, edges["source"])
    citation = edges["kind"] != "concept"
    edges["direction"] = ""
    edges.loc[citation & (edges["source"] == paper_id), "direction"] = "cites"
    edges.loc[citation & (edges["target"] == paper_id), "direction"] = "cited by"
    info = papers.set_index("id")
    edges["title"] = edges["paper_id"].map(info["title"]).fillna("")
    edges["evidence"] = edges["shared_concepts"].fillna("")
    table = (edges.sort_values(["weight", "paper_id"], ascending=[False, True])
             [["paper_id", "title", "kind", "direction", "weight", "evidence"]]
             .head(max_neighbours).reset_index(drop=True))

    labels = dict(zip(concepts["concept_id"], concepts["label"]))
    own = mentions.loc[mentions["paper_id"] == paper_id, "concept_id"]
    G = nx.Graph()
    for pid in [paper_id] + table["paper_id"].tolist():
        node = _paper_node(info.loc[pid].to_dict() | {"id": pid})
        names = mentions.loc[mentions["paper_id"] == pid, "concept_id"].drop_duplicates()
        node["concepts"] = "; ".join(labels.get(c, c) for c in names)
        G.add_node(pid, **node)
    for row in table.itertuples():
        G.add_edge(paper_id, row.paper_id, weight=float(row.weight), kind=row.kind, evidence=row.evidence)
    G.graph["concepts"] = "; ".join(labels.get(c, c) for c in own.drop_duplicates())
    return G, table
