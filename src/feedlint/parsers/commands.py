"""Shell command lines and environment assignments: what installers they configure.

Used by every parser that meets shell (Dockerfile ``RUN``, CI ``script:`` steps, shell
scripts, tox ``commands``/``install_command``) or environment variables (Dockerfile
``ENV``/``ARG``, CI ``env:``/``variables:``, ``export``, ``.env``, tox ``setenv``, hatch
``env-vars``):

* :func:`extract_command` reads one :class:`~feedlint.model.Command` and adds the index
  references, settings, package references, publish targets, credentials and env
  assignments it implies to a :class:`~feedlint.model.FileModel`.
* :func:`apply_env` does the same for one ``NAME=value`` assignment.

Recognised invocations: ``pip``/``pip3``/``python [options] -m pip`` (``install``, ``download``,
``wheel``, ``config set``), ``uv pip ...``, ``uv add/sync/lock/run/tool install``,
``poetry source add``, ``poetry config``, ``poetry publish``, ``twine upload``,
``pipenv install``.
"""

from __future__ import annotations

import re
from typing import Optional

from feedlint.lazyre import lazy_compile
from feedlint.model import (
    Command,
    Credential,
    EnvAssignment,
    FileModel,
    IndexRef,
    IndexRole,
    Installer,
    Location,
    PackageRef,
    PublishTarget,
    Setting,
)
from feedlint.record import Record
from feedlint.urls import normalize_name

__all__ = [
    "INSTALLS_FACT",
    "SECRET_NAME",
    "RequirementInstall",
    "Token",
    "apply_env",
    "extract_command",
    "is_pip",
    "is_secret_name",
    "program_name",
    "snake_words",
    "split_words",
]

#: Variable or option names whose value is a secret (match it on :func:`snake_words`).
SECRET_NAME = lazy_compile(
    r"(?i)(^|[_\-.])(password|passwd|pwd|token|secret|pat|api[_-]?key|access[_-]?key|auth|credentials?)($|[_\-.])"
)
_CAMEL_BREAK = lazy_compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake_words(name: str) -> str:
    """``name`` with its camelCase words split as snake_case words are: ``feedPat`` ->
    ``feed_Pat``, ``myPAT`` -> ``my_PAT``, ``PATToken`` -> ``PAT_Token`` (Azure Pipelines
    variables and PowerShell names are usually camelCase)."""
    if name.islower() or name.isupper():
        return name
    return _CAMEL_BREAK.sub("_", name)


def is_secret_name(name: str) -> bool:
    """Whether a variable, key or option ``name`` names a secret (:data:`SECRET_NAME`,
    camelCase words included)."""
    return bool(SECRET_NAME.search(snake_words(name)))


#: ``FileModel.facts`` key of the :class:`RequirementInstall` list of a file
INSTALLS_FACT = "requirement-installs"
#: (installer, subcommand) pairs that resolve and fetch what a requirements file names
_RESOLVING = frozenset(
    {
        (Installer.PIP, "install"),
        (Installer.PIP, "download"),
        (Installer.PIP, "wheel"),
        (Installer.PIP, "pip-sync"),
        (Installer.UV, "install"),
        (Installer.UV, "sync"),
    }
)


class RequirementInstall(Record, frozen=True):
    """One command that installs (or downloads, builds wheels for) the packages of a
    requirements file: ``pip install -r FILE``, ``pip wheel -r FILE``, ``uv pip install
    -r FILE``, ``uv pip sync FILE``, ``pip-sync FILE``; ``-c FILE`` too (its index lines
    apply as well).

    ``target`` is the file as written, ``location`` where it is written and ``start``
    where the simple command begins. ``indexes`` are the index options of the command
    itself (``-i``, ``--extra-index-url``, ``-f`` ...), ``no_index`` whether it says
    ``--no-index``, ``strategy`` uv's ``--index-strategy`` when given. Stored in
    ``FileModel.facts[INSTALLS_FACT]`` for the rules that follow an export to where it is
    installed (FL401).
    """

    target: str
    location: Location
    start: Location
    installer: Installer
    sub: str
    indexes: tuple[IndexRef, ...] = ()
    no_index: bool = False
    strategy: str = ""


class Token(Record, frozen=True):
    """A shell word: ``text`` with quotes removed, ``start``/``end`` offsets in the command."""

    text: str
    start: int
    end: int


_OPERATORS = ("&&", "||", ";", "|", "&", "\n", "(", ")")
_OP_CHARS = frozenset("&|;\n()")
_PLAIN_RUN = lazy_compile(r"[^ \t\r\n;&|()'\"\\$`]+")


def _balanced(text: str, i: int) -> int:
    """Index of the bracket closing the one at ``text[i]`` (``len(text) - 1`` if none)."""
    opener = text[i]
    closer = {"(": ")", "{": "}"}[opener]
    depth, j, n = 0, i, len(text)
    while j < n:
        if text[j] == opener:
            depth += 1
        elif text[j] == closer:
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return n - 1


def _double_quoted(text: str, i: int, buf: list[str]) -> int:
    """Read the double-quoted string opening at ``text[i]`` into ``buf`` (a backslash
    escapes a quote, backslash, dollar or backtick; ``$(...)`` is kept whole); return the
    offset after it."""
    j, n = i + 1, len(text)
    while j < n and text[j] != '"':
        ch = text[j]
        if ch == "\\" and j + 1 < n and text[j + 1] in '"\\$`\n':
            if text[j + 1] != "\n":  # backslash-newline: a continuation, dropped
                buf.append(text[j + 1])
            j += 2
            continue
        if ch == "$" and j + 1 < n and text[j + 1] == "(":
            k = _balanced(text, j + 1)
            buf.append(text[j : k + 1])
            j = k + 1
            continue
        buf.append(ch)
        j += 1
    return j + 1


