"""The concept-extraction pipeline: build it, run it over a papers table.

The default pipeline is ``spacy.blank("en")`` followed by the components of
:mod:`conceptgraph.extract.components`::

    cg_lexicon -> cg_abbreviations -> cg_names -> cg_chunks -> cg_normalize

Title and abstract are processed as one document (``title + "\\n\\n" + abstract``)
so the title gives context, and every mention is reported with its field and
offsets into that field. A corpus pass then resolves short forms used without
their long form ("DARTS" where another abstract defined it) and merges concept
ids that differ only by separators ("dense-net" / "densenet").

Examples
--------
>>> import pandas as pd
>>> from conceptgraph.extract.nlp import build_nlp, extract_mentions
>>> papers = pd.DataFrame({"id": ["p1"], "title": [""], "lang": ["en"],
...                        "abstract": ["We train a ResNet on CIFAR-10."]})
>>> mentions, concepts = extract_mentions(papers)
>>> mentions[["text", "type", "concept_id"]].values.tolist()
[['ResNet', 'architecture', 'resnet'], ['CIFAR-10', 'dataset', 'cifar-10']]
"""
from __future__ import annotations

import re
from operator import itemgetter
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from . import components  # noqa: F401 - registers the cg_* factories
from .components._resources import Lexicon, norm_key
from .components._tokens import BATCH_SIZE, TEXT_KEY
from .components.normalize import DEFINITIONS_KEY, MENTIONS_KEY

from .corpus_pass import CONCEPT_COLUMNS, MENTION_COLUMNS, CorpusPass, RawChunk
ROW_COLUMNS = (*MENTION_COLUMNS, "how")
COMPONENTS = ("cg_lexicon", "cg_abbreviations", "cg_names", "cg_chunks", "cg_normalize")
_SEP = "\n\n"
TOKENIZER_CACHE = 100_000
MODEL_BATCH_SIZE = 256


def build_nlp(model: str | None = None, lexicon_paths=(), disable=(), lemmatizer: bool = False) -> Language:
    """Build the extraction pipeline.

    Parameters
    ----------
    model : name of an installed spaCy package (e.g. ``"en_core_web_sm"``) whose tagger
        and parser supply noun chunks; None for ``spacy.blank("en")`` with its tokenizer
        adapted to abstracts (see :func:`_scientific_tokenizer`). Nothing is downloaded.
    lexicon_paths : extra lexicon files (``.jsonl`` or ``.tsv``, see ``extract/data/README.md``).
    disable : names of ``cg_*`` components to leave out (``cg_normalize`` always runs).
    lemmatizer : add spaCy's lookup lemmatizer (spacy-lookups-data, offline) so that
        ``token.lemma_`` is set. Off by default: it more than halves throughput (measured
        here: blank tokenizer 3,700 abstracts/s, with the lookup lemmatizer 1,500/s) and the
        components do not need it, as they singularise only the words of mentions and read
        the spacy-lookups-data tables (word frequencies, verb index) directly.

    Returns
    -------
    spacy.Language : ``nlp.batch_size``, the batch ``nlp.pipe`` uses by default, is
        :data:`BATCH_SIZE` (8) for the blank pipeline and 256 with a model.

    Examples
    --------
    >>> nlp = build_nlp(disable=["cg_chunks"])
    >>> nlp.pipe_names
    ['cg_lexicon', 'cg_abbreviations', 'cg_names', 'cg_normalize']
    """
    if model:
        if not spacy.util.is_package(model) and not Path(model).exists():
            raise ValueError(f"spaCy model {model!r} is not installed (nothing is downloaded): install the "
                             "package yourself, or leave model=None for the blank English pipeline")
        nlp = spacy.load(model, exclude=["ner", "textcat", "entity_ruler", "entity_linker"])
    else:
        nlp = spacy.blank("en")
        _scientific_tokenizer(nlp)
    # spaCy caches the tokenisation of 10,000 space-separated chunks by default; the
    # vocabulary of a few thousand abstracts is larger, and every uncached chunk goes
    # through the prefix/suffix/infix regexes again. 100,000 entries cost about 10 MB.
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE
    # nlp.pipe's default batch: small for the rule components (see BATCH_SIZE); a tagger
    # and parser work better on larger batches.
    nlp.batch_size = MODEL_BATCH_SIZE if model else BATCH_SIZE
    if lemmatizer and "lemmatizer" not in nlp.pipe_names:
        # Initialise only this component: nlp.initialize() would reset a loaded model's weights.
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"}).initialize()
    unknown = set(disable) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"unknown components to disable: {sorted(unknown)}; choose from {COMPONENTS}")
    paths = [str(p) for p in lexicon_paths]
    sources = [k for k in ("cg_lexicon", "cg_names", "cg_chunks") if k not in disable]
    configs = {"cg_lexicon": {"lexicon_paths": paths},
               "cg_normalize": {"lexicon_paths": paths, "sources": sources}}
    for name in COMPONENTS:
        if name not in disable or name == "cg_normalize":
            nlp.add_pipe(name, config=configs.get(name, {}))
    return nlp


