"""One INI line scanner for pip.conf/pip.ini, .pypirc, setup.cfg and tox.ini, with positions.

It reads the way :class:`configparser.RawConfigParser` does with its defaults (what pip,
twine, setuptools and tox use), so a value here is the value the tool sees:

* ``[section]`` headers (the name is what lies between the first ``[`` and the last
  ``]``; text after it is ignored); ``[DEFAULT]`` holds defaults for every section;
* ``key = value`` and ``key: value`` (the first ``=`` or ``:`` splits); keys are
  normalised by ``optionxform`` (lower-case by default, pip also maps ``_`` to ``-`` and
  drops a leading ``--``);
* continuation lines: a line indented deeper than its key line continues the value; blank
  lines inside a value are kept, comment lines inside it are skipped;
* comments: lines whose first non-blank character is ``#`` or ``;``. There are no inline
  comments: ``url = https://x  # feed`` has the value ``https://x  # feed``;
* no interpolation: ``%`` and ``$`` are literal.

What configparser would refuse becomes an FL001 problem at the line (and the scan goes on):
text before the first section, a line that is neither a header, a ``key = value``, a
comment nor a continuation, an empty key, a duplicate section and a duplicate key in a
section (configparser is strict by default, so pip, twine and setuptools reject such
files).
"""

from __future__ import annotations

import re
from typing import Callable, Optional

from feedlint.lazyre import lazy_compile
from feedlint.model import FileModel, Location
from feedlint.parsers.textmap import MappedText
from feedlint.record import Record, field

__all__ = ["IniDocument", "IniEntry", "IniSection", "IniWord", "scan_ini"]

_SECTION = lazy_compile(r"\[(?P<header>.+)\]")
_OPTION = lazy_compile(r"(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$")
_COMMENT_PREFIXES = ("#", ";")


class IniWord(Record, frozen=True):
    """One whitespace-separated word of a value, with its position."""

    text: str
    line: int
    column: int


class IniEntry(Record):
    """A ``key = value`` entry. ``pieces`` are the value's physical parts: the text after
    the delimiter on the key line, then each continuation line (stripped; ``""`` for a
    kept blank line), each with its position."""

    section: str
    key: str  # as written (stripped)
    name: str  # normalised by optionxform
    line: int
    column: int
    pieces: list[MappedText] = field(default_factory=list)

    @property
    def value(self) -> str:
        """The value as configparser returns it (pieces joined by newlines, right-stripped)."""
        return "\n".join(p.text for p in self.pieces).rstrip()

    @property
    def lines(self) -> list[MappedText]:
        """The non-empty pieces (one per line of the value)."""
        return [p for p in self.pieces if p.text]

    def words(self) -> list[IniWord]:
        """Whitespace-separated words of the value with their positions (pip's
        ``value.split()`` for list options such as ``extra-index-url``)."""
        out = []
        for piece in self.pieces:
            for m in re.finditer(r"\S+", piece.text):
                line, column = piece.locate(m.start())
                out.append(IniWord(m.group(0), line, column))
        return out

    def value_location(self, fm: FileModel) -> Location:
        """Where the value starts (its first non-empty piece; the key when empty)."""
        for piece in self.pieces:
            if piece.text:
                line, column = piece.locate(0)
                return fm.loc(line, column)
        return fm.loc(self.line, self.column)


class IniSection(Record):
    """A section: ``name`` as written between the brackets, at ``line``:``column`` (the
    column of the name's first character)."""

    name: str
    line: int
    column: int
    entries: dict[str, IniEntry] = field(default_factory=dict)
    #: entries a later duplicate key replaced (an FL001 problem): still text in the file,
    #: so a secret there is still committed
    shadowed: list[IniEntry] = field(default_factory=list)

    def get(self, name: str) -> Optional[IniEntry]:
        return self.entries.get(name)

    def all_entries(self) -> list[IniEntry]:
        """Every entry written in the section, duplicates included, in file order."""
        return sorted([*self.entries.values(), *self.shadowed], key=lambda e: e.line)


