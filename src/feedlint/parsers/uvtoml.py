"""uv settings: ``uv.toml`` (keys at top level) and ``[tool.uv]`` in pyproject.toml
(:func:`read_uv`, shared by both).

What is read (uv's own key names):

* ``index-url`` (role ``index``), ``extra-index-url`` (``extra``), ``find-links``
  (``find-links``), also inside ``[pip]`` / ``[tool.uv.pip]`` (scope ``pip``);
* ``[[index]]`` / ``[[tool.uv.index]]``: an :class:`IndexRef` of role ``source`` with
  ``name``, ``default`` and ``explicit``; ``format``, ``ignore-error-codes`` and
  ``authenticate`` become settings whose ``subject`` is the index name;
* ``index-strategy``, ``no-index``, ``keyring-provider``, ``allow-insecure-host`` (one
  setting per host, at the host) as settings;
* ``[sources]`` / ``[tool.uv.sources]``: one ``dependency`` :class:`PackageRef` per
  entry (a list of entries split by ``marker`` gives one each) with ``source`` = the
  ``index`` name, or ``url`` and ``source_type`` (``git``/``path``/``url``/``workspace``);
* ``dev-dependencies`` (group ``dev``), ``constraint-dependencies`` and
  ``override-dependencies`` (kind ``constraint``, group ``constraint``/``override``);
* ``[workspace]`` ``members``/``exclude`` globs as facts ``uv-workspace-members``/
  ``uv-workspace-exclude``.
"""

from __future__ import annotations

from feedlint.model import (
    FileModel,
    IndexRef,
    IndexRole,
    Installer,
    PackageRef,
    Setting,
    SourceFile,
)
from feedlint.parsers.pep508 import requirement_ref
from feedlint.parsers.tomlpos import (
    KeyPath,
    TomlDoc,
    as_list,
    as_str,
    as_table,
    load_toml,
    record_secrets,
    str_items,
    table_at,
)
from feedlint.urls import normalize_name

__all__ = ["parse", "read_uv"]

_ROLES = {
    "index-url": IndexRole.INDEX,
    "extra-index-url": IndexRole.EXTRA,
    "find-links": IndexRole.FIND_LINKS,
}
_SCALAR_SETTINGS = ("index-strategy", "no-index", "keyring-provider")
_INDEX_SETTINGS = ("format", "ignore-error-codes", "authenticate")
_DIRECT_KEYS = ("git", "path", "url")


def _dotted(prefix: KeyPath, key: str) -> str:
    return ".".join([str(p) for p in prefix] + [key])


def _index_options(doc: TomlDoc, fm: FileModel, prefix: KeyPath, scope: str) -> None:
    table = table_at(doc.data, prefix)
    for key, role in _ROLES.items():
        for i, url in str_items(table.get(key)):
            path = (*prefix, key) if i < 0 else (*prefix, key, i)
            fm.indexes.append(
                IndexRef(
                    url.strip(),
                    role,
                    Installer.UV,
                    doc.item_loc(path, url),
                    scope=scope,
                    via=_dotted(prefix, key),
                )
            )
    for key in _SCALAR_SETTINGS:
        value = table.get(key)
        if isinstance(value, (str, bool)):
            fm.settings.append(
                Setting(
                    key,
                    value,
                    Installer.UV,
                    doc.value_loc((*prefix, key)),
                    scope=scope,
                    via=_dotted(prefix, key),
                )
            )
    for i, host in str_items(table.get("allow-insecure-host")):
        path = prefix + ("allow-insecure-host",) + (() if i < 0 else (i,))
        fm.settings.append(
            Setting(
                "allow-insecure-host",
                host,
                Installer.UV,
                doc.item_loc(path, host),
                scope=scope,
                via=_dotted(prefix, "allow-insecure-host"),
            )
        )


