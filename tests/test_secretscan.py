"""The credential analysis on hand-built models (what parsers hand to FL101–FL105).

Each test builds the FileModels a parser would produce, runs the shared analysis and
checks which code reports what, where, and that no message or fix holds the secret.
"""

from __future__ import annotations

import random
import string
from pathlib import Path
from typing import Optional

import pytest

from feedlint.findings import Severity
from feedlint.model import (
    Command,
    Credential,
    FileKind,
    FileModel,
    Location,
    ProjectModel,
    SourceFile,
)
from feedlint.parsers.commands import apply_env, extract_command
from feedlint.parsers.urlscan import scan_url_credentials
from feedlint.secretscan import Resolved, is_feed_secret_key, is_secret_var, resolved, value_state
from feedlint.selection import Selector

_RNG = random.Random(7)
B62 = string.ascii_letters + string.digits


def rand(n: int, alphabet: str = B62) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(n))


GHP = "ghp_" + rand(36)
PYPI = "pypi-AgEIcHlwaS5vcmc" + rand(120, B62 + "_-")
LEGACY = rand(52, "abcdefghijklmnopqrstuvwxyz234567")


def source(path: str, kind: FileKind, text: str) -> FileModel:
    fm = FileModel(SourceFile(path, kind, tuple(text.splitlines())))
    fm.credentials.extend(scan_url_credentials(fm.source))  # as the engine does
    return fm


def key_value(fm: FileModel, line: int, key: str, value: str) -> None:
    col = fm.source.line(line).index(value) + 1
    fm.credentials.append(
        Credential(value, "key-value", Location(fm.path, line, col), fm.source.kind, key=key)
    )


def docker(text: str, path: str = "Dockerfile", facts: Optional[dict] = None) -> FileModel:
    """A Dockerfile model as the lines parser builds it (one instruction per line)."""
    fm = source(path, FileKind.DOCKERFILE, text)
    for number, line in enumerate(fm.source.lines, start=1):
        word, _, rest = line.partition(" ")
        if word in ("ARG", "ENV"):
            name, eq, value = rest.partition("=")
            col = line.index(name) + 1
            vloc = Location(path, number, col + len(name) + 1) if eq else None
            apply_env(
                name,
                value if eq else None,
                Location(path, number, col),
                fm,
                "docker-arg" if word == "ARG" else "docker-env",
                vloc,
            )
        elif word == "RUN":
            mounts = tuple(m for m in rest.split() if m.startswith("--mount=type=secret"))
            text_start = len(word) + 1
            cmd = Command(
                rest,
                Location(path, number, text_start + 1),
                "docker-run",
                mounts,
                ((0, number, text_start + 1),),
            )
            fm.commands.append(cmd)
            extract_command(cmd, fm)
    fm.facts.update(facts or {})
    return fm


def project(*files: FileModel, select: Optional[list[str]] = None) -> ProjectModel:
    model = ProjectModel(root=Path("/nonexistent"))
    for fm in files:
        model.files[fm.path] = fm
    if select is not None:
        model.extras["selector"] = Selector(select)
    return model


def found(model: ProjectModel) -> list[tuple[str, str, int, int]]:
    return [(r.code, r.location.path, r.location.line, r.location.column) for r in resolved(model)]


def assert_no_secret(items: list[Resolved], *secrets: str) -> None:
    for r in items:
        for s in secrets:
            assert s not in r.message and s not in r.fix and s not in r.fingerprint


# -- values -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        "<PAT>",
        "<Personal Access Token>",
        "YOUR_PAT_HERE",
        "xxxxxxxx",
        "***",
        "changeme",
        "password",
        "token",
        "personal_access_token",
        "__TOKEN__",
        "x-oauth-basic",
    ],
)
def test_placeholders(value: str) -> None:
    assert value_state(value) == "placeholder"


