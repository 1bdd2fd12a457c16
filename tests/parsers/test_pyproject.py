"""pyproject.toml: PEP 621, dependency groups, Poetry, uv, PDM and Hatch tables."""

from __future__ import annotations

from pathlib import Path

from conftest import corpus_tree

from feedlint.engine import build_model
from feedlint.model import (
    EnvAssignment,
    FileKind,
    FileModel,
    IndexRef,
    IndexRole,
    Installer,
    Location,
    SourceFile,
)
from feedlint.parsers import parse_file
from feedlint.textio import split_lines


def parse(text: str, path: str = "pyproject.toml") -> FileModel:
    fm = parse_file(SourceFile(path, FileKind.PYPROJECT, split_lines(text)))
    assert not [p for p in fm.problems if "internal" in p.message]
    return fm


def loc(line: int, column: int, path: str = "pyproject.toml") -> Location:
    return Location(path, line, column)


def pkgs(fm: FileModel, kind: str | None = None) -> list[tuple]:
    return [
        (p.name, p.location.line, p.location.column, p.group, p.source)
        for p in fm.packages
        if kind is None or p.kind == kind
    ]


# -- PEP 621 and PEP 735 ---------------------------------------------------------------
PEP621 = """\
[project]
name = "My_Project"
dependencies = [
    "requests>=2,<3",
    "Flask[async] == 2.3.2 ; python_version >= '3.8'",
    "torch (>=2.1.0+cu118,<3.0.0+cu118)",
    "pkg @ https://example.com/pkg-1.0.tar.gz",
]

[project.optional-dependencies]
docs = ["sphinx==7.2.6"]

[dependency-groups]
test = ["pytest", { include-group = "docs" }]
"""


def test_pep621_name_and_dependencies() -> None:
    fm = parse(PEP621)
    assert fm.problems == []
    project = fm.packages[0]
    assert (project.kind, project.name, project.raw_name) == ("project", "my-project", "My_Project")
    assert project.location == loc(2, 9)
    assert pkgs(fm, "dependency") == [
        ("requests", 4, 6, "", None),
        ("flask", 5, 6, "", None),
        ("torch", 6, 6, "", None),
        ("pkg", 7, 6, "", None),
        ("sphinx", 11, 10, "docs", None),
        ("pytest", 14, 10, "test", None),
    ]
    flask = fm.packages[2]
    assert flask.version == "2.3.2" and flask.extras == ("async",)
    assert flask.marker == 'python_version >= "3.8"'
    assert fm.packages[1].version is None
    assert fm.packages[4].url == "https://example.com/pkg-1.0.tar.gz"
    assert fm.packages[5].version == "7.2.6"


def test_invalid_requirement_is_fl001_at_the_item_and_the_rest_is_read() -> None:
    fm = parse(
        '[project]\nname = "p"\ndependencies = [\n  "good",\n  "bad name !",\n  "also-good",\n]\n'
    )
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(5, 4)]
    assert fm.problems[0].message.startswith("invalid requirement string")
    assert [p.name for p in fm.packages] == ["p", "good", "also-good"]


def test_non_string_dependency_is_fl001() -> None:
    fm = parse('[project]\ndependencies = [1]\n[dependency-groups]\ndev = "x"\n')
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(2, 17), (4, 8)]


def test_syntax_error_is_fl001_and_other_tables_survive() -> None:
    fm = parse(
        '[project]\nname = "p"\n\n[[tool.poetry.source]]\nname = "feed"\n'
        'url = "https://pkgs.dev.azure.com/o/_packaging/f/pypi/simple/\n\n'
        '[tool.uv]\nindex-url = "https://i.example/simple"\n'
    )
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(6, 7)]
    assert [p.name for p in fm.packages] == ["p"]
    assert [i.url for i in fm.indexes] == ["https://i.example/simple"]


# -- Poetry ----------------------------------------------------------------------------
POETRY = """\
[tool.poetry]
name = "svc"

[tool.poetry.dependencies]
python = "^3.10"
requests = "^2.31"
exact = "1.2.3"
internal-lib = { version = "==0.1", source = "corp" }
zstd = [
    { version = "1.5.7.2", markers = "python_version < '3.12'" },
    { version = "1.5.7.2", markers = "python_version >= '3.12'", source = "chia" },
]
vcs = { git = "https://github.com/o/vcs.git", branch = "main" }
local = { path = "../local", develop = true }

[tool.poetry.dependencies.sub]
version = "^1"
source = "corp"

[tool.poetry.dev-dependencies]
pytest = "*"

[tool.poetry.group.lint.dependencies]
ruff = { version = "^0.5", extras = ["x"] }

[[tool.poetry.source]]
name = "corp"
url = "https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/"
priority = "explicit"

[[tool.poetry.source]]
name = "old"
url = "https://old.example/simple/"
default = false
secondary = true

[[tool.poetry.source]]
name = "flags-win"
url = "https://flags.example/simple/"
priority = "primary"
default = true

[[tool.poetry.source]]
name = "PyPI"
priority = "supplemental"

[[tool.poetry.source]]
name = "no-url"
"""


