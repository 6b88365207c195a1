"""Questions asked of a map: centrality, clusters, neighbourhoods, trends, exports.

Each function answers either for the last build (the tables ``build`` wrote
into ``outdir``) or, when ``inputs`` are given, for those inputs computed
afresh in memory. The CLI commands ``centrality``, ``clusters``, ``show``,
``trends`` and ``export`` are thin wrappers over them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from .extract import InputError
from .pipeline import DEFAULT_OUTDIR, prepare_outdir


@dataclass
class Tables:
    """The analytics tables of one map (from a build directory or computed in memory)."""

    papers: pd.DataFrame
    mentions: pd.DataFrame
    concepts: pd.DataFrame
    paper_edges: pd.DataFrame
    clusters: pd.DataFrame
    params: dict


def _split_list(value) -> list[str]:
    return [] if pd.isna(value) or value == "" else str(value).split("; ")


def read_build(outdir: str | Path = DEFAULT_OUTDIR) -> Tables:
    """Read the tables that :func:`conceptgraph.pipeline.build` wrote into ``outdir``.

    Examples
    --------
    >>> tables = read_build("conceptgraph-out")     # doctest: +SKIP
    >>> tables.concepts.columns[:3].tolist()        # doctest: +SKIP
    ['concept_id', 'label', 'type']
    """
    outdir = Path(outdir)
    needed = ["papers.csv", "mentions.csv", "concepts.csv", "paper_edges.csv", "clusters.csv"]
    missing = [name for name in needed if not (outdir / name).is_file()]
    if missing:
        raise InputError(f"{outdir}: no map here (missing {', '.join(missing)}); "
                         "run `conceptgraph build` first or give INPUT files")
    strings = {"id": str, "paper_id": str, "concept_id": str, "source": str, "target": str, "title": str}

    def read(name):
        return pd.read_csv(outdir / name, dtype=strings, keep_default_na=False, na_values={"year": [""]})

    papers, mentions, concepts = read("papers.csv"), read("mentions.csv"), read("concepts.csv")
    papers["year"] = pd.to_numeric(papers.get("year"), errors="coerce").astype("Int64")
    concepts["aliases"] = concepts["aliases"].map(_split_list)
    concepts["generic"] = concepts["generic"].astype(str).eq("True")
    report = outdir / "report.json"
    params = json.loads(report.read_text("utf-8")).get("params", {}) if report.is_file() else {}
    return Tables(papers, mentions, concepts, read("paper_edges.csv"), read("clusters.csv"), params)


def analyse_inputs(inputs: Iterable[str | Path] | str | Path | None, *, format=None, encoding=None,
                   model=None, lexicon_paths=(), top_k: int = 10, resolution: float = 1.0, seed: int = 42,
                   cache_dir: str | Path | None = None):
    """Load, extract and analyse inputs in memory; returns ``(Tables, GraphResult)``.

    ``inputs=None`` is the bundled sample corpus; ``cache_dir`` reuses cached extractions.
    """
    from . import graph
    from .extract import load
    from .extract.engine import extract_papers

    papers = load(inputs, format=format, encoding=encoding)
    mentions, concepts = extract_papers(papers, model=model, lexicon_paths=lexicon_paths, cache_dir=cache_dir)
    result = graph.analyse(papers, mentions, concepts, top_k=top_k, resolution=resolution, seed=seed)
    tables = Tables(result.papers, mentions, result.concepts, result.paper_edges, result.clusters,
                    dict(result.params))
    return tables, result


def _tables(inputs, outdir, **options) -> Tables:
    return analyse_inputs(inputs, **options)[0] if inputs else read_build(outdir)


def centrality(inputs=None, outdir: str | Path = DEFAULT_OUTDIR, *, type: str | None = None,
               top: int = 20, by: str = "pagerank", **options) -> pd.DataFrame:
    """The most central concepts, overall or of one type.

    Returns ``rank, concept_id, label, type, n_papers, degree, weighted_degree,
    pagerank, betweenness, eigenvector, cluster_label`` for the ``top`` concepts
    by ``by`` (ties broken by id, so the table is deterministic); ``rank`` is the
    place in this ranking, from 1.

    Examples
    --------
    >>> centrality(type="dataset", top=5)          # doctest: +SKIP
    """
    from .graph import top_concepts

    concepts = _tables(inputs, outdir, **options).concepts
    if type is not None and type not in set(concepts["type"]):
        known = ", ".join(sorted(set(concepts["type"])))
        raise InputError(f"no concept of type {type!r} in this map (types: {known})")
    table = top_concepts(concepts, type=type, n=top, by=by).copy()
    # the place in this ranking (by ``by``, of the type asked, generic concepts left out), from 1
    table["rank"] = range(1, len(table) + 1)
    columns = ["rank", "concept_id", "label", "type", "n_papers", "degree", "weighted_degree", "pagerank",
               "betweenness", "eigenvector", "cluster_label"]
    return table[[c for c in columns if c in table.columns]].reset_index(drop=True)


def clusters(inputs=None, outdir: str | Path = DEFAULT_OUTDIR, **options) -> pd.DataFrame:
    """The paper clusters: ``cluster, size, share, label, top_concepts`` (and years when known).

    Examples
    --------
    >>> clusters()                                 # doctest: +SKIP
    """
    return _tables(inputs, outdir, **options).clusters


def show(query: str, inputs=None, outdir: str | Path = DEFAULT_OUTDIR, *, html: str | Path | None = None,
         **options) -> tuple[str, pd.DataFrame, Path | None]:
    """The neighbourhood of a concept (id, label or alias) or a paper (id or title).

    Returns ``(kind, table, html_path)``: kind is ``"concept"`` or ``"paper"``;
    the table is :func:`conceptgraph.graph.neighbourhood.concept_neighbourhood`'s or
    :func:`~conceptgraph.graph.neighbourhood.paper_neighbourhood`'s; a small map of
    the neighbourhood is written to ``html`` (default ``OUTDIR/show-<id>.html``).

    Examples
    --------
    >>> kind, table, page = show("DenseNet")        # doctest: +SKIP
    """
    from . import viz
    from .graph.neighbourhood import (concept_neighbourhood, find_concept, find_paper,
                                      paper_neighbourhood)

    tables = _tables(inputs, outdir, **options)
    # A paper's id or whole title wins over a concept named the same (titles are often names too).
    concept_id = None if find_paper(tables.papers, query, exact=True) else find_concept(tables.concepts, query)
    if concept_id is not None:
        kind = "concept"
        G, table = concept_neighbourhood(concept_id, tables.papers, tables.mentions, tables.concepts)
        name, view = concept_id, "bipartite"
        row = tables.concepts.loc[tables.concepts["concept_id"] == concept_id].iloc[0]
        subject = {"id": concept_id, "label": row["label"], "type": row["type"],
                   "n_papers": int(row["n_papers"]) if pd.notna(row.get("n_papers")) else None}
    else:
        paper_id = find_paper(tables.papers, query)
        if paper_id is None:
            raise InputError(f"{query!r}: no concept or paper of that name, id or title in this map")
        kind = "paper"
        G, table = paper_neighbourhood(paper_id, tables.papers, tables.mentions, tables.concepts,
                                       tables.paper_edges)
        name, view = paper_id, "papers"
        row = tables.papers.loc[tables.papers["id"] == paper_id].iloc[0]
        subject = {"id": paper_id, "title": row["title"] if pd.notna(row["title"]) else "",
                   "year": int(row["year"]) if pd.notna(row["year"]) else None}
    # what the table is about (the concept's label, or the paper's title), for its heading
    table.attrs["subject"] = subject
    path = None
    if html is not False:
        # Ids are corpus text: only a filesystem-safe digest of them names the file.
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)[:60]
        path = Path(html) if html else prepare_outdir(outdir) / f"show-{kind}-{safe}.html"
        viz.render_html(G, path, title=f"conceptgraph: {query}", view=view)
    return kind, table, path


def trends(inputs=None, outdir: str | Path = DEFAULT_OUTDIR, *, top: int = 10, window: int = 3,
           min_papers: int = 3, s: float = 2.0, gamma: float = 1.0, **options) -> dict:
    """Emerging and fading concepts and Kleinberg bursts (see :mod:`conceptgraph.graph.trends`).

    Returns ``{"years", "emerging", "fading", "bursts"}`` (DataFrames but ``years``).

    Examples
    --------
    >>> report = trends(["papers.bib"], top=5)      # doctest: +SKIP
    """
    from .graph.trends import trends_report

    tables = _tables(inputs, outdir, **options)
    return trends_report(tables.papers, tables.mentions, tables.concepts, top=top, window=window,
                         min_papers=min_papers, s=s, gamma=gamma)


def export(inputs=None, outdir: str | Path = DEFAULT_OUTDIR, *, formats=("graphml", "gexf", "json", "vosviewer"),
           to: str | Path | None = None, **options) -> list[Path]:
    """Write the map's graphs as GraphML, GEXF, node-link JSON, CSV and VOSviewer files.

    For the last build, the map is recomputed from the inputs and parameters
    recorded in its ``report.json``, with its extraction cache (extraction is
    not repeated when the texts are unchanged).

    Examples
    --------
    >>> export(formats=("vosviewer",))              # doctest: +SKIP
    """
    from . import graph

    if not inputs:
        report_path = Path(outdir) / "report.json"
        if not report_path.is_file():
            raise InputError(f"{outdir}: no map here (no report.json); run `conceptgraph build` first "
                             "or give INPUT files")
        recorded = json.loads(report_path.read_text("utf-8"))
        inputs = recorded.get("params", {}).get("inputs")
        options = {**recorded.get("params", {}).get("options", {}), **options}
        options.setdefault("cache_dir", Path(outdir) / ".cache")
    _, result = analyse_inputs(inputs, **options)
    target = prepare_outdir(to or outdir)
    return [Path(p) for p in graph.write_exports(result, target, formats=formats)]


__all__ = ["Tables", "read_build", "analyse_inputs", "centrality", "clusters", "show", "trends", "export"]
