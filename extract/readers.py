"""Read abstract files into raw records, whatever their layout.

A *raw record* is a dict with the keys of :data:`RECORD_FIELDS`; readers yield
raw records or :class:`Skip` entries (a record that cannot be used, with its
reason), so the caller can account for every record in the input.

Formats are found by content and extension (:func:`detect_format`), or forced
by name; each has a reader in :data:`READERS`, a function
``reader(text, source) -> iterator``: ``text`` (the sample corpus layouts),
``csv``/``tsv``, ``json``/``jsonl`` (plain records, or OpenAlex, arXiv and
Semantic Scholar records told apart per record), ``scopus``, and the
bibliographic formats of :mod:`conceptgraph.extract.bibliographic`
(``bibtex``, ``ris``, ``wos``, ``openalex``, ``arxiv``, ``s2``).

A ``citing,cited`` table (``citations``) yields :class:`Citation` links,
which :func:`conceptgraph.extract.load` puts onto the papers' references.
Readers never raise anything but :class:`InputError` (a file that cannot be
read at all); a record that cannot be used is a :class:`Skip` with its line.
"""
from __future__ import annotations

import csv
import functools
import gzip
import io
import itertools
import json
import re
import sys
import zlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Iterator

RECORD_FIELDS = ("id", "title", "abstract", "year", "doi", "references", "cited_by",
                 "source_file", "source_line", "year_raw")
# ``year_raw`` is the year value as given (one line), so that the load report can
# count records whose year is malformed ("in press", "n.d.") apart from missing ones.

# Records longer than this (title + abstract, in characters) are skipped with
# their reason: no abstract is that long, and spaCy refuses longer texts.
MAX_TEXT_CHARS = 1_000_000


class InputError(Exception):
    """A file that cannot be read at all; the message is one line naming the file."""


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


# ---------------------------------------------------------------- decoding

_MAGIC = {b"\x89PNG": "a PNG image", b"%PDF": "a PDF document", b"PK\x03\x04": "a zip archive",
          b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"\x7fELF": "an executable"}


def decode_bytes(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode a file's bytes to text with universal newlines.

    UTF-8 (with or without BOM) and UTF-16 with BOM are recognised; other
    encodings must be named. Raises :class:`InputError` for binary data and
    for invalid UTF-8, naming the line of the first bad byte.
    """
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as err:
            raise InputError(f"{name}: cannot decode as {encoding}: {err}") from None
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise InputError(f"{name}: invalid UTF-16 text ({err.reason})") from None
    else:
        for magic, what in _MAGIC.items():
            if data.startswith(magic):
                raise InputError(f"{name}: this is {what}, not a text file of abstracts")
        if b"\x00" in data[:8192]:
            raise InputError(f"{name}: binary data (NUL bytes), not a text file of abstracts")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            raise InputError(
                f"{name}:{line}: invalid UTF-8 (byte 0x{data[err.start]:02x}); "
                "re-save the file as UTF-8 or pass --encoding (e.g. latin-1)") from None
    # Windows and old-Mac line endings become "\n"; other Unicode separators stay
    # inside their line so that line numbers match what an editor shows.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text_file(path: Path, name: str, encoding: str | None = None) -> str:
    """Read and decode a (possibly gzipped) file; see :func:`decode_bytes`."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{name}: cannot read ({err.strerror})") from None
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as err:
            raise InputError(f"{name}: not a valid gzip file ({_one_line(err)})") from None
    return decode_bytes(data, name, encoding)


# ---------------------------------------------------------------- helpers

