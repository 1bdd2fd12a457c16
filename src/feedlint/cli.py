"""Command line: ``feedlint [PATH ...]``, ``feedlint rules``, ``feedlint rule CODE``.

``main(argv) -> int`` is a plain function of its arguments (pre-commit-hooks style), so
tests call it directly. Exit codes: 0 nothing at or above ``--fail-on``; 1 findings;
2 usage, configuration or internal error. No traceback ever reaches the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Optional

from feedlint import __version__
from feedlint.lazyre import lazy_compile

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SUBCOMMANDS = ("rules", "rule", "names")
REPORT_URL = "https://github.com/feedlint/feedlint/issues"


_CODE_ARG = lazy_compile(r"^(ALL|FL\d{0,3})$")


def _codes(text: str) -> list[str]:
    codes = [c.strip().upper() for c in text.split(",") if c.strip()]
    for code in codes:
        if not _CODE_ARG.match(code):
            raise argparse.ArgumentTypeError(f"invalid rule code or prefix {code!r}")
    return codes


def _lint_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="feedlint",
        description="Lint Python packaging configuration for private-feed risks. "
        "Subcommands: `feedlint rules`, `feedlint rule CODE`, `feedlint names --update`.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="directories to lint as roots, or files to report on (default: .)",
    )
    p.add_argument("--version", action="version", version=f"feedlint {__version__}")
    p.add_argument(
        "--format",
        default="text",
        choices=("text", "json", "sarif", "github", "azure"),
        help="output format (default: text)",
    )
    p.add_argument(
        "--select",
        type=_codes,
        action="append",
        metavar="CODES",
        help="only these codes or prefixes (comma-separated), replacing the configured set",
    )
    p.add_argument(
        "--extend-select",
        type=_codes,
        action="append",
        default=[],
        metavar="CODES",
        help="codes or prefixes to add to the selection",
    )
    p.add_argument(
        "--ignore",
        type=_codes,
        action="append",
        default=[],
        metavar="CODES",
        help="codes or prefixes to ignore",
    )
    p.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        help="lowest severity that makes the exit code 1 (default: warning)",
    )
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="read configuration from FILE instead of pyproject.toml/.feedlint.toml",
    )
    p.add_argument(
        "--online",
        action="store_true",
        default=None,
        help="allow network access (PyPI name data for FL302/FL303)",
    )
    p.add_argument("--pypi-url", metavar="URL", help="PEP 503/691 index to check names against")
    p.add_argument(
        "--pypi-lookup",
        action="store_true",
        default=None,
        help="with --online: confirm unclaimed private names one by one at the index "
        "(sends those names to it; off by default)",
    )
    p.add_argument(
        "--output-file", "-o", type=Path, metavar="FILE", help="write the report to FILE"
    )
    p.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="report only findings that are not in this baseline (see --write-baseline)",
    )
    p.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="record the current findings in FILE as the baseline and exit 0",
    )
    fixes = p.add_mutually_exclusive_group()
    fixes.add_argument(
        "--show-fixes",
        dest="show_fixes",
        action="store_true",
        default=True,
        help="show a fix hint under each finding (default)",
    )
    fixes.add_argument(
        "--no-fixes", dest="show_fixes", action="store_false", help="do not show fix hints"
    )
    p.add_argument("--quiet", "-q", action="store_true", help="do not print notices")
    return p


def _flatten(groups: Optional[list[list[str]]]) -> Optional[list[str]]:
    if groups is None:
        return None
    return [c for g in groups for c in g]


def _use_color(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _lint(argv: Sequence[str]) -> int:
    args = _lint_parser().parse_args(argv)  # before the heavier imports: fast --help/usage

    from feedlint.baseline import Baseline, BaselineError, load_baseline, write_baseline
    from feedlint.config import ConfigError
    from feedlint.engine import LintOptions, lint
    from feedlint.findings import Severity
    from feedlint.formatters import Report, get_formatter

    baseline: Optional[Baseline] = None
    if args.baseline is not None:
        try:
            baseline = load_baseline(args.baseline)
        except BaselineError as exc:
            print(f"feedlint: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
    options = LintOptions(
        select=_flatten(args.select),
        extend_select=_flatten(args.extend_select) or [],
        ignore=_flatten(args.ignore) or [],
        fail_on=Severity(args.fail_on) if args.fail_on else None,
        online=args.online,
        pypi_url=args.pypi_url,
        config_file=args.config,
        pypi_lookup=args.pypi_lookup,
    )
    try:
        result = lint(args.paths or ["."], options)
    except ConfigError as exc:
        print(f"feedlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        renderer = get_formatter(args.format)
    except ModuleNotFoundError:
        print(f"feedlint: error: --format {args.format} is not available yet", file=sys.stderr)
        return EXIT_ERROR
    if args.write_baseline is not None:
        try:
            written = write_baseline(args.write_baseline, result.findings)
        except BaselineError as exc:
            print(f"feedlint: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        if not args.quiet:
            noun = "finding" if written == 1 else "findings"
            print(
                f"feedlint: notice: wrote {written} {noun} to baseline {args.write_baseline}",
                file=sys.stderr,
            )
    covered = 0
    if baseline is not None:
        for root_result in result.roots:
            root_result.findings, n = baseline.filter(root_result.findings)
            covered += n
    report = Report(
        result.findings,
        [r.root for r in result.roots],
        result.files_checked,
        show_fixes=args.show_fixes,
    )
    if args.output_file:
        try:
            with open(args.output_file, "w", encoding="utf-8") as out:
                renderer(report, out, False)
        except OSError as exc:
            print(
                f"feedlint: error: cannot write {args.output_file}: {exc.strerror}", file=sys.stderr
            )
            return EXIT_ERROR
    else:
        renderer(report, sys.stdout, _use_color(sys.stdout) and args.format == "text")
    if not args.quiet:
        for notice in dict.fromkeys(result.notices):
            print(f"feedlint: notice: {notice}", file=sys.stderr)
        if covered:
            noun = "finding" if covered == 1 else "findings"
            print(
                f"feedlint: notice: {covered} {noun} in the baseline {args.baseline} not reported",
                file=sys.stderr,
            )
    if result.internal_errors:
        for err in result.internal_errors:
            print(
                f"feedlint: internal error: {err}; please report it at {REPORT_URL}",
                file=sys.stderr,
            )
        return EXIT_ERROR
    if args.exit_zero or args.write_baseline is not None:
        return EXIT_CLEAN
    thresholds = {r.root: r.config.fail_on.rank for r in result.roots}
    for root in result.roots:
        if any(f.severity.rank >= thresholds[root.root] for f in root.findings):
            return EXIT_FINDINGS
    return EXIT_CLEAN


def _rules(argv: Sequence[str]) -> int:
    import json

    from feedlint.docs import rules_table

    p = argparse.ArgumentParser(prog="feedlint rules", description="List every rule.")
    p.add_argument("--format", choices=("text", "json"), default="text")
    args = p.parse_args(argv)
    rows = rules_table()
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_CLEAN
    width = max((len(r["name"]) for r in rows), default=10)
    for r in rows:
        print(f"{r['code']}  {r['name']:<{width}}  {r['severity']:<7}  {r['summary']}")
    return EXIT_CLEAN


def _rule(argv: Sequence[str]) -> int:
    from feedlint.docs import render_rule
    from feedlint.registry import get_rule

    p = argparse.ArgumentParser(prog="feedlint rule", description="Show a rule's documentation.")
    p.add_argument("code")
    args = p.parse_args(argv)
    rule = get_rule(args.code)
    if rule is None:
        print(
            f"feedlint: error: unknown rule {args.code!r} (see `feedlint rules`)", file=sys.stderr
        )
        return EXIT_ERROR
    sys.stdout.write(render_rule(rule))
    return EXIT_CLEAN


def _names(argv: Sequence[str]) -> int:
    try:
        from feedlint.pypi import names_command
    except ModuleNotFoundError:
        print("feedlint: error: `feedlint names` is not available yet", file=sys.stderr)
        return EXIT_ERROR
    return names_command(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:  # the start-up path pre-commit users feel: import nothing
        print(f"feedlint {__version__}")
        return EXIT_CLEAN
    try:
        if argv and argv[0] in SUBCOMMANDS:
            command = {"rules": _rules, "rule": _rule, "names": _names}[argv[0]]
            return command(argv[1:])
        return _lint(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) and usage errors (2)
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN
    except Exception as exc:
        print(
            f"feedlint: internal error ({type(exc).__name__}); please report it at {REPORT_URL}",
            file=sys.stderr,
        )
        if os.environ.get("FEEDLINT_DEBUG"):
            raise
        return EXIT_ERROR


def run() -> None:
    """The ``feedlint`` console script: :func:`main`, then a fast exit.

    Interpreter teardown (clearing every module and collecting what the run built) costs
    ~9 ms, a tenth of a pre-commit run, and buys nothing here: every file feedlint writes
    is closed inside :func:`main`, and it registers no ``atexit`` handlers. So the script
    flushes the standard streams and leaves with ``os._exit``. ``python -m feedlint`` keeps
    the ordinary exit, for profilers and coverage that report at exit.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (``feedlint . | head``): not an error
        pass
    except OSError:
        code = EXIT_ERROR
    os._exit(code)
