"""uv.toml: the [tool.uv] keys at top level (shared reader with pyproject.toml)."""

from __future__ import annotations

from pathlib import Path

from conftest import corpus_tree

from feedlint.engine import build_model
from feedlint.model import FileKind, FileModel, IndexRole, Installer, Location, SourceFile
from feedlint.parsers import parse_file
from feedlint.textio import split_lines


def parse(text: str) -> FileModel:
    fm = parse_file(SourceFile("uv.toml", FileKind.UV_TOML, split_lines(text)))
    assert not [p for p in fm.problems if "internal" in p.message]
    return fm


def test_top_level_keys_index_tables_and_pip_section() -> None:
    fm = parse(
        'index-url = "https://pypi.org/simple"\n'
        'index-strategy = "unsafe-first-match"\n'
        "[[index]]\n"
        'name = "corp"\n'
        'url = "https://corp.example/simple"\n'
        "default = true\n"
        "[pip]\n"
        'extra-index-url = ["https://x.example/simple"]\n'
    )
    got = [(i.url, i.role, i.name, i.default, i.scope, i.via, i.location) for i in fm.indexes]
    assert got == [
        (
            "https://pypi.org/simple",
            IndexRole.INDEX,
            None,
            False,
            "project",
            "index-url",
            Location("uv.toml", 1, 14),
        ),
        (
            "https://x.example/simple",
            IndexRole.EXTRA,
            None,
            False,
            "pip",
            "pip.extra-index-url",
            Location("uv.toml", 8, 21),
        ),
        (
            "https://corp.example/simple",
            IndexRole.SOURCE,
            "corp",
            True,
            "project",
            "[[index]]",
            Location("uv.toml", 5, 8),
        ),
    ]
    assert all(i.installer is Installer.UV for i in fm.indexes)
    assert [(s.key, s.value, s.location) for s in fm.settings] == [
        ("index-strategy", "unsafe-first-match", Location("uv.toml", 2, 19))
    ]


def test_corpus_uv_toml_files(tmp_path: Path) -> None:
    cases = {
        "d_uv/Azure__azure-sdk-for-python__uv.toml": ("azure-sdk", True),
        "d_uv/Benjamin-Etheredge__mono__uv.toml": ("mirror", True),
        "d_uv/AI-Hypercomputer__maxdiffusion__uv.toml": ("pypi", True),
    }
    for i, (name, (index_name, default)) in enumerate(cases.items()):
        fm = build_model(corpus_tree(tmp_path / str(i), {name: "uv.toml"})).files["uv.toml"]
        assert fm.problems == []
        named = [r for r in fm.indexes if r.role is IndexRole.SOURCE]
        assert [(r.name, r.default) for r in named] == [(index_name, default)]
    # the commented-out allow-insecure-host is not a setting
    fm = build_model(
        corpus_tree(tmp_path / "m", {"d_uv/Benjamin-Etheredge__mono__uv.toml": "uv.toml"})
    )
    assert fm.files["uv.toml"].settings == []


def test_workspace_members_and_exclude_become_facts() -> None:
    from feedlint.model import FileKind, SourceFile
    from feedlint.parsers.pyproject import parse as parse_pyproject

    text = (
        '[project]\nname = "mono"\n\n[tool.uv.workspace]\n'
        'members = ["packages/*", "apps/api"]\nexclude = ["packages/legacy"]\n'
    )
    fm = parse_pyproject(SourceFile("pyproject.toml", FileKind.PYPROJECT, tuple(text.splitlines())))
    assert fm.facts["uv-workspace-members"] == ["packages/*", "apps/api"]
    assert fm.facts["uv-workspace-exclude"] == ["packages/legacy"]