@pytest.mark.parametrize(
    "value",
    [
        "${FEED_TOKEN}",
        "$FEED_TOKEN",
        "$(System.AccessToken)",
        "%FEED_TOKEN%",
        "${{ secrets.FEED_TOKEN }}",
        "{{ feed_token }}",
        "${PREFIX}abc123",
        "$(cat /run/secrets/feed)",
        "`cat /run/secrets/feed`",
        "{env:FEED_TOKEN}",
        "${secrets.JFROG_TOKEN}",
        # secret-manager references resolved at run time (`op run --env-file .env`)
        "op://Engineering/Artifactory/credential",
        "ref+vault://secret/data/ci#/nexus_password",
        "vault:secret/data/ci#nexus_password",
        "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ci/pypi-AbCdEf",
    ],
)
def test_references(value: str) -> None:
    assert value_state(value) == "reference"


@pytest.mark.parametrize(
    "value", ["hunter2x", "admin", "Xq=7F-2Kvt]", GHP, LEGACY, "MyP4ssw0rd2024"]
)
def test_literals(value: str) -> None:
    assert value_state(value) == "literal"


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("GEMFURY_TOKEN", True),
        ("PAT", True),
        ("ADO_PAT", True),
        ("TWINE_PASSWORD", True),
        ("FEED_ACCESSTOKEN", True),
        ("AUTHED_ARTIFACT_REG_URL", True),
        ("AWS_SECRET_ACCESS_KEY", True),
        ("SSH_AUTH_SOCK", False),
        ("TOKEN_FILE", False),
        ("AWS_ACCESS_KEY_ID", False),
        ("GPG_KEY", False),
        ("PIP_INDEX_URL", False),
        ("PATH", False),
        ("PYTHON_VERSION", False),
        ("TOKEN_URL", False),
        # camelCase, as Azure Pipelines variables and PowerShell names are written
        ("feedPat", True),
        ("myPAT", True),
        ("artifactsToken", True),
        ("PATToken", True),
        ("patternFile", False),
        ("compatMode", False),
        ("authorName", False),
        ("tokenizerPath", False),
        # switches about a credential are not one
        ("USE_AUTH", False),
        ("REQUIRE_TOKEN", False),
        ("SKIP_AUTH", False),
        ("NO_AUTH", False),
    ],
)
def test_secret_variable_names(name: str, secret: bool) -> None:
    assert is_secret_var(name) is secret


def test_feed_secret_keys() -> None:
    assert is_feed_secret_key("TWINE_PASSWORD")
    assert is_feed_secret_key("POETRY_HTTP_BASIC_MY_FEED_PASSWORD")
    assert is_feed_secret_key("UV_INDEX_INTERNAL_PASSWORD")
    assert is_feed_secret_key("password")
    assert is_feed_secret_key("http-basic.feed.password")
    assert is_feed_secret_key("PYPI_TOKEN")
    assert not is_feed_secret_key("DJANGO_SECRET_KEY")
    assert not is_feed_secret_key("POSTGRES_PASSWORD")


# -- FL101 ------------------------------------------------------------------------------
def test_url_password_in_requirements_and_pip_conf() -> None:
    req = source(
        "requirements.txt",
        FileKind.REQUIREMENTS,
        "--extra-index-url https://build:hunter2x@pkgs.dev.azure.com/o/_packaging/f/pypi/simple/\n",
    )
    conf = source(
        "pip.conf",
        FileKind.PIP_CONF,
        "[global]\nindex-url = https://u:${FEED_TOKEN}@host/simple\n",
    )
    model = project(req, conf)
    items = resolved(model)
    assert found(model) == [("FL101", "requirements.txt", 1, 33)]
    assert "${FEED_TOKEN}" in items[0].fix and "artifacts-keyring" in items[0].fix
    assert_no_secret(items, "hunter2x")


def test_token_as_url_password_is_fl101_only() -> None:
    sh = source(
        "install.sh",
        FileKind.SHELL,
        f"pip install git+https://x-access-token:{GHP}@github.com/o/r\n",
    )
    items = resolved(project(sh))
    assert [i.code for i in items] == ["FL101"]
    assert "GitHub personal access token" in items[0].message
    assert_no_secret(items, GHP)


