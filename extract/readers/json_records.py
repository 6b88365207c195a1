"""JSON and JSON Lines: plain records, and the records of databases told apart per record.

===============  ===========================================================  ===========================
format           what                                                         found by (keys of a record)
===============  ===========================================================  ===========================
``json``         a JSON array of records (or an API answer holding one)        ``[`` / ``{``
``jsonl``        JSON Lines: one record per line                              a whole object on line 1
``openalex``     OpenAlex works (abstract rebuilt from its inverted index)    ``abstract_inverted_index``
``arxiv``        arXiv metadata snapshot lines (Kaggle ``arxiv-metadata``)    ``versions`` + ``update_date``
``s2``           Semantic Scholar: Graph API, datasets, Open Research Corpus  ``paperId``, ``corpusid``,
                                                                              ``paperAbstract`` ...
``csl-json``     CSL-JSON (Zotero, Mendeley, citeproc)                        ``issued`` ``date-parts``
===============  ===========================================================  ===========================

A file may mix plain and database records: each record is read by its own kind.
"""
from __future__ import annotations

import itertools
import json
import re
from typing import Callable, Iterator

from .core import InputError, Skip, Source, as_list, clean_space, record, text_value, usable
from .mapping import column_map, record_from_mapping
from .registry import register_reader

# Database-specific records, told apart per record:
# name -> (is_such_record(row) -> bool, to_record(row, source, line) -> dict | Skip).
ROW_FLAVOURS: dict[str, tuple[Callable[[dict], bool], Callable[[dict, Source, int], dict | Skip]]] = {}


def row_flavour(row: dict) -> str | None:
    """The database a JSON record comes from, or None for a plain record."""
    for name, (is_such, _) in ROW_FLAVOURS.items():
        if is_such(row):
            return name
    return None


def convert_row(row, source: Source, line: int, flavour: str | None = None) -> dict | Skip:
    """A raw record (or a Skip) from one parsed JSON value."""
    if not isinstance(row, dict):
        kind = "null" if row is None else type(row).__name__
        return Skip(source.name, line, f"a JSON {kind}, not an object")
    flavour = flavour or row_flavour(row)
    if flavour:
        return ROW_FLAVOURS[flavour][1](row, source, line)
    return record_from_mapping(row, column_map(row), source, line)


_WRAPPER_KEYS = ("papers", "records", "results", "data", "works", "items")


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()
    return ""


def is_json_lines(text: str) -> bool:
    """True when the first non-blank line is a whole JSON object by itself."""
    first = _first_line(text)
    if not (first.startswith("{") and first.endswith("}")):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


def _wrapped_rows(value) -> list | None:
    """The records of an API answer (``{"meta": ..., "results": [...]}``), or None for a record."""
    if not isinstance(value, dict) or any(key in value for key in ("title", "abstract", "paperId", "doi")):
        return None
    for key in _WRAPPER_KEYS:
        if isinstance(value.get(key), list):
            return value[key]
    return None


def json_rows(text: str, source: Source) -> Iterator[tuple[int, object] | Skip]:
    """Parsed JSON values with their line (JSON Lines) or item number (a JSON document).

    A JSON document may be an array of records, one record, or an API answer
    holding the array under a common key (``results``, ``data``, ...).
    """
    if is_json_lines(text):
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                yield Skip(source.name, number, f"invalid JSON ({err.msg} at column {err.colno})")
            except RecursionError:
                yield Skip(source.name, number, "invalid JSON (nested too deeply)")
            else:
                rows = _wrapped_rows(row)
                if rows is None:
                    yield number, row
                else:  # an API answer on one line (pages of results saved one per line)
                    for item in rows:
                        yield number, item
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{source.name}:{err.lineno}: invalid JSON ({err.msg})") from None
    except RecursionError:
        raise InputError(f"{source.name}: invalid JSON (nested too deeply)") from None
    if isinstance(data, dict):
        rows = _wrapped_rows(data)
        data = [data] if rows is None else rows
    if not isinstance(data, list):
        raise InputError(f"{source.name}: JSON holds a {type(data).__name__}, not a list of records")
    yield from enumerate(data, 1)


