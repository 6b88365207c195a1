"""``cg_names``: named contributions and other names the lexicon does not know.

A name is a run of name-shaped words (CamelCase, mixed case, acronyms,
digit-bearing: BinaryConnect, N-BEATS, GaNDLF, U^2-Net, CIFAR-10), optionally with
capitalised words, joined hyphens and version numbers around them ("Faster R-CNN",
"PASCAL VOC 2012"). A run of two or more capitalised words outside a Title Case
title also counts ("Penn Treebank", "Dual Path Network"), which is how
contributions introduced by "we propose X" or "called X" are usually written; a
capitalised frequent word opening a sentence is not part of a name.

Typing, in order: a following dataset head word is absorbed ("COCO dataset" ->
dataset); the run's last word as a head word ("Highway Networks" -> architecture);
a "-Net"/"former" suffix -> architecture; evaluation context ("results on X",
"experiments on X") -> dataset; otherwise method.

Config
------
title_case_runs : bool, accept runs of two or more capitalised words (default True).
context_typing : bool, use the evaluation context to find datasets (default True).
naming_verbs : bool, take the words after "called/named/dubbed/termed" as a name even in
    lowercase ("a regulariser called mixout") (default True).
spans_key : str, name of the candidate list (default ``"cg_names"``).
write_spans : bool, also write them to ``doc.spans[spans_key]`` (default False).

Examples
--------
>>> import spacy
>>> from conceptgraph.extract import components
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("cg_names", config={"write_spans": True})
>>> doc = nlp("We propose BinaryConnect and report results on SVHN.")
>>> [(s.text, s.label_) for s in doc.spans["cg_names"]]
[('BinaryConnect', 'method'), ('SVHN', 'dataset')]
"""
from __future__ import annotations

from itertools import compress
from operator import attrgetter

from spacy.language import Language
from spacy.tokens import Doc

from ._resources import pattern_list
from ._tokens import ARCH_SUFFIXES, BatchedComponent, HYPHEN, NUMBER, WORD, put_candidates, shared_table

_OPENS_RUN = attrgetter("opens_run")
_NAMES_NEXT = attrgetter("names_next")
_QUOTES = frozenset({'"', "'", "“", "”", "‘", "’", "``", "''"})
_SENT_END = frozenset({".", "!", "?", ":", ";"})
_EVAL_PREP = frozenset({"on", "across", "over"})
# Words between the names of a list and what introduces it ("benchmarks, A, B and C",
# "datasets such as A", "benchmarks including A").
# Verbs between a measure and its value ("NIQE decreases from 6.22 to 4.97").
_SCORE_VERBS = frozenset({"decreases", "increases", "drops", "rises", "improves", "falls", "goes", "reaches"})
# What a collection of data is called besides the dataset head words ("a prompt set").
_DATA_NOUNS = frozenset({"set", "sets"})
_LIST_WORDS = frozenset({",", "and", "or", "the", "both", "well", "as", "such", "including", "namely", ":",
                         "like", "e.g.", "("})


def _decimal(inf) -> bool:
    """A token is a decimal value ("0.683")."""
    return inf.kind == NUMBER and "." in inf.lower


