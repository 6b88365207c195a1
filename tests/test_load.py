"""Reading the bundled sample corpus and the basic formats."""
import json
import subprocess
import sys

import pytest

import conceptgraph
from conceptgraph.extract import InputError, load
from conceptgraph.extract.corpus import detect_language, sample_corpus
from conceptgraph.extract.readers.plain_text import text_layout


@pytest.fixture(scope="module")
def papers():
    return load()


def test_sample_corpus_counts(papers):
    report = papers.attrs["load_report"]
    assert report["read"] == 275
    assert len(papers) == 269
    assert (papers["title"] != "").sum() == 231
    assert report["read"] == report["kept"] + report["merged"] + report["skipped"]
    assert report["merged"] == 6 and report["skipped"] == 0
    for f in report["files"]:
        assert f["read"] == f["kept"] + f["merged"] + f["skipped"]


def test_layouts_found_per_file():
    layouts = {}
    for path in sorted(sample_corpus().glob("*.txt")):
        lines = [(n, l) for n, l in enumerate(path.read_text("utf-8").split("\n"), 1) if l.strip()]
        layouts[path.name[:3]] = text_layout(lines[2:] if path.name.startswith("001") else lines)
    assert layouts == {"000": "lines", "001": "pairs", "002": "lines", "003": "translated", "004": "lines"}


def test_no_boilerplate_or_marker_becomes_text(papers):
    text = " ".join(papers["title"]) + " " + " ".join(papers["abstract"])
    assert "Get trending papers" not in text
    assert "Subscribe" not in text
    assert "translated by" not in text
    assert "A Deep Neural Network for SSVEP-based Brain-Computer Interfaces" in set(papers["title"])


def test_same_title_revised_abstract_merged(papers):
    fcn = papers[papers["title"] == "Fully Convolutional Networks for Semantic Segmentation"]
    assert len(fcn) == 1
    assert len(fcn.iloc[0]["merged_from"]) == 1


def test_untitled_copy_takes_the_title(papers):
    # An abstract listed alone in one file and with its title in another is one titled paper.
    row = papers[papers["title"] == "The Principles of Deep Learning Theory"].iloc[0]
    assert row["source_file"].endswith("000_eb22ed71c94c5cb2.txt")
    assert sorted(m.split("/")[-1][:3] for m in row["merged_from"]) == ["001", "002"]


def test_chinese_abstracts_kept_with_language(papers):
    chinese = papers[papers["lang"] == "zh"]
    assert len(chinese) == 2
    assert chinese["abstract"].str.contains("SGD").any()


def test_ids_stable_and_unique(papers):
    again = load()
    assert list(papers["id"]) == list(again["id"])
    assert papers["id"].is_unique
    # Not derived from run-specific state: a fresh interpreter gives the same ids.
    code = "import conceptgraph; print(','.join(conceptgraph.load()['id'][:5]))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ",".join(papers["id"][:5])


def test_detect_language():
    assert detect_language("尽管深度神经网络能够在各个领域中实现最先进的性能 SGD ORFit") == "zh"
    assert detect_language("We propose BinaryConnect.") == "en"


def test_jsonl_csv_and_truncated_record(tmp_path):
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"id": "x1", "title": "T one", "abstract": "We propose FooNet for images."}\n'
                     '{"id": "x2", "title": "T two", "abstr\n'
                     '{"id": "x3", "text": "A third abstract about BERT."}\n', encoding="utf-8")
    papers = load(jsonl)
    assert list(papers["id"]) == ["x1", "x3"]
    report = papers.attrs["load_report"]
    assert report["read"] == 3 and report["skipped"] == 1
    assert report["files"][0]["skips"][0]["line"] == 2

    csv_path = tmp_path / "b.csv"
    csv_path.write_text('Titles,Summaries,Year\n"A, quoted ""title""","Line one\nline two",2019\n',
                        encoding="utf-8")
    papers = load(csv_path)
    assert papers.loc[0, "title"] == 'A, quoted "title"'
    assert papers.loc[0, "abstract"] == "Line one\nline two"
    assert papers.loc[0, "year"] == 2019


