"""FL4: lock and export consistency.

Exports (``poetry export``, ``uv export``, ``pdm export``, ``pipenv requirements``) turn a
lock into a requirements file for pip, and pip has no way to say "this name only from
that index": the lock's per-package source survives at best as a global
``--extra-index-url``. FL401 finds the private packages an export hands to pip's merged
lookup, FL402 the export that no longer matches its lock, FL403 the lock whose recorded
sources no longer match the project's source pins. Pairing (which lock a requirements
file was exported from) lives in :mod:`feedlint.pairing`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Optional

from feedlint.config import Config, config_of
from feedlint.findings import Finding, Severity
from feedlint.lookup.common import IndexInfo, classify
from feedlint.lookup.installs import InstallContext, install_contexts
from feedlint.lookup.pip import PYPI_DEFAULT, ChainResult, hash_checking, requirements_chain
from feedlint.model import (
    FileKind,
    FileModel,
    IndexRef,
    IndexRole,
    Installer,
    Location,
    PackageRef,
    ProjectModel,
)
from feedlint.pairing import (
    LOCAL_TYPES,
    MAIN_GROUP,
    ExportPair,
    direct_main_dependencies,
    entry_groups,
    export_pairs,
    is_optional,
    lock_entries,
    lock_installer,
    project_for_lock,
    requirements_of,
    source_location,
    workspace_members,
)
from feedlint.private import (
    PUBLIC_MARKERS,
    PrivateEvidence,
    is_private_url,
    mirror_serving,
    private_evidence,
    proxy_sources,
    publishes_publicly,
    source_url,
    standing,
)
from feedlint.record import Record
from feedlint.redact import redact_url
from feedlint.registry import Rule
from feedlint.urls import (
    contains_env_reference,
    index_class,
    norm_url,
    normalize_name,
    same_index,
)

INSTALL_COMMAND = {
    Installer.POETRY: "`poetry install` (or `poetry sync`)",
    Installer.UV: "`uv sync`",
    Installer.PDM: "`pdm sync`",
    Installer.PIPENV: "`pipenv sync`",
}
LOCK_COMMAND = {
    Installer.POETRY: "poetry lock",
    Installer.UV: "uv lock",
    Installer.PDM: "pdm lock",
    Installer.PIPENV: "pipenv lock",
}
EXPORT_COMMAND = {
    Installer.POETRY: "poetry export",
    Installer.UV: "uv export",
    Installer.PDM: "pdm export",
    Installer.PIPENV: "pipenv requirements",
}
#: source types that name an index (the others are direct references or local paths)
_INDEX_TYPES = frozenset({None, "", "legacy", "registry", "pypi", "index", "simple"})


def _where(loc: Location) -> str:
    return f"{loc.path}:{loc.line}"


def _show(url: Optional[str]) -> str:
    return redact_url(url) if url else "a private index"


def _is_pypi_name(name: Optional[str]) -> bool:
    return bool(name) and (name or "").lower() == "pypi"


def _is_public(url: str, config: Config) -> bool:
    """PyPI or a full mirror of it: an index where anyone can publish any free name."""
    return index_class(url, config.private_indexes, config.public_mirrors) in (
        "pypi",
        "public-mirror",
    )


class Verdict(Record, frozen=True):
    """How an export loses a package's private source: ``missing`` (no index line serves
    the feed) or ``beside-pypi`` (it does, but PyPI, or ``mirror``, a feed that mirrors
    PyPI, is searched too)."""

    kind: str
    mirror: Optional[str] = None
    #: an install of the export (a Dockerfile or CI command) that gives pip its indexes
    install: Optional[InstallContext] = None

    def with_install(self, install: Optional[InstallContext]) -> Verdict:
        """This verdict naming ``install`` when it sets indexes of its own."""
        if install is None or not install.known or not (install.index or install.extras):
            return self
        return Verdict(self.kind, self.mirror, install)


def _drop_verdict(
    chain: ChainResult,
    feed: Optional[str],
    config: Config,
    mirrors: Optional[dict[str, str]] = None,
) -> Optional[Verdict]:
    """What pip makes of the indexes of ``chain`` for a package the lock takes from
    ``feed``: a :class:`Verdict`, or ``None`` when pip can only find it on private
    indexes that do not mirror PyPI. ``mirrors`` are private feeds known to serve PyPI's
    packages (:func:`feedlint.private.mirror_serving`): beside the package's own feed,
    one of them is PyPI under another name."""
    sources = chain.sources()
    mirrors = mirrors or {}

    def mirror_of(url: str) -> Optional[str]:
        if feed is not None and same_index(url, feed):
            return None  # the package's own feed: its local package wins there
        return next((m for m in mirrors if same_index(url, m)), None)

    if chain.no_index and not any(_is_public(r.url, config) for r in sources):
        return None  # pip reads only the link pages (a wheelhouse): nothing public to win
    # a variable in the host or path hides which index it is (one in the user-info does not)
    unknown = [r for r in sources if contains_env_reference(norm_url(r.url))]
    if feed is None:
        listed = any(is_private_url(r.url, config) for r in sources) or bool(unknown)
    else:
        listed = any(same_index(r.url, feed) for r in sources) or bool(unknown)
    if not listed:
        return Verdict("missing")
    if chain.uses_default_index or any(_is_public(r.url, config) for r in sources):
        return Verdict("beside-pypi")
    for ref in sources:
        mirror = mirror_of(ref.url)
        if mirror is not None:
            return Verdict("beside-pypi", mirror)
    return None


def _installed_from(install: InstallContext) -> str:
    """``Dockerfile:7 installs the file from <indexes>, ...`` for a finding's message."""
    labels = [i.label for i in install.index] or ["PyPI"]
    labels += [i.label for i in install.extras]
    public = not install.index or any(i.pypi_content for i in (*install.index, *install.extras))
    where = f"{install.path}:{install.location.line} installs the file from {', '.join(labels)}"
    if public:
        return where + ", and pip installs the highest version found on any of them"
    return where + ", none of them the feed the lock takes it from"


