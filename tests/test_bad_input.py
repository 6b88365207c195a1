"""Issue 6: bad input, accounting, untrusted text and durable outputs.

Every case gives either a one-line error naming the file (and the line where
it applies) or a skip recorded in the load report with its reason. CLI cases
run ``python -m conceptgraph`` in a subprocess and check the exit code
(2 input, 3 output; see cli.py), that stderr is exactly one line starting
``conceptgraph: error:`` and that no traceback is printed.
"""
import csv
import gzip
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from conceptgraph.extract import InputError, load

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
# The shared material lies beside the repository (../shared), here and in CI.
SHARED = Path(__file__).resolve().parents[2] / "shared"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
ABSTRACTS = [
    "We propose a residual learning framework to ease the training of very deep convolutional networks.",
    "Transformers based solely on attention mechanisms outperform recurrent models in machine translation.",
    "Graph neural networks learn node representations by aggregating features from their neighbours.",
]


def one_line_error(err, *names):
    message = str(err.value)
    assert "\n" not in message and "\r" not in message, message
    for name in names:
        assert name in message, message
    return message


def balanced(report):
    for f in report["files"]:
        assert f["read"] == f["kept"] + f["merged"] + f["skipped"], f
    assert report["read"] == report["kept"] + report["merged"] + report["skipped"]


