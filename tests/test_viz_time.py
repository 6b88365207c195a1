"""Time in the map (issue 8): year overlay, year-range filter for concepts, timelines.

HTML-level tests run everywhere; the browser ones (marked ``browser``) drive
headless Chromium and are skipped with the reason when it is missing.
"""
import time
from pathlib import Path

import networkx as nx
import pytest

from conceptgraph.viz import render_html
from conceptgraph.viz.html import NO_YEAR_COLOUR, YEAR_SCALE, page_data, year_colour
from conceptgraph.viz.sample import synthetic_graphs

from browser import Browser, find_chromium

PROBE = "<img src=x onerror=alert(1)>"
BAD_COUNTS = "2015:2; 2016:<b>9</b>; </script><script>alert(2)</script>; 2018:4; in press:3"


def payload(html):
    return page_data(html)


def year_graph():
    """Papers 2015..2020 (one without a year) and concepts with years, in one bipartite graph."""
    G = nx.Graph()
    for k, year in enumerate([2015, 2016, 2016, 2018, 2020, None]):
        attrs = dict(kind="paper", title=f"Paper {k}", label=f"P{k}", cluster=k % 2, cluster_label=["old", "new"][k % 2],
                     pagerank=0.1 + k / 100, concepts="alpha; beta")
        if year is not None:
            attrs["year"] = year
        G.add_node(f"p{k}", **attrs)
    G.add_node("c:alpha", kind="concept", label="alpha", type="method", cluster=0, cluster_label="old", pagerank=0.2,
               first_year=2015, last_year=2016, mean_year=2015.67, counts_by_year="2015:1; 2016:2")
    G.add_node("c:beta", kind="concept", label="beta", type="dataset", cluster=1, cluster_label="new", pagerank=0.2,
               first_year=2018, last_year=2020, mean_year=2019.0, counts_by_year="2018:1; 2020:1")
    G.add_node("c:probe", kind="concept", label=PROBE, type="task", cluster=1, cluster_label=PROBE, pagerank=0.15,
               counts_by_year=BAD_COUNTS)
    G.add_node("c:none", kind="concept", label="timeless", type="metric", cluster=0, cluster_label="old", pagerank=0.1)
    for k in range(6):
        G.add_edge(f"p{k}", "c:alpha" if k < 3 else "c:beta", kind="mention", weight=1.0)
    G.add_edge("p0", "c:probe", kind="mention", weight=1.0)
    G.add_edge("p1", "c:none", kind="mention", weight=1.0)
    return G


def meta_by_id(view):
    return {m["id"]: m for m in view["meta"]}


# --------------------------------------------------------------------------- without a browser

def test_year_data_and_overlay_reach_the_page():
    html = render_html(year_graph(), view="bipartite")
    data = payload(html)
    (view,) = data["views"]
    meta = meta_by_id(view)
    assert meta["p0"]["year"] == 2015 and meta["p5"]["year"] is None
    alpha = meta["c:alpha"]
    assert (alpha["firstYear"], alpha["lastYear"], alpha["meanYear"]) == (2015, 2016, 2015.67)
    assert alpha["counts"] == [[2015, 1], [2016, 2]]
    assert "firstYear" not in meta["c:none"] and "counts" not in meta["c:none"]
    # the year scale spans the view: papers by year, concepts by mean year
    assert view["years"]["min"] == 2015 and view["years"]["max"] == 2020
    assert view["years"]["withoutYear"] == 2  # p5 and the concept without years
    assert meta["p0"]["yc"] == YEAR_SCALE[0] and meta["p4"]["yc"] == YEAR_SCALE[-1]
    assert meta["p5"]["yc"] == NO_YEAR_COLOUR == meta["c:none"]["yc"]
    assert meta["c:beta"]["yc"] == year_colour(2019.0, 2015, 2020)
    assert data["yearScale"] == list(YEAR_SCALE) and data["hasYears"] is True
    assert data["colourBy"] == "cluster"
    assert payload(render_html(year_graph(), colour_by="year"))["colourBy"] == "year"
    with pytest.raises(ValueError):
        render_html(year_graph(), colour_by="decade")
    # the toggle is built by the explorer (its labels and hooks are in the page)
    assert 'data-colour' in html and '"no years in this corpus"' in html and "cg-timeline" in html
    # clusters carry their papers per year and mean year (a timeline for a paper's cluster)
    old = [c for c in view["clusters"] if c["label"] == "old"][0]
    assert old["counts"] == [[2015, 1], [2016, 1], [2020, 1]] and old["meanYear"] == 2017.0


def test_malformed_counts_by_year_carry_only_numbers():
    html = render_html(year_graph(), view="bipartite")
    probe = meta_by_id(payload(html)["views"][0])["c:probe"]
    assert probe["counts"] == [[2015, 2], [2018, 4]]  # the markup pairs are dropped, not passed on
    assert (probe["firstYear"], probe["lastYear"], probe["meanYear"]) == (2015, 2018, 2017.0)
    assert "<b>9" not in html and "<img src=x" not in html and "alert(2)" not in html
    assert html.count("</script>") == 3


