"""Reading packaging files as text, whatever state they are in.

Never raises for file content: binary files, undecodable bytes, BOMs (UTF-8, UTF-16 and
UTF-32, as Windows tools write pip.ini), CRLF and lone CR, oversized and unreadable files
all come back as a :class:`~feedlint.model.SourceFile` plus FL001 problems.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from feedlint.lazyre import lazy_compile
from feedlint.model import FileKind, Location, ParseProblem, SourceFile

__all__ = ["MAX_BYTES", "decode", "read_source", "split_lines"]

#: Files larger than this are reported (FL001) and not parsed. Lock files are machine
#: written and may be large, so they get a larger allowance.
MAX_BYTES = 5 * 1024 * 1024
MAX_LOCK_BYTES = 50 * 1024 * 1024
_LOCKS = (FileKind.POETRY_LOCK, FileKind.UV_LOCK, FileKind.PDM_LOCK, FileKind.PIPFILE_LOCK)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LINE_BREAK = lazy_compile(r"\r\n|\r|\n")


def split_lines(text: str) -> tuple[str, ...]:
    """Split on ``\\r\\n``, ``\\r`` and ``\\n`` only (as editors number lines)."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(lines)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text with no BOM shows NULs in every other byte of its ASCII characters."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    enc = "utf-16-le" if odd > 0.6 * half and even < 0.1 * half else None
    if enc is None and even > 0.6 * half and odd < 0.1 * half:
        enc = "utf-16-be"
    if enc is None:
        return None
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        return None


def decode(data: bytes, path: str) -> tuple[str, list[ParseProblem]]:
    """Decode file bytes to text. Problems are FL001 findings-to-be; text is best effort."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), []
            except UnicodeDecodeError as exc:
                text = data[len(bom) :].decode(encoding, errors="replace")
                line = text.count("\n", 0, exc.start // 2) + 1
                return text, [ParseProblem(f"invalid {encoding} text", Location(path, line))]
    if b"\x00" in data[:8192]:
        text = _utf16_without_bom(data)
        if text is not None:
            return text, []
        return "", [ParseProblem("binary file (contains NUL bytes); not read", Location(path))]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problem = ParseProblem(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); read as Latin-1",
            Location(path, line, column),
        )
        return data.decode("latin-1"), [problem]


def read_source(root: Path, relpath: str, kind: FileKind) -> tuple[SourceFile, list[ParseProblem]]:
    """Read ``root/relpath`` as a :class:`SourceFile` of ``kind``, never raising."""
    full = root / relpath
    limit = MAX_LOCK_BYTES if kind in _LOCKS else MAX_BYTES
    try:
        if full.is_dir():
            return SourceFile(relpath, kind), [
                ParseProblem("is a directory, not a file; not read", Location(relpath))
            ]
        size = full.stat().st_size
        if size > limit:
            mib = limit // (1024 * 1024)
            return SourceFile(relpath, kind), [
                ParseProblem(
                    f"file is {size / (1024 * 1024):.1f} MiB, over the {mib} MiB limit; not read",
                    Location(relpath),
                )
            ]
        with open(full, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return SourceFile(relpath, kind), [
            ParseProblem(f"cannot read file: {reason}", Location(relpath))
        ]
    text, problems = decode(data, relpath)
    return SourceFile(relpath, kind, split_lines(text)), problems


def is_within(root: Path, path: Path) -> bool:
    """Whether ``path`` (resolved) stays inside ``root`` (resolved)."""
    try:
        resolved = Path(os.path.realpath(path))
    except (OSError, RuntimeError):
        return False
    return resolved == root or root in resolved.parents
