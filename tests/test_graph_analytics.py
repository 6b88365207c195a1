"""Centrality, communities and the ``analyse`` contract on hand-built tables."""
from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from conceptgraph.graph import GraphResult, analyse, top_concepts
from conceptgraph.graph.centrality import betweenness, concept_centrality, eigenvector, pagerank
from conceptgraph.graph.communities import bridge_concepts, cluster_table, ctfidf, louvain, louvain_core
from test_graph_fixtures import toy_corpus

SAFE = (str, int, float, bool)


@pytest.fixture(scope="module")
def result():
    papers, mentions, concepts = toy_corpus()
    return analyse(papers, mentions, concepts, top_k=3)


def test_result_contract(result):
    assert isinstance(result, GraphResult)
    assert isinstance(result.paper_graph, nx.Graph) and not result.paper_graph.is_directed()
    assert isinstance(result.citations, nx.DiGraph)
    for col in ("n_concepts", "cluster", "cluster_label", "degree", "pagerank"):
        assert col in result.papers
    for col in ("degree", "weighted_degree", "pagerank", "betweenness", "eigenvector", "rank", "cluster",
                "cluster_label"):
        assert col in result.concepts
    assert list(result.paper_edges.columns[:5]) == ["source", "target", "weight", "kind", "shared_concepts"]
    assert len(result.paper_edges) == result.paper_graph.number_of_edges()
    assert list(result.clusters.columns[:4]) == ["cluster", "size", "share", "label"]
    assert "top_concepts" in result.clusters and "top_papers" in result.clusters
    assert result.clusters["size"].sum() == len(result.papers)
    assert result.papers["cluster"].value_counts().idxmax() == 0  # 0 = largest


def test_node_and_edge_attributes_for_viz(result):
    for n, d in result.paper_graph.nodes(data=True):
        assert {"kind", "label", "title", "abstract", "cluster", "cluster_label", "pagerank", "degree",
                "concepts"} <= set(d)
        assert d["kind"] == "paper"
    for G in (result.concept_graph, result.bipartite):
        for n, d in G.nodes(data=True):
            if d["kind"] == "concept":
                assert {"label", "type", "generic", "n_papers", "cluster", "cluster_label", "pagerank"} <= set(d)
    kinds = {"concept", "citation", "inferred-citation", "cooccurrence", "mention"}
    for G in (result.paper_graph, result.concept_graph, result.bipartite, result.citations):
        for *_, d in G.edges(data=True):
            assert d["kind"] in kinds and isinstance(d["weight"], float) and isinstance(d["evidence"], str)
        for n, d in G.nodes(data=True):
            assert type(n) is str and all(isinstance(v, SAFE) for v in d.values())


def test_paper_edges_kinds_and_evidence(result):
    e = result.paper_edges.set_index(["source", "target"])
    assert e.loc[("p_nnunet", "p_unet"), "kind"] == "inferred-citation"  # citing paper first
    assert 'writes "U-Net"' in e.loc[("p_nnunet", "p_unet"), "shared_concepts"]
    assert e.loc[("p_resnet", "p_dense"), "kind"] == "citation"
    concept_rows = result.paper_edges[result.paper_edges["kind"] == "concept"]
    assert (concept_rows["source"] < concept_rows["target"]).all()
    assert result.paper_edges.equals(result.paper_edges.sort_values(["source", "target"]).reset_index(drop=True))


def test_clusters_separate_topics_and_labels_are_specific(result):
    cl = dict(zip(result.papers["id"], result.papers["cluster"]))
    assert cl["p_q1"] == cl["p_q2"] == cl["p_q3"]
    assert cl["p_g1"] == cl["p_g2"] == cl["p_g3"]
    assert cl["p_q1"] != cl["p_g1"] != cl["p_unet"]
    labels = " ".join(result.clusters["label"])
    assert "deep neural network" not in labels and "accuracy" not in labels
    q = result.clusters.loc[cl["p_q1"], "label"]
    assert "quantization" in q and "mixed precision" in q


def test_determinism():
    papers, mentions, concepts = toy_corpus()
    a = analyse(papers, mentions, concepts, top_k=3, seed=7)
    b = analyse(papers.sample(frac=1, random_state=1).reset_index(drop=True), mentions, concepts, top_k=3, seed=7)
    pd.testing.assert_frame_equal(a.concepts, analyse(papers, mentions, concepts, top_k=3, seed=7).concepts)
    pd.testing.assert_frame_equal(a.paper_edges, b.paper_edges)
    pd.testing.assert_frame_equal(a.clusters, b.clusters)