def _json_reader(flavour: str | None):
    def reader(text: str, source: Source) -> Iterator[dict | Skip]:
        document = not is_json_lines(text)
        for item in json_rows(text, source):
            if isinstance(item, Skip):
                yield item
                continue
            number, row = item
            converted = convert_row(row, source, number, flavour)
            if document and isinstance(converted, Skip):
                converted = Skip(source.name, number, f"item {number}: {converted.reason}")
            yield converted
    reader.__doc__ = f"JSON or JSON Lines records{' of ' + flavour if flavour else ''} (see the module)."
    return reader


def _first_json_object(head: str) -> dict | None:
    """The first record of a (possibly cut) JSON document, when one can be found."""
    decoder = json.JSONDecoder()
    first = None
    for match in itertools.islice(re.finditer(r"\{", head), 20):
        try:
            value, _ = decoder.raw_decode(head, match.start())
        except (json.JSONDecodeError, RecursionError):
            continue
        if isinstance(value, dict):
            rows = _wrapped_rows(value)
            if rows and isinstance(rows[0], dict):
                value = rows[0]
            if row_flavour(value):
                return value
            first = value if first is None else first
    return first


def sniff_json(head: str) -> str | None:
    """``jsonl``/``json``, or the database flavour of the first record; None when no record is seen."""
    head = head.lstrip("\ufeff \t\n")
    if not head.startswith(("{", "[")):
        return None
    if is_json_lines(head):
        syntax, row = "jsonl", json.loads(_first_line(head))
        rows = _wrapped_rows(row)
        if rows is not None:
            row = rows[0] if rows else None
    else:
        syntax, row = "json", _first_json_object(head)
    if not isinstance(row, dict):  # a text that starts with "[" or "{" is JSON only if it holds a record
        return None
    return row_flavour(row) or syntax


read_json_lines = register_reader("jsonl", extensions=(".jsonl", ".ndjson"), sniff=sniff_json, order=10,
                                  line_oriented=False)(_json_reader(None))
read_json = register_reader("json", extensions=(".json",), line_oriented=False)(_json_reader(None))


def _flavour(name: str, is_such: Callable[[dict], bool]):
    """Register a database's JSON records under ``name`` (a row flavour and a reader)."""
    def decorate(to_record):
        ROW_FLAVOURS[name] = (is_such, to_record)
        register_reader(name, line_oriented=False)(_json_reader(name))
        return to_record
    return decorate


def _first_item(value, kind=dict):
    """The first element of a JSON list when it is of ``kind``; else None."""
    return value[0] if isinstance(value, list) and value and isinstance(value[0], kind) else None


def _last_word_author(name) -> str | None:
    words = text_value(name).split()
    return words[-1] if words else None


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
    text = text_value(value).strip()
    return _OPENALEX.sub("", text) or None


def is_openalex(row: dict) -> bool:
    return "abstract_inverted_index" in row or bool(_OPENALEX.match(text_value(row.get("id"))))


def _openalex_ids(values) -> list[str] | None:
    # Short W-ids, like the ids of the records, so that a reference is an id of the corpus.
    items = as_list(values)
    return [openalex_id(v) or v for v in items] if items else None


@_flavour("openalex", is_openalex)
def openalex_record(row: dict, source: Source, line: int) -> dict | Skip:
    """An OpenAlex work: title (or display_name), the abstract rebuilt from its
    inverted index, publication_year, doi, and referenced_works as references.

    Ids and references are short W-ids (``W2741809807``), the URL prefix dropped.
    """
    title = clean_space(text_value(row.get("title") or row.get("display_name")))
    abstract = rebuild_abstract(row.get("abstract_inverted_index")) or text_value(row.get("abstract"))
    skip = usable(source, line, title, abstract)
    if skip:
        return skip
    author = (_first_item(row.get("authorships")) or {}).get("author")
    first_author = _last_word_author(author.get("display_name")) if isinstance(author, dict) else None
    return record(source, line, id=openalex_id(row.get("id")), title=title, abstract=abstract,
                  year=row.get("publication_year") or row.get("publication_date"), date=row.get("publication_date"),
                  doi=row.get("doi"), references=_openalex_ids(row.get("referenced_works")),
                  first_author=first_author)


# ---------------------------------------------------------------- arXiv

def is_arxiv(row: dict) -> bool:
    return "versions" in row and ("update_date" in row or "authors_parsed" in row or "submitter" in row)


