"""Tests of the concept extractor: contract, offsets, sample-corpus facts, normalisation."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import spacy
from spacy.tokens import Doc

from conceptgraph.extract.nlp import CONCEPT_COLUMNS, MENTION_COLUMNS, build_nlp, extract_mentions
from conceptgraph.extract import InputError

TYPES = {"method", "architecture", "dataset", "task", "metric"}


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


@pytest.fixture(scope="module")
def sample(nlp):
    from conceptgraph.extract import load

    papers = load()
    mentions, concepts = extract_mentions(papers, nlp=nlp)
    return papers, mentions, concepts


def papers_of(*abstracts, titles=None):
    titles = titles or [""] * len(abstracts)
    return pd.DataFrame({"id": [f"p{i}" for i in range(len(abstracts))], "title": titles,
                         "abstract": list(abstracts), "lang": "en"})


def paper_by_title(papers, prefix):
    rows = papers[papers["title"].str.startswith(prefix)]
    assert len(rows) == 1, prefix
    return rows.iloc[0]["id"]


# ---------------------------------------------------------------- contract

def test_contract_columns_types_and_order(sample):
    papers, mentions, concepts = sample
    assert list(mentions.columns) == MENTION_COLUMNS
    assert list(concepts.columns) == CONCEPT_COLUMNS
    assert set(mentions["type"]) <= TYPES and set(concepts["type"]) <= TYPES
    assert set(mentions["field"]) <= {"title", "abstract"}
    keys = list(zip(mentions.paper_id, mentions.field, mentions.start, mentions.end))
    assert keys == sorted(keys)
    assert list(concepts.concept_id) == sorted(concepts.concept_id)
    assert set(concepts.concept_id) == set(mentions.concept_id)
    assert concepts.concept_id.is_unique
    assert all(cid == cid.lower() and " " not in cid for cid in concepts.concept_id)
    counts = mentions.groupby("concept_id").size()
    assert (concepts.set_index("concept_id")["n_mentions"] == counts).all()
    assert all(isinstance(a, list) and all(isinstance(x, str) for x in a) for a in concepts.aliases)


def test_offsets_match_text_on_sample(sample):
    papers, mentions, _ = sample
    by_id = papers.set_index("id")
    for m in mentions.itertuples():
        assert by_id.at[m.paper_id, m.field][m.start:m.end] == m.text


def test_deterministic(nlp):
    papers = papers_of("We train a ResNet with Adam on CIFAR-10 and SVHN.",
                       "A Dual Path Network (DPN) beats DenseNet-121 on ImageNet-1K.")
    a = extract_mentions(papers, nlp=nlp)
    b = extract_mentions(papers, nlp=build_nlp())
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])


def test_non_english_papers_give_their_latin_names_and_empty_ones_nothing(nlp):
    papers = pd.DataFrame({"id": ["a", "b", "c"], "title": ["", "", "ResNet"],
                           "abstract": ["深度神经网络的ResNet和随机梯度下降(SGD)", "", "We use BERT."],
                           "lang": ["zh", "en", "en"]})
    mentions, _ = extract_mentions(papers, nlp=nlp)
    assert set(mentions.paper_id) == {"a", "c"}
    assert set(zip(mentions.paper_id, mentions.field, mentions.text)) == {
        ("a", "abstract", "ResNet"), ("a", "abstract", "SGD"), ("c", "title", "ResNet"), ("c", "abstract", "BERT")}
    for m in mentions.itertuples():
        assert papers.set_index("id").at[m.paper_id, m.field][m.start:m.end] == m.text


def test_empty_input(nlp):
    mentions, concepts = extract_mentions(papers_of()[:0], nlp=nlp)
    assert list(mentions.columns) == MENTION_COLUMNS and mentions.empty
    assert list(concepts.columns) == CONCEPT_COLUMNS and concepts.empty


# Any text, including odd unicode, combining marks, control characters and newlines.
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
_words = st.lists(st.sampled_from(["ResNet", "(", ")", "CNN", "deep", "neural", "networks", "CIFAR-10", "-",
                                   "dataset", "We", "propose", "GaNDLF", "U^2-Net", "\n\n", " ", "é", "\u0301",
                                   "ﬁ", "İ", "ß", "ǅ", "Σ", "\t", "BERT", "on", ",", "."]), max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.one_of(_text, _words.map(" ".join)), abstract=st.one_of(_text, _words.map("".join),
                                                                         _words.map(" ".join)))
def test_offsets_property(nlp, title, abstract):
    papers = papers_of(abstract, titles=[title])
    mentions, concepts = extract_mentions(papers, nlp=nlp)
    for m in mentions.itertuples():
        source = title if m.field == "title" else abstract
        assert source[m.start:m.end] == m.text
        assert m.start < m.end
    assert set(concepts.concept_id) == set(mentions.concept_id)


# ---------------------------------------------------------------- sample-corpus facts

def test_binaryconnect_datasets_and_method(sample):
    papers, mentions, _ = sample
    pid = paper_by_title(papers, "BinaryConnect: Training Deep Neural Networks")
    m = mentions[(mentions.paper_id == pid) & (mentions.field == "abstract")]
    found = set(zip(m.text, m.type))
    for name in ("MNIST", "CIFAR-10", "SVHN"):
        assert (name, "dataset") in found
    assert ("BinaryConnect", "method") in found


def test_densenet_is_one_concept(sample):
    papers, mentions, concepts = sample
    reloaded = paper_by_title(papers, "DenseNets Reloaded")
    original = paper_by_title(papers, "Densely Connected Convolutional Networks")
    ids = {pid: set(mentions[mentions.paper_id == pid].concept_id) for pid in (reloaded, original)}
    assert "densenet" in ids[reloaded] and "densenet" in ids[original]
    surfaces = set(mentions[mentions.concept_id == "densenet"].text)
    assert {"DenseNet", "DenseNets", "Dense Convolutional Network"} <= surfaces
    assert concepts.set_index("concept_id").at["densenet", "type"] == "architecture"


def test_darts_and_nas_with_long_forms(sample):
    papers, mentions, _ = sample
    pid = paper_by_title(papers, "D-DARTS")
    m = mentions[(mentions.paper_id == pid) & (mentions.field == "abstract")]
    by_text = dict(zip(m.text, m.concept_id))
    assert by_text["DARTS"] == by_text["Differentiable ARchiTecture Search"]
    assert by_text["NAS"] == by_text["Neural Architecture Search"]
    # The same concepts as the long forms written elsewhere in the corpus.
    elsewhere = mentions[mentions.paper_id != pid]
    nas_ids = set(elsewhere[elsewhere.text.str.lower() == "neural architecture search"].concept_id)
    assert nas_ids == {by_text["NAS"]}


# ---------------------------------------------------------------- components

@pytest.mark.parametrize("text, tokens", [
    ("methods (e.g., ResNet) and", ["methods", "(", "e.g.", ",", "ResNet", ")", "and"]),
    ("i.e. the Ph.D. thesis", ["i.e.", "the", "Ph.D.", "thesis"]),
    ("the engine 's index and/or the model's", ["the", "engine", "'s", "index", "and/or", "the", "model", "'s"]),
    ("``deep'' nets", ["`", "`", "deep", "''", "nets"]),
    ("ImageNet-1K.", ["ImageNet-1K", "."]),
    # spaCy's emoticon exceptions would glue these brackets to their neighbours ("):", "8)").
    ("Transformers (APT): see Section 8)", ["Transformers", "(", "APT", ")", ":", "see", "Section", "8", ")"]),
])
def test_tokenizer_of_abstracts(nlp, text, tokens):
    assert [t.text for t in nlp.make_doc(text)] == tokens


def test_tokenizer_has_no_exceptions_for_the_extra_pass(nlp):
    # An exception with an affix or a space is looked for in an extra pass over every
    # document and stops spaCy caching the rest of it (see _scientific_tokenizer).
    tok = nlp.tokenizer
    affixed = [t for t in tok.rules if " " in t or tok.find_prefix(t) or tok.find_suffix(t) or tok.find_infix(t)]
    assert affixed == []
    assert "cannot" in tok.rules  # the plain exceptions stay
    copy = spacy.blank("en").tokenizer.from_bytes(tok.to_bytes())  # and the tokenizer still serialises
    assert [t.text for t in copy("(e.g., APT):")] == ["(", "e.g.", ",", "APT", ")", ":"]


def test_definition_before_a_colon(nlp):
    m, _ = extract_mentions(papers_of("We present Adaptive Pruning Transformers (APT): a method."), nlp=nlp)
    assert set(m.concept_id) == {"adaptive-pruning-transformer"} and len(m) == 2


def test_abbreviation_pair_within_abstract(nlp):
    papers = papers_of("We propose a densely connected bidirectional LSTM (DC-Bi-LSTM) for sentences. "
                       "The DC-Bi-LSTM is deep.")
    m, c = extract_mentions(papers, nlp=nlp)
    ids = set(m[m.text.isin(["densely connected bidirectional LSTM", "DC-Bi-LSTM"])].concept_id)
    assert len(ids) == 1
    assert (m.text == "DC-Bi-LSTM").sum() == 2


def test_abbreviation_across_corpus(nlp):
    papers = papers_of("Our Frobnicated Pyramid Model (FPyM) is fast.", "We compare against FPyM here.")
    m, _ = extract_mentions(papers, nlp=nlp)
    assert m[m.paper_id == "p1"].set_index("text").at["FPyM", "concept_id"] == "frobnicated-pyramid-model"


def test_local_definition_beats_lexicon_sense(nlp):
    # FPN is a feature pyramid network in the lexicon, but this paper defines it otherwise.
    papers = papers_of("We further explain how this FacePoseNet (FPN) works. FPN is fast.")
    m, _ = extract_mentions(papers, nlp=nlp)
    assert set(m[m.text.isin(["FacePoseNet", "FPN"])].concept_id) == {"faceposenet"}


@pytest.mark.parametrize("surface", ["CNN", "CNNs", "ConvNets", "convolutional neural networks",
                                     "Convolutional Neural Network", "deep convolutional neural networks",
                                     "convolutional networks"])
def test_cnn_variants_are_one_concept(nlp, surface):
    m, _ = extract_mentions(papers_of(f"Results of {surface} are good."), nlp=nlp)
    assert list(m.concept_id) == ["cnn"], m


@pytest.mark.parametrize("text,generic", [("deep learning", True), ("neural network", True),
                                          ("deep neural networks", True), ("ResNet", False),
                                          ("deep models", True), ("dynamic pooling", False)])
def test_generic_flag(nlp, text, generic):
    _, c = extract_mentions(papers_of(f"We study {text} here."), nlp=nlp)
    assert len(c) == 1 and bool(c.generic.iloc[0]) is generic


@pytest.mark.parametrize("abstract,text,typ", [
    ("We design a gated frobnication network for images.", "gated frobnication network", "architecture"),
    ("We release the QuuxBench dataset of scans.", "QuuxBench", "dataset"),
    ("We rely on magnitude-aware frobnication pruning.", "magnitude-aware frobnication pruning", "method"),
    ("Experiments on FooBar-7 and CIFAR-10 show gains.", "FooBar-7", "dataset"),
    ("We propose N-BEATS for forecasting.", "N-BEATS", "architecture"),
    ("We present GaNDLF, a framework.", "GaNDLF", "architecture"),
    ("We introduce U^2-Net for detection.", "U^2-Net", "architecture"),
    ("We propose BlorpConnect, a method.", "BlorpConnect", "method"),
    ("Frobnet and Zorknet outperform the baselines.", "Frobnet", "architecture"),
])
def test_unseen_phrases_are_typed(nlp, abstract, text, typ):
    m, _ = extract_mentions(papers_of(abstract), nlp=nlp)
    assert (text, typ) in set(zip(m.text, m.type)), m[["text", "type"]].values.tolist()


def test_chunker_boundaries(nlp):
    m, _ = extract_mentions(papers_of("By training deep spiking neural networks, this paper revives "
                                      "CNN-based systems and a novel efficient network."), nlp=nlp)
    texts = set(m.text)
    assert "deep spiking neural networks" in texts
    assert "CNN" in texts  # "CNN-based systems" are named by CNN
    assert not any("revives" in t or "training deep" in t or "novel" in t for t in texts)


def test_user_lexicon_tsv_and_jsonl(tmp_path):
    tsv = tmp_path / "mine.tsv"
    tsv.write_text("id\tlabel\ttype\taliases\tgeneric\n"
                   "zorp-net\tZorpNet\tarchitecture\tZorp Network|ZorpNets\tfalse\n", encoding="utf-8")
    jsonl = tmp_path / "mine.jsonl"
    jsonl.write_text(json.dumps({"id": "blorbo", "label": "blorbo corpus", "type": "dataset",
                                 "aliases": ["Blorbo"], "generic": False}) + "\n", encoding="utf-8")
    nlp = build_nlp(lexicon_paths=[tsv, jsonl])
    m, c = extract_mentions(papers_of("The Zorp Network beats ZorpNets on the blorbo corpus."), nlp=nlp)
    assert set(m.concept_id) == {"zorp-net", "blorbo"}
    assert c.set_index("concept_id").at["zorp-net", "label"] == "ZorpNet"


def test_user_lexicon_rejects_unknown_type(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("x\tX thing\tgadget\t\t\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown type"):
        build_nlp(lexicon_paths=[bad])


def test_disable_components():
    nlp = build_nlp(disable=["cg_chunks", "cg_names"])
    assert nlp.pipe_names == ["cg_lexicon", "cg_abbreviations", "cg_normalize"]
    m, _ = extract_mentions(papers_of("A gated frobnication network uses dropout."), nlp=nlp)
    assert list(m.text) == ["dropout"]
    with pytest.raises(ValueError):
        build_nlp(disable=["cg_nothing"])


def test_components_alone_leave_serialisable_docs():
    """A pipeline of some cg_* components without cg_normalize keeps their working data in
    doc.user_data; Doc.to_bytes (and DocBin) must still serialise it."""
    nlp = spacy.blank("en")
    nlp.add_pipe("cg_names")
    doc = nlp("We propose BinaryConnect (BC) and test it on SVHN.")
    assert "cg_token_infos" in doc.user_data
    restored = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert restored.text == doc.text
    assert nlp.get_pipe("cg_names").table.text(doc, 2, 3) == "BinaryConnect"


def test_lemmatizer_option_works_offline():
    nlp = build_nlp(lemmatizer=True)
    doc = nlp("The networks were trained.")
    assert [t.lemma_ for t in doc][1:3] == ["network", "be"]


def test_title_context_and_offsets(nlp):
    papers = papers_of("Our Residual Highway Model helps.", titles=["Residual Highway Models for Vision"])
    m, _ = extract_mentions(papers, nlp=nlp)
    abstract = m[m.field == "abstract"]
    assert ("Residual Highway Model", 4, 26) in set(zip(abstract.text, abstract.start, abstract.end))


def test_missing_model_is_a_clear_error():
    with pytest.raises(ValueError, match="not installed"):
        build_nlp(model="en_core_web_nonexistent")


def test_chunker_uses_parser_noun_chunks_when_present():
    import spacy
    from spacy.tokens import Doc

    from conceptgraph.extract.components._tokens import get_candidates

    nlp = spacy.blank("en")
    chunker = nlp.add_pipe("cg_chunks")
    doc = Doc(nlp.vocab, words=["We", "train", "a", "novel", "convolutional", "network", "."],
              pos=["PRON", "VERB", "DET", "ADJ", "ADJ", "NOUN", "PUNCT"],
              deps=["nsubj", "ROOT", "det", "amod", "amod", "dobj", "punct"], heads=[1, 1, 5, 5, 5, 1, 1])
    doc = chunker(doc)
    assert get_candidates(doc, "cg_chunks") == [(4, 6, "architecture", "")]


@pytest.mark.parametrize("abstract,expected", [
    ("We add a regulariser called mixout to BERT.", ("mixout", "method", "mixout")),
    ("A block dubbed “ spatial gating unit ” helps.", ("spatial gating unit", "method", "spatial-gating-unit")),
    ("Results on the CIFAR-10 dataset improve.", ("CIFAR-10", "dataset", "cifar-10")),
    ("We recognise named entities with a CRF.", ("CRF", "method", "crf")),
])
def test_named_contributions_and_dataset_heads(nlp, abstract, expected):
    m, _ = extract_mentions(papers_of(abstract), nlp=nlp)
    assert expected in set(zip(m.text, m.type, m.concept_id)), m[["text", "type", "concept_id"]].values.tolist()
    assert "entities" not in set(m.text)


def test_hardware_and_citation_keys_are_not_names(nlp):
    m, _ = extract_mentions(papers_of("Experiments on FPGAs and GPUs, as in kingma2013auto and W.Xiong, use "
                                      "word2vec on text8."), nlp=nlp)
    assert set(m.text) == {"word2vec", "text8"}
