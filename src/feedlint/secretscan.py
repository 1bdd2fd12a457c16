"""Where secrets are exposed in a project, and which credential rule reports each one.

One analysis serves FL101–FL105 (see :mod:`feedlint.rules.credentials`): every place a
secret is exposed becomes an :class:`Exposure` that names, in order of preference, the
codes that may report it. Resolution then keeps **one finding per secret per place**:

1. exposures are taken tier by tier: credential stores (FL105), ``.pypirc`` passwords
   (FL103), URL user-info (FL101), Docker build channels (FL104), literals in credential
   variables and keys (FL102), token formats found by scanning lines (FL102);
2. an exposure goes to the first of its codes that is enabled for its file (so
   ``--select FL102`` alone still reports a PyPI token in a ``.pypirc`` password);
3. an exposure whose span (line and columns) overlaps one already reported is dropped.

So a PyPI token as a ``.pypirc`` password is FL103, not also FL102; a GitHub token in a
URL is FL101; a literal URL password in a Dockerfile ``RUN`` or ``ENV`` is FL101 (its fix
names BuildKit secrets) while FL104 covers what has no literal: build arguments, ENV values
taken from them, commands that write credentials into a layer and COPY of credential files.

What is *not* a secret (no finding): empty values, environment references (``${VAR}``,
``$VAR``, ``$(System.AccessToken)``, ``%VAR%``, ``${{ secrets.X }}``, ``{{ x }}``, partial
ones such as ``${PREFIX}abc``, command substitution), placeholders
(:func:`feedlint.urls.is_placeholder` plus a few shapes below), BuildKit secret mounts.
A URL user name alone is a secret only when it is a recognised token, the Gemfury-style
``TOKEN:@host`` form, or a long random-looking string in a package-index or forge URL
(``git@github.com``, ``https://myorg@dev.azure.com/...`` and e-mail users are not).
A literal on a commented-out line is still reported, as a warning: it is readable in the
repository but not in use, and often stale.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Optional

from feedlint import secretfix as fixes
from feedlint.findings import Severity
from feedlint.model import (
    Command,
    Credential,
    FileKind,
    FileModel,
    IndexRef,
    Location,
    ProjectModel,
)
from feedlint.parsers.commands import split_words
from feedlint.redact import redact
from feedlint.tokens import find_tokens, identify, is_legacy_ado_pat
from feedlint.urls import (
    contains_env_reference,
    is_env_reference,
    is_placeholder,
    private_host_shape,
    split_url,
)

__all__ = ["Exposure", "Resolved", "is_secret_var", "resolved", "value_state"]

STORE_KINDS = frozenset(
    {FileKind.NETRC, FileKind.GIT_CREDENTIALS, FileKind.POETRY_CONFIG, FileKind.PDM_CONFIG}
)
_CACHE_KEY = "credential-exposures"

# resolution tiers (lower first)
T_STORE, T_PYPIRC, T_URL, T_DOCKER, T_CONTEXT, T_TOKENS = range(6)


@dataclass(frozen=True)
class Exposure:
    """One place where a secret is exposed.

    ``owners`` are the codes that may report it, preferred first; ``texts`` maps each to
    its (message, fix). The span is ``location.line``, columns ``location.column`` up to
    ``end_column`` (exclusive). ``secret`` is kept for the fingerprint only.
    """

    tier: int
    owners: tuple[str, ...]
    location: Location
    end_column: int
    secret: str
    texts: dict[str, tuple[str, str]]
    commented: bool = False


@dataclass(frozen=True)
class Resolved:
    """An exposure assigned to one code."""

    code: str
    location: Location
    message: str
    fix: str
    severity: Optional[Severity]
    fingerprint: str


# -- value shapes -------------------------------------------------------------------
_OTHER_REFERENCE = re.compile(
    r"`[^`]*`|\{env:[^}]*\}|@Microsoft\.KeyVault\(|\$\{\{|\{\{|\$\(|\$\{|%\([^)]*\)s"
)
_NON_SECRET_VALUES = frozenset(
    {"x-oauth-basic", "none", "null", "nil", "undefined", "empty", "unset", "true", "false"}
)
_SAYS_PLACEHOLDER = re.compile(
    r"(?i)change[-_ ]?(me|it|this)|replace[-_ ]?(me|this|with)|not[-_ ]?a[-_ ]?(real[-_ ]?)?secret"
    r"|insecure|dummy|fake|example|sample|placeholder|redacted|your[-_ ]"
)
_TEMPLATE_MARKER = re.compile(r"^(__|@@|%%|\[\[|<<)[\w.-]+(__|@@|%%|\]\]|>>)$")
_WORDY_SECRET = re.compile(
    r"(?i)^[a-z][a-z _\-]*(token|pat|password|passwd|pwd|secret|key|credential|apikey)[a-z _\-]*$"
)


def _looks_random(v: str) -> bool:
    classes = sum(
        (any(c.islower() for c in v), any(c.isupper() for c in v), any(c.isdigit() for c in v))
    )
    digits = sum(c.isdigit() for c in v)
    return len(v) >= 12 and classes >= 2 and digits >= 2 and not re.search(r"[\s_]", v)


def value_state(value: Optional[str]) -> str:
    """``none`` (no value), ``empty``, ``reference``, ``placeholder`` or ``literal``."""
    if value is None:
        return "none"
    v = value.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        v = v[1:-1].strip()
    if not v:
        return "empty"
    if is_env_reference(v) or contains_env_reference(v) or _OTHER_REFERENCE.search(v):
        return "reference"
    if identify(v, context=True):
        return "literal"
    if v.lower() in _NON_SECRET_VALUES or _TEMPLATE_MARKER.match(v) or _WORDY_SECRET.match(v):
        return "placeholder"
    if ("<" in v and ">" in v) or v.startswith("<") or v.endswith(">"):
        return "placeholder"  # also '<Personal' of a '<Personal Access Token>' split on blanks
    if re.search(r"(?i)\.\.\.|…|x{4,}|\*{3,}", v):  # truncated or masked examples
        return "placeholder"
    if _SAYS_PLACEHOLDER.search(v):
        return "placeholder"
    if is_placeholder(v) and not _looks_random(v):
        return "placeholder"
    return "literal"


def _unquote(value: str) -> str:
    v = value.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        return v[1:-1]
    return v


# -- names -----------------------------------------------------------------------------
_SECRET_WORD = re.compile(
    r"(?i)(?:^|[_\-.])(password|passwd|passwrd|pwd|pass|token|tokens|accesstoken|authtoken|"
    r"apitoken|apikey|api_key|accesskey|access_key|secret|secrets|secretkey|secret_key|pat|"
    r"pats|auth|authed|authentication|creds|cred|credential|credentials)(?=$|[_\-.])"
    r"|(?i:token|password|passwd|secret|accesskey|apikey)$"
)
_NOT_SECRET_SUFFIX = frozenset(
    """FILE FILES PATH DIR FOLDER SOCK SOCKET ID IDS USER USERNAME LOGIN NAME TYPE ENDPOINT HOST
    HOSTNAME MODE METHOD EXPIRY EXPIRES EXPIRATION TTL LENGTH LEN SIZE ENABLED DISABLED ENABLE
    DISABLE VERSION REGION SCOPE SCOPES PROVIDER HEADER LOCATION MOUNT KIND FORMAT OWNER DOMAIN
    DURATION TIMEOUT PORT HELPER PROMPT URL URI SERVER AUDIENCE ISSUER REQUIRED POLICY PLUGIN
    BACKEND TOOL CMD COMMAND SCRIPT CACHE ARN ROLE ACCOUNT PREFIX SUFFIX LIFETIME VAR VARS
    ENV NAMES LIST""".split()
)
_AUTHED_URL = re.compile(r"(?i)(^|_)(authed|authenticated|credentialed|creds|secret)(_|$)")


def is_secret_var(name: str) -> bool:
    """Whether a variable/argument ``name`` holds a secret (``GEMFURY_TOKEN``, ``PAT``,
    ``TWINE_PASSWORD``, ``AUTHED_ARTIFACT_REG_URL``), not a setting about one
    (``SSH_AUTH_SOCK``, ``TOKEN_FILE``, ``AWS_ACCESS_KEY_ID``)."""
    parts = [p for p in re.split(r"[_\-.]", name.upper()) if p]
    if not parts or not _SECRET_WORD.search(name):
        return False
    if parts[-1] in ("URL", "URI", "INDEX"):
        return bool(_AUTHED_URL.search(name))
    return parts[-1] not in _NOT_SECRET_SUFFIX


_FEED_TOOL_SECRET = re.compile(
    r"(?i)^(TWINE_PASSWORD|FLIT_PASSWORD|HATCH_INDEX_AUTH|UV_PUBLISH_(PASSWORD|TOKEN)"
    r"|PDM_PUBLISH_PASSWORD|PIP_PASSWORD|POETRY_HTTP_BASIC_\w+_PASSWORD|POETRY_PYPI_TOKEN_\w+"
    r"|UV_INDEX_\w+_PASSWORD|PDM_PYPI_PASSWORD|SYSTEM_ACCESSTOKEN|CODEARTIFACT_AUTH_TOKEN"
    r"|VSS_NUGET_ACCESSTOKEN)$"
)
_FEED_WORD = re.compile(
    r"(?i)(^|[_\-.])(pypi|testpypi|feed|feeds|artifact|artifacts|artifactory|jfrog|nexus|devpi|"
    r"fury|gemfury|codeartifact|azure|azuredevops|devops|azdo|ado|vsts|index|registry|twine|"
    r"poetry|pip|uv|pdm|hatch|flit|package|packages|pkg|repo|repository|github|gh|gitlab|gl)"
    r"($|[_\-.])"
)
_PAT_WORD = re.compile(r"(?i)(^|[_\-.])pats?($|[_\-.])")
_CONFIG_SECRET_KEY = frozenset({"password", "passwd", "token", "pat"})
#: files where a bare ``password``/``token`` key belongs to the packaging tool itself
_PACKAGING_CONFIG_KINDS = frozenset(
    {
        FileKind.PIP_CONF,
        FileKind.PYPIRC,
        FileKind.SETUP_CFG,
        FileKind.TOX_INI,
        FileKind.PYPROJECT,
        FileKind.UV_TOML,
        FileKind.PIPFILE,
        FileKind.POETRY_CONFIG,
        FileKind.PDM_CONFIG,
        FileKind.NETRC,
    }
)


def is_feed_secret_key(key: str, kind: Optional[FileKind] = None) -> bool:
    """Whether ``key`` (a variable, a config key, ``twine --password``) is a place that only
    ever holds a package-feed secret: there, any literal is a secret whatever its shape.

    A bare ``password``/``token`` key counts only in packaging configuration files (pass
    ``kind``): in CI YAML it is as likely a Docker registry or Codecov input."""
    k = key.strip()
    if not k:
        return False
    if _FEED_TOOL_SECRET.match(k):
        return True
    if k in ("twine --password", "poetry publish --password"):
        return True
    if k.startswith("pypi-token.") or (k.startswith("http-basic.") and k.endswith("password")):
        return True
    last = re.split(r"[.\s\]]", k)[-1].lower()
    if last in _CONFIG_SECRET_KEY and (kind is None or kind in _PACKAGING_CONFIG_KINDS):
        return True
    return is_secret_var(k) and bool(_FEED_WORD.search(k) or _PAT_WORD.search(k))


_TEMPLATE_NAME = re.compile(
    r"(?i)(^|[._-])(example|examples|sample|samples|template|templates)([._-]|$)"
    r"|\.(tmpl|tpl|dist|default)$"
)


def _is_template(path: str) -> bool:
    """``.env.example``, ``sample.env``, ``.env.template`` ...: files of made-up values."""
    return bool(_TEMPLATE_NAME.search(PurePosixPath(path).name))


# -- positions ---------------------------------------------------------------------------
def _commented(fm: FileModel, loc: Location) -> bool:
    """Whether the text at ``loc`` is inside a comment of its file kind."""
    line = fm.source.line(loc.line)
    before = line[: max(0, loc.column - 1)]
    head = before.lstrip()
    kind = fm.source.kind
    if head.startswith("#"):
        return True
    if kind.is_ini and head.startswith(";"):
        return True
    if kind is FileKind.CI_YAML and head.startswith("//"):
        return True
    if kind is FileKind.SHELL and re.match(r"(?i)(rem\s|::)", head):
        return True
    if kind.is_ini or kind in (FileKind.DOCKERFILE, FileKind.NETRC, FileKind.GIT_CREDENTIALS):
        return False  # no inline comments there (pip reads '#' as part of an INI value)
    quote = ""
    for i, ch in enumerate(before):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or before[i - 1] in " \t"):
            return True
    return False


def _span_end(fm: FileModel, loc: Location, value: str, until_at: bool = False) -> int:
    line = fm.source.line(loc.line)
    if until_at:
        at = line.find("@", loc.column - 1)
        if at != -1:
            return at + 1
    return loc.column + max(1, len(value))


def _eol(fm: FileModel, loc: Location) -> int:
    return max(loc.column + 1, len(fm.source.line(loc.line)) + 1)


def _fingerprint(secret: str) -> str:
    return "sha256:" + hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()[:32]


def _label(fm: FileModel) -> str:
    return PurePosixPath(fm.path).name


# -- URL user-info (FL101; FL105 in credential stores) ---------------------------------
_VCS_HOSTS = re.compile(
    r"(?i)(^|\.)(github\.com|gitlab\.com|bitbucket\.org|dev\.azure\.com|visualstudio\.com|"
    r"fury\.io|pkg\.dev|amazonaws\.com|jfrog\.io)$"
)
_NON_SECRET_USERS = frozenset(
    {
        "__token__",
        "x-access-token",
        "x-token-auth",
        "oauth2",
        "oauth2accesstoken",
        "gitlab-ci-token",
        "aws",
        "_json_key",
        "_json_key_base64",
        "anonymous",
        "token",
        "build",
        "ci",
        "pat",
        "user",
        "username",
        "admin",
        "git",
        "vsts",
        "azure",
        "azdo",
    }
)


def _index_for(fm: FileModel, cred: Credential) -> Optional[IndexRef]:
    for ix in fm.indexes:
        if ix.location.line == cred.location.line and (
            ix.url == cred.url or (cred.host and cred.host in ix.url.lower())
        ):
            return ix
    return None


def _user_is_secret(cred: Credential, fm: FileModel, model: ProjectModel) -> bool:
    """A URL user name alone is a secret only if it looks like a token (module docstring)."""
    v = cred.value
    if value_state(v) != "literal":
        return False
    if identify(v, context=True):
        return True
    if v.lower() in _NON_SECRET_USERS or "@" in v or "." in v or " " in v:
        return False
    gemfury = f"{v}:@" in cred.url or cred.host.endswith("fury.io")
    if gemfury and len(v) >= 8 and re.fullmatch(r"[A-Za-z0-9_\-]+", v):
        mixed = any(c.isdigit() for c in v) or (v.lower() != v and v.upper() != v)
        if mixed:  # Gemfury style 'https://TOKEN:@host': the user name is the token
            return True
    private = getattr(model.config, "private_indexes", ()) or ()
    index_like = (
        _index_for(fm, cred) is not None
        or bool(_VCS_HOSTS.search(cred.host))
        or private_host_shape(cred.url, private) is not None
        or bool(re.search(r"/(simple|pypi)(/|$)", cred.url))
        or fm.source.kind
        in (
            FileKind.REQUIREMENTS,
            FileKind.PIP_CONF,
            FileKind.PYPROJECT,
            FileKind.PIPFILE,
            FileKind.SETUP_PY,
            FileKind.SETUP_CFG,
            FileKind.UV_TOML,
            FileKind.PYPIRC,
        )
    )
    if not index_like:
        return False
    if re.fullmatch(r"[A-Za-z0-9]{20,}", v):
        return sum(c.isdigit() for c in v) >= 2 and sum(c.isalpha() for c in v) >= 2
    return bool(re.fullmatch(r"[A-Za-z0-9_\-+/=~]{32,}", v)) and _looks_random(v)


def _raw_at(fm: FileModel, loc: Location, password: bool) -> str:
    """The user-info part starting at ``loc`` as written in the file (not percent-decoded)."""
    line = fm.source.line(loc.line)
    at = line.find("@", loc.column - 1)
    if at == -1:
        return ""
    raw = line[loc.column - 1 : at]
    return raw if password else raw.split(":", 1)[0]


def _url_exposures(fm: FileModel, model: ProjectModel) -> Iterator[Exposure]:
    kind = fm.source.kind
    for cred in fm.credentials:
        if cred.kind not in ("url-password", "url-user"):
            continue
        value, loc, role = cred.value, cred.location, "password"
        if cred.kind == "url-password" and value.strip().lower() in _NON_SECRET_VALUES:
            # 'https://TOKEN:x-oauth-basic@github.com': the user name is the token
            user = cred.key
            line = fm.source.line(loc.line)
            col = line.rfind(user, 0, max(0, loc.column - 1)) + 1 if user else 0
            if not col:
                continue
            cred = Credential(
                user,
                "url-user",
                Location(loc.path, loc.line, col),
                kind,
                host=cred.host,
                url=cred.url,
            )
            value, loc = user, cred.location
        raw = _raw_at(fm, loc, cred.kind == "url-password")
        if raw and value_state(raw) != "literal":
            continue  # e.g. '%FEED_TOKEN%', which percent-decoding turns into garbage
        if cred.kind == "url-user":
            role = "user name"
            if not _user_is_secret(cred, fm, model):
                continue
        elif value_state(value) != "literal":
            continue
        token = identify(value, context=True)
        if not token and _is_template(fm.path):
            continue  # '.env.example': made-up values, unless a real token format
        host = cred.host or "its host"
        if role == "password":
            what = f"{token} {redact(value)}" if token else f"literal password {redact(value)}"
            what += f" in the user-info of a URL for {host}"
        else:
            what = f"{token or 'token'} {redact(value)} used as the user name of a URL for {host}"
        commented = _commented(fm, loc)
        note = " on a commented-out line (still readable in the repository)" if commented else ""
        ix = _index_for(fm, cred)
        azure = private_host_shape(cred.url) == "Azure Artifacts"
        vcs = cred.url.startswith("git+") or (bool(_VCS_HOSTS.search(host)) and ".git" in cred.url)
        fix = fixes.url_fix(
            kind, ix.installer if ix else None, ix.name if ix else None, azure, vcs=vcs
        )
        texts = {"FL101": (f"{what}{note}", fix)}
        owners: tuple[str, ...] = ("FL101",)
        if kind in STORE_KINDS:
            owners = ("FL105", "FL101")
            texts["FL105"] = (f"{_label(fm)} holds {what}{note}", fixes.store_fix(kind))
        end = _span_end(fm, loc, value, until_at=True)
        yield Exposure(
            T_URL if kind not in STORE_KINDS else T_STORE, owners, loc, end, value, texts, commented
        )


# -- credential stores (FL105) and .pypirc (FL103) ---------------------------------------
def _store_exposures(fm: FileModel) -> Iterator[Exposure]:
    kind = fm.source.kind
    if kind not in STORE_KINDS:
        return
    for cred in fm.credentials:
        if cred.kind not in ("netrc", "key-value", "text"):
            continue
        if (
            cred.kind == "key-value"
            and cred.key
            and not (is_feed_secret_key(cred.key) or is_secret_var(cred.key))
        ):
            continue
        if value_state(cred.value) != "literal":
            continue
        token = identify(cred.value, context=True)
        what = (
            f"{token} {redact(cred.value)}" if token else f"plaintext password {redact(cred.value)}"
        )
        where = f" for machine {cred.host}" if cred.kind == "netrc" and cred.host else ""
        if cred.kind == "key-value" and cred.key:
            where = f" under `{cred.key}`"
        commented = _commented(fm, cred.location)
        texts = {
            "FL105": (f"{_label(fm)} holds {what}{where}", fixes.store_fix(kind, cred.key)),
            "FL102": (
                f"{what}{where} in {_label(fm)}",
                fixes.token_fix(kind, token) if token else fixes.store_fix(kind, cred.key),
            ),
        }
        end = _span_end(fm, cred.location, cred.value)
        yield Exposure(
            T_STORE, ("FL105", "FL102"), cred.location, end, cred.value, texts, commented
        )


_PASSWORD_KEY = re.compile(r"(?i)(^|[.\s\]])password$")


def _pypirc_exposures(fm: FileModel) -> Iterator[Exposure]:
    if fm.source.kind is not FileKind.PYPIRC:
        return
    for cred in fm.credentials:
        if cred.kind != "key-value" or not _PASSWORD_KEY.search(cred.key or "password"):
            continue
        if value_state(cred.value) != "literal":
            continue
        token = identify(cred.value, context=True)
        section = cred.key.rsplit(".", 1)[0] if "." in (cred.key or "") else ""
        where = f" in section [{section}]" if section else ""
        if cred.host:
            where += f" (repository {cred.host})"
        what = f"{token} {redact(cred.value)}" if token else f"password {redact(cred.value)}"
        pypi = bool(token and "PyPI" in token)
        texts = {
            "FL103": (f"plaintext {what} in .pypirc{where}", fixes.twine_fix(pypi)),
            "FL102": (
                f"literal {what} in .pypirc{where}",
                fixes.token_fix(FileKind.PYPIRC, token) if token else fixes.twine_fix(),
            ),
        }
        end = _span_end(fm, cred.location, cred.value)
        yield Exposure(
            T_PYPIRC,
            ("FL103", "FL102"),
            cred.location,
            end,
            cred.value,
            texts,
            _commented(fm, cred.location),
        )


# -- literals in credential variables and keys (FL102) -----------------------------------
def _context_exposures(fm: FileModel, azure: bool) -> Iterator[Exposure]:
    """``azure``: the project uses an Azure Artifacts feed (fix texts then name
    artifacts-keyring)."""
    kind = fm.source.kind
    if kind in STORE_KINDS or kind in (FileKind.PYPIRC, FileKind.DOCKERFILE):
        return
    for cred in fm.credentials:
        if cred.kind not in ("key-value", "text", "netrc"):
            continue
        value = _unquote(cred.value)
        if value_state(value) != "literal" or not _plausible_secret(value):
            continue
        token = identify(value, context=cred.kind != "text")
        if not token and (not is_feed_secret_key(cred.key, kind) or _is_template(fm.path)):
            continue
        if token:
            what = f"{token} {redact(value)}"
            fix = fixes.token_fix(kind, token)
        else:
            noun = "password" if re.search(r"(?i)pass", cred.key) else "secret"
            what = f"literal {noun} {redact(value)}"
            fix = fixes.key_value_fix(kind, cred.key, azure)
        to = f" assigned to `{cred.key}`" if cred.key else ""
        if kind in _PACKAGING_CONFIG_KINDS and cred.key:
            to = f" under `{cred.key}`"
            if kind is FileKind.PIP_CONF:
                to += " (a key pip does not read)"
        commented = _commented(fm, cred.location)
        note = " on a commented-out line" if commented else ""
        texts = {"FL102": (f"{what}{to}{note}", fix)}
        end = _span_end(fm, cred.location, cred.value)
        yield Exposure(T_CONTEXT, ("FL102",), cred.location, end, value, texts, commented)


# -- token formats anywhere (FL102; FL105 in credential stores) --------------------------
_LEGACY_CONTEXT = re.compile(
    r"(?i)(?P<key>[A-Za-z_][\w.\-]*)[\"']?\s*(?:=|:=|=>|:)\s*[\"']?(?P<val>[a-z2-7]{52})(?![A-Za-z0-9])"
    r"|(?:--password|--token|-p)(?:=|\s+)[\"']?(?P<opt>[a-z2-7]{52})(?![A-Za-z0-9])"
)
_LEGACY_HINT = re.compile(r"(?i)pat|token|passw|pwd|secret|auth|cred|-p\b")


def _token_exposures(fm: FileModel) -> Iterator[Exposure]:
    kind = fm.source.kind
    owners = ("FL105", "FL102") if kind in STORE_KINDS else ("FL102",)
    for number, text in enumerate(fm.source.lines, start=1):
        found = [(m.kind, m.start, m.text) for m in find_tokens(text)]
        if len(text) >= 52 and _LEGACY_HINT.search(text):
            for m in _LEGACY_CONTEXT.finditer(text):
                group = "val" if m.group("val") else "opt"
                if group == "val" and not (
                    is_secret_var(m.group("key")) or _PAT_WORD.search(m.group("key"))
                ):
                    continue
                if is_legacy_ado_pat(m.group(group)):
                    found.append(
                        (
                            "legacy Azure DevOps personal access token",
                            m.start(group),
                            m.group(group),
                        )
                    )
        for token_kind, start, token in found:
            loc = Location(fm.path, number, start + 1)
            commented = _commented(fm, loc)
            note = " on a commented-out line" if commented else ""
            texts = {
                "FL102": (
                    f"{token_kind} {redact(token)} in {_label(fm)}{note}",
                    fixes.token_fix(kind, token_kind),
                ),
                "FL105": (
                    f"{_label(fm)} holds a {token_kind} ({redact(token)}){note}",
                    fixes.store_fix(kind),
                ),
            }
            yield Exposure(T_TOKENS, owners, loc, start + 1 + len(token), token, texts, commented)


# -- Docker builds (FL104) ------------------------------------------------------------------
_INDEX_VARS = re.compile(
    r"(?i)^(PIP_(EXTRA_)?INDEX_URL|PIP_FIND_LINKS|UV_(EXTRA_)?INDEX_URL|UV_INDEX|UV_DEFAULT_INDEX"
    r"|UV_FIND_LINKS|PIPENV_PYPI_MIRROR|PDM_PYPI_URL|POETRY_REPOSITORIES_\w+_URL"
    r"|TWINE_REPOSITORY_URL)$"
)
_PATHLIKE = re.compile(
    r"^(/|\./|\.\./|~/|[A-Za-z]:\\)|\.(json|pem|key|crt|cer|txt|toml|cfg|ini|conf|p12|pfx)$"
)


_SPACED_TEMPLATE = re.compile(r"\$?\{\{[^}]*\}\}|\$\([^)]*\)")


def _unspaced(text: str) -> str:
    """``text`` with the blanks inside ``${{ x }}``, ``{{ x }}`` and ``$(cmd arg)`` replaced
    (same length, so offsets stay valid) so that a URL holding one is one word."""
    return _SPACED_TEMPLATE.sub(lambda m: re.sub(r"\s", "_", m.group(0)), text)


def _userinfo_secret(text: str) -> Optional[tuple[int, str, str]]:
    """The first URL in ``text`` whose user-info carries a secret (a reference or a
    literal): (offset of the secret in ``text``, the secret as written, its state)."""
    for m in re.finditer(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"']+", _unspaced(text)):
        url = m.group(0)
        parts = split_url(url)
        if parts is None or parts.user is None:
            continue
        rest_at = url.find("://") + 3
        path_at = next((i for i in range(rest_at, len(url)) if url[i] in "/?#"), len(url))
        at = url.rfind("@", rest_at, path_at)
        if parts.password:
            start, secret = parts.password_start, parts.password
        else:
            start, secret = parts.userinfo_start, parts.user
        state = value_state(secret)
        if state in ("reference", "literal") and at > start:
            raw = url[start:at]
            if not parts.password:
                raw = raw.split(":", 1)[0]
            return m.start() + start, text[m.start() + start : m.start() + start + len(raw)], state
    return None


def _docker_exposures(fm: FileModel, model: ProjectModel) -> Iterator[Exposure]:
    if fm.source.kind is not FileKind.DOCKERFILE:
        return
    yield from _docker_env(fm)
    yield from _docker_key_values(fm)
    for cmd in fm.commands:
        if cmd.origin == "docker-run":
            yield from _docker_persist(fm, cmd)
    yield from _docker_heredoc_writes(fm)
    yield from _docker_copies(fm, model)


def _plausible_secret(value: str) -> bool:
    """A literal that can be a secret: not a path, a number, a one-word flag or a phrase
    (``/app/credentials.json``, ``3600``, ``on``, ``see the wiki``)."""
    v = value.strip()
    return not (_PATHLIKE.search(v) or len(v) < 4 or v.isdigit() or re.search(r"\s", v))


def _docker_env(fm: FileModel) -> Iterator[Exposure]:
    for env in fm.env:
        if env.origin not in ("docker-arg", "docker-env"):
            continue
        is_arg = env.origin == "docker-arg"
        state = value_state(env.value)
        secret_name = is_secret_var(env.name)
        creds = _userinfo_secret(env.value) if env.value else None
        verb = "ARG" if is_arg else "ENV"
        loc, end, secret = env.location, _eol(fm, env.location), env.name
        if secret_name:
            if state == "literal" and env.value is not None:
                v = _unquote(env.value)
                if not _plausible_secret(v):
                    continue
                if creds and creds[2] == "reference":
                    message = f"{verb} {env.name} puts a credential-bearing URL into the build"
                else:
                    token = identify(v, context=True)
                    what = f"{token} {redact(v)}" if token else f"literal secret {redact(v)}"
                    message = f"{verb} {env.name} sets {what}; it is stored in the image"
                    loc = env.value_location or env.location
                    secret = v
                    end = _eol(fm, loc)
            elif is_arg and state in ("none", "empty", "placeholder", "reference"):
                message = (
                    f"build argument {env.name} carries a credential into the build: its value "
                    "is recorded in the history of every RUN that uses it"
                )
            elif not is_arg and state == "reference":
                message = (
                    f"ENV {env.name} copies a credential into the image configuration, where "
                    "`docker inspect` shows it"
                )
            else:
                continue
        elif creds is not None:
            if creds[2] == "literal":
                continue  # FL101 reports the literal itself
            message = (
                f"{verb} {env.name} carries an index URL whose user-info holds a credential "
                f"into the {'build history' if is_arg else 'image configuration'}"
            )
        else:
            continue
        commented = _commented(fm, loc)
        texts = {"FL104": (message, fixes.docker_fix("arg" if is_arg else "env"))}
        yield Exposure(T_DOCKER, ("FL104",), loc, end, secret, texts, commented)


def _docker_key_values(fm: FileModel) -> Iterator[Exposure]:
    """Literal secrets passed on a RUN line (``TWINE_PASSWORD=x twine upload``, ``twine -p x``,
    ``poetry config http-basic.x u p``): the RUN text is kept in the image history."""
    for cred in fm.credentials:
        if cred.kind != "key-value" or not cred.key:
            continue
        if not (is_feed_secret_key(cred.key) or is_secret_var(cred.key)):
            continue
        value = _unquote(cred.value)
        if value_state(value) != "literal" or not _plausible_secret(value):
            continue
        token = identify(value, context=True)
        what = f"{token} {redact(value)}" if token else f"literal secret {redact(value)}"
        texts = {
            "FL104": (
                f"{what} for `{cred.key}` is written in the Dockerfile and kept in the image history",
                fixes.docker_fix("url"),
            )
        }
        end = _span_end(fm, cred.location, cred.value)
        yield Exposure(
            T_DOCKER, ("FL104",), cred.location, end, value, texts, _commented(fm, cred.location)
        )


_CRED_FILES = re.compile(
    r"(?i)(^|/)(\.netrc|_netrc|\.pypirc|pypirc|\.git-credentials|auth\.toml|pip\.conf|pip\.ini"
    r"|poetry\.toml|pdm\.toml|\.pdm\.toml)$"
)
_ALWAYS_SECRET_FILES = re.compile(r"(?i)(^|/)(\.netrc|_netrc|\.git-credentials|auth\.toml)$")
_REDIRECT = re.compile(r"(?:>>?|\btee\s+(?:-a\s+)?)\s*[\"']?(?P<target>[^\s;&|\"')]+)")


def _is_pip(word: str) -> bool:
    return bool(re.match(r"^pip(\d+(\.\d+)?)?(\.exe)?$", word.rsplit("/", 1)[-1].lower()))


def _removed_later(text: str, start: int, name: str) -> bool:
    """Whether the RUN removes ``name`` again after offset ``start`` (then the layer does
    not keep it)."""
    return bool(re.search(rf"\brm\b[^;&|\n]*{re.escape(name)}", text[start:]))


def _persist_hits(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, secret or target, what) for each command in a RUN that writes a credential
    into a file: ``pip config set`` with a user-info URL, ``poetry config http-basic``/
    ``pypi-token``, ``git config url.<user-info URL>.insteadOf``, a redirection into a
    credential file."""
    for words in split_words(text):
        names = [w.text for w in words]
        low = [n.lower() for n in names]
        if "config" in low and "set" in low and any(_is_pip(n) for n in low[: low.index("config")]):
            i = low.index("set")
            values = [w for w in words[i + 1 :] if not w.text.startswith("-")]
            if len(values) >= 2:
                found = _userinfo_secret(values[1].text)
                unset = "pip config unset" in text or _removed_later(text, 0, "pip.conf")
                if found and not unset:
                    off = text.find(found[1], values[1].start)
                    what = "`pip config set` writes the credential into pip.conf"
                    yield (off if off >= 0 else values[1].start), found[1], what
        if len(low) >= 4 and low[0].endswith("poetry") and low[1] == "config":
            key = names[2]
            secret_word = None
            if key.startswith("http-basic.") and len(words) >= 5:
                secret_word = words[4]
            elif key.startswith("pypi-token."):
                secret_word = words[3]
            if secret_word is not None and value_state(secret_word.text) in (
                "reference",
                "literal",
            ):
                what = f"`poetry config {key}` writes the credential into Poetry's auth.toml"
                yield secret_word.start, secret_word.text, what
        if len(low) >= 3 and low[0] == "git" and low[1] == "config":
            for w in words[2:]:
                found = _userinfo_secret(w.text) if "://" in w.text else None
                if found:
                    off = text.find(found[1], w.start)
                    what = "`git config ... insteadOf` writes the credential into .gitconfig"
                    yield (off if off >= 0 else w.start), found[1], what
                    break
    for m in _REDIRECT.finditer(text):
        target = m.group("target")
        if not _CRED_FILES.search(target):
            continue
        if _removed_later(text, m.end(), PurePosixPath(target).name):
            continue
        before = text[: m.start()]
        if not _ALWAYS_SECRET_FILES.search(target) and not (
            _userinfo_secret(before) or re.search(r"(?i)\b(password|token)\b", before)
        ):
            continue
        yield m.start("target"), target, f"the RUN writes credentials into {target}"


