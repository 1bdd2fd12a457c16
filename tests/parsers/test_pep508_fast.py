"""The packaging-free fast path for plain requirement strings gives exactly what the
packaging path gives: checked on generated strings, the fixtures and the corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.requirements import InvalidRequirement, Requirement

from feedlint.model import FileKind, FileModel, Location, SourceFile
from feedlint.parsers import pep508, requirements
from feedlint.parsers.pep508 import plain_requirement, requirement_ref

_TESTS = Path(__file__).resolve().parents[1]
_CORPUS = Path("/work/shared/corpus")
_LINE = re.compile(r"""["']([^"'\n]{1,80})["']|^\s*([^#\s][^#\n]{0,80})""", re.M)


def _samples() -> list[str]:
    """Quoted strings and bare lines of the fixture and corpus files."""
    found: set[str] = {"flask>=3", "requests", " a == 1.0 ", "x~=1.2", "x~=1", "a.b-c_d<2"}
    # non-ASCII whitespace and digits, a trailing newline: packaging rejects them
    found |= {"0\x85", "a\u00a0", "a==\u0661", "a\n", "\u2003a", "a==1\n"}
    for root in (_TESTS / "fixtures", _CORPUS):
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            if path.is_file() and path.stat().st_size < 200_000:
                text = path.read_text("utf-8", "replace")
                for m in _LINE.finditer(text):
                    found.add(m.group(1) or m.group(2))
    return sorted(found)


def _check(text: str) -> None:
    plain = plain_requirement(text)
    if plain is None:
        return
    req = Requirement(text)  # never raises for a fast-path string
    specifier = str(req.specifier)
    assert plain == (req.name, specifier)
    assert len(req.specifier) <= 1
    assert not req.extras and req.marker is None and req.url is None


def _ref(text: str, monkeypatch: pytest.MonkeyPatch, fast: bool) -> object:
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(pep508, "plain_requirement", lambda text: None)
            m.setattr(requirements, "plain_requirement", lambda text: None)
        model = _file_model()
        ref = requirement_ref(text, Location(1, 1), model)
        return ref, model.problems, requirements._pep508(text)


def _file_model() -> FileModel:
    return FileModel(SourceFile("pyproject.toml", FileKind.PYPROJECT))


def test_fast_path_matches_packaging_on_fixtures_and_corpus(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    samples = _samples()
    fast_hits = 0
    for text in samples:
        _check(text)
        if plain_requirement(text) is not None:
            fast_hits += 1
            assert _ref(text, monkeypatch, True) == _ref(text, monkeypatch, False), text
    assert fast_hits >= 5


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    st.text(alphabet="aZ09.-_ =!<>~,;[]@*+v", min_size=1, max_size=16),
)
def test_fast_path_matches_packaging_on_generated_strings(text: str) -> None:
    try:
        _check(text)
    except InvalidRequirement:  # pragma: no cover - a failure to report
        raise AssertionError(f"fast path accepted an invalid requirement {text!r}") from None


@settings(max_examples=1000, deadline=None, derandomize=True)
@given(st.from_regex(pep508._PLAIN.pattern, fullmatch=True))
def test_every_fast_path_shape_matches_packaging(text: str) -> None:
    """Strings drawn from the fast-path pattern itself: each one packaging parses to the
    same name and specifier."""
    assert plain_requirement(text) is not None
    _check(text)
