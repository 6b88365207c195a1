"""Grouping the lines of tagged exports (Web of Science, MEDLINE) into records."""
from __future__ import annotations

import re
from typing import Iterator


def tagged_records(text: str, tag_line: re.Pattern, *, start_tag: str, end_tag: str | None = None,
                   header_tags: frozenset = frozenset(), list_tags: frozenset = frozenset()
                   ) -> Iterator[tuple[int, dict[str, list[str]]]]:
    """(first line, {tag: values}) per record of a tagged text.

    ``tag_line`` matches a tagged line (groups: tag, value). A record starts at
    ``start_tag`` (or at the first tag after the previous record) and ends at
    ``end_tag`` or the next ``start_tag``; ``header_tags`` belong to no record.
    An indented or untagged line continues the last value; under ``list_tags``
    (authors, references) it is a value of its own.
    """
    fields: dict[str, list[str]] = {}
    tag = None
    start = 0
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip().lstrip("\ufeff")
        if not line.strip():
            continue
        match = None if raw.startswith(" ") else tag_line.match(line)
        if match is None:
            if tag:  # a continuation line
                value = line.strip()
                if tag in list_tags:
                    fields[tag].append(value)
                else:
                    fields[tag][-1] = f"{fields[tag][-1]} {value}".strip()
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag in header_tags:
            tag = None
            continue
        if tag == end_tag:
            if fields:
                yield start, fields
            fields, tag = {}, None
            continue
        if tag == start_tag and fields:  # a record without its end tag
            yield start, fields
            fields = {}
        if not fields:
            start = number
        fields.setdefault(tag, []).append(value)
    if fields:
        yield start, fields
