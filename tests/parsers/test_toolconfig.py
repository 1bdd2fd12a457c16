"""poetry.toml / auth.toml and pdm.toml: credentials, repositories, indexes."""

from __future__ import annotations

from feedlint.model import (
    FileKind,
    FileModel,
    IndexRole,
    Installer,
    Location,
    PublishTarget,
    SourceFile,
)
from feedlint.parsers import parse_file
from feedlint.textio import split_lines


def parse(text: str, name: str, kind: FileKind) -> FileModel:
    fm = parse_file(SourceFile(name, kind, split_lines(text)))
    assert not [p for p in fm.problems if "internal" in p.message]
    return fm


AUTH = """\
[http-basic.corp]
username = "ci"
password = "s3cr3t-value"

[http-basic]
other = { username = "u", password = "another-secret" }

[pypi-token]
pypi = "pypi-AgEIcHlwaS5vcmcCJGFiYw"
"""


def test_poetry_auth_toml_credentials_at_the_value() -> None:
    fm = parse(AUTH, "auth.toml", FileKind.POETRY_CONFIG)
    got = [(c.key, c.value, c.kind, c.location) for c in fm.credentials]
    assert got == [
        ("http-basic.corp.password", "s3cr3t-value", "key-value", Location("auth.toml", 3, 13)),
        ("http-basic.other.password", "another-secret", "key-value", Location("auth.toml", 6, 39)),
        (
            "pypi-token.pypi",
            "pypi-AgEIcHlwaS5vcmcCJGFiYw",
            "key-value",
            Location("auth.toml", 9, 9),
        ),
    ]
    assert all(c.file_kind is FileKind.POETRY_CONFIG for c in fm.credentials)


def test_poetry_toml_repositories_and_certificates() -> None:
    fm = parse(
        "[virtualenvs]\nin-project = true\n"
        '[repositories.corp]\nurl = "https://corp.example/upload/"\n'
        "[certificates.corp]\ncert = false\n"
        '[http-basic.empty]\npassword = ""\n',
        "poetry.toml",
        FileKind.POETRY_CONFIG,
    )
    assert fm.publish_targets == [
        PublishTarget(
            "corp", "https://corp.example/upload/", "poetry", Location("poetry.toml", 4, 8)
        )
    ]
    [ref] = fm.indexes
    assert (ref.role, ref.installer, ref.name, ref.scope) == (
        IndexRole.PUBLISH,
        Installer.POETRY,
        "corp",
        "config",
    )
    assert [(s.key, s.value, s.subject, s.location.line) for s in fm.settings] == [
        ("verify-ssl", False, "corp", 6)
    ]
    assert fm.credentials == []


PDM = """\
[pypi]
url = "https://mirror.example/simple"
username = "me"
password = "pdm-secret"
verify_ssl = false

[pypi.corp]
url = "https://corp.example/simple"
password = "corp-secret"

[repository.corp]
url = "https://corp.example/upload"
password = "upload-secret"

[repository.pypi]
username = "__token__"
password = "pypi-token-value"
"""


def test_pdm_toml() -> None:
    fm = parse(PDM, "pdm.toml", FileKind.PDM_CONFIG)
    assert fm.problems == []
    got = [(i.url, i.role, i.name, i.location) for i in fm.indexes]
    assert got == [
        ("https://mirror.example/simple", IndexRole.INDEX, None, Location("pdm.toml", 2, 8)),
        ("https://corp.example/simple", IndexRole.SOURCE, "corp", Location("pdm.toml", 8, 8)),
        ("https://corp.example/upload", IndexRole.PUBLISH, "corp", Location("pdm.toml", 12, 8)),
    ]
    assert all(i.installer is Installer.PDM for i in fm.indexes)
    assert [(c.key, c.location.line, c.location.column) for c in fm.credentials] == [
        ("pypi.password", 4, 13),
        ("pypi.corp.password", 9, 13),
        ("repository.corp.password", 13, 13),
        ("repository.pypi.password", 17, 13),
    ]
    assert fm.publish_targets == [
        PublishTarget("corp", "https://corp.example/upload", "pdm", Location("pdm.toml", 12, 8)),
        PublishTarget("pypi", None, "pdm", Location("pdm.toml", 15, 13)),
    ]
    assert [(s.key, s.value, s.subject) for s in fm.settings] == [("verify-ssl", False, "")]


def test_bad_toolconfig_is_fl001() -> None:
    fm = parse("[http-basic.corp\npassword = 'x'\n", "auth.toml", FileKind.POETRY_CONFIG)
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(1, 17)]
    # the broken table is dropped, but its password line is still committed text
    assert [(c.key, c.value, c.location.line) for c in fm.credentials] == [("password", "x", 2)]
