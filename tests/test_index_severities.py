"""Severities the FL2 fixture trees promise: lower (info) where the risk is real but not a
private-feed exposure, the default (warning) otherwise."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, run_cli

CASES = {
    "FL201/third-party-beside-pypi": ["info"],
    "FL201/third-party-beside-private-index-url": ["info"],  # nobody else publishes there
    "FL201/tox-setenv-env-default-third-party": ["info"],  # {env:X:default} resolved
    "FL201/req-extra-private": ["warning"],
    "FL201/two-private-indexes": ["warning"],
    "FL201/github-env-expression-third-party": ["info"],  # ${{ env.X }} resolved
    "FL201/github-env-expression-private": ["warning"],
    "FL201/pipauthenticate-only-add-extra-index": ["warning"],
    "FL201/uv-pypi-extra-ahead-of-private-index": ["warning"],
    "FL205/first-index-unpinned-info": ["info"],
    "FL205/explicit-index-unpinned": ["warning"],
    "FL206/pipenv-unbound-private-source": ["info"],
    "FL207/poetry-http-localhost": ["info"],
    "FL207/http-index-and-trusted-host": ["warning", "warning"],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_severity(case: str) -> None:
    code = case.split("/")[0]
    run = run_cli(str(FIXTURES / case), "--format", "json", "--select", code, "--exit-zero")
    assert [f["severity"] for f in run.json["findings"]] == CASES[case]


def test_info_findings_do_not_fail_the_default_run() -> None:
    run = run_cli(str(FIXTURES / "FL201/third-party-beside-pypi"), "--select", "FL201")
    assert run.code == 0
    run = run_cli(str(FIXTURES / "FL201/req-extra-private"), "--select", "FL201")
    assert run.code == 1
