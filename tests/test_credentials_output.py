"""No output format ever prints a secret.

Every credential fixture tree (``tests/fixtures/FL1*/*``) is linted with every available
formatter, with all rules selected, and the planted secrets must appear neither in stdout
nor in stderr. The secrets are those listed in the case's ``planted.txt`` plus every
literal credential value and recognised token the model holds, so a secret that no rule
reports is checked too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from feedlint.engine import build_model
from feedlint.formatters import available
from feedlint.parsers.urlscan import plain_user_name
from feedlint.secretscan import value_state
from feedlint.tokens import find_tokens

CASES = sorted(p for p in FIXTURES.glob("FL1*/*") if p.is_dir())


def secrets_of(case: Path) -> set[str]:
    planted = case / "planted.txt"
    found = set()
    if planted.is_file():
        found |= {ln for ln in planted.read_text(encoding="utf-8").splitlines() if ln}
    model = build_model(case)
    for fm in model.files.values():
        for cred in fm.credentials:
            # an organisation as URL user name ('https://org@dev.azure.com/org/') is a name
            if value_state(cred.value) == "literal" and not plain_user_name(cred):
                found.add(cred.value)
        for line in fm.source.lines:
            found |= {t.text for t in find_tokens(line)}
    # short values ('admin') could occur by chance in ordinary words; the planted
    # secrets are all long enough to be unambiguous
    return {s for s in found if len(s) >= 6}


def test_every_firing_credential_case_lists_its_planted_secrets() -> None:
    missing = [
        str(c.relative_to(FIXTURES))
        for c in CASES
        if (c / "expected.txt").is_file()
        and (c / "expected.txt").read_text().strip()
        and c.parent.name in ("FL101", "FL102", "FL103", "FL105")
        and not (c / "planted.txt").is_file()
    ]
    assert not missing


def _about_the_tree(fmt: str, out: str) -> str:
    """The output without SARIF's rule catalogue: that is static documentation from the
    registry (whose examples name e.g. `contoso-` prefixes), not text from the tree."""
    if fmt != "sarif":
        return out
    log = json.loads(out)
    for run in log["runs"]:
        run["tool"]["driver"].pop("rules", None)
    return json.dumps(log, ensure_ascii=False)


@pytest.mark.parametrize("fmt", available())
@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_secret_in_output(case: Path, fmt: str) -> None:
    secrets = secrets_of(case)
    run = run_cli(str(case), "--format", fmt, "--exit-zero")
    assert run.code == 0, run.err
    out = _about_the_tree(fmt, run.out)
    leaked = [s[:4] + "…" for s in secrets if s in out or s in run.err]
    assert not leaked, f"{case.relative_to(FIXTURES)} --format {fmt} printed secrets {leaked}"


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rules_redact_without_the_engine_safety_net(case: Path) -> None:
    """The engine scrubs known credential values again before formatting; the rules must
    not rely on it (a token found by scanning lines is not a model credential)."""
    from feedlint.secretscan import resolved

    secrets = secrets_of(case)
    for item in resolved(build_model(case)):
        text = f"{item.message}\n{item.fix}\n{item.fingerprint}"
        assert not [s for s in secrets if s in text], item.location


def test_token_glued_into_a_variable_name_is_never_printed(tmp_path: Path) -> None:
    """Found by hypothesis: an ARG whose name starts with a token was quoted by FL104."""
    token = "ghp_" + "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oO"[:32] + "OL8d"
    root = tmp_path / "t"
    root.mkdir()
    (root / "Dockerfile").write_text(f"FROM python\nARG {token}password\nRUN pip install x\n")
    for fmt in ("text", "json", "sarif", "github", "azure"):
        run = run_cli(str(root), "--format", fmt, "--exit-zero")
        assert token not in run.out and token not in run.err, fmt
