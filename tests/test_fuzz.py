"""Property-based robustness: no parser lets an exception escape, on any input.

``parse_file`` turns a parser exception into an FL001 problem that says "internal"; these
tests assert that never happens, so every problem is a real, located FL001 finding.
Inputs: arbitrary text, arbitrary bytes through the decoder, and truncated or mutated real
files from ``../shared/corpus``. ``FEEDLINT_FUZZ_EXAMPLES`` raises the example count.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedlint.kinds import classify
from feedlint.model import FileKind, SourceFile
from feedlint.parsers import parse_file
from feedlint.parsers.urlscan import scan_url_credentials
from feedlint.textio import decode, split_lines

EXAMPLES = int(os.environ.get("FEEDLINT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

NAMES = {
    FileKind.PYPROJECT: "pyproject.toml",
    FileKind.POETRY_LOCK: "poetry.lock",
    FileKind.UV_LOCK: "uv.lock",
    FileKind.PDM_LOCK: "pdm.lock",
    FileKind.PIPFILE: "Pipfile",
    FileKind.PIPFILE_LOCK: "Pipfile.lock",
    FileKind.REQUIREMENTS: "requirements.txt",
    FileKind.PIP_CONF: "pip.conf",
    FileKind.PYPIRC: ".pypirc",
    FileKind.SETUP_CFG: "setup.cfg",
    FileKind.TOX_INI: "tox.ini",
    FileKind.SETUP_PY: "setup.py",
    FileKind.UV_TOML: "uv.toml",
    FileKind.POETRY_CONFIG: "auth.toml",
    FileKind.PDM_CONFIG: "pdm.toml",
    FileKind.DOCKERFILE: "Dockerfile",
    FileKind.CI_YAML: "azure-pipelines.yml",
    FileKind.SHELL: "install.sh",
    FileKind.DOTENV: ".env",
    FileKind.NETRC: ".netrc",
    FileKind.GIT_CREDENTIALS: ".git-credentials",
    FileKind.COMPOSE: "docker-compose.yml",
    FileKind.CONDA_ENV: "environment.yml",
    FileKind.MAKEFILE: "Makefile",
}

# Text biased towards the syntax packaging files use, so mutations reach deep parser paths.
SYNTAX = st.sampled_from(
    [
        "[",
        "]",
        "[[",
        "]]",
        "=",
        '"',
        "'",
        '"""',
        "{",
        "}",
        ",",
        "\\\n",
        "\n",
        "\r\n",
        "\r",
        "#",
        ";",
        "-r ",
        "-c ",
        "-i ",
        "--extra-index-url ",
        "--hash=sha256:",
        "@",
        "://",
        "https://u:p@h/",
        "${X}",
        "$(Y)",
        "%Z%",
        ":",
        "- ",
        "  ",
        "\t",
        "RUN ",
        "ENV ",
        "ARG ",
        "machine ",
        "password ",
        "[global]",
        "[[package]]",
        "[tool.poetry]",
        "source = ",
        "name = ",
        "<<EOF\n",
        "EOF\n",
        "pip install ",
        "services:\n",
        "build:\n",
        "args:\n",
        "dependencies:\n",
        "pip:\n",
        "&a ",
        "*a",
        "<<: ",
        "define X\n",
        "endef\n",
        ":= ",
        "$$",
        "export ",
        "\x00",
        "\ufeff",
        "é",
        "\u2028",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(SYNTAX, st.text(max_size=8)), max_size=80).map("".join),
)


def _check(kind: FileKind, text: str) -> None:
    source = SourceFile(NAMES[kind], kind, split_lines(text))
    fm = parse_file(source)
    internal = [p.message for p in fm.problems if "internal" in p.message]
    assert not internal, f"{kind.value}: {internal}"
    for p in fm.problems:
        assert p.location.path == source.path and p.location.line >= 1
    scan_url_credentials(source)


@pytest.mark.parametrize("kind", list(NAMES), ids=lambda k: k.name)
@FUZZ
@given(text=TEXTS)
def test_parsers_survive_arbitrary_text(kind: FileKind, text: str) -> None:
    _check(kind, text)


@pytest.mark.parametrize("kind", list(NAMES), ids=lambda k: k.name)
@FUZZ
@given(data=st.binary(max_size=600))
def test_parsers_survive_arbitrary_bytes(kind: FileKind, data: bytes) -> None:
    text, _ = decode(data, NAMES[kind])
    _check(kind, text)


def _corpus_files() -> list[tuple[FileKind, Path]]:
    if not CORPUS.is_dir():
        return []
    out = []
    for path in sorted(CORPUS.glob("*/*")):
        real = path.name.split("@")[0].split("__")[-1]
        kind = classify(real)
        if kind is not None:
            out.append((kind, path))
    return out


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
@pytest.mark.parametrize(
    ("kind", "path"), _corpus_files(), ids=lambda v: getattr(v, "name", str(v))
)
@FUZZ
@given(data=st.data())
def test_parsers_survive_mutated_corpus_files(
    kind: FileKind, path: Path, data: st.DataObject
) -> None:
    original = path.read_text(encoding="utf-8", errors="replace")
    if len(original) > 60_000:  # keep big locks affordable: mutate their head
        original = original[:60_000]
    text = original
    for _ in range(data.draw(st.integers(0, 6))):
        op = data.draw(st.sampled_from(["truncate", "delete", "insert", "replace", "duplicate"]))
        if not text:
            break
        i = data.draw(st.integers(0, len(text) - 1))
        if op == "truncate":
            text = text[:i]
        elif op == "delete":
            text = text[:i] + text[i + data.draw(st.integers(1, 50)) :]
        elif op == "insert":
            text = text[:i] + data.draw(st.one_of(SYNTAX, st.text(max_size=10))) + text[i:]
        elif op == "replace":
            text = text[:i] + data.draw(SYNTAX) + text[i + 1 :]
        else:
            j = min(len(text), i + data.draw(st.integers(1, 200)))
            text = text[:j] + text[i:j] + text[j:]
    _check(kind, text)


def test_every_file_kind_is_fuzzed() -> None:
    assert set(NAMES) == set(FileKind)
