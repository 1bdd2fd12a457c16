"""The effective index model (feedlint.lookup) on hand-built models: installer semantics
independent of any parser."""

from __future__ import annotations

from pathlib import Path

from feedlint.config import Config
from feedlint.findings import Severity
from feedlint.lookup.common import classify, resolve
from feedlint.lookup.pip import (
    command_groups,
    config_views,
    hash_checking,
    requirements_chain,
    requirements_chains,
)
from feedlint.lookup.projects import (
    pdm_candidates,
    pdm_projects,
    poetry_projects,
    poetry_search,
    uv_projects,
    uv_search_order,
)
from feedlint.model import (
    Command,
    EnvAssignment,
    FileKind,
    FileModel,
    Include,
    IndexRef,
    IndexRole,
    Installer,
    Location,
    PackageRef,
    ProjectModel,
    Setting,
    SourceFile,
)
from feedlint.rules.indexes import _mix

ADO = "https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/"
GITLAB = "https://gitlab.example.com/api/v4/projects/1/packages/pypi/simple"
PYPI = "https://pypi.org/simple"


def fm(path: str, kind: FileKind) -> FileModel:
    return FileModel(SourceFile(path, kind, ()))


def ref(
    path: str, line: int, url: str, role: IndexRole, installer: Installer = Installer.PIP, **kw
) -> IndexRef:
    return IndexRef(url, role, installer, Location(path, line, 1), **kw)


def model(*files: FileModel, config: Config | None = None) -> ProjectModel:
    m = ProjectModel(root=Path("."), config=config or Config())
    for f in files:
        m.files[f.path] = f
    return m


# -- classification -------------------------------------------------------------------
def test_classify_kinds() -> None:
    assert classify(PYPI).kind == "pypi"
    assert classify("https://pypi.tuna.tsinghua.edu.cn/simple").kind == "public-mirror"
    assert classify("https://download.pytorch.org/whl/cpu").kind == "third-party"
    assert classify(ADO).kind == "private"
    # devpi's built-in PyPI mirror, on any host; other devpi indexes are private
    assert classify("https://devpi.corp.example/root/pypi/+simple/").kind == "public-mirror"
    assert classify("https://devpi.corp.example/team/prod/+simple/").kind == "private"
    assert classify("./wheels").kind == "private"
    assert classify("$FEED_URL").kind == "unknown"
    assert classify("https://${HOST}/simple").kind == "unknown"
    # a templated host with a private-feed shape is still private
    assert classify("https://${ORG}.pkgs.visualstudio.com/_packaging/f/pypi/simple/").kind == (
        "private"
    )
    cfg = Config(public_mirrors=["https://mirror.corp.example"], private_indexes=["pypi.org"])
    assert classify("https://mirror.corp.example/simple", cfg).kind == "public-mirror"


def test_classify_key_ignores_credentials_and_trailing_slash() -> None:
    a = classify("https://user:secret@pkgs.dev.azure.com/org/_packaging/feed/pypi/simple")
    assert a.key == classify(ADO).key
    assert "secret" not in a.label


def test_resolve_from_file_env() -> None:
    env = {"FEED": ADO}
    assert resolve("$FEED", env) == ADO
    assert resolve("${FEED}", env) == ADO
    assert resolve("${OTHER:-https://x.example/simple}", env) == "https://x.example/simple"
    assert resolve("$(FEED)", env) == ADO
    assert resolve("$MISSING", env) is None
    assert resolve("https://u:${TOKEN}@host/simple", {"TOKEN": "t"}) == "https://u:t@host/simple"
    # make's $(VAR) inside a longer value (`--extra-index-url $(FEED)/simple/`)
    assert resolve("$(HOST)/simple/", {"HOST": "http://x.example"}) == "http://x.example/simple/"
    assert resolve("$(cat token)/simple/", {"cat": "no"}) == "$(cat token)/simple/"
    # tox: {env:NAME:default}, the default may hold ':'
    assert resolve("{env:FEED}", env) == ADO
    assert resolve("{env:OTHER:https://x.example/simple}", env) == "https://x.example/simple"
    assert resolve("{env:OTHER}", env) is None


