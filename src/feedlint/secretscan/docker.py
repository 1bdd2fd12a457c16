"""Docker builds (FL104): credentials handed to a build through ``ARG``/``ENV`` or
``--build-arg``, written into a layer by a ``RUN``, or copied in with ``COPY``/``ADD``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Optional

from feedlint import secretfix as fixes
from feedlint.kinds import basename
from feedlint.lazyre import lazy_compile
from feedlint.model import Command, FileKind, FileModel, Location, ProjectModel
from feedlint.parsers.commands import is_pip, split_words
from feedlint.record import Record
from feedlint.redact import redact
from feedlint.secretscan.base import T_DOCKER, Exposure, eol, is_commented, span_end
from feedlint.secretscan.values import (
    fallback,
    is_feed_secret_key,
    is_secret_var,
    plausible_secret,
    unquote,
    userinfo_secret,
    value_state,
)
from feedlint.tokens import identify, redact_token_shapes

# -- Docker builds (FL104) ------------------------------------------------------------------


def docker_exposures(fm: FileModel, model: ProjectModel) -> Iterator[Exposure]:
    if fm.source.kind is not FileKind.DOCKERFILE:
        return
    yield from _docker_env(fm)
    yield from _docker_key_values(fm)
    for cmd in fm.commands:
        if cmd.origin == "docker-run":
            yield from _docker_persist(fm, cmd)
    yield from _docker_heredoc_writes(fm)
    yield from _docker_copies(fm, model)


def _docker_env(fm: FileModel) -> Iterator[Exposure]:
    declared = frozenset(e.name for e in fm.env if e.origin in ("docker-arg", "docker-env"))
    for env in fm.env:
        if env.origin not in ("docker-arg", "docker-env"):
            continue
        is_arg = env.origin == "docker-arg"
        state = value_state(env.value)
        secret_name = is_secret_var(env.name) and not _switch_or_mode(env.name, env.value)
        creds = userinfo_secret(env.value) if env.value else None
        verb = "ARG" if is_arg else "ENV"
        loc, end, secret = env.location, eol(fm, env.location), env.name
        if secret_name:
            if state == "literal" and env.value is not None:
                v = unquote(env.value)
                default = fallback(v)  # `ENV TWINE_PASSWORD=${TWINE_PASSWORD:-s3cret}`
                shift = default[0] if default else 0
                v = default[1] if default else v
                if not plausible_secret(v):
                    continue
                if creds and creds[2] == "reference":
                    message = f"{verb} {redact_token_shapes(env.name)} puts a credential-bearing URL into the build"
                else:
                    token = identify(v, context=True)
                    what = f"{token} {redact(v)}" if token else f"literal secret {redact(v)}"
                    message = f"{verb} {redact_token_shapes(env.name)} sets {what}; it is stored in the image"
                    loc = env.value_location or env.location
                    loc = Location(loc.path, loc.line, loc.column + shift)
                    secret = v
                    end = span_end(fm, loc, v)
            elif is_arg and state in ("none", "empty", "placeholder", "reference"):
                message = (
                    f"build argument {redact_token_shapes(env.name)} carries a credential into the build: its value "
                    "is recorded in the history of every RUN that uses it"
                )
            elif not is_arg and state == "reference":
                message = (
                    f"ENV {redact_token_shapes(env.name)} copies a credential into the image configuration, where "
                    "`docker inspect` shows it"
                )
            else:
                continue
        elif creds is not None:
            if creds[2] == "literal":
                continue  # FL101 reports the literal itself
            message = (
                f"{verb} {redact_token_shapes(env.name)} carries an index URL whose user-info holds a credential "
                f"into the {'build history' if is_arg else 'image configuration'}"
            )
        elif not is_arg and env.value and _secret_reference(env.value, declared):
            # `ENV PIP_EXTRA_INDEX_URL https://pypi.fury.io/${GEMFURY_TOKEN}/acme/`
            message = (
                f"ENV {redact_token_shapes(env.name)} copies the credential "
                f"{_secret_reference(env.value, declared)} into the image configuration, where "
                "`docker inspect` shows it"
            )
        else:
            continue
        commented = is_commented(fm, loc)
        texts = {"FL104": (message, fixes.docker_fix("arg" if is_arg else "env"))}
        yield Exposure(T_DOCKER, ("FL104",), loc, end, secret, texts, commented)


_REFERENCE = lazy_compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _secret_reference(value: str, declared: frozenset[str]) -> str:
    """The first secret-named variable among ``declared`` (the Dockerfile's ARG and ENV
    names: others expand to nothing) that ``value`` expands (``$GEMFURY_TOKEN``), or ``""``."""
    for m in _REFERENCE.finditer(value):
        name = m.group(1)
        if name in declared and is_secret_var(name) and not _switch_or_mode(name, None):
            return name
    return ""


_SWITCH_VALUE = lazy_compile(r"(?i)^(true|false|yes|no|on|off|\d{1,3})$")
_AUTH_ONLY = lazy_compile(r"(?i)^(.*[_\-.])?(auth|authentication)([_\-.].*)?$")
_MODE_WORD = lazy_compile(r"^[a-z][a-z0-9\-]{0,15}$")


def _switch_or_mode(name: str, value: Optional[str]) -> bool:
    """``ARG REQUIRE_TOKEN=false``, ``ENV PIP_AUTH=keyring``: a boolean or small number is
    a switch, and a lower-case word in an ``AUTH``-named variable (no ``TOKEN``,
    ``PASSWORD`` ...) is an authentication mode, not a credential."""
    v = unquote(value or "")
    if _SWITCH_VALUE.match(v):
        return True
    if not v or not _AUTH_ONLY.match(name) or not _MODE_WORD.match(v):
        return False
    others = re.sub(r"(?i)(^|[_\-.])(auth|authentication)(?=$|[_\-.])", "_", name)
    return not is_secret_var(others.strip("_-.")) if others.strip("_-.") else True


def _docker_key_values(fm: FileModel) -> Iterator[Exposure]:
    """Literal secrets passed on a RUN line (``TWINE_PASSWORD=x twine upload``, ``twine -p x``,
    ``poetry config http-basic.x u p``): the RUN text is kept in the image history."""
    for cred in fm.credentials:
        if cred.kind != "key-value" or not cred.key:
            continue
        if not (is_feed_secret_key(cred.key) or is_secret_var(cred.key)):
            continue
        value = unquote(cred.value)
        if value_state(value) != "literal":
            continue
        loc = cred.location
        default = fallback(value)
        if default is not None:  # `${TWINE_PASSWORD:-s3cret}`: the default is the secret
            loc = Location(loc.path, loc.line, loc.column + default[0])
            value = default[1]
        if not plausible_secret(value):
            continue
        token = identify(value, context=True)
        if not token and _switch_or_mode(cred.key, value):
            continue
        what = f"{token} {redact(value)}" if token else f"literal secret {redact(value)}"
        texts = {
            "FL104": (
                f"{what} for `{cred.key}` is written in the Dockerfile and kept in the image history",
                fixes.docker_fix("url"),
            )
        }
        end = span_end(fm, loc, value)
        yield Exposure(T_DOCKER, ("FL104",), loc, end, value, texts, is_commented(fm, loc))


_CRED_FILES = lazy_compile(
    r"(?i)(^|/)(\.netrc|_netrc|\.pypirc|pypirc|\.git-credentials|auth\.toml|pip\.conf|pip\.ini"
    r"|poetry\.toml|pdm\.toml|\.pdm\.toml)$"
)
_ALWAYS_SECRET_FILES = lazy_compile(r"(?i)(^|/)(\.netrc|_netrc|\.git-credentials|auth\.toml)$")
_REDIRECT = lazy_compile(r"(?:>>?|\btee\s+(?:-a\s+)?)\s*[\"']?(?P<target>[^\s;&|\"')]+)")


def _removed_later(text: str, start: int, name: str) -> bool:
    """Whether the RUN removes ``name`` again after offset ``start`` (then the layer does
    not keep it)."""
    return bool(re.search(rf"\brm\b[^;&|\n]*{re.escape(name)}", text[start:]))


def _persist_hits(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, secret or target, what) for each command in a RUN that writes a credential
    into a file: ``pip config set`` with a user-info URL, ``poetry config http-basic``/
    ``pypi-token``, ``git config url.<user-info URL>.insteadOf``, a redirection into a
    credential file."""
    for words in split_words(text):
        names = [w.text for w in words]
        low = [n.lower() for n in names]
        if "config" in low and "set" in low and any(is_pip(n) for n in low[: low.index("config")]):
            i = low.index("set")
            values = [w for w in words[i + 1 :] if not w.text.startswith("-")]
            if len(values) >= 2:
                found = userinfo_secret(values[1].text)
                unset = "pip config unset" in text or _removed_later(text, 0, "pip.conf")
                if found and not unset:
                    off = text.find(found[1], values[1].start)
                    what = "`pip config set` writes the credential into pip.conf"
                    yield (off if off >= 0 else values[1].start), found[1], what
        if len(low) >= 4 and low[0].endswith("poetry") and low[1] == "config":
            key = names[2]
            secret_word = None
            if key.startswith("http-basic.") and len(words) >= 5:
                secret_word = words[4]
            elif key.startswith("pypi-token."):
                secret_word = words[3]
            if secret_word is not None and value_state(secret_word.text) in (
                "reference",
                "literal",
            ):
                what = f"`poetry config {key}` writes the credential into Poetry's auth.toml"
                yield secret_word.start, secret_word.text, what
        if len(low) >= 3 and low[0] == "git" and low[1] == "config":
            for w in words[2:]:
                found = userinfo_secret(w.text) if "://" in w.text else None
                if found:
                    off = text.find(found[1], w.start)
                    what = "`git config ... insteadOf` writes the credential into .gitconfig"
                    yield (off if off >= 0 else w.start), found[1], what
                    break
    for m in _REDIRECT.finditer(text):
        target = m.group("target")
        if not _CRED_FILES.search(target):
            continue
        if _removed_later(text, m.end(), PurePosixPath(target).name):
            continue
        before = text[: m.start()]
        if not _ALWAYS_SECRET_FILES.search(target) and not (
            userinfo_secret(before) or re.search(r"(?i)\b(password|token)\b", before)
        ):
            continue
        yield m.start("target"), target, f"the RUN writes credentials into {target}"


