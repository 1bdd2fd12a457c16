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
from typing import Optional

from feedlint.config import Config, config_of
from feedlint.lazyre import lazy_compile
from feedlint.model import (
    IndexRef,
    IndexRole,
    Installer,
    Location,
    PackageRef,
    ProjectModel,
    PublishTarget,
)
from feedlint.record import Record
from feedlint.redact import redact_url
from feedlint.urls import index_class, norm_url, normalize_name

__all__ = [
    "PUBLIC_MARKERS",
    "PrivateEvidence",
    "is_private_url",
    "locked_from_pypi",
    "mirror_feeds",
    "mirror_serving",
    "private_evidence",
    "private_packages",
    "proxy_sources",
    "publishes_publicly",
    "source_url",
    "standing",
]

_PUBLIC_REPOSITORY_NAMES = frozenset({"pypi", "testpypi", "test-pypi", "pypitest"})
_INDEX_SOURCE_TYPES = frozenset({None, "", "legacy", "registry", "index", "pypi", "simple"})


class PrivateEvidence(Record, frozen=True):
    """Why a package counts as private: ``why`` is a short phrase for messages
    (``locked from feed (poetry.lock:12)``), ``location`` where that is written,
    ``index_url`` the private index when known. ``kind`` says which definition applies:
    ``lock`` (a lock file's source), ``pin`` (a source pin), ``include`` (PDM
    ``include_packages``), ``publish`` (the project's own name, published privately),
    ``config`` (``private-packages``) or ``prefix`` (``private-prefixes``)."""

    name: str
    why: str
    location: Location
    index_url: Optional[str] = None
    kind: str = ""


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


#: words that mark a repository name as a private one even when it mentions PyPI
#: (Artifactory's ``pypi-local``, ``internal-pypi`` ...)
_PRIVATE_REPO_WORDS = lazy_compile(
    r"internal|private|local|remote|virtual|corp|company|artifactory|nexus|jfrog|gitlab"
    r"|codeartifact|feed|mirror|proxy|devpi|fury|azure"
)


def _repository_urls(model: ProjectModel) -> dict[str, str]:
    """Repository name (lower-case) -> upload URL, from targets that give one (a
    ``.pypirc`` section, ``poetry config repositories.X``)."""
    out: dict[str, str] = {}
    for target in model.publish_targets:
        if target.name and target.url:
            out.setdefault(target.name.lower(), target.url)
    return out


def _target_is_private(target: PublishTarget, urls: dict[str, str], config: Config) -> bool:
    """Whether an upload target is a private feed. A target given by name only
    (``twine upload -r X``, ``poetry publish -r X``, a ``TwineAuthenticate`` feed or
    service connection) takes the URL another file gives that name; without one, a name
    that says PyPI (``pypi``, ``testpypi``, an Azure service connection ``PyPI Upload``)
    and no private word is public, any other name private."""
    url = target.url or (urls.get(target.name.lower()) if target.name else None)
    if url:
        return is_private_url(url, config)
    name = (target.name or "").lower()
    if not name:
        return False
    if name in _PUBLIC_REPOSITORY_NAMES:
        return False
    return not ("pypi" in name and not _PRIVATE_REPO_WORDS.search(name))


def _publishes_privately(model: ProjectModel, config: Config) -> Optional[tuple[str, Location]]:
    urls = _repository_urls(model)
    for target in model.publish_targets:
        if not _target_is_private(target, urls, config):
            continue
        if target.url:
            return f"published to {redact_url(target.url)}", target.location
        return f"published to repository '{target.name}'", target.location
    return None


def private_packages(model: ProjectModel) -> dict[str, PrivateEvidence]:
    """Every private package name (PEP 503-normalised) with the first evidence found.

    Cached in ``model.extras`` (the model does not change once rules run).
    """
    cached = model.extras.get("private-packages")
    if isinstance(cached, dict):
        return cached
    out = {name: evidence[0] for name, evidence in private_evidence(model).items()}
    model.extras["private-packages"] = out
    return out


