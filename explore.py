"""Questions asked of a map: centrality, clusters, neighbourhoods, trends, exports.

Each function answers either for the last build (the tables ``build`` wrote
into ``outdir``) or, when ``inputs`` are given, for those inputs computed
afresh in memory. The CLI commands ``centrality``, ``clusters``, ``show``,
``trends`` and ``export`` are thin wrappers over them.
"""
from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import outputs
from .extract import InputError
from .pipeline import BUILD_OUTPUTS, DEFAULT_OUTDIR, BuildOptions, prepare_outdir


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


#: Per table of a build: the columns the questions need, and the numeric columns (when present).
_BUILD_TABLES = {
    "papers.csv": (("id", "title"), ("year", "source_line", "n_concepts", "cluster")),
    "mentions.csv": (("paper_id", "concept_id"), ("start", "end")),
    "concepts.csv": (("concept_id", "label", "type", "aliases", "generic"),
                     ("n_papers", "n_mentions", "degree", "weighted_degree", "pagerank", "betweenness",
                      "eigenvector", "rank", "cluster", "first_year", "last_year", "mean_year")),
    "paper_edges.csv": (("source", "target"), ("weight",)),
    "clusters.csv": (("cluster",), ("size", "share", "mean_year", "growth")),
}
_REBUILD = "run `conceptgraph build` again"


def _checked_table(table: pd.DataFrame, path: Path) -> pd.DataFrame:
    """A table read back from a build, or an :class:`InputError` naming the file (and line) that
    was edited or damaged since: a needed column missing, a number column holding text."""
    needed, numeric = _BUILD_TABLES[path.name]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise InputError(f"{path}: not a table of a build (no column {', '.join(missing)}); {_REBUILD}")
    for name in needed:
        table[name] = table[name].fillna("").astype(str)
    for name in (c for c in numeric if c in table.columns):
        values = pd.to_numeric(table[name].replace("", None), errors="coerce")
        bad = values.isna() & table[name].notna() & table[name].astype(str).ne("")
        bad |= values.abs().eq(float("inf"))
        if bad.any():
            row = int(bad.to_numpy().argmax())
            raise InputError(f"{path}:{row + 2}: {name} {table[name].iloc[row]!r} is not a number; {_REBUILD}")
        table[name] = values
    return table


def _read_report(outdir: Path, dir_fd: int | None = None) -> dict:
    """``outdir/report.json`` with its ``params``, or an :class:`InputError` saying it is damaged
    (``FileNotFoundError`` when there is none)."""
    path = outdir / "report.json"
    try:
        opened = os.open("report.json", os.O_RDONLY, dir_fd=dir_fd) if dir_fd is not None else os.open(path, os.O_RDONLY)
        with open(opened, encoding="utf-8") as fh:
            report = json.load(fh)
    except FileNotFoundError:
        raise
    except (ValueError, OSError) as err:
        reason = " ".join(str(getattr(err, "strerror", None) or err).split())
        raise InputError(f"{path}: not a build's report ({reason}); {_REBUILD}") from None
    if not isinstance(report, dict) or not isinstance(report.setdefault("params", {}), dict) or \
            not isinstance(report["params"].get("options", {}), dict) or \
            not all(isinstance(i, str) for i in report["params"].get("inputs") or []):
        raise InputError(f"{path}: not a build's report (no params as a build records them); {_REBUILD}")
    return report


def read_build(outdir: str | Path = DEFAULT_OUTDIR) -> Tables:
    """Read the tables that :func:`conceptgraph.pipeline.build` wrote into ``outdir``.

    A table that is not as ``build`` wrote it (cut short, edited, not UTF-8) is an
    :class:`InputError` naming the file, and the line where one is to blame.

    Examples
    --------
    >>> tables = read_build("conceptgraph-out")     # doctest: +SKIP
    >>> tables.concepts.columns[:3].tolist()        # doctest: +SKIP
    ['concept_id', 'label', 'type']
    """
    outdir = Path(outdir)
    missing = [name for name in _BUILD_TABLES if not (outdir / name).is_file()]
    if missing:
        raise InputError(f"{outdir}: no map here (missing {', '.join(missing)}); "
                         "run `conceptgraph build` first or give INPUT files")
    strings = {"id": str, "paper_id": str, "concept_id": str, "source": str, "target": str, "title": str}
    # Every file is read from the directory opened here: a build switching a new set in
    # meanwhile cannot hand this reader files of two builds.
    folder = os.open(outdir, os.O_RDONLY | os.O_DIRECTORY)

    def read(name):
        try:
            with open(os.open(name, os.O_RDONLY, dir_fd=folder), encoding="utf-8", closefd=True) as fh:
                table = pd.read_csv(fh, dtype=strings, keep_default_na=False, na_values={"year": [""]})
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError) as err:
            reason = " ".join(str(getattr(err, "strerror", None) or err).split())
            raise InputError(f"{outdir / name}: not a table of a build ({reason}); {_REBUILD}") from None
        # the text as it was, without the spreadsheet prefix
        return _checked_table(outputs.unsafe_table(table), outdir / name)

    try:
        papers, mentions, concepts = read("papers.csv"), read("mentions.csv"), read("concepts.csv")
        paper_edges, clusters = read("paper_edges.csv"), read("clusters.csv")
        try:
            params = _read_report(outdir, dir_fd=folder)["params"]
        except FileNotFoundError:
            params = {}
    finally:
        os.close(folder)
    papers["year"] = papers["year"].round().astype("Int64") if "year" in papers else pd.NA
    concepts["aliases"] = concepts["aliases"].map(_split_list)
    concepts["generic"] = concepts["generic"].astype(str).eq("True")
    return Tables(papers, mentions, concepts, paper_edges, clusters, params)


