"""Shared test helpers: building trees, running the CLI, reading ``../shared``."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import pytest

from feedlint.cli import main

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> dict:
        return json.loads(self.out)

    @property
    def findings(self) -> list[str]:
        """``path:line:col: CODE`` for each finding (needs ``--format json``)."""
        return [
            f"{f['path']}:{f['line']}:{f['column']}: {f['code']}" for f in self.json["findings"]
        ]


def run_cli(*args: str) -> Run:
    """Run ``feedlint`` in-process and capture exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return Run(code, out.getvalue(), err.getvalue())


Content = Union[str, bytes]


def make_tree(root: Path, files: Mapping[str, Content]) -> Path:
    """Write ``files`` (relative path -> text or bytes) under ``root``; return ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path: Path):
    """``tree({"pip.conf": "..."})`` writes files into a fresh directory and returns it."""

    def build(files: Mapping[str, Content]) -> Path:
        return make_tree(tmp_path / "proj", files)

    return build


def corpus_file(name: str) -> Path:
    """A file of ``../shared/corpus``; skips the test when the corpus is absent."""
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"shared corpus not available: {name}")
    return path


def corpus_tree(tmp_path: Path, mapping: Mapping[str, str]) -> Path:
    """Copy corpus files (corpus-relative name -> path in the tree) into a fresh tree."""
    root = tmp_path / "corpus-tree"
    for src, dest in mapping.items():
        data = corpus_file(src).read_bytes()
        make_tree(root, {dest: data})
    return root


def fixture_cases() -> Iterator[Path]:
    for case in sorted(FIXTURES.glob("FL*/*")):
        if case.is_dir():
            yield case


@pytest.fixture(autouse=True)
def _no_network_and_isolated_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests are offline by default and never touch the user's cache."""
    monkeypatch.setenv("FEEDLINT_CACHE_DIR", str(tmp_path / "feedlint-cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys, "argv", ["feedlint"])


def _hypothesis_profiles() -> None:
    """On CI (``CI`` set) hypothesis is deterministic: a rare example found by chance must
    not decide whether a submission lands. Locally it explores at random, as it should."""
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
    if os.environ.get("CI"):
        settings.load_profile("ci")


_hypothesis_profiles()
