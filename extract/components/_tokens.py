"""Per-word features for the heuristic components, computed once per vocabulary entry.

A blank spaCy pipeline has no tagger, so the name finder and the chunker classify
tokens by shape and word lists. The classification depends only on the token's
text, so it is cached by the token's ``orth`` hash: an abstract then costs one dict
lookup per token rather than string tests and regexes per token.

The module also holds what every ``cg_*`` component shares: the candidate lists in
``doc.user_data`` (:func:`put_candidates`, :func:`release`) and batch-wise
``pipe`` (:class:`BatchedComponent`).

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("en")
>>> table = TokenTable()
>>> infos, spaces = table.infos(nlp("a DenseNet-based model."))
>>> [i.kind for i in infos], list(spaces)
([0, 2, 1, 0, 2, 0], [1, 0, 0, 1, 0, 0])
"""
from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
from spacy.attrs import IDX, ORTH, SPACY
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Span
from spacy.util import minibatch

from ._resources import common_words, heads, left_trimmed_words, pattern_list, singular, verb_only_words, verb_words

BOUNDARY, HYPHEN, WORD, NUMBER = 0, 1, 2, 3
_KEY = "cg_token_infos"
_ARRAY_ATTRS = [ORTH, SPACY, IDX]
# The text the doc was made from, set by whoever made it: ``doc.text`` rebuilds the
# string from the tokens, which costs about half as much as tokenising it.
TEXT_KEY = "cg_text"
ARCH_SUFFIXES = ("net", "nets", "former", "formers")  # how architecture names end: AlexNet, Reformer
_NAMING_VERBS = frozenset({"called", "named", "dubbed", "termed", "coined", "nicknamed"})

