"""pip.conf / pip.ini: pip's configuration files.

pip reads them with ``RawConfigParser`` (no interpolation; strict, so a duplicate key or
section makes pip refuse the file) and normalises every key: lower-case, ``_`` -> ``-``,
a leading ``--`` dropped, so ``index_url``, ``Index-URL`` and ``--index-url`` are all
``index-url``. A key is the long name of a command-line option (``pypi-url`` is an alias
of ``index-url``); list options (``extra-index-url``, ``find-links``, ``trusted-host``)
are split on whitespace, including continuation lines.

pip applies only ``[global]`` and the section named after the running command
(``[install]``, ``[download]``, ``[wheel]`` ...; the command's value replaces the global
one). Every other section (``[pypi-proxy]``, ``[Global]``) is ignored by pip: entries are
still recorded, with ``scope`` set to the section name as written, so rules can say so.
``[DEFAULT]`` values apply to every section (configparser semantics).

Output: :class:`IndexRef` (installer pip, ``scope`` = section, ``via`` = key as written)
for ``index-url``/``pypi-url`` (role INDEX), ``extra-index-url`` (EXTRA), ``find-links``
(FIND_LINKS); :class:`Setting` for ``trusted-host`` (one per host), ``no-index`` and the
other boolean switches (value parsed as pip does; an unparseable boolean is FL001 because
pip stops on it), ``cert``, ``client-cert``, ``keyring-provider``, ``timeout``, ``proxy``,
``retries``, ``only-binary``, ``no-binary``, ``index``; a :class:`Credential` (``key-value``)
for ``password`` and other secret-named keys, at the value. User names are not secrets:
they go to ``facts["usernames"]`` as ``{"section", "key", "line", "column"}``.
``facts["sections"]`` lists the section names in file order.
"""

from __future__ import annotations

from feedlint.model import (
    Credential,
    FileModel,
    IndexRef,
    IndexRole,
    Installer,
    Setting,
    SourceFile,
)
from feedlint.parsers.commands import is_secret_name
from feedlint.parsers.ini import IniEntry, scan_ini

__all__ = ["normalize_key", "parse"]

_ROLES = {
    "index-url": IndexRole.INDEX,
    "pypi-url": IndexRole.INDEX,
    "extra-index-url": IndexRole.EXTRA,
    "find-links": IndexRole.FIND_LINKS,
}
_LIST_ROLES = frozenset({"extra-index-url", "find-links"})
_BOOLEANS = frozenset(
    {"no-index", "pre", "prefer-binary", "require-hashes", "isolated", "no-build-isolation"}
)
_VALUES = frozenset(
    {
        "cert",
        "client-cert",
        "keyring-provider",
        "timeout",
        "proxy",
        "retries",
        "only-binary",
        "no-binary",
        "index",
        "use-feature",
    }
)
_TRUE = ("y", "yes", "t", "true", "on", "1")
_FALSE = ("n", "no", "f", "false", "off", "0")


def normalize_key(name: str) -> str:
    """pip's ``_normalize_name``."""
    name = name.lower().replace("_", "-")
    return name[2:] if name.startswith("--") else name


def _entry(fm: FileModel, scope: str, entry: IniEntry) -> None:
    """Index references and settings of ``entry`` as pip reads it for section ``scope``."""
    key = entry.name
    value = entry.value.strip()
    if not value:  # pip drops empty values
        return
    if key in _ROLES:
        role = _ROLES[key]
        if key in _LIST_ROLES:
            for word in entry.words():
                fm.indexes.append(
                    IndexRef(
                        word.text,
                        role,
                        Installer.PIP,
                        fm.loc(word.line, word.column),
                        scope=scope,
                        via=entry.key,
                    )
                )
        else:  # a single value: the whole (stripped) text is the URL pip uses
            fm.indexes.append(
                IndexRef(
                    value,
                    role,
                    Installer.PIP,
                    entry.value_location(fm),
                    scope=scope,
                    via=entry.key,
                )
            )
    elif key == "trusted-host":
        for word in entry.words():
            fm.settings.append(
                Setting(
                    key,
                    word.text,
                    Installer.PIP,
                    fm.loc(word.line, word.column),
                    scope=scope,
                    via=entry.key,
                )
            )
    elif key in _BOOLEANS:
        low = value.lower()
        loc = entry.value_location(fm)
        if low not in _TRUE + _FALSE:
            fm.problem(
                f"`{entry.key}` needs a boolean (true/false, yes/no, 1/0)", loc.line, loc.column
            )
            return
        fm.settings.append(
            Setting(key, low in _TRUE, Installer.PIP, loc, scope=scope, via=entry.key)
        )
    elif key in _VALUES:
        fm.settings.append(
            Setting(key, value, Installer.PIP, entry.value_location(fm), scope=scope, via=entry.key)
        )


def _secrets(fm: FileModel, scope: str, entry: IniEntry) -> None:
    """``password``-like keys become credentials; user names go to ``facts``."""
    value = entry.value.strip()
    if not value:
        return
    loc = entry.value_location(fm)
    if entry.name in ("username", "user"):
        users = fm.facts.setdefault("usernames", [])
        assert isinstance(users, list)
        users.append({"section": scope, "key": entry.key, "line": loc.line, "column": loc.column})
    elif is_secret_name(entry.name):
        fm.credentials.append(Credential(value, "key-value", loc, fm.source.kind, key=entry.key))


def parse(source: SourceFile) -> FileModel:
    """Parse a pip configuration file (see the module docstring)."""
    fm = FileModel(source)
    doc = scan_ini(fm, optionxform=normalize_key)
    fm.facts["sections"] = [s.name for s in doc.sections]
    for section in doc.sections:
        for entry in doc.entries(section):  # [DEFAULT] entries apply to every section
            _entry(fm, section.name, entry)
        for entry in section.all_entries():
            _secrets(fm, section.name, entry)
    if doc.defaults is not None:
        for entry in doc.defaults.entries.values():
            if not doc.sections:
                _entry(fm, doc.defaults.name, entry)
        for entry in doc.defaults.all_entries():
            _secrets(fm, doc.defaults.name, entry)
    return fm
