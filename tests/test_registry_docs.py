"""The registry is the single source of rule documentation; rules.md must not drift."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO

from feedlint.docs import render_markdown
from feedlint.kinds import PRE_COMMIT_FILES_REGEX, classify
from feedlint.registry import SECTIONS, all_rules


def test_rules_md_is_generated_from_the_registry() -> None:
    current = (REPO / "rules.md").read_text(encoding="utf-8")
    assert current == render_markdown(), (
        "rules.md is stale: run `python -m feedlint.docs > rules.md`"
    )


def test_every_rule_is_fully_documented() -> None:
    for rule in all_rules():
        assert re.match(r"^FL\d{3}$", rule.code)
        assert re.match(r"^[a-z0-9-]+$", rule.name), rule.code
        assert rule.summary(), rule.code
        sections = rule.sections()
        for title in SECTIONS:
            assert sections.get(title, "").strip(), f"{rule.code} lacks '{title}'"


def test_rule_names_are_unique() -> None:
    names = [r.name for r in all_rules()]
    assert len(names) == len(set(names))


SAMPLES = [
    "pyproject.toml",
    "sub/poetry.lock",
    "uv.lock",
    "pdm.lock",
    "Pipfile",
    "Pipfile.lock",
    "requirements.txt",
    "requirements-dev.txt",
    "dev-requirements.in",
    "requirements/base.txt",
    "constraints.txt",
    "pip.conf",
    ".pip/pip.conf",
    ".config/pip/pip.conf",
    "etc/pip.conf",
    "pip.ini",
    ".pypirc",
    "setup.cfg",
    "tox.ini",
    "setup.py",
    "uv.toml",
    "poetry.toml",
    "Dockerfile",
    "docker/Dockerfile.prod",
    "camsdk.Dockerfile",
    "Containerfile",
    "azure-pipelines.yml",
    "azure-pipelines-release.yaml",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    "pipelines/publish.yaml",
    "build-publish-pipeline.yml",
    ".pipelines/templates/install-steps.yml",
    "ci/build.yml",
    ".azuredevops/release.yaml",
    ".github/actions/setup-deps/action.yml",
    ".envrc",
    "scripts/push.sh",
    "install.ps1",
    ".env",
    ".env.local",
    "prod.env",
    ".netrc",
    "_netrc",
    ".git-credentials",
    "docker-compose.yml",
    "deploy/docker-compose.prod.yaml",
    "docker-compose-dev.yml",
    "compose.yaml",
    "compose.override.yml",
    "environment.yml",
    "binder/environment.yaml",
    "environment-dev.yml",
    "conda.yml",
    "ci/environment-py311.yml",
    "Makefile",
    "makefile",
    "GNUmakefile",
    "build/python.mk",
]
NOT_PACKAGING = [
    "README.md",
    "src/app.py",
    "docs/conf.yml",
    "notes.txt",
    "data.json",
    "config.yaml",
    "environments.yml",
    "docs/composer.yml",
    "Makefile.am",
    "docs/Makefile.in",
]


def test_pre_commit_files_pattern_agrees_with_classify() -> None:
    pattern = re.compile(PRE_COMMIT_FILES_REGEX)
    for path in SAMPLES:
        assert classify(path) is not None, path
        assert pattern.search(path), path
    for path in NOT_PACKAGING:
        assert classify(path) is None, path
        assert not pattern.search(path), path


def test_pre_commit_hook_file_uses_the_pattern() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert PRE_COMMIT_FILES_REGEX in text
    assert "require_serial: true" in text and "language: python" in text


def test_start_up_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from feedlint.cli import main; main(['--version']) if False else None;"
        "import feedlint.engine, feedlint.registry; feedlint.registry.all_rules();"
        "bad = [m for m in ('httpx', 'libcst') if m in sys.modules]; print(bad)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "feedlint", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "httpx" not in proc.stderr and "libcst" not in proc.stderr


def test_a_clean_lint_run_skips_modules_it_does_not_need(tmp_path: Path) -> None:
    """The imports a pre-commit run pays for (issue 8): no dataclasses/inspect (records are
    feedlint.record), and hashlib/json only once there is a finding or a cache to read."""
    (tmp_path / "requirements.txt").write_text("requests==2.32.3\n")
    (tmp_path / "tox.ini").write_text("[tox]\nenv_list = py311\n")
    code = (
        "import sys; from feedlint.cli import main; code = main([sys.argv[1]]);"
        "heavy = ('dataclasses', 'inspect', 'ast', 'hashlib', 'json', 'httpx', 'libcst');"
        "print(code, [m for m in heavy if m in sys.modules])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip().splitlines()[-1] == "0 []"
