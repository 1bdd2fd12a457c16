"""A real pre-commit run, offline: a temporary git repository whose
``.pre-commit-config.yaml`` runs this checkout's feedlint as a ``repo: local`` hook with the
``files`` pattern (and types) of the published ``.pre-commit-hooks.yaml``. Staging a bad
packaging file fails the commit check with the finding; staging a clean change passes.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

import feedlint
from feedlint.registry import get_rule

pytestmark = pytest.mark.slow

PRIVATE_INDEX = "https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/"


def _published_hook() -> dict:
    yaml = pytest.importorskip("yaml")
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "feedlint"]
    return hook


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    (home / ".gitconfig").write_text("", encoding="utf-8")
    src = str(Path(feedlint.__file__).resolve().parent.parent)  # this checkout's sources
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        PRE_COMMIT_HOME=str(tmp / "pre-commit-home"),
        FEEDLINT_CACHE_DIR=str(tmp / "feedlint-cache"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        PYTHONPATH=os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p),
        NO_COLOR="1",
    )
    return env


def _config(hook: dict) -> str:
    entry = f"{shlex.quote(sys.executable)} -m feedlint"
    lines = [
        "repos:",
        "  - repo: local",
        "    hooks:",
        f"      - id: {hook['id']}",
        f"        name: {hook['name']}",
        f"        entry: {entry}",
        "        language: system",
        "        files: '" + hook["files"].replace("'", "''") + "'",
    ]
    if hook.get("types"):
        lines.append(f"        types: [{', '.join(hook['types'])}]")
    if hook.get("require_serial"):
        lines.append("        require_serial: true")
    return "\n".join(lines) + "\n"


class Repo:
    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path, self.env = path, env

    def git(self, *args: str) -> None:
        subprocess.run(["git", *args], cwd=self.path, env=self.env, check=True, capture_output=True)

    def stage(self, rel: str, content: str | bytes) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        self.git("add", rel)

    def pre_commit(self) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--color", "never"],
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    pytest.importorskip("pre_commit")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    hook = _published_hook()
    path = tmp_path / "repo"
    path.mkdir()
    r = Repo(path, _env(tmp_path))
    r.git("init", "-q")
    r.stage(".pre-commit-config.yaml", _config(hook))
    r.stage("README.md", "a project\n")
    r.git("commit", "-q", "-m", "initial")
    return r


def _assert_fails_then_passes(repo: Repo, code: str, needle: str) -> None:
    bad = repo.pre_commit()
    output = bad.stdout + bad.stderr
    assert bad.returncode == 1, output
    assert "feedlint" in output and "Failed" in output, output
    assert re.search(rf"^requirements\.txt:\d+:\d+: {code} ", output, re.M), output
    assert needle in output, output

    repo.stage("requirements.txt", "flask==3.0.0\n")
    good = repo.pre_commit()
    output = good.stdout + good.stderr
    assert good.returncode == 0, output
    assert "Passed" in output, output  # the hook ran on the file (not "no files to check")


def test_pre_commit_hook_fails_on_a_bad_file_and_passes_a_clean_change(repo: Repo) -> None:
    repo.stage("requirements.txt", b"flask\x00\x01\x02 binary\n")
    _assert_fails_then_passes(repo, "FL001", "binary file")


def test_pre_commit_hook_fails_on_extra_index_url(repo: Repo) -> None:
    if get_rule("FL201") is None:
        pytest.skip("FL201 (index rules) not on this branch yet")
    repo.stage("requirements.txt", f"--extra-index-url {PRIVATE_INDEX}\nflask==3.0.0\n")
    _assert_fails_then_passes(repo, "FL201", "extra-index-url")


def test_hook_ignores_files_that_are_not_packaging_files(repo: Repo) -> None:
    repo.stage("notes.txt", b"\x00\x01 binary but not a packaging file\n")
    run = repo.pre_commit()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no files to check" in run.stdout
