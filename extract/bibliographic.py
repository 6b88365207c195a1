"""Readers of bibliographic database exports.

Each reader turns the text of one export into raw records (see
:mod:`conceptgraph.extract.readers`) or :class:`Skip` entries, never raising
anything but :class:`InputError`:

===========  ==========================================================  ==========================
format       what                                                        found by
===========  ==========================================================  ==========================
``bibtex``   BibTeX / BibLaTeX (bibtexparser 2)                          ``.bib``; an ``@type{`` entry
``ris``      RIS (rispy), e.g. from Zotero, Mendeley, EndNote, Scopus    ``.ris``; a ``TY  -`` line
``wos``      Web of Science plain-text export (``TI AB PY DI CR UT``)    ``.ciw``; ``FN``/``PT`` ... ``ER``
``scopus``   Scopus CSV export (``Title, Abstract, Year, DOI, EID`` ...)  a CSV header with ``EID``
``openalex`` OpenAlex work records (JSON Lines or an API answer)         ``abstract_inverted_index``
``arxiv``    arXiv metadata snapshot lines (Kaggle ``arxiv-metadata``)   ``versions`` + ``update_date``
``s2``       Semantic Scholar paper records (Graph API or datasets)      ``paperId`` / ``corpusid``
===========  ==========================================================  ==========================

References are kept as the export gives them (ids, DOIs or citation texts);
:func:`conceptgraph.graph.references.match_references` resolves them.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from typing import Iterator

from .readers import (ROW_FLAVOURS, SNIFFERS, InputError, Skip, Source, _json_reader, _one_line,
                      _text, as_list, read_scopus, record, usable)

# bibtexparser logs every block it cannot parse; those are reported as skips instead.
_BIBTEX_LOG = logging.getLogger("bibtexparser")
_BIBTEX_LOG.addHandler(logging.NullHandler())
_BIBTEX_LOG.propagate = False


def _clean_space(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- BibTeX

_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
            "c": "\u0327", "k": "\u0328", "r": "\u030a"}
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "aa": "å", "AA": "Å",
            "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "i": "ı"}
_ACCENT_RE = re.compile(r"\\([`'^\"~=.]|[uvHckr](?=[{\s]))\s*\{?\s*(\\?[A-Za-z])\s*\}?")
_LETTER_RE = re.compile(r"\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i)(?![A-Za-z])\s?")
_COMMAND_RE = re.compile(r"\\(?:emph|textit|textbf|textsc|texttt|textrm|mathrm|mbox|url|text)\s*(?=\{)")


def latex_to_text(value: str) -> str:
    """BibTeX field text made readable: accents decoded, braces and markup dropped.

    >>> latex_to_text(r"Sch{\\"o}lkopf and {\\'E}mile: {BERT} \\& \\emph{co}")
    'Schölkopf and Émile: BERT & co'
    """
    def accent(match):
        letter = match.group(2).lstrip("\\")
        return unicodedata.normalize("NFC", letter + _ACCENTS[match.group(1)])

    text = _ACCENT_RE.sub(accent, value)
    text = _LETTER_RE.sub(lambda m: _LETTERS[m.group(1)], text)
    text = _COMMAND_RE.sub("", text)
    for escaped, plain in (("\\&", "&"), ("\\%", "%"), ("\\_", "_"), ("\\#", "#"), ("\\$", "$"),
                           ("---", "\u2014"), ("--", "\u2013"), ("~", " ")):
        text = text.replace(escaped, plain)
    return text.replace("{", "").replace("}", "")


def _bibtex_value(value) -> str:
    text = _text(value).strip()
    if len(text) >= 2 and text[0] == text[-1] == '"' or text.startswith("{") and text.endswith("}"):
        text = text[1:-1]  # enclosing left on entries that failed a middleware step
    return latex_to_text(text)


def _bibtex_entry(entry, source: Source) -> dict | Skip:
    fields = {}
    for field in getattr(entry, "fields", []):
        fields.setdefault(str(field.key).strip().lower(), field.value)
    line = (entry.start_line or 0) + 1
    title = _clean_space(_bibtex_value(fields.get("title")))
    abstract = _clean_space(_bibtex_value(fields.get("abstract")))  # line breaks are layout
    skip = usable(source, line, title, abstract)
    if skip:
        return skip
    references = None
    for key in ("cited-references", "references", "citations"):
        if fields.get(key):
            references = as_list(_text(fields[key]), r"\n|;\s+")
            break
    year = fields.get("year") or fields.get("date")
    return record(source, line, id=_text(entry.key).strip() or None, title=title, abstract=abstract,
                  year=_bibtex_value(year) if year else None, doi=_bibtex_value(fields.get("doi")),
                  references=references)


def read_bibtex(text: str, source: Source) -> Iterator[dict | Skip]:
    """BibTeX entries; an entry that does not parse is skipped with its line.

    Entries sharing a key are all kept (the corpus disambiguates their ids);
    ``@string`` macros are resolved; ``@comment``, ``@preamble`` and text
    between entries are not records.
    """
    import bibtexparser
    from bibtexparser import model

    try:
        library = bibtexparser.parse_string(text)
    except RecursionError:
        raise InputError(f"{source.name}: BibTeX nested too deeply to read") from None
    except Exception as err:  # the parser's own failures: report, never crash
        raise InputError(f"{source.name}: cannot parse BibTeX ({_one_line(err)})") from None
    for block in library.blocks:
        if isinstance(block, model.Entry):
            yield _bibtex_entry(block, source)
        elif isinstance(block, model.ParsingFailedBlock):
            entry = getattr(block, "ignore_error_block", None)
            if isinstance(entry, model.Entry):
                yield _bibtex_entry(entry, source)
            else:
                line = (block.start_line or 0) + 1
                error = block.error
                why = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
                yield Skip(source.name, line, f"BibTeX entry does not parse ({_one_line(why, 150).replace('`', '')})")


def sniff_bibtex(head: str) -> bool:
    return re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]\s*[^\s,={}]*\s*,", head, re.MULTILINE) is not None \
        and not head.lstrip().startswith(("{", "["))


# ---------------------------------------------------------------- RIS

_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  ?-(?: (.*)|\s*)$")


def _ris_records(text: str) -> Iterator[tuple[int, list[tuple[str, str]]]]:
    """Tagged lines grouped into records (TY ... ER), with the first line's number."""
    current: list[tuple[str, str]] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip()
        match = _RIS_LINE.match(line.lstrip("\ufeff"))
        if match:
            tag, value = match.group(1), (match.group(2) or "").strip()
            if tag == "ER":
                if current:
                    yield start, current
                current = []
                continue
            if tag == "TY" and current:  # a record without its ER: end it here
                yield start, current
                current = []
            if not current:
                start = number
            current.append((tag, value))
        elif line.strip() and current:
            tag, value = current[-1]  # a wrapped value goes on
            current[-1] = (tag, f"{value} {line.strip()}")
    if current:
        yield start, current


def _first(entry: dict, *keys):
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if value not in (None, ""):
            return value
    return None


def read_ris(text: str, source: Source) -> Iterator[dict | Skip]:
    """RIS records (``TY  -`` ... ``ER  -``), parsed by rispy.

    Title from TI/T1 (or the container title when there is none), abstract
    from AB/N2, year from PY/Y1/DA, DOI from DO, id from ID/AN; references
    from CR tags where an export has them.
    """
    import rispy

    for start, lines in _ris_records(text):
        if lines[0][0] != "TY":
            lines = [("TY", "GEN")] + lines
        chunk = "\n".join(f"{tag}  - {value}" for tag, value in lines) + "\nER  - \n"
        try:
            entries = rispy.loads(chunk)
        except Exception as err:  # rispy's own failures become a skip of this record
            yield Skip(source.name, start, f"RIS record does not parse ({_one_line(err, 150)})")
            continue
        if not entries:
            yield Skip(source.name, start, "RIS record does not parse")
            continue
        entry = entries[0]
        title = _clean_space(_text(_first(entry, "title", "primary_title", "translated_title")))
        abstract = _text(_first(entry, "abstract", "notes_abstract")).strip()
        skip = usable(source, start, title, abstract)
        if skip:
            yield skip
            continue
        unknown = entry.get("unknown_tag") or {}
        references = as_list(list(unknown.get("CR", []))) if isinstance(unknown, dict) else None
        yield record(source, start, id=_text(_first(entry, "id", "accession_number")).strip() or None,
                     title=title, abstract=abstract,
                     year=_first(entry, "year", "publication_year", "date"),
                     doi=_first(entry, "doi"), references=references)


def sniff_ris(head: str) -> bool:
    lines = [line for line in head.split("\n")[:50] if line.strip()]
    return bool(lines) and any(re.match(r"^TY  ?- ", line.lstrip("\ufeff")) for line in lines[:10]) \
        and sum(bool(_RIS_LINE.match(line)) for line in lines) >= 0.5 * len(lines)


# ---------------------------------------------------------------- Web of Science

_WOS_LINE = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_WOS_LIST_TAGS = {"AU", "AF", "CR", "C1", "BE", "CA"}


def _wos_records(text: str) -> Iterator[tuple[int, dict[str, list[str]]]]:
    fields: dict[str, list[str]] = {}
    tag = None
    start = 0
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip().lstrip("\ufeff")
        if not line.strip():
            continue
        if line.startswith("   ") or (tag and not _WOS_LINE.match(line)):
            if tag:  # a continuation line
                value = line.strip()
                if tag in _WOS_LIST_TAGS:
                    fields[tag].append(value)
                else:
                    fields[tag][-1] = f"{fields[tag][-1]} {value}".strip()
            continue
        match = _WOS_LINE.match(line)
        if not match:
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag in ("FN", "VR", "EF"):
            tag = None
            continue
        if tag == "ER":
            if fields:
                yield start, fields
            fields, tag = {}, None
            continue
        if tag == "PT" and fields:  # a record without its ER
            yield start, fields
            fields = {}
        if not fields:
            start = number
        fields.setdefault(tag, []).append(value)
    if fields:
        yield start, fields


def read_wos(text: str, source: Source) -> Iterator[dict | Skip]:
    """Web of Science plain-text export: two-letter tags, continuation lines
    indented by three spaces, each record ending with ``ER``.

    TI title, AB abstract, PY year (EA, the early-access date, when PY is
    missing), DI DOI, UT accession number (the id), CR cited references (one
    per line, kept as given: ``Vaswani A, 2017, ADV NEUR IN, V30, DOI 10...``).
    """
    for start, fields in _wos_records(text):
        def get(tag):
            values = fields.get(tag)
            return " ".join(values).strip() if values else ""

        title, abstract = _clean_space(get("TI")), get("AB")
        skip = usable(source, start, title, abstract)
        if skip:
            yield skip
            continue
        references = [ref for ref in fields.get("CR", []) if ref.strip()] or None
        yield record(source, start, id=get("UT") or None, title=title, abstract=abstract,
                     year=get("PY") or get("EA") or None, doi=get("DI") or None, references=references)


def sniff_wos(head: str) -> bool:
    lines = [line.lstrip("\ufeff") for line in head.split("\n") if line.strip()]
    if not lines:
        return False
    if re.match(r"^FN .*(Web of Science|Clarivate|Thomson|ISI)", lines[0], re.IGNORECASE):
        return True
    return any(re.match(r"^PT [A-Z]\s*$", line) for line in lines[:5]) and \
        any(re.match(r"^(TI|AB|UT) ", line) for line in lines) and \
        any(line.rstrip() == "ER" for line in lines)


# ---------------------------------------------------------------- OpenAlex

_OPENALEX = re.compile(r"^https?://(?:api\.)?openalex\.org/(?:works/)?", re.IGNORECASE)
MAX_ABSTRACT_WORDS = 100_000


def rebuild_abstract(index) -> str:
    """An abstract from OpenAlex's ``abstract_inverted_index`` (word -> positions).

    Malformed entries (positions that are not small non-negative integers) are
    left out.

    >>> rebuild_abstract({"Deep": [0], "nets": [1, 3], "learn": [2]})
    'Deep nets learn nets'
    """
    if not isinstance(index, dict):
        return ""
    words: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(positions, list):
            positions = [positions]
        for pos in positions:
            if isinstance(pos, int) and not isinstance(pos, bool) and 0 <= pos < MAX_ABSTRACT_WORDS:
                words.setdefault(pos, str(word))
    return " ".join(words[pos] for pos in sorted(words))


def openalex_id(value) -> str | None:
    """``https://openalex.org/W2741809807`` → ``W2741809807``."""
    text = _text(value).strip()
    return _OPENALEX.sub("", text) or None


def is_openalex(row: dict) -> bool:
    return "abstract_inverted_index" in row or bool(_OPENALEX.match(_text(row.get("id"))))


def openalex_record(row: dict, source: Source, line: int) -> dict | Skip:
    """An OpenAlex work: title (or display_name), the abstract rebuilt from its
    inverted index, publication_year, doi, and referenced_works as references.

    Ids and references are short W-ids (``W2741809807``), the URL prefix dropped.
    """
    title = _clean_space(_text(row.get("title") or row.get("display_name")))
    abstract = rebuild_abstract(row.get("abstract_inverted_index"))
    skip = usable(source, line, title, abstract)
    if skip:
        return skip
    return record(source, line, id=openalex_id(row.get("id")), title=title, abstract=abstract,
                  year=row.get("publication_year") or row.get("publication_date"),
                  doi=row.get("doi"), references=_openalex_ids(row.get("referenced_works")))


def _openalex_ids(values) -> list[str] | None:
    # Short W-ids, like the ids of the records, so that a reference is an id of the corpus.
    items = as_list(values)
    return [openalex_id(v) or v for v in items] if items else None


# ---------------------------------------------------------------- arXiv

def is_arxiv(row: dict) -> bool:
    return "versions" in row and ("update_date" in row or "authors_parsed" in row or "submitter" in row)


def arxiv_record(row: dict, source: Source, line: int) -> dict | Skip:
    """An arXiv metadata snapshot line: id, title, abstract (hard line breaks
    joined), year of the first version (``update_date`` when there is none), doi."""
    title = _clean_space(_text(row.get("title")))
    abstract = _clean_space(_text(row.get("abstract")))
    skip = usable(source, line, title, abstract)
    if skip:
        return skip
    year = None
    versions = row.get("versions")
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        year = versions[0].get("created")
    year = year or row.get("update_date")
    doi = _text(row.get("doi")).split()
    return record(source, line, id=_text(row.get("id")).strip() or None, title=title, abstract=abstract,
                  year=year, doi=doi[0] if doi else None)


# ---------------------------------------------------------------- Semantic Scholar

def is_s2(row: dict) -> bool:
    return any(key in row for key in ("paperId", "corpusid", "corpusId", "externalIds", "externalids"))


def s2_record(row: dict, source: Source, line: int) -> dict | Skip:
    """A Semantic Scholar paper: paperId (corpusid in the datasets), title,
    abstract, year, externalIds.DOI; references and citations as paper ids."""
    title = _clean_space(_text(row.get("title")))
    abstract = _text(row.get("abstract"))
    skip = usable(source, line, title, abstract)
    if skip:
        return skip
    external = row.get("externalIds") or row.get("externalids") or {}
    doi = external.get("DOI") or external.get("doi") if isinstance(external, dict) else None
    rec_id = _text(row.get("paperId") or row.get("corpusid") or row.get("corpusId")).strip()
    return record(source, line, id=rec_id or None, title=title, abstract=abstract,
                  year=row.get("year") or row.get("publicationDate") or row.get("publicationdate"),
                  doi=doi or row.get("doi"), references=as_list(row.get("references")),
                  cited_by=as_list(row.get("citations")))


# ---------------------------------------------------------------- registration

ROW_FLAVOURS.update({
    "openalex": (is_openalex, openalex_record),
    "arxiv": (is_arxiv, arxiv_record),
    "s2": (is_s2, s2_record),
})

SNIFFERS.update({"wos": sniff_wos, "ris": sniff_ris, "bibtex": sniff_bibtex})

READERS = {
    "bibtex": read_bibtex,
    "ris": read_ris,
    "wos": read_wos,
    "scopus": read_scopus,
    "openalex": _json_reader("openalex"),
    "arxiv": _json_reader("arxiv"),
    "s2": _json_reader("s2"),
}

__all__ = ["read_bibtex", "read_ris", "read_wos", "read_scopus", "rebuild_abstract", "latex_to_text",
           "openalex_record", "arxiv_record", "s2_record", "READERS"]
