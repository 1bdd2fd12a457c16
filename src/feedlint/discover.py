"""Finding the root and the packaging files under it.

Inside a git work tree the file list comes from ``git ls-files`` (tracked plus untracked
files that are not ignored), so ``.gitignore`` is honoured; elsewhere the tree is walked,
skipping VCS folders, virtual environments, ``node_modules``, ``site-packages`` and Python
build outputs. Symlinks are never followed out of the root and loops are survived: walking
does not descend into linked directories at all, and a linked file is read only when its
target resolves inside the root.
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Optional

from feedlint.kinds import classify
from feedlint.model import FileKind
from feedlint.record import Record, field
from feedlint.textio import is_within

__all__ = ["Discovery", "discover", "excluded", "find_root"]

#: Folder names never searched (in git mode too: nobody's own config lives there).
ALWAYS_SKIP = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "site-packages",
        "__pycache__",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".eggs",
        ".direnv",
    }
)
#: Python build outputs, skipped when walking (not in git mode, where tracked means source).
BUILD_OUTPUTS = frozenset({"build", "dist"})


def find_root(path: Path) -> Path:
    """The nearest directory at or above ``path`` holding ``pyproject.toml`` or ``.git``.

    Falls back to ``path``'s own directory when no ancestor qualifies.
    """
    start = path if path.is_dir() else path.parent
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / "pyproject.toml").is_file() or (candidate / ".git").exists():
            return candidate
    return start


class Discovery(Record):
    """The packaging files of a root: ``files`` maps root-relative path to kind."""

    root: Path
    files: dict[str, FileKind] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    used_git: bool = False


def excluded(relpath: str, patterns: Iterable[str]) -> bool:
    """Whether ``relpath`` matches one of the ``exclude`` patterns."""
    return _excluded(relpath, patterns)


def _excluded(relpath: str, patterns: Iterable[str]) -> bool:
    parts = relpath.split("/")
    for pattern in patterns:
        pat = pattern.rstrip("/")
        if fnmatch.fnmatchcase(relpath, pat) or fnmatch.fnmatchcase(relpath, pat + "/*"):
            return True
        if "/" not in pat and any(fnmatch.fnmatchcase(p, pat) for p in parts):
            return True
    return False


def _git_files(root: Path) -> Optional[list[str]]:
    try:
        proc = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted({n for n in names if n})


def _is_venv(dirpath: str) -> bool:
    return os.path.isfile(os.path.join(dirpath, "pyvenv.cfg"))


def _walk(root: Path) -> list[str]:
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = os.path.relpath(dirpath, root)
        python_project = "pyproject.toml" in filenames or "setup.py" in filenames
        keep = []
        for d in dirnames:
            full = os.path.join(dirpath, d)
            if d in ALWAYS_SKIP or d.endswith(".egg-info") or os.path.islink(full):
                continue
            if python_project and d in BUILD_OUTPUTS:
                continue
            if _is_venv(full):
                continue
            keep.append(d)
        dirnames[:] = sorted(keep)
        for name in filenames:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
            out.append(rel)
    return sorted(out)


def discover(root: Path, exclude: Iterable[str] = ()) -> Discovery:
    """List the packaging files under ``root`` with their kinds."""
    root = root.resolve()
    result = Discovery(root)
    names = _git_files(root)
    if names is not None:
        result.used_git = True
    else:
        names = _walk(root)
    patterns = list(exclude)
    for rel in names:
        parts = rel.split("/")
        if any(p in ALWAYS_SKIP for p in parts[:-1]):
            continue
        kind = classify(rel)
        if kind is None or _excluded(rel, patterns):
            continue
        full = root / rel
        if os.path.islink(full):
            if not is_within(root, full):
                result.notices.append(f"{rel}: symlink points outside the root or loops; skipped")
                continue
        elif not os.path.lexists(full):
            continue  # tracked but deleted
        result.files[rel] = kind
    return result


def relative_to_root(root: Path, path: Path) -> Optional[str]:
    """``path`` relative to ``root`` with ``/`` separators, or ``None`` if outside."""
    # resolve the directories but not the file itself: a linked file is named as written
    try:
        rel = (path.absolute().parent.resolve() / path.name).relative_to(root.resolve())
    except ValueError:
        return None
    return rel.as_posix()
