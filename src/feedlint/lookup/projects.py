"""Poetry, uv, PDM and Pipenv projects: their sources and what each searches for a package.

Semantics (checked against each tool's documentation and source):

* **Poetry** (1.8/2.x): a source without ``priority`` is ``primary``. All primary sources
  are searched together for a package without a ``source =`` constraint (highest version
  wins); the implicit PyPI source is searched as primary *only when no primary (or
  deprecated ``default``) source is configured and PyPI is not declared*. ``supplemental``
  sources are asked only when the higher tiers have no compatible version; deprecated
  ``secondary`` sources are merged with a lower preference; ``explicit`` sources serve only
  packages whose dependency names them with ``source = "..."``. A ``source =`` constraint
  makes that source the only one for the package, whatever its priority.
* **uv**: indexes are searched in order (command line, then ``[[tool.uv.index]]`` /
  ``uv.toml`` ``[[index]]`` in file order, legacy ``extra-index-url``), the default index
  (PyPI unless an index has ``default = true`` or ``index-url`` is set) last. Under the
  default ``first-index`` strategy the first index that has the name is the only one used.
  ``explicit = true`` indexes serve only packages pinned to them in ``[tool.uv.sources]``.
  uv never reads pip.conf.
* **PDM**: PyPI (``pypi.url``) comes first unless a source is named ``pypi``; all sources
  are equal and the best version wins unless ``[tool.pdm.resolution]
  respect-source-order = true`` (then the first source that has the name wins);
  ``include_packages`` binds matching names to one source exclusively,
  ``exclude_packages`` keeps a source from serving them.
* **Pipenv** (2022.3.23+): a package without ``index = "..."`` comes from the first
  ``[[source]]`` only; ``[pipenv] install_search_all_sources = true`` makes installs search
  every source. Before 2022.3.23 every source was searched for every package.
"""

from __future__ import annotations

import fnmatch
import posixpath
from typing import Optional

from feedlint.config import Config
from feedlint.lookup.common import IndexInfo, classify, config_of
from feedlint.model import (
    FileKind,
    FileModel,
    IndexRef,
    IndexRole,
    Installer,
    PackageRef,
    ProjectModel,
    Setting,
)
from feedlint.record import Record, field
from feedlint.urls import normalize_name

__all__ = [
    "Project",
    "Source",
    "index_strategy",
    "is_true",
    "pdm_projects",
    "pipenv_projects",
    "poetry_projects",
    "uv_projects",
]

_LOCKS = {
    Installer.POETRY: "poetry.lock",
    Installer.UV: "uv.lock",
    Installer.PDM: "pdm.lock",
    Installer.PIPENV: "Pipfile.lock",
}
_TRUE = (True, "true", "True", "1", "yes", "on")


def is_true(value: object) -> bool:
    """A boolean setting that is on (``true``, ``"true"``, ``"1"``, ``"yes"``, ``"on"``)."""
    return value in _TRUE


def index_strategy(value: object) -> str:
    """A uv ``index-strategy`` value as uv names it (``unsafe-best-match`` ...)."""
    return str(value).strip().strip("'\"").lower().replace("_", "-")


PYPI_SIMPLE = "https://pypi.org/simple"
_DIRECT_TYPES = ("git", "path", "url", "file", "directory", "workspace", "editable")


class Source(Record, frozen=True):
    """A named source of a project, in declaration order. ``priority`` is the effective
    tier: Poetry ``primary``/``supplemental``/``explicit``/``secondary``/``default``; uv
    ``index``/``default``/``explicit``; PDM and Pipenv ``source``. ``implicit`` marks the
    PyPI source an installer adds by itself."""

    name: str
    info: IndexInfo
    priority: str
    ref: Optional[IndexRef] = None
    implicit: bool = False

    @property
    def label(self) -> str:
        if self.implicit:
            return "PyPI"
        return f"'{self.name}' ({self.info.label})" if self.name else self.info.label


class Project(Record):
    """One project file (pyproject.toml or Pipfile) seen by one installer."""

    installer: Installer
    path: str
    sources: list[Source]
    declarations: list[PackageRef]
    locks: list[PackageRef]
    settings: list[Setting]
    extra_settings: list[Setting] = field(default_factory=list)

    def source(self, name: Optional[str]) -> Optional[Source]:
        """The source named ``name`` (or, failing that, whose URL is ``name``)."""
        if not name:
            return None
        key = name.lower()
        found = next((s for s in self.sources if s.name.lower() == key), None)
        if found is None and "://" in name:
            found = self.source_for_url(name)
        return found

    def source_for_url(self, url: Optional[str]) -> Optional[Source]:
        if not url:
            return None
        key = classify(url).key
        return next((s for s in self.sources if s.info.key == key), None)

    def declared(self, name: str) -> list[PackageRef]:
        return [p for p in self.declarations if p.name == name]

    def locked(self, name: str) -> list[PackageRef]:
        return [p for p in self.locks if p.name == name]

    def names(self) -> set[str]:
        return {p.name for p in self.declarations} | {p.name for p in self.locks}

    def setting(self, key: str, subject: str = "") -> Optional[Setting]:
        for s in self.settings + self.extra_settings:
            if s.key == key and (not subject or s.subject.lower() == subject.lower()):
                return s
        return None


