"""Bytes of a file to text: gzip streamed with a size cap, encodings told apart, binaries refused.

Memory stays bounded by the input: a file (or what a ``.gz`` decompresses to)
larger than :data:`MAX_FILE_BYTES`, or with more than :data:`MAX_LINES` lines,
is refused as soon as that is known, before it is held whole.
"""
from __future__ import annotations

import zlib
from pathlib import Path

from .core import InputError, one_line

MAX_FILE_BYTES = 1 << 30  # 1 GiB of text: about a million abstracts
MAX_LINES = 20_000_000
_CHUNK = 1 << 20

_HOW_TO_GET_ABSTRACTS = ("conceptgraph reads exports with abstracts: in Zotero select the items and use "
                         "File > Export Library (RIS or BibTeX), or use your database's export button "
                         "(Web of Science, Scopus, PubMed, IEEE Xplore) with abstracts included")
_SAVE_AS_CSV = "save it as CSV (File > Save As > CSV UTF-8) and read that file"
# Formats that are no text of abstracts: what the file is, and what to do instead.
_MAGIC = {b"%PDF": f"a PDF document, not a text file of abstracts; {_HOW_TO_GET_ABSTRACTS}",
          b"\xd0\xcf\x11\xe0": f"an Office document (e.g. an old .xls workbook), not text; {_SAVE_AS_CSV}",
          b"\x89PNG": "a PNG image, not a text file of abstracts",
          b"\xff\xd8\xff": "a JPEG image, not a text file of abstracts",
          b"GIF8": "a GIF image, not a text file of abstracts",
          b"\x7fELF": "an executable, not a text file of abstracts"}
_ZIP_MEMBERS = {b"xl/": f"an Excel workbook, not text; {_SAVE_AS_CSV}",
                b"word/": f"a Word document, not a text file of abstracts; {_HOW_TO_GET_ABSTRACTS}",
                b"content.xml": f"an OpenDocument file, not text; {_SAVE_AS_CSV}"}
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),  # before UTF-16's
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def refuse_binary(head: bytes, name: str) -> None:
    """Raise :class:`InputError` when the first bytes of a file show it is not text.

    Text in UTF-16 or UTF-32 without a byte-order mark is told apart from binary
    data by where its NUL bytes fall, and the message names the ``--encoding``.
    """
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise InputError(f"{name}: this is {what}")
    if head.startswith(b"PK\x03\x04"):
        what = next((w for member, w in _ZIP_MEMBERS.items() if member in head[:4096]),
                    "a zip archive, not a text file of abstracts; unpack it first")
        raise InputError(f"{name}: this is {what}")
    sample = head[:8192]
    if b"\x00" not in sample:
        return
    encoding = _bomless_encoding(sample)
    if encoding:
        raise InputError(f"{name}: this looks like {encoding.upper()} text without a byte-order mark; "
                         f"pass --encoding {encoding}")
    raise InputError(f"{name}: binary data (NUL bytes), not a text file of abstracts")


def _bomless_encoding(sample: bytes) -> str | None:
    """``utf-16-le`` etc. when NUL bytes fall where that encoding puts them for mostly Latin text."""
    for width, names in ((4, ("utf-32-le", "utf-32-be")), (2, ("utf-16-le", "utf-16-be"))):
        usable = sample[:len(sample) - len(sample) % width]
        if len(usable) < 2 * width:
            continue
        units = [usable[i:i + width] for i in range(0, len(usable), width)]
        for name, zero_at in zip(names, (slice(1, None), slice(0, width - 1))):
            # Most code units of Latin text have all but one byte zero, on the side of their order.
            if sum(unit[zero_at] == b"\x00" * (width - 1) and unit != b"\x00" * width for unit in units) \
                    >= 0.9 * len(units):
                try:
                    usable.decode(name)
                except UnicodeDecodeError:
                    continue
                return name
    return None


