"""Literal secrets written in files: URL user-info (FL101), credential stores (FL105),
``.pypirc`` passwords (FL103), credential variables and keys (FL102), token formats
anywhere (FL102)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Optional

from feedlint import secretfix as fixes
from feedlint.lazyre import lazy_compile
from feedlint.model import Credential, FileKind, FileModel, IndexRef, Location, ProjectModel
from feedlint.parsers.commands import snake_words
from feedlint.parsers.urlscan import plain_user_name
from feedlint.redact import redact
from feedlint.secretscan.base import (
    STORE_KINDS,
    T_CONTEXT,
    T_PYPIRC,
    T_STORE,
    T_TOKENS,
    T_URL,
    Exposure,
    is_commented,
    label,
    span_end,
)
from feedlint.secretscan.values import (
    NON_SECRET_VALUES,
    PACKAGING_CONFIG_KINDS,
    PAT_WORD,
    fallback,
    is_feed_secret_key,
    is_secret_var,
    is_template,
    looks_random,
    plausible_secret,
    unquote,
    value_state,
)
from feedlint.tokens import find_tokens, identify, is_legacy_ado_pat
from feedlint.urls import private_host_shape

# -- URL user-info (FL101; FL105 in credential stores) ---------------------------------
VCS_HOSTS = lazy_compile(
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


def _focus(loc: Location, value: str) -> tuple[Location, str]:
    """The literal default of ``${FEED_PAT:-s3cret}`` and where it starts, or ``value``
    itself (:func:`~feedlint.secretscan.values.fallback`)."""
    default = fallback(value)
    if default is None:
        return loc, value
    return Location(loc.path, loc.line, loc.column + default[0]), default[1]


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
    if plain_user_name(cred):
        return False  # 'https://org@dev.azure.com/org/...': the organisation
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
        or bool(VCS_HOSTS.search(cred.host))
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
    return bool(re.fullmatch(r"[A-Za-z0-9_\-+/=~]{32,}", v)) and looks_random(v)


def _raw_at(fm: FileModel, loc: Location, password: bool) -> str:
    """The user-info part starting at ``loc`` as written in the file (not percent-decoded)."""
    line = fm.source.line(loc.line)
    at = line.find("@", loc.column - 1)
    if at == -1:
        return ""
    raw = line[loc.column - 1 : at]
    return raw if password else raw.split(":", 1)[0]


def _url_part_exposure(fm: FileModel, cred: Credential) -> Optional[Exposure]:
    """A token in a URL's path (Gemfury) or a secret query parameter (FL101)."""
    value = cred.value
    if value_state(value) != "literal" or len(value) < 8 or not plausible_secret(value):
        return None
    token = identify(value, context=True)
    if not token and is_template(fm.path):
        return None
    host = cred.host or "its host"
    shown = f"{token} {redact(value)}" if token else f"token {redact(value)}"
    if cred.kind == "url-path":
        what = f"{shown} in the path of a URL for {host}"
    else:
        what = f"{shown} in the `{cred.key}` query parameter of a URL for {host}"
    commented = is_commented(fm, cred.location)
    note = " on a commented-out line (still readable in the repository)" if commented else ""
    if cred.kind == "url-path" and "anaconda." in host:
        fix = (
            "Keep the token out of the channel URL: `conda token set` (Anaconda repositories) "
            "or `anaconda login` stores it outside the repository, or write the channel as "
            "`https://conda.anaconda.org/t/${ANACONDA_TOKEN}/CHANNEL` in a .condarc, which "
            f"conda expands from the environment. {fixes.ROTATE}"
        )
    elif cred.kind == "url-path":
        fix = (
            "Gemfury also takes the token as the URL's user name: write "
            "`https://${FURY_TOKEN}@pypi.fury.io/ACCOUNT/` where the file's tool expands "
            "variables (requirements files, Pipfile, PDM sources), or set the index URL "
            "(PIP_INDEX_URL, UV_INDEX_<NAME>_PASSWORD, POETRY_HTTP_BASIC_<SOURCE>_PASSWORD) "
            f"from a secret at run time. {fixes.ROTATE}"
        )
    else:
        sas = (
            " (an Azure SAS: issue it at run time, with a short expiry)"
            if cred.key == "sig"
            else ""
        )
        fix = (
            f"Keep the token out of the URL{sas}: write an environment reference for it "
            "(`?token=${DOWNLOAD_TOKEN}` where the file's tool expands variables, as pip does "
            "in requirements files) or download the file in a CI step that holds the secret. "
            f"{fixes.ROTATE}"
        )
    texts = {"FL101": (f"{what}{note}", fix)}
    owners: tuple[str, ...] = ("FL101",)
    tier = T_URL
    if fm.source.kind in STORE_KINDS:
        owners, tier = ("FL105", "FL101"), T_STORE
        texts["FL105"] = (f"{label(fm)} holds {what}{note}", fixes.store_fix(fm.source.kind))
    end = cred.location.column + len(value)
    return Exposure(tier, owners, cred.location, end, value, texts, commented)


