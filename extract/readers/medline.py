"""PubMed MEDLINE / ``.nbib`` (the tagged format PubMed's "Save" and citation managers write).

Each record starts with ``PMID- ``; a tag is four characters padded with
spaces, then ``- ``; continuation lines are indented by six spaces; records
are separated by blank lines. ``TI`` title, ``AB`` abstract, ``DP`` date of
publication, ``AID``/``LID`` ``… [doi]`` the DOI, ``PMID`` the id, ``FAU``/``AU``
the authors.
"""
from __future__ import annotations

import re
from typing import Iterator

from .core import Skip, Source, clean_space, record, usable
from .registry import register_reader
from .tagged import tagged_records

_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")


def _medline_records(text: str) -> Iterator[tuple[int, dict[str, list[str]]]]:
    return tagged_records(text, _TAG, start_tag="PMID")


def _doi(fields: dict[str, list[str]]) -> str | None:
    for tag in ("AID", "LID"):
        for value in fields.get(tag, []):
            if value.endswith("[doi]"):
                return value[:-len("[doi]")].strip()
    return None


def sniff_medline(head: str) -> bool:
    """A ``PMID-`` line among the first, and other MEDLINE tags (RIS has two-letter tags only)."""
    lines = [line.lstrip("\ufeff") for line in head.split("\n") if line.strip()][:100]
    return any(re.match(r"^PMID- ?\d", line) for line in lines[:10]) and \
        sum(bool(re.match(r"^(TI  |AB  |DP  |FAU |STAT|OWN |AU  )- ", line)) for line in lines) >= 2


@register_reader("medline", extensions=(".nbib", ".medline"), sniff=sniff_medline, order=20)
def read_medline(text: str, source: Source) -> Iterator[dict | Skip]:
    """MEDLINE records: PMID (the id), TI, AB, DP (year), AID/LID [doi], FAU/AU."""
    for start, fields in _medline_records(text):
        def get(tag):
            return " ".join(fields.get(tag, [])).strip()

        title, abstract = clean_space(get("TI") or get("BTI")), get("AB")
        skip = usable(source, start, title, abstract)
        if skip:
            yield skip
            continue
        yield record(source, start, id=get("PMID") or None, title=title, abstract=abstract,
                     year=get("DP") or get("DEP") or None, doi=_doi(fields),
                     first_author=(fields.get("FAU") or fields.get("AU") or [None])[0])
