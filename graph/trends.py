"""Time in a literature map: concept years, emerging and fading concepts, bursts.

Every function here is pure: it reads the ``papers``, ``mentions`` and
``concepts`` tables (see :func:`conceptgraph.extract`) and returns new tables or
plain values; nothing is modified in place.

Years
    A paper's year is ``papers["year"]`` (pandas ``Int64``; ``NA`` when the
    reader found none, e.g. ``"in press"``). Papers without a year are *kept*:
    they count in ``n_papers`` and ``n_papers_without_year`` but take no part in
    year statistics (means, windows, bursts). :func:`year_coverage` counts them.

Concept counts
    A concept's count in a year is the number of *distinct papers* of that
    year that mention it (a paper mentioning it five times counts once).

Recent window (:func:`emerging_concepts`, :func:`fading_concepts`, :func:`cluster_years`)
    The last ``window`` calendar years up to and including the latest year in
    the corpus. With papers from 2010 to 2021 and ``window=3`` the recent
    window is 2019-2021 and the earlier period 2010-2018. Both periods must
    hold dated papers, otherwise there is nothing to compare and the tables
    are empty.

Bursts (:func:`kleinberg_bursts`, :func:`concept_bursts`)
    Kleinberg's two-state automaton for batched counts (Kleinberg 2003,
    "Bursty and hierarchical structure in streams", section 4), one batch per
    calendar year, as used for burst detection in CiteSpace.

Examples
--------
>>> import pandas as pd
>>> from conceptgraph.graph.trends import concept_years
>>> papers = pd.DataFrame({"id": ["a", "b", "c"],
...                        "year": pd.array([2015, 2016, None], dtype="Int64")})
>>> mentions = pd.DataFrame({"paper_id": ["a", "b", "c"], "concept_id": ["gan"] * 3})
>>> concepts = pd.DataFrame({"concept_id": ["gan"], "label": ["GAN"]})
>>> concept_years(papers, mentions, concepts)[["concept_id", "first_year", "counts_by_year"]]
  concept_id  first_year  counts_by_year
0        gan        2015  2015:1; 2016:1
"""
from __future__ import annotations

import html
import math
import re
from typing import Mapping

import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_WINDOW", "DEFAULT_MIN_PAPERS", "DEFAULT_S", "DEFAULT_GAMMA",
    "paper_years", "year_coverage", "format_counts_by_year", "parse_counts_by_year",
    "concept_year_counts", "concept_years", "emerging_concepts", "fading_concepts",
    "kleinberg_bursts", "concept_bursts", "cluster_years", "timeline_svg",
    "trends_report", "format_trends_report",
]

DEFAULT_WINDOW = 3
"""Recent window in calendar years (last ``window`` years of the corpus)."""
DEFAULT_MIN_PAPERS = 3
"""Least number of dated papers a concept needs to be called emerging, fading or bursting."""
DEFAULT_S = 2.0
"""Burst state rate: ``p1 = s * p0`` (Kleinberg's ``s``)."""
DEFAULT_GAMMA = 1.0
"""Cost of entering the burst state: ``gamma * ln(n_years)`` (Kleinberg's ``gamma``)."""

_P1_MAX = 1.0 - 1e-4  # the burst rate is capped below 1 (s * p0 >= 1 for very common concepts)

_TREND_COLUMNS = ["concept_id", "label", "type", "n_papers_with_year", "first_year", "last_year",
                  "n_recent", "n_before", "share_recent", "share_before", "log2_ratio", "p_value",
                  "new"]
_BURST_COLUMNS = ["concept_id", "label", "start_year", "end_year", "weight", "n_years",
                  "n_papers_in_burst"]


# ---------------------------------------------------------------- years of papers

def paper_years(papers: pd.DataFrame) -> pd.Series:
    """Publication year of each paper, indexed by paper id (``Int64``, ``NA`` when unknown).

    Non-numeric values (which the readers never produce, but hand-made tables
    may hold) become ``NA``.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b"], "year": ["2019", "in press"]})
    >>> paper_years(papers).tolist()
    [2019, <NA>]
    """
    if "year" not in papers.columns:
        return pd.Series(pd.NA, index=papers["id"].astype(str), dtype="Int64", name="year")
    years = pd.to_numeric(papers["year"], errors="coerce").astype("Float64")
    years = years.where(years.notna() & (years == years.round()))  # a year is a whole number
    return pd.Series(years.astype("Int64").to_numpy(), index=papers["id"].astype(str).to_numpy(),
                     dtype="Int64", name="year")


def year_coverage(papers: pd.DataFrame) -> dict:
    """How many papers carry a year: plain values, ready for ``report.json``.

    Returns
    -------
    dict with ``n_papers``, ``with_year``, ``without_year``, ``first_year``,
    ``last_year`` (None without years) and ``by_year`` (``{"2015": 3, ...}``,
    string keys so that it survives JSON unchanged).

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b", "c"],
    ...                        "year": pd.array([2015, 2015, None], dtype="Int64")})
    >>> coverage = year_coverage(papers)
    >>> coverage["n_papers"], coverage["with_year"], coverage["without_year"], coverage["by_year"]
    (3, 2, 1, {'2015': 2})
    """
    years = paper_years(papers).dropna()
    counts = years.value_counts().sort_index()
    return {
        "n_papers": int(len(papers)),
        "with_year": int(len(years)),
        "without_year": int(len(papers) - len(years)),
        "first_year": int(years.min()) if len(years) else None,
        "last_year": int(years.max()) if len(years) else None,
        "by_year": {str(int(y)): int(n) for y, n in counts.items()},
    }


def format_counts_by_year(counts: Mapping[int, int]) -> str:
    """``{2016: 5, 2015: 3}`` → ``"2015:3; 2016:5"`` (sorted, zero counts left out).

    The string form fits CSV cells and GraphML attributes; :func:`parse_counts_by_year`
    reads it back.

    Examples
    --------
    >>> format_counts_by_year({2016: 5, 2015: 3, 2017: 0})
    '2015:3; 2016:5'
    """
    return "; ".join(f"{int(y)}:{int(n)}" for y, n in sorted(counts.items(), key=lambda kv: int(kv[0]))
                     if int(n) != 0)