# A LaTeX command opening a group, split off what it marks up: "\\textbf{KC-MMBench}" names KC-MMBench.
_LATEX_COMMAND = r"\\[A-Za-z]+\{"
# An exception kept as one token: letters, digits, apostrophes, periods, slashes ("e.g.", "'s").
_WORD_LIKE = re.compile(r"[\w'’‘./]*[^\W\d_][\w'’‘./]*|['’‘]+")


def _scientific_tokenizer(nlp: Language) -> None:
    """Adapt the English tokenizer of the blank pipeline to abstracts.

    * A LaTeX command opening a group is a prefix ("\\textbf{KC-MMBench}", "\\emph{X}"), so the
      name it marks up is a token of its own.
    * "ImageNet-1K", "JFT-300M" stay whole: English splits unit suffixes (1 K, 300 M) off
      numbers. A sentence-final period after such a name is split off ("ImageNet-1K."), as after
      a mixed-case name ("ViT.").
    * spaCy's English exceptions hold 366 strings with punctuation in them ("e.g.", "'s",
      ":)", "8)", "):"), which spaCy looks for in an extra pass over every document, and one of
      which in a document stops the tokenizer from caching any later word of it (spaCy keeps no
      cache entry after a special case): on abstracts, tokenising cost half as much again. They
      are taken out of the exceptions. The word-like ones ("e.g.", "Ph.D.", "'s", "and/or")
      stay one token by ``token_match`` and, for a period, by suffix rules that do not split it
      off them; the emoticons are split, which is right for scientific text ("(AdaPT):" gave
      "):", hiding the parenthesis of a definition).
    """
    tokenizer = nlp.tokenizer
    # "''" (a LaTeX closing quote) is one suffix, as the exception made it; "ImageNet-1K." loses its period.
    # "VAoI.", "ViT." at a sentence end lose their period too: English keeps it after a capital
    # (for "U.S."), which glued "VAoI. Leveraging ..." into one phrase.
    suffixes = ["''", "’’", *(s for s in nlp.Defaults.suffixes if "km|km²" not in s), r"(?<=\d[A-Za-z])\.",
                r"(?<=[a-z][A-Z])\."]
    splits_suffix = spacy.util.compile_suffix_regex(suffixes).search
    rules = tokenizer.rules
    # The exceptions of the extra pass: those with an affix or a space (spaCy's own test).
    affixed = {text for text in rules if " " in text or tokenizer.find_prefix(text)
               or tokenizer.find_infix(text) or splits_suffix(text)}
    whole = sorted(text for text in affixed if len(rules[text]) == 1 and _WORD_LIKE.fullmatch(text))
    by_length: dict[int, list[str]] = {}
    for text in whole:
        if text.endswith("."):
            by_length.setdefault(len(text) - 1, []).append(re.escape(text[:-1]))
    # A period is no suffix of an abbreviation: "(e.g." loses its prefix and suffix in one step,
    # before token_match sees "e.g.". One fixed-width look-behind per length.
    guard = "".join(f"(?<!^(?:{'|'.join(words)}))" for words in by_length.values())
    suffixes = [s[:-2] + guard + s[-2:] if s.endswith(r"\.") else s for s in suffixes]
    # A new tokenizer loads its exceptions once; each setter of the old one reloads them all.
    nlp.tokenizer = Tokenizer(
        nlp.vocab, rules={text: tokens for text, tokens in rules.items() if text not in affixed},
        prefix_search=spacy.util.compile_prefix_regex([_LATEX_COMMAND, *nlp.Defaults.prefixes]).search,
        suffix_search=spacy.util.compile_suffix_regex(suffixes).search,
        infix_finditer=tokenizer.infix_finditer, url_match=tokenizer.url_match,
        token_match=re.compile("(?:" + "|".join(map(re.escape, whole)) + ")$").match if whole else None)


# Characters outside Latin, Greek and common punctuation/symbol blocks (CJK, kana, Hangul, ...).
_NON_LATIN = re.compile(r"[^\x00-\u024F\u0370-\u03FF\u2000-\u206F\u2190-\u22FF]")


