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


def test_public_api_is_callable_package():
    # conceptgraph.extract is the package and the extraction function at once.
    assert callable(conceptgraph.extract)
    from conceptgraph.extract import load as load_again
    assert load_again is load
    # Importing a submodule under a name goes through the attribute conceptgraph.extract,
    # so that attribute must be the package, not a function that shadows it.
    import conceptgraph.extract.nlp as nlp_module
    assert nlp_module.__name__ == "conceptgraph.extract.nlp"
    assert conceptgraph.extract.load is load