def test_poetry_dependencies_in_every_form() -> None:
    fm = parse(POETRY)
    assert fm.problems == []
    assert pkgs(fm) == [
        ("svc", 2, 9, "", None),
        ("requests", 6, 1, "", None),
        ("exact", 7, 1, "", None),
        ("internal-lib", 8, 1, "", "corp"),
        ("zstd", 10, 5, "", None),
        ("zstd", 11, 5, "", "chia"),
        ("vcs", 13, 1, "", None),
        ("local", 14, 1, "", None),
        ("sub", 16, 27, "", "corp"),
        ("pytest", 21, 1, "dev", None),
        ("ruff", 24, 1, "lint", None),
    ]
    by_line = {p.location.line: p for p in fm.packages}
    assert by_line[6].specifier == "^2.31" and by_line[6].version is None
    assert by_line[7].version == "1.2.3"
    assert by_line[8].version == "0.1" and by_line[8].installer is Installer.POETRY
    assert by_line[11].marker == "python_version >= '3.12'"
    assert by_line[13].url == "https://github.com/o/vcs.git" and by_line[13].source_type == "git"
    assert by_line[14].url == "../local" and by_line[14].editable
    assert by_line[24].extras == ("x",)
    assert fm.packages[0].kind == "project"


def test_poetry_sources_follow_poetry_priority_semantics() -> None:
    fm = parse(POETRY)
    got = [(i.name, i.priority, i.default, i.explicit, i.location) for i in fm.indexes]
    assert got == [
        ("corp", "explicit", False, True, loc(28, 8)),
        ("old", "secondary", False, False, loc(33, 8)),
        ("flags-win", "default", True, False, loc(39, 8)),
        ("PyPI", "supplemental", False, False, loc(44, 9)),
    ]
    assert fm.indexes[3].url == "https://pypi.org/simple/"
    assert all(i.role is IndexRole.SOURCE and i.installer is Installer.POETRY for i in fm.indexes)
    settings = [
        (s.key, s.value, s.subject, s.location.line, s.location.column) for s in fm.settings
    ]
    assert settings == [
        ("priority", "explicit", "corp", 29, 1),
        ("default", False, "old", 34, 1),
        ("secondary", True, "old", 35, 1),
        ("priority", "primary", "flags-win", 40, 1),
        ("default", True, "flags-win", 41, 1),
        ("priority", "supplemental", "PyPI", 45, 1),
    ]


def test_poetry_name_not_repeated_when_project_table_names_it() -> None:
    fm = parse('[project]\nname = "svc"\n[tool.poetry]\nname = "svc"\n')
    assert [(p.name, p.kind) for p in fm.packages] == [("svc", "project")]


# -- uv --------------------------------------------------------------------------------
UV = """\
[project]
name = "app"

[tool.uv]
index-url = "https://mirror.example/simple"
extra-index-url = ["https://pkgs.dev.azure.com/o/_packaging/f/pypi/simple/", "https://x.example/simple"]
find-links = ["./wheels"]
index-strategy = "unsafe-best-match"
no-index = false
keyring-provider = "subprocess"
allow-insecure-host = ["corp.example", "other.example:8080"]
dev-dependencies = ["pytest>=8"]
constraint-dependencies = ["urllib3<2"]
override-dependencies = ["werkzeug==2.3.8"]

[tool.uv.pip]
extra-index-url = ["https://pip-only.example/simple"]

[[tool.uv.index]]
name = "corp"
url = "https://corp.example/simple"
explicit = true
ignore-error-codes = [401, 403]
authenticate = "always"

[[tool.uv.index]]
name = "flat"
url = "https://flat.example/wheels/"
format = "flat"
default = true

[tool.uv.sources]
internal = { index = "corp" }
torch = [
    { index = "corp", marker = "sys_platform == 'linux'" },
    { url = "https://x.example/torch.whl", marker = "sys_platform != 'linux'" },
]
lib = { git = "https://github.com/o/lib", tag = "v1" }
member = { workspace = true }
edit = { path = "../edit", editable = true }
"""


