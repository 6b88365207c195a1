"""A judged sample of extracted concepts on recent abstracts the rules were not tuned on.

Extracts lines 45,001-50,000 (by default) of the arXiv-recent corpus, draws concepts
with a fixed seed and either prints them for judging (with one sentence of context)
or reads a judgements file and reports the shares::

    python benchmarks/judged_sample.py --draw 160 > sample.tsv      # to judge
    python benchmarks/judged_sample.py --judged benchmarks/judged_sample.tsv

A judgements file is TSV with a header: ``concept_id, label, type, n_papers, verdict,
note, context``; ``verdict`` is ``right``, ``wrong-type`` (a concept, wrongly typed) or
``not-concept``. Concepts that no longer occur are reported, not counted (the sample
was judged on the code of its commit), and so are those whose label or type changed since. The
script also prints how many concepts only one paper names.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections import Counter
from itertools import islice
from pathlib import Path

import pandas as pd

from conceptgraph.extract.nlp import extract_mentions

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpora/arxiv-recent-cs/papers.jsonl"
VERDICTS = ("right", "wrong-type", "not-concept")


def read_papers(path: Path, first: int, last: int) -> pd.DataFrame:
    """Lines ``first``..``last`` (1-based, inclusive) of a JSON Lines file of papers."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in islice(fh, first - 1, last):
            rec = json.loads(line)
            rows.append({"id": str(rec["id"]), "title": rec.get("title") or "",
                         "abstract": rec.get("abstract") or "", "lang": "en"})
    return pd.DataFrame(rows)


def context(papers: pd.DataFrame, mentions: pd.DataFrame, cid: str) -> str:
    """The sentence around the first mention of a concept, on one line."""
    m = mentions[mentions.concept_id == cid].iloc[0]
    row = papers.set_index("id").loc[m.paper_id]
    text = row["abstract"] if m.field == "abstract" else row["title"]
    lo = max(text.rfind(". ", 0, m.start) + 2, m.start - 120, 0)
    hi = min([i for i in (text.find(". ", m.end), m.end + 120, len(text)) if i >= 0])
    snippet = text[lo:m.start] + "[[" + text[m.start:m.end] + "]]" + text[m.end:hi]
    return re.sub(r"\s+", " ", snippet)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", type=Path, default=CORPUS)
    ap.add_argument("--first", type=int, default=45_001, help="first line (1-based; default 45,001)")
    ap.add_argument("--last", type=int, default=50_000, help="last line (default 50,000)")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--draw", type=int, default=0, help="print this many drawn concepts as TSV to judge")
    ap.add_argument("--judged", type=Path, help="judgements TSV to score")
    a = ap.parse_args(argv)
    papers = read_papers(a.input, a.first, a.last)
    mentions, concepts = extract_mentions(papers)
    single = int((concepts.n_papers == 1).sum())
    print(f"papers {len(papers)} (lines {a.first:,}-{a.last:,} of {a.input.name}); mentions {len(mentions):,}; "
          f"concepts {len(concepts):,}, named by one paper only {single:,} ({single / len(concepts):.1%})",
          file=sys.stderr)
    if a.draw:
        ids = sorted(concepts.concept_id)
        drawn = random.Random(a.seed).sample(ids, a.draw)
        by_id = concepts.set_index("concept_id")
        out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
        out.writerow(["concept_id", "label", "type", "n_papers", "verdict", "note", "context"])
        for cid in drawn:
            row = by_id.loc[cid]
            out.writerow([cid, row.label, row.type, int(row.n_papers), "", "", context(papers, mentions, cid)])
    if a.judged:
        with a.judged.open(encoding="utf-8") as fh:
            judged = list(csv.DictReader(fh, delimiter="\t"))
        present = set(concepts.concept_id)
        bad = [r for r in judged if r["verdict"] not in VERDICTS]
        if bad:
            print(f"{a.judged}: unknown verdict {bad[0]['verdict']!r} for {bad[0]['concept_id']}", file=sys.stderr)
            return 2
        kept = [r for r in judged if r["concept_id"] in present]
        # A verdict holds for the label and type it was given on: list those that changed since.
        now = concepts.set_index("concept_id")
        changed = [r for r in kept if (now.at[r["concept_id"], "label"], now.at[r["concept_id"], "type"])
                   != (r["label"], r["type"])]
        for r in changed:
            print(f"changed since judged: {r['concept_id']} {r['label']!r}/{r['type']} -> "
                  f"{now.at[r['concept_id'], 'label']!r}/{now.at[r['concept_id'], 'type']} (verdict {r['verdict']})")
        counts = Counter(r["verdict"] for r in kept)
        print(f"judged {len(judged)}, still extracted {len(kept)}")
        for verdict in VERDICTS:
            print(f"  {verdict:12s} {counts[verdict]:4d}  {counts[verdict] / max(len(kept), 1):6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
