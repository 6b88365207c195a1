"""The jobs the command line runs, as Python functions.

Each composes the library stages (extract → graph → viz) and writes its
output files atomically; the CLI only parses arguments and prints.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
import contextlib
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import outputs
from .extract import InputError, load
from .extract.engine import (extract_papers, extract_to_parquet, is_parquet, iter_parquet_papers,
                             read_extraction)

DEFAULT_OUTDIR = "conceptgraph-out"

# Documented columns of the tables that `build` writes (README "Output files").
PAPERS_CSV_COLUMNS = ["id", "title", "year", "lang", "source_file", "source_line", "n_concepts",
                      "cluster", "cluster_label", "doi", "abstract"]
MENTIONS_CSV_COLUMNS = ["paper_id", "field", "start", "end", "text", "type", "concept_id"]
CONCEPTS_CSV_COLUMNS = ["concept_id", "label", "type", "aliases", "generic", "n_papers", "n_mentions",
                        "degree", "weighted_degree", "pagerank", "betweenness", "eigenvector", "rank",
                        "cluster", "cluster_label", "first_year", "last_year", "mean_year", "counts_by_year",
                        "in_concept_graph"]
PAPER_EDGES_CSV_COLUMNS = ["source", "target", "weight", "kind", "shared_concepts"]
#: Node attributes of the paper graph that ``graph.graphml`` leaves out (``papers.csv`` has them).
GRAPHML_LEFT_OUT = ("abstract",)
#: The files of one build (README "Output files"), switched into OUTDIR together.
BUILD_OUTPUTS = ("papers.csv", "mentions.csv", "concepts.csv", "paper_edges.csv", "clusters.csv",
                 "graph.graphml", "concept_graph.graphml", "graph.html", "report.json")


OutputError = outputs.OutputError


@dataclass
class BuildResult:
    """What :func:`build` made: the tables, the graphs and where the files are."""

    outdir: Path
    papers: pd.DataFrame
    mentions: pd.DataFrame
    concepts: pd.DataFrame
    graphs: object  # conceptgraph.graph.GraphResult
    report: dict
    files: list[Path] = field(default_factory=list)
    #: how extraction ran: ``cache`` ("hit", "miss" or "off"), ``engine``, ``jobs``, ``seconds``.
    extraction: dict = field(default_factory=dict)


def prepare_outdir(outdir: str | Path) -> Path:
    """Create the output directory and check that it can be written."""
    outdir = Path(outdir)
    outputs.check_writable(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{outdir}: cannot create output directory ({err.strerror})") from None
    return outdir


class StageLog:
    """Log lines on stderr for a job whose stderr is not a terminal (a log file, a batch job).

    A line at least every ``every`` seconds while a stage runs (with the stage's own
    counter when it has one: :meth:`status`), and one when it ends. (None when it starts:
    an input error of the first stage stays the run's only line.)

    >>> import io
    >>> log = StageLog(stream=io.StringIO(), every=10.0)
    >>> with log.stage("graph"):
    ...     log.status("3 papers")
    >>> log.stream.getvalue().split(" in ")[0]
    'conceptgraph: graph done'
    """

    def __init__(self, stream=None, every: float = 10.0):
        self.stream = stream if stream is not None else sys.stderr
        self.every = every
        self.name, self.detail, self.started = "", "", 0.0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = None

    def _write(self, text: str) -> None:
        with self._lock:
            self.stream.write(f"conceptgraph: {text}\n")
            self.stream.flush()

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            elapsed = time.perf_counter() - self.started
            self._write(f"{self.name}: {self.detail or 'working'} ({elapsed:.0f} s)")

    def status(self, detail: str) -> None:
        """The current stage's progress, shown in its next log line."""
        self.detail = detail

    @contextlib.contextmanager
    def stage(self, name: str):
        self.name, self.detail, self.started = name, "", time.perf_counter()
        self._stop.clear()
        self._thread = threading.Thread(target=self._beat, name="conceptgraph-log", daemon=True)
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()
        self._write(f"{name} done in {time.perf_counter() - self.started:.1f} s"
                    + (f" ({self.detail})" if self.detail else ""))


class _NoLog:
    """A :class:`StageLog` that says nothing (stderr is a terminal, or ``progress=False``)."""

    def status(self, detail: str) -> None:
        pass

    @contextlib.contextmanager
    def stage(self, name: str):
        yield self


def _stage_log(progress) -> StageLog | _NoLog:
    if progress is False:
        return _NoLog()
    isatty = getattr(sys.stderr, "isatty", None)
    return StageLog() if progress is True or not (isatty and isatty()) else _NoLog()


@dataclass(frozen=True)
class BuildOptions:
    """The options of one build, in one object (the CLI's options; ``report.json`` records them).

    Reading: ``format``, ``encoding`` (see :func:`conceptgraph.load`). Extraction: ``model``,
    ``lexicon_paths`` (see :func:`conceptgraph.extract`); ``jobs`` processes (extraction and the
    graph stage; None: :func:`default_jobs`, the usable cores from 2,000 papers on — the outputs are
    the same for any number), ``engine``/``scheduler`` (``"local"``, or ``"dask"`` on that address),
    ``cache``/``cache_dir`` (reuse extraction results of the same texts, default ``OUTDIR/.cache``),
    ``mentions_from`` (read the mentions from a partitioned directory written by
    ``conceptgraph extract INPUT -o OUT.parquet`` instead of extracting). Graph: ``top_k``,
    ``resolution``, ``seed`` (see :func:`conceptgraph.graph.analyse`). Page: ``max_nodes``,
    ``view`` (``papers``, ``concepts`` or ``bipartite``), ``colour_by`` (``cluster`` or ``year``).
    ``progress``: None: a counter on a terminal, else log lines; True: log lines; False: nothing.

    >>> BuildOptions(top_k=0).check()
    Traceback (most recent call last):
    ...
    conceptgraph.extract.readers.InputError: --top-k must be 1 or more, not 0
    >>> BuildOptions().map_options()["top_k"]
    10
    """

    format: str | None = None
    encoding: str | None = None
    model: str | None = None
    lexicon_paths: tuple = ()
    jobs: int | None = None
    engine: str = "local"
    scheduler: object = None
    cache: bool = True
    cache_dir: str | Path | None = None
    mentions_from: str | Path | None = None
    top_k: int = 10
    resolution: float = 1.5
    seed: int = 42
    max_nodes: int | None = None
    view: str = "papers"
    colour_by: str = "cluster"
    progress: bool | None = None

    #: What decides the map's content: recorded in ``report.json``, what ``export`` recomputes with.
    MAP_FIELDS = ("format", "encoding", "model", "lexicon_paths", "top_k", "resolution", "seed")

    def map_options(self) -> dict:
        """The options that decide the map's content (:attr:`MAP_FIELDS`), as a dict."""
        return {name: getattr(self, name) for name in self.MAP_FIELDS}

    def check(self) -> None:
        """Raise :class:`InputError` (one line) for an option that would fail later, before any work."""
        import codecs
        import importlib.util

        if self.top_k < 1:
            raise InputError(f"--top-k must be 1 or more, not {self.top_k}")
        if not self.resolution > 0:
            raise InputError(f"--resolution must be above 0, not {self.resolution}")
        if self.max_nodes is not None and self.max_nodes < 1:
            raise InputError(f"--max-nodes must be 1 or more, not {self.max_nodes}")
        if self.jobs is not None and self.jobs < 1:
            raise InputError(f"--jobs must be 1 or more, not {self.jobs}")
        if self.encoding:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise InputError(f"--encoding {self.encoding}: no such text encoding "
                                 "(e.g. utf-8, latin-1, cp1252)") from None
        if self.model and not Path(self.model).exists():
            try:
                found = importlib.util.find_spec(self.model) is not None
            except (ImportError, ValueError):
                found = False
            if not found:
                raise InputError(f"--model {self.model}: no installed spaCy model of that name (nothing is "
                                 "downloaded: install the package yourself, or leave --model out for the "
                                 "built-in pipeline)")
        if self.lexicon_paths:
            from .extract.components._resources import Lexicon

            Lexicon.load(self.lexicon_paths)  # a lexicon file is user input: its errors name file and line


#: From this many papers on, ``jobs=None`` runs as many processes as there are usable cores;
#: below it, starting worker processes (each loads the pipeline) costs more than they save.
AUTO_JOBS_MIN_PAPERS = 2_000


def default_jobs(n_papers: int | None) -> int:
    """The processes ``jobs=None`` means: the cores this process may use (``os.sched_getaffinity``)
    for :data:`AUTO_JOBS_MIN_PAPERS` papers or more (or an unknown number), else 1.

    The outputs are the same for any number of processes, so this only decides the speed.

    >>> default_jobs(10)
    1
    """
    if n_papers is not None and n_papers < AUTO_JOBS_MIN_PAPERS:
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _absolute_inputs(inputs: list[str] | None) -> list[str] | None:
    """The inputs as absolute paths (globs too), so a later command finds them from any directory."""
    if inputs is None:
        return None
    return [os.path.abspath(os.path.expanduser(i)) for i in inputs]


def _write_tables(staged: outputs.OutputSet, tables: list, parallel: bool) -> list:
    """Write ``(name, table)`` pairs as CSV into the staging folder: futures of the paths written,
    in a second process when ``parallel``, else here and now (in this order, either way)."""
    from .graph import side_tasks

    return side_tasks([(outputs.write_csv, (staged.path(name), table)) for name, table in tables], parallel)


def _columns(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return table[[c for c in columns if c in table.columns]]


def build(inputs: Iterable[str | Path] | str | Path | None = None,
          outdir: str | Path = DEFAULT_OUTDIR, options: BuildOptions | None = None, **changes) -> BuildResult:
    """Map a corpus: read, extract concepts, build graphs and analytics, render the map.

    Parameters
    ----------
    inputs : files, directories or globs; None maps the bundled sample corpus.
    outdir : where the output files go (created). The whole set is written beside it and
        switched in at once (see :class:`conceptgraph.outputs.OutputSet`): the previous
        build's files are replaced, other files in ``outdir`` kept.
    options : a :class:`BuildOptions` (default: its defaults).
    **changes : fields of :class:`BuildOptions` to change (``top_k=5``), for short calls.

    Returns
    -------
    BuildResult with the tables, the graphs, ``report`` (the content of
    ``report.json``) and the list of files written.

    Examples
    --------
    >>> from conceptgraph.pipeline import BuildOptions, build
    >>> result = build(outdir="conceptgraph-out")                         # doctest: +SKIP
    >>> result = build(["refs.ris"], "out", BuildOptions(top_k=5, jobs=2))  # doctest: +SKIP
    >>> sorted(p.name for p in result.files)[:3]                          # doctest: +SKIP
    ['clusters.csv', 'concepts.csv', 'graph.graphml']
    """
    options = dataclasses.replace(options or BuildOptions(), **changes)
    options.check()
    log = _stage_log(options.progress)
    note = None if options.progress is False else (lambda text: print(f"conceptgraph: {text}", file=sys.stderr))
    with outputs.OutputSet(outdir, BUILD_OUTPUTS, note=note) as staged:
        result = _build(staged, log, inputs, options)
        with log.stage("switching the new files into place"):
            result.files = staged.commit(p.name for p in result.files)
    return result


def _extraction_progress(progress, log):
    """What the extraction counter does: feed the stage log when there is one, else the terminal counter."""
    if isinstance(log, StageLog):
        from .extract.engine import Progress

        return Progress(enabled=False, listener=log.status)
    return progress


def _build(staged: outputs.OutputSet, log, inputs, options: BuildOptions) -> BuildResult:
    from . import graph as cg_graph
    from . import viz
    from .graph.trends import year_coverage

    outdir = staged.outdir
    # Listed once: the report names them, and an iterator could be read only once.
    input_names = None if inputs is None else [str(i) for i in (
        [inputs] if isinstance(inputs, (str, Path)) else inputs)]
    timings = {}
    start = time.perf_counter()
    with log.stage("reading inputs"):
        papers = load(input_names, format=options.format, encoding=options.encoding)
        log.status(f"{len(papers):,} papers")
    timings["load"] = time.perf_counter() - start
    jobs = default_jobs(len(papers)) if options.jobs is None else options.jobs

    start = time.perf_counter()
    with log.stage("extracting concepts"):
        if options.mentions_from is not None:
            mentions, concepts, left_out = read_extraction(options.mentions_from, papers)
            extraction = {"cache": "off", "engine": "read", "path": str(options.mentions_from),
                          "mentions_of_merged_duplicates_left_out": left_out}
        else:
            cache_dir = (Path(options.cache_dir) if options.cache_dir else outdir / ".cache") \
                if options.cache else None
            mentions, concepts = extract_papers(
                papers, model=options.model, lexicon_paths=options.lexicon_paths, jobs=jobs,
                progress=_extraction_progress(options.progress, log), cache_dir=cache_dir,
                engine=options.engine, scheduler=options.scheduler)
            extraction = mentions.attrs.pop("extraction", {})
        log.status(f"{len(mentions):,} mentions of {len(concepts):,} concepts")
    timings["extract"] = time.perf_counter() - start
    # With 2 jobs or more the tables are written in a second process while this one builds the graphs
    # and writes them; mentions.csv needs only the extraction, so it is written during the graph stage.
    parallel = jobs >= 2 and len(papers) >= cg_graph.PARALLEL_MIN_PAPERS
    mention_table = [("mentions.csv", _columns(mentions, MENTIONS_CSV_COLUMNS))]
    pending = _write_tables(staged, mention_table, parallel) if parallel else []

    start = time.perf_counter()
    with log.stage("building graphs and analytics"):
        graphs = cg_graph.analyse(papers, mentions, concepts, top_k=options.top_k,
                                  resolution=options.resolution, seed=options.seed, jobs=jobs)
    timings["graph"] = time.perf_counter() - start

    start = time.perf_counter()
    with log.stage("writing tables and graphs"):
        tables = [("papers.csv", _columns(graphs.papers, PAPERS_CSV_COLUMNS))] + ([] if parallel else mention_table) \
            + [("concepts.csv", _columns(graphs.concepts, CONCEPTS_CSV_COLUMNS)),
               ("paper_edges.csv", _columns(graphs.paper_edges, PAPER_EDGES_CSV_COLUMNS)),
               ("clusters.csv", graphs.clusters)]
        pending += _write_tables(staged, tables, parallel)
        graph_files = []
        # The paper map as graph.graphml, the concept map beside it; `conceptgraph export` writes the rest.
        # The abstracts stay in papers.csv: in the paper map they were a third of a 50,000-paper build's output.
        for name, G, leave_out in (("graph.graphml", graphs.paper_graph, GRAPHML_LEFT_OUT),
                                   ("concept_graph.graphml", graphs.concept_graph, ())):
            log.status(name)
            graph_files.append(outputs.write_graphml(G, staged.path(name), leave_out=leave_out))
        log.status("tables")
        files = [future.result() for future in pending] + graph_files
    timings["write_tables"] = time.perf_counter() - start

    start = time.perf_counter()
    with log.stage("drawing the map"):
        html_path = staged.path("graph.html")
        cap = {"max_nodes": options.max_nodes} if options.max_nodes else {}  # else the viz stage's default cap
        viz.render_html({"papers": graphs.paper_graph, "concepts": graphs.concept_graph,
                         "bipartite": graphs.bipartite}, html_path, title="conceptgraph map",
                        view=options.view, colour_by=options.colour_by, seed=options.seed, **cap)
        files.append(html_path)
    timings["render"] = time.perf_counter() - start

    load_report = papers.attrs["load_report"]
    report = {
        "inputs": input_names or ["<bundled sample corpus>"],
        "records": {k: load_report[k] for k in ("read", "kept", "merged", "skipped")},
        # Records whose year is absent / given but holds no year ("in press", "n.d.").
        "years_missing": load_report.get("years_missing", 0),
        "years_malformed": load_report.get("years_malformed", 0),
        "files": load_report["files"],
        # Files found in a directory or by a pattern that could not be read, with the reason.
        "files_skipped": load_report.get("files_skipped", []),
        "papers": len(papers),
        "papers_by_lang": papers["lang"].value_counts().sort_index().to_dict(),
        "papers_without_concepts": int((graphs.papers["n_concepts"] == 0).sum()),
        "mentions": len(mentions),
        "concepts": len(concepts),
        "concepts_by_type": concepts["type"].value_counts().sort_index().to_dict(),
        "paper_edges": graphs.paper_edges["kind"].value_counts().sort_index().to_dict(),
        # Reference entries in the input, and how many named a paper of this corpus.
        "references": {"given": int(graphs.papers["n_references"].sum()),
                       "matched": int(graphs.papers["n_references_matched"].sum())},
        "clusters": int((graphs.clusters["cluster"] >= 0).sum()),
        # How the graphs were pruned and measured (concept graph, clusters, inferred citations).
        "graph": graphs.report,
        "clusters_5plus": int(((graphs.clusters["size"] >= 5) & (graphs.clusters["cluster"] >= 0)).sum()),
        "years": year_coverage(papers),
        "outputs": sorted(p.name for p in files) + ["report.json"],
        # What `conceptgraph export` needs to recompute this map (None = the sample corpus): the
        # inputs as absolute paths, so that export reads the same files from any directory.
        "params": {"inputs": _absolute_inputs(input_names),
                   "options": {**options.map_options(),
                               "lexicon_paths": [os.path.abspath(p) for p in options.lexicon_paths]}},
        # Timings differ between runs; every other byte of the outputs is reproducible.
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
    }
    if options.mentions_from is not None:  # extraction was read, not run: from where, and what was left out
        report["mentions_read"] = {"path": str(options.mentions_from),
                                   "merged_duplicates_left_out": extraction["mentions_of_merged_duplicates_left_out"]}
    files.append(outputs.write_json(staged.path("report.json"), report))
    return BuildResult(outdir, graphs.papers, mentions, graphs.concepts, graphs, report, files, extraction)


def extract_file(input: str | Path, output: str | Path, *, format: str | None = None,
                 encoding: str | None = None, model: str | None = None, lexicon_paths=(),
                 jobs: int | None = None, progress: bool | None = None, engine: str = "local",
                 scheduler=None) -> dict:
    """Extract mentions from every record of a file into JSON Lines or partitioned Parquet.

    JSON Lines (any other ``output``): one line per input record (duplicates are not merged):
    ``{"id": ..., "mentions": [{"start", "end", "text", "type", "concept"}]}``,
    offsets into the record's abstract/text field.

    Parquet (``output`` ending in ``.parquet`` or ``/``, or an existing directory): the
    mentions table of every field, partitioned, with ``concepts.parquet`` beside it
    (see :func:`conceptgraph.extract.engine.extract_to_parquet`; read it back with
    :func:`conceptgraph.extract.engine.read_mentions`). Only one chunk of papers is in
    memory at a time when ``input`` is Parquet too (a file or directory of ``.parquet``
    files with ``abstract`` and optionally ``id``, ``title``, ``lang`` columns).

    ``jobs`` processes (None: :func:`default_jobs`), or ``engine="dask"`` on ``scheduler`` (an
    address such as ``tcp://host:8786``; None starts a local cluster), run the extraction.

    Returns the load report (records read, kept, skipped with reasons).

    Examples
    --------
    >>> extract_file("abstracts.jsonl", "mentions.jsonl")   # doctest: +SKIP
    >>> extract_file("papers.parquet", "mentions.parquet", engine="dask",
    ...              scheduler="tcp://10.0.0.5:8786")        # doctest: +SKIP
    """
    output_s = str(output)
    to_parquet = output_s.endswith((".parquet", "/", os.sep)) or Path(output).is_dir()
    if not to_parquet:  # an output that cannot be written is reported before the slow extraction
        prepare_outdir(Path(output).parent)
    if is_parquet(input):
        papers = None
        source = input
    else:
        papers = load(input, format=format, encoding=encoding, merge_duplicates=False)
        source = papers
    jobs = default_jobs(None if papers is None else len(papers)) if jobs is None else jobs
    options = dict(model=model, lexicon_paths=lexicon_paths, jobs=jobs, progress=progress,
                   engine=engine, scheduler=scheduler)
    if to_parquet:
        output = Path(output)
        prepare_outdir(output)
        stats = extract_to_parquet(source, output, **options)
        if papers is not None:
            return papers.attrs["load_report"]
        return {"read": stats["papers"], "kept": stats["papers"], "merged": 0, "skipped": 0, "files": []}
    if papers is None:
        from .extract.engine import _input_chunk
        chunks = [_input_chunk(c) for c in iter_parquet_papers(input)]
        papers = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(
            columns=["id", "title", "abstract", "lang"])
        papers.attrs["load_report"] = {"read": len(papers), "kept": len(papers), "merged": 0, "skipped": 0,
                                       "files": []}
    mentions, _ = extract_papers(papers, **options)
    mentions.attrs.pop("extraction", None)
    in_text = mentions[mentions["field"] == "abstract"]
    by_paper = {pid: group for pid, group in in_text.groupby("paper_id", sort=False)}
    lines = []
    for pid in papers["id"]:
        group = by_paper.get(pid)
        found = [] if group is None else [
            {"start": int(r.start), "end": int(r.end), "text": r.text, "type": r.type,
             "concept": r.concept_id}
            for r in group.sort_values(["start", "end"]).itertuples()]
        lines.append(json.dumps({"id": pid, "mentions": found}, ensure_ascii=False))
    output = Path(output)
    prepare_outdir(output.parent if str(output.parent) else ".")
    outputs.write_text(output, "\n".join(lines) + ("\n" if lines else ""))
    return papers.attrs["load_report"]


__all__ = ["build", "BuildOptions", "extract_file", "default_jobs", "BuildResult", "OutputError", "InputError", "DEFAULT_OUTDIR"]
