"""Citations between corpus papers: explicit (from reference lists) and inferred (from named concepts).

Explicit citations
    ``references`` (what a paper cites) and ``cited_by`` (who cites it) may hold
    paper ids, DOIs (bare, ``doi:``-prefixed or as ``https://doi.org/`` URLs) or
    titles; each entry is matched to a corpus paper by id, then DOI, then
    normalised title (titles shorter than 15 characters or one word are not
    matched, they are too ambiguous).  Unmatched entries are counted, not linked.

Inferred citations
    Paper A is taken to cite paper B when A names a concept that B introduced.
    A paper *introduces* a concept when (strongest evidence first):

    3. its title before the first colon (or a dash between spaces: "PicSOM - A
       Framework ..."), or its whole title, is the concept's
       name or alias, and that title text or the concept's label looks like a
       name (capitals inside a word, an acronym or digits): "U-Net:
       Convolutional Networks for ..." introduces U-Net, "Densely Connected
       Convolutional Networks" the concept DenseNet whose alias it is; "Digital
       Libraries: ..." introduces nothing (a research area, not a name);
    2. its title's subject (leading words up to "for", "with", "is", ",", ...) is
       one coined-looking token ("ReZero is All You Need") or a name and up to three
       words before a head noun ("The PicSOM Retrieval System: ...", not "RDF Based
       Architecture for ..."), or its abstract says
       "we (or this/the paper) propose/introduce/present/develop/describe ..."
       followed, with only fillers between ("a novel", "a new framework,") or in
       apposition to what it is ("a case-based reasoning system TA3"), by the
       concept's name with an acronym defined in parentheses ("we introduce the
       Dense Convolutional Network (DenseNet)"), by a coined-looking name ("we
       introduce AdaPT, ..."), or the name follows "called/named/namely/dubbed"
       ("so-called" does not count); any name-like one (an acronym too) in apposition
       ("This paper presents PESKI, a probabilistic expert system"), in parentheses
       after a description ending in a head noun ("presents a neural network
       architecture (MAXSON)") or after "the/our" and before up to three words and a
       head noun ("described the THISL spoken document retrieval system");
    1. the same sentence pattern with a plain name, accepted only when the
       paper's title names the concept too and the name is not followed by a
       head noun ("we present a Gaussian Splatting method" names a kind of method);

    Whatever the evidence, only a *coined* name is introduced (:func:`is_coined`): one
    token that looks made up (capitals inside a word, an acronym, digits: DenseNet, U-Net,
    D3Net, KQML), neither an English word in any case (VISION, TIME, OPEN, AWARE,
    Transformer — spaCy's English lemma tables) nor an everyday acronym
    (``data/common_acronyms.txt``: XML, GPU, CNN).  The introducer's table keeps that
    name (``name``); the paper as written, or the concept's label or alias.

    A name that modifies a following noun ("an SQL extension", "(CNN)
    architectures", "Sparse Autoencoder (SAE)-based interpretability") or that is
    merely used ("an implementation using WWW") is not introduced; nor is a concept
    named by more than 5 % of the papers on the strength of an abstract sentence
    alone.  For each concept only the papers with the strongest evidence count, and
    only when there are at most ``max_introducers`` (:data:`MAX_INTRODUCERS`, 3) of
    them: a few are a series of papers on one system (CiteSeer's three "CMUnited-97"
    team papers, two "ROL2: ..."), more share a name in common use.  Generic
    concepts are never introduced, nor (by default) tasks and metrics.

    A paper *names* a concept when one of its mentions is that concept or
    contains its name as whole words ("U-Net architecture" names U-Net,
    "nnU-Net" does not).  When both dates (else both years) are known a paper cannot
    cite a later one; without either the direction is "A names B's contribution, so A cites B".
    Dates are compared without a tolerance: arXiv-recent's are the first version's (47,174 of
    the first 50,000 in the month of the arXiv id, 2,780 up to 3 days after it, 46 later), and
    of the 94 kept edges whose citer is dated before the cited paper when only years decided,
    the gaps show no excess of small ones that date noise would make (5 within 3 days, 12
    within 7, 30 within 30).  The same dates tell which papers wrote a name earlier
    (``max_earlier_users`` of :func:`inferred_citations`).

    Papers introducing the same concept, or concepts of the same name, do not cite each other for it.

    Measured on CiteSeer (3,129 papers with text, no years; ``benchmarks/links.py --only
    citeseer``, with ``analyse``'s similarity cut): 72 inferred citations, 42 (58.3 %) of them
    real citation pairs.  On the first 50,000 arXiv-recent papers (``benchmarks/citations.py
    --first 50000``) 349 edges are kept, none from a paper dated before the one it cites (by
    years alone: 480, 94 of them pointing forward in time); of the 30 judged strong edges of
    ``benchmarks/inferred_judged_50k.tsv`` 19 of 20 right ones stay and 3 of 9 name-only ones
    (the right one lost: "our prior work SatSplat", posted 4 days after the paper citing it).

    A weaker "level 0" rule was tried and left out: a title merely writing a coined name that
    at most 10 papers write ("Vision-Guided Navigation Using SHOSLIF"), kept only for near
    neighbours and, with years, only from a later year and when no earlier paper wrote the
    name.  On CiteSeer it added 49 inferred citations, 23 of them real (121, 65 real), but
    it finds a series of one group's papers, not a name's origin: on 50,000 arXiv-recent
    papers a judged random sample of 30 of its 67 edges was right on 3, and on none of them
    because of the matched name (``benchmarks/inferred_judged_50k.tsv``; the strong rules
    above: 20 of 30 right).  It also doubled this module's CPU time there (a count of the
    papers writing each token).  Any rare name in an introducing sentence was tried too: on
    arXiv-recent the sentence introduces another name ("we propose LibraGen ... for S2V
    generation").
"""
from __future__ import annotations