def _patterns(filename: str) -> list[re.Pattern]:
    text = resources.files("conceptgraph.extract").joinpath("data", "layouts", filename).read_text("utf-8")
    return [re.compile(line, re.IGNORECASE) for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


_BOILERPLATE = _patterns("boilerplate.txt")
_MARKERS = _patterns("markers.txt")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def _one_line(value, limit: int = 200) -> str:
    """Text for an error message: one line, at most ``limit`` characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


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


def clean_doi(value) -> str | None:
    """A DOI without its resolver prefix: ``https://doi.org/10.1/X`` → ``10.1/X``."""
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


def record(source: Source, line: int, **fields) -> dict:
    """A raw record with every field of :data:`RECORD_FIELDS` present.

    ``year`` may be given as found (a number, "2019a", a date, "in press"):
    it is parsed here, and the raw value kept in ``year_raw``; ``doi`` loses
    its resolver prefix.
    """
    rec = {key: None for key in RECORD_FIELDS}
    rec.update(fields)
    year = rec["year"]
    if isinstance(year, float) and year != year:  # NaN: a missing cell
        year = None
    if year is not None:
        rec["year"] = parse_year(year)
        rec["year_raw"] = _one_line(year, 100) or None
    rec["doi"] = clean_doi(rec["doi"])
    rec["title"] = rec["title"] or ""
    rec["abstract"] = rec["abstract"] or ""
    for key in ("id", "title", "abstract", "doi", "year_raw"):
        if isinstance(rec[key], str):
            rec[key] = clean_text(rec[key])
    for key in ("references", "cited_by"):
        if rec[key]:
            rec[key] = [clean_text(str(v)) for v in rec[key]]
    rec["source_file"] = source.name
    rec["source_line"] = line
    return rec


def _strip_boilerplate(line: str) -> str:
    for pattern in _BOILERPLATE:
        match = pattern.match(line)
        if match:
            line = line[match.end():]
    return line.strip()


# ---------------------------------------------------------------- plain text

def _looks_like_title(line: str) -> bool:
    # Titles are short and rarely end a sentence; abstracts are long prose.
    return len(line) <= 250 and not line.rstrip().endswith((".", "?\"", ".\""))


def text_layout(lines: list[tuple[int, str]]) -> str:
    """Name the layout of a plain-text list: ``translated``, ``pairs`` or ``lines``."""
    if any(any(m.fullmatch(text) for m in _MARKERS) for _, text in lines):
        return "translated"
    if len(lines) >= 2 and len(lines) % 2 == 0:
        titles, abstracts = lines[0::2], lines[1::2]
        title_like = sum(_looks_like_title(t) for _, t in titles)
        long_enough = sum(len(a) > 250 or len(a) > 2 * len(t) for (_, t), (_, a) in zip(titles, abstracts))
        if title_like >= 0.9 * len(titles) and long_enough >= 0.9 * len(abstracts):
            return "pairs"
    return "lines"


def read_plain_text(text: str, source: Source) -> Iterator[dict | Skip]:
    """Scraped abstract lists, in one of three layouts (found per file).

    * one abstract per line;
    * title line / abstract line pairs, possibly under web boilerplate;
    * abstracts each followed by a "translated by ..." marker line (the
      translations themselves are records too, in their own language).
    """
    lines = []
    for number, raw in enumerate(text.split("\n"), 1):
        stripped = _strip_boilerplate(raw)
        if clean_text(stripped).strip():
            lines.append((number, stripped))
    layout = text_layout(lines)
    if layout == "pairs":
        for (title_line, title), (_, abstract) in zip(lines[0::2], lines[1::2]):
            yield record(source, title_line, title=title, abstract=abstract)
        return
    for number, line in lines:
        if layout == "translated" and any(m.fullmatch(line) for m in _MARKERS):
            continue
        yield record(source, number, abstract=line)


# ---------------------------------------------------------------- tables and JSON

FIELD_ALIASES = {
    "id": ("id", "paper_id", "paperid", "doc_id", "uid", "key", "eid", "ut"),
    "title": ("title", "titles", "ti", "article title", "document title"),
    "abstract": ("abstract", "abstracts", "summary", "summaries", "text", "ab", "abstract_text",
                 "description"),
    "year": ("year", "py", "publication_year", "pub_year", "date", "publication_date",
             "published", "pubdate"),
    "doi": ("doi", "di"),
    "references": ("references", "reference", "refs", "cited", "cites", "cr",
                   "referenced_works", "outbound_citations"),
    "cited_by": ("cited_by", "citedby", "inbound_citations"),
}


def column_map(columns: Iterable[str]) -> dict[str, str]:
    """Map record fields to the given column names, matched case-insensitively."""
    return dict(_column_map(tuple(str(c) if not isinstance(c, str) else c for c in columns)))


@functools.lru_cache(maxsize=256)
def _column_map(columns: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    by_lower = {}
    for column in columns:
        by_lower.setdefault(str(column).strip().lower(), column)
    found = {}
    for field, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            if alias in by_lower:
                found[field] = by_lower[alias]
                break
    return tuple(found.items())


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
    """References or citing papers as a list of strings (None when there are none)."""
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


_as_list = as_list  # the name earlier code used


def _text(value) -> str:
    """A field value as text ("" for None, NaN, and containers)."""
    if value is None or isinstance(value, (dict, list, tuple, bool)):
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return value if isinstance(value, str) else str(value)


def usable(source: Source, line: int, title: str, abstract: str) -> Skip | None:
    """A Skip when a record has neither title nor abstract text."""
    if not clean_text(title).strip() and not clean_text(abstract).strip():
        return Skip(source.name, line, "no title and no abstract")
    return None


def record_from_mapping(row: dict, fields: dict[str, str], source: Source, line: int) -> dict | Skip:
    """A raw record from a dict-like row, given the field → key map."""
    def get(field):
        key = fields.get(field)
        value = row.get(key) if key is not None else None
        return None if value is None or (isinstance(value, float) and value != value) else value

    title = " ".join(_text(get("title")).split())
    # The abstract is kept verbatim: callers may hold character offsets into it.
    abstract = _text(get("abstract"))
    skip = usable(source, line, title, abstract)
    if skip:
        return skip
    rec_id = _text(get("id")).strip()
    return record(source, line, id=rec_id or None, title=title, abstract=abstract, year=get("year"),
                  doi=get("doi"), references=as_list(get("references")),
                  cited_by=as_list(get("cited_by")))


# Database-specific JSON records (OpenAlex, arXiv, Semantic Scholar) are told
# apart per record; extract/bibliographic.py registers them here as
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
    return reader


def read_json_lines(text: str, source: Source) -> Iterator[dict | Skip]:
    """JSON Lines: one object per line; a broken line is skipped with its reason.

    Each object may be a plain record (``id, title, abstract, year, doi,
    references``, found case-insensitively) or an OpenAlex, arXiv or Semantic
    Scholar record, told apart by its keys.
    """
    return _json_reader(None)(text, source)


def read_json(text: str, source: Source) -> Iterator[dict | Skip]:
    """A JSON array of objects (or an object holding one under a common key)."""
    return _json_reader(None)(text, source)


# Scopus CSV exports: fixed column names; "Cited by" is a count, not a list.
SCOPUS_COLUMNS = {"id": "eid", "title": "title", "abstract": "abstract", "year": "year",
                  "doi": "doi", "references": "references"}
_SCOPUS_NO_ABSTRACT = re.compile(r"^\s*\[No abstract available\]\s*$", re.IGNORECASE)
# Publisher statements Scopus appends to abstracts ("© 2019 Elsevier B.V. All rights reserved.").
_COPYRIGHT_TAIL = re.compile(r"\s*(?:©|\(c\)\s*(?=\d{4})|copyright\s*(?:©|\(c\))?\s*(?=\d{4}))"
                             r"[^©]{0,300}$", re.IGNORECASE)


def is_scopus_header(header: list[str]) -> bool:
    lower = {h.strip().lower() for h in header}
    return "eid" in lower and ("source title" in lower or "link" in lower) and "title" in lower


def _scopus_row(row: dict, fields: dict[str, str], source: Source, line: int) -> dict | Skip:
    row = dict(row)
    key = fields.get("abstract")
    if key is not None and isinstance(row.get(key), str):
        abstract = row[key]
        if _SCOPUS_NO_ABSTRACT.match(abstract):
            abstract = ""
        row[key] = _COPYRIGHT_TAIL.sub("", abstract)
    rec = record_from_mapping(row, fields, source, line)
    if isinstance(rec, dict) and rec["references"]:
        # Scopus separates references with "; " (authors inside one use ", ").
        rec["references"] = as_list(row.get(fields["references"]), r";\s+|\n")
    return rec


def read_table(text: str, source: Source, flavour: str | None = None) -> Iterator[dict | Skip]:
    """CSV or TSV with a header row; columns are found case-insensitively.

    Scopus exports (``EID`` and ``Source title`` columns) are recognised and
    read with their own column names unless another flavour is forced.
    """
    csv.field_size_limit(sys.maxsize)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{source.name}: empty table") from None
    except csv.Error as err:
        raise InputError(f"{source.name}:1: unreadable CSV header ({_one_line(err)})") from None
    header = [h.lstrip("\ufeff") for h in header]
    if flavour is None and is_scopus_header(header):
        flavour = "scopus"
    if flavour == "scopus":
        lower = {h.strip().lower(): h for h in header}
        fields = {field: lower[col] for field, col in SCOPUS_COLUMNS.items() if col in lower}
        convert = _scopus_row
    else:
        fields = column_map(header)
        convert = record_from_mapping
    if "abstract" not in fields and "title" not in fields:
        raise InputError(_one_line(
            f"{source.name}:1: no abstract column (looked for {', '.join(FIELD_ALIASES['abstract'])}); "
            f"columns are: {', '.join(header)}", 400))
    line = reader.line_num + 1
    try:
        for values in reader:
            if any(v.strip() for v in values):
                if len(values) != len(header):
                    yield Skip(source.name, line, f"{len(values)} fields where the header has {len(header)}")
                else:
                    yield convert(dict(zip(header, values)), fields, source, line)
            line = reader.line_num + 1
    except csv.Error as err:
        yield Skip(source.name, line, f"unreadable CSV from here on ({_one_line(err)})")


_CITING = ("citing", "citing_id", "citing_paper", "source_id")
_CITED = ("cited", "cited_id", "cited_paper", "target_id")


def is_citation_header(header: list[str]) -> bool:
    """True for the header of a citation edge list: a citing and a cited column, nothing else."""
    lower = [h.strip().lstrip("\ufeff").lower() for h in header]
    return len(lower) == 2 and lower[0] in _CITING + _CITED and lower[1] in _CITING + _CITED \
        and (lower[0] in _CITING) != (lower[1] in _CITING)


def read_citations(text: str, source: Source) -> Iterator[Citation | Skip]:
    """A citation edge list: a CSV/TSV with ``citing`` and ``cited`` paper-id columns
    (e.g. the CiteSeer corpus's ``citations.csv``); links go onto the papers' references."""
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise InputError(f"{source.name}: empty table") from None
    if not is_citation_header(header):
        raise InputError(_one_line(f"{source.name}:1: a citation list needs two columns, citing and cited; "
                                   f"columns are: {', '.join(header)}", 300))
    citing_first = header[0].strip().lstrip("\ufeff").lower() in _CITING
    line = reader.line_num + 1
    try:
        for values in reader:
            if any(v.strip() for v in values):
                ids = [clean_text(v.strip()) for v in values]
                if len(ids) != 2 or not all(ids):
                    yield Skip(source.name, line, "a citation needs two paper ids")
                else:
                    citing, cited = ids if citing_first else ids[::-1]
                    yield Citation(source.name, line, citing, cited)
            line = reader.line_num + 1
    except csv.Error as err:
        yield Skip(source.name, line, f"unreadable CSV from here on ({_one_line(err)})")


def read_scopus(text: str, source: Source) -> Iterator[dict | Skip]:
    """A Scopus CSV export (columns Title, Abstract, Year, DOI, References, EID, ...)."""
    return read_table(text, source, flavour="scopus")


# ---------------------------------------------------------------- dispatch

READERS: dict[str, Callable[[str, Source], Iterator[dict | Skip]]] = {
    "text": read_plain_text,
    "jsonl": read_json_lines,
    "json": read_json,
    "csv": read_table,
    "tsv": read_table,
    "scopus": read_scopus,
    "citations": read_citations,
}

FORMAT_ALIASES = {"txt": "text", "ndjson": "jsonl", "bib": "bibtex", "biblatex": "bibtex",
                  "wok": "wos", "webofscience": "wos", "web-of-science": "wos",
                  "semanticscholar": "s2", "semantic-scholar": "s2"}

EXTENSIONS = {".txt": "text", ".text": "text", ".jsonl": "jsonl", ".ndjson": "jsonl",
              ".json": "json", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
              ".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".ciw": "wos"}

# Content sniffers of text formats that arrive with any extension (WoS and RIS
# exports are often saved as .txt): name -> (head of text) -> bool. Registered
# by extract/bibliographic.py; tried in order.
SNIFFERS: dict[str, Callable[[str], bool]] = {}


def sniff_tab_table(head: str) -> bool:
    """A tab-separated table with a header we know (e.g. Web of Science "tab-delimited" exports)."""
    header = head.split("\n", 1)[0].split("\t")
    if len(header) < 3:
        return False
    fields = column_map(header)
    return "abstract" in fields or ("title" in fields and len(fields) >= 2)


SNIFFERS["tsv"] = sniff_tab_table


def detect_format(path: Path, text: str) -> str:
    """Name the reader for a file, from its content and its extension.

    * JSON (text starting with ``{`` or ``[``): JSON Lines when the first line
      is a whole object, else a JSON document; OpenAlex, arXiv and Semantic
      Scholar records are named by the keys of the first record.
    * BibTeX (an ``@type{`` entry), RIS (a ``TY  -`` line) and Web of Science
      (``FN``/``PT`` ... ``ER``) by content, whatever the extension.
    * a two-column ``citing,cited`` table is a citation edge list (``citations``);
    * otherwise by extension (``.csv`` files with Scopus columns are ``scopus``);
      plain text when nothing else fits.
    """
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    by_extension = EXTENSIONS.get(suffixes[-1]) if suffixes else None
    head = text.lstrip("\ufeff \t\n")[:20000]
    looks_json = head.startswith(("{", "["))
    if looks_json or by_extension in ("json", "jsonl"):
        if is_json_lines(head):
            syntax, row = "jsonl", json.loads(_first_line(head))
            rows = _wrapped_rows(row)
            if rows is not None:
                row = rows[0] if rows else None
        else:
            syntax, row = "json", _first_json_object(head)
        flavour = row_flavour(row) if isinstance(row, dict) else None
        if flavour:
            return flavour
        if by_extension in ("json", "jsonl"):
            return syntax
        if isinstance(row, dict):  # a text file that starts with "[" or "{" is JSON only if it holds a record
            return syntax
    if by_extension in ("bibtex", "ris", "wos"):
        return by_extension
    for name, sniff in SNIFFERS.items():
        if sniff(head):
            return name
    if by_extension in ("csv", "tsv", "text", None):
        first = head.split("\n", 1)[0]
        try:
            header = next(csv.reader([first], delimiter="\t" if "\t" in first else ","))
        except (csv.Error, StopIteration):
            header = []
        if is_citation_header(header):
            return "citations"
        if by_extension in ("csv", "tsv") and is_scopus_header(header):
            return "scopus"
    return by_extension or "text"


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


def normalise_format(format: str | None) -> str | None:
    """A format name as given to ``--format``, aliases resolved."""
    if format is None:
        return None
    name = format.strip().lower()
    return FORMAT_ALIASES.get(name, name)


def expand_inputs(inputs: Iterable[str | Path]) -> list[tuple[Path, str, bool]]:
    """Expand files, directories and glob patterns to (path, reported name, named) triples.

    ``named`` is True for a file given by its own name (a file that cannot be
    read is then an error) and False for one found in a directory or by a
    pattern (it is then skipped, with its reason in the load report).
    Directories are walked recursively for files with a known extension,
    in sorted order so that every run reads the same files in the same order.
    """
    found = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found += _directory_files(path, str(item))
        elif path.is_file():
            found.append((path, clean_text(path.name if path.is_absolute() else str(item)), True))
        elif any(ch in str(item) for ch in "*?["):
            try:
                matches = sorted(Path().glob(str(item))) if not path.is_absolute() else \
                    sorted(Path(path.anchor).glob(str(path.relative_to(path.anchor))))
            except (ValueError, OSError) as err:
                raise InputError(f"{item}: bad file pattern ({_one_line(err)})") from None
            if not matches:
                raise InputError(f"{item}: no file matches this pattern")
            for match in matches:
                if match.is_dir():
                    found += _directory_files(match, str(match))
                elif match.is_file():
                    found.append((match, clean_text(str(match)), False))
        elif path.exists():
            raise InputError(f"{item}: not a regular file or directory")
        else:
            raise InputError(f"{item}: no such file or directory")
    return found


def _directory_files(path: Path, item: str) -> list[tuple[Path, str, bool]]:
    members = sorted(p for p in path.rglob("*") if p.is_file() and _known(p))
    if not members:
        raise InputError(f"{item}: directory holds no abstract files "
                         f"({', '.join(sorted(EXTENSIONS))}, optionally .gz)")
    return [(p, clean_text(str(p.relative_to(path.parent))), False) for p in members]


def input_files(inputs: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Expand files, directories and glob patterns to (path, reported name) pairs."""
    return [(path, name) for path, name, _ in expand_inputs(inputs)]


def _known(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    return bool(suffixes) and suffixes[-1] in EXTENSIONS and not path.name.startswith(".")


def read_file(path: Path, name: str, format: str | None = None,
              encoding: str | None = None) -> tuple[str, Iterator[dict | Skip]]:
    """Decode one file and return its format and an iterator over its records."""
    fmt = normalise_format(format)
    if fmt is not None and fmt not in READERS:
        raise InputError(f"{name}: unknown format {format!r} (known: {', '.join(sorted(READERS))})")
    text = read_text_file(path, name, encoding)
    if not text.strip():
        raise InputError(f"{name}: empty file")
    fmt = fmt or detect_format(path, text)
    return fmt, READERS[fmt](text, Source(path, name))


# The bibliographic formats register their readers, sniffers and JSON flavours.
from . import bibliographic as _bibliographic  # noqa: E402  (needs the names above)

READERS.update(_bibliographic.READERS)
