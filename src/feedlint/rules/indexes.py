"""FL2: index configuration. How each installer really chooses an index.

This module holds the pip-side rules (FL201 extra-index mix, FL202 ``-i`` overrides,
FL207 insecure transport, FL208 unexpanded references, FL209 pip config scope); the
project-tool rules (FL203-FL206: Poetry, uv, PDM, Pipenv) live in
:mod:`feedlint.rules.index_projects`, imported at the end so one registry module loads the
whole family. The installer semantics are in :mod:`feedlint.lookup`; rules only decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Optional

from feedlint.findings import Finding, Severity
from feedlint.lazyre import lazy_compile
from feedlint.lookup.common import (
    IndexInfo,
    classify,
    config_of,
    env_values,
    is_loopback,
    resolve,
)
from feedlint.lookup.pip import (
    PIP_COMMAND_SECTIONS,
    PYPI_DEFAULT,
    Entry,
    Group,
    command_groups,
    command_local,
    config_sections,
    config_views,
    env_groups,
    is_no_index,
    is_pip_config_item,
    requirements_chains,
    requirements_runs,
    section_groups,
)
from feedlint.lookup.projects import index_strategy, uv_projects
from feedlint.model import (
    FileKind,
    FileModel,
    IndexRef,
    IndexRole,
    Installer,
    Location,
    ProjectModel,
    Setting,
)
from feedlint.record import replace
from feedlint.registry import Rule
from feedlint.urls import is_env_reference

_UNSAFE_STRATEGIES = ("unsafe-best-match", "unsafe-first-match")

PIP_SINGLE_INDEX_FIX = (
    "Point index-url at one feed that proxies PyPI (Azure Artifacts upstream sources, an "
    "Artifactory virtual or Nexus group repository) and remove this extra index."
)


_PROXIES = "Azure Artifacts upstream sources, an Artifactory virtual or Nexus group repository"


def _single_index_fix(ref: IndexRef) -> str:
    """The single-index fix in the spelling of the file that adds the extra index."""
    via = _via(ref)
    if "PipAuthenticate" in via:
        if ref.role is IndexRole.EXTRA and "onlyAddExtraIndex" in via:
            return (
                "Remove `onlyAddExtraIndex: true` so PipAuthenticate sets the feed as the only "
                "index (PIP_INDEX_URL), and enable upstream sources on the feed so it serves the "
                "PyPI packages too."
            )
        return (
            "List one feed in PipAuthenticate and add the other feeds as its upstream "
            "sources, so pip searches a single index."
        )
    if via.upper() == "PIP_EXTRA_INDEX_URL":
        return (
            f"Set PIP_INDEX_URL to one feed that proxies PyPI ({_PROXIES}) and drop "
            "PIP_EXTRA_INDEX_URL."
        )
    if via == "--extra-index-url":
        return (
            f"Use `--index-url` with one feed that proxies PyPI ({_PROXIES}) instead of "
            "`--extra-index-url`."
        )
    if via == "pip config set":
        return (
            f"Set one feed that proxies PyPI ({_PROXIES}) with `pip config set "
            "global.index-url <feed>` instead of adding an extra index."
        )
    if via.replace("_", "-") == "extra-index-url":
        return (
            f"Set `index-url` to one feed that proxies PyPI ({_PROXIES}) and remove "
            "`extra-index-url`."
        )
    return PIP_SINGLE_INDEX_FIX


def _via(ref: IndexRef) -> str:
    if ref.via:
        return ref.via
    return {
        IndexRole.INDEX: "index-url",
        IndexRole.EXTRA: "extra-index-url",
        IndexRole.FIND_LINKS: "find-links",
    }.get(ref.role, ref.role.value)


def _mix(
    extra: IndexInfo, base: list[IndexInfo], others: list[IndexInfo]
) -> Optional[tuple[Severity, IndexInfo, str]]:
    """Whether adding ``extra`` beside ``base`` (the default index) and ``others`` (the
    other extras) mixes a private index with a public one under best-version-wins.

    Returns (severity, the index it mixes with, why in a phrase) or ``None``.
    """
    partners = [i for i in [*base, *others] if not i.same(extra)]
    if not partners:
        return None
    if extra.private or extra.unknown:
        if extra.unknown and all(p.unknown for p in partners):
            return None  # two unresolved references: nothing to say
        public = [p for p in partners if p.pypi_content] or [p for p in partners if p.public]
        if public:
            return Severity.WARNING, public[0], "public"
        return Severity.WARNING, partners[0], "proxy"
    defaults = [b for b in base if not b.same(extra)]
    if extra.open_upload:
        return Severity.WARNING, (defaults or partners)[0], "open"
    open_default = [b for b in defaults if b.open_upload]
    if open_default and extra.pypi_content:
        # the packaging tutorial's `-i https://test.pypi.org/simple/ --extra-index-url
        # https://pypi.org/simple/`: every dependency is also looked up on TestPyPI
        return Severity.WARNING, open_default[0], "open-default"
    if extra.kind == "third-party":
        # nobody but its owner publishes on download.pytorch.org & co: beside a private
        # index-url (which usually proxies PyPI) it is the same second source as beside PyPI
        return Severity.INFO, (defaults or partners)[0], "third-party"
    private_default = [b for b in defaults if b.private or b.unknown]
    if private_default:
        return Severity.WARNING, private_default[0], "private-default"
    return None  # PyPI or a mirror of it beside PyPI: same content


def _mix_message(tool: str, ref: IndexRef, extra: IndexInfo, partner: IndexInfo, why: str) -> str:
    via = _via(ref)
    via = via if via.startswith("PipAuthenticate") else f"`{via}`"  # a task, not code
    if why == "public":
        return (
            f"{via} adds {extra.describe()} beside {partner.describe()}: {tool} treats all "
            "indexes as equals and installs the highest version found, so a higher version "
            "published on PyPI under one of your private names wins"
        )
    if why == "proxy":
        return (
            f"{via} adds {extra.describe()} beside {partner.describe()}: {tool} installs the "
            "highest version found on either, so if that index proxies PyPI a public upload "
            "under one of your private names wins"
        )
    if why in ("open", "open-default"):
        other = partner if why == "open" else extra
        return (
            f"{via} adds {extra.describe()} beside {partner.describe()}: anyone can upload "
            f"any free name to TestPyPI, and {tool} installs the highest version found on "
            f"either, so an upload there can replace any package {other.describe()} serves"
        )
    if why == "private-default":
        return (
            f"{via} adds {extra.describe()} beside {partner.describe()} (the index-url): {tool} "
            "treats all indexes as equals and installs the highest version found, so a "
            f"higher version published on {extra.describe()} under one of your private names wins"
        )
    return (
        f"{via} adds {extra.describe()} beside {partner.describe()}: {tool} takes the highest "
        "version of any name from either, so each can shadow the other's packages (the 2022 "
        "torchtriton compromise came through such a pair)"
    )


def _tree_uv_strategy(model: ProjectModel) -> Optional[Setting]:
    """An ``unsafe-best-match`` set in the project's uv configuration (pyproject/uv.toml)."""
    for project in uv_projects(model):
        s = project.setting("index-strategy")
        if s is not None and index_strategy(s.value) == "unsafe-best-match":
            return s
    for fm in model.files_of(FileKind.UV_TOML, FileKind.PYPROJECT):
        for s in fm.settings:
            if (
                s.installer is Installer.UV
                and s.key == "index-strategy"
                and s.scope not in ("cli", "env")
                and index_strategy(s.value) == "unsafe-best-match"
            ):
                return s
    return None


