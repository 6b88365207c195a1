"""The graph stage on the bundled sample corpus (269 papers), with the real extractor.

Checks the acceptance criteria of issue 4: clusters are not one blob, their
labels are specific, the known inferred citations exist with evidence, and the
tables are deterministic.
"""
from __future__ import annotations

import pandas as pd
import pytest

from conceptgraph.graph import analyse, top_concepts


@pytest.fixture(scope="module")
def tables():
    try:
        from conceptgraph.extract import load
        from conceptgraph.extract.nlp import extract_mentions
    except Exception as exc:  # the extract stage is developed in parallel
        pytest.skip(f"extractor not importable: {exc}")
    papers = load()
    try:
        mentions, concepts = extract_mentions(papers)
    except Exception as exc:  # an extractor bug is reported by the extract stage's own tests
        pytest.skip(f"extractor failed on the sample corpus: {type(exc).__name__}: {exc}"[:300])
    return papers, mentions, concepts


@pytest.fixture(scope="module")
def result(tables):
    return analyse(*tables)


def _id(papers: pd.DataFrame, title_start: str) -> str:
    hits = papers.loc[papers["title"].fillna("").str.startswith(title_start), "id"]
    assert len(hits) == 1, title_start
    return hits.iloc[0]


def test_clusters_are_not_one_blob(result):
    sizes = result.papers["cluster"].value_counts()
    assert sizes.max() <= 0.35 * len(result.papers)
    assert (sizes >= 5).sum() >= 6


def test_cluster_labels_are_specific(result):
    generic = set(result.concepts.loc[result.concepts["generic"], "label"].str.lower())
    big = result.clusters[result.clusters["size"] >= 5]
    assert big["label"].str.len().gt(0).all()
    for label in big["label"]:
        parts = {p.strip().lower() for p in label.split(" / ")}
        assert not parts & generic, label
        assert not parts & {"deep neural network", "deep neural networks", "dnns", "neural networks", "deep learning"}
    assert big["label"].nunique() == len(big)


def test_known_inferred_citations(result):
    papers = result.papers
    unet = _id(papers, "U-Net: Convolutional Networks")
    dense = _id(papers, "Densely Connected Convolutional Networks")
    D = result.citations
    for citing, cited in ((_id(papers, "nnU-Net Revisited"), unet),
                          (_id(papers, "DenseNets Reloaded"), dense),
                          (_id(papers, "D3Net: Densely connected"), dense)):
        assert D.has_edge(citing, cited), (citing, cited)
        edge = D.edges[citing, cited]
        assert edge["kind"] == "inferred-citation" and "introduced by" in edge["evidence"]
        assert result.paper_graph.has_edge(citing, cited)
        assert result.paper_graph.edges[citing, cited]["kind"] in ("inferred-citation", "citation")
    assert not D.has_edge(unet, _id(papers, "nnU-Net Revisited"))


def test_inferred_citations_are_few_and_targeted(result):
    inferred = result.citation_edges[result.citation_edges["kind"] == "inferred-citation"]
    assert 0 < len(inferred) < 0.5 * len(result.papers)
    # no paper is made the "introducer" of a concept used all over the corpus
    assert result.citation_edges.groupby("cited").size().max() <= 20


def test_centrality_tables_are_deterministic(tables, result):
    again = analyse(*tables)
    pd.testing.assert_frame_equal(result.concepts, again.concepts)
    pd.testing.assert_frame_equal(result.papers.drop(columns=["references", "cited_by", "merged_from"]),
                                  again.papers.drop(columns=["references", "cited_by", "merged_from"]))
    pd.testing.assert_frame_equal(result.paper_edges, again.paper_edges)
    pd.testing.assert_frame_equal(result.clusters, again.clusters)
    pd.testing.assert_frame_equal(result.bridges, again.bridges)


def test_top_concepts_per_type(result):
    for kind in ("dataset", "architecture", "method"):
        top = top_concepts(result.concepts, type=kind, n=5)
        assert len(top) == 5 and set(top["type"]) == {kind}
    datasets = set(top_concepts(result.concepts, type="dataset", n=5)["label"])
    assert {"ImageNet", "CIFAR-10"} <= datasets