def _docker_heredoc_writes(fm: FileModel) -> Iterator[Exposure]:
    """``RUN cat > /etc/pip.conf <<EOF`` and the like (``facts["writes"]`` of the Dockerfile
    parser, ``inline`` for a here-document): the body is read into the model at its lines,
    so a credential there (a reference too: the build expands it) goes into the layer."""
    raw = fm.facts.get("writes") or ()
    if not isinstance(raw, (list, tuple)):
        return
    # where the next instruction starts bounds the here-document body
    starts = sorted(
        {c.location.line for c in fm.commands}
        | {e.location.line for e in fm.env}
        | {c.location.line for c in _copy_items(fm)}
        | {w["line"] for w in raw if isinstance(w, dict) and isinstance(w.get("line"), int)}
    )
    for item in raw:
        if not isinstance(item, dict) or not item.get("inline"):
            continue
        dest = str(item.get("dest") or "")
        try:
            loc = Location(fm.path, int(item["line"]), int(item.get("column") or 1))
        except (KeyError, TypeError, ValueError):
            continue
        if not _CRED_FILES.search(_basename(dest)):
            continue
        end = next((line for line in starts if line > loc.line), len(fm.source.lines) + 1)
        states = {value_state(c.value) for c in fm.credentials if loc.line < c.location.line < end}
        # a literal in the body is reported where it is (FL101 ...), with a Docker fix
        if "reference" not in states and (
            "literal" in states or not _ALWAYS_SECRET_FILES.search(_basename(dest))
        ):
            continue
        texts = {
            "FL104": (
                f"the RUN writes credentials into {dest}, which stays in the image layer",
                fixes.docker_fix("persist"),
            )
        }
        yield Exposure(T_DOCKER, ("FL104",), loc, _eol(fm, loc), dest, texts, _commented(fm, loc))


