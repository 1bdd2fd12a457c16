"""TOML with positions: values from ``tomllib``, positions from a small locator.

``tomllib`` (``tomli`` before Python 3.11) gives values but no positions. The locator
(:class:`TomlPositions`) scans the same text once and maps every *key path* to the
1-based (line, column) of the key and of its value. A key path is a tuple of table keys
and array indexes exactly as they appear in the parsed data, e.g.
``("tool", "poetry", "source", 0, "url")`` or ``("project", "dependencies", 2)``.

What the locator understands: ``[a.b]`` and ``[[a.b]]`` headers (array-of-tables
elements get their index; ``[a.b]`` after ``[[a]]`` refers to the last element), bare,
quoted and dotted keys, inline tables, arrays spanning lines (nested too), basic,
literal and multi-line strings (a ``#``, ``[`` or ``=`` inside a string is text), and
comments. It never raises and always moves forward, so odd input only costs positions.

Positions:

* ``key(path)``: the key's first character (the opening quote of a quoted key); for a
  table header, its last key; for an array item, the item's first character.
* ``value(path)``: the value's first character; for a string, the first character
  *inside* the quotes (where a URL or requirement starts).

:func:`load_toml` reads a :class:`~feedlint.model.SourceFile`: a syntax error becomes an
FL001 problem at the line and column ``tomllib`` reports, and the table holding the error
is dropped so the rest of the file is still read.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Sequence
from typing import Any, Optional, Union

from feedlint.lazyre import lazy_compile
from feedlint.model import Credential, FileModel, Location, SourceFile
from feedlint.parsers.commands import is_secret_name
from feedlint.parsers.textmap import source_text
from feedlint.record import Record

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "KeyPath",
    "Pos",
    "Positions",
    "TomlDoc",
    "TomlPositions",
    "as_list",
    "as_str",
    "as_table",
    "load_toml",
    "record_secrets",
    "str_items",
    "table_at",
]

KeyPath = tuple[Union[str, int], ...]

#: Nesting depth beyond which the locator stops descending (values still come from tomllib).
MAX_DEPTH = 64
#: How many times a broken table is dropped and the rest re-read before giving up.
MAX_RECOVERIES = 10
#: Above this many characters only two recoveries are tried (each re-reads the file).
LARGE_TEXT = 2_000_000


class Pos(Record, frozen=True):
    """A 1-based line and column."""

    line: int
    column: int


_WS = lazy_compile(r"[ \t]*")
_WS_NL = lazy_compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_BARE_KEY = lazy_compile(r"[A-Za-z0-9_-]+")
_BASIC = lazy_compile(r'"((?:[^"\\\n]|\\.)*)("?)')
_LITERAL = lazy_compile(r"'([^'\n]*)('?)")
_BARE_VALUE = lazy_compile(r"[^,\]}\n#]*")
_ESCAPE = lazy_compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    '"': '"',
    "\\": "\\",
}


def _unescape(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc[0] in "uUx":
            try:
                return chr(int(esc[1:], 16))
            except (ValueError, OverflowError):
                return esc
        return _SIMPLE_ESCAPES.get(esc, esc)

    return _ESCAPE.sub(repl, text)


class TooDeep(Exception):
    pass


class Positions:
    """Key path -> position of its key and of its value in one text: what
    :class:`TomlPositions` and :class:`~feedlint.parsers.jsonpos.JsonPositions` fill."""

    def __init__(self, text: str) -> None:
        self._t = text
        self._n = len(text)
        self._map = source_text(text.split("\n"))
        self.keys: dict[KeyPath, Pos] = {}
        self.values: dict[KeyPath, Pos] = {}
        #: where a string, array or inline table opened and was never closed
        self.unclosed: list[Pos] = []

    def key(self, path: KeyPath) -> Optional[Pos]:
        return self.keys.get(tuple(path))

    def value(self, path: KeyPath) -> Optional[Pos]:
        return self.values.get(tuple(path))

    def find(self, path: KeyPath, value: bool = False) -> Pos:
        """The value (``value=True``) or key position of ``path``; the nearest located
        ancestor when ``path`` itself is unknown; (1, 1) as a last resort."""
        path = tuple(path)
        if value and path in self.values:
            return self.values[path]
        while path:
            if path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return Pos(1, 1)

    def _pos(self, offset: int) -> Pos:
        return Pos(*self._map.locate(offset))

    # -- scanning (the subclass reads values) ------------------------------------------
    #: what may stand between array items: whitespace, newlines (and TOML comments)
    _between_items: re.Pattern[str]

    def _value(self, i: int, path: KeyPath, depth: int) -> int:
        raise NotImplementedError

    def _array(self, i: int, path: KeyPath, depth: int) -> int:
        """The array opening at ``i``: every item located (by index) and read; returns the
        offset after the closing ``]``."""
        t, n = self._t, self._n
        j = i + 1
        index = 0
        while True:
            j = self._between_items.match(t, j).end()  # type: ignore[union-attr]
            if j >= n:
                self.unclosed.append(self._pos(i))
                return n
            ch = t[j]
            if ch == "]":
                return j + 1
            if ch == ",":
                j += 1
                continue
            item = (*path, index)
            self.keys[item] = self._pos(j)
            before = j
            j = self._value(j, item, depth + 1)
            index += 1
            if j <= before:
                return before + 1


class TomlPositions(Positions):
    """Key path -> position of key and value, for one TOML text (see the module doc)."""

    _between_items = _WS_NL

    def __init__(self, text: str) -> None:
        super().__init__(text)
        #: (line, table path) of every table header, in file order
        self.headers: list[tuple[int, KeyPath]] = []
        self._aot: dict[KeyPath, int] = {}
        with contextlib.suppress(TooDeep, RecursionError):
            self._scan()

    # -- scanning ----------------------------------------------------------------------
    def _skip_line(self, i: int) -> int:
        nl = self._t.find("\n", i)
        return self._n if nl == -1 else nl + 1

    def _scan(self) -> None:
        t, n, i = self._t, self._n, 0
        table: KeyPath = ()
        while i < n:
            i = _WS_NL.match(t, i).end()  # type: ignore[union-attr]
            if i >= n:
                break
            if t[i] == "[":
                line = self._pos(i).line
                table, i = self._header(i)
                self.headers.append((line, table))
            else:
                i = self._keyval(i, table, 0)
            i = self._skip_line(i)

    def _header(self, i: int) -> tuple[KeyPath, int]:
        t = self._t
        aot = t.startswith("[[", i)
        j = _WS.match(t, i + (2 if aot else 1)).end()  # type: ignore[union-attr]
        parts, j = self._key(j)
        if not parts:
            return (), j
        resolved: KeyPath = ()
        for k, (name, offset) in enumerate(parts):
            resolved += (name,)
            last = k == len(parts) - 1
            if last and aot:
                index = self._aot.get(resolved, 0)
                self._aot[resolved] = index + 1
                self.keys.setdefault(resolved, self._pos(offset))
                resolved += (index,)
            elif resolved in self._aot:
                resolved += (self._aot[resolved] - 1,)
            self.keys.setdefault(resolved, self._pos(offset))
        return resolved, j

    def _key(self, i: int) -> tuple[list[tuple[str, int]], int]:
        """A (dotted) key: [(part, offset)], and the offset after it."""
        t, n = self._t, self._n
        parts: list[tuple[str, int]] = []
        while i < n:
            ch = t[i]
            if ch == '"':
                m = _BASIC.match(t, i)
                parts.append((_unescape(m.group(1)), i))  # type: ignore[union-attr]
                i = m.end()  # type: ignore[union-attr]
            elif ch == "'":
                m = _LITERAL.match(t, i)
                parts.append((m.group(1), i))  # type: ignore[union-attr]
                i = m.end()  # type: ignore[union-attr]
            else:
                m = _BARE_KEY.match(t, i)
                if not m:
                    break
                parts.append((m.group(0), i))
                i = m.end()
            i = _WS.match(t, i).end()  # type: ignore[union-attr]
            if i < n and t[i] == ".":
                i = _WS.match(t, i + 1).end()  # type: ignore[union-attr]
                continue
            break
        return parts, i

    def _keyval(self, i: int, table: KeyPath, depth: int) -> int:
        """``key = value`` at ``i`` inside ``table``; returns the offset after the value."""
        t, n = self._t, self._n
        parts, j = self._key(i)
        if not parts:
            return i + 1
        path = table
        for name, offset in parts:
            path += (name,)
            self.keys.setdefault(path, self._pos(offset))
        if j >= n or t[j] != "=":
            return j
        j = _WS.match(t, j + 1).end()  # type: ignore[union-attr]
        return self._value(j, path, depth)

    def _value(self, i: int, path: KeyPath, depth: int) -> int:
        t, n = self._t, self._n
        if depth > MAX_DEPTH:
            raise TooDeep
        if i >= n:
            return i
        ch = t[i]
        if t.startswith('"""', i) or t.startswith("'''", i):
            return self._multiline(i, path)
        if ch == '"' or ch == "'":
            m = (_BASIC if ch == '"' else _LITERAL).match(t, i)
            self.values[path] = self._pos(i + 1)
            if not m.group(2):  # type: ignore[union-attr]
                self.unclosed.append(self._pos(i))
            return m.end()  # type: ignore[union-attr]
        if ch == "{":
            self.values[path] = self._pos(i)
            return self._inline_table(i, path, depth)
        if ch == "[":
            self.values[path] = self._pos(i)
            return self._array(i, path, depth)
        m = _BARE_VALUE.match(t, i)
        self.values[path] = self._pos(i)
        return m.end()  # type: ignore[union-attr]

    def _multiline(self, i: int, path: KeyPath) -> int:
        t, n = self._t, self._n
        delim = t[i : i + 3]
        start = i + 3
        if t.startswith("\r\n", start):
            start += 2
        elif t.startswith("\n", start):
            start += 1
        self.values[path] = self._pos(min(start, n)) if n else Pos(1, 1)
        j = i + 3
        while True:
            k = t.find(delim, j)
            if k == -1:
                self.unclosed.append(self._pos(i))
                return n
            if delim == '"""':
                slashes = 0
                while k - slashes - 1 >= j and t[k - slashes - 1] == "\\":
                    slashes += 1
                if slashes % 2:
                    j = k + 1
                    continue
            end = k + 3
            extra = 0
            while end < n and t[end] == delim[0] and extra < 2:
                end += 1
                extra += 1
            return end

    def _inline_table(self, i: int, path: KeyPath, depth: int) -> int:
        """An inline table: one line in TOML 1.0 (as tomllib reads it), so a newline
        before the closing brace leaves it unclosed."""
        t, n = self._t, self._n
        j = i + 1
        while True:
            j = _WS.match(t, j).end()  # type: ignore[union-attr]
            if j >= n or t[j] in "\r\n#":
                self.unclosed.append(self._pos(i))
                return j
            if t[j] == "}":
                return j + 1
            if t[j] == ",":
                j += 1
                continue
            before = j
            j = self._keyval(j, path, depth + 1)
            j = _WS.match(t, j).end()  # type: ignore[union-attr]
            if j <= before:
                return before + 1
            if j < n and t[j] not in ",}\n\r#":
                return j  # malformed: let the caller skip the rest of the line


