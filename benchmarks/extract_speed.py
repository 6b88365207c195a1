"""Extraction speed: abstracts per second for one process, and the ratio to YAKE.

The English abstracts of the sample corpus (titles included, as in production) are
replicated to ``--n`` papers (20,000 by default) and run through
:func:`conceptgraph.extract.nlp.extract_mentions` with the default pipeline; the
pipeline build time is reported apart. YAKE (top 20 keyphrases per abstract, its
default settings otherwise) runs in the same process on a subsample, and the
bare ``spacy.blank("en")`` tokenizer on the same texts gives the floor.

``--input PATH`` times a real corpus instead (any input ``conceptgraph.load``
reads; its English papers, not replicated unless ``--n`` asks for more): a
replicated corpus repeats every sentence, which flatters the tokenizer's cache,
so a real one is the honest second figure; there, the first round reads the text once
and later rounds find it in the caches.

Usage::

    python benchmarks/extract_speed.py [--n 20000] [--yake-n 300] [--repeat 3] [--input PATH]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import pandas as pd

from conceptgraph.extract import load
from conceptgraph.extract.nlp import TOKENIZER_CACHE, build_nlp, document_text, extract_mentions


def corpus(n: int | None, path: str | None = None) -> pd.DataFrame:
    """The English papers of ``path`` (default: the sample corpus) replicated to n rows (None: as
    they are), with unique ids."""
    papers = load(path) if path else load()
    papers = papers[papers["lang"] == "en"][["id", "title", "abstract", "lang"]].reset_index(drop=True)
    n = n or len(papers)
    reps = -(-n // len(papers))
    big = pd.concat([papers] * reps, ignore_index=True).iloc[:n].copy()
    big["id"] = [f"{pid}-{i}" for i, pid in enumerate(big["id"])]
    return big


def texts(papers: pd.DataFrame) -> list[str]:
    """What the pipeline reads of each paper: title and abstract, as ``extract_mentions`` joins them."""
    return [document_text(t, b) for t, b in zip(papers["title"], papers["abstract"])]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=None,
                    help="abstracts to extract from (default 20,000 from the sample corpus; all of --input)")
    ap.add_argument("--input", help="a real corpus to time instead of the replicated sample corpus")
    ap.add_argument("--yake-n", type=int, default=300, help="abstracts for the YAKE comparison")
    ap.add_argument("--batch-size", type=int, default=None, help="nlp.pipe batch (default: the library's)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of tokenizer + extraction (default 3)")
    a = ap.parse_args(argv)

    papers = corpus(a.n or (None if a.input else 20_000), a.input)
    texts_read = texts(papers)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")

    t0 = time.perf_counter()
    nlp = build_nlp()
    build_s = time.perf_counter() - t0
    print(f"pipeline build: {build_s:.2f} s  ({', '.join(nlp.pipe_names)})")

    import spacy

    # Rounds alternate the bare tokenizer and the extraction in this process. The first
    # round starts with cold caches (the pipeline's word table, the tokenizers' caches);
    # later rounds show the run-to-run spread of a shared machine, so the best and the
    # median are reported as well (timeit's convention: the best is the least disturbed).
    blank = spacy.blank("en")
    # spaCy's default tokenizer caches 10,000 chunks; the pipeline's caches TOKENIZER_CACHE,
    # which alone makes the bare tokenizer faster on a corpus with more distinct chunks.
    blank_big = spacy.blank("en")
    blank_big.tokenizer.max_cache_size = TOKENIZER_CACHE
    tok_rates, big_rates, rates, cpu_rates = [], [], [], []
    for round_no in range(1, a.repeat + 1):
        for tokenizer, got in ((blank.tokenizer, tok_rates), (blank_big.tokenizer, big_rates)):
            t0 = time.perf_counter()
            for _ in tokenizer.pipe(texts_read):
                pass
            got.append(len(texts_read) / (time.perf_counter() - t0))
        t0, c0 = time.perf_counter(), time.process_time()
        mentions, concepts = extract_mentions(papers, nlp=nlp, batch_size=a.batch_size)
        ext_s, ext_cpu = time.perf_counter() - t0, time.process_time() - c0
        rates.append(len(papers) / ext_s)
        cpu_rates.append(len(papers) / ext_cpu)
        print(f"round {round_no}: extract_mentions {len(papers)} abstracts in {ext_s:.2f} s = {rates[-1]:,.0f} "
              f"abstracts/s (CPU {ext_cpu:.2f} s); blank tokenizer {tok_rates[-1]:,.0f}/s; "
              f"{tok_rates[-1] / rates[-1]:.1f}x slower than the tokenizer")
    print(f"{len(mentions):,} mentions, {len(concepts):,} concepts; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    median = statistics.median(rates)
    print(f"extract_mentions: first round {rates[0]:,.0f} abstracts/s, median {median:,.0f}, best {max(rates):,.0f} "
          f"(CPU-time best {max(cpu_rates):,.0f})")
    print(f"blank tokenizer alone: best {max(tok_rates):,.0f} abstracts/s; extraction is "
          f"{max(tok_rates) / max(rates):.1f}x slower (best against best), "
          f"{statistics.median(t / r for t, r in zip(tok_rates, rates)):.1f}x (median of the rounds)")
    print(f"  with the pipeline's tokenizer cache ({TOKENIZER_CACHE:,} chunks): best {max(big_rates):,.0f} "
          f"abstracts/s; extraction is {max(big_rates) / max(rates):.1f}x slower (best against best), "
          f"{statistics.median(t / r for t, r in zip(big_rates, rates)):.1f}x (median of the rounds)")

    import yake

    kw = yake.KeywordExtractor(lan="en", top=20)
    sub = papers["abstract"].iloc[:a.yake_n].tolist()
    t0 = time.perf_counter()
    for text in sub:
        kw.extract_keywords(text)
    yake_rate = len(sub) / (time.perf_counter() - t0)
    print(f"YAKE top-20: {len(sub)} abstracts = {yake_rate:,.0f} abstracts/s")
    print(f"ratio extract_mentions / YAKE: {rates[0] / yake_rate:.1f}x first round, "
          f"{median / yake_rate:.1f}x median round")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
