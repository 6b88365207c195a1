"""``cg_abbreviations``: long form "(SHORT)" pairs, Schwartz–Hearst style.

For every parenthesis holding a short form (2–12 characters, a capital letter, no
space), the long form is the shortest run of preceding words in which the short
form's characters occur in order, its first character starting a word
(Schwartz & Hearst, 2003). "densely connected bidirectional LSTM (DC-Bi-LSTM)"
gives the pair ("densely connected bidirectional LSTM", "DC-Bi-LSTM").

Pairs go to ``doc.spans[long_key]`` and ``doc.spans[short_key]`` (same order, so
the i-th long form belongs to the i-th short form), and as token offsets
``(long_start, long_end, short_start, short_end)`` to the candidate list named after
the component (``cg_abbreviations``, read by ``cg_normalize``), which gives both one
concept, and :func:`conceptgraph.extract.nlp.extract_mentions` extends that across
the corpus.

Config
------
max_short_len : int, longest short form (default 12).
long_key, short_key : span group names.
write_spans : bool, write the span groups (default True; the candidate list is always written).

Examples
--------
>>> import spacy
>>> from conceptgraph.extract import components
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("cg_abbreviations")
>>> doc = nlp("We use a densely connected bidirectional LSTM (DC-Bi-LSTM) here.")
>>> doc.spans["cg_abbrev_long"][0].text, doc.spans["cg_abbrev_short"][0].text
('densely connected bidirectional LSTM', 'DC-Bi-LSTM')
"""
from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from ._tokens import BatchedComponent, CANDIDATES, shared_table

_OPEN, _CLOSE = "(", ")"
_LF_STOP = frozenset(",;:.!?()[]{}\"“”")
_SKIP_END = frozenset({*"\"'“”‘’", "''", "’’"})  # a LaTeX closing quote is one token


def schwartz_hearst(short: str, words: list[str]) -> int | None:
    """Index of the first word of the long form of ``short`` in ``words``, or None.

    ``words`` are the words before the parenthesis, in order (tokens: none holds a space).

    >>> schwartz_hearst("DARTS", "is Differentiable ARchiTecture Search".split())
    1
    >>> schwartz_hearst("CNN", "a convolutional neural network".split())
    1
    """
    # Matched right to left in the words joined by spaces: a space never matches (only
    # letters and digits of the short form are looked for) and marks where words start.
    text = " ".join(words).lower()
    end = len(text)  # the next character is looked for before this position
    for s_idx in range(len(short) - 1, -1, -1):
        c = short[s_idx].lower()
        if not c.isalnum():
            continue
        if len(c) != 1:  # "İ" lowercases to two characters, which match no single one
            return None
        pos = text.rfind(c, 0, end)
        if s_idx == 0:  # the short form's first character starts a word
            while pos > 0 and text[pos - 1] != " ":
                pos = text.rfind(c, 0, pos)
        if pos < 0:
            return None
        end = pos
    return text.count(" ", 0, end) if end < len(text) else None


def _indices(items: list, value) -> list[int]:
    """Positions of ``value`` in ``items`` (found by ``list.index``, not a Python loop per item)."""
    out, i = [], -1
    try:
        while True:
            i = items.index(value, i + 1)
            out.append(i)
    except ValueError:  # no more
        return out


def is_short_form(text: str, max_len: int) -> bool:
    """Short-form test: 2..max_len characters, no space, a capital, starts alphanumeric.

    >>> is_short_form("DC-Bi-LSTM", 12), is_short_form("see", 12), is_short_form("ii", 12)
    (True, False, False)
    """
    return (2 <= len(text) <= max_len and " " not in text and text[0].isalnum()
            and any(c.isupper() for c in text) and sum(c.isalpha() for c in text) >= 2)


class AbbreviationDetector(BatchedComponent):
    """Pipeline component: finds long form / short form pairs (see module docs)."""

    def __init__(self, name: str, max_short_len: int, long_key: str, short_key: str, write_spans: bool):
        self.name = name
        self.write_spans = write_spans
        self.max_short_len = max_short_len
        self.long_key = long_key
        self.short_key = short_key
        self.table = shared_table()

    def __call__(self, doc: Doc) -> Doc:
        pairs = []
        if _OPEN in self.table.doc_text(doc):  # most abstracts define nothing: skip their tokens
            orths = self.table.orths(doc)
            n = len(orths)
            open_id, close_id = doc.vocab.strings[_OPEN], doc.vocab.strings[_CLOSE]
            for i in _indices(orths, open_id):
                # The short form: the tokens up to the next ")" (at most 6), no space inside.
                j = i + 1
                while j < n and j - i <= 6 and orths[j] != open_id and orths[j] != close_id:
                    j += 1
                if j >= n or orths[j] != close_id or j == i + 1:
                    continue
                short = self.table.text(doc, i + 1, j)
                if not is_short_form(short, self.max_short_len):
                    continue
                pair = self._long_form(doc, i, short)
                if pair is not None:
                    pairs.append((pair[0], pair[1], i + 1, j))
        doc.user_data.setdefault(CANDIDATES, {})[self.name] = pairs
        if pairs and self.write_spans:  # most abstracts have none: skip creating empty span groups
            doc.spans[self.long_key] = [doc[ls:le] for ls, le, _ss, _se in pairs]
            doc.spans[self.short_key] = [doc[ss:se] for _ls, _le, ss, se in pairs]
        return doc

    def _long_form(self, doc: Doc, open_i: int, short: str) -> tuple[int, int] | None:
        infos, _spaces = self.table.infos(doc)
        end = open_i
        while end > 0 and infos[end - 1].lower in _SKIP_END:
            end -= 1
        max_words = min(len(short) + 5, 2 * len(short))
        # Collect up to max_words words back, stopping at clause punctuation.
        start, words = end, 0
        while start > 0 and words < max_words:
            low = infos[start - 1].lower
            if low in _LF_STOP or low.isspace():
                break
            start -= 1
            if low != "-":
                words += 1
        if start == end:
            return None
        words = [infos[k].lower for k in range(start, end)]
        # A plural short form ("DFAs") spells its singular: the "s" need not occur in the long form.
        first = schwartz_hearst(short[:-1] if short.endswith("s") and short[-2:-1].isupper() else short, words)
        if first is None:
            return None
        lf_start = start + first
        # A long form does not start with a function word ("the", "of").
        while lf_start < end and infos[lf_start].lower in STOP_WORDS:
            lf_start += 1
        # A long form starts at a word's start, not inside a hyphenated word ("in-weights learning (IWL)").
        spaces = self.table.infos(doc)[1]
        while lf_start > 0 and lf_start < end and (infos[lf_start].lower == "-" or (
                infos[lf_start - 1].lower == "-" and not spaces[lf_start - 1] and lf_start >= 2
                and not spaces[lf_start - 2])):
            lf_start -= 1
        if lf_start >= end or short.lower() == "".join(infos[k].lower for k in range(lf_start, end)) \
                or not any(any(map(str.isalnum, infos[k].lower)) for k in range(lf_start, end)):
            return None  # (no word left: "$ (S,U)", or only stop words were matched)
        return lf_start, end


@Language.factory("cg_abbreviations", default_config={"max_short_len": 12, "long_key": "cg_abbrev_long",
                                                      "short_key": "cg_abbrev_short", "write_spans": True})
def make_abbreviation_detector(nlp: Language, name: str, max_short_len: int, long_key: str, short_key: str,
                               write_spans: bool):
    """Factory of :class:`AbbreviationDetector`."""
    return AbbreviationDetector(name, max_short_len, long_key, short_key, write_spans)
