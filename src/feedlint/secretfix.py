"""The concrete fix for an exposed secret, by file kind and tool (used by FL101–FL105).

Each text names the alternative that the tool reading that file really supports: pip
expands ``${UPPER_CASE}`` references in requirements files but nothing in pip.conf;
Poetry reads ``POETRY_HTTP_BASIC_<SOURCE>_USERNAME/PASSWORD``; uv reads
``UV_INDEX_<NAME>_USERNAME/PASSWORD``; Pipenv and PDM expand ``${VAR}`` in source URLs; tox
substitutes ``{env:VAR}``; twine reads ``TWINE_PASSWORD`` and keyring; Azure Pipelines has
``PipAuthenticate``/``TwineAuthenticate``; Docker has BuildKit secrets.
"""

from __future__ import annotations

import re
from typing import Optional

from feedlint.model import FileKind, Installer

__all__ = [
    "ROTATE",
    "docker_fix",
    "env_name",
    "key_value_fix",
    "store_fix",
    "token_fix",
    "twine_fix",
    "url_fix",
]

ROTATE = "Rotate the exposed secret: it stays in the repository history."

_AZURE_PIP = (
    " For Azure Artifacts, artifacts-keyring (`pip install keyring artifacts-keyring`) "
    "authenticates pip without any secret in the file."
)


def env_name(name: str) -> str:
    """A source/index name as tools spell it in environment variables (``my-feed`` ->
    ``MY_FEED``)."""
    return re.sub(r"[^A-Za-z0-9]", "_", name).upper() or "NAME"


_COMPOSE_REF = (
    "Write an interpolation (`${FEED_TOKEN}`) in the Compose file and set the variable from "
    "the shell or a CI secret, or hand it over with `secrets:`."
)