class NameFinder(BatchedComponent):
    """Pipeline component: typed name candidates (see module docs)."""

    def __init__(self, name: str, title_case_runs: bool, context_typing: bool, naming_verbs: bool, spans_key: str,
                 write_spans: bool):
        self.naming_verbs = naming_verbs
        self.name = name
        self.title_case_runs = title_case_runs
        self.context_typing = context_typing
        self.spans_key = spans_key
        self.write_spans = write_spans
        self.table = shared_table()
        self.eval_words = pattern_list("evaluation_words.txt")
        self.intro_verbs = pattern_list("intro_verbs.txt")
        self.not_names = pattern_list("not_names.txt")
        self.version_words = pattern_list("version_words.txt")
        self.dataset_suffixes = tuple(pattern_list("dataset_suffixes.txt"))

    def __call__(self, doc: Doc) -> Doc:
        infos, spaces = self.table.infos(doc)
        n = len(doc)
        title_end = doc.user_data.get("cg_title_tokens", 0)
        spans = []
        done = 0  # tokens before this index already belong to a run
        # Visit only the tokens that can open a run, selected without a Python-level test per token.
        multi_word_ok = self.title_case_runs
        for i in compress(range(n), map(_OPENS_RUN, infos)):
            if i < done:
                continue
            j = i
            has_name = False
            # Extend the run to the right over names, capitalised words, joined hyphens and numbers.
            while j < n:
                inf = infos[j]
                if inf.kind == WORD and (inf.name or inf.title):
                    has_name = has_name or inf.name
                    j += 1
                elif inf.kind == HYPHEN and j + 1 < n and not spaces[j - 1] and not spaces[j] \
                        and ((infos[j + 1].kind in (WORD, NUMBER) and (infos[j + 1].name or infos[j + 1].title
                                                                       or infos[j + 1].kind == NUMBER))
                             or (infos[j - 1].kind == NUMBER and infos[j + 1].lower in self.version_words)):
                    # (a size and its variant: "Llama-3.2-1B-Instruct", "Gemma-2-2b-it")
                    j += 1
                elif inf.kind == NUMBER and j > i and (
                        (infos[j - 1].kind == WORD and not inf.lower.startswith("0"))
                        or (infos[j - 1].kind == HYPHEN and not spaces[j - 1])):
                    # (a version, "PASCAL VOC 2012", or a size joined by a hyphen, "Qwen2.5-0.5B";
                    # "rFID 0.08" is a score)
                    j += 1
                elif j > i and infos[j - 1].kind == HYPHEN and inf.lower in self.version_words:
                    j += 1
                else:
                    break
            start = i
            # A capitalised common word opening a sentence is not part of a name ("Recent ResNets").
            sent_start = start == 0 or start == title_end or infos[start - 1].lower in _SENT_END \
                or infos[start - 1].lower.isspace()
            while start < j and not infos[start].name and infos[start].common \
                    and (sent_start or infos[start].trim) \
                    and not (start + 1 < j and infos[start + 1].kind == HYPHEN and not spaces[start]):
                # (a word glued to a hyphen is part of a compound: "In-Context Learning" stays whole)
                start += 1
                sent_start = False
            while j > start and infos[j - 1].kind == HYPHEN:
                j -= 1
            # A name-shaped word makes a name; capitalised words only make a multi-word
            # name, and not in a Title Case title. (Trimmed words are not name-shaped.)
            if start < j and (has_name or (multi_word_ok and j - start >= 2 and start >= title_end)
                              or self._named_here(infos, start, j)) and not self._not_a_name(infos, start, j):
                typed = self._typed(infos, start, j)
                if typed is not None:
                    spans.append(typed)
            done = max(j, i + 1)
        if self.naming_verbs:
            spans.extend(self._named(infos, spaces, spans))
        put_candidates(doc, self.spans_key, spans, self.write_spans)
        return doc

    def _named_here(self, infos, start: int, end: int) -> bool:
        """A capitalised word is a name where the text names something: "called Reactor",
        "we propose Mamba, ...", "Mamba, a selective state-space model"."""
        if start == 0:
            return False
        prev = infos[start - 1]
        if prev.names_next:
            return True
        n = len(infos)
        nxt = infos[end].lower if end < n else ""
        if prev.lower in self.intro_verbs and nxt in (",", "(", ":", "—", "–", "."):
            return True
        # Apposition: "X, a (new) ... benchmark/framework" within a few words.
        if nxt == "," and end + 1 < n and infos[end + 1].lower in ("a", "an") and not prev.lower.isalpha():
            for k in range(end + 2, min(n, end + 7)):
                if infos[k].head is not None:
                    return True
                if infos[k].kind != WORD:
                    break
        return False

    def _not_a_name(self, infos, start: int, end: int) -> bool:
        """Runs that look like names and are not concepts: publisher lines ("Springer-Verlag
        Berlin Heidelberg"), numbered document parts ("Level 1", "Stage 2", "Figure 3")."""
        if end - start == 1:  # most runs: the same two tests without a generator each
            return infos[start].lower in self.not_names or infos[start].kind == NUMBER
        if any(infos[k].lower in self.not_names for k in range(start, end)):
            return True
        if infos[end - 1].kind == NUMBER and all(infos[k].kind != WORD or (infos[k].common and not infos[k].name)
                                                 or infos[k].lower in self.not_names
                                                 for k in range(start, end - 1)):
            return True
        return False

    def _named(self, infos, spaces, runs) -> list[tuple[int, int, str, str]]:
        """Names introduced by "called X", "dubbed X" although written in lowercase ("called mixout").

        ``runs`` are the candidates found already; a name they hold is not repeated.
        """
        out = []
        n = len(infos)
        done_runs = None
        for i in compress(range(n), map(_NAMES_NEXT, infos)):
            if done_runs is None:
                done_runs = {(s, e) for s, e, _t, _k in runs}
            k = i + 1
            while k < n and infos[k].lower in _QUOTES:
                k += 1
            if k < n and infos[i].lower == "named" and infos[k].lower.startswith("entit"):
                continue  # "named entities" is a term, not a naming
            end = k
            # At most three words (joined hyphens do not count), up to a boundary or a clause.
            words = 0
            while end < n and words < 3 and (infos[end].kind in (WORD, NUMBER) or (
                    infos[end].kind == HYPHEN and not spaces[end - 1] and not spaces[end])):
                words += infos[end].kind != HYPHEN
                end += 1
            while end > k and infos[end - 1].kind == HYPHEN:
                end -= 1
            if end > k and not any(s < end and k < e for s, e in done_runs) \
                    and not self._not_a_name(infos, k, end):
                last = infos[end - 1]
                typ = last.head[0] if last.head is not None else (
                    "architecture" if last.lower.endswith(ARCH_SUFFIXES) else "method")
                out.append((k, end, typ, ""))
        return out

    def _typed(self, infos, start: int, end: int) -> tuple[int, int, str, str] | None:
        n = len(infos)
        last = infos[end - 1]
        # "COCO dataset", "Penn Treebank corpus": absorb the dataset head word.
        if end < n and infos[end].head is not None and infos[end].head[0] == "dataset":
            return start, end + 1, "dataset", ""
        if last.head is not None and last.kind == WORD and not last.name:
            if last.head[1] == 2 and not any(infos[k].name or not infos[k].common for k in range(start, end - 1)):
                return None  # "Relational Databases": a topic, not a named dataset
            return start, end, last.head[0], ""
        suffixes = self.dataset_suffixes
        if infos[start].lower.endswith(suffixes) if end - start == 1 else \
                any(infos[k].lower.endswith(suffixes) for k in range(start, end)):
            return start, end, "dataset", ""  # "TexBench", "APEX-Bench", "MMBench"
        if last.lower.endswith(ARCH_SUFFIXES) and last.name:
            return start, end, "architecture", ""
        if self.context_typing and (self._evaluated_on(infos, start) or self._described_as_data(infos, end)):
            return start, end, "dataset", ""
        if self.context_typing and self._scored(infos, start, end):
            return start, end, "metric", ""
        return start, end, "method", ""

    @staticmethod
    def _described_as_data(infos, end: int) -> bool:
        """"X, a (new, large-scale) benchmark/dataset ...", "X: A ... Prompt Set", "X is a
        challenging benchmark": an apposition or a copula names what X is."""
        n = len(infos)
        k = end
        if k < n and infos[k].lower in ("is", "was"):
            k += 1  # "FACTORY is a challenging benchmark"
        elif k < n and infos[k].lower in (",", "(", ":"):
            k += 1
        else:
            return False
        if k >= n or infos[k].lower not in ("a", "an", "the"):
            return False
        for k in range(k + 1, min(n, k + 12)):
            inf = infos[k]
            if inf.kind == WORD and (inf.head is not None or inf.lower in _DATA_NOUNS):
                nxt = infos[k + 1] if k + 1 < n else None
                if nxt is not None and nxt.kind == WORD and (nxt.head is not None or nxt.lower in _DATA_NOUNS):
                    continue  # "a benchmark suite": the head is further right
                return inf.lower in _DATA_NOUNS or inf.head[0] == "dataset"
            # adjectives may be listed with commas: "a large-scale, human-verified prompt set"
            if inf.kind not in (WORD, HYPHEN, NUMBER) and inf.lower != ",":
                return False
        return False

    @staticmethod
    def _scored(infos, start: int, end: int) -> bool:
        """A name next to a decimal value is what the value measures: "a 8.50 LipSync
        Confidence", "0.683 SSIM", "an FID of 0.035", "NIQE decreases from 6.22"."""
        if start > 0 and _decimal(infos[start - 1]):
            return True
        n = len(infos)
        k = end
        if k < n and infos[k].lower in _SCORE_VERBS:
            k += 1
        return k + 1 < n and infos[k].lower in ("of", "from", "=", "to") and _decimal(infos[k + 1])

    def _evaluated_on(self, infos, start: int) -> bool:
        # "results on X", "experiments on A , B and X": walk back over a list of names
        # to the preposition, then look for evaluation words just before it.
        k = start - 1
        while k >= 0 and (infos[k].kind in (WORD, NUMBER, HYPHEN) and (infos[k].name or infos[k].title
                                                                       or infos[k].kind != WORD)
                          or infos[k].lower in _LIST_WORDS or infos[k].lower.isspace()):
            # (a line break inside the list: "two public datasets,\nPubHealth and SciFact")
            k -= 1
        if k >= 0 and infos[k].head is not None and infos[k].head[0] == "dataset" and infos[k].kind == WORD:
            return True  # "four public benchmarks, CVUSA, CVACT", "datasets such as X", "the X dataset"
        if k < 0 or infos[k].lower not in _EVAL_PREP:
            return False
        lo = max(0, k - 8)
        return any(infos[m].lower in self.eval_words for m in range(lo, k))


@Language.factory("cg_names", default_config={"title_case_runs": True, "context_typing": True,
                                              "naming_verbs": True, "spans_key": "cg_names",
                                              "write_spans": False})
def make_name_finder(nlp: Language, name: str, title_case_runs: bool, context_typing: bool, naming_verbs: bool,
                     spans_key: str, write_spans: bool):
    """Factory of :class:`NameFinder`."""
    return NameFinder(name, title_case_runs, context_typing, naming_verbs, spans_key, write_spans)
