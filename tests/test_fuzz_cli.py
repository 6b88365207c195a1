"""Property tests: fuzzed lexicon files and fuzzed query commands never end in a traceback.

Every case ends in success or in one ``conceptgraph: error:`` line with exit 2
(bad input) or 3 (output); an ``internal error`` (exit 1) or a traceback is a
failure. Lexicon files are checked by :meth:`Lexicon.load` (the error names the
file and its line) and, for a few, by a whole ``build``; the query commands
(``centrality``, ``clusters``, ``show``, ``trends``, ``export``) run in-process
through :func:`conceptgraph.cli.main` with fuzzed arguments against a real
build's folder that is then corrupted: truncated CSVs, missing files, edited
cells, junk bytes. Seeded (``derandomize``) and bounded; the longer run is
``benchmarks/fuzz_cli.py``.
"""
from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conceptgraph import cli
from conceptgraph.extract import InputError
from conceptgraph.extract.components._resources import Lexicon

FUZZ = settings(max_examples=60, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))
ABSTRACTS = [
    "We train ResNet and BERT on ImageNet and CIFAR-10 with dropout, and compare to a Transformer.",
    "A graph neural network with attention is evaluated on Cora for node classification accuracy.",
    "FrobNet, a convolutional network, beats ResNet on CIFAR-10 and ImageNet in top-1 accuracy.",
    "Transformers with self-attention improve BERT on GLUE; we report F1 and accuracy.",
]
TYPES = ["method", "dataset", "architecture", "task", "metric"]
NASTY = ["", " ", "\x00", "\x01", "\r", "\n", "\u2028", "\ud800", "\ufeff", "=cmd|calc", "__proto__",
         "constructor", "<script>", "a" * 5000, "\t", "é", "\u200b", "'", '"', "\\", "null"]

# --------------------------------------------------------------------------- lexicon files

_text = st.text(max_size=30) | st.sampled_from(NASTY)
_value = st.none() | st.booleans() | st.integers() | st.floats() | _text | st.lists(_text, max_size=3) | \
    st.dictionaries(st.text(max_size=5), _text, max_size=2)
_record = st.builds(lambda known, extra: {**extra, **known}, st.fixed_dictionaries({}, optional={
    "id": _value | _text, "label": _value | _text, "type": _value | st.sampled_from(TYPES),
    "aliases": _value | st.lists(_text, max_size=4), "case_sensitive": _value, "generic": _value}),
    st.dictionaries(st.text(max_size=6), _value, max_size=1))


