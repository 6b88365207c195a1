"""The explorer in a real browser: headless Chromium driven through chromedriver.

Skipped (with the reason) when chromium/chromedriver are not installed.
Screenshots of each view go to a temporary folder (printed; set
CG_SCREENSHOT_DIR to keep them somewhere else).
"""
import os
import time
from pathlib import Path

import networkx as nx
import pytest

from conceptgraph.viz import render_html
from conceptgraph.viz.html import page_data
from conceptgraph.viz.sample import synthetic_graphs

from browser import Browser, click_node, find_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(find_chromium() is None,
                       reason="headless Chromium not installed (apt-get install chromium chromium-driver)"),
]

# Time budgets; a shared, loaded machine may stretch them with CG_BROWSER_TIME_SCALE (e.g. 2 at a load
# average of 10 on 2 cores); the figures measured are printed either way.
TIME_SCALE = float(os.environ.get("CG_BROWSER_TIME_SCALE", "1"))
LOAD_BUDGET_S = 5.0 * TIME_SCALE  # issue 5: a 5,000-node map is interactive within 5 s


@pytest.fixture(scope="module")
def browser():
    with Browser(width=1400, height=900, timeout=20) as b:
        yield b


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    gs = synthetic_graphs(300, seed=11)
    path = tmp_path_factory.mktemp("viz") / "map.html"
    render_html(gs, path, title="Sample map")
    return gs, path


def open_page(b, path, timeout=30):
    b.logs("performance")  # drain: only this page's requests count
    b.logs("browser")
    start = time.monotonic()
    b.get(Path(path).resolve().as_uri())
    b.wait_for("window.cg && window.cg.ready", timeout=timeout)
    return time.monotonic() - start


def assert_clean(b):
    errors = [e for e in b.logs("browser") if e.get("level") == "SEVERE"]
    assert errors == [], errors
    urls = b.requested_urls()
    assert urls and all(u.startswith(("file:", "data:", "about:")) for u in urls), urls
    assert b.execute("return window.__cgDialogs") == []
    assert b.alert_text() is None


def node_index(b, original_id):
    return b.execute("var id = arguments[0]; return cg.data.views.filter(function (v) { return v.name === cg.view(); })[0]"
                     ".meta.findIndex(function (m) { return m.id === id; })", original_id)


def text_of(b, css):
    """Rendered text (innerText), also while the side panel is still fading in."""
    return b.execute("return document.querySelector(arguments[0]).innerText", css)


def node_screen_xy(b, i):
    return b.execute("""
        var net = cg.network(), p = net.canvasToDOM(net.getPosition(arguments[0]));
        var r = document.getElementById('cg-network').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];""", i)


def screenshot_dir(tmp_path_factory):
    d = os.environ.get("CG_SCREENSHOT_DIR")
    if d:
        Path(d).mkdir(parents=True, exist_ok=True)
        return Path(d)
    return tmp_path_factory.mktemp("screenshots")


def test_loads_offline_and_draws_every_node_and_edge(browser, sample, tmp_path_factory):
    gs, path = sample
    open_page(browser, path)
    assert browser.title == "Sample map"
    shots = screenshot_dir(tmp_path_factory)
    for name in ("papers", "concepts", "bipartite"):
        browser.click(browser.find(f'#cg-views button[data-view="{name}"]'))
        browser.wait_for(f"cg.view() === '{name}' && cg.stats().nodes > 0")
        time.sleep(0.3)  # let the first frame of this view be drawn
        stats = browser.execute("return cg.stats()")
        G = gs[name]
        assert (stats["nodes"], stats["edges"]) == (G.number_of_nodes(), G.number_of_edges()), stats
        png = browser.screenshot(shots / f"view-{name}.png")
        assert Path(png).stat().st_size > 20_000
    print(f"\nscreenshots in {shots}")
    assert_clean(browser)


