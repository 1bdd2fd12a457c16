"""SARIF 2.1.0, for GitHub code scanning (``github/codeql-action/upload-sarif``), Azure
DevOps' SARIF viewers and editors.

One run. ``tool.driver.rules`` lists every registered rule, rendered from the registry
(summary, documentation sections, default level); each result points at its rule by
``ruleId`` and ``ruleIndex``, carries the finding's level and a physical location whose
URI is relative to the linted root (``uriBaseId`` ``%SRCROOT%``: run feedlint on the
repository root for code scanning to map it), and the baseline fingerprint as
``partialFingerprints`` so code scanning tracks a finding across line shifts. Columns are
counted in Unicode code points, as feedlint counts them.
"""

from __future__ import annotations

import json
from typing import IO, Any
from urllib.parse import quote

from feedlint import __version__
from feedlint.baseline import finding_key
from feedlint.findings import Finding, Severity
from feedlint.formatters import Report, message_with_fix
from feedlint.registry import Rule, all_rules

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/feedlint/feedlint"
RULES_URI = "https://github.com/feedlint/feedlint/blob/main/rules.md"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "feedlintFingerprint/v1"

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: GitHub's ``security-severity`` (0-10) for the security families, by default severity.
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "2.0"}
FAMILY_TAGS = {
    "FL0": ["input"],
    "FL1": ["security", "credentials"],
    "FL2": ["security", "supply-chain", "index-configuration"],
    "FL3": ["security", "supply-chain", "dependency-confusion"],
    "FL4": ["security", "supply-chain", "lock-consistency"],
}


def _unwrap(text: str) -> str:
    """Join the hard-wrapped lines of each paragraph (code blocks are left alone)."""
    paragraphs = text.strip().split("\n\n")
    return "\n\n".join(
        p if "```" in p else " ".join(line.strip() for line in p.splitlines()) for p in paragraphs
    )


def _help_markdown(rule: type[Rule]) -> str:
    parts = [rule.summary()]
    for title, body in rule.sections().items():
        parts.append(f"### {title}\n\n{body}")
    return "\n\n".join(parts) + "\n"


def _help_text(rule: type[Rule]) -> str:
    parts = [rule.summary()]
    for title, body in rule.sections().items():
        parts.append(f"{title}\n{body}")
    return "\n\n".join(parts) + "\n"


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    """A SARIF ``reportingDescriptor`` for a registered rule."""
    sections = rule.sections()
    tags = FAMILY_TAGS.get(rule.code[:3], [])
    properties: dict[str, Any] = {"tags": list(tags)}
    if "security" in tags:
        properties["security-severity"] = SECURITY_SEVERITY[rule.severity]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": _unwrap(sections.get("What it detects") or rule.summary())},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "helpUri": f"{RULES_URI}#{rule.code.lower()}",
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": properties,
    }


def _result(finding: Finding, rule_index: int, show_fixes: bool) -> dict[str, Any]:
    loc = finding.location
    _, _, fingerprint = finding_key(finding)
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVEL[finding.severity],
        "message": {"text": message_with_fix(finding, show_fixes)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(loc.path, safe="/"), "uriBaseId": SRCROOT},
                    "region": {"startLine": loc.line, "startColumn": loc.column},
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }


def build(report: Report) -> dict[str, Any]:
    """The SARIF log of a report, as a JSON-ready dict."""
    rules = all_rules()
    descriptors = [rule_descriptor(r) for r in rules]
    index = {r.code: i for i, r in enumerate(rules)}
    for f in report.findings:  # a code the registry does not know (not expected)
        if f.code not in index:
            index[f.code] = len(descriptors)
            descriptors.append(
                {"id": f.code, "name": f.name, "shortDescription": {"text": f.name or f.code}}
            )
    results = [_result(f, index[f.code], report.show_fixes) for f in report.findings]
    run = {
        "tool": {
            "driver": {
                "name": "feedlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, stream: IO[str], color: bool = False) -> None:
    json.dump(build(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