# -- loading -------------------------------------------------------------------------
_AT = lazy_compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def _unclosed_what(p: Pos, lines: Sequence[str]) -> str:
    ch = lines[p.line - 1][p.column - 1 : p.column] if 1 <= p.line <= len(lines) else ""
    return {"[": "array is never closed", "{": "inline table is never closed"}.get(
        ch, "unterminated string"
    )


def _locate_error(
    exc: Exception, lines: Sequence[str], positions: TomlPositions
) -> tuple[Pos, str]:
    """Where a tomllib error really is, and what to say about it (never file content)."""
    raw = str(exc)
    low = raw.lower()
    msg = getattr(exc, "msg", None)
    if not isinstance(msg, str) or not msg:
        msg = _AT.sub("", raw.splitlines()[0] if raw else "") or "syntax error"
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "colno", None)
    if not (isinstance(line, int) and isinstance(column, int)):
        m = _AT.search(raw)
        if m and m.group(1):
            line, column = int(m.group(1)), int(m.group(2))
        elif positions.unclosed:  # end of document: an unclosed string or bracket
            p = positions.unclosed[0]
            return p, _unclosed_what(p, lines)
        else:
            last = len(lines) or 1
            return Pos(last, len(lines[-1]) + 1 if lines else 1), msg
    line, column = max(1, line), max(1, column)
    opened = [p for p in positions.unclosed if p.line == line]
    if opened and "character" in low:  # a string left open on the reported line
        return opened[0], "unterminated string"
    earlier = [p for p in positions.unclosed if p.line < line]
    if earlier and 1 <= line <= len(lines) and _HEADER_LINE.match(lines[line - 1]):
        # a table header read as a value: an array or table above was never closed
        return earlier[-1], _unclosed_what(earlier[-1], lines)
    if ("overwrite" in low or "twice" in low) and 1 <= line <= len(lines):
        # tomllib points past the repeated key or header; point at it instead
        stripped = lines[line - 1].lstrip(" \t")
        if stripped:
            return Pos(line, len(lines[line - 1]) - len(stripped) + 1), msg
    return Pos(line, column), msg


