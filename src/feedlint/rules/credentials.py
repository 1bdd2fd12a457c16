"""FL1: credentials. Embedded PATs, tokens and passwords, never printed.

The five rules share one analysis (:mod:`feedlint.secretscan`), which finds every place a
secret is exposed and gives each to exactly one code, so one secret at one place is
reported once: credential stores (FL105) before ``.pypirc`` passwords (FL103), URL
user-info (FL101), Docker build channels (FL104) and token literals (FL102). When the
preferred code is not selected for a file, the next one reports the secret.

Messages show a secret only as :func:`feedlint.redact.redact` does (``ghp_…(40 chars)``).
"""

from __future__ import annotations

from collections.abc import Iterator

from feedlint.findings import Finding, Severity
from feedlint.model import ProjectModel
from feedlint.registry import Rule
from feedlint.secretscan import resolved


class _CredentialRule(Rule):
    severity = Severity.ERROR

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for item in resolved(model):
            if item.code == self.code:
                yield self.finding(
                    item.location,
                    item.message,
                    item.fix,
                    severity=item.severity,
                    fingerprint=item.fingerprint,
                )


class CredentialInUrl(_CredentialRule):
    """A literal password or token in the user-info of a URL.

    What it detects
    ---------------
    `scheme://user:SECRET@host` where SECRET is a literal, in any scanned file:
    requirements/constraints, pip.conf/pip.ini, pyproject.toml sources (Poetry, uv, PDM),
    Pipfile, setup.py/setup.cfg, tox.ini, .env, Dockerfile, CI YAML, shell scripts, lock
    files. Also a token used as the user name, `https://TOKEN@host` or Gemfury's
    `https://TOKEN:@host`, when the user name is a recognised token format or a long
    random-looking string in a package-index or forge URL; `git@github.com`, e-mail
    addresses and organisation names (`https://myorg@dev.azure.com/...`) are user names,
    not secrets. Two other places a URL carries a credential count too: Gemfury's
    token-in-path form `https://pypi.fury.io/TOKEN/account/` (a path segment shaped like a
    token; account names such as `pypi.fury.io/acme/` are not), and a secret query
    parameter (`?token=...`, `private_token`, `access_token`, `password`, the `sig` of an
    Azure SAS URL).

    Not reported: environment references (`${FEED_TOKEN}`, `$TOKEN`,
    `$(System.AccessToken)`, `%TOKEN%`, `${{ secrets.X }}`, `{{ x }}`, partial ones such as
    `${PREFIX}abc`, `$(cat /run/secrets/x)`), placeholders (`<PAT>`, `YOUR_PAT_HERE`,
    `xxxx`, `***`, `changeme`, `password`, `token`), and `x-oauth-basic`. A literal on a
    commented-out line is reported as a warning. The same literal in a `.netrc`,
    `.git-credentials` or Poetry/PDM credential file is FL105.

    Why it is risky
    ---------------
    Anyone who can read the repository, its history, a build log that echoes the URL, or
    an image built from it can use the credential to read, and often publish to, the
    private feed. pip and uv print index URLs in their output; Docker keeps `RUN` lines in
    the image history.

    How to fix
    ----------
    Rotate the secret, then keep it out of the file in the way that file's tool
    supports: `${FEED_TOKEN}` in requirements files (pip expands `${UPPER_CASE}` names
    only), keyring / artifacts-keyring or a `~/.netrc` outside the repository for pip.conf
    (pip expands nothing there), `POETRY_HTTP_BASIC_<SOURCE>_PASSWORD`,
    `UV_INDEX_<NAME>_PASSWORD`, `${VAR}` in Pipfile and PDM source URLs, `{env:VAR}` in
    tox.ini, CI secrets or `PipAuthenticate` in pipelines, BuildKit secrets in Dockerfiles.

    Example
    -------
    ```ini
    [global]
    index-url = https://build:s3cr3tPassw0rd@pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/
    ```
    `pip.conf:2:27: FL101 literal password s3c…(14 chars) in the user-info of a URL for
    pkgs.dev.azure.com`. Use instead `index-url = https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/`
    with `artifacts-keyring` installed.
    """

    code = "FL101"
    name = "credential-in-url"


