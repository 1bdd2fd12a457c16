"""The on-disk PyPI name cache and the parsing of project lists. No network here.

One index URL (``--pypi-url``) has two files in the cache directory, named after a hash
of the URL (so a URL with credentials never becomes a file name):

* ``pypi-names-<key>.txt.gz``: the PEP 503-normalised project names, sorted, one a line,
  gzip-compressed (about 3 MB for PyPI's ~700,000 names);
* ``pypi-names-<key>.json``: what the data is: the URL without credentials, the
  ``ETag`` and ``X-PyPI-Last-Serial`` of the response, when it was downloaded and last
  confirmed (``checked_at``, which drives ``cache-max-age``), the name count and the
  data file's SHA-256. A data file that does not match is ignored, never half-trusted.

Both are written to a temporary file and renamed into place, so a crash or a concurrent
run leaves either the old or the new pair; a mismatched pair (two runs interleaved) is
detected by the hash and simply downloaded again.

The cache directory is ``FEEDLINT_CACHE_DIR`` when set, else the platform's user cache
directory: ``%LOCALAPPDATA%\\feedlint\\Cache`` on Windows, ``~/Library/Caches/feedlint`` on
macOS, ``$XDG_CACHE_HOME/feedlint`` or ``~/.cache/feedlint`` elsewhere.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

from feedlint.urls import normalize_name, split_url

__all__ = [
    "CacheMeta",
    "IndexDataError",
    "NameList",
    "cache_dir",
    "display_url",
    "load_names",
    "parse_project_list",
    "save_names",
    "touch_names",
    "ultranormalize",
]

CACHE_FORMAT = 1
JSON_TYPE = "application/vnd.pypi.simple.v1+json"
_HTML_TYPES = ("text/html", "application/vnd.pypi.simple.v1+html")
_JSON_TYPES = (JSON_TYPE, "application/json")
#: a valid PEP 503-normalised project name (PyPI's name rule, lower-cased)
VALID_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
#: PyPI's "too similar" rule (warehouse ``ultranormalize_name``): drop ``.``/``_``/``-``,
#: map ``o`` to ``0`` and ``l``/``i`` to ``1`` (on lower-cased names).
_ULTRA = str.maketrans({"-": None, ".": None, "_": None, "o": "0", "l": "1", "i": "1"})
_ANCHOR = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_HTML_END = re.compile(rb"</(html|body)\s*>", re.IGNORECASE)


class IndexDataError(Exception):
    """A project list or cache file that cannot be used; the message says why in words
    fit for a notice (never a URL with credentials, never file content)."""


def ultranormalize(name: str) -> str:
    """PyPI's confusable-name key: ``Foo.l0-Bar`` -> ``f001bar``."""
    return name.lower().translate(_ULTRA)


def cache_dir() -> Path:
    """Where name data is cached (see the module docstring)."""
    env = os.environ.get("FEEDLINT_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "feedlint" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "feedlint"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base_dir = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base_dir / "feedlint"


def canonical_url(url: str) -> str:
    """The index URL as a cache key: stripped, with exactly one trailing slash."""
    return url.strip().rstrip("/") + "/"


def display_url(url: str) -> str:
    """``url`` without user-info, for messages and the cache's metadata."""
    parts = split_url(url.strip())
    if parts is None:
        return "(invalid URL)"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.host}{port}{parts.path}"


def _key(url: str) -> str:
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:20]


def cache_paths(url: str, directory: Optional[Path] = None) -> tuple[Path, Path]:
    """(metadata file, data file) for ``url``."""
    base = directory or cache_dir()
    key = _key(url)
    return base / f"pypi-names-{key}.json", base / f"pypi-names-{key}.txt.gz"


@dataclass
class CacheMeta:
    url: str
    etag: Optional[str]
    last_serial: Optional[int]
    fetched_at: float
    checked_at: float
    count: int
    sha256: str
    source_format: str  # "json" (PEP 691) or "html" (PEP 503)
    format: int = CACHE_FORMAT

    def age_hours(self, now: Optional[float] = None) -> float:
        return max(0.0, ((now or time.time()) - self.checked_at) / 3600.0)


class NameList:
    """The project names of one index, PEP 503-normalised.

    Membership is a set look-up; the confusable-name keys are computed on first use only
    (one ``str.translate`` over the whole list, then a set).
    """

    def __init__(self, text: str, meta: CacheMeta) -> None:
        self.meta = meta
        self._text = text
        self.names: frozenset[str] = frozenset(text.split("\n")) if text else frozenset()
        self._ultra: Optional[frozenset[str]] = None

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __len__(self) -> int:
        return len(self.names)

    def similar_exists(self, name: str) -> bool:
        """Whether an existing project has the same confusable-name key as ``name``
        (so PyPI would refuse to register ``name``)."""
        if self._ultra is None:
            self._ultra = frozenset(self._text.translate(_ULTRA).split("\n"))
        return ultranormalize(name) in self._ultra


