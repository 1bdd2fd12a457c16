"""The on-disk PyPI name cache and the parsing of project lists. No network here.

One index URL (``--pypi-url``) has two files in the cache directory, named after a hash
of the URL (so a URL with credentials never becomes a file name):

* ``pypi-names-<key>.dat``: two sorted key sections, each cut into blocks of
  :data:`BLOCK` keys that are zlib-compressed one by one: the PEP 503-normalised project
  names, then their confusable-name keys (:func:`ultranormalize`). About 6 MB for PyPI's
  ~700,000 names. A look-up bisects the block index, inflates one block (a few hundred
  microseconds) and bisects inside it, so a run that checks a handful of names reads the
  file but inflates a handful of blocks: no set of 700,000 strings is built per run.
* ``pypi-names-<key>.json``: what the data is: the URL without credentials, the
  ``ETag`` and ``X-PyPI-Last-Serial`` of the response, when it was downloaded and last
  confirmed (``checked_at``, which drives ``cache-max-age``), the name count, the block
  index of both sections and the data file's SHA-256. A data file that does not match is
  ignored, never half-trusted.

Both are written to a temporary file and renamed into place, so a crash or a concurrent
run leaves either the old or the new pair; a mismatched pair (two runs interleaved) is
detected by the hash and simply downloaded again.

The cache directory is ``FEEDLINT_CACHE_DIR`` when set, else the platform's user cache
directory: ``%LOCALAPPDATA%\\feedlint\\Cache`` on Windows, ``~/Library/Caches/feedlint`` on
macOS, ``$XDG_CACHE_HOME/feedlint`` or ``~/.cache/feedlint`` elsewhere.
"""

from __future__ import annotations

# hashlib and json are imported in the functions that use them: every run imports this
# module (through feedlint.pypi), most never touch the cache, and the two cost ~4 ms.
import bisect
import contextlib
import os
import re
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Optional

from feedlint.lazyre import lazy_compile
from feedlint.record import Record, asdict, field
from feedlint.urls import host_port, normalize_name, split_url

__all__ = [
    "CacheMeta",
    "IndexDataError",
    "NameList",
    "build_names",
    "cache_dir",
    "display_url",
    "load_names",
    "parse_project_list",
    "save_names",
    "touch_names",
    "ultranormalize",
]

CACHE_FORMAT = 2
#: keys per compressed block of a cache section
BLOCK = 512
JSON_TYPE = "application/vnd.pypi.simple.v1+json"
_HTML_TYPES = ("text/html", "application/vnd.pypi.simple.v1+html")
_JSON_TYPES = (JSON_TYPE, "application/json")
#: a valid PEP 503-normalised project name (PyPI's name rule, lower-cased)
VALID_NAME = lazy_compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
#: PyPI's "too similar" rule (warehouse ``ultranormalize_name``): drop ``.``/``_``/``-``,
#: map ``o`` to ``0`` and ``l``/``i`` to ``1`` (on lower-cased names).
_ULTRA = str.maketrans({"-": None, ".": None, "_": None, "o": "0", "l": "1", "i": "1"})
_ANCHOR = lazy_compile(r"<a\b[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_TAG = lazy_compile(r"<[^>]*>")
_HTML_END = lazy_compile(rb"</(html|body)\s*>", re.IGNORECASE)


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
    return f"{parts.scheme}://{host_port(parts)}{parts.path}"


def _key(url: str) -> str:
    import hashlib

    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:20]


def cache_paths(url: str, directory: Optional[Path] = None) -> tuple[Path, Path]:
    """(metadata file, data file) for ``url``."""
    base = directory or cache_dir()
    key = _key(url)
    return base / f"pypi-names-{key}.json", base / f"pypi-names-{key}.dat"


class CacheMeta(Record):
    url: str
    etag: Optional[str]
    last_serial: Optional[int]
    fetched_at: float
    checked_at: float
    count: int
    sha256: str
    source_format: str  # "json" (PEP 691) or "html" (PEP 503)
    #: section name -> [[first key, offset, length, key count], ...] (see the docstring)
    sections: dict[str, list[list]] = field(default_factory=dict)
    format: int = CACHE_FORMAT

    def age_hours(self, now: Optional[float] = None) -> float:
        return max(0.0, ((now or time.time()) - self.checked_at) / 3600.0)


