"""The TOML locator: key path -> (line, column), and syntax errors as located FL001."""

from __future__ import annotations

import json
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedlint.model import FileKind, FileModel, SourceFile
from feedlint.parsers.tomlpos import Pos, TomlPositions, load_toml
from feedlint.textio import split_lines

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DOC = """\
# comment [x] = "y" with a = sign
name = "a#b[c]=d" # trailing # comment
"quoted.key" = 'lit # not a comment'
a.b . c = 1
[tool.poetry.dependencies]
foo = { version = "1", source = "x" }
bar = [{ version = "1", python = "<3.8" }, { version = "2", source = "s" }]
[[tool.poetry.source]]
name = "s"
url = "https://x/simple"
[[tool.poetry.source]]
name = "t"
[project]
dependencies = [
  "a>=1",  # comment, "z"
  "b [x] ; python_version<'3'",
  ]
desc = \"\"\"
x = [
[not.a.header]
\"\"\"
after = true
[ "tool" . 'odd key' ]
v = 2
[[package]]
name = "p1"
[package.source]
type = "legacy"
[[package]]
name = "p2"
files = [
    {file = "f", hash = "sha256:1"},
]
"""


def _positions() -> TomlPositions:
    return TomlPositions(DOC)


def test_keys_values_and_headers() -> None:
    p = _positions()
    assert p.key(("name",)) == Pos(2, 1)
    assert p.value(("name",)) == Pos(2, 9)
    assert p.key(("quoted.key",)) == Pos(3, 1)
    assert p.value(("quoted.key",)) == Pos(3, 17)
    assert p.key(("a", "b", "c")) == Pos(4, 7)
    assert p.key(("a",)) == Pos(4, 1)
    assert p.key(("tool", "poetry", "dependencies")) == Pos(5, 14)
    assert [h for _, h in p.headers][:2] == [
        ("tool", "poetry", "dependencies"),
        ("tool", "poetry", "source", 0),
    ]
    assert p.key(("tool", "odd key")) == Pos(23, 12)
    assert p.value(("tool", "odd key", "v")) == Pos(24, 5)


def test_inline_tables_and_lists_of_tables() -> None:
    p = _positions()
    dep = ("tool", "poetry", "dependencies")
    assert p.key((*dep, "foo")) == Pos(6, 1)
    assert p.key((*dep, "foo", "source")) == Pos(6, 24)
    assert p.value((*dep, "foo", "source")) == Pos(6, 34)
    assert p.key((*dep, "bar", 0)) == Pos(7, 8)
    assert p.key((*dep, "bar", 1)) == Pos(7, 44)
    assert p.value((*dep, "bar", 1, "source")) == Pos(7, 71)


def test_arrays_of_tables_get_indexes() -> None:
    p = _positions()
    assert p.value(("tool", "poetry", "source", 0, "url")) == Pos(10, 8)
    assert p.value(("tool", "poetry", "source", 1, "name")) == Pos(12, 9)
    assert p.value(("package", 0, "source", "type")) == Pos(28, 9)
    assert p.value(("package", 1, "name")) == Pos(30, 9)
    assert p.value(("package", 1, "files", 0, "hash")) == Pos(32, 26)


def test_multiline_arrays_and_strings() -> None:
    p = _positions()
    assert p.key(("project", "dependencies", 0)) == Pos(15, 3)
    assert p.value(("project", "dependencies", 0)) == Pos(15, 4)
    assert p.value(("project", "dependencies", 1)) == Pos(16, 4)
    assert ("project", "dependencies", 2) not in p.keys  # the "z" is in a comment
    assert p.value(("project", "desc")) == Pos(19, 1)
    assert p.value(("project", "after")) == Pos(22, 9)
    assert not any(h == ("not", "a", "header") for _, h in p.headers)


def test_find_falls_back_to_the_nearest_ancestor() -> None:
    p = _positions()
    assert p.find(("tool", "poetry", "source", 1, "url")) == Pos(11, 15)
    assert p.find(("nothing", "here")) == Pos(1, 1)


def test_scanner_agrees_with_tomllib_on_every_leaf() -> None:
    data = tomllib.loads(DOC)
    p = _positions()
    for path, _ in _leaves(data):
        assert path in p.values, path


def test_crlf_and_tabs() -> None:
    text = "\n".join(split_lines('[a]\r\n\tb\t=\t"x"\r\nc = [\r\n "y",\r\n]\r\n'))
    p = TomlPositions(text)
    assert p.value(("a", "b")) == Pos(2, 7)
    assert p.value(("a", "c", 0)) == Pos(4, 3)


# -- property: every leaf of a generated document is located at its text -----------
def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))
    else:
        yield path, node


KEYS = st.one_of(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,6}", fullmatch=True),
    st.text(alphabet="ab .#=[]\"\\'é", min_size=1, max_size=6),
)
STRINGS = st.text(alphabet="abc #=[]{},\"\\'é\t", max_size=10)
SCALARS = st.one_of(STRINGS, st.integers(-5, 5), st.booleans())


def _key(k: str) -> str:
    import re

    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k)


