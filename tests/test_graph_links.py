"""Links, clusters, inferred citations and concept-graph pruning (issue 18, graph parts of 19 and 22)."""
from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp
import pandas as pd

from conceptgraph.graph import analyse, top_concepts
from conceptgraph.graph.centrality import betweenness_sources, concept_centrality
from conceptgraph.graph.citations import inferred_citations, is_coined
from conceptgraph.graph.communities import leiden, merge_small_clusters
from test_graph_fixtures import toy_corpus


def _mentions(rows):
    return pd.DataFrame(rows, columns=["paper_id", "field", "start", "end", "text", "type", "concept_id"])


def test_papers_sharing_words_but_no_concept_are_linked_with_the_words_as_evidence():
    papers = pd.DataFrame({"id": ["a", "b", "c"], "title": ["Replica placement", "Replica placement again", "Cooking"],
                           "abstract": ["Replica placement for mirrored archives under churn.",
                                        "Placement of replica sets for mirrored archives under heavy churn.",
                                        "Slow roasting of vegetables."]})
    concepts = pd.DataFrame({"concept_id": [], "label": [], "type": [], "generic": []})
    r = analyse(papers, _mentions([]), concepts)
    edge = r.paper_edges[(r.paper_edges["source"] == "a") & (r.paper_edges["target"] == "b")]
    assert len(edge) == 1
    assert edge["shared_concepts"].item().startswith("terms: ") and "replica" in edge["shared_concepts"].item()
    assert not ((r.paper_edges["source"] == "c") | (r.paper_edges["target"] == "c")).any()
    # concepts only: no link at all
    assert len(analyse(papers, _mentions([]), concepts, use_terms=False).paper_edges) == 0


def test_shared_concepts_come_before_shared_terms():
    papers, mentions, concepts = toy_corpus()
    r = analyse(papers, mentions, concepts)
    row = r.paper_edges[(r.paper_edges["kind"] == "concept") & r.paper_edges["shared_concepts"].str.contains("; terms: ")]
    assert len(row)
    first = row["shared_concepts"].iloc[0]
    labels = set(concepts["label"])
    assert first.split("; ")[0] in labels  # a typed concept first
    assert first.index("terms: ") > 0


def test_coined_names():
    assert is_coined("DenseNet") and is_coined("U-Net") and is_coined("KQML") and is_coined("ATNoSFERES")
    assert not is_coined("VISION") and not is_coined("TIME") and not is_coined("OPEN") and not is_coined("AWARE")
    assert not is_coined("Transformer") and not is_coined("XML") and not is_coined("CNNs")
    assert not is_coined("stochastic depth") and not is_coined("vision")


def _intro_corpus(name: str, n_citers: int, lower: bool = False):
    """One paper titled "<name>: ...", ``n_citers`` papers naming it (in lower case when ``lower``)."""
    cid = name.lower()
    ids = ["intro"] + [f"c{i:02d}" for i in range(n_citers)]
    written = name.lower() if lower else name
    titles = [f"{name}: a new approach to seeing"] + [f"Study {i}" for i in range(n_citers)]
    abstracts = [f"We present {name}."] + [f"We build on {written} for our task number {i}." for i in range(n_citers)]
    papers = pd.DataFrame({"id": ids, "title": titles, "abstract": abstracts})
    rows = [("intro", "title", 0, len(name), name, "method", cid)]
    rows += [(p, "abstract", 12, 12 + len(name), written, "method", cid) for p in ids[1:]]
    concepts = pd.DataFrame({"concept_id": [cid], "label": [name], "type": ["method"], "generic": [False],
                             "aliases": [[]]})
    return papers, _mentions(rows), concepts


def test_english_word_in_capitals_is_not_introduced():
    """A paper titled "VISION: ..." got 6,712 "citers" from the word vision on 50,000 papers."""
    papers, mentions, concepts = _intro_corpus("VISION", 5, lower=True)
    assert len(inferred_citations(papers, mentions, concepts)) == 0


def test_inferred_citations_are_case_sensitive():
    papers, mentions, concepts = _intro_corpus("ZorbNet", 5, lower=True)  # "zorbnet" is not "ZorbNet"
    assert len(inferred_citations(papers, mentions, concepts)) == 0
    papers, mentions, concepts = _intro_corpus("ZorbNet", 5)
    inf = inferred_citations(papers, mentions, concepts)
    assert len(inf) == 5 and set(inf["cited"]) == {"intro"}
    assert inf["evidence"].str.contains('writes "ZorbNet"').all()


