"""Records from dict-like rows (CSV rows, JSON objects): column names to record fields.

Columns are found case-insensitively by the names of :data:`FIELD_ALIASES`,
which cover the exports of Scopus, Web of Science, IEEE Xplore, Lens,
Dimensions, OpenAlex and Semantic Scholar besides plain tables.
"""
from __future__ import annotations

import functools
from typing import Iterable

from .core import Skip, Source, as_list, clean_space, record, text_value, usable

FIELD_ALIASES = {
    "id": ("id", "paper_id", "paperid", "doc_id", "uid", "key", "eid", "ut", "lens id", "publication id",
           "pmid", "accession number"),
    "title": ("title", "titles", "ti", "article title", "document title", "display_name"),
    "abstract": ("abstract", "abstracts", "summary", "summaries", "text", "ab", "abstract_text",
                 "description", "paperabstract"),
    "year": ("year", "py", "publication_year", "publication year", "pubyear", "pub_year", "date",
             "publication_date", "publication date", "date published", "published", "pubdate"),
    "date": ("date", "published", "publication_date", "publication date", "date published", "pubdate",
             "publicationdate"),
    "doi": ("doi", "di"),
    "references": ("references", "reference", "refs", "cited", "cites", "cr", "referenced_works",
                   "outbound_citations", "outcitations"),
    "cited_by": ("cited_by", "citedby", "inbound_citations", "incitations"),
    "first_author": ("authors", "author", "au", "author/s", "author full names", "author_names"),
}


def column_map(columns: Iterable[str]) -> dict[str, str]:
    """Map record fields to the given column names, matched case-insensitively.

    >>> column_map(["Document Title", "Publication Year", "Abstract", "Lens ID"])
    {'id': 'Lens ID', 'title': 'Document Title', 'abstract': 'Abstract', 'year': 'Publication Year'}
    """
    return dict(_column_map(tuple(c if isinstance(c, str) else str(c) for c in columns)))


@functools.lru_cache(maxsize=256)
def _column_map(columns: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    by_lower = {}
    for column in columns:
        by_lower.setdefault(column.strip().lower(), column)
    found = {}
    for field, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            if alias in by_lower:
                found[field] = by_lower[alias]
                break
    return tuple(found.items())


def record_from_mapping(row: dict, fields: dict[str, str], source: Source, line: int) -> dict | Skip:
    """A raw record from a dict-like row, given the field → key map."""
    def get(field):
        key = fields.get(field)
        value = row.get(key) if key is not None else None
        return None if value is None or (isinstance(value, float) and value != value) else value

    title = clean_space(text_value(get("title")))
    # The abstract is kept as given (no space folding): callers may hold character offsets into it.
    abstract = text_value(get("abstract"))
    skip = usable(source, line, title, abstract)
    if skip:
        return skip
    rec_id = text_value(get("id")).strip()
    authors = get("first_author")
    if isinstance(authors, list) and authors and isinstance(authors[0], dict):  # [{"name": ...}]
        authors = text_value(authors[0].get("name") or authors[0].get("display_name"))
    return record(source, line, id=rec_id or None, title=title, abstract=abstract, year=get("year"),
                  date=get("date"), doi=get("doi"), references=as_list(get("references")),
                  cited_by=as_list(get("cited_by")), first_author=authors)
