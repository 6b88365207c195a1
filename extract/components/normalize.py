"""``cg_normalize``: pick one mention per stretch of text and give it a canonical concept.

Candidates are the lists recorded by the other components (``sources``). Abbreviation pairs
are taken first; then the longest candidate wins, ties going to the earlier
source in ``sources`` (lexicon before names before chunks). Each kept span gets a
concept id:

1. a short or long form defined in this document ("FacePoseNet (FPN)") -> that pair's concept;
2. a lexicon match, or any text whose :func:`norm_key` is a lexicon alias
   (case, plural, hyphen/space variants: "Dense-Nets" -> ``densenet``);
3. a phrase that only adds soft modifiers to a lexicon match with the same head
   ("deep convolutional neural networks" -> ``cnn``);
4. otherwise :func:`slug` of the text ("dynamic pooling" -> ``dynamic-pooling``).

Untyped names in a list with a dataset ("CIFAR-10, SVHN and X") become datasets.
Results go to ``doc.spans["cg_mentions"]``: label = type, ``kb_id_`` = concept id,
``id_`` = how the concept was found (``lexicon``, ``abbrev`` or ``slug``); the same as
tuples ``(start_char, end_char, type, concept_id, how, start, end)`` in
``doc.user_data["cg_mentions"]``; the short forms defined in the document, with
the concept their mention got, as ``(text, concept_id)`` pairs in
``doc.user_data["cg_definitions"]`` (absent when there are none).

Config
------
sources : list of candidate lists in priority order.
lexicon_key : str, which of them holds lexicon matches (default ``"cg_lexicon"``).
pairs_key : str, the abbreviation pairs (``cg_abbreviations``).
write_spans : bool, write ``doc.spans["cg_mentions"]`` (default True).
lexicon_paths, builtin : the lexicon (as for ``cg_lexicon``).
inherit_lexicon : bool, rule 3 (default True).
propagate_lists : bool, list typing of datasets (default True).

Examples
--------
>>> import spacy
>>> from conceptgraph.extract.nlp import build_nlp
>>> nlp = build_nlp()
>>> doc = nlp("We introduce the Dense Convolutional Network (DenseNet).")
>>> [(s.text, s.label_, s.kb_id_) for s in doc.spans["cg_mentions"]]
[('Dense Convolutional Network', 'architecture', 'densenet'), ('DenseNet', 'architecture', 'densenet')]
"""
from __future__ import annotations

from difflib import SequenceMatcher
from itertools import compress
from operator import and_

from spacy.language import Language
from spacy.tokens import Doc, Span

from ._resources import Lexicon, norm_key, pattern_list, slug
from ._tokens import ARCH_SUFFIXES, BatchedComponent, get_candidates, release, shared_table

MENTIONS_KEY = "cg_mentions"
DEFINITIONS_KEY = "cg_definitions"
_LIST_GLUE = frozenset({",", "and", "or", "as", "well", "&"})
_MISSING = object()
_CACHE_SIZE = 100_000  # pairs whose lexicon entry is remembered (difflib is slow); then start afresh


def is_generic(text: str, lexicon: Lexicon | None = None) -> bool:
    """A concept too broad to be informative: lexicon flag, or made only of generic words.

    >>> is_generic("deep models"), is_generic("dynamic pooling")
    (True, False)
    """
    if lexicon is not None:
        entry = lexicon.lookup(text)
        if entry is not None:
            return entry.generic
    words = slug(text).split("-")
    generic = pattern_list("generic_words.txt")
    return bool(words) and all(w in generic for w in words)