@pytest.mark.parametrize(
    ("url", "fires"),
    [
        (f"git+https://{GHP}@github.com/o/r.git", True),
        ("git+https://" + rand(40, "0123456789abcdef") + "@github.com/o/r.git", True),
        ("https://" + rand(20, B62) + ":@pypi.fury.io/acme/", True),
        ("https://myorg@dev.azure.com/myorg/proj/_git/repo", False),
        ("ssh://git@github.com/o/r.git", False),
        ("https://__token__@upload.pypi.org/legacy/", False),
    ],
)
def test_url_user_is_a_secret_only_when_it_looks_like_one(url: str, fires: bool) -> None:
    req = source("requirements.txt", FileKind.REQUIREMENTS, url + "\n")
    assert bool(found(project(req))) is fires


def test_sentry_style_dsn_in_dotenv_is_not_a_feed_credential() -> None:
    env = source(
        ".env",
        FileKind.DOTENV,
        "SENTRY_DSN=https://" + rand(32, "0123456789abcdef") + "@o1.ingest.sentry.io/2\n",
    )
    assert found(project(env)) == []


def test_x_oauth_basic_password_means_the_user_is_the_token() -> None:
    token = rand(40, "0123456789abcdef")
    req = source(
        "requirements.txt",
        FileKind.REQUIREMENTS,
        f"git+https://{token}:x-oauth-basic@github.com/o/r\n",
    )
    assert found(project(req)) == [("FL101", "requirements.txt", 1, 13)]


def test_commented_out_literal_is_a_warning() -> None:
    req = source("requirements.txt", FileKind.REQUIREMENTS, "# -i https://u:hunter2x@host/simple\n")
    [item] = resolved(project(req))
    assert item.severity is Severity.WARNING and "commented-out" in item.message


def test_url_fix_names_the_tool_variable() -> None:
    from feedlint.model import IndexRef, IndexRole, Installer

    text = '[[tool.poetry.source]]\nname = "my-feed"\nurl = "https://u:hunter2x@host/simple"\n'
    pyproject = source("pyproject.toml", FileKind.PYPROJECT, text)
    pyproject.indexes.append(
        IndexRef(
            "https://u:hunter2x@host/simple",
            IndexRole.SOURCE,
            Installer.POETRY,
            Location("pyproject.toml", 3, 8),
            name="my-feed",
        )
    )
    [item] = resolved(project(pyproject))
    assert "POETRY_HTTP_BASIC_MY_FEED_PASSWORD" in item.fix


# -- FL102 ------------------------------------------------------------------------------
def test_tokens_anywhere_and_dummies_not() -> None:
    ci = source(
        ".github/workflows/ci.yml",
        FileKind.CI_YAML,
        f"env:\n  GH: {GHP}\n  X: ghp_{'x' * 36}\n# old: {PYPI}\n",
    )
    items = resolved(project(ci))
    assert [(i.code, i.location.line, i.severity) for i in items] == [
        ("FL102", 2, None),
        ("FL102", 4, Severity.WARNING),
    ]
    assert_no_secret(items, GHP, PYPI)


def test_legacy_pat_by_context_only() -> None:
    ci = source(
        "azure-pipelines.yml",
        FileKind.CI_YAML,
        f"variables:\n  ADO_PAT: {LEGACY}\n  checksum: {LEGACY}\n",
    )
    assert found(project(ci)) == [("FL102", "azure-pipelines.yml", 2, 12)]


