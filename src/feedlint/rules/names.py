"""FL3: package names. Which private names an attacker could take over on PyPI.

"Private package" is :mod:`feedlint.private`'s definition. Two refinements keep the
family honest on real trees:

* **Mirroring feeds.** Many organisations install *everything* through one private feed
  that proxies PyPI (Azure Artifacts upstreams, an Artifactory virtual repository, Nexus
  proxy): the lock then records that feed for ``requests`` too; others pin ``torch`` to
  an Artifactory remote of the PyTorch index. A feed that serves any well-known public
  package (:data:`feedlint.private.PUBLIC_MARKERS`), by the lock or by a pin, is treated
  as a mirror, and a name whose *only* evidence is "locked from, or pinned to, a
  mirroring feed" is not assumed to be private:
  FL302 does not report it (it is most likely the public package), FL301 reports it only
  when the PyPI name data shows it is absent from PyPI (so it really is internal), and
  FL303 reports it when it is absent (that is exactly the internal name at risk).
* **Projects that publish to PyPI too.** The project's own name counts as private when
  it is uploaded to a private feed; when the tree also uploads it to PyPI (a ``[pypi]``
  ``.pypirc`` section, ``twine upload`` to pypi.org), its PyPI entry is its own.

Each name is reported once, at its declaration in a file people edit (the project name,
a dependency, preferably the entry that pins it to a source, a requirement line) rather
than in a lock, so a suppression comment can live there; lock-only names are reported at
the lock entry.
"""

from __future__ import annotations

from collections.abc import Iterator

from feedlint.config import config_of
from feedlint.findings import Finding
from feedlint.model import Location, ProjectModel
from feedlint.private import (
    PrivateEvidence,
    locked_from_pypi,
    mirror_feeds,
    private_evidence,
    proxy_sources,
    publishes_publicly,
    standing,
)
from feedlint.registry import Rule
from feedlint.urls import normalize_name

#: where a name is best reported, by PackageRef.kind (lower is better)
_PLACE_RANK = {"project": 0, "dependency": 1, "requirement": 2, "constraint": 3, "command": 4}


def place(model: ProjectModel, name: str, evidence: list[PrivateEvidence]) -> Location:
    """Where to report ``name``: its best declaration in an edited file (the project
    name, then a dependency, preferring one pinned to a source, then a requirement ...),
    else the first evidence (a lock entry)."""
    places = model.extras.get("names-places")
    if not isinstance(places, dict):
        places = {}
        for pkg in model.packages:
            rank = _PLACE_RANK.get(pkg.kind)
            if rank is None:
                continue
            key = (rank, 0 if pkg.source else 1, pkg.location)
            best = places.get(pkg.name)
            if best is None or key < best:
                places[pkg.name] = key
        model.extras["names-places"] = places
    best = places.get(name)
    return best[2] if best else evidence[0].location


class _NameRule(Rule):
    """Shared helpers of the FL3 rules (not a rule: no code)."""

    def candidates(self, model: ProjectModel) -> Iterator[tuple[str, list[PrivateEvidence], str]]:
        """(name, evidence, standing) for every private name, sorted by name."""
        evidence = private_evidence(model)
        mirrors = mirror_feeds(model)
        proxies = proxy_sources(model)
        public = publishes_publicly(model)
        from_pypi = locked_from_pypi(model)
        for name in sorted(evidence):
            found = evidence[name]
            kinds = {ev.kind for ev in found}
            if name in from_pypi and "lock" in kinds and kinds <= {"lock", "pin"}:
                # locked from PyPI and from a private feed: a marker split of a public
                # package (a pin alone against a PyPI lock entry is a stale lock: FL403)
                yield name, found, "public"
                continue
            yield name, found, standing(found, mirrors, public, proxies)

    @staticmethod
    def name_data(model: ProjectModel):  # -> Optional[feedlint.pypi.NameData]
        data = model.extras.get("pypi-names")
        return data if hasattr(data, "exists") else None


