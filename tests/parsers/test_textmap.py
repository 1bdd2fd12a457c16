"""MappedText: the one position map every parser uses."""

from __future__ import annotations

from feedlint.model import Location
from feedlint.parsers.textmap import MappedText, source_text


def test_pieces_virtual_text_and_copies_keep_file_positions() -> None:
    text = MappedText()
    text.add("RUN pip", 3, 1)
    text.add_virtual(" ")  # a joined continuation
    text.add("install x", 4, 5)
    assert text.text == "RUN pip install x"
    assert text.locate(4) == (3, 5) and text.locate(8) == (4, 5) and text.locate(16) == (4, 13)
    assert text.locate(7) == (3, 8)  # the joining space continues its line
    copy = MappedText()
    copy.add_virtual("docker ")
    copy.add_from(text, 4, 11)
    assert copy.text == "docker pip ins" and copy.locate(0) == (3, 5)
    assert copy.locate(11) == (4, 5)
    cmd = text.command("Dockerfile", "docker-run")
    assert cmd.location == Location("Dockerfile", 3, 1)
    assert cmd.locate(8) == Location("Dockerfile", 4, 5)


def test_empty_and_virtual_only_parts_still_know_where_they_stand() -> None:
    text = MappedText()
    text.add("  a  ", 2, 7)
    text.add_virtual("\n   ")
    assert text.slice(2, 2).locate(0) == (2, 9)
    assert text.slice(0, 2).strip().text == "" and text.slice(0, 2).strip().locate(0) == (2, 9)
    # formerly (1, 1): a slice of virtual text only had no position at all
    assert text.slice(6).locate(0) == (2, 13)
    assert MappedText.at("", 5, 4).locate(0) == (5, 4)


def test_at_join_replace_and_source_text() -> None:
    joined = MappedText.join([MappedText.at("pkg ", 1, 1), MappedText.at("--hash=x", 2, 3)])
    assert joined.locate(4) == (2, 3) and joined.line == 1
    assert joined.replace("pkg", "PKG").locate(4) == (2, 3)
    multi = MappedText.at("one\n\nthree", 7, 9)
    assert [multi.locate(k) for k in (0, 3, 4, 5)] == [(7, 9), (7, 12), (8, 1), (9, 1)]
    lines = ("a = 1", "", "b = 2")
    src = source_text(lines)
    assert src.text == "a = 1\n\nb = 2"
    assert src.locate(6) == (2, 1) and src.locate(7) == (3, 1) and src.locate(5) == (1, 6)
    assert source_text(lines, 2, 3).locate(1) == (3, 1) and source_text(lines, 3, 2).text == ""
