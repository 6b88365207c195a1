"""The whole job, as a new user runs it: `conceptgraph build` on the bundled corpus, then the queries."""
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

from conceptgraph import cli
from conceptgraph.pipeline import build

from browser import Browser, find_chromium

SHARED = Path(__file__).resolve().parents[2] / "shared"
OUTPUT_FILES = {"graph.html", "papers.csv", "mentions.csv", "concepts.csv", "paper_edges.csv", "clusters.csv",
                "graph.graphml", "concept_graph.graphml", "report.json"}


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("build") / "out"
    result = build(outdir=outdir, cache=False)
    return outdir, result


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_output_file_with_documented_columns(sample_build):
    outdir, _ = sample_build
    assert OUTPUT_FILES <= {p.name for p in outdir.iterdir()}
    header = {name: next(csv.reader(open(outdir / name, encoding="utf-8")))
              for name in ("papers.csv", "mentions.csv", "concepts.csv", "paper_edges.csv", "clusters.csv")}
    assert header["papers.csv"][:8] == ["id", "title", "year", "lang", "source_file", "source_line",
                                        "n_concepts", "cluster"]
    assert header["mentions.csv"] == ["paper_id", "field", "start", "end", "text", "type", "concept_id"]
    assert header["concepts.csv"][:3] == ["concept_id", "label", "type"]
    assert {"aliases", "n_papers", "degree", "pagerank", "betweenness", "cluster"} <= set(header["concepts.csv"])
    assert header["paper_edges.csv"] == ["source", "target", "weight", "kind", "shared_concepts"]
    assert header["clusters.csv"][:5] == ["cluster", "size", "share", "label", "top_concepts"]


def test_counts_of_the_sample_corpus(sample_build):
    outdir, _ = sample_build
    report = json.loads((outdir / "report.json").read_text())
    assert report["records"] == {"read": 275, "kept": 269, "merged": 6, "skipped": 0}
    papers = read_csv(outdir / "papers.csv")
    assert len(papers) == 269
    assert sum(1 for p in papers if p["title"]) == 231
    assert sorted(p["lang"] for p in papers).count("zh") == 2
    types = {row["type"] for row in read_csv(outdir / "concepts.csv")}
    assert {"method", "dataset", "architecture"} <= types


def test_mentions_point_into_their_text(sample_build):
    outdir, _ = sample_build
    papers = {p["id"]: p for p in read_csv(outdir / "papers.csv")}
    mentions = read_csv(outdir / "mentions.csv")
    assert len(mentions) > 2000
    for m in mentions:
        text = papers[m["paper_id"]][m["field"]]
        assert text[int(m["start"]):int(m["end"])] == m["text"].lstrip("'") or m["text"].startswith("'")


def test_chinese_abstracts_contribute_latin_names(sample_build):
    _, result = sample_build
    chinese = set(result.papers.loc[result.papers["lang"] == "zh", "id"])
    names = set(result.mentions.loc[result.mentions["paper_id"].isin(chinese), "text"])
    assert {"SGD", "ORFIT"} & names, names


def test_graphml_is_the_paper_map(sample_build):
    outdir, result = sample_build
    G = nx.read_graphml(outdir / "graph.graphml")
    assert G.number_of_nodes() == 269
    assert G.number_of_edges() == result.graphs.paper_graph.number_of_edges()
    kinds = {d["kind"] for _, _, d in G.edges(data=True)}
    assert "concept" in kinds and "inferred-citation" in kinds


def test_second_build_is_byte_identical(sample_build, tmp_path):
    outdir, _ = sample_build
    again = build(outdir=tmp_path / "again", cache=False).outdir
    for name in sorted(OUTPUT_FILES - {"report.json"}):
        assert (outdir / name).read_bytes() == (again / name).read_bytes(), name
    first, second = (json.loads((d / "report.json").read_text()) for d in (outdir, again))
    first.pop("timings_s"), second.pop("timings_s")
    assert first == second