class UnprefixedPrivateName(_NameRule):
    """A private package whose name lacks every configured private prefix.

    What it detects
    ---------------
    A private package (locked from or pinned to a private index, published to a private
    feed, or listed in `private-packages`) whose PEP 503-normalised name does not start
    with any entry of `[tool.feedlint] private-prefixes`. The finding is at the name's
    declaration and says why the package counts as private.

    The rule is silent when `private-prefixes` is not configured: a naming convention is
    a policy the project opts into. A name whose only evidence is being locked from (or
    pinned to) a feed that mirrors a public index is reported only when the PyPI name data (loaded when FL302 or
    FL303 runs too) shows that it is absent from PyPI: otherwise it is most likely a
    public package.

    Why it is risky
    ---------------
    A prefix (`contoso-`) that the organisation reserves on PyPI makes every internal name
    un-squattable at once and recognisable in review. An unprefixed internal name
    (`billing-client`) is one someone else can register on PyPI, and one a misconfigured
    install (`pip install billing-client` without the private index) takes from there.

    How to fix
    ----------
    Rename the package with one of the private prefixes and reserve the prefix's names on
    PyPI (register placeholder projects), or, when renaming is not possible, pin the
    package to the private index with an explicit source everywhere it is installed. Add
    the prefix to `private-prefixes` when it is yours and merely missing from the list.

    Example
    -------
    ```toml
    # .feedlint.toml
    private-prefixes = ["contoso-"]
    # pyproject.toml
    [tool.poetry.dependencies]
    billing-client = { version = "^2.1", source = "contoso" }
    ```
    `pyproject.toml:3:1: FL301 private package 'billing-client' (pinned to 'contoso' ...)
    does not start with a private prefix (contoso-)`.
    """

    code = "FL301"
    name = "unprefixed-private-name"

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        config = config_of(model)
        prefixes = [normalize_name(p) for p in config.private_prefixes if p.strip()]
        if not prefixes:
            return
        data = self.name_data(model)
        shown = ", ".join(config.private_prefixes)
        for name, evidence, kind in self.candidates(model):
            if any(name.startswith(p) or name == p.rstrip("-") for p in prefixes):
                continue
            if kind == "public":
                continue
            if kind == "mirrored" and (data is None or data.exists(name) is not False):
                continue
            yield self.finding(
                place(model, name, evidence),
                f"private package '{name}' ({evidence[0].why}) does not start with a "
                f"private prefix ({shown})",
                "Rename it with one of the private prefixes and reserve that prefix's names "
                "on PyPI, or pin it to the private index with an explicit source wherever "
                "it is installed.",
            )


class PrivateNameOnPypi(_NameRule):
    """A private package name that also exists on PyPI.

    What it detects
    ---------------
    A private package whose PEP 503-normalised name is a registered PyPI project. It
    needs the PyPI name data: a cached project list (`feedlint names --update`, or any
    run with `--online`), else the rule is skipped with one notice. No private name is
    sent anywhere: the check is a look-up in the downloaded list of all PyPI names.

    Not reported: a name whose only evidence is being locked from, or pinned to, a feed
    that also serves well-known public packages (a mirror: the lock takes `requests` from
    it as well, or the project pins `torch` to it), and the project's own name when the
    tree also publishes it to PyPI. Declare internal names with `private-packages` or
    `private-prefixes` to have them checked anyway.

    Why it is risky
    ---------------
    Whoever controls that PyPI name can win any lookup that consults PyPI for it: pip with
    `--extra-index-url` takes the highest version from all indexes, a developer running
    `pip install NAME` without the private index gets the PyPI project, a lost source pin
    in an export does the same. This is how the 2021 dependency-confusion attacks and the
    2022 `torchtriton` compromise worked.

    How to fix
    ----------
    Make every install take the package from the private index only: Poetry
    `priority = "explicit"` plus `source = "..."`, uv an `explicit = true` index plus
    `[tool.uv.sources]`, pip a single `--index-url` (no `--extra-index-url`). Better,
    rename the package to a prefixed name you have reserved on PyPI. If the PyPI project
    is yours (a placeholder you registered), suppress the finding on that line.

    Example
    -------
    ```toml
    [tool.poetry.dependencies]
    utils-core = { version = "^1.4", source = "internal" }
    ```
    `pyproject.toml:2:1: FL302 private package 'utils-core' (pinned to 'internal' ...)
    also exists on PyPI`.
    """

    code = "FL302"
    name = "private-name-on-pypi"
    needs = frozenset({"pypi-names"})

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        data = self.name_data(model)
        if data is None:
            return
        for name, evidence, kind in self.candidates(model):
            if kind != "strong" or data.exists(name) is not True:
                continue
            yield self.finding(
                place(model, name, evidence),
                f"private package '{name}' ({evidence[0].why}) also exists on {data.label}: "
                "whoever controls that name can win any install that consults it",
                "Pin it to the private index with an explicit source everywhere it is "
                'installed (Poetry priority = "explicit", uv explicit = true, pip a single '
                "--index-url), or rename it to a prefixed name you have reserved on PyPI.",
            )


