"""Writing output files safely: one consistent set, atomically, and spreadsheet-safe CSV.

A build's files are written into a private staging folder beside the output
folder and switched into place in one step (:class:`OutputSet`), so a build
killed at any moment, or two builds into one folder at once, never leave a
mix of files from different builds. Single files (exports, ``extract``'s
output) are written to a temporary name in their final directory and renamed
(:func:`atomic_path`). A write that fails names the file it was writing.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import gc
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd


class OutputError(Exception):
    """An output cannot be written; the message is one line naming the path."""


def _error_line(path: Path, err: OSError) -> str:
    return f"{path}: cannot write ({err.strerror or err})"


# --------------------------------------------------------------------------- single files

@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a writer makes millions of small objects.

    A writer's strings, tuples and lists hold no reference cycles, so the collector finds nothing
    to free; but every 700 new containers it runs, and its passes walk the tables and graphs of
    the build (writing a 50,000-paper build's concept graph: 3.8 cpu-s with it, 2.4 without).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _new_file_mode() -> int:
    # What open() would give a new file; mkstemp's temporary files are 0600.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends, rename it onto ``path``.

    If the block raises, the temporary file is removed and ``path`` is untouched; an
    ``OSError`` (disk full, permission) becomes :class:`OutputError` naming ``path``.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("hello")
    >>> out.read_text()
    'hello'
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as err:
        raise OutputError(_error_line(path, err)) from None
    tmp = Path(tmp_name)
    try:
        try:
            yield tmp
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.chmod(tmp, _new_file_mode())
            os.replace(tmp, path)
        except OSError as err:
            raise OutputError(_error_line(path, err)) from None
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` inside :func:`atomic_path`; returns ``path``."""
    with atomic_path(path) as tmp:
        write(tmp)
    return Path(path)


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