_HEADER_LINE = lazy_compile(r"""^[ \t]*\[\[?[ \t]*[A-Za-z_"'][^\]\n]*\]\]?[ \t]*(#.*)?$""")


def _section(positions: TomlPositions, lines: Sequence[str], line: int) -> tuple[int, int]:
    """The lines (1-based, inclusive) of the table holding ``line``: from its header (or
    the top of the file) to the line before the next line that looks like a header (by
    shape alone, since an unclosed bracket may have swallowed the real ones)."""
    start, end = 1, len(lines)
    for header_line, _ in positions.headers:
        if header_line <= line:
            start = header_line
    if line > start and _HEADER_LINE.match(lines[line - 1]):
        # a header where a value was expected (an array left open above it): the
        # broken part is what comes before it
        return start, line - 1
    for k in range(line, len(lines)):  # lines after ``line`` (0-based k = line k + 1)
        if _HEADER_LINE.match(lines[k]):
            end = k
            break
    return start, max(start, end)


class TomlDoc(Record):
    """A parsed TOML file: ``data`` from tomllib, ``pos`` from the locator."""

    source: SourceFile
    data: dict[str, Any]
    pos: TomlPositions

    def key_loc(self, path: KeyPath) -> Location:
        """Where the key ``path`` is written (or its nearest located ancestor)."""
        p = self.pos.find(path)
        return Location(self.source.path, p.line, p.column)

    def value_loc(self, path: KeyPath) -> Location:
        """Where the value of ``path`` starts (inside the quotes for a string)."""
        p = self.pos.find(path, value=True)
        return Location(self.source.path, p.line, p.column)

    def item_loc(self, path: KeyPath, text: str = "") -> Location:
        """Where array item ``path`` starts; for a string item, its first non-blank
        character inside the quotes."""
        p = self.pos.value(path)
        if p is None:
            return self.key_loc(path)
        skip = len(text) - len(text.lstrip(" \t"))
        return Location(self.source.path, p.line, p.column + skip)