def test_inferred_in_degree_is_capped_and_reported():
    papers, mentions, concepts = _intro_corpus("ZorbNet", 30)
    inf = inferred_citations(papers, mentions, concepts)
    report = inf.attrs["report"]
    assert report["max_citers"] == 10 and len(inf) == 10
    assert report["papers_capped"] == 1 and report["edges_dropped_by_cap"] == 20
    assert report["in_degree"] == {10: 1}


def test_a_name_many_earlier_papers_wrote_is_not_introduced():
    papers, mentions, concepts = _intro_corpus("ZorbNet", 6)
    papers["year"] = [2020, 2010, 2011, 2012, 2021, 2022, 2023]
    assert len(inferred_citations(papers, mentions, concepts)) == 0  # 3 earlier users > 2
    papers["year"] = [2020, 2010, 2021, 2021, 2021, 2022, 2023]
    inf = inferred_citations(papers, mentions, concepts)
    assert sorted(inf["citing"]) == ["c01", "c02", "c03", "c04", "c05"]  # no citation of a later paper


def test_leiden_is_seeded_and_repeatable():
    G = nx.relaxed_caveman_graph(8, 6, 0.2, seed=3)
    assert leiden(G, seed=1) == leiden(G, seed=1)
    assert len(set(leiden(G, seed=1).values())) >= 4


def test_small_clusters_join_their_neighbour_or_stay_unclustered():
    G = nx.barbell_graph(6, 0)
    G.add_edge(11, "x")
    G.add_edge("x", "y")
    G.add_nodes_from(["alone1", "alone2"])
    G.add_edge("alone1", "alone2")
    part = {**{n: 0 for n in range(6)}, **{n: 1 for n in range(6, 12)}, "x": 2, "y": 2, "alone1": 3, "alone2": 3}
    out = merge_small_clusters(G, part, min_size=3)
    assert out["x"] == out["y"] == out[11]
    assert out["alone1"] == out["alone2"] == -1
    assert sorted(set(out.values())) == [-1, 0, 1]


def test_paper_clusters_have_no_tiny_clusters_and_a_row_for_unclustered():
    papers, mentions, concepts = toy_corpus()
    extra = pd.DataFrame({"id": ["lonely"], "title": ["Zzz"], "abstract": ["Qqq."]})
    r = analyse(pd.concat([papers, extra], ignore_index=True), mentions, concepts, min_cluster_size=2)
    sizes = r.clusters.set_index("cluster")["size"]
    assert (sizes.drop(-1) >= 2).all()
    assert r.papers.set_index("id").at["lonely", "cluster"] == -1 and sizes[-1] == 1
    assert "cluster" not in r.paper_graph.nodes["lonely"]  # the map shows it as "no cluster"
    assert r.report["paper_clusters"]["unclustered_papers"] == 1


def test_concept_graph_holds_concepts_of_two_papers_or_more():
    papers, mentions, concepts = toy_corpus()
    r = analyse(papers, mentions, concepts)
    n_papers = mentions.drop_duplicates(["paper_id", "concept_id"]).groupby("concept_id").size()
    kept = set(n_papers[n_papers >= 2].index)
    assert set(r.concept_graph.nodes) == kept
    assert {r.bipartite.nodes[n]["concept_id"] for n in r.bipartite if r.bipartite.nodes[n]["kind"] == "concept"} == kept
    single = r.concepts[~r.concepts["concept_id"].isin(kept)]
    assert len(single) and (single["cluster"] == -1).all() and (single["degree"] == 0).all()
    assert (~single["in_concept_graph"]).all() and r.concepts["in_concept_graph"].sum() == len(kept)
    assert r.report["concept_graph"]["concepts_left_out"] == len(single)
    assert r.report["concept_graph"]["betweenness"].startswith("exact, on ")
    # singletons keep their mentions
    assert set(single["concept_id"]) <= set(mentions["concept_id"])
    # and are no "top concepts": their centrality is 0 because they are left out
    top = top_concepts(r.concepts, n=len(r.concepts), include_generic=True)
    assert set(top["concept_id"]) == kept