def test_duplicate_ids_with_different_text_both_kept(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "a/../b", "abstract": "first text about graph neural networks and such"}\n'
                    '{"id": "a/../b", "abstract": "second text about convolutional networks and such"}\n')
    papers = load(path)
    assert list(papers["id"]) == ["a/../b", "a/../b~2"]


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image"),
    (b"good line\n\xff\xfe bad", ":2: invalid UTF-8"),
])
def test_unreadable_files_give_one_line_errors(tmp_path, content, message):
    path = tmp_path / "in.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        load(path)
    assert "\n" not in str(err.value) and "in.txt" in str(err.value)


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load(tmp_path / "nope.txt")


def test_csv_without_abstract_column(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("name,score\na,1\n")
    with pytest.raises(InputError, match="no abstract column"):
        load(path)


def test_public_api_extract_is_the_package():
    # conceptgraph.extract is the package; the extraction function is conceptgraph.extract_concepts.
    assert conceptgraph.extract_concepts is conceptgraph.extract.extract_concepts
    from conceptgraph.extract import load as load_again
    assert load_again is load
    # Importing a submodule under a name goes through the attribute conceptgraph.extract,
    # so that attribute must be the package, not a function that shadows it.
    import conceptgraph.extract.nlp as nlp_module
    assert nlp_module.__name__ == "conceptgraph.extract.nlp"
    assert conceptgraph.extract.load is load


# ---------------------------------------------------------------- issue 22: inputs that attack

ABSTRACT = "We train a convolutional neural network on ImageNet and report its top-1 accuracy."


def test_own_output_folder_and_hidden_folders_are_not_input(tmp_path):
    (tmp_path / "corpus.txt").write_text(ABSTRACT + "\n", encoding="utf-8")
    out = tmp_path / "conceptgraph-out"
    (out / ".cache" / "extract-1").mkdir(parents=True)
    (out / "papers.csv").write_text("id,title,abstract\np1,A,An abstract of an earlier build.\n", encoding="utf-8")
    (out / ".cache" / "extract-1" / "meta.json").write_text('{"abstract": "cached text"}', encoding="utf-8")
    # An output folder under another name is known by its report.json.
    other = tmp_path / "results"
    other.mkdir()
    (other / "report.json").write_text(json.dumps({"records": {}, "files": [], "outputs": []}), encoding="utf-8")
    (other / "mentions.csv").write_text("paper_id,abstract\np1,Some mention text here.\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("A hidden note.\n", encoding="utf-8")
    report = load(tmp_path).attrs["load_report"]
    assert [f["file"].split("/")[-1] for f in report["files"]] == ["corpus.txt"] and report["read"] == 1
    skipped = {f["file"].split("/", 1)[1]: f["reason"] for f in report["files_skipped"]}
    assert set(skipped) == {"conceptgraph-out", "results", ".git"}
    assert "output folder" in skipped["results"] and "hidden" in skipped[".git"]


def test_fifo_in_a_directory_is_skipped_and_never_blocks(tmp_path):
    import os
    (tmp_path / "corpus.txt").write_text(ABSTRACT + "\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    code = ("from conceptgraph.extract import load; import sys; "
            "r = load(sys.argv[1]).attrs['load_report']; print(r['read'], r['files_skipped'])")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("1 ") and "pipe.txt" in done.stdout and "a FIFO" in done.stdout


@pytest.mark.parametrize("encoding", ["utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"])
def test_utf16_and_utf32_with_bom(tmp_path, encoding):
    path = tmp_path / "corpus.txt"
    path.write_bytes("\ufeff".encode(encoding) + (ABSTRACT + "\r\nA second abstract, with a café.\r\n").encode(encoding))
    papers = load(path)
    assert list(papers["abstract"]) == [ABSTRACT, "A second abstract, with a café."]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_bom_name_the_encoding(tmp_path, encoding):
    path = tmp_path / "corpus.txt"
    path.write_bytes((ABSTRACT + "\n").encode(encoding))
    with pytest.raises(InputError) as err:
        load(path)
    assert str(err.value) == (f"{path.name}: this looks like {encoding.upper()} text without a byte-order mark; "
                              f"pass --encoding {encoding}")
    assert list(load(path, encoding=encoding)["abstract"]) == [ABSTRACT]


# Runs one load in a child process under an address-space limit and reports its peak memory.
_MEMORY_PROBE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
from conceptgraph.extract import InputError, load
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    load(sys.argv[1])
    print("read")
except InputError as err:
    print("refused:", err)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def _peak_of_load(path) -> tuple[str, int]:
    done = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(path)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    message, peak_kib = done.stdout.strip().rsplit("\n", 1)
    return message, int(peak_kib) << 10


def _gzip_of(path, piece: bytes, copies: int):
    import zlib
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)
    with open(path, "wb") as out:
        for _ in range(copies):
            out.write(packer.compress(piece))
        out.write(packer.flush())


def test_gz_of_newlines_is_refused_with_bounded_memory(tmp_path):
    # 400 MB of newlines in 1.7 MB of gzip: held whole (and split into lines) it took gigabytes.
    path = tmp_path / "lines.txt.gz"
    _gzip_of(path, b"\n" * (1 << 22), 100)
    message, peak = _peak_of_load(path)
    assert message.startswith("refused: lines.txt.gz: it decompresses to more than 20,000,000 lines"), message
    assert peak < 200 << 20, peak


def test_gz_of_zeros_is_refused_at_its_first_chunk(tmp_path):
    path = tmp_path / "zeros.csv.gz"
    _gzip_of(path, b"\x00" * (1 << 22), 100)
    message, peak = _peak_of_load(path)
    assert message == "refused: zeros.csv.gz: binary data (NUL bytes), not a text file of abstracts", message
    assert peak < 100 << 20, peak


def test_a_200_mb_line_is_refused_with_bounded_memory(tmp_path):
    path = tmp_path / "one-line.csv"
    with open(path, "wb") as out:
        out.write(b"title,abstract\nA title,")
        for _ in range(200):
            out.write(b"word " * 200_000)
        out.write(b"\n")
    message, peak = _peak_of_load(path)
    assert message == ("refused: one-line.csv:2: a line of 200,000,008 characters, more than the 16,000,000 a file "
                       "of records may have on one line"), message
    assert peak < 3 * 200_000_000, peak  # the bytes and their text, nothing more


def test_build_twice_in_a_folder_maps_the_same_papers(tmp_path):
    """`conceptgraph build .` must not read its own outputs (conceptgraph-out/, .cache) the second time."""
    (tmp_path / "corpus.txt").write_text(
        ABSTRACT + "\nWe fine-tune BERT on SQuAD and report exact match and F1.\n"
        "We prune ResNet-50 channels and keep ImageNet accuracy within one point.\n", encoding="utf-8")
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "conceptgraph", "build", ".", "-q"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        report = json.loads((tmp_path / "conceptgraph-out" / "report.json").read_text("utf-8"))
        assert report["papers"] == 3 and [f["file"] for f in report["files"]] == ["corpus.txt"]
    assert {f["file"] for f in report["files_skipped"]} == {"conceptgraph-out"}


def test_outputs_written_beside_the_corpus_and_globs_are_left_out(tmp_path, monkeypatch):
    # `conceptgraph build corpus -o corpus`: the folder holds the corpus and a build's outputs.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "abstracts.csv").write_text(f"title,abstract\nA paper,{ABSTRACT}\n", encoding="utf-8")
    (corpus / "papers.csv").write_text("id,title,abstract\np1,Old,An abstract of the earlier build.\n", encoding="utf-8")
    (corpus / "report.json").write_text(json.dumps({"records": {}, "files": [], "outputs": ["papers.csv", "report.json"]}),
                                        encoding="utf-8")
    report = load(corpus).attrs["load_report"]
    assert [f["file"] for f in report["files"]] == ["corpus/abstracts.csv"]
    assert {f["file"] for f in report["files_skipped"]} == {"corpus/papers.csv", "corpus/report.json"}
    # A pattern reaching into an output folder reads none of it.
    (corpus / "report.json").unlink()
    out = tmp_path / "conceptgraph-out"
    out.mkdir()
    (out / "mentions.csv").write_text("paper_id,text\np1,Some mention text here.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = load("*/abstracts.csv").attrs["load_report"]
    assert [f["file"] for f in report["files"]] == ["corpus/abstracts.csv"]
    report = load("*/*s.csv").attrs["load_report"]
    assert [f["file"] for f in report["files"]] == ["corpus/abstracts.csv", "corpus/papers.csv"]
    assert [f["file"] for f in report["files_skipped"]] == ["conceptgraph-out/mentions.csv"]
