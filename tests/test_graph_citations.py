"""Explicit and inferred citations."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from conceptgraph.graph import citations
from conceptgraph.graph.citations import (MAX_INTRODUCERS, citation_graph, citation_table, concept_introductions,
                                          inferred_citations, match_references, name_key)
from conceptgraph.graph.references import doi_key
from test_graph_fixtures import toy_corpus


@pytest.fixture(scope="module")
def toy():
    return toy_corpus()


def test_explicit_references_by_doi_title_and_id(toy):
    papers, _, _ = toy
    papers = papers.copy()
    papers["cited_by"] = [None] * len(papers)
    papers.at[papers.index[papers["id"] == "p_q3"][0], "cited_by"] = ["p_q1", "unknown-id"]
    refs = match_references(papers)
    pairs = {(a, b): how for a, b, how in refs[["citing", "cited", "matched_by"]].itertuples(index=False)}
    assert pairs[("p_resnet", "p_dense")] == "doi"
    assert pairs[("p_g2", "p_g1")] == "title"
    assert pairs[("p_q1", "p_q3")] == "id"  # from cited_by: p_q1 cites p_q3
    per = refs.attrs["per_paper"]
    assert per["p_g2"] == {"n_references": 2, "n_references_matched": 1}
    assert (refs["kind"] == "citation").all() and refs["evidence"].str.contains("matched by").all()


def test_normalisers():
    assert doi_key("doi:10.1000/ABC.") == "10.1000/abc"
    assert doi_key("no doi here") is None
    assert name_key("U-Net") == name_key("UNet") == name_key("U-Nets")
    assert name_key("nnU-Net") != name_key("U-Net")


def test_introductions_from_title_and_abstract(toy):
    papers, mentions, concepts = toy
    intro = concept_introductions(papers, mentions, concepts)
    got = dict(zip(intro["concept_id"], intro["paper_id"]))
    assert got["c_unet"] == "p_unet"  # "U-Net: ..." title before colon
    assert got["c_densenet"] == "p_dense"  # whole title is an alias
    assert got["c_d3net"] == "p_d3net"
    # never: generic concepts, tasks/metrics, or concepts merely used
    assert "c_dnn" not in got and "c_seg" not in got and "c_imagenet" not in got


def test_abstract_pattern_introduction_without_title_help():
    papers = pd.DataFrame({"id": ["a", "b", "c"], "title": ["", "", ""],
                           "abstract": ["In this paper we introduce the Dense Convolutional Network (DenseNet), which "
                                        "connects layers.",
                                        "We propose to use recurrent neural network (RNN) based hypernetworks. DenseNet "
                                        "is strong.",
                                        "We build on DenseNet and RNN models."]})
    rows = []
    for pid, text in zip(papers["id"], papers["abstract"]):
        for name, cid in (("Dense Convolutional Network", "dn"), ("DenseNet", "dn"), ("recurrent neural network", "rnn"),
                          ("RNN", "rnn")):
            start = text.find(name)
            while start >= 0:
                rows.append((pid, "abstract", start, start + len(name), name, "architecture", cid))
                start = text.find(name, start + 1)
    mentions = pd.DataFrame(rows, columns=["paper_id", "field", "start", "end", "text", "type", "concept_id"])
    concepts = pd.DataFrame({"concept_id": ["dn", "rnn"], "label": ["DenseNet", "RNN"], "type": "architecture",
                             "aliases": [["Dense Convolutional Network"], ["recurrent neural network"]],
                             "generic": False})
    intro = concept_introductions(papers, mentions, concepts)
    assert intro[["concept_id", "paper_id", "level"]].values.tolist() == [["dn", "a", 2]]
    assert "introduce the Dense Convolutional Network (DenseNet)" in intro["evidence"].item()
    inf = inferred_citations(papers, mentions, concepts, introductions=intro)
    assert sorted(zip(inf["citing"], inf["cited"])) == [("b", "a"), ("c", "a")]


def test_inferred_citations_with_evidence(toy):
    papers, mentions, concepts = toy
    inf = inferred_citations(papers, mentions, concepts)
    pairs = set(zip(inf["citing"], inf["cited"]))
    assert ("p_nnunet", "p_unet") in pairs and ("p_ext", "p_unet") in pairs
    assert ("p_reload", "p_dense") in pairs and ("p_d3net", "p_dense") in pairs
    assert (inf["kind"] == "inferred-citation").all()
    ev = inf.set_index(["citing", "cited"]).loc[("p_d3net", "p_dense"), "evidence"]
    assert 'writes "DenseNet"' in ev and "Densely Connected Convolutional Networks" in ev
    assert not any(a == b for a, b in pairs)


def test_mention_containing_a_name_counts_as_naming_it():
    papers = pd.DataFrame({"id": ["u", "r", "n"], "title": ["U-Net: Convolutional Networks for Segmentation", "", ""],
                           "abstract": ["", "a properly configured U-Net architecture wins", "nnU-Net wins"]})
    mentions = pd.DataFrame([("u", "title", 0, 5, "U-Net", "architecture", "unet"),
                             ("r", "abstract", 23, 41, "U-Net architecture", "architecture", "unet_arch"),
                             ("n", "abstract", 0, 7, "nnU-Net", "architecture", "nnunet")],
                            columns=["paper_id", "field", "start", "end", "text", "type", "concept_id"])
    concepts = pd.DataFrame({"concept_id": ["unet", "unet_arch", "nnunet"],
                             "label": ["U-Net", "U-Net architecture", "nnU-Net"], "type": "architecture",
                             "aliases": [[], [], []], "generic": False})
    inf = inferred_citations(papers, mentions, concepts)
    assert list(zip(inf["citing"], inf["cited"])) == [("r", "u")]
    assert 'as "U-Net architecture"' in inf["evidence"].item()


def test_concept_introduced_by_many_papers_is_no_introduction():
    """Up to MAX_INTRODUCERS papers titled "FooNet: ..." are a series on one system; more share a name in use."""
    def corpus(n_titled):
        ids = [f"t{i}" for i in range(n_titled)] + ["c"]
        papers = pd.DataFrame({"id": ids, "title": [f"FooNet: part {i}" for i in range(n_titled)] + ["Bar uses FooNet"],
                               "abstract": ""})
        mentions = pd.DataFrame([(p, "title", 0, 6, "FooNet", "method", "foo") for p in ids[:-1]] +
                                [("c", "title", 9, 15, "FooNet", "method", "foo")],
                                columns=["paper_id", "field", "start", "end", "text", "type", "concept_id"])
        concepts = pd.DataFrame({"concept_id": ["foo"], "label": ["FooNet"], "type": "method", "aliases": [[]],
                                 "generic": False})
        return papers, mentions, concepts

    assert MAX_INTRODUCERS == 3
    assert len(concept_introductions(*corpus(4))) == 0
    assert len(concept_introductions(*corpus(3))) == 3
    inf = inferred_citations(*corpus(3))
    assert sorted(zip(inf["citing"], inf["cited"])) == [("c", "t0"), ("c", "t1"), ("c", "t2")]  # not each other
    assert len(concept_introductions(*corpus(2), max_introducers=1)) == 0


def test_years_forbid_citing_the_future(toy):
    papers, mentions, concepts = toy
    papers = papers.copy()
    papers["year"] = pd.array([2015] + [None] * (len(papers) - 1), dtype="Int64")
    papers.loc[papers["id"] == "p_nnunet", "year"] = 2010  # "older" than U-Net: cannot cite it
    papers.loc[papers["id"] == "p_ext", "year"] = 2022
    pairs = set(zip(*inferred_citations(papers, mentions, concepts)[["citing", "cited"]].T.values))
    assert ("p_nnunet", "p_unet") not in pairs and ("p_ext", "p_unet") in pairs


def test_citation_graph(toy):
    papers, mentions, concepts = toy
    table = citation_table(papers, mentions, concepts)
    D = citation_graph(papers, table)
    assert D.is_directed() and set(D.nodes) == set(papers["id"])
    assert D.edges["p_resnet", "p_dense"]["kind"] == "citation"
    assert D.edges["p_nnunet", "p_unet"]["kind"] == "inferred-citation"
    assert not D.has_edge("p_unet", "p_nnunet")
    only_explicit = citation_table(papers, mentions, concepts, infer=False)
    assert set(only_explicit["kind"]) == {"citation"}


def _regex_writes(text, names):
    """The former matcher, one regular expression per concept: what ``_writes`` must agree with."""
    alternatives = "|".join(re.escape(n) for n in sorted(set(names), key=lambda n: (-len(n), n)))
    return bool(re.search(rf"(?<![\w-])(?:{alternatives})s?(?![^\W_])", text))


def test_name_matching_agrees_with_the_regular_expression_it_replaced():
    names_sets = [{"U-Net"}, {"DenseNet", "DenseNets"}, {"DARTS"}, {"C4.5"}, {"LDL++"}, {"Ab"}, {"Ω-Net", "ZorbNet"}]
    texts = ["nnU-Net wins", "a U-Net-based model", "U-Nets and", "the U-Net_v2 code", "U-Netter", "(U-Net)",
             "DenseNets.", "DenseNetss", "D-DARTS", "x.DARTS", "DARTS+", "_DARTS", "C4.5's trees", "C4.50",
             "LDL++ and LDL++x", "Abs", "Abss", "Ab\u00e9", "zorbnet ZorbNet", "\u03a9-Nets!", "", "U-", "a+U-Net"]
    for names in names_sets:
        for text in texts:
            assert citations._writes(text, names) == _regex_writes(text, names), (text, names)


def test_named_concepts_keys_agree_with_name_key_of_the_joined_words():
    """The n-gram keys are built from per-word folds; they must equal ``name_key`` of the joined words."""
    texts = ["Densely Connected Convolutional Networks", "U-Net/ResNet models", "ﬁne-tuned Ｕ-Net",
             "İstanbul Net", "ΟΔΟΣ Nets", "a  b\tc-d/e f g h"]
    for text in texts:
        toks = [t for t in re.split(r"[\s\-/]+", text) if t]
        for i in range(len(toks)):
            joined = ""
            for j in range(i, min(len(toks), i + 6)):
                joined += citations._fold(toks[j])
                assert citations._drop_plural(joined) == name_key(" ".join(toks[i:j + 1])), toks[i:j + 1]


def _name_corpus(intro_title, intro_abstract, n_users, name="MAXQ"):
    """One would-be introducer and ``n_users`` papers writing ``name`` in their abstracts."""
    ids = ["intro"] + [f"u{i}" for i in range(n_users)]
    abstracts = [intro_abstract] + [f"We extend the {name} method to case {i}." for i in range(n_users)]
    papers = pd.DataFrame({"id": ids, "title": [intro_title] + [f"Study {i}" for i in range(n_users)],
                           "abstract": abstracts})
    rows = []
    for pid, text in zip(ids, abstracts):
        at = text.find(name)
        if at >= 0:
            rows.append((pid, "abstract", at, at + len(name), name, "method", "maxq"))
    mentions = pd.DataFrame(rows, columns=["paper_id", "field", "start", "end", "text", "type", "concept_id"])
    concepts = pd.DataFrame({"concept_id": ["maxq"], "label": [name], "type": "method", "aliases": [[]],
                             "generic": False})
    return papers, mentions, concepts


def test_a_name_used_as_a_compound_modifier_is_not_introduced():
    """"we introduce Sparse Autoencoder (SAE)-based interpretability" introduces no SAE (arXiv-recent)."""
    papers, mentions, concepts = _name_corpus("Sparse Autoencoder probes for breast imaging",
                                              "We introduce Sparse Autoencoder (SAE)-based interpretability.", 2,
                                              name="Sparse Autoencoder")
    concepts["aliases"] = [["SAE"]]
    assert len(concept_introductions(papers, mentions, concepts)) == 0
    papers, mentions, concepts = _name_corpus("Segmenting cells", "We propose a MaxQNet-based segmentation.", 2,
                                              name="MaxQNet")
    assert len(concept_introductions(papers, mentions, concepts)) == 0


def test_a_plain_name_before_a_head_noun_names_a_kind():
    """"We present a Gaussian Splatting method for ..." introduces no Gaussian Splatting (arXiv-recent)."""
    papers, mentions, concepts = _name_corpus("Gaussian Splatting from sparse views",
                                              "We present a Gaussian Splatting method for sparse views.", 2,
                                              name="Gaussian Splatting")
    concepts["aliases"] = [["3D-GS"]]
    assert len(concept_introductions(papers, mentions, concepts)) == 0


def test_a_name_in_apposition_to_what_it_is_is_introduced():
    """"This paper presents a case-based reasoning system TA3." (CiteSeer) introduces TA3."""
    papers, mentions, concepts = _name_corpus("Supporting flexibility", "This paper presents a case-based reasoning "
                                              "system TaNet3.", 2, name="TaNet3")
    intro = concept_introductions(papers, mentions, concepts)
    assert intro[["paper_id", "level"]].values.tolist() == [["intro", 2]]
    # "the paper presents" as "this paper presents"
    papers, mentions, concepts = _name_corpus("Goal directed behaviour", "The paper presents MaxsonNet, a neural "
                                              "network architecture based on second-order connections.", 2,
                                              name="MaxsonNet")
    assert concept_introductions(papers, mentions, concepts)["rule"].tolist() == ["we propose X"]


def test_a_dash_between_spaces_ends_the_name_part_of_a_title():
    papers, mentions, concepts = _name_corpus("MIAS - An Ubiquitous Multi-Agent Web Information System", "", 2,
                                              name="MIAS")
    intro = concept_introductions(papers, mentions, concepts)
    assert intro[["paper_id", "level", "rule"]].values.tolist() == [["intro", 3, "title before colon"]]


def test_we_describe_introduces_a_coined_name():
    papers, mentions, concepts = _name_corpus("A hierarchy of value functions",
                                              "In this paper, we describe MaxQNet, a value decomposition.", 2,
                                              name="MaxQNet")
    intro = concept_introductions(papers, mentions, concepts)
    assert intro[["paper_id", "level"]].values.tolist() == [["intro", 2]]
    assert "we describe MaxQNet" in intro["evidence"].item()


def test_a_title_name_with_other_symbols_is_a_new_name():
    """"GRPO++: ..." introduces GRPO++, not the GRPO every paper uses (arXiv-recent: 500 "citers" before)."""
    papers, mentions, concepts = _name_corpus("GRPO++: Reasoning under low resources", "", 2, name="GRPO")
    assert len(concept_introductions(papers, mentions, concepts)) == 0
    papers, mentions, concepts = _name_corpus("GRPOs: Reasoning under low resources", "", 2, name="GRPO")
    assert concept_introductions(papers, mentions, concepts)["rule"].tolist() == ["title before colon"]


def test_a_title_spelling_out_initials_introduces_nothing():
    """"Automatic essay scoring: ..." does not introduce AES; "Densely Connected ... Networks" does DenseNet."""
    papers, mentions, concepts = _name_corpus("Automatic essay scoring: leveraging n-grams", "", 2, name="AES")
    concepts["aliases"] = [["automatic essay scoring"]]
    assert len(concept_introductions(papers, mentions, concepts)) == 0
    papers, mentions, concepts = _name_corpus("LiDAS: Lighting-driven Dynamic Active Sensing", "", 2, name="LiDA")
    assert len(concept_introductions(papers, mentions, concepts)) == 0  # an upper-case "S" makes no plural


def test_the_name_of_a_described_system_is_introduced():
    """"This paper described the THISL spoken document retrieval system ..." (CiteSeer) introduces THISL,
    also when the extractor's mention is the whole phrase; an indefinite "an SQL extension" still is no name."""
    text = "This paper described the ZORBQ spoken document retrieval system for broadcast news."
    papers = pd.DataFrame({"id": ["intro", "u"], "title": ["Broadcast news retrieval", "Speaker tracking"],
                           "abstract": [text, "We add speaker tracking to ZORBQ."]})
    phrase = "ZORBQ spoken document retrieval system"
    at, used = text.find(phrase), papers.at[1, "abstract"].find("ZORBQ")
    mentions = pd.DataFrame([("intro", "abstract", at, at + len(phrase), phrase, "method", "phrase"),
                             ("u", "abstract", used, used + 5, "ZORBQ", "method", "zorbq")],
                            columns=["paper_id", "field", "start", "end", "text", "type", "concept_id"])
    concepts = pd.DataFrame({"concept_id": ["phrase", "zorbq"], "label": [phrase, "ZORBQ"], "type": "method",
                             "aliases": [[], []], "generic": False})
    intro = concept_introductions(papers, mentions, concepts)
    assert intro[["concept_id", "paper_id", "level", "rule"]].values.tolist() == [
        ["zorbq", "intro", 2, "we propose the X ... system"]]
    assert list(zip(*inferred_citations(papers, mentions, concepts)[["citing", "cited"]].T.values)) == [("u", "intro")]
    # the name a mention of its own, the system's words not ("introduces the ZORBQ agent development system"),
    # and "then" between the verb and the name ("We present then the ZORBQ system")
    for abstract in ("This article introduces the ZORBQ agent development system which combines BDI and FIPA.",
                     "We present then the ZORBQ system which solves analogies."):
        papers, mentions, concepts = _name_corpus("Agents", abstract, 2, name="ZORBQ")
        assert concept_introductions(papers, mentions, concepts)["rule"].tolist() == ["we propose the X ... system"]
    papers, mentions, concepts = _name_corpus("Agents", "We present an ZORBQ extension for agents.", 2, name="ZORBQ")
    assert len(concept_introductions(papers, mentions, concepts)) == 0


