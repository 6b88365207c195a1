"""``cg_chunks``: unseen noun phrases typed by their head word.

Without a tagger, a phrase is found from its head: a word listed in
``patterns/heads.tsv`` ("network", "dataset", "pooling", ...) that ends a phrase
(the next token is not a word continuing it). The phrase extends left over
content words, joined hyphen compounds ("CNN-based", "fully-convolutional") and
version numbers after names, and stops at stop words, punctuation, listed
boundary verbs, verb-only words and their -ing forms ("applying"), -ed verb forms
that are not listed noun modifiers, and lowercase plurals (English compounds take
singular modifiers, so in "DQN combines Q-learning" the phrase is "Q-learning"). Evaluative
modifiers ("novel", "efficient") are trimmed from the left, as is an -ing verb
that opens the phrase after a preposition ("by training deep networks"). The head
decides the type; heads marked in the file need one modifier ("deep models") or
a name-like one ("COCO test-dev set").

When the pipeline has a parser (``build_nlp(model="en_core_web_sm")``), spaCy's
noun chunks are used instead, with the same head typing and trimming.

Config
------
max_tokens : int, longest phrase in tokens (default 7).
use_noun_chunks : bool, prefer the parser's noun chunks when present (default True).
spans_key : str, name of the candidate list (default ``"cg_chunks"``).
write_spans : bool, also write them to ``doc.spans[spans_key]`` (default False).

Examples
--------
>>> import spacy
>>> from conceptgraph.extract import components
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("cg_chunks", config={"write_spans": True})
>>> doc = nlp("We then use a dynamic pooling over CNN-based systems.")
>>> [(s.text, s.label_) for s in doc.spans["cg_chunks"]]
[('dynamic pooling', 'method'), ('CNN-based systems', 'method')]
"""
from __future__ import annotations

from itertools import compress
from operator import attrgetter

from spacy.language import Language
from spacy.tokens import Doc

from ._resources import left_trimmed_words, pattern_list
from ._tokens import BOUNDARY, BatchedComponent, HYPHEN, NUMBER, WORD, put_candidates, shared_table

_IS_HEAD = attrgetter("is_head")
_DETERMINERS = frozenset({"the", "a", "an", "our", "their", "its", "this", "these", "those", "each",
                          "every", "his", "her", "your", "my", "that"})
# Words after which a verb's base form is a verb, not a modifier ("to probe", "cannot handle").
_INFINITIVE_MARKS = frozenset({"to", "can", "cannot", "could", "will", "would", "should", "may", "might", "must",
                               "not", "shall"})