# -- pip: requirements chains --------------------------------------------------------------
def _req(path: str) -> FileModel:
    return fm(path, FileKind.REQUIREMENTS)


def test_index_url_replaces_earlier_extras_and_includes_apply_globally() -> None:
    top, base = _req("requirements.txt"), _req("base.txt")
    top.indexes.append(ref("requirements.txt", 1, ADO, IndexRole.EXTRA, scope="requirements"))
    top.includes.append(
        Include(
            "requirements.txt", "base.txt", "base.txt", False, Location("requirements.txt", 2, 4)
        )
    )
    base.indexes.append(ref("base.txt", 1, PYPI, IndexRole.INDEX, scope="requirements"))
    chains = {c.root: c for c in requirements_chains(model(top, base))}
    top_chain = chains["requirements.txt"]
    assert top_chain.extras == []
    assert top_chain.index is not None and top_chain.index.info.kind == "pypi"
    assert [o.ref.location.path for o in top_chain.overrides] == ["base.txt"]
    assert [e.info.key for e in top_chain.overrides[0].dropped] == [classify(ADO).key]
    assert chains["base.txt"].overrides == []


def test_options_on_one_line_apply_index_before_extras() -> None:
    top = _req("requirements.txt")
    top.indexes.append(IndexRef(ADO, IndexRole.EXTRA, Installer.PIP, Location(top.path, 1, 19)))
    top.indexes.append(IndexRef(PYPI, IndexRole.INDEX, Installer.PIP, Location(top.path, 1, 80)))
    (chain,) = requirements_chains(model(top))
    assert [e.info.kind for e in chain.extras] == ["private"]
    assert chain.overrides == []


def test_no_index_clears_and_ignores_later_indexes() -> None:
    top = _req("requirements.txt")
    top.settings.append(Setting("no-index", True, Installer.PIP, Location(top.path, 1, 1)))
    top.indexes.append(ref(top.path, 2, ADO, IndexRole.EXTRA))
    (chain,) = requirements_chains(model(top))
    assert chain.no_index and chain.searched() == []


def test_include_cycle_terminates() -> None:
    a, b = _req("a-requirements.txt"), _req("b-requirements.txt")
    a.includes.append(Include(a.path, b.path, b.path, False, Location(a.path, 1, 4)))
    b.includes.append(Include(b.path, a.path, a.path, False, Location(b.path, 1, 4)))
    b.indexes.append(ref(b.path, 2, ADO, IndexRole.EXTRA))
    chains = {c.root: c for c in requirements_chains(model(a, b))}
    assert [e.info.kind for e in chains[a.path].extras] == ["private"]


def test_find_links_first_of_a_line_and_kept_after_no_index() -> None:
    top = _req("requirements.txt")
    top.settings.append(Setting("no-index", True, Installer.PIP, Location(top.path, 1, 1)))
    top.indexes.append(
        IndexRef("./wheels", IndexRole.FIND_LINKS, Installer.PIP, Location(top.path, 2, 4))
    )
    top.indexes.append(
        IndexRef(ADO, IndexRole.FIND_LINKS, Installer.PIP, Location(top.path, 2, 17))
    )
    top.indexes.append(ref(top.path, 3, GITLAB, IndexRole.FIND_LINKS))
    chain = requirements_chain(model(top), top.path)
    # pip reads opts.find_links[0] only, and adds link pages even under --no-index
    assert [r.url for r in chain.sources()] == ["./wheels", GITLAB]
    assert chain.no_index and not chain.uses_default_index


def test_hash_checking_follows_includes() -> None:
    top, base = _req("requirements.txt"), _req("base.txt")
    top.includes.append(Include(top.path, base.path, base.path, False, Location(top.path, 1, 4)))
    top.packages.append(PackageRef("a", Location(top.path, 2, 1), "requirement"))
    m = model(top, base)
    assert not hash_checking(m, top.path)
    base.packages.append(
        PackageRef("b", Location(base.path, 1, 1), "requirement", hashes=("sha256:ab",))
    )
    m = model(top, base)
    assert hash_checking(m, top.path) and not hash_checking(m, "other.txt")
    base.packages.clear()
    base.settings.append(Setting("require-hashes", True, Installer.PIP, Location(base.path, 1, 1)))
    assert hash_checking(model(top, base), top.path)


