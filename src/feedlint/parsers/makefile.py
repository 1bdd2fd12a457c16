"""Makefiles (``Makefile``, ``makefile``, ``GNUmakefile``, ``*.mk``), read as GNU make reads
them, for the shell commands of their recipes and their variable assignments.

* **Recipe lines** are the lines that start with a TAB (or the first character of
  ``.RECIPEPREFIX``) in a *rule context*: after a rule line (``target: prerequisites``)
  until the next rule or variable definition; blank lines, ``#`` comment lines and
  conditionals (``ifeq`` ... ``endif``, both branches read) do not end it. The text after
  ``;`` on a rule line is a recipe line too. A backslash-newline continues a recipe line
  (make passes both to the shell and drops one leading recipe prefix from the next line),
  the leading ``@``, ``-`` and ``+`` prefixes are dropped and ``$$`` is a literal ``$``
  for the shell (``$$PAT`` is a shell environment reference). Each recipe line then goes
  through the shell machinery (:func:`~feedlint.parsers._shell.run_script`, origin
  ``shell``). ``$(VAR)``/``${VAR}`` are make variable references and stay as they are
  (read like environment references), except a whole command word such as ``$(PIP)`` or
  ``$(PYTHON)`` whose variable holds a literal program (``PIP := $(VENV)/bin/python -m
  pip``): it is expanded so the command is recognised, located at the ``$``.
* **Variable assignments** (``NAME = v``, ``:=``, ``::=``, ``:::=``, ``?=``, ``+=``, with
  ``export``/``override``/``private`` modifiers, and target-specific ones ``target: NAME
  = v``) become :class:`~feedlint.model.EnvAssignment` records so ``$(NAME)`` in a recipe
  resolves to them. An exported variable (``export NAME = v``, a later ``export NAME``,
  a bare ``export`` or ``.EXPORT_ALL_VARIABLES``) is in the environment of every recipe:
  it goes through :func:`~feedlint.parsers.commands.apply_env` (origin ``make-export``),
  so ``export PIP_EXTRA_INDEX_URL = ...`` is an index reference. Other variables (origin
  ``make-var``) are only make's: a secret-named one (``FEED_PAT := ...``) is still a
  credential candidate. ``NAME != command`` (a shell's output) records nothing.
* ``define`` ... ``endef`` bodies (nested ones counted) are not read: a canned recipe or
  a text block whose use cannot be told without expanding the makefile. Make comments
  (``#`` outside recipes, ``\\#`` escaped) are dropped; ``include`` and other directives
  are skipped. URLs with user-info anywhere in the file are still found by the scan every
  file gets.
"""

from __future__ import annotations

import re
from typing import Optional

from feedlint.lazyre import lazy_compile
from feedlint.model import Credential, EnvAssignment, FileModel, Location, SourceFile
from feedlint.parsers._shell import run_script
from feedlint.parsers.commands import apply_env, is_secret_name
from feedlint.parsers.textmap import MappedText
from feedlint.record import Record

__all__ = ["parse"]

_ASSIGN = lazy_compile(
    r"""^(?P<mods>(?:(?:export|override|private|unexport)[ \t]+)*)
    (?P<name>[^\s:#=$()]+?)[ \t]*
    (?P<op>:::=|::=|:=|\+=|\?=|!=|=)[ \t]*(?P<value>.*)$""",
    re.VERBOSE | re.DOTALL,
)
_DEFINE = lazy_compile(r"^[ \t]*(?:(?:export|override|private|unexport)[ \t]+)*define(?:[ \t]|$)")
_ENDEF = lazy_compile(r"^[ \t]*endef(?:[ \t#]|$)")
_CONDITIONAL = lazy_compile(r"^(?:ifeq|ifneq|ifdef|ifndef|else|endif)(?:[ \t(]|$)")
_DIRECTIVE = lazy_compile(r"^(?:-?include|sinclude|vpath|unexport|undefine|load|-load)(?:[ \t]|$)")
_EXPORT_NAMES = lazy_compile(r"^export(?:[ \t]+(?P<names>[^=]*))?$")
#: a make reference in command position: start of the line or after `;`, `&&`, `||`, `|`
#: (a backslash-newline between them is a space to the shell)
_HEAD_REF = lazy_compile(r"(?:^|(?<=[;&|(]))(?:[ \t]|\\\n)*(\$\((\w+)\)|\$\{(\w+)\})")
_REF = lazy_compile(r"\$\((\w+)\)|\$\{(\w+)\}")
_RECIPE_PREFIXES = " \t@-+"


class _Assign(Record, frozen=True):
    name: str
    value: str
    op: str
    exported: bool
    location: Location
    value_location: Location


