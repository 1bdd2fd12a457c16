"""The lint run: discover -> parse -> model -> rules -> filter -> (formatters).

:func:`lint` is the whole pipeline for a list of paths; :func:`build_model` is the part
before the rules (used by tests and the benchmark too).
"""

from __future__ import annotations

import importlib
import os
import posixpath
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Callable, Optional

from feedlint.baseline import digest
from feedlint.config import Config, ConfigError, load_config
from feedlint.discover import discover, excluded, find_root, relative_to_root
from feedlint.findings import Finding, Severity
from feedlint.kinds import classify
from feedlint.model import FileKind, FileModel, ProjectModel
from feedlint.pairing import normalize_relpath
from feedlint.parsers import parse_file
from feedlint.parsers.urlscan import scan_url_credentials
from feedlint.record import Record, field, replace
from feedlint.redact import Scrubber
from feedlint.registry import Rule, all_rules, get_rule
from feedlint.selection import Selector
from feedlint.suppression import Suppression, find_suppressions
from feedlint.textio import is_within, read_source
from feedlint.urls import is_env_reference, is_placeholder

__all__ = ["LintOptions", "LintResult", "RootResult", "build_model", "lint"]

#: Hard cap on files read through ``-r``/``-c`` include chains (beyond discovery).
MAX_INCLUDED_FILES = 10_000

#: model extras a rule may declare in ``Rule.needs`` -> "module:function" preparing them.
#: A preparer is called as ``prepare(model, options) -> list[str]`` (notices).
PREPARERS: dict[str, str] = {
    "pypi-names": "feedlint.pypi:prepare",
}


class LintOptions(Record):
    """What the command line (or a test) asks for. ``None`` means: use the configuration."""

    select: Optional[list[str]] = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: Optional[Severity] = None
    online: Optional[bool] = None
    pypi_url: Optional[str] = None
    config_file: Optional[Path] = None
    #: per-name PyPI look-ups (opt-in, sends private names to pypi-url); None: configuration
    pypi_lookup: Optional[bool] = None


class RootResult(Record):
    root: Path
    config: Config
    findings: list[Finding]
    files_checked: int
    notices: list[str] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)


class LintResult(Record):
    roots: list[RootResult]

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.roots for f in r.findings]

    @property
    def notices(self) -> list[str]:
        return [n for r in self.roots for n in r.notices]

    @property
    def internal_errors(self) -> list[str]:
        return [e for r in self.roots for e in r.internal_errors]

    @property
    def files_checked(self) -> int:
        return sum(r.files_checked for r in self.roots)


# -- model building -------------------------------------------------------------
def _parse(root: Path, relpath: str, kind: FileKind) -> FileModel:
    source, problems = read_source(root, relpath, kind)
    fm = parse_file(source) if source.lines else FileModel(source)
    if problems:  # one finding per bad line: a decoding problem explains the parse error
        decoded_badly = {p.location.line for p in problems}
        fm.problems = [p for p in fm.problems if p.location.line not in decoded_badly]
    fm.problems[:0] = problems
    # every file is scanned for user-info URLs; parsers add only context credentials
    seen = {(c.location, c.value) for c in fm.credentials}
    fm.credentials.extend(
        c for c in scan_url_credentials(source) if (c.location, c.value) not in seen
    )
    return fm


def build_model(
    root: Path, config: Optional[Config] = None, extra: Iterable[str] = ()
) -> ProjectModel:
    """Parse every packaging file under ``root`` (plus ``extra`` root-relative paths, read
    whatever their name) and follow requirements includes."""
    root = root.resolve()
    config = config or load_config(root)
    found = discover(root, config.exclude)
    model = ProjectModel(root=root, config=config)
    model.extras["notices"] = list(found.notices)
    files = dict(found.files)
    for rel in extra:  # files named on the command line, even if excluded or ignored
        kind = classify(rel) or (FileKind.REQUIREMENTS if rel.endswith((".txt", ".in")) else None)
        if rel not in files and kind is not None and (root / rel).is_file():
            files[rel] = kind
    for named in config.exports:  # exported requirements files named in [tool.feedlint]
        rel = normalize_relpath(named)
        full = root / rel
        if rel not in files and full.is_file() and is_within(root, full):
            files[rel] = FileKind.REQUIREMENTS
    for rel, kind in sorted(files.items()):
        model.files[rel] = _parse(root, rel, kind)
    _follow_includes(model)
    return model