def _line_end(text: str, i: int) -> int:
    nl = text.find("\n", i)
    return len(text) if nl == -1 else nl


def split_words(text: str) -> list[list[Token]]:
    """Split ``text`` into simple commands (at ``&&``, ``||``, ``;``, ``|``, newlines) of
    words, shell-style but forgiving: unbalanced quotes end at the end of the text,
    ``$(...)``/``${...}`` and a backquoted command on one line stay inside their word, ``#`` at a word start comments out the rest
    of the line, a backslash-newline (or PowerShell's backtick-newline) continues the line,
    and a double-quoted string honours its backslash escapes."""
    commands: list[list[Token]] = []
    words: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r":
            i += 1
            continue
        if ch in "\\`" and text.startswith("\n", i + 1):  # line continuation
            i += 2
            continue
        if ch == "#":
            nl = text.find("\n", i)
            i = n if nl == -1 else nl
            continue
        op = (text[i : i + 2] if text[i : i + 2] in ("&&", "||") else ch) if ch in _OP_CHARS else ""
        if op:
            if words:
                commands.append(words)
                words = []
            i += len(op)
            continue
        start, buf = i, []
        while i < n:
            plain = _PLAIN_RUN.match(text, i)
            if plain:
                buf.append(plain.group(0))
                i = plain.end()
                if i >= n:
                    break
            ch = text[i]
            if ch in " \t\r\n":
                break
            if ch in ";&|)" or (ch == "(" and not (buf and buf[-1] == "$")):
                break
            if ch == "`" and text.startswith("\n", i + 1):
                break
            if ch == "\\" and i + 1 < n:
                if text[i + 1] != "\n":
                    buf.append(text[i + 1])
                i += 2
                continue
            if ch == "'":
                close = text.find(ch, i + 1)
                close = n if close == -1 else close
                buf.append(text[i + 1 : close])
                i = close + 1
                continue
            if ch == '"':
                i = _double_quoted(text, i, buf)
                continue
            if ch == "$" and i + 1 < n and text[i + 1] in "({":
                j = _balanced(text, i + 1)
                buf.append(text[i : j + 1])
                i = j + 1
                continue
            if ch == "`":  # `command` substitution on this line stays whole, like $(...)
                close = text.find("`", i + 1, _line_end(text, i))
                if close != -1:
                    buf.append(text[i : close + 1])
                    i = close + 1
                    continue
            buf.append(ch)
            i += 1
        words.append(Token("".join(buf), start, min(i, n)))
    if words:
        commands.append(words)
    return commands


# -- environment variables --------------------------------------------------------
#: env var -> (installer, role) for index-setting variables
_ENV_INDEX: dict[str, tuple[Installer, IndexRole]] = {
    "PIP_INDEX_URL": (Installer.PIP, IndexRole.INDEX),
    "PIP_EXTRA_INDEX_URL": (Installer.PIP, IndexRole.EXTRA),
    "PIP_FIND_LINKS": (Installer.PIP, IndexRole.FIND_LINKS),
    "UV_INDEX_URL": (Installer.UV, IndexRole.INDEX),
    "UV_DEFAULT_INDEX": (Installer.UV, IndexRole.INDEX),
    "UV_EXTRA_INDEX_URL": (Installer.UV, IndexRole.EXTRA),
    "UV_INDEX": (Installer.UV, IndexRole.EXTRA),
    "UV_FIND_LINKS": (Installer.UV, IndexRole.FIND_LINKS),
    "PIPENV_PYPI_MIRROR": (Installer.PIPENV, IndexRole.INDEX),
    "PDM_PYPI_URL": (Installer.PDM, IndexRole.INDEX),
}
#: env var -> (installer, setting key)
_ENV_SETTING: dict[str, tuple[Installer, str]] = {
    "PIP_TRUSTED_HOST": (Installer.PIP, "trusted-host"),
    "PIP_NO_INDEX": (Installer.PIP, "no-index"),
    "PIP_KEYRING_PROVIDER": (Installer.PIP, "keyring-provider"),
    "UV_INDEX_STRATEGY": (Installer.UV, "index-strategy"),
    "UV_INSECURE_HOST": (Installer.UV, "allow-insecure-host"),
    "UV_NO_INDEX": (Installer.UV, "no-index"),
    "UV_KEYRING_PROVIDER": (Installer.UV, "keyring-provider"),
    "PIPENV_INSTALL_SEARCH_ALL_SOURCES": (Installer.PIPENV, "install-search-all-sources"),
}
_PUBLISH_ENV = lazy_compile(r"^(TWINE_REPOSITORY_URL|POETRY_REPOSITORIES_(?P<name>\w+)_URL)$")
#: env var naming a publish repository (or its URL) -> tool
_PUBLISH_REPO_ENV: dict[str, str] = {
    "TWINE_REPOSITORY": "twine",
    "UV_PUBLISH_URL": "uv",
    "PDM_PUBLISH_REPO": "pdm",
    "HATCH_INDEX_REPO": "hatch",
}


#: one whitespace-separated item of a value; ``$(...)``/``${...}`` may hold spaces
_VALUE_ITEM = lazy_compile(r"(?:\$\([^)]*\)|\$\{[^}]*\}|\S)+")


def _split_values(value: str, start: Optional[Location]) -> list[tuple[str, Optional[Location]]]:
    """Whitespace-separated values with their locations (when the start is known)."""
    out = []
    for m in _VALUE_ITEM.finditer(value):
        loc = None
        if start is not None:
            loc = Location(start.path, start.line, start.column + m.start())
        out.append((m.group(0), loc))
    return out


