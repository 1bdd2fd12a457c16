"""pyproject.toml: PEP 621 ``[project]``, PEP 735 ``[dependency-groups]``, and the
``[tool.*]`` tables of Poetry (:mod:`.poetry`), uv (:mod:`.uvtoml`), PDM (:mod:`.pdm`)
and Hatch.

* ``[project] name``: a ``project`` :class:`PackageRef` at the name.
* ``dependencies``, ``optional-dependencies.<extra>`` (group = extra) and
  ``[dependency-groups] <group>`` (group = group name; ``{include-group = ...}`` items
  name no package): ``dependency`` references parsed with :mod:`packaging`, located at
  the first character of the requirement; an invalid string is FL001 at that item.
* ``[tool.hatch.envs.<env>.env-vars]``: each variable is recorded through
  :func:`feedlint.parsers.commands.apply_env` (origin ``hatch-env``), so
  ``PIP_INDEX_URL``/``UV_*`` and secrets there mean what they mean in a shell.
* Hatch ``scripts``/``pre-install-commands``/``post-install-commands`` and PDM
  ``[tool.pdm.scripts]`` (string, ``cmd`` string or ``shell``): each command string is a
  :class:`Command` (origin ``project-script``) read by
  :func:`~feedlint.parsers.commands.extract_command`, so ``pip install
  --extra-index-url ...`` there is seen like in a shell script.
* ``[tool.feedlint]`` is the linter's own configuration: nothing to model.
"""

from __future__ import annotations

from typing import Optional

from feedlint.model import FileModel, Installer, PackageRef, SourceFile
from feedlint.parsers.commands import apply_env, extract_command
from feedlint.parsers.pdm import read_pdm
from feedlint.parsers.pep508 import requirement_ref
from feedlint.parsers.poetry import read_poetry
from feedlint.parsers.textmap import MappedText
from feedlint.parsers.tomlpos import (
    KeyPath,
    TomlDoc,
    as_str,
    as_table,
    load_toml,
    str_items,
    table_at,
)
from feedlint.parsers.uvtoml import read_uv
from feedlint.urls import normalize_name

__all__ = ["parse"]


def _requirements(doc: TomlDoc, fm: FileModel, path: KeyPath, items: object, group: str) -> None:
    if not isinstance(items, list):
        if items is not None:
            where = doc.value_loc(path)
            fm.problem("dependencies must be an array of strings", where.line, where.column)
        return
    for i, item in enumerate(items):
        where = (*path, i)
        if isinstance(item, str):
            requirement_ref(item, doc.item_loc(where, item), fm, group=group)
        elif isinstance(item, dict) and "include-group" in item:
            continue
        else:
            loc = doc.key_loc(where)
            fm.problem("dependency must be a requirement string", loc.line, loc.column)


def _project(doc: TomlDoc, fm: FileModel) -> Optional[str]:
    project = table_at(doc.data, ("project",))
    name = as_str(project.get("name"))
    if name:
        fm.packages.append(
            PackageRef(
                normalize_name(name),
                doc.value_loc(("project", "name")),
                "project",
                Installer.ANY,
                raw_name=name,
            )
        )
    _requirements(doc, fm, ("project", "dependencies"), project.get("dependencies"), "")
    for extra, items in as_table(project.get("optional-dependencies")).items():
        _requirements(doc, fm, ("project", "optional-dependencies", extra), items, extra)
    for group, items in table_at(doc.data, ("dependency-groups",)).items():
        _requirements(doc, fm, ("dependency-groups", group), items, group)
    return name


def _hatch(doc: TomlDoc, fm: FileModel) -> None:
    envs = table_at(doc.data, ("tool", "hatch", "envs"))
    for env_name, env in envs.items():
        base = ("tool", "hatch", "envs", env_name, "env-vars")
        for var, value in as_table(as_table(env).get("env-vars")).items():
            if isinstance(value, bool):
                text = "true" if value else "false"
            elif isinstance(value, (str, int, float)):
                text = str(value)
            else:
                continue
            apply_env(
                var,
                text,
                doc.key_loc((*base, var)),
                fm,
                "hatch-env",
                value_location=doc.value_loc((*base, var)),
            )


def _command(doc: TomlDoc, fm: FileModel, path: KeyPath, text: object) -> None:
    if not isinstance(text, str) or not text.strip():
        return
    start = doc.value_loc(path)
    cmd = MappedText.at(text, start.line, start.column).command(fm.path, "project-script")
    fm.commands.append(cmd)
    extract_command(cmd, fm)


def _scripts(doc: TomlDoc, fm: FileModel) -> None:
    envs = table_at(doc.data, ("tool", "hatch", "envs"))
    for env_name, env in envs.items():
        env = as_table(env)
        base: KeyPath = ("tool", "hatch", "envs", env_name)
        for key in ("pre-install-commands", "post-install-commands"):
            for i, text in str_items(env.get(key)):
                _command(doc, fm, (*base, key) if i < 0 else (*base, key, i), text)
        for name, script in as_table(env.get("scripts")).items():
            path = (*base, "scripts", name)
            for i, text in str_items(script):
                _command(doc, fm, path if i < 0 else (*path, i), text)
    base = ("tool", "pdm", "scripts")
    for name, script in table_at(doc.data, base).items():
        if isinstance(script, str):
            _command(doc, fm, (*base, name), script)
        elif isinstance(script, dict):
            for key in ("cmd", "shell"):
                if isinstance(script.get(key), str):
                    _command(doc, fm, (*base, name, key), script[key])


def parse(source: SourceFile) -> FileModel:
    fm = FileModel(source)
    doc = load_toml(source, fm)
    name = _project(doc, fm)
    read_poetry(doc, fm, name)
    read_uv(doc, fm, ("tool", "uv"))
    read_pdm(doc, fm)
    _hatch(doc, fm)
    _scripts(doc, fm)
    return fm
