"""RIS (rispy): Zotero, Mendeley, EndNote, Scopus, IEEE Xplore, Ovid exports.

A record runs from ``TY  -`` to ``ER  -``. Lines outside a record (Ovid's
record numbers before ``TY`` and its tags and links after ``ER``) belong to no
record; wrapped values go on on the next line.
"""
from __future__ import annotations

import re
from typing import Iterator

from .core import Skip, Source, as_list, clean_space, one_line, record, text_value, usable
from .registry import register_reader

_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  ?-(?: (.*)|\s*)$")


def _ris_records(text: str) -> Iterator[tuple[int, list[tuple[str, str]]]]:
    """Tagged lines grouped into records (TY ... ER), with the first line's number.

    A file without any ``TY`` line has its records start at its first tag.
    """
    has_type = re.search(r"^\ufeff?TY  ?-", text, re.MULTILINE) is not None
    current: list[tuple[str, str]] = []
    start = 0
    inside = False
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip()
        match = _RIS_LINE.match(line.lstrip("\ufeff"))
        if match:
            tag, value = match.group(1), (match.group(2) or "").strip()
            if tag == "ER":
                if current:
                    yield start, current
                current, inside = [], False
                continue
            if tag == "TY":
                if current:  # a record without its ER: end it here
                    yield start, current
                current, inside = [], True
            elif not inside and has_type:
                continue  # a tag after ER (Ovid) or before the first TY: no record
            if not current:
                start, inside = number, True
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


def sniff_ris(head: str) -> bool:
    lines = [line for line in head.split("\n")[:80] if line.strip()]
    return bool(lines) and any(re.match(r"^TY  ?- ", line.lstrip("\ufeff")) for line in lines[:12]) \
        and sum(bool(_RIS_LINE.match(line)) for line in lines) >= 0.5 * len(lines)


@register_reader("ris", extensions=(".ris",), sniff=sniff_ris, order=20)
def read_ris(text: str, source: Source) -> Iterator[dict | Skip]:
    """RIS records (``TY  -`` ... ``ER  -``), parsed by rispy.

    Title from TI/T1 (or the container title when there is none), abstract
    from AB/N2, year from PY/Y1/DA, DOI from DO, id from ID/AN, first author
    from AU/A1; references from CR tags where an export has them.
    """
    import rispy

    for start, lines in _ris_records(text):
        if lines[0][0] != "TY":
            lines = [("TY", "GEN")] + lines
        chunk = "\n".join(f"{tag}  - {value}" for tag, value in lines) + "\nER  - \n"
        try:
            entries = rispy.loads(chunk)
        except Exception as err:  # rispy's own failures become a skip of this record
            yield Skip(source.name, start, f"RIS record does not parse ({one_line(err, 150)})")
            continue
        if not entries:
            yield Skip(source.name, start, "RIS record does not parse")
            continue
        entry = entries[0]
        title = clean_space(text_value(_first(entry, "title", "primary_title", "translated_title")))
        abstract = text_value(_first(entry, "abstract", "notes_abstract")).strip()
        skip = usable(source, start, title, abstract)
        if skip:
            yield skip
            continue
        unknown = entry.get("unknown_tag") or {}
        references = as_list(list(unknown.get("CR", []))) if isinstance(unknown, dict) else None
        yield record(source, start, id=text_value(_first(entry, "id", "accession_number")).strip() or None,
                     title=title, abstract=abstract,
                     year=_first(entry, "year", "publication_year", "date"),
                     doi=_first(entry, "doi"), references=references,
                     first_author=_first(entry, "authors", "first_authors"))