def apply_env(
    name: str,
    value: Optional[str],
    location: Location,
    fm: FileModel,
    origin: str,
    value_location: Optional[Location] = None,
    scope: str = "env",
) -> None:
    """Record ``name=value`` (``value`` ``None`` for a bare Docker ``ARG NAME``): the
    :class:`EnvAssignment` always, plus the index references, settings, publish targets
    and credential candidates the variable implies."""
    fm.env.append(EnvAssignment(name, value, origin, location, value_location))
    upper = name.upper()
    if value is None:
        if origin == "docker-arg" and upper in _ENV_INDEX:
            # `ARG PIP_EXTRA_INDEX_URL`: RUN sees whatever `--build-arg` passes
            installer, role = _ENV_INDEX[upper]
            fm.indexes.append(
                IndexRef(f"${{{name}}}", role, installer, location, scope="env", via=upper)
            )
        return
    vloc = value_location or location
    if upper in _ENV_INDEX:
        installer, role = _ENV_INDEX[upper]
        for item, loc in _split_values(value, value_location):
            url = (
                item.split("=", 1)[1]
                if upper == "UV_INDEX" and "=" in item and "://" not in item.split("=", 1)[0]
                else item
            )
            fm.indexes.append(IndexRef(url, role, installer, loc or vloc, scope=scope, via=upper))
    elif upper in _ENV_SETTING:
        installer, key = _ENV_SETTING[upper]
        fm.settings.append(Setting(key, value, installer, vloc, scope=scope, via=upper))
    publish = _PUBLISH_ENV.match(upper)
    if publish:
        repo = (publish.group("name") or "twine").lower()
        fm.publish_targets.append(
            PublishTarget(repo, value, "twine" if repo == "twine" else "poetry", vloc)
        )
    elif upper in _PUBLISH_REPO_ENV and value.strip():
        # a repository name, or a URL (uv's is always a URL)
        tool, item = _PUBLISH_REPO_ENV[upper], value.strip()
        if "://" in item:
            fm.publish_targets.append(PublishTarget("", item, tool, vloc))
        else:
            fm.publish_targets.append(PublishTarget(item, None, tool, vloc))
    if is_secret_name(name) and value.strip():
        fm.credentials.append(
            Credential(value.strip(), "key-value", vloc, fm.source.kind, key=name)
        )


# -- commands ----------------------------------------------------------------------
_ASSIGN = lazy_compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.DOTALL)
_WRAPPERS = frozenset({"sudo", "env", "exec", "time", "nohup", "command", "xargs", "-E", "-H"})
_PIP_VALUE_OPTS = frozenset(
    """-i --index-url --extra-index-url -f --find-links --trusted-host -r --requirement -c
    --constraint -e --editable -t --target --prefix --root --platform --python-version
    --implementation --abi --upgrade-strategy --src --cache-dir --log --progress-bar --proxy
    --retries --timeout --exists-action --cert --client-cert -C --config-settings
    --global-option --install-option --report --only-binary --no-binary --python -p
    --keyring-provider --index-strategy --default-index --index -o --output-file --resolution
    --prerelease --exclude-newer -P --upgrade-package --group --extra --with -d --dest
    --python-platform --target-dir -w --wheel-dir --no-binary --build --src --pypi-mirror
    --allow-insecure-host --override -b --build-constraint --config-file --link-mode
    --reinstall-package --refresh-package --no-build-package --directory --project
    --torch-backend --color""".split()
)
_INDEX_OPTS = {
    "-i": IndexRole.INDEX,
    "--index-url": IndexRole.INDEX,
    "--default-index": IndexRole.INDEX,
    "--extra-index-url": IndexRole.EXTRA,
    "--index": IndexRole.EXTRA,
    "-f": IndexRole.FIND_LINKS,
    "--find-links": IndexRole.FIND_LINKS,
    "--pypi-mirror": IndexRole.INDEX,
}
_PIP_CONFIG_KEY = lazy_compile(r"^(?:(?P<section>[a-z]+)\.)?(?P<key>[a-z_-]+)$")


def _at(cmd: Command, offset: int) -> Location:
    """The location of a word's content: after its opening quote, if it has one."""
    return cmd.locate(offset + (1 if cmd.text[offset : offset + 1] in ("'", '"') else 0))


# a command word that is one variable named after the program it holds: `$PIP`,
# `${PYTHON3}`, `$PIP_BIN`, `%PYTHON_EXE%` (scripts set `PIP=$(which pip)` or
# `PYTHON=venv/bin/python` once and run `$PIP install ...`)
_PROGRAM_VAR = lazy_compile(
    r"^(?:\$\{(?P<a>[a-z][a-z0-9_.]*?)(?:_(?:bin|cmd|exe|path|executable))?\}"
    r"|\$(?P<b>[a-z][a-z0-9_.]*?)(?:_(?:bin|cmd|exe|path|executable))?"
    r"|%(?P<c>[a-z][a-z0-9_.]*?)(?:_(?:bin|cmd|exe|path|executable))?%)$"
)


def program_name(word: str) -> str:
    """The program a command word runs: ``/usr/bin/Pip3`` -> ``pip3``; a variable named
    after its program: ``$PIP`` -> ``pip``, ``${PYTHON_BIN}`` -> ``python``."""
    name = word.rsplit("/", 1)[-1].lower()
    if name[:1] in ("$", "%"):
        m = _PROGRAM_VAR.match(name)
        if m:
            return m.group("a") or m.group("b") or m.group("c")
    return name


