"""FL401-FL403 on the real files of ``../shared/corpus`` (e_poetry_export, c_poetry,
f_pipfile), copied to their real names (INDEX.tsv ``path``) so pairing sees what the
repositories hold. Each pair comes from one repository at one commit.

What must stay silent: every real pair as committed (their locks match their pins, and
no export there has a lock beside it). What must fire: the same files after the one edit
that makes a lock stale (a pin removed or moved), which is how these repositories would
go wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import corpus_tree, run_cli

FINANCIAL_BOT = {
    "e_poetry_export/iusztinpaul__hands-on-llms__modules__financial_bot__requirements.txt": "modules/financial_bot/requirements.txt",
    "c_poetry/iusztinpaul__hands-on-llms__modules__financial_bot__pyproject.toml": "modules/financial_bot/pyproject.toml",
}
LLM_TWIN = {"e_poetry_export/decodingml__llm-twin-course__requirements.txt": "requirements.txt"}
RSKEW = {
    "c_poetry/rskew__poetry2nix-private-pypi-demo__user_project__pyproject.toml": "user_project/pyproject.toml",
    "c_poetry/rskew__poetry2nix-private-pypi-demo__user_project__poetry.lock": "user_project/poetry.lock",
}
CHIA = {
    "c_poetry/Chia-Network__chia-blockchain__pyproject.toml": "pyproject.toml",
    "c_poetry/Chia-Network__chia-blockchain__poetry.lock": "poetry.lock",
}
TORCHCPS = {
    "c_poetry/Damowerko__torchcps__pyproject.toml": "pyproject.toml",
    "c_poetry/Damowerko__torchcps__poetry.lock": "poetry.lock",
}
POPURA = {
    "c_poetry/popura__pytorch-template__pyproject.toml@poetry-era": "pyproject.toml",
    "c_poetry/popura__pytorch-template__poetry.lock@poetry-era": "poetry.lock",
}
DSP_LOCK = {"c_poetry/dsp-testing__poetry-private-registry-sample__poetry.lock": "poetry.lock"}
VICTORIA = {
    "f_pipfile/glasswall-sre__victoria_rebuilder__Pipfile": "Pipfile",
    "f_pipfile/glasswall-sre__victoria_rebuilder__Pipfile.lock": "Pipfile.lock",
}
SREMAIL = {"f_pipfile/glasswall-sre__sremail__Pipfile": "Pipfile"}


def _fl4(root: Path) -> list[str]:
    run = run_cli(str(root), "--format", "json", "--select", "FL4", "--exit-zero", "-q")
    assert run.code == 0, run.err
    return [f"{line.split(': ')[1]} {line.split(':')[0]}" for line in run.findings]


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{rel}: corpus file changed, {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "mapping",
    [FINANCIAL_BOT, LLM_TWIN, RSKEW, CHIA, TORCHCPS, POPURA, DSP_LOCK, VICTORIA, SREMAIL],
    ids=[
        "financial-bot-export-without-lock",
        "llm-twin-hashed-export-without-lock",
        "rskew-lock-1.1-pinned-source",
        "chia-marker-split-zstd-and-supplemental",
        "torchcps-primary-third-party-source",
        "popura-explicit-torch-source",
        "dsp-lock-alone",
        "victoria-pipfile-index-sre",
        "sremail-pipfile-alone",
    ],
)
def test_real_pairs_stay_silent(tmp_path: Path, mapping: dict[str, str]) -> None:
    """The committed files agree: no export is paired with a lock (none has one beside
    it), and every lock records the sources the project pins."""
    assert _fl4(corpus_tree(tmp_path, mapping)) == []


def test_victoria_index_pin_removed_makes_the_lock_stale(tmp_path: Path) -> None:
    """Pipenv takes unpinned packages from the first source (pypi); the lock still says
    ``"index": "sre"``."""
    root = corpus_tree(tmp_path, VICTORIA)
    _edit(root, "Pipfile", 'victoria = {index = "sre",version = "*"}', 'victoria = {version = "*"}')
    assert _fl4(root) == ["FL403 Pipfile.lock"]


def test_popura_explicit_pin_removed_makes_the_lock_stale(tmp_path: Path) -> None:
    """``torch_cu121`` is an explicit source: Poetry takes only pinned packages from it."""
    root = corpus_tree(tmp_path, POPURA)
    _edit(
        root,
        "pyproject.toml",
        'torch = {version = "^2.3.1+cu121", source = "torch_cu121"}',
        'torch = {version = "^2.3.1+cu121"}',
    )
    assert _fl4(root) == ["FL403 poetry.lock"]


def test_chia_pin_moved_to_pypi_makes_the_lock_stale(tmp_path: Path) -> None:
    root = corpus_tree(tmp_path, CHIA)
    _edit(
        root,
        "pyproject.toml",
        'source = "chia", optional = true',
        'source = "pypi", optional = true',
    )
    assert _fl4(root) == ["FL403 poetry.lock"]


def test_rskew_pin_removed_from_a_primary_source_is_not_stale(tmp_path: Path) -> None:
    """A source without priority is primary: an unpinned package still resolves there, so
    the lock's ``reference = "test-pypi-server"`` is what a re-lock would write."""
    root = corpus_tree(tmp_path, RSKEW)
    _edit(root, "user_project/pyproject.toml", ', source = "test-pypi-server"', "")
    assert _fl4(root) == []
