"""pip's effective index list, as pip itself builds it.

* **Requirements files** (:func:`requirements_chains`): option lines change the finder as
  they are read, in file order, and a nested ``-r``/``-c`` file is read at the point of its
  include line, so its options apply to the whole install. ``--no-index`` empties the list
  and ignores later index options; ``-i/--index-url`` *replaces the whole list*, including
  extras added earlier and the command line's own indexes; ``--extra-index-url`` appends.
  Within one line, pip applies ``--no-index``, then ``-i``, then the extras; it takes the
  first ``-f/--find-links`` of a line and adds it even after ``--no-index``. Hash-checking
  mode (:func:`hash_checking`) comes from ``--require-hashes`` or any ``--hash`` in the
  files read. (``pip/_internal/req/req_file.py``, ``handle_option_line``.)
* **Config files** (:func:`config_views`): ``[global]`` gives defaults, the command's own
  section (``[install]``, ``[download]``, ``[wheel]`` ...) replaces them key by key,
  never merging lists; ``PIP_*`` environment variables and the command line come after.
* **Command lines** (:func:`command_groups`): one simple command (``pip install ...``,
  ``uv pip install ...``) is one context; ``PIP_*``/``UV_*`` assignments of the same file are
  its environment (:func:`env_groups`).

In every context pip searches the index URL (PyPI unless set) and all extra index URLs as
equals and takes the best version found anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from feedlint.config import Config
from feedlint.lazyre import lazy_compile
from feedlint.lookup.common import IndexInfo, classify, config_of, env_values
from feedlint.model import (
    Command,
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
from feedlint.parsers.commands import split_words
from feedlint.parsers.embedded import embedded_lines
from feedlint.record import Record, field

__all__ = [
    "PIP_COMMAND_SECTIONS",
    "PYPI_DEFAULT",
    "ChainResult",
    "Entry",
    "Override",
    "command_groups",
    "command_local",
    "config_views",
    "env_groups",
    "hash_checking",
    "is_no_index",
    "is_pip_config_item",
    "requirements_chain",
    "requirements_chains",
    "requirements_runs",
    "section_groups",
]

#: pip's implicit default index.
PYPI_DEFAULT = classify("https://pypi.org/simple")
#: Command sections of pip's configuration whose index settings matter (commands that
#: resolve, download or query distributions). pip reads ``[global]`` and the section named
#: exactly after the running command; any other section (``[Global]``, ``[pypi]``) is ignored.
PIP_COMMAND_SECTIONS = ("install", "download", "wheel", "lock", "index", "list", "search")
_INDEX_ROLES = (IndexRole.INDEX, IndexRole.EXTRA)
#: Cap on option events replayed through include chains (diamond includes multiply).
_MAX_EVENTS = 20_000


class Entry(Record, frozen=True):
    """One index reference with its classification."""

    ref: IndexRef
    info: IndexInfo


class Override(Record, frozen=True):
    """An ``-i`` line that drops indexes set earlier in the same chain."""

    ref: IndexRef
    dropped: tuple[Entry, ...]


class ChainResult(Record):
    """The index list after pip reads the requirements file ``root`` and its includes.

    ``index`` is the ``-i`` in effect (``None``: the command line's, PyPI by default),
    ``extras`` the extra indexes still in effect, ``find_links`` the link pages added,
    ``overrides`` every ``-i`` that dropped something, ``no_index`` whether ``--no-index``
    was read, ``files`` every file read (``root`` first), ``require_hashes`` whether one
    of them says ``--require-hashes``, ``replaces_base`` the ``-i`` that dropped the
    command line's (or ``PIP_INDEX_URL``'s) index.
    """

    root: str
    index: Optional[Entry] = None
    keeps_base: bool = True
    extras: list[Entry] = field(default_factory=list)
    find_links: list[Entry] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    no_index: bool = False
    files: list[str] = field(default_factory=list)
    require_hashes: bool = False
    #: the first ``-i`` that replaced the command line's own index (``None``: none did)
    replaces_base: Optional[Entry] = None

    def searched(self) -> list[IndexInfo]:
        """Every index pip searches at the end (PyPI standing in for the command line)."""
        if self.no_index:
            return []
        out = [PYPI_DEFAULT] if self.keeps_base else []
        if self.index is not None:
            out.append(self.index.info)
        return out + [e.info for e in self.extras]

    @property
    def uses_default_index(self) -> bool:
        """Whether the command line's index (PyPI unless pip.conf/``PIP_INDEX_URL`` says
        otherwise) is still searched: no ``-i`` replaced it and no ``--no-index`` emptied it."""
        return self.keeps_base and not self.no_index

    def sources(self) -> list[IndexRef]:
        """The references pip ends up fetching from: the ``-i``, the extras, the link pages."""
        entries = ([self.index] if self.index else []) + self.extras + self.find_links
        return [e.ref for e in entries]


def _is_pip_ref(ref: IndexRef) -> bool:
    return ref.installer in (Installer.PIP, Installer.ANY) and ref.role in _INDEX_ROLES


def _is_pip_link(ref: IndexRef) -> bool:
    return ref.installer in (Installer.PIP, Installer.ANY) and ref.role is IndexRole.FIND_LINKS


def is_no_index(setting: Setting) -> bool:
    """``--no-index``, ``no-index = true``, ``PIP_NO_INDEX=1``/``UV_NO_INDEX=1``: every index
    URL is ignored (only find-links are read)."""
    return setting.key == "no-index" and str(setting.value).strip().lower() not in (
        "false",
        "0",
        "no",
        "off",
        "",
    )


_Event = tuple[int, int, int, object]


def _events(fm: FileModel) -> list[_Event]:
    """Option events of one requirements file in the order pip applies them: line by
    line, and within a line ``--no-index``, ``-i``, extras, find-links."""
    events: list[_Event] = []
    for ref in fm.indexes:
        if _is_pip_ref(ref) or _is_pip_link(ref):
            order = {IndexRole.INDEX: 1, IndexRole.EXTRA: 2}.get(ref.role, 3)
            events.append((ref.location.line, order, ref.location.column, ref))
    for setting in fm.settings:
        if is_no_index(setting):
            events.append((setting.location.line, 0, setting.location.column, setting))
    for inc in fm.includes:
        events.append((inc.location.line, 4, inc.location.column, inc))
    events.sort(key=lambda e: e[:3])
    return events


#: files pip reads as requirements files: conda writes an environment file's `pip:` list
#: to a temporary requirements file beside it and runs `pip install -r` on that
_CHAIN_KINDS = (FileKind.REQUIREMENTS, FileKind.CONDA_ENV)


def _simulate(model: ProjectModel, root: str, config: Config) -> ChainResult:
    result = ChainResult(root)
    # the live list: None stands for the command line's own indexes
    current: list[Optional[Entry]] = [None]
    budget = [_MAX_EVENTS]

    def visit(path: str, stack: tuple[str, ...]) -> None:
        fm = model.files.get(path)
        if fm is None or fm.source.kind not in _CHAIN_KINDS:
            return
        if fm.source.kind is FileKind.CONDA_ENV and path != root:
            return  # an environment file is read only as the root of its own install
        if path not in result.files:
            result.files.append(path)
        if any(s.key == "require-hashes" and s.value is not False for s in fm.settings):
            result.require_hashes = True
        link_lines: set[int] = set()
        for line, _, _, item in _events(fm):
            budget[0] -= 1
            if budget[0] < 0:
                return
            if isinstance(item, Include):
                if item.target and item.target not in stack:
                    visit(item.target, (*stack, item.target))
            elif isinstance(item, Setting):
                result.no_index = True
                current.clear()
            elif isinstance(item, IndexRef) and item.role is IndexRole.FIND_LINKS:
                if line not in link_lines:  # pip takes the first -f of a line
                    link_lines.add(line)
                    result.find_links.append(Entry(item, classify(item.url, config)))
            elif isinstance(item, IndexRef) and not result.no_index:
                entry = Entry(item, classify(item.url, config))
                if item.role is IndexRole.INDEX:
                    if None in current and result.replaces_base is None:
                        result.replaces_base = entry
                    dropped = tuple(
                        e for e in current if e is not None and not e.info.same(entry.info)
                    )
                    if dropped:
                        result.overrides.append(Override(item, dropped))
                    current[:] = [entry]
                else:
                    current.append(entry)

    visit(root, (root,))
    result.keeps_base = None in current
    indexes = [e for e in current if e is not None and e.ref.role is IndexRole.INDEX]
    result.index = indexes[-1] if indexes else None
    result.extras = [e for e in current if e is not None and e.ref.role is IndexRole.EXTRA]
    return result


def requirements_chain(model: ProjectModel, path: str) -> ChainResult:
    """What pip makes of ``pip install -r PATH`` (cached on the model)."""
    cache = model.extras.get("lookup.requirements-chain")
    if not isinstance(cache, dict):
        cache = model.extras["lookup.requirements-chain"] = {}
    if path not in cache:
        cache[path] = _simulate(model, path, config_of(model))
    return cache[path]


def requirements_chains(model: ProjectModel) -> list[ChainResult]:
    """One :class:`ChainResult` per requirements file (and conda environment ``pip:``
    list) with index options or includes, each read as ``pip install -r FILE`` (a file that is only ever included is still a
    possible entry point)."""
    return [
        requirements_chain(model, fm.path)
        for fm in model.files_of(*_CHAIN_KINDS)
        if any(_is_pip_ref(r) for r in fm.indexes) or fm.includes
    ]


def hash_checking(model: ProjectModel, path: str) -> bool:
    """Whether ``pip install -r PATH`` runs in hash-checking mode: ``--require-hashes`` or
    a ``--hash`` on any requirement or constraint of the files it reads."""
    chain = requirements_chain(model, path)
    if chain.require_hashes:
        return True
    for read in chain.files:
        for pkg in model.files[read].packages:
            if pkg.kind in ("requirement", "constraint") and pkg.hashes:
                return True
    return False


# -- pip configuration files --------------------------------------------------------
class ConfigView(Record):
    """What one pip command reads from one config file: the index URL and extras in
    effect, each from ``[global]`` unless the command's section replaces the key."""

    path: str
    command: str
    index: Optional[Entry]
    extras: list[Entry]

    def searched(self) -> list[IndexInfo]:
        base = self.index.info if self.index else PYPI_DEFAULT
        return [base] + [e.info for e in self.extras]


