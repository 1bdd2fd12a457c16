"""Regenerate the FL401/FL402/FL403 fixture trees with the real tools.

Nothing in ``tests/fixtures/FL40x/<case>/`` except ``expected.txt`` (and
``.feedlint.toml`` where a case configures feedlint) is typed by hand: every
pyproject.toml, lock file and exported requirements file is written by poetry or uv.

What the script does
--------------------
1. Builds a few small wheels by hand (a zip with ``METADATA``, ``WHEEL`` and ``RECORD``,
   fixed timestamps so their hashes never change) for two private feeds:
   ``internal`` (``contoso-core`` 1.0.0 and 1.1.0, ``contoso-utils`` 0.3.0 which needs
   ``contoso-core``) and ``platform`` (``contoso-core`` 1.0.0, a different build, and
   ``contoso-platform-sdk`` 2.0.0).
2. Serves each feed with its own ``pypi-server`` on 127.0.0.1 (a free port, fallback to
   PyPI disabled, so a feed serves only what it holds).
3. For each case, writes a project in a temporary directory and runs the real
   ``poetry lock`` / ``poetry export`` (poetry-plugin-export; with and without hashes;
   Poetry 2.x, and Poetry 1.8 / 1.1 for the older lock formats), ``uv lock`` /
   ``uv export`` (with and without ``--emit-index-url``) and ``pipenv lock`` /
   ``pipenv requirements``. (PDM could not be run here: its HTTP stack fails to import
   with the current httpx/hishel releases; tests/test_exports.py models a pdm pair.) Cases that need a *stale* file
   reproduce how one goes stale: export, then change pyproject.toml (and re-lock), keep
   the old export.
4. Copies the results into the case folder, rewriting the local server URLs.

Public packages (``six``, ``iniconfig``) come from the real PyPI, pinned to old exact
versions, as a project would get them (the tools' ordinary use of PyPI).

The URL rewrite
---------------
The local servers listen on ``http://127.0.0.1:<random port>/``. In every copied file
(pyproject, lock, export) the script replaces, consistently:

* ``http://127.0.0.1:<internal port>/`` -> ``https://pkgs.dev.azure.com/contoso/_packaging/internal/pypi/``
* ``http://127.0.0.1:<platform port>/`` -> ``https://pkgs.dev.azure.com/contoso/_packaging/platform/pypi/``

so ``.../simple/`` stays the index and ``.../packages/x.whl`` a file URL of that feed
(poetry.lock's ``content-hash`` still covers the local URL, so ``poetry check --lock``
would call these locks stale; feedlint does not read that hash). A
``--trusted-host 127.0.0.1:<port>`` line that poetry export writes for an ``http://``
source is dropped, since with the ``https://`` URL it would not have been written.
Nothing else is changed.

Usage (needs network to PyPI to install the tools and resolve the public packages)::

    python3 -m venv /tmp/fixture-tools-venv
    /tmp/fixture-tools-venv/bin/pip install poetry poetry-plugin-export uv pipenv
    python3 -m venv /tmp/fixture-tools-venv-poetry18       # lock-version 2.0
    /tmp/fixture-tools-venv-poetry18/bin/pip install "poetry==1.8.5" "poetry-plugin-export==1.8.0"
    /root/.pyenv/versions/3.8.18/bin/python -m venv /tmp/fixture-tools-venv-poetry11  # lock 1.1
    /tmp/fixture-tools-venv-poetry11/bin/pip install "poetry==1.1.15"
    python tests/tools/make_export_fixtures.py [--only CASE-SUBSTRING]

The tools are never installed into feedlint's own environment: ``--tools`` (default
``/tmp/fixture-tools-venv``) names the venv; ``pypi-server`` is taken from the running
interpreter's environment. Tool versions are written to ``tests/fixtures/FL4xx/TOOLS.txt``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures"
FEED_URL = "https://pkgs.dev.azure.com/contoso/_packaging/{feed}/pypi/"
EPOCH = (2024, 1, 2, 3, 4, 5)

# -- wheels and sdists -------------------------------------------------------------------


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _metadata(name: str, version: str, requires: tuple[str, ...], build: str) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {version}",
        f"Summary: {name} test distribution ({build} build)",
        "Requires-Python: >=3.8",
        *(f"Requires-Dist: {r}" for r in requires),
    ]
    return "\n".join(lines) + "\n"


def build_wheel(
    dest: Path, name: str, version: str, requires: tuple[str, ...] = (), build: str = "a"
) -> Path:
    """A minimal pure-Python wheel, byte-identical on every run."""
    dist = re.sub(r"[-_.]+", "_", name)
    info = f"{dist}-{version}.dist-info"
    files = {
        f"{dist}/__init__.py": f'__version__ = "{version}"\nBUILD = "{build}"\n',
        f"{info}/METADATA": _metadata(name, version, requires, build),
        f"{info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: feedlint-fixtures\nRoot-Is-Purelib: true\n"
            "Tag: py3-none-any\n"
        ),
    }
    record = [
        f"{path},{_record_hash(data.encode())},{len(data.encode())}" for path, data in files.items()
    ]
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = "\n".join(record) + "\n"
    path = dest / f"{dist}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname, data in files.items():
            zi = zipfile.ZipInfo(arcname, EPOCH)
            zi.external_attr = 0o644 << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zi, data)
    return path


def build_sdist(
    dest: Path, name: str, version: str, requires: tuple[str, ...] = (), build: str = "a"
) -> Path:
    """A minimal sdist (PKG-INFO + pyproject.toml), byte-identical on every run."""
    dist = re.sub(r"[-_.]+", "_", name)
    base = f"{dist}-{version}"
    deps = ", ".join(f'"{r}"' for r in requires)
    files = {
        f"{base}/PKG-INFO": _metadata(name, version, requires, build),
        f"{base}/pyproject.toml": (
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
            f'[project]\nname = "{name}"\nversion = "{version}"\ndependencies = [{deps}]\n'
        ),
        f"{base}/{dist}/__init__.py": f'__version__ = "{version}"\n',
    }
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for arcname, text in files.items():
            data = text.encode()
            ti = tarfile.TarInfo(arcname)
            ti.size, ti.mtime, ti.mode = len(data), 1704164645, 0o644
            tf.addfile(ti, io.BytesIO(data))
    path = dest / f"{base}.tar.gz"
    import gzip

    with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw.getvalue())
    return path


# -- servers -------------------------------------------------------------------------------


#: fixed ports keep regenerated files identical (poetry's content-hash covers the source
#: URL); a random free port is used when one is taken
PORTS = {"internal": 38401, "platform": 38402}


def _free_port(preferred: int = 0) -> int:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", preferred))
        except OSError:
            s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Feed:
    name: str
    directory: Path
    port: int = 0
    proc: Optional[subprocess.Popen] = None

    @property
    def local(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def simple(self) -> str:
        return self.local + "simple/"

    @property
    def public(self) -> str:
        return FEED_URL.format(feed=self.name)


@contextmanager
def serve(feeds: list[Feed]) -> Iterator[list[Feed]]:
    server = shutil.which("pypi-server", path=str(Path(sys.executable).parent)) or "pypi-server"
    try:
        for feed in feeds:
            feed.port = _free_port(PORTS.get(feed.name, 0))
            feed.proc = subprocess.Popen(
                [
                    server, "run", "-p", str(feed.port), "-i", "127.0.0.1", "-a", ".", "-P", ".",
                    "--disable-fallback", "--backend", "simple-dir", "--log-stream", "none", str(feed.directory),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
        for feed in feeds:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(feed.simple, timeout=2).read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"pypi-server for {feed.name} did not start") from None
                    time.sleep(0.2)
        yield feeds
    finally:
        for feed in feeds:
            if feed.proc is not None:
                feed.proc.terminate()
                feed.proc.wait(timeout=10)


def make_feeds(work: Path) -> list[Feed]:
    internal = Feed("internal", work / "feed-internal")
    platform = Feed("platform", work / "feed-platform")
    for feed in (internal, platform):
        feed.directory.mkdir(parents=True)
    build_wheel(internal.directory, "contoso-core", "1.0.0")
    build_wheel(internal.directory, "contoso-core", "1.1.0")
    build_wheel(internal.directory, "contoso-utils", "0.3.0", ("contoso-core>=1.0",))
    build_wheel(platform.directory, "contoso-core", "1.0.0", build="platform")
    build_wheel(platform.directory, "contoso-platform-sdk", "2.0.0")
    build_wheel(internal.directory, "contoso-testkit", "0.9.0")
    return [internal, platform]


# -- running the tools ---------------------------------------------------------------------


@dataclass
class Tools:
    """Executables of the tools, each from a venv of its own (never feedlint's)."""

    venv: Path
    venv18: Path
    venv11: Path
    cache: Path

    def exe(self, tool: str) -> str:
        venv = {"poetry18": self.venv18, "poetry11": self.venv11}.get(tool, self.venv)
        name = "poetry" if tool.startswith("poetry") else tool
        return str(venv / "bin" / name)

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PIP_", "UV_", "POETRY_", "PDM_", "PIPENV_", "VIRTUAL_ENV"))
        }
        env.update(
            POETRY_CACHE_DIR=str(self.cache / "poetry"),
            POETRY_VIRTUALENVS_IN_PROJECT="false",
            UV_CACHE_DIR=str(self.cache / "uv"),
            XDG_CONFIG_HOME=str(self.cache / "xdg-config"),
            PIP_CONFIG_FILE=os.devnull,  # pipenv resolves with pip: no machine pip.conf
            PIPENV_VENV_IN_PROJECT="0",
            WORKON_HOME=str(self.cache / "venvs"),
            PIPENV_YES="1",
            PIPENV_NOSPIN="1",
            PIPENV_IGNORE_VIRTUALENVS="1",
            UV_PYTHON_DOWNLOADS="never",
            NO_COLOR="1",
        )
        return env

    def versions(self) -> list[str]:
        out = []
        for tool, args in (
            ("poetry", ["--version"]),
            ("poetry18", ["--version"]),
            ("poetry11", ["--version"]),
            ("uv", ["--version"]),
            ("pipenv", ["--version"]),
        ):
            text = subprocess.run(
                [self.exe(tool), *args], capture_output=True, text=True, env=self.env(), check=True
            ).stdout.strip()
            out.append(f"{tool}: {text.splitlines()[-1]}")
        pip = {"poetry": self.venv, "poetry18": self.venv18}
        for label, venv in pip.items():
            show = subprocess.run(
                [str(venv / "bin" / "python"), "-m", "pip", "show", "poetry-plugin-export"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            version = next(
                (
                    ln.split(":", 1)[1].strip()
                    for ln in show.splitlines()
                    if ln.startswith("Version:")
                ),
                "?",
            )
            out.append(f"poetry-plugin-export (with {label}): {version}")
        server = subprocess.run(
            [shutil.which("pypi-server", path=str(Path(sys.executable).parent)) or "pypi-server", "--version"],
            capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip
        out.append(f"pypi-server: {server}")
        return out


Step = Callable[["Run"], None]


@dataclass
class Run:
    """One case being produced: its project directory and the tools."""

    tools: Tools
    feeds: dict[str, Feed]
    project: Path

    def sh(self, tool: str, *args: str) -> str:
        proc = subprocess.run(
            [self.tools.exe(tool), *args],
            cwd=self.project,
            capture_output=True,
            text=True,
            env=self.tools.env(),
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{tool} {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc.stdout

    def write(self, name: str, text: str) -> None:
        for feed in self.feeds.values():
            text = text.replace("{" + feed.name + "}", feed.simple)
        (self.project / name).write_text(text, encoding="utf-8")

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.project / name
        text = path.read_text(encoding="utf-8")
        if old not in text:
            raise RuntimeError(f"{name}: {old!r} not found")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def sh(tool: str, *args: str) -> Step:
    return lambda run: (run.sh(tool, *args), None)[1]


def edit(name: str, old: str, new: str) -> Step:
    return lambda run: run.edit(name, old, new)


@dataclass
class Case:
    code: str
    name: str
    files: dict[str, str]  # initial project files ({internal}/{platform} -> local index URL)
    steps: list[Step]
    keep: tuple[str, ...]  # files copied into the fixture folder
    note: str = ""


def rewrite(text: str, feeds: dict[str, Feed]) -> str:
    """Local server URLs -> the stable private-looking feed URLs (see module docstring)."""
    for feed in feeds.values():
        text = re.sub(rf"(?m)^--trusted-host 127\.0\.0\.1:{feed.port}\n", "", text)
        text = text.replace(feed.local, feed.public)
        text = text.replace(feed.local.rstrip("/"), feed.public.rstrip("/"))
    if "127.0.0.1" in text:
        raise RuntimeError("a local URL survived the rewrite")
    return text


def produce(case: Case, tools: Tools, feeds: dict[str, Feed], work: Path) -> Path:
    project = work / f"{case.code}-{case.name}"
    project.mkdir(parents=True)
    run = Run(tools, feeds, project)
    for name, text in case.files.items():
        run.write(name, text)
    for step in case.steps:
        step(run)
    dest = FIXTURES / case.code / case.name
    dest.mkdir(parents=True, exist_ok=True)
    for name in case.keep:
        text = (project / name).read_text(encoding="utf-8")
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_text(rewrite(text, feeds), encoding="utf-8")
    return dest


# -- the cases -------------------------------------------------------------------------------

POETRY2 = """\
[project]
name = "contoso-app"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["contoso-utils==0.3.0"]

[tool.poetry]
package-mode = false

[tool.poetry.dependencies]
contoso-utils = {{ source = "internal" }}

[tool.poetry.group.dev.dependencies]
contoso-testkit = {{ version = "0.9.0", source = "internal" }}

[[tool.poetry.source]]
name = "internal"
url = "{{internal}}"
priority = "{priority}"
"""

POETRY2_PINNED_CORE = """\
[project]
name = "contoso-app"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["contoso-utils==0.3.0", "contoso-core==1.0.0"]

[tool.poetry]
package-mode = false

[tool.poetry.dependencies]
contoso-utils = { source = "internal" }
contoso-core = { source = "internal" }

[[tool.poetry.source]]
name = "internal"
url = "{internal}"
priority = "supplemental"
"""

POETRY2_TWO_FEEDS = """\
[project]
name = "contoso-app"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["contoso-core==1.0.0", "contoso-platform-sdk==2.0.0"]

[tool.poetry]
package-mode = false

[tool.poetry.dependencies]
contoso-core = { source = "platform" }
contoso-platform-sdk = { source = "platform" }

[[tool.poetry.source]]
name = "internal"
url = "{internal}"
priority = "explicit"

[[tool.poetry.source]]
name = "platform"
url = "{platform}"
priority = "explicit"
"""

POETRY18 = """\
[tool.poetry]
name = "contoso-app"
version = "0.1.0"
description = "feedlint fixture"
authors = ["Contoso <dev@contoso.example>"]
package-mode = false

[tool.poetry.dependencies]
python = "^3.9"
contoso-utils = { version = "0.3.0", source = "internal" }
contoso-core = { version = ">=1.0", source = "internal" }

[tool.poetry.group.dev.dependencies]
contoso-testkit = { version = "0.9.0", source = "internal" }

[[tool.poetry.source]]
name = "internal"
url = "{internal}"
priority = "explicit"
"""

POETRY11 = """\
[tool.poetry]
name = "contoso-app"
version = "0.1.0"
description = "feedlint fixture"
authors = ["Contoso <dev@contoso.example>"]

[tool.poetry.dependencies]
python = "^3.8"
contoso-utils = { version = "0.3.0", source = "internal" }

[tool.poetry.dev-dependencies]
contoso-testkit = { version = "0.9.0", source = "internal" }

[[tool.poetry.source]]
name = "internal"
url = "{internal}"
secondary = true
"""

UV = """\
[project]
name = "contoso-app"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["six==1.16.0", "contoso-core>=1.0", "contoso-utils==0.3.0"]

[dependency-groups]
dev = ["contoso-testkit==0.9.0"]

[tool.uv.sources]
contoso-core = { index = "internal" }
contoso-utils = { index = "internal" }
contoso-testkit = { index = "internal" }

[[tool.uv.index]]
name = "internal"
url = "{internal}"
explicit = true
"""

UV_DEFAULT_FEED = """\
[project]
name = "contoso-app"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["contoso-utils==0.3.0"]

[[tool.uv.index]]
name = "internal"
url = "{internal}"
default = true
"""

UV_PUBLIC = """\
[project]
name = "contoso-app"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["six==1.16.0"]
"""

UV_TWO_FEEDS = """\
[project]
name = "contoso-app"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["six==1.16.0", "contoso-core==1.0.0"]

[tool.uv.sources]
contoso-core = { index = "platform" }

[[tool.uv.index]]
name = "internal"
url = "{internal}"
explicit = true

[[tool.uv.index]]
name = "platform"
url = "{platform}"
explicit = true
"""

PIPFILE = """\
[[source]]
name = "pypi"
url = "https://pypi.org/simple"
verify_ssl = true

[[source]]
name = "internal"
url = "{internal}"
verify_ssl = true

[packages]
six = "==1.16.0"
contoso-utils = {version = "==0.3.0", index = "internal"}
contoso-core = {version = "*", index = "internal"}

[requires]
python_version = "3.11"
"""

P_KEEP = ("pyproject.toml", "poetry.lock", "requirements.txt")
E_KEEP = ("Pipfile", "Pipfile.lock", "requirements.txt")
U_KEEP = ("pyproject.toml", "uv.lock", "requirements.txt")
PLOCK = sh("poetry", "lock", "-n")
ULOCK = sh("uv", "lock")


def _add_sdist(run: Run) -> None:
    build_sdist(run.feeds["internal"].directory, "contoso-core", "1.1.0")


def _remove_sdist(run: Run) -> None:
    (run.feeds["internal"].directory / "contoso_core-1.1.0.tar.gz").unlink()


def _pipenv_requirements(*args: str) -> Step:
    """``pipenv requirements`` prints to stdout: the user redirects it into a file."""

    def step(run: Run) -> None:
        (run.project / "requirements.txt").write_text(run.sh("pipenv", "requirements", *args))

    return step


CONFIGURED = """\
# the user tells feedlint where the export lives
exports = { "deploy/pinned.txt" = "poetry.lock" }
"""
DOCS_REQUIREMENTS = """\
# written by hand for the docs build, not exported
sphinx==7.2.6
furo==2024.1.29
"""


def cases() -> list[Case]:
    sup = POETRY2.format(priority="supplemental")
    return [
        # FL401 ------------------------------------------------------------------
        Case("FL401", "poetry-supplemental-no-hashes", {"pyproject.toml": sup},
             [PLOCK, sh("poetry", "export", "-n", "--without-hashes", "-o", "requirements.txt")], P_KEEP),
        Case("FL401", "poetry-supplemental-hashes", {"pyproject.toml": sup},
             [PLOCK, sh("poetry", "export", "-n", "-o", "requirements.txt")], P_KEEP),
        Case("FL401", "poetry-primary-index-url", {"pyproject.toml": POETRY2.format(priority="primary")},
             [PLOCK, sh("poetry", "export", "-n", "--without-hashes", "-o", "requirements.txt")], P_KEEP,
             "silent: the private feed is the export's only index (--index-url)"),
        Case("FL401", "poetry18-explicit-source", {"pyproject.toml": POETRY18},
             [sh("poetry18", "lock", "-n"), sh("poetry18", "export", "-n", "-o", "requirements.txt")], P_KEEP),
        Case("FL401", "poetry11-secondary-source", {"pyproject.toml": POETRY11},
             [sh("poetry11", "lock", "-n"),
              sh("poetry11", "export", "-n", "-f", "requirements.txt", "--without-hashes", "-o", "requirements.txt")],
             P_KEEP),
        Case("FL401", "uv-no-index-lines", {"pyproject.toml": UV},
             [ULOCK, sh("uv", "export", "-o", "requirements.txt")], U_KEEP),
        Case("FL401", "uv-no-hashes", {"pyproject.toml": UV},
             [ULOCK, sh("uv", "export", "--no-hashes", "-o", "requirements.txt")], U_KEEP),
        Case("FL401", "uv-emit-index-url", {"pyproject.toml": UV},
             [ULOCK, sh("uv", "export", "--no-hashes", "--emit-index-url", "-o", "requirements.txt")], U_KEEP),
        Case("FL401", "uv-default-index-feed", {"pyproject.toml": UV_DEFAULT_FEED},
             [ULOCK, sh("uv", "export", "--emit-index-url", "-o", "requirements.txt")], U_KEEP,
             "silent: the feed replaces PyPI and is the only index"),
        Case("FL401", "uv-public-only", {"pyproject.toml": UV_PUBLIC},
             [ULOCK, sh("uv", "export", "--no-hashes", "-o", "requirements.txt")], U_KEEP,
             "silent: no private package"),
        Case("FL401", "pipenv-requirements", {"Pipfile": PIPFILE},
             [sh("pipenv", "lock"), _pipenv_requirements()], E_KEEP),
        Case("FL401", "configured-export-path", {"pyproject.toml": sup, ".feedlint.toml": CONFIGURED},
             [PLOCK, lambda run: (run.project / "deploy").mkdir(),
              sh("poetry", "export", "-n", "-o", "deploy/pinned.txt")],
             ("pyproject.toml", "poetry.lock", "deploy/pinned.txt", ".feedlint.toml"),
             "paired through [tool.feedlint] exports (.feedlint.toml is written by the script as a user would)"),
        # FL402 ------------------------------------------------------------------
        Case("FL402", "poetry-version-drift", {"pyproject.toml": POETRY2_PINNED_CORE},
             [PLOCK, sh("poetry", "export", "-n", "-o", "requirements.txt"),
              edit("pyproject.toml", '"contoso-core==1.0.0"', '"contoso-core==1.1.0"'), PLOCK], P_KEEP),
        Case("FL402", "poetry-package-added", {"pyproject.toml": sup},
             [PLOCK, sh("poetry", "export", "-n", "--without-hashes", "-o", "requirements.txt"),
              edit("pyproject.toml", '"contoso-utils==0.3.0"]', '"contoso-utils==0.3.0", "contoso-platform-sdk==2.0.0"]'),
              edit("pyproject.toml", '[tool.poetry.group.dev.dependencies]',
                   'contoso-platform-sdk = { source = "platform" }\n\n[tool.poetry.group.dev.dependencies]'),
              lambda run: (run.project / "pyproject.toml").write_text(
                  (run.project / "pyproject.toml").read_text() + '\n[[tool.poetry.source]]\nname = "platform"\n'
                  f'url = "{run.feeds["platform"].simple}"\npriority = "explicit"\n'),
              PLOCK], P_KEEP),
        Case("FL402", "poetry-package-removed", {"pyproject.toml": POETRY2_PINNED_CORE},
             [PLOCK, sh("poetry", "export", "-n", "--without-hashes", "-o", "requirements.txt"),
              edit("pyproject.toml", '"contoso-utils==0.3.0", ', ""),
              edit("pyproject.toml", 'contoso-utils = { source = "internal" }\n', ""), PLOCK], P_KEEP),
        Case("FL402", "poetry-main-only-export", {"pyproject.toml": sup},
             [PLOCK, sh("poetry", "export", "-n", "-o", "requirements.txt")], P_KEEP,
             "silent: the dev-only package is not in a default (main group) export"),
        Case("FL402", "poetry-with-dev-export", {"pyproject.toml": sup},
             [PLOCK, sh("poetry", "export", "-n", "--with", "dev", "-o", "requirements.txt")], P_KEEP,
             "silent"),
        Case("FL402", "poetry18-fresh", {"pyproject.toml": POETRY18},
             [sh("poetry18", "lock", "-n"), sh("poetry18", "export", "-n", "-o", "requirements.txt")], P_KEEP,
             "silent: lock-version 2.0 (no groups recorded)"),
        Case("FL402", "poetry11-fresh", {"pyproject.toml": POETRY11},
             [sh("poetry11", "lock", "-n"),
              sh("poetry11", "export", "-n", "-f", "requirements.txt", "-o", "requirements.txt")], P_KEEP,
             "silent: lock-version 1.1, hashes in [metadata.files]"),
        Case("FL402", "poetry11-version-drift", {"pyproject.toml": POETRY11},
             [sh("poetry11", "lock", "-n"),
              sh("poetry11", "export", "-n", "-f", "requirements.txt", "-o", "requirements.txt"),
              edit("pyproject.toml", 'python = "^3.8"\n', 'python = "^3.8"\ncontoso-core = { version = "1.0.0", source = "internal" }\n'),
              sh("poetry11", "lock", "-n")], P_KEEP),
        Case("FL402", "uv-hash-drift", {"pyproject.toml": UV},
             [ULOCK, sh("uv", "export", "-o", "requirements.txt"), _add_sdist,
              sh("uv", "lock", "--refresh-package", "contoso-core", "--upgrade-package", "contoso-core"),
              _remove_sdist], U_KEEP),
        Case("FL402", "uv-no-dev-export", {"pyproject.toml": UV},
             [ULOCK, sh("uv", "export", "--no-dev", "-o", "requirements.txt")], U_KEEP,
             "silent: dev group left out on purpose"),
        Case("FL402", "pipenv-hashes-fresh", {"Pipfile": PIPFILE},
             [sh("pipenv", "lock"), _pipenv_requirements("--hash")], E_KEEP, "silent"),
        Case("FL402", "handwritten-docs-requirements", {"pyproject.toml": sup, "requirements-docs.txt": DOCS_REQUIREMENTS},
             [PLOCK, sh("poetry", "export", "-n", "-o", "requirements.txt")], (*P_KEEP, "requirements-docs.txt"),
             "silent: requirements-docs.txt is hand-written (by the script, as a person would) and not paired"),
        # FL403 ------------------------------------------------------------------
        Case("FL403", "poetry-pin-moved", {"pyproject.toml": POETRY2_TWO_FEEDS},
             [PLOCK, edit("pyproject.toml", 'contoso-core = { source = "platform" }', 'contoso-core = { source = "internal" }')],
             ("pyproject.toml", "poetry.lock")),
        Case("FL403", "poetry-explicit-unpinned", {"pyproject.toml": POETRY18},
             [sh("poetry18", "lock", "-n"),
              edit("pyproject.toml", 'contoso-utils = { version = "0.3.0", source = "internal" }', 'contoso-utils = "0.3.0"')],
             ("pyproject.toml", "poetry.lock")),
        Case("FL403", "poetry-fresh", {"pyproject.toml": sup}, [PLOCK], ("pyproject.toml", "poetry.lock"),
             "silent: contoso-core is unpinned but comes from a supplemental source, as Poetry allows"),
        Case("FL403", "poetry11-fresh", {"pyproject.toml": POETRY11}, [sh("poetry11", "lock", "-n")],
             ("pyproject.toml", "poetry.lock"), "silent"),
        Case("FL403", "uv-pin-moved", {"pyproject.toml": UV_TWO_FEEDS},
             [ULOCK, edit("pyproject.toml", 'contoso-core = { index = "platform" }', 'contoso-core = { index = "internal" }')],
             ("pyproject.toml", "uv.lock")),
        Case("FL403", "pipenv-unpinned", {"Pipfile": PIPFILE},
             [sh("pipenv", "lock"),
              edit("Pipfile", 'contoso-core = {version = "*", index = "internal"}', 'contoso-core = "*"')],
             ("Pipfile", "Pipfile.lock")),
        Case("FL403", "pipenv-fresh", {"Pipfile": PIPFILE}, [sh("pipenv", "lock")], ("Pipfile", "Pipfile.lock"), "silent"),
        Case("FL403", "uv-fresh", {"pyproject.toml": UV}, [ULOCK], ("pyproject.toml", "uv.lock"), "silent"),
    ]  # fmt: skip


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tools", type=Path, default=Path("/tmp/fixture-tools-venv"))
    parser.add_argument("--tools18", type=Path, default=Path("/tmp/fixture-tools-venv-poetry18"))
    parser.add_argument("--tools11", type=Path, default=Path("/tmp/fixture-tools-venv-poetry11"))
    parser.add_argument(
        "--only", default="", help="produce only cases whose code/name contains this"
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers on kill too
    selected = [c for c in cases() if args.only in f"{c.code}/{c.name}"]
    with tempfile.TemporaryDirectory(prefix="feedlint-export-fixtures-") as tmp:
        work = Path(tmp)
        tools = Tools(args.tools, args.tools18, args.tools11, work / "cache")
        feed_list = make_feeds(work)
        with serve(feed_list) as served:
            feeds = {f.name: f for f in served}
            print("feeds:", ", ".join(f"{f.name} on port {f.port}" for f in served))
            for case in selected:
                dest = produce(case, tools, feeds, work / "projects")
                print(
                    f"{case.code}/{case.name}: {', '.join(case.keep)} -> {dest.relative_to(FIXTURES.parent.parent)}"
                )
        versions = tools.versions()
    header = [
        "Files in these fixture folders (except expected.txt) were written by the tools below,",
        "run by tests/tools/make_export_fixtures.py; see its docstring for the URL rewrite.",
        "",
    ]
    for code in sorted({c.code for c in selected}):
        notes = [f"{c.name}: {c.note}" for c in cases() if c.code == code and c.note]
        text = "\n".join([*header, *versions, "", "Case notes:", *notes]) + "\n"
        (FIXTURES / code / "TOOLS.txt").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
