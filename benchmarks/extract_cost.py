"""Extraction cost in instructions and cache misses: a repeatable companion to extract_speed.py.

On a shared machine one wall-clock run of ``extract_speed.py`` varies by ±15–25 %, too much
to see a change of a few per cent. Under valgrind's callgrind tool the same run gives the same
counts to about 0.3 %: executed instructions (``Ir``) and simulated cache misses. They are
combined into one figure,

    cost = Ir + 10 × (L1 misses) + 100 × (last-level misses),

a usual rough weighting of a miss's latency in instructions; the last level is simulated as a
1 MiB cache (the per-core L2 of the development machine), where a working set that outgrows it
shows first. The figure is a model, not time: use it to compare two versions of the code, and
``extract_speed.py`` for abstracts per second.

The English abstracts of the sample corpus (titles included) are replicated to ``--n`` papers,
as in ``extract_speed.py``. After one warm-up pass (so that the word table, the tokenizer caches
and the lexicon are filled, as in that benchmark's later rounds), these regions are measured
each in a process of its own (as many at once as there are CPUs), over the same texts:

- ``blank tokenizer``: ``spacy.blank("en").tokenizer`` alone, the floor the speed goal names
  (with the pipeline's 100,000-chunk cache, so that a cache too small for the corpus does not
  flatter the ratio);
- ``pipeline tokenizer``: the pipeline's own tokenizer (``nlp.make_doc``);
- ``extract_mentions``: the whole extraction, as ``extract_speed.py`` times it;
- ``twice: NAME`` (``--component NAME``, repeatable): ``extract_mentions`` with component
  ``NAME`` run twice on every document, so the difference to ``extract_mentions`` is that
  component's own cost (``cg_normalize`` is run the second time on the same input).

Usage::

    python benchmarks/extract_cost.py [--n 600] [--component cg_names ...]

It starts itself again under ``valgrind --tool=callgrind`` (Debian's ``valgrind`` package);
that takes about 50 s plus 0.25 s per abstract and region.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_CHILD = "CG_EXTRACT_COST_CHILD"
TWICE = "twice: "
LL_CACHE = "1048576,16,64"  # size, associativity, line size: a 1 MiB per-core L2
MISS_WEIGHTS = {"Ir": 1, "I1mr": 10, "D1mr": 10, "D1mw": 10, "ILmr": 100, "DLmr": 100, "DLmw": 100}


def cost(counts: dict[str, int]) -> int:
    """The weighted cost of one region's event counts (see the module docs)."""
    return sum(weight * counts.get(event, 0) for event, weight in MISS_WEIGHTS.items())


def collected(valgrind_stderr: str) -> dict[str, int]:
    """Event totals from callgrind's closing ``Events`` and ``Collected`` lines."""
    events = re.search(r"^==\d+== Events\s*: (.*)$", valgrind_stderr, re.M)
    totals = re.search(r"^==\d+== Collected\s*: (.*)$", valgrind_stderr, re.M)
    if events is None or totals is None:
        raise ValueError("no callgrind totals in valgrind's output:\n" + valgrind_stderr[-2000:])
    return dict(zip(events.group(1).split(), (int(v) for v in totals.group(1).split())))


def child(n: int, region: str) -> None:
    """The measured process (under callgrind): warm up, then count one region.

    Callgrind starts with its instrumentation off and counts only between the two
    ``callgrind_control`` calls. (Dumps taken between regions of one process gave
    wrapped-around totals, so each region has a process of its own.)
    """
    import spacy

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from extract_speed import corpus, texts

    from conceptgraph.extract.nlp import TOKENIZER_CACHE, build_nlp, extract_mentions

    papers = corpus(n)
    texts_read = texts(papers)
    nlp = build_nlp()
    blank = spacy.blank("en")
    blank.tokenizer.max_cache_size = TOKENIZER_CACHE

    def tokenize(tokenizer):
        for text in texts_read:
            tokenizer(text)

    if region.startswith(TWICE):
        proc = nlp.get_pipe(region[len(TWICE):])
        call = type(proc).__call__

        # The component's second run gets the same input: cg_normalize consumes the
        # candidates in doc.user_data, so they are put back first.
        def twice(self, doc):
            before = dict(doc.user_data)
            call(self, doc)
            doc.user_data.clear()
            doc.user_data.update(before)
            return call(self, doc)
        type(proc).__call__ = twice
    run = {"blank tokenizer": lambda: tokenize(blank.tokenizer),
           "pipeline tokenizer": lambda: tokenize(nlp.make_doc)}.get(
        region, lambda: extract_mentions(papers, nlp=nlp))
    run()  # warm-up: word table, tokenizer caches, lexicon
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "--instr=on", pid], check=True, capture_output=True)
    run()
    subprocess.run(["callgrind_control", "--instr=off", pid], check=True, capture_output=True)


def measure(n: int, region: str) -> dict[str, int]:
    """Run :func:`child` for one region under callgrind and return its event totals."""
    cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--cache-sim=yes", f"--LL={LL_CACHE}",
           "--callgrind-out-file=/dev/null", sys.executable, __file__, "--n", str(n), "--region", region]
    # A fixed hash seed: dict and set layouts, and so the cache misses, repeat exactly.
    env = {**os.environ, _CHILD: "1", "PYTHONHASHSEED": "0"}
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{region}: valgrind exited with {done.returncode}:\n{done.stderr[-3000:]}")
    return collected(done.stderr)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=600, help="abstracts (the sample corpus replicated; default 600)")
    ap.add_argument("--component", action="append", default=[],
                    help="also measure with this component run twice (repeatable): its own cost")
    ap.add_argument("--region", help=argparse.SUPPRESS)  # set for the measured child process
    a = ap.parse_args(argv)
    if os.environ.get(_CHILD):
        child(a.n, a.region)
        return 0
    if not shutil.which("valgrind") or not shutil.which("callgrind_control"):
        print("extract_cost.py needs valgrind (Debian: apt install valgrind)", file=sys.stderr)
        return 2
    labels = ["blank tokenizer", "pipeline tokenizer", "extract_mentions", *(TWICE + c for c in a.component)]
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        regions = dict(zip(labels, pool.map(lambda label: measure(a.n, label), labels)))
    print(f"{a.n} abstracts; per abstract, cost = Ir + 10 x L1 misses + 100 x LL misses (LL {LL_CACHE})")
    floor = cost(regions["blank tokenizer"])
    whole = cost(regions["extract_mentions"])
    for label, counts in regions.items():
        c = cost(counts)
        line = (f"{label:24s} cost {c / a.n / 1e6:6.3f} M, Ir {counts['Ir'] / a.n / 1e6:6.3f} M: "
                f"{c / floor:4.2f} x the blank tokenizer")
        if label.startswith(TWICE):
            line += f"; the component's own cost {(c - whole) / a.n / 1e6:.3f} M ({(c - whole) / whole:.1%})"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