_HEADER_LINE = lazy_compile(r"^\s*\[\[?\s*(?P<name>[^\]#]+?)\s*\]")
_SALVAGE_KEY = lazy_compile(
    r"""^\s*(?P<key>[A-Za-z0-9_\-.]+|"[^"\n]+"|'[^'\n]+')\s*=\s*"""
    r"""(?:(?P<q>["'])(?P<quoted>[^"'\n]*)|(?P<bare>[^\s#"'\[{][^\s#]*))"""
)


def _salvage_secrets(lines: list[str], start: int, end: int, fm: FileModel) -> None:
    """Before a broken table is blanked out: its ``password``/``token``-like keys are
    still committed text (``password = s3cret`` without quotes is itself the syntax
    error), so record them as credential candidates with a best-effort key path."""
    header = ""
    for number in range(start, min(end, len(lines)) + 1):
        text = lines[number - 1]
        h = _HEADER_LINE.match(text)
        if h:
            header = ".".join(part.strip().strip("\"'") for part in h.group("name").split("."))
            continue
        m = _SALVAGE_KEY.match(text)
        if not m:
            continue
        key = ".".join(part.strip("\"'") for part in m.group("key").split("."))
        if not is_secret_name(key.rsplit(".", 1)[-1]):
            continue
        group = "quoted" if m.group("q") else "bare"
        value = m.group(group).strip()
        if value:
            fm.credentials.append(
                Credential(
                    value,
                    "key-value",
                    fm.loc(number, m.start(group) + 1),
                    fm.source.kind,
                    key=f"{header}.{key}" if header else key,
                )
            )