def _first_of_each_variable(group: Group) -> Group:
    """One entry per variable and index: `ARG PIP_EXTRA_INDEX_URL=<url>` re-exported by
    `ENV PIP_EXTRA_INDEX_URL=$PIP_EXTRA_INDEX_URL` is one extra index, not two."""
    seen: set[tuple[str, str]] = set()
    # a variable also given a value feedlint cannot read (`ARG PIP_EXTRA_INDEX_URL` without
    # default, `PIP_EXTRA_INDEX_URL=$(cat /run/secrets/x) pip ...`) is still one extra index
    known = {e.ref.via for e in group.extras if not e.info.unknown}
    extras = []
    for entry in group.extras:
        key = (entry.ref.via, "" if entry.info.unknown else entry.info.key)
        if entry.info.unknown and entry.ref.via in known:
            continue
        if key not in seen:
            seen.add(key)
            extras.append(entry)
    return replace(group, extras=extras)


def _uv_config_groups(model: ProjectModel) -> list[Group]:
    """uv's pip-style `index-url`/`extra-index-url` keys in uv.toml and `[tool.uv]`
    (`[[tool.uv.index]]` entries are FL205's), one group per file."""
    config = config_of(model)
    out: list[Group] = []
    for fm in model.files_of(FileKind.UV_TOML, FileKind.PYPROJECT):
        refs = [
            r
            for r in fm.indexes
            if r.installer is Installer.UV
            and r.role in (IndexRole.INDEX, IndexRole.EXTRA)
            and r.scope not in ("cli", "env")
        ]
        if not refs:
            continue
        env = env_values(fm)
        index = [Entry(r, classify(r.url, config, env)) for r in refs if r.role is IndexRole.INDEX]
        extras = [Entry(r, classify(r.url, config, env)) for r in refs if r.role is IndexRole.EXTRA]
        out.append(Group(fm.path, Installer.UV, "project", index, extras, []))
    return out