def _value(v, multiline: bool) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False) if "\x7f" not in v else json.dumps(v)
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x, False)}" for k, x in v.items()) + " }"
    items = [_value(x, False) for x in v]
    if multiline:
        return "[\n" + "".join(f"    {x}, # c, [x] = 1\n" for x in items) + "]"
    return "[" + ", ".join(items) + "]"


VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)),
    max_leaves=8,
)


def _document(tables) -> str:
    out = []
    for header, aot, body, multiline in tables:
        if header:
            name = ".".join(_key(k) for k in header)
            out.append(f"[[{name}]]" if aot else f"[{name}]")
        for k, v in body.items():
            out.append(f"{_key(k)} = {_value(v, multiline)}  # {k!r} = [x]")
    return "\n".join(out) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.lists(KEYS, min_size=1, max_size=2),
            st.booleans(),
            st.dictionaries(KEYS, VALUES, max_size=4),
            st.booleans(),
        ),
        max_size=4,
    ),
    st.dictionaries(KEYS, VALUES, max_size=3),
)
def test_generated_documents_are_located_exactly(tables, top) -> None:
    text = _document([((), False, top, True), *tables])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # e.g. a header repeating a key: not a document to check positions on
    p = TomlPositions(text)
    lines = text.split("\n")
    for path, value in _leaves(data):
        pos = p.values.get(path)
        assert pos is not None, (path, text)
        line = lines[pos.line - 1]
        if isinstance(value, str) and value and "\\" not in line:
            assert line[pos.column - 1 :].startswith(value[:3]), (path, line)
        elif isinstance(value, bool):
            assert line[pos.column - 1 :].startswith(str(value).lower())


# -- load_toml: FL001 at the reported place, the rest still read ----------------------
def _load(text: str, name: str = "pyproject.toml"):
    source = SourceFile(name, FileKind.PYPROJECT, split_lines(text))
    fm = FileModel(source)
    return load_toml(source, fm), fm


def test_unterminated_string_points_at_its_opening_quote() -> None:
    doc, fm = _load(
        '[[tool.poetry.source]]\nname = "feed"\nurl = "https://x/simple/\n[project]\nname = "p"\n'
    )
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(3, 7)]
    assert fm.problems[0].message == "invalid TOML: unterminated string"
    assert doc.data == {"project": {"name": "p"}}


def test_error_position_comes_from_tomllib_message() -> None:
    doc, fm = _load('[project]\nname = "x"\nname = "y"\n[tool.uv]\nindex-url = "https://i/"\n')
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(3, 1)]
    assert "Cannot overwrite a value" in fm.problems[0].message
    assert "(at line" not in fm.problems[0].message
    assert doc.data == {"tool": {"uv": {"index-url": "https://i/"}}}
    assert doc.value_loc(("tool", "uv", "index-url")).line == 5


def test_unclosed_multiline_array_and_string_at_end_of_document() -> None:
    _, fm = _load('[project]\nname = "p"\ndependencies = [\n  "a",\n')
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(3, 16)]
    _, fm = _load('a = 1\nb = """\ntext\n')
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(2, 5)]


def test_recovery_keeps_later_tables_after_an_unclosed_array() -> None:
    doc, fm = _load('[project]\ndependencies = [\n  "a",\n[tool.uv]\nindex-url = "https://i/"\n')
    assert len(fm.problems) == 1
    assert doc.data["tool"]["uv"]["index-url"] == "https://i/"


def test_only_the_first_error_is_reported_and_recovery_is_bounded() -> None:
    text = "".join(f"[t{i}]\nx = = 1\n" for i in range(30))
    _, fm = _load(text)
    assert len(fm.problems) == 1
    assert fm.problems[0].location.line == 2


def test_deep_nesting_does_not_escape() -> None:
    doc, fm = _load("a = " + "[" * 5000 + "]" * 5000 + "\n")
    assert fm.problems or doc.data


def test_two_independent_errors_keep_the_tables_between_them() -> None:
    doc, fm = _load(
        '[project]\ndependencies = [\n  "a",\n[tool.uv]\nindex-url = "https://i/"\n'
        '[tool.pdm]\nx = = 1\n[tool.poetry]\nname = "n"\n'
    )
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(2, 16)]
    assert fm.problems[0].message == "invalid TOML: array is never closed"
    assert doc.data == {"tool": {"uv": {"index-url": "https://i/"}, "poetry": {"name": "n"}}}
    assert doc.value_loc(("tool", "poetry", "name")).line == 9


def test_secret_keys_of_a_dropped_table_are_still_candidates() -> None:
    _, fm = _load(
        '[http-basic.corp]\nusername = "deploy"\npassword = s3cretPassw0rd\n'
        '[tool."x"]\n"token" = "unterminated\nname = 1\n[ok]\npassword = "kept"\n',
        name="auth.toml",
    )
    assert len(fm.problems) == 1
    found = sorted((c.key, c.value, c.location.line, c.location.column) for c in fm.credentials)
    assert found == [
        ("http-basic.corp.password", "s3cretPassw0rd", 3, 12),
        ("tool.x.token", "unterminated", 5, 12),
    ]
