"""A forgiving reader for the YAML that CI systems use, with exact positions.

PyYAML is not a dependency and would not give positions inside scalars anyway. This
reader understands block mappings and sequences (including ``- key: value`` items and
sequences at their key's indentation), plain, single- and double-quoted scalars over
several lines, literal ``|`` and folded ``>`` block scalars with their indicators, flow
collections ``[a, b]`` / ``{k: v}``, comments, anchors, tags, aliases and ``---``
documents. Every scalar's text is a :class:`~feedlint.parsers.textmap.MappedText`, so each of
its characters maps back to the file.

It never raises on any input: what it does not understand it skips, line by line. It is
a reader for linting, not a validator: invalid YAML is read as well as it can be.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Optional, Union

from feedlint.lazyre import lazy_compile
from feedlint.parsers.textmap import MappedText
from feedlint.record import Record, field

__all__ = [
    "Entry",
    "Mapping",
    "Node",
    "Scalar",
    "Sequence",
    "parse_yaml",
    "read_yaml",
    "scalar_start",
]

_MAX_DEPTH = 150


class Scalar(Record):
    text: MappedText
    style: str  # plain, single, double, literal, folded, alias
    line: int
    column: int

    @property
    def value(self) -> str:
        return self.text.text


class Entry(Record):
    key: str
    line: int
    column: int
    value: Optional[Node]


class Mapping(Record):
    line: int
    column: int
    entries: list[Entry] = field(default_factory=list)

    def get(self, key: str) -> Optional[Node]:
        for entry in self.entries:
            if entry.key == key:
                return entry.value
        return None

    def entry(self, key: str) -> Optional[Entry]:
        return next((e for e in self.entries if e.key == key), None)

    def scalar(self, key: str) -> Optional[Scalar]:
        node = self.get(key)
        return node if isinstance(node, Scalar) else None


class Sequence(Record):
    line: int
    column: int
    items: list[Node] = field(default_factory=list)


Node = Union[Scalar, Mapping, Sequence]

_KEY = lazy_compile(
    r"""^(?:
        "(?P<dq>(?:[^"\\]|\\.)*)"
      | '(?P<sq>(?:[^']|'')*)'
      | (?P<plain>(?:[^\s\#'"\[\]{},&*!|>%@`\-?:]|[\-?:](?=\S))(?:[^\#\n]|(?<=\S)\#)*?)
    )[ \t]*:(?=[ \t]|$)""",
    re.VERBOSE,
)
_BLOCK_HEADER = lazy_compile(r"^([|>])([1-9]?[+-]?|[+-]?[1-9]?)[ \t]*(#.*)?$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _significant(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _is_dash(content: str) -> bool:
    return content == "-" or content.startswith(("- ", "-\t"))


class _Reader:
    def __init__(self, lines: tuple[str, ...] | list[str]) -> None:
        self.lines = lines
        self.n = len(lines)
        self.depth = 0
        self.anchors: dict[str, Node] = {}

    # -- navigation -----------------------------------------------------------------
    def next_significant(self, i: int) -> int:
        while i < self.n:
            if self.marker(i) or _significant(self.lines[i]):
                return i
            i += 1
        return i

    def marker(self, i: int) -> bool:
        line = self.lines[i]
        return line.startswith(("---", "...")) and (len(line) == 3 or line[3:4] in " \t")

    # -- documents ------------------------------------------------------------------
    def documents(self) -> list[Node]:
        roots: list[Node] = []
        i = 0
        while i < self.n:
            i = self.next_significant(i)
            if i >= self.n:
                break
            if self.marker(i):
                rest = self.lines[i][3:].strip()
                i += 1
                if rest and not rest.startswith("#"):
                    roots.append(self.plain_line(i - 1, 3 + _indent(self.lines[i - 1][3:])))
                continue
            if self.lines[i].lstrip().startswith("%"):
                i += 1
                continue
            node, nxt = self.block(i, -1)
            if node is not None:
                roots.append(node)
            i = max(nxt, i + 1)
        return roots

    # -- block structure --------------------------------------------------------------
    def block(self, i: int, parent: int, seq_at_parent: bool = False) -> tuple[Optional[Node], int]:
        """The node starting at the next significant line if it is indented more than
        ``parent`` (or a sequence at ``parent`` when ``seq_at_parent``)."""
        j = self.next_significant(i)
        if j >= self.n or self.marker(j):
            return None, j
        line = self.lines[j]
        ind = _indent(line)
        if ind < parent or (ind == parent and not (seq_at_parent and _is_dash(line[ind:]))):
            return None, j
        return self.node_at(j, ind, parent)

    def node_at(self, i: int, col: int, parent: int) -> tuple[Optional[Node], int]:
        if self.depth > _MAX_DEPTH:
            return self.plain_line(i, col), i + 1
        self.depth += 1
        try:
            content = self.lines[i][col:]
            if _is_dash(content):
                return self.sequence(i, col)
            if _KEY.match(content):
                return self.mapping(i, col)
            return self.value(i, col, parent)
        finally:
            self.depth -= 1

    def sequence(self, i: int, col: int) -> tuple[Sequence, int]:
        seq = Sequence(i + 1, col + 1)
        while True:
            line = self.lines[i]
            c = col + 1
            while c < len(line) and line[c] in " \t":
                c += 1
            rest = line[c:]
            if not rest or rest.startswith("#"):
                child, nxt = self.block(i + 1, col)
            else:
                child, nxt = self.node_at(i, c, col)
            if child is not None:
                seq.items.append(child)
            i = self.next_significant(max(nxt, i + 1))
            if i >= self.n or self.marker(i):
                break
            line = self.lines[i]
            if _indent(line) != col or not _is_dash(line[col:]):
                break
        return seq, i

    def mapping(self, i: int, col: int) -> tuple[Mapping, int]:
        mapping = Mapping(i + 1, col + 1)
        while True:
            line = self.lines[i]
            m = _KEY.match(line[col:])
            if m is None:
                break
            key = m.group("plain")
            if key is None:
                key = (
                    m.group("dq") if m.group("dq") is not None else m.group("sq").replace("''", "'")
                )
            key = key.strip()
            c = col + m.end()
            while c < len(line) and line[c] in " \t":
                c += 1
            rest = line[c:]
            if not rest or rest.startswith("#"):
                value, nxt = self.block(i + 1, col, seq_at_parent=True)
            else:
                value, nxt = self.value(i, c, col)
            mapping.entries.append(Entry(key, i + 1, col + 1, value))
            i = self.next_significant(max(nxt, i + 1))
            if i >= self.n or self.marker(i):
                break
            line = self.lines[i]
            if _indent(line) != col or not _KEY.match(line[col:]):
                break
        return mapping, i

    # -- values -----------------------------------------------------------------------
    def value(self, i: int, c: int, parent: int) -> tuple[Optional[Node], int]:
        """A value starting at line ``i`` column offset ``c`` (after ``key:`` or ``-``)."""
        line = self.lines[i]
        # anchors and tags before the value; GitLab's `!reference [job, key]` is a
        # reference, like an alias
        anchor = ""
        while c < len(line) and line[c] in "&!":
            end = c
            while end < len(line) and line[end] not in " \t":
                end += 1
            if line[c:end] == "!reference":
                text = MappedText()
                text.add(_cut_comment(line[c:]).rstrip(), i + 1, c + 1)
                return Scalar(text, "alias", i + 1, c + 1), i + 1
            if line[c] == "&":
                anchor = line[c + 1 : end]
            c = end
            while c < len(line) and line[c] in " \t":
                c += 1
        if anchor:
            node, nxt = (
                self.value(i, c, parent) if c < len(line) else self.block(i + 1, parent, True)
            )
            if node is not None:
                self.anchors[anchor] = node
            return node, nxt
        rest = line[c:]
        if not rest or rest.startswith("#"):
            return self.block(i + 1, parent, seq_at_parent=True)
        first = rest[0]
        if first == "*":
            text = MappedText()
            word = rest.split()[0]
            text.add(word, i + 1, c + 1)
            return Scalar(text, "alias", i + 1, c + 1), i + 1
        if first in "|>" and _BLOCK_HEADER.match(rest):
            return self.block_scalar(i, c, parent)
        if first in "\"'":
            return self.quoted(i, c, parent)
        if first in "[{":
            return self.flow(i, c, parent)
        if _is_dash(rest) or _KEY.match(rest):
            return self.node_at(i, c, parent)
        return self.plain(i, c, parent)

    def plain_line(self, i: int, c: int) -> Scalar:
        text = MappedText()
        line = self.lines[i]
        body = _cut_comment(line[c:]).rstrip()
        text.add(body, i + 1, c + 1)
        return Scalar(text, "plain", i + 1, c + 1)

    def plain(self, i: int, c: int, parent: int) -> tuple[Scalar, int]:
        """A plain scalar: its first line from ``c``, then more-indented lines folded
        with spaces (an empty line becomes a newline); a comment ends it."""
        scalar = self.plain_line(i, c)
        if re.search(r"[ \t]#", self.lines[i][c:]):
            return scalar, i + 1  # a comment ends the scalar
        text = scalar.text
        j = i + 1
        blanks = 0
        while j < self.n:
            line = self.lines[j]
            if not line.strip():
                blanks += 1
                j += 1
                continue
            ind = _indent(line)
            body = line[ind:]
            if ind <= parent or body.startswith("#") or self.marker(j):
                break
            if parent < 0 and (_KEY.match(body) or _is_dash(body)):
                break
            text.add_virtual("\n" * blanks if blanks else " ")
            blanks = 0
            cut = _cut_comment(body).rstrip()
            text.add(cut, j + 1, ind + 1)
            j += 1
            if cut != body.rstrip():
                break
        return scalar, j

    def block_scalar(self, i: int, c: int, parent: int) -> tuple[Scalar, int]:
        header = _BLOCK_HEADER.match(self.lines[i][c:])
        style = "literal" if self.lines[i][c] == "|" else "folded"
        digits = re.sub(r"[^0-9]", "", header.group(2)) if header else ""
        j = i + 1
        content_indent: Optional[int] = None
        if digits:
            content_indent = max(parent, 0) + int(digits)
        else:
            k = j
            while k < self.n and not self.lines[k].strip():
                k += 1
            if k < self.n and _indent(self.lines[k]) > parent:
                content_indent = _indent(self.lines[k])
        text = MappedText()
        scalar = Scalar(text, style, i + 1, c + 1)
        if content_indent is None:
            return scalar, j
        rows: list[tuple[int, str]] = []  # (line index, content)
        while j < self.n:
            line = self.lines[j]
            if not line.strip():
                rows.append((j, ""))
                j += 1
                continue
            if _indent(line) < content_indent or (self.marker(j) and content_indent == 0):
                break
            rows.append((j, line[content_indent:]))
            j += 1
        while rows and not rows[-1][1]:
            rows.pop()
        prev_more = False
        for n, (k, body) in enumerate(rows):
            more = body[:1] in (" ", "\t")
            if n:
                if style == "literal" or more or prev_more or not body:
                    text.add_virtual("\n")
                elif rows[n - 1][1]:
                    text.add_virtual(" ")
                # after an empty line, the line break before this one is folded away
            text.add(body, k + 1, content_indent + 1)
            prev_more = more
        return scalar, j

    def quoted(self, i: int, c: int, parent: int) -> tuple[Scalar, int]:
        """A single- or double-quoted scalar, folded over lines as YAML does (a line
        break is a space, an empty line a newline, an escaped line break nothing)."""
        quote = self.lines[i][c]
        text = MappedText()
        scalar = Scalar(text, "double" if quote == '"' else "single", i + 1, c + 1)
        j, k = i, c + 1
        fold: Optional[str] = None

        def emit(chars: str, line: int, col: int) -> None:
            nonlocal fold
            if fold:
                text.add_virtual(fold)
            fold = None
            text.add(chars, line, col)

        while j < self.n:
            line = self.lines[j]
            escaped_break = False
            while k < len(line):
                ch = line[k]
                if ch == quote:
                    if quote == "'" and line[k + 1 : k + 2] == "'":
                        emit("'", j + 1, k + 1)
                        k += 2
                        continue
                    return scalar, j + 1
                if quote == '"' and ch == "\\":
                    if k + 1 >= len(line):
                        escaped_break = True
                        break
                    decoded, width = _escape(line, k)
                    emit(decoded, j + 1, k + 1)
                    k += width
                    continue
                emit(ch, j + 1, k + 1)
                k += 1
            fold = "" if escaped_break else " "
            j += 1
            while j < self.n and not self.lines[j].strip():
                fold = "\n" if fold == " " else fold + "\n"
                j += 1
            if j >= self.n or _indent(self.lines[j]) <= parent:
                break  # unterminated: stop before the next structure line
            k = _indent(self.lines[j])
        return scalar, j

    def flow(self, i: int, c: int, parent: int) -> tuple[Optional[Node], int]:
        """A flow collection, possibly over several lines."""
        src = MappedText()
        depth = 0
        quote = ""
        j, k = i, c
        done = False
        while j < self.n and not done:
            line = self.lines[j]
            start = k
            while k < len(line):
                ch = line[k]
                if quote:
                    if ch == quote:
                        quote = ""
                    elif ch == "\\" and quote == '"':
                        k += 1
                elif ch in "\"'":
                    quote = ch
                elif ch == "#" and (k == 0 or line[k - 1] in " \t"):
                    break
                elif ch in "[{":
                    depth += 1
                elif ch in "]}":
                    depth -= 1
                    if depth <= 0:
                        k += 1
                        done = True
                        break
                k += 1
            src.add(line[start:k], j + 1, start + 1)
            j += 1
            if done or j >= self.n:
                break
            nxt = self.lines[j]
            if nxt.strip() and _indent(nxt) <= parent:
                break
            src.add_virtual(" ")
            k = 0
        node = _Flow(src).parse()
        return node, j


def _cut_comment(text: str) -> str:
    """``text`` up to a `` #`` comment."""
    for m in re.finditer(r"[ \t]#", text):
        return text[: m.start()]
    return text


_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}


def _escape(line: str, k: int) -> tuple[str, int]:
    """The character a double-quoted escape at ``line[k]`` stands for, and its width."""
    esc = line[k + 1]
    if esc in _ESCAPES:
        return _ESCAPES[esc], 2
    width = {"x": 2, "u": 4, "U": 8}.get(esc)
    if width:
        digits = line[k + 2 : k + 2 + width]
        try:
            return chr(int(digits, 16)), 2 + width
        except (ValueError, OverflowError):
            return esc, 2
    return esc, 2


class _Flow:
    """Flow collections from a positioned text."""

    def __init__(self, src: MappedText) -> None:
        self.src = src
        self.text = src.text
        self.i = 0
        self.depth = 0

    def ws(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in " \t\n":
            self.i += 1

    def parse(self) -> Optional[Node]:
        self.ws()
        return self.node()

    def node(self) -> Optional[Node]:
        self.ws()
        if self.i >= len(self.text):
            return None
        ch = self.text[self.i]
        line, col = self.src.locate(self.i)
        if self.depth > _MAX_DEPTH:
            self.i = len(self.text)
            return None
        if ch == "[":
            self.depth += 1
            self.i += 1
            seq = Sequence(line, col)
            for item in self.items("]"):
                seq.items.append(item)
            self.depth -= 1
            return seq
        if ch == "{":
            self.depth += 1
            self.i += 1
            mapping = Mapping(line, col)
            for item in self.items("}"):
                if isinstance(item, Mapping):
                    mapping.entries.extend(item.entries)
            self.depth -= 1
            return mapping
        return self.scalar()

    def items(self, close: str) -> Iterator[Node]:
        while self.i < len(self.text):
            self.ws()
            if self.i >= len(self.text):
                return
            if self.text[self.i] == close:
                self.i += 1
                return
            if self.text[self.i] == ",":
                self.i += 1
                continue
            start = self.i
            key = self.node()
            self.ws()
            if self.i < len(self.text) and self.text[self.i] == ":":
                self.i += 1
                value = self.node()
                line, col = self.src.locate(start)
                name = key.value if isinstance(key, Scalar) else ""
                yield Mapping(line, col, [Entry(name, line, col, value)])
            elif key is not None:
                if close == "}" and isinstance(key, Scalar):
                    line, col = self.src.locate(start)
                    yield Mapping(line, col, [Entry(key.value, line, col, None)])
                else:
                    yield key
            if self.i == start:
                self.i += 1

    def scalar(self) -> Optional[Scalar]:
        text, i = self.text, self.i
        line, col = self.src.locate(i)
        out = MappedText()
        if text[i] in "\"'":
            quote = text[i]
            i += 1
            while i < len(text):
                ch = text[i]
                if ch == quote:
                    if quote == "'" and text[i + 1 : i + 2] == "'":
                        out.add_from(self.src, i, i + 1)
                        i += 2
                        continue
                    i += 1
                    break
                if quote == '"' and ch == "\\" and i + 1 < len(text):
                    decoded, width = _escape(text, i)
                    ln, c = self.src.locate(i)
                    out.add(decoded, ln, c)
                    i += width
                    continue
                out.add_from(self.src, i, i + 1)
                i += 1
            self.i = i
            return Scalar(out, "double" if quote == '"' else "single", line, col)
        start = i
        while i < len(text) and text[i] not in ",[]{}":
            if text[i] == ":" and (i + 1 >= len(text) or text[i + 1] in " \t\n,[]{}"):
                break
            i += 1
        self.i = i
        raw = text[start:i]
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if not body:
            return None
        out.add_from(self.src, start + lead, start + lead + len(body))
        return Scalar(out, "plain", line, col)


def parse_yaml(lines: tuple[str, ...] | list[str]) -> list[Node]:
    """The documents of a YAML text given as lines (never raises for any text)."""
    return _Reader(lines).documents()


def read_yaml(lines: tuple[str, ...] | list[str]) -> tuple[list[Node], dict[str, Node]]:
    """The documents and the anchored nodes by name (for resolving ``*alias``)."""
    reader = _Reader(lines)
    return reader.documents(), reader.anchors


def scalar_start(scalar: Scalar) -> tuple[int, int]:
    """(line, column) of a scalar's first character, after its opening quote."""
    if len(scalar.text):
        return scalar.text.locate(0)
    quoted = scalar.style in ("single", "double")
    return scalar.line, scalar.column + (1 if quoted else 0)