class ExtraIndexMix(Rule):
    """A private index combined with PyPI under "all indexes are equal, best version wins".

    What it detects
    ---------------
    An extra index that pip searches together with another index: `--extra-index-url` in a
    requirements file (nested `-r`/`-c` files included, since their options apply to the
    whole install), `extra-index-url` in pip.conf/pip.ini (per command, `[global]` keys
    replaced by the command's own section), `PIP_EXTRA_INDEX_URL` in a Dockerfile, CI file,
    shell script, `.env`, tox `setenv` or hatch `env-vars`, tox `deps`, `pip install
    --extra-index-url` on any command line (tox `install_command` included), and the Azure
    Pipelines `PipAuthenticate` task (with `onlyAddExtraIndex: true` every feed becomes
    `PIP_EXTRA_INDEX_URL`; otherwise the feeds after the first do). It fires when the combination mixes a private
    index with a public one: a private extra beside PyPI (or a PyPI mirror, or a public
    third-party index); PyPI added as an extra beside a private `index-url` (also a
    requirements file's PyPI extra when a command installs it with `--index-url <feed>`,
    `PIP_INDEX_URL` or `PipAuthenticate`); a private extra
    beside a *different* private index (which usually proxies PyPI). uv mixes indexes like
    pip only under `index-strategy = "unsafe-best-match"`; under its default `first-index`
    strategy a private `--extra-index-url`/`UV_EXTRA_INDEX_URL` is safe (uv asks it first),
    but PyPI (or a mirror of it) given as the extra index is asked *before* a private
    `--index-url`/`UV_INDEX_URL` and is reported.

    A public third-party index (download.pytorch.org, ...) added beside PyPI or beside a
    private `index-url` is reported at `info` severity: it is a second source for every
    name, but not one anyone can publish your private names on. TestPyPI (test.pypi.org)
    is not PyPI: it is a separate namespace where anyone can register any free name, so
    TestPyPI as an extra beside PyPI or a mirror, or PyPI as the extra beside a TestPyPI
    `--index-url` (the packaging tutorial's pair), is a warning. A PyPI mirror beside PyPI is not reported (same content). A private index used
    as the *only* index (`--index-url <feed>`, a feed with upstream sources) is the fix, so
    it is never reported; neither is an extra index that `--no-index`/`PIP_NO_INDEX` makes
    pip ignore. The finding points at the extra index URL.

    Why it is risky
    ---------------
    pip has no index priority: it collects the candidates from every index and installs the
    highest version. Anyone can publish a package named like one of your private packages
    on PyPI with version 99.0 and pip will install it from there ("dependency confusion",
    Birsan 2021). uv behaves the same only under `unsafe-best-match`.

    How to fix
    ----------
    Use a single index: set `index-url` (or `--index-url`) to a private feed that proxies
    PyPI (Azure Artifacts upstream sources, an Artifactory virtual repository, a Nexus
    group) and drop `extra-index-url`. With uv, keep the default `first-index` strategy and
    pin private packages to an `explicit = true` index in `[tool.uv.sources]`.

    Example
    -------
    ```text
    --extra-index-url https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/
    shared-utils==1.2.0
    ```
    pip installs `shared-utils 99.0.0` from PyPI if someone publishes it there.
    """

    code = "FL201"
    name = "extra-index-mix"
    severity = Severity.WARNING

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        # one finding per extra index line; when contexts disagree (a file included from
        # two roots), the most severe verdict wins
        best: dict[Location, Finding] = {}
        for finding in self._all(model):
            kept = best.get(finding.location)
            if kept is None or finding.severity.rank > kept.severity.rank:
                best[finding.location] = finding
        return iter(sorted(best.values(), key=lambda f: f.sort_key))

    def _all(self, model: ProjectModel) -> Iterator[Finding]:
        for chain in requirements_chains(model):
            if chain.no_index:
                continue
            base = [chain.index.info] if chain.index else [PYPI_DEFAULT]
            yield from self._extras("pip", chain.extras, base, PIP_SINGLE_INDEX_FIX)
        # the same files installed by a command that sets the index-url itself (or through
        # PIP_INDEX_URL/PipAuthenticate): PyPI as an extra index is then a mix too
        for run in requirements_runs(model):
            chain = run.chain
            if not chain.uses_default_index:
                continue  # the file's own -i (or --no-index) wins over the command's
            where = f"{run.command.path}:{run.command.line}"
            yield from self._extras(
                "pip",
                chain.extras,
                run.base,
                PIP_SINGLE_INDEX_FIX,
                f" ({where} installs {chain.root} with that index-url)",
            )
        for view in config_views(model):
            base = [view.index.info] if view.index else [PYPI_DEFAULT]
            yield from self._extras("pip", view.extras, base, PIP_SINGLE_INDEX_FIX)
        tree_uv = _tree_uv_strategy(model)
        for group in [*env_groups(model), *command_groups(model), *section_groups(model)]:
            yield from self._group(model, group, tree_uv)
        if tree_uv is None:  # FL205 reports the unsafe strategy of the project files
            for group in _uv_config_groups(model):
                yield from self._uv_public_first(group)

    def _group(
        self, model: ProjectModel, group: Group, tree_uv: Optional[Setting]
    ) -> Iterator[Finding]:
        if group.scope == "env":
            group = _first_of_each_variable(group)
        fm = model.files[group.path]
        if any(is_no_index(s) for s in group.settings if s.installer is group.installer) or any(
            is_no_index(s)
            for s in fm.settings
            if s.scope == "env" and s.installer is group.installer and not command_local(fm, s)
        ):
            return  # --no-index / PIP_NO_INDEX: pip and uv ignore every index URL
        if group.installer is Installer.PIP:
            yield from self._extras("pip", group.extras, group.base(), PIP_SINGLE_INDEX_FIX)
            if group.index and group.env_extras:
                # `PIP_EXTRA_INDEX_URL=...` then `pip install --index-url <feed> ...`
                at = group.index[-1].ref.location
                yield from self._extras(
                    "pip",
                    _first_of_each_variable(replace(group, extras=group.env_extras)).extras,
                    group.base(),
                    PIP_SINGLE_INDEX_FIX,
                    f" (the `--index-url` of {at.path}:{at.line})",
                )
        elif group.installer is Installer.UV:
            file_settings = [  # the file's environment; a command's own prefix is in group
                s
                for s in fm.settings
                if s.installer is Installer.UV
                and s.key == "index-strategy"
                and s.scope == "env"
                and not command_local(fm, s)
            ]
            strategies = [index_strategy(s.value) for s in [*group.settings, *file_settings]]
            if group.scope == "cli" and any(s.key == "index-strategy" for s in group.settings):
                strategies = [
                    index_strategy(s.value) for s in group.settings if s.key == "index-strategy"
                ]
            elif not strategies and tree_uv is not None:
                strategies = ["unsafe-best-match"]
            if strategies and strategies[-1] == "unsafe-best-match":
                yield from self._extras(
                    "uv with index-strategy unsafe-best-match",
                    group.extras,
                    group.base(),
                    "Drop the unsafe-best-match index strategy (uv's default first-index keeps "
                    "each name on the first index that has it) and pin private packages to an "
                    "explicit index in [tool.uv.sources].",
                )
            else:
                yield from self._uv_public_first(group)

    def _uv_public_first(self, group: Group) -> Iterator[Finding]:
        """uv asks the extra indexes (earlier ones first) before the default index and,
        under ``first-index``, takes a name from the first index that has it: a public
        index listed ahead of a private one serves every name it holds."""
        base = group.base()
        for i, entry in enumerate(group.extras):
            if not entry.info.pypi_content:  # anyone can publish there (not so pytorch's)
                continue
            later = [e.info for e in group.extras[i + 1 :]] + base
            private = [b for b in later if b.private and not b.same(entry.info)]
            if not private:
                continue
            via = _via(entry.ref)
            yield self.finding(
                entry.ref.location,
                f"`{via}` puts {entry.info.describe()} ahead of {private[0].describe()}: uv "
                "asks extra indexes before the default index and takes each name from the "
                "first index that has it, so a package published there under one of your "
                "private names is installed instead of yours",
                "Make the private feed the only index (one that proxies PyPI) and drop this "
                "extra index, or pin private packages to an explicit index in "
                "[tool.uv.sources].",
            )

    def _extras(
        self, tool: str, extras: list[Entry], base: list[IndexInfo], fix: str, context: str = ""
    ) -> Iterator[Finding]:
        for entry in extras:
            others = [e.info for e in extras if e is not entry]
            verdict = _mix(entry.info, base, others)
            if verdict is None:
                continue
            severity, partner, why = verdict
            message = _mix_message(tool, entry.ref, entry.info, partner, why) + context
            this_fix = _single_index_fix(entry.ref) if fix == PIP_SINGLE_INDEX_FIX else fix
            if why in ("open", "open-default"):
                this_fix = (
                    "Do not search TestPyPI beside another index: install the one package "
                    "under test in a separate step with --index-url "
                    "https://test.pypi.org/simple/ --no-deps."
                )
            elif why == "third-party":
                this_fix = (
                    "Install the packages that need this index in a separate step with "
                    "--index-url pointing at it, or use uv with an explicit index pinned in "
                    "[tool.uv.sources]."
                )
            yield self.finding(entry.ref.location, message, this_fix, severity=severity)


