"""tox.ini: deps read as requirement lines after tox's own processing, commands, setenv."""

from __future__ import annotations

from feedlint.model import FileKind, FileModel, IndexRole, Installer, Location, SourceFile
from feedlint.parsers.toxini import parse

PATH = "tox.ini"


def read(text: str) -> FileModel:
    return parse(SourceFile(PATH, FileKind.TOX_INI, tuple(text.split("\n"))))


def loc(line: int, column: int) -> Location:
    return Location(PATH, line, column)


TOX = """\
[tox]
envlist = py38,py311
indexserver =
    default = https://corp.example/simple
    DEV = https://dev.corp.example/simple

[base]
deps =
    requests>=2  # a comment tox strips
    git+https://github.com/org/lib.git\\#egg=corp-lib

[testenv]
deps =
    {[base]deps}
    -r{toxinidir}/requirements/test.txt
    py38: pytest<8
    !py38: pytest>=8
    --extra-index-url https://pkgs.dev.azure.com/o/_packaging/f/pypi/simple/
    plugin{env:PLUGIN_SUFFIX:}
setenv =
    PIP_INDEX_URL = https://build:{env:FEED_TOKEN}@corp.example/simple
    PIP_EXTRA_INDEX_URL=https://extra.example/simple
install_command = python -m pip install --extra-index-url https://x.example/simple \\
    {opts} {packages}
commands =
    - pip install -i https://y.example/simple foo
    pytest {posargs}

[testenv:lint]
deps = {[base]deps}
    flake8
"""


def test_deps_are_requirement_lines() -> None:
    fm = read(TOX)
    assert [(p.name, p.location, p.kind) for p in fm.packages if p.kind != "command"] == [
        ("requests", loc(9, 5), "requirement"),
        ("corp-lib", loc(10, 5), "requirement"),
        ("pytest", loc(16, 11), "requirement"),
        ("pytest", loc(17, 12), "requirement"),
        ("flake8", loc(31, 5), "requirement"),
    ]
    assert fm.packages[1].url == "git+https://github.com/org/lib.git#egg=corp-lib"
    assert [(i.target, i.location) for i in fm.includes] == [("requirements/test.txt", loc(15, 7))]
    extra = [r for r in fm.indexes if r.scope == "testenv" and r.via == "--extra-index-url"]
    assert [(r.role, r.url, r.location, r.installer) for r in extra] == [
        (
            IndexRole.EXTRA,
            "https://pkgs.dev.azure.com/o/_packaging/f/pypi/simple/",
            loc(18, 23),
            Installer.PIP,
        )
    ]
    assert fm.problems == []  # plugin{env:...} is resolved by tox at run time


def test_setenv_install_command_commands_and_indexserver() -> None:
    fm = read(TOX)
    env = [(e.name, e.origin, e.location, e.value_location) for e in fm.env]
    assert env == [
        ("PIP_INDEX_URL", "tox-setenv", loc(21, 5), loc(21, 21)),
        ("PIP_EXTRA_INDEX_URL", "tox-setenv", loc(22, 5), loc(22, 25)),
    ]
    by_via = {(r.via, r.scope): r for r in fm.indexes}
    assert (
        by_via[("PIP_INDEX_URL", "env")].url == "https://build:{env:FEED_TOKEN}@corp.example/simple"
    )
    assert by_via[("PIP_EXTRA_INDEX_URL", "env")].role is IndexRole.EXTRA
    cli = [(r.via, r.url, r.location) for r in fm.indexes if r.scope == "cli"]
    assert cli == [
        ("--extra-index-url", "https://x.example/simple", loc(23, 59)),
        ("-i", "https://y.example/simple", loc(26, 22)),
    ]
    assert [(c.text, c.location, c.origin) for c in fm.commands] == [
        (
            "python -m pip install --extra-index-url https://x.example/simple {opts} {packages}",
            loc(23, 19),
            "tox",
        ),
        ("pip install -i https://y.example/simple foo", loc(26, 7), "tox"),
        ("pytest {posargs}", loc(27, 5), "tox"),
    ]
    servers = [(r.role, r.name, r.url, r.location) for r in fm.indexes if r.via == "indexserver"]
    assert servers == [
        (IndexRole.INDEX, None, "https://corp.example/simple", loc(4, 15)),
        (IndexRole.SOURCE, "DEV", "https://dev.corp.example/simple", loc(5, 11)),
    ]


def test_invalid_dep_is_fl001() -> None:
    fm = read("[testenv]\ndeps =\n    pytest\n    not a requirement!\n    --bogus-option\n")
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(4, 5), (5, 5)]


def test_factor_conditions_and_escaped_hashes() -> None:
    fm = read(
        "[testenv]\ndeps =\n    py3{10,11}-django: Django>=4 # c\n    lib @ https://h/x.whl\\#sha256=00\n"
    )
    assert [(p.name, p.location) for p in fm.packages] == [
        ("django", loc(3, 24)),
        ("lib", loc(4, 5)),
    ]
    assert fm.packages[1].url == "https://h/x.whl#sha256=00"