def _dir(path: str) -> str:
    return posixpath.dirname(path)


def _sibling(model: ProjectModel, path: str, name: str) -> Optional[FileModel]:
    return model.files.get(posixpath.join(_dir(path), name) if _dir(path) else name)


def _project_refs(fm: FileModel, installer: Installer) -> list[IndexRef]:
    return [
        r
        for r in fm.indexes
        if r.installer is installer
        and r.scope not in ("cli", "env")
        and r.role in (IndexRole.SOURCE, IndexRole.INDEX, IndexRole.EXTRA, IndexRole.FIND_LINKS)
    ]


def _declarations(fm: FileModel, installers: tuple[Installer, ...]) -> list[PackageRef]:
    return [p for p in fm.packages if p.kind == "dependency" and p.installer in installers]


def _lock_entries(model: ProjectModel, path: str, installer: Installer) -> list[PackageRef]:
    lock = _sibling(model, path, _LOCKS[installer])
    return [p for p in lock.packages if p.kind == "lock"] if lock else []


def _project(
    model: ProjectModel, fm: FileModel, installer: Installer, sources: list[Source]
) -> Project:
    """``fm`` as ``installer`` sees it: ``sources``, its dependencies, the entries of its
    lock and the installer's settings."""
    return Project(
        installer,
        fm.path,
        sources,
        _declarations(fm, (installer, Installer.ANY)),
        _lock_entries(model, fm.path, installer),
        [s for s in fm.settings if s.installer is installer],
    )


def _implicit_pypi(priority: str, config: Config) -> Source:
    """The PyPI source an installer adds by itself."""
    return Source("pypi", classify(PYPI_SIMPLE, config), priority, None, True)


def is_pinned(decls: list[PackageRef]) -> bool:
    """Whether a declaration binds the package to one source or takes it from no index
    (``source =``/``index =``/``[tool.uv.sources]``, a path, URL or VCS reference)."""
    return any(d.source or d.url or d.source_type in _DIRECT_TYPES for d in decls)


def _is_pypi_name(ref: IndexRef) -> bool:
    return bool(ref.name) and ref.name.lower() == "pypi"


# -- Poetry -------------------------------------------------------------------------
def poetry_priority(ref: IndexRef) -> str:
    p = (ref.priority or "").lower()
    if p in ("primary", "supplemental", "explicit", "secondary", "default"):
        return p
    if ref.default:
        return "default"
    return "primary"


def poetry_projects(model: ProjectModel) -> list[Project]:
    config = config_of(model)
    out = []
    for fm in model.files_of(FileKind.PYPROJECT):
        refs = [r for r in _project_refs(fm, Installer.POETRY) if r.role is IndexRole.SOURCE]
        if not refs:
            continue
        sources = [
            Source(r.name or "", classify(r.url or PYPI_SIMPLE, config), poetry_priority(r), r)
            for r in refs
        ]
        declares_pypi = any(_is_pypi_name(s.ref) for s in sources if s.ref) or any(
            s.info.kind == "pypi" for s in sources
        )
        has_primary = any(s.priority in ("primary", "default") for s in sources)
        if not has_primary and not declares_pypi:
            sources.append(_implicit_pypi("primary", config))
        out.append(_project(model, fm, Installer.POETRY, sources))
    return out


def poetry_search(project: Project) -> tuple[list[Source], list[Source]]:
    """(sources searched together for an unconstrained package, supplemental fallbacks)."""
    first = [s for s in project.sources if s.priority in ("default", "primary", "secondary")]
    fallback = [s for s in project.sources if s.priority == "supplemental"]
    return first, fallback


# -- uv -------------------------------------------------------------------------------
def uv_projects(model: ProjectModel) -> list[Project]:
    """uv projects: a pyproject.toml with uv settings, merged with a ``uv.toml`` beside it."""
    config = config_of(model)
    out = []
    for fm in model.files_of(FileKind.PYPROJECT):
        uvtoml = _sibling(model, fm.path, "uv.toml")
        refs = _project_refs(fm, Installer.UV) + (
            _project_refs(uvtoml, Installer.UV) if uvtoml else []
        )
        locks = _lock_entries(model, fm.path, Installer.UV)
        settings = [s for s in fm.settings if s.installer is Installer.UV and s.scope != "cli"]
        if uvtoml:
            settings += [s for s in uvtoml.settings if s.installer is Installer.UV]
        if not refs and not locks:
            continue
        out.append(
            Project(
                Installer.UV,
                fm.path,
                _uv_sources(refs, config),
                _declarations(fm, (Installer.UV, Installer.ANY)),
                locks,
                settings,
            )
        )
    # a uv.toml without a pyproject beside it (a workspace or user-level style config)
    for uvtoml in model.files_of(FileKind.UV_TOML):
        if _sibling(model, uvtoml.path, "pyproject.toml") is not None:
            continue
        refs = _project_refs(uvtoml, Installer.UV)
        if refs:
            out.append(
                Project(
                    Installer.UV,
                    uvtoml.path,
                    _uv_sources(refs, config),
                    [],
                    [],
                    [s for s in uvtoml.settings if s.installer is Installer.UV],
                )
            )
    return out


