"""Secret redaction: the only way a secret-bearing value may be shown."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

__all__ = ["Scrubber", "redact", "redact_url"]


def redact(secret: str) -> str:
    """Show at most a short prefix and the length: ``ghp_…(40 chars)``.

    The prefix is at most 4 characters and never more than a quarter of the secret.
    """
    keep = min(4, len(secret) // 4)
    return f"{secret[:keep]}…({len(secret)} chars)"


def redact_url(url: str) -> str:
    """A URL with its user-info password (or a token used as user name) redacted."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r"//[^/@\s]*@", "//…@", url)
    if "@" not in parts.netloc:
        return url
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, sep, password = userinfo.partition(":")
    if sep:
        shown = f"{user}:{redact(password)}" if password else f"{user}:"
    else:
        shown = redact(user)
    return urlunsplit(parts._replace(netloc=f"{shown}@{hostport}"))


class Scrubber:
    """Replaces every known secret value in a text by its redacted form.

    Short values (under 8 characters, e.g. ``admin``) are replaced only as whole words so
    that ordinary words in messages survive. Any recognised token format is redacted too,
    even when the model did not hold it as a credential candidate.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        values = sorted({s for s in secrets if len(s) >= 3}, key=len, reverse=True)
        self._map = {v: redact(v) for v in values}
        parts = [re.escape(v) if len(v) >= 8 else rf"(?<!\w){re.escape(v)}(?!\w)" for v in values]
        self._pattern = re.compile("|".join(parts)) if parts else None

    def __call__(self, text: str) -> str:
        if not text:
            return text
        if self._pattern:
            text = self._pattern.sub(lambda m: self._map[m.group(0)], text)
        from feedlint.tokens import redact_token_shapes

        # then anything token-shaped the model did not know as a credential
        return redact_token_shapes(text)
