"""Time overlays: concept years, emerging and fading concepts, Kleinberg bursts, timelines.

The fixture ``fixtures/trends_papers.jsonl`` holds 48 dated papers, four a year
from 2010 to 2021, and six papers whose year is missing or unreadable
(``"in press"``, null, no key, ``"n.d."``, ``"19xx"``, ``""``); one dated paper
says ``"2019a"``. Planted per-year counts (of the year's four papers):

- generative adversarial network (gan): 2014:1 2015:4 2016:4 2017:3 2018:1 2020:1 (a burst)
- support vector machine (svm): 2010:4 2011-2013:3 2014:2 2015-2017:1, then none (fading)
- Transformer: 2018:1 2019:3 2020:4 2021:4 (emerging)
- convolutional neural network (cnn): 2 a year; LSTM: 1 a year; ImageNet: 1 every even year.
"""
import itertools
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom

from conceptgraph.extract import load
from conceptgraph.graph.trends import (
    cluster_years,
    concept_bursts,
    concept_year_counts,
    concept_years,
    emerging_concepts,
    fading_concepts,
    format_counts_by_year,
    format_trends_report,
    kleinberg_bursts,
    paper_years,
    parse_counts_by_year,
    timeline_svg,
    trends_report,
    year_coverage,
)

# The shared material lies beside the repository (../shared), here and in CI.
SHARED = Path(__file__).resolve().parents[2] / "shared"

FIXTURE = Path(__file__).parent / "fixtures" / "trends_papers.jsonl"
ARXIV = SHARED / "corpora/arxiv-cs/arxiv_data.csv"

# Hand-made extraction: concept id -> (label, type, pattern).
TERMS = {
    "gan": ("generative adversarial network", "method", r"generative adversarial networks?"),
    "svm": ("support vector machine", "method", r"support vector machines?"),
    "transformer": ("Transformer", "architecture", r"\btransformer\b"),
    "cnn": ("convolutional neural network", "architecture", r"convolutional neural network"),
    "lstm": ("long short-term memory", "architecture", r"long short-term memory network"),
    "imagenet": ("ImageNet", "dataset", r"\bimagenet\b"),
    "study": ("study", "other", r"\bstudy\b"),  # in every paper; flagged generic
}
UNDATED_IDS = {"t49", "t50", "t51", "t52", "t53", "t54"}
PLANTED_GAN = {2014: 1, 2015: 4, 2016: 4, 2017: 3, 2018: 1, 2020: 1}


def hand_extract(papers):
    rows = []
    for paper in papers.itertuples(index=False):
        for field in ("title", "abstract"):
            text = getattr(paper, field) or ""
            for cid, (_, ctype, pattern) in TERMS.items():
                for m in re.finditer(pattern, text, flags=re.IGNORECASE):
                    rows.append({"paper_id": paper.id, "field": field, "start": m.start(),
                                 "end": m.end(), "text": m.group(0), "type": ctype, "concept_id": cid})
    mentions = pd.DataFrame(rows, columns=["paper_id", "field", "start", "end", "text", "type",
                                           "concept_id"])
    stats = mentions.groupby("concept_id").agg(n_papers=("paper_id", "nunique"),
                                               n_mentions=("paper_id", "size"))
    concepts = pd.DataFrame({
        "concept_id": list(TERMS),
        "label": [v[0] for v in TERMS.values()],
        "type": [v[1] for v in TERMS.values()],
        "aliases": [[] for _ in TERMS],
        "generic": [cid == "study" for cid in TERMS],
    })
    for col in ("n_papers", "n_mentions"):
        concepts[col] = stats[col].reindex(concepts["concept_id"]).fillna(0).astype(int).to_numpy()
    return mentions, concepts


@pytest.fixture(scope="module")
def papers():
    return load(FIXTURE)


@pytest.fixture(scope="module")
def tables(papers):
    mentions, concepts = hand_extract(papers)
    return papers, mentions, concepts