def is_pip(word: str) -> bool:
    """``pip``, ``pip3``, ``pip3.12``, ``/usr/local/bin/pip``, ``pip.exe``."""
    return bool(re.match(r"^pip(\d+(\.\d+)?)?(\.exe)?$", program_name(word)))


def _is_python(word: str) -> bool:
    return bool(re.match(r"^(python(\d+(\.\d+)?)?|py)(\.exe)?$", program_name(word)))


def _options(
    words: list[Token], value_opts: frozenset[str] = _PIP_VALUE_OPTS
) -> tuple[list[tuple[str, Token]], list[Token]]:
    """(option, value token) pairs and positional words of a pip-like argument list."""
    opts: list[tuple[str, Token]] = []
    positional: list[Token] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w.text.startswith("--") and "=" in w.text:
            opt, _, val = w.text.partition("=")
            opts.append((opt, Token(val, w.start + len(opt) + 1, w.end)))
        elif w.text in value_opts and i + 1 < len(words):
            opts.append((w.text, words[i + 1]))
            i += 1
        elif re.match(r"^-[ifrceC].+", w.text) and not w.text.startswith("--"):
            opts.append((w.text[:2], Token(w.text[2:], w.start + 2, w.end)))
        elif w.text.startswith("-"):
            opts.append((w.text, Token("", w.end, w.end)))
        else:
            positional.append(w)
        i += 1
    return opts, positional


def _package(fm: FileModel, cmd: Command, tok: Token, installer: Installer) -> None:
    text = tok.text
    if not text or text.startswith(("$", ".", "/", "-", "{", "<")) or "://" in text:
        return
    if re.search(r"\.(whl|tar\.gz|zip|txt)$", text) or "/" in text:
        return
    m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$", text)
    if not m:
        return
    spec = m.group(3)
    version = spec[2:].strip() if spec.startswith("==") and "*" not in spec else None
    fm.packages.append(
        PackageRef(
            normalize_name(m.group(1)),
            _at(cmd, tok.start),
            "command",
            installer,
            raw_name=m.group(1),
            specifier=spec,
            version=version,
        )
    )


def _pip_like(
    fm: FileModel, cmd: Command, args: list[Token], installer: Installer, sub: str
) -> None:
    opts, positional = _options(args)
    first_index = len(fm.indexes)
    for opt, val in opts:
        loc = _at(cmd, val.start)
        if opt in _INDEX_OPTS and val.text:
            url = val.text
            if opt == "--index" and "=" in url and not url.split("=", 1)[0].count("://"):
                url = url.split("=", 1)[1]
            fm.indexes.append(IndexRef(url, _INDEX_OPTS[opt], installer, loc, scope="cli", via=opt))
        elif opt in ("--trusted-host", "--allow-insecure-host") and val.text:
            key = opt[2:]
            fm.settings.append(Setting(key, val.text, installer, loc, scope="cli", via=opt))
        elif opt == "--no-index":
            fm.settings.append(
                Setting(
                    "no-index",
                    True,
                    installer,
                    cmd.locate(val.start - len(opt)),
                    scope="cli",
                    via=opt,
                )
            )
        elif opt == "--index-strategy" and val.text:
            fm.settings.append(
                Setting("index-strategy", val.text, installer, loc, scope="cli", via=opt)
            )
        elif opt in ("-r", "--requirement", "-c", "--constraint") and val.text:
            # read by the engine as requirements files, whatever their name
            files = fm.facts.setdefault("requirement-files", [])
            if isinstance(files, list) and val.text not in files:
                files.append(val.text)
        elif opt in ("--keyring-provider",) and val.text:
            fm.settings.append(
                Setting("keyring-provider", val.text, installer, loc, scope="cli", via=opt)
            )
    if sub in ("install", "download", "wheel", "add"):
        for tok in positional:
            _package(fm, cmd, tok, installer)
    if (installer, sub) in _RESOLVING:
        _record_installs(fm, cmd, args, opts, positional, installer, sub, first_index)


def _record_installs(
    fm: FileModel,
    cmd: Command,
    args: list[Token],
    opts: list[tuple[str, Token]],
    positional: list[Token],
    installer: Installer,
    sub: str,
    first_index: int,
) -> None:
    """The :class:`RequirementInstall` records of one resolving command."""
    files = [
        val
        for opt, val in opts
        if opt in ("-r", "--requirement", "-c", "--constraint") and val.text
    ]
    if sub in ("sync", "pip-sync"):  # `uv pip sync FILE`, `pip-sync FILE`: positional files
        files += [t for t in positional if re.search(r"\.(txt|in)$", t.text)]
    if not files:
        return
    refs = tuple(
        r
        for r in fm.indexes[first_index:]
        if r.scope == "cli" and r.role in (IndexRole.INDEX, IndexRole.EXTRA, IndexRole.FIND_LINKS)
    )
    no_index = any(opt == "--no-index" for opt, _ in opts)
    strategy = next((v.text for o, v in opts if o == "--index-strategy" and v.text), "")
    start = cmd.locate(args[0].start) if args else cmd.location
    installs = fm.facts.setdefault(INSTALLS_FACT, [])
    if not isinstance(installs, list):
        return
    for tok in files:
        installs.append(
            RequirementInstall(
                tok.text, _at(cmd, tok.start), start, installer, sub, refs, no_index, strategy
            )
        )


