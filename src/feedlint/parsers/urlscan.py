"""A scan every file gets: URLs carrying user-info (``scheme://user:secret@host``,
``scheme://TOKEN@host``) become :class:`~feedlint.model.Credential` candidates.

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

__all__ = ["scan_url_credentials"]

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


def scan_url_credentials(source: SourceFile) -> list[Credential]:
    """Every user-info-bearing URL in ``source`` as ``url-password`` / ``url-user``
    candidates located at the secret's first character."""
    out: list[Credential] = []
    for number, text in enumerate(source.lines, start=1):
        if "@" not in text or "://" not in text:
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
