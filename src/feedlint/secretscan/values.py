"""What a value is (literal, reference, placeholder) and which names hold secrets.

Pure string logic on values and variable/key names, shared by every credential check."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Optional

from feedlint.lazyre import lazy_compile
from feedlint.model import FileKind
from feedlint.parsers.commands import snake_words
from feedlint.tokens import identify
from feedlint.urls import contains_env_reference, is_env_reference, is_placeholder, split_url

# -- value shapes -------------------------------------------------------------------
_OTHER_REFERENCE = lazy_compile(
    r"`[^`]*`|\{env:[^}]*\}|@Microsoft\.KeyVault\(|\$\{\{|\{\{|\$\(|\$\{|%\([^)]*\)s"
)
# secret-manager references that a runner resolves: 1Password `op://vault/item/field`,
# vals `ref+vault://...`, berglas, GCP `sm://`, Vault `vault:path#key`, AWS ARNs
_MANAGER_REFERENCE = lazy_compile(
    r"(?i)^(?:op|berglas|sm|gcpsm|vault|awssm|azkv|ref\+[a-z0-9]+)://\S"
    r"|^vault:[\w/.-]+#\w|^arn:aws[\w-]*:(?:secretsmanager|ssm):"
)
NON_SECRET_VALUES = frozenset(
    {"x-oauth-basic", "none", "null", "nil", "undefined", "empty", "unset", "true", "false"}
)
_SAYS_PLACEHOLDER = lazy_compile(
    r"(?i)change[-_ ]?(me|it|this)|replace[-_ ]?(me|this|with)|not[-_ ]?a[-_ ]?(real[-_ ]?)?secret"
    r"|insecure|dummy|fake|example|sample|placeholder|redacted|your[-_ ]"
)
# __PAT__ @@PAT@@ %%PAT%% [[PAT]] <<PAT>> and Ant/autoconf/CMake @PAT@
_TEMPLATE_MARKER = lazy_compile(r"^(__|@@?|%%|\[\[|<<)[\w.-]+(__|@@?|%%|\]\]|>>)$")
_FORMAT_SPEC = lazy_compile(r"^(%[-#0 +]*\d*(\.\d+)?[sdrifxX]|\{\d*\}|\{![rs]\})$")
_WORDY_SECRET = lazy_compile(
    r"(?i)^[a-z][a-z _\-]*(token|pat|password|passwd|pwd|secret|key|credential|apikey)[a-z _\-]*$"
)


def looks_random(v: str) -> bool:
    classes = sum(
        (any(c.islower() for c in v), any(c.isupper() for c in v), any(c.isdigit() for c in v))
    )
    digits = sum(c.isdigit() for c in v)
    return len(v) >= 12 and classes >= 2 and digits >= 2 and not re.search(r"[\s_]", v)


_FALLBACK = lazy_compile(
    r"^(?:\$\{[A-Za-z_][A-Za-z0-9_]*:?[-=](?P<sh>[^{}$`]*)\}"  # ${FEED_PAT:-default}
    r"|\{env:[A-Za-z_][A-Za-z0-9_]*:(?P<tox>[^{}]*)\})$"  # tox {env:FEED_PAT:default}
)


def fallback(value: str) -> Optional[tuple[int, str]]:
    """The literal default of a reference that has one, ``${FEED_PAT:-s3cret}`` or tox's
    ``{env:FEED_PAT:s3cret}``, as (offset in ``value``, text): it is written in the file
    and used whenever the variable is unset."""
    m = _FALLBACK.match(value)
    if not m:
        return None
    group = "sh" if m.group("sh") is not None else "tox"
    if not m.group(group):
        return None
    return m.start(group), m.group(group)


def value_state(value: Optional[str]) -> str:
    """``none`` (no value), ``empty``, ``reference``, ``placeholder`` or ``literal``. A
    reference with a literal default (:func:`fallback`) has the state of its default."""
    if value is None:
        return "none"
    v = value.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        v = v[1:-1].strip()
    if not v:
        return "empty"
    default = fallback(v)
    if default is not None:
        return value_state(default[1])
    if is_env_reference(v) or contains_env_reference(v) or _OTHER_REFERENCE.search(v):
        return "reference"
    if _MANAGER_REFERENCE.match(v):
        return "reference"
    if identify(v, context=True):
        return "literal"
    if _FORMAT_SPEC.match(v):
        return "reference"  # printf '%s' / '{}': the script fills it in at run time
    if v.lower() in NON_SECRET_VALUES or _TEMPLATE_MARKER.match(v) or _WORDY_SECRET.match(v):
        return "placeholder"
    if ("<" in v and ">" in v) or v.startswith("<") or v.endswith(">"):
        return "placeholder"  # also '<Personal' of a '<Personal Access Token>' split on blanks
    if re.search(r"(?i)\.\.\.|…|x{4,}|\*{3,}", v):  # truncated or masked examples
        return "placeholder"
    if _SAYS_PLACEHOLDER.search(v):
        return "placeholder"
    if is_placeholder(v) and not looks_random(v):
        return "placeholder"
    return "literal"


def unquote(value: str) -> str:
    v = value.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        return v[1:-1]
    return v


PATHLIKE = lazy_compile(
    r"^(/|\./|\.\./|~/|[A-Za-z]:\\)|\.(json|pem|key|crt|cer|txt|toml|cfg|ini|conf|p12|pfx)$"
)


def plausible_secret(value: str) -> bool:
    """A literal that can be a secret: not a path, a number, a one-word flag or a phrase
    (``/app/credentials.json``, ``3600``, ``on``, ``see the wiki``)."""
    v = value.strip()
    return not (PATHLIKE.search(v) or len(v) < 4 or v.isdigit() or re.search(r"\s", v))


# -- names -----------------------------------------------------------------------------
_SECRET_WORD = lazy_compile(
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
#: first words of a switch about a secret, not the secret (``USE_AUTH``, ``SKIP_TOKEN``)
_FLAG_PREFIX = frozenset(
    """USE USES REQUIRE REQUIRES SKIP NO ENABLE ENABLED DISABLE DISABLED WITH WITHOUT IS HAS
    ALLOW FORCE IGNORE""".split()
)
_AUTHED_URL = lazy_compile(r"(?i)(^|_)(authed|authenticated|credentialed|creds|secret)(_|$)")


def is_secret_var(name: str) -> bool:
    """Whether a variable/argument ``name`` holds a secret (``GEMFURY_TOKEN``, ``PAT``,
    ``TWINE_PASSWORD``, ``AUTHED_ARTIFACT_REG_URL``, camelCase ``feedPat``), not a
    setting about one (``SSH_AUTH_SOCK``, ``TOKEN_FILE``, ``AWS_ACCESS_KEY_ID``) nor a
    switch (``USE_AUTH``, ``SKIP_TOKEN``)."""
    name = snake_words(name)
    parts = [p for p in re.split(r"[_\-.]", name.upper()) if p]
    if not parts or not _SECRET_WORD.search(name):
        return False
    if parts[0] in _FLAG_PREFIX and len(parts) > 1:
        return False
    if parts[-1] in ("URL", "URI", "INDEX"):
        return bool(_AUTHED_URL.search(name))
    return parts[-1] not in _NOT_SECRET_SUFFIX


_FEED_TOOL_SECRET = lazy_compile(
    r"(?i)^(TWINE_PASSWORD|FLIT_PASSWORD|HATCH_INDEX_AUTH|UV_PUBLISH_(PASSWORD|TOKEN)"
    r"|PDM_PUBLISH_PASSWORD|PIP_PASSWORD|POETRY_HTTP_BASIC_\w+_PASSWORD|POETRY_PYPI_TOKEN_\w+"
    r"|UV_INDEX_\w+_PASSWORD|PDM_PYPI_PASSWORD|SYSTEM_ACCESSTOKEN|CODEARTIFACT_AUTH_TOKEN"
    r"|VSS_NUGET_ACCESSTOKEN)$"
)
_FEED_WORD = lazy_compile(
    r"(?i)(^|[_\-.])(pypi|testpypi|feed|feeds|artifact|artifacts|artifactory|jfrog|nexus|devpi|"
    r"fury|gemfury|codeartifact|azure|azuredevops|devops|azdo|ado|vsts|index|registry|twine|"
    r"poetry|pip|uv|pdm|hatch|flit|package|packages|pkg|repo|repository|github|gh|gitlab|gl)"
    r"($|[_\-.])"
)
PAT_WORD = lazy_compile(r"(?i)(^|[_\-.])pats?($|[_\-.])")
_CONFIG_SECRET_KEY = frozenset({"password", "passwd", "token", "pat"})
#: files where a bare ``password``/``token`` key belongs to the packaging tool itself
PACKAGING_CONFIG_KINDS = frozenset(
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
    if re.match(r"^(twine|(poetry|uv|pdm|hatch) publish) -", k):
        return True  # `twine --password`, `uv publish --token`, `hatch publish --auth` ...
    if k.startswith("pypi-token.") or (k.startswith("http-basic.") and k.endswith("password")):
        return True
    last = re.split(r"[.\s\]]", k)[-1].lower()
    if last in _CONFIG_SECRET_KEY and (kind is None or kind in PACKAGING_CONFIG_KINDS):
        return True
    words = snake_words(k)
    return is_secret_var(k) and bool(_FEED_WORD.search(words) or PAT_WORD.search(words))


_TEMPLATE_NAME = lazy_compile(
    r"(?i)(^|[._-])(example|examples|sample|samples|template|templates)([._-]|$)"
    r"|\.(tmpl|tpl|dist|default)$"
)


def is_template(path: str) -> bool:
    """``.env.example``, ``sample.env``, ``.env.template`` ...: files of made-up values."""
    return bool(_TEMPLATE_NAME.search(PurePosixPath(path).name))


SPACED_TEMPLATE = lazy_compile(r"\$?\{\{[^}]*\}\}|\$\([^)]*\)")


def unspaced(text: str) -> str:
    """``text`` with the blanks inside ``${{ x }}``, ``{{ x }}`` and ``$(cmd arg)`` replaced
    (same length, so offsets stay valid) so that a URL holding one is one word."""
    return SPACED_TEMPLATE.sub(lambda m: re.sub(r"\s", "_", m.group(0)), text)


def userinfo_secret(text: str) -> Optional[tuple[int, str, str]]:
    """The first URL in ``text`` whose user-info carries a secret (a reference or a
    literal): (offset of the secret in ``text``, the secret as written, its state)."""
    for m in re.finditer(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"']+", unspaced(text)):
        url = m.group(0)
        parts = split_url(url)
        if parts is None or parts.user is None:
            continue
        at = parts.userinfo_end
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
