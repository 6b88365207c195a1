"""Web of Science plain-text export (``FN``/``VR`` header, ``PT`` ... ``ER`` records)."""
from __future__ import annotations

import re
from typing import Iterator

from .core import Skip, Source, clean_space, record, usable
from .registry import register_reader
from .tagged import tagged_records

_WOS_LINE = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_WOS_LIST_TAGS = frozenset({"AU", "AF", "CR", "C1", "BE", "CA"})
_WOS_HEADER_TAGS = frozenset({"FN", "VR", "EF"})


def _wos_records(text: str) -> Iterator[tuple[int, dict[str, list[str]]]]:
    return tagged_records(text, _WOS_LINE, start_tag="PT", end_tag="ER", header_tags=_WOS_HEADER_TAGS,
                          list_tags=_WOS_LIST_TAGS)


def sniff_wos(head: str) -> bool:
    lines = [line.lstrip("\ufeff") for line in head.split("\n") if line.strip()]
    if not lines:
        return False
    if re.match(r"^FN .*(Web of Science|Clarivate|Thomson|ISI)", lines[0], re.IGNORECASE):
        return True
    return any(re.match(r"^PT [A-Z]\s*$", line) for line in lines[:5]) and \
        any(re.match(r"^(TI|AB|UT) ", line) for line in lines) and \
        any(line.rstrip() == "ER" for line in lines)


@register_reader("wos", extensions=(".ciw", ".isi"), sniff=sniff_wos, order=20)
def read_wos(text: str, source: Source) -> Iterator[dict | Skip]:
    """Web of Science plain-text export: two-letter tags, continuation lines
    indented by three spaces, each record ending with ``ER``.

    TI title, AB abstract, PY year (EA, the early-access date, when PY is
    missing), DI DOI, UT accession number (the id), AU authors, CR cited
    references (one per line, kept as given: ``Vaswani A, 2017, ADV NEUR IN, V30, DOI 10...``).
    """
    for start, fields in _wos_records(text):
        def get(tag):
            values = fields.get(tag)
            return " ".join(values).strip() if values else ""

        title, abstract = clean_space(get("TI")), get("AB")
        skip = usable(source, start, title, abstract)
        if skip:
            yield skip
            continue
        references = [ref for ref in fields.get("CR", []) if ref.strip()] or None
        yield record(source, start, id=get("UT") or None, title=title, abstract=abstract,
                     year=get("PY") or get("EA") or None, doi=get("DI") or None, references=references,
                     first_author=fields.get("AU"))
