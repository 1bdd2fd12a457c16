"""The effective index model: which indexes each installer searches for a package, and how.

Rules of the index family (FL2) are pure functions of the :class:`~feedlint.model.ProjectModel`;
the installer semantics they rely on live here, one module per concern:

* :mod:`feedlint.lookup.common`: classifying an index URL (PyPI, public mirror, known
  third-party public index, private, unknown) after resolving environment references
  against the file's own assignments, and comparing indexes;
* :mod:`feedlint.lookup.pip`: pip's view: requirements-file chains (options in nested
  ``-r``/``-c`` files apply globally, ``-i`` replaces the whole list), pip config sections
  (``[global]`` < ``[<command>]``, keys replaced, never merged), command lines and
  ``PIP_*`` environment variables;
* :mod:`feedlint.lookup.projects`: Poetry, uv, PDM and Pipenv projects: their sources with
  effective priorities and the set of sources searched for a given package.
"""

from __future__ import annotations
