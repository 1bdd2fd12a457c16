"""CI pipeline files: Azure Pipelines, GitHub Actions, GitLab CI (and Bitbucket, Travis,
CircleCI by the same keys), and Jenkinsfiles (best effort).

The YAML is read by :mod:`feedlint.parsers._yaml` (no YAML library: positions are exact,
nothing can make it raise). Then, wherever they appear:

* shell: Azure ``script:``/``bash:``/``pwsh:``/``powershell:`` steps, GitHub ``run:``
  (``shell: python`` steps are skipped, ``pwsh``/``powershell`` read as PowerShell),
  GitLab/Bitbucket ``script:``/``before_script:``/``after_script:`` (a string or a list),
  CircleCI ``run: {command: ...}``, Travis phases, and the inline scripts of the Azure
  ``Bash``/``CmdLine``/``PowerShell``/``AzureCLI``/``AzurePowerShell`` tasks. Each logical
  line becomes a :class:`~feedlint.model.Command` (origin ``ci-script``) with an exact
  ``line_map`` and goes through :func:`extract_command`.
* variables: ``env:`` (workflow, job, step), ``variables:`` (mapping, GitLab
  ``{value: ...}``, Azure ``- name: X / value: Y``), CircleCI ``environment:``, Travis
  ``env:`` strings -> :func:`apply_env` (origin ``ci-env``), values kept raw
  (``$(System.AccessToken)``, ``${{ secrets.X }}``: rules decide).
* ``TwineAuthenticate`` feeds -> :class:`PublishTarget` (tool ``TwineAuthenticate``);
  ``PipAuthenticate`` feeds -> ``facts["pip-authenticate"]``;
  ``pypa/gh-action-pypi-publish`` -> its repository; secret-named ``with:``/``inputs:``
  values -> credential candidates; Docker build arguments (``Docker@2 arguments``,
  ``docker/build-push-action build-args``) -> env assignments (origin ``docker-build-arg``).

Invalid YAML is read as far as possible and never reported: CI systems report it better.
"""

from __future__ import annotations

import re
from typing import Optional

from feedlint.lazyre import lazy_compile
from feedlint.model import (
    Credential,
    FileModel,
    IndexRef,
    IndexRole,
    Installer,
    Location,
    PublishTarget,
    SourceFile,
)
from feedlint.parsers._shell import run_script
from feedlint.parsers._yaml import (
    Entry,
    Mapping,
    Node,
    Scalar,
    Sequence,
    read_yaml,
    scalar_start,
)
from feedlint.parsers.commands import apply_env, extract_command, is_secret_name, split_words
from feedlint.parsers.textmap import MappedText
from feedlint.record import Record, replace

__all__ = ["parse"]

_NOT_SECRET = lazy_compile(r"(?i)^(true|false|yes|no|on|off|null|~|\d+)?$")
_SHELL_TASKS = {
    "bash": ("script",),
    "cmdline": ("script",),
    "shellscript": (),
    "powershell": ("script",),
    "azurecli": ("inlineScript",),
    "azurepowershell": ("Inline", "inline"),
}
_TRAVIS_PHASES = frozenset(
    """before_install install before_script script after_script after_success after_failure
    before_deploy after_deploy before_cache""".split()
)
_SCRIPT_KEYS = frozenset({"script", "before_script", "after_script"})
#: inputs (and their aliases) naming feeds, v0 and v1 of the Azure tasks
_TWINE_AUTH_INPUTS = (
    "artifactFeed",
    "artifactFeeds",
    "feedList",
    "feedUrl",
    "pythonUploadServiceConnection",
    "externalFeeds",
    "externalSources",
)
_PIP_AUTH_INPUTS = (
    "artifactFeeds",
    "feedList",
    "feedUrl",
    "pythonDownloadServiceConnections",
    "externalFeeds",
    "externalSources",
)
_SERVICE_CONNECTION_INPUT = lazy_compile(
    r"(?i)(credentials?|connections?|endpoints?|serviceconnections?)$"
)
_AZURE_MACRO = lazy_compile(r"\$\(([A-Za-z0-9_.\-]+)\)")
_ASSIGN = lazy_compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.DOTALL)


class _Ctx(Record, frozen=True):
    shell: str = ""  # the default shell (GitHub `defaults: run: shell:`)