def _docker_heredoc_writes(fm: FileModel) -> Iterator[Exposure]:
    """``RUN cat > /etc/pip.conf <<EOF`` and the like (``facts["writes"]`` of the Dockerfile
    parser, ``inline`` for a here-document): the body is read into the model at its lines,
    so a credential there (a reference too: the build expands it) goes into the layer."""
    raw = fm.facts.get("writes") or ()
    if not isinstance(raw, (list, tuple)):
        return
    # where the next instruction starts bounds the here-document body
    starts = sorted(
        {c.location.line for c in fm.commands}
        | {e.location.line for e in fm.env}
        | {c.location.line for c in _copy_items(fm)}
        | {w["line"] for w in raw if isinstance(w, dict) and isinstance(w.get("line"), int)}
    )
    for item in raw:
        if not isinstance(item, dict) or not item.get("inline"):
            continue
        dest = str(item.get("dest") or "")
        try:
            loc = Location(fm.path, int(item["line"]), int(item.get("column") or 1))
        except (KeyError, TypeError, ValueError):
            continue
        if not _CRED_FILES.search(basename(dest)):
            continue
        end = next((line for line in starts if line > loc.line), len(fm.source.lines) + 1)
        states = {value_state(c.value) for c in fm.credentials if loc.line < c.location.line < end}
        # a literal in the body is reported where it is (FL101 ...), with a Docker fix
        if "reference" not in states and (
            "literal" in states or not _ALWAYS_SECRET_FILES.search(basename(dest))
        ):
            continue
        texts = {
            "FL104": (
                f"the RUN writes credentials into {dest}, which stays in the image layer",
                fixes.docker_fix("persist"),
            )
        }
        yield Exposure(T_DOCKER, ("FL104",), loc, eol(fm, loc), dest, texts, is_commented(fm, loc))


