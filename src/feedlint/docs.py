"""Rule documentation rendered from the registry: ``feedlint rule``, ``feedlint rules``
and the repository's ``rules.md`` (a test fails when that file is stale; regenerate it
with ``python -m feedlint.docs > rules.md``)."""

from __future__ import annotations

import sys

from feedlint.registry import Rule, all_rules

__all__ = ["render_markdown", "render_rule", "rules_table"]


def rules_table() -> list[dict[str, str]]:
    return [
        {"code": r.code, "name": r.name, "severity": r.severity.value, "summary": r.summary()}
        for r in all_rules()
    ]


def render_rule(rule: type[Rule]) -> str:
    """The full documentation of one rule, as plain text (Markdown-ish)."""
    out = [f"{rule.code} {rule.name} ({rule.severity.value})", "", rule.summary(), ""]
    for title, body in rule.sections().items():
        out += [f"## {title}", body, ""]
    return "\n".join(out).rstrip() + "\n"


def render_markdown() -> str:
    lines = [
        "# feedlint rules",
        "",
        "<!-- Generated from the rule registry by `python -m feedlint.docs > rules.md`; do not edit. -->",
        "",
        "| code | name | severity | summary |",
        "|---|---|---|---|",
    ]
    for row in rules_table():
        lines.append(
            f"| [{row['code']}](#{row['code'].lower()}) | {row['name']} | {row['severity']} | {row['summary']} |"
        )
    lines.append("")
    for rule in all_rules():
        lines += [
            f"## {rule.code}",
            "",
            f"**{rule.name}** · default severity: {rule.severity.value}",
            "",
            rule.summary(),
            "",
        ]
        for title, body in rule.sections().items():
            lines += [f"### {title}", "", body, ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(render_markdown())