def _ci_system(path: str, roots: list[Node]) -> str:
    lower = path.lower()
    name = lower.rsplit("/", 1)[-1]
    if "/.github/workflows/" in f"/{lower}":
        return "github"
    if name.startswith(".gitlab-ci") or "/.gitlab/" in f"/{lower}":
        return "gitlab"
    if "/.circleci/" in f"/{lower}":
        return "circleci"
    if name == "bitbucket-pipelines.yml":
        return "bitbucket"
    if name == ".travis.yml":
        return "travis"
    if "azure-pipeline" in name or "/.azure-pipelines/" in f"/{lower}":
        return "azure"
    keys = {e.key for r in roots if isinstance(r, Mapping) for e in r.entries}
    if {"runs-on", "jobs"} & keys and "on" in keys:
        return "github"
    if {"pool", "trigger", "steps", "stages", "extends"} & keys:
        return "azure"
    return "yaml"


def _dialect(shell: str) -> Optional[str]:
    """``sh`` or ``ps`` for a step's shell; ``None`` when the step is not shell at all."""
    word = shell.split()[0].lower() if shell.strip() else ""
    if word in ("pwsh", "powershell"):
        return "ps"
    if word.startswith("python") or word in ("node", "ruby", "perl"):
        return None
    return "sh"


def _value_location(fm: FileModel, scalar: Scalar) -> Location:
    return fm.loc(*scalar_start(scalar))


def _items(scalar: Scalar) -> list[tuple[str, int]]:
    """Comma-separated items of a task input with their offsets (a service connection
    name may hold spaces: ``PyPI Upload``)."""
    out = []
    for m in re.finditer(r"[^,\n]+", scalar.value):
        item = m.group(0).strip()
        if item:
            out.append((item, m.start() + m.group(0).index(item)))
    return out