def private_evidence(model: ProjectModel) -> dict[str, list[PrivateEvidence]]:
    """Every private package name (PEP 503-normalised) with *all* its evidence, in the
    order :func:`private_packages` considers it (its first item is that function's answer).

    Rules that weigh evidence (a name only locked from a feed that mirrors PyPI is weaker
    than a source pin or a ``private-packages`` entry) use this. Cached in ``model.extras``.
    """
    cached = model.extras.get("private-evidence")
    if isinstance(cached, dict):
        return cached
    config = config_of(model)
    sources = named_sources(model)
    out: dict[str, list[PrivateEvidence]] = {}
    verdicts: dict[str, bool] = {}  # one classification per distinct URL (locks repeat it)

    def private_url(url: Optional[str]) -> bool:
        if not url:
            return False
        if url not in verdicts:
            verdicts[url] = is_private_url(url, config)
        return verdicts[url]

    def add(
        name: str, why: str, location: Location, url: Optional[str] = None, kind: str = ""
    ) -> None:
        evidence = PrivateEvidence(name, why, location, url, kind)
        items = out.setdefault(name, [])
        if evidence not in items:
            items.append(evidence)

    packages = model.packages
    for pkg in packages:
        if pkg.kind == "lock" or pkg.source:
            url = source_url(model, pkg, sources)
            if private_url(url):
                verb = "locked from" if pkg.kind == "lock" else "pinned to"
                label = pkg.source or url
                add(
                    pkg.name,
                    f"{verb} '{label}' ({pkg.location.path}:{pkg.location.line})",
                    pkg.location,
                    url,
                    "lock" if pkg.kind == "lock" else "pin",
                )
    # PDM include_packages: globs of names served by a (private) source
    for setting in model.settings:
        if setting.key == "include-packages" and isinstance(setting.value, list):
            ref = sources.get((setting.installer, setting.subject.lower()))
            if ref is not None and private_url(ref.url):
                patterns = [normalize_name(str(p)) for p in setting.value]
                for name in dict.fromkeys(pkg.name for pkg in packages):  # each name once
                    if any(fnmatch.fnmatchcase(name, p) for p in patterns):
                        add(
                            name,
                            f"included from source '{setting.subject}'",
                            setting.location,
                            ref.url,
                            "include",
                        )
    published = _publishes_privately(model, config)
    if published:
        for pkg in packages:
            if pkg.kind == "project":
                add(
                    pkg.name,
                    f"the project's own name, {published[0]}",
                    pkg.location,
                    kind="publish",
                )
    declared = {normalize_name(n) for n in config.private_packages}
    prefixes = [normalize_name(p) for p in config.private_prefixes]
    for pkg in packages:
        if pkg.name in declared:
            add(pkg.name, "listed in private-packages", pkg.location, kind="config")
        elif any(pkg.name.startswith(p) for p in prefixes):
            add(pkg.name, "matches a private prefix", pkg.location, kind="prefix")
    model.extras["private-evidence"] = out
    return out


def publishes_publicly(model: ProjectModel) -> bool:
    """Whether the project also uploads to PyPI (or TestPyPI): a ``.pypirc`` ``[pypi]``
    section, ``twine upload`` to a PyPI URL, a ``PyPI`` service connection. Its own name
    on PyPI is then most likely its own."""
    config = config_of(model)
    urls = _repository_urls(model)
    for target in model.publish_targets:
        url = target.url or (urls.get(target.name.lower()) if target.name else None)
        if url:
            if index_class(url, config.private_indexes, config.public_mirrors) == "pypi":
                return True
        elif target.name and not _target_is_private(target, urls, config):
            return True
    return False


# -- feeds that mirror PyPI ------------------------------------------------------------
#: Public projects no private-only feed serves: a feed a lock takes one of these from, or
#: a source the project pins one of these to, mirrors a public index (PyPI, or the
#: PyTorch index behind an Artifactory remote). Among the most downloaded PyPI projects
#: and the big ML families; all normalised.
PUBLIC_MARKERS = frozenset(
    """
    aiohappyeyeballs aiohttp aiosignal annotated-types anyio asgiref async-timeout attrs
    babel beautifulsoup4 black blinker boto3 botocore cachetools certifi cffi cfgv
    charset-normalizer click colorama contourpy coverage cryptography cycler decorator
    distlib distro django docutils et-xmlfile exceptiongroup fastapi filelock flask
    fonttools frozenlist fsspec google-api-core google-auth googleapis-common-protos
    greenlet grpcio gunicorn h11 httpcore httpx huggingface-hub identify idna
    importlib-metadata iniconfig isort itsdangerous jax jaxlib jinja2 jmespath joblib
    jsonschema kiwisolver lxml markdown-it-py markupsafe matplotlib mdurl more-itertools
    mpmath multidict mypy mypy-extensions networkx nodeenv numpy oauthlib openpyxl
    packaging pandas pathspec pillow pip platformdirs pluggy pre-commit prompt-toolkit
    propcache protobuf psutil psycopg2-binary pyasn1 pyasn1-modules pycparser pydantic
    pydantic-core pygments pyjwt pyparsing pytest pytest-cov python-dateutil
    python-dotenv pytz pyyaml redis regex requests rich rsa ruff s3transfer
    scikit-learn scipy setuptools six sniffio soupsieve sqlalchemy starlette sympy
    tenacity tensorflow threadpoolctl tomli torch torchaudio torchvision tqdm triton
    typing-extensions typing-inspection tzdata urllib3 uvicorn virtualenv wcwidth
    websockets werkzeug wheel wrapt yarl zipp
    """.split()
)

