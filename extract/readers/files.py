"""Which files to read, and in which format: input expansion, sniffing, refusals.

Content beats the extension: every file is sniffed by the registered formats
(:meth:`Registry.sniff`, most specific first); the extension decides only when
no sniffer recognises the content. A directory is walked for every regular
file, except hidden files and folders (``.cache``) and conceptgraph's own
output folders; whatever is not read is listed with the reason.
"""
from __future__ import annotations

import itertools
import json
import os
import stat
from pathlib import Path
from typing import Iterable, Iterator

from .core import InputError, Source, clean_text, one_line
from .decoding import read_text_file
from .plain_text import refuse_unknown_tagged
from .registry import READERS

FORMAT_ALIASES = {"txt": "text", "ndjson": "jsonl", "bib": "bibtex", "biblatex": "bibtex",
                  "wok": "wos", "webofscience": "wos", "web-of-science": "wos", "isi": "wos",
                  "wos-tab-delimited": "wos-tab", "nbib": "medline", "pubmed": "medline",
                  "semanticscholar": "s2", "semantic-scholar": "s2", "csl": "csl-json"}

# Documents that are no export of abstracts, by extension, with what to do instead.
_REFUSED_EXTENSIONS = {
    ".md": "a Markdown document (a reading list?), not an export of abstracts; export the papers "
           "from Zotero or your database as RIS, BibTeX or CSV",
    ".markdown": "a Markdown document, not an export of abstracts",
    ".xlsx": "an Excel workbook, not text; save it as CSV (File > Save As > CSV UTF-8) and read that file",
    ".xls": "an Excel workbook, not text; save it as CSV (File > Save As > CSV UTF-8) and read that file",
    ".ods": "a spreadsheet, not text; save it as CSV and read that file",
    ".docx": "a Word document, not an export of abstracts",
    ".html": "a web page, not an export of abstracts; use the site's export button",
    ".htm": "a web page, not an export of abstracts; use the site's export button",
}
_HEAD_CHARS = 20000


def normalise_format(format: str | None) -> str | None:
    """A format name as given to ``--format``, aliases resolved."""
    if format is None:
        return None
    name = format.strip().lower()
    return FORMAT_ALIASES.get(name, name)


