"""Which file kind a path is, by its name and place. Pure string logic, no I/O."""

from __future__ import annotations

import re
from typing import Optional

from feedlint.lazyre import lazy_compile
from feedlint.model import FileKind

__all__ = ["PRE_COMMIT_FILES_REGEX", "basename", "classify"]

_EXACT: dict[str, FileKind] = {
    "pyproject.toml": FileKind.PYPROJECT,
    "poetry.lock": FileKind.POETRY_LOCK,
    "uv.lock": FileKind.UV_LOCK,
    "pdm.lock": FileKind.PDM_LOCK,
    "pipfile": FileKind.PIPFILE,
    "pipfile.lock": FileKind.PIPFILE_LOCK,
    "pip.conf": FileKind.PIP_CONF,
    "pip.ini": FileKind.PIP_CONF,
    ".pypirc": FileKind.PYPIRC,
    "pypirc": FileKind.PYPIRC,
    "setup.cfg": FileKind.SETUP_CFG,
    "tox.ini": FileKind.TOX_INI,
    "setup.py": FileKind.SETUP_PY,
    "uv.toml": FileKind.UV_TOML,
    "poetry.toml": FileKind.POETRY_CONFIG,
    "auth.toml": FileKind.POETRY_CONFIG,
    "pdm.toml": FileKind.PDM_CONFIG,
    ".pdm.toml": FileKind.PDM_CONFIG,
    "dockerfile": FileKind.DOCKERFILE,
    "containerfile": FileKind.DOCKERFILE,
    ".gitlab-ci.yml": FileKind.CI_YAML,
    ".gitlab-ci.yaml": FileKind.CI_YAML,
    "bitbucket-pipelines.yml": FileKind.CI_YAML,
    ".travis.yml": FileKind.CI_YAML,
    "jenkinsfile": FileKind.CI_YAML,
    ".env": FileKind.DOTENV,
    ".envrc": FileKind.SHELL,  # direnv: a bash script sourced on cd
    "action.yml": FileKind.CI_YAML,  # GitHub actions (composite steps run shell)
    "action.yaml": FileKind.CI_YAML,
    ".netrc": FileKind.NETRC,
    "_netrc": FileKind.NETRC,
    ".git-credentials": FileKind.GIT_CREDENTIALS,
    "makefile": FileKind.MAKEFILE,  # `Makefile` and `makefile`
    "gnumakefile": FileKind.MAKEFILE,
}

_REQUIREMENTS = lazy_compile(
    r"(?i)^(.*[-_.])?(requirements|constraints|reqs)([-_.].*)?\.(txt|in|pip)$"
)
_DOCKERFILE = lazy_compile(
    r"(?i)^(dockerfile|containerfile)[-_.].+$|^.+\.(dockerfile|containerfile)$"
)
_PIPELINE_YAML = lazy_compile(
    r"(?i)^(.*[-_.])?(azure-pipelines?|pipelines?|ci)([-_.][^/]*)?\.ya?ml$"
)
_CI_DIRS = frozenset(
    {
        ".circleci",
        ".azure-pipelines",
        ".pipelines",
        ".gitlab",
        ".azuredevops",
        ".ado",
        "ci",
        ".ci",
        "cicd",
    }
)
#: Docker Compose: docker-compose.yml, docker-compose.prod.yml, compose.yaml, compose.dev.yml
_COMPOSE = lazy_compile(r"(?i)^(docker-compose([-_.][^/]*)?|compose(\.[^/]*)?)\.ya?ml$")
#: conda environment files: environment.yml, environment-dev.yaml, conda.yml, conda-env.yml
_CONDA_ENV = lazy_compile(r"(?i)^(environment|conda)([-_.][^/]*)?\.ya?ml$")
_SHELL = lazy_compile(r"(?i)^.+\.(sh|bash|zsh|ksh|ps1|psm1|bat|cmd)$")
_DOTENV = lazy_compile(r"(?i)^(\.env\.[^/]+|[^/]+\.env)$")