def latin_script_only(text: str) -> str:
    """Blank out non-Latin script, one space per character, so offsets stay valid.

    A Chinese abstract still names methods in Latin script ("随机梯度下降(SGD)");
    the English tokenizer cannot split those names from the surrounding Han
    characters, which carry no spaces.

    >>> latin_script_only("正交递归拟合(ORFIT)算法")
    '      (ORFIT)  '
    """
    return _NON_LATIN.sub(" ", text)


# A line break inside a paragraph: the tokenizer makes it a token of its own, which would cut
# every phrase and name running across a hard-wrapped line ("deep\nlearning").
_WRAP = re.compile(r"(?<![\n\r])[ \t]*\n(?![\n\r])")


def unwrapped(text: str) -> str:
    """Lone line breaks (hard-wrapped lines) as spaces, so offsets stay valid; blank lines stay.

    >>> unwrapped("deep\\nlearning\\n\\nNext paragraph")
    'deep learning\\n\\nNext paragraph'
    """
    # Most documents have only the blank line after the title: a lone break survives removing
    # the "\n\n" pairs, so without one the regular expression need not scan the text.
    if "\n" not in text or "\n" not in text.replace("\n\n", ""):
        return text
    return _WRAP.sub(lambda m: " " * len(m.group()), text)


def document_text(title: str, abstract: str) -> str:
    """The text the pipeline reads for one paper: title and abstract, or the abstract alone.

    >>> document_text("DARTS", "We search."), document_text("", "We search.")
    ('DARTS\\n\\nWe search.', 'We search.')
    """
    return title + _SEP + abstract if title else abstract


_TITLE_LINE_MAX = 300


def title_line_end(text: str, abstract_start: int) -> int:
    """Where the title part of a document ends: the title's end, or that of a title line
    the abstract itself starts with (many exports repeat the title there, "Title\n\nAbstract").

    A title line is at most 300 characters, ends without a period and is followed by a
    blank line. Capitalised words there are Title Case, not names.

    >>> title_line_end("A Title\\n\\nA Title\\n\\nWe train.", 9), title_line_end("We train.\\n\\nMore.", 0)
    (16, 0)
    """
    end = max(abstract_start - len(_SEP), 0)
    line_end = text.find(_SEP, abstract_start, abstract_start + _TITLE_LINE_MAX)
    if line_end > abstract_start and text[line_end - 1] not in ".!?:" \
            and "\n" not in text[abstract_start:line_end]:
        return line_end
    return end


def _docs(papers: pd.DataFrame, nlp: Language, batch_size: int | None):
    """Yield (paper_id, title, text, doc) for every paper with an abstract.

    ``text`` is :func:`document_text` of the paper, as the input has it; ``doc`` is made
    from it with non-Latin script blanked out (same offsets).

    Documents are tokenised here so that ``doc.user_data["cg_title_tokens"]`` can
    tell the components where the title ends before the pipeline runs.
    """
    def docs():
        cols = [papers[c].tolist() for c in ("id", "title", "abstract", "lang")]  # fast iteration
        for pid, title, abstract, lang in zip(*cols):
            if not isinstance(abstract, str):
                continue
            title = title if isinstance(title, str) else ""
            text = document_text(title, abstract)
            read = unwrapped(latin_script_only(text) if lang != "en" else text)
            doc = nlp.make_doc(read)
            doc.user_data[TEXT_KEY] = read
            head = title_line_end(text, len(title) + len(_SEP) if title else 0)
            if head:
                sep = doc.char_span(head, head + len(_SEP), alignment_mode="expand")
                doc.user_data["cg_title_tokens"] = sep.start if sep is not None else 0
            yield doc, (str(pid), title, text)

    for doc, (pid, title, text) in nlp.pipe(docs(), as_tuples=True, batch_size=batch_size):
        yield pid, title, text, doc