# ---------------------------------------------------------------- years in, years counted

def test_fixture_years_missing_and_malformed_are_kept(papers):
    assert len(papers) == 54
    years = papers.set_index("id")["year"]
    assert str(years.dtype) == "Int64"
    assert years[sorted(UNDATED_IDS)].isna().all()          # in press, null, no key, n.d., 19xx, ""
    assert pd.isna(years["t37"]) or years["t37"] == 2019     # "2019a": the reader decides
    coverage = year_coverage(papers)
    assert coverage["n_papers"] == 54
    assert coverage["with_year"] + coverage["without_year"] == 54
    assert coverage["without_year"] in (6, 7)                # 7 if "2019a" is refused
    assert (coverage["first_year"], coverage["last_year"]) == (2010, 2021)
    assert sum(coverage["by_year"].values()) == coverage["with_year"]
    assert coverage["by_year"]["2010"] == 4
    json.dumps(coverage)                                     # report.json ready


def test_paper_years_coerces_hand_made_tables():
    papers = pd.DataFrame({"id": ["a", "b", "c", "d"], "year": ["2019", "in press", None, 2020.5]})
    years = paper_years(papers)
    assert years["a"] == 2019 and years[["b", "c", "d"]].isna().all()
    assert paper_years(pd.DataFrame({"id": ["a"]})).isna().all()


def test_counts_by_year_round_trip():
    counts = {2016: 5, 2015: 3, 2018: 0}
    text = format_counts_by_year(counts)
    assert text == "2015:3; 2016:5"
    assert parse_counts_by_year(text) == {2015: 3, 2016: 5}
    assert parse_counts_by_year("") == {} and parse_counts_by_year(None) == {}
    with pytest.raises(ValueError):
        parse_counts_by_year("2015=3")


def test_concept_years_of_the_planted_burst(tables):
    papers, mentions, concepts = tables
    years = concept_years(papers, mentions, concepts).set_index("concept_id")
    assert list(years.index) == list(concepts["concept_id"])   # one row per concept, same order
    gan = years.loc["gan"]
    assert (gan["first_year"], gan["last_year"]) == (2014, 2020)
    assert gan["n_papers_with_year"] == 14
    assert gan["n_papers_without_year"] == 2                   # "in press" and the one with no year key
    assert parse_counts_by_year(gan["counts_by_year"]) == PLANTED_GAN
    expected_mean = sum(y * n for y, n in PLANTED_GAN.items()) / 14
    assert gan["mean_year"] == pytest.approx(expected_mean)
    svm = years.loc["svm"]
    assert (svm["first_year"], svm["last_year"], svm["n_papers_without_year"]) == (2010, 2017, 1)
    # n_papers_with_year + n_papers_without_year is the concept's paper count
    assert ((years["n_papers_with_year"] + years["n_papers_without_year"]).to_numpy()
            == concepts.set_index("concept_id")["n_papers"].reindex(years.index).to_numpy()).all()


def test_concept_years_concept_without_dated_papers():
    papers = pd.DataFrame({"id": ["a", "b"], "year": pd.array([None, 2012], dtype="Int64")})
    mentions = pd.DataFrame({"paper_id": ["a", "b"], "concept_id": ["x", "y"]})
    concepts = pd.DataFrame({"concept_id": ["x", "y", "z"]})
    out = concept_years(papers, mentions, concepts).set_index("concept_id")
    assert pd.isna(out.loc["x", "first_year"]) and math.isnan(out.loc["x", "mean_year"])
    assert out.loc["x", "n_papers_without_year"] == 1 and out.loc["x", "counts_by_year"] == ""
    assert out.loc["y", "first_year"] == 2012
    assert out.loc["z", "n_papers_with_year"] == 0
    assert str(out["first_year"].dtype) == "Int64"