class IniDocument(Record):
    """The sections in file order; ``defaults`` is ``[DEFAULT]`` when present."""

    sections: list[IniSection] = field(default_factory=list)
    defaults: Optional[IniSection] = None

    def section(self, name: str) -> Optional[IniSection]:
        return next((s for s in self.sections if s.name == name), None)

    def entries(self, section: IniSection) -> list[IniEntry]:
        """``section``'s entries plus the ``[DEFAULT]`` entries it does not override
        (what ``configparser.items(section)`` returns)."""
        out = list(section.entries.values())
        if self.defaults is not None:
            out += [e for n, e in self.defaults.entries.items() if n not in section.entries]
        return out


def _short(name: str) -> str:
    return name if len(name) <= 40 else name[:37] + "..."


def scan_ini(
    fm: FileModel,
    optionxform: Callable[[str], str] = str.lower,
    default_section: str = "DEFAULT",
) -> IniDocument:
    """Scan ``fm.source`` into an :class:`IniDocument`, recording problems in ``fm``."""
    doc = IniDocument()
    by_name: dict[str, IniSection] = {}
    current: Optional[IniSection] = None
    entry: Optional[IniEntry] = None
    indent_level = 0
    seen_sections: set[str] = set()
    for number, raw in enumerate(fm.source.lines, start=1):
        stripped = raw.strip()
        is_comment = any(stripped.startswith(p) for p in _COMMENT_PREFIXES)
        if not stripped or is_comment:
            if not stripped and not is_comment and entry is not None:
                entry.pieces.append(MappedText.at("", number, len(raw) + 1))
            continue
        cur_indent = len(raw) - len(raw.lstrip())
        if current is not None and entry is not None and cur_indent > indent_level:
            entry.pieces.append(MappedText.at(stripped, number, cur_indent + 1))
            continue
        indent_level = cur_indent
        m = _SECTION.match(stripped)
        if m:
            name = m.group("header")
            column = cur_indent + 2
            entry = None
            if name == default_section:
                if doc.defaults is None:
                    doc.defaults = IniSection(name, number, column)
                current = doc.defaults
            elif name in by_name:
                if name in seen_sections:
                    fm.problem(f"duplicate section [{_short(name)}]", number, column - 1)
                current = by_name[name]
            else:
                current = IniSection(name, number, column)
                by_name[name] = current
                doc.sections.append(current)
            seen_sections.add(name)
            continue
        mo = _OPTION.match(stripped)
        if current is None:
            # one finding for the line: '[global' (unclosed) is not a key either
            if mo:
                what = "text before the first [section] header"
            elif stripped.startswith("["):
                what = "unclosed [section] header"
            else:
                what = "not a `key = value` line, [section] header or comment"
            fm.problem(what, number, cur_indent + 1)
            # configparser stops here; read on under an anonymous section so the rest
            # of the file (keys, credentials) is still seen
            current = IniSection("", number, 1)
            by_name[""] = current
            doc.sections.append(current)
            if not mo:
                entry = None
                continue
        if not mo:
            fm.problem(
                "not a `key = value` line, [section] header or comment", number, cur_indent + 1
            )
            entry = None
            continue
        key = mo.group("option").rstrip()
        if not key:
            fm.problem("empty key before the `=`", number, cur_indent + 1)
            entry = None
            continue
        name = optionxform(key)
        if name in current.entries:
            current.shadowed.append(current.entries[name])
            fm.problem(
                f"duplicate key `{_short(key)}` in [{_short(current.name)}]",
                number,
                cur_indent + 1,
            )
        value = mo.group("value")
        value_start = cur_indent + mo.start("value")
        entry = IniEntry(current.name, key, name, number, cur_indent + 1)
        entry.pieces.append(MappedText.at(value.strip(), number, value_start + 1))
        current.entries[name] = entry
    return doc