def _docker_persist(fm: FileModel, cmd: Command) -> Iterator[Exposure]:
    """RUN commands that write a credential into a file of the layer (even one read from a
    BuildKit secret mount: the file outlives the mount)."""
    for offset, secret, what in _persist_hits(cmd.text):
        loc = cmd.locate(max(0, offset))
        texts = {"FL104": (f"{what}, which stays in the image layer", fixes.docker_fix("persist"))}
        yield Exposure(T_DOCKER, ("FL104",), loc, _eol(fm, loc), secret, texts, _commented(fm, loc))


@dataclass(frozen=True)
class _Copy:
    sources: tuple[str, ...]
    dest: str
    location: Location
    inline: bool  # a here-document body (``COPY <<EOF /root/.netrc``)


def _copy_items(fm: FileModel) -> Iterator[_Copy]:
    """``fm.facts["copies"]`` as the Dockerfile parser records them: COPY/ADD of files named
    like credential files, one mapping per source (``src``, ``dest``, ``line``, ``column``,
    ``from`` for a copy out of another stage, ``inline`` for a here-document). A list of
    ``sources`` or a ``location`` is accepted too. Copies from another stage are skipped:
    the credential was already in that stage's build context or layers."""
    raw = fm.facts.get("copies") or ()
    if not isinstance(raw, (list, tuple)):
        return
    for item in raw:
        if not isinstance(item, dict) or item.get("from"):
            continue
        sources = item.get("sources", item.get("source", item.get("src")))
        if isinstance(sources, str):
            sources = [sources]
        loc = item.get("location")
        if loc is None and "line" in item:
            try:
                loc = Location(fm.path, int(item["line"]), int(item.get("column") or 1))
            except (TypeError, ValueError):
                continue
        if not isinstance(loc, Location) or not isinstance(sources, (list, tuple)):
            continue
        dest = str(item.get("dest") or "")
        yield _Copy(tuple(str(x) for x in sources), dest, loc, bool(item.get("inline")))