def _continued(line: str) -> bool:
    """Whether ``line`` ends in an odd number of backslashes."""
    stripped = line.rstrip("\\")
    return (len(line) - len(stripped)) % 2 == 1


def _strip_comment(text: str) -> str:
    """A make line without its ``#`` comment (``\\#`` is a literal ``#``)."""
    i = text.find("#")
    while i != -1:
        backslashes = len(text[:i]) - len(text[:i].rstrip("\\"))
        if backslashes % 2 == 0:
            return text[:i]
        i = text.find("#", i + 1)
    return text


def _make_line(lines: tuple[str, ...], i: int) -> tuple[MappedText, int]:
    """The logical make line starting at index ``i`` (backslash-newline and the whitespace
    around it become one space) and the index after it."""
    out = MappedText()
    n = len(lines)
    while True:
        line = lines[i]
        lead = 0 if not len(out) else len(line) - len(line.lstrip(" \t"))
        if _continued(line) and i + 1 < n:
            body = line[:-1].rstrip(" \t")
            out.add(body[lead:], i + 1, lead + 1)
            out.add_virtual(" ")
            i += 1
            continue
        out.add(line[lead:], i + 1, lead + 1)
        return out, i + 1


def _recipe_line(lines: tuple[str, ...], i: int, prefix: str) -> tuple[MappedText, int]:
    """The recipe line starting at index ``i`` (its recipe prefix dropped), its
    backslash-newlines kept for the shell, and the index after it."""
    out = MappedText()
    n = len(lines)
    while True:
        line = lines[i]
        skip = 1 if line.startswith(prefix) else 0
        out.add(line[skip:], i + 1, skip + 1)
        if _continued(line) and i + 1 < n:
            out.add_virtual("\n")
            i += 1
            continue
        return out, i + 1


def _outside_refs(text: str, chars: str) -> int:
    """The offset of the first of ``chars`` outside ``$( )``/``${ }`` (-1 when none)."""
    depth = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "$" and text[i + 1 : i + 2] in ("(", "{"):
            depth += 1
            i += 2
            continue
        if depth and ch in ")}":
            depth -= 1
        elif not depth and ch in chars:
            return i
        i += 1
    return -1


def _pinned(text: str, line: int, column: int) -> MappedText:
    """``text`` (a make variable's expanded value) with every character located at
    ``line``:``column``, the reference it replaces: its words are not written there."""
    out = MappedText()
    for ch in text:
        out.add(ch, line, column)
    return out


