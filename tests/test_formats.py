"""Bibliographic formats: detection, fields, years, references, accounting.

The fixtures in tests/fixtures/formats/ (listed in tests/fixtures/formats.md) are small
exports written in each database's real format (column names, tags, record layouts, quirks).
"""
import gzip
import json
import shutil
from pathlib import Path

import pytest

from conceptgraph.extract import InputError, load
from conceptgraph.extract.readers.bibtex import latex_to_text
from conceptgraph.extract.readers.json_records import rebuild_abstract
from conceptgraph.extract.readers import READERS, Source, detect_format, parse_year, read_text_file
from conceptgraph.graph.references import match_references

# The shared material lies beside the repository (../shared), here and in CI.
SHARED = Path(__file__).resolve().parents[2] / "shared"

FIXTURES = Path(__file__).parent / "fixtures" / "formats"

EXPECTED = {  # file: (format, read, kept, skipped)
    "library.bib": ("bibtex", 5, 4, 1),
    "export.ris": ("ris", 4, 3, 1),
    "savedrecs.txt": ("wos", 3, 3, 0),
    "scopus.csv": ("scopus", 3, 3, 0),
    "openalex_works.jsonl": ("openalex", 3, 3, 0),
    "openalex_api.json": ("openalex", 2, 2, 0),
    "arxiv-metadata-oai-snapshot.json": ("arxiv", 3, 3, 0),
    "s2_batch.json": ("s2", 4, 3, 1),
    "generic.tsv": ("tsv", 3, 3, 0),
    # Quirks of real exports, written anew (see tests/fixtures/formats.md).
    "pubmed.nbib": ("medline", 3, 3, 0),
    "ovid_psycinfo.ris": ("ris", 2, 2, 0),
    "ieee_markup.ris": ("ris", 2, 2, 0),
    "wos_tab_delimited.txt": ("wos-tab", 4, 4, 0),
    "scopus_funding.csv": ("scopus", 3, 3, 0),
    "ieee.csv": ("csv", 2, 2, 0),
    "lens.csv": ("csv", 2, 2, 0),
    "openalex_works.csv": ("csv", 3, 3, 0),
    "dimensions.csv": ("dimensions", 2, 2, 0),
    "s2orc.jsonl": ("s2", 2, 2, 0),
    "zotero.json": ("csl-json", 2, 2, 0),
    "jabref.bib": ("bibtex", 5, 4, 0),
}


def balanced(report):
    for f in report["files"]:
        assert f["read"] == f["kept"] + f["merged"] + f["skipped"], f
        assert f["skipped"] == len(f["skips"]), f
    for key in ("read", "kept", "merged", "skipped", "years_missing", "years_malformed"):
        assert report[key] == sum(f[key] for f in report["files"]), key
    assert report["read"] == report["kept"] + report["merged"] + report["skipped"]


def test_every_fixture_is_listed():
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_detected_read_and_balanced(name):
    fmt, read, kept, skipped = EXPECTED[name]
    papers = load(FIXTURES / name)
    report = papers.attrs["load_report"]
    (f,) = report["files"]
    assert (f["format"], f["read"], f["kept"], f["skipped"]) == (fmt, read, kept, skipped)
    balanced(report)
    assert len(papers) == kept and papers["id"].is_unique
    assert all(isinstance(t, str) for t in papers["title"]) and all(isinstance(a, str) for a in papers["abstract"])
    for refs in papers["references"]:
        assert refs is None or (isinstance(refs, list) and all(isinstance(r, str) and r for r in refs))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_detected_by_content_whatever_the_extension(name, tmp_path):
    fmt = EXPECTED[name][0]
    text = read_text_file(FIXTURES / name, name)
    # Exports are often saved as .txt or under another format's extension: content decides.
    for other in ("export.txt", "export", "export.ris", "export.csv", "export.scopus", "export.json"):
        assert detect_format(tmp_path / other, text) == fmt, other


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_gzipped_fixture_reads_the_same(name, tmp_path):
    packed = tmp_path / (name + ".gz")
    packed.write_bytes(gzip.compress((FIXTURES / name).read_bytes(), mtime=0))
    plain, zipped = load(FIXTURES / name), load(packed)
    assert list(plain["id"]) == list(zipped["id"])
    assert list(plain["abstract"]) == list(zipped["abstract"])
    assert zipped.attrs["load_report"]["files"][0]["format"] == EXPECTED[name][0]


def test_directory_and_glob_of_all_formats(tmp_path):
    papers = load(FIXTURES)
    report = papers.attrs["load_report"]
    balanced(report)
    assert sorted(Path(f["file"]).name for f in report["files"]) == sorted(EXPECTED)
    assert report["files_skipped"] == []
    assert report["read"] == sum(e[1] for e in EXPECTED.values())
    # The same paper in several exports is one paper ("Deep learning": BibTeX, WoS, OpenAlex).
    assert report["merged"] > 0
    assert (papers["title"].str.lower() == "deep learning").sum() == 1
    globbed = load(str(FIXTURES / "*.json*"))
    assert sorted(Path(f["file"]).name for f in globbed.attrs["load_report"]["files"]) == [
        "arxiv-metadata-oai-snapshot.json", "openalex_api.json", "openalex_works.jsonl", "s2_batch.json",
        "s2orc.jsonl", "zotero.json"]


