"""Human-readable output, ruff style: ``path:line:col: CODE message``, a fix hint, a summary."""

from __future__ import annotations

from typing import IO

from feedlint.findings import Severity
from feedlint.formatters import Report

_COLORS = {
    "bold": "\033[1m",
    "red": "\033[31m",
    "yellow": "\033[33m",
    "cyan": "\033[36m",
    "dim": "\033[2m",
    "reset": "\033[0m",
}
_SEVERITY_COLOR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(report: Report, stream: IO[str], color: bool = False) -> None:
    def c(name: str, text: str) -> str:
        return f"{_COLORS[name]}{text}{_COLORS['reset']}" if color else text

    for f in report.findings:
        loc = f.location
        where = c("bold", f"{loc.path}:{loc.line}:{loc.column}:")
        code = c(_SEVERITY_COLOR[f.severity], f.code)
        stream.write(f"{where} {code} {f.message}\n")
        if report.show_fixes and f.fix:
            stream.write(f"  {c('cyan', 'fix:')} {f.fix}\n")
    counts = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
    files = _plural(report.files_checked, "packaging file")
    if not report.findings:
        stream.write(c("bold", f"All checks passed ({files} checked).") + "\n")
        return
    parts = [_plural(counts[s], s.value) for s in Severity if counts[s]]
    total = _plural(len(report.findings), "finding")
    stream.write(c("bold", f"Found {total} ({', '.join(parts)}) in {files}.") + "\n")
