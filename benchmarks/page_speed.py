"""How long a click on a node takes to open the side panel in graph.html (issue 19), headless Chromium.

For one page (``graph.html`` of a build, or a synthetic one built here) it clicks, with a real
mouse event through WebDriver, the nodes where the explorer has the most work:

- **papers, top degree**: the paper with the most links in the Papers view;
- **papers, median degree**: a paper of median degree there (the ordinary click);
- **concepts, top degree** and **concepts, top PageRank**: the most central concept of the Concepts view;
- **bipartite, top concept** / **top paper**: the same in the Papers + concepts view, where a
  central concept is linked to hundreds or thousands of papers;

each ``--repeat`` times (the selection is cleared in between), zoomed to scale 1.2 on the node with
the mouse resting on it first (``click_node`` in ``tests/browser.py``, which the browser test uses
too). A node wholly covered by others (dense hubs of real maps) gets vis-network's click event
instead (``click`` column: ``event``). Per click it reports

- ``handler_ms``: from the mouse-up event (``event.timeStamp``) to the moment the panel is shown
  (its ``hidden`` attribute goes, seen by a MutationObserver), both in the page's clock;
- ``painted_ms``: from the mouse-up to the first animation frame after that, once its scripts ran
  (vis-network draws the map in it; rasterising that drawing comes after, so only ``wall_ms`` has it);
- ``wall_ms``: from sending the click to WebDriver seeing the panel open (what the browser test
  measures; includes WebDriver round trips);
- ``clear_ms``: clearing that selection again (``cg.clear()``, in the page's clock);
- ``draws``: how many times the map was drawn from the mouse-up until 0.5 s after that frame.

Examples::

    .venv/bin/python benchmarks/page_speed.py --synthetic 5000              # the default-size test page
    .venv/bin/python benchmarks/page_speed.py /tmp/page50k/graph.html --json
    .venv/bin/python benchmarks/page_speed.py --synthetic 5000 --keep /tmp/syn5k.html --repeat 5

It needs Debian's ``chromium`` and ``chromium-driver`` (the tests' driver, ``tests/browser.py``).
Run it with ``nice -n 10`` on a shared machine and read the load average it prints.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from browser import Browser, click_node, find_chromium  # noqa: E402

# In the page: which node of a view to click (degree = links drawn at the node, from the page's data)
PICK = """
var name = arguments[0], how = arguments[1];
var v = cg.data.views.filter(function (x) { return x.name === name; })[0];
if (!v) return null;
var deg = new Array(v.meta.length).fill(0);
v.edges.forEach(function (e) { deg[e.from]++; if (e.to !== e.from) deg[e.to]++; });
var want = how === 'concept' || name === 'concepts' ? 'concept' : 'paper';
var ids = [];
for (var i = 0; i < v.meta.length; i++) if (v.meta[i].kind === want) ids.push(i);
if (!ids.length) return null;
var pick;
if (how === 'pagerank') {
  ids.sort(function (a, b) { return (v.meta[b].pagerank - v.meta[a].pagerank) || (a - b); });
  pick = ids[0];
} else {
  ids.sort(function (a, b) { return (deg[b] - deg[a]) || (a - b); });
  pick = how === 'median' ? ids[Math.floor(ids.length / 2)] : ids[0];
}
return {i: pick, degree: deg[pick], title: v.meta[pick].title, nodes: v.meta.length, edges: v.edges.length};
"""

CLEAR = """
var t = performance.now();
cg.clear();
return performance.now() - t;
"""

CASES = [("papers", "top"), ("papers", "median"), ("concepts", "concept"), ("concepts", "pagerank"),
         ("bipartite", "concept"), ("bipartite", "top")]
CASE_NAMES = {("papers", "top"): "papers, top degree", ("papers", "median"): "papers, median degree",
              ("concepts", "concept"): "concepts, top degree", ("concepts", "pagerank"): "concepts, top PageRank",
              ("bipartite", "concept"): "bipartite, top concept", ("bipartite", "top"): "bipartite, top paper"}


def build_synthetic(n: int, path: Path, seed: int = 5) -> Path:
    """The browser tests' default-size page: ``synthetic_graphs(n, seed)`` through ``render_html``."""
    from conceptgraph.viz import render_html
    from conceptgraph.viz.sample import synthetic_graphs

    render_html(synthetic_graphs(n, seed=seed), path, title=f"{n:,} synthetic papers")
    return path


