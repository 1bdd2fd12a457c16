"""FL201's premise, proven with real pip and two real index servers.

Two ``pypiserver`` instances on 127.0.0.1 serve wheels built here: the "private" index has
``shared-utils 1.2.0``, the "public" one an attacker's ``shared-utils 99.0.0``. pip is
run with ``--index-url <public> --extra-index-url <private>`` into a fresh virtual
environment and installs 99.0.0: there is no index priority. feedlint must flag a
requirements file with that configuration as FL201.

Offline and isolated: the servers are local, pip runs with ``PIP_CONFIG_FILE=/dev/null``
and without any inherited ``PIP_*`` variable (the machine may point pip at a local wheel
directory), and ``--no-cache-dir``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import run_cli

pytestmark = pytest.mark.slow


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def build_wheel(directory: Path, name: str, version: str) -> Path:
    """A minimal valid pure-Python wheel: a module, METADATA, WHEEL and RECORD."""
    dist = name.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    files = {
        f"{dist}/__init__.py": f'VERSION = "{version}"\n'.encode(),
        f"{info}/METADATA": (
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
            "Summary: feedlint test package\n"
        ).encode(),
        f"{info}/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: feedlint-test\nRoot-Is-Purelib: true\n"
            b"Tag: py3-none-any\n"
        ),
    }
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in files.items())
    record += f"{info}/RECORD,,\n"
    files[f"{info}/RECORD"] = record.encode()
    directory.mkdir(parents=True, exist_ok=True)
    wheel = directory / f"{dist}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in files.items():
            zf.writestr(path, data)
    return wheel


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def index_server(packages: Path, log: Path) -> Iterator[str]:
    """Run ``pypiserver`` on a free port of 127.0.0.1; yield its simple-index URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/simple/"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pypiserver", "run", "-i", "127.0.0.1", "-p", str(port),
             "--backend", "simple-dir", str(packages)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=2) as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"pypiserver did not start:\n{log.read_text(errors='replace')}")
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _pip_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        HOME=str(tmp / "home"),
    )
    return env


def _install(python: Path, env: dict[str, str], *index_args: str) -> str:
    """Install shared-utils into a fresh venv with ``index_args``; the version it got."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-cache-dir",
         "--force-reinstall", *index_args, "shared-utils"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return subprocess.run(
        [str(python), "-c", "import shared_utils; print(shared_utils.VERSION)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.fixture(scope="module")
def pip_result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    pytest.importorskip("pypiserver")
    tmp = tmp_path_factory.mktemp("premise")
    build_wheel(tmp / "private", "shared-utils", "1.2.0")
    build_wheel(tmp / "public", "shared-utils", "99.0.0")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    env = _pip_env(tmp)
    with (
        index_server(tmp / "public", tmp / "public.log") as public,
        index_server(tmp / "private", tmp / "private.log") as private,
    ):
        mixed = _install(python, env, "--index-url", public, "--extra-index-url", private)
        single = _install(python, env, "--index-url", private)
    return {"public": public, "private": private, "mixed": mixed, "single": single}


def test_pip_installs_the_highest_version_from_any_index(pip_result: dict[str, str]) -> None:
    """No priority between --index-url and --extra-index-url: the public 99.0.0 wins."""
    assert pip_result["mixed"] == "99.0.0"


def test_a_single_private_index_keeps_the_private_package(pip_result: dict[str, str]) -> None:
    """The fix FL201 recommends: one index (the private feed) and no extra index."""
    assert pip_result["single"] == "1.2.0"


def test_feedlint_flags_that_configuration(pip_result: dict[str, str], tree) -> None:
    public, private = pip_result["public"], pip_result["private"]
    root = tree(
        {
            "requirements.txt": (
                f"--index-url {public}\n--extra-index-url {private}\nshared-utils==1.2.0\n"
            ),
            # the "public" server stands in for PyPI: declare it a public mirror
            ".feedlint.toml": f'public-mirrors = ["{public}"]\n',
        }
    )
    run = run_cli(str(root), "--format", "json", "--select", "FL201", "--exit-zero", "-q")
    assert run.code == 0, run.err
    assert run.findings == ["requirements.txt:2:19: FL201"]
    (finding,) = run.json["findings"]
    assert "pip" in finding["message"] and "PyPI" in finding["message"]
    assert "index-url" in finding["fix"]


def test_feedlint_is_silent_on_the_single_index_fix(pip_result: dict[str, str], tree) -> None:
    root = tree({"requirements.txt": f"--index-url {pip_result['private']}\nshared-utils==1.2.0\n"})
    run = run_cli(str(root), "--format", "json", "--select", "FL201", "--exit-zero", "-q")
    assert run.findings == []
