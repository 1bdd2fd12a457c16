""".pypirc: upload repositories for twine (and other publishers reading the same file).

Read as twine does (``RawConfigParser``, keys lower-cased, strict): ``[distutils]
index-servers`` lists the repository sections twine reads (whitespace-separated, usually
one per continuation line); without it twine reads ``pypi`` and ``testpypi``. In each
listed section twine reads ``repository``, ``username``, ``password``, ``ca_cert`` and
``client_cert``; ``[pypi]`` defaults to ``https://upload.pypi.org/legacy/`` and a listed
``[testpypi]`` to ``https://test.pypi.org/legacy/``. The obsolete ``[server-login]``
section supplies a default user name and password.

Output:

* a :class:`PublishTarget` (tool ``twine``) per repository section that has a
  ``repository`` URL or is ``pypi``/``testpypi`` (with twine's default URL, located at
  the section name, when no URL is written). A section named ``pypi`` that points
  somewhere else is recorded as written: its target has the other URL;
* an :class:`IndexRef` (role PUBLISH, installer twine, ``scope`` = section,
  ``via`` = ``repository``) for every written ``repository`` URL;
* a :class:`Credential` (``key-value``, key ``password``, ``host`` = the repository's
  host) for every non-empty ``password`` (and other secret-named keys), at the value;
* facts: ``index-servers`` (``[{"name", "line", "column"}]`` as written, absent when
  there is no ``[distutils] index-servers``), ``unused-sections`` (sections twine does
  not read because index-servers does not list them), ``usernames``
  (``{"section": user name}``: ``__token__`` says the password is an API token).
"""

from __future__ import annotations

from typing import Optional

from feedlint.model import (
    Credential,
    FileModel,
    IndexRef,
    IndexRole,
    Installer,
    PublishTarget,
    SourceFile,
)
from feedlint.parsers.commands import is_secret_name
from feedlint.parsers.ini import IniSection, scan_ini
from feedlint.urls import parts_host

__all__ = ["DEFAULT_REPOSITORIES", "parse"]

DEFAULT_REPOSITORIES = {
    "pypi": "https://upload.pypi.org/legacy/",
    "testpypi": "https://test.pypi.org/legacy/",
}
_NOT_REPOSITORIES = frozenset({"distutils", "server-login"})


def _repository(section: IniSection) -> Optional[str]:
    entry = section.get("repository")
    return entry.value.strip() if entry is not None and entry.value.strip() else None


def parse(source: SourceFile) -> FileModel:
    """Parse a ``.pypirc`` (see the module docstring)."""
    fm = FileModel(source)
    doc = scan_ini(fm)
    servers: Optional[list[str]] = None
    distutils = doc.section("distutils")
    listed = distutils.get("index-servers") if distutils else None
    if listed is not None:
        words = listed.words()
        servers = [w.text for w in words]
        fm.facts["index-servers"] = [
            {"name": w.text, "line": w.line, "column": w.column} for w in words
        ]
    read = servers if servers is not None else ["pypi", "testpypi"]
    unused = [
        s.name for s in doc.sections if s.name not in _NOT_REPOSITORIES and s.name not in read
    ]
    if unused:
        fm.facts["unused-sections"] = unused
    usernames: dict[str, str] = {}
    for section in doc.sections:
        if section.name == "distutils":
            continue
        url = _repository(section)
        repo_entry = section.get("repository")
        if section.name not in _NOT_REPOSITORIES:
            if url is not None and repo_entry is not None:
                loc = repo_entry.value_location(fm)
                fm.publish_targets.append(PublishTarget(section.name, url, "twine", loc))
                fm.indexes.append(
                    IndexRef(
                        url,
                        IndexRole.PUBLISH,
                        Installer.TWINE,
                        loc,
                        scope=section.name,
                        via="repository",
                    )
                )
            elif section.name in DEFAULT_REPOSITORIES:
                url = DEFAULT_REPOSITORIES[section.name]
                fm.publish_targets.append(
                    PublishTarget(section.name, url, "twine", fm.loc(section.line, section.column))
                )
        host = parts_host(url) if url else ""
        for entry in section.all_entries():
            value = entry.value.strip()
            if not value:
                continue
            if entry.name == "username":
                usernames[section.name] = value
            elif is_secret_name(entry.name):
                fm.credentials.append(
                    Credential(
                        value,
                        "key-value",
                        entry.value_location(fm),
                        fm.source.kind,
                        key=entry.name,
                        host=host,
                    )
                )
    if usernames:
        fm.facts["usernames"] = usernames
    return fm