def _docker_persist(fm: FileModel, cmd: Command) -> Iterator[Exposure]:
    """RUN commands that write a credential into a file of the layer (even one read from a
    BuildKit secret mount: the file outlives the mount)."""
    for offset, secret, what in _persist_hits(cmd.text):
        loc = cmd.locate(max(0, offset))
        texts = {"FL104": (f"{what}, which stays in the image layer", fixes.docker_fix("persist"))}
        yield Exposure(
            T_DOCKER, ("FL104",), loc, eol(fm, loc), secret, texts, is_commented(fm, loc)
        )


class _Copy(Record, frozen=True):
    sources: tuple[str, ...]
    dest: str
    location: Location
    inline: bool  # a here-document body (``COPY <<EOF /root/.netrc``)


def _copy_items(fm: FileModel) -> Iterator[_Copy]:
    """``fm.facts["copies"]`` as the Dockerfile parser records them: COPY/ADD of files named
    like credential files, one mapping per source (``src``, ``dest``, ``line``, ``column``,
    ``from`` for a copy out of another stage, ``inline`` for a here-document). A list of
    ``sources`` or a ``location`` is accepted too. Copies from another stage are skipped:
    the credential was already in that stage's build context or layers."""
    raw = fm.facts.get("copies") or ()
    if not isinstance(raw, (list, tuple)):
        return
    for item in raw:
        if not isinstance(item, dict) or item.get("from"):
            continue
        sources = item.get("sources", item.get("source", item.get("src")))
        if isinstance(sources, str):
            sources = [sources]
        loc = item.get("location")
        if loc is None and "line" in item:
            try:
                loc = Location(fm.path, int(item["line"]), int(item.get("column") or 1))
            except (TypeError, ValueError):
                continue
        if not isinstance(loc, Location) or not isinstance(sources, (list, tuple)):
            continue
        dest = str(item.get("dest") or "")
        yield _Copy(tuple(str(x) for x in sources), dest, loc, bool(item.get("inline")))


