"""tox.ini (and the ``[tox:tox]`` form in setup.cfg): what tox hands to pip.

Values are processed the way tox 4 does before using them: per line, a line starting
with ``#`` is dropped and everything from the first unescaped ``#`` (with the whitespace
before it) is a comment, ``\\#`` is a literal ``#`` (so ``git+https://...#egg=x`` in
``deps`` loses its fragment unless written ``\\#egg=x``); a factor condition
``py311,!lint: `` before a line is removed (every factor's lines are read: the linter
does not pick an environment); a line ending in ``\\`` is joined with the next.

* ``[testenv]``/``[testenv:NAME]`` ``deps``: one requirements line each, read with
  :class:`~feedlint.parsers.requirements.RequirementsReader` (``-r``/``-c`` includes,
  ``-i``/``--index-url``, ``--extra-index-url``, ``-f``, ``--hash`` ...), ``scope`` =
  the section name. A line that is exactly ``{[section]key}`` is replaced by that value;
  ``{toxinidir}``/``{tox_root}`` mean the tox.ini directory. Lines that still hold a
  ``{...}`` substitution are read but never reported as invalid.
* ``install_command`` and ``commands``/``commands_pre``/``commands_post``: command lines
  (:class:`~feedlint.model.Command`, origin ``tox``) given to
  :func:`~feedlint.parsers.commands.extract_command`.
* ``setenv``/``set_env``: ``NAME=value`` lines given to
  :func:`~feedlint.parsers.commands.apply_env` (origin ``tox-setenv``, scope ``env``).
  Values are kept raw: ``{env:NAME:default}`` is tox syntax for an environment reference.
* ``[tox] indexserver`` (tox 3): ``default = URL`` is the index (role INDEX), other
  names are named sources (role SOURCE), installer pip, via ``indexserver``.
"""

from __future__ import annotations

import posixpath
import re

from feedlint.lazyre import lazy_compile
from feedlint.model import Command, FileModel, IndexRef, IndexRole, Installer, SourceFile
from feedlint.parsers.commands import apply_env, extract_command
from feedlint.parsers.ini import IniDocument, IniEntry, scan_ini
from feedlint.parsers.requirements import RequirementsReader, logical_lines
from feedlint.parsers.textmap import MappedText

__all__ = ["parse", "read_tox", "tox_lines"]

_COMMENTS = lazy_compile(r"(\s)*(?<!\\)#.*")
_FACTOR = lazy_compile(r"^((?P<factor_expr>[\w{}.!,-]+):\s+)?(?P<content>.*?)$")
_SECTION_REF = lazy_compile(r"^\{\[(?P<section>[^\]]+)\](?P<key>[^{}]+)\}$")
_SUBST = lazy_compile(r"\{[^{}]*\}")
_MAX_REF_DEPTH = 8


def tox_lines(entry: IniEntry) -> list[MappedText]:
    """The value's lines after tox's comment, escape, factor and continuation handling."""
    out: list[MappedText] = []
    pending: list[MappedText] = []
    for piece in entry.pieces:
        if not piece.text or piece.text.startswith("#"):
            continue
        m = _COMMENTS.search(piece.text)
        mt = piece.slice(0, m.start()) if m else piece
        mt = mt.replace("\\#", "#")
        factor = _FACTOR.match(mt.text)
        if factor and factor.group("factor_expr"):
            mt = mt.slice(factor.start("content"))
        if mt.text.endswith("\\"):
            pending.append(mt.slice(0, len(mt.text) - 1))
            continue
        pending.append(mt)
        joined = MappedText.join(pending).strip()
        pending = []
        if joined.text:
            out.append(joined)
    if pending:
        joined = MappedText.join(pending).strip()
        if joined.text:
            out.append(joined)
    return out