class _Walker:
    def __init__(self, fm: FileModel, ci: str, roots: list[Node], anchors: dict[str, Node]) -> None:
        self.fm = fm
        self.ci = ci
        self.roots = roots
        self.anchors = anchors
        self.done: set[int] = set()
        self.variables: dict[str, str] = {}
        # the mapping whose script keys run in one shell (a GitLab job, a workflow or
        # pipeline step); see :meth:`commands`
        self.owner = 0
        for root in roots:
            self.collect_variables(root, 0)

    # -- helpers ----------------------------------------------------------------------
    def collect_variables(self, node: Optional[Node], depth: int) -> None:
        """Literal Azure/GitLab variables, to resolve ``$(feedName)`` in task inputs."""
        if depth > 50 or node is None:
            return
        if isinstance(node, Mapping):
            for e in node.entries:
                if e.key == "variables":
                    for name, _, value, _ in self.assignments(e.value):
                        if value is not None:
                            self.variables.setdefault(name, value.value)
                else:
                    self.collect_variables(e.value, depth + 1)
        elif isinstance(node, Sequence):
            for item in node.items:
                self.collect_variables(item, depth + 1)

    def resolve(self, text: str) -> str:
        return _AZURE_MACRO.sub(lambda m: self.variables.get(m.group(1), m.group(0)), text)

    def deref(self, node: Optional[Node]) -> Optional[Node]:
        """The anchored node an ``*alias`` names (``None`` for ``!reference`` tags)."""
        if isinstance(node, Scalar) and node.style == "alias":
            return self.anchors.get(node.value[1:].strip()) if node.value.startswith("*") else None
        return node

    def commands(self, node: Optional[Node], dialect: Optional[str] = "sh", depth: int = 0) -> None:
        node = self.deref(node)
        if node is None or dialect is None or depth > 20:
            return
        if isinstance(node, Scalar):
            if node.style != "alias" and node.value.strip() and id(node) not in self.done:
                self.done.add(id(node))  # an anchored script read again through an alias
                run_script(node.text, self.fm, "ci-script", dialect=dialect)
                # which shell the script runs in: `export`/`$env:` there reaches only the
                # later commands of that shell, not other jobs or steps
                end = node.text.locate(max(len(node.value) - 1, 0))
                shells = self.fm.facts.setdefault("ci.shells", [])
                if isinstance(shells, list):
                    shells.append((node.text.locate(0), end, self.owner))
        elif isinstance(node, Sequence):
            for item in node.items:
                self.commands(item, dialect, depth + 1)
        elif isinstance(node, Mapping):
            self.walk(node, "", _Ctx())

    def assignments(
        self, node: Optional[Node], depth: int = 0
    ) -> list[tuple[str, Location, Optional[Scalar], Optional[tuple[str, Location]]]]:
        """(name, name location, value scalar, or (value, location) for `K=V` strings)
        of an ``env:``/``variables:`` block in any of its shapes."""
        out: list[tuple[str, Location, Optional[Scalar], Optional[tuple[str, Location]]]] = []
        node = self.deref(node)
        if depth > 20:
            return out
        if isinstance(node, Mapping):
            for e in node.entries:
                if e.key == "<<":  # merge key: `<<: *common`
                    out.extend(self.assignments(e.value, depth + 1))
                    continue
                if e.key.startswith("${{") or (
                    e.key in ("global", "jobs", "matrix")
                    and isinstance(e.value, (Mapping, Sequence))
                ):
                    out.extend(self.assignments(e.value, depth + 1))  # conditions, Travis
                    continue
                if not re.match(r"^[A-Za-z_][A-Za-z0-9_.\-]*$", e.key):
                    continue
                value = e.value
                if isinstance(value, Mapping):  # GitLab {value: x, description: y}
                    value = value.get("value")
                if value is None:
                    loc = self.fm.loc(e.line, e.column)
                    out.append((e.key, loc, None, ("", loc)))
                elif isinstance(value, Scalar) and value.style != "alias":
                    out.append((e.key, self.fm.loc(e.line, e.column), value, None))
        elif isinstance(node, Sequence):
            for item in node.items:
                if isinstance(item, Mapping) and item.get("name") is not None:
                    name = item.scalar("name")
                    value = item.scalar("value")
                    if (
                        name is not None
                        and name.value
                        and (value is None or value.style != "alias")
                    ):
                        out.append((name.value, _value_location(self.fm, name), value, None))
                elif isinstance(item, Mapping):  # `- ${{ if ... }}:` insertions
                    for e in item.entries:
                        if e.key.startswith("${{"):
                            out.extend(self.assignments(e.value, depth + 1))
                elif isinstance(item, Scalar) and item.style != "alias":
                    for words in split_words(item.value):
                        for w in words:
                            m = _ASSIGN.match(w.text)
                            if not m:
                                continue
                            line, col = item.text.locate(w.start)
                            raw = item.value[w.start : w.end]
                            eq = raw.find("=")
                            vpos = w.start + eq + 1
                            vpos += 1 if item.value[vpos : vpos + 1] in ("'", '"') else 0
                            vline, vcol = item.text.locate(vpos)
                            out.append(
                                (
                                    m.group(1),
                                    self.fm.loc(line, col),
                                    None,
                                    (m.group(2), self.fm.loc(vline, vcol)),
                                )
                            )
        return out

    def env_block(self, node: Optional[Node], origin: str = "ci-env") -> None:
        for name, loc, scalar, literal in self.assignments(node):
            if literal is not None:
                apply_env(name, literal[0], loc, self.fm, origin, literal[1])
            elif scalar is not None:
                apply_env(
                    name, scalar.value, loc, self.fm, origin, _value_location(self.fm, scalar)
                )

    def secret_inputs(self, inputs: Optional[Node], azure_task: bool = False) -> None:
        """Secret-named task/action inputs with their values. An Azure task input named
        ``...Credentials``/``...Connection``/``...Endpoint`` (``publishFeedCredentials``,
        ``externalFeedCredentials``) takes the *name* of a service connection."""
        if not isinstance(inputs, Mapping):
            return
        for e in inputs.entries:
            value = e.value
            if not isinstance(value, Scalar) or value.style == "alias":
                continue
            if azure_task and _SERVICE_CONNECTION_INPUT.search(e.key):
                continue
            if is_secret_name(e.key) and not _NOT_SECRET.match(value.value.strip()):
                self.fm.credentials.append(
                    Credential(
                        value.value.strip(),
                        "key-value",
                        _value_location(self.fm, value),
                        self.fm.source.kind,
                        key=e.key,
                    )
                )

    def build_args(self, scalar: Optional[Scalar]) -> None:
        """Newline-separated ``NAME=value`` Docker build arguments."""
        if scalar is None:
            return
        text = scalar.value
        for m in re.finditer(r"[^\n]+", text):
            line_text = m.group(0).strip()
            a = _ASSIGN.match(line_text)
            if not a:
                continue
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            nline, ncol = scalar.text.locate(start)
            vline, vcol = scalar.text.locate(start + len(a.group(1)) + 1)
            apply_env(
                a.group(1),
                a.group(2),
                self.fm.loc(nline, ncol),
                self.fm,
                "docker-build-arg",
                self.fm.loc(vline, vcol),
            )

    # -- Azure tasks and GitHub actions ------------------------------------------------
    def task(self, step: Mapping, task: Scalar) -> None:
        self.owner = id(step)
        base = task.value.split("@", 1)[0].strip()
        key = base.lower()
        inputs = step.get("inputs")
        inputs = inputs if isinstance(inputs, Mapping) else Mapping(0, 0)
        if key == "twineauthenticate":
            for field_ in _TWINE_AUTH_INPUTS:
                scalar = inputs.scalar(field_)
                if scalar is None:
                    continue
                for item, offset in _items(scalar):
                    line, col = scalar.text.locate(offset)
                    value = self.resolve(item)
                    if "://" in value:  # feedUrl
                        target = PublishTarget(
                            "", value, "TwineAuthenticate", self.fm.loc(line, col)
                        )
                    else:  # `-r` takes the feed name (without its project) or the endpoint
                        name = value.rsplit("/", 1)[-1]
                        target = PublishTarget(
                            name, None, "TwineAuthenticate", self.fm.loc(line, col)
                        )
                    self.fm.publish_targets.append(target)
        elif key == "pipauthenticate":
            extra = inputs.scalar("onlyAddExtraIndex")
            only_extra = bool(extra and extra.value.strip().lower() in ("true", "yes", "on"))
            facts = self.fm.facts.setdefault("pip-authenticate", [])
            for field_ in _PIP_AUTH_INPUTS:
                scalar = inputs.scalar(field_)
                if scalar is None:
                    continue
                for item, offset in _items(scalar):
                    line, col = scalar.text.locate(offset)
                    facts.append(  # type: ignore[union-attr]
                        {
                            "feed": self.resolve(item),
                            "raw": item,
                            "input": field_,
                            "only_add_extra_index": only_extra,
                            "line": line,
                            "column": col,
                            "task_line": task.line,
                        }
                    )
            self.pip_authenticate_indexes(inputs, only_extra)
        elif key in _SHELL_TASKS:
            dialect = "ps" if "powershell" in key else "sh"
            if key == "azurecli":
                stype = inputs.scalar("scriptType")
                if stype is not None and stype.value.strip().lower() in ("ps", "pscore"):
                    dialect = "ps"
            for field_ in _SHELL_TASKS[key]:
                self.commands(inputs.get(field_), dialect)
        elif key in ("docker", "dockercompose"):
            args = inputs.scalar("arguments")
            if args is not None and "--build-arg" in args.value:
                text = MappedText()
                text.add_virtual("docker build ")
                text.add_from(args.text, 0, len(args.text))
                extract_command(text.command(self.fm.path, "ci-script"), self.fm)
            self.build_args(inputs.scalar("buildArguments"))
        self.secret_inputs(inputs, azure_task=True)

    def pip_authenticate_indexes(self, inputs: Mapping, only_extra: bool) -> None:
        """The indexes ``PipAuthenticate`` hands to every later step: the first Azure
        Artifacts feed becomes ``PIP_INDEX_URL`` and the others ``PIP_EXTRA_INDEX_URL``;
        with ``onlyAddExtraIndex: true`` every feed is an extra index beside PyPI. A feed
        name (``project/feed``) is written as its Azure Artifacts URL with the organization
        left as ``<organization>``. Service connections to other organizations are skipped:
        their URL is not in the file."""
        feeds: list[tuple[str, Location]] = []
        for field_ in ("feedUrl", "artifactFeeds", "feedList"):
            scalar = inputs.scalar(field_)
            if scalar is None:
                continue
            for item, offset in _items(scalar):
                line, col = scalar.text.locate(offset)
                feeds.append((self.resolve(item), self.fm.loc(line, col)))
        for i, (feed, loc) in enumerate(feeds):
            if "://" in feed:
                url = feed
            else:
                project, _, name = feed.rpartition("/")
                project = f"{project}/" if project else ""
                url = f"https://pkgs.dev.azure.com/<organization>/{project}_packaging/{name}/pypi/simple/"
            role = IndexRole.INDEX if i == 0 and not only_extra else IndexRole.EXTRA
            via = (
                "PipAuthenticate with onlyAddExtraIndex: true" if only_extra else "PipAuthenticate"
            )
            self.fm.indexes.append(IndexRef(url, role, Installer.PIP, loc, scope="env", via=via))

    def action(self, step: Mapping, uses: Scalar) -> None:
        name = uses.value.strip().lower()
        with_ = step.get("with")
        with_ = with_ if isinstance(with_, Mapping) else Mapping(0, 0)
        if name.startswith("pypa/gh-action-pypi-publish"):
            repo = with_.scalar("repository-url") or with_.scalar("repository_url")
            tool = "gh-action-pypi-publish"
            if repo is not None and repo.value.strip():
                loc = _value_location(self.fm, repo)
                url = repo.value.strip()
                self.fm.publish_targets.append(PublishTarget("", url, tool, loc))
                self.fm.indexes.append(
                    IndexRef(
                        url,
                        IndexRole.PUBLISH,
                        Installer.TWINE,
                        loc,
                        scope="ci",
                        via="repository-url",
                    )
                )
            else:
                loc = _value_location(self.fm, uses)
                self.fm.publish_targets.append(
                    PublishTarget("pypi", "https://upload.pypi.org/legacy/", tool, loc)
                )
        elif name.startswith("docker/build-push-action"):
            self.build_args(with_.scalar("build-args"))
        self.secret_inputs(with_)

    # -- the walk -------------------------------------------------------------------------
    def walk(self, node: Optional[Node], parent: str, ctx: _Ctx, depth: int = 0) -> None:
        if node is None or depth > 100:
            return
        if isinstance(node, Sequence):
            for item in node.items:
                self.walk(item, parent, ctx, depth + 1)
            return
        if not isinstance(node, Mapping):
            return
        defaults = node.get("defaults")
        if isinstance(defaults, Mapping):
            run = defaults.get("run")
            if isinstance(run, Mapping) and run.scalar("shell") is not None:
                ctx = _Ctx(run.scalar("shell").value)  # type: ignore[union-attr]
        task = node.scalar("task")
        uses = node.scalar("uses")
        if task is not None:
            self.task(node, task)
        if uses is not None:
            self.action(node, uses)
        for e in node.entries:
            if not self.entry(node, e, parent, ctx, task is not None, uses is not None):
                self.walk(e.value, e.key, ctx, depth + 1)

    def entry(
        self, node: Mapping, e: Entry, parent: str, ctx: _Ctx, is_task: bool, is_action: bool
    ) -> bool:
        """Handle one mapping entry; ``False`` to walk into its value."""
        key, value = e.key, e.value
        self.owner = id(node)
        if (
            parent in ("with", "inputs")
            or (key == "inputs" and is_task)
            or (key == "with" and is_action)
        ):
            return True  # action and task inputs are read by task() / action()
        if key == "credentials" and isinstance(value, Mapping):  # GitHub container/services
            self.secret_inputs(value)
            return True
        if key in ("env", "variables") or (key == "environment" and self.ci == "circleci"):
            self.env_block(value)
            return True
        if key == "run":
            if isinstance(value, Scalar):
                shell = node.scalar("shell")
                self.commands(value, _dialect(shell.value if shell else ctx.shell))
                return True
            if isinstance(value, Mapping):
                self.run_mapping(value)
                return True
            return False
        if key in _SCRIPT_KEYS or (self.ci == "travis" and key in _TRAVIS_PHASES):
            self.commands(value, "sh")
            return True
        if key in ("bash", "pwsh", "powershell") and isinstance(value, Scalar):
            self.commands(value, "sh" if key == "bash" else "ps")
            return True
        return False

    def run_mapping(self, run: Mapping) -> None:
        """CircleCI ``run: {command: ..., shell: ..., environment: ...}`` and Concourse
        ``run: {path: sh, args: [-c, SCRIPT]}``."""
        shell = run.scalar("shell")
        self.commands(run.get("command"), _dialect(shell.value if shell else ""))
        self.env_block(run.get("environment"))
        path = run.scalar("path")
        args = run.get("args")
        if path is not None and isinstance(args, Sequence):
            exe = path.value.strip().rsplit("/", 1)[-1]
            if exe in ("sh", "bash", "zsh", "ash", "dash"):
                items = args.items
                for k, item in enumerate(items[:-1]):
                    if isinstance(item, Scalar) and re.match(r"^-[a-z]*c[a-z]*$", item.value):
                        self.commands(items[k + 1], "sh")
                        break


