"""Data files shared by the extraction components, loaded once per process.

Everything tunable (head words, boundary words, the lexicon) lives in
``extract/data``; this module reads it and offers the string normalisation that
every component must agree on (:func:`norm_key`, :func:`slug`, :func:`singular`).

Examples
--------
>>> norm_key("Dense Convolutional Networks") == norm_key("dense-convolutional network")
True
>>> slug("Fully-Convolutional Networks")
'fully-convolutional-network'
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PATTERNS_DIR = DATA_DIR / "patterns"
LEXICON_DIR = DATA_DIR / "lexicon"

TYPES = ("method", "architecture", "dataset", "task", "metric")

_NON_ALNUM = re.compile(r"[^0-9a-z+]+")
_SLUG_SPLIT = re.compile(r"[\s\-_/]+")
_SLUG_DROP = re.compile(r"[^0-9a-z+.]+")
_IRREGULAR = {"caches": "cache", "niches": "niche", "corpora": "corpus", "indices": "index", "matrices": "matrix", "vertices": "vertex",
              "data": "data", "analyses": "analysis", "hypotheses": "hypothesis"}
# Plural-looking words that are singular (or whose "s" belongs to the name).
_KEEP_S = frozenset({"gaussian", "bias", "class", "loss", "less", "process", "analysis", "basis",
                     "bus", "status", "focus", "consensus", "lens", "news", "series", "species",
                     "physics", "mathematics", "statistics", "robustness", "darts", "axis",
                     "atlas", "gas", "alias", "thesis", "synthesis", "corpus", "census",
                     "apparatus", "radius", "calculus", "nucleus", "stimulus", "virus",
                     "genus", "campus", "cityscapes", "places", "sms", "mars", "ms", "gps",
                     "various", "previous", "numerous", "us", "is", "was", "has", "this",
                     "its", "his", "thus", "yes", "tts", "cbs", "dms", "vos"})


def read_list(name: str) -> frozenset[str]:
    """Lowercased words of a one-per-line pattern file (``#`` starts a comment)."""
    words = set()
    for line in (PATTERNS_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.lower())
    return frozenset(words)


@lru_cache(maxsize=None)
def heads() -> dict[str, tuple[str, int]]:
    """``head word -> (type, min_modifiers)`` from ``patterns/heads.tsv``."""
    out = {}
    for line in (PATTERNS_DIR / "heads.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, typ, min_mods = line.split("\t")
        out[word.strip().lower()] = (typ.strip(), int(min_mods))
    return out


@lru_cache(maxsize=None)
def pattern_list(name: str) -> frozenset[str]:
    """Cached :func:`read_list`."""
    return read_list(name)


@lru_cache(maxsize=None)
def left_trimmed_words() -> frozenset[str]:
    """Modifiers dropped from a phrase's left edge: the evaluative ones (``trim_words.txt``,
    "novel", "efficient") and the descriptive ones (``descriptive_adjectives.txt``,
    "generalizable", "holistic")."""
    return pattern_list("trim_words.txt") | pattern_list("descriptive_adjectives.txt")


@lru_cache(maxsize=1)
def common_words(min_log_prob: float = -14.0) -> frozenset[str]:
    """Frequent English words (lowercase) from spacy-lookups-data's ``lexeme_prob`` table.

    Used to tell a capitalised ordinary word ("Recent", "Experiments") from a
    name ("Penn", "Cityscapes"). The spaCy ``Table`` keeps only string hashes, so
    the packaged JSON is read directly.
    """
    import gzip
    from importlib import resources

    ref = resources.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        probs = json.load(fh)
    return frozenset(w.lower() for w, p in probs.items() if p > min_log_prob and w.isalpha())


@lru_cache(maxsize=1)
def verb_only_words() -> frozenset[str]:
    """Base forms that spacy-lookups-data lists as verbs but never as nouns or adjectives.

    Such a word ("revive", "outperform") cannot sit inside a noun phrase, so the
    chunker uses it as a boundary, which stands in for the missing POS tagger.
    """
    import gzip
    from importlib import resources

    ref = resources.files("spacy_lookups_data") / "data" / "en_lemma_index.json.gz"
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        index = json.load(fh)
    return frozenset(index["verb"]) - frozenset(index["noun"]) - frozenset(index["adj"])


@lru_cache(maxsize=1)
def verb_words() -> frozenset[str]:
    """Base forms that spacy-lookups-data lists as verbs ("probe", "measure", "model").

    After "to" such a word is an infinitive ("to probe reasoning"), not a modifier.
    """
    import gzip
    from importlib import resources

    ref = resources.files("spacy_lookups_data") / "data" / "en_lemma_index.json.gz"
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return frozenset(json.load(fh)["verb"])


@lru_cache(maxsize=200_000)
def singular(word: str) -> str:
    """Singular of a lowercase word: irregulars, the lemma table, then suffix rules.

    >>> singular("networks"), singular("cnns"), singular("corpora"), singular("loss")
    ('network', 'cnn', 'corpus', 'loss')
    """
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or word in _KEEP_S or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


# British spellings, written the American way in ids and keys ("optimisation" = "optimization").
_BRITISH = re.compile(r"(?<=[a-z]{3})is(ation|ations|er|ers)\b|\b(model|label|travel|signal|cancel|tunnel)l(ing|ed)\b"
                      r"|\b(colo|behavio|neighbo|favo|flavo|labo)ur(s?)\b|\bcentre(s?)\b")


def _american(lower: str) -> str:
    """``lower`` with British spellings made American.

    >>> _american("regularisation of modelling behaviour")
    'regularization of modeling behavior'
    """
    if "is" not in lower and "ll" not in lower and "ur" not in lower and "tre" not in lower:
        return lower
    return _BRITISH.sub(_to_american, lower)


def _to_american(found: re.Match) -> str:
    if found.group(1) is not None:
        return "iz" + found.group(1)
    if found.group(2) is not None:
        return found.group(2) + found.group(3)
    if found.group(4) is not None:
        return found.group(4) + "r" + found.group(5)
    return "center" + found.group(6)


_ACRONYM_PLURAL = re.compile(r"[A-Z][A-Z0-9]*[A-Z0-9]s")  # MRIs, T2Is, CNNs
_ALL_CAPS = re.compile(r"[A-Z0-9][A-Z0-9]*[A-Z][A-Z0-9]*")  # LIBRAS, PETS: an S of the name


def _last_singular(original_last: str, lower_last: str) -> str:
    """Singular of a phrase's last word, deciding acronyms by their case ("MRIs", "LIBRAS")."""
    if _ACRONYM_PLURAL.fullmatch(original_last):
        return lower_last[:-1]
    if _ALL_CAPS.fullmatch(original_last):
        return lower_last
    return singular(lower_last)


@lru_cache(maxsize=1 << 18)
def norm_key(text: str) -> str:
    """Matching key: lowercase, last word singular, all separators removed.

    >>> norm_key("ConvNets"), norm_key("Conv-Net"), norm_key("U^2-Net")
    ('convnet', 'convnet', 'u2net')
    """
    words = [w for w in _NON_ALNUM.split(_american(text.lower().replace("’", "").replace("'", ""))) if w]
    if not words:
        return ""
    words[-1] = _last_singular(_last_word(text), words[-1])
    return "".join(words)


def _last_word(text: str) -> str:
    """The last run of letters and digits of ``text`` as written."""
    found = _LAST_WORD.search(text)
    return found.group(0) if found else ""


_LAST_WORD = re.compile(r"[0-9A-Za-z+]+(?=[^0-9A-Za-z+]*$)")


@lru_cache(maxsize=1 << 18)
def slug(text: str) -> str:
    """Stable concept id for a phrase that is not in the lexicon.

    >>> slug("Dynamic  Pooling"), slug("CNNs"), slug("WMT’15")
    ('dynamic-pooling', 'cnn', 'wmt15')
    """
    words = [_SLUG_DROP.sub("", w)
             for w in _SLUG_SPLIT.split(_american(text.lower().replace("’", "").replace("'", "")))]
    words = [w.strip(".") for w in words]
    words = [w for w in words if w]
    if not words:
        return ""
    words[-1] = _last_singular(_last_word(text), words[-1])
    return "-".join(words)


def pluralize(word: str) -> str:
    """English plural of a word, keeping its case pattern for acronyms ("CNN" -> "CNNs")."""
    low = word.lower()
    if not word[-1:].isalpha():
        return word
    if word.isupper() or word[-1].isupper():
        return word + "s"
    if low.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if low.endswith("y") and len(low) > 2 and low[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


@dataclass
class Entry:
    """One canonical concept of the lexicon."""

    id: str
    label: str
    type: str
    aliases: list[str] = field(default_factory=list)
    generic: bool = False
    case_sensitive: list[str] = field(default_factory=list)


_BLANKS = re.compile(r"\s+")  # tabs, newlines, \r, U+2028/U+2029 ...: a label is one line


def _one_line(value: str) -> str:
    """A lexicon string cleaned as corpus text is (control characters, lone surrogates), on one line."""
    from ..readers import clean_text

    return _BLANKS.sub(" ", clean_text(value)).strip()


def _entry(rec, where: str) -> dict:
    """One lexicon record checked as user input; :class:`InputError` names ``file:line``."""
    from ..readers import InputError

    if not isinstance(rec, dict):
        raise InputError(f"{where}: a lexicon entry is a JSON object with a label, not {type(rec).__name__}")
    label = rec.get("label")
    if not isinstance(label, str) or not _one_line(label):
        got = "no label" if label is None else f"label {label!r}"
        raise InputError(f"{where}: a lexicon entry needs a text label ({got})")
    typ = rec.get("type", "method")
    if not isinstance(typ, str) or typ.strip().lower() not in TYPES:
        raise InputError(f"{where}: unknown type {typ!r}; use one of {', '.join(TYPES)}")
    out = {"label": _one_line(label), "type": typ.strip().lower()}
    for name in ("aliases", "case_sensitive"):
        values = rec.get(name, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise InputError(f"{where}: {name!r} must be a list of texts, not {values!r}")
        out[name] = [v for v in (_one_line(v) for v in values) if v]
    cid = rec.get("id")
    if cid is not None and not isinstance(cid, str):
        raise InputError(f"{where}: 'id' must be a text, not {cid!r}")
    out["id"] = _one_line(cid) if cid else ""
    out["id"] = out["id"] or slug(out["label"])
    if not out["id"]:
        raise InputError(f"{where}: the label {out['label']!r} gives no id; add an 'id'")
    generic = rec.get("generic", False)
    if not isinstance(generic, bool):
        raise InputError(f"{where}: 'generic' must be true or false, not {generic!r}")
    out["generic"] = generic
    return out


def _read_entries(path: Path):
    """Checked records of one lexicon file (``.jsonl`` or ``.tsv``); errors name the file and line."""
    from ..readers import InputError, decode_bytes

    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read lexicon file ({err.strerror})") from None
    text = decode_bytes(data, str(path))
    if path.suffix == ".tsv":
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip() or line.startswith("#") or line.startswith("id\t"):
                continue
            cols = line.split("\t") + ["", "", "", "", ""]
            if not cols[1].strip():
                raise InputError(f"{path}:{n}: a lexicon row needs at least id and label, tab-separated")
            yield _entry({"id": cols[0].strip(), "label": cols[1], "type": cols[2].strip() or "method",
                          "aliases": [a for a in cols[3].split("|") if a.strip()],
                          "generic": cols[4].strip().lower() in ("1", "true", "yes")}, f"{path}:{n}")
    else:
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(f"{path}:{n}: not a JSON object ({err.msg}, column {err.colno})") from None
            yield _entry(rec, f"{path}:{n}")


class Lexicon:
    """The typed lexicon: entries by id and an index from :func:`norm_key` to id.

    Later files override earlier ones, so a user file can retype or regroup a
    built-in alias.

    Examples
    --------
    >>> lex = Lexicon.load()
    >>> lex.lookup("DenseNets").id
    'densenet'
    """

    def __init__(self, entries: dict[str, Entry]):
        self.entries = entries
        self.index: dict[str, str] = {}
        for entry in entries.values():
            for alias in [entry.label, *entry.aliases]:
                key = norm_key(alias)
                if key:
                    self.index[key] = entry.id

    @classmethod
    def load(cls, paths=(), builtin: bool = True) -> "Lexicon":
        # keyed by each file's size and modification time too: a file edited between two
        # builds of one Python session is read again
        return _load_lexicon(tuple((str(p), _file_stamp(p)) for p in paths), builtin)

    def lookup(self, text: str) -> Entry | None:
        cid = self.index.get(norm_key(text))
        return self.entries.get(cid) if cid else None


def _file_stamp(path) -> tuple[int, int] | None:
    """A file's modification time and size (None when it cannot be read: reading it says why)."""
    try:
        st = Path(path).stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


@lru_cache(maxsize=8)
def _load_lexicon(stamped_paths: tuple[tuple[str, tuple | None], ...], builtin: bool) -> Lexicon:
    files = sorted(LEXICON_DIR.glob("*.jsonl")) + sorted(LEXICON_DIR.glob("*.tsv")) if builtin else []
    files += [Path(p) for p, _ in stamped_paths]
    entries: dict[str, Entry] = {}
    for path in files:
        for rec in _read_entries(path):
            entries[rec["id"]] = Entry(rec["id"], rec["label"], rec["type"], rec["aliases"], rec["generic"],
                                       rec["case_sensitive"])
    return Lexicon(entries)
