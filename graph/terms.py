"""Paper terms: the words of each paper's title and abstract, as a sparse paper × term matrix.

Typed concepts are what a map is labelled with, but two papers on the same problem often
share few of them (a median of 6 concepts per CiteSeer paper), while they share many
ordinary content words ("replication", "ontology", "retrieval"). The paper representation
(:func:`conceptgraph.graph.build.paper_vectors`) therefore adds these terms to the concepts,
as VOSviewer's term maps and any TF-IDF baseline do.

A term is a lower-cased word (a letter, then letters or digits) of
at least 3 characters that is not an English function word (``data/stopwords.txt``); a
plural is folded ("networks" = "network", "queries" = "query"; not "-ss", "-us", "-is"). Title words
count ``title_weight`` times (titles say what a paper is about).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["TermIncidence", "term_incidence", "stop_words", "TERM_PATTERN"]

#: A word: a letter, then letters or digits ("multi-agent" gives "multi" and "agent").
TERM_PATTERN = r"[^\W\d_][^\W_]+"
_WORD = re.compile(TERM_PATTERN)


@lru_cache(maxsize=1)
def stop_words() -> frozenset:
    """The function words left out of terms (``graph/data/stopwords.txt``)."""
    path = Path(__file__).with_name("data") / "stopwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@dataclass
class TermIncidence:
    """``counts[i, t]``: (weighted) occurrences of term ``terms[t]`` in paper ``i``."""

    counts: sp.csr_matrix
    terms: np.ndarray

    @property
    def df(self) -> np.ndarray:
        """Papers using each term."""
        return np.diff(self.counts.tocsc().indptr).astype(np.int64)


def _counts(texts: list[str], weight: float, vocab: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``rows, word codes, weights`` of every word occurrence (codes index ``vocab``, which grows)."""
    find = _WORD.findall
    codes: list[int] = []
    lengths = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        words = find(text.lower())
        lengths[i] = len(words)
        codes.extend([vocab.setdefault(w, len(vocab)) for w in words])
    rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    return rows, np.asarray(codes, dtype=np.int64), np.full(len(codes), weight)


def _fold(words: list[str]) -> np.ndarray:
    """Each distinct word's term, or None when it is no term (short, a function word)."""
    stop = stop_words()
    out = np.empty(len(words), dtype=object)
    for k, w in enumerate(words):
        if len(w) < 3 or w in stop:
            out[k] = None
        elif len(w) > 4 and w.endswith("ies"):
            out[k] = w[:-3] + "y"
        elif len(w) > 4 and w.endswith(("sses", "xes", "ches", "shes")):
            out[k] = w[:-2]
        elif len(w) > 4 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            out[k] = w[:-1]
        else:
            out[k] = w
    return out


def term_incidence(papers: pd.DataFrame, *, min_df: int = 2, title_weight: float = 2.0) -> TermIncidence:
    """Paper × term counts of the papers' titles and abstracts (terms used by ≥ ``min_df`` papers).

    Columns are sorted by term, so the matrix does not depend on paper order beyond its rows.

    Examples
    --------
    >>> papers = pd.DataFrame({"title": ["Graph networks", "Graph kernels"],
    ...                        "abstract": ["We study graphs.", "Kernels on graphs and networks."]})
    >>> inc = term_incidence(papers, min_df=1)
    >>> inc.terms.tolist(), inc.counts.toarray().tolist()
    (['graph', 'kernel', 'network', 'study'], [[3.0, 0.0, 2.0, 1.0], [3.0, 3.0, 1.0, 0.0]])
    >>> term_incidence(papers).terms.tolist()  # "kernel": one paper only
    ['graph', 'network']
    """
    n = len(papers)
    vocab: dict[str, int] = {}
    parts = [_counts(papers[column].fillna("").astype(str).tolist(), weight, vocab)
             for column, weight in (("title", title_weight), ("abstract", 1.0)) if column in papers]
    if not vocab:
        return TermIncidence(sp.csr_matrix((n, 0)), np.zeros(0, dtype=object))
    rows, codes, weights = (np.concatenate(x) for x in zip(*parts))
    folded = _fold(list(vocab))
    is_term = pd.notna(folded)
    term_codes, terms = pd.factorize(folded[is_term], sort=True)
    to_term = np.full(len(folded), -1, dtype=np.int64)
    to_term[is_term] = term_codes
    cols = to_term[codes]
    ok = cols >= 0
    M = sp.csr_matrix((weights[ok], (rows[ok], cols[ok])), shape=(n, len(terms)))
    M.sum_duplicates()
    df = np.diff(M.tocsc().indptr)
    keep = np.flatnonzero(df >= min_df)
    M = M[:, keep].tocsr()
    M.sort_indices()
    return TermIncidence(M, np.asarray(terms, dtype=object)[keep])
