"""Text that keeps a map back to file positions.

Parsers that join or trim lines (requirements ``\\`` continuations, INI continuation
lines, tox's comment stripping) work on :class:`MappedText`: the text plus *segments*
``(offset, line, column)`` saying where each contiguous run of the text came from, so a
position inside the processed text can still be reported as ``line:column`` of the file.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["MappedText"]

_BIG = 1 << 62


@dataclass(frozen=True)
class MappedText:
    """``text`` with ``segments``: ``(offset in text, line, column)`` tuples, sorted by
    offset, the first at offset 0. Character ``offset`` of ``text`` sits at ``line``,
    ``column + (offset - segment offset)`` of the last segment starting at or before it."""

    text: str
    segments: tuple[tuple[int, int, int], ...]

    @classmethod
    def at(cls, text: str, line: int, column: int = 1) -> MappedText:
        """``text`` that starts at ``line``:``column`` and is contiguous in the file."""
        return cls(text, ((0, line, column),))

    @property
    def line(self) -> int:
        """The line where the text starts."""
        return self.segments[0][1]

    def locate(self, offset: int) -> tuple[int, int]:
        """``(line, column)`` of character ``offset`` (clamped into the text)."""
        offset = max(0, offset)
        index = bisect_right(self.segments, (offset, _BIG, _BIG)) - 1
        start, line, column = self.segments[max(0, index)]
        return line, column + offset - start

    def slice(self, start: int, end: int | None = None) -> MappedText:
        """The part ``text[start:end]`` with its map."""
        n = len(self.text)
        end = n if end is None else max(start, min(end, n))
        start = max(0, min(start, n))
        line, column = self.locate(start)
        segs = [(0, line, column)]
        first = bisect_right(self.segments, (start, _BIG, _BIG))
        for off, ln, col in self.segments[first:]:
            if off >= end:
                break
            segs.append((off - start, ln, col))
        return MappedText(self.text[start:end], tuple(segs))

    def strip(self) -> MappedText:
        """Without leading and trailing whitespace."""
        left = len(self.text) - len(self.text.lstrip())
        right = len(self.text.rstrip())
        return self.slice(left, max(left, right))

    def replace(self, old: str, new: str) -> MappedText:
        """Every ``old`` replaced by ``new``; ``new`` maps to where ``old`` started."""
        if not old or old not in self.text:
            return self
        parts: list[MappedText] = []
        start = 0
        while True:
            found = self.text.find(old, start)
            if found == -1:
                break
            parts.append(self.slice(start, found))
            line, column = self.locate(found)
            parts.append(MappedText.at(new, line, column))
            start = found + len(old)
        parts.append(self.slice(start))
        return MappedText.join(parts)

    @staticmethod
    def join(parts: Sequence[MappedText]) -> MappedText:
        """The concatenation of ``parts``."""
        text: list[str] = []
        segs: list[tuple[int, int, int]] = []
        offset = 0
        for part in parts:
            for off, ln, col in part.segments:
                segs.append((offset + off, ln, col))
            text.append(part.text)
            offset += len(part.text)
        if not segs:
            segs = [(0, 1, 1)]
        # keep only the last segment for each offset (empty parts add none of their own)
        merged: list[tuple[int, int, int]] = []
        for seg in segs:
            if merged and merged[-1][0] == seg[0]:
                merged[-1] = seg
            else:
                merged.append(seg)
        return MappedText("".join(text), tuple(merged))
