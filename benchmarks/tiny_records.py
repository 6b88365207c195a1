"""Write N tiny records, each coining a name of its own: the red-team corpus of issue 22, item 7.

Every record is one sentence naming a made-up architecture ("We propose VovokaNet0, a model
for segmentation on CIFAR-10."), so N records coin N concepts of one paper each plus two shared
ones: the vocabulary grows with the corpus, the worst case for memory bounded by what matters.
The names come from a seeded generator, so the file is the same on every run::

    .venv/bin/python benchmarks/tiny_records.py --n 1000000 -o /tmp/tiny1m.jsonl
    /usr/bin/time -v .venv/bin/python -m conceptgraph build /tmp/tiny1m.jsonl -o /tmp/tiny1m-out
"""
from __future__ import annotations

import argparse
import json
import random

SYLLABLES = ["ka", "lo", "mi", "zu", "re", "ta", "vo", "ne", "si", "pu", "ga", "de"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="records to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", required=True, help="JSON Lines file to write")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with open(args.output, "w", encoding="utf-8") as out:
        for i in range(args.n):
            name = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize() + "Net" + str(i)
            abstract = f"We propose {name}, a model for segmentation on CIFAR-10."
            out.write(json.dumps({"id": f"t{i}", "title": name, "abstract": abstract, "year": 2025}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