def test_concept_year_counts_long_form(tables):
    papers, mentions, concepts = tables
    long = concept_year_counts(papers, mentions, concepts)
    assert list(long.columns) == ["concept_id", "year", "n_papers"]
    gan = long[long["concept_id"] == "gan"]
    assert dict(zip(gan["year"], gan["n_papers"])) == PLANTED_GAN
    wide = concept_years(papers, mentions, concepts).set_index("concept_id")
    for cid, group in long.groupby("concept_id"):
        counts = dict(zip(group["year"], group["n_papers"]))
        assert format_counts_by_year(counts) == wide.loc[cid, "counts_by_year"]
    # a paper mentioning a concept twice counts once
    assert long["n_papers"].max() <= 4


# ---------------------------------------------------------------- emerging and fading

def test_emerging_and_fading_are_found(tables):
    papers, mentions, concepts = tables
    emerging = emerging_concepts(papers, mentions, concepts)
    fading = fading_concepts(papers, mentions, concepts)
    assert emerging.attrs["window"] == [2019, 2021]
    assert emerging.iloc[0]["concept_id"] == "transformer"
    assert bool(emerging.iloc[0]["new"]) is False             # first seen 2018, before the window
    assert emerging.iloc[0]["p_value"] < 0.001
    assert fading.iloc[0]["concept_id"] == "svm"
    assert fading.iloc[0]["n_recent"] == 0 and fading.iloc[0]["p_value"] < 0.01
    assert "gan" in set(fading["concept_id"]) and "gan" not in set(emerging["concept_id"])
    assert not set(emerging["concept_id"]) & set(fading["concept_id"])
    assert (emerging["share_recent"] > emerging["share_before"]).all()
    assert (fading["share_recent"] < fading["share_before"]).all()
    assert emerging["p_value"].is_monotonic_increasing and fading["p_value"].is_monotonic_increasing
    by_ratio = emerging_concepts(papers, mentions, concepts, sort_by="log2_ratio")
    assert by_ratio["log2_ratio"].is_monotonic_decreasing
    assert set(by_ratio["concept_id"]) == set(emerging["concept_id"])
    steepest = fading_concepts(papers, mentions, concepts, sort_by="log2_ratio")
    assert steepest["log2_ratio"].is_monotonic_increasing
    with pytest.raises(ValueError):
        fading_concepts(papers, mentions, concepts, sort_by="weight")
    assert "study" not in set(emerging["concept_id"]) | set(fading["concept_id"])  # generic


def test_window_and_support_rules(tables):
    papers, mentions, concepts = tables
    wide = emerging_concepts(papers, mentions, concepts, window=5)
    assert wide.attrs["window"] == [2017, 2021]
    strict = emerging_concepts(papers, mentions, concepts, min_papers=13)
    assert "transformer" not in set(strict["concept_id"])   # 12 dated papers < 13
    assert len(emerging_concepts(papers, mentions, concepts, top=1)) == 1
    generic = concepts.assign(generic=concepts["concept_id"].isin(["transformer", "study"]))
    assert "transformer" not in set(emerging_concepts(papers, mentions, generic)["concept_id"])
    assert "transformer" in set(emerging_concepts(papers, mentions, generic,
                                                  include_generic=True)["concept_id"])
    with pytest.raises(ValueError):
        emerging_concepts(papers, mentions, concepts, window=0)


def test_trend_tables_without_enough_years():
    mentions = pd.DataFrame({"paper_id": ["a", "b"], "concept_id": ["x", "x"]})
    concepts = pd.DataFrame({"concept_id": ["x"]})
    no_years = pd.DataFrame({"id": ["a", "b"], "year": pd.array([None, None], dtype="Int64")})
    out = emerging_concepts(no_years, mentions, concepts, min_papers=1)
    assert out.empty and out.attrs["note"] == "no years" and "log2_ratio" in out.columns
    recent_only = pd.DataFrame({"id": ["a", "b"], "year": pd.array([2020, 2021], dtype="Int64")})
    out = fading_concepts(recent_only, mentions, concepts, min_papers=1)
    assert out.empty and out.attrs["note"] == "too few years for a recent window"