def test_cli_build_summary_and_queries(sample_build, tmp_path, capsys):
    outdir, _ = sample_build
    assert cli.main(["centrality", "-o", str(outdir), "--type", "dataset", "--top", "5"]) == 0
    table = capsys.readouterr().out
    assert "CIFAR-10" in table and "ImageNet" in table
    assert cli.main(["clusters", "-o", str(outdir)]) == 0
    assert "ImageNet" in capsys.readouterr().out
    assert cli.main(["show", "DenseNet", "-o", str(outdir)]) == 0
    out = capsys.readouterr().out
    assert "Densely Connected Convolutional Networks" in out and "DenseNets Reloaded" in out
    assert (outdir / "show-concept-densenet.html").is_file()
    papers = read_csv(outdir / "papers.csv")
    revisited = next(p["id"] for p in papers if p["title"].startswith("nnU-Net Revisited"))
    assert cli.main(["show", revisited, "-o", str(outdir), "--csv", str(tmp_path / "n.csv")]) == 0
    by_title = next(p["title"] for p in papers if p["id"] == revisited)
    assert cli.main(["show", by_title, "-o", str(outdir), "--csv", str(tmp_path / "t.csv")]) == 0
    assert (tmp_path / "t.csv").read_bytes() == (tmp_path / "n.csv").read_bytes()
    neighbours = read_csv(tmp_path / "n.csv")
    assert any(row["kind"] == "inferred-citation" and row["title"].startswith("U-Net") for row in neighbours)
    assert cli.main(["trends", "-o", str(outdir)]) == 0
    assert "no years" in capsys.readouterr().out
    assert cli.main(["export", "-o", str(outdir), "--formats", "gexf,vosviewer", "--to", str(tmp_path / "x")]) == 0
    written = {p.name for p in (tmp_path / "x").iterdir()}
    assert {"paper_graph.gexf", "vosviewer_map.txt", "vosviewer_network.txt"} <= written


def test_query_without_a_build_is_a_one_line_error(tmp_path, capsys):
    assert cli.main(["clusters", "-o", str(tmp_path / "nothing")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("conceptgraph: error:") and "\n" not in err and "conceptgraph build" in err


def test_python_dash_m_runs_the_cli(tmp_path):
    out = subprocess.run([sys.executable, "-m", "conceptgraph", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("conceptgraph ")


@pytest.mark.skipif(not (SHARED / "eval" / "scirex-dev.jsonl").is_file(), reason="shared eval data not beside the repo")
def test_extract_output_is_scored_by_the_shared_scorer(tmp_path):
    pred = tmp_path / "pred.jsonl"
    assert cli.main(["extract", str(SHARED / "eval" / "scirex-dev.jsonl"), "-o", str(pred), "-q"]) == 0
    lines = [json.loads(line) for line in pred.read_text().splitlines()]
    assert len(lines) == 99 and set(lines[0]) == {"id", "mentions"}
    assert set(lines[0]["mentions"][0]) == {"start", "end", "text", "type", "concept"}
    score = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(SHARED / "eval" / "scirex-dev.jsonl"),
                            str(pred), "--json"], capture_output=True, text=True, check=True)
    micro = json.loads(score.stdout)
    assert micro, score.stdout


@pytest.mark.browser
@pytest.mark.skipif(find_chromium() is None, reason="headless Chromium not installed (apt-get install chromium chromium-driver)")
def test_sample_map_opens_in_chromium_with_the_graph_drawn(sample_build, tmp_path):
    outdir, result = sample_build
    with Browser(width=1200, height=760, timeout=30) as browser:
        browser.logs("performance")
        browser.get((outdir / "graph.html").resolve().as_uri())
        browser.wait_for("window.cg && window.cg.ready", timeout=30)
        time.sleep(0.5)
        stats = browser.execute("return cg.stats()")
        P = result.graphs.paper_graph
        assert (stats["nodes"], stats["edges"]) == (P.number_of_nodes(), P.number_of_edges())
        assert all(u.startswith(("file:", "data:", "about:")) for u in browser.requested_urls())
        assert [e for e in browser.logs("browser") if e.get("level") == "SEVERE"] == []
        # Kept out of git: the README's image is made by hand from such a screenshot.
        assert Path(browser.screenshot(tmp_path / "sample-map.png")).stat().st_size > 20_000
