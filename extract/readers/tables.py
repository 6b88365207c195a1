"""Tables with a header row: CSV/TSV, database CSV exports, and citation edge lists.

===============  ===============================================================  ===========================
format           what                                                             found by
===============  ===============================================================  ===========================
``csv``, ``tsv`` any table with title/abstract columns (IEEE Xplore, Lens,        a header naming known fields
                 OpenAlex CSV, ... by :data:`~.mapping.FIELD_ALIASES`)
``scopus``       Scopus CSV export (``Title, Abstract, Year, DOI, EID`` ...)      a header with ``EID``
``wos-tab``      Web of Science tab-delimited export (``PT AU ... UT``)           a ``PT`` ... ``UT`` header
``dimensions``   Dimensions CSV export ("About the data" line, then the header)   that line or ``Dimensions URL``
``citations``    a ``citing,cited`` edge list (e.g. CiteSeer's ``citations.csv``)  a two-column header
===============  ===============================================================  ===========================

Rows with more values than the header (Scopus writes "Funding Text 2", "3"...
under a header that names only "Funding Text 1") are aligned: the extra
values are taken to follow the last numbered column.
"""
from __future__ import annotations

import csv
import io
import re
import sys
from typing import Iterator

from .core import Citation, InputError, Skip, Source, as_list, clean_text, one_line
from .mapping import FIELD_ALIASES, column_map, record_from_mapping
from .registry import register_reader

_NUMBERED_COLUMN = re.compile(r"\D\s*\d+$")


def _delimiter(line: str) -> str:
    return "\t" if line.count("\t") > line.count(",") else ","


def _header(line: str) -> list[str]:
    try:
        return [h.strip().lstrip("\ufeff") for h in next(csv.reader([line], delimiter=_delimiter(line)))]
    except (csv.Error, StopIteration):
        return []


def _first_line(head: str) -> str:
    return head.lstrip("\ufeff").split("\n", 1)[0]


def _align(header: list[str], values: list[str]) -> list[str] | None:
    """Values lined up with the header, or None when the row cannot be."""
    extra = len(values) - len(header)
    if extra == 0:
        return values
    if extra < 0:
        return None
    numbered = [i for i, h in enumerate(header) if _NUMBERED_COLUMN.search(h)]
    gap = numbered[-1] + 1 if numbered else len(header)
    return values[:gap] + values[gap + extra:]


def _table_rows(text: str, source: Source, skip_lines: int = 0, align: bool = True):
    """(header, iterator of (line, values or Skip)) of a CSV/TSV text; rows with more
    values than the header are aligned (see :func:`_align`) when ``align``, else skipped."""
    csv.field_size_limit(sys.maxsize)  # long lines are refused before (see files.read_file)
    lines = io.StringIO(text, newline="")
    for _ in range(skip_lines):
        lines.readline()
    head_lines = text.lstrip("\ufeff").split("\n", skip_lines + 1)
    first = head_lines[skip_lines] if len(head_lines) > skip_lines else ""
    reader = csv.reader(lines, delimiter=_delimiter(first))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{source.name}: empty table") from None
    except csv.Error as err:
        raise InputError(f"{source.name}:{skip_lines + 1}: unreadable CSV header ({one_line(err)})") from None
    header = [h.strip().lstrip("\ufeff") for h in header]

    def rows():
        line = skip_lines + reader.line_num + 1
        try:
            for values in reader:
                if any(v.strip() for v in values):
                    aligned = _align(header, values) if align or len(values) == len(header) else None
                    if aligned is None:
                        yield line, Skip(source.name, line,
                                         f"{len(values)} fields where the header has {len(header)}")
                    else:
                        yield line, aligned
                line = skip_lines + reader.line_num + 1
        except csv.Error as err:
            yield line, Skip(source.name, line, f"unreadable CSV from here on ({one_line(err)})")
    return header, rows()