def is_pip_config_item(fm: FileModel, item: IndexRef | Setting) -> bool:
    """Whether ``item`` of ``fm`` is a pip configuration setting: read from pip.conf/pip.ini,
    written by ``pip config set``, or from a pip.conf written inline (a Dockerfile
    ``COPY <<EOF /etc/pip.conf`` or ``RUN cat > pip.conf <<EOF``, a CI heredoc)."""
    if fm.source.kind is FileKind.PIP_CONF or item.via == "pip config set":
        return True
    return item.location.line in embedded_lines(fm, FileKind.PIP_CONF)


def _config_refs(fm: FileModel) -> list[IndexRef]:
    """pip index settings of a config file, written by ``pip config set`` in a script, or
    of a pip.conf the file writes inline."""
    return [r for r in fm.indexes if _is_pip_ref(r) and is_pip_config_item(fm, r)]


def config_sections(fm: FileModel) -> dict[str, dict[IndexRole, list[IndexRef]]]:
    """section -> role -> references, for the pip config settings of ``fm``."""
    sections: dict[str, dict[IndexRole, list[IndexRef]]] = {}
    for ref in _config_refs(fm):
        section = ref.scope or "global"
        if section != "global" and section not in PIP_COMMAND_SECTIONS:
            continue  # pip never reads this section
        sections.setdefault(section, {}).setdefault(ref.role, []).append(ref)
    return sections


