"""What every reader shares: the raw record, skips, errors, and field cleaning.

A *raw record* is a dict with the keys of :data:`RECORD_FIELDS`, made by
:func:`record`; a reader yields raw records, :class:`Skip` entries (a record
that cannot be used, with its line and reason) or :class:`Citation` links,
and raises nothing but :class:`InputError` (a file that cannot be read at all).
"""
from __future__ import annotations

import datetime
import email.utils
import html
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

RECORD_FIELDS = ("id", "title", "abstract", "year", "date", "doi", "references", "cited_by", "first_author",
                 "source_file", "source_line", "year_raw")
# ``year_raw`` is the year value as given (one line), so that the load report can
# count records whose year is malformed ("in press", "n.d.") apart from missing ones.
# ``date`` is the publication date as an ISO string ("2025-05-23") when the source gives a whole one.
# ``first_author`` is the first author's family name: duplicates by title must agree on it.

# Records longer than this (title + abstract, in characters) are skipped with
# their reason: no abstract is that long, and spaCy refuses longer texts.
MAX_TEXT_CHARS = 1_000_000


class InputError(Exception):
    """A file that cannot be read at all; the message is one line naming the file."""

    # Its public home (tracebacks, doctests and pickles name it there).
    __module__ = "conceptgraph.extract.readers"


@dataclass(frozen=True)
class Skip:
    """A record that was read but cannot be used."""

    source_file: str
    source_line: int
    reason: str


@dataclass(frozen=True)
class Citation:
    """One link of a citation edge list (a ``citing,cited`` table): ids of two papers."""

    source_file: str
    source_line: int
    citing: str
    cited: str


@dataclass(frozen=True)
class Source:
    """Where the text being parsed came from (for messages and provenance)."""

    path: Path
    name: str  # the name reported in outputs: relative to the input argument