def _read_with(text: str, source: Source, fields_of, convert, skip_lines: int = 0) -> Iterator[dict | Skip]:
    header, rows = _table_rows(text, source, skip_lines)
    fields = fields_of(header)
    if "abstract" not in fields and "title" not in fields:
        raise InputError(one_line(
            f"{source.name}:{skip_lines + 1}: no abstract column (looked for {', '.join(FIELD_ALIASES['abstract'])}); "
            f"columns are: {', '.join(header)}", 400))
    for line, values in rows:
        yield values if isinstance(values, Skip) else convert(dict(zip(header, values)), fields, source, line)


# ---------------------------------------------------------------- plain tables

def sniff_table(head: str) -> str | None:
    """``csv``/``tsv`` for a header naming an abstract or title column and another known field."""
    header = _header(_first_line(head))
    # Column names are short; a line of prose cut at its commas is not a header.
    if len(header) < 2 or any(len(h) > 80 for h in header):
        return None
    fields = column_map(header)
    if len(fields) >= 2 and ("abstract" in fields or "title" in fields):
        return "tsv" if _delimiter(_first_line(head)) == "\t" else "csv"
    return None


@register_reader("csv", extensions=(".csv",), sniff=sniff_table, order=40)
def read_table(text: str, source: Source) -> Iterator[dict | Skip]:
    """CSV or TSV with a header row; columns are found case-insensitively
    (:data:`~.mapping.FIELD_ALIASES`: ``Document Title``, ``Publication Year``,
    ``display_name``, ``Lens ID``, ... as well as ``title``, ``abstract``, ``year``)."""
    return _read_with(text, source, column_map, record_from_mapping)


register_reader("tsv", extensions=(".tsv", ".tab"))(read_table)


# ---------------------------------------------------------------- Scopus

SCOPUS_COLUMNS = {"id": "eid", "title": "title", "abstract": "abstract", "year": "year",
                  "doi": "doi", "references": "references", "first_author": "authors"}
_SCOPUS_NO_ABSTRACT = re.compile(r"^\s*\[No abstract available\]\s*$", re.IGNORECASE)


def is_scopus_header(header: list[str]) -> bool:
    lower = {h.strip().lower() for h in header}
    return "eid" in lower and ("source title" in lower or "link" in lower) and "title" in lower


def _scopus_fields(header: list[str]) -> dict[str, str]:
    lower = {h.strip().lower(): h for h in header}
    return {field: lower[col] for field, col in SCOPUS_COLUMNS.items() if col in lower}


def _scopus_row(row: dict, fields: dict[str, str], source: Source, line: int) -> dict | Skip:
    key = fields.get("abstract")
    if key is not None and _SCOPUS_NO_ABSTRACT.match(row.get(key) or ""):
        row[key] = ""
    rec = record_from_mapping(row, fields, source, line)
    if isinstance(rec, dict) and rec["references"]:
        # Scopus separates references with "; " (authors inside one use ", ").
        rec["references"] = [clean_text(r) for r in as_list(row.get(fields["references"]), r";\s+|\n")]
    return rec


@register_reader("scopus", extensions=(".scopus",), order=31,
                 sniff=lambda head: is_scopus_header(_header(_first_line(head))))
def read_scopus(text: str, source: Source) -> Iterator[dict | Skip]:
    """A Scopus CSV export (columns Title, Abstract, Year, DOI, References, EID, Authors, ...)."""
    return _read_with(text, source, _scopus_fields, _scopus_row)


# ---------------------------------------------------------------- Web of Science tab-delimited

WOS_TAB_COLUMNS = {"id": "UT", "title": "TI", "abstract": "AB", "year": "PY", "doi": "DI",
                   "references": "CR", "first_author": "AU"}


def _wos_tab_fields(header: list[str]) -> dict[str, str]:
    present = set(header)
    return {field: tag for field, tag in WOS_TAB_COLUMNS.items() if tag in present}