class TokenLiteral(_CredentialRule):
    """A recognised access token written literally in a file.

    What it detects
    ---------------
    A token of a known format anywhere in a scanned file (comments included): Azure
    DevOps PATs in the 84-character format (`…JQQJ99…AAAAAZDO…`), PyPI and TestPyPI API
    tokens (`pypi-AgEIcHlwaS5vcmc…`, `pypi-AgENdGVzdC5weXBpLm9yZw…`), GitHub tokens
    (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab tokens (`glpat-`,
    `gldt-`, `glft-`, `glrt-`, `glcbt-` ...), JFrog API keys (`AKCp…`), reference
    tokens (`cmVmdGtu…`) and access tokens (JWTs starting `eyJ2ZXIiOiIyIiwidHlwIjoiSldUI…`), AWS CodeArtifact authorization tokens (`eyJ2ZXIiOjEsImlzdSI6…`).

    The legacy 52-character Azure DevOps PAT (`[a-z2-7]{52}`) looks like any random
    string, so it is recognised by context, not entropy: as a password, URL user-info, or
    the value of a PAT-, token- or password-named variable or key. In the same places
    that only ever hold a feed secret (`TWINE_PASSWORD`, `POETRY_HTTP_BASIC_*_PASSWORD`,
    `POETRY_PYPI_TOKEN_*`, `UV_INDEX_*_PASSWORD`, `UV_PUBLISH_TOKEN`, a `password` key in
    pip.conf, `twine upload -p`, `uv publish --token`, `pdm publish --password`,
    `hatch publish --auth`, `poetry config http-basic.x user PASS`, variables such
    as `PYPI_TOKEN`, `FEED_PAT` or camelCase `feedPat`) any literal value is reported,
    whatever its shape,
    except in files named as templates (`.env.example`, `sample.env`, `*.dist`), whose
    values are made up unless they have a real token format. A reference with a literal
    default, `${TWINE_PASSWORD:-s3cret}` or tox's `{env:TWINE_PASSWORD:s3cret}`, is judged
    by its default (reported at the default). Documentation dummies
    (`ghp_xxxx…`, `glpat-XXXX…`), placeholders and references are not reported; a token on
    a commented-out line is reported as a warning.

    A token that another credential rule reports at the same place (a URL password:
    FL101; a `.pypirc` password: FL103; a Docker `ARG`/`ENV`: FL104; a credential file:
    FL105) is reported there only.

    Why it is risky
    ---------------
    A committed token is public to everyone who can read the repository or any fork and
    stays in its history after deletion. Feed tokens often carry write scopes: with one,
    an attacker can publish a package under a private name.

    How to fix
    ----------
    Revoke the token at its issuer first, then supply it at run time: a CI secret,
    keyring, `TWINE_PASSWORD`/`TwineAuthenticate`, `POETRY_HTTP_BASIC_<SOURCE>_PASSWORD`,
    `UV_INDEX_<NAME>_PASSWORD`, or a BuildKit secret for Docker builds.

    Example
    -------
    ```yaml
    env:
      TWINE_PASSWORD: pypi-AgEIcHlwaS5vcmc…  # the whole 179-character token
    ```
    `.github/workflows/ci.yml:2:19: FL102 PyPI API token pypi…(179 chars) assigned to
    TWINE_PASSWORD`. Use instead `TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}`, or
    trusted publishing.
    """

    code = "FL102"
    name = "token-literal"


class PypircPlaintextPassword(_CredentialRule):
    """A literal `password` in `.pypirc`.

    What it detects
    ---------------
    A `password =` (or `password:`) key with a literal value in any section of `.pypirc`,
    whether it is an API token or an account password. Environment-looking values such as
    `${TWINE_PASSWORD}` or `${secrets.TOKEN}` are not reported: twine does not expand them,
    so they hold no secret (the upload will simply fail). A `.pypirc` that a shell script
    or CI step writes with a here-document (`cat > ~/.pypirc <<EOF`) is read the same way,
    where the script's shell does expand `$TWINE_PASSWORD` (in a Dockerfile it is FL104).

    Why it is risky
    ---------------
    `.pypirc` is meant to live in the home directory; committed to a repository it hands
    out the upload credential of the package index, i.e. the power to publish any version
    of the project (or, with a user-scoped PyPI token, of every project of the account).

    How to fix
    ----------
    Remove the `password` line and rotate the credential. twine reads the password from
    keyring (`keyring set https://upload.pypi.org/legacy/ __token__`) or `TWINE_PASSWORD`;
    on Azure Pipelines, `TwineAuthenticate@1` writes a temporary `.pypirc`; for PyPI,
    prefer Trusted Publishing from CI.

    Example
    -------
    ```ini
    [pypi]
    username = __token__
    password = pypi-AgEIcHlwaS5vcmc…  # the whole 179-character token
    ```
    `.pypirc:3:12: FL103 plaintext PyPI API token pypi…(179 chars) in .pypirc (repository
    upload.pypi.org)`.
    """

    code = "FL103"
    name = "pypirc-plaintext-password"


