"""FL203-FL206: index rules for project tools (Poetry, uv, PDM, Pipenv).

Imported by :mod:`feedlint.rules.indexes` (the registered family module). Source semantics
are in :mod:`feedlint.lookup.projects`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import Optional

from feedlint.findings import Finding, Severity
from feedlint.lazyre import lazy_compile
from feedlint.lookup.common import classify, config_of
from feedlint.lookup.projects import (
    Project,
    Source,
    index_strategy,
    is_pinned,
    is_true,
    pdm_candidates,
    pdm_projects,
    pipenv_projects,
    poetry_projects,
    poetry_search,
    respects_source_order,
    uv_projects,
    uv_search_order,
)
from feedlint.model import (
    FileKind,
    IndexRef,
    IndexRole,
    Installer,
    Location,
    ProjectModel,
    Setting,
)
from feedlint.parsers.commands import split_words
from feedlint.private import (
    PrivateEvidence,
    mirror_feeds,
    private_evidence,
    private_packages,
    standing,
)
from feedlint.registry import Rule


def _unpinnable(model: ProjectModel) -> dict[str, PrivateEvidence]:
    """The private packages a source pin should hold: every private package except one
    whose only evidence is a lock entry from a feed that mirrors PyPI (an Artifactory
    virtual repository the lock takes ``requests`` from too): that is most likely the
    public package, and asking for a pin on each of the project's public dependencies
    would drown the real findings. Cached on the model."""
    cached = model.extras.get("index-projects.unpinnable")
    if isinstance(cached, dict):
        return cached
    evidence = private_evidence(model)
    mirrors = mirror_feeds(model)
    model.extras["index-projects.mirror-keys"] = {classify(u).key for u in mirrors}
    private = private_packages(model)
    out = {
        name: first
        for name, first in private.items()
        if not mirrors or standing(evidence[name], mirrors, False) != "mirrored"
    }
    model.extras["index-projects.unpinnable"] = out
    return out


def _private_in(project: Project, private: dict[str, PrivateEvidence]) -> list[str]:
    return sorted(n for n in project.names() if n in private)


def _also_public(project: Project, name: str) -> bool:
    """The lock takes ``name`` both from a private source and from PyPI (a marker split
    such as ``zstd = [{markers = "python_version < '3.12'"}, {source = "chia", ...}]``):
    the package is deliberately public in some environments."""
    public = private = False
    for lock in project.locked(name):
        url = lock.source_url
        if lock.source_type not in (None, "", "pypi", "registry", "legacy", "index"):
            continue
        if (not url and not lock.source) or (url and classify(url).pypi_content):
            public = True
        else:
            private = True
    return public and private


def _serving(project: Project, name: str, evidence: PrivateEvidence) -> list[Source]:
    """The private source(s) that serve ``name`` per lock, pin or evidence."""
    found: list[Source] = []
    for lock in project.locked(name):
        src = project.source(lock.source) or project.source_for_url(lock.source_url)
        if src is not None and src not in found:
            found.append(src)
    if not found:
        src = project.source_for_url(evidence.index_url)
        if src is not None:
            found.append(src)
    if not found:
        found = [
            s for s in project.sources if not s.implicit and (s.info.private or s.info.unknown)
        ]
    return found


def _unpinned_findings(
    project: Project,
    private: dict[str, PrivateEvidence],
    verdict: Callable[[str, Source], Optional[Finding]],
) -> Iterator[Finding]:
    """For every private package of ``project`` without a source pin (and not public as
    well), the first finding ``verdict(name, source)`` gives for a source serving it."""
    for name in _private_in(project, private):
        if is_pinned(project.declared(name)) or _also_public(project, name):
            continue
        for source in _serving(project, name, private[name]):
            finding = verdict(name, source)
            if finding is not None:
                yield finding
                break


def _where(project: Project, name: str, source: Source) -> Location:
    """The unpinned declaration of ``name``, else the source that serves it."""
    decls = project.declared(name)
    if decls:
        return min(d.location for d in decls)
    if source.ref is not None:
        return source.ref.location
    return Location(project.path, 1, 1)


# -- FL203 ---------------------------------------------------------------------------
_POETRY_HEADER = lazy_compile(r"^\s*\[\[\s*tool\s*\.\s*poetry\s*\.\s*source\s*\]\]")
_ANY_HEADER = lazy_compile(r"^\s*\[")
_LEGACY_KEYS = ("priority", "default", "secondary")
_LEGACY_KEY = lazy_compile(
    r"""^(?P<indent>\s*)(?P<key>default|secondary|priority)\s*=\s*(?P<value>true|false|["'](?:default|secondary)["'])"""
)


class PoetryLegacyPriority(Rule):
    """`default`/`secondary` in `[[tool.poetry.source]]`: deprecated, rejected by Poetry 2.0.

    What it detects
    ---------------
    A `default = ...` or `secondary = ...` key, or `priority = "default"`/`"secondary"`, in a
    `[[tool.poetry.source]]` table, and `poetry source add --default`/`--secondary`/
    `--priority=default|secondary` in scripts. The finding points at the key.

    Why it is risky
    ---------------
    The flags were deprecated in Poetry 1.5 (`secondary`) and 1.8 (`default`) and the
    source schema of Poetry 2.0 accepts only `name`, `url`, `priority` (`primary`,
    `supplemental`, `explicit`), `links` and `indexed`: the project no longer installs with
    current Poetry, and the old semantics differ. A `secondary` source is *merged* with the
    primary ones (a PyPI upload under a name it serves can still win), and `default = true`
    silently disabled PyPI. Teams "fixing" the error under time pressure often drop the
    source restriction altogether.

    How to fix
    ----------
    Replace `default = true` with `priority = "primary"` on the first source, `secondary =
    true` with `priority = "supplemental"` or, better for a private feed, `priority =
    "explicit"` plus `source = "<name>"` on each private dependency; delete `default =
    false`/`secondary = false`.

    Example
    -------
    ```toml
    [[tool.poetry.source]]
    name = "internal"
    url = "https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/"
    secondary = true
    ```
    """

    code = "FL203"
    name = "poetry-legacy-priority"
    severity = Severity.WARNING

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        seen: set[Location] = set()
        for fm in model.files_of(FileKind.PYPROJECT):
            for finding in [
                *self._settings(fm.settings),
                *self._pyproject(fm.source.lines, fm.path),
            ]:
                if finding.location not in seen:
                    seen.add(finding.location)
                    yield finding
        for path, fm in sorted(model.files.items()):
            for ref in fm.indexes:
                if ref.installer is Installer.POETRY and ref.via == "poetry source add":
                    yield from self._command(model, path, ref)

    def _settings(self, settings: list[Setting]) -> Iterator[Finding]:
        """The legacy keys as the pyproject parser records them (located at the key)."""
        for s in settings:
            if s.installer is not Installer.POETRY or s.key not in _LEGACY_KEYS:
                continue
            value = str(s.value).lower() if isinstance(s.value, bool) else str(s.value)
            if s.key == "priority" and value.lower() not in ("default", "secondary"):
                continue
            if s.key != "priority" and not isinstance(s.value, bool):
                continue
            yield self.finding(
                s.location, self._message(s.key, value.lower()), self._fix(s.key, value.lower())
            )

    @staticmethod
    def _message(key: str, value: str) -> str:
        if key == "priority":
            return (
                f'`priority = "{value}"` is deprecated (Poetry 1.5/1.8) and rejected by '
                'Poetry 2.0, which accepts only "primary", "supplemental" and "explicit"'
            )
        return (
            f"`{key} = {value}` is a legacy Poetry source flag (deprecated since "
            f"{'1.8' if key == 'default' else '1.5'}) that Poetry 2.0 rejects"
        )

    def _pyproject(self, lines: tuple[str, ...], path: str) -> Iterator[Finding]:
        in_source = False
        for number, text in enumerate(lines, start=1):
            if _POETRY_HEADER.match(text):
                in_source = True
                continue
            if _ANY_HEADER.match(text):
                in_source = False
                continue
            if not in_source:
                continue
            m = _LEGACY_KEY.match(text)
            if not m:
                continue
            key, value = m.group("key"), m.group("value").strip("'\"")
            yield self.finding(
                Location(path, number, len(m.group("indent")) + 1),
                self._message(key, value),
                self._fix(key, value),
            )

    @staticmethod
    def _fix(key: str, value: str) -> str:
        if value == "false":
            return f"Delete `{key} = false`: it has no effect."
        if key == "default" or value == "default":
            return (
                'Use priority = "primary" on the first source (this also disables implicit PyPI).'
            )
        return (
            'Use priority = "explicit" and pin private packages with source = "<name>" '
            '(or priority = "supplemental" for a public fallback index).'
        )

    def _command(self, model: ProjectModel, path: str, ref: IndexRef) -> Iterator[Finding]:
        if (ref.priority or "").lower() not in ("default", "secondary"):
            return
        location = ref.location
        for cmd in model.files[path].commands:
            for words in split_words(cmd.text):
                if not words or not (
                    cmd.locate(words[0].start) <= ref.location <= cmd.locate(words[-1].end)
                ):
                    continue
                for w in words:
                    if w.text in ("--default", "--secondary") or w.text.startswith("--priority"):
                        location = cmd.locate(w.start)
                        break
        yield self.finding(
            location,
            f"`poetry source add` with priority {ref.priority} uses a legacy source priority "
            "that Poetry 2.0 rejects",
            "Use --priority=primary, --priority=supplemental or --priority=explicit.",
        )


# -- FL204 ---------------------------------------------------------------------------
class PoetryUnpinnedPrivate(Rule):
    """A private package without `source = "..."` while Poetry also searches another source.

    What it detects
    ---------------
    A package that a private `[[tool.poetry.source]]` serves (per `poetry.lock`'s
    `[package.source]`, or feedlint's private-package definition) whose dependency has no
    `source = "<name>"` constraint, while Poetry also searches PyPI or another source for
    it. Poetry 1.8/2.x semantics: sources without `priority` are primary; the implicit PyPI
    source is used only when no primary source exists and PyPI is not declared; primary
    (and deprecated `secondary`) sources are searched together, highest version wins;
    `supplemental` sources only when those have nothing; `explicit` sources only for
    dependencies that name them. A private source that is the *only* searched source is
    fine and not reported; so is a package the lock also takes from PyPI (a marker split).

    Why it is risky
    ---------------
    Without a source constraint Poetry looks the name up in every primary source and takes
    the best version: a package published on PyPI under your private name wins. If the
    private source is supplemental, PyPI is asked first and any PyPI release of the name
    wins outright; if it is explicit, the unpinned package is never looked up there at all.

    How to fix
    ----------
    Make the private source `priority = "explicit"` and pin every private package (direct
    or transitive) with `source = "<name>"`, e.g. `poetry add --source internal pkg@*`;
    or make the private feed the single primary source and let it proxy PyPI.

    Example
    -------
    ```toml
    [tool.poetry.dependencies]
    shared-utils = "^1.2"          # served by 'internal' per poetry.lock

    [[tool.poetry.source]]
    name = "internal"
    url = "https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/"
    priority = "supplemental"
    ```
    """

    code = "FL204"
    name = "poetry-unpinned-private"
    severity = Severity.WARNING

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        private = _unpinnable(model)
        mirror_keys = model.extras.get("index-projects.mirror-keys")
        mirrors = mirror_keys if isinstance(mirror_keys, set) else set()
        for project in poetry_projects(model):
            first, fallback = poetry_search(project)
            verdict = partial(
                self._verdict, project, first=first, fallback=fallback, mirrors=mirrors
            )
            yield from _unpinned_findings(project, private, verdict)

    def _verdict(
        self,
        project: Project,
        name: str,
        source: Source,
        first: list[Source],
        fallback: list[Source],
        mirrors: set[str],
    ) -> Optional[Finding]:
        others = [s for s in first if s is not source]
        fix = (
            f'Add source = "{source.name}" to {name} (poetry add --source {source.name} '
            f'{name}@*) and make the source priority = "explicit".'
        )
        where = _where(project, name, source)
        if source.priority == "explicit":
            searched = ", ".join(s.label for s in first) or "no source"
            return self.finding(
                where,
                f"{name} is served by the explicit source '{source.name}', but without "
                f'source = "{source.name}" Poetry never looks there and resolves it from '
                f"{searched}",
                fix,
            )
        if source.priority == "supplemental":
            if not first:
                return None
            return self.finding(
                where,
                f"{name} has no source constraint and '{source.name}' is supplemental: Poetry "
                f"asks {', '.join(s.label for s in first)} first, so a release of that name "
                "there wins",
                fix,
            )
        if not others:
            return None
        consequence = (
            "a public upload under that name wins"
            if any(s.info.public or s.info.key in mirrors for s in others)
            else "if one of them proxies PyPI, a public upload under that name wins"
        )
        return self.finding(
            where,
            f"{name} has no source constraint: Poetry searches '{source.name}' together with "
            f"{', '.join(s.label for s in others)} and takes the highest version, so "
            f"{consequence}",
            fix,
        )


# -- FL205 ---------------------------------------------------------------------------
def _codes(value: object) -> set[str]:
    items = value if isinstance(value, (list, tuple)) else re.split(r"[\s,]+", str(value))
    return {str(v).strip().strip("'\"") for v in items}


class UvUnsafeIndex(Rule):
    """uv set up to mix indexes: an unsafe index strategy, an unpinned private package,
    or `ignore-error-codes` hiding 401/403 on a private index.

    What it detects
    ---------------
    * `index-strategy = "unsafe-best-match"` or `"unsafe-first-match"` wherever uv reads it:
      `[tool.uv]`, `[tool.uv.pip]`, `uv.toml`, `UV_INDEX_STRATEGY`, `--index-strategy`
      (`info` when the tree configures no index other than PyPI for uv);
    * a private package (per `uv.lock`'s `source.registry`, or feedlint's private-package
      definition) that `[tool.uv.sources]` does not pin to an index, while uv searches
      another index too. It is a warning when the private index is `explicit = true` (uv
      never uses it for unpinned packages), when another index comes before it, or under
      an unsafe strategy; under the default `first-index` strategy with the private index
      first it is `info` (safe while that index answers for the name);
    * a `[[tool.uv.index]]` (or `uv.toml` `[[index]]`) entry for PyPI or a PyPI mirror that
      uv searches before a private index (listed above it without `default = true`): every
      name PyPI has is taken from there, private names included (reported at the package
      instead when a private package's finding already names that index);
    * `ignore-error-codes` containing 401 or 403 on a private index that is not the only one
      (an `explicit = true` index is not reported: the packages pinned to it are looked up
      there only, so a failed login cannot fall through to PyPI).

    A private index that is the only index (`default = true` and nothing else) is fine.

    Why it is risky
    ---------------
    uv's default `first-index` strategy takes a name only from the first index that has it,
    which defeats dependency confusion. `unsafe-best-match` restores pip's "highest version
    from any index" and `unsafe-first-match` lets a later index serve versions the first
    one lacks. Packages not pinned in `[tool.uv.sources]` depend on index order and
    availability, and an ignored 401/403 (expired token, missing credentials) makes uv
    fall through to PyPI for your private names instead of failing.

    How to fix
    ----------
    Remove the unsafe strategy. Declare the private feed with `explicit = true` and pin each
    private package to it: `[tool.uv.sources] shared-utils = { index = "internal" }`. Leave
    `ignore-error-codes` unset for authenticated indexes.

    Example
    -------
    ```toml
    [tool.uv]
    index-strategy = "unsafe-best-match"

    [[tool.uv.index]]
    name = "internal"
    url = "https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/"
    ```
    """

    code = "FL205"
    name = "uv-unsafe-index"
    severity = Severity.WARNING

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        yield from self._strategies(model)
        private = _unpinnable(model)
        for project in uv_projects(model):
            named: list[Source] = []  # indexes a package finding names as coming first
            yield from self._unpinned(project, private, named)
            yield from self._public_first(project, named)
            yield from self._error_codes(project)

    # strategy -------------------------------------------------------------------
    def _strategies(self, model: ProjectModel) -> Iterator[Finding]:
        config = config_of(model)
        non_pypi = any(
            ref.installer is Installer.UV and not classify(ref.url, config).pypi_content
            for ref in model.indexes
        )
        for setting in model.settings:
            if setting.installer is not Installer.UV or setting.key != "index-strategy":
                continue
            value = index_strategy(setting.value)
            if value not in ("unsafe-best-match", "unsafe-first-match"):
                continue
            how = (
                "takes the highest version of a name from any index, like pip"
                if value == "unsafe-best-match"
                else "lets a later index serve versions the first index lacks"
            )
            yield self.finding(
                setting.location,
                f"uv index-strategy {value} {how}, so a public upload under a private name "
                "can win over your private index",
                "Remove it: uv's default first-index strategy keeps each name on the first "
                'index that has it; pin private packages with [tool.uv.sources] name = { index = "..." }.',
                severity=None if non_pypi else Severity.INFO,
            )

    # a public index listed ahead of a private one -------------------------------------
    def _public_first(self, project: Project, named: list[Source]) -> Iterator[Finding]:
        """A declared index serving PyPI's names (PyPI, a mirror) that uv asks before a
        private index: under the default first-index strategy every name PyPI has comes
        from there, your private names included. Not repeated for an index that a
        finding on a private package already names (``named``)."""
        strategy_setting = project.setting("index-strategy")
        if strategy_setting and index_strategy(strategy_setting.value) == "unsafe-best-match":
            return  # order does not matter then; the strategy is reported
        order = uv_search_order(project)
        private = next((s for s in order if not s.implicit and s.info.private), None)
        if private is None:
            return
        for source in order[: order.index(private)]:
            if source.implicit or source.ref is None or not source.info.pypi_content:
                continue
            if source in named or source.ref.role is not IndexRole.SOURCE:
                continue  # named by a package finding; legacy extra-index-url is FL201's
            yield self.finding(
                source.ref.location,
                f"{source.label} comes before the private index {private.label} in uv's "
                "search order: uv takes each name from the first index that has it, so any "
                "of your private names published there is installed instead of yours",
                "Remove this index (uv falls back to PyPI by itself, after your indexes) or "
                "list the private index first; better, mark the private index explicit = true "
                "and pin private packages in [tool.uv.sources].",
            )

    # unpinned private packages ---------------------------------------------------------
    def _unpinned(
        self, project: Project, private: dict[str, PrivateEvidence], named: list[Source]
    ) -> Iterator[Finding]:
        order = uv_search_order(project)
        strategy_setting = project.setting("index-strategy")
        strategy = index_strategy(strategy_setting.value) if strategy_setting else "first-index"
        verdict = partial(
            self._unpinned_verdict, project, order=order, strategy=strategy, named=named
        )
        yield from _unpinned_findings(project, private, verdict)

    def _unpinned_verdict(
        self,
        project: Project,
        name: str,
        source: Source,
        order: list[Source],
        strategy: str,
        named: list[Source],
    ) -> Optional[Finding]:
        index_name = source.name or "internal"
        fix = (
            f"Mark the index explicit = true and pin the package: [tool.uv.sources] {name} = "
            f'{{ index = "{index_name}" }}.'
        )
        where = _where(project, name, source)
        if source.priority == "explicit":
            searched = ", ".join(s.label for s in order) or "no index"
            return self.finding(
                where,
                f"{name} is served by the explicit index {source.label}, but it is not pinned "
                f"in [tool.uv.sources], so uv never looks there and resolves it from {searched}",
                fix,
            )
        if source not in order or len(order) <= 1:
            return None
        before = order[: order.index(source)]
        if before:
            named.extend(s for s in before if s not in named)
            return self.finding(
                where,
                f"{name} is not pinned in [tool.uv.sources] and uv searches "
                f"{', '.join(s.label for s in before)} before {source.label}, so a release of "
                "that name there wins",
                fix,
            )
        if strategy in ("unsafe-best-match", "unsafe-first-match"):
            return self.finding(
                where,
                f"{name} is not pinned in [tool.uv.sources] and index-strategy {strategy} "
                f"lets {', '.join(s.label for s in order if s is not source)} serve it",
                fix,
            )
        return self.finding(
            where,
            f"{name} is not pinned in [tool.uv.sources]: uv's first-index strategy takes it "
            f"from {source.label} only while that index answers for the name; otherwise it "
            f"falls through to {', '.join(s.label for s in order[1:])}",
            fix,
            severity=Severity.INFO,
        )

    # ignore-error-codes -------------------------------------------------------------
    def _error_codes(self, project: Project) -> Iterator[Finding]:
        searched = [s for s in project.sources if s.priority != "explicit"]
        for setting in project.settings:
            if setting.key != "ignore-error-codes":
                continue
            codes = _codes(setting.value) & {"401", "403"}
            if not codes:
                continue
            source = project.source(setting.subject)
            if source is not None and source.info.public:
                continue  # e.g. the PyTorch index answers 403 for missing names
            if source is not None and source.priority == "explicit":
                continue  # only packages pinned to it are looked up there: no fall-through
            if source is not None and searched == [source]:
                continue
            label = source.label if source is not None else f"'{setting.subject}'"
            yield self.finding(
                setting.location,
                f"ignore-error-codes {', '.join(sorted(codes))} on {label} makes uv treat a "
                "failed login as 'not found' and fall through to the next index (PyPI) for "
                "your private names",
                "Remove 401/403 from ignore-error-codes so authentication failures stop the "
                "resolution.",
            )


# -- FL206 ---------------------------------------------------------------------------
class PdmPipenvUnpinned(Rule):
    """PDM or Pipenv searching several sources for a private package.

    What it detects
    ---------------
    * PDM: a private package (per feedlint's private-package definition) that no source's
      `include_packages` binds, searched in more than one source (PyPI comes first unless a
      source is named `pypi`), unless `[tool.pdm.resolution] respect-source-order = true`
      and a source that serves it comes first;
    * Pipenv: `[pipenv] install_search_all_sources = true` (or
      `PIPENV_INSTALL_SEARCH_ALL_SOURCES`) with a private source beside a public one; a
      private package (per `Pipfile.lock` `"index"`, or the definition) without
      `index = "..."` when the first `[[source]]` is another index; a private source that no
      package is pinned to (`info`: unused by current Pipenv, merged with PyPI by Pipenv
      before 2022.3.23; not repeated when one of its packages is reported unpinned).

    Why it is risky
    ---------------
    PDM treats all sources as equal and installs the best version from any of them, the
    same "dependency confusion" exposure as pip's `--extra-index-url`. Pipenv takes a
    package without `index=` from the first source only, so a private package whose first
    source is PyPI comes from PyPI; `install_search_all_sources` searches every source at
    install time.

    How to fix
    ----------
    PDM: bind private packages with `include_packages = ["shared-*"]` on the private
    source (or name the private source `pypi` so it replaces PyPI). Pipenv: pin each private
    package with `index = "<source>"` and leave `install_search_all_sources` off.

    Example
    -------
    ```toml
    [[tool.pdm.source]]
    name = "internal"
    url = "https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/"
    # missing: include_packages = ["shared-utils"]
    ```
    """

    code = "FL206"
    name = "pdm-pipenv-unpinned"
    severity = Severity.WARNING

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        private = _unpinnable(model)
        for project in pdm_projects(model):
            yield from self._pdm(project, private)
        pipenv = pipenv_projects(model)
        for project in pipenv:
            yield from self._pipenv(project, private)
        yield from self._search_all_env(model, pipenv)

    # PDM --------------------------------------------------------------------------
    def _pdm(self, project: Project, private: dict[str, PrivateEvidence]) -> Iterator[Finding]:
        respect = respects_source_order(project)
        for name in _private_in(project, private):
            if is_pinned(project.declared(name)):
                continue
            candidates, bound = pdm_candidates(project, name)
            if bound is not None or len(candidates) <= 1:
                continue
            serving = [
                s for s in candidates if not s.implicit and (s.info.private or s.info.unknown)
            ]
            if not serving:
                continue
            # a private feed in PyPI's place (a source named pypi) usually proxies PyPI:
            # the package is bound to one of the others
            serving.sort(key=lambda s: s.name.lower() == "pypi")
            if respect is not None and candidates[0] in serving:
                continue
            source = serving[0]
            others = [s for s in candidates if s is not source]
            if respect is not None:
                why = (
                    f"respect-source-order is on but {candidates[0].label} comes first, so a "
                    "release of that name there wins"
                )
            else:
                why = (
                    f"PDM searches {source.label} together with "
                    f"{', '.join(s.label for s in others)} and installs the highest version"
                )
            yield self.finding(
                _where(project, name, source),
                f"{name} is private but no include_packages binds it: {why}",
                f'Add include_packages = ["{name}"] to the [[tool.pdm.source]] named '
                f"'{source.name}'.",
            )

    # Pipenv ---------------------------------------------------------------------------
    def _pipenv(self, project: Project, private: dict[str, PrivateEvidence]) -> Iterator[Finding]:
        mixed = self._mixed(project)
        setting = project.setting("install-search-all-sources")
        search_all = setting is not None and is_true(setting.value)
        if search_all and mixed:
            yield self.finding(
                setting.location,
                "install_search_all_sources makes pipenv search every [[source]] at install "
                f"time, so {mixed} can serve any name, including your private ones",
                "Remove install_search_all_sources and pin private packages with index = "
                '"<source>".',
            )
        default = project.sources[0]
        reported: set[str] = set()  # sources already named by an unpinned-package warning
        for name in _private_in(project, private):
            decls = project.declared(name)
            if not decls or is_pinned(decls):
                continue
            serving = _serving(project, name, private[name])
            if not serving or default in serving:
                continue
            source = serving[0]
            reported.add(source.name.lower())
            yield self.finding(
                min(d.location for d in decls),
                f"{name} is served by {source.label} but has no index=: pipenv resolves it "
                f"from the first source, {default.label}, where anyone can publish that name",
                f'Pin it: {name} = {{version = "*", index = "{source.name}"}}.',
            )
        if search_all:
            return  # every source is searched: the unbound-source note below is untrue
        pinned = {(p.source or "").lower() for p in project.declarations if p.source}
        for source in project.sources[1:]:
            if (
                source.implicit
                or source.ref is None
                or not (source.info.private or source.info.unknown)
            ):
                continue
            if source.name.lower() in pinned | reported or not any(
                s.info.public for s in project.sources
            ):
                continue
            yield self.finding(
                source.ref.location,
                f"no package is pinned to {source.label} with index=: current pipenv never uses "
                "it, and pipenv before 2022.3.23 merged it with PyPI for every package",
                f'Pin the private packages with index = "{source.name}", or remove the source.',
                severity=Severity.INFO,
            )

    @staticmethod
    def _mixed(project: Project) -> str:
        private = [s for s in project.sources if s.info.private or s.info.unknown]
        public = [s for s in project.sources if s.info.public]
        if private and public:
            return f"{public[0].label} and {private[0].label}"
        return ""

    def _search_all_env(self, model: ProjectModel, projects: list[Project]) -> Iterator[Finding]:
        mixed = next((m for m in (self._mixed(p) for p in projects) if m), "")
        if not mixed:
            return
        for setting in model.settings:
            if (
                setting.installer is Installer.PIPENV
                and setting.key == "install-search-all-sources"
                and setting.scope == "env"
                and str(setting.value).strip().lower() in ("1", "true", "yes", "on")
            ):
                yield self.finding(
                    setting.location,
                    "PIPENV_INSTALL_SEARCH_ALL_SOURCES makes pipenv search every [[source]] at "
                    f"install time, so {mixed} can serve any name",
                    'Unset it and pin private packages with index = "<source>".',
                )