def load_toml(source: SourceFile, fm: FileModel) -> TomlDoc:
    """Parse ``source`` as TOML. A syntax error becomes one FL001 problem in ``fm`` at the
    reported position; the broken table is then blanked out (line numbers kept) and the
    rest re-read, so a typo in one table does not hide the others. Secret-named keys of
    a blanked table are still recorded as credential candidates (:func:`_salvage_secrets`)."""
    lines = list(source.lines)
    text = "\n".join(lines)
    positions = TomlPositions(text)
    reported = blanked = False
    attempts = MAX_RECOVERIES if len(text) <= LARGE_TEXT else 2  # a huge lock: stay quick
    for _ in range(attempts + 1):
        try:
            data = tomllib.loads(text)
        except RecursionError:
            if not reported:
                fm.problem("invalid TOML: nested too deeply to read", 1, 1)
            break
        except (tomllib.TOMLDecodeError, ValueError) as exc:
            where, message = _locate_error(exc, lines, positions)
            if not reported:
                fm.problem(f"invalid TOML: {message}", where.line, where.column)
                reported = True
            start, end = _section(positions, lines, min(where.line, len(lines) or 1))
            if not any(lines[start - 1 : end]):
                break  # nothing left to drop: give up on the rest
            _salvage_secrets(lines, start, end, fm)
            for k in range(start - 1, min(end, len(lines))):
                lines[k] = ""
            text = "\n".join(lines)
            if any(start <= u.line <= end for u in positions.unclosed):
                positions = TomlPositions(text)  # it may have hidden later headers
            else:
                positions.headers = [h for h in positions.headers if not start <= h[0] <= end]
            blanked = True
            continue
        # array-of-tables indexes may have shifted: locate again in what was read
        return TomlDoc(source, data, TomlPositions(text) if blanked else positions)
    return TomlDoc(source, {}, TomlPositions(""))


# -- typed access to parsed data -------------------------------------------------------
def as_table(value: object) -> dict[str, Any]:
    """``value`` when it is a table, else an empty one (wrong types are ignored)."""
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    """``value`` when it is an array, else an empty one."""
    return value if isinstance(value, list) else []


def as_str(value: object) -> Optional[str]:
    return value if isinstance(value, str) else None


def str_items(value: object) -> list[tuple[int, str]]:
    """(index, text) of the string items of an array; a lone string counts as item 0
    (several tools accept ``key = "x"`` for ``key = ["x"]``)."""
    if isinstance(value, str):
        return [(-1, value)]
    return [(i, v) for i, v in enumerate(as_list(value)) if isinstance(v, str)]


def table_at(data: dict[str, Any], path: KeyPath) -> dict[str, Any]:
    """The table at ``path`` in ``data`` (``data`` itself for ``()``); empty when absent
    or not a table."""
    node: object = data
    for key in path:
        node = as_table(node).get(key) if isinstance(key, str) else None
    return as_table(node)


def record_secrets(doc: TomlDoc, fm: FileModel, path: KeyPath, table: dict[str, Any]) -> None:
    """A ``password``/``token``-like key with a string value in ``table`` (at ``path``),
    e.g. in a source table where no tool expects one, is still a committed credential
    candidate: record it, located at the value."""
    for key, value in table.items():
        if isinstance(value, str) and value.strip() and is_secret_name(key):
            fm.credentials.append(
                Credential(
                    value,
                    "key-value",
                    doc.value_loc((*path, key)),
                    fm.source.kind,
                    key=".".join(str(p) for p in (*path, key)),
                )
            )
