"""The HTML explorer without a browser: offline, escaped, deterministic, capped."""
import ast
import json
import os
import re
from pathlib import Path

import networkx as nx
import pytest

from conceptgraph.viz import DEFAULT_MAX_NODES, render_html, show
from conceptgraph.viz.html import PALETTE, json_for_script, page_data
from conceptgraph.viz.layout import island_layout
from conceptgraph.viz.sample import synthetic_graphs

XSS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    "\"'><svg onload=alert(3)>",
    "<!-- <script> -->",
    "line\u2028separator\u2029para",
    "{{DATA}} & {{APP_JS}}",
]


def paper_graph():
    G = nx.Graph()
    papers = [
        ("p1", "Graph attention networks", 2018, 0, 0.30, "graph attention network; node classification; Cora"),
        ("p2", "Semi-supervised classification with GCNs", 2017, 0, 0.25, "GCN; node classification; Cora"),
        ("p3", "Attention is all you need", 2017, 1, 0.20, "transformer; self-attention; machine translation"),
        ("p4", "BERT: pre-training of deep transformers", 2019, 1, 0.15, "BERT; transformer; GLUE"),
        ("p5", "An orphan paper", None, 2, 0.10, ""),
    ]
    for pid, title, year, cl, pr, concepts in papers:
        attrs = dict(kind="paper", label=title[:20], title=title, abstract=f"Abstract of {title}.", cluster=cl,
                     cluster_label=["graphs", "language", "misc"][cl], pagerank=pr, degree=0, concepts=concepts)
        if year is not None:
            attrs["year"] = year
        G.add_node(pid, **attrs)
    G.add_edge("p1", "p2", weight=2.0, kind="concept", evidence="shared concepts: node classification; Cora")
    G.add_edge("p3", "p4", weight=1.0, kind="concept", evidence="shared concepts: transformer")
    G.add_edge("p1", "p3", weight=0.5, kind="inferred-citation", evidence="mentions attention")
    return G


def payload(html):
    return page_data(html)


def test_returns_html_and_writes_atomically(tmp_path):
    out = tmp_path / "sub" / "graph.html"
    html = render_html(paper_graph(), out, title="My map")
    assert html.startswith("<!DOCTYPE html>")
    assert out.read_text(encoding="utf-8") == html
    assert [p.name for p in out.parent.iterdir()] == ["graph.html"]  # no temporary left behind
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600
    assert "<title>My map</title>" in html


