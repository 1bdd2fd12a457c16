"""setup.cfg: setuptools' requirement lists, dependency links, easy_install, [tox:tox]."""

from __future__ import annotations

from feedlint.model import FileKind, FileModel, IndexRole, Installer, Location, SourceFile
from feedlint.parsers.setupcfg import parse

PATH = "pkg/setup.cfg"


def read(text: str) -> FileModel:
    return parse(SourceFile(PATH, FileKind.SETUP_CFG, tuple(text.split("\n"))))


def loc(line: int, column: int) -> Location:
    return Location(PATH, line, column)


def test_metadata_name_and_requirement_lists() -> None:
    fm = read(
        "[metadata]\n"
        "name = Corp_Tools\n"
        "\n"
        "[options]\n"
        "install_requires =\n"
        "    requests>=2\n"
        "    # a comment line\n"
        '    corp-lib==1.2; python_version >= "3.8"\n'
        "setup_requires = setuptools_scm; wheel\n"
        "\n"
        "[options.extras_require]\n"
        "dev =\n"
        "    pytest\n"
        "Docs = sphinx>=7\n"
    )
    assert [(p.name, p.kind, p.group, p.location) for p in fm.packages] == [
        ("corp-tools", "project", "", loc(2, 8)),
        ("requests", "dependency", "", loc(6, 5)),
        ("corp-lib", "dependency", "", loc(8, 5)),
        ("setuptools-scm", "dependency", "setup", loc(9, 18)),
        ("wheel", "dependency", "setup", loc(9, 34)),
        ("pytest", "dependency", "dev", loc(13, 5)),
        ("sphinx", "dependency", "Docs", loc(14, 8)),
    ]
    corp = fm.packages[2]
    assert (corp.version, corp.marker, corp.installer) == (
        "1.2",
        'python_version >= "3.8"',
        Installer.SETUPTOOLS,
    )
    assert fm.packages[0].raw_name == "Corp_Tools"
    assert fm.problems == []


def test_invalid_requirement_is_fl001_at_its_line() -> None:
    fm = read("[options]\ninstall_requires =\n    good\n    not valid!!\n    also-good\n")
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(4, 5)]
    assert [p.name for p in fm.packages] == ["good", "also-good"]


def test_file_directive_becomes_includes() -> None:
    fm = read("[options]\ninstall_requires = file: requirements/base.txt, ../up.txt\n")
    assert [(i.target, i.raw, i.location) for i in fm.includes] == [
        ("pkg/requirements/base.txt", "requirements/base.txt", loc(2, 20)),
        ("up.txt", "../up.txt", loc(2, 20)),
    ]


def test_dependency_links_and_easy_install() -> None:
    fm = read(
        "[options]\n"
        "dependency_links =\n"
        "    https://corp.example/links/\n"
        "    https://other.example/x\n"
        "[easy_install]\n"
        "index_url = https://corp.example/simple\n"
        "find_links = https://a.example/ https://b.example/\n"
    )
    assert [(r.role, r.url, r.scope, r.via, r.location) for r in fm.indexes] == [
        (
            IndexRole.DEPENDENCY_LINK,
            "https://corp.example/links/",
            "options",
            "dependency_links",
            loc(3, 5),
        ),
        (
            IndexRole.DEPENDENCY_LINK,
            "https://other.example/x",
            "options",
            "dependency_links",
            loc(4, 5),
        ),
        (IndexRole.INDEX, "https://corp.example/simple", "easy_install", "index_url", loc(6, 13)),
        (IndexRole.FIND_LINKS, "https://a.example/", "easy_install", "find_links", loc(7, 14)),
        (IndexRole.FIND_LINKS, "https://b.example/", "easy_install", "find_links", loc(7, 33)),
    ]
    assert all(r.installer is Installer.SETUPTOOLS for r in fm.indexes)


def test_tox_sections_are_read_when_tox_tox_exists() -> None:
    text = "[tox:tox]\nenvlist = py\n[testenv]\ndeps =\n    --extra-index-url https://x.example/simple\n    pytest\n"
    fm = read(text)
    assert [(r.role, r.url, r.scope, r.location) for r in fm.indexes] == [
        (IndexRole.EXTRA, "https://x.example/simple", "testenv", loc(5, 23))
    ]
    assert [p.name for p in fm.packages] == ["pytest"]
    without = read(text.replace("[tox:tox]", "[other]"))
    assert without.indexes == [] and without.packages == []
