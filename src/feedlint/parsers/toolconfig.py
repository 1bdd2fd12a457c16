"""Tool configuration files: Poetry's ``poetry.toml`` / ``auth.toml`` / ``config.toml``
and PDM's ``pdm.toml`` / ``.pdm.toml``.

Poetry (:attr:`FileKind.POETRY_CONFIG`):

* ``[http-basic.<name>] password`` -> a ``key-value`` :class:`Credential` with key
  ``http-basic.<name>.password``, located at the value;
* ``[pypi-token] <name> = "..."`` -> a credential with key ``pypi-token.<name>``;
* ``[repositories.<name>] url`` -> a :class:`PublishTarget` (tool ``poetry``) and an
  :class:`IndexRef` of role ``publish``: Poetry uses configured repositories for
  ``poetry publish -r <name>``, not for installing (sources live in pyproject.toml);
* ``[certificates.<name>] cert = false`` -> a ``verify-ssl = False`` setting.

PDM (:attr:`FileKind.PDM_CONFIG`):

* ``[pypi] url`` replaces the default index (role ``index``); ``[pypi.<name>] url`` adds
  a named index (role ``source``); ``verify_ssl`` -> ``verify-ssl`` settings;
* ``[repository.<name>] url`` -> publish target and ``publish`` index reference;
* every ``password`` (``pypi.password``, ``pypi.<name>.password``,
  ``repository.<name>.password``) -> a credential with that dotted key.

URLs carrying user-info are found by the engine's URL scan, not here.
"""

from __future__ import annotations

from typing import Any

from feedlint.model import (
    Credential,
    FileKind,
    FileModel,
    IndexRef,
    IndexRole,
    Installer,
    Location,
    PublishTarget,
    Setting,
    SourceFile,
)
from feedlint.parsers.tomlpos import KeyPath, TomlDoc, as_str, as_table, load_toml

__all__ = ["parse"]


def _credential(doc: TomlDoc, fm: FileModel, path: KeyPath, value: object) -> None:
    if isinstance(value, str) and value.strip():
        fm.credentials.append(
            Credential(
                value,
                "key-value",
                doc.value_loc(path),
                fm.source.kind,
                key=".".join(str(p) for p in path),
            )
        )


def _publish(
    doc: TomlDoc, fm: FileModel, path: KeyPath, name: str, url: object, installer: Installer
) -> None:
    tool = installer.value
    if isinstance(url, str) and url.strip():
        where = doc.value_loc((*path, "url"))
        fm.publish_targets.append(PublishTarget(name, url.strip(), tool, where))
        fm.indexes.append(
            IndexRef(
                url.strip(),
                IndexRole.PUBLISH,
                installer,
                where,
                name=name,
                scope="config",
                via=".".join(str(p) for p in (*path, "url")),
            )
        )
    else:
        fm.publish_targets.append(PublishTarget(name, None, tool, doc.key_loc(path)))


def _verify(
    fm: FileModel, where: Location, value: object, installer: Installer, subject: str, via: str
) -> None:
    if isinstance(value, bool):
        fm.settings.append(
            Setting("verify-ssl", value, installer, where, scope="config", subject=subject, via=via)
        )


def _poetry(doc: TomlDoc, fm: FileModel) -> None:
    data = doc.data
    for name, table in as_table(data.get("http-basic")).items():
        _credential(doc, fm, ("http-basic", name, "password"), as_table(table).get("password"))
    for name, token in as_table(data.get("pypi-token")).items():
        _credential(doc, fm, ("pypi-token", name), token)
    for name, table in as_table(data.get("repositories")).items():
        table = as_table(table)
        if table:
            _publish(doc, fm, ("repositories", name), name, table.get("url"), Installer.POETRY)
    for name, table in as_table(data.get("certificates")).items():
        path = ("certificates", name, "cert")
        cert = as_table(table).get("cert")
        if cert is False:
            _verify(fm, doc.value_loc(path), False, Installer.POETRY, name, "certificates.cert")


def _pdm(doc: TomlDoc, fm: FileModel) -> None:
    data = doc.data
    pypi = as_table(data.get("pypi"))
    # the default index (``pypi.url``), then each named source (``pypi.<name>.url``)
    indexes: list[tuple[KeyPath, dict[str, Any], str]] = [(("pypi",), pypi, "")]
    indexes += [(("pypi", n), t, n) for n, t in pypi.items() if isinstance(t, dict)]
    for path, table, name in indexes:
        dotted = ".".join(str(p) for p in path)
        url = as_str(table.get("url"))
        if url and url.strip():
            fm.indexes.append(
                IndexRef(
                    url.strip(),
                    IndexRole.SOURCE if name else IndexRole.INDEX,
                    Installer.PDM,
                    doc.value_loc((*path, "url")),
                    name=name or None,
                    scope="config",
                    via=f"{dotted}.url",
                )
            )
        _credential(doc, fm, (*path, "password"), table.get("password"))
        _verify(
            fm,
            doc.value_loc((*path, "verify_ssl")),
            table.get("verify_ssl"),
            Installer.PDM,
            name,
            f"{dotted}.verify_ssl",
        )
    for name, table in as_table(data.get("repository")).items():
        if not isinstance(table, dict):
            continue
        path = ("repository", name)
        _publish(doc, fm, path, name, table.get("url"), Installer.PDM)
        _credential(doc, fm, (*path, "password"), table.get("password"))


def parse(source: SourceFile) -> FileModel:
    fm = FileModel(source)
    doc = load_toml(source, fm)
    if source.kind == FileKind.PDM_CONFIG:
        _pdm(doc, fm)
    else:
        _poetry(doc, fm)
    return fm