# ---------------------------------------------------------------- Kleinberg bursts

def _cost(states, r, d, s, gamma):
    """Kleinberg's batched cost of a state sequence (reference implementation)."""
    p0 = sum(r) / sum(d)
    p = [p0, min(s * p0, 1 - 1e-4)]
    up = gamma * math.log(len(d))
    cost, prev = 0.0, 0
    for state, rt, dt in zip(states, r, d):
        cost += up if state > prev else 0.0
        cost -= binom.logpmf(rt, dt, p[state]) if dt else 0.0
        prev = state
    return cost


def _runs_of(states, years):
    runs, start = [], None
    for i, st in enumerate(list(states) + [0]):
        if st and start is None:
            start = i
        if not st and start is not None:
            runs.append((years[start], years[i - 1]))
            start = None
    return runs


def test_kleinberg_matches_brute_force():
    rng = np.random.default_rng(20260123)
    for trial in range(60):
        n = int(rng.integers(2, 9))
        d = [int(x) for x in rng.integers(0, 12, size=n)]
        if sum(d) == 0:
            continue
        r = [int(rng.integers(0, dt + 1)) for dt in d]
        if sum(r) in (0, sum(d)):
            continue
        s, gamma = [(2.0, 1.0), (1.5, 0.5), (3.0, 2.0)][trial % 3]
        years = list(range(2000, 2000 + n))
        costs = {seq: _cost(seq, r, d, s, gamma) for seq in itertools.product((0, 1), repeat=n)}
        best = min(costs.values())
        found = kleinberg_bursts(dict(zip(years, r)), dict(zip(years, d)), s=s, gamma=gamma)
        states = [0] * n
        for a, b, _ in found:
            for y in range(a, b + 1):
                states[y - 2000] = 1
        assert costs[tuple(states)] == pytest.approx(best, abs=1e-9), (r, d, s, gamma)
        # weights are the cost saved by the burst state inside each burst
        p0 = sum(r) / sum(d)
        for a, b, w in found:
            gain = sum(binom.logpmf(r[y - 2000], d[y - 2000], min(s * p0, 1 - 1e-4))
                       - binom.logpmf(r[y - 2000], d[y - 2000], p0) for y in range(a, b + 1))
            assert w == pytest.approx(gain) and w > 0


def test_kleinberg_planted_and_flat_series():
    totals = {y: 10 for y in range(2010, 2020)}
    assert kleinberg_bursts({y: 2 for y in totals}, totals) == []                 # flat: no burst
    assert kleinberg_bursts({}, totals) == []                                     # never occurs
    assert kleinberg_bursts(dict(totals), totals) == []                           # in every document
    assert kleinberg_bursts({}, {}) == []
    planted = {2010: 1, 2011: 1, 2012: 1, 2014: 8, 2015: 9, 2016: 7, 2018: 1}
    (start, end, weight), = kleinberg_bursts(planted, totals)
    assert (start, end) == (2014, 2016) and weight > 10
    # a stronger entry cost never finds more burst years
    years_in = [sum(b - a + 1 for a, b, _ in kleinberg_bursts(planted, totals, gamma=g))
                for g in (0.0, 0.5, 1.0, 3.0, 10.0, 40.0)]
    assert years_in == sorted(years_in, reverse=True) and years_in[-1] == 0


def test_kleinberg_gap_years_and_errors():
    # 2013 has no papers at all: it is on the axis, costs nothing, and may sit inside a burst
    totals = {2010: 5, 2011: 5, 2012: 5, 2014: 5, 2015: 5, 2016: 5}
    counts = {2010: 0, 2011: 0, 2012: 5, 2014: 5, 2015: 0, 2016: 0}
    assert [(a, b) for a, b, _ in kleinberg_bursts(counts, totals)] == [(2012, 2014)]
    with pytest.raises(ValueError, match="2011"):
        kleinberg_bursts({2011: 6}, totals)
    with pytest.raises(ValueError):
        kleinberg_bursts(counts, totals, s=1.0)
    with pytest.raises(ValueError):
        kleinberg_bursts(counts, totals, gamma=-1)


