"""Issue 22 item 4 by hand: a corpus naming CONSTRUCTOR / __proto__ built by the real CLI, its page in headless Chromium.

    .venv-map/bin/python benchmarks/attacks_page.py .     # the argument: the checkout (for tests/browser.py)
"""
import json, subprocess, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1] + "/tests")
from browser import Browser
cg = Path(sys.executable).with_name("conceptgraph")
d = Path(tempfile.mkdtemp())
rows = [{"id": f"p{i}", "title": t, "abstract": a} for i, (t, a) in enumerate([
    ("CONSTRUCTOR: a parser", "We propose CONSTRUCTOR, a parser trained on Penn Treebank with LSTM."),
    ("__proto__ nets", "We propose __proto__Net and compare with CONSTRUCTOR on Penn Treebank using LSTM."),
    ("hasOwnProperty", "We evaluate toString and valueOf models, CONSTRUCTOR and LSTM on Penn Treebank.")])]
(d / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
(d / "lex.jsonl").write_text(json.dumps({"label": "__proto__", "type": "method"}) + "\n" + json.dumps({"label": "constructor", "type": "dataset"}) + "\n")
r = subprocess.run([str(cg), "build", str(d / "c.jsonl"), "--lexicon", str(d / "lex.jsonl"), "-o", str(d / "out"), "-q"], capture_output=True, text=True)
print("build exit", r.returncode, r.stderr.strip())
with Browser() as b:
    b.get((d / "out" / "graph.html").as_uri())
    b.wait_for("window.cg && window.cg.ready", timeout=30)
    print("stats", b.execute("return cg.stats()"))
    print("prototype clean", b.execute("return [Object.keys(Object.prototype).length, ({}).constructor === Object]"))
    print("search CONSTRUCTOR", b.execute("return cg.search('CONSTRUCTOR')") is not None)
    print("console", [m for m in b.logs("browser") if m.get("level") == "SEVERE"])
    b.execute("cg.setView('bipartite')")
    for w in ("CONSTRUCTOR", "__proto__", "hasOwnProperty"):
        print("bipartite search", w, b.execute("return cg.search(arguments[0])", w) is not None)
    print("console", [m for m in b.logs("browser") if m.get("level") == "SEVERE"])