def _has_literal_secret(fm: Optional[FileModel]) -> bool:
    if fm is None:
        return False
    return any(
        cred.kind != "url-user" and value_state(cred.value) == "literal" for cred in fm.credentials
    )


def _basename(path: str) -> str:
    return path.strip("'\"").replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def _docker_copies(fm: FileModel, model: ProjectModel) -> Iterator[Exposure]:
    base = PurePosixPath(fm.path).parent
    for copy in _copy_items(fm):
        dest_name = _basename(copy.dest) if not copy.dest.endswith("/") else ""
        for src in copy.sources:
            names = {dest_name} if copy.inline else {dest_name, _basename(src)}
            names = {n for n in names if n and _CRED_FILES.search(n)}
            if not names:
                continue
            if not any(_ALWAYS_SECRET_FILES.search(n) for n in names):
                if copy.inline:
                    continue  # a literal in the here-document body is reported where it is
                clean = src.strip("'\"")
                while clean.startswith("./"):
                    clean = clean[2:]
                tree = [str(base / clean) if str(base) != "." else clean, clean]
                in_tree = next((model.files[c] for c in tree if c in model.files), None)
                is_pypirc = bool(names & {".pypirc", "pypirc"})
                if in_tree is None and not is_pypirc:
                    continue  # pip.conf etc. not in the repository: no evidence of a secret
                if in_tree is not None and not _has_literal_secret(in_tree):
                    continue  # e.g. a pip.conf with plain index URLs
            shown = copy.dest if copy.inline else src
            texts = {
                "FL104": (
                    f"{'COPY' if not copy.inline else 'a here-document'} puts the credential "
                    f"file {shown} into the image layer",
                    fixes.docker_fix("copy"),
                )
            }
            loc = copy.location
            yield Exposure(
                T_DOCKER, ("FL104",), loc, _eol(fm, loc), src, texts, _commented(fm, loc)
            )