def one_line(value, limit: int = 200) -> str:
    """Text for an error message: one line, at most ``limit`` characters.

    >>> one_line("a\\n  b" + "c" * 300, 10)
    'a bcccc...'
    """
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def data_patterns(filename: str) -> list[re.Pattern]:
    """The regular expressions of a pattern file in ``extract/data/layouts/`` (one a line, # comments)."""
    text = resources.files("conceptgraph.extract").joinpath("data", "layouts", filename).read_text("utf-8")
    return [re.compile(line, re.IGNORECASE) for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


def text_value(value) -> str:
    """A field value as text ("" for None, NaN, and containers).

    >>> text_value(None), text_value(float("nan")), text_value(12), text_value(["x"])
    ('', '', '12', '')
    """
    if value is None or isinstance(value, (dict, list, tuple, bool)):
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return value if isinstance(value, str) else str(value)


def clean_space(text: str) -> str:
    """Runs of white space (line breaks of a wrapped field) as one space."""
    return " ".join(text.split())


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def parse_year(value) -> int | None:
    """Publication year from a year or date value; None when there is none.

    Suffixes that tell apart works of one author and year ("2019a"), dates and
    dates with the day first are understood; values without a year ("in press",
    "n.d.", "forthcoming") give None.

    >>> parse_year("2019-05-01"), parse_year(2020.0), parse_year("2019a"), parse_year("in press")
    (2019, 2020, 2019, None)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if value == value and 1800 <= value <= 2100 else None
    text = str(value)
    match = _YEAR.search(text)
    if match:
        return int(match.group(1))
    compact = re.fullmatch(r"\s*(1[89]\d\d|20\d\d)\d{4}\s*", text)  # 20190501
    return int(compact.group(1)) if compact else None


_ISO_DATE = re.compile(r"\s*(\d{4})-(\d\d)-(\d\d)(?:$|[T\s])")


def parse_date(value) -> str | None:
    """A whole publication date as an ISO string, or None: ISO dates (a time after them is
    dropped), e-mail dates (arXiv's "Mon, 2 Apr 2007 19:18:42 GMT") and ``[year, month, day]``
    lists (CSL-JSON ``date-parts``); a year or a month alone is no date.

    >>> parse_date("2025-05-23"), parse_date("2025-05-23T17:59:59Z"), parse_date("Mon, 2 Apr 2007 19:18:42 GMT")
    ('2025-05-23', '2025-05-23', '2007-04-02')
    >>> parse_date([2019, 5, 1]), parse_date(2019), parse_date("2019-05"), parse_date("2019-02-30")
    ('2019-05-01', None, None, None)
    """
    if isinstance(value, list):
        parts = [int(x) if isinstance(x, str) and x.strip().isdigit() else x for x in value]
    elif isinstance(value, str):
        match = _ISO_DATE.match(value)
        if match:
            parts = [int(x) for x in match.groups()]
        elif "," in value:
            try:
                stamp = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError, OverflowError):
                return None
            parts = [stamp.year, stamp.month, stamp.day]
        else:
            return None
    else:
        return None
    if len(parts) != 3 or not all(isinstance(x, int) and not isinstance(x, bool) for x in parts):
        return None
    try:
        day = datetime.date(*parts)
    except (ValueError, OverflowError):
        return None
    return day.isoformat() if 1800 <= day.year <= 2100 else None


def clean_doi(value) -> str | None:
    """A DOI without its resolver prefix: ``https://doi.org/10.1/X`` → ``10.1/X``.

    >>> clean_doi("http://dx.doi.org/10.1002/cpp.2398"), clean_doi("doi: 10.1/x [doi]")
    ('10.1002/cpp.2398', '10.1/x')
    """
    if value is None or isinstance(value, (dict, list, tuple, bool)):
        return None
    text = str(value).strip()
    text = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", text, flags=re.IGNORECASE)
    return text.split()[0] if text.split() else None


# Characters no output format may carry: C0/C1 controls other than tab and newline
# (invalid in XML, so in GraphML/GEXF), lone surrogates (unencodable as UTF-8, as
# JSON can smuggle them in with "\ud800") and the non-characters U+FFFE/U+FFFF.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Text with unsafe characters replaced one for one (so offsets stay valid).

    >>> clean_text("a\\x0cb") == "a b", clean_text("x\\ud800") == "x\\ufffd"
    (True, True)
    """
    if value.isprintable() or not _UNSAFE_CHARS.search(value):  # isprintable: a fast test for most text
        return value
    return _UNSAFE_CHARS.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else " ", value)


# ---------------------------------------------------------------- text hygiene

# Inline markup that publishers leave in titles and abstracts (IEEE, Scopus, Crossref JATS,
# MathML). Only these tags are removed: "a <b> c" with an unknown tag, or "x < y", stays.
_MARKUP = re.compile(
    r"</?(?:sup|sub|inf|i|b|em|strong|u|sc|scp|small|tt|span|italic|bold|p|br|div|title|sec|"
    r"jats:[a-z-]+|mml:[a-z]+|math|mi|mo|mn|mrow|msub|msup)(?:\s[^<>]{0,300})?\s*/?>", re.IGNORECASE)
_BREAK_TAGS = re.compile(r"^</?(?:p|br|div|sec|jats:p|jats:sec)\b", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,30}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_PUBLISHER = data_patterns("publisher_boilerplate.txt")
# A statement is only looked for when one of these words is in the text's tail (fast path).
_PUBLISHER_WORDS = ("©", "(c)", "copyright", "rights reserved", "springer", "elsevier", "published by",
                    "open access")
_TAIL_CHARS = 600


def strip_markup(text: str) -> str:
    """Text without publishers' inline HTML/XML tags, with entities decoded.

    >>> strip_markup("CO<inf>2</inf> &amp; H<sub>2</sub>O at &lt;5 K; x < y")
    'CO2 & H2O at <5 K; x < y'
    """
    if "<" in text:
        text = _MARKUP.sub(lambda m: " " if _BREAK_TAGS.match(m.group()) else "", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return text


def strip_publisher_boilerplate(text: str) -> str:
    """An abstract without the copyright and licence statements publishers append.

    The statements are the patterns of ``extract/data/layouts/publisher_boilerplate.txt``,
    removed from the end of the text for as long as one matches there.

    >>> strip_publisher_boilerplate("We train nets. (C) 2004 Elsevier Science B.V. All rights reserved.")
    'We train nets.'
    >>> strip_publisher_boilerplate("Nets learn. © Springer-Verlag Berlin Heidelberg 2005")
    'Nets learn.'
    """
    while True:
        tail_start = max(0, len(text) - _TAIL_CHARS)
        tail = text[tail_start:].lower()
        if not any(map(tail.__contains__, _PUBLISHER_WORDS)):
            return text
        best = None
        for pattern in _PUBLISHER:
            match = pattern.search(text, tail_start)
            if match and (best is None or match.start() < best):
                best = match.start()
        if best is None:
            return text
        text = text[:best].rstrip()


_AUTHOR_SEPARATOR = re.compile(r"\s+and\s+|;|\n")


def first_author_name(value) -> str | None:
    """The family name of the first author in an author field, as exports write it.

    ``Su, K. and Li, J.`` (BibTeX), ``Phillips J.C., Braun R.`` (Scopus), ``Wörmann B``
    (MEDLINE), ``P. Kogge; J. Shalf`` (IEEE), ``Kaiming He`` (OpenAlex) all work.

    >>> [first_author_name(v) for v in ("Su, K. and Li, J.", "Phillips J.C., Braun R.", "Wörmann B",
    ...                                  "P. Kogge; J. Shalf", "Kaiming He", ["Singh, EM", "Kaur, ES"])]
    ['Su', 'Phillips', 'Wörmann', 'Kogge', 'He', 'Singh']
    """
    if isinstance(value, (list, tuple)):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    text = text_value(value)[:300].strip()  # the first name is near the start of a long list
    if not text:
        return None
    first = _AUTHOR_SEPARATOR.split(text, maxsplit=1)[0].strip()
    if "," in first:
        family, rest = first.split(",", 1)
        # "Phillips J.C., Braun R." (Scopus): the part before the comma is a whole name.
        words = family.split()
        if len(words) >= 2 and _initials(words[-1]):
            return " ".join(words[:-1]) or None
        return family.strip() or None
    words = first.split()
    if len(words) >= 2 and _initials(words[-1]):  # "Wörmann B", "Phillips J.C."
        return " ".join(words[:-1])
    return words[-1] if words else None


def _initials(word: str) -> bool:
    letters = word.replace(".", "").replace("-", "")
    return 0 < len(letters) <= 3 and letters.isupper()


def author_key(name: str | None) -> str | None:
    """A family name folded for comparison: case and accents (``Wörmann`` = ``WORMANN``)."""
    if not name:
        return None
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    return "".join(ch for ch in folded.lower() if ch.isalnum()) or None


# ---------------------------------------------------------------- records

def record(source: Source, line: int, **fields) -> dict:
    """A raw record with every field of :data:`RECORD_FIELDS` present.

    ``year`` may be given as found (a number, "2019a", a date, "in press"):
    it is parsed here, and the raw value kept in ``year_raw``; ``date`` is
    :func:`parse_date` of the given date; ``doi`` loses
    its resolver prefix; ``first_author`` may be the whole author field.
    Titles and abstracts lose publishers' markup; abstracts lose appended
    copyright statements.

    >>> rec = record(Source(Path("a.csv"), "a.csv"), 2, title="CO<sub>2</sub>", year="2019a",
    ...              first_author="Su, K. and Li, J.")
    >>> rec["title"], rec["year"], rec["first_author"], rec["source_line"]
    ('CO2', 2019, 'Su', 2)
    """
    rec = {key: None for key in RECORD_FIELDS}
    rec.update(fields)
    year = rec["year"]
    if isinstance(year, float) and year != year:  # NaN: a missing cell
        year = None
    if year is not None:
        rec["year"] = parse_year(year)
        rec["year_raw"] = one_line(year, 100) or None
    rec["date"] = parse_date(rec["date"])
    rec["doi"] = clean_doi(rec["doi"])
    rec["first_author"] = first_author_name(rec["first_author"])
    rec["title"] = strip_markup(rec["title"] or "")
    rec["abstract"] = strip_publisher_boilerplate(strip_markup(rec["abstract"] or ""))
    for key in ("id", "title", "abstract", "doi", "year_raw", "first_author"):
        if isinstance(rec[key], str):
            rec[key] = clean_text(rec[key])
    for key in ("references", "cited_by"):
        if rec[key]:
            rec[key] = [clean_text(str(v)) for v in rec[key]]
    rec["source_file"] = source.name
    rec["source_line"] = line
    return rec


def usable(source: Source, line: int, title: str, abstract: str) -> Skip | None:
    """A Skip when a record has neither title nor abstract text."""
    if not clean_text(title).strip() and not clean_text(abstract).strip():
        return Skip(source.name, line, "no title and no abstract")
    return None


def _reference_text(value) -> str | None:
    """One reference as a string: an id, a DOI or a citation text."""
    if isinstance(value, dict):  # {"paperId": ..., "title": ...} and the like
        for key in ("paperId", "paperid", "id", "corpusId", "corpusid", "doi", "DOI", "title"):
            if value.get(key) not in (None, "", [], {}):
                return _reference_text(value[key])
        return None
    if value is None or isinstance(value, (list, tuple, bool)):
        return None
    text = str(value).strip()
    return text or None


def as_list(value, separators: str = r"[;|\n]") -> list[str] | None:
    """References or citing papers as a list of strings (None when there are none).

    >>> as_list("a; b|c"), as_list('["x", {"paperId": "y"}]'), as_list("")
    (['a', 'b', 'c'], ['x', 'y'], None)
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, (list, tuple)):
        items = [_reference_text(v) for v in value]
        return [v for v in items if v] or None
    text = str(value)
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            parsed = None
        if isinstance(parsed, list):
            return as_list(parsed, separators)
    return [part.strip() for part in re.split(separators, text) if part.strip()] or None
