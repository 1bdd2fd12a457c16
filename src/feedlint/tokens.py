"""Recognised token formats: what a feed or forge credential looks like by shape alone.

Only formats with a fixed, vendor-defined shape are recognised, so a match is a token
and not a guess (no entropy scoring anywhere):

* **Azure DevOps PAT**, the 84-character format (Microsoft's "common annotated security
  key", provider signature ``AZDO``): ``[base62]{52}JQQJ99[base62][A-L][base62]{12}AAAAAZDO
  [base62]{4}``, optionally followed by the long form's ``[base62]{2}==``;
* **legacy Azure DevOps PAT**: 52 characters of lower-case base32 (``[a-z2-7]{52}``). That
  shape is also an ordinary random string, so it is recognised only through
  :func:`identify` with ``context=True``, i.e. when the caller knows the value sits where a
  secret goes (a password, URL user-info, a PAT- or token-named variable);
* **PyPI / TestPyPI API tokens**: ``pypi-`` + a base64url macaroon whose location caveat
  starts ``AgEIcHlwaS5vcmc`` (``pypi.org``) or ``AgENdGVzdC5weXBpLm9yZw`` (``test.pypi.org``);
* **GitHub**: ``ghp_``/``gho_``/``ghu_``/``ghs_``/``ghr_`` + 36 base62, ``github_pat_`` + 82;
* **GitLab**: ``glpat-`` + 20 or more (incl. the routable ``….xx0000000`` form), and the other
  ``gl*-`` prefixes: deploy ``gldt-``, feed ``glft-``, runner ``glrt-``, CI job ``glcbt-``,
  trigger ``glptt-``, SCIM ``glsoat-``, OAuth ``gloas-``, agent ``glagent-``,
  incoming-mail ``glimt-``, feature-flag ``glffct-``;
* **JFrog**: API keys ``AKCp`` + 69 base62, reference tokens ``cmVmdGtu`` (base64 of
  ``reftkn``) + 56 base62, access tokens: JWTs whose header starts
  ``{"ver":"2","typ":"JWT"`` (base64url ``eyJ2ZXIiOiIyIiwidHlwIjoiSldUI``);
* **AWS CodeArtifact** authorization tokens: a JWE whose protected header starts
  ``{"ver":1,"isu":`` (base64url ``eyJ2ZXIiOjEsImlzdSI6``), with its four dot-separated parts.

The shapes follow the vendors' published formats as implemented by gitleaks, detect-secrets
and Microsoft's security-utilities. Obvious documentation dummies (``ghp_xxxx…``,
``glpat-XXXXXXXXXXXXXXXXXXXX``, ``ghp_1234567890abcdef…``) are not tokens.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Optional

from feedlint.lazyre import lazy_compile
from feedlint.record import Record

__all__ = [
    "TokenMatch",
    "find_tokens",
    "identify",
    "is_legacy_ado_pat",
    "looks_dummy",
    "redact_token_shapes",
]

_B62 = "A-Za-z0-9"


class TokenMatch(Record, frozen=True):
    """A recognised token in a text: ``kind`` names it (``GitHub personal access token``),
    ``start``/``end`` are offsets into the searched text."""

    kind: str
    start: int
    end: int
    text: str


# (kind, pattern). Each pattern matches the whole token; boundaries are added below.
_FORMATS: tuple[tuple[str, str], ...] = (
    (
        "Azure DevOps personal access token",
        rf"[{_B62}]{{52}}JQQJ99[{_B62}][A-L][{_B62}]{{12}}AAAAAZDO[{_B62}]{{4}}(?:[{_B62}]{{2}}==)?",
    ),
    ("PyPI API token", r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"),
    ("TestPyPI API token", r"pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_-]{50,}"),
    ("GitHub personal access token", rf"ghp_[{_B62}]{{36}}"),
    ("GitHub OAuth token", rf"gho_[{_B62}]{{36}}"),
    ("GitHub user-to-server token", rf"ghu_[{_B62}]{{36}}"),
    ("GitHub server-to-server token", rf"ghs_[{_B62}]{{36}}"),
    ("GitHub refresh token", rf"ghr_[{_B62}]{{36}}"),
    ("GitHub fine-grained personal access token", r"github_pat_[A-Za-z0-9_]{82}"),
    (
        "GitLab personal access token",
        r"glpat-[A-Za-z0-9_-]{20,}(?:\.[0-9a-z]{2}[0-9a-z]{7})?",
    ),
    ("GitLab deploy token", r"gldt-[A-Za-z0-9_-]{20,}"),
    ("GitLab feed token", r"glft-[A-Za-z0-9_-]{20,}"),
    ("GitLab runner token", r"glrt-[A-Za-z0-9_-]{20,}(?:\.[0-9a-z]{2}[0-9a-z]{7})?"),
    ("GitLab CI job token", r"glcbt-[A-Za-z0-9]{1,5}_[A-Za-z0-9_-]{20,}"),
    ("GitLab pipeline trigger token", r"glptt-[0-9a-f]{40}"),
    ("GitLab SCIM token", r"glsoat-[A-Za-z0-9_-]{20,}"),
    ("GitLab OAuth application secret", r"gloas-[A-Za-z0-9_-]{64}"),
    ("GitLab agent token", r"glagent-[A-Za-z0-9_-]{50,}"),
    ("GitLab incoming-mail token", r"glimt-[A-Za-z0-9_-]{25}"),
    ("GitLab feature-flag client token", r"glffct-[A-Za-z0-9_-]{20,}"),
    ("JFrog API key", rf"AKCp[{_B62}]{{69}}"),
    ("JFrog reference token", rf"cmVmdGtu[{_B62}]{{56}}"),
    (
        "JFrog access token",
        r"eyJ2ZXIiOiIyIiwidHlwIjoiSldUI[A-Za-z0-9_-]{20,}\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}",
    ),
    (
        "AWS CodeArtifact authorization token",
        r"eyJ2ZXIiOjEsImlzdSI6[A-Za-z0-9_-]{20,}(?:\.[A-Za-z0-9_-]{8,}){3,4}",
    ),
)

# A token must not continue a longer word on either side ('-' and '_' are word characters
# in most of these alphabets).
_LEFT = r"(?<![A-Za-z0-9_\-])"
_RIGHT = r"(?![A-Za-z0-9_\-])"


@cache
def _compiled(full: bool) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The formats compiled for searching (``full=False``, with boundaries) or for
    :meth:`~re.Pattern.fullmatch`; compiled on first need, behind the :data:`_ANCHORS`
    pre-filter (most files hold no token, and the compile costs a few milliseconds)."""
    if full:
        return tuple((kind, re.compile(pattern)) for kind, pattern in _FORMATS)
    return tuple((kind, re.compile(_LEFT + pattern + _RIGHT)) for kind, pattern in _FORMATS)


