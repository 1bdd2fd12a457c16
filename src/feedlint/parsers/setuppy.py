"""setup.py, read with libcst (imported inside :func:`parse` only, so a tree without
setup.py never loads it).

From every ``setup(...)`` / ``setuptools.setup(...)`` call:

* ``name="..."`` -> the project's own :class:`PackageRef` (kind ``project``);
* ``install_requires``, ``setup_requires``, ``tests_require`` (``group`` ``""``,
  ``setup``, ``tests``) and ``extras_require={"extra": [...]}`` (``group`` = the extra)
  -> ``dependency`` :class:`PackageRef`\\ s, each at its string's first character;
* ``dependency_links=[...]`` -> :class:`IndexRef` role DEPENDENCY_LINK, installer
  setuptools.

Values may be literals, ``+`` of literals, or names bound once at module level
(``REQUIRES = [...]``); anything computed (``open(...).read()``, comprehensions) is
skipped. A literal requirement string that is not valid PEP 508 is FL001 (setuptools
rejects it). A Python syntax error is FL001 at the line and column libcst reports, and
nothing else is read from the file.

User-info URLs in plain string literals are found by the engine's text scan; this parser
adds the ones that scan cannot see: URLs split over implicitly concatenated literals or
written with escape sequences. String literals bound to secret-named names anywhere in
the file (``GITLAB_TOKEN = "..."``, ``os.environ["FEED_PAT"] = "..."``, the fallback of
``os.environ.get("FEED_PAT", "...")``) are credential candidates too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any, Optional

from feedlint.model import (
    Credential,
    FileModel,
    IndexRef,
    IndexRole,
    Installer,
    Location,
    PackageRef,
    SourceFile,
)
from feedlint.parsers.commands import is_secret_name
from feedlint.parsers.requirements import parse_pep508
from feedlint.parsers.urlscan import scan_url_credentials
from feedlint.urls import normalize_name

__all__ = ["parse"]

_REQUIREMENT_KEYS = {"install_requires": "", "setup_requires": "setup", "tests_require": "tests"}
_MAX_DEPTH = 20


class _Reader:
    def __init__(self, fm: FileModel, cst: Any, positions: Any) -> None:
        self.fm = fm
        self.cst = cst
        self.positions = positions
        self.assignments: dict[str, Any] = {}

    # -- strings ----------------------------------------------------------------------
    def string_location(self, node: Any) -> Location:
        """Where the string's content starts (after prefix and quotes)."""
        pos = self.positions[node].start
        column = pos.column + 1
        cst = self.cst
        if isinstance(node, cst.SimpleString):
            column += len(node.prefix) + len(node.quote)
        elif isinstance(node, cst.ConcatenatedString):
            return self.string_location(node.left)
        return self.fm.loc(pos.line, column)

    def parts(self, node: Any) -> list[Any]:
        """The simple literals of a (possibly concatenated) string, in order."""
        if isinstance(node, self.cst.ConcatenatedString):
            return self.parts(node.left) + self.parts(node.right)
        return [node]

    def offset_location(self, node: Any, offset: int) -> Location:
        """Where character ``offset`` of the string's value is written (exact when the
        literal holding it has no escape sequence before it)."""
        for part in self.parts(node):
            value = self.string_value(part) or ""
            if offset < len(value) or part is self.parts(node)[-1]:
                start = self.string_location(part)
                before = value[:offset]
                if "\n" in before:
                    tail = before.rsplit("\n", 1)[1]
                    return Location(start.path, start.line + before.count("\n"), len(tail) + 1)
                return Location(start.path, start.line, start.column + offset)
            offset -= len(value)
        return self.string_location(node)

    def string_value(self, node: Any) -> Optional[str]:
        cst = self.cst
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            try:
                value = node.evaluated_value
            except Exception:  # e.g. a byte string or an unsupported escape
                return None
            return value if isinstance(value, str) else None
        return None

    def strings(self, node: Any, depth: int = 0) -> Iterator[tuple[str, Location]]:
        """The string literals of a list/tuple/set value (following names and ``+``)."""
        cst = self.cst
        if depth > _MAX_DEPTH:
            return
        if isinstance(node, cst.Name) and node.value in self.assignments:
            yield from self.strings(self.assignments[node.value], depth + 1)
        elif isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            for element in node.elements:
                if isinstance(element, cst.Element):
                    value = self.string_value(element.value)
                    if value is not None:
                        yield value, self.string_location(element.value)
        elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            yield from self.strings(node.left, depth + 1)
            yield from self.strings(node.right, depth + 1)
        else:
            value = self.string_value(node)
            if value is not None:  # a single string: setuptools splits it into lines
                loc = self.string_location(node)
                for offset, line in enumerate(value.splitlines()):
                    if line.strip():
                        indent = len(line) - len(line.lstrip())
                        if offset == 0:
                            where = Location(loc.path, loc.line, loc.column + indent)
                        else:
                            where = Location(loc.path, loc.line + offset, indent + 1)
                        yield line.strip(), where

    def resolve(self, node: Any, depth: int = 0) -> Any:
        if (
            isinstance(node, self.cst.Name)
            and node.value in self.assignments
            and depth < _MAX_DEPTH
        ):
            return self.resolve(self.assignments[node.value], depth + 1)
        return node

    # -- setup() arguments ------------------------------------------------------------
    def requirements(self, node: Any, group: str) -> None:
        for value, loc in self.strings(node):
            if value.startswith("#"):
                continue
            fields, error = parse_pep508(value)
            if fields is None:
                self.fm.problem(error, loc.line, loc.column)
                continue
            self.fm.packages.append(
                PackageRef(
                    location=loc,
                    kind="dependency",
                    installer=Installer.SETUPTOOLS,
                    group=group,
                    **fields,  # type: ignore[arg-type]
                )
            )

    def setup_call(self, call: Any) -> None:
        cst = self.cst
        for arg in call.args:
            if arg.keyword is None:
                continue
            key = arg.keyword.value
            value = self.resolve(arg.value)
            if key == "name":
                text = self.string_value(value)
                if text and text.strip():
                    self.fm.packages.append(
                        PackageRef(
                            normalize_name(text.strip()),
                            self.string_location(value),
                            "project",
                            Installer.SETUPTOOLS,
                            raw_name=text.strip(),
                        )
                    )
            elif key in _REQUIREMENT_KEYS:
                self.requirements(value, _REQUIREMENT_KEYS[key])
            elif key == "extras_require" and isinstance(value, cst.Dict):
                for element in value.elements:
                    if not isinstance(element, cst.DictElement):
                        continue
                    extra = self.string_value(element.key)
                    if extra is not None:
                        self.requirements(element.value, extra)
            elif key == "dependency_links":
                for url, loc in self.strings(value):
                    self.fm.indexes.append(
                        IndexRef(
                            url,
                            IndexRole.DEPENDENCY_LINK,
                            Installer.SETUPTOOLS,
                            loc,
                            scope="setup.py",
                            via="dependency_links",
                        )
                    )

    # -- secrets bound to names ---------------------------------------------------------
    def _secret(self, name: str, value_node: Any) -> None:
        value = self.string_value(value_node)
        if value is None or not value.strip() or not is_secret_name(name):
            return
        self.fm.credentials.append(
            Credential(
                value.strip(),
                "key-value",
                self.string_location(value_node),
                self.fm.source.kind,
                key=name,
            )
        )

    def secret_assignment(self, target: Any, value: Any) -> None:
        """``GITLAB_TOKEN = "..."``, ``self.token = "..."``, ``os.environ["FEED_PAT"] = "..."``."""
        cst = self.cst
        if isinstance(target, cst.Name):
            self._secret(target.value, value)
        elif isinstance(target, cst.Attribute):
            self._secret(target.attr.value, value)
        elif isinstance(target, cst.Subscript) and len(target.slice) == 1:
            index = target.slice[0].slice
            key = self.string_value(index.value) if isinstance(index, cst.Index) else None
            if key:
                self._secret(key, value)

    def environ_default(self, call: Any) -> None:
        """``os.environ.get("FEED_PAT", "...")``, ``os.getenv(...)``, ``setdefault``: a
        literal fallback is written in the file."""
        cst = self.cst
        func = call.func
        name = func.attr.value if isinstance(func, cst.Attribute) else ""
        if name not in ("get", "getenv", "setdefault") or len(call.args) < 2:
            return
        key = self.string_value(call.args[0].value)
        if key:
            self._secret(key, call.args[1].value)

    # -- URLs the text scan cannot see ----------------------------------------------------
    def hidden_url_credentials(self, node: Any) -> None:
        cst = self.cst
        if isinstance(node, cst.SimpleString):
            raw = node.value[len(node.prefix) + len(node.quote) : -len(node.quote)]
            value = self.string_value(node)
            if value is None or value == raw or "@" not in value:
                return
        elif isinstance(node, cst.ConcatenatedString):
            value = self.string_value(node)
            if value is None or "@" not in value:
                return
        else:
            return
        probe = SourceFile(self.fm.path, self.fm.source.kind, tuple(value.split("\n")))
        line_starts = [0]
        for part in value.split("\n")[:-1]:
            line_starts.append(line_starts[-1] + len(part) + 1)
        for cred in scan_url_credentials(probe):
            offset = line_starts[cred.location.line - 1] + cred.location.column - 1
            loc = self.offset_location(node, offset)
            self.fm.credentials.append(
                Credential(
                    cred.value,
                    cred.kind,
                    loc,
                    self.fm.source.kind,
                    key=cred.key,
                    host=cred.host,
                    url=cred.url,
                )
            )