def url_fix(
    kind: FileKind,
    installer: Optional[Installer] = None,
    name: Optional[str] = None,
    azure: bool = False,
    vcs: bool = False,
) -> str:
    """How to remove a credential from a URL in a file of ``kind`` (``vcs``: a git URL)."""
    n = env_name(name) if name else "<NAME>"
    azure_hint = _AZURE_PIP if azure else ""
    if kind in (FileKind.PYPROJECT, FileKind.UV_TOML):
        if installer is Installer.POETRY:
            return (
                "Remove the user-info from the source URL and set "
                f"POETRY_HTTP_BASIC_{n}_USERNAME / POETRY_HTTP_BASIC_{n}_PASSWORD from a secret "
                f"(or `poetry config http-basic.{name or '<source>'}`, stored in keyring). {ROTATE}"
            )
        if installer is Installer.PDM:
            return (
                "Write the URL with environment references, "
                '`url = "https://${FEED_USER}:${FEED_TOKEN}@host/simple"` (PDM expands them), '
                f"or store the password with `pdm config` in your user config or keyring. {ROTATE}"
            )
        if installer is Installer.HATCH:
            return (
                "Take the URL from an environment variable set from a secret instead of "
                f"writing it in pyproject.toml. {ROTATE}"
            )
        return (
            f"Remove the user-info from the index URL and set UV_INDEX_{n}_USERNAME / "
            f'UV_INDEX_{n}_PASSWORD from a secret (or `keyring-provider = "subprocess"`). '
            f"{ROTATE}"
        )
    if kind is FileKind.REQUIREMENTS and vcs:
        return (
            "Reference the token from the environment, e.g. "
            "`git+https://${GITHUB_TOKEN}@github.com/org/repo.git` (pip expands "
            f"`${{UPPER_CASE}}` names in requirements files), or use a git credential helper. {ROTATE}"
        )
    if kind is FileKind.REQUIREMENTS:
        return (
            "Replace the secret with an environment reference such as `${FEED_TOKEN}` (pip "
            "expands only `${UPPER_CASE}` names in requirements files), or drop the user-info "
            "and let keyring or a ~/.netrc outside the repository supply it."
            f"{azure_hint} {ROTATE}"
        )
    if kind is FileKind.PIP_CONF:
        return (
            "pip does not expand variables in pip.conf/pip.ini: drop the user-info and let "
            "keyring (`keyring-provider = subprocess`) or a ~/.netrc outside the repository "
            f"supply the credential, or set PIP_INDEX_URL from a secret at run time.{azure_hint} "
            f"{ROTATE}"
        )
    if kind is FileKind.PIPFILE:
        return (
            "Pipenv expands environment variables in [[source]] URLs: write "
            '`url = "https://${FEED_USER}:${FEED_TOKEN}@host/simple"`. ' + ROTATE
        )
    if kind is FileKind.PYPIRC:
        return twine_fix()
    if kind in (FileKind.SETUP_PY, FileKind.SETUP_CFG):
        return (
            "Do not put credentials in dependency_links or index URLs: let pip read them from "
            f"keyring or a ~/.netrc outside the repository.{azure_hint} {ROTATE}"
        )
    if kind is FileKind.TOX_INI:
        return (
            "Use tox substitution, e.g. `{env:PIP_INDEX_URL}` with `pass_env = PIP_INDEX_URL`, "
            f"or keyring.{azure_hint} {ROTATE}"
        )
    if kind is FileKind.DOTENV:
        return (
            "Keep .env files that hold real secrets out of version control (.gitignore) and "
            f"inject the value from a secret store or CI secret. {ROTATE}"
        )
    if kind is FileKind.DOCKERFILE:
        return docker_fix("url")
    if kind is FileKind.CI_YAML:
        return ci_fix(azure)
    if kind is FileKind.COMPOSE:
        return f"{_COMPOSE_REF}{azure_hint} {ROTATE}"
    if kind is FileKind.CONDA_ENV:
        return (
            "Write `${FEED_TOKEN}` in the URL instead (conda writes the pip: list to a "
            "requirements file, and pip expands `${UPPER_CASE}` names there) and set it from "
            f"a secret, or let keyring supply the credential.{azure_hint} {ROTATE}"
        )
    if kind is FileKind.SHELL:
        return (
            "Read the secret from the environment (`${FEED_TOKEN}`) or let keyring supply it."
            f"{azure_hint} {ROTATE}"
        )
    if kind is FileKind.MAKEFILE:
        return (
            "Reference a variable the environment supplies instead (`$(FEED_TOKEN)`, set by CI "
            f"or `make FEED_TOKEN=...`), or let keyring supply it.{azure_hint} {ROTATE}"
        )
    if kind in (FileKind.POETRY_LOCK, FileKind.UV_LOCK, FileKind.PDM_LOCK, FileKind.PIPFILE_LOCK):
        return (
            "A lock file should not record credentials: remove them from the source URL "
            f"and relock with the credential supplied through the environment or keyring. {ROTATE}"
        )
    return (
        f"Remove the secret from the file and supply it from the environment or keyring. {ROTATE}"
    )


def ci_fix(azure: bool = False) -> str:
    extra = " (or PipAuthenticate/TwineAuthenticate for Azure Artifacts)" if azure else ""
    return (
        "Store the secret as a CI secret and reference it: `${{ secrets.NAME }}` on GitHub "
        f"Actions, a secret variable `$(NAME)` on Azure Pipelines{extra}, a masked CI/CD "
        f"variable on GitLab. {ROTATE}"
    )


def twine_fix(pypi: bool = False) -> str:
    text = (
        "Remove the password from .pypirc and give twine the secret through keyring "
        "(`keyring set <repository-url> __token__`), TWINE_PASSWORD set from a CI secret, "
        "or TwineAuthenticate on Azure Pipelines."
    )
    if pypi:
        return (
            f"{text} Revoke the token at pypi.org (Account settings, API tokens) and prefer "
            "Trusted Publishing from CI."
        )
    return f"{text} {ROTATE}"


