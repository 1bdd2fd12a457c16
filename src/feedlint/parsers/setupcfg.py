"""setup.cfg: setuptools' declarative configuration (and tox's ``[tox:tox]`` form).

Read as setuptools does (keys case-sensitive; requirement values go through
configparser's ``%(key)s`` interpolation, which setuptools applies):

* ``[metadata] name`` -> the project's own :class:`PackageRef` (kind ``project``);
* ``[options] install_requires``, ``setup_requires``, ``tests_require`` and every key of
  ``[options.extras_require]`` (``group`` = the extra's name) -> ``dependency``
  :class:`PackageRef`\\ s. A value spanning several lines is one requirement per line
  (``; marker`` allowed); a one-line value is split at ``;`` (setuptools' rule, so write
  markers on their own lines). Lines starting with ``#`` are skipped; an invalid
  requirement is FL001 at its line. ``file: a.txt, b.txt`` becomes :class:`Include`
  edges so the files are read as requirements;
* ``[options] dependency_links`` (comma- or line-separated) -> :class:`IndexRef` role
  DEPENDENCY_LINK, installer setuptools;
* ``[easy_install] index_url``/``index-url`` (INDEX) and ``find_links`` (FIND_LINKS,
  whitespace-separated) -> :class:`IndexRef`, installer setuptools, scope ``easy_install``;
* with a ``[tox:tox]`` section, tox reads this file: its ``[testenv...]`` sections are
  read as in tox.ini.
"""

from __future__ import annotations

import posixpath
import re
from typing import Optional

from feedlint.model import FileModel, IndexRef, IndexRole, Installer, PackageRef, SourceFile
from feedlint.parsers.ini import IniDocument, IniEntry, IniSection, scan_ini
from feedlint.parsers.requirements import parse_pep508, resolve_include
from feedlint.parsers.textmap import MappedText
from feedlint.urls import normalize_name

__all__ = ["parse", "requirement_items"]

_REQUIREMENT_KEYS = {"install_requires": "", "setup_requires": "setup", "tests_require": "tests"}


def _items(entry: IniEntry, separator: str) -> list[MappedText]:
    """setuptools' ``_parse_list``: lines when the value spans lines, else split at
    ``separator``; stripped, empties dropped."""
    lines = entry.lines
    if len(lines) > 1 or (lines and not entry.pieces[0].text):
        chunks = lines
    elif lines:
        one = lines[0]
        chunks, start = [], 0
        for m in re.finditer(re.escape(separator), one.text):
            chunks.append(one.slice(start, m.start()))
            start = m.end()
        chunks.append(one.slice(start))
    else:
        chunks = []
    return [c.strip() for c in chunks if c.text.strip()]


def requirement_items(entry: IniEntry) -> list[MappedText]:
    """The requirement strings of a setuptools requirements value (comments dropped)."""
    return [mt for mt in _items(entry, ";") if not mt.text.startswith("#")]


def _file_directive(fm: FileModel, entry: IniEntry, base_dir: str) -> bool:
    from feedlint.model import Include

    value = entry.value.strip()
    if not value.startswith("file:"):
        return False
    loc = entry.value_location(fm)
    for m in re.finditer(r"[^,\s]+", value[len("file:") :]):
        raw = m.group(0)
        fm.includes.append(Include(fm.path, resolve_include(base_dir, raw), raw, False, loc))
    return True


def _interpolate(text: str, section: IniSection, doc: IniDocument, depth: int = 0) -> Optional[str]:
    """configparser's ``BasicInterpolation`` (setuptools reads setup.cfg with it):
    ``%%`` is ``%``, ``%(key)s`` the value of ``key`` in the section or ``[DEFAULT]``.
    ``None`` when a reference cannot be resolved (setuptools would fail or differ)."""
    if depth > 10:
        return None
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "%":
            out.append(ch)
            i += 1
            continue
        if text.startswith("%%", i):
            out.append("%")
            i += 2
            continue
        m = re.match(r"%\(([^)]+)\)s", text[i:])
        if not m:
            return None
        entry = section.get(m.group(1)) or (doc.defaults.get(m.group(1)) if doc.defaults else None)
        if entry is None:
            return None
        value = _interpolate(entry.value, section, doc, depth + 1)
        if value is None:
            return None
        out.append(value)
        i += m.end()
    return "".join(out)


