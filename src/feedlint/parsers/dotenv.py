"""``.env`` files, read as python-dotenv reads them (pipenv, pydantic, docker compose
files written for it).

A binding is ``[export ]KEY[ = value][ # comment]``: the key is ``'quoted'`` or a run of
characters other than ``=``, ``#`` and whitespace; a value is ``'single-quoted'``
(``\\'`` escapes), ``"double-quoted"`` (``\\n``, ``\\"`` ... escapes) -- both may span
lines, and ``#`` inside quotes is not a comment -- or unquoted up to the end of the line
(a `` #`` starts a comment there). Each assignment goes through :func:`apply_env` (origin
``dotenv``) with the value located at its first character (after the opening quote).

A statement python-dotenv cannot parse (``not a binding``, an unterminated quote, text
after a closing quote) is an FL001 finding at its first character; python-dotenv skips
the rest of that line and goes on, and so does this parser (an assignment it could read
before the error is still recorded). A bare ``KEY`` sets nothing and is not reported.
"""

from __future__ import annotations

import codecs
import re
from typing import Optional

from feedlint.lazyre import lazy_compile
from feedlint.model import FileModel, Location, SourceFile
from feedlint.parsers.commands import apply_env
from feedlint.parsers.textmap import source_text

__all__ = ["parse"]

_MULTILINE_WS = lazy_compile(r"\s*")
_WS = lazy_compile(r"[^\S\n]*")
_EXPORT = lazy_compile(r"(?:export[^\S\n]+)?")
_SINGLE_KEY = lazy_compile(r"'([^']+)'")
_KEY = lazy_compile(r"([^=#\s]+)")
_EQUAL = lazy_compile(r"=[^\S\n]*")
_SINGLE_VALUE = lazy_compile(r"'((?:\\'|[^'])*)'")
_DOUBLE_VALUE = lazy_compile(r'"((?:\\"|[^"])*)"')
_UNQUOTED_VALUE = lazy_compile(r"[^\n]*")
_COMMENT = lazy_compile(r"(?:[^\S\n]*#[^\n]*)?")
_END_OF_LINE = lazy_compile(r"[^\S\n]*(?:\n|$)")
_REST_OF_LINE = lazy_compile(r"[^\n]*\n?")
_DOUBLE_ESCAPES = lazy_compile(r"\\[\\'\"abfnrtv]")
_SINGLE_ESCAPES = lazy_compile(r"\\[\\']")


def _decode(regex: re.Pattern[str], value: str) -> str:
    def one(m: re.Match[str]) -> str:
        try:
            return codecs.decode(m.group(0), "unicode-escape")
        except UnicodeDecodeError:  # pragma: no cover - only ASCII escapes match
            return m.group(0)

    return regex.sub(one, value)


class _Reader:
    def __init__(self, source: SourceFile) -> None:
        self.mapped = source_text(source.lines)
        self.text = self.mapped.text
        self.path = source.path
        self.pos = 0

    def loc(self, offset: int) -> Location:
        return Location(self.path, *self.mapped.locate(offset))

    def match(self, regex: re.Pattern[str]) -> Optional[re.Match[str]]:
        m = regex.match(self.text, self.pos)
        if m is not None:
            self.pos = m.end()
        return m


def _binding(r: _Reader, fm: FileModel) -> None:
    """Read one statement from ``r.pos`` (python-dotenv's ``parse_binding``)."""
    r.match(_MULTILINE_WS)
    if r.pos >= len(r.text):
        return
    start = r.pos
    r.match(_EXPORT)
    key: Optional[str] = None
    key_at = r.pos
    if r.text.startswith("#", r.pos):
        pass
    else:
        m = r.match(_SINGLE_KEY) if r.text.startswith("'", r.pos) else r.match(_KEY)
        if m is None:
            _error(r, fm, start)
            return
        key = m.group(1)
        key_at = m.start(1)
    r.match(_WS)
    value: Optional[str] = None
    value_at = r.pos
    if r.text.startswith("=", r.pos):
        r.match(_EQUAL)
        value_at = r.pos
        ch = r.text[r.pos : r.pos + 1]
        if ch in ("'", '"'):
            m = r.match(_SINGLE_VALUE if ch == "'" else _DOUBLE_VALUE)
            if m is None:
                _error(r, fm, start, "unterminated quoted value")
                return
            value_at = m.start(1)
            value = _decode(_SINGLE_ESCAPES if ch == "'" else _DOUBLE_ESCAPES, m.group(1))
        elif ch in ("", "\n"):
            value = ""
        else:
            m = r.match(_UNQUOTED_VALUE)
            value = re.sub(r"\s+#.*", "", m.group(0) if m else "").rstrip()
    if key is not None and value is not None:
        apply_env(key, value, r.loc(key_at), fm, "dotenv", r.loc(value_at))
    r.match(_COMMENT)
    if r.match(_END_OF_LINE) is None:
        at = r.pos + len(_WS.match(r.text, r.pos).group(0))  # type: ignore[union-attr]
        bad = r.loc(at if value is not None else start)
        what = "unexpected text after the value" if value is not None else "not a KEY=value line"
        fm.problem(f"{what}: python-dotenv skips this statement", bad.line, bad.column)
        r.match(_REST_OF_LINE)


def _error(r: _Reader, fm: FileModel, start: int, why: str = "") -> None:
    loc = r.loc(start)
    what = why or "not a KEY=value line"
    fm.problem(f"{what}: python-dotenv skips this statement", loc.line, loc.column)
    r.match(_REST_OF_LINE)


def parse(source: SourceFile) -> FileModel:
    """Parse a ``.env`` file (see the module docstring)."""
    fm = FileModel(source)
    r = _Reader(source)
    while r.pos < len(r.text):
        before = r.pos
        _binding(r, fm)
        if r.pos == before:  # never loop without progress
            r.pos += 1
    return fm
