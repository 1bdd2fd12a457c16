"""Which indexes and packages are private: the catalogue's definitions, computed once
from the model and shared by the index (FL2), name (FL3) and export (FL4) families.

A *private index* is an index URL whose :func:`feedlint.urls.index_class` is ``private``
(not PyPI, not a public or known mirror, not a known public third-party index).

A *private package* is one the tree says comes from a private index:

1. a lock file's source (``poetry.lock [package.source]``, ``uv.lock source.registry``,
   ``Pipfile.lock "index"`` resolved through ``_meta.sources``) that is a private index;
2. a source pin (``source = "x"``, ``[tool.uv.sources] x = { index = ... }``, Pipfile
   ``index = "x"``, PDM ``include_packages``) naming a private source;
3. the project's own name when it is published to a private feed (``.pypirc``
   repository, ``poetry publish -r``, ``twine upload -r``, ``TwineAuthenticate``);
4. ``[tool.feedlint] private-packages`` and names starting with a ``private-prefixes``
   entry.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Optional

from feedlint.config import Config
from feedlint.model import IndexRef, IndexRole, Installer, Location, PackageRef, ProjectModel
from feedlint.urls import index_class, normalize_name

__all__ = ["PrivateEvidence", "is_private_url", "private_packages", "source_url"]

_PUBLIC_REPOSITORY_NAMES = frozenset({"pypi", "testpypi", "test-pypi", "pypitest"})
_INDEX_SOURCE_TYPES = frozenset({None, "", "legacy", "registry", "index", "pypi", "simple"})


@dataclass(frozen=True)
class PrivateEvidence:
    """Why a package counts as private: ``why`` is a short phrase for messages
    (``locked from feed (poetry.lock:12)``), ``location`` where that is written,
    ``index_url`` the private index when known."""

    name: str
    why: str
    location: Location
    index_url: Optional[str] = None


def _config(model: ProjectModel) -> Config:
    return model.config if isinstance(model.config, Config) else Config()


def is_private_url(url: Optional[str], config: Config) -> bool:
    if not url:
        return False
    return index_class(url, config.private_indexes, config.public_mirrors) == "private"


def named_sources(model: ProjectModel) -> dict[tuple[Installer, str], IndexRef]:
    """Named sources by (installer, lower-cased name): Poetry sources, uv indexes, PDM and
    Pipenv sources."""
    out: dict[tuple[Installer, str], IndexRef] = {}
    for ref in model.indexes:
        if ref.name and ref.role in (IndexRole.SOURCE, IndexRole.INDEX, IndexRole.EXTRA):
            out.setdefault((ref.installer, ref.name.lower()), ref)
    return out


def source_url(
    model: ProjectModel, pkg: PackageRef, sources: Optional[dict] = None
) -> Optional[str]:
    """The index URL a package is pinned or locked to, if the tree says."""
    if pkg.source_url and pkg.source_type in _INDEX_SOURCE_TYPES:
        return pkg.source_url
    if pkg.source:
        sources = sources if sources is not None else named_sources(model)
        key = pkg.source.lower()
        ref = sources.get((pkg.installer, key))
        if ref is None:  # e.g. a lock entry naming a source declared for another installer
            ref = next((r for (_, name), r in sources.items() if name == key), None)
        if ref is not None:
            return ref.url
    return None


def _publishes_privately(model: ProjectModel, config: Config) -> Optional[tuple[str, Location]]:
    for target in model.publish_targets:
        if target.url and is_private_url(target.url, config):
            return f"published to {target.url}", target.location
        if not target.url and target.name and target.name.lower() not in _PUBLIC_REPOSITORY_NAMES:
            return f"published to repository '{target.name}'", target.location
    return None


def private_packages(model: ProjectModel) -> dict[str, PrivateEvidence]:
    """Every private package name (PEP 503-normalised) with the first evidence found.

    Cached in ``model.extras`` (the model does not change once rules run).
    """
    cached = model.extras.get("private-packages")
    if isinstance(cached, dict):
        return cached
    config = _config(model)
    sources = named_sources(model)
    out: dict[str, PrivateEvidence] = {}

    def add(name: str, why: str, location: Location, url: Optional[str] = None) -> None:
        out.setdefault(name, PrivateEvidence(name, why, location, url))

    packages = model.packages
    for pkg in packages:
        if pkg.kind == "lock" or pkg.source:
            url = source_url(model, pkg, sources)
            if url and is_private_url(url, config):
                verb = "locked from" if pkg.kind == "lock" else "pinned to"
                label = pkg.source or url
                add(
                    pkg.name,
                    f"{verb} '{label}' ({pkg.location.path}:{pkg.location.line})",
                    pkg.location,
                    url,
                )
    # PDM include_packages: globs of names served by a (private) source
    for setting in model.settings:
        if setting.key == "include-packages" and isinstance(setting.value, list):
            ref = sources.get((setting.installer, setting.subject.lower()))
            if ref is not None and is_private_url(ref.url, config):
                patterns = [normalize_name(str(p)) for p in setting.value]
                for pkg in packages:
                    if pkg.name not in out and any(
                        fnmatch.fnmatchcase(pkg.name, p) for p in patterns
                    ):
                        add(
                            pkg.name,
                            f"included from source '{setting.subject}'",
                            setting.location,
                            ref.url,
                        )
    published = _publishes_privately(model, config)
    if published:
        for pkg in packages:
            if pkg.kind == "project":
                add(pkg.name, f"the project's own name, {published[0]}", pkg.location)
    declared = {normalize_name(n) for n in config.private_packages}
    prefixes = [normalize_name(p) for p in config.private_prefixes]
    for pkg in packages:
        if pkg.name in declared:
            add(pkg.name, "listed in private-packages", pkg.location)
        elif any(pkg.name.startswith(p) for p in prefixes):
            add(pkg.name, "matches a private prefix", pkg.location)
    model.extras["private-packages"] = out
    return out