def test_no_years_means_no_overlay():
    G = nx.path_graph(4)
    data = payload(render_html(G))
    assert data["hasYears"] is False and data["views"][0]["years"] is None
    assert all("yc" not in m for m in data["views"][0]["meta"])


def test_time_output_is_deterministic():
    gs = synthetic_graphs(120, seed=3, missing_years=0.15)
    assert render_html(gs, colour_by="year") == render_html(synthetic_graphs(120, seed=3, missing_years=0.15),
                                                            colour_by="year")
    assert render_html(year_graph()) == render_html(year_graph())


def test_sample_graphs_carry_concept_years():
    gs = synthetic_graphs(80, seed=1, missing_years=0.2)
    P, C = gs["papers"], gs["concepts"]
    assert any("year" not in P.nodes[n] for n in P) and any("year" in P.nodes[n] for n in P)
    c = next(n for n in C if "counts_by_year" in C.nodes[n])
    a = C.nodes[c]
    counts = dict(tuple(map(int, part.split(":"))) for part in a["counts_by_year"].split("; "))
    assert min(counts) == a["first_year"] and max(counts) == a["last_year"]
    assert a["first_year"] <= a["mean_year"] <= a["last_year"]
    # the default keeps every paper's year (and the rest of the graph) as before
    full = synthetic_graphs(80, seed=1)["papers"]
    assert all("year" in full.nodes[n] for n in full)
    assert sorted(full.edges) == sorted(P.edges)


# --------------------------------------------------------------------------- in a browser

@pytest.fixture(scope="module")
def browser():
    if find_chromium() is None:
        pytest.skip("headless Chromium not installed")
    with Browser(width=1400, height=900, timeout=20) as b:
        yield b


def open_page(b, path):
    b.logs("performance")
    b.logs("browser")
    b.get(Path(path).resolve().as_uri())
    b.wait_for("window.cg && window.cg.ready", timeout=30)


def assert_clean(b):
    errors = [e for e in b.logs("browser") if e.get("level") == "SEVERE"]
    assert errors == [], errors
    urls = b.requested_urls()
    assert all(u.startswith(("file:", "data:", "about:")) for u in urls), urls
    assert b.execute("return window.__cgDialogs") == []


DRAWN = "return cg.network().body.nodes[arguments[0]].options.color.background"   # what vis draws
STORED = "var c = cg.nodes().get(arguments[0]).color; return c ? c.background : null"  # the DataSet


def index_of(b, original_id):
    return b.execute("var id = arguments[0]; return cg.data.views.filter(function (v) { return v.name === cg.view(); })[0]"
                     ".meta.findIndex(function (m) { return m.id === id; })", original_id)


@pytest.mark.browser
@pytest.mark.skipif(find_chromium() is None, reason="headless Chromium not installed")
def test_year_overlay_switches_colours(browser, tmp_path):
    gs = synthetic_graphs(200, seed=11, missing_years=0.1)
    path = tmp_path / "years.html"
    render_html(gs, path, title="Years")
    open_page(browser, path)
    meta = browser.execute("return cg.data.views[0].meta")
    clusters = browser.execute("return cg.data.views[0].clusters")
    dated = next(i for i, m in enumerate(meta) if m["year"] is not None and m["yc"] != clusters[m["cluster"]]["colour"])
    undated = next(i for i, m in enumerate(meta) if m["year"] is None)
    assert browser.execute("return cg.colouredAs()") == "cluster"
    assert browser.execute(DRAWN, dated) == clusters[meta[dated]["cluster"]]["colour"]
    # the legend toggle: "Colour: cluster | year"
    year_btn = browser.find('#cg-legend button[data-colour="year"]')
    assert browser.execute("return arguments[0].disabled", year_btn) is False
    browser.click(year_btn)
    browser.wait_for("cg.colouredAs() === 'year'")
    year_btn = browser.find('#cg-legend button[data-colour="year"]')  # the legend was rebuilt
    assert browser.execute("return arguments[0].getAttribute('aria-pressed')", year_btn) == "true"
    for i in (dated, undated):
        assert browser.execute(STORED, i) == meta[i]["yc"] == browser.execute(DRAWN, i)
    assert browser.execute(DRAWN, undated) == NO_YEAR_COLOUR
    assert browser.execute(DRAWN, dated) != clusters[meta[dated]["cluster"]]["colour"]
    changed = browser.execute("""
        var v = cg.data.views[0], net = cg.network(), n = 0;
        v.meta.forEach(function (m, i) { if (net.body.nodes[i].options.color.background !== v.clusters[m.cluster].colour) n++; });
        return n;""")
    assert changed > len(meta) // 2
    legend = browser.execute("return document.getElementById('cg-legend').innerText")
    assert "no year" in legend and "2012" in legend
    assert browser.execute("return document.querySelector('#cg-legend .cg-ramp').style.background").startswith("linear-gradient")
    # selecting dims in year colours; clearing restores them
    browser.execute("cg.select(arguments[0])", dated)
    browser.execute("cg.clear()")
    assert browser.execute(DRAWN, undated) == NO_YEAR_COLOUR
    # the mode follows to the other views (concepts: by mean year)
    browser.execute("cg.setView('concepts')")
    assert browser.execute("return cg.colouredAs()") == "year"
    cmeta = browser.execute("return cg.data.views[1].meta")
    assert all(browser.execute(DRAWN, i) == m["yc"] for i, m in enumerate(cmeta[:20]))
    browser.execute("cg.setView('papers')")
    browser.click(browser.find('#cg-legend button[data-colour="cluster"]'))
    browser.wait_for("cg.colouredAs() === 'cluster'")
    assert browser.execute(DRAWN, dated) == clusters[meta[dated]["cluster"]]["colour"]
    assert_clean(browser)


