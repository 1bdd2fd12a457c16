"""Shell scripts: POSIX shells (``.sh``/``.bash``/``.zsh``/``.ksh``), PowerShell
(``.ps1``/``.psm1``) and Windows batch (``.bat``/``.cmd``).

* POSIX shells: logical lines (backslash-newline continuations joined, newlines inside
  quotes and ``$( )`` kept, comments dropped) -> :class:`~feedlint.model.Command`
  (origin ``shell``) -> :func:`extract_command`. Here-documents fed to a shell are read as
  commands, those written to a packaging file (``cat > ~/.pip/pip.conf <<EOF``) are parsed
  as that file, others (a Python script, a message) are skipped. ``export NAME=value``
  and ``NAME=value`` become environment assignments.
* PowerShell: the same with backtick continuations, here-strings and ``<# #>`` comments;
  ``$env:NAME = "value"`` and ``[Environment]::SetEnvironmentVariable(...)`` become
  assignments (origin ``shell-export``).
* Batch: ``^`` continuations, ``REM``/``::`` comments; ``set NAME=value`` and
  ``set "NAME=value"`` -> :func:`apply_env` (the value is the rest of the line, as cmd
  reads it); every other line -> a command.
"""

from __future__ import annotations

import re

from feedlint.lazyre import lazy_compile
from feedlint.model import FileModel, SourceFile
from feedlint.parsers._shell import run_script
from feedlint.parsers.commands import apply_env, extract_command
from feedlint.parsers.textmap import MappedText, source_text

__all__ = ["parse"]

_BATCH_COMMENT = lazy_compile(r"(?i)^\s*@?(rem(\s|$)|::|:[^=])")
_BATCH_SET = lazy_compile(
    r"""(?ix)^(?P<lead>\s*@?\s*set\s+)
    (?:(?P<q>")(?P<qname>[A-Za-z_][A-Za-z0-9_]*)=(?P<qvalue>[^"]*)"
      |(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*))\s*$"""
)


def _batch_lines(source: SourceFile) -> list[MappedText]:
    """Logical batch lines: a ``^`` at the end of a line joins the next one."""
    out: list[MappedText] = []
    current = MappedText()
    for number, line in enumerate(source.lines, start=1):
        if line.endswith("^") and not line.endswith("^^"):
            current.add(line[:-1], number, 1)
            continue
        current.add(line, number, 1)
        out.append(current)
        current = MappedText()
    if len(current):
        out.append(current)
    return out


def _batch(source: SourceFile, fm: FileModel) -> None:
    for logical in _batch_lines(source):
        text = logical.text
        if not text.strip() or _BATCH_COMMENT.match(text):
            continue
        m = _BATCH_SET.match(text)
        if m:
            name_at = m.start("qname") if m.group("q") else m.start("name")
            value_at = m.start("qvalue") if m.group("q") else m.start("value")
            name = m.group("qname") or m.group("name")
            value = m.group("qvalue") if m.group("q") else m.group("value")
            nline, ncol = logical.locate(name_at)
            vline, vcol = logical.locate(value_at)
            apply_env(
                name,
                value.strip(),
                fm.loc(nline, ncol),
                fm,
                "shell-export",
                fm.loc(vline, vcol),
            )
            continue
        lead = re.match(r"(?i)^\s*@?\s*(call\s+)?", text)
        body = logical.slice(lead.end() if lead else 0, len(text)).strip()
        if not body.text:
            continue
        cmd = body.command(fm.path, "shell")
        fm.commands.append(cmd)
        extract_command(cmd, fm)


def parse(source: SourceFile) -> FileModel:
    """Parse a shell script (see the module docstring)."""
    fm = FileModel(source)
    ext = source.path.rsplit(".", 1)[-1].lower() if "." in source.path else ""
    if ext in ("bat", "cmd"):
        _batch(source, fm)
    else:
        run_script(
            source_text(source.lines), fm, "shell", dialect="ps" if ext in ("ps1", "psm1") else "sh"
        )
    return fm
