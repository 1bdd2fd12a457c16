"""Files written inline: a heredoc that creates ``pip.conf``, a ``COPY <<EOF
/root/.netrc``, a CI step that writes ``.pypirc``. :func:`parse_embedded` reads such a
body with the parser of its kind and merges what it found, located in the outer file;
``fm.facts["embedded-lines"]`` maps each inline kind (``FileKind.value``) to the outer
line numbers its body occupies (:func:`embedded_lines`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Optional

from feedlint.model import FileKind, FileModel, Location, SourceFile
from feedlint.record import fields, replace

__all__ = ["EMBEDDABLE", "embedded_kind", "embedded_lines", "parse_embedded"]

#: Kinds of files worth reading when a Dockerfile, script or CI step writes them inline.
EMBEDDABLE = frozenset(
    {
        FileKind.PIP_CONF,
        FileKind.PYPIRC,
        FileKind.NETRC,
        FileKind.POETRY_CONFIG,
        FileKind.UV_TOML,
        FileKind.PDM_CONFIG,
        FileKind.REQUIREMENTS,
    }
)


def embedded_kind(dest: str) -> Optional[FileKind]:
    """The kind of file a path names when it is one worth reading inline."""
    from feedlint.kinds import basename, classify

    name = basename(dest)
    if not name or "$" in name:
        return None
    kind = classify(name)
    return kind if kind in EMBEDDABLE else None


def embedded_lines(fm: FileModel, kind: FileKind) -> frozenset[int]:
    """The lines of ``fm`` that hold the body of an inline file of ``kind``."""
    spans = fm.facts.get("embedded-lines")
    lines = spans.get(kind.value) if isinstance(spans, dict) else None
    return frozenset(lines) if lines else frozenset()


def _shift(obj: object, path: str, shifts: dict[int, int]) -> object:
    """``obj`` with its locations moved into the outer file (column shift per line)."""
    changes = {}
    for name in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, name)
        if isinstance(value, Location):
            changes[name] = Location(path, value.line, value.column + shifts.get(value.line, 0))
    return replace(obj, **changes) if changes else obj  # type: ignore[type-var]


def parse_embedded(fm: FileModel, kind: FileKind, lines: Iterable[tuple[int, int, str]]) -> None:
    """Parse an inline file of ``kind`` and merge its findings into ``fm``.

    ``lines`` are ``(line number, column of the first character, text)`` of the inline
    file's lines in the outer file. The inner parser's problems are dropped: a heredoc may
    hold shell expansions the inner syntax does not know, and the outer file is fine.
    """
    from feedlint.parsers import parse_file

    body = list(lines)
    if not body:
        return
    # which outer lines hold an inline file of which kind: rules that read a kind's
    # semantics (pip's config sections) apply them to these lines too
    spans = fm.facts.setdefault("embedded-lines", {})
    if isinstance(spans, dict):
        spans.setdefault(kind.value, set()).update(n for n, _, _ in body)
    last = max(n for n, _, _ in body)
    padded = [""] * last
    shifts: dict[int, int] = {}
    for number, col, text in body:
        padded[number - 1] = text
        shifts[number] = col - 1
    inner = parse_file(SourceFile(fm.path, kind, tuple(padded)))
    for attr in ("indexes", "packages", "settings", "credentials", "env", "publish_targets"):
        target = getattr(fm, attr)
        for item in getattr(inner, attr):
            target.append(_shift(item, fm.path, shifts))