def _pip_config(fm: FileModel, cmd: Command, args: list[Token]) -> None:
    """``pip config [--global|--user|--site] set section.key value``."""
    words = [w for w in args if not w.text.startswith("-")]
    if len(words) < 3 or words[0].text != "set":
        return
    m = _PIP_CONFIG_KEY.match(words[1].text.lower())
    if not m:
        return
    section, key = m.group("section") or "global", m.group("key").replace("_", "-")
    val = words[2]
    loc = _at(cmd, val.start)
    roles = {
        "index-url": IndexRole.INDEX,
        "extra-index-url": IndexRole.EXTRA,
        "find-links": IndexRole.FIND_LINKS,
    }
    if key in roles:
        quote = 1 if cmd.text[val.start : val.start + 1] in ("'", '"') else 0
        for m in _VALUE_ITEM.finditer(val.text):  # "url1 url2": each located at itself
            fm.indexes.append(
                IndexRef(
                    m.group(0),
                    roles[key],
                    Installer.PIP,
                    cmd.locate(val.start + quote + m.start()),
                    scope=section,
                    via="pip config set",
                )
            )
    elif key in ("trusted-host", "no-index", "keyring-provider"):
        fm.settings.append(
            Setting(key, val.text, Installer.PIP, loc, scope=section, via="pip config set")
        )


def _poetry(fm: FileModel, cmd: Command, args: list[Token]) -> None:
    words = [w for w in args if not w.text.startswith("-")]
    if not words:
        return
    sub = words[0].text
    if sub == "source" and len(words) >= 4 and words[1].text == "add":
        priority = None
        for i, w in enumerate(args):
            if w.text.startswith("--priority"):
                priority = w.text.partition("=")[2] or (
                    args[i + 1].text if i + 1 < len(args) else None
                )
            elif w.text in ("--secondary", "--default"):
                priority = w.text[2:]
        if priority and words[-1].text == priority:
            words = words[:-1]
        if len(words) >= 4:
            fm.indexes.append(
                IndexRef(
                    words[3].text,
                    IndexRole.SOURCE,
                    Installer.POETRY,
                    _at(cmd, words[3].start),
                    name=words[2].text,
                    priority=priority,
                    scope="cli",
                    via="poetry source add",
                )
            )
    elif sub == "config" and len(words) >= 3:
        key = words[1].text
        if key.startswith("http-basic.") and len(words) >= 4:
            fm.credentials.append(
                Credential(
                    words[3].text,
                    "key-value",
                    _at(cmd, words[3].start),
                    fm.source.kind,
                    key=f"{key}.password",
                )
            )
        elif key.startswith("pypi-token."):
            fm.credentials.append(
                Credential(
                    words[2].text, "key-value", _at(cmd, words[2].start), fm.source.kind, key=key
                )
            )
        elif key.startswith("repositories.") and (
            key.count(".") == 1 or (key.count(".") == 2 and key.endswith(".url"))
        ):
            fm.publish_targets.append(
                PublishTarget(key.split(".")[1], words[2].text, "poetry", _at(cmd, words[2].start))
            )
    elif sub == "publish":
        if not any(w.text in ("-r", "--repository", "--dry-run") for w in args) and not any(
            w.text.startswith("--repository=") for w in args
        ):
            _default_pypi_target(fm, cmd, words[0], "poetry", ())
        for i, w in enumerate(args):
            if w.text in ("-r", "--repository") and i + 1 < len(args):
                fm.publish_targets.append(
                    PublishTarget(args[i + 1].text, None, "poetry", _at(cmd, args[i + 1].start))
                )
            elif w.text.startswith("--repository="):
                fm.publish_targets.append(
                    PublishTarget(
                        w.text.split("=", 1)[1],
                        None,
                        "poetry",
                        _at(cmd, w.start + len("--repository=")),
                    )
                )
            elif w.text in ("-p", "--password") and i + 1 < len(args):
                fm.credentials.append(
                    Credential(
                        args[i + 1].text,
                        "key-value",
                        _at(cmd, args[i + 1].start),
                        fm.source.kind,
                        key="poetry publish --password",
                    )
                )


_TWINE_VALUE_OPTS = frozenset(
    {
        "-r",
        "--repository",
        "--repository-url",
        "-u",
        "--username",
        "-p",
        "--password",
        "--config-file",
        "--comment",
        "--sign-with",
        "-i",
        "--identity",
        "--cert",
        "--client-cert",
    }
)


#: where an upload goes when the command names no repository: PyPI
_PYPI_UPLOAD = "https://upload.pypi.org/legacy/"


def _default_pypi_target(
    fm: FileModel, cmd: Command, word: Token, tool: str, env_names: tuple[str, ...]
) -> None:
    """A publish command that names no repository uploads to PyPI, unless the file sets
    one of ``env_names`` (``TWINE_REPOSITORY_URL`` ...) that would redirect it."""
    if any(a.name.upper() in env_names for a in fm.env):
        return
    fm.publish_targets.append(PublishTarget("pypi", _PYPI_UPLOAD, tool, _at(cmd, word.start)))


def _twine(fm: FileModel, cmd: Command, args: list[Token]) -> None:
    if not args or args[0].text != "upload":
        return
    opts, _ = _options(args[1:], _TWINE_VALUE_OPTS)
    if not any(opt in ("-r", "--repository", "--repository-url") for opt, _ in opts):
        _default_pypi_target(
            fm, cmd, args[0], "twine", ("TWINE_REPOSITORY", "TWINE_REPOSITORY_URL")
        )
    for opt, val in opts:
        loc = _at(cmd, val.start)
        if opt in ("-r", "--repository") and val.text:
            fm.publish_targets.append(PublishTarget(val.text, None, "twine", loc))
        elif opt == "--repository-url" and val.text:
            fm.publish_targets.append(PublishTarget("", val.text, "twine", loc))
            fm.indexes.append(
                IndexRef(val.text, IndexRole.PUBLISH, Installer.TWINE, loc, scope="cli", via=opt)
            )
        elif opt in ("-p", "--password") and val.text:
            fm.credentials.append(
                Credential(val.text, "key-value", loc, fm.source.kind, key="twine --password")
            )