# -- Jenkinsfile ------------------------------------------------------------------------
_STEP = lazy_compile(r"(?<![\w.$])(sh|bat|powershell|pwsh)\b[ \t]*(\(\s*)?")
_NAMED_SCRIPT = lazy_compile(
    r"""(?:\w+\s*:\s*(?:'[^'\n]*'|"[^"\n]*"|[\w.]+)\s*,\s*)*script\s*:\s*(?=['"])"""
)
_ENV_LINE = lazy_compile(r"""^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(['"])""", re.MULTILINE)


def _groovy_string(text: str, i: int) -> Optional[tuple[int, int, int]]:
    """(content start, content end, end) of the Groovy string literal at ``text[i]``."""
    for quote in ('"""', "'''", '"', "'"):
        if text.startswith(quote, i):
            j = i + len(quote)
            while j < len(text):
                if text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote, j):
                    return i + len(quote), j, j + len(quote)
                if len(quote) == 1 and text[j] == "\n":
                    return None
                j += 1
            return None
    return None


def _groovy_text(src: MappedText, start: int, end: int) -> MappedText:
    """A Groovy string's content with its escapes applied (a backslash-newline is a
    line continuation in Groovy)."""
    text = src.text
    out = MappedText()
    run = start
    i = start
    while i < end:
        if text[i] == "\\" and i + 1 < end:
            out.add_from(src, run, i)
            nxt = text[i + 1]
            if nxt in "\\'\"$":
                out.add_from(src, i + 1, i + 2)
            elif nxt != "\n":
                out.add_from(src, i, i + 2)
            i += 2
            run = i
            continue
        i += 1
    out.add_from(src, run, end)
    return out