class Normalizer(BatchedComponent):
    """Pipeline component: overlap resolution and concept ids (see module docs)."""

    def __init__(self, name: str, sources: list, lexicon_key: str, pairs_key: str, lexicon_paths, builtin: bool,
                 inherit_lexicon: bool, propagate_lists: bool, write_spans: bool):
        self.name = name
        self.sources = list(sources)
        self.lexicon_key = lexicon_key
        self.pairs_key = pairs_key
        self.write_spans = write_spans
        self.lexicon = Lexicon.load(lexicon_paths, builtin)
        self.inherit_lexicon = inherit_lexicon
        self.propagate_lists = propagate_lists
        self.soft = pattern_list("soft_modifiers.txt") | pattern_list("trim_words.txt")
        self.table = shared_table()
        self._pair_entries: dict[tuple[str, str], object] = {}  # (long, short) -> Entry or None

    # -- abbreviation pairs -------------------------------------------------------------
    def _pair_entry(self, long: str, short: str):
        """The lexicon entry of a long form / short form pair, or None."""
        got = self._pair_entries.get((long, short), _MISSING)
        if got is not _MISSING:
            return got
        entry = self.lexicon.lookup(long)
        if entry is None:
            cand = self.lexicon.lookup(short)
            # Trust the short form's lexicon entry only if the long form reads like one of its names.
            if cand is not None and max(SequenceMatcher(None, norm_key(long), norm_key(a)).ratio()
                                        for a in [cand.label, *cand.aliases]) >= 0.6:
                entry = cand
        if len(self._pair_entries) >= _CACHE_SIZE:
            self._pair_entries.clear()
        self._pair_entries[long, short] = entry
        return entry

    def _pair_concept(self, doc: Doc, infos, pair, lex_cands) -> tuple[str, str, str]:
        long, short = self.table.text(doc, pair[0], pair[1]), self.table.text(doc, pair[2], pair[3])
        entry = self._pair_entry(long, short)
        if entry is not None:
            return entry.id, entry.type, "lexicon"
        typ = None
        for start, end, ltyp, _kb in lex_cands:  # a lexicon term ending the long form: "... bidirectional LSTM"
            if end == pair[1] and start >= pair[0]:
                typ = ltyp
        if typ is None:
            head = infos[pair[1] - 1].head
            if head is not None:
                typ = head[0]
            elif short.lower().endswith(ARCH_SUFFIXES):
                typ = "architecture"
            else:
                typ = "method"
        return slug(long), typ, "abbrev"

    def __call__(self, doc: Doc) -> Doc:
        infos, _spaces = self.table.infos(doc)
        starts, ends = self.table.offsets(doc)
        text = self.table.doc_text(doc)
        taken = bytearray(len(doc))
        chosen: list[tuple[int, int, str, str, str]] = []  # start, end, type, concept, resolution
        local: dict[str, tuple[str, str]] = {}
        lex_cands = get_candidates(doc, self.lexicon_key) if self.lexicon_key in self.sources else []
        pairs = get_candidates(doc, self.pairs_key)
        for pair in pairs:
            ls, le, ss, se = pair
            if taken.find(1, ls, le) >= 0 or taken.find(1, ss, se) >= 0:
                continue
            cid, typ, how = self._pair_concept(doc, infos, pair, lex_cands)
            for start, end in ((ls, le), (ss, se)):
                taken[start:end] = b"\x01" * (end - start)
                chosen.append((start, end, typ, cid, how))
                local[norm_key(text[starts[start]:ends[end - 1]].lower())] = (cid, typ)
        # Longest first, then source priority, then position; n (the candidate's number in its
        # source) keeps the order of equal keys and is never equal, so t and k are not compared.
        cands = [(s - e, prio, s, n, e, t, k) for prio, key in enumerate(self.sources)
                 for n, (s, e, t, k) in enumerate(get_candidates(doc, key))]
        cands.sort()
        lex_ends: dict[int, list[tuple[int, str]]] = {}
        for s, e, _t, k in lex_cands:
            lex_ends.setdefault(e, []).append((s, k))
        entries = self.lexicon.entries
        for _neg_len, _prio, start, _n, end, typ, kb in cands:
            if taken.find(1, start, end) >= 0:  # any token already taken
                continue
            taken[start:end] = b"\x01" * (end - start)
            if kb and not local:  # a lexicon match, and no definition in this document to prefer
                chosen.append((start, end, entries[kb].type, kb, "lexicon"))
                continue
            low = text[starts[start]:ends[end - 1]].lower()
            chosen.append((start, end, *self._resolve(low, infos, start, end, typ, kb, local, lex_ends)))
        chosen.sort()
        if self.propagate_lists:
            chosen = self._propagate(infos, chosen)
        # Character offsets, for readers that do not need Span objects (extract_mentions).
        doc.user_data[MENTIONS_KEY] = [(starts[s], ends[e - 1], t, c, h, s, e) for s, e, t, c, h in chosen]
        if pairs:
            by_tokens = {(s, e): c for s, e, _t, c, _h in chosen}
            doc.user_data[DEFINITIONS_KEY] = [(text[starts[ss]:ends[se - 1]], by_tokens[ss, se])
                                              for _ls, _le, ss, se in pairs if (ss, se) in by_tokens]
        if self.write_spans:
            doc.spans[MENTIONS_KEY] = [Span(doc, s, e, label=t, kb_id=c, span_id=h) for s, e, t, c, h in chosen]
        release(doc)
        return doc

    def _resolve(self, text, infos, start, end, typ, kb, local, lex_ends) -> tuple[str, str, str]:
        key = norm_key(text)
        if key in local:
            cid, ltyp = local[key]
            return ltyp, cid, "abbrev"
        if kb:
            return self.lexicon.entries[kb].type, kb, "lexicon"
        entry = self.lexicon.lookup(text)
        if entry is not None:
            return entry.type, entry.id, "lexicon"
        if self.inherit_lexicon:
            for lstart, lkb in lex_ends.get(end, ()):
                if lstart > start and all(infos[k].lower in self.soft for k in range(start, lstart)):
                    return self.lexicon.entries[lkb].type, lkb, "lexicon"
            head = infos[end - 1].head
            if head is not None and head[0] == "dataset" and end - start > 1:
                # "CIFAR-10 dataset", "Penn Treebank corpus": the dataset the name already denotes.
                entry = self.lexicon.lookup(text.rsplit(" ", 1)[0]) if " " in text else None
                if entry is not None and entry.type == "dataset":
                    return entry.type, entry.id, "lexicon"
        return typ, slug(text), "slug"

    @staticmethod
    def _propagate(infos, chosen):
        """Datasets are listed together: a name next to a dataset in a list is a dataset."""
        types = [c[2] for c in chosen]
        # Only a dataset retypes its neighbours: without one there is nothing to change.
        if "dataset" not in types:
            return chosen
        # Only datasets and names typed "method" by default take part: the others never change.
        takes_part = [t == "dataset" or (t == "method" and c[4] == "slug") for c, t in zip(chosen, types)]
        # Neighbours that both take part, joined by list glue only ("A, B and C"), as index pairs.
        joined = [(i, i + 1) for i in compress(range(len(chosen) - 1), map(and_, takes_part, takes_part[1:]))
                  if 0 < chosen[i + 1][0] - chosen[i][1] <= 3
                  and all(infos[k].lower in _LIST_GLUE for k in range(chosen[i][1], chosen[i + 1][0]))]
        if not joined:
            return chosen
        for _ in range(2):  # a chain "A, B and C" needs a pass each way
            for a, b in joined:
                for x, y in ((a, b), (b, a)):
                    if types[x] == "dataset" and types[y] == "method" and chosen[y][4] == "slug":
                        types[y] = "dataset"
        return [c if c[2] == t else (c[0], c[1], t, *c[3:]) for c, t in zip(chosen, types)]


@Language.factory("cg_normalize", default_config={
    "sources": ["cg_lexicon", "cg_names", "cg_chunks"], "lexicon_key": "cg_lexicon",
    "pairs_key": "cg_abbreviations", "lexicon_paths": [], "builtin": True, "inherit_lexicon": True,
    "propagate_lists": True, "write_spans": True})
def make_normalizer(nlp: Language, name: str, sources: list, lexicon_key: str, pairs_key: str, lexicon_paths: list,
                    builtin: bool, inherit_lexicon: bool, propagate_lists: bool, write_spans: bool):
    """Factory of :class:`Normalizer`."""
    return Normalizer(name, sources, lexicon_key, pairs_key, lexicon_paths, builtin, inherit_lexicon,
                      propagate_lists, write_spans)