class IndexUrlOverrides(Rule):
    """A requirements file where `-i/--index-url` follows `--extra-index-url` or another `-i`.

    What it detects
    ---------------
    An `-i`/`--index-url` line that pip reaches after an earlier `--extra-index-url` or
    `-i` with a different URL, in the same file or through nested `-r`/`-c` includes (an
    included file's options apply to the whole install, at the point of the include); and
    a requirements file's `-i` that replaces the index the installing command sets
    (`pip install --index-url <feed> -r FILE`, `PIP_INDEX_URL`, `PipAuthenticate`).
    Repeating the same `-i` URL is not reported.

    Why it is risky
    ---------------
    In a requirements file `-i` does not add an index, it *replaces the whole list*
    (pip's `handle_option_line`: `index_urls = [opts.index_url]`), dropping every extra
    index read before it, and the command line's. The author believes both feeds are in
    use; pip silently searches only the last one, so packages resolve from a different
    place than intended, or the private index is lost and names fall through to PyPI.

    How to fix
    ----------
    Keep exactly one `--index-url`, at the top of the top-level requirements file (before
    any `-r`), and no index options in included files.

    Example
    -------
    ```text
    --extra-index-url https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/
    -r base.txt          # base.txt starts with: -i https://pypi.org/simple
    ```
    The Azure feed is dropped when pip reads `base.txt`.
    """

    code = "FL202"
    name = "index-url-overrides"
    severity = Severity.WARNING

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        seen: set[tuple[Location, tuple[str, ...]]] = set()
        for chain in requirements_chains(model):
            for override in chain.overrides:
                keys = tuple(sorted(e.info.key for e in override.dropped))
                if (override.ref.location, keys) in seen:
                    continue
                seen.add((override.ref.location, keys))
                dropped = ", ".join(
                    f"{e.info.label} ({e.ref.location.path}:{e.ref.location.line})"
                    for e in override.dropped
                )
                via_root = (
                    f" when pip reads {chain.root}"
                    if chain.root != override.ref.location.path
                    else ""
                )
                yield self.finding(
                    override.ref.location,
                    f"`{_via(override.ref)}` replaces pip's whole index list{via_root}, "
                    f"silently dropping {dropped}",
                    "Keep one --index-url at the top of the top-level requirements file and "
                    "no index options in included files.",
                )
        # a file's -i also replaces the index its installing command sets (--index-url,
        # PIP_INDEX_URL, PipAuthenticate): `pipenv requirements` output starts with one
        for run in requirements_runs(model):
            entry = run.chain.replaces_base
            if entry is None or any(b.same(entry.info) for b in run.base):
                continue
            key = (entry.ref.location, tuple(sorted(b.key for b in run.base)))
            if key in seen:
                continue
            seen.add(key)
            dropped = ", ".join(b.label for b in run.base)
            where = f"{run.command.path}:{run.command.line}"
            yield self.finding(
                entry.ref.location,
                f"`{_via(entry.ref)}` replaces pip's whole index list when {where} installs "
                f"{run.chain.root}, silently dropping the index it sets ({dropped})",
                "Remove the index options from the requirements file and let the installing "
                "command (or PIP_INDEX_URL) set the one index.",
            )