# -- shells, wrappers, environment --------------------------------------------------
#: words after which the next word is still the command's program
_KEYWORDS = frozenset({"then", "do", "else", "elif", "if", "while", "until", "!", "{", "time"})
#: options of sudo/env that take a value
_WRAPPER_VALUE_OPTS = frozenset(
    {"-u", "-g", "-C", "-D", "-h", "-p", "-U", "-r", "-t", "--user", "--group", "--chdir"}
)
_SHELL_EXES = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash", "mksh"})
_PS_ENV = lazy_compile(
    r"(?i)^\$(?:\{env:(?P<b>[A-Za-z_][A-Za-z0-9_]*)\}|env:(?P<n>[A-Za-z_][A-Za-z0-9_]*))"
    r"(?P<eq>=(?P<v>.*))?$",
    re.DOTALL,
)
_PS_SETENV = lazy_compile(
    r"""(?i)\[(?:System\.)?Environment\]::SetEnvironmentVariable\(\s*(['"])"""
    r"""(?P<name>[A-Za-z_][A-Za-z0-9_]*)\1\s*,\s*(['"])(?P<value>[^'"\n]*)\3"""
)
# A step handing a variable to the later steps of its job: Azure Pipelines logging
# command `##vso[task.setvariable variable=NAME;...]VALUE`, GitHub `echo "NAME=VALUE" >>
# $GITHUB_ENV` (also `$env:GITHUB_ENV` in PowerShell).
_CI_SETVAR = lazy_compile(
    r"##vso\[task\.setvariable\s+variable=(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:;[^\]\n]*)?\]"
    r"(?P<value>[^\"'\n]*)"
)
_GITHUB_ENV = lazy_compile(
    r"""(?m)\becho\s+(?P<q>['"]?)(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>[^\n]*?)(?P=q)"""
    r"""\s*>>\s*["']?\$\{?(?:env:)?GITHUB_ENV\}?["']?"""
)
_BUILD_ARG = lazy_compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$", re.DOTALL)
_MAX_NESTING = 6
#: tools whose ``run``/``exec`` subcommand runs another command
_RUNNERS = frozenset({"poetry", "uv", "pipenv", "pdm", "hatch", "rye", "tox"})


def _assign_word(
    cmd: Command, fm: FileModel, w: Token, origin: str, scope: str = "env", bare: bool = False
) -> bool:
    """Record a ``NAME=value`` word (also ``"NAME=value"`` quoted whole, and a bare
    ``NAME`` when ``bare``); the value is located after its opening quote."""
    m = (_BUILD_ARG if bare else _ASSIGN).match(w.text)
    if not m:
        return False
    raw = cmd.text[w.start : w.end]
    name_start = w.start + (1 if raw[:1] in ("'", '"') else 0)
    value = m.group(2)
    if value is None:
        apply_env(m.group(1), None, cmd.locate(name_start), fm, origin, scope=scope)
        return True
    eq = cmd.text.find("=", name_start, w.end)
    vstart = eq + 1 if eq != -1 else w.start
    apply_env(m.group(1), value, cmd.locate(name_start), fm, origin, _at(cmd, vstart), scope)
    return True


def _inner_command(cmd: Command, tok: Token) -> Command:
    """The script of ``sh -c 'SCRIPT'`` as a command of its own, located in ``cmd``'s
    file (exactly unless the script has backslash escapes)."""
    raw = cmd.text[tok.start : tok.end]
    start = tok.start + (1 if raw[:1] in ("'", '"') else 0)
    first = cmd.locate(start)
    segments = [(0, first.line, first.column)]
    for offset, line, column in cmd.line_map:
        if start < offset < tok.end:
            segments.append((offset - start, line, column))
    return Command(tok.text, first, cmd.origin, cmd.secret_mounts, tuple(segments))


def _shell_script(rest: list[Token]) -> tuple[Optional[Token], list[Token]]:
    """For ``sh -c SCRIPT``, ``cmd /c ...`` and ``powershell -Command ...``: the script
    word (when it is one word) or the words of the command to run."""
    exe = re.sub(r"\.exe$", "", program_name(rest[0].text))
    if exe in _SHELL_EXES:
        for k, w in enumerate(rest[1:], start=1):
            if re.match(r"^-[A-Za-z]*c[A-Za-z]*$", w.text):
                return (rest[k + 1] if k + 1 < len(rest) else None), []
            if not w.text.startswith("-"):
                break
        return None, []
    if exe == "cmd":
        flags = ("/c", "/k", "/C", "/K")
    elif exe in ("powershell", "pwsh"):
        flags = ("-c", "-command", "-Command", "-C")
    else:
        return None, []
    for k, w in enumerate(rest[1:], start=1):
        if w.text in flags:
            tail = rest[k + 1 :]
            if len(tail) == 1:
                return tail[0], []
            return None, tail
    return None, []


def _ps_env(cmd: Command, fm: FileModel, rest: list[Token]) -> bool:
    """PowerShell ``$env:NAME = "value"`` (also ``${env:NAME}=value``)."""
    m = _PS_ENV.match(rest[0].text)
    if not m:
        return False
    name = m.group("b") or m.group("n")
    name_loc = cmd.locate(rest[0].start + (6 if m.group("b") else 5))
    if m.group("eq") is not None:
        raw = cmd.text[rest[0].start : rest[0].end]
        vstart = rest[0].start + raw.find("=") + 1
        apply_env(name, m.group("v"), name_loc, fm, "shell-export", _at(cmd, vstart))
    elif len(rest) > 2 and rest[1].text == "=":
        apply_env(name, rest[2].text, name_loc, fm, "shell-export", _at(cmd, rest[2].start))
    return True