def docker_fix(what: str) -> str:
    """``what``: ``arg`` (build argument), ``env`` (ENV), ``url`` (a literal in a RUN),
    ``persist`` (a RUN that writes a credential into a file), ``copy`` (COPY of a
    credential file), ``build-arg`` (a ``--build-arg`` on the build command line),
    ``compose-build-arg`` (a Compose ``build.args`` entry)."""
    mount = (
        "use a BuildKit secret: `RUN --mount=type=secret,id=feed_token,env=FEED_TOKEN pip "
        "install ...` (or `--mount=type=secret,id=pipconf,target=/etc/pip.conf`) with "
        "`docker build --secret id=feed_token,env=FEED_TOKEN`"
    )
    if what == "arg":
        return (
            f"Build-argument values are visible with `docker history` and in build provenance: "
            f"{mount}."
        )
    if what == "env":
        return f"ENV values are stored in the image configuration: {mount}."
    if what == "persist":
        return (
            "This writes the credential into a file of the image layer: give it to the one "
            "RUN that needs it as a BuildKit secret instead, e.g. `RUN --mount=type=secret,"
            "id=pipconf,target=/etc/pip.conf pip install ...` or `RUN --mount=type=secret,"
            "id=feed_pat,env=POETRY_HTTP_BASIC_FEED_PASSWORD poetry install`."
        )
    if what == "copy":
        return (
            "A copied credential file stays in the image layer even if deleted later: mount it "
            "for the one RUN that needs it, e.g. `RUN --mount=type=secret,id=netrc,"
            "target=/root/.netrc pip install ...`."
        )
    if what == "compose-build-arg":
        return (
            "Declare the secret under the top-level `secrets:` (`environment: FEED_TOKEN` or "
            "`file:`), list it in the service's `build.secrets`, and read it in the Dockerfile "
            "with `RUN --mount=type=secret,id=...`: build arguments end up in the image history."
        )
    if what == "build-arg":
        return (
            "Pass the secret with `--secret id=feed_token,env=FEED_TOKEN` (docker/build-push-action: "
            "`secrets:`) and read it in the Dockerfile with `RUN --mount=type=secret,...`: "
            "build arguments end up in the image history."
        )
    return f"RUN lines are stored in the image history: {mount}. {ROTATE}"


def embedded_fix() -> str:
    """For a credential file that a script or CI step writes with a literal secret."""
    return (
        "Write an environment reference in the here-document instead (`${FEED_TOKEN}`, with "
        "an unquoted delimiter so the shell expands it), set from your CI secret store, so "
        f"the file is created at run time and the script holds no secret. {ROTATE}"
    )


def store_fix(kind: FileKind, key: str = "") -> str:
    """How to stop committing a credential store of ``kind``."""
    if kind is FileKind.NETRC:
        return (
            "Do not commit .netrc: keep it in your home directory (outside the repository, "
            f"mode 600) or let keyring supply the credential, and add it to .gitignore. {ROTATE}"
        )
    if kind is FileKind.GIT_CREDENTIALS:
        return (
            "Do not commit .git-credentials: use a credential helper (Git Credential Manager, "
            f"`git credential-cache`) and add the file to .gitignore. {ROTATE}"
        )
    if kind is FileKind.POETRY_CONFIG:
        m = re.match(r"(?:http-basic|pypi-token)\.([^.]+)", key)
        n = env_name(m.group(1)) if m else "<SOURCE>"
        return (
            "Keep Poetry credentials out of the repository: `poetry config http-basic.<source> "
            "<user> <password>` stores them in the system keyring, or set "
            f"POETRY_HTTP_BASIC_{n}_PASSWORD (POETRY_PYPI_TOKEN_{n} for publishing) from a "
            f"secret. {ROTATE}"
        )
    if kind is FileKind.PDM_CONFIG:
        return (
            "Keep PDM credentials out of the project's pdm.toml: `pdm config pypi.<name>.password` "
            "in your user configuration stores them in keyring when available, or write "
            f"`${{VAR}}` references in the source URL. {ROTATE}"
        )
    return f"Remove the credential from the committed file. {ROTATE}"


