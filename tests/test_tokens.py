"""Token formats: every recognised shape, documentation dummies, boundaries."""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedlint import tokens
from feedlint.tokens import find_tokens, identify, is_legacy_ado_pat, looks_dummy

_RNG = random.Random(20261121)
B62 = string.ascii_letters + string.digits


def rand(n: int, alphabet: str = B62) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(n))


def ado_pat() -> str:
    return rand(52) + "JQQJ99" + rand(1) + "B" + "ACAAAAAAAAAA" + "AAAAAZDO" + rand(4)


SAMPLES = {
    "Azure DevOps personal access token": ado_pat(),
    "PyPI API token": "pypi-AgEIcHlwaS5vcmc" + rand(150, B62 + "-_"),
    "TestPyPI API token": "pypi-AgENdGVzdC5weXBpLm9yZw" + rand(150, B62 + "-_"),
    "GitHub personal access token": "ghp_" + rand(36),
    "GitHub OAuth token": "gho_" + rand(36),
    "GitHub server-to-server token": "ghs_" + rand(36),
    "GitHub fine-grained personal access token": "github_pat_" + rand(22) + "_" + rand(59),
    "GitLab personal access token": "glpat-" + rand(20),
    "GitLab deploy token": "gldt-" + rand(20),
    "GitLab feed token": "glft-" + rand(20),
    "JFrog API key": "AKCp" + rand(69),
    "JFrog reference token": "cmVmdGtu" + rand(56),
    "JFrog access token": "eyJ2ZXIiOiIyIiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYiLCJraWQiOi"
    + rand(40)
    + ".eyJzdWIiOiJqZmFjQDAx"
    + rand(300, B62 + "-_")
    + "."
    + rand(342, B62 + "-_"),
    "AWS CodeArtifact authorization token": "eyJ2ZXIiOjEsImlzdSI6"
    + rand(120)
    + "."
    + rand(22)
    + "."
    + rand(16)
    + "."
    + rand(200)
    + "."
    + rand(22),
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_format_is_found_in_text_and_identified(kind: str) -> None:
    token = SAMPLES[kind]
    line = f'  password = "{token}"  # ci'
    [match] = find_tokens(line)
    assert (match.kind, match.text) == (kind, token)
    assert line[match.start : match.end] == token
    assert identify(token) == kind


def test_ado_pat_long_form_and_wrong_signature() -> None:
    pat = ado_pat()
    assert identify(pat + "AB==") == "Azure DevOps personal access token"
    assert identify(pat.replace("JQQJ99", "JQQJ77")) is None
    assert identify(pat.replace("AZDO", "AZSB")) is None  # another Azure service's key
    assert find_tokens("x" + pat) == []  # not a token boundary


@pytest.mark.parametrize(
    "dummy",
    [
        "ghp_" + "x" * 36,
        "ghp_1234567890abcdefghijklmnopqrstuvwxyz",
        "glpat-XXXXXXXXXXXXXXXXXXXX",
        "glpat-xxxxxxxxxxxxxxxxxxxx",
        "github_pat_" + "0" * 82,
        "AKCp" + "A" * 69,
        "pypi-AgEIcHlwaS5vcmc" + "x" * 60,
    ],
)
def test_documentation_dummies_are_not_tokens(dummy: str) -> None:
    assert looks_dummy(dummy)
    assert identify(dummy) is None
    assert find_tokens(f"token: {dummy}") == []


def test_truncated_codeartifact_example_is_not_a_token() -> None:
    assert (
        find_tokens("https://aws:eyJ2ZXIiOjEsImlzdSI6MTYxNzcwMjc.....5OSwiZW5jIjoiQTcbp1r@x") == []
    )


def test_legacy_ado_pat_needs_context() -> None:
    legacy = rand(52, "abcdefghijklmnopqrstuvwxyz234567")
    assert is_legacy_ado_pat(legacy)
    assert identify(legacy) is None
    assert identify(legacy, context=True) == "legacy Azure DevOps personal access token"
    assert find_tokens(f"PAT={legacy}") == []
    assert not is_legacy_ado_pat("abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst")
    assert not is_legacy_ado_pat("a" * 52)
    assert not is_legacy_ado_pat(legacy.upper())


@pytest.mark.parametrize("kind,pattern", tokens._FORMATS)
@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data())
def test_every_format_passes_the_anchor_prefilter(
    kind: str, pattern: str, data: st.DataObject
) -> None:
    """identify() and find_tokens() skip text without an anchor literal."""
    token = data.draw(st.from_regex(pattern, fullmatch=True))
    assert tokens._ANCHORS.search(token), kind