def _uv_sources(refs: list[IndexRef], config: Config) -> list[Source]:
    sources = []
    for ref in refs:
        if ref.role is IndexRole.FIND_LINKS:
            priority = "index"
        elif ref.explicit:
            priority = "explicit"
        elif ref.default or ref.role is IndexRole.INDEX:
            priority = "default"
        else:
            priority = "index"
        sources.append(Source(ref.name or "", classify(ref.url, config), priority, ref))
    if not any(s.priority == "default" or (s.ref and s.ref.default) for s in sources):
        sources.append(_implicit_pypi("default", config))
    return sources


def uv_search_order(project: Project) -> list[Source]:
    """Indexes searched for a package not pinned in ``[tool.uv.sources]``, in order."""
    ordinary = [s for s in project.sources if s.priority == "index"]
    default = [s for s in project.sources if s.priority == "default"]
    return ordinary + default[:1]


# -- PDM -----------------------------------------------------------------------------------
def _pdm_config(model: ProjectModel, path: str) -> Optional[FileModel]:
    """The project's PDM configuration beside ``path`` (``pdm.toml``, formerly
    ``.pdm.toml``)."""
    return _sibling(model, path, "pdm.toml") or _sibling(model, path, ".pdm.toml")


def pdm_projects(model: ProjectModel) -> list[Project]:
    """PDM projects: ``[[tool.pdm.source]]`` in order, with the PyPI source first unless
    one is named ``pypi``; the project's ``pdm.toml`` ``[pypi] url`` replaces that PyPI
    source's URL and its ``[pypi.<name>]`` sources come after the pyproject ones (PDM's
    ``Project.get_sources``)."""
    config = config_of(model)
    out = []
    for fm in model.files_of(FileKind.PYPROJECT):
        refs = [r for r in _project_refs(fm, Installer.PDM)]
        pdm_toml = _pdm_config(model, fm.path)
        stored = [
            r
            for r in (pdm_toml.indexes if pdm_toml else [])
            if r.installer is Installer.PDM and r.role in (IndexRole.INDEX, IndexRole.SOURCE)
        ]
        if not refs and not stored:
            continue
        sources = [Source(r.name or "", classify(r.url, config), "source", r) for r in refs]
        default = next((r for r in stored if r.role is IndexRole.INDEX), None)
        if not any(_is_pypi_name(s.ref) for s in sources if s.ref):
            if default is not None:
                sources.insert(0, Source("pypi", classify(default.url, config), "source", default))
            else:
                sources.insert(0, _implicit_pypi("source", config))
        names = {s.name.lower() for s in sources}
        for r in stored:
            if r.role is IndexRole.SOURCE and (r.name or "").lower() not in names:
                sources.append(Source(r.name or "", classify(r.url, config), "source", r))
        out.append(_project(model, fm, Installer.PDM, sources))
    return out


def _globs(setting: Optional[Setting]) -> list[str]:
    if setting is None:
        return []
    value = setting.value
    if isinstance(value, str):
        value = [value]
    return [normalize_name(str(v)) for v in value] if isinstance(value, (list, tuple)) else []


def pdm_candidates(project: Project, name: str) -> tuple[list[Source], Optional[Source]]:
    """(sources PDM searches for ``name``, the source it is bound to by include_packages)."""
    bound = None
    candidates = []
    for source in project.sources:
        include = _globs(project.setting("include-packages", source.name))
        exclude = _globs(project.setting("exclude-packages", source.name))
        if include and any(fnmatch.fnmatchcase(name, g) for g in include):
            bound = bound or source
            continue
        if exclude and any(fnmatch.fnmatchcase(name, g) for g in exclude):
            continue
        candidates.append(source)
    return candidates, bound


def respects_source_order(project: Project) -> Optional[Setting]:
    s = project.setting("respect-source-order")
    return s if s is not None and is_true(s.value) else None


# -- Pipenv ----------------------------------------------------------------------------------
def pipenv_projects(model: ProjectModel) -> list[Project]:
    config = config_of(model)
    out = []
    for fm in model.files_of(FileKind.PIPFILE):
        refs = [r for r in _project_refs(fm, Installer.PIPENV)]
        sources = [Source(r.name or "", classify(r.url, config), "source", r) for r in refs]
        if not sources:
            sources = [_implicit_pypi("source", config)]
        out.append(_project(model, fm, Installer.PIPENV, sources))
    return out