def test_format_override_and_aliases(tmp_path):
    ris = tmp_path / "export.dat"
    shutil.copy(FIXTURES / "export.ris", ris)
    assert load(ris, format="ris").attrs["load_report"]["files"][0]["format"] == "ris"
    bib = tmp_path / "refs.txt"
    shutil.copy(FIXTURES / "library.bib", bib)
    assert load(bib, format="bib").attrs["load_report"]["files"][0]["format"] == "bibtex"
    # Forcing plain text reads an export as lines: the user asked for it.
    assert load(bib, format="text").attrs["load_report"]["files"][0]["format"] == "text"
    with pytest.raises(InputError, match=r"unknown format 'endnote'") as err:
        load(bib, format="endnote")
    assert "\n" not in str(err.value) and "refs.txt" in str(err.value)


def test_bibtex_fields():
    papers = load(FIXTURES / "library.bib").set_index("id")
    assert papers.loc["he2016deep", "doi"] == "10.1109/CVPR.2016.90"
    assert papers.loc["he2016deep", "abstract"].startswith("Deeper neural networks are more difficult to train. We")
    assert "\n" not in papers.loc["he2016deep", "abstract"]
    assert papers.loc["lecun2015deep", "year"] == 2015  # "2015a"
    assert papers.loc["lecun2015deep", "doi"] == "10.1038/nature14539"  # resolver prefix dropped
    assert papers.loc["scholkopf_kernels", "title"] == \
        "Kernel Methods in Machine Learning: a Review by Schölkopf & Émile"
    assert papers.loc["scholkopf_kernels", "year"] is None or str(papers.loc["scholkopf_kernels", "year"]) == "<NA>"
    assert papers.loc["hochreiter1997long", "abstract"] == ""  # a title alone is kept
    report = load(FIXTURES / "library.bib").attrs["load_report"]["files"][0]
    assert report["skips"] == [{"line": 39, "reason": "BibTeX entry does not parse (Unexpected block start: "
                                "@article. Was still looking for field-value closing })"}]
    assert report["years_malformed"] == 1 and report["malformed_years"] == [{"line": 30, "value": "in press"}]


def test_ris_fields():
    papers = load(FIXTURES / "export.ris")
    assert list(papers["title"]) == ["ImageNet classification with deep convolutional neural networks",
                                     "Adam: A Method for Stochastic Optimization",
                                     "Mastering the game of Go with deep neural networks and tree search"]
    assert list(papers["year"]) == [2017, 2015, 2016]
    assert papers.loc[1, "id"] == "kingma2015adam"
    assert papers.loc[1, "abstract"].startswith("We introduce Adam") and "objective functions" in papers.loc[1, "abstract"]
    assert papers.loc[2, "doi"] == "10.1038/nature16961"
    report = papers.attrs["load_report"]["files"][0]
    assert report["skips"] == [{"line": 41, "reason": "no title and no abstract"}]


def test_wos_fields():
    papers = load(FIXTURES / "savedrecs.txt").set_index("id")
    lstm = papers.loc["WOS:A1997YA04500007"]
    assert lstm["title"] == "Long short-term memory" and lstm["year"] == 1997
    assert lstm["abstract"].startswith("Learning to store information over extended time intervals by recurrent "
                                       "backpropagation takes")
    assert lstm["references"] == ["Bengio Y, 1994, IEEE T NEURAL NETWOR, V5, P157, DOI 10.1109/72.279181",
                                  "Elman JL, 1990, COGNITIVE SCI, V14, P179, DOI 10.1207/s15516709cog1402_1"]
    assert papers.loc["WOS:000355286600030", "year"] == 2015  # from EA when PY is missing


def test_scopus_fields():
    papers = load(FIXTURES / "scopus.csv").set_index("id")
    unet = papers.loc["2-s2.0-84951834022"]
    assert unet["title"] == "U-Net: Convolutional Networks for Biomedical Image Segmentation"
    assert unet["abstract"].endswith("use the available annotated samples more efficiently.")  # © statement gone
    assert len(unet["references"]) == 3 and unet["references"][1].startswith("Long, J., Shelhamer, E.")
    assert unet["cited_by"] is None  # Scopus "Cited by" is a count, not a list of papers
    assert papers.loc["2-s2.0-85020108575", "abstract"] == ""  # [No abstract available]
    assert "\n" in papers.loc["2-s2.0-84959205572", "abstract"]  # kept verbatim


def test_openalex_fields():
    papers = load(FIXTURES / "openalex_works.jsonl").set_index("id")
    resnet = papers.loc["W2194775991"]
    assert resnet["abstract"] == ("Deeper neural networks are more difficult to train. We present a residual "
                                  "learning framework to ease the training of networks that are substantially "
                                  "deeper than those used previously.")
    assert resnet["doi"] == "10.1109/cvpr.2016.90" and resnet["year"] == 2016
    assert resnet["references"] == ["W2163605009", "W1686810756", "W2112796928"]
    assert papers.loc["W1686810756", "abstract"] == ""  # abstract_inverted_index: null