import gzip
import json
import math
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from . import references

__all__ = [
    "match_references",
    "name_key",
    "concept_lexicon",
    "concept_introductions",
    "is_coined",
    "INTRODUCIBLE_TYPES",
    "inferred_citations",
    "citation_table",
    "citation_graph",
]



def match_references(papers: pd.DataFrame) -> pd.DataFrame:
    """Explicit citations: ``references`` and ``cited_by`` entries matched to corpus papers.

    Matching (by id, then DOI, then normalised title, also inside citation texts) is
    :func:`conceptgraph.graph.references.match_references`; this adds the edge kind
    and evidence the graphs carry.

    Returns
    -------
    DataFrame ``citing, cited, kind ("citation"), evidence, field, matched_by``,
    one row per distinct (citing, cited) pair, sorted.  ``attrs["per_paper"]``
    holds, per paper id, ``n_references`` (entries in its list) and
    ``n_references_matched``; ``attrs["reference_report"]`` the totals.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b"], "title": ["Deep residual learning", "Paper B two"],
    ...                        "doi": [None, "10.1000/xyz"], "references": [["https://doi.org/10.1000/XYZ"], None]})
    >>> match_references(papers)[["citing", "cited", "matched_by"]].values.tolist()
    [['a', 'b', 'doi']]
    """
    for column in ("title", "doi"):
        if column not in papers:
            papers = papers.assign(**{column: None})
    matched = references.match_references(papers)
    # per_paper holds every paper: detached so that pandas does not deep-copy it at each step below
    attrs, matched.attrs = matched.attrs, {}
    table = matched.assign(
        kind="citation",
        evidence=[f'{field.replace("_", " ")} "{ref[:80]}" matched by {how}'
                  for field, ref, how in zip(matched["field"], matched["reference"], matched["matched_by"])])
    table = table[["citing", "cited", "kind", "evidence", "field", "matched_by"]]
    table.attrs = attrs
    return table


def name_key(text: str) -> str:
    """A concept name folded for lookup: lower case, letters and digits only, plural "s" dropped.

    >>> name_key("U-Net"), name_key("DenseNets"), name_key("Densely Connected Convolutional Networks")
    ('unet', 'densenet', 'denselyconnectedconvolutionalnetwork')
    """
    return _drop_plural(_fold(str(text)))


_NOT_KEY = re.compile(r"[^0-9a-z]+")


def _fold(text: str) -> str:
    """``name_key`` before the plural rule: NFKC, lower case, letters and digits only.

    Folding is per character once NFKC is done, so the fold of words joined by spaces is the
    concatenation of the words' folds (what :func:`_named_concepts` relies on).
    """
    return _NOT_KEY.sub("", unicodedata.normalize("NFKC", text).lower())


def _drop_plural(key: str) -> str:
    """The plural rule of ``name_key``: a final "s" is dropped from keys of 5+ characters, "ss" kept."""
    return key[:-1] if len(key) > 4 and key.endswith("s") and not key.endswith("ss") else key


def _long_form_of_coined(label: str) -> bool:
    """A title spelling out the concept introduces it only when its short name is coined
    ("Densely Connected Convolutional Networks" = DenseNet), not the initials of a task or area
    ("Automatic essay scoring: ..." = AES, "Multimodal Emotion Recognition in Conversations: A Survey" = MERC)."""
    return bool(_COINED.match(label.strip()))


def _spelling_key(text: str) -> str:
    """A name as spelled, up to case, spaces, hyphens, underscores and a plural "s" (unlike :func:`name_key`,
    symbols count: "GRPO++" is not "GRPO")."""
    text = unicodedata.normalize("NFKC", text)
    key = re.sub(r"[\s_-]+", "", text.lower())
    return _drop_plural(key) if text.endswith("s") else key  # "LiDAS" is no plural of "LiDA"


def concept_lexicon(concepts: pd.DataFrame) -> dict[str, list[str]]:
    """``name_key`` of every non-generic concept label and alias → concept ids (sorted)."""
    lex: dict[str, set] = defaultdict(set)
    generic = concepts["generic"].fillna(False).astype(bool).tolist() if "generic" in concepts else [False] * len(concepts)
    aliases = concepts["aliases"].tolist() if "aliases" in concepts else [None] * len(concepts)
    for cid, label, al, g in zip(concepts["concept_id"].astype(str), concepts["label"], aliases, generic):
        if g:
            continue
        for name in [label, *references.as_list(al)]:
            if isinstance(name, str):
                k = name_key(name)
                if len(k) >= 2:
                    lex[k].add(cid)
    return {k: sorted(v) for k, v in lex.items()}


@lru_cache(maxsize=1)
def english_words() -> frozenset:
    """Lower-cased English words: spaCy's English lemma tables (spacy-lookups-data), forms and lemmas."""
    import spacy_lookups_data

    folder = Path(spacy_lookups_data.__file__).parent / "data"
    with gzip.open(folder / "en_lemma_lookup.json.gz", "rt", encoding="utf-8") as fh:
        lookup = json.load(fh)
    with gzip.open(folder / "en_lemma_index.json.gz", "rt", encoding="utf-8") as fh:
        index = json.load(fh)
    words = set(lookup) | set(lookup.values())
    for lemmas in index.values():
        words.update(lemmas)
    return frozenset(w.lower() for w in words if isinstance(w, str) and w.isalpha())


@lru_cache(maxsize=1)
def common_acronyms() -> frozenset:
    """Everyday acronyms that name no paper's contribution (``data/common_acronyms.txt``), lower-cased."""
    path = Path(__file__).with_name("data") / "common_acronyms.txt"
    return frozenset(w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines()
                     if w.strip() and not w.startswith("#"))


