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

from .readers import MAX_TEXT_CHARS, Citation, InputError, Skip, expand_inputs, read_file
from .readers.core import author_key

PAPER_COLUMNS = ["id", "title", "abstract", "year", "lang", "doi", "source_file", "source_line",
                 "references", "cited_by", "merged_from", "first_author", "date"]


def sample_corpus() -> Path:
    """The directory of the bundled sample corpus (five scraped abstract lists)."""
    return Path(str(resources.files("conceptgraph.extract").joinpath("data", "sample_corpus")))


_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def detect_language(text: str) -> str:
    """Language of a text by its script: ``zh``, ``ja``, ``ko`` or ``en``.

    Only scripts are told apart: any Latin-script text counts as English.

    >>> detect_language("深度神经网络 (DNN) 的训练"), detect_language("Deep networks")
    ('zh', 'en')
    """
    if text.isascii() or not _CJK.search(text):  # the common case, decided without a loop over characters
        return "en"
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


_WORDS = re.compile(r"\w+")
# ASCII characters that are not word characters (\w is [A-Za-z0-9_] there) become spaces.
_ASCII_NON_WORD = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")})


def normalise_text(text: str) -> str:
    """Text reduced for duplicate detection: case, accents, punctuation and spacing folded.

    >>> normalise_text("Deep  Residual-Learning (ResNet)!"), normalise_text("Ｃａｆé")
    ('deep residual learning resnet', 'café')
    """
    text = text or ""
    if text.isascii():  # the common case, twice as fast: NFKC leaves ASCII as it is
        return " ".join(text.lower().translate(_ASCII_NON_WORD).split())
    return " ".join(_WORDS.findall(unicodedata.normalize("NFKC", text).lower()))


def paper_id(title: str, abstract: str) -> str:
    """A stable id from a paper's text: the same on every run and machine."""
    return _digest_id(normalise_text(title), normalise_text(abstract))


def _digest_id(norm_title: str, norm_abstract: str) -> str:
    digest = hashlib.sha1(f"{norm_title}\n{norm_abstract}".encode()).hexdigest()
    return f"p{digest[:12]}"


def _title_key(title: str, normalised: str | None = None) -> str | None:
    # Short generic titles ("Introduction") must not merge different papers.
    key = normalise_text(title) if normalised is None else normalised
    return key if len(key) >= 15 and key.count(" ") >= 1 else None