def test_publication_dates_are_kept_where_the_source_gives_a_whole_one(tmp_path):
    """``date``: an ISO string from JSON "date"/"published" keys, OpenAlex ``publication_date``, arXiv's
    first version, CSL ``date-parts``; None when the source gives a year or month only, or nothing."""
    openalex = load(FIXTURES / "openalex_works.jsonl").set_index("id")
    assert openalex.loc["W2194775991", "date"] == "2016-06-01"
    arxiv = load(FIXTURES / "arxiv-metadata-oai-snapshot.json").set_index("id")
    assert arxiv.loc["1706.03762", "date"] == "2017-06-12"  # "Mon, 12 Jun 2017 17:57:34 GMT", version 1
    assert load(FIXTURES / "zotero.json")["date"].isna().all()  # [[2017, 12]] and [["2014"]]: no day
    path = tmp_path / "papers.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "title": "Alpha", "abstract": "One.", "year": 2025, "date": "2025-05-23"},
        {"id": "b", "title": "Beta", "abstract": "Two.", "published": "2024-12-31T23:59:59Z"},
        {"id": "c", "title": "Gamma", "abstract": "Three.", "date": "2025-05"},
        {"id": "d", "title": "Delta", "abstract": "Four.", "year": 2020}]) + "\n", encoding="utf-8")
    papers = load(path).set_index("id")
    assert papers["date"].fillna("").tolist() == ["2025-05-23", "2024-12-31", "", ""]
    assert papers["year"].tolist() == [2025, 2024, 2025, 2020]
    assert load(FIXTURES / "scopus.csv")["date"].isna().all()  # a year column only


def test_rebuild_abstract_ignores_malformed_positions():
    assert rebuild_abstract({"b": [1], "a": [0], "bad": ["x", -1, 10**12, True, None]}) == "a b"
    assert rebuild_abstract({"a": 0, "b": [2]}) == "a b"
    assert rebuild_abstract(None) == "" and rebuild_abstract([1, 2]) == ""


def test_arxiv_fields():
    papers = load(FIXTURES / "arxiv-metadata-oai-snapshot.json").set_index("id")
    assert papers.loc["1706.03762", "title"] == "Attention Is All You Need"
    assert papers.loc["1706.03762", "year"] == 2017  # first version, not the latest update
    assert papers.loc["1706.03762", "abstract"].startswith("The dominant sequence transduction models are based "
                                                          "on complex recurrent or convolutional")
    assert papers.loc["hep-th/9711200", "title"] == \
        "The Large N Limit of Superconformal Field Theories and Supergravity"
    assert papers.loc["hep-th/9711200", "doi"] == "10.1023/A:1026654312961"
    assert papers.loc["1810.04805", "year"] == 2019  # no versions: update_date


def test_semantic_scholar_fields():
    papers = load(FIXTURES / "s2_batch.json").set_index("id")
    attention = papers.loc["204e3073870fae3d05bcbc2f6a8e263d9b72e776"]
    assert attention["references"] == ["0b544dfe355a5070b60986319a3f51fb45d1348e", "Layer normalization"]
    assert attention["cited_by"] == ["df2b0e26d0599ce3e70df8a9da02e51594e0e992"]
    assert papers.loc["df2b0e26d0599ce3e70df8a9da02e51594e0e992", "doi"] == "10.18653/v1/N19-1423"
    report = load(FIXTURES / "s2_batch.json").attrs["load_report"]["files"][0]
    assert report["skips"] == [{"line": 2, "reason": "item 2: a JSON null, not an object"}]
    assert report["years_missing"] == 1


@pytest.mark.parametrize("value, year", [
    ("2019", 2019), (2019, 2019), (2019.0, 2019), ("2019a", 2019), ("2019b", 2019), ("in press", None),
    ("In Press", None), ("n.d.", None), ("forthcoming", None), ("2019-05-01", 2019), ("05/01/2019", 2019),
    ("Mon, 2 Apr 2007 19:18:42 GMT", 2007), ("20190501", 2019), ("2017/05/24/", 2017), ("1066", None),
    (1066, None), ("", None), (None, None), (float("nan"), None), (True, None), ("MAY 2015", 2015),
])
def test_parse_year(value, year):
    assert parse_year(value) == year


def test_year_counts_in_report(tmp_path):
    path = tmp_path / "years.csv"
    path.write_text("title,abstract,year\n"
                    "Paper one,First abstract,2019a\n"
                    "Paper two,Second abstract,in press\n"
                    "Paper three,Third abstract,\n"
                    "Paper four,Fourth abstract,n.d.\n"
                    "Paper five,Fifth abstract,2020\n", encoding="utf-8")
    papers = load(path)
    report = papers.attrs["load_report"]
    assert list(papers["year"].astype("object").where(papers["year"].notna(), None)) == [2019, None, None, None, 2020]
    assert (report["years_missing"], report["years_malformed"]) == (1, 2)
    assert report["files"][0]["malformed_years"] == [{"line": 3, "value": "in press"}, {"line": 5, "value": "n.d."}]


def test_latex_to_text():
    assert latex_to_text(r"Sch{\"o}lkopf, G{\"u}nter and Ca\c{c}a and \v{S}ar{\'\i}") == "Schölkopf, Günter and Caça and Šarí"
    assert latex_to_text(r"{\ss} \o{} \AA{}ngstr{\"o}m 50\% A--B \textbf{bold}") == "ß ø Ångström 50% A–B bold"


# ---------------------------------------------------------------- citations