def parse_counts_by_year(text: str | None) -> dict[int, int]:
    """Read back :func:`format_counts_by_year`: ``"2015:3; 2016:5"`` → ``{2015: 3, 2016: 5}``.

    Examples
    --------
    >>> parse_counts_by_year("2015:3; 2016:5")
    {2015: 3, 2016: 5}
    >>> parse_counts_by_year("")
    {}
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return {}
    out = {}
    for part in str(text).split(";"):
        part = part.strip()
        if not part:
            continue
        match = re.fullmatch(r"(\d{1,4})\s*:\s*(\d+)", part)
        if match is None:
            raise ValueError(f"not a year:count pair: {part!r}")
        out[int(match.group(1))] = int(match.group(2))
    return out


def _dated_pairs(papers: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Distinct (concept_id, paper_id, year) rows; year NA for undated papers."""
    years = paper_years(papers)
    years = years[~years.index.duplicated()]  # ids are unique by contract; be safe anyway
    pairs = mentions[["concept_id", "paper_id"]].dropna()
    # object dtype: much faster than pandas' arrow strings for isin/groupby here
    pairs = pairs.astype({"concept_id": str, "paper_id": str}).astype(object).drop_duplicates()
    pairs = pairs[pairs["paper_id"].isin(years.index.astype(object))]
    pairs = pairs.assign(year=years.reindex(pairs["paper_id"].to_numpy()).to_numpy())
    pairs["year"] = pairs["year"].astype("Int64")
    return pairs.reset_index(drop=True)


def _concept_meta(concepts: pd.DataFrame | None, ids) -> pd.DataFrame:
    """concept_id, label, type, generic for the given ids (label = id when unknown)."""
    ids = pd.Index(pd.unique(pd.Series(list(ids), dtype=object).astype(str)), name="concept_id")
    meta = pd.DataFrame(index=ids)
    if concepts is not None and len(concepts):
        table = (concepts.assign(concept_id=concepts["concept_id"].astype(str))
                 .drop_duplicates("concept_id").set_index("concept_id"))
        for col in ("label", "type", "generic"):
            if col in table.columns:
                meta[col] = table[col].reindex(ids).to_numpy()
    if "label" not in meta.columns:
        meta["label"] = ids.to_numpy()
    meta["label"] = meta["label"].where(meta["label"].notna(), ids.to_series().to_numpy())
    if "type" not in meta.columns:
        meta["type"] = None
    if "generic" not in meta.columns:
        meta["generic"] = False
    # booleans, or their text form when the table was read back from CSV
    meta["generic"] = [v is True or (isinstance(v, (bool, np.bool_, int, np.integer)) and bool(v))
                       or str(v).strip().lower() in ("true", "1", "yes") for v in meta["generic"]]
    return meta.reset_index()


# ---------------------------------------------------------------- concept years

