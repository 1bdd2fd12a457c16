"""FL301-FL303 on hand-built models (rules are pure functions of the model) and end to end
through the CLI against a real pypiserver on 127.0.0.1.

The parsers that produce private packages (pyproject/poetry.lock/requirements) are
exercised by the fixture trees under ``tests/fixtures/FL30x``; here the model is built by
hand so the rule logic is tested independently of them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Optional

import pytest
from conftest import REPO, run_cli
from indexservers import PypiServer, ScriptedIndex, build_sdist, build_wheel

from feedlint import engine, namecache, pypi
from feedlint.config import Config
from feedlint.engine import LintOptions
from feedlint.model import (
    FileKind,
    FileModel,
    IndexRef,
    IndexRole,
    Installer,
    Location,
    PackageRef,
    ProjectModel,
    PublishTarget,
    SourceFile,
)
from feedlint.namecache import save_names
from feedlint.selection import Selector

pytestmark = pytest.mark.filterwarnings("ignore:.*cgi.*:DeprecationWarning")

FEED = "https://pkgs.dev.azure.com/contoso/_packaging/feed/pypi/simple/"
MIRROR = "https://artifactory.contoso.example/artifactory/api/pypi/pypi-virtual/simple/"

Item = object


@pytest.fixture(autouse=True)
def _fresh_memo() -> None:
    namecache._MEMO.clear()
    pypi._FAILURES.clear()


# -- hand-built models -----------------------------------------------------------------
def fm(path: str, kind: FileKind, items: Iterable[Item], lines: int = 40) -> FileModel:
    model = FileModel(SourceFile(path, kind, tuple("" for _ in range(lines))))
    for item in items:
        if isinstance(item, PackageRef):
            model.packages.append(item)
        elif isinstance(item, IndexRef):
            model.indexes.append(item)
        elif isinstance(item, PublishTarget):
            model.publish_targets.append(item)
    return model


def dep(name: str, path: str, line: int, col: int = 1, **kw: object) -> PackageRef:
    kw.setdefault("kind", "dependency")
    kw.setdefault("installer", Installer.POETRY)
    return PackageRef(name=name, location=Location(path, line, col), **kw)  # type: ignore[arg-type]


def locked(name: str, line: int, url: Optional[str], path: str = "poetry.lock") -> PackageRef:
    return PackageRef(
        name=name,
        location=Location(path, line, 1),
        kind="lock",
        installer=Installer.POETRY,
        source_url=url,
        source_type="legacy" if url else None,
        source="feed" if url else None,
    )


def poetry_source(name: str, url: str, line: int) -> IndexRef:
    return IndexRef(
        url=url,
        role=IndexRole.SOURCE,
        installer=Installer.POETRY,
        location=Location("pyproject.toml", line, 7),
        name=name,
        priority="supplemental",
    )


def project_model(root: Path, *files: FileModel, **config: object) -> ProjectModel:
    cfg = Config(**config)  # type: ignore[arg-type]
    model = ProjectModel(root=root, config=cfg)
    for f in files:
        model.files[f.path] = f
    return model


def _findings(model: ProjectModel, codes: Sequence[str], opts: dict) -> tuple[list, list[str]]:
    """Prepare and run the selected rules like the engine does (options overlay the
    configuration as in ``engine.lint_root``)."""
    options = LintOptions(**opts)
    config = model.config
    assert isinstance(config, Config)
    if options.online is not None:
        config.online = options.online
    if options.pypi_url is not None:
        config.pypi_url = options.pypi_url
    errors: list[str] = []
    findings, notices = engine._run_rules(model, Selector(list(codes)), options, errors)
    assert errors == []
    return sorted(findings, key=lambda f: f.sort_key), notices


def run(
    model: ProjectModel, codes: Sequence[str] = ("FL3",), **opts: object
) -> tuple[list[str], list[str]]:
    """(``path:line:col: CODE`` of each finding, notices)."""
    findings, notices = _findings(model, codes, opts)
    return [f"{f.location}: {f.code}" for f in findings], notices


def messages(model: ProjectModel, codes: Sequence[str] = ("FL3",), **opts: object) -> list[str]:
    findings, _ = _findings(model, codes, opts)
    return [f"{f.code} {f.message} | {f.fix}" for f in findings]


def poetry_tree(root: Path, pinned: Sequence[str], locked_names: Sequence[str] = ()) -> list:
    """A Poetry project pinning ``pinned`` to the private source ``feed``."""
    deps = [dep(n, "pyproject.toml", 10 + i, source="feed") for i, n in enumerate(pinned)]
    lock = [locked(n, 100 + 10 * i, FEED) for i, n in enumerate([*pinned, *locked_names])]
    return [
        fm("pyproject.toml", FileKind.PYPROJECT, [poetry_source("feed", FEED, 5), *deps]),
        fm("poetry.lock", FileKind.POETRY_LOCK, lock, lines=400),
    ]


# -- FL301 -----------------------------------------------------------------------------
def test_fl301_fires_on_unprefixed_private_names_only(tmp_path: Path) -> None:
    model = project_model(
        tmp_path,
        *poetry_tree(tmp_path, ["billing-client", "contoso-auth", "contoso"]),
        private_prefixes=["Contoso_"],
    )
    assert run(model, ["FL301"]) == (["pyproject.toml:10:1: FL301"], [])
    (msg,) = messages(model, ["FL301"])
    assert "'billing-client'" in msg and "pinned to 'feed'" in msg and "Contoso_" in msg
    assert "Rename it with one of the private prefixes" in msg


def test_fl301_is_silent_without_prefixes(tmp_path: Path) -> None:
    model = project_model(tmp_path, *poetry_tree(tmp_path, ["billing-client"]))
    assert run(model, ["FL301"]) == ([], [])


def test_fl301_private_packages_config_and_requirements(tmp_path: Path) -> None:
    req = fm(
        "requirements.txt",
        FileKind.REQUIREMENTS,
        [
            dep(
                "billing-client", "requirements.txt", 2, kind="requirement", installer=Installer.PIP
            ),
            dep("requests", "requirements.txt", 3, kind="requirement", installer=Installer.PIP),
        ],
    )
    model = project_model(
        tmp_path, req, private_prefixes=["contoso-"], private_packages=["Billing_Client"]
    )
    assert run(model, ["FL301"]) == (["requirements.txt:2:1: FL301"], [])


def test_fl301_lock_only_names_from_a_mirroring_feed(tmp_path: Path) -> None:
    """A feed that also serves `requests` mirrors PyPI: its lock entries are not assumed
    private unless the PyPI name data says they are absent from PyPI."""
    lock = fm(
        "poetry.lock",
        FileKind.POETRY_LOCK,
        [locked("requests", 10, MIRROR), locked("flask", 20, MIRROR), locked("ledger", 30, MIRROR)],
        lines=100,
    )
    model = project_model(tmp_path, lock, private_prefixes=["contoso-"])
    assert run(model, ["FL301"]) == ([], [])
    save_names("https://pypi.org/simple/", ["requests", "flask"])
    model = project_model(tmp_path, lock, private_prefixes=["contoso-"])
    # FL301 uses the name data when FL302/FL303 loaded it
    assert run(model, ["FL301", "FL303"]) == (
        ["poetry.lock:30:1: FL301", "poetry.lock:30:1: FL303"],
        [],
    )


# -- placement -------------------------------------------------------------------------
def test_reported_once_at_the_edited_declaration(tmp_path: Path) -> None:
    files = poetry_tree(tmp_path, ["billing-client"])
    files.append(
        fm(
            "svc/requirements.txt",
            FileKind.REQUIREMENTS,
            [dep("billing-client", "svc/requirements.txt", 1, kind="requirement")],
        )
    )
    model = project_model(tmp_path, *files, private_prefixes=["contoso-"])
    assert run(model, ["FL301"])[0] == ["pyproject.toml:10:1: FL301"]


# -- FL302 / FL303 against a real pypiserver --------------------------------------------
@pytest.fixture
def index(tmp_path: Path):
    packages = tmp_path / "packages"
    packages.mkdir()
    for name in ("acme-core", "requests", "flask", "lion"):
        build_wheel(packages, name)
    build_sdist(packages, "shared-utils", "0.1")
    server = PypiServer(packages)
    yield server
    server.stop()


def test_fl302_and_fl303_online(tmp_path: Path, index: PypiServer) -> None:
    model = project_model(
        tmp_path, *poetry_tree(tmp_path, ["acme-core", "contoso-billing", "asyncio", "l10n"])
    )
    found, notices = run(model, online=True, pypi_url=index.url)
    assert notices == []
    assert found == ["pyproject.toml:10:1: FL302", "pyproject.toml:11:1: FL303"]
    msgs = messages(model, online=True, pypi_url=index.url)
    on, free = sorted(msgs)
    assert (
        "'acme-core' (pinned to 'feed' (pyproject.toml:10)) also exists on http://127.0.0.1" in on
    )
    assert "explicit source" in on and "rename" in on
    assert "'contoso-billing'" in free and "is not registered on" in free
    assert "Register a placeholder project" in free
    assert index.paths() == ["/simple/"]  # one list download, no name sent


def test_second_run_uses_the_cache_without_a_request(tmp_path: Path, index: PypiServer) -> None:
    model = project_model(tmp_path, *poetry_tree(tmp_path, ["acme-core", "contoso-billing"]))
    first = run(model, online=True, pypi_url=index.url)
    namecache._MEMO.clear()
    model = project_model(tmp_path, *poetry_tree(tmp_path, ["acme-core", "contoso-billing"]))
    assert run(model, online=True, pypi_url=index.url) == first
    model = project_model(tmp_path, *poetry_tree(tmp_path, ["acme-core", "contoso-billing"]))
    assert run(model, online=False, pypi_url=index.url) == first
    assert len(index.seen) == 1


def test_offline_without_cache_skips_with_one_notice(tmp_path: Path, index: PypiServer) -> None:
    model = project_model(tmp_path, *poetry_tree(tmp_path, ["acme-core", "contoso-billing"]))
    found, notices = run(model, pypi_url=index.url)
    assert found == []
    assert len(notices) == 1 and "FL302/FL303 skipped" in notices[0]
    assert index.seen == []


def test_no_private_package_means_no_work(tmp_path: Path, index: PypiServer) -> None:
    req = fm("requirements.txt", FileKind.REQUIREMENTS, [dep("requests", "requirements.txt", 1)])
    model = project_model(tmp_path, req)
    assert run(model, online=True, pypi_url=index.url) == ([], [])
    assert index.seen == []


def test_server_stopped_mid_run_is_never_a_false_unclaimed(tmp_path: Path, index) -> None:
    index.stop()
    model = project_model(tmp_path, *poetry_tree(tmp_path, ["contoso-billing"]))
    found, notices = run(model, online=True, pypi_url=index.url)
    assert found == [] and len(notices) == 1 and "could not connect" in notices[0]


@pytest.mark.parametrize("mode", ["status:500", "garbage", "truncated", "cut-json"])
def test_broken_index_skips(tmp_path: Path, mode: str) -> None:
    server = ScriptedIndex(projects=["acme-core"], mode=mode)
    try:
        model = project_model(tmp_path, *poetry_tree(tmp_path, ["contoso-billing", "acme-core"]))
        found, notices = run(model, online=True, pypi_url=server.url)
    finally:
        server.stop()
    assert found == [] and len(notices) == 1 and "FL302/FL303 skipped" in notices[0]


def test_mirroring_feed_lock_entries(tmp_path: Path, index: PypiServer) -> None:
    """Everything locked from one PyPI-mirroring feed: public names are not reported;
    the internal one (absent from the index) is."""
    lock = fm(
        "poetry.lock",
        FileKind.POETRY_LOCK,
        [
            locked("requests", 10, MIRROR),
            locked("flask", 20, MIRROR),
            locked("ledger-internal", 30, MIRROR),
        ],
        lines=100,
    )
    model = project_model(tmp_path, lock)
    assert run(model, online=True, pypi_url=index.url) == (["poetry.lock:30:1: FL303"], [])


def test_non_mirroring_feed_lock_entry_on_the_index_is_fl302(tmp_path: Path, index) -> None:
    lock = fm(
        "poetry.lock",
        FileKind.POETRY_LOCK,
        [locked("shared-utils", 10, FEED), locked("ledger-internal", 20, FEED)],
        lines=100,
    )
    model = project_model(tmp_path, lock)
    assert run(model, online=True, pypi_url=index.url) == (
        ["poetry.lock:10:1: FL302", "poetry.lock:20:1: FL303"],
        [],
    )


def test_own_project_name(tmp_path: Path, index: PypiServer) -> None:
    def tree(*targets: PublishTarget) -> ProjectModel:
        pyproject = fm(
            "pyproject.toml",
            FileKind.PYPROJECT,
            [dep("acme-core", "pyproject.toml", 2, 9, kind="project")],
        )
        return project_model(tmp_path, pyproject, fm(".pypirc", FileKind.PYPIRC, targets))

    private = PublishTarget("feed", FEED, "twine", Location(".pypirc", 5, 1))
    public = PublishTarget("pypi", None, "twine", Location(".pypirc", 2, 1))
    assert run(tree(private), online=True, pypi_url=index.url)[0] == ["pyproject.toml:2:9: FL302"]
    # it is published to PyPI as well: its PyPI entry is its own
    assert run(tree(private, public), online=True, pypi_url=index.url)[0] == []


def test_twine_authenticate_feed_makes_the_project_private(tmp_path: Path, index) -> None:
    pyproject = fm(
        "pyproject.toml",
        FileKind.PYPROJECT,
        [dep("contoso-ledger", "pyproject.toml", 2, 9, kind="project")],
    )
    ci = fm(
        "azure-pipelines.yml",
        FileKind.CI_YAML,
        [
            PublishTarget(
                "Contoso/feed", None, "TwineAuthenticate", Location("azure-pipelines.yml", 9, 5)
            )
        ],
    )
    model = project_model(tmp_path, pyproject, ci)
    (msg,) = messages(model, online=True, pypi_url=index.url)
    assert msg.startswith("FL303 private package 'contoso-ledger' (the project's own name, ")
    assert "published to repository 'Contoso/feed'" in msg


# -- opt-in per-name look-ups ---------------------------------------------------------------
def test_lookups_only_with_opt_in_and_only_for_absent_names(tmp_path: Path, index) -> None:
    names = ["acme-core", "contoso-billing", "newly-taken"]
    model = project_model(tmp_path, *poetry_tree(tmp_path, names))
    assert run(model, online=True, pypi_url=index.url)[0] == [
        "pyproject.toml:10:1: FL302",
        "pyproject.toml:11:1: FL303",
        "pyproject.toml:12:1: FL303",
    ]
    assert index.paths() == ["/simple/"]
    build_wheel(index.packages, "newly-taken")  # registered after the list was cached
    model = project_model(tmp_path, *poetry_tree(tmp_path, names))
    found, notices = run(model, online=True, pypi_url=index.url, pypi_lookup=True)
    assert found == [
        "pyproject.toml:10:1: FL302",
        "pyproject.toml:11:1: FL303",
        "pyproject.toml:12:1: FL302",
    ]
    assert notices == []
    assert sorted(index.paths()[1:]) == ["/simple/contoso-billing/", "/simple/newly-taken/"]


def test_lookup_opt_in_from_config_and_offline_notice(tmp_path: Path, index) -> None:
    model = project_model(tmp_path, *poetry_tree(tmp_path, ["contoso-billing"]), pypi_lookup=True)
    found, notices = run(model, pypi_url=index.url)
    assert found == [] and index.seen == []
    assert any("--pypi-lookup has no effect without --online" in n for n in notices)


def test_lookups_stand_in_when_the_list_fails(tmp_path: Path) -> None:
    server = ScriptedIndex(projects=["acme-core"], mode="status:503")
    try:
        model = project_model(tmp_path, *poetry_tree(tmp_path, ["acme-core", "contoso-billing"]))
        found, notices = run(model, online=True, pypi_url=server.url, pypi_lookup=True)
    finally:
        server.stop()
    assert found == ["pyproject.toml:10:1: FL302", "pyproject.toml:11:1: FL303"]
    assert len(notices) == 1 and "HTTP 503" in notices[0]
    (free,) = [
        m
        for m in messages(model, pypi_url=server.url, online=True, pypi_lookup=True)
        if m.startswith("FL303")
    ]
    assert "confusable-name check" in free


# -- end to end through the CLI ----------------------------------------------------------
def test_cli_end_to_end(tmp_path: Path, index: PypiServer, monkeypatch) -> None:
    """The CLI with --online/--pypi-url: findings on stdout, notices on stderr. The model
    comes from the hand-built files (until the parsers land) via the engine's builder."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n" + "\n" * 20)
    (root / "poetry.lock").write_text("\n" * 200)
    real = engine.build_model

    def build(root_: Path, config: Config, extra: Iterable[str] = ()) -> ProjectModel:
        model = real(root_, config, extra)
        for f in poetry_tree(root_, ["acme-core", "contoso-billing"]):
            model.files[f.path] = f
        return model

    monkeypatch.setattr(engine, "build_model", build)
    args = [str(root), "--select", "FL3", "--format", "json", "--pypi-url", index.url]
    offline = run_cli(*args)
    assert offline.code == 0 and offline.findings == []
    assert offline.err.count("feedlint: notice: FL302/FL303 skipped") == 1
    online = run_cli(*args, "--online")
    assert online.code == 1
    assert online.findings == ["pyproject.toml:10:1: FL302", "pyproject.toml:11:1: FL303"]
    assert online.err == ""
    again = run_cli(*args)  # offline again: the cache answers
    assert again.findings == online.findings and again.err == ""
    assert index.paths() == ["/simple/"]