def url_exposures(fm: FileModel, model: ProjectModel) -> Iterator[Exposure]:
    kind = fm.source.kind
    for cred in fm.credentials:
        if cred.kind in ("url-path", "url-query"):
            part = _url_part_exposure(fm, cred)
            if part is not None:
                yield part
            continue
        if cred.kind not in ("url-password", "url-user"):
            continue
        value, loc, role = cred.value, cred.location, "password"
        if cred.kind == "url-password" and value.strip().lower() in NON_SECRET_VALUES:
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
        else:
            loc, value = _focus(loc, value)
        token = identify(value, context=True)
        if not token and is_template(fm.path):
            continue  # '.env.example': made-up values, unless a real token format
        host = cred.host or "its host"
        if role == "password":
            what = f"{token} {redact(value)}" if token else f"literal password {redact(value)}"
            what += f" in the user-info of a URL for {host}"
        else:
            what = f"{token or 'token'} {redact(value)} used as the user name of a URL for {host}"
        commented = is_commented(fm, loc)
        note = " on a commented-out line (still readable in the repository)" if commented else ""
        ix = _index_for(fm, cred)
        azure = private_host_shape(cred.url) == "Azure Artifacts"
        vcs = cred.url.startswith("git+") or (bool(VCS_HOSTS.search(host)) and ".git" in cred.url)
        fix = fixes.url_fix(
            kind, ix.installer if ix else None, ix.name if ix else None, azure, vcs=vcs
        )
        texts = {"FL101": (f"{what}{note}", fix)}
        owners: tuple[str, ...] = ("FL101",)
        if kind in STORE_KINDS:
            owners = ("FL105", "FL101")
            texts["FL105"] = (f"{label(fm)} holds {what}{note}", fixes.store_fix(kind))
        end = span_end(fm, loc, value, until_at=True)
        yield Exposure(
            T_URL if kind not in STORE_KINDS else T_STORE, owners, loc, end, value, texts, commented
        )


# -- credential stores (FL105) and .pypirc (FL103) ---------------------------------------
_EMBEDDED_NAMES = {
    FileKind.NETRC: ".netrc",
    FileKind.GIT_CREDENTIALS: ".git-credentials",
    FileKind.POETRY_CONFIG: "Poetry auth.toml",
    FileKind.PDM_CONFIG: "pdm.toml",
    FileKind.PYPIRC: ".pypirc",
    FileKind.PIP_CONF: "pip.conf",
}


def _holder(fm: FileModel, cred: Credential) -> str:
    """The file that holds ``cred``: the file itself, or the credential file a script or CI
    step writes with a here-document (``cat > ~/.netrc <<EOF``), whose body is the
    credential's ``file_kind``."""
    if cred.file_kind is fm.source.kind:
        return label(fm)
    name = _EMBEDDED_NAMES.get(cred.file_kind, cred.file_kind.value)
    return f"the {name} that {label(fm)} writes"


