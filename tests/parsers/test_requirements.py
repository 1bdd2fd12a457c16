"""Requirements files: pip's grammar, exact locations, includes, headers, the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import corpus_tree, make_tree

from feedlint.engine import build_model
from feedlint.model import FileKind, FileModel, IndexRole, Location, SourceFile
from feedlint.parsers.requirements import parse, resolve_include, shell_tokens

PATH = "requirements.txt"


def read(text: str, path: str = PATH) -> FileModel:
    return parse(SourceFile(path, FileKind.REQUIREMENTS, tuple(text.split("\n"))))


def loc(line: int, column: int, path: str = PATH) -> Location:
    return Location(path, line, column)


def problems(fm: FileModel) -> list[tuple[int, int]]:
    return [(p.location.line, p.location.column) for p in fm.problems]


# -- lines, comments, continuations -----------------------------------------------------
def test_continuation_joins_lines_and_keeps_positions() -> None:
    fm = read(
        "foo==1.0 ; python_version >= '3.8' \\\n"
        "    --hash=sha256:aaa \\\n"
        "    --hash=sha512:bbb\n"
        "bar\n"
    )
    foo, bar = fm.packages
    assert foo.name == "foo" and foo.location == loc(1, 1)
    assert foo.hashes == ("sha256:aaa", "sha512:bbb")
    assert foo.version == "1.0" and foo.marker == 'python_version >= "3.8"'
    assert bar.location == loc(4, 1)
    assert fm.problems == []


def test_comments_need_whitespace_before_the_hash() -> None:
    fm = read(
        "# a comment\n"
        "  # indented comment\n"
        "git+https://github.com/org/repo.git@v1#egg=repo-pkg  # trailing\n"
        "pkg @ https://files.example/pkg-1.0.tar.gz#sha256=abc\n"
    )
    vcs, direct = fm.packages
    assert (
        vcs.name == "repo-pkg" and vcs.url == "git+https://github.com/org/repo.git@v1#egg=repo-pkg"
    )
    assert vcs.location == loc(3, 1)
    assert direct.name == "pkg" and direct.url == "https://files.example/pkg-1.0.tar.gz#sha256=abc"
    assert fm.problems == []


def test_a_comment_line_ending_in_backslash_does_not_continue() -> None:
    fm = read("# note \\\nflask\n")
    assert [p.name for p in fm.packages] == ["flask"]
    assert fm.packages[0].location == loc(2, 1)


def test_comment_line_inside_a_continuation_ends_it() -> None:
    fm = read("flask \\\n# a comment\nrequests\n")
    assert [(p.name, p.location.line) for p in fm.packages] == [("flask", 1), ("requests", 3)]


def test_backslashes_are_stripped_from_both_ends_of_joined_parts() -> None:
    fm = read("--extra-index-url \\\n  https://feed.example/simple/\n")
    (ref,) = fm.indexes
    assert ref.url == "https://feed.example/simple/" and ref.location == loc(2, 3)


# -- option lines ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "url", "column", "via"),
    [
        ("-i https://a.example/simple", "https://a.example/simple", 4, "-i"),
        ("-ihttps://a.example/simple", "https://a.example/simple", 3, "-i"),
        ("--index-url https://a.example/simple", "https://a.example/simple", 13, "--index-url"),
        ("--index-url=https://a.example/simple", "https://a.example/simple", 13, "--index-url"),
        ("--pypi-url=https://a.example/simple", "https://a.example/simple", 12, "--pypi-url"),
        ("--index https://a.example/simple", "https://a.example/simple", 9, "--index"),
        (
            "  --index-url   'https://a.example/simple'",
            "https://a.example/simple",
            18,
            "--index-url",
        ),
    ],
)
def test_index_url_spellings(line: str, url: str, column: int, via: str) -> None:
    fm = read(line)
    (ref,) = fm.indexes
    assert (ref.url, ref.role, ref.location, ref.via, ref.scope) == (
        url,
        IndexRole.INDEX,
        loc(1, column),
        via,
        "requirements",
    )


def test_extra_find_links_and_settings() -> None:
    fm = read(
        "--extra-index-url https://x.example/simple\n"
        "--extra-index=https://y.example/simple\n"
        "-f ./wheels\n"
        "--find-links=https://z.example/links/\n"
        "--trusted-host nexus.corp.example\n"
        "--no-index\n"
        "--pre --prefer-binary\n"
        "--only-binary=:all:\n"
        "--require-hashes\n"
    )
    assert [(r.role, r.url, r.location) for r in fm.indexes] == [
        (IndexRole.EXTRA, "https://x.example/simple", loc(1, 19)),
        (IndexRole.EXTRA, "https://y.example/simple", loc(2, 15)),
        (IndexRole.FIND_LINKS, "./wheels", loc(3, 4)),
        (IndexRole.FIND_LINKS, "https://z.example/links/", loc(4, 14)),
    ]
    assert [(s.key, s.value, s.location) for s in fm.settings] == [
        ("trusted-host", "nexus.corp.example", loc(5, 16)),
        ("no-index", True, loc(6, 1)),
        ("pre", True, loc(7, 1)),
        ("prefer-binary", True, loc(7, 7)),
        ("only-binary", ":all:", loc(8, 15)),
        ("require-hashes", True, loc(9, 1)),
    ]
    assert fm.packages == [] and fm.problems == []


def test_index_options_are_recorded_in_pips_order() -> None:
    fm = read(
        "--extra-index-url https://extra.example/simple\n"
        "--extra-index-url https://second.example/simple -i https://main.example/simple\n"
        "-i https://last.example/simple\n"
    )
    assert fm.facts["index-options"] == [
        {"option": "--extra-index-url", "role": "extra", "line": 1, "column": 19},
        {"option": "-i", "role": "index", "line": 2, "column": 52},
        {"option": "--extra-index-url", "role": "extra", "line": 2, "column": 19},
        {"option": "-i", "role": "index", "line": 3, "column": 4},
    ]


def test_options_on_a_requirement_line_other_than_hash_are_ignored() -> None:
    fm = read("flask --index-url https://ignored.example/simple --hash=sha256:abc\n")
    assert fm.indexes == []
    assert fm.packages[0].hashes == ("sha256:abc",)


# -- includes ---------------------------------------------------------------------------
def test_includes_resolve_against_the_including_file() -> None:
    fm = read(
        "-r base.txt\n"
        "--requirement=../common/dev.txt\n"
        "-c constraints.txt\n"
        "-r ../../../outside.txt\n"
        "-r https://example.com/reqs.txt\n"
        "-r /etc/reqs.txt\n"
        "-rlocal.txt -i https://dropped.example/simple\n",
        path="reqs/prod/requirements.txt",
    )
    p = "reqs/prod/requirements.txt"
    assert [(i.target, i.raw, i.constraint, i.location) for i in fm.includes] == [
        ("reqs/prod/base.txt", "base.txt", False, loc(1, 4, p)),
        ("reqs/common/dev.txt", "../common/dev.txt", False, loc(2, 15, p)),
        ("reqs/prod/constraints.txt", "constraints.txt", True, loc(3, 4, p)),
        (None, "../../../outside.txt", False, loc(4, 4, p)),
        (None, "https://example.com/reqs.txt", False, loc(5, 4, p)),
        (None, "/etc/reqs.txt", False, loc(6, 4, p)),
        ("reqs/prod/local.txt", "local.txt", False, loc(7, 3, p)),
    ]
    assert fm.indexes == []  # pip reads only the include of an include line


def test_resolve_include() -> None:
    assert resolve_include("", "requirements/base.txt") == "requirements/base.txt"
    assert resolve_include("a", "..\\b.txt") == "b.txt"
    assert resolve_include("", "../x.txt") is None
    assert resolve_include("", "file:///x.txt") is None
    assert resolve_include("", "C:\\reqs.txt") is None


def test_engine_follows_includes_whatever_their_name(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path / "p",
        {
            "requirements.txt": "-r deps/base.lst\nflask\n",
            "deps/base.lst": "--extra-index-url https://feed.example/simple\ncorp-lib==1.0\n",
        },
    )
    model = build_model(root)
    fm = model.files["deps/base.lst"]
    assert [p.name for p in fm.packages] == ["corp-lib"]
    assert fm.indexes[0].location == Location("deps/base.lst", 1, 19)


# -- requirements -------------------------------------------------------------------------
def test_pep508_fields() -> None:
    fm = read(
        "Requests[Security,socks]>=2.0,<3 ; python_version < '3.8'\n"
        "Foo.Bar_baz===1.0-custom\n"
        "zope.interface==5.*\n"
        "name @ git+https://github.com/org/name.git@main\n"
    )
    r, f, z, n = fm.packages
    assert (r.name, r.raw_name, r.extras, r.specifier, r.version, r.marker) == (
        "requests",
        "Requests",
        ("Security", "socks"),
        "<3,>=2.0",
        None,
        'python_version < "3.8"',
    )
    assert (f.name, f.version) == ("foo-bar-baz", "1.0-custom")
    assert (z.name, z.version) == ("zope-interface", None)
    assert (n.name, n.url, n.kind, n.editable) == (
        "name",
        "git+https://github.com/org/name.git@main",
        "requirement",
        False,
    )


def test_urls_wheels_and_paths() -> None:
    fm = read(
        "https://files.example/p/corp_lib-2.1-py3-none-any.whl; python_version > '3'\n"
        "./dist/other_pkg-1.0-py3-none-any.whl\n"
        "./local/project\n"
        ".\n"
        "git+https://github.com/org/tool\n"
    )
    wheel, local_wheel, directory, dot, unnamed = fm.packages
    assert (wheel.name, wheel.version, wheel.marker) == ("corp-lib", "2.1", 'python_version > "3"')
    assert (local_wheel.name, local_wheel.version) == ("other-pkg", "1.0")
    assert (directory.name, directory.url) == ("", "./local/project")
    assert (dot.name, dot.url) == ("", ".")
    assert (unnamed.name, unnamed.url) == ("", "git+https://github.com/org/tool")
    assert fm.problems == []


def test_editables() -> None:
    fm = read(
        "-e git+https://github.com/org/pkg.git#egg=corp-pkg\n"
        "--editable=./libs/thing[extra]\n"
        "-e 'corp-other @ git+https://github.com/org/other.git'\n"
        "-e git+https://github.com/org/noname.git\n"
        "-e https://example.com/pkg.tar.gz#egg=x\n"
    )
    assert [(p.name, p.editable, p.location) for p in fm.packages] == [
        ("corp-pkg", True, loc(1, 4)),
        ("", True, loc(2, 12)),
        ("corp-other", True, loc(3, 5)),
    ]
    assert problems(fm) == [(4, 4), (5, 4)]


def test_env_variables_pip_expands_are_not_errors() -> None:
    fm = read("pkg==${PKG_VERSION}\n--index-url https://${USER}:${TOKEN}@feed.example/simple\n")
    (pkg,) = fm.packages
    assert (pkg.name, pkg.specifier, pkg.version) == ("pkg", "==${PKG_VERSION}", None)
    assert fm.indexes[0].url == "https://${USER}:${TOKEN}@feed.example/simple"
    assert fm.problems == []
    refs = fm.facts["env-references"]
    assert [(r["text"], r["expanded"], r["line"], r["column"]) for r in refs] == [
        ("${PKG_VERSION}", True, 1, 6),
        ("${USER}", True, 2, 21),
        ("${TOKEN}", True, 2, 29),
    ]


def test_env_references_pip_leaves_literal_are_recorded() -> None:
    fm = read("--extra-index-url https://u:$PAT@h.example/s  # $IGNORED\n-i https://%TOKEN%@h/\n")
    refs = [(r["text"], r["expanded"], r["line"], r["column"]) for r in fm.facts["env-references"]]
    assert refs == [("$PAT", False, 1, 29), ("%TOKEN%", False, 2, 12)]


# -- problems (FL001) -------------------------------------------------------------------
def test_invalid_requirement_is_located_and_never_quotes_the_line() -> None:
    secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"
    fm = read(f"flask\n  {secret} is not a requirement\nrequests\n")
    assert problems(fm) == [(2, 3)]
    assert secret not in fm.problems[0].message
    assert [p.name for p in fm.packages] == ["flask", "requests"]  # the rest is still read


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("--no-deps\n", (1, 1)),
        ("flask --hash=md5:abc\n", (1, 14)),
        ("flask --hash=abc\n", (1, 14)),
        ("-i\n", (1, 1)),
        ("--pre=yes\n", (1, 1)),
        ("--extra-index-url 'https://x\n", (1, 1)),
        ("pkg==$VERSION\n", (1, 1)),
        ("pkg ; python_version >>> '3'\n", (1, 7)),
        ("pkg;python_version >>> '3'\n", (1, 5)),
        ("https://x.example/not_a-wheel.whl\n", (1, 1)),
        ("git+https://h/r#egg={package}\n", (1, 1)),
        ("foo -C novalue\n", (1, 8)),
        ("--no https://x\n", (1, 1)),
        ("git://github.com/org/repo#egg=repo\n", (1, 1)),
        ("pkg==1.0 -e x\n", (1, 1)),
        ("-e pkg==1.0\n", (1, 4)),
    ],
)
def test_what_pip_refuses_is_fl001(text: str, where: tuple[int, int]) -> None:
    assert problems(read(text)) == [where]


def test_legacy_per_requirement_options_are_accepted() -> None:
    fm = read("pkg --global-option=--no-user-cfg --install-option='--prefix=/x'\n")
    assert fm.problems == [] and fm.packages[0].name == "pkg"


def test_shell_tokens_match_shlex() -> None:
    import shlex

    for text in ['--a "b c" d\\ e', "-i'x'y", '"a\\"b" \'\' e']:
        assert [t.text for t in shell_tokens(text)] == shlex.split(text)


def test_quoted_options_and_values_are_located_at_their_first_character() -> None:
    fm = read(
        "--pre '--no-index'\n"
        '-i "https://a.example/\\"q"\n'
        "-e 'git+https://g.example/r.git#egg=name'\n"
        "--trusted-host ''\n"
    )
    # the option itself, not its quote (formerly 1:7)
    assert [(s.key, s.location) for s in fm.settings] == [
        ("no-index", loc(1, 8)),
        ("pre", loc(1, 1)),
    ]
    assert [(i.url, i.location) for i in fm.indexes] == [('https://a.example/"q', loc(2, 5))]
    assert [(p.name, p.location) for p in fm.packages] == [("name", loc(3, 5))]
    words = shell_tokens("x 'a b'\\c \"\"")
    assert [(w.text, w.locate(0), w.locate(3)) for w in words] == [
        ("x", (1, 1), (1, 4)),
        ("a bc", (1, 4), (1, 9)),
        ("", (1, 11), (1, 14)),
    ]


# -- generator headers --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "tool", "command"),
    [
        (
            "#\n# This file is autogenerated by pip-compile with Python 3.11\n"
            "# by the following command:\n#\n#    pip-compile --output-file=requirements.txt\n#\n",
            "pip-compile",
            "pip-compile --output-file=requirements.txt",
        ),
        (
            "#\n# This file is autogenerated by pip-compile\n# To update, run:\n#\n"
            "#    pip-compile requirements.in\n#\n",
            "pip-compile",
            "pip-compile requirements.in",
        ),
        (
            "# This file was autogenerated by uv via the following command:\n"
            "#    uv export --format requirements-txt --no-hashes\n",
            "uv",
            "uv export --format requirements-txt --no-hashes",
        ),
        (
            "# This file was autogenerated by uv via the following command:\n"
            "#    uv pip compile requirements.in -o requirements.txt\n",
            "uv-pip-compile",
            "uv pip compile requirements.in -o requirements.txt",
        ),
        ("# This file is @generated by PDM.\n# Please do not edit it manually.\n\n", "pdm", None),
    ],
)
def test_generator_headers(header: str, tool: str, command: str | None) -> None:
    fm = read(header + "flask==3.0.0\n")
    assert fm.facts["exported-by"] == tool
    assert fm.facts.get("export-command") == command


def test_no_header_no_exporter() -> None:
    fm = read("# my deps\nflask==3.0.0\n")
    assert "exported-by" not in fm.facts and "export-shape" not in fm.facts


def test_export_shapes_without_header() -> None:
    poetry = read(
        "--extra-index-url https://feed.example/simple\n\n"
        'aiohttp==3.9.5 ; python_version >= "3.10" and python_version < "3.12" \\\n'
        "    --hash=sha256:aaa\n"
        'corp-lib==1.0 ; python_version >= "3.10" and python_version < "3.12"\n'
    )
    assert poetry.facts["export-shape"] == "poetry"
    pipenv = read("-i https://pypi.org/simple\nflask==3.0.0; python_version >= '3.8'\nidna==3.7\n")
    assert pipenv.facts["export-shape"] == "pipenv"


# -- the corpus -----------------------------------------------------------------------------
def test_corpus_requirements_files(tmp_path: Path) -> None:
    root = corpus_tree(
        tmp_path,
        {
            "a_credentials/robocorp__example-private-pypi__requirements-private.txt": "robocorp/requirements-private.txt",
            "b_private_index/rayluo__azure-artifacts-python-project__requirements-1-azure-artifacts.txt": "rayluo/requirements-1-azure-artifacts.txt",
            "b_private_index/aws-samples__codeartifact-jenkins-python-sample__application_src__requirements.txt": "aws/requirements.txt",
            "b_private_index/chtrembl__azure-cloud__petstore__petstorepackages__petstorecommonconsumer__requirements.txt": "petstore/requirements.txt",
            "b_private_index/Centric-Technologies__signals-ticker-map-updater__requirements-private.txt": "centric/requirements-private.txt",
        },
    )
    model = build_model(root)
    assert model.problems == []
    robo = model.files["robocorp/requirements-private.txt"]
    (index,) = robo.indexes
    assert index.role is IndexRole.INDEX and index.location.line == 3
    assert index.url == "https://${PYPI_USR}:${PYPI_PWD}@devpi.robocorp.cloud/ci/dev"
    assert [(p.name, p.editable, p.location.line) for p in robo.packages] == [
        ("rpaframework-google", False, 4),
        ("", False, 7),  # git+https://${GITHUB_TOKEN}@github.com/... (comment dropped)
        ("", True, 12),
    ]
    ray = model.files["rayluo/requirements-1-azure-artifacts.txt"]
    assert [r.url for r in ray.indexes] == [
        "https://identitydivision.pkgs.visualstudio.com/_packaging/IDDP/pypi/simple/"
    ]
    aws = model.files["aws/requirements.txt"]
    assert [(p.name, p.version, p.hashes) for p in aws.packages] == [
        ("very-fantastic-ascii", "1.0.0", ()),
        ("flask", "1.1.2", ()),
    ]
    pet = model.files["petstore/requirements.txt"]
    assert [(p.name, p.version) for p in pet.packages] == [("petstorecommon", "0.0.20220919.17")]
    centric = model.files["centric/requirements-private.txt"]
    assert [(p.name, p.specifier, p.version) for p in centric.packages] == [
        ("signals-common-core", ">=0.1.25", None)
    ]


def test_corpus_poetry_exports(tmp_path: Path) -> None:
    root = corpus_tree(
        tmp_path,
        {
            "e_poetry_export/decodingml__llm-twin-course__requirements.txt": "hashed/requirements.txt",
            "e_poetry_export/iusztinpaul__hands-on-llms__modules__financial_bot__requirements.txt": "plain/requirements.txt",
        },
    )
    model = build_model(root)
    assert model.problems == []
    hashed, plain = model.files["hashed/requirements.txt"], model.files["plain/requirements.txt"]
    for fm in (hashed, plain):
        assert fm.packages and all(p.version for p in fm.packages)
        assert all("python_version" in p.marker for p in fm.packages)
        assert fm.indexes == [] and "exported-by" not in fm.facts
        assert fm.facts["export-shape"] == "poetry"
    assert all(p.hashes and p.hashes[0].startswith("sha256:") for p in hashed.packages)
    assert not any(p.hashes for p in plain.packages)
    first = hashed.packages[0]
    assert (first.name, first.version, first.location) == (
        "accelerate",
        "0.30.1",
        Location("hashed/requirements.txt", 1, 1),
    )
    assert first.hashes[1] == (
        "sha256:96779c618889646b86dc928c9e55e86e50a7ccab59e1692e22096481977ae682"
    )
