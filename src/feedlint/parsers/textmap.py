"""Text that keeps a map back to file positions.

Parsers rarely read a file's lines as they are: pip joins ``\\`` continuations and strips
comments, INI values continue on indented lines, Docker and shells join continuation
lines, YAML folds and unquotes scalars. They all work on :class:`MappedText`: the
processed text plus *segments* ``(offset, line, column)`` saying where each run of it
came from, so a position inside the processed text is still reported as the exact
``line:column`` of the file (:meth:`MappedText.locate`), and a command taken from it
keeps the map as its :attr:`~feedlint.model.Command.line_map`.

A mapped text is built piece by piece (:meth:`~MappedText.add`,
:meth:`~MappedText.add_from`, :meth:`~MappedText.add_virtual` for text that is not in
the file, such as a joining space) or from others (:meth:`~MappedText.at`,
:meth:`~MappedText.join`, :meth:`~MappedText.slice`, :meth:`~MappedText.strip`,
:meth:`~MappedText.replace`); once built it is treated as a value. An empty piece made
with :meth:`~MappedText.at` or :meth:`~MappedText.slice` still knows where it stands.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Optional

from feedlint.model import Command, Location

__all__ = ["MappedText", "source_text"]


class MappedText:
    """A string with ``segments``: ``(offset in text, line, column)`` triples, sorted by
    offset, at most one per offset. Character ``offset`` of the text sits at ``line``,
    ``column + (offset - segment offset)`` of the last segment starting at or before it
    (so virtual text continues the columns of the piece before it); an offset before the
    first segment sits where that segment does."""

    __slots__ = ("_length", "_next", "_offsets", "_parts", "_segments")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._segments: list[tuple[int, int, int]] = []
        self._offsets: list[int] = []  # the segments' offsets, for bisecting
        self._length = 0
        self._next: Optional[tuple[int, int]] = None

    # -- building -------------------------------------------------------------------------
    @classmethod
    def at(cls, text: str, line: int, column: int = 1) -> MappedText:
        """``text`` that stands as it is in the file from ``line``:``column`` on (after a
        newline it goes on at column 1 of the next line; an empty ``text`` keeps the
        position)."""
        out = cls()
        offset, col = 0, column
        for number, piece in enumerate(text.split("\n"), start=line):
            out._put(offset, number, col)
            offset += len(piece) + 1
            col, end = 1, col + len(piece)
        out._parts.append(text)
        out._length = len(text)
        out._next = (number, end)
        return out

    def _put(self, offset: int, line: int, column: int) -> None:
        """Add a segment at ``offset`` (at or after the last one, which it replaces when
        both start at the same offset)."""
        if self._offsets and self._offsets[-1] == offset:
            self._segments[-1] = (offset, line, column)
        else:
            self._segments.append((offset, line, column))
            self._offsets.append(offset)

    def _mark(self, line: int, column: int) -> None:
        """Start a segment at the current end."""
        self._put(self._length, line, column)
        self._next = (line, column)

    def add(self, text: str, line: int, column: int) -> None:
        """Append ``text`` whose first character is at ``line``:``column``."""
        if not text:
            return
        if self._next != (line, column):
            self._mark(line, column)
        self._parts.append(text)
        self._length += len(text)
        self._next = (line, column + len(text))

    def add_virtual(self, text: str) -> None:
        """Append ``text`` that is not in the file (it continues the columns of the
        previous piece)."""
        if not text:
            return
        self._parts.append(text)
        self._length += len(text)
        self._next = None

    def add_from(self, other: MappedText, start: int, end: int) -> None:
        """Append ``other.text[start:end]`` with its positions."""
        text = other.text
        end = min(end, len(text))
        if end <= start:
            return
        segs = other._segments
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

    @classmethod
    def join(cls, parts: Sequence[MappedText]) -> MappedText:
        """The concatenation of ``parts`` (where two segments meet at one offset, the
        later part's wins)."""
        out = cls()
        for part in parts:
            base = out._length
            for off, line, col in part._segments:
                out._put(base + off, line, col)
            if part._length:
                out._parts.append(part.text)
                out._length += part._length
        return out

    # -- reading --------------------------------------------------------------------------
    @property
    def text(self) -> str:
        if len(self._parts) > 1:
            self._parts[:] = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    @property
    def segments(self) -> tuple[tuple[int, int, int], ...]:
        return tuple(self._segments)

    @property
    def line(self) -> int:
        """The line where the text starts."""
        return self.locate(0)[0]

    def _segment_index(self, offset: int) -> int:
        return bisect_right(self._offsets, offset) - 1

    def locate(self, offset: int) -> tuple[int, int]:
        """``(line, column)`` of character ``offset`` (a negative one counts as 0)."""
        offsets = self._offsets
        if not offsets:
            return (1, 1)
        if offset < 0:
            offset = 0
        i = bisect_right(offsets, offset) - 1
        if i < 0:  # before the first segment: where that segment is
            i, offset = 0, offsets[0]
        seg_off, line, col = self._segments[i]
        return (line, col + offset - seg_off)

    def slice(self, start: int, end: Optional[int] = None) -> MappedText:
        """The part ``text[start:end]`` with its map (positioned even when empty)."""
        n = self._length
        start = max(0, min(start, n))
        end = n if end is None else max(start, min(end, n))
        out = MappedText()
        out.add_from(self, start, end)
        if not out._segments:
            out._put(0, *self.locate(start))
        return out

    def strip(self) -> MappedText:
        """Without leading and trailing whitespace."""
        text = self.text
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        return self.slice(left, max(left, right))

    def replace(self, old: str, new: str) -> MappedText:
        """Every ``old`` replaced by ``new``; ``new`` maps to where ``old`` started."""
        text = self.text
        if not old or old not in text:
            return self
        parts: list[MappedText] = []
        start = 0
        while True:
            found = text.find(old, start)
            if found == -1:
                break
            parts.append(self.slice(start, found))
            parts.append(MappedText.at(new, *self.locate(found)))
            start = found + len(old)
        parts.append(self.slice(start))
        return MappedText.join(parts)

    def command(self, path: str, origin: str, secret_mounts: Sequence[str] = ()) -> Command:
        """A :class:`~feedlint.model.Command` of this text; ``line_map`` holds the segments."""
        line, col = self.locate(0)
        return Command(
            self.text, Location(path, line, col), origin, tuple(secret_mounts), self.segments
        )

    def __len__(self) -> int:
        return self._length

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"MappedText({self.text!r}, {self._segments!r})"


def source_text(lines: Sequence[str], first: int = 1, last: Optional[int] = None) -> MappedText:
    """Lines ``first``..``last`` (1-based, inclusive) of a file joined with newlines."""
    last = len(lines) if last is None else min(last, len(lines))
    if first > last:
        return MappedText()
    return MappedText.at("\n".join(lines[first - 1 : last]), first)