def store_exposures(fm: FileModel) -> Iterator[Exposure]:
    """Credential stores, and store bodies written inline by a script or CI step (in a
    Dockerfile those are FL104's: the file stays in the image layer)."""
    if fm.source.kind is FileKind.DOCKERFILE:
        return
    for cred in fm.credentials:
        kind = cred.file_kind
        if kind not in STORE_KINDS or cred.kind not in ("netrc", "key-value", "text"):
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
        commented = is_commented(fm, cred.location)
        holder = _holder(fm, cred)
        fix = fixes.store_fix(kind, cred.key)
        if kind is not fm.source.kind:
            fix = fixes.embedded_fix()
        texts = {
            "FL105": (f"{holder} holds {what}{where}", fix),
            "FL102": (
                f"{what}{where} in {holder}",
                fixes.token_fix(kind, token) if token else fix,
            ),
        }
        end = span_end(fm, cred.location, cred.value)
        yield Exposure(
            T_STORE, ("FL105", "FL102"), cred.location, end, cred.value, texts, commented
        )


_PASSWORD_KEY = lazy_compile(r"(?i)(^|[.\s\]])password$")


def pypirc_exposures(fm: FileModel) -> Iterator[Exposure]:
    """``.pypirc`` passwords, also in a ``.pypirc`` a script or CI step writes inline."""
    if fm.source.kind is FileKind.DOCKERFILE:
        return
    for cred in fm.credentials:
        if cred.file_kind is not FileKind.PYPIRC:
            continue
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
        holder = ".pypirc" if fm.source.kind is FileKind.PYPIRC else _holder(fm, cred)
        fix = fixes.twine_fix(pypi)
        if fm.source.kind is not FileKind.PYPIRC:
            fix = fixes.embedded_fix()
        texts = {
            "FL103": (f"plaintext {what} in {holder}{where}", fix),
            "FL102": (
                f"literal {what} in {holder}{where}",
                fixes.token_fix(FileKind.PYPIRC, token) if token else fixes.twine_fix(),
            ),
        }
        end = span_end(fm, cred.location, cred.value)
        yield Exposure(
            T_PYPIRC,
            ("FL103", "FL102"),
            cred.location,
            end,
            cred.value,
            texts,
            is_commented(fm, cred.location),
        )


# -- literals in credential variables and keys (FL102) -----------------------------------
def context_exposures(fm: FileModel, azure: bool) -> Iterator[Exposure]:
    """``azure``: the project uses an Azure Artifacts feed (fix texts then name
    artifacts-keyring)."""
    outer = fm.source.kind
    if outer in STORE_KINDS or outer in (FileKind.PYPIRC, FileKind.DOCKERFILE):
        return
    for cred in fm.credentials:
        if cred.kind not in ("key-value", "text", "netrc"):
            continue
        kind = cred.file_kind  # a pip.conf body a script writes is judged as pip.conf
        if kind in STORE_KINDS or kind is FileKind.PYPIRC:
            continue  # store_exposures / pypirc_exposures
        value = unquote(cred.value)
        if value_state(value) != "literal":
            continue
        loc, value = _focus(cred.location, value)
        if not plausible_secret(value):
            continue
        token = identify(value, context=cred.kind != "text")
        if not token and (not is_feed_secret_key(cred.key, kind) or is_template(fm.path)):
            continue
        if token:
            what = f"{token} {redact(value)}"
            fix = fixes.token_fix(kind, token)
        else:
            noun = "password" if re.search(r"(?i)pass", cred.key) else "secret"
            what = f"literal {noun} {redact(value)}"
            fix = fixes.key_value_fix(kind, cred.key, azure)
        to = f" assigned to `{cred.key}`" if cred.key else ""
        if kind in PACKAGING_CONFIG_KINDS and cred.key:
            to = f" under `{cred.key}`"
            if kind is FileKind.PIP_CONF:
                to += " (a key pip does not read)"
        commented = is_commented(fm, loc)
        note = " on a commented-out line" if commented else ""
        texts = {"FL102": (f"{what}{to}{note}", fix)}
        end = span_end(fm, loc, value)
        yield Exposure(T_CONTEXT, ("FL102",), loc, end, value, texts, commented)


