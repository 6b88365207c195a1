"""Execution engines around the extractor: streaming, processes, cache, Dask.

The extractor (:mod:`conceptgraph.extract.nlp`) turns papers into mentions in
two steps, and every engine here keeps that split:

1. a *per-paper* step — ``nlp.pipe`` over the papers' texts, each paper's
   mentions depending on its own text only. This is the costly part; it is
   what runs in batches (``batch_size``), in ``jobs`` processes, on Dask
   workers, and what the cache stores;
2. a *corpus* step — abbreviations seen in one abstract resolve mentions in
   the others, and the concepts table counts papers and mentions over the
   corpus. It is cheap (work on the mention rows, no NLP) and runs once, in
   the calling process, over all per-paper rows in corpus order.

Every engine therefore gives exactly the mentions of
``conceptgraph.extract_concepts(papers)`` for any ``batch_size``, ``jobs`` or partitioning.

Engines
-------
:func:`extract_papers`
    local: one process streaming ``nlp.pipe(batch_size=...)``, or ``jobs=N``
    worker processes over chunks of papers (results kept in corpus order),
    with a progress counter on stderr and the extraction cache.
:func:`extract_to_parquet`
    the same, but papers come from an iterator of chunks and mentions go to a
    partitioned Parquet directory as they are made: memory is bounded by the
    chunk, not the corpus (the 1M-abstract case).
:func:`extract_dask`
    per-paper step on a Dask cluster (``scheduler`` address, a ``Client``,
    or a ``LocalCluster`` started for the call), Parquet in and out.
:func:`read_mentions`
    a mentions table from a Parquet file/directory or a CSV file.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from ..outputs import atomic_write, unsafe_table
from .corpus import detect_language
from .corpus_pass import CONCEPT_COLUMNS, MENTION_COLUMNS, CorpusPass, RawChunk
#: Columns of the papers table the extractor reads.
EXTRACT_INPUT_COLUMNS = ["id", "title", "abstract", "lang"]
#: Papers per unit of work sent to a process or a Dask task.
DEFAULT_CHUNK_SIZE = 4096
#: Bump when the cache layout changes.
CACHE_FORMAT = 1

_HERE = Path(__file__).resolve().parent
#: The extractor's data files (lexicon, patterns, layouts), hashed into :func:`extractor_version`.
DATA_DIR = _HERE / "data"

#: Counters for tests and benchmarks (this process only): papers run through the NLP step.
STATS = {"papers_extracted": 0, "cache_hits": 0, "cache_misses": 0}


# --------------------------------------------------------------------------- version

def _file_digest(h, path: Path, name: str) -> None:
    h.update(name.encode() + b"\0")
    h.update(path.read_bytes())
    h.update(b"\0")


@lru_cache(maxsize=8)
def _package_digest(data_dir: str) -> str:
    """Digest of the package's extraction code and data files, taken once per process.

    Once per process on purpose: the code and data a process has loaded do not change
    when the files are edited afterwards, so the digest names what actually runs.
    """
    from .. import __version__
    import spacy

    h = hashlib.sha256()
    h.update(f"conceptgraph {__version__}\0spacy {spacy.__version__}\0cache {CACHE_FORMAT}\0".encode())
    code = [_HERE / "nlp.py", _HERE / "__init__.py", *sorted((_HERE / "components").glob("*.py"))]
    for path in code:
        if path.exists():
            _file_digest(h, path, path.relative_to(_HERE).as_posix())
    data = Path(data_dir)
    for sub in sorted(p for p in data.iterdir() if p.is_dir() and p.name != "sample_corpus"):
        for path in sorted(p for p in sub.rglob("*") if p.is_file()):
            if not path.name.startswith(".") and not path.name.endswith((".tmp", "~", ".swp")):
                _file_digest(h, path, path.relative_to(data).as_posix())
    return h.hexdigest()


def extractor_version(model: str | None = None, lexicon_paths: Iterable = (),
                      config: dict | None = None) -> str:
    """A hash naming the extractor's exact behaviour.

    It covers the package version, the extraction code (``extract/nlp.py`` and
    ``extract/components/*.py``), every data file under ``extract/data``
    (lexicon, patterns, layouts; not the sample corpus), the user's extra
    lexicon files (their content, not their path), the spaCy model name and
    version, and ``config`` (component settings). Any change to one of them
    changes the version, so cached mentions are never reused across it. (Code and
    built-in data are hashed once per process: what the process has loaded.)

    >>> extractor_version() == extractor_version()
    True
    >>> extractor_version(config={"a": 1}) != extractor_version(config={"a": 2})
    True
    """
    h = hashlib.sha256(_package_digest(str(DATA_DIR)).encode())
    for i, path in enumerate(lexicon_paths or ()):
        _file_digest(h, Path(path), f"user-lexicon-{i}")
    if model:
        try:
            from importlib.metadata import version
            model_version = version(model)
        except Exception:  # a path or an uninstalled name: the name is all we know
            model_version = "?"
        h.update(f"model {model} {model_version}\0".encode())
    h.update(json.dumps(config or {}, sort_keys=True, default=str).encode())
    return h.hexdigest()[:24]


def text_hash(title: str, abstract: str, lang: str) -> str:
    """Hash of what the extractor reads of one paper."""
    return hashlib.blake2b(f"{lang}\0{title}\0{abstract}".encode(), digest_size=12).hexdigest()


def corpus_key(papers: pd.DataFrame, version: str) -> str:
    """Cache key of a whole extraction: extractor version + every paper's id and text hash, in order."""
    h = hashlib.sha256(version.encode())
    for pid, title, abstract, lang in zip(papers["id"], papers["title"].fillna(""),
                                          papers["abstract"].fillna(""), papers["lang"].fillna("")):
        h.update(f"{pid}\0{text_hash(title, abstract, lang)}\n".encode())
    return h.hexdigest()[:32]


# --------------------------------------------------------------------------- progress

class Progress:
    """A one-line ``\\r`` counter on stderr, shown only when stderr is a terminal.

    ``listener``, when given, receives the counter's text on every update (the build's
    log lines use it where stderr is not a terminal).

    >>> p = Progress(total=10, enabled=False); p.update(4); p.close(); p.done
    4
    """

    def __init__(self, total: int | None = None, label: str = "extracting", *,
                 enabled: bool | None = None, stream=None, every: float = 0.25, listener=None):
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled, self.total, self.label, self.every = enabled, total, label, every
        self.listener = listener
        self.done, self.start, self._last, self._shown, self._drawn = 0, time.perf_counter(), 0.0, False, -1

    def text(self, now: float) -> str:
        """``4,096/50,000 papers  8% (1,020/s)``"""
        rate = self.done / max(now - self.start, 1e-9)
        of = f"/{self.total:,}" if self.total else ""
        pct = f" {100 * self.done / self.total:3.0f}%" if self.total else ""
        return f"{self.done:,}{of} papers{pct} ({rate:,.0f}/s)"

    def update(self, n: int) -> None:
        self.done += n
        if self.listener is not None:
            self.listener(self.text(time.perf_counter()))
        if self.enabled:
            now = time.perf_counter()
            if now - self._last >= self.every or (self.total and self.done >= self.total):
                self._last = now
                self._draw(now)

    def _draw(self, now: float) -> None:
        self.stream.write(f"\r{self.label}: {self.text(now)} ")
        self.stream.flush()
        self._shown, self._drawn = True, self.done

    def close(self) -> None:
        if self.enabled and self._shown:
            if self._drawn != self.done:
                self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _progress(progress, total: int | None) -> Progress:
    if isinstance(progress, Progress):
        if progress.total is None:
            progress.total = total
        return progress
    # None: shown when stderr is a terminal; True: always; False: never.
    return Progress(total, enabled=None if progress is None else bool(progress))


# --------------------------------------------------------------------------- tables on disk

def _arrow_table(table: pd.DataFrame):
    import pyarrow as pa

    return pa.Table.from_pandas(table, preserve_index=False)


def write_parquet(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a DataFrame to one Parquet file atomically (temporary name, then rename)."""
    import pyarrow.parquet as pq

    return atomic_write(path, lambda tmp: pq.write_table(_arrow_table(table), tmp, compression="zstd"))


def _parts(path: Path) -> list[Path]:
    return sorted(p for p in path.glob("part-*.parquet"))


def _typed_mentions(table: pd.DataFrame) -> pd.DataFrame:
    table = table.reindex(columns=MENTION_COLUMNS)
    for column in ("start", "end"):
        table[column] = table[column].astype("int64")
    for column in ("paper_id", "field", "text", "type", "concept_id"):
        table[column] = table[column].astype(str)  # pandas' default string dtype
    return table.reset_index(drop=True)


def read_mentions(path: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a mentions table written by any engine.

    ``path`` is a partitioned Parquet directory (``part-*.parquet``, as written
    by :func:`extract_to_parquet` and :func:`extract_dask`; a ``mentions/``
    subdirectory is looked into), one Parquet file, or a CSV file
    (``mentions.csv`` of ``build``). Parts are read in name order, which is
    corpus order. Columns: ``paper_id, field, start, end, text, type, concept_id``.
    """
    import pyarrow.parquet as pq

    path = Path(path)
    if path.is_dir():
        if not _parts(path) and (path / "mentions").is_dir():
            path = path / "mentions"
        parts = _parts(path)
        if not parts:
            return _typed_mentions(pd.DataFrame(columns=MENTION_COLUMNS))[columns or MENTION_COLUMNS]
        frames = [pq.read_table(p, columns=columns).to_pandas() for p in parts]
        table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    elif path.suffix == ".parquet":
        table = pq.read_table(path, columns=columns).to_pandas()
    else:
        # keep_default_na=False: a mention may well read "NA" or "null".
        table = pd.read_csv(path, dtype={"start": "int64", "end": "int64"}, keep_default_na=False,
                            na_values=[], usecols=columns)
        table = unsafe_table(table)
    if columns is None:
        return _typed_mentions(table)
    return table.reset_index(drop=True)


def read_extraction(path: str | Path, papers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Mentions and concepts of a partitioned extraction directory, for the papers of ``papers``.

    ``path`` is what ``conceptgraph extract INPUT -o OUT.parquet`` or the Dask engine wrote
    (``mentions/part-*.parquet`` and ``concepts.parquet``); ``papers`` are the same inputs
    loaded again. ``extract`` keeps every record, ``load`` merges duplicates: the mentions
    of merged records are left out and counted, and the concepts' ``n_papers`` and
    ``n_mentions`` are counted again over the mentions kept. Mentions of more unknown papers
    than ``load`` merged mean the extraction was made from other inputs: :class:`InputError`.

    Returns
    -------
    (mentions, concepts, n_left_out) : ``n_left_out`` mentions of merged duplicate records.
    """
    from .readers import InputError

    path = Path(path)
    if not (path / "mentions").is_dir() or not (path / "concepts.parquet").is_file():
        raise InputError(f"{path}: not an extraction directory (mentions/ and concepts.parquet, as written "
                         "by `conceptgraph extract INPUT -o OUT.parquet`)")
    mentions, concepts = read_mentions(path), read_concepts(path)
    unknown = ~mentions["paper_id"].isin(papers["id"].astype(str))
    n_unknown_papers = mentions.loc[unknown, "paper_id"].nunique()
    if n_unknown_papers > papers.attrs.get("load_report", {}).get("merged", 0):
        raise InputError(f"{path}: mentions of {n_unknown_papers} papers that are not in the inputs "
                         f"(e.g. id {mentions.loc[unknown, 'paper_id'].iloc[0]!r}): extract the same inputs")
    if unknown.any():
        mentions = mentions[~unknown].reset_index(drop=True)
        counts = mentions.groupby("concept_id")["paper_id"].agg(["nunique", "size"])
        concepts = concepts[concepts["concept_id"].isin(counts.index)].reset_index(drop=True)
        concepts["n_papers"] = concepts["concept_id"].map(counts["nunique"]).astype("int64")
        concepts["n_mentions"] = concepts["concept_id"].map(counts["size"]).astype("int64")
    return mentions, concepts, int(unknown.sum())


def _read_concepts(path: str | Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    path = Path(path)
    if path.is_dir():
        path = path / "concepts.parquet" if (path / "concepts.parquet").exists() else path.parent / "concepts.parquet"
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pandas()
    return pd.read_csv(path, keep_default_na=False, na_values=[])


# --------------------------------------------------------------------------- the per-paper step

def _input_chunk(chunk) -> pd.DataFrame:
    """The extractor's columns of a chunk of papers; ``id`` and ``lang`` filled in when missing."""
    chunk = chunk if isinstance(chunk, pd.DataFrame) else pd.DataFrame(chunk)
    out = pd.DataFrame(index=range(len(chunk)))
    out["title"] = (chunk["title"].fillna("").astype(str).to_numpy() if "title" in chunk
                    else [""] * len(chunk))
    if "abstract" not in chunk:
        for alias in ("text", "summary"):
            if alias in chunk:
                chunk = chunk.rename(columns={alias: "abstract"})
                break
    out["abstract"] = chunk["abstract"].fillna("").astype(str).to_numpy()
    if "id" in chunk:
        out["id"] = chunk["id"].astype(str).to_numpy()
    else:
        from .corpus import paper_id
        out["id"] = [paper_id(t, a) for t, a in zip(out["title"], out["abstract"])]
    if "lang" in chunk:
        out["lang"] = chunk["lang"].fillna("").astype(str).to_numpy()
    else:
        out["lang"] = [detect_language(t + " " + a) for t, a in zip(out["title"], out["abstract"])]
    return out[EXTRACT_INPUT_COLUMNS]


@dataclass(frozen=True)
class ExtractorSpec:
    """What a process needs to build the extractor (picklable: sent to workers)."""

    model: str | None = None
    #: (absolute path, content) of each extra lexicon file, so remote workers need no shared disk.
    lexicons: tuple = ()
    batch_size: int | None = None  # None: the pipeline's default (nlp.batch_size)

    @classmethod
    def make(cls, model=None, lexicon_paths=(), batch_size=None) -> "ExtractorSpec":
        from .readers import InputError

        lexicons = []
        for p in lexicon_paths or ():
            try:
                lexicons.append((os.path.abspath(p), Path(p).read_bytes()))
            except OSError as err:
                raise InputError(f"{p}: cannot read lexicon file ({err.strerror})") from None
        return cls(model, tuple(lexicons), batch_size)

    def lexicon_paths(self) -> list[str]:
        """Paths of the extra lexicon files on this machine.

        The user's own files where they hold the same bytes (always, but on a remote
        worker without the file); else copies in a private temporary directory of this
        process (``mkdtemp``: never a predictable shared path), removed at exit.
        """
        paths = []
        for path, content in self.lexicons:
            try:
                same = Path(path).read_bytes() == content
            except OSError:
                same = False
            paths.append(path if same else _private_copy(Path(path).name, content))
        return paths
    def version(self) -> str:
        return extractor_version(self.model, self.lexicon_paths(), {"batch_size": None})


_COPIES: dict[bytes, str] = {}


def _private_copy(name: str, content: bytes) -> str:
    """A lexicon file's content in this process's own temporary directory (0700)."""
    digest = hashlib.sha256(content).digest()
    if digest not in _COPIES:
        import atexit

        folder = tempfile.mkdtemp(prefix="conceptgraph-lexicon-")
        atexit.register(shutil.rmtree, folder, True)
        path = Path(folder) / name
        path.write_bytes(content)
        _COPIES[digest] = str(path)
    return _COPIES[digest]


class Extractor:
    """The per-paper step in one process: the spaCy pipeline, built once."""

    def __init__(self, spec: ExtractorSpec, nlp=None):
        from .nlp import build_nlp

        self.spec = spec
        self.nlp = nlp if nlp is not None else build_nlp(model=spec.model,
                                                         lexicon_paths=spec.lexicon_paths())

    def lexicon(self):
        from .nlp import _lexicon_of

        return _lexicon_of(self.nlp)

    def run(self, chunk) -> RawChunk:
        """Mentions of one chunk of papers before the corpus pass, as columns."""
        from .nlp import raw_chunk

        papers = _input_chunk(chunk)
        STATS["papers_extracted"] += len(papers)
        return raw_chunk(papers, self.nlp, self.spec.batch_size)


# Worker-process state: the extractor is built once per process.
_WORKER: Extractor | None = None
# The last extractors built in this process, by spec: building one takes seconds.
_BUILT: dict = {}


def get_extractor(spec: ExtractorSpec) -> Extractor:
    """The extractor for ``spec``, reused when this process built it already (last two kept)."""
    got = _BUILT.get(spec)
    if got is None:
        got = Extractor(spec)
        if len(_BUILT) >= 2:
            _BUILT.pop(next(iter(_BUILT)))
        _BUILT[spec] = got
    return got


def _worker_init(spec: ExtractorSpec) -> None:
    global _WORKER
    if _WORKER is None or _WORKER.spec != spec:
        _WORKER = get_extractor(spec)


def _worker_run(spec: ExtractorSpec, chunk) -> RawChunk:
    _worker_init(spec)
    return _WORKER.run(chunk)


# --------------------------------------------------------------------------- running chunks

def iter_chunks(papers, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[pd.DataFrame]:
    """Chunks of papers from a DataFrame, an iterable of DataFrames/dicts, or a Parquet file/dir of papers."""
    if isinstance(papers, (str, Path)):
        yield from iter_parquet_papers(papers, chunk_size)
    elif isinstance(papers, pd.DataFrame):
        for start in range(0, len(papers), chunk_size):
            yield papers.iloc[start:start + chunk_size]
    else:
        # Re-cut into chunks of exactly chunk_size (the last one shorter): even parts and tasks.
        rest = None
        for chunk in papers:
            chunk = chunk if isinstance(chunk, pd.DataFrame) else pd.DataFrame(chunk)
            if rest is not None and len(rest):
                chunk = pd.concat([rest, chunk], ignore_index=True)
            full = len(chunk) - len(chunk) % chunk_size
            for start in range(0, full, chunk_size):
                yield chunk.iloc[start:start + chunk_size]
            rest = chunk.iloc[full:]
        if rest is not None and len(rest):
            yield rest


def iter_parquet_papers(path: str | Path, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[pd.DataFrame]:
    """Read papers (``id``, ``title``, ``abstract``, ``lang``; only ``abstract`` required) from
    a Parquet file or a directory of them, ``chunk_size`` rows at a time."""
    import pyarrow.parquet as pq

    path = Path(path)
    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    for file in files:
        pf = pq.ParquetFile(file)
        columns = [c for c in pf.schema_arrow.names if c in ("id", "title", "abstract", "text", "summary", "lang")]
        for batch in pf.iter_batches(batch_size=chunk_size, columns=columns):
            yield batch.to_pandas()


def _run_local(chunks: Iterable, spec: ExtractorSpec, jobs: int, extractor: Extractor | None,
               start_method: str | None = None) -> Iterator[RawChunk]:
    """Run the per-paper step over chunks, in this process or ``jobs`` processes; results in input order."""
    if jobs <= 1:
        extractor = extractor or get_extractor(spec)
        for chunk in chunks:
            yield extractor.run(chunk)
        return
    import multiprocessing as mp
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    global _WORKER
    if start_method is None:
        start_method = "fork" if "fork" in mp.get_all_start_methods() and sys.platform == "linux" else "spawn"
    if start_method == "fork" and extractor is not None:
        _WORKER = extractor  # forked workers inherit the built pipeline
    with ProcessPoolExecutor(jobs, mp_context=mp.get_context(start_method), initializer=_worker_init,
                             initargs=(spec,)) as pool:
        pending: deque = deque()
        window = 2 * jobs  # bounded: chunks are read only as fast as workers take them
        for chunk in chunks:
            # ids and languages, when missing, are made in the worker
            pending.append(pool.submit(_worker_run, spec, chunk))
            while len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


#: A file in every cache entry this package made: pruning removes nothing without it.
CACHE_MARKER = "conceptgraph-cache-entry"
_CACHE_MARKER_TEXT = "An extraction cache entry written by conceptgraph; safe to delete.\n"
#: The cache root's tag (https://bford.info/cachedir/): backup tools skip the folder.
_CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# An extraction cache of conceptgraph.\n"


class ExtractionCache:
    """Extraction results stored on disk, keyed by :func:`corpus_key` (texts + extractor version).

    Each entry is a directory ``extract-KEY`` with ``mentions.parquet``,
    ``concepts.parquet``, ``meta.json`` and the marker file :data:`CACHE_MARKER`,
    written to a temporary name and renamed, so a killed run never leaves a half
    entry. The ``keep`` most recently used entries are kept; pruning only ever
    removes directories holding the marker (``--cache-dir`` may point at a folder
    with other things in it). Builds running at once may put the same entry: the
    first rename wins and the others drop their identical copy.
    """

    def __init__(self, root: str | Path, keep: int = 4):
        self.root = Path(root)
        self.keep = keep

    def _dir(self, key: str) -> Path:
        return self.root / f"extract-{key}"

    @staticmethod
    def _ours(entry: Path) -> bool:
        try:
            return (entry / CACHE_MARKER).read_text("utf-8") == _CACHE_MARKER_TEXT
        except (OSError, UnicodeDecodeError):
            return False

    def get(self, key: str):
        entry = self._dir(key)
        if not (entry / "meta.json").exists() or not self._ours(entry):
            return None
        try:
            mentions = read_mentions(entry / "mentions.parquet")
            concepts = read_concepts(entry / "concepts.parquet")
            os.utime(entry)
        except Exception:  # unreadable or just pruned by another run: extract again
            return None
        return mentions, concepts

    def put(self, key: str, mentions: pd.DataFrame, concepts: pd.DataFrame, meta: dict) -> Path:
        """Store an entry; an ``OutputError`` names the path that could not be written."""
        from ..outputs import OutputError

        entry = self._dir(key)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            tag = self.root / "CACHEDIR.TAG"
            if not tag.exists():
                atomic_write(tag, lambda tmp: tmp.write_text(_CACHEDIR_TAG, encoding="utf-8"))
            tmp = Path(tempfile.mkdtemp(prefix=f".extract-{key}.", dir=self.root))
        except OSError as err:
            raise OutputError(f"{self.root}: cannot write the extraction cache ({err.strerror})") from None
        try:
            write_parquet(mentions, tmp / "mentions.parquet")
            write_parquet(concepts, tmp / "concepts.parquet")
            try:
                (tmp / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True))
                (tmp / CACHE_MARKER).write_text(_CACHE_MARKER_TEXT, encoding="utf-8")
            except OSError as err:
                raise OutputError(f"{tmp}: cannot write the extraction cache ({err.strerror})") from None
            if entry.exists() and not (self._ours(entry) and (entry / "meta.json").exists()):
                if self._ours(entry):  # a broken entry of ours: replaced
                    shutil.rmtree(entry, ignore_errors=True)
            try:
                os.rename(tmp, entry)
            except OSError as err:
                # Another run stored the same key (same texts, same extractor) first: keep theirs.
                if not entry.is_dir():
                    raise OutputError(f"{entry}: cannot write the extraction cache ({err.strerror})") from None
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        self.prune()
        return entry

    def prune(self) -> None:
        """Remove the least recently used entries beyond ``keep``: only entries with our marker."""
        entries = []
        for path in self.root.glob("extract-*"):
            try:
                if path.is_dir() and not path.is_symlink() and self._ours(path):
                    entries.append((path.stat().st_mtime, path.name, path))
            except FileNotFoundError:  # pruned by another run meanwhile
                continue
        for _, _, old in sorted(entries, reverse=True)[self.keep:]:
            shutil.rmtree(old, ignore_errors=True)


def _fix_lists(concepts: pd.DataFrame) -> pd.DataFrame:
    if "aliases" in concepts and len(concepts):
        concepts["aliases"] = [list(a) if not isinstance(a, list) else a for a in concepts["aliases"]]
    return concepts


def read_concepts(path: str | Path) -> pd.DataFrame:
    """The concepts table next to partitioned mentions (``concepts.parquet``), a Parquet file or a CSV."""
    return _fix_lists(_read_concepts(path))


def extract_papers(papers: pd.DataFrame, *, model: str | None = None, lexicon_paths=(), nlp=None,
                   batch_size: int | None = None, jobs: int = 1, chunk_size: int | None = None,
                   progress=None, cache_dir: str | Path | None = None, engine: str = "local",
                   scheduler=None, start_method: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``conceptgraph.extract_concepts(papers)`` streamed in batches, in ``jobs`` processes, with a cache.

    Parameters
    ----------
    papers : the papers table of :func:`conceptgraph.load` (``id, title, abstract, lang``).
    model, lexicon_paths : see :func:`conceptgraph.extract`.
    nlp : an already built pipeline (used in this process; workers build their own).
    batch_size : documents per ``nlp.pipe`` batch.
    jobs : worker processes (1: this process only).
    chunk_size : papers per unit of work (default: 2,048, or fewer so each job gets 4+ chunks).
    progress : None shows a counter on stderr when it is a terminal; False never; True always.
    cache_dir : where cached extractions live (e.g. ``OUTDIR/.cache``); None: no cache.
    engine, scheduler : ``"local"``, or ``"dask"`` with a scheduler address / ``Client``
        (None starts a local cluster); see :func:`extract_dask`.

    Returns
    -------
    (mentions, concepts) exactly as :func:`conceptgraph.extract.nlp.extract_mentions` gives them.
    ``mentions.attrs["extraction"]`` says whether the cache was used, and the key.
    """
    spec = ExtractorSpec.make(model, lexicon_paths, batch_size)
    info = {"cache": "off", "engine": engine, "jobs": jobs, "papers": len(papers)}
    cache = key = None
    if cache_dir is not None:
        cache = ExtractionCache(cache_dir)
        key = corpus_key(papers, spec.version())
        info["key"] = key
        got = cache.get(key)
        if got is not None:
            STATS["cache_hits"] += 1
            mentions, concepts = got
            mentions.attrs["extraction"] = {**info, "cache": "hit"}
            return mentions, concepts
        STATS["cache_misses"] += 1
        info["cache"] = "miss"
    start = time.perf_counter()
    if chunk_size is None:
        chunk_size = max(64, min(2048, -(-len(papers) // (4 * max(jobs, 1)))))
    # Built here for the lexicon of the corpus step; forked workers inherit it.
    extractor = Extractor(spec, nlp) if nlp is not None else get_extractor(spec)
    counter = _progress(progress, len(papers))
    chunks: list[RawChunk] = []
    corpus = CorpusPass(extractor.lexicon())
    try:
        for raw in _run(iter_chunks(papers[EXTRACT_INPUT_COLUMNS], chunk_size), spec, engine=engine,
                        jobs=jobs, scheduler=scheduler, extractor=extractor, start_method=start_method):
            corpus.add(raw)
            chunks.append(raw)
            counter.update(raw.n_papers)
    finally:
        counter.close()
    finished = [corpus.finish_chunk(c, sort=False) for c in chunks]
    del chunks
    mentions = pd.concat(finished, ignore_index=True) if finished else _typed_mentions(
        pd.DataFrame(columns=MENTION_COLUMNS))
    mentions = mentions.sort_values(["paper_id", "field", "start", "end", "type"], kind="mergesort")
    mentions = mentions.reset_index(drop=True)
    concepts = corpus.concepts()
    info["seconds"] = round(time.perf_counter() - start, 3)
    if cache is not None:
        cache.put(key, mentions, concepts, {**info, "version": spec.version(), "created": time.time()})
    mentions.attrs["extraction"] = info
    return mentions, concepts


# --------------------------------------------------------------------------- Dask

import threading as _threading

_WORKER_LOCK = _threading.Lock()


def _dask_task(spec: ExtractorSpec, chunk: pd.DataFrame):
    """Run on a Dask worker: the per-paper step of one partition, with the worker's extractor version."""
    with _WORKER_LOCK:  # one pipeline per worker process, used by one thread at a time
        _worker_init(spec)
        return spec.version(), _WORKER.run(chunk)


def _dask_client(scheduler):
    """(client, owned): a Client for an address, a given Client, or a small LocalCluster for None."""
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        return scheduler, False
    if scheduler is None:
        import logging

        cluster = LocalCluster(n_workers=min(2, os.cpu_count() or 1), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
        client._cg_cluster = cluster
        return client, True
    return Client(scheduler), True


def _run_dask(chunks: Iterable, spec: ExtractorSpec, scheduler) -> Iterator[RawChunk]:
    """The per-paper step of each chunk as a Dask task; results in input order, bounded in flight."""
    from collections import deque

    client, owned = _dask_client(scheduler)
    version = spec.version()
    try:
        window = max(2, 2 * sum(client.nthreads().values()))
        pending: deque = deque()

        def take():
            got_version, raw = pending.popleft().result()
            if got_version != version:
                raise RuntimeError(
                    f"Dask workers run another extractor (version {got_version}, here {version}): install the "
                    "same conceptgraph version (and spaCy/model) on the workers as on the client")
            return raw

        for chunk in chunks:
            pending.append(client.submit(_dask_task, spec, chunk, pure=False))
            while len(pending) >= window:
                yield take()
        while pending:
            yield take()
    finally:
        if owned:
            cluster = getattr(client, "_cg_cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()


def _run(chunks, spec, *, engine: str, jobs: int, scheduler, extractor, start_method=None):
    if engine == "dask":
        return _run_dask(chunks, spec, scheduler)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    return _run_local(chunks, spec, jobs, extractor, start_method)


def extract_dask(papers, out: str | Path | None = None, *, scheduler=None, **options):
    """Extraction with the per-paper step on a Dask cluster.

    Parameters
    ----------
    papers : papers table, iterable of chunks, or a Parquet file/directory of papers.
    out : a directory: mentions go there as partitioned Parquet (see :func:`extract_to_parquet`)
        and a stats dict is returned; None: ``(mentions, concepts)`` DataFrames are returned.
    scheduler : ``"tcp://host:8786"``, a ``distributed.Client``, or None for a local cluster
        of two worker processes.
    options : as for :func:`extract_to_parquet` / :func:`extract_papers`.

    The corpus step runs here, on the client, so results equal the local engine's exactly.
    """
    if out is None:
        return extract_papers(papers, engine="dask", scheduler=scheduler, **options)
    return extract_to_parquet(papers, out, engine="dask", scheduler=scheduler, **options)


# --------------------------------------------------------------------------- partitioned Parquet

def extract_to_parquet(papers, outdir: str | Path, *, model: str | None = None, lexicon_paths=(),
                       batch_size: int | None = None, jobs: int = 1, chunk_size: int = DEFAULT_CHUNK_SIZE,
                       progress=None, total: int | None = None, engine: str = "local", scheduler=None,
                       start_method: str | None = None) -> dict:
    """Extract mentions into a partitioned Parquet directory, holding one chunk at a time.

    Parameters
    ----------
    papers : an iterable of chunks (DataFrames or dicts of lists with ``title``, ``abstract``
        and optionally ``id``, ``lang``: the id is then :func:`~conceptgraph.extract.paper_id`,
        the language detected), a papers DataFrame, or a Parquet file/directory of papers.
        Papers are not de-duplicated here (use :func:`conceptgraph.load` for that).
    outdir : output directory, written as::

            OUTDIR/mentions/part-00000.parquet ...   one part per chunk, in input order;
                                                     within a part sorted by paper_id, field, start
            OUTDIR/concepts.parquet                  the concepts table
            OUTDIR/extract.json                      counts, seconds, extractor version

        :func:`read_mentions` reads it back (``read_mentions(OUTDIR)``).
    jobs, engine, scheduler : ``jobs`` local processes, or ``engine="dask"`` on ``scheduler``.
    chunk_size : papers per part (and per task).
    total : number of papers, when known, for the progress counter.

    Memory: one chunk per worker in flight, plus counts per concept. The per-paper
    step's rows go to ``OUTDIR/.raw`` first; after the last chunk the corpus step
    rewrites each part (resolved abbreviations, merged ids) into ``mentions/``.

    Returns
    -------
    dict with ``papers``, ``mentions``, ``concepts``, ``parts``, ``seconds``, ``version``.
    """
    start = time.perf_counter()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    spec = ExtractorSpec.make(model, lexicon_paths, batch_size)
    extractor = get_extractor(spec)  # the lexicon here; inherited by forked workers
    if total is None and isinstance(papers, pd.DataFrame):
        total = len(papers)
    raw_dir = Path(tempfile.mkdtemp(prefix=".raw-", dir=outdir))
    new_dir = Path(tempfile.mkdtemp(prefix=".mentions-", dir=outdir))
    corpus = CorpusPass(extractor.lexicon())
    counter = _progress(progress, total)
    n_papers = n_parts = 0
    raw_defs = []
    try:
        try:
            for raw in _run(iter_chunks(papers, chunk_size), spec, engine=engine, jobs=jobs,
                            scheduler=scheduler, extractor=extractor, start_method=start_method):
                corpus.add(raw)
                write_parquet(raw.raw, raw_dir / f"part-{n_parts:05d}.parquet")
                raw_defs.append(raw.n_papers)
                n_parts += 1
                n_papers += raw.n_papers
                counter.update(raw.n_papers)
        finally:
            counter.close()
        import pyarrow.parquet as pq

        n_mentions = 0
        for i in range(n_parts):
            raw = pq.read_table(raw_dir / f"part-{i:05d}.parquet").to_pandas()
            final = corpus.finish_chunk(RawChunk(raw, {}, raw_defs[i]))
            n_mentions += len(final)
            write_parquet(final, new_dir / f"part-{i:05d}.parquet")
            (raw_dir / f"part-{i:05d}.parquet").unlink()
        concepts = corpus.concepts()
        write_parquet(concepts, outdir / "concepts.parquet")
        old = outdir / "mentions"
        if old.exists():
            shutil.rmtree(old)
        os.replace(new_dir, old)
    finally:
        shutil.rmtree(raw_dir, ignore_errors=True)
        shutil.rmtree(new_dir, ignore_errors=True)
    stats = {"papers": n_papers, "mentions": n_mentions, "concepts": len(concepts), "parts": n_parts,
             "seconds": round(time.perf_counter() - start, 3), "version": spec.version(),
             "engine": engine, "jobs": jobs if engine == "local" else None}
    (outdir / "extract.json").write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n")
    return stats


def is_parquet(path) -> bool:
    """Whether ``path`` is a Parquet file or a directory holding ``.parquet`` files."""
    if not isinstance(path, (str, Path)):
        return False
    path = Path(path)
    if path.is_dir():
        return any(path.glob("*.parquet"))
    return path.suffix == ".parquet" and path.is_file()
