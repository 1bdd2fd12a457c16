"""Real local index servers for the PyPI name tests (127.0.0.1, free port, started and
stopped by the tests' fixtures).

* :class:`PypiServer` runs the real ``pypiserver`` WSGI application (serving a packages
  directory of wheels and sdists built here with ``zipfile``/``tarfile``) under
  ``wsgiref`` in a thread, behind a middleware that records every request, so tests can
  count requests on the server side.
* :class:`ScriptedIndex` is a tiny ``http.server`` for what pypiserver does not do: PEP
  691 JSON with an ETag (and ``304`` on ``If-None-Match``), errors, garbage, bodies cut
  short, slow answers.
"""

from __future__ import annotations

import contextlib
import io
import json
import socket
import socketserver
import tarfile
import threading
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Optional
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]


def build_wheel(directory: Path, name: str, version: str = "1.0") -> Path:
    """A minimal valid wheel for ``name`` (a package, METADATA, WHEEL, RECORD)."""
    dist = name.replace("-", "_").replace(".", "_")
    path = directory / f"{dist}-{version}-py3-none-any.whl"
    info = f"{dist}-{version}.dist-info"
    files = {
        f"{dist}/__init__.py": "",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{p},,\n" for p in files) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as zf:
        for member, text in files.items():
            zf.writestr(member, text)
        zf.writestr(f"{info}/RECORD", record)
    return path


def build_sdist(directory: Path, name: str, version: str = "1.0") -> Path:
    """A minimal sdist ``name-version.tar.gz`` with PKG-INFO."""
    path = directory / f"{name}-{version}.tar.gz"
    data = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    with tarfile.open(path, "w:gz") as tf:
        info = tarfile.TarInfo(f"{name}-{version}/PKG-INFO")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    return path


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class PypiServer:
    """The real pypiserver app on 127.0.0.1, counting requests."""

    def __init__(self, packages: Path) -> None:
        import pypiserver

        self.packages = packages
        self.seen: list[Seen] = []
        app = pypiserver.app(roots=[str(packages)], disable_fallback=True)

        def counting(environ: dict, start_response: Callable) -> Any:
            headers = {
                k[5:].replace("_", "-").lower(): v
                for k, v in environ.items()
                if k.startswith("HTTP_")
            }
            self.seen.append(Seen(environ["REQUEST_METHOD"], environ["PATH_INFO"], headers))
            return app(environ, start_response)

        self._server = make_server(
            "127.0.0.1",
            0,
            counting,
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler,
        )
        self.port = self._server.server_port
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        self.running = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/simple/"

    def paths(self) -> list[str]:
        return [s.path for s in self.seen]

    def stop(self) -> None:
        if self.running:
            self.running = False
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)


# -- scripted index -------------------------------------------------------------------
Responder = Callable[["_Handler"], None]


@dataclass
class ScriptedIndex:
    """An http.server whose ``/simple/`` answer is ``self.mode``:

    ``json`` (PEP 691 list of ``self.projects`` with ``self.etag``; ``304`` when the
    client's ``If-None-Match`` matches), ``status:<code>``, ``garbage`` (text claiming to
    be JSON), ``truncated`` (announces more bytes than it sends and closes),
    ``cut-json`` (a consistent Content-Length but half a JSON document), ``html-cut``
    (an HTML list without its closing tags), ``slow`` (sleeps ``self.delay`` seconds),
    ``empty`` (an empty project list), ``text`` (``text/plain``).
    ``/simple/<name>/`` answers 200 for names in ``self.projects``, else 404 (or
    ``self.lookup_status`` when set).
    """

    projects: list[str] = field(default_factory=list)
    mode: str = "json"
    etag: str = '"v1"'
    delay: float = 0.0
    lookup_status: Optional[int] = None
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        scripted = self

        class Handler(_Handler):
            index = scripted

        self._server = _QuietHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_port
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/simple/"

    def paths(self) -> list[str]:
        return [s.path for s in self.seen]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


class _QuietHTTPServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up on purpose (timeouts, cut bodies) are expected here


class _Handler(BaseHTTPRequestHandler):
    index: ScriptedIndex
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str, extra: Iterable = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in extra:
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        idx = self.index
        idx.seen.append(Seen("GET", self.path, {k.lower(): v for k, v in self.headers.items()}))
        if self.path != "/simple/":
            name = self.path.strip("/").split("/")[-1]
            if idx.lookup_status is not None:
                self._send(idx.lookup_status, b"", "text/plain")
            elif name in idx.projects:
                self._send(200, b'{"files": []}', "application/vnd.pypi.simple.v1+json")
            else:
                self._send(404, b"not found", "text/plain")
            return
        mode = idx.mode
        json_type = "application/vnd.pypi.simple.v1+json"
        listing = {
            "meta": {"api-version": "1.1", "_last-serial": 42},
            "projects": [{"name": n, "_last-serial": 1} for n in idx.projects],
        }
        if mode == "json":
            if self.headers.get("If-None-Match") == idx.etag:
                self.send_response(304)
                self.send_header("ETag", idx.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = json.dumps(listing).encode()
            self._send(200, body, json_type, [("ETag", idx.etag), ("X-PyPI-Last-Serial", "42")])
        elif mode.startswith("status:"):
            self._send(int(mode.split(":")[1]), b"<h1>error</h1>", "text/html")
        elif mode == "garbage":
            self._send(200, b"\x00\xffnot json at all {{{", json_type)
        elif mode == "text":
            self._send(200, b"acme-core\nother\n", "text/plain")
        elif mode == "cut-json":
            body = json.dumps(listing).encode()
            self._send(200, body[: len(body) // 2], json_type)
        elif mode == "html-cut":
            body = "".join(f'<a href="{n}/">{n}</a>\n' for n in idx.projects).encode()
            self._send(200, b"<!DOCTYPE html><html><body>\n" + body, "text/html")
        elif mode == "empty":
            listing["projects"] = []
            self._send(200, json.dumps(listing).encode(), json_type)
        elif mode == "truncated":
            body = json.dumps(listing).encode()
            self.send_response(200)
            self.send_header("Content-Type", json_type)
            self.send_header("Content-Length", str(len(body) + 5000))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif mode == "slow":
            time.sleep(idx.delay)
            with_body = json.dumps(listing).encode()
            with contextlib.suppress(OSError):
                self._send(200, with_body, json_type)
        else:  # pragma: no cover
            self._send(500, b"unknown mode", "text/plain")
