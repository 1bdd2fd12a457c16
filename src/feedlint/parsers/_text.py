"""Text with source positions, for parsers that join or unquote what they read.

A :class:`PosText` is a string built from pieces of a file, each piece remembering the
line and column it came from. Docker joins continuation lines, YAML folds and unquotes
scalars, shells drop backslash-newlines: the joined text still maps every character back
to the file, exactly, through :meth:`PosText.pos`, and becomes a
:class:`~feedlint.model.Command` whose ``line_map`` carries the same segments.

:func:`parse_embedded` reads a file written inline (a heredoc that creates ``pip.conf``,
a ``COPY <<EOF /root/.netrc``) with the parser of its kind and merges what it found,
located in the outer file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Optional

from feedlint.model import Command, FileKind, FileModel, Location, SourceFile

__all__ = ["PosText", "parse_embedded", "source_text"]


class PosText:
    """A string assembled from positioned pieces.

    ``segments`` holds ``(offset, line, column)`` triples: character ``offset`` of the
    text is at ``line``:``column`` in the file, and the characters after it follow on
    the same line until the next segment. Text added with :meth:`add_virtual` (a joining
    space, a newline between heredoc lines) has no position of its own.
    """

    __slots__ = ("_next", "_parts", "length", "segments")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.segments: list[tuple[int, int, int]] = []
        self.length = 0
        self._next: Optional[tuple[int, int]] = None

    # -- building ---------------------------------------------------------------
    def add(self, text: str, line: int, column: int) -> None:
        """Append ``text`` whose first character is at ``line``:``column``."""
        if not text:
            return
        if self._next != (line, column):
            self.segments.append((self.length, line, column))
        self._parts.append(text)
        self.length += len(text)
        self._next = (line, column + len(text))

    def add_virtual(self, text: str) -> None:
        """Append ``text`` that is not in the file (it maps to the position after the
        previous piece)."""
        if not text:
            return
        self._parts.append(text)
        self.length += len(text)
        self._next = None

    def add_from(self, other: PosText, start: int, end: int) -> None:
        """Append ``other.text[start:end]`` with its positions."""
        text = other.text
        end = min(end, len(text))
        if end <= start:
            return
        segs = other.segments
        i = other._segment_index(start)
        pos = start
        while pos < end:
            nxt = segs[i + 1][0] if i + 1 < len(segs) else len(text)
            stop = min(end, nxt)
            if i < 0:  # before the first segment: virtual text
                self.add_virtual(text[pos:stop])
            else:
                seg_off, line, col = segs[i]
                self.add(text[pos:stop], line, col + pos - seg_off)
            pos = stop
            i += 1

    # -- reading ----------------------------------------------------------------
    @property
    def text(self) -> str:
        if len(self._parts) > 1:
            self._parts[:] = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def _segment_index(self, offset: int) -> int:
        lo, hi = 0, len(self.segments) - 1
        found = -1
        while lo <= hi:
            mid = (lo + hi) // 2
            if self.segments[mid][0] <= offset:
                found = mid
                lo = mid + 1
            else:
                hi = mid - 1
        return found

    def pos(self, offset: int) -> tuple[int, int]:
        """``(line, column)`` of character ``offset``."""
        i = self._segment_index(offset)
        if i < 0:
            if not self.segments:
                return (1, 1)
            _, line, col = self.segments[0]
            return (line, col)
        seg_off, line, col = self.segments[i]
        return (line, col + offset - seg_off)

    def slice(self, start: int, end: int) -> PosText:
        out = PosText()
        out.add_from(self, start, end)
        return out

    def strip(self) -> PosText:
        """The same text without leading and trailing whitespace."""
        text = self.text
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        if start == 0 and end == len(text):
            return self
        return self.slice(start, end)

    def command(self, path: str, origin: str, secret_mounts: Sequence[str] = ()) -> Command:
        """A :class:`Command` of this text; ``line_map`` holds the segments."""
        line, col = self.pos(0)
        return Command(
            self.text,
            Location(path, line, col),
            origin,
            tuple(secret_mounts),
            tuple(self.segments),
        )

    def __len__(self) -> int:
        return self.length

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"PosText({self.text!r}, {self.segments!r})"


def source_text(lines: Sequence[str], first: int = 1, last: Optional[int] = None) -> PosText:
    """Lines ``first``..``last`` (1-based, inclusive) of a file joined with newlines."""
    out = PosText()
    last = len(lines) if last is None else min(last, len(lines))
    for number in range(first, last + 1):
        if number > first:
            out.add_virtual("\n")
        out.add(lines[number - 1], number, 1)
    return out


# -- files written inline ---------------------------------------------------------------
#: Kinds of files worth reading when a Dockerfile, script or CI step writes them inline.
EMBEDDABLE = frozenset(
    {
        FileKind.PIP_CONF,
        FileKind.PYPIRC,
        FileKind.NETRC,
        FileKind.POETRY_CONFIG,
        FileKind.UV_TOML,
        FileKind.PDM_CONFIG,
        FileKind.REQUIREMENTS,
    }
)


def embedded_kind(dest: str) -> Optional[FileKind]:
    """The kind of file a path names when it is one worth reading inline."""
    from feedlint.kinds import classify

    name = dest.strip("'\"").rstrip("/").rsplit("/", 1)[-1]
    if not name or "$" in name:
        return None
    kind = classify(name)
    return kind if kind in EMBEDDABLE else None


def _shift(obj: object, path: str, shifts: dict[int, int]) -> object:
    """``obj`` with its locations moved into the outer file (column shift per line)."""
    changes = {}
    for f in dataclasses.fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if isinstance(value, Location):
            changes[f.name] = Location(path, value.line, value.column + shifts.get(value.line, 0))
    return dataclasses.replace(obj, **changes) if changes else obj  # type: ignore[type-var]


def parse_embedded(fm: FileModel, kind: FileKind, lines: Iterable[tuple[int, int, str]]) -> None:
    """Parse an inline file of ``kind`` and merge its findings into ``fm``.

    ``lines`` are ``(line number, column of the first character, text)`` of the inline
    file's lines in the outer file. The inner parser's problems are dropped: a heredoc may
    hold shell expansions the inner syntax does not know, and the outer file is fine.
    """
    from feedlint.parsers import parse_file

    body = list(lines)
    if not body:
        return
    last = max(n for n, _, _ in body)
    padded = [""] * last
    shifts: dict[int, int] = {}
    for number, col, text in body:
        padded[number - 1] = text
        shifts[number] = col - 1
    inner = parse_file(SourceFile(fm.path, kind, tuple(padded)))
    for attr in ("indexes", "packages", "settings", "credentials", "env", "publish_targets"):
        target = getattr(fm, attr)
        for item in getattr(inner, attr):
            target.append(_shift(item, fm.path, shifts))