def test_concept_bursts_find_the_planted_burst(tables):
    papers, mentions, concepts = tables
    bursts = concept_bursts(papers, mentions, concepts)
    assert list(bursts.columns)[:5] == ["concept_id", "label", "start_year", "end_year", "weight"]
    gan = bursts[bursts["concept_id"] == "gan"]
    assert len(gan) == 1
    start, end = int(gan.iloc[0]["start_year"]), int(gan.iloc[0]["end_year"])
    assert 2014 <= start <= 2015 and 2017 <= end <= 2018
    assert gan.iloc[0]["label"] == "generative adversarial network"
    assert gan.iloc[0]["n_papers_in_burst"] >= 11
    # steady concepts do not burst; the generic one is not examined
    assert not {"cnn", "lstm", "imagenet", "study"} & set(bursts["concept_id"])
    # the fading concept bursts at the start, the emerging one at the end
    svm = bursts[bursts["concept_id"] == "svm"].iloc[0]
    assert svm["start_year"] == 2010 and svm["end_year"] <= 2014
    tr = bursts[bursts["concept_id"] == "transformer"].iloc[0]
    assert tr["start_year"] >= 2018 and tr["end_year"] == 2021
    assert bursts["weight"].is_monotonic_decreasing and (bursts["weight"] > 0).all()
    # parameters: a high entry cost leaves only the strongest bursts
    assert len(concept_bursts(papers, mentions, concepts, gamma=50.0)) == 0
    assert concept_bursts(papers, mentions, concepts, min_years=3)["n_years"].min() >= 3


def test_results_are_deterministic_and_order_free(tables):
    papers, mentions, concepts = tables
    shuffled_p = papers.sample(frac=1.0, random_state=3).reset_index(drop=True)
    shuffled_m = mentions.sample(frac=1.0, random_state=4).reset_index(drop=True)
    shuffled_c = concepts.sample(frac=1.0, random_state=5).reset_index(drop=True)
    for fn in (concept_bursts, emerging_concepts, fading_concepts):
        a = fn(papers, mentions, concepts)
        pd.testing.assert_frame_equal(a, fn(papers, mentions, concepts))
        pd.testing.assert_frame_equal(a, fn(shuffled_p, shuffled_m, shuffled_c))
    pd.testing.assert_frame_equal(concept_year_counts(papers, mentions),
                                  concept_year_counts(shuffled_p, shuffled_m))


def test_no_years_anywhere():
    papers = pd.DataFrame({"id": ["a", "b"], "year": pd.array([None, None], dtype="Int64")})
    mentions = pd.DataFrame({"paper_id": ["a", "b"], "concept_id": ["x", "x"]})
    concepts = pd.DataFrame({"concept_id": ["x"], "label": ["X"]})
    bursts = concept_bursts(papers, mentions, concepts, min_papers=1)
    assert bursts.empty and bursts.attrs["note"] == "no years" and "start_year" in bursts.columns
    years = concept_years(papers, mentions, concepts)
    assert years.iloc[0]["n_papers_without_year"] == 2 and pd.isna(years.iloc[0]["first_year"])


# ---------------------------------------------------------------- clusters