def concept_year_counts(papers: pd.DataFrame, mentions: pd.DataFrame,
                        concepts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Long form: how many papers of each year mention each concept.

    Parameters
    ----------
    papers : DataFrame with ``id`` and ``year``.
    mentions : DataFrame with ``paper_id`` and ``concept_id``.
    concepts : optional; when given, only its concepts are kept.

    Returns
    -------
    DataFrame ``concept_id, year, n_papers`` (distinct papers), sorted by
    concept and year; undated papers are left out (see :func:`concept_years`
    for their count). Years without papers do not appear.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b", "c"], "year": pd.array([2015, 2015, 2017], dtype="Int64")})
    >>> mentions = pd.DataFrame({"paper_id": ["a", "a", "b", "c"], "concept_id": ["x", "x", "x", "x"]})
    >>> concept_year_counts(papers, mentions)
      concept_id  year  n_papers
    0          x  2015         2
    1          x  2017         1
    """
    pairs = _dated_pairs(papers, mentions)
    if concepts is not None:
        pairs = pairs[pairs["concept_id"].isin(concepts["concept_id"].astype(str).astype(object).unique())]
    return _count_pairs(pairs)


def _count_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    pairs = pairs.dropna(subset=["year"])
    if pairs.empty:
        return pd.DataFrame({"concept_id": pd.Series(dtype=object), "year": pd.Series(dtype="Int64"),
                             "n_papers": pd.Series(dtype="int64")})
    counts = (pairs.groupby(["concept_id", "year"]).size().rename("n_papers").reset_index()
              .sort_values(["concept_id", "year"], kind="mergesort").reset_index(drop=True))
    counts["year"] = counts["year"].astype("Int64")
    counts["n_papers"] = counts["n_papers"].astype("int64")
    return counts


def concept_years(papers: pd.DataFrame, mentions: pd.DataFrame,
                  concepts: pd.DataFrame) -> pd.DataFrame:
    """First, last and mean year of each concept, with its per-year counts.

    Parameters
    ----------
    papers : DataFrame with ``id`` and ``year`` (``Int64``, ``NA`` when unknown).
    mentions : DataFrame with ``paper_id`` and ``concept_id``.
    concepts : DataFrame with ``concept_id``; one output row per concept, same order.

    Returns
    -------
    DataFrame with columns

    - ``concept_id``
    - ``first_year``, ``last_year`` (``Int64``, ``NA`` when no dated paper mentions it)
    - ``mean_year`` (float, NaN likewise): mean over the concept's distinct dated papers
    - ``n_papers_with_year``, ``n_papers_without_year`` (int)
    - ``counts_by_year`` (str, ``"2015:3; 2016:5"``, empty when no years; see
      :func:`parse_counts_by_year`)

    Merge it onto ``concepts`` with ``concepts.merge(result, on="concept_id")``.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b"], "year": pd.array([2014, 2018], dtype="Int64")})
    >>> mentions = pd.DataFrame({"paper_id": ["a", "b"], "concept_id": ["x", "x"]})
    >>> table = concept_years(papers, mentions, pd.DataFrame({"concept_id": ["x", "y"]}))
    >>> table[["concept_id", "first_year", "last_year", "mean_year", "n_papers_with_year"]]
      concept_id  first_year  last_year  mean_year  n_papers_with_year
    0          x        2014       2018     2016.0                   2
    1          y        <NA>       <NA>        NaN                   0
    """
    ids = concepts["concept_id"].astype(str)
    pairs = _dated_pairs(papers, mentions)
    pairs = pairs[pairs["concept_id"].isin(ids.astype(object).unique())]
    dated = pairs.dropna(subset=["year"])
    grouped = dated.assign(y=dated["year"].astype("float64")).groupby("concept_id")["y"]
    stats = pd.DataFrame({"first_year": grouped.min(), "last_year": grouped.max(),
                          "mean_year": grouped.mean(), "n_papers_with_year": grouped.size()})
    undated = pairs[pairs["year"].isna()].groupby("concept_id").size()
    counts = _count_pairs(pairs)
    parts: dict[str, list[str]] = {}  # counts are sorted by concept, then year
    for cid, year, n in zip(counts["concept_id"].to_numpy(object), counts["year"].to_numpy("int64"),
                            counts["n_papers"].to_numpy("int64")):
        parts.setdefault(cid, []).append(f"{year}:{n}")
    strings = pd.Series({cid: "; ".join(p) for cid, p in parts.items()}, dtype=object)
    out = pd.DataFrame({"concept_id": ids.to_numpy()})
    out["first_year"] = stats["first_year"].reindex(ids).astype("Int64").array
    out["last_year"] = stats["last_year"].reindex(ids).astype("Int64").array
    out["mean_year"] = stats["mean_year"].reindex(ids).astype("float64").to_numpy()
    out["n_papers_with_year"] = stats["n_papers_with_year"].reindex(ids).fillna(0).astype("int64").to_numpy()
    out["n_papers_without_year"] = undated.reindex(ids).fillna(0).astype("int64").to_numpy()
    out["counts_by_year"] = strings.reindex(ids).fillna("").astype(str).to_numpy()
    return out


# ---------------------------------------------------------------- emerging and fading

def _window_split(years: pd.Series, window: int) -> tuple[int, int] | None:
    """(first recent year, last year) or None when there is no earlier period."""
    if window < 1:
        raise ValueError(f"window must be at least 1 year, got {window}")
    years = years.dropna()
    if years.empty:
        return None
    last = int(years.max())
    start = last - window + 1
    if not (years < start).any():
        return None
    return start, last


def _share_table(papers, mentions, concepts, window, min_papers, include_generic):
    years = paper_years(papers)
    split = _window_split(years, window)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in _TREND_COLUMNS})
    if split is None:
        return empty, split
    start, _ = split
    dated = years.dropna()
    d_recent = int((dated >= start).sum())
    d_before = int((dated < start).sum())
    pairs = _dated_pairs(papers, mentions).dropna(subset=["year"])
    if concepts is not None:
        pairs = pairs[pairs["concept_id"].isin(concepts["concept_id"].astype(str).astype(object).unique())]
    if pairs.empty:
        return empty, split
    recent = pairs["year"] >= start
    grouped = pairs.assign(recent=recent.astype(int)).groupby("concept_id")
    table = pd.DataFrame({
        "n_papers_with_year": grouped.size(),
        "first_year": grouped["year"].min(),
        "last_year": grouped["year"].max(),
        "n_recent": grouped["recent"].sum(),
    })
    table["n_before"] = table["n_papers_with_year"] - table["n_recent"]
    table = table[table["n_papers_with_year"] >= min_papers]
    meta = _concept_meta(concepts, table.index).set_index("concept_id")
    if not include_generic:
        keep = ~meta["generic"].reindex(table.index).fillna(False).astype(bool)
        table = table[keep.to_numpy()]
    if table.empty:
        return empty, split
    table["share_recent"] = table["n_recent"] / d_recent
    table["share_before"] = table["n_before"] / d_before
    # log2 of the ratio of the two shares, each smoothed by half a paper so that
    # concepts absent from one period still get a finite, support-aware value.
    table["log2_ratio"] = (np.log2((table["n_recent"] + 0.5) / (d_recent + 1))
                           - np.log2((table["n_before"] + 0.5) / (d_before + 1)))
    table["label"] = meta["label"].reindex(table.index)
    table["type"] = meta["type"].reindex(table.index)
    table["new"] = table["first_year"] >= start
    table = table.reset_index().rename(columns={"index": "concept_id"})
    for col in ("first_year", "last_year"):
        table[col] = table[col].astype("Int64")
    for col in ("n_papers_with_year", "n_recent", "n_before"):
        table[col] = table[col].astype("int64")
    table.attrs.update(d_recent=d_recent, d_before=d_before)
    return table, split


def _hypergeom_p(table: pd.DataFrame, d_recent: int, d_before: int, greater: bool) -> np.ndarray:
    """One-sided Fisher exact test p-value for recent vs earlier papers."""
    from scipy.stats import hypergeom

    total = d_recent + d_before
    k = table["n_recent"].to_numpy()
    n = table["n_papers_with_year"].to_numpy()
    if greater:  # P(X >= k): at least this many of the concept's papers are recent
        return hypergeom.sf(k - 1, total, n, d_recent)
    return hypergeom.cdf(k, total, n, d_recent)


def _trend(papers, mentions, concepts, window, min_papers, top, include_generic, rising, sort_by):
    if sort_by not in ("p_value", "log2_ratio"):
        raise ValueError(f"sort_by must be 'p_value' or 'log2_ratio', got {sort_by!r}")
    table, split = _share_table(papers, mentions, concepts, window, min_papers, include_generic)
    if table.empty:
        out = table[_TREND_COLUMNS].copy()
        out.attrs["window"] = None if split is None else list(split)
        out.attrs["note"] = ("no years" if split is None and paper_years(papers).dropna().empty
                             else "too few years for a recent window" if split is None
                             else "no concept with enough dated papers")
        return out
    d_recent, d_before = table.attrs["d_recent"], table.attrs["d_before"]
    if rising:
        table = table[table["share_recent"] > table["share_before"]]
    else:
        table = table[table["share_recent"] < table["share_before"]]
    table = table.assign(p_value=_hypergeom_p(table, d_recent, d_before, greater=rising))
    keys = ["p_value", "log2_ratio"] if sort_by == "p_value" else ["log2_ratio", "p_value"]
    ascending = [True, not rising] if sort_by == "p_value" else [not rising, True]
    table = table.sort_values(keys + ["concept_id"], ascending=ascending + [True], kind="mergesort")
    if top is not None:
        table = table.head(top)
    out = table[_TREND_COLUMNS].reset_index(drop=True)
    out.attrs.update(window=list(split), n_recent_papers=d_recent, n_before_papers=d_before)
    return out


def emerging_concepts(papers: pd.DataFrame, mentions: pd.DataFrame, concepts: pd.DataFrame,
                      window: int = DEFAULT_WINDOW, min_papers: int = DEFAULT_MIN_PAPERS,
                      top: int | None = None, include_generic: bool = False,
                      sort_by: str = "p_value") -> pd.DataFrame:
    """Concepts whose share of the papers rose in the recent window.

    Rule: the recent window is the last ``window`` calendar years up to the
    latest year of the corpus; the earlier period is every dated year before
    it. A concept's share of a period is (its papers in the period) / (all
    dated papers of the period). A concept is *emerging* when its recent share
    is higher than its earlier share and it has at least ``min_papers`` dated
    papers. Undated papers take no part.

    Parameters
    ----------
    papers, mentions, concepts : the extraction tables.
    window : length of the recent window in years (default 3).
    min_papers : least number of dated papers mentioning the concept (default 3).
    top : keep the first ``top`` rows (None: all).
    include_generic : keep concepts flagged ``generic`` (default: left out).
    sort_by : ``"p_value"`` (default): best-supported rise first, ties by
        larger ``log2_ratio``; ``"log2_ratio"``: largest relative rise first
        (favours small, entirely new concepts), ties by ``p_value``. Last
        tie-break: ``concept_id``.

    Returns
    -------
    DataFrame in that order, with columns ``concept_id, label, type,
    n_papers_with_year, first_year, last_year, n_recent, n_before,
    share_recent, share_before, log2_ratio, p_value, new``:

    - ``log2_ratio`` = log2(((n_recent + 0.5) / (D_recent + 1)) / ((n_before + 0.5) / (D_before + 1))),
      the smoothed ratio of the two shares (D = dated papers of the period);
    - ``p_value``: one-sided Fisher exact (hypergeometric) test that this
      many of the concept's papers fall in the recent window by chance;
    - ``new``: the concept first appears inside the recent window.

    ``result.attrs`` holds ``window`` ([first, last] recent year) and, when
    empty, a ``note`` ("no years", "too few years for a recent window", ...).

    Examples
    --------
    >>> papers = pd.DataFrame({"id": list("abcdef"),
    ...                        "year": pd.array([2010, 2011, 2012, 2019, 2020, 2021], dtype="Int64")})
    >>> mentions = pd.DataFrame({"paper_id": ["d", "e", "f"], "concept_id": ["bert"] * 3})
    >>> emerging_concepts(papers, mentions, pd.DataFrame({"concept_id": ["bert"]}))["concept_id"].tolist()
    ['bert']
    """
    return _trend(papers, mentions, concepts, window, min_papers, top, include_generic, rising=True,
                  sort_by=sort_by)


def fading_concepts(papers: pd.DataFrame, mentions: pd.DataFrame, concepts: pd.DataFrame,
                    window: int = DEFAULT_WINDOW, min_papers: int = DEFAULT_MIN_PAPERS,
                    top: int | None = None, include_generic: bool = False,
                    sort_by: str = "p_value") -> pd.DataFrame:
    """Concepts whose share of the papers fell in the recent window.

    Same window rule, support and columns as :func:`emerging_concepts`; a
    concept is *fading* when its recent share is lower than its earlier share.
    ``p_value`` is the one-sided test that so *few* of its papers are recent;
    ``sort_by="p_value"`` (default) puts the best-supported fall first (ties:
    more negative ``log2_ratio``), ``sort_by="log2_ratio"`` the steepest fall.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": list("abcdef"),
    ...                        "year": pd.array([2010, 2011, 2012, 2019, 2020, 2021], dtype="Int64")})
    >>> mentions = pd.DataFrame({"paper_id": ["a", "b", "c"], "concept_id": ["svm"] * 3})
    >>> fading_concepts(papers, mentions, pd.DataFrame({"concept_id": ["svm"]}))["concept_id"].tolist()
    ['svm']
    """
    return _trend(papers, mentions, concepts, window, min_papers, top, include_generic, rising=False,
                  sort_by=sort_by)


# ---------------------------------------------------------------- Kleinberg bursts

def _viterbi_two_state(r: np.ndarray, d: np.ndarray, s: float, gamma: float):
    """Optimal two-state sequences for many count series at once.

    ``r`` is (n_series, n_batches) relevant counts, ``d`` (n_batches,) totals.
    Returns (states, gain): states 0/1 per batch, and gain = sigma0 - sigma1,
    the cost saved by the burst state in each batch.
    """
    from scipy.special import gammaln

    n_series, n = r.shape
    p0 = r.sum(axis=1) / d.sum()
    p1 = np.minimum(s * p0, _P1_MAX)
    ln_choose = gammaln(d + 1.0)[None, :] - gammaln(r + 1.0) - gammaln(d - r + 1.0)

    def sigma(p):  # binomial negative log-likelihood of each batch under rate p
        p = p[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            hit = np.where(r > 0, r * np.log(p), 0.0)
            miss = np.where(d - r > 0, (d - r) * np.log1p(-p), 0.0)
        return -(ln_choose + hit + miss)

    cost0, cost1 = sigma(p0), sigma(p1)
    up = gamma * math.log(n) if n > 1 else 0.0  # tau(0, 1) = gamma ln n; tau(1, 0) = 0
    # Forward pass: cheapest sequence ending in each state; the automaton starts in state 0.
    c0 = cost0[:, 0].copy()
    c1 = up + cost1[:, 0]
    back0 = np.zeros((n_series, n), dtype=np.int8)  # previous state of the best path into 0
    back1 = np.zeros((n_series, n), dtype=np.int8)  # ... into 1
    for t in range(1, n):
        b0 = c1 < c0            # dropping out of a burst is free; ties prefer state 0
        b1 = c1 <= c0 + up      # ties keep a running burst going
        back0[:, t], back1[:, t] = b0, b1
        c0, c1 = np.where(b0, c1, c0) + cost0[:, t], np.where(b1, c1, c0 + up) + cost1[:, t]
    states = np.zeros((n_series, n), dtype=np.int8)
    state = (c1 < c0).astype(np.int8)
    for t in range(n - 1, -1, -1):
        states[:, t] = state
        state = np.where(state == 1, back1[:, t], back0[:, t]).astype(np.int8)
    return states, cost0 - cost1


def _runs(states: np.ndarray):
    """(first, last) index of each run of 1s."""
    runs, start = [], None
    for i, value in enumerate(states):
        if value and start is None:
            start = i
        elif not value and start is not None:
            runs.append((start, i - 1))
            start = None
    if start is not None:
        runs.append((start, len(states) - 1))
    return runs


def _year_axis(totals_by_year: Mapping[int, int], counts_by_year: Mapping[int, int]):
    keys = [int(y) for y in totals_by_year] + [int(y) for y in counts_by_year]
    return list(range(min(keys), max(keys) + 1)) if keys else []


def kleinberg_bursts(counts_by_year: Mapping[int, int], totals_by_year: Mapping[int, int],
                     s: float = DEFAULT_S, gamma: float = DEFAULT_GAMMA) -> list[tuple[int, int, float]]:
    """Bursts of one term in yearly counts: Kleinberg's two-state batched model.

    Model (Kleinberg 2003, section 4, "enumerating bursts"): year ``t`` has
    ``d_t`` documents, ``r_t`` of them relevant (mentioning the term). The
    base state emits relevant documents at the overall rate ``p0 = R / D``
    (R, D: sums over all years), the burst state at ``p1 = s * p0`` (capped
    at 0.9999). The cost of a year in state ``i`` is the binomial negative
    log-likelihood ``sigma_i = -ln[C(d_t, r_t) p_i^r_t (1 - p_i)^(d_t - r_t)]``;
    entering the burst state costs ``tau = gamma * ln(n)`` (``n`` = number of
    years), leaving it is free; the sequence starts in the base state. A
    Viterbi pass finds the cheapest state sequence; each maximal run of burst
    years is a burst.

    Parameters
    ----------
    counts_by_year : {year: r_t}, the term's documents per year.
    totals_by_year : {year: d_t}, all documents per year. Years run from the
        first to the last year of either mapping; missing years count 0
        (a year with no documents costs nothing in either state).
    s : rate ratio of the burst state (> 1; default 2: the term is twice as
        frequent during a burst). Larger ``s`` finds only sharper bursts.
    gamma : weight of the cost of entering a burst (>= 0; default 1). Larger
        ``gamma`` needs more evidence and so finds fewer, stronger bursts.

    Returns
    -------
    list of ``(start_year, end_year, weight)`` sorted by start year; ``weight``
    is the burst strength, ``sum over its years of (sigma_0 - sigma_1)``:
    how much better the burst state explains those years. Empty when the
    term never occurs, occurs in every document, or there are no years.

    Raises
    ------
    ValueError : ``s <= 1``, ``gamma < 0``, a negative count, or ``r_t > d_t``.

    Examples
    --------
    >>> totals = {year: 10 for year in range(2010, 2020)}
    >>> counts = {2010: 1, 2011: 1, 2012: 1, 2014: 8, 2015: 9, 2016: 7, 2018: 1}
    >>> [(a, b) for a, b, w in kleinberg_bursts(counts, totals)]
    [(2014, 2016)]
    """
    if not s > 1:
        raise ValueError(f"s must be greater than 1, got {s}")
    if not gamma >= 0:
        raise ValueError(f"gamma must be at least 0, got {gamma}")
    years = _year_axis(totals_by_year, counts_by_year)
    if not years:
        return []
    d = np.array([float(totals_by_year.get(y, 0)) for y in years])
    r = np.array([[float(counts_by_year.get(y, 0)) for y in years]])
    if (d < 0).any() or (r < 0).any():
        raise ValueError("counts must not be negative")
    if (r[0] > d).any():
        bad = years[int(np.argmax(r[0] > d))]
        raise ValueError(f"{bad}: more relevant documents ({int(r[0][years.index(bad)])}) "
                         f"than documents ({int(d[years.index(bad)])})")
    return _bursts_of(r, d, years, s, gamma)[0]


def _bursts_of(r, d, years, s, gamma):
    out = [[] for _ in range(len(r))]
    total = d.sum()
    if total <= 0:
        return out
    rows = np.where((r.sum(axis=1) > 0) & (r.sum(axis=1) < total))[0]
    if len(rows) == 0:
        return out
    states, gain = _viterbi_two_state(r[rows], d, s, gamma)
    for k, row in enumerate(rows):
        for a, b in _runs(states[k]):
            out[row].append((years[a], years[b], float(gain[k, a:b + 1].sum())))
    return out


def concept_bursts(papers: pd.DataFrame, mentions: pd.DataFrame, concepts: pd.DataFrame,
                   s: float = DEFAULT_S, gamma: float = DEFAULT_GAMMA,
                   min_papers: int = DEFAULT_MIN_PAPERS, min_years: int = 1,
                   include_generic: bool = False) -> pd.DataFrame:
    """Bursts of every concept (see :func:`kleinberg_bursts` for the model).

    ``d_t`` is the number of dated papers of year ``t`` (all papers, with or
    without concepts), ``r_t`` the number of them that mention the concept;
    years run from the corpus's first to last dated year. Undated papers take
    no part.

    Parameters
    ----------
    papers, mentions, concepts : the extraction tables.
    s, gamma : burst model parameters (defaults 2.0 and 1.0, as in CiteSpace).
    min_papers : concepts with fewer dated papers are not examined (default 3).
    min_years : shortest burst kept, in years (default 1).
    include_generic : examine concepts flagged ``generic`` (default: no).

    Returns
    -------
    DataFrame ``concept_id, label, start_year, end_year, weight, n_years,
    n_papers_in_burst``, strongest first (weight descending, then concept_id,
    then start_year). A concept may have several bursts. ``attrs["note"]``
    says why it is empty when there are no years.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": [str(i) for i in range(40)],
    ...                        "year": pd.array([2010 + i // 4 for i in range(40)], dtype="Int64")})
    >>> hits = ["0", "13", "14", "15", "16", "17", "18", "39"]   # 2013-2014 are full of it
    >>> mentions = pd.DataFrame({"paper_id": hits, "concept_id": ["gan"] * len(hits)})
    >>> concept_bursts(papers, mentions, pd.DataFrame({"concept_id": ["gan"]}))[["start_year", "end_year"]]
       start_year  end_year
    0        2013      2014
    """
    if not s > 1:
        raise ValueError(f"s must be greater than 1, got {s}")
    if not gamma >= 0:
        raise ValueError(f"gamma must be at least 0, got {gamma}")
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in _BURST_COLUMNS})
    empty.attrs.update(s=s, gamma=gamma)
    years = paper_years(papers).dropna()
    if years.empty:
        empty.attrs["note"] = "no years"
        return empty
    axis = list(range(int(years.min()), int(years.max()) + 1))
    totals = years.value_counts()
    d = np.array([float(totals.get(y, 0)) for y in axis])
    counts = concept_year_counts(papers, mentions, concepts)
    if counts.empty:
        empty.attrs["note"] = "no concept with dated papers"
        return empty
    support = counts.groupby("concept_id")["n_papers"].sum()
    keep = support[support >= min_papers].index
    meta = _concept_meta(concepts, keep).set_index("concept_id")
    if not include_generic:
        keep = [c for c, generic in zip(meta.index, meta["generic"]) if not generic]
    if len(keep) == 0:
        empty.attrs["note"] = "no concept with enough dated papers"
        return empty
    wide = (counts[counts["concept_id"].isin(list(keep))]
            .pivot(index="concept_id", columns="year", values="n_papers")
            .reindex(index=sorted(keep), columns=axis).fillna(0))
    bursts = _bursts_of(wide.to_numpy(dtype=float), d, axis, s, gamma)
    rows = []
    for cid, found, series in zip(wide.index, bursts, wide.to_numpy()):
        for a, b, w in found:
            if b - a + 1 < min_years:
                continue
            rows.append({"concept_id": cid, "label": meta.at[cid, "label"], "start_year": a,
                         "end_year": b, "weight": w, "n_years": b - a + 1,
                         "n_papers_in_burst": int(series[a - axis[0]:b - axis[0] + 1].sum())})
    if not rows:
        empty.attrs["note"] = "no bursts"
        return empty
    out = pd.DataFrame(rows, columns=_BURST_COLUMNS)
    out = out.sort_values(["weight", "concept_id", "start_year"], ascending=[False, True, True],
                          kind="mergesort").reset_index(drop=True)
    for col in ("start_year", "end_year", "n_years", "n_papers_in_burst"):
        out[col] = out[col].astype("int64")
    out.attrs.update(s=s, gamma=gamma, years=[axis[0], axis[-1]])
    return out


# ---------------------------------------------------------------- clusters

def cluster_years(papers: pd.DataFrame, clusters: pd.DataFrame | None = None,
                  window: int = DEFAULT_WINDOW) -> pd.DataFrame:
    """Age and growth of each paper cluster (research front).

    Parameters
    ----------
    papers : DataFrame with ``id``, ``year`` and ``cluster`` (after the graph stage);
        papers whose cluster is NA are left out.
    clusters : optional clusters table (``cluster, size, label, ...``); when
        given, every one of its clusters gets a row and its ``label`` is used.
    window : recent window in years, as in :func:`emerging_concepts`.

    Returns
    -------
    DataFrame, one row per cluster sorted by ``cluster``:

    - ``cluster``, ``label``, ``n_papers`` (all), ``n_papers_with_year``, ``n_papers_without_year``
    - ``first_year``, ``last_year`` (``Int64``), ``mean_year``, ``median_year`` (float; NaN without years)
    - ``recent_share``: share of the cluster's dated papers inside the recent window
    - ``growth`` = recent_share / (share of *all* dated papers inside the window):
      above 1 the front is younger than the corpus ("growing"), below 1 older;
      NaN when the cluster has no dated papers or the corpus has no earlier period
    - ``counts_by_year`` (``"2015:3; 2016:5"``)

    Examples
    --------
    >>> papers = pd.DataFrame({"id": list("abcd"), "cluster": [0, 0, 1, 1],
    ...                        "year": pd.array([2010, 2011, 2020, 2021], dtype="Int64")})
    >>> cluster_years(papers)[["cluster", "mean_year", "growth"]]
       cluster  mean_year  growth
    0        0     2010.5     0.0
    1        1     2020.5     2.0
    """
    if "cluster" not in papers.columns:
        raise ValueError("papers has no 'cluster' column (run the graph stage first)")
    years = paper_years(papers)
    table = pd.DataFrame({"cluster": papers["cluster"].to_numpy(), "year": years.to_numpy()})
    table["year"] = table["year"].astype("Int64")
    table = table[table["cluster"].notna()]
    split = _window_split(years, window)
    dated_all = years.dropna()
    corpus_recent = (float((dated_all >= split[0]).mean()) if split is not None else float("nan"))
    ids = sorted(set(table["cluster"].tolist())
                 | (set(clusters["cluster"].tolist()) if clusters is not None else set()))
    labels = {}
    if clusters is not None and "label" in clusters.columns:
        labels = dict(zip(clusters["cluster"], clusters["label"]))
    elif "cluster_label" in papers.columns:
        labels = dict(zip(papers["cluster"], papers["cluster_label"]))
    groups = {cid: sub["year"] for cid, sub in table.groupby("cluster", sort=False)}
    empty_years = pd.Series([], dtype="Int64")
    rows = []
    for cid in ids:
        sub = groups.get(cid, empty_years)
        dated = sub.dropna().astype("int64")
        recent = float((dated >= split[0]).mean()) if split is not None and len(dated) else float("nan")
        rows.append({
            "cluster": cid, "label": labels.get(cid, ""), "n_papers": int(len(sub)),
            "n_papers_with_year": int(len(dated)), "n_papers_without_year": int(len(sub) - len(dated)),
            "first_year": int(dated.min()) if len(dated) else pd.NA,
            "last_year": int(dated.max()) if len(dated) else pd.NA,
            "mean_year": float(dated.mean()) if len(dated) else float("nan"),
            "median_year": float(dated.median()) if len(dated) else float("nan"),
            "recent_share": recent,
            "growth": recent / corpus_recent if corpus_recent and corpus_recent == corpus_recent
            else float("nan"),
            "counts_by_year": format_counts_by_year(dated.value_counts().to_dict()),
        })
    columns = ["cluster", "label", "n_papers", "n_papers_with_year", "n_papers_without_year",
               "first_year", "last_year", "mean_year", "median_year", "recent_share", "growth",
               "counts_by_year"]
    out = pd.DataFrame(rows, columns=columns)
    for col in ("first_year", "last_year"):
        out[col] = out[col].astype("Int64")
    for col in ("mean_year", "median_year", "recent_share", "growth"):
        out[col] = out[col].astype("float64")
    out.attrs["window"] = list(split) if split is not None else None
    return out


# ---------------------------------------------------------------- timeline plot

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _svg_text(value, limit: int = 80) -> str:
    text = _XML_BAD.sub("", " ".join(str(value).split()))
    if len(text) > limit:
        text = text[:limit - 1] + "\u2026"
    return html.escape(text, quote=True)


def timeline_svg(counts_by_year: Mapping[int, int], title: str, *, undated: int = 0,
                 width: int = 360, height: int = 150, color: str = "#4c72b0") -> str:
    """A small standalone SVG bar chart of papers per year.

    Parameters
    ----------
    counts_by_year : {year: count}; a ``"2015:3; 2016:5"`` string is also
        accepted. Years between the first and the last are drawn, empty ones
        as gaps.
    title : caption (corpus text is fine: it is escaped and stripped of
        characters XML forbids; the visible caption is cut to the width, the
        ``<title>`` tooltip at 200 characters).
    undated : papers without a year, drawn as a separate grey "n.d." bar when > 0.
    width, height : size in pixels.
    color : bar colour (a CSS colour; must be trusted, not corpus text).

    Returns
    -------
    str, an ``<svg>`` element with ``xmlns`` (usable inline in HTML or saved as
    ``.svg``); each bar has a ``<title>`` tooltip "year: n". Without any
    count the chart says "no years".

    Examples
    --------
    >>> svg = timeline_svg({2015: 3, 2017: 5}, "GAN <b>")
    >>> svg.startswith("<svg") and "GAN &lt;b&gt;" in svg and "<title>2016: 0</title>" in svg
    True
    """
    if isinstance(counts_by_year, str):
        counts_by_year = parse_counts_by_year(counts_by_year)
    counts = {int(y): int(n) for y, n in counts_by_year.items()}
    if not re.fullmatch(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,30}", color):
        raise ValueError(f"not a plain CSS colour: {color!r}")
    undated = int(undated or 0)
    width, height = int(width), int(height)
    years = list(range(min(counts), max(counts) + 1)) if counts else []
    slots = [(str(y), counts.get(y, 0), f"{y}: {counts.get(y, 0)}") for y in years]
    if undated > 0:
        slots.append(("n.d.", undated, f"no year: {undated}"))
    top, bottom, left, right = 22, 20, 28, 6
    fits = max(8, int((width - 8) / 6.6))  # characters of the 11 px bold caption that fit
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{_svg_text(title, 200)}" '
             f'font-family="sans-serif" font-size="10">',
             f"<title>{_svg_text(title, 200)}</title>",
             f'<text x="4" y="14" font-size="11" font-weight="bold">{_svg_text(title, fits)}</text>']
    peak = max((n for _, n, _ in slots), default=0)
    if not slots or peak == 0:
        parts.append(f'<text x="{width / 2:.1f}" y="{(height + top) / 2:.1f}" text-anchor="middle" '
                     f'fill="#777">no years</text></svg>')
        return "".join(parts)
    plot_w, plot_h = width - left - right, height - top - bottom
    slot_w = plot_w / len(slots)
    bar_w = max(1.0, slot_w * 0.8)
    base = top + plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#999"/>')
    parts.append(f'<text x="{left - 3}" y="{top + 8}" text-anchor="end" fill="#555">{peak}</text>')
    parts.append(f'<text x="{left - 3}" y="{base}" text-anchor="end" fill="#555">0</text>')
    step = max(1, math.ceil(len(slots) / max(1, plot_w // 34)))  # about 34 px per label
    for i, (name, n, tip) in enumerate(slots):
        h = plot_h * n / peak
        x = left + i * slot_w + (slot_w - bar_w) / 2
        fill = "#aaaaaa" if name == "n.d." else color
        parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                     f'fill="{fill}"><title>{_svg_text(tip)}</title></rect>')
        last = i == len(slots) - 1
        if i % step == 0 or name == "n.d." or (last and step == 1):
            parts.append(f'<text x="{left + (i + 0.5) * slot_w:.1f}" y="{height - 6}" '
                         f'text-anchor="middle" fill="#555">{_svg_text(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- report

def trends_report(papers: pd.DataFrame, mentions: pd.DataFrame, concepts: pd.DataFrame,
                  top: int = 10, window: int = DEFAULT_WINDOW, min_papers: int = DEFAULT_MIN_PAPERS,
                  s: float = DEFAULT_S, gamma: float = DEFAULT_GAMMA,
                  include_generic: bool = False, sort_by: str = "p_value") -> dict[str, pd.DataFrame]:
    """Everything ``conceptgraph trends`` prints, as tables.

    Parameters
    ----------
    papers, mentions, concepts : the extraction tables.
    top : rows kept in each table (None: all).
    window, min_papers : see :func:`emerging_concepts`.
    s, gamma : see :func:`kleinberg_bursts`.
    include_generic, sort_by : see :func:`emerging_concepts`.

    Returns
    -------
    dict with

    - ``"years"``: ``year, n_papers`` per year, plus a last row with ``year``
      NA for papers without a year (when there are any);
    - ``"emerging"``: :func:`emerging_concepts`;
    - ``"fading"``: :func:`fading_concepts`;
    - ``"bursts"``: :func:`concept_bursts`, strongest first.

    Each table's ``attrs`` may carry a ``note`` ("no years", ...), and the
    ``years`` table carries ``attrs["coverage"]`` (:func:`year_coverage`).
    :func:`format_trends_report` turns the dict into text.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a"], "year": pd.array([None], dtype="Int64")})
    >>> mentions = pd.DataFrame({"paper_id": ["a"], "concept_id": ["x"]})
    >>> report = trends_report(papers, mentions, pd.DataFrame({"concept_id": ["x"]}))
    >>> report["emerging"].attrs["note"], report["years"].attrs["coverage"]["without_year"]
    ('no years', 1)
    """
    coverage = year_coverage(papers)
    years = pd.DataFrame({"year": pd.array([int(y) for y in coverage["by_year"]], dtype="Int64"),
                          "n_papers": [int(n) for n in coverage["by_year"].values()]})
    if coverage["without_year"]:
        years = pd.concat([years, pd.DataFrame({"year": pd.array([pd.NA], dtype="Int64"),
                                                "n_papers": [coverage["without_year"]]})],
                          ignore_index=True)
    years["n_papers"] = years["n_papers"].astype("int64")
    years.attrs["coverage"] = coverage
    if not coverage["with_year"]:
        years.attrs["note"] = "no years"
    bursts = concept_bursts(papers, mentions, concepts, s=s, gamma=gamma, min_papers=min_papers,
                            include_generic=include_generic)
    if top is not None:
        attrs = dict(bursts.attrs)
        bursts = bursts.head(top).copy()
        bursts.attrs.update(attrs)
    return {
        "years": years,
        "emerging": emerging_concepts(papers, mentions, concepts, window=window,
                                      min_papers=min_papers, top=top, include_generic=include_generic,
                                      sort_by=sort_by),
        "fading": fading_concepts(papers, mentions, concepts, window=window, min_papers=min_papers,
                                  top=top, include_generic=include_generic, sort_by=sort_by),
        "bursts": bursts,
    }


def format_trends_report(report: dict[str, pd.DataFrame]) -> str:
    """Plain text of a :func:`trends_report` for the terminal.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a"], "year": pd.array([None], dtype="Int64")})
    >>> text = format_trends_report(trends_report(papers, papers.assign(paper_id="a", concept_id="x"),
    ...                                           pd.DataFrame({"concept_id": ["x"]})))
    >>> text.splitlines()[0]
    'Years: no years (0 of 1 papers have a publication year)'
    """
    coverage = report["years"].attrs.get("coverage") or {}
    n, dated = coverage.get("n_papers", 0), coverage.get("with_year", 0)
    lines = []
    if not dated:
        lines.append(f"Years: no years ({dated} of {n} papers have a publication year)")
        lines.append("Emerging concepts, fading concepts and bursts need publication years.")
        return "\n".join(lines)
    lines.append(f"Years: {coverage['first_year']}-{coverage['last_year']} "
                 f"({dated} of {n} papers have a publication year, {n - dated} without)")

    def clean(value):  # labels are corpus text: no terminal control sequences
        return _XML_BAD.sub("", " ".join(str(value).split()))

    def section(name, table, columns, fmt):
        lines.append("")
        lines.append(name)
        if table.empty:
            lines.append(f"  ({table.attrs.get('note') or 'none'})")
            return
        for row in table[columns].itertuples(index=False):
            lines.append("  " + fmt(row))

    window = report["emerging"].attrs.get("window") or report["fading"].attrs.get("window")
    span = f" (recent window {window[0]}-{window[1]})" if window else ""
    section(f"Emerging concepts{span}", report["emerging"],
            ["label", "n_recent", "n_before", "log2_ratio", "p_value"],
            lambda r: f"{clean(r.label)}: {r.n_recent} recent / {r.n_before} earlier papers, "
                      f"log2 ratio {r.log2_ratio:+.2f}, p={r.p_value:.3g}")
    section(f"Fading concepts{span}", report["fading"],
            ["label", "n_recent", "n_before", "log2_ratio", "p_value"],
            lambda r: f"{clean(r.label)}: {r.n_recent} recent / {r.n_before} earlier papers, "
                      f"log2 ratio {r.log2_ratio:+.2f}, p={r.p_value:.3g}")
    section("Bursts (Kleinberg two-state, s={s}, gamma={g})".format(
        s=report["bursts"].attrs.get("s", DEFAULT_S), g=report["bursts"].attrs.get("gamma", DEFAULT_GAMMA)),
        report["bursts"], ["label", "start_year", "end_year", "weight", "n_papers_in_burst"],
        lambda r: f"{clean(r.label)}: {r.start_year}-{r.end_year}, weight {r.weight:.2f}, "
                  f"{r.n_papers_in_burst} papers")
    return "\n".join(lines)