# -- --build-arg on docker build command lines (FL104, CI and shell files) ----------------
_BUILD_ARG = re.compile(
    r"--build-arg(?:=|\s+)[\"']?(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:=(?P<value>[^\s\"']*))?"
)
_BUILD_ARGS_BLOCK = re.compile(r"^(?P<indent>\s*)(?:-\s+)?build[-_]args:\s*(?P<rest>.*)$")
_BUILD_ARGS_ITEM = re.compile(
    r"^\s*(?:-\s+)?[\"']?(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*?)[\"']?\s*$"
)


def _build_arg_exposures(fm: FileModel) -> Iterator[Exposure]:
    """``--build-arg`` on docker/podman build command lines and ``build-args:`` of
    docker/build-push-action: what parsers recorded as env assignments of origin
    ``docker-build-arg``, and (for files whose parser did not) a scan of the lines."""
    items: list[tuple[int, int, str, str]] = []  # (line, column, name, value)
    for env in fm.env:
        if env.origin == "docker-build-arg" and env.location.path == fm.path:
            items.append((env.location.line, env.location.column, env.name, env.value or ""))
    if fm.source.kind in (FileKind.CI_YAML, FileKind.SHELL):
        items.extend(_scan_build_args(fm))
    for number, col, name, value in items:
        creds = _userinfo_secret(value) if value else None
        if not is_secret_var(name) and creds is None:
            continue
        if value and value_state(value) == "placeholder" and creds is None:
            continue
        loc = Location(fm.path, number, col)
        texts = {
            "FL104": (
                f"--build-arg {name} hands a credential to the Docker build, where the image "
                "history and build provenance keep it",
                fixes.docker_fix("build-arg"),
            )
        }
        yield Exposure(T_DOCKER, ("FL104",), loc, _eol(fm, loc), name, texts, _commented(fm, loc))