def test_cluster_years_growth(tables):
    papers, mentions, _ = tables
    by_paper = mentions.groupby("paper_id")["concept_id"].agg(set)
    cluster = [0 if "svm" in by_paper.get(pid, set()) else 1 if "transformer" in by_paper.get(pid, set())
               else 2 for pid in papers["id"]]
    clustered = papers.assign(cluster=cluster)
    clusters = pd.DataFrame({"cluster": [0, 1, 2, 9], "size": [0, 0, 0, 0],
                             "label": ["kernel <methods>", "attention", "other", "empty"],
                             "top_concepts": ["", "", "", ""]})
    out = cluster_years(clustered, clusters).set_index("cluster")
    assert list(out.index) == [0, 1, 2, 9]
    assert out.loc[0, "label"] == "kernel <methods>"
    assert out.loc[0, "mean_year"] < out.loc[2, "mean_year"] < out.loc[1, "mean_year"]
    assert out.loc[0, "growth"] == 0.0                       # no SVM paper in 2019-2021
    assert out.loc[1, "growth"] > 2.0                         # Transformer papers are recent
    assert out.loc[0, "n_papers_without_year"] == 1           # the undated SVM paper is counted
    assert out["n_papers"].sum() == len(papers)
    assert out.loc[9, "n_papers"] == 0 and math.isnan(out.loc[9, "growth"])
    assert parse_counts_by_year(out.loc[1, "counts_by_year"]) == {2018: 1, 2019: 3, 2020: 4, 2021: 4}
    assert out.attrs["window"] == [2019, 2021]
    with pytest.raises(ValueError, match="cluster"):
        cluster_years(papers)


# ---------------------------------------------------------------- timeline SVG