def test_an_acronym_in_apposition_or_after_its_description_is_introduced():
    """"This paper presents PESKI, a probabilistic expert system ..." and "The paper presents a neural network
    architecture (MAXSON) ..." (CiteSeer): an all-capital name is introduced without the title's help."""
    for abstract, rule in (("This paper presents PESKQ, a probabilistic expert system environment.",
                            "we propose X, a ..."),
                           ("The paper presents a neural network architecture (PESKQ) based on second-order "
                            "connections.", "we propose a ... system (X)")):
        papers, mentions, concepts = _name_corpus("Expert systems", abstract, 2, name="PESKQ")
        intro = concept_introductions(papers, mentions, concepts)
        assert intro[["paper_id", "level", "rule"]].values.tolist() == [["intro", 2, rule]], abstract
    # what a paper merely uses is not introduced: "we present results on PESKQ, a benchmark"
    papers, mentions, concepts = _name_corpus("Expert systems", "We present results on PESKQ, a benchmark.", 2,
                                              name="PESKQ")
    assert len(concept_introductions(papers, mentions, concepts)) == 0


def test_a_title_naming_a_system_introduces_its_name():
    """"The PicSOM Retrieval System: ..." introduces PicSOM; "RDF Based Architecture for ..." does not RDF."""
    papers, mentions, concepts = _name_corpus("The ZorbSOM Retrieval System: Description and Evaluations", "", 2,
                                              name="ZorbSOM")
    intro = concept_introductions(papers, mentions, concepts)
    assert intro[["paper_id", "level", "rule"]].values.tolist() == [["intro", 2, "title subject X ... system"]]
    papers, mentions, concepts = _name_corpus("ZORBF Based Architecture for Semantic Integration", "", 2,
                                              name="ZORBF")
    assert len(concept_introductions(papers, mentions, concepts)) == 0