class Chunker(BatchedComponent):
    """Pipeline component: head-typed phrase candidates (see module docs)."""

    def __init__(self, name: str, max_tokens: int, use_noun_chunks: bool, spans_key: str, write_spans: bool):
        self.name = name
        self.max_tokens = max_tokens
        self.use_noun_chunks = use_noun_chunks
        self.spans_key = spans_key
        self.write_spans = write_spans
        self.table = shared_table()
        self.participles = pattern_list("participles.txt")
        self.ing_nouns = pattern_list("ing_nouns.txt")
        self.kind_words = pattern_list("kind_words.txt")
        self.trim_words = left_trimmed_words()

    def __call__(self, doc: Doc) -> Doc:
        infos, spaces = self.table.infos(doc)
        # A parser labels every token, so the first one tells (doc.has_annotation reads them all).
        if self.use_noun_chunks and len(doc) and doc[0].dep:
            cands = self._from_noun_chunks(doc, infos, spaces)
        else:
            cands = []
            title_end = doc.user_data.get("cg_title_tokens", 0)
            for i in compress(range(len(infos)), map(_IS_HEAD, infos)):
                found = self._phrase(infos, spaces, i, i < title_end)
                if found is not None:
                    cands.append(found)
        put_candidates(doc, self.spans_key, cands, self.write_spans)
        return doc

    @staticmethod
    def _joined(spaces: bytes, k: int) -> bool:
        """Token k is a hyphen glued to both neighbours."""
        return 0 < k < len(spaces) - 1 and not spaces[k - 1] and not spaces[k]

    def _phrase(self, infos, spaces, i: int, in_title: bool = False) -> tuple[int, int, str, str] | None:
        """(start, end, type, "") of the phrase headed by token i, or None; ``in_title``: token i
        is in the title."""
        n = len(infos)
        if i + 1 < n:
            nxt = infos[i + 1]
            if ((nxt.kind == WORD and not nxt.verb_ed and not (nxt.ing and self._verb_after(infos, i + 1)))
                    or (nxt.kind == HYPHEN and self._joined(spaces, i + 1))):
                return None  # the phrase goes on: this word is a modifier, not the head
        j = i
        while j > 0 and i - j < self.max_tokens:
            p = infos[j - 1]
            # a hyphen glued to both neighbours just left of p: p ends a compound ("CNN-based")
            glued = j >= 3 and infos[j - 2].kind == HYPHEN and not spaces[j - 3] and not spaces[j - 2]
            if p.kind == WORD and (not p.verb_ed or glued) and not (p.plural and not glued) \
                    and not (p.ing and self._verb_after(infos, j - 1)):
                j -= 1
            elif p.kind == HYPHEN and self._joined(spaces, j - 1) and infos[j - 2].kind in (WORD, NUMBER):
                j -= 1
            elif p.kind == BOUNDARY and glued and p.lower.isalpha():
                j -= 1  # the right part of "CNN-based", "state-of-the-art"
            elif p.kind == NUMBER and j >= 2 and infos[j - 2].kind == WORD and (infos[j - 2].name
                                                                               or infos[j - 2].title):
                j -= 1  # "Atari 2600 games"
            else:
                break
        first = infos[j]
        if j < i and (first.kind != WORD or first.trim or first.ing or (j > 0 and infos[j - 1].kind == HYPHEN)):
            j = self._trim(infos, spaces, j, i)  # only then can there be something to trim
        # "LLMs increasingly function as", "to simultaneously model", "to probe reasoning",
        # "cannot handle concurrent inference": an adverb before a non-participle, or a verb
        # after "to" or a modal, opens no noun phrase.
        while j < i and infos[j].verb and j > 0 and infos[j - 1].lower in _INFINITIVE_MARKS:
            j += 1
        for k in range(i - 1, j - 1, -1):
            if infos[k].adverb and not (infos[k + 1].verb_ed or infos[k + 1].lower in self.participles):
                j = k + 1
                if j < i and self._verb_ing(infos[j]):
                    j += 1  # "directly incorporating 3D models": a participle after an adverb is a verb
                if j < i and infos[j].trim:
                    j = self._trim(infos, spaces, j, i)  # "prohibitively expensive pre-training"
                break
        if j > i:
            return None  # the head ends a trimmed compound ("high-accuracy and"): no phrase is left
        typ, min_mods = infos[i].head
        if typ == "task" and infos[i].plural and infos[i].lower.endswith("ions"):
            return None  # "grade predictions", "rough segmentations": outputs of a task, not the task
        # After trimming, a phrase longer than its head starts with a word, so j < i means
        # it has a modifier.
        if min_mods == 1 and j == i:
            return None
        # A Title Case title capitalises every word: there a data head needs a real name ("A
        # Regional Corpus of ..." describes the data its title names), a method head does not
        # ("... via Fuzzy Analytic Hierarchy Process").
        title_names = not (in_title and typ == "dataset")
        if min_mods == 2 and not any(m.kind == NUMBER or (m.kind == WORD and (m.name or (m.title and title_names)))
                                     for m in infos[j:i]):
            return None
        return j, i + 1, typ, ""

    def _verb_ing(self, inf) -> bool:
        """An -ing word that is no noun of ours: a participle when a noun phrase stops before it."""
        return inf.kind == WORD and inf.ing and not inf.is_head and not inf.title and not inf.name \
            and inf.lower not in self.ing_nouns

    def _verb_after(self, infos, k: int) -> bool:
        """Token k is an -ing verb after a plural noun or a word for a kind of method: "tasks
        spanning natural language understanding", "a training strategy leveraging flow matching".
        English compounds take singular modifiers, and a kind word ends the phrase it names."""
        if k == 0 or not self._verb_ing(infos[k]):
            return False
        prev = infos[k - 1]
        return prev.kind == WORD and (prev.plural or prev.lower in self.kind_words)

    @staticmethod
    def _compound_end(infos, spaces, s: int, i: int) -> int:
        """End of the hyphen compound that starts at token s ("first-order"), s + 1 if none."""
        e = s + 1
        while e + 1 <= i and infos[e].kind == HYPHEN and not spaces[e - 1] and not spaces[e] \
                and infos[e + 1].kind == WORD:
            e += 2
        return e

    def _trim(self, infos, spaces, s: int, i: int) -> int:
        """First token of the phrase s..i once leading modifiers that are not part of it are dropped.

        A trimmed word that starts a hyphen compound ("first-order pooling", "large-scale")
        goes only when the whole compound is a listed modifier or it is an adverb
        ("highly-optimized")."""
        while s < i:
            inf = infos[s]
            if inf.trim and not inf.lower.endswith("ly") and (e := self._compound_end(infos, spaces, s, i)) > s + 1:
                compound = "".join(infos[k].lower for k in range(s, e))
                if compound not in self.trim_words:
                    break
                s = e
            elif inf.kind in (HYPHEN, NUMBER, BOUNDARY) or inf.trim:
                s += 1
            elif s > 0 and infos[s - 1].kind == HYPHEN and not spaces[s - 1]:
                s += 1  # a fragment of a compound whose left part we could not include
            elif inf.ing and (s == 0 or (infos[s - 1].kind == BOUNDARY and infos[s - 1].lower not in _DETERMINERS)):
                s += 1  # "by training deep networks": a verb, not a modifier
            else:
                break
        return s

    def _from_noun_chunks(self, doc: Doc, infos, spaces) -> list[tuple[int, int, str, str]]:
        spans = []
        for chunk in doc.noun_chunks:
            i = chunk.end - 1
            head = infos[i].head
            if head is None:
                continue
            s = self._trim(infos, spaces, chunk.start, i)
            mods = [infos[k] for k in range(s, i) if infos[k].kind in (WORD, NUMBER)]
            if (head[1] == 1 and not mods) or (head[1] == 2 and not any(m.name or m.title for m in mods)):
                continue
            spans.append((s, i + 1, head[0], ""))
        return spans


@Language.factory("cg_chunks", default_config={"max_tokens": 7, "use_noun_chunks": True,
                                               "spans_key": "cg_chunks", "write_spans": False})
def make_chunker(nlp: Language, name: str, max_tokens: int, use_noun_chunks: bool, spans_key: str,
                 write_spans: bool):
    """Factory of :class:`Chunker`."""
    return Chunker(name, max_tokens, use_noun_chunks, spans_key, write_spans)