def test_search_selects_a_title(browser, sample):
    gs, path = sample
    open_page(browser, path)
    G = gs["papers"]
    target = max(G.nodes, key=lambda n: (G.nodes[n]["pagerank"], n))
    title = G.nodes[target]["title"]
    box = browser.find("#cg-search")
    browser.click(box)
    browser.type(box, title)
    browser.wait_for("!document.getElementById('cg-results').hidden")
    browser.type(box, "\ue007")  # Enter
    i = node_index(browser, target)
    browser.wait_for(f"cg.selected() === {i}")
    assert browser.execute("return cg.network().getSelectedNodes()") == [i]
    assert text_of(browser, "#cg-panel h2") == title
    # a concept typed in the paper view highlights its papers
    browser.type(box, "\ue009a")  # Ctrl+A
    browser.type(box, "message passing\ue007")
    browser.wait_for("document.querySelector('#cg-panel h2') && "
                     "document.querySelector('#cg-panel h2').textContent === 'message passing'")
    selected = browser.execute("return cg.network().getSelectedNodes().length")
    with_concept = sum(1 for n in G if "message passing" in G.nodes[n]["concepts"].split("; "))
    assert selected == with_concept > 0
    assert_clean(browser)


def test_clicking_nodes_fills_the_side_panel(browser, sample):
    gs, path = sample
    open_page(browser, path)
    G = gs["papers"]
    target = max(G.nodes, key=lambda n: (G.degree(n), n))
    i = node_index(browser, target)
    browser.execute("cg.network().moveTo({position: cg.network().getPosition(arguments[0]), scale: 1.5})", i)
    time.sleep(0.2)
    x, y = node_screen_xy(browser, i)
    browser.click_at(x, y)
    browser.wait_for(f"cg.selected() === {i}")
    panel = text_of(browser, "#cg-panel")
    assert G.nodes[target]["title"] in panel
    assert "STRONGEST LINKS" in panel.upper()
    assert str(G.nodes[target]["year"]) in panel
    neighbours = browser.find_all("#cg-panel .cg-list .cg-go")
    assert len(neighbours) == min(8, G.degree(target))
    # a neighbour in the list selects that paper
    browser.click(neighbours[0])
    browser.wait_for(f"cg.selected() !== null && cg.selected() !== {i}")
    # a concept chip in the bipartite view selects the concept node, which lists its papers
    browser.click(browser.find('#cg-views button[data-view="bipartite"]'))
    browser.wait_for("cg.view() === 'bipartite'")
    j = node_index(browser, target)
    browser.execute("cg.select(arguments[0])", j)
    chip = browser.find_all("#cg-panel .cg-chip")[0]
    label = browser.execute("return arguments[0].textContent", chip)
    browser.click(chip)
    browser.wait_for("document.querySelector('#cg-panel h2').textContent === " + repr(label))
    assert browser.execute("return cg.data.views[2].meta[cg.selected()].kind") == "concept"
    assert len(browser.find_all("#cg-panel .cg-list li")) > 0
    # clicking a link (drawn on the canvas in this 400-node view) explains it
    assert browser.execute("return cg.stats().edgeLayer") == "canvas"
    browser.execute("cg.clear(); cg.network().moveTo({position: {x: 0, y: 0}, scale: 1})")
    k, x, y = browser.execute("""
        var net = cg.network(), v = cg.data.views[2], r = document.getElementById('cg-network').getBoundingClientRect();
        for (var k = 0; k < v.edges.length; k++) {
          var a = net.getPosition(v.edges[k].from), b = net.getPosition(v.edges[k].to);
          if (Math.hypot(a.x - b.x, a.y - b.y) < 120) continue;   // long enough to hit between the nodes
          var m = net.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
          if (m.x > 40 && m.y > 40 && m.x < r.width - 40 && m.y < r.height - 40
              && net.getNodeAt(m) === undefined) return [k, r.left + m.x, r.top + m.y];
        }
        return [null, 0, 0];""")
    assert k is not None
    browser.click_at(x, y)
    browser.wait_for("!document.getElementById('cg-panel').hidden")
    assert "WHY THEY ARE LINKED" in text_of(browser, "#cg-panel").upper()
    # Escape clears the selection
    browser.type(browser.find("body"), "\ue00c")
    browser.wait_for("cg.selected() === null && document.getElementById('cg-panel').hidden")
    assert_clean(browser)