def test_page_is_offline():
    gs = synthetic_graphs(60)
    gs["papers"].nodes["paper:00001"]["abstract"] = "Code: https://github.com/x/y and <link href=http://cdn.example>"
    html = render_html(gs, title="offline")
    # corpus text lives in the JSON block only, where it is inert: no "<", no "://"
    data = re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in data and "://" not in data and "https:\\/\\/github.com" in data
    low = html.replace(data, "").lower()
    # nothing the page would load: no src/href/url()/@import pointing anywhere but data:
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?!data:|#)[a-z0-9+.-]*:?//""", low)
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*https?:""", low)
    css = " ".join(re.findall(r"<style>(.*?)</style>", low, re.S))
    assert css and not re.search(r"""url\(\s*["']?\s*(?!data:)[^)'"\s]""", css)
    assert "@import" not in low
    assert "<link" not in low and "<script src" not in low
    assert "bootstrap" not in low and "cdn." not in low and "sourcemappingurl" not in low
    # the only http(s) strings are vis-network's licence comment and the SVG namespace name
    allowed = {"http://almende.com", "http://www.apache.org/licenses/license-2.0", "http://opensource.org/licenses/mit",
               "https://visjs.github.io/vis-network/", "https://github.com/visjs", "http://www.w3.org/2000/svg",
               "https://github.com/zloirock/core-js", "https://github.com/zloirock/core-js/blob/v3.21.1/license",
               "https://github.com/uuidjs/uuid#getrandomvalues-not-supported"}
    found = set(re.findall(r"https?://[^\s\"'()<>,]+", low))
    assert found <= allowed, found - allowed
    assert "default-src 'none'" in html  # Content-Security-Policy: the browser itself refuses to fetch


def test_policy_allows_our_scripts_by_hash_only():
    """Issue 22 item 15: ``script-src 'unsafe-inline'`` let any injected inline script run."""
    import base64
    import hashlib

    html = render_html(paper_graph())
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src")).split()[1:]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    classic = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(classic) == 2
    assert script_src == ["'sha256-" + base64.b64encode(hashlib.sha256(js.encode()).digest()).decode() + "'"
                          for js in classic]


def test_deterministic_and_independent_of_insertion_order():
    G = paper_graph()
    a = render_html(G)
    assert a == render_html(G)
    H = nx.Graph()
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from(reversed([(v, u, d) for u, v, d in G.edges(data=True)]))
    assert render_html(H) == a
    big = synthetic_graphs(700)["papers"]  # laid out by networkx in Python
    assert render_html(big, seed=3) == render_html(big, seed=3)
    assert render_html(big, seed=3) != render_html(big, seed=4)


def test_untrusted_text_is_escaped():
    G = nx.Graph()
    for i, probe in enumerate(XSS):
        G.add_node(f"p{i}", kind="paper", label=probe, title=probe, abstract=probe * 3, cluster=i % 2,
                   cluster_label=probe, pagerank=0.1, concepts=f"{probe}; plain")
    G.add_edge("p0", "p1", kind="concept", weight=1.0, evidence=XSS[2])
    html = render_html(G, title=XSS[1])
    assert html.count("</script>") == 3  # data, vis-network, explorer: nothing else closes a script
    assert html.lower().count("<script") == 3
    for raw in ("<img src=x", "<script>alert", "<svg onload", "\u2028", "\u2029", "<!-- <script>"):
        assert raw not in html
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
    data = payload(html)
    titles = {m["title"] for m in data["views"][0]["meta"]}
    assert " ".join(XSS[5].split()) in titles and XSS[0] in titles  # shown literally, not dropped
    assert data["title"] == XSS[1]
    assert json_for_script("</script>") == '"\\u003c\\/script\\u003e"'
    assert json.loads(json_for_script("see https://x.org/a")) == "see https://x.org/a"


def test_encodings_in_payload():
    G = paper_graph()
    data = payload(render_html(G))
    (view,) = data["views"]
    assert view["name"] == "papers" and len(view["nodes"]) == 5 and len(view["edges"]) == 3
    labels = [c["label"] for c in view["clusters"]]
    assert labels[:2] == ["graphs", "language"]  # by size, then id
    assert view["clusters"][0]["colour"] == PALETTE[0]
    assert view["clusters"][2]["other"]  # a one-paper cluster shares grey
    kinds = {k["kind"]: k for k in view["edgeKinds"]}
    assert kinds["inferred-citation"]["dashes"] and not kinds["concept"]["dashes"]
    sizes = {view["meta"][i]["id"]: n["size"] for i, n in enumerate(view["nodes"])}
    assert sizes["p1"] > sizes["p2"] > sizes["p5"]  # size by PageRank
    assert all("x" in n and "y" in n for n in view["nodes"])  # laid out in Python
    assert view["options"]["physics"] == {"enabled": False}
    widths = {(e["from"], e["to"]): e["width"] for e in view["edges"]}
    assert max(widths.values()) > min(widths.values())  # width by weight
    years = [m.get("year") for m in view["meta"]]
    assert None in years and 2018 in years


def test_concept_view_shapes_by_type():
    gs = synthetic_graphs(80)
    data = payload(render_html(gs["concepts"], view="concepts"))
    view = data["views"][0]
    shapes = {m["type"]: n["shape"] for m, n in zip(view["meta"], view["nodes"])}
    assert shapes["dataset"] == "square" and shapes["method"] == "diamond" and shapes["metric"] == "star"
    assert {t["type"] for t in view["types"]} >= {"method", "dataset", "architecture", "task", "metric"}
    assert any(m["generic"] for m in view["meta"])


def test_multi_view_page():
    gs = synthetic_graphs(60)
    data = payload(render_html({"bipartite": gs["bipartite"], "papers": gs["papers"], "concepts": gs["concepts"]},
                               view="concepts"))
    assert [v["name"] for v in data["views"]] == ["papers", "concepts", "bipartite"]
    assert data["initial"] == "concepts"
    for v in data["views"]:
        g = gs[v["name"]]
        assert len(v["nodes"]) == g.number_of_nodes() and len(v["edges"]) == g.number_of_edges()


def test_cap_keeps_most_central_and_says_so():
    G = synthetic_graphs(200)["papers"]
    data = payload(render_html(G, max_nodes=50))
    view = data["views"][0]
    kept = {m["id"] for m in view["meta"]}
    top = sorted(G.nodes, key=lambda n: -G.nodes[n]["pagerank"])[:50]
    assert kept == set(top)
    o = view["omitted"]
    assert o["nodes"] == 150 and o["totalNodes"] == 200 and o["maxNodes"] == 50
    assert o["edges"] == G.number_of_edges() - len(view["edges"])
    assert DEFAULT_MAX_NODES >= 5000
    capped = payload(render_html(G, max_edges=100))["views"][0]
    assert len(capped["edges"]) == 100 and capped["omitted"]["edges"] == G.number_of_edges() - 100


def test_graphs_without_attributes_and_odd_values():
    G = nx.path_graph(12)
    G.add_edge(3, 3)
    G.nodes[0]["pagerank"] = float("nan")
    G.nodes[1]["title"] = "bad \udcff surrogate"
    G.nodes[2]["year"] = "2019"
    G.edges[0, 1]["weight"] = float("inf")
    data = payload(render_html(G))
    view = data["views"][0]
    assert len(view["nodes"]) == 12 and len(view["edges"]) == 12
    assert {m["id"]: m["year"] for m in view["meta"]}["2"] == 2019
    empty = payload(render_html(nx.Graph()))
    assert empty["views"][0]["nodes"] == []
    D = nx.DiGraph()
    D.add_edge("a", "b", kind="citation", weight=1.0, evidence="cites")
    assert payload(render_html(D))["views"][0]["directed"] is True


def test_a_node_without_any_text_keeps_an_empty_label():
    """A 50,000-paper arXiv-recent build had a concept with id '' and label '': pyvis put the node's
    number in place of the empty label and the page was never written (len() of an int)."""
    G = nx.Graph()
    G.add_node("", kind="concept", label="", type="method", pagerank=0.1)
    G.add_node("c1", kind="concept", label="graph neural network", type="method", pagerank=0.2)
    G.add_node("p1", kind="paper", title=" ", pagerank=0.3)
    G.add_edge("", "c1", kind="cooccurrence", weight=1.0)
    view = payload(render_html(G, view="concepts"))["views"][0]
    assert {m["id"]: (m["title"], n["label"]) for m, n in zip(view["meta"], view["nodes"])} == {
        "": ("", ""), "c1": ("graph neural network", "graph neural network"), "p1": ("", "")}


def test_bad_arguments():
    with pytest.raises(TypeError):
        render_html([1, 2, 3])
    with pytest.raises(ValueError):
        render_html({})
    with pytest.raises(ValueError):
        render_html(nx.Graph(), max_nodes=0)


def test_legend_option():
    G = paper_graph()
    assert payload(render_html(G, legend=False))["legendOpen"] is False
    view = payload(render_html(G, legend={0: "Graph learning"}))["views"][0]
    assert view["clusters"][0]["label"] == "Graph learning"


def test_layout_is_seeded_and_separates_clusters():
    G = synthetic_graphs(600)["papers"]
    nodes = sorted(G.nodes)
    a = island_layout(G, nodes, seed=1)
    assert a == island_layout(G, nodes, seed=1)
    assert set(a) == set(G.nodes)
    assert len(set(a.values())) == len(a)  # no two nodes on the same spot


def test_show_returns_an_iframe_and_displays_nothing():
    """Issue 21 item 4: show() displayed the map and returned it too, so each cell held two copies."""
    IPython = pytest.importorskip("IPython")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        calls = []
        shell.display_pub.publish = lambda *a, **k: calls.append(a)
        obj = show(paper_graph(), height=500)
        assert calls == []  # nothing displayed as a side effect ...
        html = obj._repr_html_()  # ... the cell's value is drawn, once
    finally:
        InteractiveShell.clear_instance()
    assert html == obj.data
    assert html.startswith("<iframe srcdoc=\"&lt;!DOCTYPE html&gt;")
    assert "height:500px" in html
    assert "<script" not in html  # the whole page is an escaped attribute value
    assert IPython.get_ipython() is None


def test_viz_never_imports_extract():
    root = Path(__file__).resolve().parents[1] / "viz"
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                mod = ("." * node.level) + (node.module or "")
                assert "extract" not in mod, (path.name, mod)
            elif isinstance(node, ast.Import):
                assert not any("extract" in a.name for a in node.names), path.name


def test_importing_viz_loads_neither_ipython_nor_a_browser():
    import subprocess
    import sys

    code = ("import sys, conceptgraph.viz; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('IPython', 'selenium')]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_each_record_is_stored_once():
    """Issue 19: each paper record was stored in the papers view and again in the papers + concepts view."""
    gs = synthetic_graphs(120, seed=5)
    page = render_html(gs)
    for n, a in gs["papers"].nodes(data=True):
        assert page.count(json_for_script(a["abstract"])[1:-1]) == 1, n
    data = page_data(page)
    papers, both = data["views"][0], data["views"][2]
    assert (papers["name"], both["name"]) == ("papers", "bipartite")
    # the expanded records are the same in both views, apart from what is per view
    by_id = {m["id"]: m for m in papers["meta"]}
    shared = [m for m in both["meta"] if m["id"] in by_id]
    assert len(shared) == gs["papers"].number_of_nodes()
    for m in shared:
        per_view = {"cluster", "pagerank", "yc"}
        assert {k: v for k, v in m.items() if k not in per_view} == \
               {k: v for k, v in by_id[m["id"]].items() if k not in per_view}


def test_abstract_previews_share_a_budget_so_large_pages_stay_small(monkeypatch):
    from conceptgraph.viz import html as viz_html

    G = paper_graph()
    long_text = " ".join(f"word{i}" for i in range(400))  # 2,689 characters
    for n in G:
        G.nodes[n]["abstract"] = long_text
    full = page_data(render_html(G))["views"][0]["meta"]
    assert 900 < max(len(m["abstract"]) for m in full) <= viz_html.ABSTRACT_CHARS + 1  # small pages: the usual cut
    monkeypatch.setattr(viz_html, "ABSTRACT_BUDGET", 5 * 500)  # 5 papers: 500 characters each
    assert viz_html.abstract_limit(5) == 500
    cut = page_data(render_html(G))["views"][0]["meta"]
    assert all(len(m["abstract"]) <= 501 and m["abstract"].endswith("…") for m in cut)
    assert all(long_text.startswith(m["abstract"][:-1]) for m in cut)


# Evidence and labels the page stores compactly (issue 19: CiteSeer's graph.html 6.7 -> 5.8 MB): parts
# shared between links, the ends' ids as marks in citation phrases, labels as a length of the title.
EVIDENCE = {("p1", "p2"): "shared terms: graph, node classification, Cora",
            ("p3", "p4"): "shared terms: transformer, , Cora", ("p2", "p3"): "one part only",
            ("p1", "p3"): 'inferred [citation] p1 cites p3 (references "p3" matched by id) | shared terms: graph',
            ("p2", "p4"): 'inferred [citation] p2 cites p4 (references "p4" matched by id) | shared concepts: A; terms: b',
            ("p1", "p4"): "p1 and p4 by id"}
LABELS = {"p1": ("𝔊raph 𝔄ttention networks and their kin", "𝔊raph 𝔄ttention…"),
          "p2": ("Semi-supervised classification with GCNs", "Semi-supervised"),
          "p5": ("An orphan paper", "An orphan paper")}


def compact_graph():
    G = paper_graph()
    for (u, v), text in EVIDENCE.items():
        G.add_edge(u, v, weight=0.5, kind="concept", evidence=text)
    for n, (title, label) in LABELS.items():
        G.nodes[n].update(title=title, label=label)
    return G


def test_link_evidence_and_labels_are_stored_compactly_and_read_back_whole():
    page = render_html(compact_graph())
    data = json.loads(page[page.index(">", page.index('id="cg-data"')) + 1:page.index("</script>", page.index('id="cg-data"'))])
    strings = data["strings"]
    assert strings.count("Cora") == 1 and "shared terms: graph, node classification, Cora" not in strings
    assert strings.count('inferred [citation] \x01 cites \x02 (references "\x02" matched by id) | ') == 1
    assert "\x01 and \x02 by id" in strings
    # 𝔊 and 𝔄 are two UTF-16 units each, as JavaScript's slice counts
    assert sorted(data["views"][0]["node"]["label"], key=str) == [0, 17, "Attention is all you", "BERT: pre-training o",
                                                                   "Semi-supervised"]
    view = page_data(page)["views"][0]
    ids = [m["id"] for m in view["meta"]]
    read = {tuple(sorted((ids[e["from"]], ids[e["to"]]))): m["evidence"] for e, m in zip(view["edges"], view["edgeMeta"])}
    assert all(read[pair] == text for pair, text in EVIDENCE.items())
    labels = {m["id"]: n["label"] for n, m in zip(view["nodes"], view["meta"])}
    assert all(labels[n] == label for n, (_title, label) in LABELS.items())
    G = compact_graph()
    G.edges["p1", "p4"]["evidence"] = "a mark \x01 in the text"  # not an id: shown as U+FFFD
    assert [m["evidence"] for m in page_data(render_html(G))["views"][0]["edgeMeta"]
            if "mark" in m["evidence"]] == ["a mark \ufffd in the text"]


def test_layout_of_many_islands_keeps_them_apart():
    """Issue 22 item 7: more islands than one placement pass takes (PLACE_MAX) are placed in groups;
    nodes of different clusters still never come closer than the room left between islands."""
    from scipy.spatial import cKDTree

    from conceptgraph.viz.layout import NODE_SPACING, PLACE_MAX

    G = nx.Graph()
    clusters = 3 * PLACE_MAX
    for c in range(clusters):
        G.add_nodes_from(((f"n{c:04d}-{j}", {"cluster": c}) for j in range(3)))
        G.add_edges_from([(f"n{c:04d}-0", f"n{c:04d}-1"), (f"n{c:04d}-1", f"n{c:04d}-2")])
    G.add_edge("n0000-0", "n0001-0")
    nodes = sorted(G)
    pos = island_layout(G, nodes, seed=3)
    assert pos == island_layout(G, nodes, seed=3)
    xy = [pos[n] for n in nodes]
    cluster = [G.nodes[n]["cluster"] for n in nodes]
    close = cKDTree(xy).query_pairs(NODE_SPACING)
    assert [(i, j) for i, j in close if cluster[i] != cluster[j]] == []
