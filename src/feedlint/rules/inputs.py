"""FL0: input problems. FL001 reports what parsers could not read; FL002 (stale
suppressions) is computed by the engine after filtering and only declared here."""

from __future__ import annotations

from collections.abc import Iterator

from feedlint.findings import Finding, Severity
from feedlint.model import ProjectModel
from feedlint.registry import Rule


class UnparseableFile(Rule):
    """A packaging file that cannot be read or parsed.

    What it detects
    ---------------
    TOML or INI syntax errors, invalid requirement lines, undecodable bytes, binary files,
    files over the size limit, unreadable files and directories named like packaging files.
    The finding points at the offending line; the rest of the tree is still linted.

    Why it is risky
    ---------------
    A file feedlint cannot read is a file it cannot check: a credential or an
    extra index in it goes unseen. Installers may also read it differently from what its
    author intended (pip skips a malformed config file silently).

    How to fix
    ----------
    Fix the syntax at the reported line, save the file as UTF-8 (pip.ini written by
    Windows tools may be UTF-16: feedlint reads that, but other tools may not), or
    exclude a file that is not packaging configuration with `exclude` in `[tool.feedlint]`.

    Example
    -------
    ```toml
    [[tool.poetry.source]]
    name = "feed"
    url = "https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/
    ```
    The URL string is not closed: `pyproject.toml:3:7: FL001 invalid TOML: ...`.
    """

    code = "FL001"
    name = "unparseable-file"
    severity = Severity.ERROR

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for problem in model.problems:
            yield self.finding(
                problem.location,
                problem.message,
                "Fix the file at this line, or exclude it if it is not packaging configuration.",
            )


class UnusedSuppression(Rule):
    """A `feedlint: ignore[...]` comment that suppresses nothing.

    What it detects
    ---------------
    An inline suppression whose codes match no finding on the line it covers (its own
    line, or the next line when the comment stands alone), or that names an unknown code.

    Why it is risky
    ---------------
    Stale suppressions hide the next real problem on that line: if someone later adds a
    token to a line that still carries `# feedlint: ignore`, nobody is told.

    How to fix
    ----------
    Remove the comment, or the codes in it that no longer match a finding.

    Example
    -------
    ```text
    --index-url https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/  # feedlint: ignore[FL201]
    ```
    There is no extra index on this line, so the suppression is unused.
    """

    code = "FL002"
    name = "unused-suppression"
    severity = Severity.ERROR

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        return iter(())  # computed by the engine after suppressions are applied