def test_concept_side_in_a_second_process_gives_the_same_result(result, monkeypatch):
    import conceptgraph.graph as graph

    monkeypatch.setattr(graph, "PARALLEL_MIN_PAPERS", 0)  # the toy corpus is far below the threshold
    papers, mentions, concepts = toy_corpus()
    parallel = analyse(papers, mentions, concepts, top_k=3, jobs=2)
    for name in ("papers", "concepts", "paper_edges", "clusters", "bridges", "concept_clusters", "introductions",
                 "citation_edges"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(parallel, name))
    assert result.report == parallel.report
    for name in ("paper_graph", "concept_graph", "bipartite", "citations"):
        a, b = getattr(result, name), getattr(parallel, name)
        assert list(a.nodes(data=True)) == list(b.nodes(data=True))
        assert list(a.edges(data=True)) == list(b.edges(data=True))


def test_top_concepts(result):
    top = top_concepts(result.concepts, n=5)
    assert len(top) == 5 and not top["generic"].any()
    assert list(top["pagerank"]) == sorted(top["pagerank"], reverse=True)
    ds = top_concepts(result.concepts, type="dataset", n=20)
    assert set(ds["type"]) == {"dataset"} and "ImageNet" in set(ds["label"])
    assert "deep neural network" in set(top_concepts(result.concepts, n=50, include_generic=True)["label"])


def test_concept_centrality_measures():
    K = nx.Graph()
    K.add_edge("hub", "a", count=3, distance=1 / 3)
    K.add_edge("hub", "b", count=1, distance=1.0)
    K.add_edge("hub", "c", count=1, distance=1.0)
    K.add_edge("a", "b", count=1, distance=1.0)
    K.add_node("alone")
    df = concept_centrality(K).set_index("concept_id")
    assert df.loc["hub", "rank"] == 1 and df.loc["hub", "degree"] == 3 and df.loc["hub", "weighted_degree"] == 5
    assert df.loc["hub", "betweenness"] > 0 and df.loc["alone", "betweenness"] == 0
    assert df.loc["alone", "eigenvector"] == 0 and df.loc["hub", "eigenvector"] > df.loc["c", "eigenvector"]
    assert sorted(df["rank"]) == list(range(1, 6))


@pytest.mark.parametrize("exact_limit", [5000, 10])
def test_concept_centrality_equals_the_graph_measures(exact_limit):
    # concept_centrality computes PageRank and eigenvector centrality from one matrix (the
    # latter's largest component cut out of it) and betweenness from one pass over the edges:
    # the numbers must be those of the networkx-based measures, to the last bit. Two largest
    # components of equal size (the tie rule), a self-loop, a smaller component and an isolate.
    K = nx.Graph()
    for name in ("m", "b"):
        for i in range(12):
            K.add_edge(f"{name}{i}", f"{name}{(i * 5 + 3) % 12}", count=1 + i % 4, distance=1 / (1 + i % 4))
            K.add_edge(f"{name}{i}", f"{name}{(i + 1) % 12}", count=2, distance=0.5)
    K.add_edge("m3", "m3", count=2, distance=0.5)
    K.add_edge("x", "y", count=1, distance=1.0)
    K.add_node("alone")
    df = concept_centrality(K, exact_limit=exact_limit, k=8).set_index("concept_id")
    pr, ev = pagerank(K, weight="count"), eigenvector(K, weight="count")
    reference = nx.pagerank(K, alpha=0.85, weight="count", max_iter=500, tol=1e-10)
    bt = betweenness(K, weight="distance", exact_limit=exact_limit, k=8)
    for n in K:
        assert df.loc[n, "pagerank"] == round(pr[n], 12) == round(reference[n], 12)
        assert df.loc[n, "eigenvector"] == round(ev[n], 12)
        assert df.loc[n, "betweenness"] == round(bt[n], 12)
    assert df.loc["b0", "eigenvector"] == 0 < df.loc["m0", "eigenvector"]  # "m..." > "b..." wins the tie