def _indexes(doc: TomlDoc, fm: FileModel, prefix: KeyPath, scope: str) -> None:
    table = table_at(doc.data, prefix)
    via = f"[[{_dotted(prefix, 'index')}]]"
    for i, index in enumerate(as_list(table.get("index"))):
        index = as_table(index)
        path = (*prefix, "index", i)
        record_secrets(doc, fm, path, index)
        url = as_str(index.get("url"))
        name = as_str(index.get("name"))
        if url is None:
            continue
        fm.indexes.append(
            IndexRef(
                url.strip(),
                IndexRole.SOURCE,
                Installer.UV,
                doc.value_loc((*path, "url")),
                name=name,
                default=index.get("default") is True,
                explicit=index.get("explicit") is True,
                scope=scope,
                via=via,
            )
        )
        for key in _INDEX_SETTINGS:
            value = index.get(key)
            if value is None:
                continue
            if isinstance(value, list):
                value = [v for v in value if isinstance(v, (str, int))]
            fm.settings.append(
                Setting(
                    key,
                    value,
                    Installer.UV,
                    doc.value_loc((*path, key)),
                    scope=scope,
                    subject=name or url,
                    via=via,
                )
            )


def _sources(doc: TomlDoc, fm: FileModel, prefix: KeyPath) -> None:
    table = table_at(doc.data, (*prefix, "sources"))
    for raw_name, spec in table.items():
        base = (*prefix, "sources", raw_name)
        entries = [(base, spec)] if not isinstance(spec, list) else []
        if isinstance(spec, list):
            entries = [((*base, i), e) for i, e in enumerate(spec)]
        for path, entry in entries:
            if not isinstance(entry, dict):
                continue
            source = as_str(entry.get("index"))
            url = source_type = None
            for key in _DIRECT_KEYS:
                if isinstance(entry.get(key), str):
                    url, source_type = entry[key], key
                    break
            if entry.get("workspace") is True:
                source_type = "workspace"
            group = as_str(entry.get("group")) or as_str(entry.get("extra")) or ""
            fm.packages.append(
                PackageRef(
                    normalize_name(raw_name),
                    doc.key_loc(path),
                    "dependency",
                    Installer.UV,
                    raw_name=raw_name,
                    marker=as_str(entry.get("marker")) or "",
                    source=source,
                    source_type=source_type,
                    url=url,
                    editable=entry.get("editable") is True,
                    group=group,
                )
            )


_LISTS = {
    "dev-dependencies": ("dependency", "dev"),
    "constraint-dependencies": ("constraint", "constraint"),
    "override-dependencies": ("constraint", "override"),
}


def _dependency_lists(doc: TomlDoc, fm: FileModel, prefix: KeyPath) -> None:
    table = table_at(doc.data, prefix)
    for key, (kind, group) in _LISTS.items():
        for i, text in str_items(table.get(key)):
            path = prefix + (key,) + (() if i < 0 else (i,))
            requirement_ref(text, doc.item_loc(path, text), fm, kind, Installer.UV, group)


def read_uv(doc: TomlDoc, fm: FileModel, prefix: KeyPath, scope: str = "project") -> None:
    """Read the uv settings table at ``prefix`` (``()`` for uv.toml, ``("tool", "uv")``
    for pyproject.toml) into ``fm``."""
    if prefix and not table_at(doc.data, prefix):
        return
    _index_options(doc, fm, prefix, scope)
    if table_at(doc.data, (*prefix, "pip")):
        _index_options(doc, fm, (*prefix, "pip"), "pip")
    _indexes(doc, fm, prefix, scope)
    _sources(doc, fm, prefix)
    _dependency_lists(doc, fm, prefix)
    _workspace(doc, fm, prefix)


def _workspace(doc: TomlDoc, fm: FileModel, prefix: KeyPath) -> None:
    """``[tool.uv.workspace]`` ``members``/``exclude`` globs -> facts
    ``uv-workspace-members``/``uv-workspace-exclude`` (lists of str)."""
    table = table_at(doc.data, (*prefix, "workspace"))
    if not table:
        return
    for key in ("members", "exclude"):
        items = [text for _, text in str_items(table.get(key))]
        if items:
            fm.facts[f"uv-workspace-{key}"] = items


def parse(source: SourceFile) -> FileModel:
    """``uv.toml``: the ``[tool.uv]`` keys at top level."""
    fm = FileModel(source)
    doc = load_toml(source, fm)
    read_uv(doc, fm, ())
    return fm