def _has_literal_secret(fm: Optional[FileModel]) -> bool:
    if fm is None:
        return False
    return any(
        cred.kind != "url-user" and value_state(cred.value) == "literal" for cred in fm.credentials
    )


def _docker_copies(fm: FileModel, model: ProjectModel) -> Iterator[Exposure]:
    base = PurePosixPath(fm.path).parent
    for copy in _copy_items(fm):
        dest_name = basename(copy.dest) if not copy.dest.endswith("/") else ""
        for src in copy.sources:
            names = {dest_name} if copy.inline else {dest_name, basename(src)}
            names = {n for n in names if n and _CRED_FILES.search(n)}
            if not names:
                continue
            if not any(_ALWAYS_SECRET_FILES.search(n) for n in names):
                if copy.inline:
                    continue  # a literal in the here-document body is reported where it is
                clean = src.strip("'\"")
                while clean.startswith("./"):
                    clean = clean[2:]
                tree = [str(base / clean) if str(base) != "." else clean, clean]
                in_tree = next((model.files[c] for c in tree if c in model.files), None)
                is_pypirc = bool(names & {".pypirc", "pypirc"})
                if in_tree is None and not is_pypirc:
                    continue  # pip.conf etc. not in the repository: no evidence of a secret
                if in_tree is not None and not _has_literal_secret(in_tree):
                    continue  # e.g. a pip.conf with plain index URLs
            shown = copy.dest if copy.inline else src
            texts = {
                "FL104": (
                    f"{'COPY' if not copy.inline else 'a here-document'} puts the credential "
                    f"file {shown} into the image layer",
                    fixes.docker_fix("copy"),
                )
            }
            loc = copy.location
            yield Exposure(
                T_DOCKER, ("FL104",), loc, eol(fm, loc), src, texts, is_commented(fm, loc)
            )


# -- --build-arg on docker build command lines (FL104, CI and shell files) ----------------
_BUILD_ARG = lazy_compile(
    r"--build-arg(?:=|\s+)[\"']?(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:=(?P<value>[^\s\"']*))?"
)
_BUILD_ARGS_BLOCK = lazy_compile(r"^(?P<indent>\s*)(?:-\s+)?build[-_]args:\s*(?P<rest>.*)$")
_BUILD_ARGS_ITEM = lazy_compile(
    r"^\s*(?:-\s+)?[\"']?(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*?)[\"']?\s*$"
)