def test_uv_index_options_and_settings() -> None:
    fm = parse(UV)
    assert fm.problems == []
    got = [(i.url, i.role, i.name, i.default, i.explicit, i.scope, i.location) for i in fm.indexes]
    assert got == [
        (
            "https://mirror.example/simple",
            IndexRole.INDEX,
            None,
            False,
            False,
            "project",
            loc(5, 14),
        ),
        (
            "https://pkgs.dev.azure.com/o/_packaging/f/pypi/simple/",
            IndexRole.EXTRA,
            None,
            False,
            False,
            "project",
            loc(6, 21),
        ),
        ("https://x.example/simple", IndexRole.EXTRA, None, False, False, "project", loc(6, 79)),
        ("./wheels", IndexRole.FIND_LINKS, None, False, False, "project", loc(7, 16)),
        (
            "https://pip-only.example/simple",
            IndexRole.EXTRA,
            None,
            False,
            False,
            "pip",
            loc(17, 21),
        ),
        (
            "https://corp.example/simple",
            IndexRole.SOURCE,
            "corp",
            False,
            True,
            "project",
            loc(21, 8),
        ),
        (
            "https://flat.example/wheels/",
            IndexRole.SOURCE,
            "flat",
            True,
            False,
            "project",
            loc(28, 8),
        ),
    ]
    assert all(i.installer is Installer.UV for i in fm.indexes)
    assert fm.indexes[1].via == "tool.uv.extra-index-url"
    settings = [
        (s.key, s.value, s.subject, s.location.line, s.location.column) for s in fm.settings
    ]
    assert settings == [
        ("index-strategy", "unsafe-best-match", "", 8, 19),
        ("no-index", False, "", 9, 12),
        ("keyring-provider", "subprocess", "", 10, 21),
        ("allow-insecure-host", "corp.example", "", 11, 25),
        ("allow-insecure-host", "other.example:8080", "", 11, 41),
        ("ignore-error-codes", [401, 403], "corp", 23, 22),
        ("authenticate", "always", "corp", 24, 17),
        ("format", "flat", "flat", 29, 11),
    ]


def test_uv_sources_and_dependency_lists() -> None:
    fm = parse(UV)
    got = [
        (p.name, p.kind, p.location.line, p.location.column, p.source, p.source_type, p.group)
        for p in fm.packages[1:]
    ]
    assert got == [
        ("internal", "dependency", 33, 1, "corp", None, ""),
        ("torch", "dependency", 35, 5, "corp", None, ""),
        ("torch", "dependency", 36, 5, None, "url", ""),
        ("lib", "dependency", 38, 1, None, "git", ""),
        ("member", "dependency", 39, 1, None, "workspace", ""),
        ("edit", "dependency", 40, 1, None, "path", ""),
        ("pytest", "dependency", 12, 22, None, None, "dev"),
        ("urllib3", "constraint", 13, 29, None, None, "constraint"),
        ("werkzeug", "constraint", 14, 27, None, None, "override"),
    ]
    torch = fm.packages[2]
    assert torch.marker == "sys_platform == 'linux'" and torch.installer is Installer.UV
    assert fm.packages[3].url == "https://x.example/torch.whl"
    assert fm.packages[6].editable and fm.packages[6].url == "../edit"


# -- PDM -------------------------------------------------------------------------------
PDM = """\
[project]
name = "app"

[[tool.pdm.source]]
name = "private"
url = "https://${PDM_USER}:${PDM_PASS}@corp.example/simple"
verify_ssl = false
include_packages = ["corp-*"]
exclude_packages = ["corp-public"]

[[tool.pdm.source]]
name = "pypi"
url = "https://mirror.example/simple"
type = "index"

[tool.pdm.resolution]
respect-source-order = true

[tool.pdm.dev-dependencies]
test = ["pytest>=8", "-e file:///${PROJECT_ROOT}/libs/core#egg=core", "-e ./no-name"]
"""


def test_pdm_sources_settings_and_dev_dependencies() -> None:
    fm = parse(PDM)
    assert fm.problems == []
    got = [(i.name, i.url, i.default, i.location) for i in fm.indexes]
    assert got == [
        ("private", "https://${PDM_USER}:${PDM_PASS}@corp.example/simple", False, loc(6, 8)),
        ("pypi", "https://mirror.example/simple", True, loc(13, 8)),
    ]
    assert all(i.installer is Installer.PDM for i in fm.indexes)
    settings = [
        (s.key, s.value, s.subject, s.location.line, s.location.column) for s in fm.settings
    ]
    assert settings == [
        ("verify-ssl", False, "private", 7, 14),
        ("include-packages", ["corp-*"], "private", 8, 20),
        ("exclude-packages", ["corp-public"], "private", 9, 20),
        ("type", "index", "pypi", 14, 9),
        ("respect-source-order", True, "", 17, 24),
    ]
    dev = [(p.name, p.location.column, p.group, p.editable) for p in fm.packages[1:]]
    assert dev == [("pytest", 10, "test", False), ("core", 23, "test", True)]


