"""Fuzz the input readers for a fixed budget and report inputs tried and crashes.

Usage (from the repository root)::

    .venv/bin/python benchmarks/fuzz_readers.py --seconds 120 --seed 0 [--json] [--save-crashes DIR]

Hypothesis generates the inputs (no shrinking, no example database): random
text, random bytes, and real exports from ``tests/fixtures/formats/`` with
random cuts, insertions, duplicated spans, truncations and swapped lines.
Each input goes through content detection, the detected reader, a randomly
forced reader, and (for byte inputs) the whole of ``load`` from a file. A
*crash* is any exception other than :class:`InputError`, or a yielded item
that is neither a well-formed record nor a Skip. Exits 1 when there was one.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed as hypothesis_seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conceptgraph.extract import InputError, load  # noqa: E402
from conceptgraph.extract.readers import READERS, Source, detect_format  # noqa: E402
from conceptgraph.graph.references import match_references  # noqa: E402
from test_fuzz_readers import SEEDS, SUFFIXES, check_item, mutate  # noqa: E402


CHUNK = 500  # inputs per Hypothesis run; the budget is checked between runs


def failure_signature(kind: str, err: BaseException) -> str:
    """What tells one failure from another: the exception type and where it was raised."""
    frame = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
    return f"{kind}: {type(err).__name__} at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" \
        if frame else f"{kind}: {type(err).__name__}: {err}"


def report(figures: dict, failures: dict[str, dict], line: str, as_json: bool) -> int:
    """Print a fuzz run's figures (a line, or JSON with the failures); 1 when a case failed."""
    if as_json:
        print(json.dumps({**figures, "failures": failures}, indent=2))
    else:
        print(line)
        for signature, detail in failures.items():
            print(f"  FAILED {signature}: {detail['message']}\n    case: {detail['case']}")
    return 1 if failures else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="time budget in seconds, checked every 500 inputs (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--save-crashes", metavar="DIR", help="write each crashing input to DIR")
    args = parser.parse_args(argv)

    stats = Counter()
    crashes: dict[str, dict] = {}
    deadline = time.monotonic() + args.seconds
    tmpdir = Path(tempfile.mkdtemp(prefix="cg-fuzz-"))

    def crash(kind: str, payload, err: BaseException):
        signature = failure_signature(kind, err)
        stats["crashes"] += 1
        if signature not in crashes:
            crashes[signature] = {"message": str(err)[:300], "case": repr(payload)[:300]}
            if args.save_crashes:
                out = Path(args.save_crashes)
                out.mkdir(parents=True, exist_ok=True)
                data = payload if isinstance(payload, bytes) else str(payload).encode("utf-8", "surrogatepass")
                (out / f"crash-{len(crashes):03d}.bin").write_bytes(data)

    def run_reader(name: str, text: str):
        stats["calls"] += 1
        try:
            for item in READERS[name](text, Source(Path("fuzz.txt"), "fuzz.txt")):
                check_item(item)
        except InputError as err:
            if "\n" in str(err):
                raise AssertionError(f"multi-line error: {err!r}") from None
            stats["input_errors"] += 1

    @settings(max_examples=CHUNK, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def one_input(data):
        stats["inputs"] += 1
        kind = data.draw(st.sampled_from(["mutated-export", "text", "bytes"]), label="kind")
        if kind == "bytes":
            raw = data.draw(st.binary(max_size=2000), label="bytes")
            if data.draw(st.booleans(), label="splice"):
                seed_text = SEEDS[data.draw(st.sampled_from(sorted(SEEDS)), label="seed")].encode("utf-8")
                cut = len(raw) % (len(seed_text) + 1)
                raw = seed_text[:cut] + raw + seed_text[cut:]
            path = tmpdir / f"in{data.draw(st.sampled_from(SUFFIXES), label='suffix')}"
            path.write_bytes(raw)
            stats["calls"] += 1
            try:
                papers = load(path)
                report = papers.attrs["load_report"]
                if report["read"] != report["kept"] + report["merged"] + report["skipped"]:
                    raise AssertionError("load report does not balance")
                json.dumps(report, ensure_ascii=False).encode("utf-8")
                match_references(papers)
            except InputError:
                stats["input_errors"] += 1
            except Exception as err:  # noqa: BLE001 - counting crashes is the point
                crash("load", raw, err)
            return
        if kind == "text":
            text = data.draw(st.text(max_size=2000), label="text")
        else:
            text = mutate(data, SEEDS[data.draw(st.sampled_from(sorted(SEEDS)), label="seed")])
        try:
            fmt = detect_format(Path("fuzz" + data.draw(st.sampled_from(SUFFIXES), label="suffix")), text)
            run_reader(fmt, text)
            run_reader(data.draw(st.sampled_from(sorted(READERS)), label="forced"), text)
        except Exception as err:  # noqa: BLE001
            crash(kind, text, err)

    start = time.monotonic()
    run = 0
    while time.monotonic() < deadline:
        hypothesis_seed(args.seed * 1_000_003 + run)(one_input)()
        run += 1
    elapsed = time.monotonic() - start
    figures = {"seconds": round(elapsed, 1), "seed": args.seed, "inputs_tried": stats["inputs"],
               "inputs_per_second": round(stats["inputs"] / elapsed, 1) if elapsed else None,
               "calls": stats["calls"], "input_errors": stats["input_errors"], "crashes": stats["crashes"],
               "distinct_crashes": len(crashes), "readers": sorted(READERS)}
    return report(figures, crashes, f"fuzzed {len(READERS)} readers and load() for {figures['seconds']} s "
                  f"(seed {args.seed}): {figures['inputs_tried']} inputs tried in {figures['calls']} reader/load "
                  f"calls ({figures['input_errors']} ended in a one-line InputError, the rest read), "
                  f"{figures['crashes']} crashes ({figures['distinct_crashes']} distinct)", args.json)


if __name__ == "__main__":
    raise SystemExit(main())