def _hosts(value: object) -> list[str]:
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    else:
        items = [str(value)]
    return [h for item in items for h in re.split(r"[\s,]+", item) if h]


_FALSE_WORDS = frozenset({"false", "0", "no", "off"})


def _false(value: object) -> bool:
    return value is False or str(value).strip().strip("'\"").lower() in ("false", "0", "no", "off")


def _ignored_by_pip(fm: FileModel, item: IndexRef | Setting) -> bool:
    """A pip config section pip never reads (``[pypi-proxy]``, ``[Global]``)."""
    return is_pip_config_item(fm, item) and item.scope not in (
        "",
        "global",
        *PIP_COMMAND_SECTIONS,
    )


_LOCK_KINDS = (FileKind.POETRY_LOCK, FileKind.UV_LOCK, FileKind.PDM_LOCK, FileKind.PIPFILE_LOCK)
_INSECURE_ROLES = (
    IndexRole.INDEX,
    IndexRole.EXTRA,
    IndexRole.FIND_LINKS,
    IndexRole.SOURCE,
    IndexRole.DEPENDENCY_LINK,
)


class InsecureIndex(Rule):
    """An index reached without TLS verification: `http://`, `trusted-host`, `verify_ssl = false`.

    What it detects
    ---------------
    An `http://` index, extra index, find-links, Poetry/uv/PDM/Pipenv source or
    dependency link URL; pip `--trusted-host`/`trusted-host`/`PIP_TRUSTED_HOST`; uv
    `allow-insecure-host`/`--allow-insecure-host`/`UV_INSECURE_HOST`; `verify_ssl = false`
    on a Pipenv or PDM source. A loopback host (`localhost`, `127.0.0.1`, `::1`) is reported
    at `info` severity: the traffic stays on the machine, but the setting travels with the
    project to containers and CI where that no longer holds.

    Why it is risky
    ---------------
    Without TLS anyone on the network path (proxy, Wi-Fi, compromised router, CI network)
    can replace the distributions you install and read any credentials sent with them.
    `trusted-host` also disables certificate checks for HTTPS hosts, so it is the same as
    plain HTTP.

    How to fix
    ----------
    Serve the index over `https://` with a valid certificate; for a private certificate
    authority configure `cert` (pip), `SSL_CERT_FILE`/`--native-tls` (uv) or
    `certificates.<name>.cert` (Poetry) instead of turning verification off.

    Example
    -------
    ```ini
    [global]
    index-url = http://nexus.corp.example/repository/pypi/simple
    trusted-host = nexus.corp.example
    ```
    """

    code = "FL207"
    name = "insecure-index"
    severity = Severity.WARNING

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        config = config_of(model)
        seen: set[tuple[str, str]] = set()
        for path, fm in sorted(model.files.items()):
            if fm.source.kind in _LOCK_KINDS:
                continue  # a lock repeats its project's sources: reported there
            env = env_values(fm)
            for ref in sorted(fm.indexes, key=lambda r: r.location):  # first use reported
                if ref.role not in _INSECURE_ROLES or _ignored_by_pip(fm, ref):
                    continue
                info = classify(ref.url, config, env)
                if info.scheme != "http" or (path, info.key) in seen:
                    continue
                seen.add((path, info.key))
                local = is_loopback(info.host)
                tool = (
                    ref.installer.value if ref.installer is not Installer.ANY else "the installer"
                )
                yield self.finding(
                    ref.location,
                    f"{tool} fetches packages from {info.label} over plain HTTP"
                    + (
                        " (a loopback address: safe only on this machine)"
                        if local
                        else ", so anyone on the network path can replace them"
                    ),
                    "Use https:// with a valid certificate (configure a private CA with "
                    "cert/SSL_CERT_FILE rather than plain HTTP).",
                    severity=Severity.INFO if local else None,
                )
            env: Optional[dict[str, str]] = None
            # `ARG PIP_TRUSTED_HOST=h` re-exported by `ENV PIP_TRUSTED_HOST=$PIP_TRUSTED_HOST`
            # is one trusted host, reported where it is written
            named: set[tuple[str, str]] = set()
            for setting in fm.settings:
                if not _ignored_by_pip(fm, setting):
                    if env is None:
                        env = env_values(fm)
                    value = str(setting.value).strip()
                    if setting.scope == "env" and setting.via:
                        if is_env_reference(value) and (setting.via, value) in named:
                            continue
                        named.add((setting.via, f"${setting.via}"))
                        named.add((setting.via, f"${{{setting.via}}}"))
                    yield from self._setting(setting, env)

    def _setting(self, setting: Setting, env: dict[str, str]) -> Iterator[Finding]:
        key = setting.key.replace("_", "-")
        if key in ("trusted-host", "allow-insecure-host"):
            # `PIP_TRUSTED_HOST: ${PIP_TRUSTED_HOST:-}` passes on whatever the caller sets:
            # only a host the file names (literally, as a default or assigned) is judged
            hosts = [
                h
                for item in _hosts(setting.value)
                for h in _hosts(resolve(item, env) or "")
                if not is_env_reference(h)
            ]
            if not hosts:
                return
            local = all(is_loopback(h.split(":")[0]) for h in hosts)
            tool = "uv" if key == "allow-insecure-host" else setting.installer.value
            if setting.installer is Installer.ANY:
                tool = "pip"
            via = setting.via or key
            yield self.finding(
                setting.location,
                f"`{via}` makes {tool} accept {', '.join(hosts)} over plain HTTP or with an "
                "invalid certificate"
                + (
                    " (loopback only)"
                    if local
                    else ", so anyone on the network path can replace the packages"
                ),
                f"Remove `{via}` and serve the index over HTTPS with a valid certificate "
                "(configure a private CA with cert/SSL_CERT_FILE).",
                severity=Severity.INFO if local else None,
            )
        elif key in ("verify-ssl", "ssl-verify") and _false(setting.value):
            subject = f" for source '{setting.subject}'" if setting.subject else ""
            yield self.finding(
                setting.location,
                f"`verify_ssl = false` turns off certificate checks{subject}, so "
                f"{setting.installer.value} accepts whatever a man in the middle serves",
                "Set verify_ssl = true and trust a private CA through the system store or "
                "REQUESTS_CA_BUNDLE instead.",
            )


