"""``.netrc`` and ``.git-credentials``."""

from __future__ import annotations

from pathlib import Path

from conftest import corpus_tree

from feedlint.engine import build_model
from feedlint.model import FileKind, FileModel, Location, SourceFile
from feedlint.parsers import parse_file
from feedlint.textio import split_lines


def parse(text: str, path: str = ".netrc", kind: FileKind = FileKind.NETRC) -> FileModel:
    return parse_file(SourceFile(path, kind, split_lines(text)))


def at(line: int, column: int, path: str = ".netrc") -> Location:
    return Location(path, line, column)


def creds(fm: FileModel) -> list[tuple[str, str, str, str, Location]]:
    return [(c.value, c.kind, c.key, c.host, c.location) for c in fm.credentials]


def test_tokens_across_whitespace_and_newlines() -> None:
    fm = parse(
        "# corporate feed\n"
        "machine pkgs.dev.azure.com login build password s3cr3t\n"
        "machine\n"
        "  corp.example.com\n"
        "\tlogin u\n"
        '\tpassword "with space\\"quote"  # comment\n'
        "macdef init\n"
        "password not-a-token\n"
        "\n"
        "default login anonymous password guest@\n"
    )
    assert creds(fm) == [
        ("s3cr3t", "netrc", "password", "pkgs.dev.azure.com", at(2, 49)),
        ('with space"quote', "netrc", "password", "corp.example.com", at(6, 12)),
        # anonymous FTP's password is an e-mail address by convention, not a secret
    ]
    assert not fm.problems


def test_unknown_tokens_and_truncation() -> None:
    fm = parse("login x\nmachine h port 443 password p protocol https\nmachine h2 password")
    assert creds(fm) == [("p", "netrc", "password", "h", at(2, 29))]
    assert [(p.message, p.location) for p in fm.problems] == [
        ("`login` outside a `machine` entry: Python's netrc rejects the file", at(1, 1)),
        ("`password` without a value at the end of the file", at(3, 12)),
    ]


def test_corpus_rskew_netrc(tmp_path: Path) -> None:
    root = corpus_tree(
        tmp_path,
        {"a_credentials/rskew__poetry2nix-private-pypi-demo__user_project__.netrc": ".netrc"},
    )
    fm = build_model(root).files[".netrc"]
    assert creds(fm) == [("HIHI", "netrc", "password", "localhost", at(3, 10))]


def test_git_credentials_never_fail() -> None:
    path = ".git-credentials"
    fm = parse(
        "https://user:ghp_token@github.com\nnot a url at all\n\x00\nhttps://x@",
        path,
        FileKind.GIT_CREDENTIALS,
    )
    assert not fm.problems and fm.facts["entries"] == 2


def test_git_credentials_secrets_come_from_the_url_scan(tree) -> None:
    root = tree({".git-credentials": "https://build:s3cr3tvalue@pkgs.dev.azure.com\n"})
    fm = build_model(root).files[".git-credentials"]
    assert [(c.kind, c.value, c.location) for c in fm.credentials] == [
        ("url-password", "s3cr3tvalue", Location(".git-credentials", 1, 15))
    ]
