"""Inferred citations on real abstracts: how long they take and what they find.

The first ``--first`` lines of ``arxiv-recent-cs/papers.jsonl`` are read with ``conceptgraph.load``
and extracted as ``conceptgraph build`` does (``--cache-dir`` keeps the extraction between runs);
then ``concept_introductions`` and ``inferred_citations`` run on the tables, each timed in CPU
seconds of this process, and ``analyse``'s similarity cut (the paper vectors' cosine) is applied as
``analyse`` applies it.  Reported: the name matches, the edges kept, the in-degree distribution after
the cut, the papers the in-degree cap (1 % of the papers) reached before it, and the load average.

Example::

    nice -n 5 .venv/bin/python benchmarks/citations.py --first 50000 --cache-dir /tmp/cg-cache --json
"""
from __future__ import annotations

import argparse
import inspect
import json
import os
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "arxiv-recent-cs" / "papers.jsonl"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--first", type=int, default=5000, help="lines of the corpus to use")
    parser.add_argument("--cache-dir", type=Path, help="keep extraction results here between runs")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--edges-out", type=Path, help="write the kept inferred citations here (CSV) to read them")
    args = parser.parse_args(argv)

    import conceptgraph
    from conceptgraph.extract.engine import extract_papers
    from conceptgraph.graph import _clean_inputs, analyse, incidence, paper_vectors, similar_inferred, term_incidence
    from conceptgraph.graph.citations import _dated_earlier, concept_introductions, inferred_citations

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "papers.jsonl"
        with open(CORPUS, encoding="utf-8") as fh, open(path, "w", encoding="utf-8") as out:
            for i, line in enumerate(fh):
                if i >= args.first:
                    break
                out.write(line)
        papers = conceptgraph.load([path])
    mentions, concepts = extract_papers(papers, cache_dir=args.cache_dir)
    mentions.attrs.pop("extraction", None)
    papers, mentions, concepts = _clean_inputs(papers, mentions, concepts)
    load_before = os.getloadavg()[0]
    t0 = time.process_time()
    introductions = concept_introductions(papers, mentions, concepts)
    t1 = time.process_time()
    inferred = inferred_citations(papers, mentions, concepts, introductions=introductions)
    t2 = time.process_time()
    report = inferred.attrs["report"]
    inc = incidence(papers, mentions, concepts)
    vectors = paper_vectors(inc, concepts, term_incidence(papers)).vectors
    defaults = inspect.signature(analyse).parameters
    similar, _ = similar_inferred(inferred, vectors, inc.paper_ids,
                                  min_similarity=defaults["inferred_min_similarity"].default)
    kept = inferred[similar]
    if args.edges_out is not None:
        kept[["citing", "cited", "level", "concepts", "evidence"]].to_csv(args.edges_out, index=False)
    in_degree = kept["cited"].value_counts()
    out = {"papers": len(papers), "introductions": len(introductions), "name_matches": len(inferred),
           "kept_after_similarity": len(kept),
           "kept_citing_dated_before_cited": int(_dated_earlier(papers, kept["citing"], kept["cited"]).sum()),
           "papers_cited": int(in_degree.size),
           "max_in_degree": int(in_degree.max()) if len(in_degree) else 0,
           "in_degree": {int(k): int(v) for k, v in in_degree.value_counts().sort_index().items()},
           "cap": report["max_citers"], "papers_capped_before_similarity": report["papers_capped"],
           "cpu_s": {"concept_introductions": round(t1 - t0, 1), "inferred_citations": round(t2 - t1, 1)},
           "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)]}
    print(json.dumps(out, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