def is_coined(name: str) -> bool:
    """A name a paper made up: one token that looks like a name and is no English word or everyday acronym.

    >>> [is_coined(x) for x in ("DenseNet", "U-Net", "D3Net", "VISION", "Transformer", "XML", "neural ODE")]
    [True, True, True, False, False, False, False]
    """
    name = str(name).strip()
    if not re.fullmatch(r"[\w.+^-]+", name) or not re.search(r"[^\W\d_]", name) or not _NAME_LIKE.search(name):
        return False
    low = name.lower()
    singular = low[:-1] if low.endswith("s") and len(low) > 3 else low
    return not ({low, singular} & common_acronyms()) and not ({low, singular} & english_words())


_SUBJECT_STOP = re.compile(
    r"\s+(?:for|with|via|using|in|on|of|from|to|through|towards|by|and|is|are|as|at|under|beyond|without|"
    r"vs\.?|versus)\s+|\s*[,?!(]\s*|\s+-+\s+", re.I)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)
_TITLE_HEAD_END = re.compile(r":|\s+-+\s+")
_PROPOSE = re.compile(
    r"\b(?:we|(?:this|the)\s+(?:paper|work|article|study|letter)|here\s+we)\s+"
    r"(?:(?:also|further|then|first|now|therefore|thus|hence|instead|additionally|finally|newly|have|has)\s+){0,2}"
    r"(?:propos|introduc|present|develop|design|devis|call|nam|dub|coin|term|describ)(?:e|es|ed|s|d|ing)?\b", re.I)
_CALLED = re.compile(r"(?<!so-)(?<!so )\b(?:called|named|namely|dubbed|termed|coined)\b", re.I)
#: "looks like a name": capitals inside a word, an acronym, or digits (ReZero, GNN, U-Net, D3Net)
_NAME_LIKE = re.compile(r"[a-z][A-Z]|[A-Z]{2}|[A-Z]-[A-Z]|\d")
#: "looks coined": one token with a capital after a lower-case letter, or letters and digits mixed
#: (DenseNet, AdaPT, D3Net) — all-capital acronyms (SQL, UML, HMM) are usually older names
_COINED = re.compile(r"^(?=.*[a-z][A-Z]|.*[A-Za-z]\d|.*\d[A-Za-z])[\w.+^-]+$")
#: words that may stand between "we propose" and the name it introduces
_FILLER = {"a", "an", "the", "our", "this", "new", "novel", "simple", "general", "generic", "unified", "efficient",
           "fast", "scalable", "robust", "improved", "modified", "extended", "hybrid", "formal", "first", "two",
           "three", "several", "powerful", "lightweight", "practical", "principled", "flexible", "effective",
           "alternative", "generalized", "generalised", "variant", "family", "class", "method", "model", "approach",
           "framework", "system", "algorithm", "architecture", "network", "technique", "dataset", "benchmark",
           "tool", "language", "module", "scheme", "strategy", "mechanism", "library", "package", "of",
           "then", "here", "briefly"}
#: singular head nouns a new name may modify: "the AGNN framework" still introduces AGNN
_HEADS = {"framework", "model", "method", "architecture", "network", "system", "algorithm", "approach", "module",
          "layer", "block", "technique", "scheme", "protocol", "language", "library", "tool", "dataset",
          "benchmark", "corpus", "toolkit", "platform", "engine", "head", "encoder", "decoder"}
_FUNCTION_WORDS = {"that", "which", "who", "whose", "where", "to", "for", "in", "on", "with", "and", "or", "as", "by",
                   "from", "is", "are", "was", "were", "can", "could", "will", "using", "based", "of", "at", "via",
                   "than", "into", "under", "over", "without", "it", "its", "we"}
#: words after a name that do not make it a modifier ("X, which", "the X framework")
_NOT_MODIFIED = frozenset(_FUNCTION_WORDS | _HEADS)
#: a head noun right after a name ("a Gaussian Splatting method")
_HEAD_AFTER = re.compile(r"\s*-?\s*(?:" + "|".join(sorted(_HEADS)) + r")\b", re.I)


#: "the" or "our" right before the name (the gap's last word): "we describe the X ... system"
_DEFINITE_BEFORE = re.compile(r"\b(?:the|our)\s+$", re.I)
#: up to three lower-case words, then a head noun and no further noun: "X spoken document retrieval system"
_SYSTEM_AFTER = re.compile(r"(?:\s+[a-z][a-z-]*){0,3}?\s+(?:" + "|".join(sorted(_HEADS)) + r")s?\b(?!\s*-)"
                           r"(?!\s+(?!(?:" + "|".join(sorted(_FUNCTION_WORDS)) + r")\b)[a-z])")
#: a name-like first word of a mention: "THISL" of "THISL spoken document retrieval system"
_LEADING_NAME = re.compile(r"[\w.+^-]*(?:[a-z][A-Z]|[A-Z]{2}|[A-Z]-[A-Z]|\d)[\w.+^-]*(?=\s)")
#: a description ending in a head noun, then the name in parentheses: "a neural network architecture ("
_DESCRIBED_BEFORE = re.compile(r"\s*(?:a|an|the|our)\s+((?:[\w-]+\s+){0,4}?(?:" + "|".join(sorted(_HEADS))
                               + r"))\s*\(\s*", re.I)
#: the same in a title, any case: "PicSOM Retrieval System", "OMS Rapid Prototyping System"
_TITLE_SYSTEM_AFTER = re.compile(r"(?:\s+(?![Bb]ased\b)[A-Za-z][A-Za-z-]*){0,3}?\s+(?:" + "|".join(sorted(_HEADS)) + r")s?", re.I)
#: the name in apposition to what it is: "X, a ...", "X, an ..."
_APPOSITION_AFTER = re.compile(r",\s+(?:a|an)\s", re.I)


_SENTENCE_END = re.compile(r"(?<!\bet al)(?<!\be\.g)(?<!\bi\.e)\.(?:\s|$)")


