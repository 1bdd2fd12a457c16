"""Azure Pipelines logging commands: one ``task.logissue`` per finding.

``##vso[task.logissue type=error;sourcepath=requirements.txt;linenumber=2;columnnumber=1;code=FL201]message``.
Azure knows only ``error`` and ``warning`` issues: info findings are logged as warnings.
Escaping follows azure-pipelines-task-lib (``taskcommand.ts``) and the agent's
``CommandStringConvertor``: ``%`` becomes ``%AZP25``, CR and LF ``%0D``/``%0A`` everywhere,
and in property values ``;`` and ``]`` become ``%3B``/``%5D``. Paths are relative to the
linted root, as in JSON: run feedlint on ``$(Build.SourcesDirectory)``.
"""

from __future__ import annotations

from typing import IO

from feedlint.findings import Severity
from feedlint.formatters import Report, message_with_fix

ISSUE_TYPE = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "warning"}


def escape_data(text: str) -> str:
    return text.replace("%", "%AZP25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace("]", "%5D").replace(";", "%3B")


def render(report: Report, stream: IO[str], color: bool = False) -> None:
    for f in report.findings:
        loc = f.location
        props = {
            "type": ISSUE_TYPE[f.severity],
            "sourcepath": loc.path,
            "linenumber": str(loc.line),
            "columnnumber": str(loc.column),
            "code": f.code,
        }
        joined = ";".join(f"{key}={escape_property(value)}" for key, value in props.items())
        message = escape_data(message_with_fix(f, report.show_fixes))
        stream.write(f"##vso[task.logissue {joined}]{message}\n")