def test_betweenness_work_is_bounded_by_edges_too():
    """11 dense abstracts made a 1,668-node / 440,834-edge graph: exact betweenness took 17 minutes."""
    assert betweenness_sources(1668, 440834) is not None
    assert betweenness_sources(1668, 440834) * 440834 <= 2e7
    assert betweenness_sources(300, 2000) is None
    G = nx.complete_graph(400)  # 79,800 edges: 400 * 79,800 > budget, so sampled
    for u, v in G.edges:
        G.edges[u, v].update(count=1, distance=1.0)
    table = concept_centrality(G)
    assert table.attrs["betweenness"].startswith("estimated from 250 sampled sources")


def test_concept_neighbourhood_with_a_paper_id_equal_to_the_concept_id():
    """``conceptgraph show bert`` on a BibTeX library whose key ``bert`` is also a concept id."""
    from conceptgraph.graph.neighbourhood import concept_neighbourhood

    papers = pd.DataFrame({"id": ["bert", "p2"], "title": ["BERT", "Using BERT"], "abstract": ["", ""],
                           "year": [2019, 2020], "cluster": [0, 0]})
    concepts = pd.DataFrame({"concept_id": ["bert"], "label": ["BERT"], "type": ["architecture"], "generic": [False],
                             "n_papers": [2]})
    mentions = _mentions([("bert", "title", 0, 4, "BERT", "architecture", "bert"),
                          ("p2", "title", 6, 10, "BERT", "architecture", "bert")])
    G, table = concept_neighbourhood("bert", papers, mentions, concepts)
    assert G.nodes["bert"]["kind"] == "paper" and G.nodes["concept:bert"]["kind"] == "concept"
    assert sorted(G["concept:bert"]) == ["bert", "p2"] and nx.number_of_selfloops(G) == 0
    assert sorted(table["paper_id"]) == ["bert", "p2"]


def test_two_word_terms_follow_words_within_a_clause():
    from conceptgraph.graph.terms import term_incidence

    papers = pd.DataFrame({"title": ["Graph neural networks", "Neural network pruning"],
                           "abstract": ["Retrieval of neural networks. Graph, neural.", "Neural networks for graph."]})
    inc = term_incidence(papers, min_df=1)
    phrases = set(inc.terms[inc.phrase].tolist())
    assert {"graph neural", "neural network", "retrieval neural", "network pruning"} <= phrases
    assert "graph neural" in phrases and "network graph" in phrases  # "networks for graph": "for" skipped
    assert not {"network graph neural", "graph graph"} & phrases
    # a clause end stops a phrase: "networks. Graph" and "Graph, neural" give none
    counts = dict(zip(inc.terms.tolist(), inc.counts.toarray()[0].tolist()))
    assert counts["graph neural"] == 2.0  # the title's (counted twice), not the abstract's "Graph, neural"
    assert list(inc.terms[~inc.phrase]) == sorted(inc.terms[~inc.phrase]) and not inc.phrase[:len(inc.terms[~inc.phrase])].any()


def test_nearest_edges_inside_a_wider_neighbour_graph_are_the_narrower_graph():
    import numpy as np
    import scipy.sparse as sp
    from conceptgraph.graph.build import _normalise_rows, nearest_edges, similarity_edges

    rng = np.random.default_rng(3)
    V = _normalise_rows(sp.random(300, 40, density=0.1, random_state=rng, format="csr"))
    V.data = np.round(V.data, 1)  # ties
    V = _normalise_rows(V)
    wide = similarity_edges(V, top_k=20)
    for k in (1, 5, 10):
        pd.testing.assert_frame_equal(nearest_edges(wide, k), similarity_edges(V, top_k=k))