def _syntax_error_position(text: str) -> Optional[tuple[int, int]]:
    """Line and column of the syntax error as CPython reports it (libcst's positions are
    approximate); ``None`` when CPython accepts the code."""
    try:
        compile(text, "setup.py", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        return max(1, exc.lineno or 1), max(1, exc.offset or 1)
    except (ValueError, MemoryError):  # NUL bytes, absurd nesting
        return 1, 1
    return None


def parse(source: SourceFile) -> FileModel:
    """Parse a setup.py (see the module docstring)."""
    fm = FileModel(source)
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    text = "\n".join(source.lines) + "\n"
    try:
        module = cst.parse_module(text)
    # ParserSyntaxError, and CSTValidationError for tokens libcst rejects after parsing
    # (e.g. some non-BMP characters): both mean "libcst cannot read this file".
    except Exception as exc:
        where = _syntax_error_position(text)
        if where is not None:
            fm.problem("Python syntax error; setup.py not read", *where)
        else:  # valid for this Python, beyond libcst's grammar: nothing to report
            fm.facts["not-read"] = "syntax libcst does not support"
            del exc
        return fm
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    reader = _Reader(fm, cst, positions)

    for statement in module.body:  # module-level NAME = value bindings
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if (
                    isinstance(small, cst.Assign)
                    and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name)
                ):
                    reader.assignments[small.targets[0].target.value] = small.value

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: Any) -> None:
            func = node.func
            if (isinstance(func, cst.Name) and func.value == "setup") or (
                isinstance(func, cst.Attribute) and func.attr.value == "setup"
            ):
                reader.setup_call(node)
            reader.environ_default(node)

        def visit_SimpleString(self, node: Any) -> None:
            reader.hidden_url_credentials(node)

        def visit_Assign(self, node: Any) -> None:
            for target in node.targets:
                reader.secret_assignment(target.target, node.value)

        def visit_AnnAssign(self, node: Any) -> None:
            if node.value is not None:
                reader.secret_assignment(node.target, node.value)

        def visit_ConcatenatedString(self, node: Any) -> bool:
            reader.hidden_url_credentials(node)
            return False  # its parts are covered by the whole

    module.visit(Visitor())
    return fm
