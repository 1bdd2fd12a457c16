"""PEP 508 requirement strings (PEP 621 dependencies, dependency groups, uv and PDM lists)
to :class:`~feedlint.model.PackageRef`, with :mod:`packaging` doing the parsing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from feedlint.lazyre import lazy_compile
from feedlint.model import FileModel, Installer, Location, PackageRef
from feedlint.urls import normalize_name

if TYPE_CHECKING:
    from packaging.requirements import Requirement

__all__ = ["exact_version", "plain_requirement", "requirement_ref"]

_EXACT = lazy_compile(r"^\s*===?\s*([A-Za-z0-9][A-Za-z0-9.!+_-]*)\s*$")
_LOCAL_LABEL = lazy_compile(r"(\d)\+[A-Za-z0-9][A-Za-z0-9.]*")
_EGG = lazy_compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")


# ``name`` or ``name <op> release`` with a plain release number: parsed without importing
# packaging (slow to import), giving exactly what packaging gives (tests/parsers/test_pep508_fast.py).
_PLAIN = lazy_compile(
    r"[ \t]*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)[ \t]*"
    r"(?:(==|!=|>=|<=|>|<)[ \t]*([0-9]+(?:\.[0-9]+)*)|(~=)[ \t]*([0-9]+(?:\.[0-9]+)+))?[ \t]*"
)


def plain_requirement(text: str) -> Optional[tuple[str, str]]:
    """``(name, specifier)`` as packaging's ``Requirement`` would give them (``name`` as
    written, ``str(specifier)``) for a requirement without extras, URL, marker or more
    than one specifier and with a plain release version; ``None`` for anything else."""
    m = _PLAIN.fullmatch(text)  # ASCII classes: packaging's whitespace is [ \t], digits [0-9]
    if m is None:
        return None
    op = m.group(2) or m.group(4)
    return m.group(1), f"{op}{m.group(3) or m.group(5)}" if op else ""


def _lenient(raw: str) -> Requirement:
    """:class:`Requirement`, also accepting a local version label in a range
    (``torch (>=2.1+cu118,<3)``): packaging >= 22 rejects it, Poetry and older pip accept
    it, so it is not a broken file."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return Requirement(raw)
    except InvalidRequirement:
        cleaned = _LOCAL_LABEL.sub(r"\1", raw)
        if cleaned == raw:
            raise
        try:
            return Requirement(cleaned)
        except InvalidRequirement:
            pass
        raise


def exact_version(specifier: str) -> Optional[str]:
    """``1.2.3`` for ``==1.2.3`` / ``===1.2.3``; ``None`` for ranges and wildcards."""
    m = _EXACT.match(specifier)
    return m.group(1) if m else None


def requirement_ref(
    text: str,
    location: Location,
    fm: FileModel,
    kind: str = "dependency",
    installer: Installer = Installer.ANY,
    group: str = "",
    allow_editable: bool = False,
) -> Optional[PackageRef]:
    """Parse ``text`` as a PEP 508 requirement and append the :class:`PackageRef` to
    ``fm.packages``. An invalid string becomes an FL001 problem at ``location``.

    ``allow_editable`` accepts PDM's ``-e <path-or-url>`` items: a name is taken from
    ``#egg=`` or ``name @ url``; a bare path without a name is skipped silently (it names
    no distribution).
    """
    raw = text.strip()
    editable = False
    if allow_editable and raw.startswith("-e"):
        editable = True
        raw = raw[2:].strip()
        if " @ " not in raw:
            egg = _EGG.search(raw)
            if not egg:
                return None
            ref = PackageRef(
                normalize_name(egg.group(1)),
                location,
                kind,
                installer,
                raw_name=egg.group(1),
                url=raw,
                editable=True,
                group=group,
            )
            fm.packages.append(ref)
            return ref
    plain = plain_requirement(raw)
    if plain is not None:
        name, specifier = plain
        ref = PackageRef(
            normalize_name(name),
            location,
            kind,
            installer,
            raw_name=name,
            specifier=specifier,
            version=exact_version(specifier) if specifier else None,
            marker="",
            extras=(),
            url=None,
            editable=editable,
            group=group,
        )
        fm.packages.append(ref)
        return ref
    from packaging.requirements import InvalidRequirement

    try:
        req = _lenient(raw)
    except InvalidRequirement as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "invalid requirement"
        # packaging quotes the requirement in its message; keep only the reason
        reason = reason.split("\n")[0]
        if len(reason) > 120 or "://" in reason:
            reason = "invalid requirement"
        fm.problem(f"invalid requirement string: {reason}", location.line, location.column)
        return None
    specifier = str(req.specifier)
    ref = PackageRef(
        normalize_name(req.name),
        location,
        kind,
        installer,
        raw_name=req.name,
        specifier=specifier,
        version=exact_version(specifier) if len(req.specifier) == 1 else None,
        marker=str(req.marker) if req.marker else "",
        extras=tuple(sorted(req.extras)),
        url=req.url,
        editable=editable,
        group=group,
    )
    fm.packages.append(ref)
    return ref