def key_value_fix(kind: FileKind, key: str, azure: bool = False) -> str:
    """How to stop writing a literal secret into the variable or key ``key``."""
    upper = key.upper()
    if upper == "TWINE_PASSWORD" or key in ("twine --password",):
        return (
            "Give twine the password from a CI secret (e.g. `TWINE_PASSWORD: "
            "${{ secrets.PYPI_TOKEN }}`), keyring, or TwineAuthenticate on Azure Pipelines. "
            + ROTATE
        )
    m = re.match(r"(?i)^POETRY_(?:HTTP_BASIC_(\w+)_PASSWORD|PYPI_TOKEN_(\w+))$", key)
    if m or key.startswith(("http-basic.", "pypi-token.")) or key == "poetry publish --password":
        return (
            "Set POETRY_HTTP_BASIC_<SOURCE>_PASSWORD / POETRY_PYPI_TOKEN_<REPO> from a CI "
            "secret, or store the credential with `poetry config` in keyring on your machine. "
            + ROTATE
        )
    publish = re.match(r"^(uv|pdm|hatch) publish ", key)
    if publish:
        var = {
            "uv": "UV_PUBLISH_TOKEN (or UV_PUBLISH_PASSWORD)",
            "pdm": "PDM_PUBLISH_PASSWORD",
            "hatch": "HATCH_INDEX_AUTH",
        }[publish.group(1)]
        return (
            f"Drop the option: `{publish.group(1)} publish` reads {var} from the environment; "
            "set it from a CI secret, or publish from CI with trusted publishing. " + ROTATE
        )
    if re.match(r"(?i)^UV_(INDEX_\w+_PASSWORD|PUBLISH_(PASSWORD|TOKEN))$", key):
        return (
            "Set UV_INDEX_<NAME>_PASSWORD (UV_PUBLISH_TOKEN) from a CI secret, or use "
            '`keyring-provider = "subprocess"`. ' + ROTATE
        )
    if kind is FileKind.PIP_CONF:
        return (
            "pip ignores a password key in pip.conf/pip.ini: remove it and let keyring "
            "(`keyring-provider = subprocess`) or a ~/.netrc outside the repository supply "
            f"the credential.{_AZURE_PIP if azure else ''} {ROTATE}"
        )
    if kind is FileKind.CI_YAML:
        return ci_fix(azure)
    if kind is FileKind.DOTENV:
        return url_fix(kind)
    if kind is FileKind.SHELL:
        return (
            "Do not hard-code the secret in the script: read it from the environment set by "
            f"your CI secret store, or let keyring supply it. {ROTATE}"
        )
    if kind is FileKind.MAKEFILE:
        return (
            "Do not hard-code the secret in the makefile: reference a variable the environment "
            "supplies (`$(FEED_TOKEN)`, set by your CI secret store), or let keyring supply it. "
            f"{ROTATE}"
        )
    return url_fix(kind)


def token_fix(kind: FileKind, token_kind: str) -> str:
    """The fix for a recognised token found in a file of ``kind``."""
    where = {
        "PyPI API token": "revoke it at pypi.org (Account settings, API tokens)",
        "TestPyPI API token": "revoke it at test.pypi.org (Account settings, API tokens)",
    }.get(token_kind, "revoke it with its issuer")
    if "Azure DevOps" in token_kind:
        where = "revoke it in Azure DevOps (User settings, Personal access tokens)"
    elif token_kind.startswith("GitHub"):
        where = "revoke it in GitHub (Settings, Developer settings)"
    elif token_kind.startswith("GitLab"):
        where = "revoke it in GitLab (access tokens settings)"
    elif token_kind.startswith("JFrog"):
        where = "revoke it in JFrog Platform (Identity and Access)"
    elif "CodeArtifact" in token_kind:
        where = "it expires within 12 hours, yet anyone can use it until then"
    instead = {
        FileKind.DOCKERFILE: "pass it with a BuildKit secret (`RUN --mount=type=secret`)",
        FileKind.CI_YAML: "store it as a CI secret and reference it",
        FileKind.COMPOSE: "reference it as `${FEED_TOKEN}` (Compose interpolates it) or use `secrets:`",
        FileKind.PYPIRC: "use keyring, TWINE_PASSWORD or TwineAuthenticate",
        FileKind.REQUIREMENTS: "reference it as `${FEED_TOKEN}` (pip expands `${UPPER}` names)",
        FileKind.PIP_CONF: "let keyring (artifacts-keyring for Azure Artifacts) supply it",
    }.get(kind, "supply it from the environment or keyring")
    return f"The token is in the repository history: {where}, and {instead}."