def test_papers_introducing_concepts_of_one_name_do_not_cite_each_other():
    """Two concepts named "MAXSON" (the extractor's two phrases), each introduced by one paper: no citation
    either way, as between co-introducers of one concept."""
    abstracts = ["The paper presents a neural network architecture (ZAXSON) for goals.",
                 "The paper presents a neural network architecture (ZAXSON) for evolving goals.",
                 "We evolve ZAXSON agents."]
    papers = pd.DataFrame({"id": ["a", "b", "c"], "title": ["Goals", "Evolving goals", "Evolution"],
                           "abstract": abstracts})
    rows = [(pid, "abstract", text.find("ZAXSON"), text.find("ZAXSON") + 6, "ZAXSON", "architecture", cid)
            for pid, text, cid in zip(papers["id"], abstracts, ["z1", "z2", "z1"])]
    mentions = pd.DataFrame(rows, columns=["paper_id", "field", "start", "end", "text", "type", "concept_id"])
    concepts = pd.DataFrame({"concept_id": ["z1", "z2"], "label": ["ZAXSON", "ZAXSON"], "type": "architecture",
                             "aliases": [[], []], "generic": False})
    intro = concept_introductions(papers, mentions, concepts)
    assert sorted(zip(intro["concept_id"], intro["paper_id"])) == [("z1", "a"), ("z2", "b")]
    inf = inferred_citations(papers, mentions, concepts, introductions=intro)
    assert sorted(zip(inf["citing"], inf["cited"])) == [("c", "a"), ("c", "b")]  # c writes the name of both