# -- pip: config files ------------------------------------------------------------------
def test_command_section_replaces_global_key() -> None:
    conf = fm("pip.conf", FileKind.PIP_CONF)
    conf.indexes += [
        ref("pip.conf", 2, ADO, IndexRole.EXTRA, scope="global"),
        ref(
            "pip.conf", 5, "https://download.pytorch.org/whl/cpu", IndexRole.EXTRA, scope="install"
        ),
        ref("pip.conf", 8, GITLAB, IndexRole.EXTRA, scope="Global"),  # ignored by pip
    ]
    views = {v.command: v for v in config_views(model(conf))}
    assert [e.info.kind for e in views["install"].extras] == ["third-party"]
    assert [e.info.kind for e in views["download"].extras] == ["private"]
    assert "Global" not in views


# -- pip: command lines ---------------------------------------------------------------------
def test_each_simple_command_is_its_own_context() -> None:
    text = f"pip install -i {ADO} a && pip install --extra-index-url {PYPI} b"
    script = fm("build.sh", FileKind.SHELL)
    script.commands.append(Command(text, Location("build.sh", 3, 1), "shell"))
    first = text.index(ADO)
    second = text.index(PYPI)
    script.indexes += [
        IndexRef(
            ADO, IndexRole.INDEX, Installer.PIP, Location("build.sh", 3, first + 1), scope="cli"
        ),
        IndexRef(
            PYPI, IndexRole.EXTRA, Installer.PIP, Location("build.sh", 3, second + 1), scope="cli"
        ),
    ]
    groups = command_groups(model(script))
    assert len(groups) == 2
    assert [e.info.kind for e in groups[0].index] == ["private"] and groups[0].extras == []
    assert groups[1].index == [] and [b.kind for b in groups[1].base()] == ["pypi"]


def test_env_index_is_the_base_of_a_command_without_one() -> None:
    df = fm("Dockerfile", FileKind.DOCKERFILE)
    df.env.append(EnvAssignment("PIP_INDEX_URL", ADO, "docker-env", Location("Dockerfile", 2, 5)))
    df.indexes.append(ref("Dockerfile", 2, ADO, IndexRole.INDEX, scope="env", via="PIP_INDEX_URL"))
    text = f"pip install --extra-index-url {PYPI} app"
    df.commands.append(Command(text, Location("Dockerfile", 3, 5), "docker-run"))
    df.indexes.append(
        IndexRef(
            PYPI,
            IndexRole.EXTRA,
            Installer.PIP,
            Location("Dockerfile", 3, 5 + text.index(PYPI)),
            scope="cli",
        )
    )
    (group,) = command_groups(model(df))
    assert [b.kind for b in group.base()] == ["private"]


# -- mixing verdicts ----------------------------------------------------------------------
def test_mix_verdicts() -> None:
    pypi, ado, torch = classify(PYPI), classify(ADO), classify("https://download.pytorch.org/whl")
    mirror, unknown = classify("https://mirrors.aliyun.com/pypi/simple"), classify("$X")
    assert _mix(ado, [pypi], [])[2] == "public"  # type: ignore[index]
    assert _mix(pypi, [ado], [])[2] == "private-default"  # type: ignore[index]
    assert _mix(classify(GITLAB), [ado], [])[2] == "proxy"  # type: ignore[index]
    assert _mix(torch, [pypi], [])[0].value == "info"  # type: ignore[index]
    assert _mix(torch, [ado], [])[:3:2] == (Severity.INFO, "third-party")  # type: ignore[index]
    assert _mix(mirror, [pypi], []) is None
    assert _mix(ado, [ado], []) is None  # the same feed twice
    assert _mix(unknown, [classify("$Y")], []) is None
    assert _mix(unknown, [pypi], []) is not None


