"""The PyPI name index used by FL302/FL303: which private names exist on PyPI.

Policy (what happens when; the cache itself is :mod:`feedlint.namecache`, the HTTP
:mod:`feedlint.namefetch`):

* The data is the index's **full project list**, downloaded once and cached. Checking a
  name is then a local set look-up: **no private name leaves the machine**.
* **Offline** (the default; no ``--online`` and no ``online = true``): the cache is used
  as it is, without a request. With no cache, FL302/FL303 are skipped with one notice.
* **Online**: a cache younger than ``cache-max-age`` hours (default 24) is used without a
  request; an older one is refreshed with ``If-None-Match`` (a ``304`` only touches the
  metadata). No cache: one download.
* Anything that goes wrong (timeout, refused connection, HTTP error, a truncated, empty or
  non-JSON/HTML body, an implausibly short list for pypi.org) is a notice: a stale cache
  is then used (and said so), otherwise FL302/FL303 are skipped. Never a guess: a name is
  only "absent" when a complete list (or an explicit ``404``) says so.
* **Per-name look-ups** (``GET <pypi-url><name>/``) happen only when the user opts in with
  ``--pypi-lookup`` or ``pypi-lookup = true`` (and ``--online``): they confirm, just before
  FL303 reports a name as unclaimed, that it is still unregistered, and stand in for the
  list when it cannot be downloaded. Those requests do send the private names to the
  index; results are cached per index for ``cache-max-age`` hours.
* Only runs that need it pay for it: the engine calls :func:`prepare` only when FL302 or
  FL303 is selected, and :func:`prepare` loads nothing when the tree has no private package.

``feedlint names`` (:func:`names_command`) shows, refreshes (``--update``) and queries
(``--check NAME...``) the cache.
"""

from __future__ import annotations

import contextlib  # json is imported where used (start-up: see feedlint.namecache)
import time
from pathlib import Path
from typing import Any, Optional

from feedlint.config import config_of
from feedlint.model import ProjectModel
from feedlint.namecache import (
    VALID_NAME,
    IndexDataError,
    NameList,
    cache_dir,
    cache_paths,
    canonical_url,
    display_url,
    load_names,
    save_names,
    touch_names,
)
from feedlint.record import Record, field
from feedlint.stdlib_names import is_stdlib_name
from feedlint.urls import is_pypi

__all__ = ["NameData", "age_text", "lookup", "names_command", "obtain_names", "prepare"]

EXTRAS_KEY = "pypi-names"
#: index URL -> why its list could not be downloaded in this process: a run over many
#: roots tries once, not once per root (``force`` tries again)
_FAILURES: dict[str, str] = {}
#: pypi.org lists ~700,000 projects; a much shorter answer is an error page or a cut list
MIN_PYPI_PROJECTS = 100_000


def index_label(url: str) -> str:
    """``PyPI`` for pypi.org, otherwise the index URL without credentials."""
    return "PyPI" if is_pypi(url) else display_url(url)