def test_clusters_are_found_on_the_wider_neighbour_graph():
    import random

    rng = random.Random(5)
    topics = [["protein", "folding", "enzyme", "ligand", "binding", "kinase", "residue", "docking"],
              ["galaxy", "quasar", "redshift", "telescope", "nebula", "stellar", "orbit", "comet"]]
    abstracts = [" ".join(rng.sample(topics[k % 2], 4)) for k in range(24)]
    papers = pd.DataFrame({"id": [f"p{k:02d}" for k in range(24)], "title": [""] * 24, "abstract": abstracts})
    concepts = pd.DataFrame({"concept_id": [], "label": [], "type": [], "generic": []})
    # unsmoothed: smoothing takes the neighbours' neighbours from the wider graph, so its links would differ too
    wide = analyse(papers, _mentions([]), concepts, top_k=1, cluster_top_k=8, min_cluster_size=1, smooth_neighbours=0)
    narrow = analyse(papers, _mentions([]), concepts, top_k=1, cluster_top_k=1, min_cluster_size=1,
                     smooth_neighbours=0)
    # the map's links are the same; the clusters, from the denser graph, are fewer and each of one topic
    pd.testing.assert_frame_equal(wide.paper_edges, narrow.paper_edges)
    assert wide.papers["cluster"].nunique() < narrow.papers["cluster"].nunique()
    assert (wide.papers.groupby("cluster")["abstract"].apply(lambda s: s.str.contains("|".join(topics[0])).all()
                                                            | ~s.str.contains("|".join(topics[0])).any())).all()


def test_smoothing_links_a_neighbours_neighbour_and_only_pairs_with_evidence():
    """q's nearest paper n is d1's nearest too: smoothed, q and d1 (sharing only "alpha") are linked."""
    abstracts = {"q": "alpha bravo zulu", "n": "alpha bravo charlie delta", "d1": "alpha charlie delta echo",
                 "m": "charlie delta echo foxtrot", "d2": "zulu yankee xray", "y": "yankee xray whiskey"}
    papers = pd.DataFrame({"id": list(abstracts), "title": [""] * 6, "abstract": list(abstracts.values())})
    concepts = pd.DataFrame({"concept_id": [], "label": [], "type": [], "generic": []})

    def links(smooth_neighbours):
        r = analyse(papers, _mentions([]), concepts, top_k=2, cluster_top_k=2, min_cluster_size=1,
                    smooth_neighbours=smooth_neighbours)
        return r, {(s, t): shared for s, t, shared in r.paper_edges[["source", "target", "shared_concepts"]].itertuples(index=False)}

    plain, plain_links = links(0)
    smoothed, smoothed_links = links(1)
    assert ("d1", "q") not in plain_links and smoothed_links[("d1", "q")] == "terms: alpha"
    # q and y share nothing (y moves towards d2, which shares "zulu" with q): a smoothed pair, but no link
    assert ("q", "y") not in smoothed_links and ("y", "q") not in smoothed_links and all(smoothed_links.values())
    assert smoothed.report["paper_links"]["pairs_sharing_nothing_left_out"] >= 1
    assert plain.report["paper_links"] == {"smoothing": "none"}


def test_cluster_label_skips_a_concept_repeating_one_already_in_it():
    from conceptgraph.graph.communities import cluster_labels

    # cluster 0 names four concepts; "autonomous driving systems" says nothing "autonomous driving" did not
    T = sp.csr_matrix(np.array([[9, 8, 7, 6], [0, 0, 1, 1]]))
    names = np.array(["autonomous driving", "Autonomous Driving Systems", "LiDAR", "bird's-eye view"])
    label, top = cluster_labels(T, names, n_label=3)[0]
    assert label == "autonomous driving / LiDAR / bird's-eye view"
    assert "Autonomous Driving Systems" in top.split("; ")  # the full list keeps it


def test_cluster_label_takes_a_short_acronym_without_long_form_last():
    from conceptgraph.graph.communities import cluster_table

    concepts = pd.DataFrame({"concept_id": ["v2x", "lidar", "det", "bev"],
                             "label": ["V2X", "LiDAR", "3D object detection", "bird's-eye view"],
                             "aliases": [["V2X"], ["LiDAR"], ["3D object detection"], ["BEV", "bird's-eye view"]],
                             "type": ["method", "method", "task", "method"], "generic": [False] * 4})
    X = sp.csr_matrix(np.array([[1, 1, 1, 0], [1, 1, 1, 1], [1, 1, 0, 1], [0, 0, 0, 0]]))
    table = cluster_table(np.array([0, 0, 0, 1]), X, concepts, exclude_types=())
    assert table.loc[0, "label"].split(" / ")[:2] == ["LiDAR", "3D object detection"]
    assert "V2X" in table.loc[0, "top_concepts"].split("; ")