def test_testpypi_is_an_open_index_not_pypi() -> None:
    # TestPyPI has its own namespace where anyone registers any free name (flask too)
    test = classify("https://test.pypi.org/simple/")
    assert (test.kind, test.open_upload) == ("third-party", True)
    assert test.describe() == "TestPyPI (https://test.pypi.org/simple/)"
    assert classify("https://testpypi.python.org/pypi").open_upload
    assert not classify("https://download.pytorch.org/whl").open_upload
    pypi, mirror = classify(PYPI), classify("https://mirrors.aliyun.com/pypi/simple")
    assert _mix(test, [pypi], [])[:3:2] == (Severity.WARNING, "open")  # type: ignore[index]
    assert _mix(test, [mirror], [])[2] == "open"  # type: ignore[index]
    # the packaging tutorial's `-i <TestPyPI> --extra-index-url <PyPI>`
    assert _mix(pypi, [test], [])[:3:2] == (Severity.WARNING, "open-default")  # type: ignore[index]
    assert _mix(test, [test], []) is None  # the same index twice


# -- Poetry / uv / PDM ----------------------------------------------------------------------
def _pyproject(*refs: IndexRef) -> FileModel:
    f = fm("pyproject.toml", FileKind.PYPROJECT)
    f.indexes += refs
    return f


def test_poetry_primary_source_disables_implicit_pypi() -> None:
    src = ref(
        "pyproject.toml",
        3,
        ADO,
        IndexRole.SOURCE,
        Installer.POETRY,
        name="internal",
        scope="project",
    )
    (project,) = poetry_projects(model(_pyproject(src)))
    first, fallback = poetry_search(project)
    assert [s.name for s in first] == ["internal"] and fallback == []


def test_poetry_supplemental_only_keeps_implicit_pypi_first() -> None:
    src = ref(
        "pyproject.toml", 3, ADO, IndexRole.SOURCE, Installer.POETRY,
        name="internal", priority="supplemental", scope="project",
    )  # fmt: skip
    (project,) = poetry_projects(model(_pyproject(src)))
    first, fallback = poetry_search(project)
    assert [s.label for s in first] == ["PyPI"] and [s.name for s in fallback] == ["internal"]


def test_uv_order_puts_the_default_index_last() -> None:
    default = ref(
        "pyproject.toml",
        3,
        ADO,
        IndexRole.SOURCE,
        Installer.UV,
        name="feed",
        default=True,
        scope="project",
    )
    torch = ref(
        "pyproject.toml",
        6,
        "https://download.pytorch.org/whl/cpu",
        IndexRole.SOURCE,
        Installer.UV,
        name="torch",
        scope="project",
    )
    expl = ref(
        "pyproject.toml",
        9,
        GITLAB,
        IndexRole.SOURCE,
        Installer.UV,
        name="gl",
        explicit=True,
        scope="project",
    )
    (project,) = uv_projects(model(_pyproject(default, torch, expl)))
    assert [s.name for s in uv_search_order(project)] == ["torch", "feed"]


def test_implicit_pypi_is_classified_with_the_configuration_for_every_tool() -> None:
    # uv's implicit PyPI used to ignore [tool.feedlint] (Poetry's, PDM's and Pipenv's did not)
    cfg = Config(private_indexes=["pypi.org"])
    torch = ref(
        "pyproject.toml",
        6,
        "https://download.pytorch.org/whl/cpu",
        IndexRole.SOURCE,
        Installer.UV,
        name="torch",
        scope="project",
    )
    (uv,) = uv_projects(model(_pyproject(torch), config=cfg))
    src = ref("pyproject.toml", 3, ADO, IndexRole.SOURCE, Installer.PDM, name="x", scope="project")
    (pdm,) = pdm_projects(model(_pyproject(src), config=cfg))
    assert [s.info.kind for s in uv.sources if s.implicit] == ["private"]
    assert [s.info.kind for s in pdm.sources if s.implicit] == ["private"]