def open_page(b: Browser, path: Path, timeout: float = 120.0) -> float:
    start = time.monotonic()
    b.get(path.resolve().as_uri())
    b.wait_for("window.cg && window.cg.ready", timeout=timeout)
    return time.monotonic() - start


def click_once(b: Browser, i: int, timeout: float) -> dict:
    row = click_node(b, i, timeout=timeout)
    row["clear_ms"] = b.execute(CLEAR)
    return row


def measure(path: Path, repeat: int = 3, timeout: float = 60.0) -> dict:
    rows = []
    with Browser(width=1400, height=900, timeout=timeout) as b:
        load_s = open_page(b, path)
        ready_ms = b.execute("return cg.readyMs")
        views = b.execute("return cg.data.views.map(function (v) { return v.name; })")
        for view, how in CASES:
            if view not in views:
                continue
            b.execute("cg.setView(arguments[0])", view)
            b.wait_for(f"cg.view() === '{view}' && cg.stats().nodes > 0", timeout=timeout)
            time.sleep(0.3)
            pick = b.execute(PICK, view, how)
            if pick is None:
                continue
            stats = b.execute("return cg.stats()")
            clicks = [click_once(b, pick["i"], timeout) for _ in range(repeat)]
            row = {"case": CASE_NAMES[(view, how)], "view": view, "node": pick["i"], "degree": pick["degree"],
                   "title": pick["title"], "view_nodes": stats["nodes"], "view_edges": stats["edges"],
                   "edge_layer": stats["edgeLayer"], "clicks": clicks}
            row["how"] = "/".join(sorted({c["how"] for c in clicks}))
            for key in ("handler_ms", "painted_ms", "wall_ms", "clear_ms", "draws"):
                row[key] = statistics.median(c[key] for c in clicks)
            rows.append(row)
        errors = [e for e in b.logs("browser") if e.get("level") == "SEVERE"]
    return {"page": str(path), "page_mb": path.stat().st_size / 1e6, "load_s": load_s, "ready_ms": ready_ms,
            "repeat": repeat, "rows": rows, "errors": errors,
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                        "load_average": os.getloadavg()},
            "when_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def table(result: dict) -> str:
    out = [f"{result['page']}: {result['page_mb']:.1f} MB, ready {result['ready_ms']} ms after navigation "
           f"({result['load_s']:.1f} s seen from WebDriver); {result['when_utc']}, load average "
           + " ".join(f"{x:.2f}" for x in result["machine"]["load_average"]) + f" on {result['machine']['cpus']} CPUs",
           f"medians of {result['repeat']} clicks each (ms):",
           f"{'case':<24} {'click':>5} {'node':>6} {'degree':>7} {'view edges':>11} {'layer':>6} {'handler':>8} {'painted':>8}"
           f" {'wall':>8} {'clear':>7} {'draws':>5}"]
    for r in result["rows"]:
        out.append(f"{r['case']:<24} {r['how']:>5} {r['node']:>6} {r['degree']:>7} {r['view_edges']:>11} {r['edge_layer']:>6}"
                   f" {r['handler_ms']:>8.0f} {r['painted_ms']:>8.0f} {r['wall_ms']:>8.0f} {r['clear_ms']:>7.0f} {r['draws']:>5.0f}")
    if result["errors"]:
        out.append(f"console errors: {result['errors']}")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("page", nargs="?", help="a graph.html (omit with --synthetic)")
    ap.add_argument("--synthetic", type=int, metavar="N", help="build a page of N synthetic papers first")
    ap.add_argument("--seed", type=int, default=5, help="seed of the synthetic page (default 5, as the tests)")
    ap.add_argument("--keep", metavar="FILE", help="where to keep the synthetic page (default: a temporary file)")
    ap.add_argument("--repeat", type=int, default=3, help="clicks per case (default 3; medians are reported)")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args(argv)
    if find_chromium() is None:
        print("page_speed: chromium and chromedriver are needed (apt-get install chromium chromium-driver)",
              file=sys.stderr)
        return 2
    if (args.page is None) == (args.synthetic is None):
        ap.error("give a graph.html or --synthetic N")
    with tempfile.TemporaryDirectory(prefix="cg-page-speed-") as tmp:
        if args.synthetic is not None:
            path = Path(args.keep) if args.keep else Path(tmp) / "synthetic.html"
            t = time.perf_counter()
            build_synthetic(args.synthetic, path, args.seed)
            print(f"built {path} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        else:
            path = Path(args.page)
        result = measure(path, args.repeat, args.timeout)
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
