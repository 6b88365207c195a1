"""Scale benchmark: N synthetic abstracts through load → extract → graph → analytics → render.

The corpus is made of the bundled sample corpus's abstracts recombined
sentence-wise with a fixed seed (so concepts vary from paper to paper while
the language stays real), written as JSON Lines and read back by ``load``.
Each stage reports wall seconds and peak RSS (resident memory of this process
plus its worker processes, sampled every 20 ms with psutil; the ``ru_maxrss``
high-water marks are printed too).

Examples::

    python benchmarks/scale.py --papers 100000 --json
    python benchmarks/scale.py --papers 1000000 --jobs 2 --extract-only --json

Real corpora (``--input``): ``conceptgraph.pipeline.build`` itself runs on the given
files (``--first N``: the first N lines of each), so every stage a user waits for is
timed — reading, extraction, graph and analytics, writing the tables and graphs,
drawing the map, switching the files in — from the build's own ``timings_s``, each
with the peak RSS sampled within its time window; ``--synthetic`` adds a row for a
synthetic corpus of as many papers, built the same way and labelled as such::

    python benchmarks/scale.py --input ../shared/corpora/arxiv-recent-cs/papers.jsonl --first 10000 --synthetic
    python benchmarks/scale.py --input ../shared/corpora/citeseer
    python benchmarks/scale.py --build --papers 1000000 --json   # a million, end to end

``--extract-only`` streams the generated papers chunk by chunk into
:func:`conceptgraph.extract.engine.extract_to_parquet` (nothing holds the
whole corpus), which is how a million abstracts stay within memory.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

_SENTENCE = re.compile(r"(?<=[.!?。])\s+(?=[A-Z0-9\"'(\[])|(?<=。)")


def _pools():
    import conceptgraph

    papers = conceptgraph.load()
    sentences = []
    for abstract in papers["abstract"]:
        sentences += [s.strip() for s in _SENTENCE.split(abstract) if s.strip()]
    titles = [t for t in papers["title"] if t]
    return sentences, titles


def synthetic_chunks(n: int, seed: int = 0, chunk_size: int = 10_000):
    """Yield dict-of-lists chunks (title, abstract, year) of ``n`` synthetic papers, reproducibly."""
    from conceptgraph.extract.corpus import normalise_text

    sentences, titles = _pools()
    title_words = [t.split() for t in titles]
    rng = np.random.default_rng(seed)
    seen_titles: set[str] = set()
    made = 0
    while made < n:
        m = min(chunk_size, n - made)
        lengths = rng.integers(4, 10, size=m)
        picks = rng.integers(0, len(sentences), size=int(lengths.sum()))
        t1 = rng.integers(0, len(titles), size=m)
        t2 = rng.integers(0, len(titles), size=m)
        years = rng.integers(2012, 2025, size=m)
        out_t, out_a = [], []
        pos = 0
        for i in range(m):
            k = int(lengths[i])
            out_a.append(" ".join(sentences[j] for j in picks[pos:pos + k]))
            pos += k
            # Half of one title + half of another: titles vary and (made unique) never merge papers.
            a, b = title_words[t1[i]], title_words[t2[i]]
            title = " ".join(a[:max(1, len(a) // 2)] + b[len(b) // 2:])
            key = normalise_text(title)
            if key in seen_titles:
                title, key = f"{title} ({made + i})", f"{key} {made + i}"
            seen_titles.add(key)
            out_t.append(title)
        yield {"title": out_t, "abstract": out_a, "year": [int(y) for y in years]}
        made += m


#: Papers per file of a generated corpus: one file of 1,000,000 (1.1 GiB) is more than ``load``
#: reads from one file, and a corpus that size comes as several files anyway.
SHARD_PAPERS = 100_000


def write_corpus(path: Path, n: int, seed: int = 0) -> Path:
    """Write ``n`` synthetic papers into the directory ``path`` as JSON Lines files of ``SHARD_PAPERS``."""
    path.mkdir(parents=True, exist_ok=True)
    fh, written = None, 0
    try:
        for chunk in synthetic_chunks(n, seed):
            for t, a, y in zip(chunk["title"], chunk["abstract"], chunk["year"]):
                if written % SHARD_PAPERS == 0:
                    if fh:
                        fh.close()
                    fh = open(path / f"part-{written // SHARD_PAPERS:04d}.jsonl", "w", encoding="utf-8")
                fh.write(json.dumps({"title": t, "abstract": a, "year": y}, ensure_ascii=False) + "\n")
                written += 1
    finally:
        if fh:
            fh.close()
    return path


class Memory:
    """Peak RSS of this process and its children, sampled in a thread (``samples``: (time, bytes))."""

    def __init__(self, interval: float = 0.02):
        import psutil

        self.proc = psutil.Process()
        self.interval = interval
        self.peak = 0
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def rss(self) -> int:
        total = 0
        try:
            total = self.proc.memory_info().rss
            for child in self.proc.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except Exception:
                    pass
        except Exception:
            pass
        return total

    def _run(self):
        while not self._stop.is_set():
            rss = self.rss()
            self.peak = max(self.peak, rss)
            self.samples.append((time.perf_counter(), rss))
            time.sleep(self.interval)

    def peak_between(self, start: float, end: float) -> int:
        return max((rss for t, rss in self.samples if start <= t <= end), default=0)

    def reset(self):
        self.peak = self.rss()

    def stop(self):
        self._stop.set()
        self._thread.join()


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _gib(n_bytes: float) -> float:
    return round(n_bytes / 2 ** 30, 3)


def run(args) -> dict:
    import conceptgraph
    from conceptgraph.extract import engine

    work = Path(args.workdir or tempfile.mkdtemp(prefix="cg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    mem = Memory()
    stages: list[dict] = []
    result = {"papers": args.papers, "jobs": args.jobs, "batch_size": args.batch_size, "seed": args.seed,
              "cpus": os.cpu_count(), "stages": stages, "workdir": str(work)}

    @contextmanager
    def stage(name):
        mem.reset()
        start, cpu_start, t0 = time.perf_counter(), _cpu(), os.times()
        info: dict = {}
        yield info
        seconds = time.perf_counter() - start
        t1 = os.times()
        # CPU seconds (this process and its finished workers): comparable when the machine is shared.
        row = {"stage": name, "seconds": round(seconds, 2), "cpu_s": round(_cpu() - cpu_start, 2),
               "cpu_main_s": round(t1.user + t1.system - t0.user - t0.system, 2),
               "peak_rss_gib": _gib(mem.peak), **info}
        stages.append(row)
        if not args.json:
            print(f"{name:>10}: {seconds:8.2f} s  {row['cpu_s']:8.2f} cpu-s  peak RSS {_gib(mem.peak):6.2f} GiB  {info or ''}",
                  file=sys.stderr, flush=True)

    total_start = time.perf_counter()
    if args.extract_only:
        out = work / "mentions"
        with stage("extract") as info:
            stats = engine.extract_to_parquet(
                (pd.DataFrame(c) for c in synthetic_chunks(args.papers, args.seed, args.chunk_size)),
                out, jobs=args.jobs, batch_size=args.batch_size, progress=args.progress,
                total=args.papers)
            info.update({"mentions": stats["mentions"], "concepts": stats["concepts"],
                         "papers_per_s": round(args.papers / max(stats["seconds"], 1e-9))})
    else:
        corpus = work / "corpus"
        with stage("generate") as info:
            write_corpus(corpus, args.papers, args.seed)
            info["bytes"] = _size([str(corpus)])
        with stage("load") as info:
            papers = conceptgraph.load(corpus)
            info["papers"] = len(papers)
        with stage("extract") as info:
            mentions, concepts = engine.extract_papers(papers, jobs=args.jobs, batch_size=args.batch_size,
                                                       progress=args.progress)
            info.update({"mentions": len(mentions), "concepts": len(concepts)})
        stages[-1]["papers_per_s"] = round(len(papers) / max(stages[-1]["seconds"], 1e-9))
        if args.save:
            save = Path(args.save)
            save.mkdir(parents=True, exist_ok=True)
            papers.to_pickle(save / "papers.pkl")
            mentions.to_pickle(save / "mentions.pkl")
            concepts.to_pickle(save / "concepts.pkl")
        if not args.no_graph:
            from conceptgraph import graph as cg_graph

            with stage("graph") as info:
                graphs = cg_graph.analyse(papers, mentions, concepts, seed=42, jobs=args.jobs)
                info.update({"paper_edges": len(graphs.paper_edges),
                             "clusters": int(graphs.clusters.shape[0])})
                timings = getattr(graphs, "timings", None)
                if timings:
                    info["substages_s"] = {k: round(v, 2) for k, v in timings.items()}
            with stage("render") as info:
                from conceptgraph import viz

                html = work / "graph.html"
                viz.render_html({"papers": graphs.paper_graph, "concepts": graphs.concept_graph,
                                 "bipartite": graphs.bipartite}, html, title="scale benchmark", seed=42)
                info["html_bytes"] = html.stat().st_size
    result["total_seconds"] = round(time.perf_counter() - total_start, 2)
    result["total_without_generate_s"] = round(sum(s["seconds"] for s in stages if s["stage"] != "generate"), 2)
    mem.stop()
    result["peak_rss_gib"] = max(s["peak_rss_gib"] for s in stages)
    result["ru_maxrss_self_gib"] = _gib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    result["ru_maxrss_children_gib"] = _gib(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
    if not args.keep and not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return result


#: The build's stages in the order they run, as named in ``report.json``'s ``timings_s``.
BUILD_STAGES = ("load", "extract", "graph", "write_tables", "render")


def _head(paths: list[str], first: int | None, work: Path) -> list[str]:
    """The inputs, or copies of the first ``first`` lines of each file (directories as they are)."""
    if not first:
        return paths
    out = []
    for i, name in enumerate(paths):
        path = Path(name)
        if path.is_dir():
            out.append(name)
            continue
        copy = work / f"first-{first}-{i}-{path.name}"
        with open(path, encoding="utf-8") as src, open(copy, "w", encoding="utf-8") as dst:
            for n, line in enumerate(src):
                if n >= first:
                    break
                dst.write(line)
        out.append(str(copy))
    return out


def _size(paths: list[str]) -> int:
    total = 0
    for name in paths:
        path = Path(name)
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        total += sum(p.stat().st_size for p in files)
    return total


def build_row(label: str, inputs: list[str], outdir: Path, jobs: int | None, mem: Memory) -> dict:
    """Run ``conceptgraph.pipeline.build`` on ``inputs``; per stage: seconds and peak RSS in its window.

    ``jobs`` None is build's default (:func:`conceptgraph.pipeline.default_jobs`); the row's
    ``jobs`` is the number the build used, ``cpu_s`` the CPU seconds of this process and its
    finished workers, ``load_average`` the machine's 1-minute load before and after.
    """
    from conceptgraph.pipeline import build

    shutil.rmtree(outdir, ignore_errors=True)
    mem.reset()
    load_before, cpu_start = os.getloadavg()[0], _cpu()
    start = time.perf_counter()
    result = build(inputs, outdir, jobs=jobs, cache=False, progress=False)
    end = time.perf_counter()
    cpu_s, load_after = _cpu() - cpu_start, os.getloadavg()[0]
    timings = result.report["timings_s"]
    stages, t = [], start
    for name in BUILD_STAGES:
        seconds = timings.get(name, 0.0)
        stages.append({"stage": name, "seconds": seconds, "peak_rss_gib": _gib(mem.peak_between(t, t + seconds))})
        t += seconds
    # What the stages do not cover: checking options, the staging folder, switching the files in.
    stages.append({"stage": "other (checks, switching files in)", "seconds": round(end - t, 2),
                   "peak_rss_gib": _gib(mem.peak_between(t, end))})
    out_bytes = sum(p.stat().st_size for p in outdir.iterdir() if p.is_file())
    return {"corpus": label, "inputs": inputs, "input_bytes": _size(inputs), "output_bytes": out_bytes,
            "records": result.report["records"], "papers": result.report["papers"],
            "mentions": result.report["mentions"], "concepts": result.report["concepts"],
            "paper_edges": sum(result.report["paper_edges"].values()),
            "concept_links": result.graphs.concept_graph.number_of_edges(),
            "seconds": round(end - start, 2), "cpu_s": round(cpu_s, 1), "jobs": result.extraction.get("jobs"),
            "load_average": [round(load_before, 2), round(load_after, 2)],
            "peak_rss_gib": _gib(mem.peak_between(start, end)), "stages": stages}


def run_builds(args) -> dict:
    """``--input`` / ``--build`` mode: the real build on real corpora and/or a synthetic corpus.

    The synthetic row has as many papers as the real corpus (``--synthetic``) or ``--papers``
    (``--build`` alone).
    """
    work = Path(args.workdir or tempfile.mkdtemp(prefix="cg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    mem = Memory()
    rows = []
    if args.input:
        inputs = _head(args.input, args.first, work)
        label = args.label or (" + ".join(Path(i).parent.name if Path(i).name == "papers.jsonl" else Path(i).name
                                          for i in args.input) + (f", first {args.first:,} lines" if args.first else ""))
        rows.append(build_row(label, inputs, work / "out-real", args.jobs, mem))
    if args.synthetic or not args.input:
        n = rows[0]["papers"] if rows else args.papers
        corpus = write_corpus(work / "synthetic", n, args.seed)
        rows.append(build_row(f"synthetic (sample sentences recombined), {n:,} papers",
                              [str(corpus)], work / "out-synthetic", args.jobs, mem))
    mem.stop()
    if not args.keep and not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return {"jobs": args.jobs, "cpus": os.cpu_count(), "load_average": os.getloadavg(), "rows": rows}


def _print_rows(result: dict) -> None:
    for row in result["rows"]:
        print(f"{row['corpus']}: {row['papers']:,} papers, {row['concepts']:,} concepts, "
              f"{row['concept_links']:,} concept links; {row['seconds']:.1f} s, peak RSS {row['peak_rss_gib']:.2f} GiB; "
              f"outputs {row['output_bytes'] / 2 ** 20:.1f} MiB for {row['input_bytes'] / 2 ** 20:.1f} MiB of input")
        for stage in row["stages"]:
            print(f"  {stage['stage']:>36} {stage['seconds']:8.2f} s {stage['peak_rss_gib']:6.2f} GiB")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", nargs="+", metavar="PATH",
                        help="real corpora: run the whole build on these files/directories")
    parser.add_argument("--first", type=int, default=None, metavar="N", help="with --input: first N lines of each file")
    parser.add_argument("--label", help="with --input: the corpus's name in the result")
    parser.add_argument("--synthetic", action="store_true",
                        help="with --input: add a row for a synthetic corpus of the same size, built the same way")
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--build", action="store_true",
                        help="run the whole build (tables and graphs written) on --papers synthetic papers, "
                             "timed as --input is")
    parser.add_argument("--jobs", type=int, default=None,
                        help="processes (default: build's, the usable cores from 2,000 papers on)")
    parser.add_argument("--batch-size", type=int, default=None, help="nlp.pipe batch (default: the library's)")
    parser.add_argument("--chunk-size", type=int, default=10_000, help="papers per generated chunk")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--extract-only", action="store_true",
                        help="stream generated papers into partitioned Parquet (no load/graph/render)")
    parser.add_argument("--no-graph", action="store_true", help="stop after extraction")
    parser.add_argument("--save", metavar="DIR", help="pickle papers, mentions and concepts there")
    parser.add_argument("--workdir", help="keep the corpus and outputs here (default: a temporary dir)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--progress", action="store_true", help="show the progress counter")
    parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    args = parser.parse_args(argv)
    if args.input or args.build:
        result = run_builds(args)
        print(json.dumps(result, indent=2)) if args.json else _print_rows(result)
        return 0
    if args.jobs is None:  # the synthetic run calls the stages itself: build's default, resolved here
        from conceptgraph.pipeline import default_jobs
        args.jobs = default_jobs(args.papers)
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for row in result["stages"]:
            print(f"{row['stage']:>10} {row['seconds']:8.2f} s {row['cpu_s']:8.2f} cpu-s {row['peak_rss_gib']:6.2f} GiB")
        print(f"{'total':>10} {result['total_seconds']:8.2f} s {'':>14} {result['peak_rss_gib']:6.2f} GiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
