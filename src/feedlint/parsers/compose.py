"""Docker Compose files (``docker-compose.yml``, ``docker-compose.prod.yml``,
``compose.yaml`` ...), read with :mod:`feedlint.parsers._yaml` for exact positions.

For every service (``services.<name>``, or the top-level services of the version-1
format):

* ``build.args`` (a mapping ``KEY: value`` or a list of ``KEY=value`` strings; a bare
  ``KEY`` passes the host's value) -> environment assignments of origin
  ``docker-build-arg``, exactly like ``docker build --build-arg``: a build argument is
  recorded in the image history, so a credential handed over this way is FL104 whether it
  is literal or interpolated (``${FEED_PAT}``);
* ``environment:`` (both forms) -> environment assignments of origin ``compose-env``
  through :func:`~feedlint.parsers.commands.apply_env`, so ``PIP_INDEX_URL``/
  ``PIP_EXTRA_INDEX_URL``/``UV_*`` become index references and secret-named variables
  credential candidates.

Values are kept as written: Compose interpolation (``${VAR}``, ``${VAR:-default}``,
``$$VAR`` for a literal ``$``) is judged by the rules like any environment reference, a
literal default included. ``build.secrets`` and top-level ``secrets:`` are the right way
to hand a credential to a build and are not read. ``YAML merge keys`` (``<<: *common``)
and aliases to anchored blocks are followed. Like CI YAML, invalid YAML is read as far as
possible and not reported: ``docker compose config`` reports it better.
"""

from __future__ import annotations

import re
from typing import Optional

from feedlint.model import FileModel, Location, SourceFile
from feedlint.parsers._yaml import Mapping, Node, Scalar, Sequence, read_yaml, scalar_start
from feedlint.parsers.commands import apply_env

__all__ = ["parse"]

#: keys that mark a top-level mapping as a version-1 service
_SERVICE_KEYS = frozenset({"build", "image", "environment", "command"})


def scalar_location(fm: FileModel, scalar: Scalar) -> Location:
    """Where a scalar's first character is (after its opening quote)."""
    return fm.loc(*scalar_start(scalar))


class _Reader:
    def __init__(self, fm: FileModel, anchors: dict[str, Node]) -> None:
        self.fm = fm
        self.anchors = anchors
        self.seen: set[int] = set()  # a block shared through an alias is read once

    def deref(self, node: Optional[Node]) -> Optional[Node]:
        if isinstance(node, Scalar) and node.style == "alias":
            name = node.value[1:].strip() if node.value.startswith("*") else ""
            return self.anchors.get(name)
        return node

    def assignments(self, node: Optional[Node], origin: str, depth: int = 0) -> None:
        """``KEY: value`` mapping or ``- KEY=value`` list of ``environment:``/``args:``."""
        node = self.deref(node)
        if node is None or depth > 20 or id(node) in self.seen:
            return
        self.seen.add(id(node))
        fm = self.fm
        if isinstance(node, Mapping):
            for e in node.entries:
                if e.key == "<<":
                    value = e.value
                    items = value.items if isinstance(value, Sequence) else [value]
                    for item in items:
                        self.assignments(item, origin, depth + 1)
                    continue
                if not re.match(r"^[A-Za-z_][A-Za-z0-9_.\-]*$", e.key):
                    continue
                value = self.deref(e.value)
                loc = fm.loc(e.line, e.column)
                if value is None:
                    if origin == "docker-build-arg":  # `KEY:` passes the host's value
                        apply_env(e.key, None, loc, fm, origin)
                elif isinstance(value, Scalar):
                    apply_env(e.key, value.value, loc, fm, origin, scalar_location(fm, value))
        elif isinstance(node, Sequence):
            for item in node.items:
                item = self.deref(item)
                if not isinstance(item, Scalar) or not item.value.strip():
                    continue
                text = item.value
                lead = len(text) - len(text.lstrip())
                m = re.match(r"([A-Za-z_][A-Za-z0-9_.\-]*)(?:=(.*))?$", text.strip(), re.DOTALL)
                if not m:
                    continue
                nline, ncol = item.text.locate(lead)
                loc = fm.loc(nline, ncol)
                if m.group(2) is None:
                    if origin == "docker-build-arg":  # `- KEY`: the host's value
                        apply_env(m.group(1), None, loc, fm, origin)
                    continue
                vline, vcol = item.text.locate(lead + len(m.group(1)) + 1)
                apply_env(m.group(1), m.group(2), loc, fm, origin, fm.loc(vline, vcol))

    def service(self, node: Optional[Node]) -> None:
        node = self.deref(node)
        if not isinstance(node, Mapping):
            return
        merged = [node]
        base = node.get("<<")  # `<<: *service-defaults`
        for item in base.items if isinstance(base, Sequence) else [base]:
            item = self.deref(item)
            if isinstance(item, Mapping):
                merged.append(item)
        for svc in merged:
            build = self.deref(svc.get("build"))
            if isinstance(build, Mapping):
                self.assignments(build.get("args"), "docker-build-arg")
            self.assignments(svc.get("environment"), "compose-env")


def parse(source: SourceFile) -> FileModel:
    """Parse a Compose file (see the module docstring)."""
    fm = FileModel(source)
    roots, anchors = read_yaml(source.lines)
    reader = _Reader(fm, anchors)
    for root in roots:
        if not isinstance(root, Mapping):
            continue
        services = reader.deref(root.get("services"))
        if isinstance(services, Mapping):
            for e in services.entries:
                reader.service(e.value)
            continue
        for e in root.entries:  # version 1: the services are the top-level keys
            value = reader.deref(e.value)
            if isinstance(value, Mapping) and _SERVICE_KEYS & {x.key for x in value.entries}:
                reader.service(value)
    return fm