def _command_requirement_files(model: ProjectModel) -> list[str]:
    """Files that ``pip install -r X`` / ``-c X`` on a command line (Dockerfile, CI,
    script, tox) names, resolved against the naming file's directory, then the root:
    they are requirements files whatever their name (``deps/private.txt``)."""
    out: list[str] = []
    for fm in list(model.files.values()):
        named = fm.facts.get("requirement-files")
        if not isinstance(named, list):
            continue
        base = posixpath.dirname(fm.path)
        for raw in named:
            text = str(raw).strip()
            if not text or "://" in text or re.search(r"[$%{}*?<>`]", text) or text[:1] in "/~\\":
                continue
            for candidate in (posixpath.join(base, text), text):
                rel = posixpath.normpath(candidate)
                full = model.root / rel
                if rel.startswith("..") or not full.is_file() or not is_within(model.root, full):
                    continue
                if excluded(rel, getattr(model.config, "exclude", ())):
                    break
                if rel not in model.files and rel not in out:
                    out.append(rel)
                break
    return out


def _follow_includes(model: ProjectModel) -> None:
    added = 0
    for rel in _command_requirement_files(model)[:MAX_INCLUDED_FILES]:
        model.files[rel] = _parse(model.root, rel, FileKind.REQUIREMENTS)
        added += 1
    pending = [inc for fm in model.files.values() for inc in fm.includes]
    while pending and added < MAX_INCLUDED_FILES:
        inc = pending.pop()
        target = inc.target
        if target is None or target in model.files:
            continue
        full = model.root / target
        if not full.is_file() or not is_within(model.root, full):
            continue
        fm = _parse(model.root, target, FileKind.REQUIREMENTS)
        model.files[target] = fm
        pending.extend(fm.includes)
        added += 1


# -- rules ----------------------------------------------------------------------
def _prepare(model: ProjectModel, rules: Sequence[Rule], options: LintOptions) -> list[str]:
    notices: list[str] = []
    needs = sorted({n for r in rules for n in r.needs})
    for need in needs:
        target = PREPARERS.get(need)
        if not target:
            continue
        module, _, func = target.partition(":")
        try:
            prepare: Callable[..., list[str]] = getattr(importlib.import_module(module), func)
        except (ModuleNotFoundError, AttributeError):
            continue
        notices.extend(prepare(model, options) or [])
    return notices


def _run_rules(
    model: ProjectModel, selector: Selector, options: LintOptions, errors: list[str]
) -> tuple[list[Finding], list[str]]:
    rules = [cls() for cls in all_rules() if selector.enabled(cls.code)]
    # rules that share one analysis across codes (credentials) ask which codes are on
    model.extras["selector"] = selector
    notices = _prepare(model, rules, options)
    findings: list[Finding] = []
    for rule in rules:
        try:
            findings.extend(rule.check(model))
        except Exception as exc:
            errors.append(f"rule {rule.code} failed with {type(exc).__name__}")
    return findings, notices


# -- filtering --------------------------------------------------------------------
def _unused_suppressions(
    sups: dict[str, list[Suppression]], selector: Selector, only: Optional[set[str]]
) -> list[Finding]:
    """FL002 for directives that suppressed nothing (codes that are not enabled are not
    reported as unused: they may be enabled elsewhere)."""
    rule = get_rule("FL002")
    if rule is None or not selector.enabled("FL002"):
        return []
    inst = rule()
    known = [r.code for r in all_rules()]
    out = []
    for path, items in sorted(sups.items()):
        if only is not None and path not in only:
            continue
        for sup in items:
            where = f"line {sup.target_line}"
            if sup.codes is None:
                if not sup.used:
                    out.append(
                        inst.finding(
                            sup.location,
                            f"`feedlint: ignore` suppresses nothing on {where}",
                            "Remove the comment.",
                        )
                    )
                continue
            for code in sup.codes:
                matching = [k for k in known if k.startswith(code)]
                if not matching:
                    out.append(
                        inst.finding(
                            sup.location,
                            f"suppression names unknown code {code}",
                            "Correct or remove the code (see `feedlint rules`).",
                        )
                    )
                elif not any(u.startswith(code) for u in sup.used) and any(
                    selector.enabled_in(k, path) for k in matching
                ):
                    out.append(
                        inst.finding(
                            sup.location,
                            f"unused suppression for {code} on {where}",
                            f"Remove {code} from the comment.",
                        )
                    )
    return out