class _Section:
    """Sorted unique keys stored as independently zlib-compressed blocks."""

    def __init__(self, blob: bytes, index: list[list]) -> None:
        self._blob = blob
        self._index = index
        self._firsts = [entry[0] for entry in index]
        self._blocks: dict[int, list[str]] = {}

    @staticmethod
    def encode(keys: list[str], offset: int) -> tuple[bytes, list[list]]:
        """(compressed blocks, index) for sorted unique ``keys`` placed at ``offset``."""
        parts: list[bytes] = []
        index: list[list] = []
        for start in range(0, len(keys), BLOCK):
            chunk = keys[start : start + BLOCK]
            data = zlib.compress("\n".join(chunk).encode("utf-8"), 6)
            index.append([chunk[0], offset, len(data), len(chunk)])
            parts.append(data)
            offset += len(data)
        return b"".join(parts), index

    @staticmethod
    def validate(index: object, size: int) -> int:
        """The key count of a well-formed ``index`` into a blob of ``size`` bytes;
        ``ValueError`` otherwise."""
        if not isinstance(index, list):
            raise ValueError("index")
        count, previous, end = 0, None, None
        for entry in index:
            if not (isinstance(entry, list) and len(entry) == 4):
                raise ValueError("index")
            first, offset, length, n = entry
            if not isinstance(first, str) or not all(
                isinstance(v, int) for v in (offset, length, n)
            ):
                raise ValueError("index")
            if (previous is not None and first <= previous) or (end is not None and offset != end):
                raise ValueError("index")
            if offset < 0 or length <= 0 or n <= 0 or offset + length > size:
                raise ValueError("index")
            previous, end, count = first, offset + length, count + n
        return count

    def _block(self, i: int) -> list[str]:
        block = self._blocks.get(i)
        if block is None:
            _, offset, length, count = self._index[i]
            try:
                text = zlib.decompress(self._blob[offset : offset + length]).decode("utf-8")
            except (zlib.error, UnicodeDecodeError):
                raise IndexDataError("the cached name data is damaged (bad block)") from None
            block = text.split("\n")
            if len(block) != count:
                raise IndexDataError("the cached name data is damaged (bad block)")
            self._blocks[i] = block
        return block

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        i = bisect.bisect_right(self._firsts, key) - 1
        if i < 0:
            return False
        block = self._block(i)
        j = bisect.bisect_left(block, key)
        return j < len(block) and block[j] == key

    def __iter__(self) -> Iterator[str]:
        for i in range(len(self._index)):
            yield from self._block(i)


class NameList:
    """The project names of one index, PEP 503-normalised, with their confusable keys.

    ``name in names`` and :meth:`similar_exists` inflate only the blocks they touch
    (:class:`IndexDataError` if the data turns out damaged); :meth:`__iter__` yields
    every name.
    """

    def __init__(self, blob: bytes, meta: CacheMeta) -> None:
        self.meta = meta
        try:
            sections = meta.sections
            names_index, ultra_index = sections["names"], sections["ultra"]
            count = _Section.validate(names_index, len(blob))
            _Section.validate(ultra_index, len(blob))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise IndexDataError("the cached name data is damaged (bad index)") from None
        if count != meta.count:
            raise IndexDataError("the cached name data is damaged (wrong name count)")
        self._names = _Section(blob, names_index)
        self._ultra = _Section(blob, ultra_index)

    @classmethod
    def build(cls, names: Iterable[str], meta: CacheMeta) -> tuple[NameList, bytes]:
        """Encode ``names`` (normalised) into a new list; ``meta`` gets the count and
        the section index. Returns the list and its data blob."""
        import hashlib

        keys = sorted({n for n in names if n})
        ultra = sorted({ultranormalize(n) for n in keys})
        names_blob, names_index = _Section.encode(keys, 0)
        ultra_blob, ultra_index = _Section.encode(ultra, len(names_blob))
        blob = names_blob + ultra_blob
        meta.count = len(keys)
        meta.sections = {"names": names_index, "ultra": ultra_index}
        meta.sha256 = hashlib.sha256(blob).hexdigest()
        return cls(blob, meta), blob

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __len__(self) -> int:
        return self.meta.count

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def similar_exists(self, name: str) -> bool:
        """Whether an existing project has the same confusable-name key as ``name``
        (so PyPI would refuse to register ``name``)."""
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
    import json

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
    import html  # only for an HTML project list

    names = []
    for match in _ANCHOR.finditer(text):
        label = html.unescape(_TAG.sub("", match.group(1))).strip()
        if label:
            names.append(normalize_name(label))
    return names


# -- cache files ------------------------------------------------------------------
def _write_atomic(path: Path, data: bytes) -> None:
    import tempfile  # only when writing: slow to import

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
    """Store ``names`` (PEP 503-normalised) for ``url`` and return them loaded. Raises
    ``OSError`` when the cache cannot be written."""
    import json

    names_list, blob = build_names(url, names, etag, last_serial, source_format, now)
    meta_path, data_path = cache_paths(url, directory)
    _write_atomic(data_path, blob)
    _write_atomic(meta_path, json.dumps(asdict(names_list.meta)).encode("utf-8"))
    _MEMO[str(data_path)] = (names_list.meta.sha256, names_list)
    return names_list


def build_names(
    url: str,
    names: Iterable[str],
    etag: Optional[str] = None,
    last_serial: Optional[int] = None,
    source_format: str = "json",
    now: Optional[float] = None,
) -> tuple[NameList, bytes]:
    """A :class:`NameList` (and its data) for ``url`` without touching the disk."""
    now = time.time() if now is None else now
    meta = CacheMeta(
        url=display_url(url),
        etag=etag,
        last_serial=last_serial,
        fetched_at=now,
        checked_at=now,
        count=0,
        sha256="",
        source_format=source_format,
    )
    return NameList.build(names, meta)


def _read_meta(meta_path: Path) -> Optional[CacheMeta]:
    import json

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
    import hashlib

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
    names = NameList(data, meta)
    _MEMO[str(data_path)] = (meta.sha256, names)
    return names


def touch_names(
    names: NameList, url: str, *, now: Optional[float] = None, directory: Optional[Path] = None
) -> None:
    """Record that the cached list was confirmed current (HTTP 304)."""
    import json

    names.meta.checked_at = time.time() if now is None else now
    meta_path, _ = cache_paths(url, directory)
    _write_atomic(meta_path, json.dumps(asdict(names.meta)).encode("utf-8"))