def _wos_tab_row(row: dict, fields: dict[str, str], source: Source, line: int) -> dict | Skip:
    if not (row.get("PY") or "").strip() and row.get("EA"):
        row["PY"] = row["EA"]  # early access: the date it appeared
    rec = record_from_mapping(row, fields, source, line)
    if isinstance(rec, dict) and rec["references"]:
        rec["references"] = [clean_text(r) for r in as_list(row.get("CR"), r";\s+")]
    return rec


def sniff_wos_tab(head: str) -> bool:
    header = _header(_first_line(head))
    return len(header) >= 3 and header[0] == "PT" and "UT" in header and ("TI" in header or "AB" in header)


@register_reader("wos-tab", order=31, sniff=sniff_wos_tab)
def read_wos_tab(text: str, source: Source) -> Iterator[dict | Skip]:
    """A Web of Science tab-delimited export: tag columns; ``UT`` (the accession
    number) is the id (``ID`` is Keywords Plus), ``CR`` the references."""
    return _read_with(text, source, _wos_tab_fields, _wos_tab_row)


# ---------------------------------------------------------------- Dimensions

_DIMENSIONS_PREAMBLE = re.compile(r'^"?About the data:', re.IGNORECASE)
DIMENSIONS_COLUMNS = {"id": "publication id", "title": "title", "abstract": "abstract", "year": "pubyear",
                      "doi": "doi", "first_author": "authors"}


def sniff_dimensions(head: str) -> bool:
    first = _first_line(head)
    if _DIMENSIONS_PREAMBLE.match(first):
        return True
    return {"publication id", "dimensions url"} <= {h.lower() for h in _header(first)}


def _dimensions_fields(header: list[str]) -> dict[str, str]:
    lower = {h.strip().lower(): h for h in header}
    fields = {field: lower[col] for field, col in DIMENSIONS_COLUMNS.items() if col in lower}
    if "year" not in fields and "publication date" in lower:
        fields["year"] = lower["publication date"]
    return fields


@register_reader("dimensions", order=31, sniff=sniff_dimensions)
def read_dimensions(text: str, source: Source) -> Iterator[dict | Skip]:
    """A Dimensions CSV export: an "About the data: Exported on ..." line, then the
    header (``Publication ID, DOI, Title, Abstract, PubYear, Authors, ...``)."""
    skip = 1 if _DIMENSIONS_PREAMBLE.match(_first_line(text)) else 0
    return _read_with(text, source, _dimensions_fields, record_from_mapping, skip_lines=skip)


# ---------------------------------------------------------------- citation lists

_CITING = ("citing", "citing_id", "citing_paper", "source_id")
_CITED = ("cited", "cited_id", "cited_paper", "target_id")


def is_citation_header(header: list[str]) -> bool:
    """True for the header of a citation edge list: a citing and a cited column, nothing else."""
    lower = [h.strip().lstrip("\ufeff").lower() for h in header]
    return len(lower) == 2 and lower[0] in _CITING + _CITED and lower[1] in _CITING + _CITED \
        and (lower[0] in _CITING) != (lower[1] in _CITING)


@register_reader("citations", order=30, sniff=lambda head: is_citation_header(_header(_first_line(head))))
def read_citations(text: str, source: Source) -> Iterator[Citation | Skip]:
    """A citation edge list: a CSV/TSV with ``citing`` and ``cited`` paper-id columns
    (e.g. the CiteSeer corpus's ``citations.csv``); links go onto the papers' references."""
    header, rows = _table_rows(text, source, align=False)
    if not is_citation_header(header):
        raise InputError(one_line(f"{source.name}:1: a citation list needs two columns, citing and cited; "
                                  f"columns are: {', '.join(header)}", 300))
    citing_first = header[0].strip().lower() in _CITING
    for line, values in rows:
        if isinstance(values, Skip):
            yield Skip(source.name, line, "a citation needs two paper ids") \
                if values.reason.endswith("the header has 2") else values
            continue
        ids = [clean_text(v.strip()) for v in values]
        if not all(ids):
            yield Skip(source.name, line, "a citation needs two paper ids")
        else:
            citing, cited = ids if citing_first else ids[::-1]
            yield Citation(source.name, line, citing, cited)