# -- FL208 ----------------------------------------------------------------------------
_COMMENT = lazy_compile(r"(^|\s+)#.*$")
_BRACED = lazy_compile(r"\$\{([^}]*)\}")
_BARE = lazy_compile(r"\$((?:env:)?[A-Za-z_][A-Za-z0-9_]*)")  # PowerShell's $env:NAME too
_MACRO = lazy_compile(r"\$\(([A-Za-z_][A-Za-z0-9_.]*)\)")
_WINDOWS = lazy_compile(r"%([A-Za-z_][A-Za-z0-9_]*)%")
_PIP_NAME = lazy_compile(r"^[A-Z0-9_]+$")
_HEX2 = lazy_compile(r"^[0-9A-Fa-f]{2}")


def _unexpanded(line: str) -> Iterator[tuple[int, str, str]]:
    """(0-based column, reference, kind) of every reference pip leaves literal."""
    braced_spans: list[tuple[int, int]] = []
    for m in _BRACED.finditer(line):
        braced_spans.append((m.start(), m.end()))
        if not _PIP_NAME.match(m.group(1)):
            yield m.start(), m.group(0), "braced"
    for m in _MACRO.finditer(line):
        yield m.start(), m.group(0), "macro"
    for m in _BARE.finditer(line):
        if any(a <= m.start() < b for a, b in braced_spans):
            continue
        if m.start() and line[m.start() - 1].isalnum():
            continue  # a literal '$' inside a word (`p$ssw0rd`), not a reference
        yield m.start(), m.group(0), "bare"
    for m in _WINDOWS.finditer(line):
        name = m.group(1)
        after = line[m.end() : m.end() + 2]
        if _HEX2.match(name) and (len(name) == 2 or _HEX2.match(after)):
            continue  # percent-encoding such as %C3%A9
        yield m.start(), m.group(0), "windows"


