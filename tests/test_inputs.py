"""Reading and discovery never crash: bad bytes, encodings, sizes, symlinks, git."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli

from feedlint.discover import discover, find_root
from feedlint.model import FileKind
from feedlint.textio import MAX_BYTES, decode, read_source, split_lines

PIP_INI = "[global]\r\nindex-url = https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/\r\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"])
def test_bom_and_utf16_files_are_decoded_not_rejected(encoding: str) -> None:
    data = PIP_INI.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # no BOM: recognised by its NUL pattern
        pass
    text, problems = decode(data, "pip.ini")
    assert problems == []
    assert split_lines(text) == ("[global]", PIP_INI.splitlines()[1])


def test_line_endings_crlf_and_lone_cr() -> None:
    assert split_lines("a\r\nb\rc\nd") == ("a", "b", "c", "d")
    assert split_lines("a\n\n") == ("a", "")


def test_latin1_is_read_with_a_finding_at_the_line() -> None:
    text, problems = decode(b"ok\ncaf\xe9\n", "requirements.txt")
    assert text == "ok\ncafé\n"
    [p] = problems
    assert (p.location.line, p.location.column) == (2, 4)


def test_binary_is_a_finding() -> None:
    text, problems = decode(b"\x7fELF\x00\x00\x01\x02\x03", "pip.conf")
    assert text == "" and "binary" in problems[0].message


def test_oversized_file_is_one_finding_not_a_hang(tmp_path: Path) -> None:
    big = tmp_path / "requirements.txt"
    with open(big, "wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    source, problems = read_source(tmp_path, "requirements.txt", FileKind.REQUIREMENTS)
    assert source.lines == () and "limit" in problems[0].message


def test_unreadable_and_directory_named_like_a_file(tmp_path: Path) -> None:
    (tmp_path / "pip.conf").mkdir()
    _, problems = read_source(tmp_path, "pip.conf", FileKind.PIP_CONF)
    assert "directory" in problems[0].message
    _, problems = read_source(tmp_path, "missing.txt", FileKind.REQUIREMENTS)
    assert "cannot read" in problems[0].message


@pytest.mark.skipif(
    os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root can read any file"
)
def test_unreadable_file_is_a_finding(tree) -> None:  # pragma: no cover - not as root
    root = tree({"pip.conf": "[global]\n"})
    (root / "pip.conf").chmod(0)
    run = run_cli(str(root), "--format", "json")
    assert run.findings == ["pip.conf:1:1: FL001"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("requirements.txt", b"\x00\xff\xfe\x00" * 100),
        ("pip.conf", "\ufeff[global]\nindex-url = x\n".encode("utf-16")),
        ("pyproject.toml", b""),
        ("Pipfile", b"\r\r\r"),
        ("poetry.lock", b"\xff\xfe"),
        ("Dockerfile", b"\xc3\x28" * 10),
    ],
)
def test_bad_input_never_crashes(tree, name: str, content: bytes) -> None:
    root = tree({name: content})
    run = run_cli(str(root), "--format", "json")
    assert run.code in (0, 1), run.err
    assert "Traceback" not in run.err


def test_walk_skips_venvs_node_modules_and_build_outputs(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "x\n",
        "setup.py": "",
        "node_modules/pkg/requirements.txt": "x\n",
        "env1/pyvenv.cfg": "",
        "env1/pip.conf": "",
        ".venv/pip.conf": "",
        "build/lib/requirements.txt": "x\n",
        "lib/site-packages/x/requirements.txt": "x\n",
        "docker/Dockerfile": "FROM python\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    found = discover(tmp_path)
    assert not found.used_git
    assert sorted(found.files) == ["docker/Dockerfile", "requirements.txt", "setup.py"]


def test_symlink_loops_and_links_out_of_root_are_survived(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    (root / "a" / "loop").symlink_to(root / "a", target_is_directory=True)
    (root / "self-loop.txt").symlink_to(root / "self-loop.txt")
    (root / "requirements.txt").symlink_to(root / "requirements-loop.txt")
    (root / "requirements-loop.txt").symlink_to(root / "requirements.txt")
    outside = tmp_path / "outside.conf"
    outside.write_text("[global]\nindex-url = https://user:hunter2hunter2@evil.example/simple\n")
    (root / "pip.conf").symlink_to(outside)
    (root / "a" / "requirements-dev.txt").write_text("flask\n")
    found = discover(root)
    assert "pip.conf" not in found.files
    assert "a/requirements-dev.txt" in found.files
    run = run_cli(str(root), "--format", "json")
    assert run.code in (0, 1) and "Traceback" not in run.err


def test_git_ls_files_honours_gitignore(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    if subprocess.run(["git", "init", "-q", str(root)], check=False).returncode != 0:
        pytest.skip("git not available")
    (root / ".gitignore").write_text("secret/\n")
    (root / "secret").mkdir()
    (root / "secret" / "pip.conf").write_text("[global]\n")
    (root / "requirements.txt").write_text("flask\n")
    found = discover(root)
    assert found.used_git
    assert sorted(found.files) == ["requirements.txt"]


def test_find_root_prefers_nearest_pyproject_or_git(tmp_path: Path) -> None:
    (tmp_path / "svc" / "deep").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "svc" / "pyproject.toml").write_text("")
    (tmp_path / "svc" / "deep" / "requirements.txt").write_text("")
    assert find_root(tmp_path / "svc" / "deep" / "requirements.txt") == (tmp_path / "svc").resolve()
    (tmp_path / "other").mkdir()
    assert find_root(tmp_path / "other") == tmp_path.resolve()


def test_whole_shared_corpus_completes_without_traceback() -> None:
    from conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip("shared corpus not available")
    run = run_cli(str(CORPUS), "--format", "json", "-q")
    assert run.code in (0, 1), run.err
    assert "Traceback" not in run.err and "internal error" not in run.err
