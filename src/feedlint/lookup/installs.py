"""Where the tree installs a requirements file, and with which indexes.

A requirements file is rarely installed on its own: a Dockerfile runs
``pip install --index-url <feed> -r requirements.txt``, a pipeline sets ``PIP_INDEX_URL``
before ``pip install -r requirements.txt``, a builder stage runs ``pip wheel`` against the
feed and the final stage installs ``--no-index --find-links /wheels``. FL401 asks whether
*every* such install keeps the private packages of an export on their feed;
:func:`install_contexts` lists them, one :class:`InstallContext` each.

What counts as an install (parsed by :mod:`feedlint.parsers.commands`): ``pip install``,
``pip download``, ``pip wheel`` and ``uv pip install`` with ``-r FILE`` or ``-c FILE``,
``uv pip sync FILE`` and ``pip-sync FILE``. The indexes in effect there:

* the command's own options: ``-i/--index-url`` (``--default-index``) replaces the
  default index, ``--extra-index-url`` (``--index``) adds, ``--no-index`` empties;
* for pip, ``PIP_INDEX_URL``/``PIP_EXTRA_INDEX_URL``/``PIP_NO_INDEX`` and ``pip config
  set`` written earlier in the same file (for uv, ``UV_INDEX_URL``/``UV_DEFAULT_INDEX``/
  ``UV_EXTRA_INDEX_URL``/``UV_INDEX``/``UV_NO_INDEX``/``UV_INDEX_STRATEGY``);
  ``PipAuthenticate`` feeds in Azure Pipelines. An assignment applies only where it is in
  force: a Dockerfile ``ENV``/``ARG`` in the same build stage before the ``RUN``; a CI
  ``env:``/``variables:`` entry before the command and within the block that holds it (a
  job's variables do not reach the next job); a ``NAME=value`` prefix only in its own
  command; a shell ``export`` anywhere before; a repository ``pip.conf`` that a
  Dockerfile copies into the image (``COPY pip.conf /etc/pip.conf``) before the ``RUN``. What cannot be told is left out, which can
  only make an install look less safe, never more.
* the file's own option lines, as :func:`feedlint.lookup.pip.requirements_chain` reads
  them (combined by the caller).

A requirements file that includes this one (``-r requirements.txt`` in
``requirements-dev.txt``), directly or through others, is an entry point of its own:
its context names it in ``chain_root`` (its option chain, read with PyPI as the command
line's index, is what pip uses). Other includers (tox ``deps``, ``setup.cfg``) give a
context with ``known = False`` (treat it as plain pip against PyPI).

Paths: ``-r X`` is resolved against the naming file's directory, then the root; when
neither is a requirements file of the model (a container path such as
``/app/requirements.txt``, a variable), a requirements file of the same base name is
taken if it is the only one.
"""

from __future__ import annotations

import posixpath
import re
from typing import Optional

from feedlint.config import Config
from feedlint.lazyre import lazy_compile
from feedlint.lookup.common import IndexInfo, classify, config_of, env_values
from feedlint.lookup.pip import config_sections
from feedlint.model import (
    FileKind,
    FileModel,
    Include,
    IndexRef,
    IndexRole,
    Installer,
    Location,
    ProjectModel,
    Setting,
)
from feedlint.parsers.commands import INSTALLS_FACT, RequirementInstall
from feedlint.record import Record

__all__ = ["InstallContext", "install_contexts"]

_ENV_INDEX_VARS = {
    Installer.PIP: ({"PIP_INDEX_URL"}, {"PIP_EXTRA_INDEX_URL"}, {"PIP_FIND_LINKS"}),
    Installer.UV: (
        {"UV_INDEX_URL", "UV_DEFAULT_INDEX"},
        {"UV_EXTRA_INDEX_URL", "UV_INDEX"},
        {"UV_FIND_LINKS"},
    ),
}
_PIP_CONFIG_SECTIONS = ("global", "install", "download", "wheel")
_SEPARATORS = ("&&", "||", ";", "|")
_PYPI = "https://pypi.org/simple"
_FROM = lazy_compile(r"^\s*FROM\s", re.IGNORECASE)
_UNRESOLVED = lazy_compile(r"[$%{}*?<>`]")  # a variable, glob or template: not a plain path