def config_views(model: ProjectModel) -> list[ConfigView]:
    """For each pip config file (and script writing pip config), what ``pip install``,
    ``pip download``, ``pip wheel`` and every other configured command read."""
    config = config_of(model)
    out: list[ConfigView] = []
    for path, fm in sorted(model.files.items()):
        sections = config_sections(fm)
        if not sections:
            continue
        env = env_values(fm)
        glob = sections.get("global", {})
        commands = sorted({s for s in sections if s != "global"} | {"install", "download", "wheel"})
        for command in commands:
            own = sections.get(command, {})
            index_refs = own.get(IndexRole.INDEX) or glob.get(IndexRole.INDEX) or []
            extra_refs = own.get(IndexRole.EXTRA) or glob.get(IndexRole.EXTRA) or []
            index = (
                Entry(index_refs[-1], classify(index_refs[-1].url, config, env))
                if index_refs
                else None
            )
            extras = [Entry(r, classify(r.url, config, env)) for r in extra_refs]
            out.append(ConfigView(path, command, index, extras))
    return out


# -- command lines and environment ----------------------------------------------------
class Group(Record):
    """Index references that one invocation sees together: one simple command of a script
    (``scope == "cli"``) or the environment assignments of one file (``scope == "env"``).
    ``index`` entries are the default index(es), ``settings`` the installer options read
    in the same context (``--index-strategy`` ...)."""

    path: str
    installer: Installer
    scope: str
    index: list[Entry]
    extras: list[Entry]
    settings: list[Setting]
    env_index: list[Entry] = field(default_factory=list)
    #: the environment's extra indexes (``PIP_EXTRA_INDEX_URL``) a command that gives no
    #: ``--extra-index-url`` of its own still uses beside its ``--index-url``
    env_extras: list[Entry] = field(default_factory=list)

    def base(self) -> list[IndexInfo]:
        """The default index(es) in effect: the command's own, else the environment's,
        else PyPI."""
        if self.index:
            return [e.info for e in self.index]
        if self.env_index:
            return [e.info for e in self.env_index]
        return [PYPI_DEFAULT]


