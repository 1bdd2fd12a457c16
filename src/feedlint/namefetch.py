"""Network access for the PyPI name checks: the one place feedlint talks HTTP.

* :func:`fetch_project_list` downloads the full project list of an index once
  (``GET <pypi-url>`` with ``Accept: application/vnd.pypi.simple.v1+json``, PEP 691, and
  the PEP 503 HTML list as a fallback for servers that only speak HTML, e.g. pypiserver),
  conditionally (``If-None-Match``) when a cached copy has an ``ETag``.
* :func:`lookup_names` asks ``<pypi-url><name>/`` for individual names, with bounded
  concurrency. It sends the names it is given to the index, so callers use it only when
  the user opted in (``--pypi-lookup``).

httpx is imported inside these functions only. Every failure (DNS, refused connection,
timeout, TLS, HTTP status, a body cut short, garbage) becomes :class:`FetchError` with a
short reason fit for a notice: never the URL's credentials, never a traceback.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Optional

from feedlint import __version__
from feedlint.namecache import JSON_TYPE, IndexDataError, canonical_url, parse_project_list
from feedlint.record import Record

__all__ = ["FetchError", "Fetched", "fetch_project_list", "lookup_names"]

USER_AGENT = f"feedlint/{__version__} (+https://github.com/feedlint/feedlint; PyPI name check)"
ACCEPT = f"{JSON_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1"
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
#: wall-clock limit for the whole list download (PyPI's list is ~30 MB of JSON)
LIST_DEADLINE = 600.0
LOOKUP_TIMEOUT = 15.0
LOOKUP_WORKERS = 8
#: refuse bodies larger than this (decoded): no index has a list that large
MAX_BODY = 512 * 1024 * 1024

#: progress callback: (bytes downloaded so far, total bytes or 0 when unknown)
Progress = Callable[[int, int], None]


class FetchError(Exception):
    """The index could not be used; ``str()`` is a short reason for a notice."""


class Fetched(Record):
    """A project list response: ``names`` is ``None`` for ``304 Not Modified``."""

    names: Optional[list[str]]
    etag: Optional[str]
    last_serial: Optional[int]
    source_format: str


def _client(timeout: float, follow_redirects: bool, limit: int = 1) -> Any:
    import httpx

    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=CONNECT_TIMEOUT),
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        follow_redirects=follow_redirects,
        limits=httpx.Limits(max_connections=limit, max_keepalive_connections=limit),
    )


def _reason(exc: BaseException) -> str:
    """A short description of an httpx/OS error, without its text (which may quote the
    URL and so a credential)."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection closed early (truncated response)"
    if isinstance(exc, httpx.DecodingError):
        return "the response could not be decoded (garbled compression)"
    if isinstance(exc, (httpx.ConnectError, ConnectionError)):
        return "could not connect"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "not an http(s) URL"
    if isinstance(exc, httpx.InvalidURL):
        return "invalid URL"
    if isinstance(exc, ValueError):
        return "invalid response"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    return f"network error ({type(exc).__name__})"


def _serial(value: Optional[str]) -> Optional[int]:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def fetch_project_list(
    url: str, etag: Optional[str] = None, progress: Optional[Progress] = None
) -> Fetched:
    """Download the project list of the index at ``url`` (see the module docstring)."""
    import httpx

    headers = {"If-None-Match": etag} if etag else {}
    started = time.monotonic()
    try:
        with (
            _client(READ_TIMEOUT, follow_redirects=True) as client,
            client.stream("GET", canonical_url(url), headers=headers) as resp,
        ):
            if resp.status_code == 304 and etag:
                return Fetched(None, resp.headers.get("etag") or etag, None, "")
            if resp.status_code != 200:
                raise FetchError(f"HTTP {resp.status_code}")
            total = _serial(resp.headers.get("content-length")) or 0
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BODY:
                    raise FetchError("the response is implausibly large")
                if time.monotonic() - started > LIST_DEADLINE:
                    raise FetchError("timed out")
                if progress is not None:
                    progress(resp.num_bytes_downloaded, total)
            body = b"".join(chunks)
            ctype = resp.headers.get("content-type", "")
            new_etag = resp.headers.get("etag")
            serial = _serial(resp.headers.get("x-pypi-last-serial"))
    except FetchError:
        raise
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, OSError, ValueError) as exc:
        raise FetchError(_reason(exc)) from None
    try:
        names, fmt = parse_project_list(body, ctype)
    except IndexDataError as exc:
        raise FetchError(str(exc)) from None
    return Fetched(names, new_etag, serial, fmt)


def _lookup_one(client: Any, base: str, name: str) -> Optional[bool]:
    import httpx

    try:
        resp = client.get(f"{base}{name}/")
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, OSError, ValueError):
        return None
    if resp.status_code == 200:
        return True
    if resp.status_code in (404, 410):
        return False
    return None  # 3xx (not followed: a fallback redirect may point at another host), 5xx, 401


def lookup_names(
    url: str, names: Iterable[str], progress: Optional[Progress] = None
) -> dict[str, Optional[bool]]:
    """Whether each name exists at the index (``None``: could not tell).

    Sends every name in ``names`` to ``url``: only for users who opted in. Redirects are
    not followed (a pypiserver "fallback" would forward the name to another host).
    """
    todo = sorted(set(names))
    out: dict[str, Optional[bool]] = {}
    if not todo:
        return out
    base = canonical_url(url)
    try:
        with (
            _client(LOOKUP_TIMEOUT, follow_redirects=False, limit=LOOKUP_WORKERS) as client,
            ThreadPoolExecutor(max_workers=LOOKUP_WORKERS) as pool,
        ):
            for i, (name, result) in enumerate(
                zip(todo, pool.map(lambda n: _lookup_one(client, base, n), todo)), 1
            ):
                out[name] = result
                if progress is not None:
                    progress(i, len(todo))
    except (ValueError, OSError):
        return {n: out.get(n) for n in todo}
    return out