def test_filters_hide_clusters_and_kinds(browser, sample):
    gs, path = sample
    open_page(browser, path)
    before = browser.execute("return cg.stats()")
    rows = browser.find_all("#cg-legend .cg-item input")
    browser.click(rows[0])  # the largest cluster off
    after = browser.execute("return cg.stats()")
    largest = browser.execute("return cg.data.views[0].clusters[0].count")
    assert after["nodes"] == before["nodes"] - largest
    assert after["edges"] < before["edges"]
    browser.click(rows[0])
    assert browser.execute("return cg.stats()")["nodes"] == before["nodes"]
    # years: from the latest year on, only papers of that year (or without a year) stay
    G = gs["papers"]
    last = max(G.nodes[n]["year"] for n in G)
    year_from = browser.find('#cg-legend input[aria-label="from year"]')
    browser.type(year_from, str(last) + "\ue007")
    browser.execute("arguments[0].dispatchEvent(new Event('change'))", year_from)
    browser.wait_for(f"cg.stats().nodes === {sum(1 for n in G if G.nodes[n]['year'] >= last)}")
    browser.click(browser.find("#cg-legend .cg-sec:last-child .cg-linkbtn"))  # reset all filters
    assert browser.execute("return cg.stats()") == before
    # link kinds: switching citations off hides exactly those links
    citations = sum(1 for *_e, d in G.edges(data=True) if d["kind"] == "citation")
    browser.click(browser.find('#cg-legend label[title="citation"] input'))
    assert browser.execute("return cg.stats().edges") == before["edges"] - citations
    browser.click(browser.find('#cg-legend label[title="citation"] input'))
    # live physics (small views) runs and stops without errors
    browser.click(browser.find("#cg-physics"))
    time.sleep(0.5)
    browser.click(browser.find("#cg-physics"))
    assert browser.execute("return cg.stats()") == before
    assert_clean(browser)


XSS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "</script><script>alert(3)</script>",
    "\"'><svg onload=alert(4)>",
    "<iframe src=javascript:alert(5)>",
    "x\u2028y</script>",
]


def test_xss_probes_change_nothing(browser, tmp_path):
    G = nx.Graph()
    for i, probe in enumerate(XSS):
        G.add_node(f"p{i}", kind="paper", label=probe, title=probe, abstract=f"{probe} abstract {probe}",
                   year=2020, cluster=i % 2, cluster_label=probe, pagerank=0.1 + i / 100,
                   concepts=f"{probe}; graphs")
    G.add_node("c0", kind="concept", label=XSS[0], type=XSS[1], generic=False, n_papers=2, cluster=0,
               cluster_label=XSS[2], pagerank=0.2)
    for i in range(len(XSS) - 1):
        G.add_edge(f"p{i}", f"p{i + 1}", kind="concept", weight=1.0, evidence=XSS[i])
    G.add_edge("p0", "c0", kind="mention", weight=1.0, evidence=XSS[3])
    path = tmp_path / "xss.html"
    render_html({"papers": G, "bipartite": G}, path, title="Probe page")
    open_page(browser, path)
    # exercise every place text is shown: tooltips, panels, search results, edge panel
    for i in range(len(XSS)):
        browser.execute("cg.select(arguments[0])", i)
        h2 = browser.execute("return document.querySelector('#cg-panel h2').textContent")
        assert h2 == browser.execute("return cg.data.views[0].meta[arguments[0]].title", i)
        x, y = node_screen_xy(browser, i)
        browser.click_at(x, y)
    box = browser.find("#cg-search")
    browser.click(box)
    browser.type(box, "<")
    browser.wait_for("!document.getElementById('cg-results').hidden")
    browser.execute("""
        var net = cg.network(), p = net.canvasToDOM(net.getPosition(0));
        net.emit('hoverNode', {node: 0, pointer: {DOM: p}});""")
    time.sleep(0.4)
    assert browser.execute("return document.getElementById('cg-tip').textContent").startswith(XSS[0])
    browser.execute("document.querySelector('#cg-views button[data-view=\"bipartite\"]').click()")
    browser.execute("cg.select(cg.data.views[1].meta.findIndex(function (m) { return m.id === 'c0'; }))")
    legend = text_of(browser, "#cg-legend")
    assert XSS[2] in legend
    assert browser.title == "Probe page"
    injected = browser.execute("""return {
        img: document.querySelectorAll('img').length,
        svgOnload: document.querySelectorAll('[onload],[onerror]').length,
        iframes: document.querySelectorAll('iframe').length,
        scripts: document.scripts.length,
        title: document.title }""")
    assert injected == {"img": 0, "svgOnload": 0, "iframes": 0, "scripts": 3, "title": "Probe page"}
    assert_clean(browser)