def test_literal_in_feed_credential_variable() -> None:
    ci = source(
        ".gitlab-ci.yml",
        FileKind.CI_YAML,
        "variables:\n  TWINE_PASSWORD: hunter2x\n  DJANGO_SECRET_KEY: notafeedsecret\n"
        "  UV_INDEX_FEED_PASSWORD: ${FEED}\n  POETRY_HTTP_BASIC_FEED_PASSWORD: <PAT>\n",
    )
    for line, (key, value) in enumerate(
        [
            ("TWINE_PASSWORD", "hunter2x"),
            ("DJANGO_SECRET_KEY", "notafeedsecret"),
            ("UV_INDEX_FEED_PASSWORD", "${FEED}"),
            ("POETRY_HTTP_BASIC_FEED_PASSWORD", "<PAT>"),
        ],
        start=2,
    ):
        key_value(ci, line, key, value)
    items = resolved(project(ci))
    assert found(project(ci)) == [("FL102", ".gitlab-ci.yml", 2, 19)]
    assert "secrets." in items[0].fix
    assert_no_secret(items, "hunter2x")


def test_pip_conf_password_key() -> None:
    conf = source(
        "pip.ini", FileKind.PIP_CONF, "[pypi-proxy]\nusername = admin\npassword = admin\n"
    )
    key_value(conf, 3, "password", "admin")
    items = resolved(project(conf))
    assert found(project(conf)) == [("FL102", "pip.ini", 3, 12)]
    assert "pip ignores" in items[0].fix


# -- FL103 ------------------------------------------------------------------------------
def _pypirc(value: str) -> FileModel:
    fm = source(".pypirc", FileKind.PYPIRC, f"[pypi]\nusername = __token__\npassword = {value}\n")
    key_value(fm, 3, "pypi.password", value)
    return fm


def test_pypirc_token_password_is_fl103_not_fl102() -> None:
    model = project(_pypirc(PYPI))
    items = resolved(model)
    assert found(model) == [("FL103", ".pypirc", 3, 12)]
    assert "Trusted Publishing" in items[0].fix and "[pypi]" in items[0].message
    assert_no_secret(items, PYPI)


def test_pypirc_falls_back_to_fl102_when_fl103_is_off() -> None:
    assert found(project(_pypirc(PYPI), select=["FL102"])) == [("FL102", ".pypirc", 3, 12)]
    assert found(project(_pypirc("hunter2x"), select=["FL102"])) == [("FL102", ".pypirc", 3, 12)]
    assert found(project(_pypirc(PYPI), select=["FL101"])) == []


@pytest.mark.parametrize(
    "value", ["${secrets.JFROG_ARTIFACTORY_TOKEN}", "<Personal Access Token>", ""]
)
def test_pypirc_non_secrets(value: str) -> None:
    assert found(project(_pypirc(value))) == []


# -- FL104 ------------------------------------------------------------------------------
def test_docker_build_arg_and_pip_config_set() -> None:
    fm = docker(
        "FROM python:3.7\nARG CODEARTIFACT_TOKEN\nARG DOMAIN\n"
        'RUN pip config set global.index-url "https://aws:$CODEARTIFACT_TOKEN@$DOMAIN.d.codeartifact.us-east-1.amazonaws.com/pypi/r/simple/"\n'
    )
    assert found(project(fm)) == [
        ("FL104", "Dockerfile", 2, 5),
        ("FL104", "Dockerfile", 4, 50),
    ]


def test_docker_env_with_reference_in_url_and_yelp_style_arg() -> None:
    fm = docker(
        "ARG PIP_INDEX_URL=https://pypi.corp.example/simple\nENV PIP_INDEX_URL=$PIP_INDEX_URL\n"
        "ENV PIP_EXTRA_INDEX_URL=https://u:${TOKEN}@pkgs.dev.azure.com/o/_packaging/f/pypi/simple/\n"
        "ENV GOOGLE_APPLICATION_CREDENTIALS=/app/credentials.json\nENV JUPYTER_TOKEN=\n"
    )
    assert found(project(fm)) == [("FL104", "Dockerfile", 3, 5)]


def test_docker_literal_url_is_fl101_once() -> None:
    fm = docker("ENV PIP_INDEX_URL=https://u:hunter2x@host/simple\nARG FEED_TOKEN=hunter3y\n")
    assert found(project(fm)) == [("FL101", "Dockerfile", 1, 29), ("FL104", "Dockerfile", 2, 16)]
    assert_no_secret(resolved(project(fm)), "hunter2x", "hunter3y")


