""".pypirc: twine's reading of repositories, passwords and index-servers; the corpus."""

from __future__ import annotations

from pathlib import Path

from conftest import corpus_tree

from feedlint.engine import build_model
from feedlint.model import FileKind, FileModel, IndexRole, Installer, Location, SourceFile
from feedlint.parsers.pypirc import parse

PATH = ".pypirc"


def read(text: str) -> FileModel:
    return parse(SourceFile(PATH, FileKind.PYPIRC, tuple(text.split("\n"))))


def loc(line: int, column: int, path: str = PATH) -> Location:
    return Location(path, line, column)


def test_repositories_passwords_and_index_servers() -> None:
    fm = read(
        "[distutils]\n"
        "index-servers =\n"
        "    pypi\n"
        "    corp\n"
        "\n"
        "[pypi]\n"
        "username = __token__\n"
        "password = pypi-AgEIcHlwaS5vcmcabc\n"
        "\n"
        "[corp]\n"
        "repository = https://pkgs.dev.azure.com/o/_packaging/f/pypi/upload/\n"
        "username = build\n"
        "password =\n"
        "\n"
        "[old]\n"
        "repository = https://old.example/\n"
    )
    assert fm.facts["index-servers"] == [
        {"name": "pypi", "line": 3, "column": 5},
        {"name": "corp", "line": 4, "column": 5},
    ]
    assert fm.facts["unused-sections"] == ["old"]
    assert fm.facts["usernames"] == {"pypi": "__token__", "corp": "build"}
    assert [(t.name, t.url, t.tool, t.location) for t in fm.publish_targets] == [
        ("pypi", "https://upload.pypi.org/legacy/", "twine", loc(6, 2)),
        ("corp", "https://pkgs.dev.azure.com/o/_packaging/f/pypi/upload/", "twine", loc(11, 14)),
        ("old", "https://old.example/", "twine", loc(16, 14)),
    ]
    assert [(r.role, r.installer, r.scope, r.via, r.location) for r in fm.indexes] == [
        (IndexRole.PUBLISH, Installer.TWINE, "corp", "repository", loc(11, 14)),
        (IndexRole.PUBLISH, Installer.TWINE, "old", "repository", loc(16, 14)),
    ]
    (cred,) = fm.credentials  # the empty password is not a credential
    assert (cred.kind, cred.key, cred.host, cred.location) == (
        "key-value",
        "password",
        "upload.pypi.org",
        loc(8, 12),
    )


def test_a_section_without_repository_is_not_a_target() -> None:
    fm = read("[distutils]\nindex-servers = local\n[local]\nusername = me\n")
    assert fm.publish_targets == [] and "unused-sections" not in fm.facts


def test_server_login_password() -> None:
    fm = read("[server-login]\nusername = me\npassword = legacy-secret\n")
    assert [(c.key, c.location) for c in fm.credentials] == [("password", loc(3, 12))]
    assert fm.publish_targets == []


def test_duplicate_key_is_fl001() -> None:
    fm = read("[pypi]\npassword = a\npassword = b\n")
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(3, 1)]


CORPUS = {
    "a_credentials/ASCOMInitiative__alpyca__.pypirc": "ascom/.pypirc",
    "a_credentials/Accruent__owasp-zap-historic-parser__.pypirc": "accruent/.pypirc",
    "a_credentials/AfricasTalkingLtd__africastalking-python__.pypirc": "africa/.pypirc",
    "a_credentials/ChenJaTing__PyPI-cloudartifact-action-workflow__.pypirc": "chen/.pypirc",
    "a_credentials/MekhaleR__azure-artifacts-python-helloworld__.pypirc": "mekhale/.pypirc",
    "a_credentials/dsp-testing__poetry-private-registry-sample__.pypirc": "dsp/.pypirc",
}


def test_corpus_pypirc(tmp_path: Path) -> None:
    model = build_model(corpus_tree(tmp_path, CORPUS))
    assert model.problems == []

    def creds(path: str) -> list[tuple[str, str, int, int]]:
        return [
            (c.key, c.host, c.location.line, c.location.column)
            for c in model.files[path].credentials
        ]

    def targets(path: str) -> list[tuple[str, str | None]]:
        return [(t.name, t.url) for t in model.files[path].publish_targets]

    # two PyPI API tokens, indented keys, no [distutils]
    ascom = model.files["ascom/.pypirc"]
    assert creds("ascom/.pypirc") == [
        ("password", "test.pypi.org", 3, 14),
        ("password", "upload.pypi.org", 6, 14),
    ]
    assert all(c.value.startswith("pypi-AgE") for c in ascom.credentials)
    assert ascom.facts["usernames"] == {"testpypi": "__token__", "pypi": "__token__"}
    assert targets("ascom/.pypirc") == [
        ("testpypi", "https://test.pypi.org/legacy/"),
        ("pypi", "https://upload.pypi.org/legacy/"),
    ]
    assert creds("accruent/.pypirc") == [
        ("password", "upload.pypi.org", 8, 12),
        ("password", "test.pypi.org", 13, 12),
    ]
    # plaintext passwords for the legacy pypi.python.org URLs
    assert creds("africa/.pypirc") == [
        ("password", "pypi.python.org", 9, 10),
        ("password", "testpypi.python.org", 14, 10),
    ]
    # [pypi] redirected to a private Huawei repository
    assert targets("chen/.pypirc") == [
        (
            "pypi",
            "https://devrepo.devcloud.cn-north-4.huaweicloud.com/artgalaxy/api/pypi/cn-north-4_dfbdbf2e511e40fa88ba1d653358d65c_pypi_0",
        )
    ]
    assert creds("chen/.pypirc") == [
        ("password", "devrepo.devcloud.cn-north-4.huaweicloud.com", 6, 12)
    ]
    # negative control: a repository and no credentials
    mekhale = model.files["mekhale/.pypirc"]
    assert mekhale.credentials == []
    assert targets("mekhale/.pypirc") == [
        (
            "python-packages",
            "https://pkgs.dev.azure.com/mekhalerahul/MyProject/_packaging/python-packages/pypi/upload/",
        )
    ]
    # a GitHub Actions expression as password (twine never expands it)
    dsp = model.files["dsp/.pypirc"]
    assert [c.value for c in dsp.credentials] == ["${secrets.JFROG_ARTIFACTORY_TOKEN}"]
    assert targets("dsp/.pypirc") == [
        ("dependabot-pip", "https://jfrogghdemo.jfrog.io/artifactory/dependabot-pip")
    ]