def write_json(path: str | Path, data) -> Path:
    """Write JSON (sorted keys, indented, UTF-8) atomically."""
    return write_text(path, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")


# --------------------------------------------------------------------------- spreadsheet-safe CSV

# Cells that spreadsheet programs run as formulas (OWASP "CSV injection"): a formula
# sign after any blank or invisible characters (they ignore leading spaces, tabs,
# newlines, zero-width and byte-order marks), or a leading tab or carriage return.
# Apostrophes before such a cell are part of the rule, so that the prefix can be
# removed again without ambiguity (``'=x`` is written ``''=x``).
_INVISIBLE = [(0x09, 0x0D), (0x20, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680), (0x180E, 0x180E),
              (0x2000, 0x200F), (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x2060), (0x3000, 0x3000),
              (0xFEFF, 0xFEFF)]


def _formula_pattern(char) -> str:
    blanks = "".join(char(a) if a == b else f"{char(a)}-{char(b)}" for a, b in _INVISIBLE)
    return f"^'*(?:[{blanks}]*[=+\\-@]|[\\t\\r])"


_FORMULA = re.compile(_formula_pattern(lambda c: f"\\u{c:04x}"))
# The same rule in RE2 syntax, for pyarrow's vectorised matching of whole columns.
_FORMULA_RE2 = _formula_pattern(lambda c: f"\\x{{{c:x}}}")


def _formula_like(values: pd.Series) -> pd.Series:
    """Which cells of a column of strings (or missing values) a spreadsheet would run as formulas.

    Negative numbers are data, not formulas. Matched in pyarrow (RE2), not cell by cell.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        array = pa.chunked_array(values.array.__arrow_array__())  # the column's own Arrow data, not a copy
    else:
        array = pa.array(values.to_numpy(dtype=object, na_value=None), type=pa.large_string())
    hits = pd.Series(pc.match_substring_regex(array, _FORMULA_RE2).fill_null(False).to_numpy(
        zero_copy_only=False), index=values.index)
    if hits.any():
        numbers = pd.to_numeric(values[hits].str.lstrip("'"), errors="coerce").notna()
        hits[numbers[numbers].index] = False
    return hits


def _strings(column: pd.Series) -> pd.Series | None:
    """The column as strings with missing values, or None when it holds other things too."""
    if pd.api.types.is_string_dtype(column) and column.dtype != object:
        return column
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in ("string", "empty"):
        return column
    return None


def spreadsheet_safe(value):
    """A cell value that spreadsheet programs show as text, never run as a formula.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("-0.5"), spreadsheet_safe("BERT")
    ("'=HYPERLINK(1)", '-0.5', 'BERT')
    >>> spreadsheet_safe(" =1"), spreadsheet_safe("\\u200b=1")
    ("' =1", "'\\u200b=1")
    """
    if isinstance(value, str) and _formula_like(pd.Series([value], dtype=object)).iloc[0]:
        return "'" + value
    return value


def _list_cells(column: pd.Series) -> pd.Series:
    is_list = column.map(lambda v: isinstance(v, (list, tuple, set, np.ndarray)))
    if not is_list.any():
        return column
    column = column.copy()
    column[is_list] = column[is_list].map(lambda v: "; ".join(str(x) for x in v))
    return column


def _text_cells(column: pd.Series) -> pd.Series:
    """A column of strings and missing values: as it is, or with every other value as its text."""
    strings = _strings(column)
    if strings is not None:
        return strings
    column = _list_cells(column)
    return column.map(lambda v: v if v is None or isinstance(v, str) or (isinstance(v, float) and v != v)
                      else str(v))


def safe_table(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` as written to CSV: list cells joined with "; ", formula-like cells prefixed with ``'``."""
    safe = {}
    for name in table.columns:
        column = table[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            column = _text_cells(column)
            marked = _formula_like(column)
            if marked.any():
                column = column.copy()
                column[marked] = "'" + column[marked]
        safe[name] = column
    return pd.DataFrame(safe, index=table.index, columns=table.columns)


def unsafe_table(table: pd.DataFrame) -> pd.DataFrame:
    """The inverse of :func:`safe_table`'s prefix: the original text of cells read back from our CSVs.

    >>> unsafe_table(pd.DataFrame({"a": ["'=1", "'x", "''=2"]}))["a"].tolist()
    ['=1', "'x", "'=2"]
    """
    for name in table.columns:
        column = table[name]
        strings = _strings(column) if column.dtype == object or pd.api.types.is_string_dtype(column) else None
        if strings is None:
            continue
        quoted = strings.str.startswith("'").fillna(False).astype(bool)
        if quoted.any():
            marked = _formula_like(strings[quoted].str[1:])
            if marked.any():
                table[name] = column.copy()
                table.loc[marked[marked].index, name] = strings[marked[marked].index].str[1:]
    return table


@gc_paused()
def write_csv(path: str | Path, table: pd.DataFrame) -> Path:
    """Write a DataFrame as spreadsheet-safe UTF-8 CSV atomically (see :func:`safe_table`)."""
    safe = safe_table(table)
    return atomic_write(path, lambda tmp: safe.to_csv(tmp, index=False, lineterminator="\n"))


# --------------------------------------------------------------------------- one set of files

#: Files the output folder keeps between builds that are ours but not a build's output.
_LOCK_WAIT_NOTE = "waiting for another build writing to {path}"
_CARRIED = ".conceptgraph-carried"
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextlib.contextmanager
def folder_lock(path: Path, note: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the directory ``path`` (``flock``), waiting for other holders.

    The lock is on the directory itself, so no lock file is left behind; when a holder
    switched a new directory in under the same name meanwhile, the new one is locked.
    """
    while True:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if note:
                note(_LOCK_WAIT_NOTE.format(path=path))
                note = None
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
        path.mkdir(parents=True, exist_ok=True)
    try:
        yield
    finally:
        os.close(fd)


def _previous_outputs(outdir: Path) -> set[str]:
    """Names of the files the last build and exports of it wrote into ``outdir``."""
    names = set()
    for record in ("report.json", "export.json"):
        try:
            names.update(json.loads((outdir / record).read_text("utf-8")).get("outputs", []))
        except (OSError, ValueError, AttributeError):
            continue
        names.add(record)
    return names


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class OutputSet:
    """The files of one build, written into a staging folder and switched into ``outdir`` at once.

    ``path(name)`` is where a file of the set is written; :meth:`commit` puts the whole
    set in place in one step: the staging folder (a sibling of ``outdir``) takes over
    every other entry of ``outdir`` (user files as hard links, the cache folder by
    rename) and is exchanged with ``outdir`` by one ``renameat2(RENAME_EXCHANGE)``.
    Commits into one folder take turns (:func:`folder_lock`). Where the exchange is
    not available (another OS or file system, an unwritable parent, the current
    directory inside ``outdir``) the files are renamed one by one under the lock,
    ``report.json`` last. :meth:`discard` (or an exception in a ``with`` block)
    removes the staging folder, and ``outdir`` (and its parents) if this set created them and
    they are empty.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with OutputSet(out) as files:
    ...     _ = files.path("a.txt").write_text("a")
    ...     _ = files.commit(["a.txt"])
    >>> sorted(p.name for p in out.iterdir())
    ['a.txt']
    """

    def __init__(self, outdir: str | Path, names: Iterable[str] = (), note: Callable[[str], None] | None = None):
        self.outdir = Path(outdir)
        self.note = note
        # The folders this set creates (outdir and missing parents), removed again if the run fails.
        self.created = [d for d in (self.outdir, *self.outdir.absolute().parents) if not d.exists()]
        check_writable(self.outdir)
        self._check_blocked(names)
        try:
            self.outdir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(f"{self.outdir}: cannot create output directory ({err.strerror})") from None
        parent = self.outdir.resolve().parent
        cwd = Path.cwd().resolve()
        # A symlinked OUTDIR keeps its link: the files are renamed into its target one by one.
        self.exchange = os.access(parent, os.W_OK | os.X_OK) and not self.outdir.is_symlink() and not (
            cwd == self.outdir.resolve() or self.outdir.resolve() in cwd.parents)
        self._where = parent if self.exchange else self.outdir
        self._prefix = f".{self.outdir.resolve().name}.staging-{os.getpid()}-" if self.exchange else \
            f".staging-{os.getpid()}-"
        self._staging = None
        self.committed = False

    @property
    def staging(self) -> Path:
        """The staging folder, made on first use: after the inputs are read, so that a build
        reading the folder it writes beside never meets its own staging folder (whose name
        differs on every run)."""
        if self._staging is None:
            try:
                self._staging = Path(tempfile.mkdtemp(prefix=self._prefix, dir=self._where))
            except OSError as err:
                raise OutputError(_error_line(self._where, err)) from None
        return self._staging

    def _check_blocked(self, names: Iterable[str]) -> None:
        """A directory where a file of the set goes is the user's: refuse rather than replace it."""
        for name in names:
            if (self.outdir / name).is_dir() and not (self.outdir / name).is_symlink():
                raise OutputError(f"{self.outdir / name}: Is a directory (move it away, or choose another -o)")

    def path(self, name: str) -> Path:
        """Where the file ``name`` of this set is written before :meth:`commit`."""
        return self.staging / name

    def _recover(self) -> None:
        """Put back what a killed commit had moved into its staging folder, and remove the folder."""
        stray = self.outdir / _CARRIED
        if stray.exists():
            stray.unlink()
        parent = self._where
        for old in parent.glob(f".{self.outdir.resolve().name}.staging-*") if self.exchange else \
                self.outdir.glob(".staging-*"):
            pid = old.name.split("staging-", 1)[1].split("-", 1)[0]
            if old == self.staging or not pid.isdigit() or _pid_alive(int(pid)):
                continue
            carried = old / _CARRIED
            if carried.is_file():
                for name in carried.read_text("utf-8").splitlines():
                    if (old / name).exists() and not (self.outdir / name).exists():
                        os.rename(old / name, self.outdir / name)
            shutil.rmtree(old, ignore_errors=True)

    def commit(self, names: Iterable[str]) -> list[Path]:
        """Switch the files ``names`` (written at :meth:`path`) into ``outdir`` in one step.

        Files of the previous build (and of exports made from it) that this set does not
        hold disappear with it; every other entry of ``outdir`` is kept.
        """
        names = list(names)
        try:
            with folder_lock(self.outdir, self.note):
                self._check_blocked(names)
                self._recover()
                if self.exchange:
                    self._commit_exchange(names)
                else:
                    self._commit_in_place(names)
        except OSError as err:
            raise OutputError(_error_line(Path(err.filename or self.outdir), err)) from None
        self.committed = True
        return [self.outdir / name for name in names]

    def _commit_exchange(self, names: list[str]) -> None:
        leaving = set(names) | _previous_outputs(self.outdir)
        entries = [e for e in sorted(self.outdir.iterdir()) if e.name not in leaving and e.name != _CARRIED]
        moved = [e.name for e in entries if e.is_dir() and not e.is_symlink()]
        (self.staging / _CARRIED).write_text("".join(f"{n}\n" for n in moved), encoding="utf-8")
        for entry in entries:
            if entry.name in moved:
                continue
            try:
                os.link(entry, self.staging / entry.name, follow_symlinks=False)
            except OSError:  # hard links refused (another owner, file system): a copy
                shutil.copy2(entry, self.staging / entry.name, follow_symlinks=False)
        done, switched = [], False
        try:
            for name in moved:
                os.rename(self.outdir / name, self.staging / name)
                done.append(name)
            os.chmod(self.staging, self.outdir.stat().st_mode & 0o7777)
            switched = _exchange(self.staging, self.outdir)
        finally:
            if not switched:  # the folders moved so far go back where they were
                for name in done:
                    os.rename(self.staging / name, self.outdir / name)
        if not switched:  # no exchange here: one rename per file
            self.exchange = False
            self._commit_in_place(names)
            return
        # The staging name now holds the previous set; the carried list went over with the new one.
        (self.outdir / _CARRIED).unlink()
        shutil.rmtree(self.staging, ignore_errors=True)

    def _commit_in_place(self, names: list[str]) -> None:
        leaving = _previous_outputs(self.outdir) - set(names)
        ordered = sorted(names, key=lambda n: n == "report.json")  # the record of the build last
        for name in ordered:
            os.replace(self.staging / name, self.outdir / name)
        for name in sorted(leaving):
            with contextlib.suppress(FileNotFoundError):
                (self.outdir / name).unlink()
        shutil.rmtree(self.staging, ignore_errors=True)

    def discard(self) -> None:
        """Remove the staging folder (and ``outdir`` when this set created it and it stayed empty)."""
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
        if not self.committed:
            for folder in self.created:
                try:
                    folder.rmdir()  # only when empty
                except OSError:
                    break

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if not self.committed:
            self.discard()


def check_writable(outdir: Path) -> None:
    """Raise :class:`OutputError` unless ``outdir`` is a writable directory or can be created."""
    if outdir.exists():
        if not outdir.is_dir():
            raise OutputError(f"{outdir}: exists and is not a directory")
        if not os.access(outdir, os.W_OK | os.X_OK):
            raise OutputError(f"{outdir}: output directory is not writable")
        return
    ancestor = outdir.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"{outdir}: cannot create output directory ({ancestor} is not a directory)")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"{outdir}: cannot create output directory ({ancestor} is not writable)")


# --------------------------------------------------------------------------- GraphML, streamed

_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})
# Characters XML 1.0 cannot hold at all (corpus text is cleaned of them already; lexicons too).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# A string that needs neither: most ids, kinds and labels, written as they are.
_XML_SPECIAL = re.compile("[&<>\"'\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(value: str) -> str:
    if _XML_SPECIAL.search(value) is None:
        return value
    return _NOT_XML.sub("\ufffd", value).translate(_XML_ESCAPES)


# GraphML type of each Python and numpy scalar type; anything else is written as its string.
_GRAPHML_TYPES = {bool: "boolean", np.bool_: "boolean", int: "long", float: "double", str: "string",
                  **{t: "long" for t in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
                                          np.uint32, np.uint64)},
                  np.float16: "double", np.float32: "double", np.float64: "double"}