def test_big_map_is_interactive_within_budget(browser, tmp_path):
    gs = synthetic_graphs(5000, seed=5)
    G = gs["papers"]
    path = tmp_path / "big.html"
    t = time.perf_counter()
    render_html(G, path, title="5,000 papers")
    render_s = time.perf_counter() - t
    elapsed = open_page(browser, path, timeout=60)
    in_page = browser.execute("return {ready: cg.readyMs, timings: cg.timings, stats: cg.stats()}")
    stats = in_page["stats"]
    assert (stats["nodes"], stats["edges"]) == (5000, G.number_of_edges())
    # interactive: a search selects, opens the panel and the next frame is drawn, timed in the page
    i = browser.execute("""
        window.__selectMs = null;
        var t = performance.now(), i = cg.search(arguments[0]);
        cg.network().once('afterDrawing', function () { window.__selectMs = performance.now() - t; });
        cg.network().redraw();
        return i;""", G.nodes["paper:00042"]["title"])
    select_ms = browser.wait_for("window.__selectMs")
    assert browser.execute("return cg.selected()") == i
    assert not browser.execute("return document.getElementById('cg-panel').hidden")
    print(f"\n5,000-node page: {path.stat().st_size / 1e6:.1f} MB, rendered in {render_s:.1f} s; "
          f"ready {elapsed:.2f} s after navigation (in-page {in_page['ready']} ms, {in_page['timings']}); "
          f"search+select+redraw {select_ms:.0f} ms")
    assert in_page["ready"] < LOAD_BUDGET_S * 1000  # navigation start -> first frame, handlers attached
    assert elapsed < LOAD_BUDGET_S                  # the same, seen from the test (WebDriver round trips)
    assert select_ms < 1000
    assert_clean(browser)


def test_capped_map_says_what_was_left_out(browser, tmp_path):
    G = synthetic_graphs(400, seed=2)["papers"]
    path = tmp_path / "capped.html"
    render_html(G, path, max_nodes=100)
    open_page(browser, path)
    assert browser.execute("return cg.stats().nodes") == 100
    notice = text_of(browser, "#cg-notice")
    assert "300 nodes" in notice and "--max-nodes 400" in notice
    assert_clean(browser)


def test_show_output_runs_inside_a_sandboxed_iframe(browser, tmp_path):
    from conceptgraph.viz import show

    G = synthetic_graphs(40, seed=4)["papers"]
    page = tmp_path / "notebook.html"
    page.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>nb</title></head><body>"
                    + show(G, height=600)._repr_html_() + "</body></html>", encoding="utf-8")
    browser.logs("performance")
    browser.get(page.resolve().as_uri())
    browser.switch_to_frame(browser.find("iframe"))
    try:
        browser.wait_for("window.cg && window.cg.ready")
        assert browser.execute("return cg.stats().nodes") == G.number_of_nodes()
    finally:
        browser.switch_to_frame(None)
    assert browser.title == "nb"
    assert_clean(browser)


@pytest.mark.parametrize("n", [40, 600])  # vis-network edges / the canvas edge layer
def test_directed_citation_graph(browser, tmp_path, n):
    papers = synthetic_graphs(n, seed=9)["papers"]
    D = nx.DiGraph()
    D.add_nodes_from(papers.nodes(data=True))
    D.add_edges_from((u, v, d) for u, v, d in papers.edges(data=True) if d["kind"] != "concept")
    path = tmp_path / "citations.html"
    render_html(D, path, view="citations", title="Citations")
    open_page(browser, path)
    stats = browser.execute("return cg.stats()")
    assert (stats["nodes"], stats["edges"]) == (D.number_of_nodes(), D.number_of_edges())
    assert stats["edgeLayer"] == ("vis" if n <= 300 else "canvas")
    hub = max(D.nodes, key=lambda v: (D.in_degree(v), v))
    browser.execute("cg.select(arguments[0])", node_index(browser, hub))
    assert "citation" in text_of(browser, "#cg-panel").lower()
    assert_clean(browser)


