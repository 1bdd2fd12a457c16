"""A scan every file gets: URLs carrying user-info (``scheme://user:secret@host``,
``scheme://TOKEN@host``) become :class:`~feedlint.model.Credential` candidates, and so do
the two other places a URL carries a feed credential:

* ``url-path``: Gemfury's token-in-path form, ``https://pypi.fury.io/TOKEN/ACCOUNT/`` (also
  ``repo.fury.io``, the ``GEMFURY_URL`` Heroku hands out). Only a first path segment shaped
  like a token (12+ characters with an upper-case letter and a digit; Gemfury account
  names are lower case) is a candidate, so ``https://pypi.fury.io/acme/pkg/`` is not;
* ``url-path`` also: an anaconda.org / Anaconda repository token,
  ``https://conda.anaconda.org/t/TOKEN/CHANNEL`` (``repo.anaconda.cloud/t/TOKEN/...``),
  the form conda channel URLs carry it in (any non-empty segment after ``/t/``);
* ``url-query``: a secret query parameter, ``?token=...``, ``private_token``,
  ``access_token``, ``password`` ..., and the ``sig`` of an Azure SAS URL (``sv=`` beside
  it), as in a ``raw.githubusercontent.com/...?token=`` requirements include or a wheel
  URL into a blob container.

The model builder runs this over every file, so individual parsers do not extract
credentials from URLs themselves (they add only context credentials such as
``password = ...`` keys). Whether a candidate is a literal secret, a placeholder or an
environment reference is for the rules to decide.
"""

from __future__ import annotations

import re

from feedlint.lazyre import lazy_compile
from feedlint.model import Credential, Location, SourceFile
from feedlint.urls import split_url

__all__ = ["plain_user_name", "scan_url_credentials"]

# A URL with an '@' in its authority. The user-info may hold template syntax
# (${VAR}, $(VAR), {{ x }}, ${{ secrets.X }}) including spaces inside braces.
_URL_WITH_USERINFO = lazy_compile(
    r"""(?P<url>
        (?:https?|ftp|git\+https?|git\+ssh|ssh|s3|gs)://
        (?P<userinfo>(?:\$\{\{[^}]*\}\}|\{\{[^}]*\}\}|\$\{[^}\s]*\}|\$\([^)\s]*\)|[^\s/@"'`<>{}])+
           (?:@[^\s/@"'`<>]+(?=@))?)            # 'user@corp.com:${TOKEN}@host' (two '@')
        @
        [A-Za-z0-9.\-\[\]:_$%{}()]+              # host[:port] (may be templated too)
        [^\s"'`<>]*
    )""",
    re.VERBOSE,
)


_FURY_PATH = lazy_compile(
    r"(?i)\bhttps?://(?P<host>(?:[a-z0-9-]+\.)?fury\.io)/(?P<token>[A-Za-z0-9_\-]{12,})/[A-Za-z0-9]"
)
_ANACONDA_PATH = lazy_compile(
    r"(?i)\bhttps?://(?P<host>(?:[a-z0-9-]+\.)*anaconda\.(?:org|cloud|com))(?::\d+)?"
    r"/t/(?P<token>[^/\s\"'`<>]+)/"
)
_SECRET_QUERY = lazy_compile(
    r"[?&](?P<key>(?i:token|access_token|private_token|auth_token|job_token|api_key|apikey"
    r"|password|passwd|secret|sig))=(?P<value>[^\s&#\"'`<>]+)"
)
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "[::1]"})
_URL = lazy_compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s\"'`<>]+")


def _path_and_query(source: SourceFile, number: int, text: str) -> list[Credential]:
    out: list[Credential] = []
    for m in _FURY_PATH.finditer(text):
        token = m.group("token")
        if any(c.isupper() for c in token) and any(c.isdigit() for c in token):
            url = _URL.match(text, m.start())
            out.append(
                Credential(
                    token,
                    "url-path",
                    Location(source.path, number, m.start("token") + 1),
                    source.kind,
                    host=m.group("host").lower(),
                    url=url.group(0) if url else "",
                )
            )
    for m in _ANACONDA_PATH.finditer(text) if "anaconda." in text.lower() else ():
        url = _URL.match(text, m.start())
        out.append(
            Credential(
                m.group("token"),
                "url-path",
                Location(source.path, number, m.start("token") + 1),
                source.kind,
                host=m.group("host").lower(),
                url=url.group(0) if url else "",
            )
        )
    if "?" in text and "=" in text:
        for u in _URL.finditer(text):
            url = u.group(0)
            for q in _SECRET_QUERY.finditer(url):
                key = q.group("key")
                if key.lower() == "sig" and not re.search(r"[?&]sv=", url):
                    continue  # only an Azure SAS signature
                parts = split_url(url)
                if parts is not None and parts.host in _LOCAL_HOSTS:
                    continue  # a Jupyter or dev-server link with a per-run token
                out.append(
                    Credential(
                        q.group("value"),
                        "url-query",
                        Location(source.path, number, u.start() + q.start("value") + 1),
                        source.kind,
                        key=key,
                        host=parts.host if parts else "",
                        url=url,
                    )
                )
    return out


def scan_url_credentials(source: SourceFile) -> list[Credential]:
    """Every user-info-bearing URL in ``source`` as ``url-password`` / ``url-user``
    candidates located at the secret's first character, plus the ``url-path`` and
    ``url-query`` candidates of the module docstring."""
    out: list[Credential] = []
    for number, text in enumerate(source.lines, start=1):
        if "://" not in text:
            continue
        if "fury.io/" in text or "?" in text or "/t/" in text:
            out.extend(_path_and_query(source, number, text))
        if "@" not in text:
            continue
        for match in _URL_WITH_USERINFO.finditer(text):
            url = match.group("url").rstrip(".,;)]}")
            parts = split_url(url)
            if parts is None or parts.user is None:
                continue
            start = match.start("url")
            if parts.password:
                out.append(
                    Credential(
                        parts.password,
                        "url-password",
                        Location(source.path, number, start + parts.password_start + 1),
                        source.kind,
                        key=parts.user,
                        host=parts.host,
                        url=url,
                    )
                )
            elif parts.password == "" or (parts.user and not parts.user.startswith("git")):
                # 'https://TOKEN@host' and 'https://TOKEN:@host' (Gemfury style): the user
                # name is the secret. 'git@github.com' is not.
                out.append(
                    Credential(
                        parts.user,
                        "url-user",
                        Location(source.path, number, start + parts.userinfo_start + 1),
                        source.kind,
                        host=parts.host,
                        url=url,
                    )
                )
    return out


def plain_user_name(cred: Credential) -> bool:
    """Whether a ``url-user`` candidate is plainly a name, not a token: it names the
    account again in the URL (Azure DevOps clone URLs are
    ``https://ORG@dev.azure.com/ORG/project/_git/repo``; ``https://ORG@ORG.visualstudio.com``),
    or it is a short word with no digit (``contoso``, ``build``)."""
    if cred.kind != "url-user":
        return False
    user = cred.value.lower()
    if len(user) < 16 and not any(c.isdigit() for c in user):
        return True
    parts = split_url(cred.url) if cred.url else None
    if parts is None:
        return False
    words = re.split(r"[/.]", f"{parts.host}/{parts.path}".lower())
    return user in words
