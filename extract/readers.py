"""Read abstract files into raw records, whatever their layout.

A *raw record* is a dict with the keys of :data:`RECORD_FIELDS`; readers yield
raw records or :class:`Skip` entries (a record that cannot be used, with its
reason), so the caller can account for every record in the input.

Formats are found by extension and content; each has a reader in
:data:`READERS`, a function ``reader(text, source) -> iterator``.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Iterator

RECORD_FIELDS = ("id", "title", "abstract", "year", "doi", "references", "cited_by",
                 "source_file", "source_line")


class InputError(Exception):
    """A file that cannot be read at all; the message is one line naming the file."""


@dataclass(frozen=True)
class Skip:
    """A record that was read but cannot be used."""

    source_file: str
    source_line: int
    reason: str


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
        except (OSError, EOFError) as err:
            raise InputError(f"{name}: not a valid gzip file ({err})") from None
    return decode_bytes(data, name, encoding)


# ---------------------------------------------------------------- helpers

def _patterns(filename: str) -> list[re.Pattern]:
    text = resources.files("conceptgraph.extract").joinpath("data", "layouts", filename).read_text("utf-8")
    return [re.compile(line, re.IGNORECASE) for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


_BOILERPLATE = _patterns("boilerplate.txt")
_MARKERS = _patterns("markers.txt")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def parse_year(value) -> int | None:
    """Publication year from a year or date value; None when there is none.

    >>> parse_year("2019-05-01"), parse_year(2020.0), parse_year("in press")
    (2019, 2020, None)
    """
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if value == value and 1800 <= value <= 2100 else None
    match = _YEAR.search(str(value))
    return int(match.group(1)) if match else None


def record(source: Source, line: int, **fields) -> dict:
    """A raw record with every field of :data:`RECORD_FIELDS` present."""
    rec = {key: None for key in RECORD_FIELDS}
    rec.update(fields)
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
        if stripped:
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
    "id": ("id", "paper_id", "paperid", "doc_id", "uid", "key", "eid"),
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
    by_lower = {}
    for column in columns:
        by_lower.setdefault(str(column).strip().lower(), column)
    found = {}
    for field, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            if alias in by_lower:
                found[field] = by_lower[alias]
                break
    return found


def _as_list(value) -> list[str] | None:
    if value is None or value == "":
        return None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v not in (None, "")]
    text = str(value)
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            parsed = None
        if isinstance(parsed, list):
            return [str(v) for v in parsed]
    return [part.strip() for part in re.split(r"[;|\n]", text) if part.strip()]


def record_from_mapping(row: dict, fields: dict[str, str], source: Source, line: int) -> dict | Skip:
    """A raw record from a dict-like row, given the field → key map."""
    def get(field):
        key = fields.get(field)
        value = row.get(key) if key is not None else None
        return None if value is None or (isinstance(value, float) and value != value) else value

    title = str(get("title") or "").strip()
    abstract = get("abstract")
    # The abstract is kept verbatim: callers may hold character offsets into it.
    abstract = abstract if isinstance(abstract, str) else ("" if abstract is None else str(abstract))
    if not title and not abstract.strip():
        return Skip(source.name, line, "no title and no abstract")
    rec_id = get("id")
    return record(source, line, id=None if rec_id in (None, "") else str(rec_id), title=title,
                  abstract=abstract, year=parse_year(get("year")),
                  doi=str(get("doi")).strip() if get("doi") else None,
                  references=_as_list(get("references")), cited_by=_as_list(get("cited_by")))


def read_json_lines(text: str, source: Source) -> Iterator[dict | Skip]:
    """JSON Lines: one object per line; a broken line is skipped with its reason."""
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            yield Skip(source.name, number, f"invalid JSON ({err.msg} at column {err.colno})")
            continue
        if not isinstance(row, dict):
            yield Skip(source.name, number, f"a JSON {type(row).__name__}, not an object")
            continue
        yield record_from_mapping(row, column_map(row), source, number)


def read_json(text: str, source: Source) -> Iterator[dict | Skip]:
    """A JSON array of objects (or an object holding one under a common key)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{source.name}:{err.lineno}: invalid JSON ({err.msg})") from None
    if isinstance(data, dict):
        for key in ("papers", "records", "results", "data", "works", "items"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            data = [data]
    if not isinstance(data, list):
        raise InputError(f"{source.name}: JSON holds a {type(data).__name__}, not a list of records")
    for index, row in enumerate(data, 1):
        if not isinstance(row, dict):
            yield Skip(source.name, index, f"item {index} is a JSON {type(row).__name__}, not an object")
            continue
        yield record_from_mapping(row, column_map(row), source, index)


def read_table(text: str, source: Source) -> Iterator[dict | Skip]:
    """CSV or TSV with a header row; columns are found case-insensitively."""
    csv.field_size_limit(sys.maxsize)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{source.name}: empty table") from None
    fields = column_map(header)
    if "abstract" not in fields and "title" not in fields:
        raise InputError(f"{source.name}:1: no abstract column (looked for "
                         f"{', '.join(FIELD_ALIASES['abstract'])}); columns are: {', '.join(header)}")
    line = reader.line_num + 1
    try:
        for values in reader:
            if any(v.strip() for v in values):
                if len(values) != len(header):
                    yield Skip(source.name, line, f"{len(values)} fields where the header has {len(header)}")
                else:
                    yield record_from_mapping(dict(zip(header, values)), fields, source, line)
            line = reader.line_num + 1
    except csv.Error as err:
        yield Skip(source.name, line, f"unreadable CSV from here on ({err})")


# ---------------------------------------------------------------- dispatch

READERS: dict[str, Callable[[str, Source], Iterator[dict | Skip]]] = {
    "text": read_plain_text,
    "jsonl": read_json_lines,
    "json": read_json,
    "csv": read_table,
    "tsv": read_table,
}

EXTENSIONS = {".txt": "text", ".text": "text", ".jsonl": "jsonl", ".ndjson": "jsonl",
              ".json": "json", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv"}


def detect_format(path: Path, text: str) -> str:
    """Name the reader for a file, from its extension and then its content."""
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    by_extension = EXTENSIONS.get(suffixes[-1]) if suffixes else None
    head = text.lstrip()[:2000]
    if by_extension in ("json", "jsonl") or head.startswith(("{", "[")):
        first = head.split("\n", 1)[0].strip()
        if first.startswith("{") and first.endswith("}"):
            return "jsonl"
        return by_extension or "json"
    if by_extension:
        return by_extension
    return "text"


def input_files(inputs: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Expand files, directories and glob patterns to (path, reported name) pairs.

    Directories are walked recursively for files with a known extension,
    in sorted order so that every run reads the same files in the same order.
    """
    found = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            members = sorted(p for p in path.rglob("*") if p.is_file() and _known(p))
            if not members:
                raise InputError(f"{item}: directory holds no abstract files "
                                 f"({', '.join(sorted(EXTENSIONS))}, optionally .gz)")
            found += [(p, str(p.relative_to(path.parent))) for p in members]
        elif path.is_file():
            found.append((path, path.name if path.is_absolute() else str(item)))
        elif any(ch in str(item) for ch in "*?["):
            matches = sorted(Path().glob(str(item))) if not path.is_absolute() else \
                sorted(Path(path.anchor).glob(str(path.relative_to(path.anchor))))
            if not matches:
                raise InputError(f"{item}: no file matches this pattern")
            found += [(p, str(p)) for p in matches if p.is_file()]
        else:
            raise InputError(f"{item}: no such file or directory")
    return found


def _known(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    return bool(suffixes) and suffixes[-1] in EXTENSIONS and not path.name.startswith(".")


def read_file(path: Path, name: str, format: str | None = None,
              encoding: str | None = None) -> tuple[str, Iterator[dict | Skip]]:
    """Decode one file and return its format and an iterator over its records."""
    text = read_text_file(path, name, encoding)
    if not text.strip():
        raise InputError(f"{name}: empty file")
    fmt = format or detect_format(path, text)
    if fmt not in READERS:
        raise InputError(f"{name}: unknown format {fmt!r} (known: {', '.join(sorted(READERS))})")
    return fmt, READERS[fmt](text, Source(path, name))