def _docker_build(fm: FileModel, cmd: Command, args: list[Token]) -> None:
    """``docker [buildx|image|compose] build --build-arg NAME[=value]`` (also podman,
    buildah, nerdctl): build arguments end up readable in the image's history."""
    if not any(w.text in ("build", "bud") for w in args[:3]):
        return
    i = 0
    while i < len(args):
        w = args[i]
        tok: Optional[Token] = None
        if w.text == "--build-arg" and i + 1 < len(args):
            tok = args[i + 1]
            i += 1
        elif w.text.startswith("--build-arg="):
            skip = len("--build-arg=")
            tok = Token(w.text[skip:], w.start + skip, w.end)
        if tok is not None:
            _assign_word(cmd, fm, tok, "docker-build-arg", bare=True)
        i += 1


def _option_value(args: list[Token], i: int, names: tuple[str, ...]) -> Optional[Token]:
    """The value of option ``args[i]`` when it is one of ``names`` (``-r X``, ``--repo=X``)."""
    w = args[i]
    if w.text in names and i + 1 < len(args):
        return args[i + 1]
    for name in names:
        if name.startswith("--") and w.text.startswith(name + "="):
            skip = len(name) + 1
            return Token(w.text[skip:], w.start + skip, w.end)
    return None


def _publish(
    fm: FileModel,
    cmd: Command,
    args: list[Token],
    tool: str,
    repo_opts: tuple[str, ...],
    url_opts: tuple[str, ...],
    secret_opts: tuple[str, ...],
) -> None:
    """``uv publish`` / ``pdm publish`` / ``hatch publish``: where to and with what."""
    for i in range(len(args)):
        for opts, what in ((repo_opts, "repo"), (url_opts, "url"), (secret_opts, "secret")):
            val = _option_value(args, i, opts) if opts else None
            if val is None or not val.text:
                continue
            loc = _at(cmd, val.start)
            if what == "secret":
                fm.credentials.append(
                    Credential(
                        val.text,
                        "key-value",
                        loc,
                        fm.source.kind,
                        key=f"{tool} publish {args[i].text.split('=', 1)[0]}",
                    )
                )
            elif what == "url" or "://" in val.text:
                fm.publish_targets.append(PublishTarget("", val.text, tool, loc))
            else:
                fm.publish_targets.append(PublishTarget(val.text, None, tool, loc))


def _pdm(fm: FileModel, cmd: Command, args: list[Token]) -> None:
    words = [w for w in args if not w.text.startswith("-")]
    if not words:
        return
    sub = words[0].text
    if sub == "publish":
        _publish(
            fm,
            cmd,
            args[1:],
            "pdm",
            ("-r", "--repository"),
            (),
            ("-P", "--password"),
        )
    elif sub == "config" and len(words) >= 3:
        key, val = words[1].text, words[2]
        parts = key.split(".")
        if parts[0] != "pypi" or len(parts) not in (2, 3):
            return
        name = parts[1] if len(parts) == 3 else None
        field_ = parts[-1]
        loc = _at(cmd, val.start)
        if field_ == "url":
            fm.indexes.append(
                IndexRef(
                    val.text,
                    IndexRole.SOURCE if name else IndexRole.INDEX,
                    Installer.PDM,
                    loc,
                    name=name or "pypi",
                    scope="cli",
                    via="pdm config",
                )
            )
        elif field_ == "password":
            fm.credentials.append(Credential(val.text, "key-value", loc, fm.source.kind, key=key))
    elif sub in ("add", "install"):
        _pip_like(fm, cmd, args[1:], Installer.PDM, sub if sub == "add" else "")


#: interpreter options that take a value (``-W ignore``, ``-X utf8``)
_PYTHON_VALUE_FLAGS = "WX"


def _python_module(words: list[Token]) -> list[Token]:
    """For ``python [options] -m MODULE ARGS``: MODULE and ARGS (``-I -m pip``, ``-Im pip``,
    ``-mpip``, ``-W ignore -m pip``, ``py -3 -m pip``); empty for a script or ``-c``."""
    j = 1
    while j < len(words):
        w = words[j]
        text = w.text
        if text == "--check-hash-based-pycs":
            j += 2
            continue
        if text.startswith("--"):
            j += 1
            continue
        if not text.startswith("-") or text == "-":
            return []
        step = 1
        for k, ch in enumerate(text[1:], start=2):
            attached = text[k:]
            if ch == "c":
                return []
            if ch == "m":
                if attached:
                    skip = len(w.text) - len(attached)
                    return [Token(attached, w.start + skip, w.end), *words[j + 1 :]]
                return words[j + 1 :]
            if ch in _PYTHON_VALUE_FLAGS:
                step = 1 if attached else 2
                break
        j += step
    return []


def _pip_sub(args: list[Token]) -> int:
    """Index of pip's subcommand in its arguments (global options may come first)."""
    i = 0
    while i < len(args):
        w = args[i].text
        if not w.startswith("-"):
            return i
        i += 2 if (w in _PIP_VALUE_OPTS and "=" not in w) else 1
    return len(args)