class PrivateNameUnclaimed(_NameRule):
    """A private package name that is not registered on PyPI and could be.

    What it detects
    ---------------
    A private package whose PEP 503-normalised name is absent from PyPI's project list
    and that PyPI would accept for registration. Names PyPI refuses are not reported (no
    finding, not even an informational one: nobody can claim them, so there is nothing to
    do): standard-library module names of any Python version, names that are not valid
    project names, and names "too similar" to an existing project by PyPI's confusable
    rule (remove `.`, `_` and `-`, map `o` to `0` and `l`/`i` to `1`, then compare).
    PyPI's other refusals (an administrator's prohibited list, its typo-squatting check
    against popular projects) cannot be known offline; such names are still reported.

    It needs the PyPI name data (`--online` or a cached list, see FL302); no private
    name is sent anywhere unless you opt in to per-name look-ups with `--pypi-lookup`
    (`pypi-lookup = true`), which confirm just before reporting that the name is still
    free and stand in for the list when it cannot be downloaded.

    Why it is risky
    ---------------
    Anyone can register the name on PyPI today, with a higher version number than yours.
    Every install that consults PyPI for it (an extra index, a missing index option, a
    lost source pin) then runs the attacker's code on developer machines and CI agents.

    How to fix
    ----------
    Register a placeholder project with that name on PyPI (an empty release owned by your
    organisation), or rename the package to a prefix you have reserved; and install it
    through an explicit-source setup (Poetry `priority = "explicit"` + `source`, uv
    `explicit = true` + `[tool.uv.sources]`, a single pip `--index-url`).

    Example
    -------
    ```text
    --index-url https://pkgs.dev.azure.com/contoso/_packaging/feed/pypi/simple/
    contoso-billing==2.1.0
    ```
    with `private-packages = ["contoso-billing"]`: `requirements.txt:2:1: FL303 private
    package 'contoso-billing' (listed in private-packages) is not registered on PyPI`.
    """

    code = "FL303"
    name = "private-name-unclaimed"
    needs = frozenset({"pypi-names"})

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        data = self.name_data(model)
        if data is None:
            return
        for name, evidence, kind in self.candidates(model):
            if kind == "public" or data.exists(name) is not False:
                continue
            if data.refusal(name):
                continue
            partial = (
                " (the confusable-name check needs the full list and was not made)"
                if data.names is None
                else ""
            )
            yield self.finding(
                place(model, name, evidence),
                f"private package '{name}' ({evidence[0].why}) is not registered on "
                f"{data.label}: anyone can register it there and win installs that consult "
                f"it{partial}",
                "Register a placeholder project of that name on PyPI (or rename it to a "
                "prefix you have reserved), and install it through an explicit-source setup.",
            )
