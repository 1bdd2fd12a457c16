"""The URL scan every file gets: user-info, Gemfury path tokens, secret query parameters."""

from __future__ import annotations

from feedlint.model import FileKind, Location, SourceFile
from feedlint.parsers.commands import is_secret_name, snake_words
from feedlint.parsers.urlscan import plain_user_name, scan_url_credentials

TOKEN = "qT7vRm2xLp9sKw4zNb6c"


def scan(*lines: str) -> list[tuple[str, str, Location, str, str]]:
    src = SourceFile("requirements.txt", FileKind.REQUIREMENTS, lines)
    return [(c.kind, c.value, c.location, c.key, c.host) for c in scan_url_credentials(src)]


def test_gemfury_token_in_the_path() -> None:
    found = scan(f"--extra-index-url https://pypi.fury.io/{TOKEN}/acme/")
    assert found == [("url-path", TOKEN, Location("requirements.txt", 1, 40), "", "pypi.fury.io")]
    assert scan(f"'https://repo.fury.io/{TOKEN}/acme/pkg/',")[0][:3] == (
        "url-path",
        TOKEN,
        Location("requirements.txt", 1, 23),
    )


def test_gemfury_account_names_and_placeholders_are_not_candidates() -> None:
    assert scan("--extra-index-url https://pypi.fury.io/lance-format/pylance") == []
    assert scan("--extra-index-url https://repo.fury.io/SeCrEt-ToKeN/me/") == []
    assert scan("--extra-index-url https://pypi.fury.io/acme/") == []
    # the token as user name is a user-info candidate, not a path one
    assert [k for k, *_ in scan(f"https://{TOKEN}@pypi.fury.io/acme/")] == ["url-user"]


def test_secret_query_parameters() -> None:
    found = scan("-r https://raw.githubusercontent.com/o/r/main/req.txt?token=GHSAT0AAAAAAC&x=1")
    assert found == [
        (
            "url-query",
            "GHSAT0AAAAAAC",
            Location("requirements.txt", 1, 61),
            "token",
            "raw.githubusercontent.com",
        )
    ]
    sas = "https://a.blob.core.windows.net/w/x.whl?sv=2022-11-02&sp=r&sig=Rk8%2Fw%3D"
    assert [(k, v, key) for k, v, _, key, _ in scan(sas)] == [("url-query", "Rk8%2Fw%3D", "sig")]
    assert scan("https://example.com/x.tar.gz?sig=0a1b2c3d") == []  # not a SAS URL
    assert scan("https://example.com/x?page=2&sort=name") == []
    assert scan("# open http://127.0.0.1:8888/lab?token=9f2c41d7e8a0b3c6d5e4f3a2") == []


def test_camel_case_names_are_split_into_words() -> None:
    assert snake_words("feedPat") == "feed_Pat"
    assert snake_words("myPAT") == "my_PAT"
    assert snake_words("PATToken") == "PAT_Token"
    assert snake_words("FEED_PAT") == "FEED_PAT"
    assert is_secret_name("feedPat") and is_secret_name("artifactsPassword")
    assert not is_secret_name("patternFile") and not is_secret_name("compatMode")


def test_plain_user_names() -> None:
    src = SourceFile(
        "requirements.txt",
        FileKind.REQUIREMENTS,
        (
            "x @ git+https://ContosoEngineering2024@dev.azure.com/ContosoEngineering2024/P/_git/x",
            "--extra-index-url https://contoso@pkgs.dev.azure.com/contoso/_packaging/f/pypi/simple/",
            "--extra-index-url https://Kq3xT9vLmN2pR7sW4yZa@pypi.fury.io/acme/",
        ),
    )
    names = [plain_user_name(c) for c in scan_url_credentials(src)]
    assert names == [True, True, False]