def build_arg_exposures(fm: FileModel) -> Iterator[Exposure]:
    """``--build-arg`` on docker/podman build command lines and ``build-args:`` of
    docker/build-push-action: what parsers recorded as env assignments of origin
    ``docker-build-arg``, and (for files whose parser did not) a scan of the lines."""
    items: list[tuple[int, int, str, str]] = []  # (line, column, name, value)
    for env in fm.env:
        if env.origin == "docker-build-arg" and env.location.path == fm.path:
            items.append((env.location.line, env.location.column, env.name, env.value or ""))
    if fm.source.kind in (FileKind.CI_YAML, FileKind.SHELL):
        items.extend(_scan_build_args(fm))
    authed = _pip_authenticated(fm)
    task_vars = _task_url_vars(fm) if authed else frozenset()
    for number, col, name, value in items:
        creds = userinfo_secret(value) if value else None
        from_task = authed and any(
            m.group(1).upper() in task_vars for m in _VAR_REF.finditer(value or f"$({name})")
        )
        if not is_secret_var(name) and creds is None and not from_task:
            continue
        if value and value_state(value) == "placeholder" and creds is None:
            continue
        loc = Location(fm.path, number, col)
        compose = fm.source.kind is FileKind.COMPOSE
        what = "build argument" if compose else "--build-arg"
        message = (
            f"{what} {redact_token_shapes(name)} hands a credential to the Docker build, where the image "
            "history and build provenance keep it"
        )
        if from_task and not is_secret_var(name) and creds is None:
            message = (
                f"--build-arg {redact_token_shapes(name)} hands the index URL that PipAuthenticate set, with the "
                "pipeline's access token in its user-info, to the Docker build, where the "
                "image history and build provenance keep it"
            )
        texts = {
            "FL104": (message, fixes.docker_fix("compose-build-arg" if compose else "build-arg"))
        }
        # the span is this argument only: another --build-arg on the line is its own finding
        end = col + len(name) + (1 + len(value) if value else 0)
        yield Exposure(T_DOCKER, ("FL104",), loc, end, name, texts, is_commented(fm, loc))


# PipAuthenticate sets these with the access token in the URL's user-info
_PIP_AUTH_VARS = frozenset({"PIP_EXTRA_INDEX_URL", "PIP_INDEX_URL"})
# `$NAME`, `${NAME}`, `$(NAME)` (Azure macro syntax)
_VAR_REF = lazy_compile(r"\$[({]?([A-Za-z_][A-Za-z0-9_.]*)")


def _task_url_vars(fm: FileModel) -> frozenset[str]:
    """The variables (upper-cased: Azure names are case-insensitive) holding the index
    URL PipAuthenticate set: its own two and any variable a step set from them, e.g.
    `echo "##vso[task.setvariable variable=feedUrl]$PIP_EXTRA_INDEX_URL"`."""
    names = set(_PIP_AUTH_VARS)
    pending = [(e.name.upper(), e.value) for e in fm.env if e.value and "$" in e.value]
    changed = True
    while changed:
        changed = False
        for name, value in pending:
            if name not in names and any(
                m.group(1).upper() in names for m in _VAR_REF.finditer(value)
            ):
                names.add(name)
                changed = True
    return frozenset(names)


def _pip_authenticated(fm: FileModel) -> bool:
    return bool(fm.facts.get("pip-authenticate"))


def _scan_build_args(fm: FileModel) -> list[tuple[int, int, str, str]]:
    lines = fm.source.lines
    items: list[tuple[int, int, str, str]] = []  # (line, column, name, value)
    block_indent: Optional[int] = None
    for number, text in enumerate(lines, start=1):
        if block_indent is not None:
            indent = len(text) - len(text.lstrip())
            if text.strip() and indent <= block_indent:
                block_indent = None
            else:
                m = _BUILD_ARGS_ITEM.match(text)
                if m:
                    items.append((number, m.start("name") + 1, m.group("name"), m.group("value")))
                continue
        m = _BUILD_ARGS_BLOCK.match(text)
        if m and fm.source.kind is FileKind.CI_YAML:
            rest = m.group("rest").strip()
            if rest[:1] in ("|", ">", "") or rest.startswith("#"):
                block_indent = len(m.group("indent"))
            else:
                inline = _BUILD_ARGS_ITEM.match(rest)
                if inline:
                    col = text.find(rest) + inline.start("name") + 1
                    items.append((number, col, inline.group("name"), inline.group("value")))
            continue
        for b in _BUILD_ARG.finditer(text):
            items.append((number, b.start("name") + 1, b.group("name"), b.group("value") or ""))
    return items
