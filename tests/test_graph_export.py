"""Exports: GraphML, GEXF, node-link JSON, CSV, VOSviewer map + network."""
from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest

from conceptgraph.graph import analyse, write_exports
from conceptgraph.graph.export import atomic_path, write_vosviewer
from test_graph_fixtures import toy_corpus


@pytest.fixture(scope="module")
def result():
    papers, mentions, concepts = toy_corpus()
    return analyse(papers, mentions, concepts, top_k=3)


def test_all_formats_round_trip(result, tmp_path):
    written = write_exports(result, tmp_path, formats=("graphml", "gexf", "json", "csv", "vosviewer"))
    names = {p.name for p in written}
    assert {"paper_graph.graphml", "citations.gexf", "bipartite.json", "papers.csv", "vosviewer_map.txt",
            "vosviewer_network.txt"} <= names
    assert all(p.is_file() for p in written)
    P = nx.read_graphml(tmp_path / "paper_graph.graphml")
    assert P.number_of_edges() == result.paper_graph.number_of_edges()
    d = P.nodes["p_dense"]
    assert d["kind"] == "paper" and isinstance(d["cluster"], int) and "year" not in d
    K = nx.read_gexf(tmp_path / "concept_graph.gexf")
    assert K.number_of_nodes() == result.concept_graph.number_of_nodes()
    D = nx.read_graphml(tmp_path / "citations.graphml")
    assert D.is_directed() and D.edges["p_nnunet", "p_unet"]["kind"] == "inferred-citation"
    data = json.loads((tmp_path / "bipartite.json").read_text())
    assert {"nodes", "edges"} <= set(data)
    edges = pd.read_csv(tmp_path / "paper_edges.csv")
    assert len(edges) == len(result.paper_edges)
    papers = pd.read_csv(tmp_path / "papers.csv")
    assert {"cluster", "cluster_label", "pagerank"} <= set(papers.columns)
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary files left behind
    assert all(p.stat().st_mode & 0o044 for p in written)  # readable as usual, not mkstemp's 0600


def test_vosviewer_files(result, tmp_path):
    m, n = write_vosviewer(result.concept_graph, tmp_path / "map.txt", tmp_path / "net.txt")
    lines = m.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["id", "label", "x", "y", "cluster", "weight<Links>",
                                    "weight<Total link strength>", "weight<Occurrences>"]
    rows = [line.split("\t") for line in lines[1:]]
    ids = {int(r[0]) for r in rows}
    assert ids == set(range(1, len(rows) + 1))
    assert all(int(r[4]) >= 1 for r in rows)  # VOSviewer clusters start at 1
    net = [tuple(map(int, line.split("\t"))) for line in n.read_text().splitlines()]
    assert net and all(a in ids and b in ids and a < b and s >= 1 for a, b, s in net)
    labels = {r[1]: int(r[0]) for r in rows}
    a, b = sorted((labels["quantization"], labels["mixed precision"]))
    assert (a, b, 3) in net


def test_atomic_path_leaves_old_file_on_error(tmp_path):
    target = tmp_path / "x.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            open(tmp, "w").write("half")
            raise RuntimeError("boom")
    assert target.read_text() == "old" and len(list(tmp_path.iterdir())) == 1


def test_unknown_format(result, tmp_path):
    with pytest.raises(ValueError, match="unknown export format"):
        write_exports(result, tmp_path, formats=("pdf",))
