"""What pip makes of a requirements file's index options: the index list it ends up with
(:func:`pip_indexes`), whether it runs in hash-checking mode (:func:`hash_checking`), and
index URL comparison. Pure functions of the model, following pip's ``req_file.py``:
``-i/--index-url`` replaces the index list (earlier ``--extra-index-url`` lines
included), ``--no-index`` empties it, ``--extra-index-url`` appends, ``-f/--find-links``
adds a link page, and ``-r``/``-c`` includes are read where they stand.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Optional

from feedlint.model import FileModel, Include, IndexRef, IndexRole, Location, ProjectModel
from feedlint.urls import split_url

__all__ = [
    "PipIndexes",
    "hash_checking",
    "included_files",
    "norm_url",
    "pip_indexes",
    "same_index",
]


def norm_url(url: str) -> str:
    """An index URL for comparison: no user-info, lower-case scheme and host, no
    trailing ``/``."""
    parts = split_url(url)
    if parts is None:
        return url.strip().rstrip("/")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.host}{port}{parts.path}".rstrip("/")


def same_index(a: Optional[str], b: Optional[str]) -> bool:
    return bool(a and b) and norm_url(a or "") == norm_url(b or "")


@dataclass
class PipIndexes:
    """The indexes pip ends up with after reading an export (and the files it includes).

    ``indexes`` is pip's index list: ``None`` stands for the default index (PyPI, or
    whatever pip.conf/``PIP_INDEX_URL`` set) that no ``--index-url`` replaced.
    """

    indexes: list[Optional[IndexRef]] = field(default_factory=lambda: [None])
    find_links: list[IndexRef] = field(default_factory=list)

    @property
    def sources(self) -> list[IndexRef]:
        return [r for r in self.indexes if r is not None] + self.find_links

    @property
    def uses_pypi_default(self) -> bool:
        return None in self.indexes

    @property
    def index_url(self) -> Optional[IndexRef]:
        return next((r for r in self.indexes if r is not None and r.role == IndexRole.INDEX), None)


def _events(model: ProjectModel, fm: FileModel, seen: set[str]) -> Iterator[object]:
    """Index options, ``--no-index`` and includes of ``fm`` in file order, includes
    expanded where they stand (as pip reads them)."""
    seen.add(fm.path)
    items: list[tuple[Location, object]] = [(r.location, r) for r in fm.indexes]
    items += [(s.location, s) for s in fm.settings if s.key == "no-index"]
    items += [(i.location, i) for i in fm.includes]
    for _, item in sorted(items, key=lambda pair: (pair[0].line, pair[0].column)):
        if isinstance(item, Include):
            target = model.files.get(item.target) if item.target else None
            if target is not None and target.path not in seen:
                yield from _events(model, target, seen)
        else:
            yield item


def pip_indexes(model: ProjectModel, fm: FileModel) -> PipIndexes:
    """pip's requirements-file semantics: ``--index-url`` replaces the list (earlier
    ``--extra-index-url`` lines included), ``--no-index`` empties it, ``--extra-index-url``
    appends, ``--find-links`` adds a link page."""
    out = PipIndexes()
    for item in _events(model, fm, set()):
        if isinstance(item, IndexRef):
            if item.role == IndexRole.INDEX:
                out.indexes = [item]
            elif item.role == IndexRole.EXTRA:
                out.indexes.append(item)
            elif item.role == IndexRole.FIND_LINKS:
                out.find_links.append(item)
        elif getattr(item, "value", None) not in (False, "false", "0"):
            out.indexes = []  # --no-index
    return out


def included_files(model: ProjectModel, fm: FileModel) -> list[FileModel]:
    """``fm`` and the files it includes with ``-r``/``-c``, each once."""
    out, seen, pending = [], set(), [fm]
    while pending:
        cur = pending.pop(0)
        if cur.path in seen:
            continue
        seen.add(cur.path)
        out.append(cur)
        for inc in cur.includes:
            target = model.files.get(inc.target) if inc.target else None
            if target is not None:
                pending.append(target)
    return out


def hash_checking(model: ProjectModel, fm: FileModel) -> bool:
    """Whether pip reads ``fm`` in hash-checking mode: a ``--hash`` on any requirement
    (of it or a file it includes) or ``--require-hashes``."""
    for cur in included_files(model, fm):
        if any(
            r.hashes for r in [p for p in cur.packages if p.kind in ("requirement", "constraint")]
        ):
            return True
        if any(s.key == "require-hashes" and s.value is not False for s in cur.settings):
            return True
    return False