# -- Hatch -----------------------------------------------------------------------------
def test_hatch_env_vars_go_through_apply_env() -> None:
    fm = parse(
        "[tool.hatch.envs.default.env-vars]\n"
        'PIP_EXTRA_INDEX_URL = "https://corp.example/simple https://two.example/simple"\n'
        'UV_INDEX_STRATEGY = "unsafe-best-match"\n'
        "[tool.hatch.envs.test]\n"
        'env-vars = { PIP_INDEX_URL = "https://mirror.example/simple" }\n'
    )
    assert fm.env == [
        EnvAssignment(
            "PIP_EXTRA_INDEX_URL",
            "https://corp.example/simple https://two.example/simple",
            "hatch-env",
            loc(2, 1),
            loc(2, 24),
        ),
        EnvAssignment("UV_INDEX_STRATEGY", "unsafe-best-match", "hatch-env", loc(3, 1), loc(3, 22)),
        EnvAssignment(
            "PIP_INDEX_URL", "https://mirror.example/simple", "hatch-env", loc(5, 14), loc(5, 31)
        ),
    ]
    assert [(i.url, i.role, i.installer, i.location) for i in fm.indexes] == [
        ("https://corp.example/simple", IndexRole.EXTRA, Installer.PIP, loc(2, 24)),
        ("https://two.example/simple", IndexRole.EXTRA, Installer.PIP, loc(2, 52)),
        ("https://mirror.example/simple", IndexRole.INDEX, Installer.PIP, loc(5, 31)),
    ]
    assert [(s.key, s.value) for s in fm.settings] == [("index-strategy", "unsafe-best-match")]


def test_feedlint_table_and_unknown_tools_add_nothing() -> None:
    fm = parse('[tool.feedlint]\nselect = ["FL1"]\n[tool.black]\nline-length = 100\n')
    assert (fm.packages, fm.indexes, fm.settings, fm.problems) == ([], [], [], [])


def test_wrong_types_are_ignored_not_crashed_on() -> None:
    fm = parse(
        '[project]\nname = 3\noptional-dependencies = "x"\n'
        "[tool.poetry]\nsource = 5\ndependencies = [1]\n"
        '[tool.uv]\nindex = {url = "x"}\nsources = []\nextra-index-url = 3\n'
        "[tool.pdm]\nsource = [1, {url = 2}]\n"
        "[tool.hatch.envs]\ndefault = 1\n"
    )
    assert (fm.packages, fm.indexes) == ([], [])


# -- corpus ----------------------------------------------------------------------------
def _model(tmp_path: Path, mapping: dict[str, str]):
    return build_model(corpus_tree(tmp_path, mapping))


def test_corpus_chia_supplemental_source_and_split_zstd(tmp_path: Path) -> None:
    model = _model(
        tmp_path, {"c_poetry/Chia-Network__chia-blockchain__pyproject.toml": "pyproject.toml"}
    )
    fm = model.files["pyproject.toml"]
    assert fm.problems == []
    [chia] = fm.indexes
    assert (chia.name, chia.url, chia.priority) == (
        "chia",
        "https://pypi.chia.net/simple/",
        "supplemental",
    )
    zstd = [p for p in fm.packages if p.name == "zstd" and p.kind == "dependency"]
    assert len(zstd) >= 2
    assert {p.source for p in zstd} >= {None, "chia"}
    poetry_refs = [p for p in fm.packages if p.installer is Installer.POETRY]
    assert [p.source for p in poetry_refs if p.name == "miniupnpc"] == ["chia"]


def test_corpus_chia_secondary_era_flags(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        {"c_poetry/Chia-Network__chia-blockchain__pyproject.toml@secondary-era": "pyproject.toml"},
    )
    fm = model.files["pyproject.toml"]
    [chia] = fm.indexes
    assert (chia.priority, chia.default) == ("secondary", False)
    assert {(s.key, s.value) for s in fm.settings} == {("default", False), ("secondary", True)}
    psutil = {p.source for p in fm.packages if p.name == "psutil"}
    assert psutil == {"pypi", "chia"}