@_flavour("arxiv", is_arxiv)
def arxiv_record(row: dict, source: Source, line: int) -> dict | Skip:
    """An arXiv metadata snapshot line: id, title, abstract (hard line breaks
    joined), year of the first version (``update_date`` when there is none), its date, doi."""
    title = clean_space(text_value(row.get("title")))
    abstract = clean_space(text_value(row.get("abstract")))
    skip = usable(source, line, title, abstract)
    if skip:
        return skip
    year = (_first_item(row.get("versions")) or {}).get("created") or row.get("update_date")
    doi = text_value(row.get("doi")).split()
    # authors_parsed: [["Vaswani", "Ashish", ""], ...]; else "Ashish Vaswani, Noam Shazeer and ..."
    family = _first_item(_first_item(row.get("authors_parsed"), list), str)
    first_author = family or _last_word_author(re.split(r",| and ", text_value(row.get("authors")))[0])
    return record(source, line, id=text_value(row.get("id")).strip() or None, title=title, abstract=abstract,
                  year=year, date=(_first_item(row.get("versions")) or {}).get("created"),
                  doi=doi[0] if doi else None, first_author=first_author)


# ---------------------------------------------------------------- Semantic Scholar

def is_s2(row: dict) -> bool:
    return any(key in row for key in ("paperId", "corpusid", "corpusId", "externalIds", "externalids",
                                      "paperAbstract", "s2Url")) or ("inCitations" in row and "outCitations" in row)


@_flavour("s2", is_s2)
def s2_record(row: dict, source: Source, line: int) -> dict | Skip:
    """A Semantic Scholar paper: paperId (corpusid in the datasets, id in the Open
    Research Corpus), title, abstract (``paperAbstract``), year, DOI; references
    and citations as paper ids (``outCitations``/``inCitations`` in the corpus)."""
    title = clean_space(text_value(row.get("title")))
    abstract = text_value(row.get("abstract") or row.get("paperAbstract"))
    skip = usable(source, line, title, abstract)
    if skip:
        return skip
    external = row.get("externalIds") or row.get("externalids") or {}
    doi = external.get("DOI") or external.get("doi") if isinstance(external, dict) else None
    rec_id = text_value(row.get("paperId") or row.get("corpusid") or row.get("corpusId") or row.get("id")).strip()
    first = _first_item(row.get("authors"), (dict, str))
    return record(source, line, id=rec_id or None, title=title, abstract=abstract,
                  year=row.get("year") or row.get("publicationDate") or row.get("publicationdate"),
                  date=row.get("publicationDate") or row.get("publicationdate"),
                  doi=doi or row.get("doi"),
                  references=as_list(row.get("references") if "references" in row else row.get("outCitations")),
                  cited_by=as_list(row.get("citations") if "citations" in row else row.get("inCitations")),
                  first_author=_last_word_author(first.get("name") if isinstance(first, dict) else first))


# ---------------------------------------------------------------- CSL-JSON

def is_csl_json(row: dict) -> bool:
    return any(isinstance(row.get(key), dict) and "date-parts" in row[key] for key in ("issued", "published"))


def _date_parts(value):
    """The first ``[year, month, day]`` list of a CSL date (None when it has none)."""
    parts = value.get("date-parts") if isinstance(value, dict) else None
    return parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else None


def _date_parts_year(value):
    parts = _date_parts(value)
    if parts:
        return parts[0]
    return value.get("raw") if isinstance(value, dict) else None


@_flavour("csl-json", is_csl_json)
def csl_record(row: dict, source: Source, line: int) -> dict | Skip:
    """A CSL-JSON item: id, title, abstract, ``issued.date-parts`` year, DOI, first author's family name."""
    title = clean_space(text_value(row.get("title")))
    abstract = text_value(row.get("abstract"))
    skip = usable(source, line, title, abstract)
    if skip:
        return skip
    first = _first_item(row.get("author")) or {}
    return record(source, line, id=text_value(row.get("id")).strip() or None, title=title, abstract=abstract,
                  year=_date_parts_year(row.get("issued")) or _date_parts_year(row.get("published")),
                  date=_date_parts(row.get("issued")) or _date_parts(row.get("published")),
                  doi=row.get("DOI") or row.get("doi"),
                  first_author=text_value(first.get("family")) or _last_word_author(first.get("literal")))
