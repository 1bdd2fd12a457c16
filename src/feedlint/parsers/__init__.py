"""Parsers: one module per file kind, each exposing ``parse(source) -> FileModel``.

A parser receives the decoded :class:`~feedlint.model.SourceFile` and returns a
:class:`~feedlint.model.FileModel` with everything it could read; it never raises past its
boundary (:func:`parse_file` turns an unexpected exception into an FL001 problem too, so
one bad file never stops the run). Modules are imported lazily by kind, so a tree without
``setup.py`` never imports libcst.
"""

from __future__ import annotations

import importlib
from typing import Callable

from feedlint.model import FileKind, FileModel, SourceFile

__all__ = ["PARSER_MODULES", "parse_file"]

#: file kind -> module holding its ``parse`` function
PARSER_MODULES: dict[FileKind, str] = {
    FileKind.PYPROJECT: "feedlint.parsers.pyproject",
    FileKind.POETRY_LOCK: "feedlint.parsers.locks",
    FileKind.UV_LOCK: "feedlint.parsers.locks",
    FileKind.PDM_LOCK: "feedlint.parsers.locks",
    FileKind.PIPFILE_LOCK: "feedlint.parsers.locks",
    FileKind.PIPFILE: "feedlint.parsers.pipfile",
    FileKind.UV_TOML: "feedlint.parsers.uvtoml",
    FileKind.POETRY_CONFIG: "feedlint.parsers.toolconfig",
    FileKind.PDM_CONFIG: "feedlint.parsers.toolconfig",
    FileKind.REQUIREMENTS: "feedlint.parsers.requirements",
    FileKind.PIP_CONF: "feedlint.parsers.pipconf",
    FileKind.PYPIRC: "feedlint.parsers.pypirc",
    FileKind.SETUP_CFG: "feedlint.parsers.setupcfg",
    FileKind.TOX_INI: "feedlint.parsers.toxini",
    FileKind.SETUP_PY: "feedlint.parsers.setuppy",
    FileKind.DOCKERFILE: "feedlint.parsers.dockerfile",
    FileKind.CI_YAML: "feedlint.parsers.ciyaml",
    FileKind.SHELL: "feedlint.parsers.shell",
    FileKind.DOTENV: "feedlint.parsers.dotenv",
    FileKind.NETRC: "feedlint.parsers.netrc",
    FileKind.GIT_CREDENTIALS: "feedlint.parsers.netrc",
    FileKind.COMPOSE: "feedlint.parsers.compose",
    FileKind.CONDA_ENV: "feedlint.parsers.condaenv",
    FileKind.MAKEFILE: "feedlint.parsers.makefile",
}

_cache: dict[str, Callable[[SourceFile], FileModel]] = {}


def _parser_for(kind: FileKind) -> Callable[[SourceFile], FileModel] | None:
    module = PARSER_MODULES.get(kind)
    if module is None:
        return None
    if module not in _cache:
        try:
            _cache[module] = importlib.import_module(module).parse
        except ModuleNotFoundError as exc:  # parser not written yet: read the text only
            if exc.name != module:
                raise
            return None
    return _cache[module]


def parse_file(source: SourceFile) -> FileModel:
    """Parse one file; any exception becomes an FL001 problem on an otherwise empty model."""
    parser = _parser_for(source.kind)
    if parser is None:
        return FileModel(source)
    try:
        return parser(source)
    except RecursionError:
        fm = FileModel(source)
        fm.problem("file is nested too deeply to parse")
        return fm
    except Exception as exc:
        fm = FileModel(source)
        # Only the exception type: its text may quote file content, and so a secret.
        fm.problem(f"could not parse file (internal {type(exc).__name__}); please report this")
        return fm
