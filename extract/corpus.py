"""Assemble input files into one papers table: ids, languages, duplicates merged.

Every record read is accounted for: ``read = kept + merged + skipped``, per
file, in the report stored at ``papers.attrs["load_report"]``.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Iterable

import pandas as pd

from .readers import InputError, Skip, input_files, read_file

PAPER_COLUMNS = ["id", "title", "abstract", "year", "lang", "doi", "source_file", "source_line",
                 "references", "cited_by", "merged_from"]


def sample_corpus() -> Path:
    """The directory of the bundled sample corpus (five scraped abstract lists)."""
    return Path(str(resources.files("conceptgraph.extract").joinpath("data", "sample_corpus")))


def detect_language(text: str) -> str:
    """Language of a text by its script: ``zh``, ``ja``, ``ko`` or ``en``.

    Only scripts are told apart: any Latin-script text counts as English.

    >>> detect_language("深度神经网络 (DNN) 的训练"), detect_language("Deep networks")
    ('zh', 'en')
    """
    counts = {"han": 0, "kana": 0, "hangul": 0, "other": 0}
    for ch in text:
        if not ch.isalpha():
            continue
        code = ord(ch)
        if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            counts["han"] += 1
        elif 0x3040 <= code <= 0x30FF:
            counts["kana"] += 1
        elif 0xAC00 <= code <= 0xD7AF:
            counts["hangul"] += 1
        else:
            counts["other"] += 1
    cjk = counts["han"] + counts["kana"] + counts["hangul"]
    # A CJK character carries about a word, a Latin letter a fifth of one.
    if cjk and cjk * 5 >= counts["other"]:
        if counts["hangul"] > counts["han"]:
            return "ko"
        return "ja" if counts["kana"] else "zh"
    return "en"


def normalise_text(text: str) -> str:
    """Text reduced for duplicate detection: case, accents, punctuation and spacing folded."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return " ".join(re.findall(r"\w+", text))


def paper_id(title: str, abstract: str) -> str:
    """A stable id from a paper's text: the same on every run and machine."""
    digest = hashlib.sha1(f"{normalise_text(title)}\n{normalise_text(abstract)}".encode()).hexdigest()
    return f"p{digest[:12]}"


def _title_key(title: str) -> str | None:
    # Short generic titles ("Introduction") must not merge different papers.
    key = normalise_text(title)
    return key if len(key) >= 15 and len(key.split()) >= 2 else None


def _abstract_key(abstract: str) -> str | None:
    key = normalise_text(abstract)
    return key if len(key.split()) >= 8 else None


class _Corpus:
    """Merges raw records into papers as they arrive."""

    def __init__(self, merge_duplicates: bool = True):
        self.merge_duplicates = merge_duplicates
        self.papers: list[dict] = []
        self.by_abstract: dict[str, int] = {}
        self.by_title: dict[str, int] = {}
        self.ids: set[str] = set()

    def find_duplicate(self, rec: dict) -> int | None:
        akey, tkey = _abstract_key(rec["abstract"]), _title_key(rec["title"])
        if akey and akey in self.by_abstract:
            index = self.by_abstract[akey]
            other = self.papers[index]["title"]
            if not rec["title"] or not other or normalise_text(other) == normalise_text(rec["title"]):
                return index
        if tkey and tkey in self.by_title:
            index = self.by_title[tkey]
            kept = self.papers[index]
            # Records carrying different explicit ids or DOIs are different papers.
            if rec["doi"] and kept["doi"] and rec["doi"].lower() != kept["doi"].lower():
                return None
            return index
        return None

    def add(self, rec: dict) -> str | None:
        """Add a record; return the id it was merged into, or None when kept."""
        rec["title"] = (rec["title"] or "").strip()
        rec["abstract"] = rec["abstract"] or ""
        index = self.find_duplicate(rec) if self.merge_duplicates else None
        if index is not None:
            kept = self.papers[index]
            for field in ("title", "year", "doi", "references", "cited_by"):
                if not kept[field] and rec[field]:
                    kept[field] = rec[field]
            if rec["references"] and kept["references"] is not rec["references"]:
                kept["references"] = sorted(set(kept["references"]) | set(rec["references"]))
            kept["merged_from"].append(f"{rec['source_file']}:{rec['source_line']}")
            self._index(rec, index)
            return kept["id"]
        rec_id = rec["id"] or paper_id(rec["title"], rec["abstract"])
        base, n = rec_id, 1
        while rec_id in self.ids:  # same id, different text: keep both, disambiguated
            n += 1
            rec_id = f"{base}~{n}"
        rec["id"] = rec_id
        rec["lang"] = detect_language(rec["title"] + " " + rec["abstract"])
        rec["merged_from"] = []
        self.ids.add(rec_id)
        self.papers.append(rec)
        self._index(rec, len(self.papers) - 1)
        return None

    def _index(self, rec: dict, index: int):
        akey, tkey = _abstract_key(rec["abstract"]), _title_key(rec["title"])
        if akey:
            self.by_abstract.setdefault(akey, index)
        if tkey:
            self.by_title.setdefault(tkey, index)


def load(inputs: Iterable[str | Path] | str | Path | None = None, format: str | None = None,
         encoding: str | None = None, merge_duplicates: bool = True) -> pd.DataFrame:
    """Read abstract files into a papers DataFrame.

    Parameters
    ----------
    inputs : path, glob or directory, or a list of them; None reads the bundled sample corpus.
    format : force a reader (``text``, ``jsonl``, ``json``, ``csv``, ``tsv``, ...); default: detect per file.
    encoding : text encoding when files are not UTF-8/UTF-16 with BOM.
    merge_duplicates : merge records of the same paper (same abstract, or same title);
        when False every record is kept (ids still made unique).

    Returns
    -------
    DataFrame with columns ``id, title, abstract, year, lang, doi, source_file,
    source_line, references, cited_by, merged_from``, one row per distinct paper.
    ``papers.attrs["load_report"]`` holds per-file counts (read, kept, merged,
    skipped) and every skipped record with its reason.

    Raises
    ------
    InputError : a file cannot be read at all (one-line message naming it).

    Examples
    --------
    >>> import conceptgraph
    >>> papers = conceptgraph.load()
    >>> len(papers)
    269
    """
    if inputs is None:
        inputs = [sample_corpus()]
    elif isinstance(inputs, (str, Path)):
        inputs = [inputs]
    corpus = _Corpus(merge_duplicates)
    files = []
    for path, name in input_files(inputs):
        fmt, records = read_file(path, name, format, encoding)
        stats = {"file": name, "format": fmt, "read": 0, "kept": 0, "merged": 0, "skipped": 0,
                 "skips": []}
        for item in records:
            stats["read"] += 1
            if isinstance(item, Skip):
                stats["skipped"] += 1
                stats["skips"].append({"line": item.source_line, "reason": item.reason})
            elif corpus.add(item) is None:
                stats["kept"] += 1
            else:
                stats["merged"] += 1
        files.append(stats)
    papers = pd.DataFrame(corpus.papers, columns=PAPER_COLUMNS)
    papers["year"] = papers["year"].astype("Int64")
    papers["source_line"] = papers["source_line"].astype("int64")
    totals = {key: sum(f[key] for f in files) for key in ("read", "kept", "merged", "skipped")}
    papers.attrs["load_report"] = {"files": files, **totals}
    if totals["read"] == 0:
        raise InputError(f"{', '.join(f['file'] for f in files) or 'input'}: no records found")
    return papers


__all__ = ["load", "sample_corpus", "detect_language", "paper_id", "InputError", "PAPER_COLUMNS"]
