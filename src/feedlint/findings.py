"""Findings and severities: what rules produce and formatters print."""

from __future__ import annotations

import enum

from feedlint.model import Location
from feedlint.record import Record, replace

__all__ = ["Finding", "Severity"]


class Severity(str, enum.Enum):
    """Finding severities, most severe first. ``--fail-on`` compares against ``rank``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r} (choose from {choices})") from None


class Finding(Record, frozen=True):
    """One problem at one place.

    ``message`` says what is wrong in one sentence and ``fix`` how to fix it; neither may
    contain a secret (rules redact with :func:`feedlint.redact.redact`, and the engine
    scrubs every known credential value again before formatting). ``fingerprint`` is the
    offending text used by baselines (hashed there, never stored as is); it defaults to
    the stripped source line when empty. The engine replaces it by its sha256 digest
    (:func:`feedlint.baseline.digest`) before formatting, so formatters see only the hash.
    """

    code: str
    name: str
    severity: Severity
    location: Location
    message: str
    fix: str = ""
    fingerprint: str = ""

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code)

    def with_text(self, message: str, fix: str) -> Finding:
        return replace(self, message=message, fix=fix)
