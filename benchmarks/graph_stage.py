"""CPU seconds of the graph stage (``conceptgraph.graph.analyse``) on saved extract tables.

    .venv/bin/python benchmarks/graph_stage.py DIR [--jobs 2] [--profile OUT.prof]

``DIR`` holds ``papers.pkl``, ``mentions.pkl`` and ``concepts.pkl`` as ``scale.py --save DIR``
writes them (or give one pickle file of the tuple ``(papers, mentions, concepts)``).  Prints
the CPU seconds of this process (with ``--jobs 2`` the second process's are not in it) and the
wall seconds; ``--profile`` also writes a cProfile of the call.
"""
from __future__ import annotations

import argparse
import cProfile
import pickle
import time
from pathlib import Path

import pandas as pd


def load_tables(path: Path):
    if path.is_dir():
        return tuple(pd.read_pickle(path / f"{name}.pkl") for name in ("papers", "mentions", "concepts"))
    with path.open("rb") as f:
        return pickle.load(f)


def main() -> None:
    from conceptgraph.graph import analyse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tables", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--profile", metavar="OUT", help="write a cProfile of the call there")
    args = parser.parse_args()
    papers, mentions, concepts = load_tables(args.tables)
    profiler = cProfile.Profile() if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    result = analyse(papers, mentions, concepts, jobs=args.jobs)
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    print(f"analyse on {len(papers):,} papers, jobs={args.jobs}: {time.process_time() - cpu:.1f} CPU s "
          f"(this process), {time.perf_counter() - wall:.1f} s wall; "
          f"{result.paper_graph.number_of_edges():,} paper links, {result.concept_graph.number_of_edges():,} concept links")


if __name__ == "__main__":
    main()