class UnexpandedEnvReference(Rule):
    """`$VAR`, `%VAR%` or `${lower_case}` in a requirements file: pip sends it literally.

    What it detects
    ---------------
    An environment reference in a requirements or constraints file that pip does not
    expand: `$VAR` without braces, `$(VAR)` (an Azure Pipelines macro, not expanded inside
    files), Windows `%VAR%`, and `${...}` whose name is not made of upper-case letters,
    digits and `_` (`${token}`, `${Token}`, `${VAR:-default}`, `${{ secrets.X }}`).
    Comments are ignored, as pip strips them before expanding.

    Why it is risky
    ---------------
    pip expands only `${NAME}` with `NAME` matching `[A-Z0-9_]+` (POSIX style, see
    `expand_env_variables` in pip's `req_file.py`); anything else stays as typed. The
    literal text then reaches the index server as a user name or password: authentication
    fails, or a request carrying `$PAT` is logged by proxies and servers, and someone may
    "fix" it by pasting the real secret into the file.

    How to fix
    ----------
    Write the reference as `${UPPER_CASE_NAME}` and export that variable, or keep
    credentials out of the file entirely (keyring, `.netrc`, `PIP_INDEX_URL` set by CI).

    Example
    -------
    ```text
    --index-url https://build:$AZURE_PAT@pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/
    ```
    pip sends the user `build` with the password `$AZURE_PAT`; write `${AZURE_PAT}`.
    """

    code = "FL208"
    name = "unexpanded-env-reference"
    severity = Severity.WARNING

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for fm in model.files_of(FileKind.REQUIREMENTS):
            for number, text in enumerate(fm.source.lines, start=1):
                if "$" not in text and "%" not in text:
                    continue
                body = _COMMENT.sub("", text)
                for column, ref, kind in sorted(_unexpanded(body)):
                    yield self.finding(
                        fm.loc(number, column + 1),
                        self._message(ref, kind),
                        "Use ${UPPER_CASE_NAME} (upper-case letters, digits, _) and export that "
                        "variable, or keep the credential in keyring/.netrc.",
                    )

    @staticmethod
    def _message(ref: str, kind: str) -> str:
        # Name the variable without quoting the reference itself: a ``${X:-default}``
        # default may be a literal secret, and the engine scrubs credential-shaped text.
        name = re.sub(r"[^A-Za-z0-9_.].*$", "", ref.lstrip("$%({").lstrip().replace("env:", "", 1))
        inner = ref[2:-1]
        if ref.startswith("${{"):
            braced_form = "${{ ... }} (a CI expression, expanded in the pipeline file only)"
        elif re.search(r"[:\-=?+]", inner):
            braced_form = "${NAME:-default}"
        else:
            braced_form = "${...} with lower-case or other characters"
        form, why = {
            "braced": (braced_form, "pip expands only ${NAME} with NAME made of A-Z, 0-9 and _"),
            "macro": (
                "$(NAME)",
                "CI macros are not expanded inside files, and pip does not expand them",
            ),
            "bare": (
                "$env:NAME (PowerShell)" if ref.startswith("$env:") else "$NAME without braces",
                "pip expands only the braced ${NAME} form",
            ),
            "windows": ("%NAME%", "pip does not expand Windows %VAR% references"),
        }[kind]
        return (
            f"the reference to {name or 'a variable'} written as {form} reaches the server as "
            f"literal text: {why}"
        )


# -- FL209 ----------------------------------------------------------------------------
_SCOPE_INDEX_KEYS = {
    IndexRole.INDEX: "index-url",
    IndexRole.EXTRA: "extra-index-url",
    IndexRole.FIND_LINKS: "find-links",
}
_SCOPE_SETTINGS = ("no-index", "trusted-host")


