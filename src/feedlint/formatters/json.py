"""Versioned JSON: ``{"version": 1, "findings": [...]}``; paths as the engine reports them
(root-relative; see :func:`feedlint.engine._shown_under`), ``/``-separated."""

from __future__ import annotations

import json
from typing import IO

from feedlint.formatters import Report

VERSION = 1


def render(report: Report, stream: IO[str], color: bool = False) -> None:
    findings = [
        {
            "code": f.code,
            "name": f.name,
            "severity": f.severity.value,
            "path": f.location.path,
            "line": f.location.line,
            "column": f.location.column,
            "message": f.message,
            "fix": f.fix,
        }
        for f in report.findings
    ]
    json.dump({"version": VERSION, "findings": findings}, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