def test_a_paper_cites_no_paper_dated_later():
    """Within one year the dates decide (arXiv-recent has both): a paper dated before the introducer does not
    cite it; a paper without a date falls back to its year; without dates the years alone decide."""
    papers, mentions, concepts = _name_corpus("ZHOSLIF: a hierarchical optimal subspace learner", "", 3,
                                              name="ZHOSLIF")
    papers["year"] = pd.array([2025, 2025, 2025, 2025], dtype="Int64")
    papers["date"] = ["2025-05-10", "2025-05-09", "2025-06-01", None]

    def citers(papers):
        return sorted(inferred_citations(papers, mentions, concepts)["citing"])

    assert citers(papers) == ["u1", "u2"]  # u0 is dated a day before the introducer
    assert citers(papers.drop(columns="date")) == ["u0", "u1", "u2"]  # one year: no direction known
    assert citers(papers.drop(columns="year")) == ["u1", "u2"]  # dates without years
    papers.loc[0, "date"] = None
    assert citers(papers) == ["u0", "u1", "u2"]  # the introducer undated: the years, which tell nothing
    # when the two disagree, the dates win: by its year u0 would be later
    papers["year"] = pd.array([2024, 2025, 2025, 2025], dtype="Int64")
    papers["date"] = ["2025-01-02", "2025-01-01", "2025-02-01", None]
    assert citers(papers) == ["u1", "u2"]