def test_match_references_within_each_export():
    expected = {  # file: (edges, matched, by)
        "savedrecs.txt": (3, 3, "doi"),  # DOIs inside WoS CR lines
        "scopus.csv": (3, 3, "title"),  # titles inside Scopus citation texts
        "openalex_works.jsonl": (3, 3, "id"),  # referenced_works
    }
    for name, (n_edges, matched, how) in expected.items():
        edges = match_references(load(FIXTURES / name))
        counts = edges.attrs["reference_report"]
        assert (len(edges), counts["matched"], counts["matched_by"][how]) == (n_edges, matched, matched), name
        assert counts["references"] == counts["matched"] + counts["unmatched"]
        assert set(edges["matched_by"]) == {how}


def test_match_references_cited_by_and_dedup():
    edges = match_references(load(FIXTURES / "s2_batch.json"))
    bert, attention, bahdanau = ("df2b0e26d0599ce3e70df8a9da02e51594e0e992",
                                 "204e3073870fae3d05bcbc2f6a8e263d9b72e776",
                                 "0b544dfe355a5070b60986319a3f51fb45d1348e")
    # BERT -> Attention is given twice (BERT's references and Attention's citations): one edge.
    assert edges[["citing", "cited"]].values.tolist() == [[attention, bahdanau], [bert, attention]]
    counts = edges.attrs["reference_report"]
    assert (counts["references"], counts["matched"], counts["cited_by"], counts["cited_by_matched"]) == (3, 2, 1, 1)


def test_match_references_across_formats_and_order():
    import pandas as pd
    papers = pd.DataFrame({
        "id": ["W1", "a/../b", "c", "d"],
        "title": ["Attention is all you need", "Deep residual learning for image recognition", "Deep sets", "x"],
        "doi": [None, "10.1109/CVPR.2016.90", "10.5555/ds", None],
        "references": [["https://openalex.org/W1", "c"],  # self-citation, then an id
                       ["https://doi.org/10.5555/DS", "Vaswani A., Attention is all you need (2017) NeurIPS"],
                       ["He K, 2016, P IEEE CVPR, P770, DOI 10.1109/cvpr.2016.90."], ["Deep sets"]],
        "cited_by": [None, None, None, ["A paper not in the corpus"]],
    })
    edges = match_references(papers)
    assert edges[["citing", "cited", "matched_by"]].values.tolist() == [["W1", "c", "id"], ["a/../b", "W1", "title"], ["a/../b", "c", "doi"],
                                     ["c", "a/../b", "doi"]]
    counts = edges.attrs["reference_report"]
    # "Deep sets" is too short a title to match: a generic phrase, not a citation.
    assert counts["self_citations"] == 1 and counts["unmatched"] == 1 and counts["references"] == 6


def test_readers_registry_complete():
    assert {"text", "jsonl", "json", "csv", "tsv", "bibtex", "ris", "wos", "scopus", "openalex", "arxiv",
            "s2"} <= set(READERS)
    for name, reader in READERS.items():
        try:
            assert list(reader("", Source(Path("x"), "x"))) == [], name
        except InputError as err:
            assert str(err).startswith("x") and "\n" not in str(err)


def test_wos_tab_delimited_export_saved_as_txt(tmp_path):
    path = tmp_path / "savedrecs.txt"
    header = ["PT", "AU", "TI", "SO", "AB", "PY", "DI", "CR", "UT"]
    row = ["J", "Hochreiter, S; Schmidhuber, J", "Long short-term memory", "NEURAL COMPUTATION",
           "Learning to store information over extended time intervals by recurrent backpropagation.", "1997",
           "10.1162/neco.1997.9.8.1735", "Bengio Y, 1994, IEEE T NEURAL NETWOR, V5, P157, DOI 10.1109/72.279181; "
           "Elman JL, 1990, COGNITIVE SCI, V14, P179", "WOS:A1997YA04500007"]
    path.write_text("\t".join(header) + "\n" + "\t".join(row) + "\n", encoding="utf-8")
    papers = load(path)
    assert papers.attrs["load_report"]["files"][0]["format"] == "wos-tab"
    rec = papers.iloc[0]
    assert (rec["id"], rec["title"], rec["year"], rec["doi"]) == (
        "WOS:A1997YA04500007", "Long short-term memory", 1997, "10.1162/neco.1997.9.8.1735")
    assert len(rec["references"]) == 2


def test_citation_edge_list(tmp_path):
    abstract = "We study learning to rank a set of items by combining preference judgements from many experts."
    (tmp_path / "papers.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "title": "An Efficient Boosting Algorithm for Combining Preferences", "abstract": abstract},
        {"id": "b", "title": "Cranking: combining rankings", "abstract": "Rankings are combined by cranking."},
        {"id": "c", "title": "An Efficient Boosting Algorithm for Combining Preferences", "abstract": abstract},
    ]) + "\n", encoding="utf-8")
    # Sorted before papers.jsonl: links are attached once every file is read.
    (tmp_path / "citations.csv").write_text("citing,cited\nb,a\nb,c\nx,a\nx,y\na,b\na,\n", encoding="utf-8")
    papers = load(tmp_path)
    report = papers.attrs["load_report"]
    balanced(report)
    links = next(f for f in report["files"] if f["format"] == "citations")
    # b->c is b->a once c is merged into a; x->y has no end in the corpus; "a," is not a link.
    assert (links["read"], links["kept"], links["merged"], links["skipped"]) == (6, 3, 1, 2)
    assert [s["line"] for s in links["skips"]] == [5, 7]
    by_id = papers.set_index("id")
    assert by_id.loc["b", "references"] == ["a"] and by_id.loc["a", "references"] == ["b"]
    assert by_id.loc["a", "cited_by"] == ["x"]
    edges = match_references(papers)
    assert edges[["citing", "cited"]].values.tolist() == [["a", "b"], ["b", "a"]]
    # A citation list alone holds no paper: a one-line error.
    with pytest.raises(InputError, match=r"citations.csv: no usable paper \(6 records read, 6 skipped"):
        load(tmp_path / "citations.csv")


