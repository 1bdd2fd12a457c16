"""FL2 over the real-world corpus (``../shared/corpus``): what must fire and what must stay
silent, with the reason taken from the corpus notes (INDEX.tsv).

Each source repository becomes one tree, its files copied to their real paths (so a
``pip.ini`` stays beside its ``requirements.txt``); historical versions (``file@era``) are
trees of their own. The tests skip when the corpus is absent.
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest
from conftest import CORPUS, corpus_tree, run_cli

CATEGORIES = ("b_private_index", "c_poetry", "d_uv", "f_pipfile")


def _trees() -> dict[str, dict[str, str]]:
    """tree name (``owner__repo`` or ``owner__repo@era``) -> {corpus file: path in tree}."""
    index = CORPUS / "INDEX.tsv"
    if not index.is_file():
        return {}
    trees: dict[str, dict[str, str]] = {}
    with index.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["category"] not in CATEGORIES:
                continue
            era = row["saved_file"].partition("@")[2]
            name = row["repo"].replace("/", "__") + (f"@{era}" if era else "")
            trees.setdefault(name, {})[row["saved_file"]] = row["path"]
    return trees


TREES = _trees()

#: tree -> (expected FL2 findings as "path:line:col: CODE severity", parser modules needed, why)
EXPECTED: dict[str, tuple[list[str], tuple[str, ...], str]] = {
    # -- b_private_index ------------------------------------------------------------
    "Cray-HPE__csm-cms-buildenv": (
        [
            "pip.conf:3:16: FL207 warning",  # trusted-host artifactory.algol60.net
            "pip.conf:4:16: FL207 warning",  # trusted-host arti.hpc.amslabs.hpecorp.net
            "pip.conf:6:19: FL201 warning",  # private extra beside the Artifactory PyPI remote
            "pip.conf:6:19: FL207 warning",  # ... over plain http
        ],
        ("feedlint.parsers.pipconf",),
        "extra-index-url to an internal feed over http beside a PyPI remote, trusted-host for both",
    ),
    "IggyIkenna__instruments-service": (
        ["pip.conf:2:19: FL201 warning"],
        ("feedlint.parsers.pipconf", "feedlint.parsers.pyproject"),
        "GCP Artifact Registry as extra-index-url merged with PyPI; the uv pyproject binds "
        "its internal names to local paths (not an index), so FL205 stays silent",
    ),
    "MHSeals__mhseals_docker": (
        [
            ".devcontainer/pip.conf:4:5: FL201 warning",  # unknown jetson host beside PyPI
            ".devcontainer/pip.conf:4:5: FL207 warning",  # ... over plain http
        ],
        ("feedlint.parsers.pipconf",),
        "http extra index on a dynamic-DNS host; the Tsinghua/Aliyun extras mirror PyPI "
        "(same content), so they are not a mix",
    ),
    "MekhaleR__azure-artifacts-python-helloworld": (
        ["azure-pipelines.yml:42:46: FL201 warning"],
        ("feedlint.parsers.ciyaml",),
        "`pip install azurehello --extra-index-url <ADO feed>`: the textbook pattern",
    ),
    "All-Hands-AI__OpenHands": (
        [f"pip.conf:{line}:16: FL207 warning" for line in (2, 3, 4, 7, 8, 9)],
        ("feedlint.parsers.pipconf",),
        "trusted-host for the PyPI hosts in [global] and [install]; identical values in both "
        "sections, so no FL209",
    ),
    "chtrembl__azure-cloud": (
        [],
        ("feedlint.parsers.pipconf", "feedlint.parsers.requirements"),
        "pip.ini index-url = the ADO feed: a single private index is the recommended setup",
    ),
    "rayluo__azure-artifacts-python-project": (
        [],
        ("feedlint.parsers.requirements",),
        "--index-url to the *.pkgs.visualstudio.com feed and nothing else",
    ),
    "Centric-Technologies__signals-ticker-map-updater": (
        [],
        ("feedlint.parsers.requirements",),
        "a private name without index lines: a name (FL3) concern, no index configuration",
    ),
    "aws-samples__codeartifact-jenkins-python-sample": (
        [],
        ("feedlint.parsers.requirements",),
        "names only, no index configuration",
    ),
    # -- c_poetry -------------------------------------------------------------------------
    "Chia-Network__chia-blockchain@secondary-era": (
        [
            "pyproject.toml:33:1: FL203 warning",  # default = false
            "pyproject.toml:34:1: FL203 warning",  # secondary = true
        ],
        ("feedlint.parsers.pyproject",),
        "legacy source flags; every chia package is pinned with source=, so no FL204",
    ),
    "Chia-Network__chia-blockchain": (
        [],
        ("feedlint.parsers.pyproject", "feedlint.parsers.locks"),
        "priority = supplemental, chia packages pinned; zstd is locked from PyPI too (a "
        "deliberate marker split), so it is not an unpinned private package",
    ),
    "rskew__poetry2nix-private-pypi-demo": (
        ["user_project/pyproject.toml:9:8: FL207 info"],
        ("feedlint.parsers.pyproject", "feedlint.parsers.locks"),
        "http://localhost source (loopback: info); test_package is pinned to it; the lock "
        "repeats the source and is not reported twice",
    ),
    "dsp-testing__pip-toml-private-registry-sample": (
        [],
        ("feedlint.parsers.pyproject",),
        "one primary JFrog source: Poetry 1.8+ disables implicit PyPI, so the unpinned "
        "dependency has a single index (the URL credentials are FL1)",
    ),
    "dsp-testing__poetry-private-registry-sample": (
        [],
        ("feedlint.parsers.locks",),
        "a lock without [package.source]: negative control",
    ),
    "iusztinpaul__hands-on-llms": (
        [],
        ("feedlint.parsers.pyproject",),
        "supplemental PyTorch index and explicit PyPI primary; torch is public",
    ),
    "Damowerko__torchcps": (
        [],
        ("feedlint.parsers.pyproject", "feedlint.parsers.locks"),
        "the PyG index is a known public third-party index, not a private feed: no FL2 code "
        "covers 'third-party primary source, PyPI supplemental' (noted, not a finding)",
    ),
    "popura__pytorch-template@poetry-era": (
        [],
        ("feedlint.parsers.pyproject", "feedlint.parsers.locks"),
        "explicit PyTorch source with source= pins: good practice",
    ),
    # -- d_uv -------------------------------------------------------------------------------
    "Azure__azure-sdk-for-python": (
        [],
        ("feedlint.parsers.uvtoml",),
        "the ADO feed is the default (only) index: no mixing",
    ),
    "Benjamin-Etheredge__mono": (
        [],
        ("feedlint.parsers.uvtoml",),
        "a proxpi mirror as the default index; allow-insecure-host is commented out",
    ),
    "AI-Hypercomputer__maxdiffusion": (
        [],
        ("feedlint.parsers.uvtoml",),
        "index-url and the default index both PyPI: negative control",
    ),
    "GitGuardian__ggshield": (
        [],
        ("feedlint.parsers.pyproject",),
        "PyPI declared as the default index on purpose: negative control",
    ),
    "popura__pytorch-template": (
        [],
        ("feedlint.parsers.pyproject",),
        "explicit PyTorch indexes with [tool.uv.sources] pins: negative control",
    ),
    # -- f_pipfile ------------------------------------------------------------------------
    "glasswall-sre__victoria_rebuilder": (
        [],
        ("feedlint.parsers.pipfile", "feedlint.parsers.locks"),
        "victoria is pinned with index = 'sre'",
    ),
    "glasswall-sre__sremail": (
        ["Pipfile:8:8: FL206 info"],
        ("feedlint.parsers.pipfile",),
        "a private source no package is pinned to: unused by current pipenv, merged with "
        "PyPI by pipenv before 2022.3.23",
    ),
}


def _have(modules: tuple[str, ...]) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in modules)


def test_every_corpus_tree_has_an_expectation() -> None:
    if not TREES:
        pytest.skip("shared corpus not available")
    assert sorted(TREES) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_tree(name: str, tmp_path: Path) -> None:
    if name not in TREES:
        pytest.skip(f"shared corpus not available: {name}")
    expected, modules, why = EXPECTED[name]
    if not _have(modules):
        pytest.skip(f"parser not available yet: {', '.join(modules)}")
    root = corpus_tree(tmp_path, TREES[name])
    run = run_cli(str(root), "--format", "json", "--select", "FL2", "--exit-zero", "-q")
    assert run.code == 0, run.err
    got = [
        f"{f['path']}:{f['line']}:{f['column']}: {f['code']} {f['severity']}"
        for f in run.json["findings"]
    ]
    assert got == expected, f"{name}: {why}\n{run.out}"