def _section_values(
    model: ProjectModel, path: str
) -> dict[str, dict[str, tuple[Location, tuple[str, ...], list[IndexInfo]]]]:
    """section -> key -> (first location, comparable values, index infos) for a pip config."""
    fm = model.files[path]
    config = config_of(model)
    env = env_values(fm)
    out: dict[str, dict[str, tuple[Location, tuple[str, ...], list[IndexInfo]]]] = {}
    for section, roles in config_sections(fm).items():
        for role, refs in roles.items():
            key = _SCOPE_INDEX_KEYS.get(role)
            if key is None:
                continue
            infos = [classify(r.url, config, env) for r in refs]
            out.setdefault(section, {})[key] = (
                min(r.location for r in refs),
                tuple(sorted(i.key for i in infos)),
                infos,
            )
    collected: dict[tuple[str, str], tuple[Location, set[str]]] = {}
    for setting in fm.settings:
        if not is_pip_config_item(fm, setting):
            continue
        key = setting.key.replace("_", "-")
        section = setting.scope or "global"
        if key not in _SCOPE_SETTINGS or (
            section != "global" and section not in PIP_COMMAND_SECTIONS
        ):
            continue
        loc, values = collected.get((section, key), (setting.location, set()))
        values.update(h.lower() for h in _hosts(setting.value))
        collected[(section, key)] = (min(loc, setting.location), values)
    for (section, key), (loc, values) in collected.items():
        out.setdefault(section, {})[key] = (loc, tuple(sorted(values)), [])
    return out


class PipConfigScope(Rule):
    """pip index settings in a command section: only in `[install]`, or replacing `[global]`.

    What it detects
    ---------------
    In pip.conf/pip.ini (and `pip config set` in scripts and Dockerfiles): an index setting
    (`index-url`, `extra-index-url`, `find-links`, `no-index`) pointing away from PyPI that
    is set in `[install]` but neither in `[global]` nor in `[download]`/`[wheel]`, while
    those commands still search PyPI (no private `index-url` of their own or in
    `[global]`); and a
    key in a command section (`[install]`, `[download]` ...) that also exists in `[global]`
    with a value that leaves out a global one (repeating the global value and adding more
    drops nothing and is not reported).

    Why it is risky
    ---------------
    pip reads `[global]` for every command and then the command's own section, and a key
    found there *replaces* the global one (lists are not merged). Index settings only under
    `[install]` leave `pip download` and `pip wheel` (used by Docker builds, wheelhouses and
    `pip-tools`) on PyPI, where a private name can be claimed by anyone. An `[install]` key
    next to a different `[global]` one silently drops the global value for installs, e.g.
    the private `extra-index-url` or the `trusted-host` you thought applied.

    How to fix
    ----------
    Put index settings in `[global]` only, and do not repeat a `[global]` key in command
    sections.

    Example
    -------
    ```ini
    [install]
    index-url = https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/
    ```
    `pip download shared-utils` still asks PyPI.
    """

    code = "FL209"
    name = "pip-config-scope"
    severity = Severity.WARNING

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for path, fm in sorted(model.files.items()):
            if not any(is_pip_config_item(fm, item) for item in [*fm.indexes, *fm.settings]):
                continue
            sections = _section_values(model, path)
            glob = sections.get("global", {})
            yield from self._install_only(sections, glob)
            for section, keys in sorted(sections.items()):
                if section == "global":
                    continue
                for key, (location, values, _) in sorted(keys.items()):
                    # a section value that repeats every global one and adds more drops
                    # nothing (the additions are FL201's or FL207's business)
                    if key in glob and not set(glob[key][1]) <= set(values):
                        gloc = glob[key][0]
                        yield self.finding(
                            location,
                            f"`{key}` in [{section}] replaces the [global] value from line "
                            f"{gloc.line} for `pip {section}` (pip does not merge the two), so "
                            f"`pip {section}` never sees the global setting",
                            "Set the key once, in [global], or make the two values identical.",
                        )

    @staticmethod
    def _uses_pypi(sections: dict, command: str) -> bool:
        """Whether ``pip <command>`` searches PyPI under this configuration: no index-url
        (or a PyPI one) for it in its section or [global], and no no-index."""
        own, glob = sections.get(command, {}), sections.get("global", {})
        no_index = own.get("no-index") or glob.get("no-index")
        if no_index and not set(no_index[1]) & _FALSE_WORDS:
            return False
        index = own.get("index-url") or glob.get("index-url")
        return index is None or all(i.pypi_content for i in index[2])

    def _install_only(self, sections: dict, glob: dict) -> Iterable[Finding]:
        install = sections.get("install", {})
        for key, (location, values, infos) in sorted(install.items()):
            if key == "trusted-host" or key in glob:
                continue
            if key == "no-index" and set(values) & _FALSE_WORDS:
                continue  # `no-index = false` changes nothing
            if infos and all(i.pypi_content for i in infos):
                continue
            missing = [
                c
                for c in ("download", "wheel")
                if key not in sections.get(c, {}) and self._uses_pypi(sections, c)
            ]
            if not missing:
                continue
            commands = " and ".join(f"`pip {c}`" for c in missing)
            verb = "use" if len(missing) > 1 else "uses"
            yield self.finding(
                location,
                f"`{key}` is set only in [install], so {commands} still {verb} PyPI and can "
                "fetch a public package under one of your private names",
                f"Move `{key}` to [global] so every pip command uses the same indexes.",
            )


# The project-tool rules (FL203-FL206) register on import.
from feedlint.rules import index_projects as _index_projects  # noqa: E402,F401
