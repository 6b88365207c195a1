"""Read the shared real export files and compare their counts with the README's.

    .venv/bin/python benchmarks/read_exports.py [--dir ../shared/corpora/real-exports] [--json]

For each file listed in the directory's README (``| file | source | licence | records |
abstract | year | DOI | refs | quirks |``), prints the detected format and the counts read
(records, and records with an abstract, a year, a DOI, references), each next to the
README's hand count, then what ``load`` kept and merged. Counts are over the records
read (duplicates not merged), as the README counts them. Exit status 1 when a record
count differs or a usable record is skipped; 0 when every file matches (a field count
that differs is printed and explained, not fatal: see the notes below the table).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from conceptgraph.extract import InputError, load

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "real-exports"
FIELDS = ("records", "abstract", "year", "doi", "refs")


def expected_counts(readme: Path) -> dict[str, dict[str, int | None]]:
    """The README table's hand counts per file ('—' and '' are None)."""
    expected = {}
    for line in readme.read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 9 or not re.match(r"^[\w-]+/", cells[0]):
            continue
        numbers = [re.match(r"\d+", c) for c in cells[3:8]]
        expected[cells[0]] = {field: int(m.group()) if m else None for field, m in zip(FIELDS, numbers)}
    return expected


def measured_counts(path: Path) -> dict:
    records = load(path, merge_duplicates=False)
    report = records.attrs["load_report"]
    merged = load(path).attrs["load_report"]
    return {"format": report["files"][0]["format"], "records": report["read"],
            "abstract": int((records["abstract"].str.strip() != "").sum()),
            "year": int(records["year"].notna().sum()), "doi": int(records["doi"].notna().sum()),
            "refs": int(records["references"].map(bool).sum()),
            "skipped": report["skipped"], "kept": merged["kept"], "merged": merged["merged"]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="the real-exports folder (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    readme = args.dir / "README.md"
    if not readme.is_file():
        print(f"{args.dir}: no real-exports folder here (README.md missing); nothing to compare", file=sys.stderr)
        return 0
    rows, ok = [], True
    for name, expected in expected_counts(readme).items():
        try:
            got = measured_counts(args.dir / name)
        except InputError as err:
            rows.append({"file": name, "error": str(err)})
            ok = False
            continue
        ok &= got["records"] == expected["records"] and got["skipped"] == 0
        rows.append({"file": name, "expected": expected, **got})
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0 if ok else 1
    print(f"{'file':58} {'format':10} " + " ".join(f"{f:>11}" for f in FIELDS) + "  skipped  kept merged")
    for row in rows:
        if "error" in row:
            print(f"{row['file'][:58]:58} ERROR {row['error']}")
            continue
        cells = []
        for field in FIELDS:
            want = row["expected"][field]
            mark = "" if want is None or want == row[field] else "*"
            cells.append(f"{row[field]:>5}/{'-' if want is None else want:<4}{mark:1}")
        print(f"{row['file'][:58]:58} {row['format']:10} " + " ".join(cells)
              + f"  {row['skipped']:>7} {row['kept']:>5} {row['merged']:>6}")
    print("\ncells: read/README (* differs); skipped = records with neither title nor abstract; "
          "kept + merged after duplicates are merged")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
