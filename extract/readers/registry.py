"""The registry of input formats: a reader, a sniffer and extensions per format.

Like spaCy's ``registry``, it lets code outside this package add a format
without editing ours::

    from conceptgraph.extract.readers import record, register_reader

    @register_reader("mylab", extensions=(".mylab",), sniff=lambda head: head.startswith("MYLAB 1"))
    def read_mylab(text, source):
        for number, line in enumerate(text.split("\\n"), 1):
            if line.startswith("T "):
                yield record(source, number, title=line[2:])

After that, ``load("x.mylab")`` and directory runs read the format. For the command line,
declare the module in your package's entry points, group ``conceptgraph_readers``
(``[project.entry-points.conceptgraph_readers] mylab = "mylab_reader"``): it is imported
before the first file is read, so ``conceptgraph build x.mylab`` and ``--format mylab`` work.
A reader is ``reader(text, source) -> iterator`` of raw records (:func:`record`),
:class:`Skip` or :class:`Citation` entries, raising nothing but :class:`InputError`.
A sniffer gets the head of a file's text (the first 20,000 characters) and
returns True when the text is of its format, or the name of another
registered format (one sniffer tells apart the JSON flavours, say).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import Callable, Iterator

from .core import InputError, one_line

ENTRY_POINT_GROUP = "conceptgraph_readers"

Reader = Callable[..., Iterator]
Sniffer = Callable[[str], "bool | str | None"]


@dataclass(frozen=True)
class Format:
    """One input format: its reader, sniffer, extensions and sniffing order."""

    name: str
    read: Reader
    sniff: Sniffer | None = None
    extensions: tuple[str, ...] = ()
    # Sniffers run from low to high order: specific structures before general ones.
    order: int = 50
    # True: the format's records are line-oriented (so a single huge line is refused).
    line_oriented: bool = True


class Registry(Mapping):
    """Formats by name; as a mapping, ``name -> reader function``.

    >>> from conceptgraph.extract.readers import READERS
    >>> "medline" in READERS and READERS.format("medline").extensions
    ('.nbib', '.medline')
    """

    def __init__(self):
        self._formats: dict[str, Format] = {}
        self._plugins_loaded = False

    def load_plugins(self) -> None:
        """Import the reader modules installed packages declare (group ``conceptgraph_readers``), once."""
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        for entry in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            try:
                entry.load()  # importing the module runs its @register_reader
            except Exception as err:  # someone else's code: a one-line error naming it, never a traceback
                raise InputError(f"reader plugin {entry.name} ({entry.value}) cannot be loaded: "
                                 f"{type(err).__name__}: {one_line(err)}") from None

    def register(self, name: str, *, extensions: tuple[str, ...] = (), sniff: Sniffer | None = None,
                 order: int = 50, line_oriented: bool = True) -> Callable[[Reader], Reader]:
        """Register ``reader`` under ``name`` (a decorator); a later registration replaces it."""
        def decorate(reader: Reader) -> Reader:
            self._formats[name] = Format(name, reader, sniff, tuple(e.lower() for e in extensions), order,
                                         line_oriented)
            return reader
        return decorate

    def unregister(self, name: str) -> None:
        """Remove a format (one registered for a while, e.g. in a test)."""
        del self._formats[name]

    def format(self, name: str) -> Format:
        return self._formats[name]

    def by_extension(self, suffix: str) -> str | None:
        """The format registered for a file extension (``.ris``), or None."""
        suffix = suffix.lower()
        for fmt in self._formats.values():
            if suffix in fmt.extensions:
                return fmt.name
        return None

    def extensions(self) -> list[str]:
        return sorted({e for fmt in self._formats.values() for e in fmt.extensions})

    def sniff(self, head: str) -> str | None:
        """The first format whose sniffer recognises ``head``, in sniffing order."""
        for fmt in sorted(self._formats.values(), key=lambda f: (f.order, f.name)):
            if fmt.sniff is None:
                continue
            found = fmt.sniff(head)
            if found:
                return found if isinstance(found, str) else fmt.name
        return None

    def __getitem__(self, name: str) -> Reader:
        return self._formats[name].read

    def __iter__(self):
        return iter(self._formats)

    def __len__(self):
        return len(self._formats)


READERS = Registry()
register_reader = READERS.register