def _pick(entries: list[PackageRef], version: Optional[str]) -> list[PackageRef]:
    """The entries of one name that match ``version`` (all when none or no version)."""
    if not version:
        return entries
    matching = [e for e in entries if e.version and same_version(e.version, version)]
    return matching or entries


def same_version(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        from packaging.version import InvalidVersion, Version

        try:
            return Version(a) == Version(b)
        except InvalidVersion:
            return False
    except ImportError:  # pragma: no cover
        return False


class ExportDropsSource(Rule):
    """An exported requirements file that hands a private package to pip's merged lookup.

    What it detects
    ---------------
    A requirements file exported from a lock (`poetry export`, `uv export`, `pdm export`,
    `pipenv requirements`) that installs a package the lock takes from a private index,
    while giving pip no way to keep it there: the export has no index line for that feed
    (`uv export` writes none unless `--emit-index-url`), or names it only as
    `--extra-index-url` beside PyPI (what `poetry export` writes for a supplemental or
    explicit source). The finding points at the package's requirement line and names the
    lock line recording its private source. With `--hash` lines it is a warning instead
    of an error: pip then fails on a substitute rather than installing it.

    The export is paired with its lock by `[tool.feedlint] exports`, by the exporting
    tool's header comment, or as the lock in the same (or a parent) directory whose
    packages it pins. A `uv pip compile pyproject.toml` output loses the project's
    `[tool.uv.sources]` pins the same way and is checked against the `uv.lock` beside it.
    Index options are read as pip reads them (included files at their
    `-r` line, `-i` replacing the list, nothing but `--find-links` pages after
    `--no-index`). Silent when the export's only indexes are private (`--index-url <feed>`
    and no PyPI extra, or `--no-index` with a local wheelhouse), or when no exported
    package is private.

    A private feed the lock takes a well-known public package from (`requests`, `six`
    ...) mirrors PyPI: beside another feed it counts as PyPI. A name whose only evidence
    is being locked from such a feed may be public or internal. With the PyPI name data
    (loaded when FL302 or FL303 runs too) it is reported when PyPI has no such project and
    left alone when PyPI has one; without the data, the names that are not well-known
    public packages are reported together, as one warning at the first of them. A name
    the lock also takes from PyPI (a marker split) is public.

    The rule follows the export to where the tree installs it: `pip install`/`pip wheel`/
    `pip download`/`uv pip install -r FILE`, `uv pip sync FILE` in a Dockerfile, CI file or
    script, with that command's index options and the `PIP_*`/`UV_*` variables,
    `PipAuthenticate` feeds and a `pip.conf` the Dockerfile copies in, in force there.
    When every such install keeps the package on
    private indexes that serve it (`--index-url <feed>` with no public extra; a
    `--no-index` wheelhouse; uv, which asks extra indexes first and keeps a name on the
    first index that has it, unless `unsafe-best-match`), the lost pin is harmless and
    nothing is reported. A requirements file that includes the export (`-r
    requirements.txt` in `requirements-dev.txt`) is an install of its own, from PyPI
    unless its own lines restrict pip to the feeds; tox `deps` count as an install from
    PyPI.

    Why it is risky
    ---------------
    A lock pins a package to its private source; the export throws that pin away. pip
    treats every index as equal and installs the highest version it finds, so anyone who
    publishes the private name on PyPI with a higher version gets their code installed:
    dependency confusion, exactly what the lock's source pin prevented.

    How to fix
    ----------
    Install with the installer that honours the lock (`poetry install`, `uv sync`,
    `pdm sync`, `pipenv sync`), or restrict the export to one index that serves
    everything: `--index-url` of a feed with upstream sources (Azure Artifacts upstreams,
    an Artifactory virtual repository), with no `--extra-index-url`. Keep `--hash` lines
    in any case.

    Example
    -------
    ```text
    --extra-index-url https://pkgs.dev.azure.com/contoso/_packaging/internal/pypi/simple

    contoso-core==1.1.0 ; python_version >= "3.9"
    ```
    `poetry.lock` takes `contoso-core` from the `internal` source, but pip looks it up on
    PyPI and the feed alike: `requirements.txt:3:1: FL401`.
    """

    code = "FL401"
    name = "export-drops-source"
    severity = Severity.ERROR

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        config = config_of(model)
        pairs = export_pairs(model)
        if not pairs:
            return
        evidence = private_evidence(model)
        mirrors = mirror_serving(model)
        context = _Context(
            model,
            config,
            evidence,
            mirrors,
            publishes_publicly(model) if evidence else False,
            proxy_sources(model),
            model.extras.get("pypi-names"),
        )
        for pair in pairs:
            yield from self._check_pair(model, pair, context)

    def _check_pair(
        self, model: ProjectModel, pair: ExportPair, ctx: _Context
    ) -> Iterator[Finding]:
        entries = lock_entries(pair.lock)
        records_index = pair.lock.facts.get("records-index") is not False
        chain = requirements_chain(model, pair.export.path)
        hash_mode = hash_checking(model, pair.export.path)
        config = ctx.config
        mirror_keys = {norm_url(url) for url in ctx.mirrors}
        undecided: list[tuple[PackageRef, PackageRef, Optional[str], Verdict]] = []
        for req in requirements_of(pair.export):
            evidence = ctx.evidence.get(req.name)
            if req.url or not evidence:
                continue  # a direct reference is fetched from its URL, not an index
            kind = standing(evidence, mirror_keys, ctx.public_publisher, ctx.proxies)
            if kind == "public":
                continue  # the project's own name, which it publishes to PyPI too
            on_pypi = ctx.on_pypi(req.name) if kind == "mirrored" else None
            if kind == "mirrored" and (on_pypi or req.name in PUBLIC_MARKERS):
                continue  # only locked from a feed that mirrors PyPI, and PyPI has it: public
            all_entries = entries.get(req.name, [])
            if any(_from_pypi(model, e, config) for e in all_entries):
                continue  # the lock takes it from PyPI too (a marker split): public
            candidates = _pick(all_entries, req.version)
            locked = [
                e
                for e in candidates
                if e.source_type in _INDEX_TYPES and is_private_url(source_url(model, e), config)
            ]
            if locked:
                entry: Optional[PackageRef] = locked[0]
                feed = source_url(model, locked[0])
            elif not records_index and candidates:  # pdm.lock: the tree says where
                entry, feed = candidates[0], evidence[0].index_url
            else:
                continue
            verdict = _drop_verdict(chain, feed, config, ctx.mirrors)
            if verdict is None or entry is None:
                continue
            installs = install_contexts(model, pair.export.path)
            leaky = [i for i in installs if not _install_keeps(i, chain, feed, ctx)]
            if installs and not leaky:
                continue  # every install the tree shows keeps it on its feed
            verdict = verdict.with_install(leaky[0] if leaky else None)
            if kind == "mirrored" and on_pypi is None:
                undecided.append((req, entry, feed, verdict))  # public or internal? unknown
                continue
            yield self._finding(
                pair,
                req,
                entry,
                feed,
                verdict,
                chain,
                evidence[0].why,
                hash_mode,
                ctx.mirrors,
                kind == "mirrored",
            )
        if undecided:
            yield self._undecided(pair, undecided, chain, ctx.mirrors)

    def _undecided(
        self,
        pair: ExportPair,
        undecided: list[tuple[PackageRef, PackageRef, Optional[str], Verdict]],
        chain: ChainResult,
        mirrors: dict[str, str],
    ) -> Finding:
        """One finding for the names locked only from a feed that mirrors PyPI when there is
        no PyPI name data to tell the feed's own packages from the public ones it mirrors:
        one per name would flood a project of public dependencies, none would hide the
        internal ones the export sends to PyPI."""
        req, _, feed, verdict = undecided[0]
        names = [r.raw_name or r.name for r, _, _, _ in undecided]
        shown = ", ".join(f"`{n}`" for n in names[:5]) + (
            f" and {len(names) - 5} more" if len(names) > 5 else ""
        )
        marker = mirrors.get(feed or "", "a public package")
        problem = self._problem(pair, chain, verdict, mirrors)
        if len(names) != 1:
            problem = problem.replace("for it,", "for them,").replace(
                "looks it up", "looks them up"
            )
        message = (
            f"{len(names)} name{'s' if len(names) != 1 else ''} ({shown}) "
            f"{'are' if len(names) != 1 else 'is'} locked only from {_show(feed)}, which also "
            f"serves PyPI's packages (`{marker}`), and {problem}: "
            "any of them that is internal rather than mirrored from PyPI can be replaced by a "
            "public upload (feedlint has no PyPI name data to tell which)"
        )
        fix = (
            "Let feedlint name the internal ones: `feedlint names --update` once (or `--online`), "
            "or list them with `private-prefixes`/`private-packages`. Then keep them on the feed: "
            "make the export's only index the feed (`--index-url`), or install with "
            f"{INSTALL_COMMAND.get(pair.installer, 'the installer that honours the lock')}."
        )
        return self.finding(req.location, message, fix, severity=Severity.WARNING)

    def _problem(
        self, pair: ExportPair, chain: ChainResult, verdict: Verdict, mirrors: dict[str, str]
    ) -> str:
        """Why the export's lookup can reach PyPI for a name, by ``verdict``."""
        if verdict.kind == "missing":
            if chain.no_index:
                where = "the --find-links pages it lists"
            elif chain.index is not None:
                where = f"the index {_show(chain.index.ref.url)}"
            else:
                where = "PyPI (or whatever index the environment sets)"
            problem = f"{pair.export.path} has no index line for it, so pip looks it up on {where}"
            if verdict.install is not None and chain.index is None and not chain.no_index:
                problem = f"{pair.export.path} has no index line for it, and " + _installed_from(
                    verdict.install
                )
            return problem
        if verdict.mirror is not None:
            return (
                f"{pair.export.path} lists that index only beside {_show(verdict.mirror)}, "
                f"which mirrors PyPI (the lock takes `{mirrors.get(verdict.mirror, '')}` "
                "from it), and pip installs the highest version found on any of them"
            )
        return (
            f"{pair.export.path} lists that index only beside PyPI, and pip installs "
            "the highest version found on any of them"
        )

    def _finding(
        self,
        pair: ExportPair,
        req: PackageRef,
        entry: PackageRef,
        feed: Optional[str],
        verdict: Verdict,
        chain: ChainResult,
        why: str,
        hash_mode: bool,
        mirrors: dict[str, str],
        mirrored: bool,
    ) -> Finding:
        lock_loc = source_location(pair.lock, entry)
        if mirrored:
            origin = (
                f"the lock takes it from {_show(feed)} ({_where(lock_loc)}), which also "
                f"serves PyPI's packages (`{mirrors.get(feed or '', 'a public package')}`), "
                "and PyPI has no project of that name"
            )
            label = "is internal"
        elif entry.source_url or entry.source:
            origin = f"the lock takes it from {_show(feed)} ({_where(lock_loc)})"
            label = "is private"
        else:
            origin = f"{why} (locked at {_where(lock_loc)})"
            label = "is private"
        name = req.raw_name or req.name
        problem = self._problem(pair, chain, verdict, mirrors)
        if req.hashes:
            severity = Severity.WARNING
            tail = "; its --hash values make pip fail rather than install a substitute"
        elif hash_mode:
            severity = Severity.WARNING
            tail = (
                "; the file is in hash-checking mode, so pip fails on this unhashed "
                "line rather than install a substitute"
            )
        else:
            severity = Severity.ERROR
            tail = "; without --hash pip installs a same-named public package silently"
        installer = pair.installer
        fix = (
            f"Install with {INSTALL_COMMAND.get(installer, 'the installer that honours the lock')}, "
            "or make the export's only index one feed that serves everything "
            "(`--index-url` of a feed with upstream sources, no `--extra-index-url`)."
        )
        return self.finding(
            req.location,
            f"`{name}` {label}: {origin}, but {problem}{tail}",
            fix,
            severity=severity,
        )


def _install_keeps(
    install: InstallContext, chain: ChainResult, feed: Optional[str], ctx: _Context
) -> bool:
    """Whether ``install`` (the export installed by a command of the tree, with its own
    index options and environment) can only find the package on private indexes that
    serve it: pip's merged lookup sees no PyPI content (PyPI, a public mirror, a private
    feed known to mirror PyPI other than the package's own); uv's first-index lookup asks
    an index that serves it before any such index."""
    if not install.known:
        return False
    if install.chain_root:  # `-r` of this export in another requirements file
        chain = requirements_chain(ctx.model, install.chain_root)
    config = ctx.config
    feed_key = classify(feed, config).key if feed else None
    mirror_keys = {classify(m, config).key for m in ctx.mirrors}

    def serves(info: IndexInfo) -> bool:
        if info.unknown:
            return True  # a variable: the feed the pipeline passes
        if feed_key and "<organization>" in info.key:  # a PipAuthenticate feed name
            pattern = re.escape(info.key).replace(re.escape("<organization>"), "[^/]+")
            return re.fullmatch(pattern, feed_key) is not None
        return info.key == feed_key if feed_key else info.private

    def public(info: IndexInfo) -> bool:
        return info.pypi_content or (info.key in mirror_keys and info.key != feed_key)

    links = [*install.find_links, *(e.info for e in chain.find_links)]
    if install.no_index or chain.no_index:
        return not any(public(i) for i in links)  # a wheelhouse: nothing public to win
    base = [*(install.index or (PYPI_DEFAULT,)), *install.extras] if chain.keeps_base else []
    own = ([chain.index.info] if chain.index else []) + [e.info for e in chain.extras]
    searched = base + own + links
    if not any(serves(i) for i in searched):
        return False
    if not install.first_index:
        return not any(public(i) for i in searched)
    # uv: extra indexes (and link pages) first, in order, then the default index
    defaults = [chain.index.info] if chain.index else list(install.index) or [PYPI_DEFAULT]
    extras = [*(install.extras if chain.keeps_base else ()), *(e.info for e in chain.extras)]
    for info in [*extras, *links, *defaults]:
        if public(info):
            return False
        if serves(info):
            return True
    return False


class _Context(Record):
    """What FL401 needs about the whole tree, computed once."""

    model: ProjectModel
    config: Config
    evidence: dict[str, list[PrivateEvidence]]
    mirrors: dict[str, str]
    public_publisher: bool
    proxies: set[str]
    names: object = None  # feedlint.pypi.NameData, when loaded

    def on_pypi(self, name: str) -> Optional[bool]:
        """Whether PyPI has ``name`` per the loaded name data; ``None`` without data."""
        exists = getattr(self.names, "exists", None)
        return None if exists is None else exists(name)


def _from_pypi(model: ProjectModel, entry: PackageRef, config: Config) -> bool:
    """Whether a lock entry was taken from PyPI: a PyPI URL, or a poetry.lock entry
    without ``[package.source]`` (Pipfile.lock leaves ``index`` out of transitive entries
    and pdm.lock records none, so there a missing index says nothing)."""
    if entry.source_type not in _INDEX_TYPES:
        return False
    url = source_url(model, entry)
    if url is None:
        return entry.installer == Installer.POETRY and not entry.source
    return _is_public(url, config)


# -- FL402 ---------------------------------------------------------------------------------
def _project_names(model: ProjectModel, lock: FileModel) -> set[str]:
    project = project_for_lock(model, lock)
    if project is None:
        return set()
    return {p.name for p in project.packages if p.kind == "project"}


def expected_in_export(
    model: ProjectModel, pair: ExportPair, exported: set[str]
) -> list[PackageRef]:
    """Lock entries an export of ``pair.lock`` must contain, given what it does contain.

    With group information in the lock (poetry.lock 1.1 ``category``, 2.1 ``groups``,
    pdm.lock ``groups``, Pipfile.lock sections): the entries of every group the export
    evidently includes (the main group, plus any group one of its single-group packages
    belongs to), without Poetry's optional (extra-only) packages. Without it (poetry.lock
    2.0, uv.lock): only the project's direct main dependencies, since which transitive
    packages and groups an export carries cannot be told.
    """
    lock = pair.lock
    entries = [
        e
        for e in lock.packages
        if e.kind == "lock" and e.source_type not in LOCAL_TYPES and not e.editable
    ]
    skip = _project_names(model, lock)
    entries = [e for e in entries if e.name not in skip]
    main = MAIN_GROUP.get(pair.installer)
    if main and entries and all(entry_groups(e) for e in entries):
        # a group is evidently exported when an exported name belongs to it alone (over
        # all its entries: Pipfile.lock repeats a name in "default" and "develop")
        by_name: dict[str, set[str]] = {}
        for e in entries:
            if e.name in exported:
                by_name.setdefault(e.name, set()).update(entry_groups(e))
        groups = set().union(*(g for g in by_name.values() if len(g) == 1))
        if not groups:
            groups = {main}
        return [e for e in entries if entry_groups(e) & groups and not is_optional(lock, e)]
    if _selects_part(pair.export):
        return []  # `uv export --only-group docs`, `--package member`: not the main set
    direct = direct_main_dependencies(model, lock)
    skipped = _not_emitted(pair.export)
    return [e for e in entries if e.name in direct and e.name not in skipped]


#: ``uv export`` options after which the export holds something other than the project's
#: main dependencies (a group alone, one workspace member, a pruned tree)
_PART_OPTIONS = ("--only-group", "--only-dev", "--package", "--prune", "--all-packages")


def _export_words(export: FileModel) -> list[str]:
    command = export.facts.get("export-command")
    return str(command).split() if isinstance(command, str) else []


def _selects_part(export: FileModel) -> bool:
    """Whether the export's recorded command (uv's header) picks a part of the lock."""
    return any(w.split("=", 1)[0] in _PART_OPTIONS for w in _export_words(export))


def _not_emitted(export: FileModel) -> set[str]:
    """Names ``uv export --no-emit-package NAME`` leaves out on purpose."""
    words = _export_words(export)
    out: set[str] = set()
    for i, word in enumerate(words):
        opt, eq, value = word.partition("=")
        if opt == "--no-emit-package":
            name = value if eq else (words[i + 1] if i + 1 < len(words) else "")
            if name:
                out.add(normalize_name(name))
    return out


class ExportStale(Rule):
    """An exported requirements file that disagrees with its lock.

    What it detects
    ---------------
    Version, hash and package-set drift between a requirements file and the lock it was
    exported from (paired as for FL401), line by line: a requirement whose `==` version
    is not the locked one; `--hash` values that are not the lock's for that version (a
    hash the lock does not know, or one of the lock's missing); a package the lock does
    not hold; a package every such export contains (its main group, or a group the
    export evidently includes) that is locked but missing from the export, reported at
    the lock entry. Poetry exports the main group only unless told `--with`; dev-only
    and extra-only packages missing from an export are not drift.

    Why it is risky
    ---------------
    The lock is what was reviewed and resolved, with its sources; a stale export
    installs something else: an older version with a known fix missing, a package the
    project dropped, or no longer-needed hashes that make pip fail in the one
    environment nobody tested (the container build).

    How to fix
    ----------
    Re-run the export after every lock change (`poetry export -o requirements.txt`,
    `uv export -o requirements.txt`), ideally from a pre-commit hook or a CI check that
    fails when the committed export differs.

    Example
    -------
    ```text
    contoso-core==1.0.0 ; python_version >= "3.9"
    ```
    `poetry.lock` now locks `contoso-core` 1.1.0: `requirements.txt:1:1: FL402`.
    """

    code = "FL402"
    name = "export-stale"
    severity = Severity.WARNING

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for pair in export_pairs(model):
            if not pair.resolved:  # `uv pip compile` output: resolved afresh, no copy
                yield from self._check_pair(model, pair)

    def _fix(self, pair: ExportPair) -> str:
        cmd = EXPORT_COMMAND.get(pair.installer, "the export")
        return f"Re-run `{cmd}` from {pair.lock.path} and commit the result."

    def _check_pair(self, model: ProjectModel, pair: ExportPair) -> Iterator[Finding]:
        entries = lock_entries(pair.lock)
        skip = _project_names(model, pair.lock)
        lock = pair.lock.path
        reqs = requirements_of(pair.export)
        for req in reqs:
            if req.editable or req.name in skip or (req.url and not req.version):
                continue
            name = req.raw_name or req.name
            found = entries.get(req.name)
            if not found:
                yield self.finding(
                    req.location,
                    f"`{name}` is not in {lock}: the export and the lock disagree on the package set",
                    self._fix(pair),
                )
                continue
            versions = [e for e in found if e.version]
            if req.version and versions:
                matching = [e for e in versions if same_version(e.version or "", req.version)]
                if not matching:
                    locked = ", ".join(sorted({e.version or "" for e in versions}))
                    yield self.finding(
                        req.location,
                        f"`{name}` is pinned to {req.version} but {lock}:"
                        f"{versions[0].location.line} locks {locked}",
                        self._fix(pair),
                    )
                    continue
                found = matching
            yield from self._hashes(pair, req, found)
        exported = {r.name for r in reqs}
        for entry in expected_in_export(model, pair, exported):
            if entry.name in exported:
                continue
            group = f" ({entry.group} group)" if entry.group else ""
            yield self.finding(
                entry.location,
                f"`{entry.raw_name or entry.name}` {entry.version or ''} is locked{group} "
                f"but missing from {pair.export.path}".replace("  ", " "),
                self._fix(pair),
            )

    def _hashes(
        self, pair: ExportPair, req: PackageRef, found: list[PackageRef]
    ) -> Iterator[Finding]:
        if not req.hashes:
            return
        locked = {h.lower() for e in found for h in e.hashes}
        if not locked:
            return
        given = {h.lower() for h in req.hashes}
        unknown, absent = given - locked, locked - given
        if not unknown and not absent:
            return
        parts = []
        if unknown:
            parts.append(f"{len(unknown)} --hash value(s) the lock does not have")
        if absent:
            parts.append(f"{len(absent)} of the lock's hashes missing")
        yield self.finding(
            req.location,
            f"`{req.raw_name or req.name}` hashes differ from {pair.lock.path}:"
            f"{found[0].location.line}: " + " and ".join(parts),
            self._fix(pair),
        )


# -- FL403 ---------------------------------------------------------------------------------
class _Pins(Record):
    """A project's source configuration for one installer."""

    sources: dict[str, IndexRef]  # lower-cased name -> declared source
    first: Optional[str] = None  # Pipenv: the source unpinned packages come from
    search_all: bool = False  # Pipenv install_search_all_sources

    def declared(self, name: Optional[str]) -> Optional[IndexRef]:
        return self.sources.get((name or "").lower())


def _pins(project: FileModel, installer: Installer) -> _Pins:
    sources: dict[str, IndexRef] = {}
    first = None
    for ref in sorted(project.indexes, key=lambda r: (r.location.line, r.location.column)):
        if ref.installer == installer and ref.name and ref.role == IndexRole.SOURCE:
            sources.setdefault(ref.name.lower(), ref)
            first = first or ref.name.lower()
    search_all = any(
        s.key == "install-search-all-sources" and s.value is True for s in project.settings
    )
    return _Pins(sources, first, search_all)


def _declarations(project: FileModel, installer: Installer) -> dict[str, list[PackageRef]]:
    """Dependency declarations by name. For Poetry and uv the tool's own table wins over
    PEP 621 (``[tool.poetry.dependencies]`` enriches ``[project] dependencies``;
    ``[tool.uv.sources]`` pins them)."""
    own: dict[str, list[PackageRef]] = {}
    pep621: dict[str, list[PackageRef]] = {}
    for dep in project.packages:
        if dep.kind != "dependency":
            continue
        if dep.installer == installer:
            own.setdefault(dep.name, []).append(dep)
        elif dep.installer == Installer.ANY:
            pep621.setdefault(dep.name, []).append(dep)
    out = dict(pep621)
    out.update(own)
    return out


class LockStaleSource(Rule):
    """A lock whose recorded source for a package disagrees with the project's pins.

    What it detects
    ---------------
    A lock entry whose index is not the one the project now pins the package to:
    Poetry `source = "x"` against `poetry.lock` `[package.source]`, uv
    `[tool.uv.sources] x = { index = "..." }` against `uv.lock` `source.registry`,
    Pipfile `index = "x"` against `Pipfile.lock` `"index"`. It fires when a package is
    pinned to one source but locked from PyPI or another source, when the pinned
    source's URL changed since locking, and when a package is locked from a source it is
    no longer pinned to although the installer would not take it from there unpinned
    (a Poetry `explicit` source, a uv `explicit = true` index, a Pipenv source other than
    the first) or the source is no longer declared at all. pdm.lock records no
    per-package index and is not checked.

    Why it is risky
    ---------------
    Installing from the lock (`poetry install`, `uv sync --frozen`, `pipenv sync`) uses
    the recorded source, not the pin: a package pinned to the private feed can still be
    fetched from PyPI, which is what the pin was added to prevent. A removed pin with a
    stale lock hides the change until the next re-lock silently moves the package.

    How to fix
    ----------
    Re-lock (`poetry lock`, `uv lock`, `pipenv lock`) and commit the lock with the
    pyproject change; in CI, `poetry check --lock` / `uv lock --check` catch this.

    Example
    -------
    ```toml
    [tool.poetry.dependencies]
    contoso-core = { version = "1.0.0", source = "internal" }
    ```
    while `poetry.lock` still records `reference = "platform"` for contoso-core:
    `poetry.lock:18:8: FL403`.
    """

    code = "FL403"
    name = "lock-stale-source"
    severity = Severity.WARNING

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for lock in model.files_of(FileKind.POETRY_LOCK, FileKind.UV_LOCK, FileKind.PIPFILE_LOCK):
            project = project_for_lock(model, lock)
            if project is None:
                continue
            installer = lock_installer(lock)
            pins = _pins(project, installer)
            decls = _declarations(project, installer)
            for member in workspace_members(model, lock):  # a uv workspace: one lock
                for name, ref in _pins(member, installer).sources.items():
                    pins.sources.setdefault(name, ref)
                for name, found in _declarations(member, installer).items():
                    decls.setdefault(name, []).extend(found)
            for entries in lock_entries(lock).values():
                yield from self._check_name(lock, project, installer, pins, decls, entries)

    def _check_name(
        self,
        lock: FileModel,
        project: FileModel,
        installer: Installer,
        pins: _Pins,
        decls: dict[str, list[PackageRef]],
        entries: list[PackageRef],
    ) -> Iterator[Finding]:
        entries = [e for e in entries if e.source_type in _INDEX_TYPES]
        if not entries:
            return
        mine = decls.get(entries[0].name, [])
        pinned = [d for d in mine if d.source]
        pinned_names = {(d.source or "").lower() for d in pinned}
        unpinned_too = not pinned or len(pinned) < len(mine) or any(d.marker for d in pinned)
        if installer == Installer.UV:
            yield from self._uv(lock, pins, pinned, unpinned_too, entries)
            return
        for entry in entries:
            problem = self._named_problem(installer, pins, pinned_names, unpinned_too, entry)
            if problem:
                yield self._finding(lock, project, installer, entry, problem)
        # a pin (for some markers) that no entry honours
        recorded = {self._recorded(e) for e in entries}
        for d in pinned:
            name = (d.source or "").lower()
            if name not in recorded and pins.declared(name) is not None and unpinned_too:
                yield self._finding(
                    lock,
                    project,
                    installer,
                    entries[0],
                    f"{project.path}:{d.location.line} pins it to '{d.source}', but no locked "
                    f"entry comes from '{d.source}'",
                )

    @staticmethod
    def _recorded(entry: PackageRef) -> str:
        """The lower-cased source name a lock entry records; ``pypi`` for none."""
        if entry.source:
            return entry.source.lower()
        return "pypi" if not entry.source_url else entry.source_url

    def _named_problem(
        self,
        installer: Installer,
        pins: _Pins,
        pinned_names: set[str],
        unpinned_too: bool,
        entry: PackageRef,
    ) -> Optional[str]:
        rec = self._recorded(entry)
        shown = "PyPI" if rec == "pypi" else f"'{entry.source}'"
        declared = pins.declared(entry.source) if entry.source else None
        if entry.source and declared is None and not _is_pypi_name(entry.source):
            return f"it is locked from source {shown}, which the project no longer declares"
        if (
            declared is not None
            and entry.source_url
            and not contains_env_reference(entry.source_url + declared.url)
            and not same_index(entry.source_url, declared.url)
        ):
            return (
                f"source {shown} now points at {_show(declared.url)} but the lock took it "
                f"from {_show(entry.source_url)}"
            )
        if rec in pinned_names or (rec == "pypi" and "pypi" in pinned_names):
            return None
        if pinned_names and not unpinned_too:
            pinned = ", ".join(f"'{n}'" for n in sorted(pinned_names))
            return f"it is pinned to {pinned} but locked from {shown}"
        if rec == "pypi" or declared is None:
            return None
        if installer == Installer.POETRY and declared.explicit:
            return (
                f"it is locked from explicit source {shown} but no longer pinned to it "
                "(Poetry takes only pinned packages from an explicit source)"
            )
        if (
            installer == Installer.PIPENV
            and not pins.search_all
            and pins.first is not None
            and rec != pins.first
        ):
            return (
                f"it is locked from index {shown} but the Pipfile no longer pins it there "
                f"(Pipenv takes unpinned packages from the first source, '{pins.first}')"
            )
        return None

    def _uv(
        self,
        lock: FileModel,
        pins: _Pins,
        pinned: list[PackageRef],
        unpinned_too: bool,
        entries: list[PackageRef],
    ) -> Iterator[Finding]:
        pinned_refs = [pins.declared(d.source) for d in pinned]
        pinned_urls = [r.url for r in pinned_refs if r is not None]
        explicit = [r for r in pins.sources.values() if r.explicit]
        for entry in entries:
            url = entry.source_url
            if not url or contains_env_reference(url):
                continue
            if any(same_index(url, u) or contains_env_reference(u) for u in pinned_urls):
                continue
            if pinned_urls and not unpinned_too:
                names = ", ".join(f"'{d.source}'" for d in pinned)
                yield self._finding(
                    lock,
                    None,
                    Installer.UV,
                    entry,
                    f"it is pinned to index {names} ({_show(pinned_urls[0])}) but locked "
                    f"from {_show(url)}",
                )
                continue
            hit = next((r for r in explicit if same_index(url, r.url)), None)
            if hit is not None:
                yield self._finding(
                    lock,
                    None,
                    Installer.UV,
                    entry,
                    f"it is locked from explicit index '{hit.name}' but no longer pinned to "
                    "it (uv takes only pinned packages from an explicit index)",
                )

    def _finding(
        self,
        lock: FileModel,
        project: Optional[FileModel],
        installer: Installer,
        entry: PackageRef,
        problem: str,
    ) -> Finding:
        name = entry.raw_name or entry.name
        cmd = LOCK_COMMAND.get(installer, "the lock command")
        return self.finding(
            source_location(lock, entry),
            f"`{name}` in {lock.path}: {problem}; the lock is stale",
            f"Re-run `{cmd}` and commit the lock together with the project change.",
        )