# Cheap pre-filter: every format contains one of these literals.
_ANCHORS = lazy_compile(
    r"JQQJ99|pypi-AgE|gh[pousr]_|github_pat_|gl(?:pat|dt|ft|rt|cbt|ptt|soat|oas|agent|imt|ffct)-"
    r"|AKCp|cmVmdGtu|eyJ2ZXIiOjEsImlzdSI6|eyJ2ZXIiOiIyIiwidHlwIjoiSldUI"
)
_PREFIX = lazy_compile(
    r"^(?:pypi-AgEIcHlwaS5vcmc|pypi-AgENdGVzdC5weXBpLm9yZw|gh[pousr]_|github_pat_|gl[a-z]+-|AKCp|cmVmdGtu)"
)

_LEGACY_ADO = lazy_compile(r"^[a-z2-7]{52}$")
KIND_LEGACY_ADO = "legacy Azure DevOps personal access token"


def _random_part(text: str) -> str:
    """The part of a token that its issuer fills with random characters."""
    if "JQQJ99" in text:  # ADO: the 52 leading characters; the rest is fixed or zero-filled
        return text[:52]
    if text.startswith("eyJ2ZXIiOjEsImlzdSI6"):  # CodeArtifact JWE: the ciphertext
        return max(text.split(".")[1:] or [text], key=len)
    if text.startswith("eyJ2ZXIiOiIyIiwidHlwIjoiSldUI"):  # JFrog JWT: the signature
        return text.rsplit(".", 1)[-1]
    return _PREFIX.sub("", text)


def looks_dummy(text: str) -> bool:
    """Whether a token-shaped string is an obvious documentation dummy: a long run of one
    character (``xxxx``), few distinct characters, or an ascending run such as
    ``abcdefgh``/``12345678``."""
    body = _random_part(text)
    if len(set(body.lower())) < 8:
        return True
    if re.search(r"(.)\1{5,}", body):
        return True
    if re.search(r"(?i)x{4,}|example|sample|dummy|redacted|your", body):
        return True
    run = 1
    for a, b in zip(body, body[1:]):
        run = run + 1 if ord(b) == ord(a) + 1 else 1
        if run >= 6:
            return True
    return False


def find_tokens(text: str) -> list[TokenMatch]:
    """Every recognised token in ``text`` (legacy ADO PATs excluded: they need context)."""
    if not _ANCHORS.search(text):
        return []
    out: list[TokenMatch] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _compiled(False):
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if looks_dummy(m.group(0)):
                continue
            taken.append((m.start(), m.end()))
            out.append(TokenMatch(kind, m.start(), m.end(), m.group(0)))
    return sorted(out, key=lambda t: t.start)


def is_legacy_ado_pat(value: str) -> bool:
    """The 52-character base32 shape of a legacy Azure DevOps PAT (with at least one digit
    and one letter, and not a dummy). Only meaningful where a secret is expected."""
    v = value.strip()
    return (
        bool(_LEGACY_ADO.match(v))
        and any(c.isdigit() for c in v)
        and any(c.isalpha() for c in v)
        and not looks_dummy(v)
    )


def identify(value: str, context: bool = False) -> Optional[str]:
    """The token kind when the whole ``value`` is a recognised token, else ``None``.

    ``context=True`` says the value sits where a secret goes (a password, URL user-info, a
    PAT/token-named variable): only then is the legacy 52-character ADO PAT recognised.
    """
    v = value.strip()
    if _ANCHORS.search(v):
        for kind, pattern in _compiled(True):
            if pattern.fullmatch(v) and not looks_dummy(v):
                return kind
    if context and is_legacy_ado_pat(v):
        return KIND_LEGACY_ADO
    return None


# compiled on first use (behind the anchor pre-filter)
_LOOSE = lazy_compile("|".join(f"(?:{pattern})" for _, pattern in _FORMATS))


def redact_token_shapes(text: str) -> str:
    """``text`` with every token-shaped run redacted, with no word-boundary checks and no
    dummy exemption: the last safety net for messages, which must never show a token even
    when it is glued to other text (``ARG ghp_…password``)."""
    if not _ANCHORS.search(text):
        return text
    from feedlint.redact import redact

    return _LOOSE.sub(lambda m: redact(m.group(0)), text)