class InstallContext(Record, frozen=True):
    """One install of a requirements file and the indexes in effect there.

    ``index`` holds the default index (empty: PyPI, the installer's default), ``extras``
    the extra indexes and ``find_links`` the link pages the command or its environment
    adds; ``no_index`` whether the command or its environment says ``--no-index``.
    ``first_index`` is uv's default strategy (the first index that has a name serves it;
    extra indexes are asked before the default one). ``known`` is ``False`` for a file
    that includes this one, whose indexes are not followed.
    """

    path: str
    location: Location
    installer: Installer
    known: bool = True
    index: tuple[IndexInfo, ...] = ()
    extras: tuple[IndexInfo, ...] = ()
    find_links: tuple[IndexInfo, ...] = ()
    no_index: bool = False
    first_index: bool = False
    #: a requirements file that includes this one: its option chain (which reads this
    #: file's options at the include line) applies instead of this file's own
    chain_root: str = ""


def _requirements_by_name(model: ProjectModel) -> dict[str, list[str]]:
    cached = model.extras.get("installs.by-name")
    if isinstance(cached, dict):
        return cached
    out: dict[str, list[str]] = {}
    for rel, fm in sorted(model.files.items()):
        if fm.source.kind is FileKind.REQUIREMENTS:
            out.setdefault(posixpath.basename(rel), []).append(rel)
    model.extras["installs.by-name"] = out
    return out


def _resolve_target(model: ProjectModel, naming: str, raw: str) -> Optional[str]:
    text = raw.strip().strip("'\"").replace("\\", "/")
    if not text or "://" in text:
        return None
    if not _UNRESOLVED.search(text) and not text.startswith(("/", "~")):
        for candidate in (posixpath.join(posixpath.dirname(naming), text), text):
            rel = posixpath.normpath(candidate)
            fm = model.files.get(rel)
            if fm is not None and fm.source.kind is FileKind.REQUIREMENTS:
                return rel
    base = text.rstrip("/").rsplit("/", 1)[-1]
    if not base or _UNRESOLVED.search(base):
        return None
    same = _requirements_by_name(model).get(base, [])
    return same[0] if len(same) == 1 else None


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" \t"))


def _yaml_block_indent(fm: FileModel, line: int, levels: int) -> int:
    """The indentation of the block an entry on ``line`` belongs to, ``levels`` keys up
    (1: the ``env:``/``variables:`` key holding a variable; 2: the step holding a task's
    ``inputs:``); ``0`` at the top."""
    indent = _indent(fm.source.line(line))
    found = indent
    number = line - 1
    while levels > 0 and number >= 1:
        text = fm.source.line(number)
        if text.strip() and not text.lstrip().startswith("#") and _indent(text) < found:
            found = _indent(text)
            levels -= 1
        number -= 1
    return found if levels == 0 else 0


def _in_force(fm: FileModel, at: Location, before: Location, levels: int) -> bool:
    """Whether an assignment at ``at`` is in force for a command at ``before``."""
    if not at < before:
        return False
    kind = fm.source.kind
    if kind is FileKind.DOCKERFILE:
        return not any(_FROM.match(fm.source.line(n)) for n in range(at.line + 1, before.line + 1))
    if kind is FileKind.CI_YAML:
        block = _yaml_block_indent(fm, at.line, levels)
        for number in range(at.line + 1, before.line):
            text = fm.source.line(number)
            if text.strip() and not text.lstrip().startswith("#") and _indent(text) < block:
                return False
    return True


def _prefix_lines(fm: FileModel) -> set[tuple[int, str]]:
    """(line, variable) of ``NAME=value`` command prefixes: they apply to one command."""
    return {(a.location.line, a.name.upper()) for a in fm.env if a.origin == "command-prefix"}


def _applies(
    fm: FileModel, ref_loc: Location, var: str, inst: RequirementInstall, prefixes: set, levels: int
) -> bool:
    if (ref_loc.line, var) in prefixes:
        if ref_loc.line != inst.start.line or not ref_loc < inst.start:
            return False
        between = fm.source.line(ref_loc.line)[ref_loc.column - 1 : inst.start.column - 1]
        return not any(sep in between for sep in _SEPARATORS)
    return _in_force(fm, ref_loc, inst.location, levels)