def basename(path: str) -> str:
    """The file name a path written in a command or config ends in: quotes dropped, ``\\``
    read as ``/``, a trailing ``/`` ignored (``"C:\\pip\\pip.ini"`` -> ``pip.ini``)."""
    return path.strip("'\"").replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def classify(relpath: str) -> Optional[FileKind]:
    """The :class:`FileKind` of ``relpath`` (root-relative, ``/``-separated), or ``None``.

    Requirements files are recognised by name (``requirements*.txt``, ``*-requirements.in``,
    ``constraints.txt``, ``requirements/*.txt`` ...); files they include with ``-r``/``-c``
    are read as requirements whatever their name (see the model builder).
    """
    parts = relpath.split("/")
    name = parts[-1]
    lower = name.lower()
    parents = [p.lower() for p in parts[:-1]]
    kind = _EXACT.get(lower)
    if kind is not None:
        return kind
    if _REQUIREMENTS.match(name):
        return FileKind.REQUIREMENTS
    if (
        parents
        and parents[-1] in ("requirements", "reqs", "constraints")
        and re.search(r"(?i)\.(txt|in)$", name)
    ):
        return FileKind.REQUIREMENTS
    if _DOCKERFILE.match(name):
        return FileKind.DOCKERFILE
    if lower.endswith((".yml", ".yaml")):
        if len(parents) >= 2 and parents[-2:] == [".github", "workflows"]:
            return FileKind.CI_YAML
        # before the CI folders and names: `ci/environment.yml`, `docker-compose.ci.yml`
        if _COMPOSE.match(name):
            return FileKind.COMPOSE
        if _CONDA_ENV.match(name):
            return FileKind.CONDA_ENV
        # pipeline folders, templates included (`.pipelines/templates/steps.yml`)
        if any(p in _CI_DIRS or "pipelines" in p for p in parents):
            return FileKind.CI_YAML
        if _PIPELINE_YAML.match(name):
            return FileKind.CI_YAML
        return None
    if _SHELL.match(name):
        return FileKind.SHELL
    if _DOTENV.match(name):
        return FileKind.DOTENV
    if lower.endswith(".mk") and len(lower) > 3:
        return FileKind.MAKEFILE
    return None


#: The ``files:`` pattern of the pre-commit hook: every name :func:`classify` accepts.
#: A test checks that it agrees with :func:`classify` on a list of sample paths.
PRE_COMMIT_FILES_REGEX = (
    r"(?i)(^|/)("
    r"pyproject\.toml|poetry\.lock|uv\.lock|pdm\.lock|Pipfile(\.lock)?|pip\.(conf|ini)|\.?pypirc"
    r"|setup\.(cfg|py)|tox\.ini|uv\.toml|poetry\.toml|auth\.toml|\.?pdm\.toml"
    r"|(Dockerfile|Containerfile)([-_.][^/]*)?|[^/]+\.(dockerfile|containerfile)"
    r"|\.gitlab-ci\.ya?ml|bitbucket-pipelines\.yml|\.travis\.yml|Jenkinsfile"
    r"|\.github/workflows/[^/]+\.ya?ml|action\.ya?ml"
    r"|(docker-compose([-_.][^/]*)?|compose(\.[^/]*)?)\.ya?ml|(environment|conda)([-_.][^/]*)?\.ya?ml"
    r"|(\.circleci|\.azure-pipelines|\.pipelines|\.gitlab|\.azuredevops|\.ado|\.?ci|cicd)/([^/]+/)*[^/]+\.ya?ml"
    r"|([^/]*[-_.])?(azure-pipelines?|pipelines?|ci)([-_.][^/]*)?\.ya?ml|[^/]*pipelines[^/]*/([^/]+/)*[^/]+\.ya?ml"
    r"|([^/]*[-_.])?(requirements|constraints|reqs)([-_.][^/]*)?\.(txt|in|pip)"
    r"|(requirements|reqs|constraints)/[^/]+\.(txt|in)"
    r"|[^/]+\.(sh|bash|zsh|ksh|ps1|psm1|bat|cmd)"
    r"|\.env|\.env\.[^/]+|[^/]+\.env|\.envrc|\.netrc|_netrc|\.git-credentials"
    r"|(GNU)?Makefile|[^/]+\.mk"
    r")$"
)
