"""The whole job, as a new user runs it: `conceptgraph build` on the bundled corpus, then the queries."""
import dataclasses
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

from conceptgraph import cli, outputs
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


def test_graphml_leaves_the_abstracts_to_papers_csv(sample_build):
    outdir, result = sample_build
    G = nx.read_graphml(outdir / "graph.graphml")
    assert not any("abstract" in d for _, d in G.nodes(data=True))
    assert all({"title", "label"} <= set(d) for _, d in G.nodes(data=True))
    papers = {row["id"]: row for row in read_csv(outdir / "papers.csv")}
    with_abstract = [n for n, d in result.graphs.paper_graph.nodes(data=True) if d.get("abstract")]
    assert with_abstract and all(papers[n]["abstract"] for n in with_abstract)


def test_second_build_is_byte_identical(sample_build, tmp_path):
    outdir, _ = sample_build
    again = build(outdir=tmp_path / "again", cache=False).outdir
    for name in sorted(OUTPUT_FILES - {"report.json"}):
        assert (outdir / name).read_bytes() == (again / name).read_bytes(), name
    first, second = (json.loads((d / "report.json").read_text()) for d in (outdir, again))
    first.pop("timings_s"), second.pop("timings_s")
    assert first == second


def test_tables_written_in_a_second_process_are_the_same_files(sample_build, tmp_path, monkeypatch):
    import conceptgraph.graph as graph

    monkeypatch.setattr(graph, "PARALLEL_MIN_PAPERS", 0)  # the sample corpus is far below the threshold
    outdir, _ = sample_build
    parallel = build(outdir=tmp_path / "parallel", cache=False, jobs=2)
    for name in sorted(OUTPUT_FILES - {"report.json"}):
        assert (outdir / name).read_bytes() == (parallel.outdir / name).read_bytes(), name
    assert {p.name for p in parallel.files} == OUTPUT_FILES


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


# ---------------------------------------------------------------- issue 19: progress and writing at scale

def test_stage_log_writes_a_line_at_least_every_interval():
    import io

    from conceptgraph.pipeline import StageLog

    log = StageLog(stream=io.StringIO(), every=0.05)
    with log.stage("graph"):
        log.status("12/40 papers")
        time.sleep(0.4)
    lines = log.stream.getvalue().splitlines()
    assert len(lines) >= 5 and lines[0].startswith("conceptgraph: graph: 12/40 papers (")
    assert lines[-1].startswith("conceptgraph: graph done in ")


def test_build_logs_its_stages_when_stderr_is_not_a_terminal(sample_build, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"title": t, "abstract": a}) + "\n" for t, a in
                              zip(sample_build[1].papers["title"][:6], sample_build[1].papers["abstract"][:6])))
    run = [sys.executable, "-m", "conceptgraph", "build", str(corpus), "-o", str(tmp_path / "out")]
    logged = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert logged.returncode == 0, logged.stderr
    for stage in ("reading inputs", "extracting concepts", "building graphs and analytics",
                  "writing tables and graphs", "drawing the map"):
        assert f"conceptgraph: {stage} done in " in logged.stderr, logged.stderr
    quiet = subprocess.run(run + ["-q"], capture_output=True, text=True, timeout=300)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_graphml_is_streamed_within_a_memory_limit(tmp_path):
    """Our GraphML writer holds no XML tree: under an address-space limit that networkx's
    ElementTree writer exceeds, it writes the graph, and networkx reads the same graph back."""
    code = f"""
import resource, sys
import networkx as nx
from conceptgraph import outputs
G = nx.Graph()
for i in range(100_000):
    G.add_edge(f"concept-{{i % 20000}}", f"concept-{{(i * 7919) % 20011}}", weight=i / 3, count=i, kind="concept")
for n in G.nodes:
    G.nodes[n].update(label=n.upper() + " & <co>", n_papers=3, generic=False)
vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 120 * 2**20, resource.RLIM_INFINITY))
write = outputs.write_graphml if sys.argv[1] == "ours" else nx.write_graphml
try:
    write(G, {str(tmp_path)!r} + "/" + sys.argv[1] + ".graphml")
except MemoryError:
    sys.exit(9)
resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
H = nx.read_graphml({str(tmp_path)!r} + "/ours.graphml")
assert nx.utils.edges_equal(G.edges, H.edges) and dict(G.nodes(data=True)) == dict(H.nodes(data=True))
assert all(G.edges[e] == H.edges[e] for e in G.edges)
"""
    ours = subprocess.run([sys.executable, "-c", code, "ours"], capture_output=True, text=True, timeout=300)
    assert ours.returncode == 0, ours.stderr
    theirs = subprocess.run([sys.executable, "-c", code, "networkx"], capture_output=True, text=True, timeout=300)
    assert theirs.returncode == 9, "the limit is not tight enough to tell a streamed writer from a tree"


