"""``[tool.poetry]`` in pyproject.toml: the project name, dependencies and sources.

Dependencies (``dependencies``, ``dev-dependencies``, ``group.<g>.dependencies``) in each
form Poetry accepts: a constraint string, a table (``version``, ``source``, ``git``,
``path``, ``url``, ``file``, ``markers``, ``extras``, ``develop``) or a list of tables
(multiple constraints, one :class:`PackageRef` per entry, located at the entry).
``python`` is not a package. The main group is ``group=""``.

Sources (``[[tool.poetry.source]]``) follow Poetry's real semantics: Poetry 1.5-1.8 let a
true ``default``/``secondary`` flag *override* ``priority`` (``default`` winning), so
:attr:`IndexRef.priority` is ``"default"``/``"secondary"`` when such a flag is true, else
the ``priority`` literal, else ``None`` (Poetry then treats the source as ``primary``).
``default`` is set for ``default = true`` or ``priority = "default"``, ``explicit`` for
``priority = "explicit"``. A source named ``PyPI`` (any case) without ``url`` is PyPI
itself. The raw ``priority``/``default``/``secondary`` keys are also recorded as
settings (``subject`` = source name, located at the key) so rules can point at them.
"""

from __future__ import annotations

from typing import Optional

from feedlint.lazyre import lazy_compile
from feedlint.model import FileModel, IndexRef, IndexRole, Installer, PackageRef, Setting
from feedlint.parsers.tomlpos import (
    KeyPath,
    TomlDoc,
    as_list,
    as_str,
    as_table,
    record_secrets,
    table_at,
)
from feedlint.record import replace
from feedlint.urls import normalize_name

__all__ = ["PYPI_SIMPLE", "poetry_exact_version", "read_poetry"]

PYPI_SIMPLE = "https://pypi.org/simple/"
BASE: KeyPath = ("tool", "poetry")
_EXACT = lazy_compile(r"^\s*(?:==\s*)?(\d[A-Za-z0-9.!+_-]*)\s*$")
_DIRECT = ("git", "path", "url", "file")


def poetry_exact_version(constraint: str) -> Optional[str]:
    """The version a Poetry constraint pins exactly (``1.2.3`` or ``==1.2.3``), else ``None``."""
    m = _EXACT.match(constraint)
    return m.group(1) if m else None


def _dependency(
    doc: TomlDoc, fm: FileModel, path: KeyPath, raw_name: str, spec: object, group: str
) -> None:
    name = normalize_name(raw_name)
    if name == "python":
        return
    entries = [(path, spec)]
    if isinstance(spec, list):
        entries = [((*path, i), e) for i, e in enumerate(spec)]
    for where, entry in entries:
        ref = PackageRef(
            name,
            doc.key_loc(where),
            "dependency",
            Installer.POETRY,
            raw_name=raw_name,
            group=group,
        )
        if isinstance(entry, str):
            fm.packages.append(
                replace(ref, specifier=entry.strip(), version=poetry_exact_version(entry))
            )
            continue
        if not isinstance(entry, dict):
            continue
        version = as_str(entry.get("version")) or ""
        url = source_type = None
        for key in _DIRECT:
            if isinstance(entry.get(key), str):
                url, source_type = entry[key], key
                break
        extras = tuple(sorted(e for e in as_list(entry.get("extras")) if isinstance(e, str)))
        fm.packages.append(
            replace(
                ref,
                specifier=version.strip(),
                version=poetry_exact_version(version) if version else None,
                marker=as_str(entry.get("markers")) or "",
                extras=extras,
                source=as_str(entry.get("source")),
                source_type=source_type,
                url=url,
                editable=entry.get("develop") is True,
            )
        )


def _dependencies(doc: TomlDoc, fm: FileModel) -> None:
    poetry = table_at(doc.data, BASE)
    tables: list[tuple[KeyPath, str]] = [
        ((*BASE, "dependencies"), ""),
        ((*BASE, "dev-dependencies"), "dev"),
    ]
    for group in as_table(poetry.get("group")):
        tables.append(((*BASE, "group", group, "dependencies"), group))
    for path, group in tables:
        for raw_name, spec in table_at(doc.data, path).items():
            _dependency(doc, fm, (*path, raw_name), raw_name, spec, group)


def _sources(doc: TomlDoc, fm: FileModel) -> None:
    raw = table_at(doc.data, BASE).get("source")
    entries: list[tuple[KeyPath, object]]
    if isinstance(raw, dict):  # a single [tool.poetry.source] table
        entries = [((*BASE, "source"), raw)]
    else:
        entries = [((*BASE, "source", i), s) for i, s in enumerate(as_list(raw))]
    via = "[[tool.poetry.source]]"
    for path, source in entries:
        source = as_table(source)
        record_secrets(doc, fm, path, source)
        name = as_str(source.get("name"))
        literal = as_str(source.get("priority"))
        default_flag = source.get("default") is True
        secondary_flag = source.get("secondary") is True
        priority = "default" if default_flag else "secondary" if secondary_flag else literal
        priority = priority.lower() if priority else None
        url = as_str(source.get("url")) or as_str(source.get("path"))
        if url is not None:
            where = doc.value_loc((*path, "url" if "url" in source else "path"))
        elif name and name.lower() == "pypi":
            url, where = PYPI_SIMPLE, doc.value_loc((*path, "name"))
        else:
            continue  # Poetry rejects a non-PyPI source without url or path
        fm.indexes.append(
            IndexRef(
                url.strip(),
                IndexRole.SOURCE,
                Installer.POETRY,
                where,
                name=name,
                priority=priority,
                default=default_flag or priority == "default",
                explicit=priority == "explicit",
                scope="project",
                via=via,
            )
        )
        for key in ("priority", "default", "secondary"):
            if key in source and isinstance(source[key], (str, bool)):
                fm.settings.append(
                    Setting(
                        key,
                        source[key],
                        Installer.POETRY,
                        doc.key_loc((*path, key)),
                        scope="project",
                        subject=name or "",
                        via=via,
                    )
                )


def read_poetry(doc: TomlDoc, fm: FileModel, project_name: Optional[str]) -> None:
    """Read ``[tool.poetry]`` into ``fm``. ``project_name`` is the ``[project]`` name
    already recorded (Poetry 2 projects keep their name there)."""
    poetry = table_at(doc.data, BASE)
    if not poetry:
        return
    name = as_str(poetry.get("name"))
    if name and (project_name is None or normalize_name(project_name) != normalize_name(name)):
        fm.packages.append(
            PackageRef(
                normalize_name(name),
                doc.value_loc((*BASE, "name")),
                "project",
                Installer.POETRY,
                raw_name=name,
            )
        )
    _dependencies(doc, fm)
    _sources(doc, fm)