def test_corpus_damowerko_pyg_primary_and_pypi_supplemental(tmp_path: Path) -> None:
    model = _model(tmp_path, {"c_poetry/Damowerko__torchcps__pyproject.toml": "pyproject.toml"})
    fm = model.files["pyproject.toml"]
    assert fm.problems == []  # local version labels in ranges are accepted, as Poetry does
    got = {(i.name, i.priority, i.url) for i in fm.indexes}
    assert got == {
        ("PyPI", "supplemental", "https://pypi.org/simple/"),
        ("pyg", "primary", "https://data.pyg.org/whl/torch-2.5.0+cu124.html"),
    }
    assert "torch-scatter" in {p.name for p in fm.packages}


def test_corpus_rskew_http_source_and_pinned_dependency(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        {
            "c_poetry/rskew__poetry2nix-private-pypi-demo__user_project__pyproject.toml": "pyproject.toml"
        },
    )
    fm = model.files["pyproject.toml"]
    [src] = fm.indexes
    assert (src.name, src.url, src.priority) == (
        "test-pypi-server",
        "http://localhost:8080/simple",
        None,
    )
    [dep] = [p for p in fm.packages if p.kind == "dependency"]
    assert (dep.name, dep.source, dep.version) == ("test-package", "test-pypi-server", "0.1")


def test_corpus_dsp_testing_credential_url_and_unpinned_dependency(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        {
            "c_poetry/dsp-testing__pip-toml-private-registry-sample__pyproject.toml": "pyproject.toml"
        },
    )
    fm = model.files["pyproject.toml"]
    [src] = fm.indexes
    assert src.priority == "primary" and "jfrog.io" in src.url
    dep = [p for p in fm.packages if p.name == "thavaahariharangit-project"]
    assert dep and dep[0].source is None
    assert any(c.kind.startswith("url-") for c in fm.credentials)  # from the engine's URL scan


def test_corpus_uv_projects(tmp_path: Path) -> None:
    model = _model(tmp_path, {"d_uv/popura__pytorch-template__pyproject.toml": "pyproject.toml"})
    fm = model.files["pyproject.toml"]
    assert fm.problems == []
    assert {(i.name, i.explicit) for i in fm.indexes} == {
        ("pytorch-cpu", True),
        ("pytorch-cu124", True),
        ("pytorch-cu128", True),
    }
    pinned = {(p.name, p.source) for p in fm.packages if p.source}
    assert ("torch", "pytorch-cu124") in pinned and ("torchaudio", "pytorch-cpu") in pinned

    model = _model(
        tmp_path / "b", {"d_uv/IggyIkenna__instruments-service__pyproject.toml": "pyproject.toml"}
    )
    fm = model.files["pyproject.toml"]
    assert fm.indexes == []
    paths = {p.name: p for p in fm.packages if p.source_type == "path"}
    assert set(paths) == {"unified-trading-library", "unified-api-contracts"}
    assert len([p for p in fm.packages if p.name == "prek" and p.source_type == "url"]) == 3

    model = _model(tmp_path / "c", {"d_uv/GitGuardian__ggshield__pyproject.toml": "pyproject.toml"})
    [pypi] = model.files["pyproject.toml"].indexes
    assert (pypi.name, pypi.default, pypi.url) == ("pypi", True, "https://pypi.org/simple")
    assert isinstance(pypi, IndexRef)


def test_hatch_and_pdm_scripts_are_commands() -> None:
    fm = parse(
        "[tool.hatch.envs.default]\n"
        'pre-install-commands = ["pip install --extra-index-url https://corp.example/simple corp-lib"]\n'
        "[tool.hatch.envs.default.scripts]\n"
        'test = "pytest {args}"\n'
        "[tool.pdm.scripts]\n"
        'setup = { shell = "uv pip install --index-url https://mirror.example/simple x" }\n'
        'multi = """\n'
        "echo hi\n"
        'pip install -i https://third.example/simple y"""\n'
    )
    assert [(c.origin, c.location) for c in fm.commands] == [
        ("project-script", loc(2, 26)),
        ("project-script", loc(4, 9)),
        ("project-script", loc(6, 20)),
        ("project-script", loc(8, 1)),
    ]
    got = [(i.url, i.role, i.installer, i.location) for i in fm.indexes]
    assert got == [
        ("https://corp.example/simple", IndexRole.EXTRA, Installer.PIP, loc(2, 56)),
        ("https://mirror.example/simple", IndexRole.INDEX, Installer.UV, loc(6, 47)),
        ("https://third.example/simple", IndexRole.INDEX, Installer.PIP, loc(9, 16)),
    ]
    assert [(p.name, p.kind, p.location) for p in fm.packages] == [
        ("corp-lib", "command", loc(2, 84)),
        ("x", "command", loc(6, 77)),
        ("y", "command", loc(9, 45)),
    ]