def test_docker_secret_mounts_are_fine() -> None:
    fm = docker(
        "RUN --mount=type=secret,id=netrc,target=/root/.netrc pip install -r r.txt\n"
        'RUN --mount=type=secret,id=tok UV_EXTRA_INDEX_URL="https://oauth2accesstoken:$(cat /run/secrets/tok)@x-python.pkg.dev/p/r/simple/" uv pip install .\n'
        'RUN echo "machine h login u password $T" > /root/.netrc && pip install x && rm /root/.netrc\n'
    )
    assert found(project(fm)) == []


def test_docker_run_that_persists_credentials() -> None:
    fm = docker(
        "RUN poetry config http-basic.feed build $FEED_PAT\n"
        'RUN echo "machine h login u password $T" > /root/.netrc\n'
        'RUN git config --global url."https://${GH_TOKEN}@github.com/".insteadOf "https://github.com/"\n'
    )
    assert [(c, line) for c, _, line, _ in found(project(fm))] == [
        ("FL104", 1),
        ("FL104", 2),
        ("FL104", 3),
    ]


def test_docker_copy_of_credential_files() -> None:
    copies = [
        {"sources": [".netrc"], "dest": "/root/.netrc", "location": Location("Dockerfile", 2, 1)},
        {
            "sources": ["pip.conf"],
            "dest": "/etc/pip.conf",
            "location": Location("Dockerfile", 3, 1),
        },
        {"sources": ["clean/pip.conf"], "dest": "/etc/", "location": Location("Dockerfile", 4, 1)},
        {"sources": [".netrc"], "from": "builder", "location": Location("Dockerfile", 5, 1)},
    ]
    fm = docker(
        "FROM x\nCOPY .netrc /root/.netrc\nCOPY pip.conf /etc/pip.conf\nCOPY clean/pip.conf /etc/\nCOPY --from=builder .netrc .\n",
        facts={"copies": copies},
    )
    conf = source(
        "pip.conf", FileKind.PIP_CONF, "[global]\nindex-url = https://u:hunter2x@host/simple\n"
    )
    clean = source(
        "clean/pip.conf", FileKind.PIP_CONF, "[global]\nindex-url = https://host/simple\n"
    )
    model = project(fm, conf, clean)
    assert [f for f in found(model) if f[1] == "Dockerfile"] == [
        ("FL104", "Dockerfile", 2, 1),
        ("FL104", "Dockerfile", 3, 1),
    ]


def test_build_args_in_ci_and_scripts() -> None:
    ci = source(
        ".github/workflows/build.yml",
        FileKind.CI_YAML,
        "    - uses: docker/build-push-action@v6\n      with:\n        build-args: |\n"
        "          PIP_TOKEN=${{ secrets.PIP_TOKEN }}\n          PYTHON_VERSION=3.12\n"
        "        push: true\n"
        "    - run: docker build --build-arg AZURE_ARTIFACTS_PAT=$PAT --build-arg FEED_URL=x .\n",
    )
    assert found(project(ci)) == [
        ("FL104", ".github/workflows/build.yml", 4, 11),
        ("FL104", ".github/workflows/build.yml", 7, 37),
    ]


# -- FL105 ------------------------------------------------------------------------------
def test_netrc_and_git_credentials() -> None:
    netrc = source(".netrc", FileKind.NETRC, "machine localhost\nlogin hello\npassword HIHIHI\n")
    netrc.credentials.append(
        Credential(
            "HIHIHI",
            "netrc",
            Location(".netrc", 3, 10),
            FileKind.NETRC,
            key="hello",
            host="localhost",
        )
    )
    gitcred = source(
        ".git-credentials", FileKind.GIT_CREDENTIALS, f"https://bob:{GHP}@github.com\n"
    )
    oauth = source(
        "_netrc", FileKind.NETRC, f"machine github.com login {GHP} password x-oauth-basic\n"
    )
    oauth.credentials.append(
        Credential(
            "x-oauth-basic",
            "netrc",
            Location("_netrc", 1, 71),
            FileKind.NETRC,
            key=GHP,
            host="github.com",
        )
    )
    model = project(netrc, gitcred, oauth)
    assert found(model) == [
        ("FL105", ".git-credentials", 1, 13),
        ("FL105", ".netrc", 3, 10),
        ("FL105", "_netrc", 1, 26),
    ]
    assert_no_secret(resolved(model), GHP, "HIHIHI")