def _spans(cmd: Command) -> Iterator[tuple[Location, Location]]:
    for words in split_words(cmd.text):
        if words:
            yield cmd.locate(words[0].start), cmd.locate(max(words[-1].end - 1, 0))


_ASSIGN_WORD = lazy_compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def _local_assignment_spans(fm: FileModel) -> list[tuple[Location, Location]]:
    """Where the leading ``NAME=value`` words of a simple command that runs a program
    stand (``UV_INDEX_STRATEGY=unsafe-best-match uv pip install ...``, ``env X=1 cmd``):
    such an assignment is that one command's environment, not the file's."""
    spans: list[tuple[Location, Location]] = []
    for cmd in fm.commands:
        for words in split_words(cmd.text):
            i = 1 if words and words[0].text == "env" else 0
            first = i
            while i < len(words) and _ASSIGN_WORD.match(words[i].text):
                i += 1
            if first < i < len(words):
                spans.append((cmd.locate(words[first].start), cmd.locate(words[i - 1].end - 1)))
    return spans


def _local_span(fm: FileModel, item: IndexRef | Setting) -> Optional[int]:
    """The index of the command prefix ``item`` (an ``env``-scope reference or setting)
    stands in, or ``None`` when it is not such a command-local assignment."""
    if item.scope != "env":
        return None
    cache = fm.facts.get("lookup.local-assignments")
    if not isinstance(cache, list):
        cache = fm.facts["lookup.local-assignments"] = _local_assignment_spans(fm)
    return next((i for i, (start, end) in enumerate(cache) if start <= item.location <= end), None)


def command_local(fm: FileModel, item: IndexRef | Setting) -> bool:
    """Whether ``item`` comes from an assignment that prefixes one command only (see
    :func:`_local_assignment_spans`)."""
    return _local_span(fm, item) is not None


def _installers_for(scope_refs: list[IndexRef]) -> set[Installer]:
    return {r.installer for r in scope_refs}


# -- Dockerfile build stages ------------------------------------------------------------
def _stages(fm: FileModel) -> list[dict]:
    stages = fm.facts.get("stages") if fm.source.kind is FileKind.DOCKERFILE else None
    return [s for s in stages if isinstance(s, dict)] if isinstance(stages, list) else []


def _stage_at(stages: list[dict], line: int) -> int:
    return next((int(s["index"]) for s in stages if s["line"] <= line <= s["end_line"]), -1)


def _lineage(stages: list[dict]) -> dict[int, set[int]]:
    """Stage index -> the stages whose ``ENV`` it inherits: itself and, through
    ``FROM <earlier stage>``, that stage's lineage."""
    names: dict[str, int] = {}
    out: dict[int, set[int]] = {}
    for s in stages:
        index = int(s["index"])
        parent = names.get(str(s["image"]).lower())
        out[index] = {index} | (out[parent] if parent is not None else set())
        if s["name"]:
            names[str(s["name"]).lower()] = index
    return out


def _visible_in(fm: FileModel, ref: IndexRef, stage: int) -> bool:
    """Whether an environment reference of Dockerfile ``fm`` is set in build ``stage``:
    ``ENV`` (and a command prefix) of the stage or of a stage it is built ``FROM``, ``ARG``
    of the stage itself only. Values before the first ``FROM`` are kept everywhere."""
    stages = _stages(fm)
    own = _stage_at(stages, ref.location.line)
    if not stages or own == -1 or stage == -1:
        return True
    arg = any(
        a.origin == "docker-arg" and ref.location in (a.location, a.value_location) for a in fm.env
    )
    return own == stage if arg else own in _lineage(stages).get(stage, {stage})