def _sentence_window(text: str, start: int, limit: int = 300) -> int:
    """End of the sentence that starts before ``start`` (at most ``limit`` characters on)."""
    end = min(len(text), start + limit)
    m = _SENTENCE_END.search(text[start:end])  # a slice: the look-behinds must not see text before start
    return start + m.start() if m else end


def _whole_words(text: str, start: int, end: int) -> bool:
    """The span is not part of a longer token ("DARTS" inside "D-DARTS")."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "-") and not (after.isalnum() or after == "-")


def _gap_ok(gap: str) -> bool:
    """Only fillers ("a novel", "a new framework,") or what the name is ("a reasoning system") come before it."""
    gap = gap.strip()
    if not gap:
        return True
    if gap.endswith(","):  # apposition: "we present a new system, MIKS"
        gap = gap[:-1]
    elif re.search(r"[,;:()]", gap):
        return False
    words = re.findall(r"[\w-]+", gap.lower())
    if words and words[0] in ("a", "an", "the", "our") and words[-1] in _HEADS and len(words) <= 6 \
            and not set(words) & _FUNCTION_WORDS:
        return True  # the name in apposition to what it is: "a case-based reasoning system TA3"
    return len(words) <= 4 and all(w in _FILLER for w in words) and not (words and words[-1] == "of")


def _used_as_modifier(text: str, end: int) -> bool:
    """The span is followed by a noun it modifies ("the RoboCup context", "an SQL extension").

    A parenthesis after it is looked through, and a hyphen right after it makes a compound
    modifier whatever follows: "Sparse Autoencoder (SAE)-based interpretability", "U-Net-based".
    """
    m = re.match(r"(?:\s*\([^()]{1,40}\))?(\s*)(-?)\s*([A-Za-z][\w-]*)", text[end:end + 80])
    if not m or text[end:end + 1] == ",":
        return False
    return bool(m.group(2) and not m.group(1)) or m.group(3).lower() not in _NOT_MODIFIED


def _introduced_in_sentence(text: str, verb, spans):
    """The mention a "we propose ..." sentence introduces, as ``((start, end, concept), level, rule)`` or None.

    The name must follow the verb with only fillers between ("we propose a novel
    X", "we present a new system, X"); a name followed by a noun it modifies
    ("an SQL extension") or one merely used ("an implementation using WWW") is
    not introduced.  In order: the name right after "called/named/dubbed" (not
    "so-called"); the first name after the verb, replaced by the acronym in
    parentheses that follows it ("the Dense Convolutional Network (DenseNet)").
    Level 2 for a defined acronym or a coined-looking name (DenseNet, AdaPT),
    else level 1 (accepted only when the title names it too).
    """
    w0 = verb.end()
    w1 = _sentence_window(text, w0)
    inside = [sp for sp in spans if sp[0] >= w0 and sp[1] <= w1]
    if not inside:
        return None

    def paren_after(sp):
        for other in inside:
            if other[0] > sp[1] and re.fullmatch(r"\s*\(", text[sp[1]:other[0]]) \
                    and text[other[1]:other[1] + 1] == ")":
                return other
        return None

    called = _CALLED.search(text, w0, w1)
    if called:
        after = [sp for sp in inside if sp[0] >= called.end()]
        if after and re.fullmatch(r"\s*(?:the\s+|a\s+|an\s+)?", text[called.end():after[0][0]], re.I):
            sp = paren_after(after[0]) or after[0]
            return sp, 2, f"we propose ... {called.group(0).lower()} X"
    first = inside[0]
    described = _DESCRIBED_BEFORE.fullmatch(text, w0, first[0])
    if described and text[first[1]:first[1] + 1] == ")" and _NAME_LIKE.search(text[first[0]:first[1]]) \
            and not set(re.findall(r"[a-z-]+", described.group(1).lower())) & _FUNCTION_WORDS:
        return first, 2, "we propose a ... system (X)"  # "The paper presents a neural network architecture (X)"
    if not _gap_ok(text[w0:first[0]]):
        return None
    acronym = paren_after(first)
    if acronym is not None:
        nxt = re.match(r"\)\s*([A-Za-z][\w-]*)", text[acronym[1]:acronym[1] + 40])
        if nxt and nxt.group(1).lower() not in _NOT_MODIFIED:  # "(CNN) architectures: ..."
            return None
        if text[acronym[1] + 1:acronym[1] + 2] == "-":  # "(SAE)-based interpretability"
            return None
        return acronym, 2, "we propose X (Y)"
    if text[first[0] - 1:first[0]] == "(":
        return None
    if _DEFINITE_BEFORE.search(text, w0, first[0]):
        # "we describe the THISL spoken document retrieval system": the name of the system described,
        # a mention of its own or the first word of one ("THISL spoken document retrieval system")
        lead = _LEADING_NAME.match(text, first[0], first[1])
        if lead and _SYSTEM_AFTER.fullmatch(text, lead.end(), first[1]):
            return (first[0], lead.end(), None), 2, "we propose the X ... system"
        if _SYSTEM_AFTER.match(text, first[1], first[1] + 80):
            return first, 2, "we propose the X ... system"
    if _used_as_modifier(text, first[1]):
        return None
    level = 2 if _COINED.match(text[first[0]:first[1]]) else 1
    if level == 1 and _NAME_LIKE.search(text[first[0]:first[1]]) and _APPOSITION_AFTER.match(text, first[1]):
        return first, 2, "we propose X, a ..."  # "This paper presents PESKI, a probabilistic expert system"
    if level == 1 and _HEAD_AFTER.match(text, first[1], first[1] + 40):
        return None  # a plain name before a head noun names a kind: "a Gaussian Splatting method"
    return first, level, "we propose X" if level == 2 else "we propose X, X in title"


#: A name with this many papers or fewer giving the strongest evidence of introducing it is theirs (a
#: series of papers on one system: CMUnited-97, ROL2, PicSOM in CiteSeer); with more it is a name in
#: common use, introduced by none of them.
MAX_INTRODUCERS = 3


def _snippet(text: str, start: int, end: int, limit: int = 160) -> str:
    """The sentence ``text[start:end + 1]`` on one line, cut to ``limit`` characters."""
    snippet = " ".join(text[start:end + 1].split())
    return snippet if len(snippet) <= limit else snippet[:limit - 1] + "…"


#: Concept types a paper can introduce (tasks and metrics are studied, rarely coined); "" = untyped.
INTRODUCIBLE_TYPES = ("method", "architecture", "dataset", "")


def concept_introductions(papers: pd.DataFrame, mentions: pd.DataFrame, concepts: pd.DataFrame, *,
                          max_introducers: int = MAX_INTRODUCERS, types=INTRODUCIBLE_TYPES,
                          max_abstract_share: float = 0.05) -> pd.DataFrame:
    """Which paper introduced which concept, with the evidence (rules in the module docstring).

    Returns
    -------
    DataFrame ``concept_id, label, paper_id, level, rule, evidence`` sorted by
    ``concept_id, paper_id``; level 3 (title names it), 2 (title subject or an
    explicit "we introduce X (Y)" sentence), 1 ("we propose X" with X in the title).
    Only concepts whose ``type`` is in ``types`` (None: any) can be introduced.
    An abstract sentence alone cannot introduce a concept named by more than
    ``max_abstract_share`` of the papers (at least 3): "we develop two novel
    convolutional neural network (CNN) architectures" does not introduce CNNs.

    Examples
    --------
    >>> intro = concept_introductions(papers, mentions, concepts)  # doctest: +SKIP
    >>> intro.loc[intro.label == "U-Net", "evidence"].item()  # doctest: +SKIP
    'title "U-Net: Convolutional Networks for Biomedical Image Segmentation"'
    """
    if types is not None and "type" in concepts:
        concepts = concepts[concepts["type"].fillna("").astype(str).isin(types)]
    lex = concept_lexicon(concepts)
    labels = dict(zip(concepts["concept_id"].astype(str).tolist(), concepts["label"].astype(str).tolist()))
    generic = set(concepts.loc[concepts["generic"].fillna(False).astype(bool), "concept_id"].astype(str)) \
        if "generic" in concepts else set()
    cands = []  # (concept_id, paper_id, level, rule, evidence)
    ids = papers["id"].astype(str).tolist()
    titles = dict(zip(ids, papers["title"].fillna("").astype(str).tolist()))
    abstracts = dict(zip(ids, papers["abstract"].fillna("").astype(str).tolist()))
    aliases = dict(zip(concepts["concept_id"].astype(str).tolist(),
                       concepts["aliases"].tolist() if "aliases" in concepts else [None] * len(concepts)))

    def spelled_as(text: str, cid: str) -> bool:
        """The title writes one of the concept's names, up to case, spaces, hyphens and a plural "s":
        "GRPO++: ..." and "μ-MoE: ..." name new methods, not GRPO or MoE (arXiv-recent)."""
        key = _spelling_key(text)
        return any(isinstance(x, str) and _spelling_key(x) == key
                   for x in [labels[cid], *references.as_list(aliases.get(cid))])

    for pid, title in titles.items():
        t = " ".join(title.split())
        if not t:
            continue
        # a colon, or a dash between spaces ("PicSOM - A Framework for ..."), ends the name part
        head = _TITLE_HEAD_END.split(t, maxsplit=1)[0].strip() if _TITLE_HEAD_END.search(t) else None
        seen = set()
        for text, rule in ((head, "title before colon"), (t, "whole title")):
            if text:
                for cid in lex.get(name_key(_ARTICLE.sub("", text)), []):
                    # a name ("U-Net:", "Densely Connected Convolutional Networks" = DenseNet),
                    # not a research area ("Digital Libraries: ...", "Case-Based Learning: ...")
                    if cid not in seen and (_NAME_LIKE.search(text) or _long_form_of_coined(labels[cid])) \
                            and spelled_as(_ARTICLE.sub("", text), cid):
                        seen.add(cid)
                        cands.append((cid, pid, 3, rule, f'title "{t}"', _ARTICLE.sub("", text)))
        subject = _SUBJECT_STOP.split(_ARTICLE.sub("", head or t), maxsplit=1)[0].strip()
        if _COINED.match(subject):  # "ReZero is All You Need", "SortedNet, a Place for ..."
            for cid in lex.get(name_key(subject), []):
                if cid not in seen and spelled_as(subject, cid):
                    seen.add(cid)
                    cands.append((cid, pid, 2, "title subject", f'title "{t}"', subject))
        # the subject names a system: "The PicSOM Retrieval System: ...", "OMS Rapid Prototyping System for ..."
        lead = _LEADING_NAME.match(subject)
        if lead and _TITLE_SYSTEM_AFTER.fullmatch(subject, lead.end()):
            for cid in lex.get(name_key(lead.group(0)), []):
                if cid not in seen and spelled_as(lead.group(0), cid):
                    seen.add(cid)
                    cands.append((cid, pid, 2, "title subject X ... system", f'title "{t}"', lead.group(0)))

    if mentions is not None and len(mentions):
        field = mentions["field"].to_numpy()
        mention_pids = mentions["paper_id"].astype(str).to_numpy(dtype=object)
        mention_cids = mentions["concept_id"].astype(str).to_numpy(dtype=object)
        n_named = mentions["paper_id"].groupby(mention_cids).nunique().to_dict()
        popular = max(3, int(max_abstract_share * len(papers)))
        in_title = field == "title"
        title_pairs = set(zip(mention_pids[in_title], mention_cids[in_title]))
        # Plain arrays and slices per paper: pandas groupby costs tens of microseconds a group.
        # set look-ups on the plain array: a pandas Series of it becomes Arrow strings, 1 s slower to test
        introducible = {cid for cid in labels if cid not in generic}
        keep = (field == "abstract") & np.fromiter((cid in introducible for cid in mention_cids), bool,
                                                   count=len(mention_cids))
        pids, cids = mention_pids[keep], mention_cids[keep]
        starts = mentions["start"].to_numpy()[keep].astype(np.int64)
        ends = mentions["end"].to_numpy()[keep].astype(np.int64)
        codes, unique_pids = pd.factorize(pids, sort=True)
        order = np.lexsort((starts, codes))  # stable: same start keeps the mentions' order
        bounds = np.searchsorted(codes[order], np.arange(len(unique_pids) + 1))
        starts, ends, cids = starts[order].tolist(), ends[order].tolist(), cids[order].tolist()
        for k, pid in enumerate(unique_pids):
            text = abstracts.get(pid, "")
            verbs = list(_PROPOSE.finditer(text))
            if not verbs:
                continue
            lo, hi = bounds[k], bounds[k + 1]
            spans = [(a, b, c) for a, b, c in zip(starts[lo:hi], ends[lo:hi], cids[lo:hi])
                     if _whole_words(text, a, b)]
            for verb in verbs:
                found = _introduced_in_sentence(text, verb, spans)
                if found is None:
                    continue
                (a, b, cid), level, rule = found
                if cid is None:  # the first word of a mention: the concept of that name
                    cid = next((c for c in lex.get(name_key(text[a:b]), []) if c in introducible), None)
                    if cid is None:
                        continue
                if n_named.get(cid, 0) > popular:
                    continue
                if level == 1 and not ((pid, cid) in title_pairs
                                       or name_key(labels[cid]) in name_key(titles.get(pid, ""))):
                    continue
                cands.append((cid, pid, level, rule,
                              f'abstract "{_snippet(text, verb.start(), _sentence_window(text, verb.end()))}"',
                              text[a:b]))

    cols = ["concept_id", "label", "paper_id", "level", "rule", "evidence", "name"]
    if not cands:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(cands, columns=["concept_id", "paper_id", "level", "rule", "evidence", "surface"])
    df = df[~df["concept_id"].isin(generic)]
    # only a coined name is an introduction: the name as the paper writes it, else the concept's label or alias
    df["name"] = [next((x.strip() for x in [surface, labels[cid], *references.as_list(aliases.get(cid))]
                        if isinstance(x, str) and is_coined(x)), "")
                  for cid, surface in zip(df["concept_id"], df["surface"])]
    df = df[df["name"] != ""]
    df = df.sort_values(["concept_id", "paper_id", "level"], ascending=[True, True, False])
    df = df.drop_duplicates(["concept_id", "paper_id"])
    best = df.groupby("concept_id")["level"].transform("max")
    df = df[df["level"] == best]
    n = df.groupby("concept_id")["paper_id"].transform("nunique")
    df = df[n <= max_introducers].copy()
    df["label"] = df["concept_id"].map(labels)
    return df[cols].sort_values(["concept_id", "paper_id"]).reset_index(drop=True)


_TOKEN_SPLIT = re.compile(r"[\s\-/]+")


def _named_concepts(mentions: pd.DataFrame, concepts: pd.DataFrame, wanted: set) -> pd.DataFrame:
    """``paper_id, concept_id, field, via``: papers naming each wanted concept.

    A paper names a concept when it mentions it, or when one of its mentions
    contains the concept's name or alias as whole words ("U-Net architecture" and
    "CNN-based U-Net models" name U-Net; "nnU-Net" does not).  Names shorter
    than 3 letters/digits only count as whole mentions.
    """
    m = mentions[["paper_id", "concept_id", "field", "text"]].copy() if "text" in mentions else \
        mentions[["paper_id", "concept_id", "field"]].assign(text="")
    m["paper_id"] = m["paper_id"].astype(str)
    m["concept_id"] = m["concept_id"].astype(str)
    m["text"] = m["text"].fillna("").astype(str)
    direct = m[m["concept_id"].isin(wanted)].assign(via="")
    keys: dict[str, set] = defaultdict(set)
    sub = concepts[concepts["concept_id"].astype(str).isin(wanted)]
    aliases = sub["aliases"].tolist() if "aliases" in sub else [None] * len(sub)
    for cid, label, al in zip(sub["concept_id"].astype(str), sub["label"], aliases):
        for name in [label, *references.as_list(al)]:
            k = name_key(name) if isinstance(name, str) else ""
            if len(k) >= 3:
                keys[k].add(cid)
    # the key of words joined by spaces is their folds concatenated, the plural rule applied: each key
    # is looked up as written and with the plural "s" that the rule drops
    by_fold = {fold: cids for k, cids in keys.items() for fold in (k, k + "s") if _drop_plural(fold) == k}
    hits = []
    if keys:
        folded: dict[str, str] = {}  # a word's fold, computed once for all the mentions holding it
        for text in m["text"].unique().tolist():
            folds = [folded[t] if t in folded else folded.setdefault(t, _fold(t))
                     for t in _TOKEN_SPLIT.split(text) if t]
            found = set()
            for i in range(len(folds)):
                joined = ""
                for fold in folds[i:i + 6]:
                    joined += fold
                    if joined in by_fold:
                        found.update(by_fold[joined])
            for cid in found:
                hits.append((text, cid))
    if hits:
        h = pd.DataFrame(hits, columns=["text", "hit"])
        inner = m.merge(h, on="text")
        inner = inner[inner["hit"] != inner["concept_id"]]
        inner = inner.assign(concept_id=inner["hit"], via=[f', as "{t}"' for t in inner["text"]])
        allm = pd.concat([direct, inner[direct.columns]], ignore_index=True)
    else:
        allm = direct
    if len(allm) == 0:
        return pd.DataFrame(columns=["paper_id", "concept_id", "field", "via"])
    allm = allm.sort_values(["paper_id", "concept_id", "via", "field"])
    # one row per (paper, concept): its fields, title first, and the first "via"; a loop over the
    # sorted rows, as a pandas aggregation with a Python function took 4 s on 50,000 papers
    rows: list[list] = []
    for pid, cid, fld, via in zip(allm["paper_id"].tolist(), allm["concept_id"].tolist(), allm["field"].tolist(),
                                  allm["via"].tolist()):
        if rows and rows[-1][0] == pid and rows[-1][1] == cid:
            rows[-1][2].add(fld)
        else:
            rows.append([pid, cid, {fld}, via])
    for row in rows:
        row[2] = "+".join(sorted(row[2], key=lambda f: (f != "title", f)))
    return pd.DataFrame(rows, columns=["paper_id", "concept_id", "field", "via"])


def _written_at(text: str, name: str):
    """Where ``text`` writes the coined ``name``: case-sensitive, a whole word, a plural "s" allowed.

    Yields ``(start, end)``, ``end`` after the plural "s" if any.  Whole word: not after a letter,
    digit, "_" or "-" ("nnU-Net" holds no "U-Net", "D-DARTS" no "DARTS"), not before a letter or
    digit ("U-Net-based" and "DenseNets" count).  Substring search and a look at the characters
    around each hit: one regular expression per concept took 8 s to compile and most of 27 s to
    search on 50,000 papers.
    """
    at = text.find(name)
    while at >= 0:
        before = text[at - 1] if at else " "
        if not (before.isalnum() or before in "_-"):
            end = at + len(name)
            if not text[end:end + 1].isalnum():
                yield at, end
            elif text[end] == "s" and not text[end + 1:end + 2].isalnum():
                yield at, end + 1
        at = text.find(name, at + 1)


def _writes(text: str, names) -> bool:
    """``text`` writes one of the coined ``names`` (:func:`_written_at`)."""
    return any(next(_written_at(text, name), None) is not None for name in names)


def _dated_earlier(papers: pd.DataFrame, a: pd.Series, b: pd.Series) -> np.ndarray:
    """For paper id pairs ``a[k], b[k]``: is ``a`` dated before ``b``?  By the ``date`` columns (ISO
    strings) when both papers have one, else by ``year``; False when either is unknown."""
    ids = papers["id"].astype(str)
    earlier = np.zeros(len(a), dtype=bool)
    if "year" in papers:
        years = dict(zip(ids, pd.to_numeric(papers["year"], errors="coerce").to_numpy(dtype=float)))
        earlier = (a.map(years) < b.map(years)).to_numpy(dtype=bool)
    if "date" in papers:
        dates = dict(zip(ids, pd.to_datetime(papers["date"], format="%Y-%m-%d", errors="coerce")))
        da, db = a.map(dates), b.map(dates)
        both = (da.notna() & db.notna()).to_numpy(dtype=bool)
        earlier = np.where(both, (da < db).to_numpy(dtype=bool), earlier)
    return earlier


def inferred_citations(papers: pd.DataFrame, mentions: pd.DataFrame, concepts: pd.DataFrame, *,
                       introductions: pd.DataFrame | None = None, max_introducers: int = MAX_INTRODUCERS,
                       max_earlier_users: int = 2, max_citers: int | None = None) -> pd.DataFrame:
    """Inferred citations: A → B when A writes a coined name that B introduced.

    A candidate citer is a paper naming the concept (:func:`concept_introductions` gives
    the introducers); it counts only when its title or abstract contains one of the
    concept's coined names *as written* (case-sensitive, whole word: "VISION" is not
    "vision", "nnU-Net" is not "U-Net").  An introduction is dropped when more than
    ``max_earlier_users`` earlier papers already wrote the name.  A paper cites no later
    paper: by their ``date`` columns (ISO dates) when both papers have one, else by year.  No paper receives more than ``max_citers`` inferred citations (None:
    1 % of the papers, at least 10): citers that write the name in their title first, then
    by id; the cut is reported.

    Returns
    -------
    DataFrame ``citing, cited, kind ("inferred-citation"), evidence, concepts, level``,
    one row per pair (several concepts joined; ``level`` the strongest introduction's,
    :func:`concept_introductions`), sorted by ``citing, cited``.
    ``attrs["report"]``: edges, the cap, papers capped, edges dropped by the cap and
    the in-degree distribution (``{in-degree: papers}``).

    Examples
    --------
    >>> inf = inferred_citations(papers, mentions, concepts)  # doctest: +SKIP
    >>> inf[inf.cited == unet_id].citing.tolist()  # papers writing "U-Net"  # doctest: +SKIP
    """
    cols = ["citing", "cited", "kind", "evidence", "concepts", "level"]
    cap = max(10, math.ceil(0.01 * len(papers))) if max_citers is None else max_citers

    def empty(**extra):
        out = pd.DataFrame(columns=cols)
        out.attrs["report"] = {"edges": 0, "max_citers": cap, "papers_capped": 0, "edges_dropped_by_cap": 0,
                               "in_degree": {}, **extra}
        return out

    if introductions is None:
        introductions = concept_introductions(papers, mentions, concepts, max_introducers=max_introducers)
    if introductions is None or len(introductions) == 0 or mentions is None or len(mentions) == 0:
        return empty()
    named = _named_concepts(mentions, concepts, set(introductions["concept_id"]))
    pairs = named.merge(introductions.rename(columns={"paper_id": "cited"}), on="concept_id")
    pairs = pairs.rename(columns={"paper_id": "citing"})
    # the concept's coined names: the introducer's, its label's and aliases' that look coined
    sub = concepts[concepts["concept_id"].astype(str).isin(set(introductions["concept_id"]))]
    coined: dict[str, set] = defaultdict(set)
    for cid, label, al in zip(sub["concept_id"].astype(str), sub["label"],
                              sub["aliases"] if "aliases" in sub else [None] * len(sub)):
        coined[cid].update(x.strip() for x in [label, *references.as_list(al)] if isinstance(x, str) and is_coined(x))
    for cid, name in zip(introductions["concept_id"], introductions["name"]):
        coined[cid].add(name)
    texts = dict(zip(papers["id"].astype(str), (papers["title"].fillna("").astype(str) + "\n"
                                                  + papers["abstract"].fillna("").astype(str))))
    written = np.array([_writes(texts.get(p, ""), coined[c]) for p, c in zip(pairs["citing"], pairs["concept_id"])],
                       dtype=bool)
    pairs = pairs[written]
    if "year" in papers or "date" in papers:
        earlier = _dated_earlier(papers, pairs["citing"], pairs["cited"])
        # a name many earlier papers wrote was not coined by this one
        used_before = pd.Series(earlier).groupby(pairs["concept_id"].to_numpy()).sum()
        stale = set(used_before[used_before > max_earlier_users].index)
        pairs = pairs[~earlier & ~pairs["concept_id"].isin(stale).to_numpy()]
    pairs = pairs[pairs["citing"] != pairs["cited"]]
    # a co-introducer of the same concept, or of a concept of the same name, does not cite the other for it
    co = set(zip(introductions["concept_id"], introductions["paper_id"]))
    co_names = {(name_key(n), p) for n, p in zip(introductions["name"], introductions["paper_id"])}
    # A boolean array, not a list: an empty list would select no *columns*.
    pairs = pairs[np.array([(c, p) not in co and (name_key(n), p) not in co_names
                            for c, n, p in zip(pairs["concept_id"], pairs["name"], pairs["citing"])], dtype=bool)]
    if len(pairs) == 0:
        return empty()
    pairs = pairs.assign(phrase=[f'writes "{name}" ({fld}{via}); introduced by {cited}: {rule}, {ev}'
                                 for name, fld, via, cited, rule, ev in
                                 zip(pairs["name"], pairs["field"], pairs["via"], pairs["cited"], pairs["rule"],
                                     pairs["evidence"])])
    pairs = pairs.sort_values(["citing", "cited", "level", "label"], ascending=[True, True, False, True])
    out = pairs.groupby(["citing", "cited"], sort=True).agg(
        evidence=("phrase", " ; ".join), concepts=("label", lambda s: "; ".join(dict.fromkeys(s))),
        level=("level", "max"),
        in_title=("field", lambda f: any(x.startswith("title") for x in f))).reset_index()
    # the in-degree cap: citers naming it in their title first, then by id
    out = out.sort_values(["cited", "in_title", "citing"], ascending=[True, False, True])
    rank = out.groupby("cited").cumcount()
    indeg = out.groupby("cited")["citing"].transform("size")
    dropped = int((rank >= cap).sum())
    capped = int(out.loc[indeg > cap, "cited"].nunique())
    out = out[(rank < cap).to_numpy()].sort_values(["citing", "cited"]).reset_index(drop=True)
    out["kind"] = "inferred-citation"
    out = out[cols]
    distribution = out["cited"].value_counts().value_counts().sort_index()
    out.attrs["report"] = {"edges": int(len(out)), "max_citers": cap, "papers_capped": capped,
                           "edges_dropped_by_cap": dropped,
                           "in_degree": {int(k): int(v) for k, v in distribution.items()}}
    return out


def citation_table(papers: pd.DataFrame, mentions: pd.DataFrame | None = None,
                   concepts: pd.DataFrame | None = None, *, infer: bool = True,
                   max_introducers: int = MAX_INTRODUCERS) -> pd.DataFrame:
    """All citations, explicit and (optionally) inferred: ``citing, cited, kind, evidence``.

    An explicitly cited pair is not repeated as inferred; its inferred evidence is appended.
    """
    explicit = match_references(papers)
    frames = [explicit[["citing", "cited", "kind", "evidence"]]]
    if infer and mentions is not None and concepts is not None:
        inf = inferred_citations(papers, mentions, concepts, max_introducers=max_introducers)
        if len(inf):
            known = set(zip(explicit["citing"], explicit["cited"]))
            dup = [(a, b) in known for a, b in zip(inf["citing"], inf["cited"])]
            frames.append(inf.loc[[not d for d in dup], ["citing", "cited", "kind", "evidence"]])
    df = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) \
        else pd.DataFrame(columns=["citing", "cited", "kind", "evidence"])
    df = df.sort_values(["citing", "cited"]).reset_index(drop=True)
    df.attrs["per_paper"] = explicit.attrs.get("per_paper", {})
    return df


def citation_graph(papers: pd.DataFrame, citations: pd.DataFrame) -> nx.DiGraph:
    """Directed citation graph citing → cited over all corpus papers.

    Node attributes: ``kind="paper"``, ``label``, ``year`` when known.  Edge
    attributes: ``kind`` ("citation" | "inferred-citation"), ``evidence``, ``weight`` (1.0).

    >>> D = citation_graph(papers, citation_table(papers))  # doctest: +SKIP
    """
    from .build import paper_label

    D = nx.DiGraph(name="citations")
    n = len(papers)
    titles = papers["title"].tolist() if "title" in papers else [""] * n
    abstracts = papers["abstract"].tolist() if "abstract" in papers else [""] * n
    years = papers["year"].tolist() if "year" in papers else [None] * n
    nodes = []
    for pid, title, abstract, y in zip(papers["id"].astype(str).tolist(), titles, abstracts, years):
        attrs = {"kind": "paper", "label": paper_label(title, abstract)}
        if y is not None and not pd.isna(y):
            attrs["year"] = int(y)
        nodes.append((pid, attrs))
    D.add_nodes_from(nodes)
    for row in citations.itertuples(index=False):
        if row.citing in D and row.cited in D and row.citing != row.cited:
            D.add_edge(row.citing, row.cited, kind=row.kind, evidence=str(row.evidence or ""), weight=1.0)
    return D
