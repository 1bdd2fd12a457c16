"""FL401-FL403 and export pairing beyond the fixture trees: severities, messages, pip's
index-option order, pairing rules. Each test starts from a fixture tree written by the
real tools (tests/tools/make_export_fixtures.py) and changes one thing, as a person
editing the file would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from feedlint.config import Config
from feedlint.engine import build_model
from feedlint.model import (
    FileKind,
    FileModel,
    IndexRef,
    IndexRole,
    Installer,
    PackageRef,
    ProjectModel,
    Setting,
    SourceFile,
)
from feedlint.pairing import export_pairs
from feedlint.rules.exports import ExportDropsSource, ExportStale

FEED = "https://pkgs.dev.azure.com/contoso/_packaging/internal/pypi/simple"


def _copy(tmp_path: Path, case: str) -> Path:
    root = tmp_path / case.replace("/", "-")
    shutil.copytree(FIXTURES / case, root)
    (root / "expected.txt").unlink(missing_ok=True)
    return root


def _lint(root: Path, code: str, *paths: str) -> list[dict]:
    targets = [str(root / p) for p in paths] or [str(root)]
    run = run_cli(*targets, "--format", "json", "--select", code, "--exit-zero", "-q")
    assert run.code == 0, run.err
    return run.json["findings"]


def _where(findings: list[dict]) -> list[str]:
    return [f"{f['path']}:{f['line']}:{f['column']}" for f in findings]


def _rewrite(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- FL401 ------------------------------------------------------------------------------
def test_fl401_is_an_error_without_hashes_and_names_the_lock_line(tmp_path: Path) -> None:
    root = _copy(tmp_path, "FL401/poetry-supplemental-no-hashes")
    first = _lint(root, "FL401")[0]
    assert first["severity"] == "error"
    assert "contoso-core" in first["message"] and "poetry.lock:16" in first["message"]
    assert "beside PyPI" in first["message"] and "without --hash" in first["message"]
    assert "poetry install" in first["fix"]


def test_fl401_hashes_soften_it_to_a_warning(tmp_path: Path) -> None:
    findings = _lint(_copy(tmp_path, "FL401/poetry-supplemental-hashes"), "FL401")
    assert {f["severity"] for f in findings} == {"warning"}
    assert all("--hash" in f["message"] for f in findings)


def test_fl401_hash_checking_mode_softens_unhashed_lines(tmp_path: Path) -> None:
    root = _copy(tmp_path, "FL401/poetry-supplemental-no-hashes")
    _rewrite(root, "requirements.txt", "\n\n", "\n--require-hashes\n\n")
    findings = _lint(root, "FL401")
    assert len(findings) == 2 and {f["severity"] for f in findings} == {"warning"}
    assert "hash-checking mode" in findings[0]["message"]


def test_fl401_uv_export_without_index_lines_says_so(tmp_path: Path) -> None:
    findings = _lint(_copy(tmp_path, "FL401/uv-no-hashes"), "FL401")
    assert "no index line" in findings[0]["message"]
    assert "uv.lock:33" in findings[0]["message"] and "uv sync" in findings[0]["fix"]


@pytest.mark.parametrize(
    ("index_lines", "fires"),
    [
        (f"--index-url {FEED}\n", False),  # the feed is the only index
        (f"--index-url {FEED}/\n", False),  # trailing slash is the same index
        ("--index-url ${PIP_INDEX_URL}\n", False),  # cannot tell: trust the variable
        (f"--index-url https://${{FEED_USER}}:${{FEED_TOKEN}}@{FEED[8:]}\n", False),
        ("--index-url https://${FEED_TOKEN}@other.example/simple\n", True),
        (f"--index-url {FEED}\n--extra-index-url https://pypi.org/simple\n", True),
        (f"--extra-index-url {FEED}\n--index-url https://pypi.org/simple\n", True),
        (f"--index-url https://pypi.org/simple\n--extra-index-url {FEED}\n", True),
        (f"--extra-index-url {FEED}\n--index-url {FEED}\n", False),  # -i drops the extra
        (f"--no-index\n--find-links {FEED}\n", False),
        ("--index-url https://pkgs.dev.azure.com/contoso/_packaging/other/pypi/simple\n", True),
    ],
)
def test_fl401_follows_pips_index_options(tmp_path: Path, index_lines: str, fires: bool) -> None:
    root = _copy(tmp_path, "FL401/poetry-supplemental-no-hashes")
    _rewrite(root, "requirements.txt", f"--extra-index-url {FEED}\n", index_lines)
    assert bool(_lint(root, "FL401")) is fires


@pytest.mark.parametrize(
    ("index_lines", "fires"),
    [
        # one line: pip applies -i before the extras, so PyPI stays beside the feed
        (f"--extra-index-url https://pypi.org/simple --index-url {FEED}\n", True),
        # after --no-index pip ignores index options and reads only the link pages
        (f"--no-index\n--extra-index-url https://pypi.org/simple\n--find-links {FEED}\n", False),
        ("--no-index\n--find-links ./wheels\n", False),  # a wheelhouse: nothing public
        ("--no-index\n--find-links https://pypi.org/simple/contoso-core/\n", True),
    ],
)
def test_fl401_replays_pips_option_line_semantics(
    tmp_path: Path, index_lines: str, fires: bool
) -> None:
    root = _copy(tmp_path, "FL401/poetry-supplemental-no-hashes")
    _rewrite(root, "requirements.txt", f"--extra-index-url {FEED}\n", index_lines)
    assert bool(_lint(root, "FL401")) is fires


def test_fl401_reads_index_options_of_included_files(tmp_path: Path) -> None:
    root = _copy(tmp_path, "FL401/poetry-supplemental-no-hashes")
    _rewrite(root, "requirements.txt", f"--extra-index-url {FEED}\n", "-r index.txt\n")
    (root / "index.txt").write_text(f"--index-url {FEED}\n", encoding="utf-8")
    assert _lint(root, "FL401") == []


def test_fl401_in_pre_commit_mode_reports_on_the_export(tmp_path: Path) -> None:
    root = _copy(tmp_path, "FL401/uv-no-hashes")
    (root / ".git").mkdir()
    assert len(_lint(root, "FL401", "requirements.txt")) == 3
    assert _lint(root, "FL401", "pyproject.toml") == []


def test_fl401_private_prefix_alone_is_not_a_dropped_source(tmp_path: Path) -> None:
    """six comes from PyPI in the lock: naming it private changes nothing the export drops."""
    root = _copy(tmp_path, "FL401/uv-public-only")
    (root / ".feedlint.toml").write_text('private-packages = ["six"]\n', encoding="utf-8")
    assert _lint(root, "FL401") == []


# -- FL402 ------------------------------------------------------------------------------
def test_fl402_unknown_hash(tmp_path: Path) -> None:
    root = _copy(tmp_path, "FL402/poetry-main-only-export")
    _rewrite(
        root,
        "requirements.txt",
        "--hash=sha256:44e11403",
        "--hash=sha256:0000000000000000000000000000000000000000000000000000000000000000 \\\n"
        "    --hash=sha256:44e11403",
    )
    [finding] = _lint(root, "FL402")
    assert "does not have" in finding["message"] and finding["path"] == "requirements.txt"


def test_fl402_main_package_dropped_from_export(tmp_path: Path) -> None:
    root = _copy(tmp_path, "FL402/poetry-main-only-export")
    text = (root / "requirements.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(text) if ln.startswith("contoso-core=="))
    del text[start : start + 2]  # the requirement and its --hash continuation
    (root / "requirements.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    [finding] = _lint(root, "FL402")
    assert (
        finding["path"] == "poetry.lock" and "missing from requirements.txt" in finding["message"]
    )


def test_fl402_main_package_dropped_from_a_dev_export_is_drift(tmp_path: Path) -> None:
    """--with dev is evident from the dev-only package; dropping a main one is drift."""
    root = _copy(tmp_path, "FL402/poetry-with-dev-export")
    text = (root / "requirements.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(text) if ln.startswith("contoso-utils=="))
    del text[start : start + 2]
    (root / "requirements.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    assert _where(_lint(root, "FL402")) == ["poetry.lock:36:9"]


def test_fl402_handwritten_loose_requirements_are_not_an_export(tmp_path: Path) -> None:
    root = _copy(tmp_path, "FL402/poetry-main-only-export")
    (root / "requirements.txt").write_text("contoso-utils>=0.3\n", encoding="utf-8")
    assert _lint(root, "FL4") == []


# -- pairing ------------------------------------------------------------------------------
def _pairs(root: Path) -> dict[str, str]:
    model = build_model(root)
    return {p.export.path: f"{p.lock.path} ({p.how})" for p in export_pairs(model)}


def test_pairing_by_header_directory_and_configuration(tmp_path: Path) -> None:
    root = _copy(tmp_path, "FL401/uv-no-hashes")
    sub = root / "deploy"
    sub.mkdir()
    shutil.copy(root / "requirements.txt", sub / "requirements-prod.txt")
    (root / "requirements-docs.txt").write_text("sphinx==7.2.6\n", encoding="utf-8")
    pairs = _pairs(root)
    assert pairs == {
        "requirements.txt": "uv.lock (uv header)",
        "deploy/requirements-prod.txt": "uv.lock (uv header)",
    }


def test_pairing_without_header_needs_pins_that_match_the_lock(tmp_path: Path) -> None:
    root = _copy(tmp_path, "FL401/poetry-supplemental-no-hashes")
    (root / "requirements-dev.txt").write_text("contoso-core==1.1.0\npytest\n", encoding="utf-8")
    (root / "requirements-lint.txt").write_text("contoso-testkit==0.9.0\n", encoding="utf-8")
    ci = "contoso-core==1.1.0\ncontoso-utils==0.3.0\n"
    (root / "requirements-ci.txt").write_text(ci, encoding="utf-8")
    assert _pairs(root) == {
        "requirements-ci.txt": "poetry.lock (same directory, names match)",
        "requirements.txt": "poetry.lock (same directory, names match)",
    }


def test_pip_compile_output_is_never_paired(tmp_path: Path) -> None:
    root = _copy(tmp_path, "FL401/poetry-supplemental-no-hashes")
    text = (root / "requirements.txt").read_text(encoding="utf-8")
    header = "#\n# This file is autogenerated by pip-compile with Python 3.11\n#\n"
    (root / "requirements.txt").write_text(header + text, encoding="utf-8")
    assert _pairs(root) == {}


def test_configured_pair_reads_a_file_discovery_would_not(tmp_path: Path) -> None:
    root = _copy(tmp_path, "FL401/configured-export-path")
    assert _pairs(root) == {
        "deploy/pinned.txt": "poetry.lock (configured in [tool.feedlint] exports)"
    }


# -- PDM (pdm.lock records no index: the tree's include_packages says what is private) ----
def _pdm_model(tail_index_lines: list[tuple[IndexRole, str]]) -> ProjectModel:
    """A pdm project as its parsers model it (pdm itself could not run on this machine
    to write a fixture: its HTTP stack fails to import)."""
    model = ProjectModel(root=Path("."), config=Config())
    pyproject = FileModel(SourceFile("pyproject.toml", FileKind.PYPROJECT, ("",) * 20))
    pyproject.indexes.append(
        IndexRef(FEED, IndexRole.SOURCE, Installer.PDM, pyproject.loc(12, 8), name="internal")
    )
    pyproject.settings.append(
        Setting(
            "include-packages",
            ["contoso-*"],
            Installer.PDM,
            pyproject.loc(13, 1),
            subject="internal",
        )
    )
    pyproject.packages.append(
        PackageRef("contoso-utils", pyproject.loc(5, 18), "dependency", raw_name="contoso-utils")
    )
    lock = FileModel(SourceFile("pdm.lock", FileKind.PDM_LOCK, ("",) * 30))
    lock.facts["records-index"] = False
    for line, (name, version) in enumerate([("contoso-core", "1.1.0"), ("contoso-utils", "0.3.0")]):
        lock.packages.append(
            PackageRef(name, lock.loc(10 * line + 5, 9), "lock", Installer.PDM, raw_name=name,
                       version=version, group="default")
        )  # fmt: skip
    export = FileModel(SourceFile("requirements.txt", FileKind.REQUIREMENTS, ("",) * 10))
    export.facts["exported-by"] = "pdm"
    export.packages += [
        PackageRef("contoso-core", export.loc(4, 1), "requirement", Installer.PIP, version="1.1.0"),
        PackageRef(
            "contoso-utils", export.loc(5, 1), "requirement", Installer.PIP, version="0.3.0"
        ),
    ]
    for offset, (role, url) in enumerate(tail_index_lines):
        export.indexes.append(IndexRef(url, role, Installer.PIP, export.loc(6 + offset, 13)))
    for fm in (pyproject, lock, export):
        model.files[fm.path] = fm
    return model


def test_fl401_pdm_export_lists_the_feed_beside_pypi() -> None:
    """pdm export appends `--index-url <pypi>` and `--extra-index-url <source>` lines."""
    model = _pdm_model([(IndexRole.INDEX, "https://pypi.org/simple"), (IndexRole.EXTRA, FEED)])
    findings = list(ExportDropsSource().check(model))
    assert [str(f.location) for f in findings] == ["requirements.txt:4:1", "requirements.txt:5:1"]
    assert "included from source 'internal'" in findings[0].message
    assert list(ExportStale().check(model)) == []


def test_fl401_pdm_export_with_only_the_feed_is_silent() -> None:
    assert list(ExportDropsSource().check(_pdm_model([(IndexRole.INDEX, FEED)]))) == []


def test_workspace_member_globs_match_directory_by_directory() -> None:
    from feedlint.pairing import _glob_match

    assert _glob_match("packages/svc", "packages/*")
    assert not _glob_match("packages/svc/sub", "packages/*")
    assert _glob_match("libs/a/b", "libs/**")
    assert _glob_match("apps/api", "./apps/api/")
    assert not _glob_match("x/packages/svc", "packages/*")
