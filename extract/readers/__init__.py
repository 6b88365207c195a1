"""Read abstract files into raw records, whatever their layout: one module per format family.

=======================  ==============================================================
module                   formats
=======================  ==============================================================
:mod:`.plain_text`       ``text``: scraped abstract lists (the sample corpus)
:mod:`.tables`           ``csv``, ``tsv``, ``scopus``, ``wos-tab``, ``dimensions``, ``citations``
:mod:`.json_records`     ``json``, ``jsonl``, ``openalex``, ``arxiv``, ``s2``, ``csl-json``
:mod:`.bibtex`           ``bibtex`` (BibTeX, BibLaTeX)
:mod:`.ris`              ``ris``
:mod:`.wos`              ``wos`` (Web of Science plain text)
:mod:`.medline`          ``medline`` (PubMed MEDLINE / ``.nbib``)
=======================  ==============================================================

Each format module registers its reader and sniffer in :data:`READERS` (see
:mod:`.registry`: :func:`register_reader` adds your own format); :mod:`.core`
holds the raw record, :mod:`.decoding` turns bytes into text, :mod:`.files`
finds the files and their formats. Readers yield raw records (dicts with the
keys of :data:`RECORD_FIELDS`), :class:`Skip` entries (a record that cannot be
used, with its line) or :class:`Citation` links, and raise nothing but
:class:`InputError` (a file that cannot be read at all).
"""
from . import bibtex, json_records, medline, plain_text, ris, tables, wos  # noqa: F401  (they register)
from .core import (MAX_TEXT_CHARS, RECORD_FIELDS, Citation, InputError, Skip, Source, as_list, clean_doi,
                   clean_text, parse_year, record, strip_markup, strip_publisher_boilerplate, usable)
from .decoding import decode_bytes, read_text_file
from .files import FORMAT_ALIASES, detect_format, expand_inputs, input_files, normalise_format, read_file
from .registry import READERS, Format, Registry, register_reader

__all__ = ["READERS", "RECORD_FIELDS", "MAX_TEXT_CHARS", "FORMAT_ALIASES", "Citation", "Format", "InputError",
           "Registry", "Skip", "Source", "as_list", "clean_doi", "clean_text", "decode_bytes", "detect_format",
           "expand_inputs", "input_files", "normalise_format", "parse_year", "read_file", "read_text_file",
           "record", "register_reader", "strip_markup", "strip_publisher_boilerplate", "usable"]