@pytest.mark.parametrize("untick", ["type", "generic"])
def test_switching_view_after_a_concept_filter(browser, sample, untick):
    """Issue 21 item 2: unticking a concept type (or generic concepts) then switching view jammed the page."""
    gs, path = sample
    open_page(browser, path)
    for target in ("papers", "bipartite"):
        browser.click(browser.find('#cg-views button[data-view="concepts"]'))
        browser.wait_for("cg.view() === 'concepts'")
        if untick == "type":
            browser.click(browser.find('#cg-legend label[title="method"] input'))
        else:
            browser.click(browser.find('#cg-legend label[title="generic concepts (pale)"] input'))
        assert browser.execute("return cg.stats().nodes") < gs["concepts"].number_of_nodes()
        browser.click(browser.find(f'#cg-views button[data-view="{target}"]'))
        browser.wait_for(f"cg.view() === '{target}' && cg.stats().nodes > 0", timeout=5)
        pressed = browser.execute("return document.querySelector('#cg-views [aria-pressed=true]').dataset.view")
        assert pressed == target
        # back on the concepts view its filter is still applied and the page still answers
        browser.click(browser.find('#cg-views button[data-view="concepts"]'))
        browser.wait_for("cg.view() === 'concepts'", timeout=5)
        browser.click(browser.find("#cg-legend .cg-sec:last-child .cg-linkbtn"))  # reset all filters
    assert_clean(browser)


OBJECT_KEYS = ["constructor", "CONSTRUCTOR", "__proto__", "toString", "hasOwnProperty", "valueOf"]


def test_corpus_strings_that_name_object_properties(browser, tmp_path):
    """Issue 22 item 4: "We propose CONSTRUCTOR" made the page throw ``list.push is not a function``."""
    G = nx.Graph()
    for i, word in enumerate(OBJECT_KEYS):
        G.add_node(word, kind="paper", title=f"We propose {word}", label=word, year=2020, cluster=word,
                   cluster_label=word, pagerank=0.1, concepts="; ".join(OBJECT_KEYS[i:] + OBJECT_KEYS[:i]))
        G.add_node(f"c:{word}", kind="concept", label=word, type=word if i % 2 else "method",
                   n_papers=2, cluster=word, cluster_label=word, pagerank=0.05)
        G.add_edge(word, f"c:{word}", kind=word, weight=1.0, evidence=word)
    for a, b in zip(OBJECT_KEYS, OBJECT_KEYS[1:]):
        G.add_edge(a, b, kind="concept", weight=2.0, evidence="shared concepts: " + a)
    papers = G.subgraph([w for w in OBJECT_KEYS]).copy()
    path = tmp_path / "keys.html"
    render_html({"papers": papers, "bipartite": G}, path)
    open_page(browser, path, timeout=10)
    # a concept only named in papers (papers view): its papers are found and highlighted
    browser.execute("cg.search('CONSTRUCTOR')")
    browser.wait_for("!document.getElementById('cg-panel').hidden")
    assert browser.execute("return cg.network().getSelectedNodes().length") >= 1
    browser.execute("cg.select(0)")
    assert "We propose" in text_of(browser, "#cg-panel h2")
    browser.execute("cg.setView('bipartite')")
    for word in OBJECT_KEYS:
        assert browser.execute("return cg.search(arguments[0])", word) is not None
    # link evidence, stored as shared ", "-separated parts, is read back whole
    shown = browser.execute("return cg.data.views.map(function (v) { return v.edgeMeta.map("
                            "function (m) { return m.evidence; }); })")
    assert shown == [[m["evidence"] for m in v["edgeMeta"]] for v in page_data(path.read_text("utf-8"))["views"]]
    assert "shared concepts: " + OBJECT_KEYS[0] in shown[0]
    # nothing leaked into the shared prototype
    assert browser.execute("return [Object.keys(Object.prototype).length, ({}).constructor === Object,"
                           " Object.getPrototypeOf({}) === Object.prototype]") == [0, True, True]
    assert_clean(browser)


def test_an_error_while_drawing_shows_a_message(browser, tmp_path):
    path = tmp_path / "broken.html"
    page = render_html(synthetic_graphs(30, seed=3)["papers"])
    start = page.index('<script type="application/json" id="cg-data">') + len('<script type="application/json" id="cg-data">')
    path.write_text(page[:start] + "{not json" + page[start:], encoding="utf-8")
    browser.get(path.resolve().as_uri())
    browser.wait_for("document.documentElement.getAttribute('data-cg-error')", timeout=10)
    assert text_of(browser, "#cg-loading").startswith("The map could not be drawn: ")
    assert browser.execute("return getComputedStyle(document.getElementById('cg-loading')).display") != "none"
    browser.logs("browser")