def cli(*args, cwd=None, timeout=300):
    env = dict(os.environ, PYTHONHASHSEED="0")
    return subprocess.run([sys.executable, "-m", "conceptgraph", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, env=env)


def assert_cli_error(result, code, *fragments):
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("conceptgraph: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def _pipeline_ready() -> bool:
    try:
        from conceptgraph.graph import analyse  # noqa: F401
        from conceptgraph.viz import render_html  # noqa: F401
    except ImportError:
        return False
    return True


needs_pipeline = pytest.mark.skipif(
    not _pipeline_ready(),
    reason="needs the whole pipeline: conceptgraph.graph.analyse / conceptgraph.viz.render_html not importable yet")


# ---------------------------------------------------------------- unreadable inputs

def test_empty_file(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    with pytest.raises(InputError) as err:
        load(path)
    assert one_line_error(err, "empty.jsonl").endswith("empty file")
    (tmp_path / "blank.txt").write_text("\n \r\n\t\n")
    with pytest.raises(InputError, match="blank.txt: empty file"):
        load(tmp_path / "blank.txt")
    (tmp_path / "header.csv").write_text("title,abstract\r\n")
    with pytest.raises(InputError, match="header.csv: no records found"):
        load(tmp_path / "header.csv")
    (tmp_path / "empty.json").write_text("[]")
    with pytest.raises(InputError, match="empty.json: no records found"):
        load(tmp_path / "empty.json")


def test_empty_file_in_a_directory_is_a_skipped_file(tmp_path):
    (tmp_path / "a.txt").write_text(ABSTRACTS[0] + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(PNG)
    papers = load(tmp_path)
    report = papers.attrs["load_report"]
    assert len(papers) == 1 and report["read"] == 1
    reasons = {Path(f["file"]).name: f["reason"] for f in report["files_skipped"]}
    assert set(reasons) == {"b.txt", "c.txt"}
    assert reasons["b.txt"].endswith("b.txt: empty file") and "PNG image" in reasons["c.txt"]


def test_empty_directory(tmp_path):
    (tmp_path / "corpus").mkdir()
    with pytest.raises(InputError) as err:
        load(tmp_path / "corpus")
    one_line_error(err, "corpus", "directory holds no abstract files")
    (tmp_path / "corpus" / "notes.md").write_text("not an abstract file")
    with pytest.raises(InputError, match="directory holds no abstract files"):
        load(tmp_path / "corpus")


def test_directory_of_unreadable_files_is_an_error(tmp_path):
    (tmp_path / "x.txt").write_bytes(PNG)
    (tmp_path / "y.csv").write_text("name,score\na,1\n")
    with pytest.raises(InputError) as err:
        load(tmp_path)
    one_line_error(err, "x.txt", "PNG", "1 more unreadable")


def test_nonexistent_path(tmp_path):
    with pytest.raises(InputError) as err:
        load(tmp_path / "missing.csv")
    one_line_error(err, "missing.csv", "no such file or directory")
    with pytest.raises(InputError, match="no file matches this pattern"):
        load(str(tmp_path / "*.bib"))


def test_binary_file_renamed_txt(tmp_path):
    path = tmp_path / "figure.txt"
    path.write_bytes(PNG + bytes(range(256)) * 4)
    with pytest.raises(InputError) as err:
        load(path)
    one_line_error(err, "figure.txt", "PNG image")
    other = tmp_path / "blob.txt"
    other.write_bytes(b"abc\x00\x01\x02" * 100)
    with pytest.raises(InputError) as err:
        load(other)
    one_line_error(err, "blob.txt", "binary data")


def test_corrupt_gzip(tmp_path):
    good = gzip.compress(("\n".join(ABSTRACTS) + "\n").encode())
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(InputError) as err:
        load(path)
    one_line_error(err, "cut.txt.gz", "not a valid gzip file")
    (tmp_path / "plain.txt.gz").write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="plain.txt.gz: not a valid gzip file"):
        load(tmp_path / "plain.txt.gz")


def test_invalid_utf8_names_file_and_line(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("title,abstract\nCaf\u00e9 paper,An abstract\nNa\u00efve Bayes,Another one\n".encode("latin-1"))
    with pytest.raises(InputError) as err:
        load(path)
    message = one_line_error(err, "latin.csv:2:", "invalid UTF-8", "--encoding")
    assert "0xe9" in message
    papers = load(path, encoding="latin-1")  # the way out the message names
    assert list(papers["title"]) == ["Café paper", "Naïve Bayes"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
@pytest.mark.parametrize("name", ["generic.tsv", "library.bib", "savedrecs.txt", "openalex_works.jsonl"])
def test_utf16_and_utf8_with_bom_read_fine(tmp_path, encoding, name):
    text = (FIXTURES / name).read_text("utf-8")
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # these codecs write no BOM: add it, as editors do
        data = ("\ufeff" + text).encode(encoding)
    path = tmp_path / name
    path.write_bytes(data)
    expected, got = load(FIXTURES / name), load(path)
    assert list(got["id"]) == list(expected["id"]) and list(got["title"]) == list(expected["title"])
    assert list(got["abstract"]) == list(expected["abstract"])
    assert got.attrs["load_report"]["files"][0]["format"] == expected.attrs["load_report"]["files"][0]["format"]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_windows_and_old_mac_line_endings(tmp_path, newline, name):
    text = (FIXTURES / name).read_text("utf-8-sig")
    path = tmp_path / name
    path.write_bytes(text.replace("\r\n", "\n").replace("\n", newline).encode("utf-8"))
    expected, got = load(FIXTURES / name), load(path)
    assert list(got["id"]) == list(expected["id"])
    assert list(got["abstract"]) == list(expected["abstract"])
    assert list(got["source_line"]) == list(expected["source_line"])
    assert got.attrs["load_report"]["files"][0]["skips"] == expected.attrs["load_report"]["files"][0]["skips"]


def test_ten_megabyte_single_line(tmp_path):
    huge = ("attention " * 1_100_000).strip()  # 11 MB of one line, no newline at the end
    for name, content, line in [
        ("one.txt", ABSTRACTS[0] + "\n" + huge, 2),
        ("one.jsonl", json.dumps({"id": "ok", "abstract": ABSTRACTS[0]}) + "\n" + json.dumps({"id": "big", "abstract": huge}), 2),
        ("one.csv", f"id,abstract\nok,{ABSTRACTS[0]}\nbig,{huge}", 3),
    ]:
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        start = time.perf_counter()
        papers = load(path)
        assert time.perf_counter() - start < 20
        report = papers.attrs["load_report"]
        assert (report["read"], report["kept"], report["skipped"]) == (2, 1, 1), name
        assert report["files"][0]["skips"][0]["line"] == line
        assert "more than the 1,000,000 an abstract may have" in report["files"][0]["skips"][0]["reason"]
    # A whole export minified onto one 10 MB line is read record by record.
    long_abstract = " ".join(ABSTRACTS * 3)
    rows = [{"id": f"r{i}", "title": f"Paper {i}", "abstract": f"{long_abstract} Variant {i}."}
            for i in range(11_000)]
    path = tmp_path / "minified.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    assert path.stat().st_size > 10_000_000 and b"\n" not in path.read_bytes()
    papers = load(path)
    assert len(papers) == 11_000


def test_truncated_json_lines_record_mid_file(tmp_path):
    lines = [json.dumps({"id": f"x{i}", "title": f"Title {i}", "abstract": ABSTRACTS[i]}) for i in range(3)]
    path = tmp_path / "cut.jsonl"
    path.write_text(lines[0] + "\n" + lines[1][:40] + "\n" + lines[2] + "\n", encoding="utf-8")
    papers = load(path)
    assert list(papers["id"]) == ["x0", "x2"]
    report = papers.attrs["load_report"]
    balanced(report)
    (skip,) = report["files"][0]["skips"]
    assert skip["line"] == 2 and skip["reason"].startswith("invalid JSON")


def test_csv_without_abstract_column(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("name,score,comment\nalpha,1,ok\n")
    with pytest.raises(InputError) as err:
        load(path)
    one_line_error(err, "scores.csv:1:", "no abstract column", "columns are: name, score, comment")
    # A title column alone is enough: the titles are the text.
    titles = tmp_path / "titles.csv"
    titles.write_text("Title,Year\nDeep Residual Learning for Image Recognition,2016\n")
    papers = load(titles)
    assert papers.loc[0, "title"] == "Deep Residual Learning for Image Recognition" and papers.loc[0, "abstract"] == ""


def test_csv_with_embedded_newlines_and_quotes(tmp_path):
    path = tmp_path / "quoted.csv"
    rows = [["id", "title", "abstract"],
            ["a", 'The "Transformer", revisited', 'Line one,\nline "two"\n\nand a paragraph.'],
            ["b", "Plain", "Single line."],
            ["c", "Ragged"],  # a row with too few fields
            ["d", "After", "Still read."]]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    papers = load(path)
    assert list(papers["id"]) == ["a", "b", "d"]
    assert papers.loc[0, "title"] == 'The "Transformer", revisited'
    assert papers.loc[0, "abstract"] == 'Line one,\nline "two"\n\nand a paragraph.'
    assert list(papers["source_line"]) == [2, 6, 8]  # lines as an editor shows them
    report = papers.attrs["load_report"]
    assert report["files"][0]["skips"] == [{"line": 7, "reason": "2 fields where the header has 3"}]
    balanced(report)
    # The arXiv CSV of the shared corpora: plural column names, hard line breaks in quotes.
    shared = SHARED / "corpora/arxiv-cs/arxiv_data.csv"
    if shared.exists():
        arxiv = load(shared)
        rep = arxiv.attrs["load_report"]
        balanced(rep)
        assert rep["read"] == 1000 and rep["skipped"] == 0 and rep["merged"] == 7 and len(arxiv) == 993


def test_duplicate_ids_with_different_texts(tmp_path):
    path = tmp_path / "dups.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"id": "P1", "title": "First paper on residual networks", "abstract": ABSTRACTS[0]},
        {"id": "P1", "title": "Second paper on attention models", "abstract": ABSTRACTS[1]},
        {"id": "P1", "title": "Third paper on graph networks", "abstract": ABSTRACTS[2]},
        {"id": "P1~2", "title": "A fourth one whose id looks disambiguated", "abstract": "Other text entirely, about sets."},
        {"id": "P1", "title": "First paper on residual networks", "abstract": ABSTRACTS[0]},  # a true duplicate
    ]) + "\n", encoding="utf-8")
    papers = load(path)
    assert list(papers["id"]) == ["P1", "P1~2", "P1~3", "P1~2~2"]
    assert papers["id"].is_unique
    report = papers.attrs["load_report"]
    assert (report["kept"], report["merged"]) == (4, 1)
    balanced(report)


def test_one_word_abstracts(tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("Transformers.\nBERT\nTransformers.\n\n  graphs  \n", encoding="utf-8")
    papers = load(path)
    report = papers.attrs["load_report"]
    balanced(report)
    # Too short to tell duplicates by text: every record is kept, ids unique.
    assert list(papers["abstract"]) == ["Transformers.", "BERT", "Transformers.", "graphs"]
    assert papers["id"].is_unique


def test_ids_with_path_characters_are_kept_verbatim(tmp_path):
    path = tmp_path / "ids.jsonl"
    evil = ["../../etc/passwd", "a/b", "/abs/path", "..\\win", "hep-th/9711200", "CON", "x\x00y"]
    path.write_text("\n".join(json.dumps({"id": i, "abstract": f"{ABSTRACTS[n % 3]} Number {n}."})
                              for n, i in enumerate(evil)) + "\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    papers = load(path)
    assert list(papers["id"]) == evil[:-1] + ["x y"]  # a NUL becomes a space, nothing else changes
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_unknown_encoding_special_files_and_all_skipped(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ABSTRACTS[0])
    with pytest.raises(InputError) as err:
        load(path, encoding="no-such-codec")
    one_line_error(err, "a.txt", "cannot decode as no-such-codec")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as err:
        load(fifo)
    one_line_error(err, "pipe.txt", "not a regular file or directory")
    # Records read but none usable: an error that says why, not an empty map.
    empty_rows = tmp_path / "rows.jsonl"
    empty_rows.write_text('{"id": "1", "title": ""}\n{"id": "2", "abstract": "   "}\n')
    with pytest.raises(InputError) as err:
        load(empty_rows)
    one_line_error(err, "rows.jsonl", "no usable paper (2 records read, 2 skipped; first: line 1: no title and no abstract)")


def test_unknown_format_and_bad_pattern(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ABSTRACTS[0])
    with pytest.raises(InputError) as err:
        load(path, format="pdf")
    one_line_error(err, "a.txt", "unknown format 'pdf'")


def test_untrusted_characters_cleaned_one_for_one(tmp_path):
    path = tmp_path / "ctl.jsonl"
    path.write_text(json.dumps({"id": "c", "title": "Form\x0cfeed \ud800 and bell\x07",
                                "abstract": "PDF text\x0c with controls\x1b[31m and \x00 NUL."}) + "\n",
                    encoding="utf-8")
    papers = load(path)
    assert papers.loc[0, "title"] == "Form feed \ufffd and bell"
    assert papers.loc[0, "abstract"] == "PDF text  with controls [31m and   NUL."
    # What is loaded can be written as UTF-8 and as XML.
    G = nx.Graph()
    G.add_node("c", label=papers.loc[0, "title"], abstract=papers.loc[0, "abstract"])
    buf = io.BytesIO()
    nx.write_graphml(G, buf)
    assert nx.read_graphml(io.BytesIO(buf.getvalue())).nodes["c"]["label"] == papers.loc[0, "title"]


# ---------------------------------------------------------------- accounting on every fixture

def test_accounting_on_every_fixture_and_in_total():
    total = load(FIXTURES)
    balanced(total.attrs["load_report"])
    assert total.attrs["load_report"]["read"] == sum(
        load(path).attrs["load_report"]["read"] for path in FIXTURES.iterdir())
    for path in sorted(FIXTURES.iterdir()):
        report = load(path).attrs["load_report"]
        balanced(report)
        assert report["read"] > 0, path
    for corpus in (SHARED / "corpora/arxiv-cs", SHARED / "corpora/citeseer"):
        if corpus.exists():
            balanced(load(corpus).attrs["load_report"])


# ---------------------------------------------------------------- escaping in graph files

@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_escape_markup(tmp_path, fmt):
    label = 'A <script>alert("x")</script> & B "quoted" \'single\' <!-- c --> ]]>'
    G = nx.Graph()
    G.add_node("n<1>&\"", label=label, title=label)
    G.add_node("n2", label="plain")
    G.add_edge("n<1>&\"", "n2", shared=label)
    path = tmp_path / f"g.{fmt}"
    getattr(nx, f"write_{fmt}")(G, path)
    raw = path.read_text("utf-8")
    assert "<script>" not in raw and "&lt;script&gt;" in raw
    back = getattr(nx, f"read_{fmt}")(path)
    node = "n<1>&\""
    assert back.nodes[node]["label"] == label
    assert back.edges[node, "n2"]["shared"] == label


# ---------------------------------------------------------------- the command line

def test_cli_input_errors(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "emptydir").mkdir()
    (tmp_path / "image.txt").write_bytes(PNG)
    (tmp_path / "latin.txt").write_bytes("caf\u00e9 au lait\n".encode("latin-1"))
    (tmp_path / "noabstract.csv").write_text("name,score\na,1\n")
    out = tmp_path / "out"
    cases = [
        (["empty.txt"], "empty.txt: empty file"),
        (["emptydir"], "emptydir: directory holds no abstract files"),
        (["nope.jsonl"], "nope.jsonl: no such file or directory"),
        (["image.txt"], "image.txt: this is a PNG image"),
        (["latin.txt"], "latin.txt:1: invalid UTF-8"),
        (["noabstract.csv"], "noabstract.csv:1: no abstract column"),
        (["image.txt", "--format", "pdf"], "unknown format 'pdf'"),
    ]
    env = dict(os.environ, PYTHONHASHSEED="0")
    procs = [subprocess.Popen([sys.executable, "-m", "conceptgraph", "build", *args, "-o", str(out)], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for args, _ in cases]  # in parallel: each is a fresh interpreter
    for proc, (args, fragment) in zip(procs, cases):
        stdout, stderr = proc.communicate(timeout=300)
        assert_cli_error(subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr), 2, fragment)
    assert not any(out.glob("*.csv"))


def test_cli_unwritable_output_directory(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("\n".join(ABSTRACTS) + "\n", encoding="utf-8")
    blocker = tmp_path / "regular-file"
    blocker.write_text("I am a file, not a directory")
    # As root, permission bits do not stop writes: an output path under a regular
    # file is one that no user can create.
    assert_cli_error(cli("build", corpus, "-o", blocker / "out"), 3, "regular-file/out", "cannot create output directory")
    assert_cli_error(cli("build", corpus, "-o", blocker), 3, "regular-file")
    assert blocker.read_text() == "I am a file, not a directory"
    # sysfs refuses new directories even to root: a truly unwritable place, where there is one.
    target = Path("/sys/conceptgraph-test-out")
    if Path("/sys").is_dir() and not target.exists():
        try:
            target.mkdir()
        except OSError:
            assert_cli_error(cli("build", corpus, "-o", target), 3, str(target), "cannot create output directory")
        else:
            target.rmdir()


def test_cli_extract_errors(tmp_path):
    (tmp_path / "image.txt").write_bytes(PNG)
    assert_cli_error(cli("extract", tmp_path / "image.txt", "-o", tmp_path / "m.jsonl"), 2, "PNG image")
    good = tmp_path / "good.txt"
    good.write_text(ABSTRACTS[0] + "\n")
    (tmp_path / "file").write_text("x")
    assert_cli_error(cli("extract", good, "-o", tmp_path / "file" / "m.jsonl"), 3, "file")


# ---------------------------------------------------------------- whole pipeline
# Builds are slow (spaCy), so each test below checks several cases in one build,
# in-process where the exit code does not matter.

def _write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _sample_rows(n, offset=0):
    papers = load()
    rows = []
    for row in papers.iloc[offset:offset + n].itertuples():
        rows.append({"id": row.id, "title": row.title, "abstract": row.abstract,
                     "year": None if str(row.year) == "<NA>" else int(row.year)})
    return rows


EVIL_IDS = ["../../escape", "a/b", "/abs", "..", "x/../../y", "CON", "nul", "ok"]
EVIL_TITLES = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
               "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", '<script>alert("x")</script> & <b>bold</b>',
               "-@import", "=2"]


@needs_pipeline
def test_build_untrusted_corpus_into_a_used_output_directory(tmp_path):
    """Ids with path characters, formula titles, markup titles; an output
    directory holding an earlier run's files and files of its own."""
    from conceptgraph.pipeline import build

    rows = _sample_rows(len(EVIL_IDS))
    for row, new_id, title in zip(rows, EVIL_IDS, EVIL_TITLES):
        row["id"], row["title"] = new_id, title
    work = tmp_path / "work"
    work.mkdir()
    corpus = _write_jsonl(work / "c.jsonl", rows)
    out = work / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine, keep me")
    (out / "papers.csv").write_text("stale,content\n")
    (out / "sub").mkdir()
    (out / "sub" / "x.bin").write_bytes(b"\x00\x01")
    before = set(tmp_path.rglob("*"))

    result = build(corpus, out)

    # Earlier outputs replaced, foreign files untouched, no temporary file left.
    assert (out / "notes.txt").read_text() == "mine, keep me"
    assert (out / "sub" / "x.bin").read_bytes() == b"\x00\x01"
    assert (out / "papers.csv").read_text("utf-8").startswith("id,")
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert not [p for p in out.iterdir() if p.is_file() and p.name.startswith(".")]
    # Ids never became paths: every new path is a direct child of the output directory,
    # or in its extraction cache under hash-named folders.
    for path in set(tmp_path.rglob("*")) - before:
        rel = path.relative_to(out).parts
        assert len(rel) == 1 or (rel[0] == ".cache" and len(rel) <= 3 and rel[1].startswith("extract-")) \
            or rel == (".cache", "CACHEDIR.TAG"), path
    assert set(result.papers["id"]) == set(EVIL_IDS)
    # Spreadsheet formulas are neutralised in every table.
    for table in out.glob("*.csv"):
        with open(table, newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                        float(cell)  # only a number may start so
    with open(out / "papers.csv", newline="", encoding="utf-8") as fh:
        by_id = {r["id"]: r["title"] for r in csv.DictReader(fh)}
    assert set(by_id) == set(EVIL_IDS)
    assert by_id["../../escape"] == "'" + EVIL_TITLES[0]
    assert by_id["x/../../y"] == "'=1+1"  # the tab is stripped from titles at load; the formula still quoted
    assert by_id["nul"] == "'-@import" and by_id["ok"] == "'=2"
    # Not a formula: unchanged, but for the publisher markup (<b>) that loading strips from titles.
    assert by_id["CON"] == EVIL_TITLES[5].replace("<b>", "").replace("</b>", "")
    # Markup in titles stays text in the HTML map.
    html = (out / "graph.html").read_text("utf-8")
    assert '<script>alert("x")</script>' not in html
    report = json.loads((out / "report.json").read_text("utf-8"))
    rec = report["records"]
    assert rec["read"] == rec["kept"] + rec["merged"] + rec["skipped"] == len(EVIL_IDS)
    assert report["years_missing"] == sum(r["year"] is None for r in rows) and report["years_malformed"] == 0


@needs_pipeline
def test_build_corpus_without_concepts(tmp_path, capsys):
    from conceptgraph import cli

    corpus = tmp_path / "plain.txt"
    corpus.write_text("it is what it is and so it was\nwe went there and then we came back\nof the to and a\n",
                      encoding="utf-8")
    code = cli.main(["build", str(corpus), "-o", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert report["papers"] == 3 and report["concepts"] == 0
    assert "no concept was found" in captured.out
    assert (tmp_path / "out" / "graph.html").stat().st_size > 0
    assert (tmp_path / "out" / "concepts.csv").read_text("utf-8").startswith("concept_id,")


@needs_pipeline
def test_build_all_chinese_corpus(tmp_path, capsys):
    from conceptgraph import cli

    rows = [{"id": f"zh{i}", "title": t, "abstract": a} for i, (t, a) in enumerate([
        ("深度残差学习用于图像识别", "更深的神经网络更难训练。我们提出了一个残差学习框架，以简化比以前使用的网络更深的网络的训练。"),
        ("注意力机制就是你所需要的一切", "主流的序列转换模型基于复杂的循环或卷积神经网络。我们提出了一种新的简单网络架构，即 Transformer。"),
        ("图神经网络综述", "图神经网络通过聚合邻居节点的特征来学习节点表示，在推荐系统和分子性质预测中取得了成功。"),
    ])]
    corpus = _write_jsonl(tmp_path / "zh.jsonl", rows)
    code = cli.main(["build", str(corpus), "-o", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert report["papers"] == 3 and report["papers_by_lang"] == {"zh": 3}
    with open(tmp_path / "out" / "papers.csv", newline="", encoding="utf-8") as fh:
        assert [r["title"] for r in csv.DictReader(fh)] == [r["title"] for r in rows]
    html = (tmp_path / "out" / "graph.html").read_text("utf-8")
    title = "深度残差学习用于图像识别"
    assert title in html or json.dumps(title)[1:-1] in html  # as text, or inside the page's JSON data


@needs_pipeline
def test_cli_build_output_file_blocked_by_a_directory(tmp_path):
    corpus = _write_jsonl(tmp_path / "c.jsonl", _sample_rows(3))
    out = tmp_path / "out"
    (out / "papers.csv").mkdir(parents=True)  # a file cannot replace it: the write fails late
    result = cli("build", corpus, "-o", out)
    assert_cli_error(result, 3, "out/papers.csv: Is a directory")
    assert ".tmp" not in result.stderr  # the message names the final file, not the temporary one
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


# ---------------------------------------------------------------- atomic writes under SIGKILL

def test_atomic_write_killed_midway_keeps_old_file(tmp_path):
    target = tmp_path / "papers.csv"
    target.write_text("old complete content\n")
    code = (
        "import sys, time\n"
        "from conceptgraph.outputs import atomic_write\n"
        "def slow(tmp):\n"
        "    with open(tmp, 'w') as fh:\n"
        "        fh.write('new partial'); fh.flush(); print('writing', flush=True); time.sleep(60)\n"
        f"atomic_write({str(target)!r}, slow)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert target.read_text() == "old complete content\n"
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    assert all(name.startswith(".papers.csv.") and name.endswith(".tmp") for name in leftovers), leftovers


def _snapshot(outdir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in outdir.iterdir() if p.is_file() and not p.name.startswith(".")}


_FLOAT = re.compile(rb"-?\d+\.\d+(?:[eE][-+]?\d+)?")


def _comparable(name: str, data: bytes):
    """A file's content for comparing versions: timings dropped from report.json,
    floats rounded to 8 significant digits (the last digits of centralities vary
    between runs; that is a determinism matter, not a half-written file)."""
    if name == "report.json":
        report = json.loads(data)
        report.pop("timings_s", None)
        report.pop("extraction", None)  # cache hit or miss, and its seconds
        data = json.dumps(report, sort_keys=True).encode()
    return _FLOAT.sub(lambda m: b"%.8g" % float(m.group()), data)


@needs_pipeline
def test_sigkill_during_build_leaves_previous_outputs_intact(tmp_path):
    # Atomicity is the point here, not years: rows without them keep this test
    # independent of the year-dependent parts of the graph stage.
    old_corpus = _write_jsonl(tmp_path / "old.jsonl", [dict(r, year=None) for r in _sample_rows(25)])
    new_corpus = _write_jsonl(tmp_path / "new.jsonl", [dict(r, year=None) for r in _sample_rows(30)])
    out, reference = tmp_path / "out", tmp_path / "reference"
    assert cli("build", old_corpus, "-o", out, "-q").returncode == 0
    start = time.perf_counter()
    assert cli("build", new_corpus, "-o", reference, "-q").returncode == 0
    duration = time.perf_counter() - start
    old, new = _snapshot(out), _snapshot(reference)
    assert set(old) == set(new) and old["papers.csv"] != new["papers.csv"]
    timings = json.loads(new["report.json"])["timings_s"]
    writing = timings.get("write_tables", 0) + timings.get("render", 0)  # the last seconds of a run
    # At start-up (nothing written yet), just before the writes, inside them, and at the very end.
    moments = [0.5] + [max(duration - writing * k, 0.1) for k in (1.3, 0.8, 0.4)] + [duration * 0.99]
    pristine = tmp_path / "pristine"
    shutil.copytree(out, pristine)
    env = dict(os.environ, PYTHONHASHSEED="0")
    outcomes = []
    for moment in moments:
        fraction = moment / duration
        shutil.rmtree(out)
        shutil.copytree(pristine, out)
        proc = subprocess.Popen([sys.executable, "-m", "conceptgraph", "build", str(new_corpus), "-o", str(out),
                                 "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        now = _snapshot(out)
        assert set(now) == set(old), f"a final file vanished or appeared at {fraction}"
        for name, data in now.items():
            state = "old" if _comparable(name, data) == _comparable(name, old[name]) else \
                "new" if _comparable(name, data) == _comparable(name, new[name]) else "PARTIAL"
            half = new[name].startswith(data) or old[name].startswith(data)
            assert state != "PARTIAL", (
                f"{name} is neither the old nor the new version (killed at {fraction:.0%}; {len(data)} bytes, "
                f"old {len(old[name])}, new {len(new[name])}; "
                + ("a truncated copy: a half-written file)" if half else
                   "a whole file that differs: output not deterministic, or code changed during the test)"))
            outcomes.append(state)
        for leftover in (p for p in out.iterdir() if p.is_file() and p.name.startswith(".")):
            assert leftover.name.endswith(".tmp")  # never under a final name
    assert "old" in outcomes
    # Whatever a kill left behind (temporary files, caches) does not spoil the next run.
    assert cli("build", new_corpus, "-o", out, "-q").returncode == 0
    final = _snapshot(out)
    assert {name: _comparable(name, data) for name, data in final.items()} == \
        {name: _comparable(name, data) for name, data in new.items()}


# ---------------------------------------------------------------- issue 22: one output set, under attack

def _listing(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


def _states(now: dict, old: dict, new: dict) -> set[str]:
    """Which build each file of ``now`` comes from ('old', 'new', or 'PARTIAL:name'); the set must match too."""
    states = set()
    for name in set(now) | set(old) | set(new):
        mine = _comparable(name, now[name]) if name in now else None
        if name in old and mine == _comparable(name, old[name]):
            states.add("old")
        elif name in new and mine == _comparable(name, new[name]):
            states.add("new")
        else:
            states.add(f"PARTIAL:{name}")
    return states


def _staged_or_replaced(out: Path, names, inodes: dict) -> int:
    """How many output files a running build has written: in a staging folder, or renamed into ``out``."""
    count = 0
    for staging in out.parent.glob(f".{out.name}.staging-*"):
        try:
            count = max(count, sum(1 for p in staging.iterdir() if p.name in names))
        except FileNotFoundError:
            continue
    replaced = 0
    for name in names:
        try:
            replaced += os.stat(out / name).st_ino != inodes.get(name)
        except FileNotFoundError:
            continue
    return max(count, replaced)


@needs_pipeline
def test_sigkill_in_the_write_window_leaves_one_whole_build(tmp_path):
    """Killed after the k-th output file is written (k = 1 … all), the folder holds the old
    build's whole set or the new one's, never a mix; the next build cleans up."""
    old_corpus = _write_jsonl(tmp_path / "old.jsonl", [dict(r, year=None) for r in _sample_rows(12)])
    new_corpus = _write_jsonl(tmp_path / "new.jsonl", [dict(r, year=None) for r in _sample_rows(14, 20)])
    out, reference = tmp_path / "out", tmp_path / "reference"
    assert cli("build", old_corpus, "-o", out, "-q").returncode == 0
    assert cli("build", new_corpus, "-o", reference, "-q").returncode == 0
    old, new = _listing(out), _listing(reference)
    names = set(new)
    pristine = tmp_path / "pristine"
    shutil.copytree(out, pristine)
    env = dict(os.environ, PYTHONHASHSEED="0")
    seen = []
    for k in range(1, len(names) + 1):
        shutil.rmtree(out)
        shutil.copytree(pristine, out)
        inodes = {name: os.stat(out / name).st_ino for name in old}
        proc = subprocess.Popen([sys.executable, "-m", "conceptgraph", "build", str(new_corpus), "-o", str(out),
                                 "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        while proc.poll() is None and _staged_or_replaced(out, names, inodes) < k:
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        states = _states(_listing(out), old, new)
        assert states in ({"old"}, {"new"}), f"killed after {k} of {len(names)} files: {sorted(states)}"
        seen.append(states.pop())
    assert "old" in seen
    assert cli("build", new_corpus, "-o", out, "-q").returncode == 0
    assert _states(_listing(out), old, new) == {"new"}
    assert not list(tmp_path.glob(".out.staging-*")), "a killed build's staging folder outlived the next build"


@needs_pipeline
def test_concurrent_builds_into_one_folder_give_one_whole_set(tmp_path):
    a = _write_jsonl(tmp_path / "a.jsonl", [dict(r, year=None) for r in _sample_rows(8)])
    b = _write_jsonl(tmp_path / "b.jsonl", [dict(r, year=None) for r in _sample_rows(9, 30)])
    refs = {}
    for name, corpus in (("a", a), ("b", b)):
        assert cli("build", corpus, "-o", tmp_path / f"ref-{name}", "-q").returncode == 0
        refs[name] = _listing(tmp_path / f"ref-{name}")
    env = dict(os.environ, PYTHONHASHSEED="0")
    out, cache = tmp_path / "out", tmp_path / "shared-cache"
    # Two corpora into one folder at once, and three builds of one corpus racing on one cache.
    commands = [[str(a), "-o", str(out)], [str(b), "-o", str(out)]] + \
        [[str(a), "-o", str(tmp_path / f"same-{i}"), "--cache-dir", str(cache)] for i in range(3)]
    procs = [subprocess.Popen([sys.executable, "-m", "conceptgraph", "build", *c, "-q"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for c in commands]
    results = [(p.wait(timeout=600), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _ in results), results
    assert _states(_listing(out), refs["a"], refs["b"]) in ({"old"}, {"new"})
    for i in range(3):
        assert _states(_listing(tmp_path / f"same-{i}"), refs["a"], refs["a"]) == {"old"}
    assert not [p for p in tmp_path.rglob("*") if ".staging-" in p.name or p.name.endswith(".tmp")]


@needs_pipeline
def test_a_build_paused_in_its_write_window_and_another_build_give_one_whole_set(tmp_path):
    """Build A is stopped (SIGSTOP) right after its first output file is written, build B of another
    corpus runs into the same folder meanwhile, then A goes on: the folder holds one build's whole
    set. (Two builds started together rarely overlap in the write window; this makes them.)"""
    a = _write_jsonl(tmp_path / "a.jsonl", [dict(r, year=None) for r in _sample_rows(8)])
    b = _write_jsonl(tmp_path / "b.jsonl", [dict(r, year=None) for r in _sample_rows(9, 30)])
    refs = {}
    start = time.perf_counter()
    for name, corpus in (("a", a), ("b", b)):
        assert cli("build", corpus, "-o", tmp_path / f"ref-{name}", "-q").returncode == 0
        refs[name] = _listing(tmp_path / f"ref-{name}")
    duration = (time.perf_counter() - start) / 2
    out = tmp_path / "out"
    shutil.copytree(tmp_path / "ref-b", out)  # a previous build, so that replaced files can be seen
    names = set(refs["a"])
    inodes = {name: os.stat(out / name).st_ino for name in names}
    env = dict(os.environ, PYTHONHASHSEED="0")
    first = subprocess.Popen([sys.executable, "-m", "conceptgraph", "build", str(a), "-o", str(out), "-q"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    while first.poll() is None and _staged_or_replaced(out, names, inodes) < 1:
        time.sleep(0.001)
    first.send_signal(signal.SIGSTOP)
    try:
        second = subprocess.Popen([sys.executable, "-m", "conceptgraph", "build", str(b), "-o", str(out), "-q"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        try:  # B finishes, or waits for A's lock when A was stopped inside its switch
            second.wait(timeout=max(3 * duration, 30))
        except subprocess.TimeoutExpired:
            pass
    finally:
        first.send_signal(signal.SIGCONT)
    results = [(p.wait(timeout=600), p.stderr.read()) for p in (first, second)]
    assert all(code == 0 for code, _ in results), results
    assert _states(_listing(out), refs["a"], refs["b"]) in ({"old"}, {"new"})
    assert not [p for p in tmp_path.rglob("*") if ".staging-" in p.name or p.name.endswith(".tmp")]


@needs_pipeline
def test_write_error_names_the_path_and_leaves_nothing_behind(tmp_path):
    """A full disk (here: a file-size limit, EFBIG) names the file, exits 3, leaves no temporary
    file, no staging folder and no output folder the failed run created."""
    import resource

    corpus = _write_jsonl(tmp_path / "c.jsonl", _sample_rows(8))
    out = tmp_path / "new-out"

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = subprocess.run([sys.executable, "-m", "conceptgraph", "build", str(corpus), "-o", str(out), "-q",
                             "--no-cache"], capture_output=True, text=True, preexec_fn=limit, timeout=300)
    assert_cli_error(result, 3, "File too large")
    path = result.stderr.split("error: ", 1)[1].split(": cannot write")[0]
    assert Path(path).name in ("papers.csv", "mentions.csv", "concepts.csv", "paper_edges.csv", "clusters.csv",
                               "graph.graphml", "concept_graph.graphml", "graph.html"), result.stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["c.jsonl"]


def test_failed_run_leaves_no_empty_output_folder(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = cli("build", tmp_path / "empty.txt", "-o", tmp_path / "a" / "b")
    assert_cli_error(result, 2, "empty.txt")
    assert not (tmp_path / "a").exists()


@needs_pipeline
def test_export_from_another_folder_adds_files_and_never_rewrites_the_build(tmp_path):
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    work.mkdir()
    elsewhere.mkdir()
    _write_jsonl(work / "c.jsonl", _sample_rows(12))
    (elsewhere / "c.jsonl").write_text("")  # the same relative name elsewhere: must not be read
    assert cli("build", "c.jsonl", "-o", "out", "-q", cwd=work).returncode == 0
    built = _listing(work / "out")
    start = time.perf_counter()
    result = cli("export", "-o", work / "out", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    after = _listing(work / "out")
    assert {name: after[name] for name in built} == built, "export rewrote a file of the build"
    added = set(after) - set(built)
    assert "paper_graph.graphml" not in added and "concept_graph.graphml" not in added  # build wrote them
    assert {"bipartite.graphml", "citations.graphml", "concept_graph.gexf", "paper_graph.json",
            "bridges.csv", "concept_edges.csv", "introductions.csv", "vosviewer_map.txt",
            "export.json"} <= added
    assert set(json.loads(after["export.json"])["outputs"]) == added - {"export.json"}
    assert time.perf_counter() - start < 60
    # The next build replaces the exports with the map they came from; the user's file stays.
    (work / "out" / "notes.txt").write_text("mine")
    assert cli("build", "c.jsonl", "-o", "out", "-q", cwd=work).returncode == 0
    assert set(_listing(work / "out")) == set(built) | {"notes.txt"}
    # Inputs changed since the build: export says so instead of mapping another corpus.
    _write_jsonl(work / "c.jsonl", _sample_rows(5, 40))
    assert_cli_error(cli("export", "-o", work / "out", "-q", cwd=elsewhere), 2, "changed since the build")


@pytest.mark.parametrize("args, fragment", [
    (["build", "--top-k", "0"], "--top-k"),
    (["build", "--model", "en_core_web_nope"], "en_core_web_nope"),
    (["build", "--resolution", "0"], "--resolution"),
    (["build", "--max-nodes", "0"], "--max-nodes"),
    (["build", "--encoding", "no-such-codec"], "no-such-codec"),
    (["export", "--formats", "pdf"], "pdf"),
    (["trends", "--s", "0.5"], "--s"),
])
def test_bad_options_are_refused_before_any_work(tmp_path, args, fragment):
    # A map to export and an output folder that must not appear: a refused option does no work.
    (tmp_path / "built").mkdir()
    (tmp_path / "built" / "report.json").write_text(json.dumps({"params": {"inputs": None, "options": {}}}))
    start = time.perf_counter()
    result = cli(*args, "-o", tmp_path / ("built" if args[0] == "export" else "fresh"), cwd=tmp_path)
    assert_cli_error(result, 2, fragment)
    assert not (tmp_path / "fresh").exists()
    assert time.perf_counter() - start < 30


@needs_pipeline
def test_sigint_at_any_moment_exits_130_without_traceback(tmp_path):
    corpus = _write_jsonl(tmp_path / "c.jsonl", _sample_rows(20))
    out = tmp_path / "out"
    assert cli("build", corpus, "-o", out, "-q").returncode == 0
    before = _listing(out)
    env = dict(os.environ, PYTHONHASHSEED="0")
    interpreter_start_up, finished_first = [], []
    for moment in (0.02, 0.1, 0.3, 0.6, 1.0, 2.0, 4.0):
        proc = subprocess.Popen([sys.executable, "-m", "conceptgraph", "build", str(corpus), "-o", str(out),
                                 "--no-cache", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env)
        time.sleep(moment)
        if proc.poll() is not None:  # on a quiet machine the build may be over: nothing left to interrupt
            assert proc.returncode == 0, proc.communicate()
            finished_first.append(moment)
            before = _listing(out)  # this run's set is the one a later Ctrl-C must leave
            continue
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode != 0, f"Ctrl-C at {moment} s was swallowed"
        # Before Python's own start-up has finished (its site module, then runpy for "-m"), no
        # program code runs yet: the interpreter either dies of the signal or reports it itself.
        if proc.returncode == -signal.SIGINT or "init_import_site" in err or "Could not import runpy module" in err:
            interpreter_start_up.append(moment)
            continue
        assert proc.returncode == 130, (moment, proc.returncode, err)
        assert "Traceback" not in err and err.strip().splitlines()[-1] == "conceptgraph: interrupted", (moment, err)
        assert _states(_listing(out), before, before) == {"old"}
    # On a loaded machine Python's own start-up can take seconds: most moments must still reach our code.
    assert len(interpreter_start_up) <= 3, interpreter_start_up
    assert len(interpreter_start_up) + len(finished_first) <= 4, (interpreter_start_up, finished_first)
    assert not list(tmp_path.glob(".out.staging-*"))


@needs_pipeline
def test_a_signal_ignored_by_the_caller_stays_ignored(tmp_path):
    """A script's background job starts with SIGINT ignored; a Ctrl-C at the terminal must not stop it
    (before: our handler replaced the ignore once the module loaded, and the build exited 130)."""
    corpus = _write_jsonl(tmp_path / "c.jsonl", _sample_rows(20))
    out = tmp_path / "out"
    start = time.perf_counter()
    assert cli("build", corpus, "-o", tmp_path / "reference", "-q", "--no-cache").returncode == 0
    duration = time.perf_counter() - start
    for share in (0.3, 0.7):
        proc = subprocess.Popen([sys.executable, "-m", "conceptgraph", "build", str(corpus), "-o", str(out),
                                 "--no-cache", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        time.sleep(share * duration)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=300)
        assert (proc.returncode, err) == (0, ""), share
        assert (out / "graph.html").is_file()


_INTERRUPT_THROUGH_PYRUN = """
import ctypes, sys
sys.argv[0] = "conceptgraph"  # run as the program
from conceptgraph import cli
run = ctypes.pythonapi.PyRun_String
run.restype = ctypes.py_object
run.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.py_object, ctypes.py_object]
def interrupted_inside_pyrun(argv):  # as a Ctrl-C while an extension module runs code via PyRun_String
    run(b"raise KeyboardInterrupt", 257, {}, {})  # 257: Py_file_input
cli._main = interrupted_inside_pyrun
raise SystemExit(cli.main([]))
"""


def test_an_interrupt_inside_pyrun_code_still_exits_130(tmp_path):
    """CPython run with ``-m`` ends a process by SIGINT (exit -2, whatever SystemExit says) once a
    KeyboardInterrupt has gone through code run by PyRun_String; seen in 3 of 40 SIGTERMs during a build."""
    (tmp_path / "interrupted_program.py").write_text(_INTERRUPT_THROUGH_PYRUN, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), *sys.path]))
    proc = subprocess.run([sys.executable, "-m", "interrupted_program"], capture_output=True, text=True,
                          timeout=120, env=env)
    assert (proc.returncode, proc.stderr.strip().splitlines()) == (130, ["conceptgraph: interrupted"])


@needs_pipeline
def test_sigterm_is_handled_like_ctrl_c(tmp_path):
    """SIGTERM (``kill``, a batch system's time limit) at start-up, in extraction (one process or two),
    and while the output set is staged: one line, exit 143, one build's whole set, no staging folder."""
    corpus = _write_jsonl(tmp_path / "c.jsonl", [dict(r, year=None) for r in _sample_rows(20)])
    other = _write_jsonl(tmp_path / "other.jsonl", [dict(r, year=None) for r in _sample_rows(14, 25)])
    out, reference = tmp_path / "out", tmp_path / "reference"
    start = time.perf_counter()
    assert cli("build", corpus, "-o", reference, "-q", "--no-cache").returncode == 0
    duration = time.perf_counter() - start
    assert cli("build", other, "-o", out, "-q").returncode == 0
    before, new = _listing(out), _listing(reference)
    names = {n for n in before if n != "report.json"}
    env = dict(os.environ, PYTHONHASHSEED="0")
    # Moments as shares of a whole build's time (the machine's load changes it), and the write window.
    moments = [(0.15, 1), (0.4, 1), (0.7, 1), (0.5, 2), ("staged", 1)]
    outcomes = {}
    for moment, jobs in moments:
        proc = subprocess.Popen([sys.executable, "-m", "conceptgraph", "build", str(corpus), "-o", str(out),
                                 "--no-cache", "-q", "--jobs", str(jobs)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        if moment == "staged":  # the first output file is in the staging folder
            inodes = {name: os.stat(out / name).st_ino for name in before}
            while proc.poll() is None and _staged_or_replaced(out, names, inodes) < 1:
                time.sleep(0.001)
        else:
            time.sleep(moment * duration)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
        if proc.returncode == -signal.SIGTERM or "init_import_site" in err:
            continue  # before Python's own start-up finished: no program code runs yet
        assert proc.returncode == 143, (moment, jobs, proc.returncode, err)
        assert "Traceback" not in err and err.strip().splitlines() == ["conceptgraph: terminated"], (moment, err)
        states = _states(_listing(out), before, new)
        assert states in ({"old"}, {"new"}), (moment, jobs, sorted(states))
        assert not list(tmp_path.glob(".*.staging-*")), (moment, jobs)
        outcomes[moment, jobs] = states.pop()
        if outcomes[moment, jobs] == "new":  # terminated after the switch: start again from the old set
            shutil.rmtree(out)
            assert cli("build", other, "-o", out, "-q").returncode == 0
    assert outcomes.get(("staged", 1)) == "old", outcomes
    assert list(outcomes.values()).count("old") >= 3, outcomes


_BAD_LEXICONS = [
    ("bad.jsonl", b'{"label": "X", "type": "method"\n', ":1: not a JSON object"),
    ("type.jsonl", b'{"label": "Frob", "type": "gadget"}\n', ":1: unknown type 'gadget'"),
    ("list.jsonl", b'{"label": "A"}\n["Frob", "method"]\n', ":2: a lexicon entry is a JSON object"),
    ("nolabel.jsonl", b'{"id": "frob", "type": "method"}\n', ":1: a lexicon entry needs a text label"),
    ("intlabel.jsonl", b'{"label": 7, "type": "method"}\n', ":1: a lexicon entry needs a text label"),
    ("utf8.jsonl", b'{"label": "Frob", "type": "method"}\n{"label": "\xff"}\n', ":2: invalid UTF-8"),
    ("nolabel.tsv", b"frob\n", ":1: a lexicon row needs at least id and label"),
    ("nullalias.jsonl", b'{"label": "Frob", "aliases": [null]}\n', ":1: 'aliases' must be a list of texts"),
    ("stringalias.jsonl", b'{"label": "Frob", "aliases": "abc"}\n', ":1: 'aliases' must be a list of texts"),
]


@pytest.mark.parametrize("name, content, fragment", _BAD_LEXICONS, ids=[c[0] for c in _BAD_LEXICONS])
def test_malformed_lexicon_is_a_one_line_input_error(tmp_path, name, content, fragment):
    (tmp_path / name).write_bytes(content)
    corpus = _write_jsonl(tmp_path / "c.jsonl", [{"title": "t", "abstract": ABSTRACTS[0]}])
    result = cli("build", corpus, "--lexicon", tmp_path / name, "-o", tmp_path / "out")
    assert_cli_error(result, 2, f"{name}{fragment}")
    assert not (tmp_path / "out").exists()


def test_missing_lexicon_is_an_input_error(tmp_path):
    corpus = _write_jsonl(tmp_path / "c.jsonl", [{"title": "t", "abstract": ABSTRACTS[0]}])
    assert_cli_error(cli("build", corpus, "--lexicon", tmp_path / "nope.jsonl", "-o", tmp_path / "out"), 2,
                     "nope.jsonl: cannot read lexicon file")


def test_lexicon_text_is_cleaned_like_corpus_text(tmp_path):
    from conceptgraph.extract.components._resources import Lexicon

    path = tmp_path / "dirty.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "label": "Frob\x01Net", "type": "method"},
        {"id": "b", "label": "Quux\rNet", "type": "method", "aliases": ["Quux\u2028Alias"]},
        {"id": "c", "label": "Zorb\ud800Net", "type": "method"},
    ]) + "\n", encoding="utf-8")
    entries = Lexicon.load([path]).entries
    assert entries["a"].label == "Frob Net"
    assert entries["b"].label == "Quux Net" and entries["b"].aliases == ["Quux Alias"]
    assert entries["c"].label == "Zorb\ufffdNet"
    for entry in (entries["a"], entries["b"], entries["c"]):
        assert entry.label.isprintable() and "\n" not in entry.label


# ---------------------------------------------------------------- issue 22: spreadsheet prefix

_CELLS = ["=1+1", " =1", "\u200b=1", "\n=cmd", "\t=x", "\r", "\ufeff@SUM(A1)", "\u3000+1", "-0.5", " -1", "x=1",
          "'=1", "''=2", "'plain", "+", "@", "BERT", "", "-", "--flag"]


def test_formula_cells_after_blanks_or_invisible_characters_are_prefixed():
    from conceptgraph.outputs import safe_table, spreadsheet_safe

    written = safe_table(pd.DataFrame({"cell": _CELLS}))["cell"].tolist()
    assert written == [spreadsheet_safe(c) for c in _CELLS]
    for cell, out in zip(_CELLS, written):
        core = cell.lstrip("'").lstrip(" \t\n\r\u200b\ufeff\u3000")
        runs = cell[:1] in "\t\r" and cell != "" or (core[:1] in ("=", "+", "-", "@") and core != ""
                                                     and not _is_number(cell))
        assert out == ("'" + cell if runs else cell), (cell, out)


def _is_number(text):
    return pd.notna(pd.to_numeric(pd.Series([text.lstrip("'")]), errors="coerce")[0])


# A lone carriage return never reaches a table (readers turn it into a newline), and pandas'
# CSV reader would end the row there: left out of the read-back case.
@pytest.mark.parametrize("cells", [[c for c in _CELLS if "\r" not in c]])
def test_csv_cells_read_back_to_their_original_text(tmp_path, cells):
    from conceptgraph.outputs import unsafe_table, write_csv

    write_csv(tmp_path / "t.csv", pd.DataFrame({"cell": cells, "n": range(len(cells))}))
    back = unsafe_table(pd.read_csv(tmp_path / "t.csv", keep_default_na=False, dtype={"cell": str}))
    assert back["cell"].tolist() == cells


@needs_pipeline
def test_query_commands_read_formula_like_names_back(tmp_path):
    """A concept labelled "=cmd|calc" and a paper titled "=1+1": printed and found as they are."""
    lexicon = tmp_path / "evil.jsonl"
    lexicon.write_text(json.dumps({"id": "frobnet", "label": "=cmd|calc", "type": "method",
                                   "aliases": ["FrobNet"]}) + "\n", encoding="utf-8")
    rows = [{"id": f"p{i}", "title": "=1+1" if i == 0 else f"Paper {i}",
             "abstract": f"We train FrobNet on CIFAR-10 with dropout and ResNet, run {i}."} for i in range(4)]
    corpus = _write_jsonl(tmp_path / "c.jsonl", rows)
    out = tmp_path / "out"
    assert cli("build", corpus, "--lexicon", lexicon, "-o", out, "-q").returncode == 0
    assert "'=cmd|calc" in (out / "concepts.csv").read_text("utf-8")  # prefixed in the file
    central = cli("centrality", "-o", out, "--top", "50")
    assert central.returncode == 0 and "=cmd|calc" in central.stdout and "'=cmd" not in central.stdout
    shown = cli("show", "=cmd|calc", "-o", out)
    assert shown.returncode == 0, shown.stderr
    paper = cli("show", "=1+1", "-o", out)
    assert paper.returncode == 0 and "paper" in paper.stdout, paper.stderr


def test_output_set_keeps_a_symlinked_folder_and_the_users_files(tmp_path):
    from conceptgraph.outputs import OutputSet

    (tmp_path / "real" / ".cache").mkdir(parents=True)
    (tmp_path / "real" / ".cache" / "entry").write_text("cached")
    (tmp_path / "real" / "mine.txt").write_text("mine")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    for out in (tmp_path / "link", tmp_path / "real"):
        with OutputSet(out, ["a.txt"]) as staged:
            staged.path("a.txt").write_text(str(out))
            staged.commit(["a.txt"])
    assert (tmp_path / "link").is_symlink()
    assert (tmp_path / "real" / "a.txt").read_text() == str(tmp_path / "real")
    assert (tmp_path / "real" / "mine.txt").read_text() == "mine"
    assert (tmp_path / "real" / ".cache" / "entry").read_text() == "cached"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def _coined_name(i: int) -> str:
    """A made-up method name for record ``i``, one of 16⁵: every record names a concept of its own."""
    syllables = ("ka", "zo", "ri", "vex", "lu", "mar", "ten", "qui", "dra", "no", "sel", "bix", "tor", "pha",
                 "gen", "ul")
    name = ""
    for _ in range(5):
        name += syllables[i % 16]
        i //= 16
    return name.capitalize()


def test_twenty_thousand_one_sentence_records_build_within_a_memory_limit(tmp_path):
    """Issue 22 item 7: drawing the map cost memory and time in the square of its islands. 20,000
    records "We propose <coined name>." share no concept, so the 5,000 papers drawn are 5,000
    one-node islands: laying them out held 5,000 × 5,000 pair arrays (peak RSS 2.6 GB, and more than
    11 minutes in the render stage for these graphs). Islands are now pooled and placed in groups,
    so the build fits an address-space limit of 3 GiB (its own peak is about 1.9 GiB)."""
    import resource

    corpus = _write_jsonl(tmp_path / "tiny.jsonl", [
        {"id": f"r{i}", "title": _coined_name(i), "abstract": f"We propose {_coined_name(i)}."}
        for i in range(20_000)])
    out = tmp_path / "out"

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    # one thread per pool, so that the address space counts our memory, not idle per-thread arenas
    env = dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               MALLOC_ARENA_MAX="2")
    result = subprocess.run([sys.executable, "-m", "conceptgraph", "build", str(corpus), "-o", str(out), "-q",
                             "--no-cache", "--jobs", "1"], capture_output=True, text=True, preexec_fn=limit,
                            timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["papers"] == 20_000 and report["concepts"] >= 20_000
    from conceptgraph.viz.html import page_data

    views = {v["name"]: v for v in page_data((out / "graph.html").read_text(encoding="utf-8"))["views"]}
    assert len(views["papers"]["nodes"]) == 5_000
    print(f"\n20,000 one-sentence records: timings {report['timings_s']}")