class NameData(Record):
    """What FL302/FL303 read from ``model.extras["pypi-names"]``.

    ``names`` is the project list (``None`` when only per-name look-ups are available),
    ``lookups`` the per-name answers (``None`` = could not tell).
    """

    url: str
    names: Optional[NameList] = None
    lookups: dict[str, Optional[bool]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return index_label(self.url)

    def exists(self, name: str) -> Optional[bool]:
        """``True`` registered, ``False`` absent, ``None`` unknown (PEP 503 name)."""
        answer = self.lookups.get(name)
        if answer is not None:
            return answer
        if self.names is not None:
            try:
                return name in self.names
            except IndexDataError:
                return None
        return None

    def refusal(self, name: str) -> Optional[str]:
        """Why PyPI would refuse to register ``name`` (absent from the list), or ``None``.
        Mirrors warehouse's checks that can be known offline: a valid name, not a
        standard-library module, not confusable with an existing project."""
        if not VALID_NAME.match(name):
            return "it is not a valid project name"
        if is_stdlib_name(name):
            return "it is a standard-library module name"
        if self.names is not None:
            try:
                similar = self.names.similar_exists(name)
            except IndexDataError:
                return "the name data is damaged"  # unknown: never claim "unclaimed"
            if similar:
                return "it is too similar to an existing project"
        return None


def age_text(hours: float) -> str:
    if hours < 1:
        return "less than an hour"
    if hours < 48:
        return f"{int(hours)} hours"
    return f"{int(hours // 24)} days"


def obtain_names(
    url: str,
    *,
    online: bool,
    max_age_hours: float,
    force: bool = False,
    conditional: bool = True,
    progress: Any = None,
) -> tuple[Optional[NameList], list[str]]:
    """The project list of ``url`` under the policy of the module docstring, and the
    notices to show. ``force`` refreshes (online) whatever the cache's age;
    ``conditional=False`` downloads the whole list even when the ETag still matches."""
    label = index_label(url)
    notices: list[str] = []
    try:
        cached = load_names(url)
    except IndexDataError as exc:
        cached = None
        notices.append(f"{exc} ({cache_paths(url)[0].parent})")
    if not online:
        if cached is None:
            notices.append(
                f"FL302/FL303 skipped: no {label} name data is cached; run with --online "
                "(or `feedlint names --update`) once to download the project list"
            )
            return None, notices
        age = cached.meta.age_hours()
        if max_age_hours > 0 and age > max_age_hours:
            notices.append(
                f"the cached {label} name data is {age_text(age)} old; "
                "refresh it with --online or `feedlint names --update`"
            )
        return cached, notices
    if cached is not None and not force and cached.meta.age_hours() <= max_age_hours:
        return cached, notices
    from feedlint.namefetch import FetchError, fetch_project_list

    key = canonical_url(url)
    try:
        if key in _FAILURES and not force:
            raise FetchError(_FAILURES[key])
        etag = cached.meta.etag if cached is not None and conditional else None
        got = fetch_project_list(url, etag, progress)
        if got.names is not None:
            if is_pypi(url) and len(set(got.names)) < MIN_PYPI_PROJECTS:
                raise FetchError(f"the list is implausibly short ({len(got.names)} projects)")
            if not got.names:
                raise FetchError("the index listed no projects")
    except FetchError as exc:
        _FAILURES[key] = str(exc)
        if cached is not None:
            notices.append(
                f"could not refresh the {label} name data ({exc}); using the cached copy "
                f"from {age_text(cached.meta.age_hours())} ago"
            )
            return cached, notices
        notices.append(f"FL302/FL303 skipped: could not download the {label} project list ({exc})")
        return None, notices
    _FAILURES.pop(key, None)
    names = got.names
    try:
        if names is None:  # 304 Not Modified (only asked for with a cached ETag)
            if cached is not None:
                touch_names(cached, url)
            return cached, notices
        saved = save_names(
            url, names, etag=got.etag, last_serial=got.last_serial, source_format=got.source_format
        )
        return saved, notices
    except OSError as exc:
        notices.append(f"could not write the name cache in {cache_dir()} ({exc.strerror or exc})")
        if names is None:
            return cached, notices
        return _in_memory(url, names, got.source_format), notices


def _in_memory(url: str, names: list[str], source_format: str) -> NameList:
    """A list that could not be cached, for this run only."""
    from feedlint.namecache import build_names

    return build_names(url, names, source_format=source_format)[0]


# -- per-name look-ups (opt-in) ----------------------------------------------------------
def _lookup_cache_path(url: str) -> Path:
    meta_path, _ = cache_paths(url)
    return meta_path.with_name(meta_path.name.replace("pypi-names-", "pypi-lookups-"))


def _read_lookups(url: str, max_age_hours: float) -> dict[str, bool]:
    import json

    try:
        raw = json.loads(_lookup_cache_path(url).read_bytes())
        results = raw["results"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    now = time.time()
    out: dict[str, bool] = {}
    if not isinstance(results, dict):
        return out
    for name, value in results.items():
        if (
            isinstance(value, list)
            and len(value) == 2
            and isinstance(value[0], bool)
            and isinstance(value[1], (int, float))
            and (now - value[1]) / 3600.0 <= max_age_hours
        ):
            out[name] = value[0]
    return out


def _write_lookups(url: str, fresh: dict[str, bool]) -> None:
    import json

    from feedlint.namecache import _write_atomic

    path = _lookup_cache_path(url)
    try:
        raw = json.loads(path.read_bytes())
        results = raw.get("results", {}) if isinstance(raw, dict) else {}
    except (OSError, ValueError):
        results = {}
    now = time.time()
    results.update({name: [value, now] for name, value in fresh.items()})
    payload = {"format": 1, "url": display_url(url), "results": results}
    with contextlib.suppress(OSError):
        _write_atomic(path, json.dumps(payload).encode("utf-8"))


def lookup(
    url: str, names: list[str], max_age_hours: float, progress: Any = None
) -> tuple[dict[str, Optional[bool]], list[str]]:
    """Per-name answers for ``names`` (cached ones reused), and notices."""
    from feedlint.namefetch import lookup_names

    cached = _read_lookups(url, max_age_hours)
    out: dict[str, Optional[bool]] = {n: cached[n] for n in names if n in cached}
    todo = [n for n in names if n not in cached]
    notices: list[str] = []
    if todo:
        fresh = lookup_names(url, todo, progress)
        out.update(fresh)
        _write_lookups(url, {n: v for n, v in fresh.items() if v is not None})
        failed = sum(1 for v in fresh.values() if v is None)
        if failed:
            notices.append(
                f"{failed} of {len(todo)} per-name look-ups at {index_label(url)} got no clear "
                "answer; those names were not reported"
            )
    return out, notices


# -- the engine hook ---------------------------------------------------------------------
def prepare(model: ProjectModel, options: Any) -> list[str]:
    """Load the name data FL302/FL303 need into ``model.extras["pypi-names"]``.

    Called by the engine (``Rule.needs = {"pypi-names"}``); returns notices. Does nothing
    (and says nothing) when the tree has no private package.
    """
    from feedlint.private import private_packages

    private = private_packages(model)
    if not private:
        return []
    config = config_of(model)
    url = config.pypi_url
    opt_lookup = getattr(options, "pypi_lookup", None)
    want_lookup = opt_lookup if opt_lookup is not None else config.pypi_lookup
    names, notices = obtain_names(url, online=config.online, max_age_hours=config.cache_max_age)
    data = NameData(url, names)
    if want_lookup:
        if not config.online:
            notices.append("--pypi-lookup has no effect without --online (no name was sent)")
        else:
            candidates = sorted(n for n in private if names is None or n not in names)
            data.lookups, more = lookup(url, candidates, config.cache_max_age)
            notices.extend(more)
    if data.names is not None or any(v is not None for v in data.lookups.values()):
        model.extras[EXTRAS_KEY] = data
    return notices


# -- feedlint names ----------------------------------------------------------------------
def names_command(argv: list[str]) -> int:
    """``feedlint names ...`` (see :mod:`feedlint.namescli`)."""
    from feedlint.namescli import names_command as run

    return run(argv)