def decode_bytes(data: bytes | bytearray, name: str, encoding: str | None = None) -> str:
    """Decode a file's bytes to text with universal newlines.

    UTF-8 (with or without BOM) and UTF-16/UTF-32 with BOM are recognised;
    other encodings must be named. Raises :class:`InputError` for binary data
    and for invalid UTF-8, naming the line of the first bad byte.

    >>> decode_bytes("a\\r\\nb".encode("utf-32"), "x.txt")
    'a\\nb'
    """
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as err:
            raise InputError(f"{name}: cannot decode as {encoding}: {err}") from None
        text = text.lstrip("\ufeff")
    else:
        bom = next((enc for mark, enc in _BOMS if data.startswith(mark)), None)
        if bom:
            try:
                text = data.decode(bom)
            except UnicodeDecodeError as err:
                raise InputError(f"{name}: invalid {bom.upper()} text ({err.reason})") from None
        else:
            refuse_binary(data[:8192], name)
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as err:
                line = data.count(b"\n", 0, err.start) + 1
                raise InputError(
                    f"{name}:{line}: invalid UTF-8 (byte 0x{data[err.start]:02x}); "
                    "re-save the file as UTF-8 or pass --encoding (e.g. latin-1)") from None
    # Windows and old-Mac line endings become "\n"; other Unicode separators stay
    # inside their line so that line numbers match what an editor shows.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_big(name: str, what: str) -> InputError:
    return InputError(f"{name}: {what}, more than conceptgraph reads from one file "
                      f"({MAX_FILE_BYTES >> 20:,} MiB, {MAX_LINES:,} lines); split it into smaller files")


def read_bytes(path: Path, name: str, encoding: str | None = None) -> bytes | bytearray:
    """A file's bytes, ``.gz`` decompressed as a stream; refused past the size and line caps.

    A decompressed stream that is plainly binary is refused at its first chunk.
    """
    try:
        with open(path, "rb") as handle:
            if path.suffix.lower() != ".gz":
                size = path.stat().st_size
                if size > MAX_FILE_BYTES:
                    raise _too_big(name, f"{size >> 20:,} MiB")
                data = handle.read(MAX_FILE_BYTES + 1)
                lines = data.count(b"\n")
                if lines > MAX_LINES:
                    raise _too_big(name, f"{lines:,} lines")
                return data
            return _gunzip(handle, name, encoding)
    except OSError as err:
        raise InputError(f"{name}: cannot read ({err.strerror or one_line(err)})") from None


def _gunzip(handle, name: str, encoding: str | None) -> bytearray:
    out = bytearray()
    lines = 0
    stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pending = False  # the current gzip member has had input but has not ended
    checked = False
    try:
        while compressed := handle.read(_CHUNK):
            while compressed:
                pending = True
                piece = stream.decompress(compressed, _CHUNK)
                out += piece
                lines += piece.count(b"\n")
                if len(out) > MAX_FILE_BYTES:
                    raise _too_big(name, f"it decompresses to more than {MAX_FILE_BYTES >> 20:,} MiB")
                if lines > MAX_LINES:
                    raise _too_big(name, f"it decompresses to more than {MAX_LINES:,} lines")
                if not checked and len(out) >= 8192:
                    checked = True
                    if not encoding and not out.startswith(tuple(mark for mark, _ in _BOMS)):
                        refuse_binary(bytes(out[:8192]), name)
                compressed = stream.unconsumed_tail
                if stream.eof:  # another gzip member may follow (concatenated files)
                    compressed, pending = stream.unused_data, False
                    stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    if not compressed.strip(b"\x00"):  # padding after the last member
                        compressed = b""
    except zlib.error as err:
        raise InputError(f"{name}: not a valid gzip file ({one_line(err)})") from None
    if pending:
        raise InputError(f"{name}: not a valid gzip file (it ends early: truncated)")
    return out


def read_text_file(path: Path, name: str, encoding: str | None = None) -> str:
    """Read and decode a (possibly gzipped) file; see :func:`decode_bytes` and :func:`read_bytes`."""
    return decode_bytes(read_bytes(path, name, encoding), name, encoding)
