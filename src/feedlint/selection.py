"""Which codes are enabled: ``select``/``extend-select``/``ignore`` by code or prefix.

As in flake8 and ruff, when a code matches both a selecting and an ignoring prefix, the
longest (most specific) prefix wins; on a tie, ignore wins. ``ALL`` selects everything.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath

__all__ = ["Selector", "matches_prefix"]


def matches_prefix(code: str, prefix: str) -> bool:
    return prefix == "ALL" or code.startswith(prefix)


def _specificity(prefix: str) -> int:
    return 0 if prefix == "ALL" else len(prefix)


class Selector:
    """Decides whether a code is enabled, globally and per file."""

    def __init__(
        self,
        select: Sequence[str] | None,
        extend_select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        per_file_ignores: dict[str, list[str]] | None = None,
    ) -> None:
        self.select = list(select) if select is not None else ["ALL"]
        self.select += list(extend_select)
        self.ignore = list(ignore)
        self.per_file_ignores = per_file_ignores or {}

    @staticmethod
    def _decide(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
        best_sel = max((_specificity(p) for p in select if matches_prefix(code, p)), default=-1)
        best_ign = max((_specificity(p) for p in ignore if matches_prefix(code, p)), default=-1)
        return best_sel > best_ign

    def enabled(self, code: str) -> bool:
        return self._decide(code, self.select, self.ignore)

    def file_ignores(self, path: str) -> list[str]:
        name = PurePosixPath(path).name
        out: list[str] = []
        for pattern, codes in self.per_file_ignores.items():
            if fnmatch.fnmatchcase(path, pattern) or (
                "/" not in pattern and fnmatch.fnmatchcase(name, pattern)
            ):
                out.extend(codes)
        return out

    def enabled_in(self, code: str, path: str) -> bool:
        if not self.enabled(code):
            return False
        ignores = self.file_ignores(path)
        return not any(matches_prefix(code, p) for p in ignores)
