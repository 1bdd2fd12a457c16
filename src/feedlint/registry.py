"""The rule registry: the one place where rules are declared, found and documented.

A rule is a small class deriving from :class:`Rule` with ``code``, ``name`` and
``severity`` class attributes and a docstring that *is* its documentation, in four
sections (``What it detects``, ``Why it is risky``, ``How to fix``, ``Example``), after a
one-line summary. Subclassing registers it (repo-review style, no boilerplate); the rule
family modules listed in :data:`RULE_MODULES` are imported on first use of the registry.
``feedlint rules``, ``feedlint rule CODE`` and ``rules.md`` are all rendered from here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import ClassVar, Optional

from feedlint.findings import Finding, Severity
from feedlint.lazyre import lazy_compile
from feedlint.model import Location, ProjectModel

__all__ = ["RULE_MODULES", "Rule", "all_rules", "get_rule"]

#: Rule family modules, imported lazily. Adding a family means adding its module here.
RULE_MODULES: tuple[str, ...] = (
    "feedlint.rules.inputs",
    "feedlint.rules.credentials",
    "feedlint.rules.indexes",
    "feedlint.rules.names",
    "feedlint.rules.exports",
)

_REGISTRY: dict[str, type[Rule]] = {}
_loaded = False
_CODE_RE = lazy_compile(r"^FL\d{3}$")
SECTIONS = ("What it detects", "Why it is risky", "How to fix", "Example")


class Rule:
    """Base class of every rule. Subclasses are registered by their ``code``."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.WARNING
    #: Optional model extras the rule needs (e.g. ``"pypi-names"``); the engine prepares
    #: them only when a rule that needs them is selected.
    needs: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.code:  # abstract helper base
            return
        if not _CODE_RE.match(cls.code):
            raise ValueError(f"bad rule code {cls.code!r}")
        if cls.code in _REGISTRY and _REGISTRY[cls.code] is not cls:
            raise ValueError(f"duplicate rule code {cls.code}")
        _REGISTRY[cls.code] = cls

    # -- documentation ------------------------------------------------------
    @classmethod
    def doc(cls) -> str:
        import inspect  # documentation paths only: inspect costs ~4 ms of every lint run

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.doc().split("\n", 1)[0].strip()

    @classmethod
    def sections(cls) -> dict[str, str]:
        """The documentation sections by title (``What it detects`` ...)."""
        out: dict[str, str] = {}
        current: Optional[str] = None
        buf: list[str] = []
        lines = cls.doc().splitlines()[1:]
        i = 0
        while i < len(lines):
            line = lines[i]
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if line.strip() in SECTIONS and set(nxt.strip()) == {"-"}:
                if current:
                    out[current] = "\n".join(buf).strip("\n")
                current, buf = line.strip(), []
                i += 2
                continue
            buf.append(line)
            i += 1
        if current:
            out[current] = "\n".join(buf).strip("\n")
        return out

    # -- checking -------------------------------------------------------------
    def check(self, model: ProjectModel) -> Iterable[Finding]:  # pragma: no cover
        raise NotImplementedError

    def finding(
        self,
        location: Location,
        message: str,
        fix: str = "",
        *,
        severity: Optional[Severity] = None,
        fingerprint: str = "",
    ) -> Finding:
        """A finding of this rule at ``location`` (default severity unless overridden)."""
        return Finding(
            code=self.code,
            name=self.name,
            severity=severity or self.severity,
            location=location,
            message=message,
            fix=fix,
            fingerprint=fingerprint,
        )


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in RULE_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:  # a family not written yet
            if exc.name != module:
                raise


def all_rules() -> list[type[Rule]]:
    """Every registered rule, by code."""
    _load()
    return [_REGISTRY[c] for c in sorted(_REGISTRY)]


def get_rule(code: str) -> Optional[type[Rule]]:
    _load()
    return _REGISTRY.get(code.upper())