class _ToxReader:
    def __init__(self, fm: FileModel, doc: IniDocument) -> None:
        self.fm = fm
        self.doc = doc
        self.base_dir = posixpath.dirname(fm.path)
        self.seen_deps: set[tuple[str, str]] = set()

    # -- deps ---------------------------------------------------------------------
    def _expand(self, lines: list[MappedText], depth: int = 0) -> list[MappedText]:
        out: list[MappedText] = []
        for mt in lines:
            ref = _SECTION_REF.match(mt.text)
            if ref is None:
                out.append(mt)
                continue
            key = (ref.group("section"), ref.group("key").strip())
            section = self.doc.section(key[0])
            entry = section.get(key[1]) if section else None
            if entry is None or depth >= _MAX_REF_DEPTH or key in self.seen_deps:
                continue  # unresolvable, too deep, or already read where it is written
            self.seen_deps.add(key)
            out.extend(self._expand(tox_lines(entry), depth + 1))
        return out

    def deps(self, section: str, entry: IniEntry) -> None:
        if (section, entry.name) in self.seen_deps:
            return
        self.seen_deps.add((section, entry.name))
        reader = RequirementsReader(self.fm, base_dir=self.base_dir, scope=section)
        for mt in logical_lines(self._expand(tox_lines(entry))):
            mt = mt.replace("{toxinidir}", ".").replace("{tox_root}", ".")
            before = len(self.fm.problems)
            reader.read_logical(mt)
            if _SUBST.search(mt.text):  # a substitution tox resolves at run time
                del self.fm.problems[before:]

    # -- commands -----------------------------------------------------------------
    def command(self, mt: MappedText) -> None:
        text = mt.text
        strip = re.match(r"^[-!]\s*", text)
        if strip and strip.end() < len(text):
            mt = mt.slice(strip.end())
        line, column = mt.locate(0)
        cmd = Command(mt.text, self.fm.loc(line, column), "tox", line_map=mt.segments)
        self.fm.commands.append(cmd)
        extract_command(cmd, self.fm)

    def install_command(self, entry: IniEntry) -> None:
        lines = tox_lines(entry)
        if not lines:
            return
        parts: list[MappedText] = []
        for i, mt in enumerate(lines):
            if i:
                line, column = mt.locate(0)
                parts.append(MappedText.at(" ", line, column - 1))
            parts.append(mt)
        self.command(MappedText.join(parts))

    # -- environment ------------------------------------------------------------------
    def setenv(self, entry: IniEntry) -> None:
        for mt in tox_lines(entry):
            if "=" not in mt.text or mt.text.startswith("file|"):
                continue
            cut = mt.text.index("=")
            name_mt = mt.slice(0, cut).strip()
            value_mt = mt.slice(cut + 1).strip()
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name_mt.text):
                continue
            nline, ncol = name_mt.locate(0)
            vline, vcol = value_mt.locate(0)
            apply_env(
                name_mt.text,
                value_mt.text,
                self.fm.loc(nline, ncol),
                self.fm,
                "tox-setenv",
                self.fm.loc(vline, vcol),
            )

    def indexserver(self, section: str, entry: IniEntry) -> None:
        for mt in tox_lines(entry):
            if "=" not in mt.text:
                continue
            cut = mt.text.index("=")
            name = mt.text[:cut].strip()
            url_mt = mt.slice(cut + 1).strip()
            if not name or not url_mt.text:
                continue
            line, column = url_mt.locate(0)
            default = name == "default"
            self.fm.indexes.append(
                IndexRef(
                    url_mt.text,
                    IndexRole.INDEX if default else IndexRole.SOURCE,
                    Installer.PIP,
                    self.fm.loc(line, column),
                    name=None if default else name,
                    scope=section,
                    via="indexserver",
                )
            )


def read_tox(fm: FileModel, doc: IniDocument, core: str = "tox") -> None:
    """Read tox's sections of ``doc`` into ``fm``; ``core`` is the core section's name
    (``tox`` in tox.ini, ``tox:tox`` in setup.cfg)."""
    reader = _ToxReader(fm, doc)
    for section in doc.sections:
        name = section.name
        if name == core:
            entry = section.get("indexserver")
            if entry is not None:
                reader.indexserver(name, entry)
            continue
        if not (name == "testenv" or name.startswith("testenv:")):
            continue
        for key, entry in section.entries.items():
            if key == "deps":
                reader.deps(name, entry)
            elif key in ("setenv", "set_env"):
                reader.setenv(entry)
            elif key == "install_command":
                reader.install_command(entry)
            elif key in ("commands", "commands_pre", "commands_post"):
                for mt in tox_lines(entry):
                    reader.command(mt)
            elif key == "indexserver":
                reader.indexserver(name, entry)


def parse(source: SourceFile) -> FileModel:
    """Parse a tox.ini (see the module docstring)."""
    fm = FileModel(source)
    doc = scan_ini(fm)
    read_tox(fm, doc)
    return fm
