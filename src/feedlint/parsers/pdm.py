"""``[tool.pdm]`` in pyproject.toml: sources, resolution order, dev dependencies.

* ``[[tool.pdm.source]]``: an :class:`IndexRef` of role ``source`` (``name``, ``url``);
  ``verify_ssl``, ``include_packages``, ``exclude_packages`` and ``type``
  (``index``/``find_links``) become settings (``verify-ssl``, ``include-packages``,
  ``exclude-packages``, ``type``) whose ``subject`` is the source name. A source named
  ``pypi`` replaces PDM's default index, so it is marked ``default``.
* ``[tool.pdm.resolution] respect-source-order``: a setting.
* ``[tool.pdm.dev-dependencies]`` (and PEP 735 groups elsewhere): ``dependency``
  package references with ``group`` = the group name; ``-e`` items are accepted.
"""

from __future__ import annotations

from feedlint.model import FileModel, IndexRef, IndexRole, Installer, Setting
from feedlint.parsers.pep508 import requirement_ref
from feedlint.parsers.tomlpos import (
    KeyPath,
    TomlDoc,
    as_list,
    as_str,
    as_table,
    record_secrets,
    str_items,
    table_at,
)

__all__ = ["read_pdm"]

BASE: KeyPath = ("tool", "pdm")
_SOURCE_SETTINGS = {
    "verify_ssl": "verify-ssl",
    "include_packages": "include-packages",
    "exclude_packages": "exclude-packages",
    "type": "type",
}


def _sources(doc: TomlDoc, fm: FileModel) -> None:
    via = "[[tool.pdm.source]]"
    for i, source in enumerate(as_list(table_at(doc.data, BASE).get("source"))):
        source = as_table(source)
        path = (*BASE, "source", i)
        record_secrets(doc, fm, path, source)
        name = as_str(source.get("name")) or ""
        url = as_str(source.get("url"))
        if url is not None:
            fm.indexes.append(
                IndexRef(
                    url.strip(),
                    IndexRole.SOURCE,
                    Installer.PDM,
                    doc.value_loc((*path, "url")),
                    name=name or None,
                    default=name.lower() == "pypi",
                    scope="project",
                    via=via,
                )
            )
        for key, setting in _SOURCE_SETTINGS.items():
            value = source.get(key)
            if isinstance(value, list):
                value = [v for v in value if isinstance(v, str)]
            elif not isinstance(value, (str, bool)):
                continue
            fm.settings.append(
                Setting(
                    setting,
                    value,
                    Installer.PDM,
                    doc.value_loc((*path, key)),
                    scope="project",
                    subject=name,
                    via=via,
                )
            )


def read_pdm(doc: TomlDoc, fm: FileModel) -> None:
    """Read ``[tool.pdm]`` into ``fm``."""
    pdm = table_at(doc.data, BASE)
    if not pdm:
        return
    _sources(doc, fm)
    resolution = as_table(pdm.get("resolution"))
    for key in ("respect-source-order", "allow-prereleases"):
        value = resolution.get(key)
        if isinstance(value, bool):
            fm.settings.append(
                Setting(
                    key,
                    value,
                    Installer.PDM,
                    doc.value_loc((*BASE, "resolution", key)),
                    scope="project",
                    via=f"tool.pdm.resolution.{key}",
                )
            )
    for group, items in as_table(pdm.get("dev-dependencies")).items():
        path = (*BASE, "dev-dependencies", group)
        for i, text in str_items(items):
            where = path if i < 0 else (*path, i)
            requirement_ref(
                text,
                doc.item_loc(where, text),
                fm,
                installer=Installer.PDM,
                group=group,
                allow_editable=True,
            )