def test_eigenvector_is_the_same_on_every_call():
    # ARPACK's default start vector is random and its generator runs on between calls:
    # networkx's eigenvector_centrality_numpy differs in the last digits the second time.
    G = nx.gnm_random_graph(300, 1500, seed=3)
    for u, v in G.edges:
        G[u][v]["weight"] = 1 + (u * v) % 7
    first = eigenvector(G)
    assert eigenvector(G) == first
    reference = nx.eigenvector_centrality(G, weight="weight", max_iter=1000, tol=1e-12)
    assert max(abs(first[n] - reference[n]) for n in G) < 1e-6


def test_sampled_betweenness_is_seeded():
    G = nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=1)
    a = betweenness(G, weight=None, exact_limit=100, k=50, seed=3)
    b = betweenness(G, weight=None, exact_limit=100, k=50, seed=3)
    assert a == b
    assert eigenvector(nx.Graph()) == {}


def test_louvain_numbering_and_resolution():
    G = nx.connected_caveman_graph(6, 5)
    part = louvain(G, seed=1)
    sizes = pd.Series(part).value_counts()
    assert sorted(part.values())[0] == 0 and len(sizes) == 6
    assert len(set(louvain(G, resolution=0.05, seed=1).values())) < 6
    iso = nx.Graph()
    iso.add_nodes_from("ab")
    assert sorted(louvain(iso).values()) == [0, 1]


def test_ctfidf_prefers_distinctive_over_frequent():
    T = sp.csr_matrix(np.array([[10, 4, 0], [10, 0, 4], [10, 0, 0]]))
    S = ctfidf(T).toarray()
    assert S[0, 1] > S[0, 0]  # concept 1 is rarer overall, distinctive for cluster 0


def test_cluster_table_and_bridges():
    X = sp.csr_matrix(np.array([[1, 1, 0, 1], [1, 1, 0, 1], [0, 1, 1, 1], [0, 1, 1, 0], [0, 0, 1, 1]]))
    concepts = pd.DataFrame({"concept_id": list("abcd"), "label": ["alpha", "beta", "gamma", "generic thing"],
                             "generic": [False, False, False, True], "type": "method"})
    clusters = np.array([0, 0, 1, 1, 1])
    table = cluster_table(clusters, X, concepts)
    assert table["size"].tolist() == [2, 3]
    assert table.loc[0, "label"].startswith("alpha") and table.loc[1, "label"].startswith("gamma")
    assert "generic thing" not in " ".join(table["top_concepts"])
    br = bridge_concepts(X, clusters, concepts, min_papers=2)
    assert br["concept_id"].tolist()[0] == "b" and "d" not in set(br["concept_id"])
    assert br.loc[0, "n_clusters"] == 2 and 0 < br.loc[0, "participation"] <= 0.5


def test_louvain_core_attaches_leaves():
    G = nx.connected_caveman_graph(4, 5)
    nx.set_edge_attributes(G, 1, "count")
    G.add_edge(0, "leaf", count=1)
    G.add_edge(0, "leaf2", count=1)
    G.add_edge(7, "leaf2", count=3)  # strongest link wins
    G.add_edge("x", "y", count=1)  # no core neighbour: clustered on its own
    part = louvain_core(G, [n for n in G if isinstance(n, int)], weight=None)
    assert part["leaf"] == part[0] and part["leaf2"] == part[7] and part["x"] == part["y"] != part[0]
    assert min(part.values()) == 0


@pytest.mark.parametrize("n_papers", [1, 3])
def test_corpus_without_concepts(n_papers, tmp_path):
    from conceptgraph.graph import write_exports

    papers = pd.DataFrame({"id": [f"p{i}" for i in range(n_papers)], "title": "", "abstract": "it is what it is"})
    concepts = pd.DataFrame(columns=["concept_id", "label", "type", "aliases", "generic", "n_papers", "n_mentions"])
    mentions = pd.DataFrame(columns=["paper_id", "field", "start", "end", "text", "type", "concept_id"])
    r = analyse(papers, mentions, concepts)
    assert len(r.papers) == n_papers and r.paper_graph.number_of_edges() == 0 and len(r.concepts) == 0
    # papers linked to nothing are unclustered, not one-paper clusters
    assert (r.papers["cluster"] == -1).all() and len(r.bridges) == 0
    assert r.clusters[["cluster", "size", "label"]].values.tolist() == [[-1, n_papers, "unclustered"]]
    assert write_exports(r, tmp_path)