def test_shared_citeseer_corpus_with_its_citations():
    corpus = SHARED / "corpora/citeseer"
    if not corpus.exists():
        pytest.skip("the shared CiteSeer corpus is not on this machine")
    papers = load(corpus)
    report = papers.attrs["load_report"]
    balanced(report)
    formats = {Path(f["file"]).name: (f["format"], f["read"]) for f in report["files"]}
    assert formats == {"citations.csv": ("citations", 4277), "papers.jsonl": ("jsonl", 3186)}
    edges = match_references(papers)
    assert len(edges) > 4000 and set(edges["matched_by"]) == {"id"}


@pytest.mark.parametrize("module", ["extract.readers.core", "extract.readers.bibtex", "extract.readers.json_records",
                                    "extract.readers.mapping", "extract.readers.plain_text", "extract.readers.decoding",
                                    "extract.readers.registry", "graph.references", "extract.corpus"])
def test_doctests(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"conceptgraph.{module}"),
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("name, text, fmt", [
    ("a.txt", "[Paper] Deep learning for all.\n{Draft} Another abstract.\n", "text"),
    ("a.txt", '{"id": 1, "abstract": "x"}\n', "jsonl"),
    ("a.json", '{"id": 1}\n{"id": 2}\n', "jsonl"),
    ("a.jsonl", '[{"title": "x"}]', "json"),
    ("export", '{"results": [{"id": "https://openalex.org/W1", "title": "x"}]}', "openalex"),
    ("a.txt", "TY  - JOUR\nTI  - x\nER  - \n", "ris"),
    ("a.txt", "PT J\nTI x\nER\n", "wos"),
    ("a.csv", "citing,cited\n1,2\n", "citations"),
    ("a.txt", "cited\tciting\n1\t2\n", "citations"),
    ("a.txt", "PT\tAU\tTI\tAB\tPY\nJ\tX\tT\tA\t2019\n", "tsv"),
    ("a.txt", "@inproceedings{key2019,\n title={x}}\n", "bibtex"),
    ("a.txt", "Contact us at @lab{2019}: a plain abstract.\n", "text"),
])
def test_detection_by_content(name, text, fmt):
    assert detect_format(Path(name), text) == fmt


def test_api_answers_saved_one_per_line(tmp_path):
    page = json.loads((FIXTURES / "openalex_api.json").read_text("utf-8"))
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps(page) + "\n" + json.dumps(page) + "\n", encoding="utf-8")
    papers = load(path)
    report = papers.attrs["load_report"]
    assert (report["files"][0]["format"], report["read"], report["kept"], report["merged"]) == ("openalex", 4, 2, 2)
    assert list(papers["id"]) == ["W2194775991", "W2112796928"]


# ---------------------------------------------------------------- issue 20: real exports' quirks

def test_medline_records_not_lines():
    papers = load(FIXTURES / "pubmed.nbib").set_index("id")
    assert list(papers.index) == ["31000001", "31000002", "31000003"]  # PMIDs, not one paper per line
    first = papers.loc["31000001"]
    assert first["title"] == ("Convolutional neural networks for the detection of diabetic retinopathy in "
                              "fundus photographs.")  # continuation line joined
    assert first["abstract"].endswith("of 0.95 on two external test sets.") and "  " not in first["abstract"]
    assert (first["year"], first["doi"], first["first_author"]) == (2019, "10.1000/retina.2019.001", "Müller")
    assert papers.loc["31000002", "abstract"] == "" and papers.loc["31000003", "year"] == 2021
    assert not any(t.startswith(("TI", "AB", "PMID")) for t in papers["title"])


@pytest.mark.parametrize("suffix", [".nbib", ".medline", ".txt", ""])
def test_medline_found_by_content_and_extension(tmp_path, suffix):
    path = tmp_path / f"pubmed{suffix}"
    shutil.copy(FIXTURES / "pubmed.nbib", path)
    report = load(path).attrs["load_report"]
    assert (report["files"][0]["format"], report["read"]) == ("medline", 3)