def _stage_contexts(fm: FileModel) -> list[int]:
    """The build stages of a Dockerfile (``[-1]``: the whole file is one context)."""
    return [int(s["index"]) for s in _stages(fm)] or [-1]


def env_groups(model: ProjectModel) -> list[Group]:
    """Per file and installer: the ``PIP_*``/``UV_*`` index variables it assigns (per
    build stage in a Dockerfile: a stage sees its own ``ENV`` and its parents')."""
    config = config_of(model)
    out: list[Group] = []
    for path, fm in sorted(model.files.items()):
        refs = [r for r in fm.indexes if r.scope == "env" and r.role in _INDEX_ROLES]
        if not refs:
            continue
        env = env_values(fm)
        for installer, stage in [
            (i, s)
            for i in sorted(_installers_for(refs), key=lambda i: i.value)
            for s in _stage_contexts(fm)
        ]:
            mine = [r for r in refs if r.installer is installer and _visible_in(fm, r, stage)]
            if not mine:
                continue
            index = [
                Entry(r, classify(r.url, config, env)) for r in mine if r.role is IndexRole.INDEX
            ]
            extras = [
                Entry(r, classify(r.url, config, env)) for r in mine if r.role is IndexRole.EXTRA
            ]
            # the file's environment, and a command's own prefix only beside its references
            spans = {_local_span(fm, r) for r in mine} - {None}
            settings = [
                s
                for s in fm.settings
                if s.scope == "env"
                and s.installer is installer
                and (not command_local(fm, s) or _local_span(fm, s) in spans)
            ]
            out.append(Group(path, installer, "env", index, extras, settings))
    return out


def _ci_shell(fm: FileModel, at: Location) -> Optional[int]:
    """The shell (see ``ci.shells`` of :mod:`feedlint.parsers.ciyaml`: a GitLab job, a
    workflow or pipeline step) whose script holds ``at``; ``None`` outside every script."""
    shells = fm.facts.get("ci.shells")
    if not isinstance(shells, list):
        return None
    pos = (at.line, at.column)
    for start, end, owner in shells:
        if tuple(start) <= pos <= tuple(end):
            return int(owner)
    return None


def _reaches(fm: FileModel, ref: IndexRef, start: Location) -> bool:
    """Whether an environment variable set at ``ref`` is set for the command at ``start``:
    one exported in a CI script only reaches the later commands of the same shell (not
    one written to ``$GITHUB_ENV`` or by ``##vso[task.setvariable]``: later steps see it)."""
    shell = _ci_shell(fm, ref.location)
    if shell is None or any(
        a.origin == "ci-env" and ref.location in (a.location, a.value_location) for a in fm.env
    ):
        return True
    return ref.location < start and _ci_shell(fm, start) == shell


def _env_index(
    fm: FileModel,
    installer: Installer,
    start: Location,
    end: Location,
    config: Config,
    env: dict[str, str],
    role: IndexRole = IndexRole.INDEX,
) -> list[Entry]:
    """The default index (or with ``role`` EXTRA, the extra indexes) the environment gives
    the command spanning ``start``-``end``: the file's ``PIP_INDEX_URL``/
    ``UV_DEFAULT_INDEX``/PipAuthenticate feed, a prefix of that command, and in a
    Dockerfile only what is set before it in its build stage or one it is built from."""
    stages = _stages(fm)
    stage = _stage_at(stages, start.line)
    return [
        Entry(r, classify(r.url, config, env))
        for r in fm.indexes
        if r.scope == "env"
        and r.role is role
        and r.installer is installer
        and (start <= r.location <= end if command_local(fm, r) else _reaches(fm, r, start))
        and (not stages or (r.location < start and _visible_in(fm, r, stage)))
    ]


class RequirementsRun(Record):
    """``pip install -r FILE`` run by a command whose default index is not PyPI: its own
    ``--index-url``, ``PIP_INDEX_URL``, a PipAuthenticate feed, a copied pip.conf (see
    :mod:`feedlint.lookup.installs`). pip reads FILE's options on top of that index."""

    chain: ChainResult
    base: list[IndexInfo]
    command: Location


