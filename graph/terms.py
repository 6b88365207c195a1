"""Paper terms: the words and word pairs of each paper's title and abstract, as a sparse paper × term matrix.

Typed concepts are what a map is labelled with, but two papers on the same problem often
share few of them (a median of 6 concepts per CiteSeer paper), while they share many
ordinary content words ("replication", "ontology", "retrieval") and phrases ("neural
network", "query optimization"). The paper representation
(:func:`conceptgraph.graph.build.paper_vectors`) therefore adds these terms to the concepts,
as VOSviewer's term maps (noun phrases as terms) and any TF-IDF baseline do.

A word is a lower-cased token (a letter, then letters or digits) of
at least 3 characters that is not an English function word (``data/stopwords.txt``); a
plural is folded ("networks" = "network", "queries" = "query"; not "-ss", "-us", "-is").
A phrase term is two words that follow each other once the function words are taken out,
within one clause (no ``.,;:()[]!?`` between them): "graph neural networks" gives "graph
neural" and "neural network", "retrieval of documents" gives "retrieval document". Title
terms count ``title_weight`` times (titles say what a paper is about).
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
#: What ends a clause: no phrase term spans one of these.
_CLAUSE_END = ".,;:()[]!?"
_TOKEN = re.compile(TERM_PATTERN + "|[" + re.escape(_CLAUSE_END) + "]")


@lru_cache(maxsize=1)
def stop_words() -> frozenset:
    """The function words left out of terms (``graph/data/stopwords.txt``)."""
    path = Path(__file__).with_name("data") / "stopwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@dataclass
class TermIncidence:
    """``counts[i, t]``: (weighted) occurrences of term ``terms[t]`` in paper ``i``.

    ``phrase[t]`` is True for the two-word terms (they follow the words).
    """

    counts: sp.csr_matrix
    terms: np.ndarray
    phrase: np.ndarray

    @property
    def df(self) -> np.ndarray:
        """Papers using each term."""
        return np.diff(self.counts.tocsc().indptr).astype(np.int64)


def _tokens(texts: list[str]) -> tuple[list[str], np.ndarray]:
    """Every word and clause end of ``texts``, in order, and how many each text has."""
    find = _TOKEN.findall
    tokens: list[str] = []
    lengths = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        found = find(text.lower())
        lengths[i] = len(found)
        tokens.extend(found)
    return tokens, lengths


def _coded_tokens(columns: list[tuple[list[str], float]]) -> tuple[list, list[str]]:
    """``rows, token codes, weights`` of each ``(texts, weight)`` column, and the distinct tokens.

    Codes number the tokens in the order they first occur (the first column's, then the next's).
    """
    found = [(_tokens(texts), weight) for texts, weight in columns]
    everything = np.empty(sum(len(t) for (t, _), _ in found), dtype=object)
    at = 0
    for (tokens, _), _ in found:
        everything[at:at + len(tokens)] = tokens
        at += len(tokens)
    codes, vocab = pd.factorize(everything)  # in order of first occurrence
    parts, at = [], 0
    for (tokens, lengths), weight in found:
        rows = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        parts.append((rows, codes[at:at + len(tokens)].astype(np.int64), np.full(len(tokens), weight)))
        at += len(tokens)
    return parts, list(vocab)


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


def _phrase_pairs(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, n_words: int):
    """``rows, pair codes, weights`` of the phrase terms of one token stream (see the module docstring).

    ``cols`` holds a word's term code, -1 for a function word (skipped) or -2 for a clause end.
    A pair's code is ``first * n_words + second``.
    """
    content = cols != -1
    rows, cols, weights = rows[content], cols[content], weights[content]
    ok = (cols[:-1] >= 0) & (cols[1:] >= 0) & (rows[:-1] == rows[1:])
    return rows[:-1][ok], cols[:-1][ok] * n_words + cols[1:][ok], weights[:-1][ok]


def _matrix(rows, cols, weights, n: int, names: np.ndarray, min_df: int):
    """The paper × column count matrix, reduced to the columns of ≥ ``min_df`` papers, and their names."""
    M = sp.csr_matrix((weights, (rows, cols)), shape=(n, len(names)))
    M.sum_duplicates()
    keep = np.flatnonzero(np.diff(M.tocsc().indptr) >= min_df)
    return M[:, keep].tocsr(), names[keep]


def term_incidence(papers: pd.DataFrame, *, min_df: int = 2, title_weight: float = 2.0,
                   phrases: bool = True) -> TermIncidence:
    """Paper × term counts of the papers' titles and abstracts (terms used by ≥ ``min_df`` papers).

    Words come first, then (``phrases``) the two-word terms, each sorted by term, so the
    matrix does not depend on paper order beyond its rows.

    Examples
    --------
    >>> papers = pd.DataFrame({"title": ["Graph networks", "Graph kernels"],
    ...                        "abstract": ["We study graphs.", "Kernels on graphs and networks."]})
    >>> inc = term_incidence(papers, min_df=1, phrases=False)
    >>> inc.terms.tolist(), inc.counts.toarray().tolist()
    (['graph', 'kernel', 'network', 'study'], [[3.0, 0.0, 2.0, 1.0], [3.0, 3.0, 1.0, 0.0]])
    >>> term_incidence(papers).terms.tolist()  # "kernel": one paper only
    ['graph', 'network', 'graph network']
    """
    n = len(papers)
    parts, tokens = _coded_tokens([(papers[column].fillna("").astype(str).tolist(), weight)
                                   for column, weight in (("title", title_weight), ("abstract", 1.0))
                                   if column in papers])
    folded = _fold(tokens)
    is_term = pd.notna(folded)
    if not is_term.any():
        return TermIncidence(sp.csr_matrix((n, 0)), np.zeros(0, dtype=object), np.zeros(0, dtype=bool))
    term_codes, words = pd.factorize(folded[is_term], sort=True)
    to_term = np.where(np.isin(tokens, list(_CLAUSE_END)), -2, -1).astype(np.int64)
    to_term[is_term] = term_codes
    words = np.asarray(words, dtype=object)
    rows, cols, weights = (np.concatenate(x) for x in zip(*[(r, to_term[c], w) for r, c, w in parts]))
    word = cols >= 0
    M, names = _matrix(rows[word], cols[word], weights[word], n, words, min_df)
    blocks, phrase = [M], [np.zeros(len(names), dtype=bool)]
    if phrases:
        pr, pc, pw = (np.concatenate(x) for x in zip(*[_phrase_pairs(r, to_term[c], w, len(words))
                                                       for r, c, w in parts]))
        codes, pairs = pd.factorize(pc, sort=True)
        # only the pairs of >= min_df papers are named and sorted by name (not by word codes)
        used = np.sort(pr * len(pairs) + codes)  # (paper, pair) keys; each distinct one counts once
        used = used[np.r_[True, used[1:] != used[:-1]]] if len(used) else used
        frequent = np.flatnonzero(np.bincount(used % len(pairs), minlength=len(pairs)) >= min_df)
        pair_names = np.array([f"{words[p // len(words)]} {words[p % len(words)]}"
                               for p in pairs[frequent].tolist()], dtype=object)
        order = np.argsort(pair_names, kind="stable")
        rank = np.full(len(pairs), -1, dtype=np.int64)
        rank[frequent[order]] = np.arange(len(order))
        kept = rank[codes] >= 0
        P, pnames = _matrix(pr[kept], rank[codes][kept], pw[kept], n, pair_names[order], min_df)
        blocks.append(P)
        names = np.concatenate([names, pnames])
        phrase.append(np.ones(len(pnames), dtype=bool))
    M = sp.hstack(blocks).tocsr()
    M.sort_indices()
    return TermIncidence(M, np.asarray(names, dtype=object), np.concatenate(phrase))
