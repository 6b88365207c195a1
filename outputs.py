"""Writing output files safely: atomically, and with spreadsheet-safe CSV.

Every file is written to a temporary name in its final directory and renamed
into place, so a build killed at any moment never leaves a half-written file
under a final name; the previous run's file stays until the new one is whole.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd

# Cells starting with these are run as formulas by spreadsheet programs (OWASP
# "CSV injection"); a leading apostrophe makes them plain text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _new_file_mode() -> int:
    # What open() would give a new file; mkstemp's temporary files are 0600.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends, rename it onto ``path``.

    If the block raises, the temporary file is removed and ``path`` is untouched.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("hello")
    >>> out.read_text()
    'hello'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, _new_file_mode())
        os.replace(tmp, path)
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


def spreadsheet_safe(value):
    """A cell value that spreadsheet programs show as text, never run as a formula.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("-0.5"), spreadsheet_safe("BERT")
    ("'=HYPERLINK(1)", '-0.5', 'BERT')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)  # a negative number is data, not a formula
            return value
        except ValueError:
            return "'" + value
    return value


def _cell(value):
    if isinstance(value, (list, tuple, set, np.ndarray)):
        value = "; ".join(str(v) for v in value)
    return spreadsheet_safe(value)


def write_csv(path: str | Path, table: pd.DataFrame) -> Path:
    """Write a DataFrame as UTF-8 CSV atomically; list cells joined with "; "."""
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_cell)
    return atomic_write(path, lambda tmp: safe.to_csv(tmp, index=False, lineterminator="\n"))
