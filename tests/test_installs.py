"""Where a tree installs a requirements file, and the indexes in force there
(feedlint.lookup.installs), on trees parsed by the real parsers."""

from __future__ import annotations

from pathlib import Path

from feedlint.engine import build_model
from feedlint.lookup.installs import install_contexts

FEED = "https://pkgs.dev.azure.com/contoso/_packaging/internal/pypi/simple/"
REQS = "contoso-core==1.1.0\n"


def contexts(tree, files: dict[str, str], target: str = "requirements.txt") -> list[tuple]:
    root: Path = tree({target: REQS, **files})
    model = build_model(root)
    return [
        (
            c.path,
            c.location.line,
            c.known,
            [i.label for i in c.index],
            [i.label for i in c.extras],
            c.no_index,
            c.first_index,
        )
        for c in install_contexts(model, target)
    ]


def test_dockerfile_stage_env_and_container_paths(tree) -> None:
    docker = (
        "FROM python:3.12 AS build\n"
        f"ENV PIP_INDEX_URL={FEED}\n"
        "RUN pip wheel -w /wheels -r requirements.txt\n"
        "FROM python:3.12-slim\n"
        "COPY requirements.txt /app/\n"
        "RUN pip install --no-index -f /wheels -r /app/requirements.txt\n"
        "RUN PIP_EXTRA_INDEX_URL=https://pypi.org/simple pip install -r /app/requirements.txt"
        " && pip install -r /app/requirements.txt\n"
    )
    feed = FEED
    assert contexts(tree, {"Dockerfile": docker}) == [
        ("Dockerfile", 3, True, [feed], [], False, False),
        ("Dockerfile", 6, True, [], [], True, False),
        ("Dockerfile", 7, True, [], ["https://pypi.org/simple"], False, False),
        ("Dockerfile", 7, True, [], [], False, False),  # the prefix stops at `&&`
    ]


def test_bare_build_arg_may_leave_pypi_in_force(tree) -> None:
    docker = "FROM python:3.12\nARG PIP_INDEX_URL\nRUN pip install -r requirements.txt\n"
    ((_, _, _, index, _, _, _),) = contexts(tree, {"Dockerfile": docker})
    assert index == ["${PIP_INDEX_URL}", "https://pypi.org/simple"]


def test_ci_env_reaches_only_its_own_job(tree) -> None:
    workflow = (
        "on: push\n"
        "jobs:\n"
        "  a:\n"
        "    runs-on: ubuntu-latest\n"
        "    env:\n"
        f"      PIP_INDEX_URL: {FEED}\n"
        "    steps:\n"
        "      - run: pip install -r requirements.txt\n"
        "  b:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: uv pip install -r requirements.txt\n"
    )
    feed = FEED
    assert contexts(tree, {".github/workflows/ci.yml": workflow}) == [
        (".github/workflows/ci.yml", 8, True, [feed], [], False, False),
        (".github/workflows/ci.yml", 12, True, [], [], False, True),
    ]


def test_including_files_are_contexts(tree) -> None:
    files = {
        "requirements-dev.txt": "-r requirements.txt\npytest==8.3.3\n",
        "requirements-ci.txt": f"--index-url {FEED}\n-r requirements-dev.txt\n",
        "tox.ini": "[testenv]\ndeps = -rrequirements.txt\n",
    }
    root: Path = tree({"requirements.txt": REQS, **files})
    model = build_model(root)
    found = [(c.path, c.known, c.chain_root) for c in install_contexts(model, "requirements.txt")]
    assert found == [
        ("requirements-dev.txt", True, "requirements-dev.txt"),
        ("tox.ini", False, ""),
        ("requirements-ci.txt", True, "requirements-ci.txt"),
    ]


def test_ambiguous_container_path_is_not_guessed(tree) -> None:
    files = {
        "api/requirements.txt": REQS,
        "Dockerfile": "FROM python:3.12\nRUN pip install -r /srv/requirements.txt\n",
    }
    assert contexts(tree, files) == []


def test_dockerfile_copied_pip_conf_gives_the_indexes(tree) -> None:
    files = {
        "docker/pip.conf": f"[global]\nindex-url = {FEED}\n[install]\nextra-index-url = {FEED}x\n",
        "Dockerfile": (
            "FROM python:3.12\n"
            "RUN pip install -r requirements.txt\n"
            "COPY docker/pip.conf /etc/pip.conf\n"
            "RUN pip install -r requirements.txt\n"
            "RUN pip download -d /d -r requirements.txt\n"
        ),
    }
    assert contexts(tree, files) == [
        ("Dockerfile", 2, True, [], [], False, False),
        ("Dockerfile", 4, True, [FEED], [FEED + "x"], False, False),
        ("Dockerfile", 5, True, [FEED], [], False, False),
    ]
