"""Pipfile: sources, package categories, pipenv settings."""

from __future__ import annotations

from pathlib import Path

from conftest import corpus_tree

from feedlint.engine import build_model
from feedlint.model import FileKind, FileModel, IndexRole, Installer, Location, SourceFile
from feedlint.parsers import parse_file
from feedlint.textio import split_lines

PIPFILE = """\
[[source]]
name = "pypi"
url = "https://pypi.org/simple"
verify_ssl = true

[[source]]
name = "corp"
url = "https://${USER}:${PASS}@corp.example/simple"
verify_ssl = false

[packages]
requests = "*"
flask = "==2.3.2"
corp-lib = { version = "==1.0", index = "corp" }
tool = { git = "https://github.com/o/tool.git", ref = "main", editable = true }
"local" = { path = ".", editable = true }

[dev-packages]
pytest = { version = ">=8", extras = ["cov"], markers = "python_version >= '3.8'" }

[docs]
sphinx = "*"

[requires]
python_version = "3.11"

[pipenv]
install_search_all_sources = true
allow_prereleases = false

[scripts]
test = "pytest"
"""


def parse(text: str) -> FileModel:
    fm = parse_file(SourceFile("Pipfile", FileKind.PIPFILE, split_lines(text)))
    assert not [p for p in fm.problems if "internal" in p.message]
    return fm


def test_sources_and_verify_ssl() -> None:
    fm = parse(PIPFILE)
    assert fm.problems == []
    got = [(i.name, i.url, i.role, i.installer, i.location) for i in fm.indexes]
    assert got == [
        (
            "pypi",
            "https://pypi.org/simple",
            IndexRole.SOURCE,
            Installer.PIPENV,
            Location("Pipfile", 3, 8),
        ),
        (
            "corp",
            "https://${USER}:${PASS}@corp.example/simple",
            IndexRole.SOURCE,
            Installer.PIPENV,
            Location("Pipfile", 8, 8),
        ),
    ]
    settings = [
        (s.key, s.value, s.subject, s.location.line, s.location.column) for s in fm.settings
    ]
    assert settings == [
        ("verify-ssl", True, "pypi", 4, 14),
        ("verify-ssl", False, "corp", 9, 14),
        ("install-search-all-sources", True, "", 28, 30),
        ("allow-prereleases", False, "", 29, 21),
    ]


def test_packages_in_every_category() -> None:
    fm = parse(PIPFILE)
    got = [
        (p.name, p.location.line, p.location.column, p.group, p.specifier, p.version, p.source)
        for p in fm.packages
    ]
    assert got == [
        ("requests", 12, 1, "packages", "", None, None),
        ("flask", 13, 1, "packages", "==2.3.2", "2.3.2", None),
        ("corp-lib", 14, 1, "packages", "==1.0", "1.0", "corp"),
        ("tool", 15, 1, "packages", "", None, None),
        ("local", 16, 1, "packages", "", None, None),
        ("pytest", 19, 1, "dev-packages", ">=8", None, None),
        ("sphinx", 22, 1, "docs", "", None, None),
    ]
    tool, local, pytest = fm.packages[3], fm.packages[4], fm.packages[5]
    assert (tool.url, tool.source_type, tool.editable) == (
        "https://github.com/o/tool.git",
        "git",
        True,
    )
    assert (local.url, local.source_type) == (".", "path")
    assert pytest.extras == ("cov",) and pytest.marker == "python_version >= '3.8'"
    assert all(p.kind == "dependency" and p.installer is Installer.PIPENV for p in fm.packages)


def test_bad_pipfile_is_fl001_and_sources_survive() -> None:
    fm = parse(PIPFILE.replace('flask = "==2.3.2"', 'flask = "==2.3.2'))
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(13, 9)]
    assert [i.name for i in fm.indexes] == ["pypi", "corp"]
    assert "requests" not in {p.name for p in fm.packages}
    assert "pytest" in {p.name for p in fm.packages}


def test_corpus_pipfiles(tmp_path: Path) -> None:
    root = corpus_tree(
        tmp_path, {"f_pipfile/glasswall-sre__victoria_rebuilder__Pipfile": "Pipfile"}
    )
    fm = build_model(root).files["Pipfile"]
    assert fm.problems == []
    assert {(i.name, i.url) for i in fm.indexes} == {
        ("pypi", "https://pypi.org/simple"),
        ("sre", "$SRE_PACKAGE_FEED"),
    }
    assert [(p.name, p.source) for p in fm.packages if p.source] == [("victoria", "sre")]
    assert ("allow-prereleases", True) in {(s.key, s.value) for s in fm.settings}

    root = corpus_tree(tmp_path / "b", {"f_pipfile/glasswall-sre__sremail__Pipfile": "Pipfile"})
    fm = build_model(root).files["Pipfile"]
    assert [i.name for i in fm.indexes] == ["pypi", "sre"]
    assert not [p for p in fm.packages if p.source]


def test_password_key_in_a_source_is_a_credential_candidate() -> None:
    fm = parse(
        '[[source]]\nname = "corp"\nurl = "https://corp.example/simple"\npassword = "hunter2x"\n'
    )
    [cred] = fm.credentials
    assert (cred.key, cred.value, cred.kind, cred.location) == (
        "source.0.password",
        "hunter2x",
        "key-value",
        Location("Pipfile", 4, 13),
    )
