"""Labels as the page draws them (issue 21, item 3), and the README's picture of the real page."""
import base64
import os
import time
from pathlib import Path

import pytest

from conceptgraph.viz import render_html
from conceptgraph.viz.sample import synthetic_graphs

from browser import Browser, find_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(find_chromium() is None,
                       reason="headless Chromium not installed (apt-get install chromium chromium-driver)"),
]

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture(scope="module")
def browser():
    with Browser(width=1600, height=1000, timeout=30) as b:
        yield b


def open_page(b, path):
    b.logs("browser")
    b.get(Path(path).resolve().as_uri())
    b.wait_for("window.cg && window.cg.ready", timeout=60)
    time.sleep(0.3)
    return labels(b)


def labels(b):
    return b.execute("var r = document.getElementById('cg-network'), out = cg.labels();"
                     "out.size = [r.clientWidth, r.clientHeight]; return out;")


def overlapping(boxes):
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5:
                pairs.append((a, b))
    return pairs


def assert_readable(labels, min_node_labels):
    boxes = [x["box"] for x in labels["clusters"]] + [x["box"] for x in labels["nodes"]]
    assert overlapping(boxes) == []
    assert len(labels["nodes"]) >= min_node_labels
    w, h = labels["size"]
    assert all(b[0] >= 0 and b[2] <= w and b[3] <= h for b in boxes)  # nothing cut at the edges


def test_labels_never_overlap(browser, tmp_path):
    path = tmp_path / "map.html"
    render_html(synthetic_graphs(300, seed=11), path)
    drawn = open_page(browser, path)
    assert_readable(drawn, 1)
    # every named cluster of the view gets its name on the map
    named = browser.execute("""
        var v = cg.data.views[0], n = {};
        v.meta.forEach(function (m) { n[m.cluster] = (n[m.cluster] || 0) + 1; });
        return v.clusters.map(function (c, i) { return [i, n[i] || 0, c.other, c.id === null]; })
          .filter(function (x) { return x[1] >= 3 && !x[2] && !x[3]; }).map(function (x) { return x[0]; });""")
    assert sorted(x["cluster"] for x in drawn["clusters"]) == sorted(named)
    # zooming in labels more nodes, still without overlaps
    browser.execute("cg.network().moveTo({scale: cg.network().getScale() * 3})")
    time.sleep(0.3)
    zoomed = labels(browser)
    assert_readable(zoomed, len(drawn["nodes"]) + 1)


def test_double_clicked_cluster_fills_the_view_below_the_notice(browser, tmp_path):
    path = tmp_path / "capped.html"
    render_html(synthetic_graphs(400, seed=2)["papers"], path, max_nodes=300)
    open_page(browser, path)
    fitted, before = browser.execute("return [cg.fitted(), cg.network().getScale()]")
    browser.execute("""var row = document.querySelectorAll('#cg-legend .cg-item')[1];
                       row.dispatchEvent(new MouseEvent('dblclick', {bubbles: true}));""")
    assert browser.execute("return cg.fitted()") == fitted + 1
    xy = browser.execute("""
        var net = cg.network(), st = cg.data.views[0], out = [];
        var notice = document.getElementById('cg-notice').getBoundingClientRect();
        var r = document.getElementById('cg-network').getBoundingClientRect();
        st.meta.forEach(function (m, i) {
          if (m.cluster !== 1) return;
          var p = net.canvasToDOM(net.getPosition(i));
          out.push([p.x + r.left, p.y + r.top]);
        });
        return {pts: out, noticeBottom: notice.bottom, right: r.right, bottom: r.bottom, left: r.left,
                scale: net.getScale()};""")
    xs, ys = [p[0] for p in xy["pts"]], [p[1] for p in xy["pts"]]
    assert xy["scale"] > before  # zoomed in on the cluster ...
    assert min(ys) > xy["noticeBottom"] and max(ys) < xy["bottom"]  # ... and nothing hides under the banner
    assert min(xs) > xy["left"] and max(xs) < xy["right"]
    middle = (xy["noticeBottom"] + xy["bottom"]) / 2
    assert abs((min(ys) + max(ys)) / 2 - middle) < 0.1 * (xy["bottom"] - xy["noticeBottom"])


def test_readme_picture_is_the_page_as_drawn(browser, tmp_path):
    """docs/map.jpg: the bundled sample corpus's map at 1600 x 1000, labels as the page draws them.

    ``CG_UPDATE_DOCS=1`` writes the screenshot to docs/map.jpg (otherwise to a temporary folder).
    """
    from conceptgraph import build

    result = build(outdir=tmp_path / "out", progress=False)
    drawn = open_page(browser, result.outdir / "graph.html")
    # 13 clusters are named on the canvas; at 1600 x 1000 three paper titles fit beside them
    # without covering a name (with 8 clusters, at resolution 1.0, ten did)
    assert_readable(drawn, 3)
    assert len(drawn["clusters"]) >= 10
    shot = browser.cdp("Page.captureScreenshot", {"format": "jpeg", "quality": 82})
    target = DOCS / "map.jpg" if os.environ.get("CG_UPDATE_DOCS") else tmp_path / "map.jpg"
    target.write_bytes(base64.b64decode(shot["data"]))
    assert target.stat().st_size > 50_000
    print(f"\nscreenshot: {target}")