_WIDER = {("long", "double"): "double", ("double", "long"): "double"}


_CHUNK = 10_000  # elements formatted and written at a time
#: Above this many different attribute-name sequences in a chunk, its elements are written one by one.
_COLUMN_GROUPS_MAX = 64


def _edge_items(G) -> list:
    """``list(G.edges(data=True))``, in its order, read from the adjacency directly (the edge view's
    generator cost a third of writing a 500,000-edge graph)."""
    if G.is_multigraph():
        return list(G.edges(data=True))
    # the adjacency dicts themselves, as viz.html's capped views read them: the public views
    # (G.adj, G.succ) wrap every item in a Mapping lookup
    if G.is_directed():
        return [(u, v, d) for u, nbrs in G._succ.items() for v, d in nbrs.items()]
    out, seen = [], set()
    for u, nbrs in G._adj.items():
        out.extend([(u, v, d) for v, d in nbrs.items() if v not in seen])
        seen.add(u)
    return out


def _xml_all(values: list) -> list:
    """:func:`_xml` of each string of ``values``: one search of them all when none needs escaping."""
    if _XML_SPECIAL.search("\n".join(values)) is None:
        return values
    return [_xml(v) for v in values]


@gc_paused()
def write_graphml(G, path: str | Path, *, leave_out: Iterable[str] = ()) -> Path:
    """Write a networkx graph as GraphML (what ``networkx.read_graphml`` and Gephi read), atomically.

    Streamed: no XML tree is built, so memory stays flat and a 2.5-million-edge graph
    takes seconds, where networkx's writer without lxml builds the whole tree (about
    190 µs an edge here). Attributes that are None or NaN are left out; one attribute
    with both integer and float values is written as double, with mixed kinds as string.
    Node and edge attributes named in ``leave_out`` are not written (``build`` leaves the
    abstracts out of ``graph.graphml``: ``papers.csv`` has them, joined on the node id).

    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.Graph(); G.add_edge("a", "b<", weight=0.5); G.nodes["a"]["label"] = "A & B"
    >>> path = write_graphml(G, pathlib.Path(tempfile.mkdtemp()) / "g.graphml")
    >>> H = nx.read_graphml(path); H.nodes["a"]["label"], H.edges["a", "b<"]["weight"]
    ('A & B', 0.5)
    """
    keys: dict[tuple[str, str], str] = {}  # (domain, name) -> type
    leave_out = frozenset(leave_out)

    def scan(domain, items):
        # The attribute names and value types of each element, once per distinct combination (most
        # elements share one): pairs in order of first appearance, as element by element would give.
        signatures: dict[tuple, None] = {}
        for data in items:
            signatures[(tuple(data), tuple(map(type, data.values())))] = None
        seen: dict[tuple[str, type], None] = {}
        for names, types in signatures:
            for name, kind in zip(names, types):
                if kind is not type(None):
                    seen[(name, kind)] = None
        for name, kind in seen:
            if name in leave_out and domain != "graph":
                continue
            kind = _GRAPHML_TYPES.get(kind, "string")
            known = keys.get((domain, name))
            keys[(domain, name)] = kind if known in (None, kind) else _WIDER.get((known, kind), "string")

    graph_data = {k: v for k, v in G.graph.items() if isinstance(v, (str, int, float, bool))}
    node_items = list(G.nodes(data=True))
    edge_items = _edge_items(G)
    scan("graph", [graph_data])
    scan("node", (d for _, d in node_items))
    scan("edge", (d for _, _, d in edge_items))
    ids = {key: f"d{i}" for i, key in enumerate(keys)}

    def formats(domain, indent):
        """name -> (the line's start, GraphML type) of each written attribute of ``domain``."""
        return {name: (f'{indent}<data key="{ids[d, name]}">', kind) for (d, name), kind in keys.items()
                if d == domain}

    def text(value, kind):
        """An attribute value as written in a key of GraphML type ``kind``; None for NaN."""
        if kind == "string":
            return _xml(value) if type(value) is str else _xml(str(value))
        if kind == "double":
            value = float(value)
            return None if value != value else repr(value)
        if kind == "long":
            return str(int(value))
        return "true" if value else "false"

    def data_lines(data, fmt):
        out = []
        for name, value in data.items():
            if value is None:
                continue
            spec = fmt.get(name)
            if spec is None:
                continue
            written = text(value, spec[1])
            if written is not None:
                out.append(f"{spec[0]}{written}</data>\n")
        return "".join(out)

    def same_names_lines(names, datas, fmt):
        """``data_lines`` of elements whose attributes all have ``names`` in that order, column by column."""
        columns = []
        for name in names:
            spec = fmt.get(name)
            if spec is None:
                continue
            head, kind = spec
            values = [d[name] for d in datas]
            if kind == "double" and all(type(v) is float for v in values):
                columns.append([f"{head}{v!r}</data>\n" if v == v else "" for v in values])
            elif kind == "string" and all(type(v) is str for v in values):
                columns.append([f"{head}{v}</data>\n" for v in _xml_all(values)])
            else:
                written = [None if v is None else text(v, kind) for v in values]
                columns.append(["" if w is None else f"{head}{w}</data>\n" for w in written])
        if not columns:
            return [""] * len(datas)
        return list(map("".join, zip(*columns)))

    def chunk_lines(datas, fmt):
        """``data_lines`` of each of ``datas``, formatted column by column per set of attribute names."""
        groups: dict[tuple, list[int]] = {}
        for k, d in enumerate(datas):
            groups.setdefault(tuple(d), []).append(k)
        if len(groups) > _COLUMN_GROUPS_MAX:
            return [data_lines(d, fmt) for d in datas]
        if len(groups) == 1:
            return same_names_lines(next(iter(groups)), datas, fmt)
        out = [""] * len(datas)
        for names, ks in groups.items():
            for k, line in zip(ks, same_names_lines(names, [datas[k] for k in ks], fmt)):
                out[k] = line
        return out

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("<?xml version='1.0' encoding='utf-8'?>\n"
                     '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                     'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                     'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                     'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
            for (domain, name), kind in keys.items():
                fh.write(f'  <key id="{ids[(domain, name)]}" for="{domain}" attr.name="{_xml(name)}" '
                         f'attr.type="{kind}" />\n')
            fh.write(f'  <graph edgedefault="{"directed" if G.is_directed() else "undirected"}">\n')
            fh.write(data_lines(graph_data, formats("graph", "    ")))
            node_fmt, edge_fmt = formats("node", "      "), formats("edge", "      ")
            # 10,000 elements at a time: their data lines column by column, then written
            for start in range(0, len(node_items), _CHUNK):
                chunk = node_items[start:start + _CHUNK]
                lines = chunk_lines([d for _, d in chunk], node_fmt)
                names = _xml_all([str(node) for node, _ in chunk])
                fh.write("".join([f'    <node id="{node}">\n{body}    </node>\n'
                                  for node, body in zip(names, lines)]))
            for start in range(0, len(edge_items), _CHUNK):
                chunk = edge_items[start:start + _CHUNK]
                lines = chunk_lines([d for _, _, d in chunk], edge_fmt)
                sources = _xml_all([str(u) for u, _, _ in chunk])
                targets = _xml_all([str(v) for _, v, _ in chunk])
                fh.write("".join([f'    <edge source="{u}" target="{v}">\n{body}    </edge>\n'
                                  for u, v, body in zip(sources, targets, lines)]))
            fh.write("  </graph>\n</graphml>\n")

    return atomic_write(path, write)