def test_timeline_svg_is_valid_escaped_xml():
    title = 'GAN <script>alert("x")</script> & \x1b[31m "quoted"\x00'
    svg = timeline_svg({2015: 3, 2017: 5}, title, undated=2)
    root = ET.fromstring(svg)                                 # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in svg and "\x00" not in svg and "\x1b" not in svg
    texts = ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any('<script>alert("x")</script>' in t for t in texts)   # shown as text, not markup
    tips = [el.text for el in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "2016: 0" in tips and "2017: 5" in tips and "no year: 2" in tips
    bars = list(root.iter("{http://www.w3.org/2000/svg}rect"))
    assert len(bars) == 4                                     # 2015, 2016 (empty), 2017, n.d.
    assert "n.d." in texts


def test_timeline_svg_edge_cases():
    empty = timeline_svg({}, "nothing")
    assert "no years" in empty and ET.fromstring(empty) is not None
    assert "no years" in timeline_svg({2015: 0}, "zeros")
    from_string = timeline_svg("2015:3; 2016:5", "x")
    assert from_string == timeline_svg({2015: 3, 2016: 5}, "x")
    many = timeline_svg({y: y % 7 + 1 for y in range(1990, 2025)}, "long" * 40)
    root = ET.fromstring(many)
    labels = [el.text for el in root.iter("{http://www.w3.org/2000/svg}text")]
    assert len(labels) < 20 and "\u2026" in labels[0]      # thinned year labels, cut caption
    assert len(labels[0]) < 60
    with pytest.raises(ValueError):
        timeline_svg({2015: 1}, "x", color='red" onload="alert(1)')


# ---------------------------------------------------------------- report

def test_trends_report_on_the_fixture(tables):
    papers, mentions, concepts = tables
    report = trends_report(papers, mentions, concepts, top=2)
    assert set(report) == {"years", "emerging", "fading", "bursts"}
    assert all(len(report[k]) <= 2 for k in ("emerging", "fading", "bursts"))
    years = report["years"]
    assert pd.isna(years["year"].iloc[-1]) and years["n_papers"].sum() == len(papers)
    assert report["emerging"].iloc[0]["concept_id"] == "transformer"
    assert report["fading"].iloc[0]["concept_id"] == "svm"
    text = format_trends_report(trends_report(papers, mentions, concepts))
    assert text.startswith("Years: 2010-2021")
    assert "Emerging concepts (recent window 2019-2021)" in text
    assert re.search(r"generative adversarial network: 201[45]-201[78]", text)
    assert format_trends_report(report) == format_trends_report(
        trends_report(papers, mentions, concepts, top=2))


def test_trends_report_strips_control_characters_from_labels(tables):
    papers, mentions, concepts = tables
    evil = concepts.assign(label=concepts["label"].where(concepts["concept_id"] != "svm",
                                                         "svm\x1b[2J\nrm -rf"))
    text = format_trends_report(trends_report(papers, mentions, evil))
    assert "\x1b" not in text and "svm[2J rm -rf" in text


def test_trends_report_without_years(tmp_path):
    path = tmp_path / "noyears.jsonl"
    path.write_text("\n".join(json.dumps({"id": f"p{i}", "title": f"Paper {i}",
                                          "abstract": f"A support vector machine, take {i}."})
                              for i in range(5)) + "\n", encoding="utf-8")
    papers = load(path)
    mentions, concepts = hand_extract(papers)
    report = trends_report(papers, mentions, concepts)
    assert report["years"].attrs["coverage"]["without_year"] == 5
    assert all(report[k].empty for k in ("emerging", "fading", "bursts"))
    assert report["emerging"].attrs["note"] == "no years"
    assert format_trends_report(report).startswith("Years: no years (0 of 5 papers")


@pytest.mark.skipif(not ARXIV.exists(), reason="shared arXiv corpus not present")
def test_arxiv_corpus_has_no_years():
    papers = load(ARXIV)
    coverage = year_coverage(papers)
    assert coverage["with_year"] == 0 and coverage["without_year"] == len(papers) > 0
    mentions = pd.DataFrame({"paper_id": papers["id"], "concept_id": "x"})
    report = trends_report(papers, mentions, pd.DataFrame({"concept_id": ["x"]}))
    assert report["bursts"].attrs["note"] == report["emerging"].attrs["note"] == "no years"
    assert "no years" in format_trends_report(report).splitlines()[0]


# ---------------------------------------------------------------- through the real extractor

def test_integration_with_the_real_extractor(papers):
    import conceptgraph

    try:
        mentions, concepts = conceptgraph.extract_concepts(papers)
    except (ImportError, NotImplementedError) as err:  # extractor not there yet
        pytest.skip(f"extractor not available: {err}")

    def best(pattern):
        hits = concepts[concepts["label"].str.contains(pattern, case=False, regex=True)]
        if hits.empty:
            pytest.skip(f"extractor found no concept matching {pattern!r}")
        return hits.sort_values(["n_papers", "concept_id"], ascending=[False, True]).iloc[0]["concept_id"]

    gan, svm = best(r"generative adversarial"), best(r"support vector")
    years = concept_years(papers, mentions, concepts).set_index("concept_id")
    assert years.loc[gan, "first_year"] >= 2014 and years.loc[gan, "last_year"] <= 2020
    bursts = concept_bursts(papers, mentions, concepts)
    gan_bursts = bursts[bursts["concept_id"] == gan]
    assert len(gan_bursts) >= 1
    start, end = gan_bursts.iloc[0][["start_year", "end_year"]]
    assert 2014 <= start <= 2016 and 2016 <= end <= 2018
    fading = fading_concepts(papers, mentions, concepts)
    assert svm in set(fading.head(3)["concept_id"])
    assert gan not in set(emerging_concepts(papers, mentions, concepts)["concept_id"])


def test_cluster_years_on_the_real_graph_stage(papers):
    import conceptgraph

    try:
        from conceptgraph.graph import analyse
        mentions, concepts = conceptgraph.extract_concepts(papers)
        result = analyse(papers, mentions, concepts)
    except (ImportError, NotImplementedError) as err:
        pytest.skip(f"extract or graph stage not available: {err}")
    out = cluster_years(result.papers, result.clusters)
    assert list(out["cluster"]) == sorted(result.clusters["cluster"])
    assert out["n_papers"].sum() == len(papers)
    assert out["n_papers_without_year"].sum() == year_coverage(papers)["without_year"]
    dated = out[out["n_papers_with_year"] > 0]
    assert dated["growth"].notna().all() and dated["mean_year"].between(2010, 2021).all()
    # the cluster holding most Transformer papers is the youngest of the big ones
    big = out[out["n_papers"] >= 5]
    youngest = big.sort_values("mean_year").iloc[-1]
    assert youngest["growth"] > 1.5
