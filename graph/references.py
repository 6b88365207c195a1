"""Citations given in the input, resolved to papers of the corpus.

Exports list a paper's references as ids (OpenAlex ``W...``/URLs, Semantic
Scholar paper ids), DOIs, or citation texts (Web of Science ``CR`` lines,
Scopus ``References``). :func:`match_references` finds which of them are
papers of the corpus: by id, then by DOI (also a DOI inside a citation text),
then by normalised title (equal, or contained in a citation text).
"""
from __future__ import annotations

import re

import pandas as pd

from ..extract.corpus import normalise_text

MATCH_ORDER = ("id", "doi", "title")

_ID_PREFIX = re.compile(r"^(https?://)?(www\.)?(api\.)?(openalex\.org/(works/)?|semanticscholar\.org/paper/"
                        r"|arxiv\.org/(abs|pdf)/)", re.IGNORECASE)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>,;]+)", re.IGNORECASE)
# Titles shorter than this (in words) are matched only when a reference is the
# whole title, never inside a longer citation text.
MIN_TITLE_WORDS_IN_TEXT = 4


def _id_key(value: str) -> str:
    return _ID_PREFIX.sub("", value.strip()).lower()


def doi_key(value) -> str | None:
    """A DOI in a form to compare: lower case, no resolver prefix or trailing dot."""
    if not value:
        return None
    match = _DOI.search(str(value))
    return match.group(1).rstrip(".)]").lower() if match else None


def _title_key(title: str) -> str | None:
    key = normalise_text(title)
    return key if len(key) >= 15 and len(key.split()) >= 2 else None


def as_list(value) -> list[str]:
    """A list cell (references, aliases) as non-blank strings; None, NaN and scalars give []."""
    if value is None or isinstance(value, float):
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    try:
        return [str(v) for v in value if v is not None and str(v).strip()]
    except TypeError:
        return []


class _Index:
    def __init__(self, papers: pd.DataFrame):
        self.by_id: dict[str, str] = {}
        self.by_doi: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        self.by_first_words: dict[tuple[str, ...], list[tuple[list[str], str]]] = {}
        for pid, title, doi in zip(papers["id"], papers["title"], papers["doi"]):
            pid = str(pid)
            self.by_id.setdefault(_id_key(pid), pid)
            key = doi_key(doi) if isinstance(doi, str) else None
            if key:
                self.by_doi.setdefault(key, pid)
            tkey = _title_key(title) if isinstance(title, str) else None
            if tkey and tkey not in self.by_title:
                self.by_title[tkey] = pid
                words = tkey.split()
                if len(words) >= MIN_TITLE_WORDS_IN_TEXT:
                    self.by_first_words.setdefault(tuple(words[:3]), []).append((words, pid))

    def resolve(self, reference: str) -> tuple[str, str] | None:
        """(paper id, how) for one reference, or None when it is not in the corpus."""
        pid = self.by_id.get(_id_key(reference))
        if pid:
            return pid, "id"
        key = doi_key(reference)
        if key and key in self.by_doi:
            return self.by_doi[key], "doi"
        text = normalise_text(reference)
        if text in self.by_title:
            return self.by_title[text], "title"
        words = text.split()
        best = None
        for start in range(max(len(words) - MIN_TITLE_WORDS_IN_TEXT + 1, 0)):
            for title_words, pid in self.by_first_words.get(tuple(words[start:start + 3]), ()):
                if words[start:start + len(title_words)] == title_words and \
                        (best is None or len(title_words) > best[0]):
                    best = (len(title_words), pid)
        return (best[1], "title") if best else None


def match_references(papers: pd.DataFrame) -> pd.DataFrame:
    """Citation edges between papers of the corpus, from the references in the input.

    Each entry of a paper's ``references`` (and of ``cited_by``, the papers
    citing it) is matched to a corpus paper by id, then DOI, then normalised
    title; self-citations are dropped and each (citing, cited) pair appears
    once, with the first way it was matched.

    Returns
    -------
    DataFrame with columns ``citing, cited, matched_by`` (``id``, ``doi`` or
    ``title``), ``reference`` (the entry as given) and ``field`` (``references`` or
    ``cited_by``), sorted by citing then cited. ``attrs["per_paper"]`` holds, per
    paper id, ``n_references`` and ``n_references_matched``. ``attrs["reference_report"]``
    holds the counts: ``references`` (entries given), ``matched`` (entries
    resolved to a corpus paper), ``matched_by`` (per way), ``unmatched``,
    ``self_citations``, ``cited_by`` / ``cited_by_matched`` (the same for
    ``cited_by`` lists) and ``edges``.

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"id": ["a", "b"], "title": ["Graph networks for all", "Deep sets"],
    ...                        "doi": [None, "10.5555/DS"], "references": [["10.5555/ds", "x"], None],
    ...                        "cited_by": [None, None]})
    >>> edges = match_references(papers)
    >>> edges[["citing", "cited", "matched_by"]].to_dict("records"), edges.attrs["reference_report"]["matched"]
    ([{'citing': 'a', 'cited': 'b', 'matched_by': 'doi'}], 1)
    """
    index = None  # built on the first entry: most corpora have no reference lists at all
    edges: dict[tuple[str, str], tuple[str, str, str]] = {}
    per_paper: dict[str, dict[str, int]] = {}
    counts = {"references": 0, "matched": 0, "matched_by": dict.fromkeys(MATCH_ORDER, 0),
              "unmatched": 0, "self_citations": 0, "cited_by": 0, "cited_by_matched": 0}
    cited_by = papers["cited_by"] if "cited_by" in papers.columns else [None] * len(papers)
    references = papers["references"] if "references" in papers.columns else [None] * len(papers)
    for pid, refs, citing_list in zip(papers["id"], references, cited_by):
        pid = str(pid)
        given = as_list(refs)
        own = per_paper[pid] = {"n_references": len(given), "n_references_matched": 0}
        for outgoing, items in ((True, given), (False, as_list(citing_list))):
            for ref in items:
                counts["references" if outgoing else "cited_by"] += 1
                if index is None:
                    index = _Index(papers)
                found = index.resolve(ref)
                if not found:
                    if outgoing:
                        counts["unmatched"] += 1
                    continue
                other, how = found
                if outgoing:
                    counts["matched"] += 1
                    counts["matched_by"][how] += 1
                    own["n_references_matched"] += 1
                else:
                    counts["cited_by_matched"] += 1
                if other == pid:
                    counts["self_citations"] += 1
                    continue
                edge = (pid, other) if outgoing else (other, pid)
                edges.setdefault(edge, (how, ref, "references" if outgoing else "cited_by"))
    table = pd.DataFrame([(a, b, how, ref, field) for (a, b), (how, ref, field) in sorted(edges.items())],
                         columns=["citing", "cited", "matched_by", "reference", "field"])
    counts["edges"] = len(table)
    table.attrs["reference_report"] = counts
    table.attrs["per_paper"] = per_paper
    return table


__all__ = ["match_references", "doi_key", "MATCH_ORDER"]