def test_pdm_include_and_exclude_packages() -> None:
    src = ref(
        "pyproject.toml", 3, ADO, IndexRole.SOURCE, Installer.PDM, name="internal", scope="project"
    )
    f = _pyproject(src)
    f.settings += [
        Setting(
            "include-packages",
            ["shared-*"],
            Installer.PDM,
            Location(f.path, 4, 1),
            subject="internal",
        ),
        Setting(
            "exclude-packages",
            ["requests"],
            Installer.PDM,
            Location(f.path, 5, 1),
            subject="internal",
        ),
    ]
    (project,) = pdm_projects(model(f))
    candidates, bound = pdm_candidates(project, "shared-utils")
    assert bound is not None and bound.name == "internal"
    candidates, bound = pdm_candidates(project, "requests")
    assert bound is None and [s.name for s in candidates] == ["pypi"]
    candidates, bound = pdm_candidates(project, "flask")
    assert [s.name for s in candidates] == ["pypi", "internal"]


# -- command-local environment ------------------------------------------------------------
def test_prefix_assignment_is_local_to_its_command() -> None:
    from feedlint.lookup.pip import command_local
    from feedlint.parsers import parse_file

    text = (
        "UV_INDEX_STRATEGY=unsafe-best-match uv pip install torch\n"
        "UV_INDEX_STRATEGY=unsafe-first-match\n"
        "env UV_INDEX_STRATEGY=unsafe-best-match uv sync\n"
        "export UV_INDEX_STRATEGY=unsafe-best-match\n"
    )
    f = parse_file(SourceFile("ci.sh", FileKind.SHELL, tuple(text.splitlines())))
    strategies = [s for s in f.settings if s.key == "index-strategy"]
    assert [(s.location.line, command_local(f, s)) for s in strategies] == [
        (1, True),
        (2, False),  # a bare assignment is no command's prefix
        (3, True),
        (4, False),
    ]


def test_label_keeps_the_case_of_a_templated_host() -> None:
    info = classify("https://u:${TOKEN}@${NEXUS_HOST}:8081/repository/pypi/simple/?x=1")
    assert info.label == "https://${NEXUS_HOST}:8081/repository/pypi/simple/"
    assert "TOKEN" not in info.label
    assert classify("https://Pkgs.Example.com/Simple").label == "https://pkgs.example.com/Simple"


def test_same_index_across_azure_spellings() -> None:
    a = classify("https://pkgs.dev.azure.com/contoso/proj/_packaging/shared/pypi/simple/")
    b = classify("https://contoso.pkgs.visualstudio.com/proj/_packaging/shared/pypi/simple")
    task = classify("https://pkgs.dev.azure.com/<organization>/proj/_packaging/shared/pypi/simple/")
    other = classify("https://pkgs.dev.azure.com/contoso/proj/_packaging/tools/pypi/simple/")
    assert a.same(b) and b.same(a)
    assert task.same(a) and a.same(task) and task.same(b)
    assert not task.same(other) and not a.same(other)
    # the unknown organization is one path segment, not any prefix
    deeper = classify("https://pkgs.dev.azure.com/x/y/proj/_packaging/shared/pypi/simple/")
    assert not task.same(deeper)


def test_pdm_project_reads_its_pdm_toml(tmp_path: Path) -> None:
    from feedlint.engine import build_model

    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1"\ndependencies = ["shared-utils"]\n\n'
        '[[tool.pdm.source]]\nname = "extra"\nurl = "https://extra.example/simple"\n',
        encoding="utf-8",
    )
    (tmp_path / "pdm.toml").write_text(
        f'[pypi]\nurl = "{ADO}"\n\n[pypi.stored]\nurl = "{GITLAB}"\n', encoding="utf-8"
    )
    (project,) = pdm_projects(build_model(tmp_path))
    assert [(s.name, s.info.url, s.implicit) for s in project.sources] == [
        ("pypi", ADO, False),  # [pypi] url takes PyPI's place, first
        ("extra", "https://extra.example/simple", False),
        ("stored", GITLAB, False),  # stored sources after the pyproject ones
    ]
