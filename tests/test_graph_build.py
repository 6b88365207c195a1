"""Graph construction: incidence, paper–paper similarity and pruning, co-occurrence, bipartite."""
from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from conceptgraph.graph import build
from conceptgraph.graph.build import (association_strength, bipartite_graph, concept_graph, concept_weights,
                                      incidence, paper_graph, paper_label, paper_similarity)
from test_graph_fixtures import toy_corpus

SAFE = (str, int, float, bool)


@pytest.fixture(scope="module")
def toy():
    return toy_corpus()


def test_incidence_shapes_and_counts(toy):
    papers, mentions, concepts = toy
    inc = incidence(papers, mentions, concepts)
    assert inc.binary.shape == (len(papers), len(concepts))
    pairs = mentions[["paper_id", "concept_id"]].drop_duplicates()
    assert inc.binary.nnz == len(pairs)
    assert inc.counts.sum() == len(mentions)
    unknown = pd.concat([mentions, mentions.head(1).assign(concept_id="nope")])
    assert incidence(papers, unknown, concepts).binary.nnz == len(pairs)


def _random_incidence(n=60, c=40, seed=0):
    rng = np.random.default_rng(seed)
    X = (rng.random((n, c)) < 0.12).astype(float)
    papers = pd.DataFrame({"id": [f"p{i:03d}" for i in range(n)]})
    concepts = pd.DataFrame({"concept_id": [f"c{j:03d}" for j in range(c)], "generic": rng.random(c) < 0.1})
    r, col = np.nonzero(X)
    mentions = pd.DataFrame({"paper_id": papers["id"].to_numpy()[r], "concept_id": concepts["concept_id"].to_numpy()[col],
                             "field": "abstract"})
    return papers, mentions, concepts, X


def test_sparse_similarity_equals_dense_cosine():
    papers, mentions, concepts, X = _random_incidence()
    inc = incidence(papers, mentions, concepts)
    w = concept_weights(inc, concepts["generic"].to_numpy(), max_df=None)
    V = X * w
    norms = np.linalg.norm(V, axis=1)
    norms[norms == 0] = 1
    V = V / norms[:, None]
    S = V @ V.T
    np.fill_diagonal(S, 0)
    edges = paper_similarity(inc, w, top_k=None, block_rows=7)  # several blocks
    dense = {(i, j): S[i, j] for i, j in zip(*np.nonzero(np.triu(S > 1e-12, 1)))}
    got = {(i, j): s for i, j, s in edges.itertuples(index=False)}
    assert set(got) == set(dense)
    assert all(abs(got[k] - dense[k]) < 1e-9 for k in got)


def test_topk_pruning_rule_is_symmetric_knn_union():
    papers, mentions, concepts, X = _random_incidence(seed=3)
    inc = incidence(papers, mentions, concepts)
    w = concept_weights(inc, None, max_df=None)
    full = paper_similarity(inc, w, top_k=None)
    k = 3
    pruned = paper_similarity(inc, w, top_k=k, block_rows=11)
    # expected: pair kept iff among the k best of either endpoint (ties: smaller index first)
    nbrs: dict[int, list] = {}
    for i, j, s in full.itertuples(index=False):
        nbrs.setdefault(i, []).append((-s, j))
        nbrs.setdefault(j, []).append((-s, i))
    expected = set()
    for i, lst in nbrs.items():
        for _, j in sorted(lst)[:k]:
            expected.add((min(i, j), max(i, j)))
    assert set(zip(pruned["i"], pruned["j"])) == expected
    assert len(pruned) <= k * len(papers)