def test_auth_toml() -> None:
    auth = source(
        "auth.toml",
        FileKind.POETRY_CONFIG,
        '[http-basic.feed]\nusername = "me"\npassword = "hunter2x"\n',
    )
    key_value(auth, 3, "http-basic.feed.password", "hunter2x")
    items = resolved(project(auth))
    assert found(project(auth)) == [("FL105", "auth.toml", 3, 13)]
    assert "POETRY_HTTP_BASIC_FEED_PASSWORD" in items[0].fix


def test_bare_password_key_counts_only_in_packaging_config() -> None:
    assert is_feed_secret_key("password", FileKind.PIP_CONF)
    assert not is_feed_secret_key("password", FileKind.CI_YAML)  # docker/login-action
    assert not is_feed_secret_key("token", FileKind.CI_YAML)  # codecov-action
    ci = source(".github/workflows/ci.yml", FileKind.CI_YAML, "with:\n  token: 0a1b2c3d-codecov\n")
    key_value(ci, 2, "token", "0a1b2c3d-codecov")
    assert found(project(ci)) == []


def test_template_files_hold_made_up_values_but_real_tokens_count() -> None:
    env = source(
        ".env.example",
        FileKind.DOTENV,
        f"TWINE_PASSWORD=hunter2x\nPIP_INDEX_URL=https://u:hunter2x@host/simple\nGH_TOKEN={GHP}\n",
    )
    key_value(env, 1, "TWINE_PASSWORD", "hunter2x")
    assert found(project(env)) == [("FL102", ".env.example", 3, 10)]


# -- robustness --------------------------------------------------------------------------
_FRAGMENTS = [
    "https://",
    "u:",
    "@",
    "host/simple",
    ":",
    "${T}",
    "$(cat /run/secrets/x)",
    "{{ x }}",
    "'",
    '"',
    "#",
    " ",
    "\\",
    "ARG ",
    "ENV ",
    "RUN ",
    "COPY ",
    "password",
    "=",
    "TOKEN",
    "--build-arg ",
    "pip config set global.index-url ",
    "> ~/.netrc",
    "x-oauth-basic",
    GHP,
    LEGACY,
    "JQQJ99",
    "pypi-AgE",
    "\t",
]


@pytest.mark.parametrize("kind", list(FileKind))
def test_analysis_never_raises(kind: FileKind) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    line = st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=8), max_size=12).map("".join)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(line, max_size=8))
    def run(lines: list[str]) -> None:
        from feedlint.parsers import parse_file

        src = SourceFile("f", kind, tuple(lines))
        fm = parse_file(src)
        fm.credentials.extend(scan_url_credentials(src))
        if kind is FileKind.DOCKERFILE and not fm.commands:
            fm = docker("\n".join(lines), path="f")
        model = project(fm)
        for item in resolved(model):
            assert item.location.line >= 1 and item.location.column >= 1
            assert GHP not in item.message and LEGACY not in item.message

    run()


@pytest.mark.parametrize(
    "value",
    ["change-me-in-production", "django-insecure-k3y", "replace_with_token", "not-a-secret"],
)
def test_values_that_say_they_are_placeholders(value: str) -> None:
    assert value_state(value) == "placeholder"


def test_docker_settings_about_secrets_are_not_secrets() -> None:
    fm = docker(
        "ENV SESSION_SECRET_ROTATION_DAYS=7\nENV PASSWORD_MIN_LENGTH=12\nENV TOKEN_TTL=3600\n"
    )
    assert found(project(fm)) == []