def test_policy_blocks_an_injected_inline_script(browser, tmp_path):
    page = render_html(synthetic_graphs(30, seed=3)["papers"])
    path = tmp_path / "injected.html"
    path.write_text(page.replace("<body>", "<body><script>window.__injected = 1;</script>", 1), encoding="utf-8")
    open_page(browser, path, timeout=10)  # our own scripts run (allowed by their hashes) ...
    assert browser.execute("return window.__injected === undefined")  # ... the injected one does not
    refused = [e for e in browser.logs("browser") if "Content Security Policy" in e.get("message", "")]
    assert len(refused) == 1, refused


def test_notice_suggests_no_impossible_number(browser, tmp_path):
    """Issue 19: at 250,204 concepts the notice suggested --max-nodes 250204."""
    G = nx.Graph()
    for i in range(10_001):
        G.add_node(f"c{i:05d}", kind="concept", label=f"concept {i}", type="method", pagerank=1 / (i + 1))
    for i in range(0, 10_000, 2):
        G.add_edge(f"c{i:05d}", f"c{i + 1:05d}", kind="cooccurrence", weight=1.0)
    path = tmp_path / "huge.html"
    render_html(G, path, view="concepts", max_nodes=50)
    open_page(browser, path)
    notice = text_of(browser, "#cg-notice")
    assert "Showing the 50 most central of 10,001 nodes" in notice
    assert "--max-nodes" not in notice and "cannot draw all of them" in notice
    assert_clean(browser)


CLICK_BUDGET_S = 3.0 * TIME_SCALE  # issue 19: a default-size page is drawn and answers a click within 3 s


@pytest.fixture(scope="module")
def default_size(tmp_path_factory):
    gs = synthetic_graphs(5000, seed=5)  # 5,000 papers: the default --max-nodes, every view at its cap
    path = tmp_path_factory.mktemp("default-size") / "default-size.html"
    render_html(gs, path)
    return gs, path


def test_default_size_page_is_drawn_and_answers_a_click_within_budget(browser, default_size):
    gs, path = default_size
    open_page(browser, path, timeout=60)
    ready_ms = browser.execute("return cg.readyMs")  # navigation start -> first frame drawn, handlers on
    i = 4321
    browser.execute("cg.network().moveTo({position: cg.network().getPosition(arguments[0]), scale: 1.2})", i)
    time.sleep(0.2)
    x, y = node_screen_xy(browser, i)
    start = time.monotonic()
    browser.click_at(x, y)
    browser.wait_for("!document.getElementById('cg-panel').hidden && cg.selected() !== null", timeout=10)
    click_s = time.monotonic() - start
    print(f"\ndefault-size page {path.stat().st_size / 1e6:.1f} MB: drawn {ready_ms} ms after navigation, "
          f"click answered in {click_s * 1000:.0f} ms")
    assert ready_ms < CLICK_BUDGET_S * 1000
    assert click_s < CLICK_BUDGET_S
    assert_clean(browser)