def _comment_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"/\*.*?\*/|(?:^|(?<=[\s;{}]))//[^\n]*", text, re.DOTALL):
        spans.append((m.start(), m.end()))
    return spans


def _jenkins(source: SourceFile, fm: FileModel) -> None:
    src = MappedText()
    for number, line in enumerate(source.lines, start=1):
        if number > 1:
            src.add_virtual("\n")
        src.add(line, number, 1)
    text = src.text
    comments = _comment_spans(text)

    def commented(offset: int) -> bool:
        return any(a <= offset < b for a, b in comments)

    for m in _STEP.finditer(text):
        if commented(m.start()):
            continue
        i = m.end()
        named = _NAMED_SCRIPT.match(text, i)
        if named:
            i = named.end()
        lit = _groovy_string(text, i)
        if lit is None:
            continue
        body = _groovy_text(src, lit[0], lit[1])
        dialect = "ps" if m.group(1) in ("powershell", "pwsh") else "sh"
        run_script(body, fm, "ci-script", dialect=dialect)
    for block in re.finditer(r"\benvironment\s*\{", text):
        if commented(block.start()):
            continue
        depth, j = 1, block.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        for e in _ENV_LINE.finditer(text, block.end(), j):
            lit = _groovy_string(text, e.start(2))
            if lit is None:
                continue
            value = _groovy_text(src, lit[0], lit[1])
            nline, ncol = src.locate(e.start(1))
            vline, vcol = src.locate(lit[0])
            apply_env(
                e.group(1), value.text, fm.loc(nline, ncol), fm, "ci-env", fm.loc(vline, vcol)
            )
    for block in re.finditer(r"\bwithEnv\s*\(\s*\[", text):
        if commented(block.start()):
            continue
        j = block.end()
        while j < len(text) and text[j] != "]":
            lit = _groovy_string(text, j) if text[j] in "'\"" else None
            if lit is None:
                j += 1
                continue
            item = _groovy_text(src, lit[0], lit[1])
            a = _ASSIGN.match(item.text)
            if a:
                nline, ncol = item.locate(0)
                vline, vcol = item.locate(len(a.group(1)) + 1)
                apply_env(
                    a.group(1), a.group(2), fm.loc(nline, ncol), fm, "ci-env", fm.loc(vline, vcol)
                )
            j = lit[2]


def parse(source: SourceFile) -> FileModel:
    """Parse a CI file (see the module docstring)."""
    fm = FileModel(source)
    name = source.path.rsplit("/", 1)[-1].lower()
    if name.startswith("jenkinsfile") or name.endswith((".groovy", ".jenkinsfile")):
        fm.facts["ci-system"] = "jenkins"
        _jenkins(source, fm)
        return fm
    roots, anchors = read_yaml(source.lines)
    ci = _ci_system(source.path, roots)
    fm.facts["ci-system"] = ci
    walker = _Walker(fm, ci, roots, anchors)
    for root in roots:
        walker.walk(root, "", _Ctx())
    if walker.variables:  # `twine upload -r $(feedName)`: name the feed
        fm.publish_targets[:] = [
            replace(t, name=walker.resolve(t.name)) if "$(" in t.name else t
            for t in fm.publish_targets
        ]
    return fm