def test_generic_concepts_count_little():
    papers = pd.DataFrame({"id": ["a", "b", "c", "d"], "title": "", "abstract": ""})
    concepts = pd.DataFrame({"concept_id": ["gen", "spec", "x", "y", "z"], "label": ["deep network", "DenseNet", "x", "y", "z"],
                             "generic": [True, False, False, False, False]})
    mentions = pd.DataFrame({"paper_id": ["a", "a", "b", "b", "c", "c", "d", "d"],
                             "concept_id": ["gen", "x", "gen", "y", "spec", "z", "spec", "x"], "field": "abstract"})
    inc = incidence(papers, mentions, concepts)
    w = concept_weights(inc, concepts["generic"].to_numpy(), max_df=None)
    assert w[0] < 0.2 * w[1]  # same document frequency, generic weighs 10x less
    e = paper_similarity(inc, w, top_k=None).set_index(["i", "j"])["similarity"]
    assert e[(0, 1)] < e[(2, 3)]  # sharing a generic concept links less than sharing a specific one


def test_max_df_drops_hub_concepts():
    papers, mentions, concepts, X = _random_incidence()
    inc = incidence(papers, mentions, concepts)
    df = inc.df
    w = concept_weights(inc, None, max_df=0.1)
    assert (w[df > 6] == 0).all() and (w[(df >= 2) & (df <= 6)] > 0).all()
    assert build._max_df_count("auto", 100_000) == 2000


def test_paper_graph_attributes_are_graphml_safe(toy):
    papers, mentions, concepts = toy
    G = paper_graph(papers, mentions, concepts, top_k=3)
    assert set(G.nodes) == set(papers["id"])
    for n, d in G.nodes(data=True):
        assert d["kind"] == "paper" and len(d["label"]) <= 60
        assert "year" not in d  # unknown years are omitted, not None
        assert all(isinstance(v, SAFE) for v in d.values())
    for u, v, d in G.edges(data=True):
        assert d["kind"] == "concept" and isinstance(d["weight"], float)
        assert all(isinstance(x, SAFE) for x in d.values())
    # the topics stay apart: no concept link between quantization and GNN papers
    assert not any({u[:3], v[:3]} == {"p_q", "p_g"} for u, v in G.edges)
    assert "U-Net" in G.edges["p_ext", "p_nnunet"]["shared_concepts"]


def test_paper_graph_merges_citations_strongest_kind_wins(toy):
    papers, mentions, concepts = toy
    cites = pd.DataFrame({"citing": ["p_g2", "p_g2", "p_q1"], "cited": ["p_g1", "p_g1", "p_g1"],
                          "kind": ["inferred-citation", "citation", "inferred-citation"],
                          "evidence": ["names GNN", "reference matched", "names nothing"]})
    G = paper_graph(papers, mentions, concepts, top_k=3, citations=cites)
    d = G.edges["p_g1", "p_g2"]
    assert d["kind"] == "citation" and d["citing"] == "p_g2"
    assert "names GNN" in d["evidence"] and "reference matched" in d["evidence"] and "shared concepts" in d["evidence"]
    assert d["weight"] == pytest.approx(d["similarity"] + 0.5)
    assert G.edges["p_q1", "p_g1"]["kind"] == "inferred-citation"  # linked although no concept is shared


def test_association_strength_is_observed_over_expected():
    C = sp.csr_matrix(np.array([[0, 4, 1], [4, 0, 1], [1, 1, 0]], dtype=float))
    A = association_strength(C).toarray()
    s = C.toarray().sum(1)
    assert A[0, 1] == pytest.approx(s.sum() * 4 / (s[0] * s[1]))
    assert A[0, 1] > A[0, 2] and A[0, 1] == A[1, 0]


def test_concept_graph(toy):
    papers, mentions, concepts = toy
    K = concept_graph(papers, mentions, concepts)
    assert set(K.nodes) == set(concepts["concept_id"])
    d = K.edges["c_quant", "c_mixed"]
    assert d["count"] == 3 and d["kind"] == "cooccurrence" and d["weight"] > 1
    assert K.nodes["c_dnn"]["generic"] is True and K.nodes["c_unet"]["type"] == "architecture"
    assert not K.has_edge("c_quant", "c_cora")
    pruned = concept_graph(papers, mentions, concepts, top_k=2)
    assert pruned.number_of_edges() < K.number_of_edges()
    assert concept_graph(papers, mentions, concepts, min_count=2).number_of_edges() < K.number_of_edges()


