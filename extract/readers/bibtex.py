"""BibTeX and BibLaTeX (bibtexparser 2): ``.bib``, or an ``@type{key,`` entry in any file."""
from __future__ import annotations

import logging
import re
import unicodedata
from typing import Iterator

from .core import InputError, Skip, Source, as_list, clean_space, one_line, record, text_value, usable
from .registry import register_reader

# bibtexparser logs every block it cannot parse; those are reported as skips instead.
_BIBTEX_LOG = logging.getLogger("bibtexparser")
_BIBTEX_LOG.addHandler(logging.NullHandler())
_BIBTEX_LOG.propagate = False

_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
            "c": "\u0327", "k": "\u0328", "r": "\u030a"}
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "aa": "å", "AA": "Å",
            "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "i": "ı"}
_ACCENT_RE = re.compile(r"\\([`'^\"~=.]|[uvHckr](?=[{\s]))\s*\{?\s*(\\?[A-Za-z])\s*\}?")
_LETTER_RE = re.compile(r"\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i)(?![A-Za-z])\s?")
_COMMAND_RE = re.compile(r"\\(?:emph|textit|textbf|textsc|texttt|textrm|mathrm|mbox|url|text)\s*(?=\{)")


def latex_to_text(value: str) -> str:
    """BibTeX field text made readable: accents decoded, braces and markup dropped.

    >>> latex_to_text(r"Sch{\\"o}lkopf and {\\'E}mile: {BERT} \\& \\emph{co}")
    'Schölkopf and Émile: BERT & co'
    """
    def accent(match):
        letter = match.group(2).lstrip("\\")
        return unicodedata.normalize("NFC", letter + _ACCENTS[match.group(1)])

    text = _ACCENT_RE.sub(accent, value)
    text = _LETTER_RE.sub(lambda m: _LETTERS[m.group(1)], text)
    text = _COMMAND_RE.sub("", text)
    for escaped, plain in (("\\&", "&"), ("\\%", "%"), ("\\_", "_"), ("\\#", "#"), ("\\$", "$"),
                           ("---", "\u2014"), ("--", "\u2013"), ("~", " ")):
        text = text.replace(escaped, plain)
    return text.replace("{", "").replace("}", "")


def _bibtex_value(value) -> str:
    text = text_value(value).strip()
    if len(text) >= 2 and text[0] == text[-1] == '"' or text.startswith("{") and text.endswith("}"):
        text = text[1:-1]  # enclosing left on entries that failed a middleware step
    return latex_to_text(text)


def _bibtex_entry(entry, source: Source) -> dict | Skip:
    fields = {}
    for field in getattr(entry, "fields", []):
        fields.setdefault(str(field.key).strip().lower(), field.value)
    line = (entry.start_line or 0) + 1
    title = clean_space(_bibtex_value(fields.get("title")))
    abstract = clean_space(_bibtex_value(fields.get("abstract")))  # line breaks are layout
    skip = usable(source, line, title, abstract)
    if skip:
        return skip
    references = None
    for key in ("cited-references", "references", "citations"):
        if fields.get(key):
            references = as_list(text_value(fields[key]), r"\n|;\s+")
            break
    year = fields.get("year") or fields.get("date")
    return record(source, line, id=text_value(entry.key).strip() or None, title=title, abstract=abstract,
                  year=_bibtex_value(year) if year else None,
                  date=_bibtex_value(fields["date"]) if fields.get("date") else None, doi=_bibtex_value(fields.get("doi")),
                  references=references, first_author=clean_space(_bibtex_value(fields.get("author"))))


def sniff_bibtex(head: str) -> bool:
    return re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]\s*[^\s,={}]*\s*,", head, re.MULTILINE) is not None \
        and not head.lstrip().startswith(("{", "["))


@register_reader("bibtex", extensions=(".bib", ".bibtex"), sniff=sniff_bibtex, order=20, line_oriented=False)
def read_bibtex(text: str, source: Source) -> Iterator[dict | Skip]:
    """BibTeX entries; an entry that does not parse is skipped with its line.

    Entries sharing a key are all kept (the corpus disambiguates their ids);
    ``@string`` macros are resolved; ``@comment``, ``@preamble`` and text
    between entries are not records.
    """
    import bibtexparser
    from bibtexparser import model

    try:
        library = bibtexparser.parse_string(text)
    except RecursionError:
        raise InputError(f"{source.name}: BibTeX nested too deeply to read") from None
    except Exception as err:  # the parser's own failures: report, never crash
        raise InputError(f"{source.name}: cannot parse BibTeX ({one_line(err)})") from None
    for block in library.blocks:
        if isinstance(block, model.Entry):
            yield _bibtex_entry(block, source)
        elif isinstance(block, model.ParsingFailedBlock):
            entry = getattr(block, "ignore_error_block", None)
            if isinstance(entry, model.Entry):
                yield _bibtex_entry(entry, source)
            else:
                line = (block.start_line or 0) + 1
                error = block.error
                why = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
                yield Skip(source.name, line, f"BibTeX entry does not parse ({one_line(why, 150).replace('`', '')})")