def extract_command(cmd: Command, fm: FileModel, _depth: int = 0) -> None:
    """Add to ``fm`` what the command line ``cmd`` configures (see the module docstring).

    ``sh -c 'SCRIPT'`` (and ``bash -c``, ``cmd /c``, ``powershell -Command``) is read
    too; ``_depth`` bounds that nesting.
    """
    for m in _PS_SETENV.finditer(cmd.text):
        apply_env(
            m.group("name"),
            m.group("value"),
            cmd.locate(m.start("name")),
            fm,
            "shell-export",
            cmd.locate(m.start("value")),
        )
    if "##vso[" in cmd.text or "GITHUB_ENV" in cmd.text:
        for m in [*_CI_SETVAR.finditer(cmd.text), *_GITHUB_ENV.finditer(cmd.text)]:
            apply_env(
                m.group("name"),
                m.group("value").strip(),
                cmd.locate(m.start("name")),
                fm,
                "ci-env",
                cmd.locate(m.start("value")),
            )
    for words in split_words(cmd.text):
        _simple_command(cmd, fm, words, _depth)


def _simple_command(cmd: Command, fm: FileModel, words: list[Token], depth: int) -> None:
    # leading NAME=value assignments apply to this command only; keywords (`then`,
    # `do` ...) and wrappers (`sudo -E`, `env -u X`) come before the program too
    i = 0
    wrapped = False
    while i < len(words):
        w = words[i].text
        if w in _KEYWORDS:
            i += 1
        elif _ASSIGN.match(w):
            _assign_word(cmd, fm, words[i], "command-prefix")
            i += 1
        elif w in _WRAPPERS:
            wrapped = True
            i += 1
        elif wrapped and w.startswith("-") and len(w) > 1:
            i += 2 if w in _WRAPPER_VALUE_OPTS else 1
        else:
            break
    rest = words[i:]
    if not rest:
        return
    head = rest[0].text
    if _ps_env(cmd, fm, rest):
        return
    if head in ("export", "set", "declare", "typeset", "readonly"):
        if head == "set" and len(rest) > 1 and rest[1].text.lower() in ("/p", "/a"):
            return  # cmd's `set /p NAME=prompt` reads the value from the user
        for w in rest[1:]:
            if not w.text.startswith("-"):
                _assign_word(cmd, fm, w, "shell-export")
        return
    if head.lower() in ("setx", "setx.exe") and len(rest) > 2 and not rest[1].text.startswith("/"):
        name_start = rest[1].start + (1 if cmd.text[rest[1].start] in ("'", '"') else 0)
        apply_env(
            rest[1].text,
            rest[2].text,
            cmd.locate(name_start),
            fm,
            "shell-export",
            _at(cmd, rest[2].start),
        )
        return
    script, tail = _shell_script(rest)
    if script is not None or tail:
        if depth < _MAX_NESTING:
            if script is not None:
                extract_command(_inner_command(cmd, script), fm, depth + 1)
            else:
                _simple_command(cmd, fm, tail, depth + 1)
        return
    if _is_python(head):
        module = _python_module(rest)
        if module:
            rest = module
            head = rest[0].text
    exe = program_name(head)
    args = rest[1:]
    if exe in _RUNNERS and args and args[0].text == ("exec" if exe == "tox" else "run"):
        # `poetry run twine upload ...`, `uv run --with x pip install ...`
        k = 1
        while k < len(args) and args[k].text.startswith("-"):
            k += 2 if (args[k].text in _PIP_VALUE_OPTS and "=" not in args[k].text) else 1
        if exe == "uv":  # uv's own options come before the command
            _pip_like(fm, cmd, args[1:k], Installer.UV, "run")
        if k < len(args) and depth < _MAX_NESTING:
            _simple_command(cmd, fm, args[k:], depth + 1)
        return
    if is_pip(head) and args:
        k = _pip_sub(args)
        sub = args[k].text if k < len(args) else ""
        if sub == "config":
            _pip_config(fm, cmd, args[k + 1 :])
        else:
            _pip_like(fm, cmd, args[:k] + args[k + 1 :], Installer.PIP, sub)
    elif exe == "uv" and args:
        if args[0].text in ("pip", "tool") and len(args) > 1:
            _pip_like(fm, cmd, args[2:], Installer.UV, args[1].text)
        elif args[0].text == "publish":
            named = ("--index", "--publish-url", "--dry-run")
            if not any(w.text.split("=", 1)[0] in named for w in args[1:]):
                _default_pypi_target(fm, cmd, args[0], "uv", ("UV_PUBLISH_URL", "UV_PUBLISH_INDEX"))
            _publish(
                fm,
                cmd,
                args[1:],
                "uv",
                ("--index",),
                ("--publish-url",),
                ("-t", "--token", "-p", "--password"),
            )
        else:
            _pip_like(fm, cmd, args[1:], Installer.UV, args[0].text)
    elif exe == "uvx":
        _pip_like(fm, cmd, args, Installer.UV, "run")
    elif exe == "poetry":
        _poetry(fm, cmd, args)
    elif exe == "twine":
        _twine(fm, cmd, args)
    elif exe == "pipenv" and args:
        _pip_like(fm, cmd, args[1:], Installer.PIPENV, args[0].text)
    elif exe == "pipx" and args:
        _pip_like(fm, cmd, args[1:], Installer.PIP, args[0].text)
    elif exe in ("pip-compile", "pip-sync"):
        _pip_like(fm, cmd, args, Installer.PIP, exe)
    elif exe == "pdm":
        _pdm(fm, cmd, args)
    elif exe == "hatch" and args and args[0].text == "publish":
        _publish(
            fm,
            cmd,
            args[1:],
            "hatch",
            ("-r", "--repo"),
            (),
            ("-a", "--auth"),
        )
    elif exe in ("docker", "podman", "buildah", "nerdctl", "docker.exe", "podman.exe"):
        _docker_build(fm, cmd, args)