def _extension(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    return suffixes[-1] if suffixes else None


def detect_format(path: Path, text: str) -> str:
    """Name the reader for a file, from its content first and its extension second.

    * every registered sniffer looks at the head of the text, most specific
      first: JSON (and its database flavours), BibTeX, RIS, Web of Science,
      MEDLINE, then tables (citation lists, Scopus, WoS tab-delimited,
      Dimensions, any table naming title/abstract columns);
    * when none recognises it, the extension's format; plain text for
      ``.txt`` and for unknown extensions.
    """
    head = text.lstrip("\ufeff \t\n")[:_HEAD_CHARS]
    found = READERS.sniff(head)
    if found:
        return found
    return READERS.by_extension(_extension(path) or "") or "text"


def _known_extension(path: Path) -> bool:
    return READERS.by_extension(_extension(path) or "") is not None


def read_file(path: Path, name: str, format: str | None = None, encoding: str | None = None,
              named: bool = True) -> tuple[str, Iterator]:
    """Decode one file and return its format and an iterator over its records.

    ``named`` is False for a file found in a directory: one whose content is no
    known format and whose extension names none is then refused (and listed as
    skipped) rather than read as plain text.
    """
    READERS.load_plugins()
    fmt = normalise_format(format)
    if fmt is not None and fmt not in READERS:
        raise InputError(f"{name}: unknown format {format!r} (known: {', '.join(sorted(READERS))})")
    extension = _extension(path)
    if fmt is None and extension in _REFUSED_EXTENSIONS:
        raise InputError(f"{name}: this is {_REFUSED_EXTENSIONS[extension]}")
    text = read_text_file(path, name, encoding)
    if not text.strip():
        raise InputError(f"{name}: empty file")
    if fmt is None:
        fmt = detect_format(path, text)
        if fmt == "text":
            refuse_unknown_tagged(text[:_HEAD_CHARS], name)
            if not named and not _known_extension(path):
                raise InputError(f"{name}: no known format in its content and no known extension "
                                 "(name it .txt to read it as one abstract per line)")
    if READERS.format(fmt).line_oriented:
        _refuse_long_lines(text, name)
    return fmt, READERS[fmt](text, Source(path, name))


# A line this long holds no record (a record is at most MAX_TEXT_CHARS), and parsing
# it would cost memory many times its size: the file is refused instead.
MAX_LINE_CHARS = 16_000_000


def _refuse_long_lines(text: str, name: str) -> None:
    if len(text) <= MAX_LINE_CHARS:
        return
    start, number = 0, 1
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > MAX_LINE_CHARS:
            raise InputError(f"{name}:{number}: a line of {end - start:,} characters, more than the "
                             f"{MAX_LINE_CHARS:,} a file of records may have on one line")
        start, number = end + 1, number + 1


# ---------------------------------------------------------------- inputs

def expand_inputs(inputs: Iterable[str | Path]) -> tuple[list[tuple[Path, str, bool]], list[dict]]:
    """Expand files, directories and glob patterns to the files to read, and those not read.

    Returns ``(files, skipped)``: ``files`` holds (path, reported name, named)
    triples (``named`` is True for a file given by its own name: a file that
    cannot be read is then an error; False for one found in a directory or by
    a pattern: it is then skipped, with its reason in the load report);
    ``skipped`` holds ``{"file", "reason"}`` for what a directory walk left out:
    hidden files and folders, conceptgraph's output folders, FIFOs, sockets and
    devices. Directories are walked recursively in sorted order, so every run
    reads the same files in the same order.
    """
    found, skipped = [], []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found += _directory_files(path, str(item), skipped)
        elif path.is_file():
            found.append((path, clean_text(path.name if path.is_absolute() else str(item)), True))
        elif any(ch in str(item) for ch in "*?["):
            try:
                matches = sorted(Path().glob(str(item))) if not path.is_absolute() else \
                    sorted(Path(path.anchor).glob(str(path.relative_to(path.anchor))))
            except (ValueError, OSError) as err:
                raise InputError(f"{item}: bad file pattern ({one_line(err)})") from None
            if not matches:
                raise InputError(f"{item}: no file matches this pattern")
            base = Path(*[p for p in itertools.takewhile(lambda p: not any(ch in p for ch in "*?["),
                                                        Path(item).parts)] or ["."])
            for match in matches:
                hidden_or_ours = _left_out(match, base)
                if hidden_or_ours:
                    skipped.append({"file": clean_text(str(match)), "reason": hidden_or_ours})
                elif match.is_dir():
                    found += _directory_files(match, str(match), skipped)
                elif match.is_file():
                    found.append((match, clean_text(str(match)), False))
                else:
                    skipped.append({"file": clean_text(str(match)), "reason": f"{_kind(match)}, not a regular file"})
        elif path.exists():
            raise InputError(f"{item}: not a regular file or directory ({_kind(path)})")
        else:
            raise InputError(f"{item}: no such file or directory")
    return found, skipped


def input_files(inputs: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Expand files, directories and glob patterns to (path, reported name) pairs."""
    return [(path, name) for path, name, _ in expand_inputs(inputs)[0]]


def our_outputs(folder: Path) -> set[str] | None:
    """The names of the files conceptgraph wrote into ``folder`` (from its ``report.json``), or None."""
    report = folder / "report.json"
    try:
        if not report.is_file() or report.stat().st_size > 50_000_000:
            return None
        data = json.loads(report.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    if not (isinstance(data, dict) and {"records", "files", "outputs"} <= set(data)
            and isinstance(data["outputs"], list)):
        return None
    return {str(name) for name in data["outputs"]} | {"report.json"}


def is_output_folder(path: Path) -> bool:
    """True for a folder conceptgraph wrote: named ``conceptgraph-out`` or holding our ``report.json``."""
    return path.name == "conceptgraph-out" or our_outputs(path) is not None


_OURS = "written by conceptgraph (listed in the report.json beside it): not read as input"
_OUR_FOLDER = "conceptgraph's own output folder: not read as input"


def _left_out(match: Path, base: Path) -> str | None:
    """Why a glob match is not read: it is one of our outputs, or lies (below the pattern's
    fixed ``base``) in a hidden folder or in one of our output folders."""
    outputs = our_outputs(match.parent)
    if outputs and match.name in outputs:
        return _OURS
    for part in (match, *match.parents):
        if part == base or base not in part.parents:
            break
        if part.name.startswith("."):
            return "a hidden file or folder: not read" if part == match else "in a hidden folder: not read"
        if part != match and is_output_folder(part):
            return _OUR_FOLDER
    return None


def _kind(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return f"cannot be read: {err.strerror}"
    for test, what in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device")):
        if test(mode):
            return what
    return "not a regular file"


def _directory_files(path: Path, item: str, skipped: list[dict]) -> list[tuple[Path, str, bool]]:
    def name_of(p: Path) -> str:
        return clean_text(str(p.relative_to(path.parent)))

    members = []
    for root, dirs, files in os.walk(path, onerror=None):
        root_path = Path(root)
        kept_dirs = []
        for d in sorted(dirs):
            sub = root_path / d
            if d.startswith("."):
                skipped.append({"file": name_of(sub), "reason": "a hidden folder: not read"})
            elif is_output_folder(sub):
                skipped.append({"file": name_of(sub), "reason": _OUR_FOLDER})
            else:
                kept_dirs.append(d)
        dirs[:] = kept_dirs
        # A folder given to read may also hold a build's outputs (`-o .`): those files are left out.
        outputs = our_outputs(root_path) or set()
        for f in sorted(files):
            member = root_path / f
            if f in outputs:
                skipped.append({"file": name_of(member), "reason": _OURS})
            elif f.startswith("."):
                skipped.append({"file": name_of(member), "reason": "a hidden file: not read"})
            elif not member.is_file():  # FIFOs, sockets, devices: never opened, so never block
                skipped.append({"file": name_of(member), "reason": f"{_kind(member)}, not a regular file"})
            else:
                members.append(member)
    if not members:
        raise InputError(f"{item}: directory holds no abstract files"
                         + (f" ({len(skipped)} left out, e.g. {skipped[0]['file']}: {skipped[0]['reason']})"
                            if skipped else ""))
    return [(p, name_of(p), False) for p in sorted(members)]


__all__ = ["detect_format", "read_file", "expand_inputs", "input_files", "normalise_format",
           "is_output_folder", "our_outputs", "FORMAT_ALIASES", "MAX_LINE_CHARS"]