def requirements_runs(model: ProjectModel) -> list[RequirementsRun]:
    """Every pip install of a requirements file of the tree with a default index other
    than PyPI (or a mirror of it). Cached on the model."""
    cached = model.extras.get("lookup.requirements-runs")
    if isinstance(cached, list):
        return cached
    from feedlint.lookup.installs import install_contexts  # it imports this module

    out: list[RequirementsRun] = []
    for fm in model.files_of(FileKind.REQUIREMENTS):
        for ctx in install_contexts(model, fm.path):
            if ctx.installer is not Installer.PIP or not ctx.known or ctx.chain_root:
                continue
            if ctx.no_index or not ctx.index or all(i.pypi_content for i in ctx.index):
                continue
            chain = requirements_chain(model, fm.path)
            out.append(RequirementsRun(chain, list(ctx.index), ctx.location))
    model.extras["lookup.requirements-runs"] = out
    return out


def command_groups(model: ProjectModel) -> list[Group]:
    """One group per simple command that sets an index on its command line."""
    config = config_of(model)
    out: list[Group] = []
    for path, fm in sorted(model.files.items()):
        refs = [r for r in fm.indexes if r.scope == "cli" and r.role in _INDEX_ROLES]
        if not refs or not fm.commands:
            continue
        env = env_values(fm)
        # the command line's options, and NAME=value words prefixing that one command
        settings = [s for s in fm.settings if s.scope == "cli" or command_local(fm, s)]
        claimed: set[int] = set()
        for cmd in fm.commands:
            for start, end in _spans(cmd):
                inside = [
                    r for i, r in enumerate(refs) if i not in claimed and start <= r.location <= end
                ]
                if not inside:
                    continue
                claimed.update(i for i, r in enumerate(refs) if r in inside)
                for installer in sorted(_installers_for(inside), key=lambda i: i.value):
                    mine = [r for r in inside if r.installer is installer]
                    env_index = _env_index(fm, installer, start, end, config, env)
                    env_extras: list[Entry] = []
                    if installer is Installer.PIP and not any(
                        r.role is IndexRole.EXTRA for r in mine
                    ):
                        # pip's --extra-index-url replaces PIP_EXTRA_INDEX_URL; without it
                        # the variable's indexes are searched beside this --index-url
                        env_extras = _env_index(
                            fm, installer, start, end, config, env, IndexRole.EXTRA
                        )
                    out.append(
                        Group(
                            path,
                            installer,
                            "cli",
                            [
                                Entry(r, classify(r.url, config, env))
                                for r in mine
                                if r.role is IndexRole.INDEX
                            ],
                            [
                                Entry(r, classify(r.url, config, env))
                                for r in mine
                                if r.role is IndexRole.EXTRA
                            ],
                            [s for s in settings if start <= s.location <= end],
                            env_index,
                            env_extras,
                        )
                    )
    return out


# -- tox deps ----------------------------------------------------------------------------
_SECTION_FILE_KINDS = (FileKind.TOX_INI, FileKind.SETUP_CFG)


def section_groups(model: ProjectModel) -> list[Group]:
    """tox ``deps`` per section (tox writes them to a requirements file for pip, so
    ``-i`` replaces what came before it): the last ``-i`` and the extras after it."""
    config = config_of(model)
    out: list[Group] = []
    for fm in model.files_of(*_SECTION_FILE_KINDS):
        env = env_values(fm)
        by_section: dict[str, list[IndexRef]] = {}
        for ref in fm.indexes:
            if (
                _is_pip_ref(ref)
                and ref.scope not in ("cli", "env", "easy_install", "")
                and ref.via != "indexserver"
            ):
                by_section.setdefault(ref.scope, []).append(ref)
        for section, refs in sorted(by_section.items()):
            refs.sort(key=lambda r: (r.location, r.role is not IndexRole.INDEX))
            indexes = [r for r in refs if r.role is IndexRole.INDEX]
            last = indexes[-1] if indexes else None
            extras = [
                r
                for r in refs
                if r.role is IndexRole.EXTRA and (last is None or r.location > last.location)
            ]
            out.append(
                Group(
                    fm.path,
                    Installer.PIP,
                    section,
                    [Entry(last, classify(last.url, config, env))] if last else [],
                    [Entry(r, classify(r.url, config, env)) for r in extras],
                    [],
                )
            )
    return out