class DockerBuildSecret(_CredentialRule):
    """A credential handed to a Docker build through `ARG`/`ENV`, or baked into a layer.

    What it detects
    ---------------
    In a Dockerfile: a build argument with a credential name (`ARG GEMFURY_TOKEN`,
    `ARG PAT`, `ARG AUTHED_ARTIFACT_REG_URL`), even with no value; an `ENV` that copies a
    credential into the image (`ENV PIP_EXTRA_INDEX_URL=https://u:${TOKEN}@...`,
    `ENV NPM_TOKEN=$NPM_TOKEN`, `ENV PIP_EXTRA_INDEX_URL https://pypi.fury.io/${GEMFURY_TOKEN}/acme/`
    when the Dockerfile declares that variable); a `RUN` that writes a credential into a file of the layer
    (`pip config set global.index-url https://aws:$CODEARTIFACT_TOKEN@...`,
    `poetry config http-basic.x user $PASS`, `git config url."https://$TOKEN@github.com/".insteadOf`,
    `echo ... > ~/.netrc`), unless the same `RUN` deletes the file again; `COPY`/`ADD` of
    a credential file (`.netrc`, `.git-credentials`, Poetry `auth.toml`, a `.pypirc` or
    `pip.conf` that holds a literal secret); a literal secret in an `ENV`/`ARG` value or on
    a `RUN` line. In CI files and shell scripts: `docker build --build-arg TOKEN=...` and
    `build-args:` of docker/build-push-action with a credential name or a user-info URL, or
    with `$(PIP_EXTRA_INDEX_URL)`/`$(PIP_INDEX_URL)` in a pipeline where `PipAuthenticate`
    filled those with the pipeline's access token. In Docker Compose files: `build.args`
    entries (`FEED_PAT: ${FEED_PAT}`, `- PIP_EXTRA_INDEX_URL=https://u:${TOKEN}@...`, a bare
    `- NPM_TOKEN` that passes the host's value), literal or interpolated alike.

    Switches and modes are not credentials: `ARG USE_AUTH=true`, `ARG SKIP_TOKEN`,
    `ARG PIP_AUTH=keyring`. `RUN --mount=type=secret` is the safe pattern and is never reported; an index URL
    built inside one `RUN` from `$(cat /run/secrets/x)` is not persisted either. A
    literal password inside a URL is FL101 (its fix names BuildKit secrets).

    Why it is risky
    ---------------
    Build-argument values are recorded in the image history (`docker history`) of every
    `RUN` that uses them and in build provenance; `ENV` values are part of the image
    configuration (`docker inspect`); files written or copied in one layer stay in that
    layer even if a later instruction deletes them. Anyone who can pull the image gets
    the feed credential.

    How to fix
    ----------
    Use BuildKit secrets: `RUN --mount=type=secret,id=feed_token,env=FEED_TOKEN pip install ...`
    or `RUN --mount=type=secret,id=pipconf,target=/etc/pip.conf pip install ...`, built with
    `docker build --secret id=feed_token,env=FEED_TOKEN` (`secrets:` in
    docker/build-push-action; `build.secrets` with a top-level `secrets:` entry in Compose).
    Rotate any credential that was already built into an image.

    Example
    -------
    ```dockerfile
    ARG CODEARTIFACT_TOKEN
    RUN pip config set global.index-url "https://aws:$CODEARTIFACT_TOKEN@dom-111.d.codeartifact.us-east-1.amazonaws.com/pypi/repo/simple/"
    ```
    Two findings: the build argument (`Dockerfile:1:5: FL104 build argument
    CODEARTIFACT_TOKEN carries a credential into the build ...`) and the `pip config set`
    that writes the token into `/root/.config/pip/pip.conf` in the layer (line 2).
    A multi-stage build limits what the final image holds, but the builder stage's layers
    stay in build caches and build arguments in provenance: both are still reported.
    """

    code = "FL104"
    name = "docker-build-secret"


class CredentialFile(_CredentialRule):
    """A committed credential store holding a literal secret.

    What it detects
    ---------------
    A literal password or token in a file whose purpose is to store credentials: `.netrc`
    / `_netrc` (`password` entries), `.git-credentials` (`https://user:token@host` lines),
    Poetry's `auth.toml` and `poetry.toml`/`config.toml` (`[http-basic.<source>] password`,
    `[pypi-token] <repo>`), and PDM's `pdm.toml` (`[pypi.<name>] password`), also when a
    shell script or CI step writes such a file with a here-document (`cat > ~/.netrc <<EOF`;
    in a Dockerfile that is FL104). Any recognised token format anywhere in such a file is
    reported here too. `x-oauth-basic`,
    placeholders and references are not secrets.

    Why it is risky
    ---------------
    These files are read silently by pip, git, Poetry and PDM from the home directory; a
    copy committed to a repository gives every reader the credential, and stays in the
    history after deletion.

    How to fix
    ----------
    Remove the file from the repository (and its history), add it to `.gitignore`, rotate
    the credential, and keep it where the tool expects it outside the repository:
    `~/.netrc` (mode 600), a git credential helper, `poetry config http-basic.<source>`
    (stored in keyring) or `POETRY_HTTP_BASIC_<SOURCE>_PASSWORD`, `pdm config` in the user
    configuration.

    Example
    -------
    ```text
    machine pkgs.dev.azure.com
    login build
    password s3cr3tPassw0rd
    ```
    `.netrc:3:10: FL105 .netrc holds plaintext password s3c…(14 chars) for machine
    pkgs.dev.azure.com`.
    """

    code = "FL105"
    name = "credential-file"
