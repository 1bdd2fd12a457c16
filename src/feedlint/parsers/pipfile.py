"""Pipfile (TOML): Pipenv's sources, package categories and settings.

* ``[[source]]``: an :class:`IndexRef` (role ``source``, installer ``pipenv``) with
  ``name`` and ``url`` (Pipenv expands ``$VAR``/``${VAR}`` in it at install time), plus
  a ``verify-ssl`` setting whose ``subject`` is the source name.
* ``[packages]``, ``[dev-packages]`` and any custom category table (Pipenv >= 2022.10):
  one ``dependency`` :class:`PackageRef` per entry, ``group`` = the category. An entry is
  a version string (``"*"``, ``"==1.0"``) or a table with ``version``, ``index`` (->
  ``source``), ``git``/``path``/``file`` (-> ``url``), ``editable``, ``extras``,
  ``markers``.
* ``[pipenv]``: ``install_search_all_sources`` and ``allow_prereleases`` (settings
  ``install-search-all-sources`` / ``allow-prereleases``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Optional

from feedlint.model import (
    FileModel,
    IndexRef,
    IndexRole,
    Installer,
    Location,
    PackageRef,
    Setting,
    SourceFile,
)
from feedlint.parsers.pep508 import exact_version
from feedlint.parsers.tomlpos import (
    TomlDoc,
    as_list,
    as_str,
    as_table,
    load_toml,
    record_secrets,
)
from feedlint.record import replace
from feedlint.urls import normalize_name

__all__ = ["direct_source", "extras_of", "parse", "pipenv_source"]

#: top-level tables that are not package categories
_NOT_CATEGORIES = frozenset({"source", "requires", "pipenv", "scripts", "tool"})
_DIRECT = ("git", "path", "file")


def pipenv_source(
    fm: FileModel, source: dict[str, Any], loc: Callable[[str], Location], scope: str, via: str
) -> None:
    """A Pipenv source table (Pipfile ``[[source]]``, Pipfile.lock ``_meta.sources``): an
    :class:`IndexRef` at its ``url`` and a ``verify-ssl`` setting; ``loc(key)`` locates
    the value of ``key``."""
    name = as_str(source.get("name"))
    url = as_str(source.get("url"))
    if url is not None:
        fm.indexes.append(
            IndexRef(
                url.strip(),
                IndexRole.SOURCE,
                Installer.PIPENV,
                loc("url"),
                name=name,
                scope=scope,
                via=via,
            )
        )
    verify = source.get("verify_ssl")
    if isinstance(verify, bool):
        fm.settings.append(
            Setting(
                "verify-ssl",
                verify,
                Installer.PIPENV,
                loc("verify_ssl"),
                scope=scope,
                subject=name or "",
                via=via,
            )
        )


def direct_source(spec: dict[str, Any]) -> tuple[Optional[str], Optional[str]]:
    """``(url, source type)`` of a Pipenv entry's ``git``/``path``/``file`` key."""
    for key in _DIRECT:
        if isinstance(spec.get(key), str):
            return spec[key], key
    return None, None


def extras_of(spec: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(e for e in as_list(spec.get("extras")) if isinstance(e, str)))


def _sources(doc: TomlDoc, fm: FileModel) -> None:
    raw = doc.data.get("source")
    entries = [(("source",), raw)] if isinstance(raw, dict) else []
    if isinstance(raw, list):
        entries = [(("source", i), s) for i, s in enumerate(raw)]
    for path, source in entries:
        source = as_table(source)
        record_secrets(doc, fm, path, source)
        pipenv_source(
            fm, source, lambda key, p=path: doc.value_loc((*p, key)), "project", "[[source]]"
        )


def _packages(doc: TomlDoc, fm: FileModel) -> None:
    for category, table in doc.data.items():
        if category in _NOT_CATEGORIES or not isinstance(table, dict):
            continue
        for raw_name, spec in table.items():
            path = (category, raw_name)
            ref = PackageRef(
                normalize_name(raw_name),
                doc.key_loc(path),
                "dependency",
                Installer.PIPENV,
                raw_name=raw_name,
                group=category,
            )
            if isinstance(spec, str):
                specifier = "" if spec.strip() == "*" else spec.strip()
                fm.packages.append(
                    replace(ref, specifier=specifier, version=exact_version(specifier))
                )
                continue
            if not isinstance(spec, dict):
                continue
            version = as_str(spec.get("version")) or ""
            version = "" if version.strip() == "*" else version.strip()
            url, source_type = direct_source(spec)
            fm.packages.append(
                replace(
                    ref,
                    specifier=version,
                    version=exact_version(version),
                    marker=as_str(spec.get("markers")) or "",
                    extras=extras_of(spec),
                    source=as_str(spec.get("index")),
                    source_type=source_type,
                    url=url,
                    editable=spec.get("editable") is True,
                )
            )


def _settings(doc: TomlDoc, fm: FileModel) -> None:
    pipenv = as_table(doc.data.get("pipenv"))
    for key in ("install_search_all_sources", "allow_prereleases"):
        value = pipenv.get(key)
        if isinstance(value, bool):
            fm.settings.append(
                Setting(
                    key.replace("_", "-"),
                    value,
                    Installer.PIPENV,
                    doc.value_loc(("pipenv", key)),
                    scope="project",
                    via=f"pipenv.{key}",
                )
            )


def parse(source: SourceFile) -> FileModel:
    fm = FileModel(source)
    doc = load_toml(source, fm)
    _sources(doc, fm)
    _packages(doc, fm)
    _settings(doc, fm)
    return fm