def test_httpx_is_not_imported_offline(tmp_path: Path) -> None:
    """Checking names offline against a warm cache never imports httpx."""
    env = {**os.environ, "FEEDLINT_CACHE_DIR": str(tmp_path / "cache")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(REPO / "tests")])
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from test_names import poetry_tree, project_model, run\n"
        "from feedlint.namecache import save_names\n"
        "save_names('https://pypi.org/simple/', ['acme-core'])\n"
        "root = Path(sys.argv[1])\n"
        "model = project_model(root, *poetry_tree(root, ['acme-core', 'contoso-billing']))\n"
        "found, notices = run(model)\n"
        "assert found == ['pyproject.toml:10:1: FL302', 'pyproject.toml:11:1: FL303'], found\n"
        "assert 'httpx' not in sys.modules, 'httpx imported'\n"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, env=env, timeout=60)


# -- which publish targets make the project's own name private ----------------------------
@pytest.mark.parametrize(
    ("targets", "private", "public"),
    [
        # an Azure Artifacts feed through TwineAuthenticate: private
        ([("feed", None, "TwineAuthenticate")], True, False),
        # a PyPI service connection through TwineAuthenticate: public
        ([("PyPI Upload", None, "TwineAuthenticate")], False, True),
        ([("pypi-connection", None, "TwineAuthenticate")], False, True),
        # Artifactory's local repository is private although it says pypi
        ([("pypi-local", None, "twine")], True, False),
        ([("internal-pypi", None, "twine")], True, False),
        # `twine upload -r prod` where .pypirc says what prod is
        (
            [("prod", None, "twine"), ("prod", "https://upload.pypi.org/legacy/", "twine")],
            False,
            True,
        ),
        ([("prod", None, "twine"), ("prod", FEED, "twine")], True, False),
        # both: the name is private (published to the feed) and public (PyPI) at once
        (
            [("pypi", "https://upload.pypi.org/legacy/", "twine"), ("feed", FEED, "twine")],
            True,
            True,
        ),
    ],
)
def test_publish_target_classification(tmp_path: Path, targets, private, public) -> None:
    from feedlint.private import private_packages, publishes_publicly

    publish = [
        PublishTarget(n, u, t, Location(".pypirc", i + 1, 1)) for i, (n, u, t) in enumerate(targets)
    ]
    pyproject = fm(
        "pyproject.toml",
        FileKind.PYPROJECT,
        [dep("acme-app", "pyproject.toml", 2, 9, kind="project")],
    )
    model = project_model(tmp_path, pyproject, fm(".pypirc", FileKind.PYPIRC, publish))
    assert ("acme-app" in private_packages(model)) is private
    assert publishes_publicly(model) is public


def test_publish_url_credentials_are_not_in_the_evidence(tmp_path: Path) -> None:
    from feedlint.private import private_packages

    url = (
        "https://build:hunter2-s3cret-value@pkgs.dev.azure.com/contoso/_packaging/feed/pypi/upload/"
    )
    pyproject = fm(
        "pyproject.toml",
        FileKind.PYPROJECT,
        [dep("acme-app", "pyproject.toml", 2, 9, kind="project")],
    )
    ci = fm("ci.sh", FileKind.SHELL, [PublishTarget("", url, "twine", Location("ci.sh", 3, 30))])
    model = project_model(tmp_path, pyproject, ci)
    why = private_packages(model)["acme-app"].why
    assert "hunter2" not in why and "pkgs.dev.azure.com" in why