def _scan_build_args(fm: FileModel) -> list[tuple[int, int, str, str]]:
    lines = fm.source.lines
    items: list[tuple[int, int, str, str]] = []  # (line, column, name, value)
    block_indent: Optional[int] = None
    for number, text in enumerate(lines, start=1):
        if block_indent is not None:
            indent = len(text) - len(text.lstrip())
            if text.strip() and indent <= block_indent:
                block_indent = None
            else:
                m = _BUILD_ARGS_ITEM.match(text)
                if m:
                    items.append((number, m.start("name") + 1, m.group("name"), m.group("value")))
                continue
        m = _BUILD_ARGS_BLOCK.match(text)
        if m and fm.source.kind is FileKind.CI_YAML:
            rest = m.group("rest").strip()
            if rest[:1] in ("|", ">", "") or rest.startswith("#"):
                block_indent = len(m.group("indent"))
            else:
                inline = _BUILD_ARGS_ITEM.match(rest)
                if inline:
                    col = text.find(rest) + inline.start("name") + 1
                    items.append((number, col, inline.group("name"), inline.group("value")))
            continue
        for b in _BUILD_ARG.finditer(text):
            items.append((number, b.start("name") + 1, b.group("name"), b.group("value") or ""))
    return items


# -- resolution ---------------------------------------------------------------------------
def _all_exposures(model: ProjectModel) -> list[Exposure]:
    out: list[Exposure] = []
    azure = any(private_host_shape(ix.url) == "Azure Artifacts" for ix in model.indexes)
    for _, fm in sorted(model.files.items()):
        out.extend(_store_exposures(fm))
        out.extend(_pypirc_exposures(fm))
        out.extend(_url_exposures(fm, model))
        out.extend(_docker_exposures(fm, model))
        out.extend(_build_arg_exposures(fm))
        out.extend(_context_exposures(fm, azure))
        out.extend(_token_exposures(fm))
    return out


