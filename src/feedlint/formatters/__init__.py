"""Output formats. Each module exposes ``render(report, stream, color) -> None``.

The seam: :data:`FORMATTERS` maps a ``--format`` name to its module, imported lazily.
Every formatter receives a :class:`Report` whose findings are already redacted.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import IO, Callable

from feedlint.findings import Finding
from feedlint.record import Record, field

__all__ = ["FORMATTERS", "Report", "get_formatter", "message_with_fix"]

FORMATTERS: dict[str, str] = {
    "text": "feedlint.formatters.text",
    "json": "feedlint.formatters.json",
    "sarif": "feedlint.formatters.sarif",
    "github": "feedlint.formatters.github",
    "azure": "feedlint.formatters.azure",
}


class Report(Record):
    """What a formatter prints: findings (redacted), the roots linted, and counts."""

    findings: list[Finding]
    roots: list[Path] = field(default_factory=list)
    files_checked: int = 0
    show_fixes: bool = True


Renderer = Callable[[Report, IO[str], bool], None]


def message_with_fix(finding: Finding, show_fixes: bool = True) -> str:
    """The message, and the fix hint on a second line (``Fix: ...``) when there is one and
    fixes are shown: what the one-line CI formats (annotations, SARIF) display."""
    if show_fixes and finding.fix:
        return f"{finding.message}\nFix: {finding.fix}"
    return finding.message


def available() -> list[str]:
    """Format names whose module exists."""
    out = []
    for name, module in FORMATTERS.items():
        if importlib.util.find_spec(module) is not None:
            out.append(name)
    return out


def get_formatter(name: str) -> Renderer:
    module = FORMATTERS[name]
    return importlib.import_module(module).render  # type: ignore[no-any-return]
