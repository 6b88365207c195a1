"""Scraped abstract lists in plain text (the sample corpus), and tagged text nobody reads.

Plain text is never sniffed: it is what a ``.txt`` file (or a file named on its
own with an unknown extension) is when its content is no other format. Text
that looks like a tagged export of a format without a reader (``XX  - value``
lines) is refused by :func:`refuse_unknown_tagged` instead of being mapped as
abstracts.
"""
from __future__ import annotations

import re
from typing import Iterator

from .core import InputError, Source, clean_text, data_patterns, record
from .registry import register_reader

_BOILERPLATE = data_patterns("boilerplate.txt")
_MARKERS = data_patterns("markers.txt")


def _strip_boilerplate(line: str) -> str:
    for pattern in _BOILERPLATE:
        match = pattern.match(line)
        if match:
            line = line[match.end():]
    return line.strip()


def _looks_like_title(line: str) -> bool:
    # Titles are short and rarely end a sentence; abstracts are long prose.
    return len(line) <= 250 and not line.rstrip().endswith((".", "?\"", ".\""))


def text_layout(lines: list[tuple[int, str]]) -> str:
    """Name the layout of a plain-text list: ``translated``, ``pairs`` or ``lines``.

    >>> text_layout([(1, "A title"), (2, "A much longer abstract about the title, " * 3)])
    'pairs'
    """
    if any(any(m.fullmatch(text) for m in _MARKERS) for _, text in lines):
        return "translated"
    if len(lines) >= 2 and len(lines) % 2 == 0:
        titles, abstracts = lines[0::2], lines[1::2]
        title_like = sum(_looks_like_title(t) for _, t in titles)
        long_enough = sum(len(a) > 250 or len(a) > 2 * len(t) for (_, t), (_, a) in zip(titles, abstracts))
        if title_like >= 0.9 * len(titles) and long_enough >= 0.9 * len(abstracts):
            return "pairs"
    return "lines"


@register_reader("text", extensions=(".txt", ".text"), order=99)
def read_plain_text(text: str, source: Source) -> Iterator[dict]:
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


# "TI  - Title", "PMID- 123", "AB Abstract" (WoS style) or "%T Title" (EndNote/refer).
_TAG_LINE = re.compile(r"^(?:([A-Z][A-Z0-9]{1,3}) {0,3}- |([A-Z][A-Z0-9]) (?=\S)|%([A-Z0-9]) )")


def refuse_unknown_tagged(head: str, name: str) -> None:
    """Raise :class:`InputError` when text looks like a tagged export no reader took.

    Most of its first lines start with a short upper-case tag (``XX  - ``,
    ``%T ``); mapping such a file as abstracts would make the tags concepts.
    """
    lines = [line for line in head.split("\n")[:200] if line.strip()]
    if len(lines) < 4:
        return
    tags = [m.group(1) or m.group(2) or m.group(3) for m in map(_TAG_LINE.match, lines) if m]
    continuation = sum(line.startswith((" ", "\t")) for line in lines)
    if len(tags) >= 0.6 * (len(lines) - continuation) and len(set(tags)) >= 3:
        seen = list(dict.fromkeys(tags))[:6]
        raise InputError(f"{name}: looks like a tagged export (tags {', '.join(seen)}) in a format "
                         "conceptgraph does not read; export as RIS, BibTeX, MEDLINE, Web of Science or CSV "
                         "(or pass --format text to read it as one abstract per line)")
