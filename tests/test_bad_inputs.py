"""The bad-input suite: every case completes with a clear finding or notice, the right exit
code, and no traceback; and a run writes nothing but what the user asked for."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_cli
from test_fuzz import NAMES


def _ok(run) -> None:
    assert run.code in (0, 1), run.err
    assert "Traceback" not in run.err and "internal error" not in run.err


@pytest.mark.parametrize("name", sorted(set(NAMES.values())))
def test_empty_files_of_every_kind(tree, name: str) -> None:
    _ok(run_cli(str(tree({name: ""})), "--format", "json"))


@pytest.mark.parametrize("name", sorted(set(NAMES.values())))
def test_binary_files_under_packaging_names(tree, name: str) -> None:
    run = run_cli(str(tree({name: bytes(range(256)) * 8})), "--format", "json")
    _ok(run)
    assert run.findings == [f"{name}:1:1: FL001"]


@pytest.mark.parametrize("name", sorted(set(NAMES.values())))
def test_lone_cr_and_crlf_and_bom(tree, name: str) -> None:
    root = tree({name: "\ufeffline one\rline two\r\nline three\n".encode("utf-8")})
    _ok(run_cli(str(root), "--format", "json"))


def test_fifty_megabyte_file_is_one_finding(tree) -> None:
    root = tree({"requirements.txt": "flask\n"})
    with open(root / "requirements.txt", "ab") as fh:
        fh.write(b"requests==2.0\n" * (50 * 1024 * 1024 // 14))
    run = run_cli(str(root), "--format", "json")
    _ok(run)
    assert run.findings == ["requirements.txt:1:1: FL001"]
    assert "limit" in run.json["findings"][0]["message"]


def test_ten_thousand_line_requirements_with_deep_include_chain_and_cycle(tree) -> None:
    files = {
        "requirements.txt": "-r reqs/level0.txt\n"
        + "".join(f"pkg{i}=={i}.0\n" for i in range(10_000))
    }
    depth = 200
    for i in range(depth):
        nxt = f"-r level{i + 1}.txt\n" if i + 1 < depth else "-r ../requirements.txt\n"  # a cycle
        files[f"reqs/level{i}.txt"] = nxt + f"dep{i}==1.0\n"
    root = tree(files)
    _ok(run_cli(str(root), "--format", "json"))


def test_include_of_missing_and_outside_files(tree) -> None:
    root = tree({"requirements.txt": "-r missing.txt\n-c ../../etc/passwd\n-r /etc/hosts\nflask\n"})
    _ok(run_cli(str(root), "--format", "json"))


def test_directory_named_like_packaging_file(tree) -> None:
    root = tree({"pip.conf/readme.md": "x", "requirements.txt/a": "x"})
    _ok(run_cli(str(root), "--format", "json"))


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = Path(dirpath) / f
            st = p.lstat()
            out[str(p)] = (st.st_size, st.st_mtime_ns)
    return out


def test_a_run_writes_nothing_but_the_named_output(tree, tmp_path, monkeypatch) -> None:
    root = tree(
        {
            "requirements.txt": "--extra-index-url https://pkgs.dev.azure.com/o/_packaging/f/pypi/simple/\nflask\n",
            "pyproject.toml": "[project]\nname = 'x'\ndependencies = ['flask']\n",
            "setup.py": "from setuptools import setup\nsetup(name='x')\n",
        }
    )
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    before_root, before_home = _snapshot(root), _snapshot(home)
    out = tmp_path / "report.json"
    run_cli(str(root), "--format", "json", "--output-file", str(out))
    assert _snapshot(root) == before_root
    assert _snapshot(home) == before_home
    assert out.is_file()
