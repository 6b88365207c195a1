"""Property tests: arbitrary and malformed input never crashes a reader or ``load``.

The only exception that may leave a reader or :func:`conceptgraph.extract.load`
is :class:`InputError`, with a one-line message naming the file; everything
yielded is a well-formed raw record or a :class:`Skip`; the load report balances.
A longer fixed-budget run of the same idea: ``benchmarks/fuzz_readers.py``.
"""
import json
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conceptgraph.extract import InputError, load
from conceptgraph.extract.readers import (READERS, RECORD_FIELDS, Citation, Skip, Source, decode_bytes,
                                          detect_format, parse_year)
from conceptgraph.graph.references import match_references

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
SEEDS = {p.name: p.read_text("utf-8-sig") for p in sorted(FIXTURES.iterdir())}
SUFFIXES = [".txt", ".csv", ".tsv", ".jsonl", ".json", ".bib", ".ris", ".ciw", ".nbib", ".scopus", ".md",
            ".txt.gz", ""]
FUZZ = settings(max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SOURCE = Source(Path("fuzz.txt"), "fuzz.txt")


def check_item(item):
    if isinstance(item, Citation):
        assert isinstance(item.citing, str) and item.citing and isinstance(item.cited, str) and item.cited
        return
    if isinstance(item, Skip):
        assert isinstance(item.reason, str) and item.reason and "\n" not in item.reason
        assert isinstance(item.source_line, int)
        return
    assert isinstance(item, dict) and set(item) == set(RECORD_FIELDS)
    assert isinstance(item["title"], str) and isinstance(item["abstract"], str)
    assert item["title"].strip() or item["abstract"].strip()
    assert item["id"] is None or (isinstance(item["id"], str) and item["id"])
    assert item["year"] is None or (isinstance(item["year"], int) and 1800 <= item["year"] <= 2100)
    assert item["doi"] is None or isinstance(item["doi"], str)
    for key in ("references", "cited_by"):
        assert item[key] is None or (isinstance(item[key], list) and all(isinstance(r, str) for r in item[key]))
    assert isinstance(item["source_line"], int)
    for key in ("title", "abstract"):  # what is loaded can be written as UTF-8
        item[key].encode("utf-8")


def run_reader(name, text):
    try:
        items = list(READERS[name](text, SOURCE))
    except InputError as err:
        assert "\n" not in str(err) and str(err).startswith("fuzz.txt")
        return []
    for item in items:
        check_item(item)
    return items


def mutate(data, text: str) -> str:
    """A few random edits of a real export: cuts, insertions, duplications, junk."""
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        if not text:
            break
        op = data.draw(st.sampled_from(["cut", "insert", "duplicate", "truncate", "swap", "replace"]), label="op")
        i = data.draw(st.integers(0, len(text)), label="i")
        j = data.draw(st.integers(i, min(len(text), i + 200)), label="j")
        if op == "cut":
            text = text[:i] + text[j:]
        elif op == "insert":
            junk = data.draw(st.sampled_from([
                st.text(max_size=20), st.sampled_from(["{", "}", "[", "]", '"', ",", "\n", "@article{", "TY  - ",
                                                     "ER  - ", "PT J\n", "ER\n", "   ", "\\", "\x00", "\ud800",
                                                     '"abstract_inverted_index": {"a": [1e99]}', "\r"])]), label="kind")
            text = text[:i] + data.draw(junk, label="junk") + text[i:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "truncate":
            text = text[:i]
        elif op == "swap":
            lines = text.split("\n")
            a = data.draw(st.integers(0, len(lines) - 1), label="a")
            b = data.draw(st.integers(0, len(lines) - 1), label="b")
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        else:
            text = text[:i] + data.draw(st.text(max_size=j - i), label="replacement") + text[j:]
    return text


@pytest.mark.parametrize("name", sorted(READERS))
@FUZZ
@given(text=st.text(max_size=300))
def test_reader_survives_arbitrary_text(name, text):
    run_reader(name, text)


@pytest.mark.parametrize("seed", sorted(SEEDS))
@FUZZ
@given(data=st.data())
def test_readers_survive_mutated_exports(seed, data):
    text = mutate(data, SEEDS[seed])
    fmt = detect_format(Path(seed), text)
    assert fmt in READERS
    run_reader(fmt, text)
    other = data.draw(st.sampled_from(sorted(READERS)), label="forced format")
    run_reader(other, text)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
KEYS = ["id", "title", "abstract", "year", "doi", "references", "cited_by", "text", "summary", "paperId", "corpusid",
        "externalIds", "citations", "abstract_inverted_index", "referenced_works", "publication_year",
        "display_name", "versions", "update_date", "submitter", "publication_date", "results", "data",
        "paperAbstract", "inCitations", "outCitations", "issued", "author", "authors", "authorships"]


@FUZZ
@given(rows=st.lists(st.dictionaries(st.sampled_from(KEYS), JSON_VALUES, max_size=8) | JSON_VALUES, max_size=6),
       as_lines=st.booleans(), name=st.sampled_from(["jsonl", "json", "openalex", "arxiv", "s2", "csl-json"]))
def test_json_readers_survive_malformed_records(rows, as_lines, name):
    try:
        text = "\n".join(json.dumps(r) for r in rows) if as_lines else json.dumps(rows)
    except (ValueError, OverflowError):
        return
    run_reader(name, text)
    run_reader("jsonl", text)


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from(SUFFIXES),
       from_seed=st.booleans(), seed=st.sampled_from(sorted(SEEDS)))
def test_load_survives_arbitrary_bytes(data, suffix, from_seed, seed):
    if from_seed:  # a real export with random bytes spliced in
        raw = SEEDS[seed].encode("utf-8")
        cut = len(data) % (len(raw) + 1)
        data = raw[:cut] + data + raw[cut:]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            papers = load(path)
        except InputError as err:
            assert "\n" not in str(err) and "fuzz" in str(err)
            return
        report = papers.attrs["load_report"]
        for f in report["files"]:
            assert f["read"] == f["kept"] + f["merged"] + f["skipped"]
        assert report["read"] == report["kept"] + report["merged"] + report["skipped"]
        links = sum(f["kept"] for f in report["files"] if f["format"] == "citations")
        assert len(papers) == report["kept"] - links and papers["id"].is_unique
        json.dumps(report, ensure_ascii=False).encode("utf-8")  # report.json can be written
        match_references(papers)


@FUZZ
@given(st.binary(max_size=300))
def test_decode_bytes_gives_text_or_input_error(data):
    try:
        text = decode_bytes(data, "fuzz.bin")
    except InputError as err:
        assert "\n" not in str(err) and str(err).startswith("fuzz.bin")
        return
    assert "\r" not in text


@FUZZ
@given(JSON_VALUES)
def test_parse_year_is_total(value):
    year = parse_year(value)
    assert year is None or 1800 <= year <= 2100


@FUZZ
@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=40), st.none() | st.text(max_size=20),
                          st.none() | st.lists(st.text(max_size=40), max_size=4)), max_size=8))
def test_match_references_never_fails(rows):
    papers = pd.DataFrame({"id": [f"{r[0]}#{i}" for i, r in enumerate(rows)], "title": [r[1] for r in rows],
                           "doi": [r[2] for r in rows], "references": [r[3] for r in rows],
                           "cited_by": [None] * len(rows)})
    edges = match_references(papers)
    counts = edges.attrs["reference_report"]
    assert counts["references"] == counts["matched"] + counts["unmatched"]
    assert set(edges["citing"]) | set(edges["cited"]) <= set(papers["id"])
    assert not (edges["citing"] == edges["cited"]).any()