def test_pipeline_docstring_examples_run():
    import doctest

    from conceptgraph import pipeline

    result = doctest.testmod(pipeline, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 3


def test_build_options_travel_as_one_object_and_changes_apply_on_top():
    from conceptgraph.pipeline import BuildOptions

    base = BuildOptions(top_k=5, seed=7)
    assert dataclasses.replace(base, top_k=3).map_options() == {
        "format": None, "encoding": None, "model": None, "lexicon_paths": (), "top_k": 3,
        "resolution": 1.5, "seed": 7}
    with pytest.raises(TypeError):
        build(outdir="unused", options=base, no_such_option=1)


def test_extract_is_a_plain_package_and_extract_concepts_the_function():
    import types

    import conceptgraph

    assert type(conceptgraph.extract) is types.ModuleType  # no module that swaps its own class
    mentions, concepts = conceptgraph.extract_concepts(conceptgraph.load().head(3))
    assert set(mentions["paper_id"]) <= set(conceptgraph.load().head(3)["id"]) and len(concepts)


def test_jobs_default_to_the_usable_cores_for_large_corpora(sample_build):
    import os

    from conceptgraph.pipeline import AUTO_JOBS_MIN_PAPERS, default_jobs

    _, result = sample_build  # 269 papers, built with the default: one process
    assert result.extraction["jobs"] == 1
    assert default_jobs(AUTO_JOBS_MIN_PAPERS - 1) == 1
    assert default_jobs(AUTO_JOBS_MIN_PAPERS) == default_jobs(None) == len(os.sched_getaffinity(0))
    assert cli.make_parser().parse_args(["build"]).jobs is None


def test_graphml_columns_write_what_element_by_element_writes(tmp_path, monkeypatch):
    """The writer formats the data lines of a chunk column by column; elements one by one (every
    chunk with more attribute-name orders than the limit) give the same bytes."""
    import math

    import numpy as np

    G = nx.Graph(name="a & b")
    for i in range(25):
        attrs = {"label": f"node <{i}> & 'x'" if i % 3 else f"plain {i}", "n": i,
                 "score": math.nan if i % 5 == 0 else i / 7, "mixed": i if i % 2 else i + 0.5,
                 "flag": bool(i % 2), "np": np.int64(i), "kind": None if i % 4 == 0 else "paper"}
        if i % 6 == 0:
            attrs = dict(reversed(list(attrs.items())))  # another attribute order
        if i % 7 == 0:
            del attrs["score"]
        G.add_node(f"n{i}" if i % 8 else f"n<{i}>", **attrs)
    for i in range(24):
        G.add_edge(f"n{i}" if i % 8 else f"n<{i}>", f"n{i + 1}" if (i + 1) % 8 else f"n<{i + 1}>",
                   weight=i / 3, evidence=f'"{i}"' if i % 2 else "shared", count=np.int32(i))
    G.add_edge("n1", "n1", weight=math.nan, evidence="loop")
    columns = outputs.write_graphml(G, tmp_path / "columns.graphml").read_text("utf-8")
    monkeypatch.setattr(outputs, "_COLUMN_GROUPS_MAX", 0)
    one_by_one = outputs.write_graphml(G, tmp_path / "elements.graphml").read_text("utf-8")
    assert columns == one_by_one
    assert '<node id="n&lt;8&gt;">' in columns and "&apos;x&apos;" in columns and ">nan<" not in columns.lower()
    H = nx.read_graphml(tmp_path / "columns.graphml")
    assert H.nodes["n4"]["label"] == "node <4> & 'x'" and H.nodes["n2"]["mixed"] == 2.5 and H.nodes["n3"]["mixed"] == 3.0
    assert "score" not in H.nodes["n5"] and "kind" not in H.nodes["n4"] and H.edges["n1", "n1"]["evidence"] == "loop"
