"""``.env`` files, python-dotenv semantics."""

from __future__ import annotations

from feedlint.model import FileKind, FileModel, IndexRole, Location, SourceFile
from feedlint.parsers import parse_file
from feedlint.textio import split_lines


def parse(text: str) -> FileModel:
    return parse_file(SourceFile(".env", FileKind.DOTENV, split_lines(text)))


def at(line: int, column: int) -> Location:
    return Location(".env", line, column)


def env(fm: FileModel) -> list[tuple[str, object, Location, object]]:
    return [(e.name, e.value, e.location, e.value_location) for e in fm.env]


def test_forms_quotes_and_comments() -> None:
    fm = parse(
        "# a comment\n"
        "\n"
        "PIP_INDEX_URL=https://corp.example/simple  # trailing comment\n"
        "export PIP_EXTRA_INDEX_URL='https://u:p#1@x.example/simple'\n"
        'TOKEN = "a#b\\"c"\n'
        "HASH=abc#def\n"
        "EMPTY=\n"
        "'QUOTED_KEY'=v\n"
        "BARE\n"
    )
    assert env(fm) == [
        ("PIP_INDEX_URL", "https://corp.example/simple", at(3, 1), at(3, 15)),
        ("PIP_EXTRA_INDEX_URL", "https://u:p#1@x.example/simple", at(4, 8), at(4, 29)),
        ("TOKEN", 'a#b"c', at(5, 1), at(5, 10)),
        ("HASH", "abc#def", at(6, 1), at(6, 6)),
        ("EMPTY", "", at(7, 1), at(7, 7)),
        ("QUOTED_KEY", "v", at(8, 2), at(8, 14)),
    ]
    assert [(i.url, i.role, i.location) for i in fm.indexes] == [
        ("https://corp.example/simple", IndexRole.INDEX, at(3, 15)),
        ("https://u:p#1@x.example/simple", IndexRole.EXTRA, at(4, 29)),
    ]
    (cred,) = fm.credentials
    assert (cred.key, cred.value, cred.location) == ("TOKEN", 'a#b"c', at(5, 10))
    assert not fm.problems


def test_multiline_quoted_value() -> None:
    fm = parse('CERT="line one\nline two"\nNEXT=1\n')
    assert env(fm) == [
        ("CERT", "line one\nline two", at(1, 1), at(1, 7)),
        ("NEXT", "1", at(3, 1), at(3, 6)),
    ]


def test_garbage_lines_are_fl001_and_the_rest_is_read() -> None:
    fm = parse(
        "this is not a binding\n"
        'A="x" y\n'
        "=novalue\n"
        "B='unterminated\n"
        "PIP_INDEX_URL=https://after.example/simple\n"
    )
    assert [(p.message, p.location) for p in fm.problems] == [
        ("not a KEY=value line: python-dotenv skips this statement", at(1, 1)),
        ("unexpected text after the value: python-dotenv skips this statement", at(2, 7)),
        ("not a KEY=value line: python-dotenv skips this statement", at(3, 1)),
        ("unterminated quoted value: python-dotenv skips this statement", at(4, 1)),
    ]
    assert [e.name for e in fm.env] == ["A", "PIP_INDEX_URL"]
    assert fm.indexes[0].location == at(5, 15)
