"""Fuzz lexicon files and the query commands for a fixed budget; report cases tried and held.

Usage (from the repository root)::

    .venv/bin/python benchmarks/fuzz_cli.py --seconds 120 --seed 0 [--json]

The cases are the generators of ``tests/test_fuzz_cli.py``, without shrinking or an
example database: lexicon files (JSON Lines and TSV of good and malformed records,
wrong types, control characters, lone surrogates, bad UTF-8, huge and empty labels)
loaded as ``--lexicon`` files are; and ``centrality``, ``clusters``, ``show``,
``trends`` and ``export`` with fuzzed arguments, run in-process by
``conceptgraph.cli.main`` on a copy of a real build damaged at random (truncated,
deleted, edited, junk or non-UTF-8 files). A case *holds* when it ends in success
or in one ``conceptgraph: error:`` line with exit 2 or 3 (for lexicons: an
``InputError`` naming the file and line). Half the budget goes to each kind.
Exits 1 when a case failed.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed as hypothesis_seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from fuzz_readers import failure_signature, report  # noqa: E402

from test_fuzz_cli import (ABSTRACTS, assert_clean_end, check_lexicon, corrupted_copy, lexicon_bytes,  # noqa: E402
                           query_argv, run_cli)

CHUNK = 50  # cases per Hypothesis run; the budget is checked between runs


def build_base(root: Path) -> Path:
    rows = [{"id": f"p{i}", "title": f"Paper {i} on {a.split()[2]}", "abstract": a, "year": 2015 + i % 6,
             "references": [f"p{j}" for j in range(i)][:2]} for i, a in enumerate(ABSTRACTS * 3)]
    (root / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    code, _, err = run_cli(["build", str(root / "c.jsonl"), "-o", str(root / "base"), "-q"])
    if code:
        raise SystemExit(f"the base build failed: {err}")
    return root / "base"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="time budget (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    stats = Counter()
    failures: dict[str, dict] = {}
    tmp = Path(tempfile.mkdtemp(prefix="cg-fuzz-cli-"))
    base = build_base(tmp)

    def failed(kind, case, err):
        stats[f"{kind}_failed"] += 1
        failures.setdefault(failure_signature(kind, err), {"message": str(err)[:400], "case": repr(case)[:400]})

    quiet = settings(max_examples=CHUNK, deadline=None, database=None, phases=[Phase.generate],
                     suppress_health_check=list(HealthCheck))

    @quiet
    @given(lexicon=lexicon_bytes())
    def one_lexicon(lexicon):
        suffix, data = lexicon
        stats["lexicon_tried"] += 1
        # a new name each time: Lexicon.load caches by path
        path = tmp / f"lexicon-{stats['lexicon_tried']}{suffix}"
        path.write_bytes(data)
        try:
            stats[f"lexicon_{check_lexicon(path)}"] += 1
        except Exception as err:  # noqa: BLE001 - counting failures is the point
            failed("lexicon", data, err)
        path.unlink()

    @quiet
    @given(data=st.data())
    def one_query(data):
        folder = tmp / "q" / "out"
        shutil.rmtree(folder.parent, ignore_errors=True)
        folder.parent.mkdir()
        damage = data.draw(corrupted_copy(base, folder))
        argv = data.draw(query_argv(folder)) + ["-q"]
        stats["query_tried"] += 1
        try:
            code, stdout, stderr = run_cli(argv)
            assert_clean_end(code, stdout, stderr, (damage, argv))
            stats[f"query_exit_{code}"] += 1
        except Exception as err:  # noqa: BLE001
            failed("query", (damage, argv), err)

    start = time.monotonic()
    for kind, run in (("lexicon", one_lexicon), ("query", one_query)):
        deadline = time.monotonic() + args.seconds / 2
        chunk = 0
        while time.monotonic() < deadline:
            hypothesis_seed(args.seed * 1_000_003 + chunk)(run)()
            chunk += 1
    elapsed = time.monotonic() - start
    shutil.rmtree(tmp, ignore_errors=True)
    held = {k: stats[f"{k}_tried"] - stats[f"{k}_failed"] for k in ("lexicon", "query")}
    figures = {"seconds": round(elapsed, 1), "seed": args.seed, **{k: v for k, v in sorted(stats.items())},
               "lexicon_held": held["lexicon"], "query_held": held["query"], "distinct_failures": len(failures)}
    return report(figures, failures, f"fuzzed lexicon files and the query commands for {figures['seconds']} s "
                  f"(seed {args.seed}): lexicons {stats['lexicon_tried']} tried, {held['lexicon']} held "
                  f"({stats['lexicon_ok']} loaded, {stats['lexicon_error']} one-line file:line errors); query "
                  f"commands {stats['query_tried']} tried, {held['query']} held (exit 0: {stats['query_exit_0']}, "
                  f"2: {stats['query_exit_2']}, 3: {stats['query_exit_3']}); {len(failures)} distinct failures",
                  args.json)


if __name__ == "__main__":
    raise SystemExit(main())