def _abstract_key(abstract: str, normalised: str | None = None) -> bytes | None:
    key = normalise_text(abstract) if normalised is None else normalised
    if key.count(" ") < 7:  # 8 words: normalised text is single-spaced
        return None
    # A 128-bit digest, not the text: the text was a second copy of every abstract (about 1 GB
    # held through a load of a million abstracts); two different abstracts share a digest with
    # odds of about 1 in 10^20 at that size.
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _Corpus:
    """Merges raw records into papers as they arrive.

    A record is a duplicate of a paper kept before when (in this order):

    1. their DOIs are the same;
    2. their abstracts are the same (8 words or more) and their titles agree
       (or one has none), and no DOIs differ;
    3. their titles are the same (15 characters or more), and no DOIs differ,
       no years differ and no first authors differ (a field missing on one side
       agrees): two works called "The Internet of things" from 2002 and 2004
       are two papers.

    A merge fills every field the kept paper lacks from its duplicate.
    """

    def __init__(self, merge_duplicates: bool = True):
        self.merge_duplicates = merge_duplicates
        self.papers: list[dict] = []
        self.by_doi: dict[str, int] = {}
        self.by_abstract: dict[bytes, int] = {}  # digest of the normalised abstract -> paper
        self.by_title: dict[str, list[int]] = {}
        self.ids: set[str] = set()
        self.aliases: dict[str, str] = {}  # explicit id of a merged record -> id of its paper

    def find_duplicate(self, rec: dict, akey: bytes | None, tkey: str | None, norm_title: str) -> int | None:
        doi = (rec["doi"] or "").lower()
        if doi and doi in self.by_doi:
            return self.by_doi[doi]

        def differ(kept: dict, field: str) -> bool:
            return bool(rec[field]) and bool(kept[field]) and rec[field] != kept[field]

        if akey and akey in self.by_abstract:
            index = self.by_abstract[akey]
            kept = self.papers[index]
            if (not rec["title"] or not kept["title"] or normalise_text(kept["title"]) == norm_title) \
                    and not (doi and kept["doi"] and kept["doi"].lower() != doi):
                return index
        for index in self.by_title.get(tkey, ()) if tkey else ():
            kept = self.papers[index]
            if doi and kept["doi"] and kept["doi"].lower() != doi:
                continue
            if differ(kept, "year") or (rec["first_author"] and kept["first_author"]
                                        and author_key(rec["first_author"]) != author_key(kept["first_author"])):
                continue
            return index
        return None

    def add(self, rec: dict) -> str | None:
        """Add a record; return the id it was merged into, or None when kept."""
        rec["title"] = (rec["title"] or "").strip()
        rec["abstract"] = rec["abstract"] or ""
        norm_title, norm_abstract = normalise_text(rec["title"]), normalise_text(rec["abstract"])
        keys = _abstract_key("", norm_abstract), _title_key("", norm_title)
        index = self.find_duplicate(rec, *keys, norm_title) if self.merge_duplicates else None
        if index is not None:
            kept = self.papers[index]
            for field in ("title", "abstract", "year", "date", "doi", "references", "cited_by", "first_author"):
                if not kept[field] and rec[field]:
                    kept[field] = rec[field]
            if rec["references"] and kept["references"] is not rec["references"]:
                kept["references"] = sorted(set(kept["references"]) | set(rec["references"]))
            if rec["cited_by"] and kept["cited_by"] is not rec["cited_by"]:
                kept["cited_by"] = sorted(set(kept["cited_by"]) | set(rec["cited_by"]))
            kept["merged_from"].append(f"{rec['source_file']}:{rec['source_line']}")
            if rec["id"] and rec["id"] not in self.ids:
                self.aliases.setdefault(rec["id"], kept["id"])
            # The kept paper is now also found by the duplicate's keys (and by the texts it gained).
            self._index(keys, index, rec["doi"])
            self._index((_abstract_key(kept["abstract"]), _title_key(kept["title"])), index, kept["doi"])
            return kept["id"]
        rec_id = rec["id"] or _digest_id(norm_title, norm_abstract)
        base, n = rec_id, 1
        while rec_id in self.ids:  # same id, different text: keep both, disambiguated
            n += 1
            rec_id = f"{base}~{n}"
        rec["id"] = rec_id
        rec["lang"] = detect_language(rec["title"] + " " + rec["abstract"])
        rec["merged_from"] = []
        self.ids.add(rec_id)
        self.papers.append(rec)
        self._index(keys, len(self.papers) - 1, rec["doi"])
        return None

    def attach_citations(self, links: list) -> None:
        """Put citation links onto the papers: ``cited`` into the citing paper's
        references, or ``citing`` into the cited paper's ``cited_by`` when only
        that one is in the corpus. Counts go to each link's file: kept, merged
        (a link given twice) or skipped (neither paper in the corpus)."""
        if not links:
            return
        by_id = {paper["id"]: paper for paper in self.papers}
        seen = set()
        for link, stats in links:
            citing = self.aliases.get(link.citing, link.citing)
            cited = self.aliases.get(link.cited, link.cited)
            if (citing, cited) in seen:
                stats["merged"] += 1
                continue
            seen.add((citing, cited))
            if citing in by_id:
                paper, field, other = by_id[citing], "references", cited
            elif cited in by_id:
                paper, field, other = by_id[cited], "cited_by", citing
            else:
                stats["skipped"] += 1
                stats["skips"].append({"line": link.source_line,
                                       "reason": f"neither {link.citing} nor {link.cited} is a paper of the corpus"})
                continue
            if paper[field] is None:
                paper[field] = []
            elif other in paper[field]:
                stats["merged"] += 1
                continue
            paper[field] = paper[field] + [other]
            stats["kept"] += 1
        for stats in {id(stats): stats for _, stats in links}.values():
            stats["skips"].sort(key=lambda skip: skip["line"])

    def _index(self, keys: tuple[bytes | None, str | None], index: int, doi: str | None):
        akey, tkey = keys
        if doi:
            self.by_doi.setdefault(doi.lower(), index)
        if akey:
            self.by_abstract.setdefault(akey, index)
        if tkey:
            same_title = self.by_title.setdefault(tkey, [])
            if index not in same_title:
                same_title.append(index)


