"""conda environment files (``environment.yml``, ``environment-dev.yaml``, ``conda.yml``),
read with :mod:`feedlint.parsers._yaml` for exact positions.

The ``dependencies:`` list may hold a ``pip:`` list. conda writes those items, one a
line, to a temporary requirements file in the environment file's directory and runs
``pip install -r`` on it, so each item is a requirements line: it is read with
:class:`~feedlint.parsers.requirements.RequirementsReader` (``--index-url``,
``--extra-index-url``, ``-f``, ``--trusted-host``, ``-r``/``-c`` includes resolved
against the file's directory, requirements, hashes), located in the YAML file, with
``scope`` ``pip`` (the tox ``deps`` route of :func:`feedlint.lookup.pip.section_groups`).
Conda packages themselves, ``channels:`` and ``variables:`` are not packaging for pip;
a token in a channel URL (``https://conda.anaconda.org/t/TOKEN/channel``) is found by
the URL scan every file gets. Like CI YAML, invalid YAML is read as far as possible and
not reported: conda reports it better.
"""

from __future__ import annotations

import posixpath

from feedlint.model import FileModel, SourceFile
from feedlint.parsers._yaml import Mapping, Scalar, Sequence, read_yaml
from feedlint.parsers.requirements import RequirementsReader
from feedlint.parsers.textmap import MappedText

__all__ = ["PIP_SCOPE", "parse"]

#: ``IndexRef.scope``/``Setting.scope`` of the ``pip:`` list's options
PIP_SCOPE = "pip"


def _pip_lines(deps: Sequence) -> list[MappedText]:
    """The items of every ``- pip: [...]`` entry of ``dependencies:``, one line each."""
    out: list[MappedText] = []
    for item in deps.items:
        if not isinstance(item, Mapping):
            continue
        pip = item.get("pip")
        if not isinstance(pip, Sequence):
            continue
        for spec in pip.items:
            if not isinstance(spec, Scalar) or spec.style == "alias":
                continue
            text = spec.text
            start = 0
            for part in text.text.split("\n"):  # conda joins the items with newlines
                if part.strip():
                    out.append(text.slice(start, start + len(part)))
                start += len(part) + 1
    return out


def parse(source: SourceFile) -> FileModel:
    """Parse a conda environment file (see the module docstring)."""
    fm = FileModel(source)
    roots, _ = read_yaml(source.lines)
    lines: list[MappedText] = []
    for root in roots:
        if isinstance(root, Mapping):
            deps = root.get("dependencies")
            if isinstance(deps, Sequence):
                lines.extend(_pip_lines(deps))
    if lines:
        reader = RequirementsReader(fm, base_dir=posixpath.dirname(source.path), scope=PIP_SCOPE)
        for mt in lines:
            reader.note_env_references(mt)
            reader.read_logical(mt)
        fm.facts["index-options"] = reader.index_options
        if reader.env_references:
            fm.facts["env-references"] = reader.env_references
    return fm
