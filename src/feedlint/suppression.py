"""Inline suppression comments: ``# feedlint: ignore[FL201, FL1]`` and ``# feedlint: ignore``.

A directive applies to its own line. A comment line holding nothing but the directive
applies to the next line instead: that is the form for INI files (pip.conf, .pypirc),
where pip would read a trailing comment as part of the value, and it works in every file
kind. ``;`` starts a comment too, for INI files.
"""

from __future__ import annotations

import re
from typing import Optional

from feedlint.lazyre import lazy_compile
from feedlint.model import Location, SourceFile
from feedlint.record import Record, field

__all__ = ["Suppression", "find_suppressions"]

_DIRECTIVE = lazy_compile(
    r"(?:#|;|//)\s*feedlint\s*:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE
)
_ALONE = lazy_compile(r"^\s*(?:#|;|//)\s*feedlint\s*:\s*ignore(?:\[[^\]]*\])?\s*$", re.IGNORECASE)


class Suppression(Record):
    """One directive: ``codes`` is ``None`` for a blanket ignore; ``used`` collects the codes
    it actually suppressed."""

    location: Location
    target_line: int
    codes: Optional[tuple[str, ...]]
    used: set[str] = field(default_factory=set)

    def covers(self, code: str) -> bool:
        return self.codes is None or any(code.startswith(c) for c in self.codes)


def find_suppressions(source: SourceFile) -> list[Suppression]:
    out: list[Suppression] = []
    for number, text in enumerate(source.lines, start=1):
        if "feedlint" not in text.lower():
            continue
        match = _DIRECTIVE.search(text)
        if not match:
            continue
        codes = None
        if match.group("codes") is not None:
            codes = tuple(c.strip().upper() for c in match.group("codes").split(",") if c.strip())
        target = number + 1 if _ALONE.match(text) else number
        loc = Location(source.path, number, match.start() + 1)
        out.append(Suppression(loc, target, codes))
    return out