class _Reader:
    def __init__(self, source: SourceFile, fm: FileModel) -> None:
        self.source = source
        self.fm = fm
        self.prefix = "\t"
        self.assigns: list[_Assign] = []
        self.exported: set[str] = set()
        self.export_all = False
        self.recipes: list[MappedText] = []

    def loc(self, text: MappedText, offset: int) -> Location:
        return self.fm.loc(*text.locate(offset))

    def assignment(self, text: MappedText, m: re.Match[str], base: int = 0) -> None:
        name = m.group("name")
        mods = m.group("mods").split()
        if name == ".RECIPEPREFIX":
            value = m.group("value")
            self.prefix = value[0] if value else "\t"
            return
        if "unexport" in mods:
            self.exported.discard(name)
            return
        if m.group("op") == "!=":
            return  # the output of a shell command: not a value feedlint can read
        value = m.group("value").rstrip().replace("\\#", "#")
        self.assigns.append(
            _Assign(
                name,
                value,
                m.group("op"),
                "export" in mods,
                self.loc(text, base + m.start("name")),
                self.loc(text, base + m.start("value")),
            )
        )

    def make_line(self, logical: MappedText) -> bool:
        """Read one make line; whether it starts a rule context."""
        raw = _strip_comment(logical.text)
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        if not text:
            return False
        m = _ASSIGN.match(text)
        if m:
            self.assignment(logical, m, lead)
            return False
        if _DIRECTIVE.match(text):
            return False
        ex = _EXPORT_NAMES.match(text)
        if ex:
            names = (ex.group("names") or "").split()
            if names:
                self.exported.update(names)
            else:
                self.export_all = True
            return False
        colon = _outside_refs(text, ":")
        if colon == -1:
            return False  # `$(eval ...)`, `$(info ...)` or a line make would reject
        targets = text[:colon].split()
        if ".EXPORT_ALL_VARIABLES" in targets:
            self.export_all = True
        after = colon + 1
        while after < len(text) and text[after] == ":":
            after += 1  # `target::` double-colon rules
        rest = text[after:]
        rest_lead = len(rest) - len(rest.lstrip())
        var = _ASSIGN.match(rest.strip())
        if var and _outside_refs(rest, ";") == -1:
            # a target-specific variable: no recipe follows
            self.assignment(logical, var, lead + after + rest_lead)
            return False
        semi = _outside_refs(rest, ";")
        if semi != -1:
            # the recipe on the rule line (make comments do not apply to it)
            self.recipes.append(logical.slice(lead + after + semi + 1))
        return True

    def read(self) -> None:
        lines = self.source.lines
        n = len(lines)
        i = 0
        in_rule = False
        while i < n:
            line = lines[i]
            if in_rule and line.startswith(self.prefix):
                recipe, i = _recipe_line(lines, i, self.prefix)
                self.recipes.append(recipe)
                continue
            if _DEFINE.match(line):
                i = self._skip_define(lines, i)
                in_rule = False
                continue
            stripped = line.lstrip(" \t")
            if not stripped or stripped.startswith("#"):
                i += 1
                continue
            logical, i = _make_line(lines, i)
            head = logical.text.lstrip(" \t")
            if _CONDITIONAL.match(head):
                continue
            in_rule = self.make_line(logical)

    def _skip_define(self, lines: tuple[str, ...], i: int) -> int:
        depth = 0
        n = len(lines)
        while i < n:
            if _DEFINE.match(lines[i]):
                depth += 1
            elif _ENDEF.match(lines[i]):
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        at = self.fm.loc(n, 1)
        self.fm.problem("`define` without `endef`: make stops reading here", at.line, at.column)
        return n

    # -- results --------------------------------------------------------------------------
    def values(self) -> dict[str, list[str]]:
        """Literal values of make variables in file order, ``+=`` left out (for expanding a
        command word). A variable set in both branches of a conditional (``ifdef VENV`` /
        ``PYTHON := $(VENV)/bin/python`` / ``else`` / ``PYTHON := python3``) has several."""
        out: dict[str, list[str]] = {}
        for a in self.assigns:
            if a.op != "+=":
                out.setdefault(a.name, []).append(a.value)
        return out

    def expand_word(self, name: str, values: dict[str, list[str]], depth: int = 0) -> Optional[str]:
        """The first of ``name``'s values that expands to a literal command word; references
        in its arguments that cannot be expanded (``--extra-index-url $(FEED_URL)``) stay as
        they are, read like environment references."""
        if depth > 8:
            return None
        for value in values.get(name, ()):
            out = self._expand_value(value, values, depth)
            if out is not None:
                return out
        return None

    def _expand_value(self, value: str, values: dict[str, list[str]], depth: int) -> Optional[str]:
        head = value.split(None, 1)[0] if value.strip() else ""
        if not head or "://" in head:
            return None

        def sub(m: re.Match[str]) -> str:
            inner = self.expand_word(m.group(1) or m.group(2), values, depth + 1)
            return m.group(0) if inner is None else inner

        out = _REF.sub(sub, value.replace("$$", "$"))
        words = out.split(None, 1)
        return None if not words or "$" in words[0] else out

    def finish(self) -> None:
        fm = self.fm
        values = self.values()
        for recipe in self.recipes:
            text = recipe.text
            lead = len(text) - len(text.lstrip(_RECIPE_PREFIXES))
            body = recipe.slice(lead).replace("$$", "$")
            body = self._expand_heads(body, values)
            if body.text.strip():
                run_script(body, fm, "shell")
        for a in self.assigns:
            value = a.value.replace("$$", "$")
            if a.exported or a.name in self.exported or self.export_all:
                apply_env(a.name, value, a.location, fm, "make-export", a.value_location)
                continue
            fm.env.append(EnvAssignment(a.name, value, "make-var", a.location, a.value_location))
            if is_secret_name(a.name) and value.strip():
                fm.credentials.append(
                    Credential(
                        value.strip(), "key-value", a.value_location, fm.source.kind, key=a.name
                    )
                )

    def _expand_heads(self, body: MappedText, values: dict[str, list[str]]) -> MappedText:
        text = body.text
        if "$" not in text:
            return body
        parts: list[MappedText] = []
        start = 0
        for m in _HEAD_REF.finditer(text):
            name = m.group(2) or m.group(3)
            value = self.expand_word(name, values)
            if value is None:
                continue
            parts.append(body.slice(start, m.start(1)))
            parts.append(_pinned(value, *body.locate(m.start(1))))
            start = m.end(1)
        if not parts:
            return body
        parts.append(body.slice(start))
        return MappedText.join(parts)


def parse(source: SourceFile) -> FileModel:
    """Parse a makefile (see the module docstring)."""
    fm = FileModel(source)
    reader = _Reader(source, fm)
    reader.read()
    reader.finish()
    return fm
