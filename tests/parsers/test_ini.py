"""The shared INI scanner: configparser's reading, with positions and FL001 problems."""

from __future__ import annotations

import configparser

import pytest

from feedlint.model import FileKind, FileModel, SourceFile
from feedlint.parsers.ini import IniDocument, scan_ini


def scan(text: str) -> tuple[IniDocument, FileModel]:
    fm = FileModel(SourceFile("x.ini", FileKind.PIP_CONF, tuple(text.split("\n"))))
    return scan_ini(fm), fm


def problems(fm: FileModel) -> list[tuple[int, int]]:
    return [(p.location.line, p.location.column) for p in fm.problems]


def test_sections_keys_and_positions() -> None:
    doc, fm = scan("[global]\nindex-url = https://a.example/simple\n[ install ]\ntimeout: 60\n")
    glob, install = doc.sections
    assert (glob.name, glob.line, glob.column) == ("global", 1, 2)
    assert (install.name, install.line, install.column) == (" install ", 3, 2)
    entry = glob.get("index-url")
    assert entry is not None
    assert (entry.key, entry.line, entry.column, entry.value) == (
        "index-url",
        2,
        1,
        "https://a.example/simple",
    )
    assert entry.value_location(fm).column == 13
    timeout = install.get("timeout")
    assert timeout is not None and timeout.value == "60" and timeout.pieces[0].locate(0) == (4, 10)
    assert fm.problems == []


def test_continuation_lines_comments_and_blank_lines_inside_values() -> None:
    text = (
        "[global]\n"
        "extra-index-url =\n"
        "    https://one.example/simple\n"
        "    # a comment inside the value\n"
        "\n"
        "\thttps://two.example/simple  https://three.example/simple\n"
        "; a comment\n"
        "timeout = 5\n"
    )
    doc, fm = scan(text)
    entry = doc.sections[0].get("extra-index-url")
    assert entry is not None
    assert [(w.text, w.line, w.column) for w in entry.words()] == [
        ("https://one.example/simple", 3, 5),
        ("https://two.example/simple", 6, 2),
        ("https://three.example/simple", 6, 30),
    ]
    parser = configparser.RawConfigParser()
    parser.read_string(text)
    assert entry.value == parser.get("global", "extra-index-url")
    assert doc.sections[0].get("timeout") is not None
    assert fm.problems == []


def test_an_indented_header_after_a_key_continues_the_value() -> None:
    text = "[global]\nindex-url = https://a.example/simple\n  [install]\n"
    doc, _ = scan(text)
    parser = configparser.RawConfigParser()
    parser.read_string(text)
    assert len(doc.sections) == 1
    assert doc.sections[0].get("index-url").value == parser.get("global", "index-url")  # type: ignore[union-attr]


def test_indented_key_after_a_header_is_a_key_not_a_continuation() -> None:
    doc, _ = scan("[pypi]\n  username = __token__\n  password = pypi-abc\n")
    assert sorted(doc.sections[0].entries) == ["password", "username"]


def test_no_inline_comments_and_no_interpolation() -> None:
    doc, _ = scan("[global]\nindex-url = https://u:p%40ss@h/simple  # my feed\n")
    entry = doc.sections[0].get("index-url")
    assert entry is not None and entry.value == "https://u:p%40ss@h/simple  # my feed"


def test_default_section_applies_to_every_section() -> None:
    doc, _ = scan("[DEFAULT]\ntimeout = 9\n[global]\nretries = 2\n[install]\ntimeout = 1\n")
    glob, install = doc.sections
    assert sorted(e.name for e in doc.entries(glob)) == ["retries", "timeout"]
    assert [e.value for e in doc.entries(install)] == ["1"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("index-url = https://x\n[global]\n", [(1, 1)]),
        ("[global]\njust some words\n", [(2, 1)]),
        ("[global]\n  = value\n", [(2, 3)]),
        ("[global]\ntimeout = 1\nTimeout = 2\n", [(3, 1)]),
        ("[global]\n[install]\n[global]\n", [(3, 1)]),
    ],
)
def test_what_configparser_refuses_is_a_problem(text: str, where: list[tuple[int, int]]) -> None:
    _, fm = scan(text)
    assert problems(fm) == where
    with pytest.raises(configparser.Error):
        configparser.RawConfigParser().read_string(text)


def test_reading_goes_on_after_a_problem() -> None:
    doc, fm = scan("password = before-any-section\n[global]\ngarbage\ntimeout = 3\n")
    assert problems(fm) == [(1, 1), (3, 1)]
    assert doc.section("")  # the keys before the first section are still seen
    assert doc.section("global").get("timeout") is not None  # type: ignore[union-attr]


def test_near_misses_configparser_accepts() -> None:
    text = "# c\n; c\n[global]\nkey: value = with = signs\nurl=https://h:8080/x\n  \n"
    _, fm = scan(text)
    assert fm.problems == []
    configparser.RawConfigParser().read_string(text)