def load(inputs: Iterable[str | Path] | str | Path | None = None, format: str | None = None,
         encoding: str | None = None, merge_duplicates: bool = True) -> pd.DataFrame:
    """Read abstract files into a papers DataFrame.

    Parameters
    ----------
    inputs : path, glob or directory, or a list of them; None reads the bundled sample corpus.
    format : force a reader, by a name of :data:`conceptgraph.extract.readers.READERS` (``text``,
        ``csv``, ``bibtex``, ``ris``, ``wos``, ``wos-tab``, ``scopus``, ``medline``, ``dimensions``,
        ``openalex``, ...); default: sniffed per file
        (see :func:`conceptgraph.extract.readers.detect_format`).
    encoding : text encoding when files are not UTF-8 or UTF-16/UTF-32 with BOM.
    merge_duplicates : merge records of the same paper (same DOI; same abstract; or same title
        with no year, first author or DOI that differs); when False every record is kept
        (ids still made unique).

    Returns
    -------
    DataFrame with columns ``id, title, abstract, year, lang, doi, source_file,
    source_line, references, cited_by, merged_from, first_author, date``, one row per distinct paper;
    ``date`` is the publication date as an ISO string ("2025-05-23") where the source gives a whole
    one (JSON "date"/"published" keys and columns of those names, OpenAlex ``publication_date``,
    Semantic Scholar ``publicationDate``, arXiv's first version, CSL-JSON and BibTeX dates), else empty.
    A two-column ``citing,cited`` table (a citation edge list) puts its links
    onto the papers' ``references`` (or ``cited_by`` when only the cited paper
    is in the corpus); its counts are links: kept, merged (given twice) and
    skipped (neither paper in the corpus).

    ``papers.attrs["load_report"]`` holds, per file and in total, the counts
    ``read = kept + merged + skipped``, ``years_missing`` (records with no year)
    and ``years_malformed`` (a year value without a year in it, e.g. "in press";
    the first ten are listed per file), every skipped record with its reason,
    and ``files_skipped``: files found in a directory or by a pattern that could
    not be read at all, and what a directory walk left out (hidden files and
    folders, conceptgraph's own output folders, FIFOs), each with the reason.

    Raises
    ------
    InputError : a file named on its own cannot be read at all, a path does not
        exist, or no usable paper is found (a one-line message naming the file).

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
    inputs = list(inputs)
    corpus = _Corpus(merge_duplicates)
    files, links = [], []
    found, files_skipped = expand_inputs(inputs)
    for path, name, named in found:
        try:
            files.append(_read_one(corpus, path, name, format, encoding, links, named))
        except InputError as err:
            # A file named on its own must be readable; one found in a directory
            # or by a pattern is skipped, with its reason in the report.
            if named:
                raise
            files_skipped.append({"file": name, "reason": str(err)})
    corpus.attach_citations(links)  # after every file: a citation list may come first
    papers = pd.DataFrame(corpus.papers, columns=PAPER_COLUMNS)
    papers["year"] = papers["year"].astype("Int64")
    papers["source_line"] = papers["source_line"].astype("int64")
    totals = {key: sum(f[key] for f in files) for key in _COUNTS}
    papers.attrs["load_report"] = {"files": files, **totals, "files_skipped": files_skipped}
    names = [f["file"] for f in files] + [f["file"] for f in files_skipped]
    if totals["read"] == 0:
        if files_skipped and not files:
            unreadable = [f for f in files_skipped if f["reason"].startswith(f["file"])] or files_skipped
            message = unreadable[0]["reason"] if unreadable[0]["reason"].startswith(unreadable[0]["file"]) \
                else f"{unreadable[0]['file']}: {unreadable[0]['reason']}"
            if len(inputs) == 1 and Path(inputs[0]).is_dir():
                message = f"{inputs[0]}: directory holds no abstract files; {message}"
            raise InputError(message + (
                f" (and {len(files_skipped) - 1} more unreadable files)" if len(files_skipped) > 1 else ""))
        raise InputError(f"{_names(names)}: no records found")
    if papers.empty:
        first = next((f"line {s['line']}: {s['reason']}" for f in files for s in f["skips"]), "")
        raise InputError(f"{_names(names)}: no usable paper ({totals['read']} records read, "
                         f"{totals['skipped']} skipped{'; first: ' + first if first else ''})")
    return papers


_COUNTS = ("read", "kept", "merged", "skipped", "years_missing", "years_malformed")


def _names(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "") \
        if names else "input"


def _read_one(corpus: _Corpus, path: Path, name: str, format: str | None, encoding: str | None,
              links: list, named: bool = True) -> dict:
    """Read one file into the corpus; its counts for the load report.

    Citation links are put in ``links`` (with this file's counts) to be
    attached once every file is read.
    """
    fmt, records = read_file(path, name, format, encoding, named)
    stats = {"file": name, "format": fmt, "read": 0, "kept": 0, "merged": 0, "skipped": 0,
             "years_missing": 0, "years_malformed": 0, "malformed_years": [], "skips": []}
    for item in records:
        stats["read"] += 1
        if isinstance(item, Citation):
            links.append((item, stats))
            continue
        if isinstance(item, dict) and not (item["title"] or "").strip() and not (item["abstract"] or "").strip():
            item = Skip(item["source_file"], item["source_line"], "no title and no abstract")
        if isinstance(item, dict) and len(item["abstract"] or "") + len(item["title"] or "") > MAX_TEXT_CHARS:
            item = Skip(item["source_file"], item["source_line"],
                        f"{len(item['abstract'] or '') + len(item['title'] or ''):,} characters of text, "
                        f"more than the {MAX_TEXT_CHARS:,} an abstract may have")
        if isinstance(item, Skip):
            stats["skipped"] += 1
            stats["skips"].append({"line": item.source_line, "reason": item.reason})
            continue
        if item["year"] is None:
            if item.get("year_raw"):
                stats["years_malformed"] += 1
                if len(stats["malformed_years"]) < 10:
                    stats["malformed_years"].append({"line": item["source_line"], "value": item["year_raw"]})
            else:
                stats["years_missing"] += 1
        if corpus.add(item) is None:
            stats["kept"] += 1
        else:
            stats["merged"] += 1
    return stats


__all__ = ["load", "sample_corpus", "detect_language", "paper_id", "InputError", "PAPER_COLUMNS"]
