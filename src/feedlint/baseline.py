"""Baselines for gradual adoption: ``--write-baseline FILE`` and ``--baseline FILE``.

A baseline records the findings a tree has today so that only new ones are reported.
Each finding is keyed by its code, its root-relative path and a *fingerprint*: the sha256
of (code, path, offending text). The offending text is what the rule gave as
``Finding.fingerprint`` or, when it gave nothing, the stripped source line of the finding;
whitespace runs are collapsed and every credential value the model knows is redacted
before hashing. The engine computes the digest when it filters findings and stores it in
``Finding.fingerprint``, so formatters (SARIF's ``partialFingerprints``) see only the hash. Line
numbers are not part of the key, so inserting or deleting unrelated lines does not churn
the baseline; editing the offending line itself makes the finding new again.

The file holds only the hashes, never the text, and a count per key, so three identical
findings on three lines are three baselined occurrences and a fourth one is reported::

    {
      "version": 1,
      "findings": [
        {"code": "FL201", "path": "requirements.txt", "fingerprint": "<sha256 hex>", "count": 1}
      ]
    }
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from feedlint.findings import Finding
from feedlint.lazyre import lazy_compile
from feedlint.record import Record, field

__all__ = [
    "VERSION",
    "Baseline",
    "BaselineError",
    "digest",
    "finding_key",
    "load_baseline",
    "normalise",
    "write_baseline",
]

VERSION = 1
_HEX64 = lazy_compile(r"^[0-9a-f]{64}$")
_CODE = lazy_compile(r"^FL\d{3}$")

Key = tuple[str, str, str]  # (code, path, fingerprint)


class BaselineError(Exception):
    """An unreadable or invalid baseline file: exit code 2 with this message."""


def normalise(text: str) -> str:
    """The offending text as hashed: surrounding whitespace stripped, inner runs collapsed
    (re-indenting or re-aligning a line does not make its finding new)."""
    return " ".join(text.split())


def digest(code: str, path: str, text: str) -> str:
    """The fingerprint of a finding: sha256 hex of code, path and normalised text."""
    import hashlib  # here, not at the top: OpenSSL's start-up is 2 ms of a clean run

    payload = "\x00".join((code, path, normalise(text)))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def finding_key(finding: Finding) -> Key:
    """The baseline key of a finding that went through the engine (whose ``fingerprint``
    is already the digest). A finding built elsewhere with raw offending text is hashed
    here, so neither a baseline nor a report ever carries that text."""
    fp = finding.fingerprint
    if not _HEX64.match(fp):
        fp = digest(finding.code, finding.location.path, fp)
    return (finding.code, finding.location.path, fp)


class Baseline(Record):
    """Baselined occurrences per key. :meth:`filter` consumes them, so one baseline
    shared across several roots (or calls) suppresses each occurrence only once."""

    counts: Counter[Key] = field(default_factory=Counter)

    @classmethod
    def from_findings(cls, findings: Iterable[Finding]) -> Baseline:
        return cls(Counter(finding_key(f) for f in findings))

    def filter(self, findings: Iterable[Finding]) -> tuple[list[Finding], int]:
        """The findings not covered by the baseline, and how many were covered."""
        kept: list[Finding] = []
        covered = 0
        for f in findings:
            key = finding_key(f)
            if self.counts[key] > 0:
                self.counts[key] -= 1
                covered += 1
            else:
                kept.append(f)
        return kept, covered

    def to_json(self) -> dict[str, Any]:
        entries = [
            {"code": code, "path": path, "fingerprint": fp, "count": n}
            for (code, path, fp), n in sorted(self.counts.items(), key=lambda kv: _order(kv[0]))
            if n > 0
        ]
        return {"version": VERSION, "findings": entries}


def _order(key: Key) -> tuple[str, str, str]:
    code, path, fp = key
    return (path, code, fp)


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Write the baseline of ``findings`` to ``path``; return the number of findings.

    Raises :class:`BaselineError` when the file cannot be written.
    """
    import json  # baseline runs only; the engine imports this module for digest()

    baseline = Baseline.from_findings(findings)
    text = json.dumps(baseline.to_json(), indent=2, ensure_ascii=False) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return sum(baseline.counts.values())


def load_baseline(path: Path) -> Baseline:
    """Read and validate a baseline file. Raises :class:`BaselineError` naming the problem."""
    import json

    where = f"baseline {path}"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BaselineError(f"cannot read {where}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BaselineError(f"{where} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"{where} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(data, dict):
        raise BaselineError(f"{where} must be a JSON object with `version` and `findings`")
    version = data.get("version")
    if type(version) is not int:
        raise BaselineError(f"{where} has no integer `version` (expected {VERSION})")
    if version != VERSION:
        raise BaselineError(
            f"{where} has unsupported version {version} (this feedlint reads version {VERSION})"
        )
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{where}: `findings` must be a list")
    counts: Counter[Key] = Counter()
    for i, entry in enumerate(entries):
        counts[_entry(where, i, entry)] += _count(where, i, entry)
    return Baseline(counts)


def _entry(where: str, i: int, entry: Any) -> Key:
    item = f"{where}: findings[{i}]"
    if not isinstance(entry, dict):
        raise BaselineError(f"{item} must be an object")
    code, path, fp = entry.get("code"), entry.get("path"), entry.get("fingerprint")
    if not isinstance(code, str) or not _CODE.match(code):
        raise BaselineError(f"{item}.code must be a rule code like FL201")
    if not isinstance(path, str) or not path:
        raise BaselineError(f"{item}.path must be a non-empty string")
    if not isinstance(fp, str) or not _HEX64.match(fp):
        raise BaselineError(f"{item}.fingerprint must be a sha256 hex digest")
    return (code, path, fp)


def _count(where: str, i: int, entry: dict[str, Any]) -> int:
    count = entry.get("count", 1)
    if type(count) is not int or count < 1:
        raise BaselineError(f"{where}: findings[{i}].count must be a positive integer")
    return count