# -- parsing ----------------------------------------------------------------------
def parse_project_list(body: bytes, content_type: str) -> tuple[list[str], str]:
    """The PEP 503-normalised names in a ``/simple/`` response and its format
    (``json`` or ``html``). Raises :class:`IndexDataError` for anything unusable."""
    ctype = content_type.split(";", 1)[0].strip().lower()
    head = body[:64].lstrip()
    if ctype in _JSON_TYPES or (not ctype and head.startswith(b"{")):
        return _parse_json(body), "json"
    if ctype in _HTML_TYPES or (not ctype and head[:1] == b"<"):
        return _parse_html(body), "html"
    shown = ctype or "none"
    raise IndexDataError(f"the server answered with an unexpected content type ({shown})")


def _parse_json(body: bytes) -> list[str]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise IndexDataError("the response is not valid JSON (truncated or garbled)") from None
    if not isinstance(data, dict) or not isinstance(data.get("projects"), list):
        raise IndexDataError("the JSON response has no `projects` list (not a PEP 691 index)")
    meta = data.get("meta")
    version = meta.get("api-version") if isinstance(meta, dict) else None
    if isinstance(version, str) and version.split(".", 1)[0] != "1":
        raise IndexDataError(f"unsupported PEP 691 api-version {version[:20]!r}")
    names = []
    for item in data["projects"]:
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str):
            raise IndexDataError("the JSON response has a project without a name")
        names.append(normalize_name(name.strip()))
    return names


def _parse_html(body: bytes) -> list[str]:
    if not _HTML_END.search(body[-4096:]) and not _HTML_END.search(body):
        raise IndexDataError("the HTML response is incomplete (no closing tag; truncated?)")
    text = body.decode("utf-8", errors="replace")
    names = []
    for match in _ANCHOR.finditer(text):
        label = html.unescape(_TAG.sub("", match.group(1))).strip()
        if label:
            names.append(normalize_name(label))
    return names


# -- cache files ------------------------------------------------------------------
def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def save_names(
    url: str,
    names: Iterable[str],
    *,
    etag: Optional[str] = None,
    last_serial: Optional[int] = None,
    source_format: str = "json",
    now: Optional[float] = None,
    directory: Optional[Path] = None,
) -> NameList:
    """Store ``names`` for ``url`` and return them loaded. Raises ``OSError`` when the
    cache cannot be written."""
    now = time.time() if now is None else now
    unique = sorted({n for n in names if n})
    text = "\n".join(unique)
    data = gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)
    meta = CacheMeta(
        url=display_url(url),
        etag=etag,
        last_serial=last_serial,
        fetched_at=now,
        checked_at=now,
        count=len(unique),
        sha256=hashlib.sha256(data).hexdigest(),
        source_format=source_format,
    )
    meta_path, data_path = cache_paths(url, directory)
    _write_atomic(data_path, data)
    _write_atomic(meta_path, json.dumps(asdict(meta), indent=1).encode("utf-8"))
    return NameList(text, meta)


def _read_meta(meta_path: Path) -> Optional[CacheMeta]:
    try:
        raw = json.loads(meta_path.read_bytes())
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError):
        raise IndexDataError("the cached name data is unreadable; it will be ignored") from None
    try:
        if raw.get("format") != CACHE_FORMAT:
            raise IndexDataError("the cached name data has an old format; it will be ignored")
        return CacheMeta(**raw)
    except (TypeError, AttributeError):
        raise IndexDataError("the cached name data is unreadable; it will be ignored") from None


def read_meta(url: str, directory: Optional[Path] = None) -> Optional[CacheMeta]:
    """The metadata of the cached names for ``url`` (``None`` when there is none)."""
    return _read_meta(cache_paths(url, directory)[0])


#: process-wide memo: data file -> (sha256, NameList), so several roots in one run (and
#: the benchmark's repeated checks) load and hash the list once
_MEMO: dict[str, tuple[str, NameList]] = {}


def load_names(url: str, directory: Optional[Path] = None) -> Optional[NameList]:
    """The cached names for ``url``, ``None`` when nothing is cached. Raises
    :class:`IndexDataError` when the cache exists but cannot be trusted."""
    meta_path, data_path = cache_paths(url, directory)
    meta = _read_meta(meta_path)
    if meta is None:
        return None
    memo = _MEMO.get(str(data_path))
    if memo is not None and memo[0] == meta.sha256:
        memo[1].meta = meta
        return memo[1]
    try:
        data = data_path.read_bytes()
    except OSError:
        raise IndexDataError("the cached name data is missing its data file") from None
    if hashlib.sha256(data).hexdigest() != meta.sha256:
        raise IndexDataError("the cached name data is damaged (checksum mismatch)")
    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile):
        raise IndexDataError("the cached name data is damaged (cannot decompress)") from None
    names = NameList(text, meta)
    if len(names) != meta.count:
        raise IndexDataError("the cached name data is damaged (wrong name count)")
    _MEMO[str(data_path)] = (meta.sha256, names)
    return names


def touch_names(
    names: NameList, url: str, *, now: Optional[float] = None, directory: Optional[Path] = None
) -> None:
    """Record that the cached list was confirmed current (HTTP 304)."""
    names.meta.checked_at = time.time() if now is None else now
    meta_path, _ = cache_paths(url, directory)
    _write_atomic(meta_path, json.dumps(asdict(names.meta), indent=1).encode("utf-8"))