def _enabled(model: ProjectModel, code: str, path: str) -> bool:
    selector = model.extras.get("selector")
    if selector is None:
        return True
    return bool(selector.enabled_in(code, path))  # type: ignore[attr-defined]


@dataclass
class _Taken:
    spans: dict[tuple[str, int], list[tuple[int, int]]] = field(default_factory=dict)

    def overlaps(self, e: Exposure) -> bool:
        key = (e.location.path, e.location.line)
        return any(
            e.location.column < end and start < e.end_column
            for start, end in self.spans.get(key, [])
        )

    def add(self, e: Exposure) -> None:
        key = (e.location.path, e.location.line)
        self.spans.setdefault(key, []).append((e.location.column, e.end_column))


def resolve(model: ProjectModel, exposures: Iterable[Exposure]) -> list[Resolved]:
    """Assign each exposure to its first enabled code, one per secret per place."""
    taken = _Taken()
    out: list[Resolved] = []
    ordered = sorted(exposures, key=lambda e: (e.tier, e.location, e.end_column))
    for e in ordered:
        code = next((c for c in e.owners if _enabled(model, c, e.location.path)), None)
        if code is None or taken.overlaps(e):
            continue
        taken.add(e)
        message, fix = e.texts[code]
        out.append(
            Resolved(
                code,
                e.location,
                message,
                fix,
                Severity.WARNING if e.commented else None,
                _fingerprint(e.secret),
            )
        )
    return out


def resolved(model: ProjectModel) -> list[Resolved]:
    """Every credential finding of the model, computed once per model."""
    cached = model.extras.get(_CACHE_KEY)
    if isinstance(cached, list):
        return cached
    result = resolve(model, _all_exposures(model))
    model.extras[_CACHE_KEY] = result
    return result
