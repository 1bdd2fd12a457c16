"""JSON with positions (for Pipfile.lock): values from :mod:`json`, positions from a small
scanner mapping each key path to the (line, column) of its key and value, in the same
shape as :class:`feedlint.parsers.tomlpos.TomlPositions` (array items by index, a
string value located inside its quotes). Never raises; odd input only costs positions.
"""

from __future__ import annotations

import contextlib
import json

from feedlint.lazyre import lazy_compile
from feedlint.parsers.tomlpos import MAX_DEPTH, KeyPath, Positions, TooDeep

__all__ = ["JsonPositions"]

_WS = lazy_compile(r"[ \t\r\n]*")
_STRING = lazy_compile(r'"((?:[^"\\\n]|\\.)*)"?')
_SCALAR = lazy_compile(r"[^,\]}\s]*")


class JsonPositions(Positions):
    _between_items = _WS

    def __init__(self, text: str) -> None:
        super().__init__(text)
        with contextlib.suppress(TooDeep, RecursionError):
            self._value(_WS.match(text, 0).end(), (), 0)  # type: ignore[union-attr]

    def _value(self, i: int, path: KeyPath, depth: int) -> int:
        t, n = self._t, self._n
        if depth > MAX_DEPTH:
            raise TooDeep
        if i >= n:
            return i
        ch = t[i]
        if ch == '"':
            m = _STRING.match(t, i)
            self.values[path] = self._pos(i + 1)
            return m.end()  # type: ignore[union-attr]
        self.values[path] = self._pos(i)
        if ch == "{":
            return self._object(i, path, depth)
        if ch == "[":
            return self._array(i, path, depth)
        m = _SCALAR.match(t, i)
        return max(m.end(), i + 1)  # type: ignore[union-attr]

    def _object(self, i: int, path: KeyPath, depth: int) -> int:
        t, n = self._t, self._n
        j = i + 1
        while True:
            j = _WS.match(t, j).end()  # type: ignore[union-attr]
            if j >= n:
                return n
            if t[j] == "}":
                return j + 1
            if t[j] == ",":
                j += 1
                continue
            if t[j] != '"':
                return j + 1
            m = _STRING.match(t, j)
            try:
                key = json.loads(f'"{m.group(1)}"')  # type: ignore[union-attr]
            except ValueError:
                key = m.group(1)  # type: ignore[union-attr]
            where = (*path, key)
            self.keys.setdefault(where, self._pos(j))
            j = _WS.match(t, m.end()).end()  # type: ignore[union-attr]
            if j >= n or t[j] != ":":
                return j
            j = _WS.match(t, j + 1).end()  # type: ignore[union-attr]
            before = j
            j = self._value(j, where, depth + 1)
            if j <= before:
                return before + 1