def test_bipartite_graph(toy):
    papers, mentions, concepts = toy
    B = bipartite_graph(papers, mentions, concepts)
    assert nx.is_bipartite(B)
    assert B.number_of_edges() == len(mentions[["paper_id", "concept_id"]].drop_duplicates())
    e = B.edges["p_d3net", "concept:c_densenet"]
    assert e["kind"] == "mention" and e["evidence"] == "title; abstract" and e["weight"] >= 2
    assert B.nodes["concept:c_unet"]["kind"] == "concept" and B.nodes["p_unet"]["kind"] == "paper"
    assert B.nodes["concept:c_unet"]["concept_id"] == "c_unet" and B.graph["concept_prefix"] == "concept:"


def test_bipartite_graph_paper_id_equal_to_concept_id():
    """A BibTeX key such as ``bert`` equal to a concept id is no clash (issue 22 item 1, issue 20 item 1)."""
    papers = pd.DataFrame({"id": ["bert", "concept:gpt", "p3"], "title": ["BERT", "GPT", "Both"],
                           "abstract": ["We propose BERT.", "We use GPT.", "BERT and GPT."]})
    concepts = pd.DataFrame({"concept_id": ["bert", "gpt"], "label": ["BERT", "GPT"], "generic": [False, False]})
    mentions = pd.DataFrame({"paper_id": ["bert", "concept:gpt", "p3", "p3"], "concept_id": ["bert", "gpt", "bert", "gpt"],
                             "field": ["abstract"] * 4})
    B = bipartite_graph(papers, mentions, concepts)
    prefix = B.graph["concept_prefix"]
    assert prefix == "concept::"  # a paper id starts with "concept:", so the concepts' prefix grows
    assert B.nodes["bert"]["kind"] == "paper" and B.nodes[prefix + "bert"]["kind"] == "concept"
    assert B.nodes["concept:gpt"]["kind"] == "paper" and B.nodes[prefix + "gpt"]["kind"] == "concept"
    assert B.has_edge("bert", prefix + "bert") and nx.is_bipartite(B)
    assert B.number_of_nodes() == 5


def test_paper_label():
    assert paper_label("", "word " * 40).endswith("…")
    assert len(paper_label("A" * 200, "")) <= 60
    assert paper_label(None, None) == ""


def test_empty_inputs():
    papers = pd.DataFrame({"id": ["a", "b"], "title": ["x", "y"], "abstract": ["", ""]})
    concepts = pd.DataFrame({"concept_id": [], "label": [], "generic": []})
    mentions = pd.DataFrame({"paper_id": [], "concept_id": [], "field": []})
    G = paper_graph(papers, mentions, concepts)
    assert G.number_of_nodes() == 2 and G.number_of_edges() == 0


def test_term_incidence_min_df_keeps_the_columns_of_the_full_matrix():
    # term_incidence names and sorts only the phrase terms of >= min_df papers: the result must be
    # the min_df=1 matrix cut down to those columns, in the same order.
    from conceptgraph.graph.terms import term_incidence

    papers = pd.DataFrame({"title": ["Graph neural networks", "Neural networks for graphs", "Query optimization",
                                     ""],
                           "abstract": ["We train graph neural networks; query optimization.",
                                        "Graph neural nets. Neural networks (again).",
                                        "Query optimization of neural networks, graph queries.", "Graphs."]})
    full, cut = term_incidence(papers, min_df=1), term_incidence(papers, min_df=2)
    df = np.diff(full.counts.tocsc().indptr)
    keep = np.flatnonzero(df >= 2)
    assert cut.terms.tolist() == full.terms[keep].tolist() and "neural network" in cut.terms.tolist()
    assert cut.phrase.tolist() == full.phrase[keep].tolist() and cut.phrase.any()
    assert (cut.counts != full.counts[:, keep]).nnz == 0
