"""GitHub Actions workflow commands: one annotation per finding.

``::error file=requirements.txt,line=2,col=1,title=FL201::message``; warnings become
``::warning`` and info findings ``::notice``. Escaping follows the runner's rules
(actions/toolkit ``command.ts``): in the message ``%``, CR and LF are percent-encoded; in
property values ``:`` and ``,`` too. A message can therefore never end the line early and
start a command of its own. Paths are relative to the linted root, as in JSON, so run
feedlint on the checkout's root (``feedlint .``) for the annotations to land on the files.
"""

from __future__ import annotations

from typing import IO

from feedlint.findings import Severity
from feedlint.formatters import Report, message_with_fix

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, stream: IO[str], color: bool = False) -> None:
    for f in report.findings:
        loc = f.location
        props = {"file": loc.path, "line": str(loc.line), "col": str(loc.column), "title": f.code}
        joined = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
        message = escape_data(message_with_fix(f, report.show_fixes))
        stream.write(f"::{COMMAND[f.severity]} {joined}::{message}\n")