def _filter(
    model: ProjectModel,
    findings: list[Finding],
    selector: Selector,
    only: Optional[set[str]],
    shown_under: str = "",
) -> list[Finding]:
    sups: dict[str, list[Suppression]] = {}
    kept: list[Finding] = []
    for finding in findings:
        path = finding.location.path
        if not selector.enabled_in(finding.code, path):
            continue
        if only is not None and path not in only:
            continue
        if path not in sups:
            src = model.source(path)
            sups[path] = find_suppressions(src) if src else []
        hit = next(
            (
                s
                for s in sups[path]
                if s.target_line == finding.location.line and s.covers(finding.code)
            ),
            None,
        )
        if hit is not None:
            hit.used.add(finding.code)
            continue
        kept.append(finding)
    for path, fm in model.files.items():
        if path not in sups and (only is None or path in only):
            sups[path] = find_suppressions(fm.source)
    kept.extend(_unused_suppressions(sups, selector, only))
    # Environment references and placeholders are not secrets: messages may quote them.
    scrub = Scrubber(
        c.value
        for c in model.credentials
        if not (is_env_reference(c.value) or is_placeholder(c.value))
    )
    unique = {}
    for f in kept:
        f = f.with_text(scrub(f.message), scrub(f.fix))
        f = replace(f, fingerprint=_fingerprint(model, f, scrub, shown_under))
        if shown_under:
            f = replace(f, location=replace(f.location, path=shown_under + f.location.path))
        unique.setdefault((f.code, f.location, f.message), f)
    return sorted(unique.values(), key=lambda f: f.sort_key)


def _fingerprint(
    model: ProjectModel, finding: Finding, scrub: Scrubber, shown_under: str = ""
) -> str:
    """The baseline digest of a finding (see :mod:`feedlint.baseline`): its offending text
    (the rule's ``fingerprint`` or else the source line), secrets redacted, hashed, with
    the path as reported."""
    text = finding.fingerprint
    if not text:
        src = model.source(finding.location.path)
        text = src.line(finding.location.line) if src else ""
    return digest(finding.code, shown_under + finding.location.path, scrub(text))


# -- the run ----------------------------------------------------------------------
def _selector(config: Config, options: LintOptions) -> Selector:
    select = options.select if options.select is not None else config.select
    return Selector(
        select,
        extend_select=[*config.extend_select, *options.extend_select],
        ignore=[*config.ignore, *options.ignore],
        per_file_ignores=config.per_file_ignores,
    )


def lint_root(
    root: Path, options: LintOptions, only: Optional[set[str]] = None, shown_under: str = ""
) -> RootResult:
    """Lint one root. ``only`` restricts reported findings to those root-relative paths
    (pre-commit mode); the model is still built from the whole root. ``shown_under``
    (``"services/api/"``) prefixes every reported path."""
    config = load_config(root, options.config_file)
    if options.fail_on is not None:
        config.fail_on = options.fail_on
    if options.online is not None:
        config.online = options.online
    if options.pypi_url is not None:
        config.pypi_url = options.pypi_url
    selector = _selector(config, options)
    model = build_model(root, config, extra=sorted(only or ()))
    errors: list[str] = []
    findings, notices = _run_rules(model, selector, options, errors)
    findings = _filter(model, findings, selector, only, shown_under)
    all_notices = [*model.extras.get("notices", []), *notices]  # type: ignore[misc]
    return RootResult(root, config, findings, len(model.files), all_notices, errors)


def lint(paths: Sequence[str], options: Optional[LintOptions] = None) -> LintResult:
    """Lint ``paths``: each directory is a root of its own; files are grouped under the
    nearest root (directory with pyproject.toml or .git) and only their findings reported.

    Raises :class:`ConfigError` for a missing path or a bad configuration.
    """
    options = options or LintOptions()
    dirs: list[Path] = []
    files_by_root: dict[Path, set[str]] = {}
    for raw in paths or ["."]:
        path = Path(raw)
        if not os.path.lexists(path):
            raise ConfigError(f"{raw}: no such file or directory")
        if path.is_dir():
            dirs.append(path.resolve())
            continue
        root = find_root(path)
        rel = relative_to_root(root, Path(os.path.abspath(path)))
        if rel is None:
            raise ConfigError(f"{raw}: outside its root {root}")
        files_by_root.setdefault(root, set()).add(rel)
    results = []
    seen: set[Path] = set()
    for root in dirs:
        if root in seen:
            continue
        seen.add(root)
        results.append(lint_root(root, options))
    for root, only in files_by_root.items():
        if root in seen:
            continue  # the whole root is linted already
        results.append(lint_root(root, options, only, _shown_under(root)))
    return LintResult(results)


def _shown_under(root: Path) -> str:
    """How files named on the command line are reported: relative to the working directory
    (as the user, or pre-commit, named them) when their root lies below it. In a monorepo
    whose services each have a pyproject.toml, ``services/api/requirements.txt`` is then not
    reported as a bare ``requirements.txt``, and annotations and baselines match a run on the
    whole checkout. A directory named on the command line stays the root of its paths."""
    try:
        rel = Path(os.path.realpath(root)).relative_to(os.path.realpath(os.getcwd()))
    except ValueError:
        return ""
    return "" if rel == Path() else rel.as_posix() + "/"
