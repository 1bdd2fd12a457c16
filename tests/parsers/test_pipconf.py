"""pip.conf / pip.ini: pip's key normalisation, sections as scopes, the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import corpus_tree, make_tree

from feedlint.engine import build_model
from feedlint.model import FileKind, FileModel, IndexRole, Installer, Location, SourceFile
from feedlint.parsers.pipconf import normalize_key, parse

PATH = "pip.conf"


def read(text: str) -> FileModel:
    return parse(SourceFile(PATH, FileKind.PIP_CONF, tuple(text.split("\n"))))


def loc(line: int, column: int, path: str = PATH) -> Location:
    return Location(path, line, column)


@pytest.mark.parametrize("key", ["index-url", "index_url", "--index-url", "Index-URL", "pypi-url"])
def test_index_url_spellings(key: str) -> None:
    fm = read(f"[global]\n{key} = https://feed.example/simple\n")
    (ref,) = fm.indexes
    assert (ref.url, ref.role, ref.installer, ref.scope, ref.via, ref.location) == (
        "https://feed.example/simple",
        IndexRole.INDEX,
        Installer.PIP,
        "global",
        key,
        loc(2, len(key) + 4),
    )


def test_normalize_key() -> None:
    assert normalize_key("--Extra_Index_URL") == "extra-index-url"


def test_list_keys_keep_each_value_position() -> None:
    fm = read(
        "[install]\n"
        "extra-index-url = https://a.example/simple https://b.example/simple\n"
        "    https://c.example/simple\n"
        "find-links =\n"
        "\t/opt/wheels\n"
        "trusted-host = a.example\n"
        "               b.example\n"
    )
    assert [(r.role, r.url, r.location, r.scope) for r in fm.indexes] == [
        (IndexRole.EXTRA, "https://a.example/simple", loc(2, 19), "install"),
        (IndexRole.EXTRA, "https://b.example/simple", loc(2, 44), "install"),
        (IndexRole.EXTRA, "https://c.example/simple", loc(3, 5), "install"),
        (IndexRole.FIND_LINKS, "/opt/wheels", loc(5, 2), "install"),
    ]
    assert [(s.key, s.value, s.location) for s in fm.settings] == [
        ("trusted-host", "a.example", loc(6, 16)),
        ("trusted-host", "b.example", loc(7, 16)),
    ]


def test_booleans_and_other_settings() -> None:
    fm = read(
        "[global]\nno-index = yes\nno_index_typo = 1\ncert = /etc/ca.pem\n"
        "keyring-provider = subprocess\n[download]\nno-index = off\n"
    )
    assert [(s.key, s.value, s.scope) for s in fm.settings] == [
        ("no-index", True, "global"),
        ("cert", "/etc/ca.pem", "global"),
        ("keyring-provider", "subprocess", "global"),
        ("no-index", False, "download"),
    ]
    bad = read("[global]\nno-index = maybe\n")
    assert [(p.location.line, p.location.column) for p in bad.problems] == [(2, 12)]


def test_unknown_sections_keep_their_name_as_scope() -> None:
    fm = read(
        "[pypi-proxy]\nindex-url = http://127.0.0.1/simple\n[Global]\nextra-index-url = https://x/\n"
    )
    assert [(r.scope, r.role) for r in fm.indexes] == [
        ("pypi-proxy", IndexRole.INDEX),
        ("Global", IndexRole.EXTRA),
    ]
    assert fm.facts["sections"] == ["pypi-proxy", "Global"]


def test_passwords_are_credentials_and_usernames_are_facts() -> None:
    fm = read("[global]\nusername = admin\npassword = hunter2hunter2\n\n[x]\napi_token =\n  tok\n")
    assert [(c.value, c.kind, c.key, c.location) for c in fm.credentials] == [
        ("hunter2hunter2", "key-value", "password", loc(3, 12)),
        ("tok", "key-value", "api_token", loc(7, 3)),
    ]
    assert fm.facts["usernames"] == [
        {"section": "global", "key": "username", "line": 2, "column": 12}
    ]


def test_default_section_values_reach_every_section_once_each() -> None:
    fm = read(
        "[DEFAULT]\nextra-index-url = https://d.example/\npassword = s3cret-value\n[global]\n[install]\n"
    )
    assert [(r.scope, r.location) for r in fm.indexes] == [
        ("global", loc(2, 19)),
        ("install", loc(2, 19)),
    ]
    assert len(fm.credentials) == 1


def test_duplicate_normalised_key_is_fl001() -> None:
    fm = read("[global]\nindex-url = https://a/\nindex_url = https://b/\n")
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(3, 1)]


def test_empty_values_are_dropped_like_pip_does() -> None:
    fm = read("[global]\nindex-url =\nextra-index-url =\n")
    assert fm.indexes == []


def test_utf16_pip_ini_with_bom(tmp_path: Path) -> None:
    text = "[global]\r\nindex-url = https://pkgs.dev.azure.com/o/_packaging/f/pypi/simple/\r\n"
    root = make_tree(tmp_path / "p", {"pip.ini": text.encode("utf-16")})
    model = build_model(root)
    fm = model.files["pip.ini"]
    assert fm.problems == []
    (ref,) = fm.indexes
    assert ref.location == Location("pip.ini", 2, 13)
    assert ref.url.startswith("https://pkgs.dev.azure.com/")


CORPUS = {
    "a_credentials/AndreuMertvec__artifactory__pip.conf": "andreu/pip.conf",
    "a_credentials/ChenJaTing__PyPI-cloudartifact-action-workflow__pip.conf": "chen/pip.conf",
    "a_credentials/dsp-testing__pip-toml-private-registry-sample__.pip__pip.conf": "dsp/.pip/pip.conf",
    "a_credentials/MRafaydev__openshift-flask-app__pip.ini": "mraf/pip.ini",
    "b_private_index/All-Hands-AI__OpenHands__pip.conf": "openhands/pip.conf",
    "b_private_index/Cray-HPE__csm-cms-buildenv__pip.conf": "cray/pip.conf",
    "b_private_index/IggyIkenna__instruments-service__pip.conf": "iggy/pip.conf",
    "b_private_index/MHSeals__mhseals_docker__.devcontainer__pip.conf": "mhseals/.devcontainer/pip.conf",
    "b_private_index/chtrembl__azure-cloud__petstore__petstorepackages__petstorecommonconsumer__pip.ini": "petstore/pip.ini",
}


def test_corpus_pip_configs(tmp_path: Path) -> None:
    model = build_model(corpus_tree(tmp_path, CORPUS))
    assert model.problems == []

    def refs(path: str) -> list[tuple[str, str, str, int]]:
        return [(r.role.value, r.scope, r.url, r.location.line) for r in model.files[path].indexes]

    def settings(path: str) -> list[tuple[str, object, str]]:
        return [(s.key, s.value, s.scope) for s in model.files[path].settings]

    # credentials in the index URL (for the engine's URL scan) + trusted-host
    andreu = model.files["andreu/pip.conf"]
    assert refs("andreu/pip.conf") == [
        (
            "index",
            "global",
            "http://admin:<TOKEN>@51.250.94.82:8081/artifactory/api/pypi/pypi/simple",
            2,
        )
    ]
    assert settings("andreu/pip.conf") == [("trusted-host", "51.250.94.82", "global")]
    assert andreu.credentials == []  # a <TOKEN> placeholder: the URL scan's decision
    chen = model.files["chen/pip.conf"]
    assert refs("chen/pip.conf")[0][:2] == ("index", "global")
    assert [c.kind for c in chen.credentials] == ["url-password"]
    assert settings("chen/pip.conf") == [
        ("trusted-host", "devrepo.devcloud.cn-north-4.huaweicloud.com", "global")
    ]
    # index-url with a placeholder credential plus a contradictory no-index
    assert settings("dsp/.pip/pip.conf") == [("no-index", True, "global")]
    # [pypi-proxy] only: pip never applies it; the password is still a credential
    assert refs("mraf/pip.ini") == [
        ("index", "pypi-proxy", "http://127.0.0.1:8081/repository/pypi-proxy/simple", 4)
    ]
    mraf = model.files["mraf/pip.ini"]
    assert [(c.key, c.value, c.location.line, c.location.column) for c in mraf.credentials] == [
        ("password", "admin", 3, 12)
    ]
    assert mraf.facts["usernames"] == [
        {"section": "pypi-proxy", "key": "username", "line": 2, "column": 12}
    ]
    # trusted-host for PyPI's own hosts, in [global] and [install]
    hosts = settings("openhands/pip.conf")
    assert hosts == [
        ("trusted-host", h, s)
        for s in ("global", "install")
        for h in ("pypi.org", "pypi.python.org", "files.pythonhosted.org")
    ]
    # private index + plain-HTTP extra index + trusted-host for both
    assert refs("cray/pip.conf") == [
        (
            "index",
            "global",
            "https://arti.hpc.amslabs.hpecorp.net:443/artifactory/api/pypi/pypi-remote/simple",
            5,
        ),
        (
            "extra",
            "global",
            "http://artifactory.algol60.net/artifactory/csm-python-modules/simple",
            6,
        ),
    ]
    assert [v for k, v, _ in settings("cray/pip.conf") if k == "trusted-host"] == [
        "artifactory.algol60.net",
        "arti.hpc.amslabs.hpecorp.net",
    ]
    assert refs("iggy/pip.conf") == [
        (
            "extra",
            "global",
            "https://asia-northeast1-python.pkg.dev/central-element-323112/unified-libraries/simple/",
            2,
        )
    ]
    assert refs("mhseals/.devcontainer/pip.conf") == [
        ("index", "global", "https://pypi.org/simple", 2),
        ("extra", "global", "http://jetson.webredirect.org/jp6/cu126", 4),
        ("extra", "global", "https://pypi.tuna.tsinghua.edu.cn/simple", 5),
        ("extra", "global", "https://mirrors.aliyun.com/pypi/simple", 6),
    ]
    assert refs("petstore/pip.ini") == [
        (
            "index",
            "global",
            "https://pkgs.dev.azure.com/chtrembl/PetStore/_packaging/petstore_packages/pypi/simple/",
            2,
        )
    ]