#: evidence kinds that say "this name is ours" on their own
_STRONG = frozenset({"include", "config", "prefix"})


def mirror_serving(model: ProjectModel) -> dict[str, str]:
    """Private index URL -> a well-known public package (:data:`PUBLIC_MARKERS`) that some
    lock takes from it or the project pins to it: such a feed mirrors a public index
    (Azure Artifacts upstreams, an Artifactory remote or virtual repository, a Nexus
    proxy), so what it serves is not private by that alone. Cached in ``model.extras``."""
    cached = model.extras.get("mirror-feeds")
    if isinstance(cached, dict):
        return cached
    evidence = private_evidence(model)
    out: dict[str, str] = {}
    for name in sorted(PUBLIC_MARKERS.intersection(evidence)):
        for ev in evidence[name]:
            if ev.kind in ("lock", "pin") and ev.index_url:
                out.setdefault(ev.index_url, name)
    model.extras["mirror-feeds"] = out
    return out


def mirror_feeds(model: ProjectModel) -> set[str]:
    """The normalised URLs (:func:`feedlint.urls.norm_url`) of the private indexes that
    :func:`mirror_serving` finds mirroring a public index."""
    return {norm_url(url) for url in mirror_serving(model)}


def proxy_sources(model: ProjectModel) -> set[str]:
    """The normalised URLs of the sources the project *pins* a well-known public package
    to (``torch = { source = "pytorch-proxy" }``): proxies of a public index, so a pin to
    one says "public build from there", not "ours". (A feed that is a mirror only by the
    lock, such as a default index with PyPI upstreams, keeps its pins strong: pinning a
    name to the feed that serves everything anyway is a deliberate "this one is ours".)"""
    evidence = private_evidence(model)
    return {
        norm_url(ev.index_url)
        for name in PUBLIC_MARKERS.intersection(evidence)
        for ev in evidence[name]
        if ev.kind == "pin" and ev.index_url
    }


def standing(
    evidence: list[PrivateEvidence],
    mirrors: set[str],
    public_publisher: bool,
    proxies: Optional[set[str]] = None,
) -> str:
    """``strong`` (surely ours), ``mirrored`` (only locked from a feed that mirrors a
    public index, :func:`mirror_feeds`, or pinned to a proxy of one,
    :func:`proxy_sources`) or ``public`` (only the project's own name, which it also
    publishes to PyPI)."""
    kinds = {ev.kind for ev in evidence}
    if kinds & _STRONG:
        return "strong"
    proxies = proxies or set()
    served = [ev for ev in evidence if ev.kind in ("lock", "pin")]

    def weak(ev: PrivateEvidence) -> bool:
        if not ev.index_url:
            return False
        key = norm_url(ev.index_url)
        return key in proxies or (ev.kind == "lock" and key in mirrors)

    if not all(weak(ev) for ev in served):
        return "strong"
    if "publish" in kinds and not public_publisher:
        return "strong"
    if served:
        return "mirrored"
    if "publish" in kinds:
        return "public"
    return "strong"  # evidence of a kind this module does not know: trust it


#: lock source types that name an index (the others are direct references or paths)
_LOCK_INDEX_TYPES = frozenset({None, "", "legacy", "registry", "pypi", "index", "simple"})


def locked_from_pypi(model: ProjectModel) -> set[str]:
    """Names some lock takes from PyPI (or a public mirror of it): a poetry.lock entry
    without ``[package.source]``, a uv.lock ``registry`` of PyPI, a Pipfile.lock entry
    whose ``index`` is PyPI. Such a name is public, even when the same lock also takes
    it from a private source for some environments (a marker split such as
    ``zstd = [{python = "<3.12"}, {python = ">=3.12", source = "chia"}]``). Pipfile.lock
    entries without ``index`` and pdm.lock entries say nothing. Cached."""
    cached = model.extras.get("locked-from-pypi")
    if isinstance(cached, set):
        return cached
    config = config_of(model)
    sources = named_sources(model)
    out: set[str] = set()
    for pkg in model.packages:
        if pkg.kind != "lock" or pkg.source_type not in _LOCK_INDEX_TYPES:
            continue
        url = source_url(model, pkg, sources)
        if url is None:
            if pkg.installer == Installer.POETRY and not pkg.source:
                out.add(pkg.name)
        elif index_class(url, config.private_indexes, config.public_mirrors) in (
            "pypi",
            "public-mirror",
        ):
            out.add(pkg.name)
    model.extras["locked-from-pypi"] = out
    return out
