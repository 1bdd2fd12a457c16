"""Shell command lines and environment assignments: what installers they configure.

Used by every parser that meets shell (Dockerfile ``RUN``, CI ``script:`` steps, shell
scripts, tox ``commands``/``install_command``) or environment variables (Dockerfile
``ENV``/``ARG``, CI ``env:``/``variables:``, ``export``, ``.env``, tox ``setenv``, hatch
``env-vars``):

* :func:`extract_command` reads one :class:`~feedlint.model.Command` and adds the index
  references, settings, package references, publish targets, credentials and env
  assignments it implies to a :class:`~feedlint.model.FileModel`.
* :func:`apply_env` does the same for one ``NAME=value`` assignment.

Recognised invocations: ``pip``/``pip3``/``python -m pip`` (``install``, ``download``,
``wheel``, ``config set``), ``uv pip ...``, ``uv add/sync/lock/run/tool install``,
``poetry source add``, ``poetry config``, ``poetry publish``, ``twine upload``,
``pipenv install``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

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
from feedlint.urls import normalize_name

__all__ = ["SECRET_NAME", "Token", "apply_env", "extract_command", "split_words"]

#: Variable or option names whose value is a secret.
SECRET_NAME = re.compile(
    r"(?i)(^|[_\-.])(password|passwd|pwd|token|secret|pat|api[_-]?key|access[_-]?key|auth|credentials?)($|[_\-.])"
)


@dataclass(frozen=True)
class Token:
    """A shell word: ``text`` with quotes removed, ``start``/``end`` offsets in the command."""

    text: str
    start: int
    end: int


_OPERATORS = ("&&", "||", ";", "|", "&", "\n", "(", ")")


def split_words(text: str) -> list[list[Token]]:
    """Split ``text`` into simple commands (at ``&&``, ``||``, ``;``, ``|``, newlines) of
    words, shell-style but forgiving: unbalanced quotes end at the end of the text,
    ``$(...)``/``${...}`` stay inside their word, ``#`` at a word start comments out the rest
    of the line."""
    commands: list[list[Token]] = []
    words: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r":
            i += 1
            continue
        if ch == "#":
            nl = text.find("\n", i)
            i = n if nl == -1 else nl
            continue
        op = next((o for o in _OPERATORS if text.startswith(o, i)), None)
        if op:
            if words:
                commands.append(words)
                words = []
            i += len(op)
            continue
        start, buf = i, []
        while i < n:
            ch = text[i]
            if ch in " \t\r\n":
                break
            if ch in ";&|)" or (ch == "(" and not (buf and buf[-1] == "$")):
                break
            if ch == "\\" and i + 1 < n:
                buf.append(text[i + 1])
                i += 2
                continue
            if ch in "'\"":
                close = text.find(ch, i + 1)
                close = n if close == -1 else close
                buf.append(text[i + 1 : close])
                i = close + 1
                continue
            if ch == "$" and i + 1 < n and text[i + 1] in "({":
                pair = {"(": ")", "{": "}"}[text[i + 1]]
                depth, j = 0, i + 1
                while j < n:
                    if text[j] == text[i + 1]:
                        depth += 1
                    elif text[j] == pair:
                        depth -= 1
                        if depth == 0:
                            break
                    j += 1
                buf.append(text[i : j + 1])
                i = j + 1
                continue
            buf.append(ch)
            i += 1
        words.append(Token("".join(buf), start, i))
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
_PUBLISH_ENV = re.compile(r"^(TWINE_REPOSITORY_URL|POETRY_REPOSITORIES_(?P<name>\w+)_URL)$")


def _split_values(value: str, start: Optional[Location]) -> list[tuple[str, Optional[Location]]]:
    """Whitespace-separated values with their locations (when the start is known)."""
    out = []
    for m in re.finditer(r"\S+", value):
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
    if value is None:
        return
    upper = name.upper()
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
    if SECRET_NAME.search(name) and value.strip():
        fm.credentials.append(
            Credential(value.strip(), "key-value", vloc, fm.source.kind, key=name)
        )


# -- commands ----------------------------------------------------------------------
_ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.DOTALL)
_WRAPPERS = frozenset({"sudo", "env", "exec", "time", "nohup", "command", "xargs", "-E", "-H"})
_PIP_VALUE_OPTS = frozenset(
    """-i --index-url --extra-index-url -f --find-links --trusted-host -r --requirement -c
    --constraint -e --editable -t --target --prefix --root --platform --python-version
    --implementation --abi --upgrade-strategy --src --cache-dir --log --progress-bar --proxy
    --retries --timeout --exists-action --cert --client-cert -C --config-settings
    --global-option --install-option --report --only-binary --no-binary --python -p
    --keyring-provider --index-strategy --default-index --index -o --output-file --resolution
    --prerelease --exclude-newer -P --upgrade-package --group --extra --with -d --dest
    --python-platform --target-dir -w --wheel-dir --no-binary --build --src""".split()
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
_PIP_CONFIG_KEY = re.compile(r"^(?:(?P<section>[a-z]+)\.)?(?P<key>[a-z_-]+)$")


def _exe(word: str) -> str:
    return word.rsplit("/", 1)[-1].lower()


def _is_pip(word: str) -> bool:
    return bool(re.match(r"^pip(\d+(\.\d+)?)?(\.exe)?$", _exe(word)))


def _is_python(word: str) -> bool:
    return bool(re.match(r"^(python(\d+(\.\d+)?)?|py)(\.exe)?$", _exe(word)))


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
            cmd.locate(tok.start),
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
    for opt, val in opts:
        loc = cmd.locate(val.start)
        if opt in _INDEX_OPTS and val.text:
            url = val.text
            if opt == "--index" and "=" in url and not url.split("=", 1)[0].count("://"):
                url = url.split("=", 1)[1]
            fm.indexes.append(IndexRef(url, _INDEX_OPTS[opt], installer, loc, scope="cli", via=opt))
        elif opt == "--trusted-host" and val.text:
            fm.settings.append(
                Setting("trusted-host", val.text, installer, loc, scope="cli", via=opt)
            )
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
        elif opt in ("--keyring-provider",) and val.text:
            fm.settings.append(
                Setting("keyring-provider", val.text, installer, loc, scope="cli", via=opt)
            )
    if sub in ("install", "download", "wheel", "add"):
        for tok in positional:
            _package(fm, cmd, tok, installer)


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
    loc = cmd.locate(val.start)
    roles = {
        "index-url": IndexRole.INDEX,
        "extra-index-url": IndexRole.EXTRA,
        "find-links": IndexRole.FIND_LINKS,
    }
    if key in roles:
        for item, _ in _split_values(val.text, None):
            fm.indexes.append(
                IndexRef(item, roles[key], Installer.PIP, loc, scope=section, via="pip config set")
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
                    cmd.locate(words[3].start),
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
                    cmd.locate(words[3].start),
                    fm.source.kind,
                    key=f"{key}.password",
                )
            )
        elif key.startswith("pypi-token."):
            fm.credentials.append(
                Credential(
                    words[2].text, "key-value", cmd.locate(words[2].start), fm.source.kind, key=key
                )
            )
        elif key.startswith("repositories.") and key.count(".") == 1:
            fm.publish_targets.append(
                PublishTarget(
                    key.split(".", 1)[1], words[2].text, "poetry", cmd.locate(words[2].start)
                )
            )
    elif sub == "publish":
        for i, w in enumerate(args):
            if w.text in ("-r", "--repository") and i + 1 < len(args):
                fm.publish_targets.append(
                    PublishTarget(args[i + 1].text, None, "poetry", cmd.locate(args[i + 1].start))
                )
            elif w.text.startswith("--repository="):
                fm.publish_targets.append(
                    PublishTarget(w.text.split("=", 1)[1], None, "poetry", cmd.locate(w.start))
                )
            elif w.text in ("-p", "--password") and i + 1 < len(args):
                fm.credentials.append(
                    Credential(
                        args[i + 1].text,
                        "key-value",
                        cmd.locate(args[i + 1].start),
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


def _twine(fm: FileModel, cmd: Command, args: list[Token]) -> None:
    if not args or args[0].text != "upload":
        return
    opts, _ = _options(args[1:], _TWINE_VALUE_OPTS)
    for opt, val in opts:
        loc = cmd.locate(val.start)
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


def extract_command(cmd: Command, fm: FileModel) -> None:
    """Add to ``fm`` what the command line ``cmd`` configures (see the module docstring)."""
    for words in split_words(cmd.text):
        # leading NAME=value assignments apply to this command only
        i = 0
        while i < len(words) and _ASSIGN.match(words[i].text):
            name, value = _ASSIGN.match(words[i].text).groups()  # type: ignore[union-attr]
            vstart = words[i].start + len(name) + 1
            quoted = cmd.text[vstart : vstart + 1] in ("'", '"')
            apply_env(
                name,
                value,
                cmd.locate(words[i].start),
                fm,
                "command-prefix",
                cmd.locate(vstart + (1 if quoted else 0)),
                scope="env",
            )
            i += 1
        while i < len(words) and words[i].text in _WRAPPERS:
            i += 1
        rest = words[i:]
        if not rest:
            continue
        head = rest[0].text
        if head in ("export", "set") and len(rest) > 1:
            for w in rest[1:]:
                m = _ASSIGN.match(w.text)
                if m:
                    vstart = w.start + len(m.group(1)) + 1
                    quoted = cmd.text[vstart : vstart + 1] in ("'", '"')
                    apply_env(
                        m.group(1),
                        m.group(2),
                        cmd.locate(w.start),
                        fm,
                        "shell-export",
                        cmd.locate(vstart + (1 if quoted else 0)),
                    )
            continue
        if _is_python(head) and len(rest) > 2 and rest[1].text == "-m":
            rest = rest[2:]
            head = rest[0].text
        exe = _exe(head)
        args = rest[1:]
        if _is_pip(head) and args:
            sub = args[0].text
            if sub == "config":
                _pip_config(fm, cmd, args[1:])
            else:
                _pip_like(fm, cmd, args[1:], Installer.PIP, sub)
        elif exe == "uv" and args:
            if args[0].text in ("pip", "tool") and len(args) > 1:
                _pip_like(fm, cmd, args[2:], Installer.UV, args[1].text)
            else:
                _pip_like(fm, cmd, args[1:], Installer.UV, args[0].text)
        elif exe == "poetry":
            _poetry(fm, cmd, args)
        elif exe == "twine":
            _twine(fm, cmd, args)
        elif exe == "pipenv" and args:
            _pip_like(fm, cmd, args[1:], Installer.PIPENV, args[0].text)