def _requirements(
    fm: FileModel, doc: IniDocument, section: IniSection, entry: IniEntry, group: str
) -> None:
    if _file_directive(fm, entry, posixpath.dirname(fm.path)):
        return
    for mt in requirement_items(entry):
        texts = [mt.text]
        if "%" in mt.text:
            expanded = _interpolate(mt.text, section, doc)
            if expanded is None:
                continue  # not what setuptools will read: leave it to setuptools
            texts = [t.strip() for t in expanded.splitlines() if t.strip()]
            texts = [t for t in texts if not t.startswith("#")]
        line, column = mt.locate(0)
        for text in texts:
            fields, error = parse_pep508(text)
            if fields is None:
                fm.problem(error, line, column)
                continue
            fm.packages.append(
                PackageRef(
                    location=fm.loc(line, column),
                    kind="dependency",
                    installer=Installer.SETUPTOOLS,
                    group=group,
                    **fields,  # type: ignore[arg-type]
                )
            )


def _index(
    fm: FileModel, entry: IniEntry, role: IndexRole, scope: str, separator: Optional[str]
) -> None:
    items = (
        _items(entry, separator)
        if separator
        else [MappedText.at(w.text, w.line, w.column) for w in entry.words()]
    )
    for mt in items:
        line, column = mt.locate(0)
        fm.indexes.append(
            IndexRef(
                mt.text,
                role,
                Installer.SETUPTOOLS,
                fm.loc(line, column),
                scope=scope,
                via=entry.key,
            )
        )


def read_setuptools(fm: FileModel, doc: IniDocument) -> None:
    """Read setuptools' sections of ``doc`` into ``fm``."""
    metadata = doc.section("metadata")
    name = metadata.get("name") if metadata else None
    if name is not None and name.value.strip():
        raw = name.value.strip()
        fm.packages.append(
            PackageRef(
                normalize_name(raw),
                name.value_location(fm),
                "project",
                Installer.SETUPTOOLS,
                raw_name=raw,
            )
        )
    options = doc.section("options")
    if options is not None:
        for key, group in _REQUIREMENT_KEYS.items():
            entry = options.get(key)
            if entry is not None:
                _requirements(fm, doc, options, entry, group)
        links = options.get("dependency_links")
        if links is not None:
            _index(fm, links, IndexRole.DEPENDENCY_LINK, "options", ",")
    extras = doc.section("options.extras_require")
    if extras is not None:
        for entry in extras.entries.values():
            _requirements(fm, doc, extras, entry, entry.key)
    easy = doc.section("easy_install")
    if easy is not None:
        for key, role in (
            ("index_url", IndexRole.INDEX),
            ("index-url", IndexRole.INDEX),
            ("find_links", IndexRole.FIND_LINKS),
            ("find-links", IndexRole.FIND_LINKS),
        ):
            entry = easy.get(key)
            if entry is not None and entry.value.strip():
                if role is IndexRole.INDEX:
                    loc = entry.value_location(fm)
                    fm.indexes.append(
                        IndexRef(
                            entry.value.strip(),
                            role,
                            Installer.SETUPTOOLS,
                            loc,
                            scope="easy_install",
                            via=entry.key,
                        )
                    )
                else:
                    _index(fm, entry, role, "easy_install", None)


def parse(source: SourceFile) -> FileModel:
    """Parse a setup.cfg (see the module docstring)."""
    fm = FileModel(source)
    doc = scan_ini(fm, optionxform=str)
    read_setuptools(fm, doc)
    if doc.section("tox:tox") is not None:
        from feedlint.parsers.toxini import read_tox

        read_tox(fm, doc, core="tox:tox")
    return fm
