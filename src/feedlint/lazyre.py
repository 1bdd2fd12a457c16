"""Regular expressions compiled on first use, for module-level patterns on rare paths
(compiling every pattern of every module at import is a good part of a short run)."""

from __future__ import annotations

import re
from typing import Any, cast

__all__ = ["lazy_compile"]


class _LazyPattern:
    """Stands in for the :class:`re.Pattern`: the first attribute read compiles it and
    caches the attribute (``match``, ``search`` ...) on the instance."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self.pattern = pattern  # readable (to build other patterns) without compiling

    def __getattr__(self, name: str) -> Any:
        value = getattr(re.compile(*self._args), name)
        setattr(self, name, value)
        return value


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled when first used. Only for patterns used
    through their methods and attributes (not passed to ``re.sub`` and the like)."""
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))