def analyse_inputs(inputs: Iterable[str | Path] | str | Path | None, options: BuildOptions | None = None,
                   **changes):
    """Load, extract and analyse inputs in memory; returns ``(Tables, GraphResult)``.

    ``inputs=None`` is the bundled sample corpus. Of :class:`conceptgraph.pipeline.BuildOptions`
    (``options``, changed by ``changes``) the reading, extraction and graph options apply;
    ``cache_dir`` reuses cached extractions.
    """
    from . import graph
    from .extract import load
    from .extract.engine import extract_papers

    options = dataclasses.replace(options or BuildOptions(), **changes)
    options.check()
    papers = load(inputs, format=options.format, encoding=options.encoding)
    mentions, concepts = extract_papers(papers, model=options.model, lexicon_paths=options.lexicon_paths,
                                        cache_dir=options.cache_dir)
    result = graph.analyse(papers, mentions, concepts, top_k=options.top_k, resolution=options.resolution,
                           seed=options.seed)
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


#: What ``export`` writes for each format (``build`` writes ``graph.graphml`` — the paper
#: graph — and ``concept_graph.graphml`` itself, so GraphML adds the other two graphs only).
# What ``build`` wrote (never rewritten by export), and paper_graph.graphml, which is graph.graphml again.
_LEFT_TO_BUILD = frozenset(BUILD_OUTPUTS) | {"paper_graph.graphml"}


def _recorded_build(outdir: Path) -> tuple[dict, list[str] | None, dict]:
    """The report of the build in ``outdir`` and what recomputing it needs: (report, inputs, options)."""
    report_path = outdir / "report.json"
    try:
        report = _read_report(outdir)
    except FileNotFoundError:
        raise InputError(f"{outdir}: no map here (no report.json); run `conceptgraph build` first "
                         "or give INPUT files") from None
    params = report["params"]
    inputs = params.get("inputs")
    relative = [i for i in inputs or () if not os.path.isabs(i)]
    if relative:
        raise InputError(f"{report_path}: the build recorded its inputs relative to the folder it ran in "
                         f"({relative[0]}); run `conceptgraph build` again to record them in full")
    return report, inputs, dict(params.get("options", {}))


def export(inputs=None, outdir: str | Path = DEFAULT_OUTDIR, *, formats=("graphml", "gexf", "json", "csv", "vosviewer"),
           to: str | Path | None = None, **options) -> list[Path]:
    """Write the map's graphs as GraphML, GEXF, node-link JSON, CSV and VOSviewer files.

    Export only adds files: it never rewrites what ``build`` wrote (``graph.graphml`` is the
    paper graph and ``concept_graph.graphml`` the concept graph already; ``csv`` adds the
    analytics tables build does not write: ``bridges``, ``concept_edges``,
    ``concept_clusters``, ``introductions``, ``citation_edges``). For the last build, the
    map is recomputed from the absolute input paths and the options its ``report.json``
    recorded, with its extraction cache, and checked to be the same papers as the build's
    ``papers.csv`` (else an :class:`InputError`: the inputs changed since). The files
    written are listed in ``export.json`` beside them, so the next build into the folder
    removes them with the map they came from.

    Examples
    --------
    >>> export(formats=("vosviewer",))              # doctest: +SKIP
    """
    from . import graph
    from .graph.export import write_exports

    outdir = Path(outdir)
    unknown = [f for f in formats if f not in graph.export.FORMATS]
    if unknown:
        raise InputError(f"unknown export format {unknown[0]!r}; choose from {', '.join(graph.export.FORMATS)}")
    built = None
    if not inputs:
        built, inputs, recorded = _recorded_build(outdir)
        options = {**recorded, **options}
        options.setdefault("cache_dir", outdir / ".cache")
    tables, result = analyse_inputs(inputs, **options)
    target = prepare_outdir(to or outdir)
    if built is not None:
        papers_then = read_build(outdir).papers["id"]
        if set(papers_then) != set(tables.papers["id"]):
            raise InputError(f"{outdir}: the inputs changed since the build ({len(papers_then)} papers then, "
                             f"{len(tables.papers)} now); run `conceptgraph build` again, then export")
    with outputs.folder_lock(target):
        if built is not None and target.resolve() == outdir.resolve() and \
                json.loads((outdir / "report.json").read_text("utf-8")) != built:
            raise InputError(f"{outdir}: a new build replaced the map meanwhile; run export again")
        written = write_exports(result, target, formats, leave_out=_LEFT_TO_BUILD)
        names = sorted({p.name for p in written} | _listed(target / "export.json"))
        outputs.write_json(target / "export.json", {"outputs": names})
    return written


def _listed(path: Path) -> set[str]:
    try:
        return set(json.loads(path.read_text("utf-8")).get("outputs", []))
    except (OSError, ValueError, AttributeError):
        return set()


__all__ = ["Tables", "read_build", "analyse_inputs", "centrality", "clusters", "show", "trends", "export"]