_COMMENTED_ASSIGNMENT = lazy_compile(
    r"""^\s*(?:\#+|(?i:rem)\s|::|//)\s*"""
    r"""(?:(?:export|set|setx|ENV|ARG)\s+|\$env:)?"""
    r"""(?P<key>[A-Za-z_][A-Za-z0-9_]*)(?:\s*[=:]\s*|\s+(?=\S))"""
    r"""(?P<q>["']?)(?P<value>[^\s"'#]+)(?P=q)\s*$"""
)
_COMMENT_KINDS = frozenset({FileKind.SHELL, FileKind.DOTENV, FileKind.CI_YAML, FileKind.DOCKERFILE})


def commented_assignment_exposures(fm: FileModel) -> Iterator[Exposure]:
    """A commented-out assignment of a feed secret (``# export TWINE_PASSWORD=s3cret``,
    ``REM set FEED_PAT=...``, ``#   UV_INDEX_CORP_PASSWORD: s3cret`` in CI YAML): no
    parser reads comments, but the value is as readable as on a live line. Reported as
    a warning, like every commented-out literal."""
    if fm.source.kind not in _COMMENT_KINDS:
        return
    for number, text in enumerate(fm.source.lines, start=1):
        head = text.lstrip()[:4]
        if not head.startswith(("#", "::", "//")) and head[:3].lower() != "rem":
            continue
        m = _COMMENTED_ASSIGNMENT.match(text)
        if not m:
            continue
        key, value = m.group("key"), m.group("value")
        if not is_feed_secret_key(key, fm.source.kind) or is_template(fm.path):
            continue
        if value_state(value) != "literal" or not plausible_secret(value):
            continue
        loc = Location(fm.path, number, m.start("value") + 1)
        if not is_commented(fm, loc):
            continue
        token = identify(value, context=True)
        if token:
            what, fix = f"{token} {redact(value)}", fixes.token_fix(fm.source.kind, token)
        else:
            noun = "password" if re.search(r"(?i)pass", key) else "secret"
            what = f"literal {noun} {redact(value)}"
            fix = fixes.key_value_fix(fm.source.kind, key)
        texts = {"FL102": (f"{what} assigned to `{key}` on a commented-out line", fix)}
        yield Exposure(T_CONTEXT, ("FL102",), loc, loc.column + len(value), value, texts, True)


# -- token formats anywhere (FL102; FL105 in credential stores) --------------------------
_LEGACY_CONTEXT = lazy_compile(
    r"(?i)(?P<key>[A-Za-z_][\w.\-]*)[\"']?\s*(?:=|:=|=>|:)\s*[\"']?(?P<val>[a-z2-7]{52})(?![A-Za-z0-9])"
    r"|(?:--password|--token|-p)(?:=|\s+)[\"']?(?P<opt>[a-z2-7]{52})(?![A-Za-z0-9])"
    r"|(?<![A-Za-z0-9])(?P<opt2>[a-z2-7]{52})[\"']?\s*\|\s*az\s+devops\s+login"
)
_LEGACY_HINT = lazy_compile(r"(?i)pat|token|passw|pwd|secret|auth|cred|-p\b|devops\s+login")


def _article(words: str) -> str:
    return "an" if words[:1].lower() in "aeio" else "a"


def token_exposures(fm: FileModel) -> Iterator[Exposure]:
    kind = fm.source.kind
    owners = ("FL105", "FL102") if kind in STORE_KINDS else ("FL102",)
    for number, text in enumerate(fm.source.lines, start=1):
        found = [(m.kind, m.start, m.text) for m in find_tokens(text)]
        if len(text) >= 52 and _LEGACY_HINT.search(text):
            for m in _LEGACY_CONTEXT.finditer(text):
                group = next(g for g in ("val", "opt", "opt2") if m.group(g))
                if group == "val" and not (
                    is_secret_var(m.group("key")) or PAT_WORD.search(snake_words(m.group("key")))
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
            commented = is_commented(fm, loc)
            note = " on a commented-out line" if commented else ""
            texts = {
                "FL102": (
                    f"{token_kind} {redact(token)} in {label(fm)}{note}",
                    fixes.token_fix(kind, token_kind),
                ),
                "FL105": (
                    f"{label(fm)} holds {_article(token_kind)} {token_kind} ({redact(token)}){note}",
                    fixes.store_fix(kind),
                ),
            }
            yield Exposure(T_TOKENS, owners, loc, start + 1 + len(token), token, texts, commented)