def _env_refs(
    fm: FileModel, inst: RequirementInstall, prefixes: set
) -> tuple[list[IndexRef], list[IndexRef], list[IndexRef], list[Setting]]:
    """The environment's (index, extras, find-links, settings) in force for ``inst``."""
    vars_ = _ENV_INDEX_VARS.get(inst.installer)
    if vars_ is None:
        return [], [], [], []
    index_vars, extra_vars, link_vars = vars_
    index: list[IndexRef] = []
    extras: list[IndexRef] = []
    links: list[IndexRef] = []
    for ref in fm.indexes:
        via = ref.via.upper()
        if ref.scope == "env":
            levels = 2 if "PIPAUTHENTICATE" in via else 1
            if not _applies(fm, ref.location, via, inst, prefixes, levels):
                continue
            if "PIPAUTHENTICATE" in via and inst.installer is Installer.PIP:
                (index if ref.role is IndexRole.INDEX else extras).append(ref)
            elif via in index_vars:
                index.append(ref)
            elif via in extra_vars:
                extras.append(ref)
            elif via in link_vars:
                links.append(ref)
        elif (
            ref.via == "pip config set"
            and inst.installer is Installer.PIP
            and ref.scope in _PIP_CONFIG_SECTIONS
            and _in_force(fm, ref.location, inst.location, 1)
        ):
            if ref.role is IndexRole.INDEX:
                index.append(ref)
            elif ref.role is IndexRole.EXTRA:
                extras.append(ref)
            elif ref.role is IndexRole.FIND_LINKS:
                links.append(ref)
    settings = [
        s
        for s in fm.settings
        if s.scope == "env"
        and s.installer is inst.installer
        and _applies(fm, s.location, s.via.upper(), inst, prefixes, 1)
    ]
    return index, extras, links, settings


def _maybe_unset(fm: FileModel, ref: IndexRef) -> bool:
    """Whether ``ref`` is a Docker ``ARG NAME`` without a default (and no value resolves
    it in the file): the build may not pass it, and then the installer's default stands."""
    return ref.url.upper() == f"${{{ref.via}}}" and ref.url[2:-1] not in env_values(fm)


def _copied_pip_conf(
    model: ProjectModel, fm: FileModel, inst: RequirementInstall
) -> tuple[list[IndexRef], list[IndexRef]]:
    """(index, extras) of a repository ``pip.conf``/``pip.ini`` that a Dockerfile copies
    into the image (``COPY pip.conf /etc/pip.conf``) in the install's stage before it:
    pip reads it there. The ``[global]`` values, replaced key by key by the command's
    own section (``[install]`` ...)."""
    if fm.source.kind is not FileKind.DOCKERFILE or inst.installer is not Installer.PIP:
        return [], []
    copies = fm.facts.get("copies")
    if not isinstance(copies, list):
        return [], []
    found: Optional[FileModel] = None
    for copy in copies:
        if not isinstance(copy, dict) or copy.get("from") or copy.get("inline"):
            continue
        line = copy.get("line")
        dest = str(copy.get("dest", "")).rstrip("/")
        src = str(copy.get("src", ""))
        if not isinstance(line, int) or not _in_force(
            fm, Location(fm.path, line), inst.location, 1
        ):
            continue
        if posixpath.basename(dest).lower() not in ("pip.conf", "pip.ini"):
            continue
        for candidate in (posixpath.join(posixpath.dirname(fm.path), src), src):
            conf = model.files.get(posixpath.normpath(candidate))
            if conf is not None and conf.source.kind is FileKind.PIP_CONF:
                found = conf
                break
    if found is None:
        return [], []
    sections = config_sections(found)
    glob, own = sections.get("global", {}), sections.get(inst.sub, {})
    index = own.get(IndexRole.INDEX) or glob.get(IndexRole.INDEX) or []
    extras = own.get(IndexRole.EXTRA) or glob.get(IndexRole.EXTRA) or []
    return index[-1:], list(extras)


def _project_strategy(model: ProjectModel) -> str:
    """An ``index-strategy`` from uv's configuration files (``[tool.uv]``, ``uv.toml``,
    their ``[pip]`` tables): ``uv pip install`` run in the project reads it. Any one in
    the tree counts (the unsafe one first), since which applies depends on the directory
    the command runs in."""
    found = [
        str(s.value)
        for s in model.settings
        if s.installer is Installer.UV
        and s.key == "index-strategy"
        and s.scope not in ("cli", "env", "command-prefix")
    ]
    return next((v for v in found if v.strip().lower().startswith("unsafe")), "")


def _truthy(value: object) -> bool:
    return str(value).strip().lower() not in ("", "0", "false", "no", "off")


