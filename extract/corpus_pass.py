"""The corpus step of extraction: what one abstract cannot decide alone.

A short form used bare in one abstract ("FSM") takes the concept its
definition gave in another; concept ids that differ only by hyphens merge;
the concepts table is counted. :class:`CorpusPass` does this chunk by chunk,
keeping counts only, so the same code serves one in-memory table
(:func:`conceptgraph.extract.nlp.extract_mentions`), worker processes, Dask
and streamed Parquet (:mod:`conceptgraph.extract.engine`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

MENTION_COLUMNS = ["paper_id", "field", "start", "end", "text", "type", "concept_id"]
CONCEPT_COLUMNS = ["concept_id", "label", "type", "aliases", "generic", "n_papers", "n_mentions"]
# Runs of whitespace, made one space in labels (line breaks of the source).
_ONE_LINE = re.compile(r"\s+")
# Ties of the type vote: the more specific type first.
_TYPE_ORDER = {"dataset": 0, "architecture": 1, "metric": 2, "task": 3, "method": 4}


@dataclass
class RawChunk:
    """Per-paper mentions of a chunk (``MENTION_COLUMNS`` + ``how``, ``key``) and its short-form definitions.

    ``how`` is how the concept was found (``lexicon``, ``abbrev``, ``slug``); ``key`` is
    ``norm_key(text)`` for ``slug`` mentions ("" for the others).
    """

    raw: pd.DataFrame
    defs: dict  # (norm_key(short form), concept id) -> count
    n_papers: int


class CorpusPass:
    """The corpus step, on columns, chunk by chunk.

    Works chunk by chunk: :meth:`add` takes each chunk's raw mentions as it is made
    and keeps only counts; :meth:`finish_chunk` then rewrites one chunk's
    concept ids and :meth:`concepts` builds the concepts table. Memory holds
    counts per concept, never the corpus's mentions.

    The rules: a ``slug`` mention whose text is a
    short form defined somewhere in the corpus takes the most frequent
    definition's concept (ties: smallest id); then concept ids equal up to
    hyphens merge into the most frequent one (ties: smallest id).
    """

    def __init__(self, lexicon):
        self.lexicon = lexicon
        self.defs: dict[tuple[str, str], int] = {}
        # Concept counts: fixed ids (how != slug), and slug ids with their short-form key.
        self.fixed: dict[str, int] = {}
        self.slug: dict[tuple[str, str], int] = {}
        # Type votes of the mentions whose type the rules chose (slug, abbrev): (id, key, type) -> n.
        self.votes: dict[tuple[str, str, str], int] = {}
        self.n_papers = 0
        self._resolved = self._canon = self._types = None
        self._text_stats: list[pd.DataFrame] = []
        self._type_stats: list[pd.DataFrame] = []
        self._paper_stats: list[pd.DataFrame] = []

    @staticmethod
    def _slug_keys(raw: pd.DataFrame, is_slug) -> pd.Series:
        from .components._resources import norm_key

        if "key" in raw:  # made by the worker
            return raw.loc[is_slug, "key"]
        texts = raw.loc[is_slug, "text"]
        uniq = pd.unique(texts)
        return texts.map(dict(zip(uniq, map(norm_key, uniq))))

    def add(self, chunk: RawChunk) -> None:
        """Count one chunk (any order of chunks gives the same result)."""
        for key, n in chunk.defs.items():
            self.defs[key] = self.defs.get(key, 0) + n
        self.n_papers += chunk.n_papers
        raw = chunk.raw
        if raw.empty:
            return
        is_slug = (raw["how"] == "slug").to_numpy()
        for cid, n in raw.loc[~is_slug, "concept_id"].value_counts(sort=False).items():
            self.fixed[cid] = self.fixed.get(cid, 0) + int(n)
        if is_slug.any():
            keyed = pd.DataFrame({"cid": raw.loc[is_slug, "concept_id"], "key": self._slug_keys(raw, is_slug)})
            for (cid, key), n in keyed.value_counts(sort=False).items():
                self.slug[cid, key] = self.slug.get((cid, key), 0) + int(n)
        ruled = (is_slug | (raw["how"] == "abbrev").to_numpy())
        if ruled.any():
            voted = pd.DataFrame({"cid": raw.loc[ruled, "concept_id"], "key": raw.loc[ruled, "key"]
                                  if "key" in raw else self._slug_keys(raw, ruled), "type": raw.loc[ruled, "type"]})
            voted.loc[~is_slug[ruled], "key"] = ""
            for (cid, key, typ), n in voted.value_counts(sort=False).items():
                self.votes[cid, key, typ] = self.votes.get((cid, key, typ), 0) + int(n)

    def _plan(self) -> None:
        if self._canon is not None:
            return
        by_short: dict[str, dict[str, int]] = {}
        for (key, cid), n in self.defs.items():
            by_short.setdefault(key, {})[cid] = n
        self._resolved = {key: min(ids.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                          for key, ids in by_short.items()}
        counts = dict(self.fixed)
        for (cid, key), n in self.slug.items():
            final = self._resolved.get(key, cid)
            counts[final] = counts.get(final, 0) + n
        groups: dict[str, dict[str, int]] = {}
        for cid, n in counts.items():
            groups.setdefault(cid.replace("-", ""), {})[cid] = n
        self._canon = {}
        for ids in groups.values():
            best = min(ids.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            for cid in ids:
                if cid != best:
                    self._canon[cid] = best
        self._types = self._vote()

    def _vote(self) -> dict[str, str]:
        """The type of each concept found by the rules: a vote over all its mentions in the corpus.

        "method" is what a name gets without evidence, so its votes count half: a name
        typed dataset by "results on X" or "X, a benchmark" in one abstract of three
        is a dataset everywhere. A concept that ended in the lexicon has the lexicon's type.
        """
        scores: dict[str, dict[str, float]] = {}
        for (cid, key, typ), n in self.votes.items():
            final = self._resolved.get(key, cid) if key else cid
            final = self._canon.get(final, final)
            by_type = scores.setdefault(final, {})
            by_type[typ] = by_type.get(typ, 0.0) + (0.5 * n if typ == "method" else float(n))
        entries = self.lexicon.entries
        return {cid: entries[cid].type if cid in entries
                else min(by_type.items(), key=lambda kv: (-kv[1], _TYPE_ORDER.get(kv[0], 9), kv[0]))[0]
                for cid, by_type in scores.items()}

    def finish_chunk(self, chunk: RawChunk, sort: bool = True) -> pd.DataFrame:
        """Final mentions of one chunk (after every chunk was added); also counts them for the concepts."""
        self._plan()
        raw = chunk.raw
        cids = raw["concept_id"].to_numpy(dtype=object, copy=True)
        is_slug = (raw["how"] == "slug").to_numpy()
        # Both rewrites look up each distinct key or id once, not once per mention.
        if is_slug.any() and self._resolved:
            codes, keys = pd.factorize(self._slug_keys(raw, is_slug))
            got = np.array([self._resolved.get(key) for key in keys], dtype=object)[codes]
            hit = pd.notna(got)
            cids[is_slug.nonzero()[0][hit]] = got[hit]
        if self._canon:
            codes, ids = pd.factorize(cids)
            cids = np.array([self._canon.get(c, c) for c in ids], dtype=object)[codes]
        out = raw[MENTION_COLUMNS].copy()
        out["concept_id"] = pd.array(cids, dtype=raw["concept_id"].dtype) if len(raw) else out["concept_id"]
        ruled = is_slug | (raw["how"] == "abbrev").to_numpy()
        if ruled.any() and self._types:
            codes, ids = pd.factorize(cids[ruled])
            voted = np.array([self._types.get(c) for c in ids], dtype=object)[codes]
            types = out["type"].to_numpy(dtype=object, copy=True)
            rows = ruled.nonzero()[0]
            hit = pd.notna(voted)
            types[rows[hit]] = voted[hit]
            out["type"] = pd.array(types, dtype=raw["type"].dtype)
        if sort:
            out = out.sort_values(["paper_id", "field", "start", "end", "type"], kind="mergesort")
        out = out.reset_index(drop=True)
        if len(out):
            # A label is read on one line: "layer-wise\nimportance score" is "layer-wise importance score".
            # Done on the distinct texts; the pairs it makes equal are summed where the counts are merged.
            # (Any whitespace but a space is not printable: the C test passes most texts untouched.)
            stats = out.groupby(["concept_id", "text"], sort=False).size().rename("n").reset_index()
            texts = stats["text"].tolist()
            one_line = [t if t.isprintable() and "  " not in t else _ONE_LINE.sub(" ", t) for t in texts]
            if one_line != texts:
                stats["text"] = pd.array(one_line, dtype=stats["text"].dtype)
            self._text_stats.append(stats)
            self._type_stats.append(out.groupby(["concept_id", "type"], sort=False).size().rename("n").reset_index())
            # A paper lies in one chunk: distinct papers per chunk add up.
            self._paper_stats.append(out.groupby("concept_id", sort=False)["paper_id"].nunique()
                                     .rename("n").reset_index())
            if len(self._text_stats) >= 16:  # keep the counts compact on long runs
                self._compact()
        return out

    def _compact(self) -> None:
        for name, keys in (("_text_stats", ["concept_id", "text"]), ("_type_stats", ["concept_id", "type"]),
                           ("_paper_stats", ["concept_id"])):
            frames = getattr(self, name)
            merged = pd.concat(frames).groupby(keys, sort=False)["n"].sum().reset_index()
            setattr(self, name, [merged])

    def _widespread(self, label: str, n_papers: int) -> bool:
        """Generic by how it spreads: a plain English word or phrase that many papers use.

        "diversity", "coverage", "downstream tasks" are named by a few in a thousand
        papers on any topic; names and technical terms are rare words. A single word
        needs 0.1 % of the papers (at least 3), a phrase 0.5 % (at least 5).
        """
        from .components._resources import common_words

        if not label.islower() or not self.n_papers:
            return False
        words = label.replace("-", " ").split()
        if not words or not all(w in common_words() for w in words):
            return False
        share, least = (0.001, 3) if len(words) == 1 else (0.005, 5)
        return n_papers >= least and n_papers >= share * self.n_papers

    def concepts(self) -> pd.DataFrame:
        """The concepts table (as ``extract_mentions`` returns it), from the finished chunks."""
        from .components.normalize import is_generic

        if not self._text_stats:
            return pd.DataFrame(columns=CONCEPT_COLUMNS)
        texts = pd.concat(self._text_stats).groupby(["concept_id", "text"], sort=False)["n"].sum()
        types = pd.concat(self._type_stats).groupby(["concept_id", "type"], sort=False)["n"].sum()
        papers = pd.concat(self._paper_stats).groupby("concept_id", sort=True)["n"].sum()
        by_text: dict[str, list] = {}
        for (cid, text), n in texts.items():
            by_text.setdefault(cid, []).append((text, int(n)))
        by_type: dict[str, list] = {}
        for (cid, typ), n in types.items():
            by_type.setdefault(cid, []).append((typ, int(n)))
        rows = []
        entries = self.lexicon.entries
        for cid, n_papers in papers.items():
            surface = by_text[cid]
            entry = entries.get(cid)
            if entry is not None:
                label, typ, generic = entry.label, entry.type, entry.generic
                # A one-word quality or task of the lexicon ("diversity", "coverage") spreads like any word.
                generic = generic or (typ in ("metric", "task") and " " not in label
                                      and self._widespread(label, int(n_papers)))
            else:
                label = min(surface, key=lambda kv: (-kv[1], kv[0]))[0]
                typ = min(by_type[cid], key=lambda kv: (-kv[1], kv[0]))[0]
                generic = is_generic(label) or self._widespread(label, int(n_papers))
            rows.append({"concept_id": cid, "label": label, "type": typ,
                         "aliases": sorted(t for t, _ in surface), "generic": bool(generic),
                         "n_papers": int(n_papers), "n_mentions": int(sum(n for _, n in surface))})
        return pd.DataFrame(rows, columns=CONCEPT_COLUMNS)
