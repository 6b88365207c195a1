"""``cg_lexicon``: typed lexicon matcher over the data files in ``extract/data/lexicon``.

Every alias of every entry is expanded into spelling variants (plural of the last
word, hyphen/space/no-space forms) and matched with spaCy ``PhraseMatcher``\\ s:
one on ``LOWER`` for ordinary aliases, one on ``ORTH`` for short capitalised aliases
and capitalised common words ("Adam", "Places", "COCO"), which would otherwise match
ordinary English.

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
from ._tokens import put_candidates

_SHORT = 5  # capitalised single-token aliases up to this length match case-sensitively


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


class LexiconMatcher:
    """Pipeline component: one typed candidate per lexicon match (see module docs)."""

    def __init__(self, nlp: Language, name: str, lexicon_paths, builtin: bool, variants: bool,
                 spans_key: str, write_spans: bool):
        self.name = name
        self.spans_key = spans_key
        self.write_spans = write_spans
        self.lexicon = Lexicon.load(lexicon_paths, builtin)
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        lower, orth = {}, {}
        for entry in self.lexicon.entries.values():
            for alias in dict.fromkeys([entry.label, *entry.aliases]):
                cs = case_sensitive(alias, entry.case_sensitive)
                target = orth if cs else lower
                for form in alias_variants(alias, variants):
                    target.setdefault(form if cs else form.lower(), entry.id)
        self._add(nlp, self.lower_matcher, lower)
        self._add(nlp, self.orth_matcher, orth)

    @staticmethod
    def _add(nlp, matcher, forms: dict[str, str]):
        by_id: dict[str, list[str]] = {}
        for form, cid in sorted(forms.items()):
            by_id.setdefault(cid, []).append(form)
        # Patterns are tokenised by a copy of the tokenizer: the pipeline's own tokenizer
        # caches at most 10,000 chunks, and filling that cache with lexicon words made
        # abstracts five times slower to tokenise.
        tokenizer = Tokenizer(nlp.vocab)
        tokenizer.from_bytes(nlp.tokenizer.to_bytes())
        for cid, texts in by_id.items():
            matcher.add(cid, list(tokenizer.pipe(texts)))

    def __call__(self, doc: Doc) -> Doc:
        entries = self.lexicon.entries
        strings = doc.vocab.strings
        cands = []
        for matcher in (self.lower_matcher, self.orth_matcher):
            for match_id, start, end in matcher(doc):
                entry = entries[strings[match_id]]
                cands.append((start, end, entry.type, entry.id))
        put_candidates(doc, self.spans_key, cands, self.write_spans)
        return doc


@Language.factory("cg_lexicon", default_config={"lexicon_paths": [], "builtin": True, "variants": True,
                                                "spans_key": "cg_lexicon", "write_spans": False})
def make_lexicon_matcher(nlp: Language, name: str, lexicon_paths: list, builtin: bool, variants: bool,
                         spans_key: str, write_spans: bool):
    """Factory of :class:`LexiconMatcher`."""
    return LexiconMatcher(nlp, name, lexicon_paths, builtin, variants, spans_key, write_spans)