def _context(
    model: ProjectModel, fm: FileModel, inst: RequirementInstall, config: Config, prefixes: set
) -> InstallContext:
    env = env_values(fm)
    env_index, env_extras, env_links, settings = _env_refs(fm, inst, prefixes)
    conf_index, conf_extras = _copied_pip_conf(model, fm, inst)
    own = {role: [r for r in inst.indexes if r.role is role] for role in IndexRole}
    index_refs = own[IndexRole.INDEX][-1:] or env_index[-1:] or conf_index
    extra_refs = own[IndexRole.EXTRA] + env_extras + conf_extras
    link_refs = own[IndexRole.FIND_LINKS] + env_links
    no_index = inst.no_index or any(s.key == "no-index" and _truthy(s.value) for s in settings)
    strategy = inst.strategy or next(
        (str(s.value) for s in settings if s.key == "index-strategy"), ""
    )
    if inst.installer is Installer.UV and not strategy:
        strategy = _project_strategy(model)
    first_index = inst.installer is Installer.UV and not strategy.strip().lower().startswith(
        "unsafe"
    )

    def infos(refs: list[IndexRef]) -> tuple[IndexInfo, ...]:
        return tuple(classify(r.url, config, env) for r in refs)

    index = infos(index_refs)
    if index_refs and not own[IndexRole.INDEX] and _maybe_unset(fm, index_refs[-1]):
        index += (classify(_PYPI, config),)  # a bare `ARG PIP_INDEX_URL` may be left unset
    return InstallContext(
        fm.path,
        inst.location,
        inst.installer,
        True,
        index,
        infos(extra_refs),
        infos(link_refs),
        no_index,
        first_index,
    )


def install_contexts(model: ProjectModel, path: str) -> list[InstallContext]:
    """Every place the tree installs the requirements file ``path`` (see the module
    docstring), in file order."""
    cache = model.extras.get("installs.contexts")
    if not isinstance(cache, dict):
        cache = model.extras["installs.contexts"] = {}
    if path in cache:
        return cache[path]
    config = config_of(model)
    out: list[InstallContext] = []
    prefixes: dict[str, set[tuple[int, str]]] = {}
    for rel, fm, inst in _installs_by_target(model).get(path, []):
        if rel not in prefixes:
            prefixes[rel] = _prefix_lines(fm)
        out.append(_context(model, fm, inst, config, prefixes[rel]))
    out.extend(_includers(model, path))
    cache[path] = out
    return out


def _installs_by_target(
    model: ProjectModel,
) -> dict[str, list[tuple[str, FileModel, RequirementInstall]]]:
    """Requirements path -> the install commands naming it, in file order. Built once per
    model: resolving every command against every requirements file made a monorepo
    quadratic."""
    cached = model.extras.get("installs.by-target")
    if isinstance(cached, dict):
        return cached
    out: dict[str, list[tuple[str, FileModel, RequirementInstall]]] = {}
    for rel, fm in sorted(model.files.items()):
        installs = fm.facts.get(INSTALLS_FACT)
        if not isinstance(installs, list):
            continue
        for inst in installs:
            if isinstance(inst, RequirementInstall):
                target = _resolve_target(model, rel, inst.target)
                if target is not None:
                    out.setdefault(target, []).append((rel, fm, inst))
    model.extras["installs.by-target"] = out
    return out


def _included_by(model: ProjectModel) -> dict[str, list[tuple[str, FileModel, Include]]]:
    """Include target -> the files including it (with the include), in file order."""
    cached = model.extras.get("installs.included-by")
    if isinstance(cached, dict):
        return cached
    out: dict[str, list[tuple[str, FileModel, Include]]] = {}
    for rel, fm in sorted(model.files.items()):
        for inc in fm.includes:
            out.setdefault(inc.target, []).append((rel, fm, inc))
    model.extras["installs.included-by"] = out
    return out


def _includers(model: ProjectModel, path: str) -> list[InstallContext]:
    """Contexts for the files that include ``path`` (directly or through other files):
    requirements files are entry points of their own, read with PyPI as the command
    line's index (``chain_root`` names the file whose option chain applies); other
    includers (tox ``deps``, ``setup.cfg``) are of unknown indexes."""
    out: list[InstallContext] = []
    seen = {path}
    pending = [path]
    included_by = _included_by(model)
    while pending and len(seen) < 200:
        target = pending.pop(0)
        for rel, fm, inc in included_by.get(target, []):
            if rel in seen:
                continue
            seen.add(rel)
            if fm.source.kind is FileKind.REQUIREMENTS:
                out.append(InstallContext(rel, inc.location, Installer.PIP, chain_root=rel))
                pending.append(rel)
            else:
                out.append(InstallContext(rel, inc.location, Installer.PIP, known=False))
    return out
