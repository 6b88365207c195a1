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
core_spans : bool, a mention is the part of a phrase that names the concept: "CLNet framework"
    is the mention "CLNet", "entropy-based pruning strategy" is "entropy-based pruning" (default True).

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

import re
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import compress
from operator import and_

from spacy.language import Language
from spacy.tokens import Doc, Span

from ._resources import Lexicon, left_trimmed_words, norm_key, pattern_list, slug
from ._tokens import ARCH_SUFFIXES, HYPHEN, WORD, BatchedComponent, get_candidates, release, shared_table

MENTIONS_KEY = "cg_mentions"
DEFINITIONS_KEY = "cg_definitions"
_LIST_GLUE = frozenset({",", "and", "or", "as", "well", "&"})
_MISSING = object()
# A model's family name and its version: "Llama" + "-3.1", "Qwen" + "2.5-VL-7B", "GPT" + "-4o".
# Lowercase variants after a size come from patterns/version_words.txt ("Gemma-2-2b-it").
_FAMILY = re.compile(r"([A-Za-z][A-Za-z]+)((?:[-\s]?(?:v?\d[\w.]*|[A-Z][A-Za-z]{0,3}\d*[a-z]?|Tiny|Small|Base|Large"
                     r"|Huge|Giant|Mini|Nano|Flash|Lite|Ultra|Instruct|Chat|Coder|Math|Vision"
                     + "".join(f"|(?<=-){re.escape(w)}" for w in sorted(pattern_list("version_words.txt")))
                     + r"))+)")
# Endings of nouns (a kind word follows a noun: "mining strategy", not "structured approach").
_NOUN_ENDINGS = ("ing", "ion", "ment", "ance", "ence", "ity", "sis", "ure", "ncy", "ness", "ism")
# Prefixes that make a noun of an -ing word ("post-processing", "down-sampling"), where another
# word before it makes an adjective ("self-evolving", "structure-preserving").
_NOUN_PREFIXES = frozenset({"pre", "post", "fine", "co", "re", "de", "multi", "cross", "over", "under", "down", "up"})
# A journal, proceedings or a meeting with its year: "Planetary Science Letters", "Journal of
# Machine Learning Research", "WINE 2024" (typed method only by default, so "BraTS 2021" found as
# data stays).
_VENUE = re.compile(r"(?:[A-Z][\w&-]*\s+)+(?:Letters|Journal|Transactions|Proceedings|Magazine)"
                    r"|(?:Journal|Transactions|Proceedings|Annals)\s+(?:of|on)\s+.+"
                    r"|[A-Z][A-Za-z]*[A-Z][A-Za-z]*\s*'?(?:19|20)\d\d")
_SEPARATORS = re.compile(r"[\s\-_]+")
_CACHE_SIZE = 100_000  # pairs whose lexicon entry is remembered (difflib is slow); then start afresh


@lru_cache(maxsize=1 << 16)
def _tight(text: str) -> str:
    """Lowercase text without spaces, hyphens and underscores, symbols kept ("R@1" -> "r@1").

    Cached: it is asked for the same lexicon names and the same name tokens in every abstract."""
    return _SEPARATORS.sub("", text.lower())


def alias_fits(entry, text: str) -> bool:
    """Whether a name-shaped ``text`` is one of ``entry``'s names, not merely the same key.

    :func:`norm_key` drops symbols and a final "s", which is right for phrases
    ("Dense-Nets") but makes one name out of two for short names: "PET" is not
    "PETS", "R1" is not "R@1", "LIBRAS" is not "LIBRA". A name with two or more
    capitals, or a capital and a digit, must equal an alias up to case and separators; a final lowercase "s"
    is a plural ("CNNs", "DenseNets").

    >>> from conceptgraph.extract.components._resources import Lexicon
    >>> lex = Lexicon.load()
    >>> alias_fits(lex.lookup("CNNs"), "CNNs"), alias_fits(lex.lookup("R1"), "R1")
    (True, False)
    """
    capitals = sum(map(str.isupper, text))
    if " " in text or capitals == 0 or (capitals == 1 and not any(map(str.isdigit, text))):
        return True
    forms = {_tight(text)}
    if text.endswith("s"):  # lowercase: an uppercase S belongs to the name
        forms.add(_tight(text[:-1]))
    names = {_tight(a) for a in (entry.label, *entry.aliases)}
    return bool(forms & names)


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


