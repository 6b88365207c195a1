"""``cg_lexicon``: typed lexicon matcher over the data files in ``extract/data/lexicon``.

Every alias of every entry is expanded into spelling variants (plural of the last
word, hyphen/space/no-space forms) and matched with a spaCy ``PhraseMatcher`` on
``LOWER``. Short capitalised aliases and capitalised common words ("Adam", "Places",
"COCO"), which would otherwise match ordinary English, are case-sensitive: their
matches are kept only when the tokens' exact text (``ORTH``) is the alias's.

Config
------
lexicon_paths : list of extra ``.jsonl``/``.tsv`` lexicon files (loaded after the built-in ones).
builtin : bool, use the packaged lexicon (default True).
variants : bool, add plural and hyphenation variants (default True).
spans_key : str, name of the candidate list (default ``"cg_lexicon"``).
write_spans : bool, also write the matches to ``doc.spans[spans_key]`` (default False).

Examples
--------
>>> import spacy
>>> from conceptgraph.extract import components  # registers the factories
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("cg_lexicon", config={"write_spans": True})
>>> doc = nlp("We train ResNets on CIFAR-10.")
>>> [(s.text, s.label_, s.kb_id_) for s in doc.spans["cg_lexicon"]]
[('ResNets', 'architecture', 'resnet'), ('CIFAR-10', 'dataset', 'cifar-10')]
"""
from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from ._resources import Lexicon, common_words, pluralize
from ._tokens import BatchedComponent, put_candidates, shared_table

_SHORT = 5  # capitalised single-token aliases up to this length match case-sensitively
_CASED = "\x00cased:"  # key prefix of case-sensitive forms in the matcher


def alias_variants(alias: str, variants: bool = True) -> set[str]:
    """Spelling variants of an alias: plural of the last word and hyphenation forms.

    >>> sorted(alias_variants("fine-tuning"))
    ['fine tuning', 'fine tunings', 'fine-tuning', 'fine-tunings', 'finetuning', 'finetunings']
    """
    forms = {alias}
    if not variants:
        return forms
    if "-" in alias:
        forms |= {alias.replace("-", " "), alias.replace("-", "")}
    if " " in alias and alias.count(" ") <= 2:
        forms.add(alias.replace(" ", "-"))
    for form in list(forms):
        head, _, last = form.rpartition(" ")
        if last[:1].isalpha() and not last[-1:].isdigit():
            forms.add((head + " " if head else "") + pluralize(last))
    return forms


def case_sensitive(alias: str, entry_cs=()) -> bool:
    """Whether an alias must match with its exact capitalisation."""
    if alias in entry_cs:
        return True
    if alias.islower() or " " in alias or not any(c.isupper() for c in alias):
        return False
    return len(alias) <= _SHORT or alias.lower() in common_words()


class LexiconMatcher(BatchedComponent):
    """Pipeline component: one typed candidate per lexicon match (see module docs)."""

    def __init__(self, nlp: Language, name: str, lexicon_paths, builtin: bool, variants: bool,
                 spans_key: str, write_spans: bool):
        self.name = name
        self.spans_key = spans_key
        self.write_spans = write_spans
        self.lexicon = Lexicon.load(lexicon_paths, builtin)
        self.table = shared_table()
        lower, orth = {}, {}
        for entry in self.lexicon.entries.values():
            for alias in dict.fromkeys([entry.label, *entry.aliases]):
                cs = case_sensitive(alias, entry.case_sensitive)
                target = orth if cs else lower
                for form in alias_variants(alias, variants):
                    target.setdefault(form if cs else form.lower(), entry.id)
        # One matcher on LOWER for both kinds, so the doc is scanned once: a case-sensitive
        # form is added lowercased under its own key, and its match is kept only if the
        # tokens' ORTH are the form's.
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        tokenizer = self._pattern_tokenizer(nlp)
        # match key -> (type, concept id, ORTH sequences of the form, or None when case-blind)
        self._keys: dict[int, tuple[str, str, set | None]] = {}
        self._add(self.matcher, tokenizer, lower, False)
        self._add(self.matcher, tokenizer, orth, True)

    @staticmethod
    def _pattern_tokenizer(nlp) -> Tokenizer:
        # Patterns are tokenised by a copy of the tokenizer: the pipeline's own tokenizer
        # caches a bounded number of chunks, and filling that cache with lexicon words made
        # abstracts five times slower to tokenise.
        tokenizer = Tokenizer(nlp.vocab)
        tokenizer.from_bytes(nlp.tokenizer.to_bytes())
        return tokenizer

    def _add(self, matcher, tokenizer, forms: dict[str, str], cased: bool) -> None:
        """Add ``forms`` (form -> concept id) to the matcher, one key per concept."""
        by_id: dict[str, list[str]] = {}
        for form, cid in sorted(forms.items()):
            by_id.setdefault(cid, []).append(form)
        for cid, texts in by_id.items():
            docs = list(tokenizer.pipe(texts))
            key = _CASED + cid if cased else cid
            matcher.add(key, docs)
            entry = self.lexicon.entries[cid]
            exact = {tuple(t.orth for t in doc) for doc in docs} if cased else None
            self._keys[matcher.vocab.strings[key]] = (entry.type, entry.id, exact)

    def __call__(self, doc: Doc) -> Doc:
        keys = self._keys
        plain, cased = [], []
        orths = None
        for match_id, start, end in self.matcher(doc):
            typ, cid, exact = keys[match_id]
            if exact is None:
                plain.append((start, end, typ, cid))
            else:
                if orths is None:
                    orths = self.table.orths(doc)  # the later components read this table too
                if tuple(orths[start:end]) in exact:
                    cased.append((start, end, typ, cid))
        put_candidates(doc, self.spans_key, plain + cased, self.write_spans)
        return doc


@Language.factory("cg_lexicon", default_config={"lexicon_paths": [], "builtin": True, "variants": True,
                                                "spans_key": "cg_lexicon", "write_spans": False})
def make_lexicon_matcher(nlp: Language, name: str, lexicon_paths: list, builtin: bool, variants: bool,
                         spans_key: str, write_spans: bool):
    """Factory of :class:`LexiconMatcher`."""
    return LexiconMatcher(nlp, name, lexicon_paths, builtin, variants, spans_key, write_spans)