@st.composite
def lexicon_bytes(draw) -> tuple[str, bytes]:
    """A lexicon file: JSON Lines or TSV, made of good and bad records, then damaged as bytes."""
    suffix = draw(st.sampled_from([".jsonl", ".tsv"]))
    if suffix == ".jsonl":
        lines = []
        for rec in draw(st.lists(_record | _value, max_size=6)):
            try:
                lines.append(json.dumps(rec))
            except (ValueError, OverflowError):
                lines.append(str(rec))
        lines += draw(st.lists(st.sampled_from(['{"label": "X"', "[1, 2]", "{}", '{"label": "Frob", "type": "method"}',
                                                "", "   ", "#", '{"label": "\\ud800"}']), max_size=2))
        text = "\n".join(draw(st.permutations(lines)))
    else:
        rows = draw(st.lists(st.lists(_text, max_size=6), max_size=6))
        text = "\n".join("\t".join(row) for row in rows)
    data = text.encode("utf-8", "surrogatepass")
    for _ in range(draw(st.integers(0, 2))):  # raw damage: bad UTF-8, NUL, a cut
        i = draw(st.integers(0, len(data)))
        data = data[:i] + draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\xed\xa0\x80", b"\r", b""])) + data[i:]
    if draw(st.booleans()):
        data = draw(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe"])) + data
    return suffix, data


def check_lexicon(path: Path) -> str:
    """Load ``path`` as a user lexicon: 'ok' with clean entries, or 'error' with a one-line file:line message."""
    try:
        lexicon = Lexicon.load([path], builtin=False)
    except InputError as err:
        message = str(err)
        assert "\n" not in message and "\r" not in message, message
        assert message.startswith(str(path)), message
        assert re.match(re.escape(str(path)) + r"(:\d+)?: ", message), message
        return "error"
    for entry in lexicon.entries.values():
        for text in (entry.id, entry.label, *entry.aliases):
            # one line of text GraphML, GEXF and VOSviewer files can hold: no control or line-break
            # character, no lone surrogate (private-use and unassigned characters are text)
            assert text and text == text.strip(), repr(text)
            assert not [c for c in text if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")
                        or c in "\ufffe\uffff"], repr(text)
            text.encode("utf-8")
        assert entry.type in TYPES and isinstance(entry.generic, bool)
    return "ok"


@FUZZ
@given(lexicon=lexicon_bytes())
def test_fuzzed_lexicon_loads_or_names_file_and_line(tmp_path_factory, lexicon):
    suffix, data = lexicon
    path = tmp_path_factory.mktemp("lex") / f"mine{suffix}"
    path.write_bytes(data)
    check_lexicon(path)


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``conceptgraph ARGV`` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exit:  # argparse's --help and usage errors
            code = exit.code
    return code, out.getvalue(), err.getvalue()


def assert_clean_end(code, stdout, stderr, argv):
    """Success, or exit 2/3 with exactly one error line; never an internal error or a traceback."""
    assert "Traceback" not in stdout + stderr, (argv, stderr)
    assert code in (0, 2, 3), (argv, code, stderr)
    if code:
        lines = stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("conceptgraph: error: "), (argv, stderr)


def test_a_few_fuzzed_lexicons_through_a_whole_build(tmp_path):
    """The same lexicon files given to `build --lexicon` in a subprocess: the CLI's end of the promise."""
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"p{i}", "title": f"Paper {i}", "abstract": a}) + "\n"
                              for i, a in enumerate(ABSTRACTS)), encoding="utf-8")
    outcomes = []

    @settings(max_examples=4, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(lexicon=lexicon_bytes())
    def one(lexicon):
        suffix, data = lexicon
        path = tmp_path / f"lex-{len(outcomes)}{suffix}"
        path.write_bytes(data)
        expected = check_lexicon(path)
        out = tmp_path / f"out-{len(outcomes)}"
        result = subprocess.run([sys.executable, "-m", "conceptgraph", "build", str(corpus), "--lexicon", str(path),
                                 "-o", str(out), "-q", "--no-cache"], capture_output=True, text=True, timeout=300)
        assert_clean_end(result.returncode, result.stdout, result.stderr, path.name)
        assert result.returncode == (0 if expected == "ok" else 2), (path.name, result.stderr)
        if expected == "error":
            assert str(path) in result.stderr and not out.exists()
        outcomes.append(expected)

    one()
    assert "error" in outcomes


# --------------------------------------------------------------------------- query commands

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A real build of a small corpus with years, citations and a lexicon of its own."""
    root = tmp_path_factory.mktemp("built")
    rows = [{"id": f"p{i}", "title": f"Paper {i} on {a.split()[2]}", "abstract": a, "year": 2015 + i % 6,
             "references": [f"p{j}" for j in range(i)][:2]} for i, a in enumerate(ABSTRACTS * 3)]
    (root / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (root / "lex.jsonl").write_text(json.dumps({"id": "frobnet", "label": "FrobNet", "type": "architecture"}) + "\n",
                                    encoding="utf-8")
    code, _, err = run_cli(["build", str(root / "c.jsonl"), "--lexicon", str(root / "lex.jsonl"),
                            "-o", str(root / "out"), "-q"])
    assert code == 0, err
    return root / "out"


_TABLES = ["papers.csv", "mentions.csv", "concepts.csv", "paper_edges.csv", "clusters.csv", "report.json"]


@st.composite
def corrupted_copy(draw, built: Path, into: Path) -> list[str]:
    """Copy the build to ``into`` and damage some of its files; returns what was done."""
    shutil.copytree(built, into, ignore=shutil.ignore_patterns(".cache"))
    done = []
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(_TABLES))
        path = into / name
        how = draw(st.sampled_from(["truncate", "delete", "edit cell", "drop header", "junk", "empty",
                                    "bad utf-8", "directory"]))
        done.append(f"{how} {name}")
        if not path.is_file():
            continue
        data = path.read_bytes()
        if how == "truncate":
            path.write_bytes(data[:draw(st.integers(0, len(data)))])
        elif how == "delete":
            path.unlink()
        elif how == "edit cell":
            lines = data.decode("utf-8", "surrogateescape").split("\n")
            row = draw(st.integers(0, max(len(lines) - 1, 0)))
            cells = lines[row].split(",")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(
                st.sampled_from(["", "nan", "-1", "1e309", "abc", '"', "'=1", "True", "[1]", "{}", "0", "x; y"])
                | st.text(max_size=10).filter(lambda t: "\n" not in t and "\r" not in t))
            lines[row] = ",".join(cells)
            path.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape"))
        elif how == "drop header":
            path.write_bytes(data.split(b"\n", 1)[-1])
        elif how == "junk":
            path.write_bytes(draw(st.binary(max_size=200)))
        elif how == "empty":
            path.write_bytes(b"")
        elif how == "bad utf-8":
            i = draw(st.integers(0, len(data)))
            path.write_bytes(data[:i] + b"\xff\xfe\x80" + data[i:])
        else:
            path.unlink()
            path.mkdir()
    return done


_query = st.text(max_size=20) | st.sampled_from(NASTY + ["ResNet", "p1", "frobnet", "Paper 2 on ResNet", "bert"])
_number = st.integers(-3, 10**6).map(str) | st.sampled_from(["0", "-1", "nan", "inf", "1e309", "x", "", "2.5"])


@st.composite
def query_argv(draw, outdir: Path) -> list[str]:
    """Arguments of one query command, from plausible to hostile."""
    command = draw(st.sampled_from(["centrality", "clusters", "show", "trends", "export"]))
    argv = [command, "-o", str(outdir)]
    if command == "centrality":
        for option, values in (("--top", _number), ("--by", st.sampled_from(["pagerank", "degree", "betweenness",
                                                                              "n_papers", "nope", ""])),
                               ("--type", st.sampled_from(TYPES + ["gadget", ""]))):
            if draw(st.booleans()):
                argv += [option, draw(values)]
    elif command == "show":
        argv.append(draw(_query))
        if draw(st.booleans()):
            argv += ["--html", str(outdir / draw(st.sampled_from(["s.html", "sub/s.html", "report.json", ""])))]
    elif command == "trends":
        for option in ("--top", "--window", "--min-papers", "--s", "--gamma"):
            if draw(st.booleans()):
                argv += [option, draw(_number)]
    elif command == "export":
        argv += ["--formats", draw(st.sampled_from(["csv", "vosviewer", "graphml,json", "gexf", "pdf", ",", ""]))]
        if draw(st.booleans()):
            argv += ["--to", str(outdir / "exported")]
    if draw(st.booleans()) and command != "export":
        argv += ["--csv", str(outdir / draw(st.sampled_from(["t.csv", "papers.csv", "no/such/dir/t.csv"])))]
    return argv


def test_fuzzed_query_commands_on_corrupted_builds(built, tmp_path_factory):
    outcomes = []

    @settings(max_examples=50, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def one(data):
        folder = tmp_path_factory.mktemp("q") / "out"
        damage = data.draw(corrupted_copy(built, folder), label="damage")
        argv = data.draw(query_argv(folder), label="argv") + ["-q"]
        code, stdout, stderr = run_cli(argv)
        assert_clean_end(code, stdout, stderr, (damage, argv))
        outcomes.append(code)

    one()
    assert 0 in outcomes and 2 in outcomes, outcomes