# A name has two capitals, a lower-then-upper change, or letters next to digits.
_NAME_SHAPE = re.compile(r"^(?=.*[A-Za-z])(?:.*[A-Z].*[A-Z]|.*[a-z].*[A-Z]|.*[A-Za-z].*\d|.*\d.*[A-Za-z])")
_NAME_CHARS = re.compile(r"^[A-Za-z0-9][\w.^+’'\-]*$")
# Quantities and ordinals look digit-bearing but are not names: 10K, 3x3, 4th, 1.5M, 32x4d.
# Also sizes and ranges of model sizes: 1B+, 0.22dB, 1.8k+, 2x14B, 1B-72B.
_QUANTITY = re.compile(r"^(?:\d+(?:[.,]\d+)?(?:[kKmMbBtTxX%]|th|st|nd|rd|ms|s|h|dB|Hz|kHz|pp|pt|pts|[KMGT]B|[KMGT]?FLOPs?|fps"
                       r"|x\d+(?:\.\d+)?[a-zA-Z]?)?\+?(?:[-–~]|$))+$")
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$|[A-Za-z]\.[A-Z]")  # U.S., e.g., W.Xiong
# Lowercase words with digits are names when long and year-free ("word2vec", "text8");
# short ones or ones with a year are labels and citation keys ("aff1", "kingma2013auto").
_LOWER_DIGIT_JUNK = re.compile(r"^[a-z](?:.*\d{4}|[a-z0-9]{0,3}$)")
_WORDISH = re.compile(r"^[A-Za-z][A-Za-z0-9.^+’'\-]*$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_NUMBER_THEN_LETTERS = re.compile(r"^\d+(?:[.,]\d+)?([^\W\d_]+)$")
# Stop words that also serve as noun modifiers in technical phrases ("top layer", "full model").
_STOP_KEEP = frozenset({"top", "bottom", "full", "front", "back", "side", "part", "first", "last", "third"})


def _ing_base(word: str) -> set[str]:
    """Candidate base verbs of an -ing form: apply-ing, combin(e)-ing, runn-ing -> run."""
    stem = word[:-3]
    out = {stem, stem + "e"}
    if len(stem) > 2 and stem[-1] == stem[-2]:
        out.add(stem[:-1])
    return out


class TokInfo(NamedTuple):
    """Features of one word form."""

    kind: int          # BOUNDARY, HYPHEN, WORD or NUMBER
    lower: str
    name: bool         # shaped like a name: BinaryConnect, CIFAR-10, LSTM, word2vec
    title: bool        # capitalised ordinary-looking word: Penn, Residual
    head: tuple | None  # (type, min_modifiers) when the singular form is a head word
    trim: bool         # evaluative modifier removed from a phrase's left edge
    verb_ed: bool      # -ed form that is not a listed noun modifier: a clause boundary
    ing: bool          # -ing form: a verb at the start of a phrase, a noun inside it
    common: bool       # a frequent English word
    plural: bool = False  # a lowercase plural: English compounds take singular modifiers, so it ends a phrase
    opens_run: bool = False  # a word that can start a name run (name-shaped or capitalised)
    is_head: bool = False  # a word whose singular is a head word
    names_next: bool = False  # "called", "dubbed": the words after it are a name
    adverb: bool = False  # an -ly adverb ("increasingly"): opens no noun phrase unless a participle follows
    verb: bool = False  # a base form that can be a verb ("probe", "model"): after "to", an infinitive


CANDIDATES = "cg_candidates"


# Documents per nlp.pipe batch. Each component runs over a batch in turn; a few
# documents stay in the CPU cache from one component to the next. Measured on the
# replicated sample corpus: 8 per batch is 12 % faster than 1, and 256 is 6 % slower than 1.
BATCH_SIZE = 8


class BatchedComponent:
    """Base of the ``cg_*`` components: ``nlp.pipe`` runs each one over a batch of documents.

    Without a ``pipe`` method spaCy passes every document through all components
    before it makes the next one; a small batch at a time lets each component's code
    and tables (tokenizer cache, matcher, word table) stay in the CPU caches while
    the batch's documents do too (:data:`BATCH_SIZE`).
    """

    def pipe(self, stream, batch_size: int = BATCH_SIZE):
        for batch in minibatch(stream, batch_size):
            for doc in batch:
                self(doc)
            yield from batch


def put_candidates(doc, key: str, cands: list[tuple[int, int, str, str]], write_spans: bool) -> None:
    """Record a component's candidates ``(start, end, type, concept_id or "")`` under ``key``.

    They are kept as tuples in ``doc.user_data`` for ``cg_normalize``; creating a
    ``Span`` costs several token look-ups, so the ``doc.spans[key]`` view is only
    written when asked for (``write_spans``: inspection, debugging).
    """
    doc.user_data.setdefault(CANDIDATES, {})[key] = cands
    if write_spans:
        doc.spans[key] = [Span(doc, s, e, label=t, kb_id=k) for s, e, t, k in cands]


def get_candidates(doc, key: str) -> list[tuple[int, int, str, str]]:
    """Candidates recorded by :func:`put_candidates` (empty when the component did not run)."""
    return doc.user_data.get(CANDIDATES, {}).get(key, [])


def release(doc) -> None:
    """Drop the working data the components left in ``doc.user_data``."""
    doc.user_data.pop(_KEY, None)
    doc.user_data.pop(CANDIDATES, None)
    doc.user_data.pop(TEXT_KEY, None)


_SHARED = None


def shared_table() -> "TokenTable":
    """The process-wide :class:`TokenTable` (its cache is shared by all components)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = TokenTable()
    return _SHARED


class TokenTable:
    """Cache of :class:`TokInfo` by token orth id."""

    def __init__(self):
        self._cache: dict[int, TokInfo] = {}
        self._stop = (STOP_WORDS - _STOP_KEEP) | pattern_list("boundary_words.txt")
        self._name_stop = pattern_list("name_stop.txt")
        self._trim = left_trimmed_words()
        self._participles = pattern_list("participles.txt")
        self._heads = heads()
        self._common = common_words()
        self._verbs = verb_only_words()
        self._ing_nouns = pattern_list("ing_nouns.txt")
        self._all_verbs = verb_words()
        self._units = pattern_list("units.txt")

    def infos(self, doc) -> tuple[list[TokInfo], bytes]:
        """Features of every token of ``doc`` and its trailing-whitespace flags (1 or 0 per token).

        Reads token ids with ``Doc.to_array`` instead of creating a ``Token`` per
        token (most of the cost of a Python loop over a doc), and keeps the result in
        ``doc.user_data`` so the components after the first one reuse it;
        ``cg_normalize`` removes it (:func:`release`).
        """
        got = doc.user_data.get(_KEY)
        if got is not None and len(got[0]) == len(doc):
            return got[0], got[1]
        columns = doc.to_array(_ARRAY_ATTRS).T
        orths = columns[0].tolist()
        # The other columns are read at a few positions only (span edges, hyphens), so they
        # are kept packed as bytes (see offsets) instead of lists of Python ints made up
        # front; bytes also keep doc.user_data serialisable (Doc.to_bytes, DocBin).
        spaces = columns[1].astype(np.uint8).tobytes()
        starts = columns[2].tobytes()
        # A token ends where the next one starts, less its trailing space (one column fewer to read).
        ends = np.empty_like(columns[2])
        ends[:-1] = columns[2][1:] - columns[1][:-1]
        if orths:
            ends[-1] = columns[2][-1] + len(doc[-1])
        ends = ends.tobytes()
        out = list(map(self._cache.get, orths))
        if not all(out):  # a word not seen before (a TokInfo is a non-empty tuple, so true)
            strings = doc.vocab.strings
            for k, got in enumerate(out):
                if got is None:
                    got = self._cache.get(orths[k])
                    if got is None:
                        got = self._cache[orths[k]] = self._compute(strings[orths[k]])
                    out[k] = got
        doc.user_data[_KEY] = (out, spaces, starts, ends, orths)
        return out, spaces

    def text(self, doc, start: int, end: int) -> str:
        """``doc[start:end].text`` without creating a ``Span`` (``start < end``)."""
        starts, ends = self.offsets(doc)
        return self.doc_text(doc)[starts[start]:ends[end - 1]]

    @staticmethod
    def doc_text(doc) -> str:
        """``doc.text``, read from ``doc.user_data[TEXT_KEY]`` when the doc's maker put it there."""
        text = doc.user_data.get(TEXT_KEY)
        if text is None:
            text = doc.user_data[TEXT_KEY] = doc.text
        return text

    def orths(self, doc) -> list[int]:
        """The ``orth`` id of every token (computed with :meth:`infos`)."""
        self.infos(doc)
        return doc.user_data[_KEY][4]

    def offsets(self, doc) -> tuple[memoryview, memoryview]:
        """Character start and end of every token (computed with :meth:`infos`)."""
        self.infos(doc)
        got = doc.user_data[_KEY]
        # Views of the packed uint64 columns: indexing one gives a Python int.
        return memoryview(got[2]).cast("Q"), memoryview(got[3]).cast("Q")

    def _is_value(self, lower: str) -> bool:
        """A number with a unit written on ("1.12cm", "10.8mw"): a value, not a name."""
        unit = _NUMBER_THEN_LETTERS.match(lower)
        return unit is not None and unit.group(1) in self._units

    def _compute(self, text: str) -> TokInfo:
        lower = text.lower()
        if text == "-":
            return TokInfo(HYPHEN, lower, False, False, None, False, False, False, False)
        if _NUMBER.match(text) or (text[:1].isdigit() and (_QUANTITY.match(text) or self._is_value(lower))):
            # A quantity ("7B", "1.8k+") is a number: it can follow a name ("LLaMA 7B") but is none.
            return TokInfo(NUMBER, lower, False, False, None, False, False, False, False)
        if lower in _NAMING_VERBS:
            return TokInfo(BOUNDARY, lower, False, False, None, False, False, False, True, names_next=True)
        if text[1:].islower() and (lower in self._verbs or (lower.endswith("s") and singular(lower) in self._verbs)):
            return TokInfo(BOUNDARY, lower, False, False, None, False, False, False, False)
        if not _WORDISH.match(text) or lower in self._stop:
            if _NAME_CHARS.match(text) and _NAME_SHAPE.match(text) and lower not in self._stop:
                pass  # digit-first names such as 300W or 3DMM
            else:
                return TokInfo(BOUNDARY, lower, False, False, None, False, False, False, False)
        name = (len(text) >= 2 and bool(_NAME_SHAPE.match(text)) and bool(_NAME_CHARS.match(text))
                and lower not in self._name_stop and singular(lower) not in self._name_stop
                and not _QUANTITY.match(text) and not _INITIALS.search(text)
                and not _LOWER_DIGIT_JUNK.match(text))
        title = text[:1].isupper() and text[1:].islower() and text.isalpha() and len(text) > 1
        # A capitalised coinage ending like an architecture ("Frobnet", "Reformer") is a name.
        name = name or (title and lower.endswith(ARCH_SUFFIXES)
                        and lower not in self._common)
        head = self._heads.get(singular(lower)) or self._heads.get(lower)
        verb_ed = (lower.endswith("ed") and len(lower) > 4 and lower not in self._participles
                   and "-" not in lower)
        if text.islower() and lower.endswith("ing") and head is None and lower not in self._ing_nouns \
                and _ing_base(lower) & self._verbs:
            # "applying", "employing": the participle of a verb that is never a noun opens a clause.
            return TokInfo(BOUNDARY, lower, False, False, None, False, False, False, False)
        plural = (text.islower() and len(lower) > 3 and singular(lower) != lower and not lower.endswith("ics")
                  and lower.isalpha())
        adverb = text.islower() and lower.endswith("ly") and len(lower) > 5 and lower.isalpha() \
            and lower not in self._ing_nouns and head is None
        return TokInfo(WORD, lower, name, title, head, lower in self._trim, verb_ed,
                       lower.endswith("ing") and len(lower) > 5, lower in self._common, plural,
                       name or title, head is not None, adverb=adverb,
                       verb=text.islower() and lower in self._all_verbs)