def iter_mentions(papers: pd.DataFrame, nlp: Language | None = None, batch_size: int | None = None
                  ) -> Iterator[tuple[str, list[tuple], list[tuple[str, str]]]]:
    """Stream mentions paper by paper, before the corpus pass.

    Yields
    ------
    (paper_id, mentions, definitions) : ``mentions`` are tuples in the order of
        :data:`ROW_COLUMNS` (the :data:`MENTION_COLUMNS` plus ``how``: ``lexicon``,
        ``abbrev`` or ``slug``); ``definitions`` are the paper's (short form, concept id) pairs.

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"id": ["p"], "title": ["T"], "abstract": ["Adam works."], "lang": ["en"]})
    >>> [dict(zip(ROW_COLUMNS, m))["concept_id"] for _, ms, _ in iter_mentions(papers) for m in ms]
    ['adam']
    """
    nlp = nlp or build_nlp()
    for pid, title, text, doc in _docs(papers, nlp, batch_size):
        offset = len(title) + len(_SEP) if title else 0
        mentions = []
        for start, end, typ, cid, how, _tok_start, _tok_end in doc.user_data[MENTIONS_KEY]:
            if start >= offset:
                mentions.append((pid, "abstract", start - offset, end - offset, text[start:end], typ, cid, how))
            elif end <= len(title):
                mentions.append((pid, "title", start, end, text[start:end], typ, cid, how))
            # else: a span across the separator, impossible (the separator is whitespace)
        yield pid, mentions, doc.user_data.get(DEFINITIONS_KEY, [])


def extract_mentions(papers: pd.DataFrame, nlp: Language | None = None, batch_size: int | None = None
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Typed concept mentions of a papers table, and the concepts they refer to.

    Parameters
    ----------
    papers : DataFrame with ``id``, ``title`` ("" when none), ``abstract``, ``lang``;
        non-English papers are read for the Latin-script names they contain.
    nlp : pipeline from :func:`build_nlp` (built with defaults when None).
    batch_size : documents per ``nlp.pipe`` batch (None: ``nlp.batch_size``, see :func:`build_nlp`).

    Returns
    -------
    mentions : DataFrame ``paper_id, field, start, end, text, type, concept_id``, where
        ``papers[field][start:end] == text``; sorted by paper, field, start, end.
    concepts : DataFrame ``concept_id, label, type, aliases, generic, n_papers, n_mentions``,
        one row per concept that occurs; sorted by concept_id.

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"id": ["a", "b"], "title": ["", ""], "lang": ["en", "en"], "abstract": [
    ...     "Our Frobnicated Search Method (FSM) is fast.", "We improve FSM."]})
    >>> m, c = extract_mentions(papers)
    >>> sorted(set(m.concept_id))
    ['frobnicated-search-method']
    """
    nlp = nlp or build_nlp()
    chunk = raw_chunk(papers, nlp, batch_size)
    corpus = CorpusPass(_lexicon_of(nlp))
    corpus.add(chunk)
    mentions = corpus.finish_chunk(chunk)
    return mentions, corpus.concepts()


def raw_chunk(papers: pd.DataFrame, nlp: Language, batch_size: int | None = None) -> RawChunk:
    """The mentions of some papers before the corpus step, as columns (see :class:`RawChunk`)."""
    rows: list[tuple] = []
    defs: dict[tuple[str, str], int] = {}
    # The mentions are read from doc.user_data; building the doc.spans views as well
    # (Span objects, span groups) would cost a quarter of the components' time, so
    # they are switched off for the run.
    writers = {proc: proc.write_spans for _name, proc in nlp.pipeline if getattr(proc, "write_spans", False)}
    for proc in writers:
        proc.write_spans = False
    try:
        for _pid, mentions, definitions in iter_mentions(papers, nlp, batch_size):
            rows.extend(mentions)
            for short, cid in definitions:
                key = (norm_key(short), cid)
                defs[key] = defs.get(key, 0) + 1
    finally:
        for proc, write_spans in writers.items():
            proc.write_spans = write_spans
    # Column by column with itemgetter: zip(*rows) over some 10^5 rows is three times slower.
    columns = [list(map(itemgetter(k), rows)) for k in range(len(ROW_COLUMNS))]
    # Arrow arrays straight from the tuples: pandas' own conversion checks every string first.
    raw = pd.DataFrame({c: np.array(values, dtype=np.int64) if c in ("start", "end")
                        else pd.array(pa.array(values, type=pa.large_string()), dtype="str")
                        for c, values in zip(ROW_COLUMNS, columns)})
    # The short-form key of each slug mention, for the corpus step (made here, in parallel).
    is_slug = (raw["how"] == "slug").to_numpy()
    keys = pd.Series("", index=raw.index, dtype=raw["text"].dtype if len(raw) else "str")
    if is_slug.any():
        keys[is_slug] = CorpusPass._slug_keys(raw, is_slug).to_numpy()
    raw["key"] = keys
    return RawChunk(raw, defs, len(papers))


def _lexicon_of(nlp: Language) -> Lexicon:
    if "cg_normalize" in nlp.pipe_names:
        return nlp.get_pipe("cg_normalize").lexicon
    return Lexicon.load()