def _outputs(last) -> bool:
    """A lowercase plural of an action noun ends the phrase ("segmentations", "model
    predictions"): the outputs of a task, not the task (the chunker drops such phrases too)."""
    return last.plural and last.lower.endswith("ions")


class Normalizer(BatchedComponent):
    """Pipeline component: overlap resolution and concept ids (see module docs)."""

    def __init__(self, name: str, sources: list, lexicon_key: str, pairs_key: str, lexicon_paths, builtin: bool,
                 inherit_lexicon: bool, propagate_lists: bool, write_spans: bool, core_spans: bool = True):
        self.name = name
        self.sources = list(sources)
        self.lexicon_key = lexicon_key
        self.pairs_key = pairs_key
        self.write_spans = write_spans
        self.lexicon = Lexicon.load(lexicon_paths, builtin)
        self.inherit_lexicon = inherit_lexicon
        self.propagate_lists = propagate_lists
        self.soft = pattern_list("soft_modifiers.txt") | left_trimmed_words()
        self.ambiguous = pattern_list("ambiguous_acronyms.txt")
        self.compound_suffixes = pattern_list("compound_suffixes.txt")
        self.generic_words = pattern_list("generic_words.txt")
        self.attention_verbs = pattern_list("attention_verbs.txt")
        self.generic_heads = pattern_list("generic_heads.txt")
        self.kind_words = pattern_list("kind_words.txt")
        self.not_concepts = pattern_list("not_concepts.txt") | frozenset(map(norm_key, pattern_list("places.txt")))
        self.core_spans = core_spans
        self.dataset_suffixes = tuple(pattern_list("dataset_suffixes.txt"))
        self.table = shared_table()
        self._pair_entries: dict[tuple[str, str], object] = {}  # (long, short) -> Entry or None
        self._doc_offsets = None  # (token starts, token ends, text) of the document being read

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
            # 0.75: "relative position encoding" is "relative positional encoding" (0.96), while
            # "efficient multi-scale attention" is not "exponential moving average" (0.31).
            if cand is not None and max(SequenceMatcher(None, norm_key(long), norm_key(a)).ratio()
                                        for a in [cand.label, *cand.aliases]) >= 0.75:
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
        infos, spaces = self.table.infos(doc)
        starts, ends = self.table.offsets(doc)
        text = self.table.doc_text(doc)
        self._doc_offsets = (starts, ends, text)
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
        ambiguous = self.ambiguous
        for _neg_len, _prio, start, _n, end, typ, kb in cands:
            if taken.find(1, start, end) >= 0 or self._inside_word(infos, spaces, start, end) \
                    or (infos[end - 1].lower == "attention" and self._idiom(infos, start)):
                continue
            taken[start:end] = b"\x01" * (end - start)
            surface = text[starts[start]:ends[end - 1]]
            if kb and end - start == 1 and infos[start].name and not alias_fits(entries[kb], surface):
                kb = ""  # "LIBRAS" matched the plural of "Libra": not that name
            if kb and not local and not (end - start == 1 and infos[start].lower in ambiguous):
                # a lexicon match, and no definition in this document to prefer
                if (end - start == 1 and norm_key(surface) in self.not_concepts) \
                        or (entries[kb].type == "task" and _outputs(infos[end - 1])):
                    continue
                chosen.append((start, end, entries[kb].type, kb, "lexicon"))
                continue
            if self.core_spans and not kb:
                start, end, typ = self._core(infos, start, end, typ)
                surface = text[starts[start]:ends[end - 1]]
            if norm_key(surface) in self.not_concepts or (typ == "method" and not kb and _VENUE.fullmatch(surface)):
                continue  # "AI", "SOTA", "GPUs": its tokens stay taken, so no part of it is a mention
            chosen.append((start, end, *self._resolve(surface, infos, start, end, typ, kb, local, lex_ends,
                                                      text)))
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
        self._doc_offsets = None
        return doc

    def _inside_word(self, infos, spaces, start: int, end: int) -> bool:
        """The span is part of a longer hyphenated word: "of-distribution" in "Out-of-distribution".

        A left part is allowed when what follows the hyphen only qualifies it ("CNN-based").
        """
        if infos[start].kind == HYPHEN or infos[end - 1].kind == HYPHEN:
            return True
        if start >= 2 and infos[start - 1].kind == HYPHEN and not spaces[start - 1] and not spaces[start - 2] \
                and infos[start - 2].lower[-1:].isalnum():
            return True
        n = len(infos)
        return (end + 1 < n and infos[end].kind == HYPHEN and not spaces[end - 1] and not spaces[end]
                and infos[end + 1].lower[:1].isalpha() and infos[end + 1].lower not in self.compound_suffixes)

    def _idiom(self, infos, start: int) -> bool:
        """"gained substantial attention" (a phrase ending in "attention" at ``start``): the
        idiom, not the attention mechanism."""
        return any(infos[k].lower in self.attention_verbs for k in range(max(0, start - 3), start))

    def _supported(self, entry, doc_text: str) -> bool:
        """An ambiguous short alias resolves to ``entry`` only if the abstract also uses
        one of the entry's longer names or a distinctive word of them ("sharpness")."""
        low = doc_text.lower()
        for name in (entry.label, *entry.aliases):
            if " " in name or "-" in name or len(name) > 6:
                words = [w for w in re.split(r"[\s\-]+", name.lower()) if len(w) > 3
                         and w not in self.generic_words]
                if any(w[:-1] in low for w in words):
                    return True
        return False

    def _resolve(self, surface, infos, start, end, typ, kb, local, lex_ends, doc_text) -> tuple[str, str, str]:
        text = surface.lower()
        key = norm_key(text)
        if key in local:
            cid, ltyp = local[key]
            return ltyp, cid, "abbrev"
        if kb:
            entry = self.lexicon.entries[kb]
            if end - start == 1 and infos[start].lower in self.ambiguous and not self._supported(entry, doc_text):
                # Which sense this paper means is left to the corpus's definitions (slug: resolvable).
                return "method", slug(surface), "slug"
            return entry.type, kb, "lexicon"
        entry = self.lexicon.lookup(text)
        if entry is not None and alias_fits(entry, surface):
            if end - start == 1 and infos[start].lower in self.ambiguous and not self._supported(entry, doc_text):
                return "method", slug(surface), "slug"
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
        if typ == "method" and end - start > 1 and infos[start].name:
            # "BERTScore F1", "ROUGE-L recall": a name ending in a measure is that measure.
            last = self.lexicon.lookup(infos[end - 1].lower)
            if (last is not None and last.type == "metric") or (infos[end - 1].head or ("",))[0] == "metric":
                return "metric", slug(surface), "slug"
        # Only names: a regex over every lowercase phrase would cost more than all the rest here.
        # A type found from evidence ("APEX-Bench, the first benchmark": dataset) is kept.
        family = _FAMILY.fullmatch(surface) if typ == "method" and infos[start].name and len(surface) <= 40 \
            else None
        if family is not None and len(family.group(1)) >= 3:
            # "Llama-3.1", "Qwen2.5-VL-7B", "GPT-4o": a version of a known model has its type.
            entry = self.lexicon.lookup(family.group(1))
            if entry is not None and alias_fits(entry, family.group(1)) and entry.type != "metric":
                return entry.type, slug(surface), "slug"
        return typ, slug(surface), "slug"

    def _core(self, infos, start: int, end: int, typ: str) -> tuple[int, int, str]:
        """The tokens of a phrase that name its concept, and its type: (start, end, type).

        A name followed by a generic head word names what the name names ("CLNet framework",
        "the pre-trained BERT model", "Transformer-based models", "MAQA dataset" are CLNet,
        BERT, Transformer, MAQA); soft modifiers before it do not change that. A lowercase
        method phrase ending in a word for a kind of method names the method before it
        ("entropy-based pruning strategy", "a mining scheme").
        """
        last = infos[end - 1].lower
        if end - start < 2:
            return start, end, typ
        stop = end - 1
        if end - start >= 3 and infos[end - 2].lower in ("language", "foundation", "vision-language", "diffusion") \
                and last in ("model", "models"):
            stop = end - 2  # "the Qwen3 language model": Qwen3
        elif end - start >= 3 and last in ("function", "functions") and infos[end - 2].lower == "loss":
            return start, end - 1, typ  # "the joint loss function": the joint loss
        elif last not in self.generic_heads and not (typ == "dataset" and infos[end - 1].head is not None):
            if last not in self.kind_words:  # most phrases: no call for the kind-word rule
                return start, end, typ
            return self._kind_core(infos, start, end, typ) or (start, end, typ)
        if stop - start >= 3 and infos[stop - 1].lower == "based" and infos[stop - 2].kind == HYPHEN:
            stop -= 2  # "Transformer-based models"
        first = start
        while first < stop and (infos[first].lower in self.soft or infos[first].kind == HYPHEN
                                or infos[first].lower in ("pre", "trained")):
            first += 1
        part = [infos[k] for k in range(first, stop) if infos[k].kind != HYPHEN]
        # A name-shaped or uncommon capitalised word makes a name ("Twill framework"); common words
        # only when the lexicon knows them ("Transformer-based models"), else "Reward Model" stays.
        if not part or not all(p.name or p.title for p in part) or not (
                any(p.name or not p.common for p in part) or self.lexicon.lookup(self._span_text(first, stop))):
            # "an entropy-based pruning approach", "the Concept Fusion technique": not a name, but
            # a method named before a word for its kind
            return self._kind_core(infos, start, end, typ) or (start, end, typ)
        if not self._core_fits(first, stop, typ):
            entry = self.lexicon.lookup(self._span_text(first, stop).lower()) if typ == "dataset" else None
            if entry is not None and entry.type in ("method", "task") and infos[end - 1].head is not None:
                # "an SFT dataset", "MARL benchmarks": data for a method or task, and the name is that
                return first, stop, entry.type
            return start, end, typ
        if typ == "dataset" or any(infos[k].lower.endswith(self.dataset_suffixes) for k in range(first, stop)):
            typ = "dataset"  # "the APEX-Bench framework", "the MAQA dataset"
        elif infos[stop - 1].lower.endswith(ARCH_SUFFIXES) or last.startswith(("architecture", "network", "backbone")):
            typ = "architecture"
        else:
            typ = "method"
        return first, stop, typ

    def _kind_core(self, infos, start: int, end: int, typ: str) -> tuple[int, int, str] | None:
        """(start, end - 1, type) when the phrase ends in a word for a kind of method after a noun
        ("entropy-based pruning approach", "watermarking techniques"), else None. An -ing word
        glued to a hyphen is an adjective ("a self-evolving mechanism") unless a prefix makes it
        a noun ("post-processing") or the lexicon knows the words before the kind word."""
        before = infos[end - 2]
        if infos[end - 1].lower not in self.kind_words or before.kind != WORD or before.plural \
                or not (before.is_head or before.lower.endswith(_NOUN_ENDINGS)) \
                or not self._core_fits(start, end - 1, typ):
            return None
        if before.lower.endswith("ing") and end - start >= 4 and infos[end - 3].kind == HYPHEN \
                and infos[end - 4].lower not in _NOUN_PREFIXES \
                and self.lexicon.lookup(self._span_text(start, end - 1).lower()) is None:
            return None
        # the kind word says it is a method: "a synthetic data generation pipeline" is no task
        head_type = (before.head or (typ,))[0]
        return start, end - 1, head_type if head_type in ("method", "architecture") else typ

    def _span_text(self, start: int, end: int) -> str:
        starts, ends, text = self._doc_offsets
        return text[starts[start]:ends[end - 1]]

    def _core_fits(self, start: int, end: int, typ: str) -> bool:
        """Whether tokens start..end can stand for a phrase of type ``typ``: not when the
        lexicon knows them as something else ("MT system" is a method, "MT" a task; "SI
        corpus" is a dataset, "SI" not)."""
        entry = self.lexicon.lookup(self._span_text(start, end).lower())
        if entry is None:
            return True
        if typ == "dataset":
            return entry.type == "dataset"
        return entry.type not in ("task", "metric", "dataset")

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
    "propagate_lists": True, "write_spans": True, "core_spans": True})
def make_normalizer(nlp: Language, name: str, sources: list, lexicon_key: str, pairs_key: str, lexicon_paths: list,
                    builtin: bool, inherit_lexicon: bool, propagate_lists: bool, write_spans: bool,
                    core_spans: bool):
    """Factory of :class:`Normalizer`."""
    return Normalizer(name, sources, lexicon_key, pairs_key, lexicon_paths, builtin, inherit_lexicon,
                      propagate_lists, write_spans, core_spans)