def test_tagged_format_without_reader_is_refused(tmp_path):
    # EndNote's "refer" export: tagged lines that must not become "papers" named %T or %A.
    path = tmp_path / "endnote.txt"
    path.write_text("%0 Journal Article\n%T Deep residual learning\n%A He, Kaiming\n%D 2016\n"
                    "%X We present a residual learning framework.\n\n%0 Journal Article\n%T Adam\n%A Kingma, D\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"endnote.txt: looks like a tagged export \(tags 0, T, A") as err:
        load(path)
    assert "\n" not in str(err.value)
    assert load(path, format="text").attrs["load_report"]["read"] == 8  # asked for: one abstract per line


def test_scopus_rows_with_extra_funding_values():
    papers = load(FIXTURES / "scopus_funding.csv").set_index("id")
    report = papers.attrs["load_report"]
    assert (report["read"], report["kept"], report["skipped"]) == (3, 3, 0)
    # The extra "Funding Text 2" value shifts every later column: EIDs and references stay right.
    assert list(papers.index) == ["2-s2.0-27344436659", "2-s2.0-0024645541", "2-s2.0-85123480963"]
    assert papers.loc["2-s2.0-0024645541", "references"][0] == "Petri, C.A., Kommunikation mit Automaten (1962)"
    assert papers.loc["2-s2.0-85123480963", "references"][1] == "Reisig, W., Understanding Petri Nets (2013)"
    assert papers.loc["2-s2.0-0024645541", "first_author"] == "Murata"


def test_content_beats_the_extension(tmp_path):
    for source, name, fmt in (("scopus_funding.csv", "export.scopus", "scopus"), ("savedrecs.txt", "savedrecs.ris", "wos"),
                              ("savedrecs.txt", "savedrecs.isi", "wos"), ("pubmed.nbib", "pubmed.medline", "medline"),
                              ("ovid_psycinfo.ris", "citations", "ris")):
        shutil.copy(FIXTURES / source, tmp_path / name)
        report = load(tmp_path / name).attrs["load_report"]
        assert (report["files"][0]["format"], report["skipped"]) == (fmt, 0), name
    # In a directory, every file is sniffed: none of these is left out.
    report = load(tmp_path).attrs["load_report"]
    assert sorted(Path(f["file"]).name for f in report["files"]) == sorted(
        ["export.scopus", "savedrecs.ris", "savedrecs.isi", "pubmed.medline", "citations"])


def test_ovid_ris_tags_after_er_start_no_record():
    papers = load(FIXTURES / "ovid_psycinfo.ris")
    report = papers.attrs["load_report"]
    assert (report["read"], report["kept"], report["skipped"]) == (2, 2, 0)
    first = papers.iloc[0]
    assert (first["id"], first["year"], first["doi"]) == ("2019-00001-001", 2019, "10.1000/psy.2019.1")
    assert first["abstract"].endswith("with structural equation modelling.")  # N2, APA statement gone


def test_wos_tab_delimited_ut_is_the_id():
    papers = load(FIXTURES / "wos_tab_delimited.txt")
    assert papers.attrs["load_report"]["files"][0]["format"] == "wos-tab"
    assert list(papers["id"]) == ["WOS:000400000000001", "WOS:000400000000002", "WOS:000400000000003",
                                  "WOS:000400000000004"]  # UT, not ID (Keywords Plus)
    first = papers.iloc[0]
    assert first["references"] == ["Abadi M, 2016, P OSDI, V16, P265",
                                   "He K, 2016, P IEEE CVPR, P770, DOI 10.1109/CVPR.2016.90"]
    assert papers.iloc[3]["year"] == 2019  # EA when PY is empty
    # Two corrections with one title: different years, so two papers.
    assert papers.attrs["load_report"]["merged"] == 0


def test_column_names_of_database_exports():
    ieee = load(FIXTURES / "ieee.csv")
    assert list(ieee["year"]) == [2013, 2019] and ieee.iloc[0]["first_author"] == "Kogge"
    lens = load(FIXTURES / "lens.csv")
    assert list(lens["id"]) == ["000-111-222-333-444", "000-555-666-777-888"] and list(lens["year"]) == [2018, 2017]
    openalex = load(FIXTURES / "openalex_works.csv")
    assert openalex.attrs["load_report"]["skipped"] == 0
    assert openalex.iloc[1]["title"] == "MobileNetV2: Inverted Residuals and Linear Bottlenecks"
    s2orc = load(FIXTURES / "s2orc.jsonl").set_index("id")
    bahdanau = s2orc.loc["a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"]
    assert bahdanau["abstract"].startswith("We conjecture") and bahdanau["cited_by"] == [
        "ffff000011112222333344445555666677778888"]
    assert s2orc.loc["ffff000011112222333344445555666677778888", "references"] == [
        "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"]
    csl = load(FIXTURES / "zotero.json")
    assert list(csl["year"]) == [2017, 2014] and csl.iloc[0]["doi"] == "10.5555/3295222.3295349"
    dimensions = load(FIXTURES / "dimensions.csv")
    assert list(dimensions["id"]) == ["pub.1100000001", "pub.1100000002"]
    assert list(dimensions["year"]) == [2020, 2021] and dimensions.iloc[0]["source_line"] == 3


def test_same_title_needs_same_year_and_first_author():
    papers = load(FIXTURES / "jabref.bib").set_index("id")
    # Two works called "The Internet of things" (2002 and 2004) stay two papers.
    assert sorted(papers.loc[["Gershenfeld2004", "Want2002"], "year"]) == [2002, 2004]
    # The same survey twice: merged, and the merge fills the empty abstract and DOI.
    survey = papers.loc["Atzori2010a"]
    assert survey["doi"] == "10.1016/j.comnet.2010.05.010"
    assert survey["abstract"].endswith("several technologies and communications solutions.")
    assert survey["merged_from"] == ["jabref.bib:28"]


def test_doi_merges_before_titles(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("title,abstract,year,doi\n"
                    "Deep Residual Learning,,2016,10.1109/CVPR.2016.90\n"
                    "Deep residual learning for image recognition,We reformulate layers as residual functions.,"
                    "2016,https://doi.org/10.1109/cvpr.2016.90\n", encoding="utf-8")
    papers = load(path)
    assert len(papers) == 1 and papers.iloc[0]["abstract"] == "We reformulate layers as residual functions."


WOS_SAME = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Ronneberger, O
   Fischer, P
TI U-Net: Convolutional Networks for Biomedical Image Segmentation
AB There is large consent that successful training of deep networks requires many
   thousand annotated training samples.
CR Long J, 2015, PROC CVPR IEEE, P3431, DOI 10.1109/CVPR.2015.7298965
   Simonyan K, 2014, ARXIV14091556
PY 2015
DI 10.1007/978-3-319-24574-4_28
UT WOS:000365000000028
ER

PT J
AU Long, J
TI Fully convolutional networks for semantic segmentation
AB Convolutional networks are powerful visual models that yield hierarchies of features.
CR Krizhevsky A, 2012, ADV NEURAL INFORM PR, V25, P1097
PY 2015
UT WOS:000365000000029
ER

EF
"""
SCOPUS_SAME = (
    '"Authors","Title","Year","Source title","DOI","Link","Abstract","References","Source","EID"\n'
    '"Ronneberger O., Fischer P.","U-net: Convolutional networks for biomedical image segmentation","2015",'
    '"LNCS","10.1007/978-3-319-24574-4_28","https://www.scopus.com/1","There is large consent that successful '
    'training of deep networks requires many thousand annotated training samples. © Springer International '
    'Publishing Switzerland 2015.","Long, J., Fully convolutional networks (2015) CVPR; Ciresan, D., Deep neural '
    'networks segment neuronal membranes (2012) NIPS","Scopus","2-s2.0-84951834022"\n'
    '"Long J., Shelhamer E.","Fully Convolutional Networks for Semantic Segmentation","2015","CVPR","",'
    '"https://www.scopus.com/2","","Krizhevsky, A., ImageNet classification (2012) NIPS","Scopus",'
    '"2-s2.0-84959205572"\n')


def test_wos_and_scopus_exports_of_the_same_papers_merge(tmp_path):
    (tmp_path / "savedrecs.txt").write_text(WOS_SAME, encoding="utf-8")
    (tmp_path / "scopus.csv").write_text(SCOPUS_SAME, encoding="utf-8")
    papers = load(tmp_path).set_index("id")
    report = papers.attrs["load_report"]
    assert (report["read"], report["kept"], report["merged"]) == (4, 2, 2)
    unet = papers.loc["WOS:000365000000028"]  # by DOI
    assert unet["references"] == ["Ciresan, D., Deep neural networks segment neuronal membranes (2012) NIPS",
                                  "Long J, 2015, PROC CVPR IEEE, P3431, DOI 10.1109/CVPR.2015.7298965",
                                  "Long, J., Fully convolutional networks (2015) CVPR",
                                  "Simonyan K, 2014, ARXIV14091556"]  # both exports' references kept
    fcn = papers.loc["WOS:000365000000029"]  # no DOI in Scopus: title, year and first author agree
    assert len(fcn["references"]) == 2 and [m.rsplit("/", 1)[-1] for m in fcn["merged_from"]] == ["scopus.csv:3"]


def test_publisher_boilerplate_and_markup_are_stripped():
    ris = load(FIXTURES / "ieee_markup.ris")
    assert ris.iloc[0]["title"] == "Energy-efficient 10-9 BER links with <1 pJ/bit"
    assert ris.iloc[0]["abstract"] == ("We demonstrate optical links at a bit error rate below 10-9 that use <1 pJ/bit "
                                       "& scale to 64 lanes.")
    scopus = load(FIXTURES / "scopus_funding.csv")
    assert scopus.iloc[2]["title"] == "Petri net based model of CO2 transport in cells"
    assert all("©" not in a and "Wiley" not in a for a in scopus["abstract"])
    bib = load(FIXTURES / "jabref.bib").set_index("id")
    assert bib.loc["Miorandi2012", "abstract"].endswith("addressable by standard protocols.")
    assert "Elsevier" not in bib.loc["Atzori2010a", "abstract"]


@pytest.mark.parametrize("text, kept", [
    ("We show that x < y and a <x> c for all inputs.", "We show that x < y and a <x> c for all inputs."),
    ("Results (c) and (d) differ in 2019 runs.", "Results (c) and (d) differ in 2019 runs."),
    ("A model. Copyright 2021 by the authors. Published by Elsevier Ltd.", "A model."),
    ("A model. © 2019 Elsevier B.V. All rights reserved.", "A model."),
    ("A model.\u00a9 The Author(s) 2020", "A model."),
])
def test_publisher_boilerplate_only_at_the_end(text, kept):
    from conceptgraph.extract.readers import strip_markup, strip_publisher_boilerplate
    assert strip_publisher_boilerplate(strip_markup(text)) == kept


def test_a_reader_of_your_own(tmp_path):
    from conceptgraph.extract.readers import READERS, record, register_reader

    @register_reader("mylab", extensions=(".mylab",), sniff=lambda head: head.startswith("MYLAB 1"))
    def read_mylab(text, source):
        for number, line in enumerate(text.split("\n"), 1):
            if line.startswith("T "):
                yield record(source, number, title=line[2:], abstract="An abstract of the lab's own format.")

    try:
        (tmp_path / "a.mylab").write_text("MYLAB 1\nT First paper title\nT Second paper title\n", encoding="utf-8")
        (tmp_path / "b.txt").write_text("MYLAB 1\nT Third paper title\n", encoding="utf-8")
        report = load(tmp_path).attrs["load_report"]
        assert [(Path(f["file"]).name, f["format"], f["read"]) for f in report["files"]] == [
            ("a.mylab", "mylab", 2), ("b.txt", "mylab", 1)]
        assert load(tmp_path / "b.txt", format="mylab").attrs["load_report"]["read"] == 1
    finally:
        READERS.unregister("mylab")
    assert "mylab" not in READERS


def test_documents_that_are_no_export_say_what_to_do(tmp_path):
    (tmp_path / "reading-list.md").write_text("# Papers\n\n- Attention is all you need\n- BERT\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"reading-list.md: this is a Markdown document"):
        load(tmp_path / "reading-list.md")
    # An Excel workbook, even under another name: a zip holding xl/.
    import zipfile
    with zipfile.ZipFile(tmp_path / "export.xlsx", "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
    shutil.copy(tmp_path / "export.xlsx", tmp_path / "export.dat")
    for name in ("export.xlsx", "export.dat"):
        with pytest.raises(InputError, match=r"Excel workbook.*save it as CSV") as err:
            load(tmp_path / name)
        assert "\n" not in str(err.value)


def test_folder_of_pdfs_says_how_to_get_abstracts(tmp_path):
    for name in ("a.pdf", "b.pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(InputError) as err:
        load(tmp_path)
    message = str(err.value)
    assert "\n" not in message and "a.pdf: this is a PDF document" in message
    assert "Zotero" in message and "export button" in message and "1 more" in message


def test_build_lists_every_file_of_a_mixed_directory(tmp_path):
    """`conceptgraph build DIR` on every format: each file read (with its format) or skipped (with why)."""
    import os
    import subprocess
    import sys

    corpus = tmp_path / "exports"
    shutil.copytree(FIXTURES, corpus)
    (corpus / "notes.md").write_text("# to read\n", encoding="utf-8")
    (corpus / "paper.pdf").write_bytes(b"%PDF-1.4\n")
    (corpus / ".cache").mkdir()
    (corpus / ".cache" / "meta.json").write_text("{}", encoding="utf-8")
    os.mkfifo(corpus / "pipe")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "conceptgraph", "build", str(corpus), "-o", str(out), "-q"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads((out / "report.json").read_text("utf-8"))
    read = {Path(f["file"]).name: f["format"] for f in report["files"]}
    skipped = {Path(f["file"]).name: f["reason"] for f in report["files_skipped"]}
    assert read == {name: fmt for name, (fmt, *_) in EXPECTED.items()}
    assert set(skipped) == {"notes.md", "paper.pdf", ".cache", "pipe"}
    assert "Markdown" in skipped["notes.md"] and "PDF" in skipped["paper.pdf"]
    assert "hidden" in skipped[".cache"] and "FIFO" in skipped["pipe"]
    assert report["records"]["read"] == report["records"]["kept"] + report["records"]["merged"] + report["records"]["skipped"]


def test_a_reader_declared_as_an_entry_point(tmp_path, monkeypatch):
    """An installed package's reader (entry point group conceptgraph_readers) is there for the CLI."""
    from importlib import metadata

    from conceptgraph.extract.readers import READERS
    from conceptgraph.extract.readers import registry

    (tmp_path / "cg_plugin_lab2.py").write_text(
        "from conceptgraph.extract.readers import record, register_reader\n"
        "@register_reader('lab2', extensions=('.lab2',))\n"
        "def read(text, source):\n"
        "    yield record(source, 1, title=text.strip())\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = metadata.EntryPoint(name="lab2", value="cg_plugin_lab2", group=registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry.metadata, "entry_points",
                        lambda group: [entry] if group == registry.ENTRY_POINT_GROUP else [])
    monkeypatch.setattr(READERS, "_plugins_loaded", False)
    (tmp_path / "x.lab2").write_text("A title from a plugin format\n", encoding="utf-8")
    try:
        papers = load(tmp_path / "x.lab2")
        assert papers.attrs["load_report"]["files"][0]["format"] == "lab2"
        assert list(papers["title"]) == ["A title from a plugin format"]
    finally:
        READERS.unregister("lab2")


def test_a_broken_reader_plugin_is_a_one_line_error(tmp_path, monkeypatch):
    from importlib import metadata

    from conceptgraph.extract.readers import READERS
    from conceptgraph.extract.readers import registry

    entry = metadata.EntryPoint(name="broken", value="cg_plugin_that_is_not_installed", group=registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry.metadata, "entry_points", lambda group: [entry])
    monkeypatch.setattr(READERS, "_plugins_loaded", False)
    with pytest.raises(InputError, match=r"^reader plugin broken \(cg_plugin_that_is_not_installed\) cannot be "
                                         r"loaded: ModuleNotFoundError"):
        load(FIXTURES / "pubmed.nbib")
