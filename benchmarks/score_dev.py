"""Score the extractor on the SciREX dev file (or any file in its format).

Runs :func:`conceptgraph.extract.nlp.extract_mentions` on the records (``title`` as
context, only abstract-field mentions predicted, as in the gold), writes the
predictions and runs the project scorer on them.

Usage::

    python benchmarks/score_dev.py [GOLD.jsonl] [-o pred.jsonl] [--errors N] [--map ...]
    python benchmarks/score_dev.py --map method=Method,architecture=Method,dataset=Material,task=Task,metric=Metric

``--errors N`` prints N false positives and false negatives per type, for error analysis.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

from conceptgraph.extract.nlp import build_nlp, extract_mentions

# The shared material lies beside the repository (../shared), here and in CI.
SHARED = Path(__file__).resolve().parents[2] / "shared"

GOLD = SHARED / "eval/scirex-dev.jsonl"
SCORER = SHARED / "eval/score.py"
TYPE_MAP = {"method": "Method", "architecture": "Method", "dataset": "Material", "task": "Task",
            "metric": "Metric"}


def predict(gold_path: Path, nlp=None) -> dict[str, list[dict]]:
    """Predicted abstract mentions per record id, offsets into the record's ``text``."""
    recs = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    papers = pd.DataFrame({"id": [r["id"] for r in recs], "title": [r.get("title") or "" for r in recs],
                           "abstract": [r["text"] for r in recs], "lang": "en"})
    mentions, _ = extract_mentions(papers, nlp=nlp or build_nlp())
    out: dict[str, list[dict]] = {r["id"]: [] for r in recs}
    for m in mentions[mentions.field == "abstract"].itertuples():
        out[m.paper_id].append({"start": m.start, "end": m.end, "text": m.text, "type": m.type,
                                "concept": m.concept_id})
    return out


def parse_map(spec: str | None) -> dict[str, str]:
    """``method=Method,dataset=Dataset`` as a dict (None: :data:`TYPE_MAP`)."""
    if not spec:
        return dict(TYPE_MAP)
    return dict(item.split("=", 1) for item in spec.split(","))


def show_errors(gold_path: Path, pred: dict, n: int, type_map: dict[str, str] | None = None) -> None:
    """Print up to n false positives and false negatives (by overlap) per gold type."""
    type_map = type_map or TYPE_MAP
    fps, fns = {}, {}
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        gold = rec["mentions"]
        preds = pred.get(rec["id"], [])
        preds = [p for p in preds if p["type"] in type_map]
        for p in preds:
            t = type_map[p["type"]]
            if not any(g["type"] == t and g["start"] < p["end"] and p["start"] < g["end"] for g in gold):
                other = [g["type"] for g in gold if g["start"] < p["end"] and p["start"] < g["end"]]
                fps.setdefault(t, []).append(f"{p['text']!r} {other or ''}")
        for g in gold:
            if g["type"] not in type_map.values():
                continue
            if not any(type_map[p["type"]] == g["type"] and g["start"] < p["end"] and p["start"] < g["end"]
                       for p in preds):
                fns.setdefault(g["type"], []).append(repr(g["text"]))
    for title, table in (("FALSE POSITIVES", fps), ("FALSE NEGATIVES", fns)):
        for t, items in sorted(table.items()):
            print(f"== {title} {t} ({len(items)})")
            print(" | ".join(items[:n]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="?", type=Path, default=GOLD)
    ap.add_argument("-o", "--output", type=Path, default=Path(tempfile.gettempdir()) / "conceptgraph-pred-dev.jsonl",
                    help="where to write the predictions (default: the temp folder)")
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--map", default=None, help="passed to the scorer")
    ap.add_argument("--gold-types", default=None, help="passed to the scorer")
    a = ap.parse_args(argv)
    pred = predict(a.gold)
    with a.output.open("w", encoding="utf-8") as fh:
        for rid, ms in pred.items():
            fh.write(json.dumps({"id": rid, "mentions": ms}) + "\n")
    if a.errors:
        show_errors(a.gold, pred, a.errors, parse_map(a.map))
    cmd = [sys.executable, str(SCORER), str(a.gold), str(a.output)] + (["--map", a.map] if a.map else []) \
        + (["--gold-types", a.gold_types] if a.gold_types else [])
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