@pytest.mark.browser
@pytest.mark.skipif(find_chromium() is None, reason="headless Chromium not installed")
def test_toggle_disabled_without_years(browser, tmp_path):
    G = synthetic_graphs(30, seed=2)["papers"]
    for n in G:
        del G.nodes[n]["year"]
    path = tmp_path / "noyears.html"
    render_html(G, path, colour_by="year")
    open_page(browser, path)
    btn = browser.find('#cg-legend button[data-colour="year"]')
    assert browser.execute("return arguments[0].disabled", btn) is True
    assert "no years in this corpus" in browser.execute("return document.getElementById('cg-legend').innerText")
    assert browser.execute("return cg.colouredAs()") == "cluster"
    assert_clean(browser)


@pytest.mark.browser
@pytest.mark.skipif(find_chromium() is None, reason="headless Chromium not installed")
def test_concept_timeline_and_year_filter(browser, tmp_path):
    G = year_graph()
    path = tmp_path / "timeline.html"
    render_html({"bipartite": G, "concepts": G.subgraph([n for n in G if n.startswith("c:")]).copy()}, path,
                view="bipartite", title="Timelines")
    open_page(browser, path)
    # a concept with counts_by_year: one bar per year with papers, built as SVG elements
    browser.execute("cg.select(arguments[0])", index_of(browser, "c:alpha"))
    bars = browser.execute("""return Array.prototype.map.call(document.querySelectorAll('#cg-panel svg.cg-timeline rect.cg-bar'),
        function (r) { return [r.getAttribute('data-year'), r.getAttribute('data-count'), r.textContent,
                               r.namespaceURI, +r.getAttribute('height')]; })""")
    assert [b[:3] for b in bars] == [["2015", "1", "2015: 1 paper"], ["2016", "2", "2016: 2 papers"]]
    assert all(b[3] == "http://www.w3.org/2000/svg" and b[4] > 0 for b in bars)
    assert bars[1][4] > bars[0][4]
    assert "2015–2016" in browser.execute("return document.getElementById('cg-panel').innerText")
    # the probe concept: its label and malformed counts inject nothing
    browser.execute("cg.select(arguments[0])", index_of(browser, "c:probe"))
    assert browser.execute("return document.querySelector('#cg-panel h2').textContent") == PROBE
    years = browser.execute("return Array.prototype.map.call(document.querySelectorAll('#cg-panel rect.cg-bar'),"
                            " function (r) { return r.getAttribute('data-year'); })")
    assert years == ["2015", "2018"]
    injected = browser.execute("""return {img: document.querySelectorAll('img').length,
        handlers: document.querySelectorAll('[onload],[onerror]').length, b: document.querySelectorAll('#cg-panel b').length,
        scripts: document.scripts.length, title: document.title}""")
    assert injected == {"img": 0, "handlers": 0, "b": 0, "scripts": 3, "title": "Timelines"}
    # a paper's panel shows its cluster's papers per year, its own year highlighted
    browser.execute("cg.select(arguments[0])", index_of(browser, "p3"))
    assert browser.execute("return document.querySelectorAll('#cg-panel svg.cg-timeline rect.cg-bar').length") >= 2
    # year-range filter in the concepts view: concepts stay when first..last overlaps the range
    browser.execute("cg.clear(); cg.setView('concepts')")
    total = browser.execute("return cg.stats().nodes")
    assert total == 4
    frm = browser.find('#cg-legend input[aria-label="from year"]')
    browser.type(frm, "2017")
    browser.execute("arguments[0].dispatchEvent(new Event('change'))", frm)
    # alpha (2015-2016) goes; beta (2018-2020), probe (2015-2018) and the undated concept stay
    browser.wait_for("cg.stats().nodes === 3")
    # the shown view's own records (views[0] here; the bipartite view's first records once matched them)
    shown = browser.execute("var v = cg.data.views.filter(function (v) { return v.name === cg.view(); })[0];"
                            " return cg.network().body.nodeIndices.map(function (i) { return v.meta[i].id; }).sort()")
    assert shown == ["c:beta", "c:none", "c:probe"]
    to = browser.find('#cg-legend input[aria-label="to year"]')
    browser.type(to, "2017")
    browser.execute("arguments[0].dispatchEvent(new Event('change'))", to)
    browser.wait_for("cg.stats().nodes === 2")  # beta starts in 2018
    browser.click(browser.find("#cg-legend .cg-sec:last-child .cg-linkbtn"))
    assert browser.execute("return cg.stats().nodes") == total
    time.sleep(0.1)
    assert_clean(browser)
