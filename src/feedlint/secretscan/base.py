"""The shared vocabulary of the credential analysis: :class:`Exposure`, tiers, and
where a secret sits in its file (span, comment)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Optional

from feedlint.findings import Severity
from feedlint.model import FileKind, FileModel, Location
from feedlint.record import Record

STORE_KINDS = frozenset(
    {FileKind.NETRC, FileKind.GIT_CREDENTIALS, FileKind.POETRY_CONFIG, FileKind.PDM_CONFIG}
)
_CACHE_KEY = "credential-exposures"

# resolution tiers (lower first)
T_STORE, T_PYPIRC, T_URL, T_DOCKER, T_CONTEXT, T_TOKENS = range(6)


class Exposure(Record, frozen=True):
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


class Resolved(Record, frozen=True):
    """An exposure assigned to one code."""

    code: str
    location: Location
    message: str
    fix: str
    severity: Optional[Severity]
    fingerprint: str


# -- positions ---------------------------------------------------------------------------
def is_commented(fm: FileModel, loc: Location) -> bool:
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


def span_end(fm: FileModel, loc: Location, value: str, until_at: bool = False) -> int:
    line = fm.source.line(loc.line)
    if until_at:
        at = line.find("@", loc.column - 1)
        if at != -1:
            return at + 1
    return loc.column + max(1, len(value))


def eol(fm: FileModel, loc: Location) -> int:
    return max(loc.column + 1, len(fm.source.line(loc.line)) + 1)


def fingerprint(secret: str) -> str:
    import hashlib  # only when a secret was found (OpenSSL's start-up is 2 ms)

    return "sha256:" + hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()[:32]


def label(fm: FileModel) -> str:
    return PurePosixPath(fm.path).name