@pytest.mark.parametrize("view", ["papers", "concepts"])
def test_central_node_answers_a_click_within_budget_in_one_frame(browser, default_size, view):
    """Issue 19: clicking a central paper of a 50,000-paper build took 6-10 s before the panel showed.

    Each frame of a zoomed-in map of 20,000+ links is 0.5-1 s of rasterising lines in software
    Chromium, and a click drew the map three times (dimming, the panel narrowing the canvas,
    vis-network's own selection). Now a click is answered in one frame."""
    gs, path = default_size
    G = gs[view]
    kind = "paper" if view == "papers" else "concept"
    ours = [n for n in G if G.nodes[n]["kind"] == kind]
    # the paper with the most links; the concept drawn largest (PageRank)
    hub = max(ours, key=(lambda n: (G.degree(n), n)) if kind == "paper" else (lambda n: (G.nodes[n]["pagerank"], n)))
    open_page(browser, path, timeout=60)
    browser.execute("cg.setView(arguments[0])", view)
    browser.wait_for(f"cg.view() === '{view}' && cg.stats().nodes > 0")
    i = node_index(browser, hub)
    clicks = [click_node(browser, i) for _ in range(2)]
    print(f"\n{view}: node {hub!r} of degree {G.degree(hub)} (of {G.number_of_nodes():,} nodes, "
          f"{G.number_of_edges():,} links): " + "; ".join(
              f"panel {c['handler_ms']:.0f} ms, on screen {c['painted_ms']:.0f} ms, seen {c['wall_ms']:.0f} ms, "
              f"{c['draws']} drawing(s) {c['draws_ms']}" for c in clicks))
    assert all(c["how"] == "mouse" for c in clicks)
    assert [c["draws"] for c in clicks] == [1, 1]
    assert max(c["painted_ms"] for c in clicks) < CLICK_BUDGET_S * 1000
    assert max(c["wall_ms"] for c in clicks) < CLICK_BUDGET_S * 1000
    assert "strongest links" in text_of(browser, "#cg-panel").lower()
    assert_clean(browser)


# Per node of the current view: the node vis-network finds at its centre (the one drawn last there, which a
# click selects) and both sizes; and the largest node (the most central: area is PageRank).
NODES_AT_CENTRES = """
var net = cg.network(), body = net.body, ids = body.nodeIndices.slice(), pos = net.getPositions(ids);
var size = function (i) { return body.nodes[i].options.size; }, top = ids[0], covered = [];
ids.forEach(function (i) { if (size(i) > size(top)) top = i; });
ids.forEach(function (i) {
  var j = net.getNodeAt(net.canvasToDOM(pos[i]));
  if (j !== i && size(j) < size(i)) covered.push([i, j, size(i), size(j)]);
});
return {nodes: ids.length, top: top, atTop: net.getNodeAt(net.canvasToDOM(pos[top])), covered: covered};
"""


@pytest.mark.parametrize("view", ["papers", "concepts", "bipartite"])
def test_central_nodes_are_drawn_on_top(browser, default_size, view):
    """Issue 19: on the 50,000-paper page the most-linked paper was covered by nodes drawn after it
    (vis-network draws in the order of the nodes), so a click on it selected another. Nodes are drawn
    smallest first: at the centre of the largest node a click finds that node, and no node's centre
    is covered by a smaller one."""
    gs, path = default_size
    open_page(browser, path, timeout=60)
    browser.execute("cg.setView(arguments[0])", view)
    browser.wait_for(f"cg.view() === '{view}' && cg.stats().nodes > 0")
    time.sleep(0.3)  # the first frame of this view: vis-network places the nodes' boxes when drawing
    found = browser.execute(NODES_AT_CENTRES)
    print(f"\n{view}: {len(found['covered'])} of {found['nodes']} nodes covered at their centre by a smaller "
          f"one, e.g. {found['covered'][:3]}")
    assert found["nodes"] == min(gs[view].number_of_nodes(), 5000)
    assert found["atTop"] == found["top"]
    assert found["covered"] == []
    assert_clean(browser)


def test_compact_evidence_and_labels_read_back_whole_in_the_page(browser, tmp_path):
    """The explorer expands evidence parts, end-id marks and label lengths as page_data does."""
    from test_viz_html import EVIDENCE, LABELS, compact_graph

    path = tmp_path / "compact.html"
    render_html(compact_graph(), path)
    open_page(browser, path, timeout=10)
    shown = browser.execute("var v = cg.data.views[0]; return [v.meta.map(function (m) { return m.id; }),"
                            " v.nodes.map(function (n) { return n.text; }), v.edges.map(function (e, k) {"
                            " return [e.from, e.to, v.edgeMeta[k].evidence]; })]")
    ids, labels, edges = shown
    assert {ids[i]: text for i, text in enumerate(labels) if ids[i] in LABELS} == {n: lab for n, (_t, lab) in LABELS.items()}
    read = {tuple(sorted((ids[a], ids[b]))): text for a, b, text in edges}
    assert all(read[pair] == text for pair, text in EVIDENCE.items())
    view = page_data(path.read_text("utf-8"))["views"][0]
    assert [m["evidence"] for m in view["edgeMeta"]] == [text for _a, _b, text in edges]
    assert_clean(browser)
