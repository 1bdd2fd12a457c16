"""Requirements and constraints files, read with pip's own grammar.

The grammar is pip's ``req_file.py`` (checked against pip 26):

* **lines**: a line ending in ``\\`` is joined with the next one (the backslashes are
  stripped from both ends of the joined part) unless the line is a comment; the joined
  line takes the number of its first line. A comment is ``#`` at the start of a line or
  after whitespace, to the end of the line, so ``...#egg=name`` and ``...#sha256=...``
  in URLs are not comments. Blank lines are dropped.
* **arguments and options**: the line is split at single spaces; the words before the
  first word starting with ``-`` are the requirement, the rest are options, split
  shell-style and read by optparse (``--opt VALUE``, ``--opt=VALUE``, ``-oVALUE``, unique
  prefixes of long options). An unknown option, a missing value, a bad ``--hash`` or
  ``--config-settings`` value or an unbalanced quote makes pip refuse the whole file:
  each becomes an FL001 problem at the option, and the rest of the file is still read.
* **option lines** (no requirement): ``-i/--index-url`` (replaces every index set so far,
  the earlier ``--extra-index-url`` lines included), ``--extra-index-url``,
  ``-f/--find-links``, ``--no-index``, ``--trusted-host``, ``--pre``, ``--prefer-binary``,
  ``--only-binary``/``--no-binary``, ``--require-hashes``, ``--use-feature``; and
  ``-r/--requirement``, ``-c/--constraint`` which include another file: pip then reads
  only the first include of that line and ignores every other option on it.
* **requirement lines**: only ``--hash`` and ``--config-settings`` (plus the legacy
  ``--global-option``/``--install-option``) apply; other options on the line are ignored
  by pip and so are not recorded. ``-e/--editable`` lines are requirements too.
* **requirements** are PEP 508 strings (``name[extras] specifier ; marker``,
  ``name @ url``), URLs (``git+https://...#egg=name``, ``https://.../x.whl``; markers
  after ``"; "``), or local paths and archives. Unnamed requirements (``.``,
  ``git+https://host/repo`` with no ``#egg=``) are recorded with ``name == ""``.
* **environment variables**: pip expands only ``${UPPER_CASE_NAMES}``. The model keeps the
  raw text; a requirement is checked as pip would after expansion, so ``pkg==${VERSION}``
  is not an error.

Facts recorded on the file model:

* ``index-options``: the index-changing options in the order pip applies them, as dicts
  ``{"option": spelling, "role": "index"|"extra"|"find-links"|"no-index", "line", "column"}``
  (FL202 reads it);
* ``exported-by`` and ``export-command`` from a generator header: ``pip-compile``,
  ``uv`` (``uv export``), ``uv-pip-compile`` (``uv pip compile``), ``pdm``. Poetry's export
  plugin and ``pipenv requirements`` write no header; ``export-shape`` (``poetry`` or
  ``pipenv``) says when the file has exactly the layout those tools write;
* ``env-references``: every ``${NAME}``, ``$NAME``, ``%NAME%`` outside comments, as
  ``{"text", "name", "expanded", "line", "column"}`` (``expanded`` is whether pip
  expands it).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Optional, Union

from feedlint.lazyre import lazy_compile
from feedlint.model import (
    FileModel,
    Include,
    IndexRef,
    IndexRole,
    Installer,
    Location,
    PackageRef,
    Setting,
    SourceFile,
)
from feedlint.parsers.pep508 import plain_requirement
from feedlint.parsers.textmap import MappedText
from feedlint.record import Record, field
from feedlint.urls import normalize_name

__all__ = [
    "ENV_VAR_RE",
    "RequirementsReader",
    "logical_lines",
    "parse",
    "parse_pep508",
    "resolve_include",
    "shell_tokens",
]

COMMENT_RE = lazy_compile(r"(^|\s+)#.*$")
#: The only environment references pip expands.
ENV_VAR_RE = lazy_compile(r"\$\{([A-Z0-9_]+)\}")
_SCHEME_RE = lazy_compile(r"^(http|https|file):", re.I)
_VCS_SCHEMES = (
    "git+http git+https git+ssh git+git git+file hg+file hg+http hg+https hg+ssh "
    "hg+static-http svn+ssh svn+http svn+https svn+svn svn+file bzr+http bzr+https bzr+ssh "
    "bzr+sftp bzr+ftp bzr+lp bzr+file"
).split()
_URL_SCHEMES = frozenset(["http", "https", "file", "ftp", *_VCS_SCHEMES])
_ARCHIVE_EXT = (
    ".zip .whl .tar.bz2 .tbz .tar.gz .tgz .tar .tar.xz .txz .tlz .tar.lz .tar.lzma".split()
)
_EGG_RE = lazy_compile(r"[#&]egg=([^&]*)")
_PROJECT_NAME_RE = lazy_compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.I)
_STRONG_HASHES = ("sha256", "sha384", "sha512")


# -- lines ---------------------------------------------------------------------------
def _join_lines(lines: Sequence[MappedText]) -> list[MappedText]:
    """pip's ``join_lines``: ``\\`` continuations, never after a comment line."""
    out: list[MappedText] = []
    pending: list[MappedText] = []
    for mt in lines:
        line = mt.text
        if not line.endswith("\\") or COMMENT_RE.match(line):
            if COMMENT_RE.match(line):
                mt = MappedText.join([MappedText.at(" ", mt.line, 0), mt])
            if pending:
                pending.append(mt)
                out.append(MappedText.join(pending))
                pending = []
            else:
                out.append(mt)
        else:
            lead = len(line) - len(line.lstrip("\\"))
            trail = len(line.rstrip("\\"))
            pending.append(mt.slice(lead, max(lead, trail)))
    if pending:
        out.append(MappedText.join(pending))
    return out


def logical_lines(lines: Sequence[MappedText]) -> list[MappedText]:
    """pip's preprocessing: join continuations, strip comments, drop blank lines."""
    out = []
    for mt in _join_lines(lines):
        m = COMMENT_RE.search(mt.text)
        if m:
            mt = mt.slice(0, m.start())
        mt = mt.strip()
        if mt.text:
            out.append(mt)
    return out


# -- shell-style words with positions ----------------------------------------------------
_PLAIN = lazy_compile(r"[^\s'\"\\]+")


def shell_tokens(text: Union[str, MappedText]) -> list[MappedText]:
    """``shlex.split(text)`` (POSIX) keeping positions: each word maps every one of its
    characters back to the file, through quotes and escapes (an empty word ``""`` sits
    at its opening quote). Raises ``ValueError`` like shlex does."""
    mt = text if isinstance(text, MappedText) else MappedText.at(text, 1)
    text = mt.text
    tokens: list[MappedText] = []
    i, n = 0, len(text)
    ws = " \t\r\n"
    while i < n:
        if text[i] in ws:
            i += 1
            continue
        word = MappedText.at("", *mt.locate(i))

        def add(a: int, b: int, word: MappedText = word) -> None:
            word.add_from(mt, a, b)

        while i < n and text[i] not in ws:
            ch = text[i]
            if ch == "'":
                close = text.find("'", i + 1)
                if close == -1:
                    raise ValueError("No closing quotation")
                add(i + 1, close)
                i = close + 1
            elif ch == '"':
                i += 1
                while True:
                    if i >= n:
                        raise ValueError("No closing quotation")
                    c = text[i]
                    if c == '"':
                        i += 1
                        break
                    if c == "\\" and i + 1 < n and text[i + 1] in '"\\':
                        add(i + 1, i + 2)
                        i += 2
                        continue
                    add(i, i + 1)
                    i += 1
            elif ch == "\\":
                if i + 1 >= n:
                    raise ValueError("No escaped character")
                add(i + 1, i + 2)
                i += 2
            else:
                m = _PLAIN.match(text, i)
                end = m.end() if m else i + 1
                add(i, end)
                i = end
        tokens.append(word)
    return tokens


# -- options -----------------------------------------------------------------------------
#: long option -> (canonical name, takes a value) for the options pip reads in files
_LONG: dict[str, tuple[str, bool]] = {
    "--index-url": ("index-url", True),
    "--pypi-url": ("index-url", True),
    "--extra-index-url": ("extra-index-url", True),
    "--no-index": ("no-index", False),
    "--constraint": ("constraint", True),
    "--requirement": ("requirement", True),
    "--editable": ("editable", True),
    "--find-links": ("find-links", True),
    "--no-binary": ("no-binary", True),
    "--only-binary": ("only-binary", True),
    "--prefer-binary": ("prefer-binary", False),
    "--require-hashes": ("require-hashes", False),
    "--no-require-hashes": ("no-require-hashes", False),
    "--pre": ("pre", False),
    "--all-releases": ("all-releases", True),
    "--only-final": ("only-final", True),
    "--trusted-host": ("trusted-host", True),
    "--use-feature": ("use-feature", True),
    "--hash": ("hash", True),
    "--config-settings": ("config-settings", True),
}
#: options older pips accepted in requirement files; still accepted here without a problem
_LEGACY: dict[str, tuple[str, bool]] = {
    "--global-option": ("global-option", True),
    "--install-option": ("install-option", True),
}
_SHORT: dict[str, str] = {
    "-i": "--index-url",
    "-c": "--constraint",
    "-r": "--requirement",
    "-e": "--editable",
    "-f": "--find-links",
    "-C": "--config-settings",
}
_SAFE_OPTION = lazy_compile(r"^-{1,2}[A-Za-z0-9][A-Za-z0-9_-]{0,40}$")


class _Opt(Record, frozen=True):
    name: str  # canonical (``index-url``)
    spelling: str  # as written (``-i``, ``--index-url``, ``--extra-index``)
    value: str
    at: MappedText  # the value as written (the option itself when it takes none)


def _match_long(word: str) -> tuple[Optional[str], str]:
    """optparse's long-option matching: exact, else a unique prefix. ``(option, error)``."""
    for table in (_LONG, _LEGACY):
        if word in table:
            return word, ""
    for table in (_LONG, _LEGACY):
        hits = [o for o in table if o.startswith(word)]
        if len(hits) == 1:
            return hits[0], ""
        if len(hits) > 1:
            return None, "ambiguous"
    return None, "unknown"


def _shown(word: str) -> str:
    """An option name safe to show in a message (never a value)."""
    return f"`{word}`" if _SAFE_OPTION.match(word) else "an option"


# -- requirement strings -------------------------------------------------------------------
def _is_url(text: str) -> bool:
    if ":" not in text:
        return False
    return text.split(":", 1)[0].lower() in _URL_SCHEMES


def _is_archive(path: str) -> bool:
    lower = path.lower()
    return any(lower.endswith(ext) for ext in _ARCHIVE_EXT)


def _looks_like_path(text: str) -> bool:
    """pip's test (a separator or a leading dot); ``\\`` counts too (Windows paths) unless
    the text has version operators."""
    if "/" in text or text.startswith("."):
        return True
    return "\\" in text and not re.search(r"[=<>!~]", text)


def _url_filename(url: str) -> str:
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    if "://" in path:
        path = path.split("://", 1)[1]
        path = path.split("/", 1)[1] if "/" in path else ""
    return path.rstrip("/").rsplit("/", 1)[-1]


def _substitute_env(text: str) -> tuple[str, dict[str, str]]:
    """``${NAME}`` replaced by sentinels that are valid names, versions and URL parts."""
    mapping: dict[str, str] = {}

    def repl(m: re.Match[str]) -> str:
        sentinel = f"7.7.7.7.{len(mapping) + 1}"
        mapping[sentinel] = m.group(0)
        return sentinel

    return ENV_VAR_RE.sub(repl, text), mapping


def _restore(text: str, mapping: dict[str, str]) -> str:
    for sentinel, original in sorted(mapping.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(sentinel, original)
    return text


class _Parsed(Record):
    """A requirement as pip understands it."""

    name: str = ""
    raw_name: str = ""
    name_offset: int = 0
    specifier: str = ""
    version: Optional[str] = None
    marker: str = ""
    extras: tuple[str, ...] = ()
    url: Optional[str] = None
    error: str = ""
    error_offset: int = 0


def _exact_version(specifier: str) -> Optional[str]:
    if "," in specifier:
        return None
    for op in ("===", "=="):
        if specifier.startswith(op):
            version = specifier[len(op) :].strip()
            if (op == "==" and version.endswith(".*")) or "$" in version:
                return None
            return version or None
    return None


_SAFE_REASON = lazy_compile(r"^Expected [A-Za-z0-9 ,;()_@]+$")


def _reason(exc: Exception) -> str:
    """packaging's reason when it is one of its fixed phrases (never the line's text)."""
    first = str(exc).splitlines()[0] if str(exc) else ""
    if _SAFE_REASON.match(first):
        return f"invalid requirement: {first[0].lower()}{first[1:]}"
    return "invalid requirement"


def _pep508(text: str) -> _Parsed:
    """``packaging``'s PEP 508 parse (after pip's env-var expansion, simulated)."""
    lead = len(text) - len(text.lstrip())
    plain = plain_requirement(text)
    if plain is not None:
        raw_name, specifier = plain
        return _Parsed(
            name=normalize_name(raw_name),
            raw_name=raw_name,
            name_offset=lead,
            specifier=specifier,
            version=_exact_version(specifier),
        )
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(text)
        mapping: dict[str, str] = {}
    except InvalidRequirement as exc:
        substituted, mapping = _substitute_env(text)
        error = _reason(exc)
        if not mapping:
            return _Parsed(error=error)
        try:
            req = Requirement(substituted)
        except InvalidRequirement:
            return _Parsed(error=error)
    specifier = _restore(str(req.specifier), mapping)
    raw_name = _restore(req.name, mapping)
    return _Parsed(
        name=normalize_name(raw_name),
        raw_name=raw_name,
        name_offset=lead,
        specifier=specifier,
        version=_exact_version(specifier),
        marker=_restore(str(req.marker), mapping) if req.marker else "",
        extras=tuple(sorted(req.extras)),
        url=_restore(req.url, mapping) if req.url else None,
    )


def parse_pep508(text: str) -> tuple[Optional[dict[str, object]], str]:
    """A plain PEP 508 string (setup.cfg, setup.py): ``(fields, "")`` or ``(None, error)``.

    ``fields`` has the :class:`PackageRef` keyword arguments ``name``, ``raw_name``,
    ``specifier``, ``version``, ``marker``, ``extras``, ``url``.
    """
    parsed = _pep508(text)
    if parsed.error:
        return None, parsed.error
    return {
        "name": parsed.name,
        "raw_name": parsed.raw_name,
        "specifier": parsed.specifier,
        "version": parsed.version,
        "marker": parsed.marker,
        "extras": parsed.extras,
        "url": parsed.url,
    }, ""


@lru_cache(maxsize=1024)
def _marker(text: str) -> Optional[str]:
    """The normalised marker, the text itself when it is valid only after env-var
    expansion, ``None`` when invalid. Cached: exports repeat the same markers."""
    from packaging.markers import InvalidMarker, Marker

    try:
        return str(Marker(text))
    except InvalidMarker:
        try:
            Marker(_substitute_env(text)[0])
        except InvalidMarker:
            return None
    return text


def _from_link(url: str, offset: int) -> _Parsed:
    """A URL or archive path: name from a wheel filename or an ``#egg=`` fragment."""
    filename = _url_filename(url)
    if filename.lower().endswith(".whl"):
        from packaging.utils import InvalidWheelFilename, parse_wheel_filename

        try:
            name, version, _, _ = parse_wheel_filename(filename)
        except InvalidWheelFilename:
            return _Parsed(error="invalid wheel filename", error_offset=offset)
        return _Parsed(
            name=normalize_name(name),
            raw_name=name,
            name_offset=offset,
            specifier=f"=={version}",
            version=str(version),
            url=url,
        )
    m = _EGG_RE.search(url)
    if m:
        egg = m.group(1)
        if not _PROJECT_NAME_RE.match(egg):
            return _Parsed(error="`#egg=` must be a project name", error_offset=offset)
        return _Parsed(name=normalize_name(egg), raw_name=egg, name_offset=offset, url=url)
    return _Parsed(name="", raw_name="", name_offset=offset, url=url)


def _requirement(text: str) -> _Parsed:
    """pip's ``parse_req_from_line`` for the (stripped) requirement text."""
    url_like = _is_url(text)
    sep = "; " if url_like else ";"
    marker = ""
    if sep in text:
        cut = text.index(sep)
        marker_text = text[cut + len(sep) :].strip()
        if marker_text:
            normalised = _marker(marker_text)
            if normalised is None:
                after = text[cut + len(sep) :]
                at = cut + len(sep) + len(after) - len(after.lstrip())
                return _Parsed(error="invalid environment marker", error_offset=at)
            marker = normalised
        text = text[:cut]
    name = text.rstrip()
    if url_like:
        parsed = _from_link(name, 0)
    elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", name):
        parsed = _Parsed(error="unsupported URL scheme for a requirement")
    else:
        path = re.sub(r"\[[^\]]+\]$", "", name).rstrip()
        head = name.split("@", 1)
        if _is_archive(path) and not (len(head) == 2 and not _looks_like_path(head[0])):
            parsed = _from_link(path, 0)
        elif _looks_like_path(name) and not (len(head) == 2 and not _looks_like_path(head[0])):
            pep = _pep508(name)
            parsed = _Parsed(url=path) if pep.error else pep
        else:
            parsed = _pep508(name)
    if marker and not parsed.error:
        parsed.marker = marker
    return parsed


def _editable(text: str) -> _Parsed:
    """pip's ``parse_editable``: ``name @ vcs-url``, ``vcs-url#egg=name`` or a local path."""
    pep = _pep508(text)
    if not pep.error and pep.url:
        return pep
    url = text
    path = re.sub(r"\[[^\]]+\]$", "", url).rstrip()
    if url.lower().startswith("file:"):
        return _from_link(path, 0)
    for vcs in ("git", "hg", "bzr", "svn"):
        if url.lower().startswith(f"{vcs}:"):
            url = f"{vcs}+{url}"
            break
    if not _is_url(url):
        if re.search(r"[=<>!~;\s]", path):  # a specifier, not a directory
            return _Parsed(error="an editable requirement must be a local path or a VCS URL")
        return _Parsed(url=path)  # a local project directory
    scheme = url.split(":", 1)[0].lower()
    if scheme not in _VCS_SCHEMES:
        return _Parsed(error="an editable requirement must be a local path or a VCS URL")
    parsed = _from_link(url, 0)
    if not parsed.error and not parsed.name:
        return _Parsed(error="editable VCS URL without a name (use `name @ URL` or `#egg=name`)")
    return parsed


# -- includes --------------------------------------------------------------------------
def resolve_include(base_dir: str, raw: str) -> Optional[str]:
    """Root-relative ``/`` path of an included file, ``None`` for URLs, absolute paths and
    paths leaving the root. ``base_dir`` is the including file's directory (``""`` = root)."""
    if _SCHEME_RE.search(raw) or not raw:
        return None
    path = raw.replace("\\", "/")
    if path.startswith(("/", "~")) or re.match(r"^[A-Za-z]:", path):
        return None
    joined = posixpath.normpath(posixpath.join(base_dir, path) if base_dir else path)
    if joined in (".", "..") or joined.startswith("../"):
        return None
    return joined


# -- the reader ----------------------------------------------------------------------------
class RequirementsReader(Record):
    """Reads requirements lines into ``fm``: shared by requirements files and tox ``deps``.

    ``scope`` goes into every :class:`IndexRef`/:class:`Setting` (``requirements`` for a
    requirements file, the section name for tox). ``base_dir`` is the root-relative
    directory includes are resolved against.
    """

    fm: FileModel
    base_dir: str = ""
    scope: str = "requirements"
    installer: Installer = Installer.PIP
    kind: str = "requirement"
    group: str = ""
    index_options: list[dict[str, object]] = field(default_factory=list)
    env_references: list[dict[str, object]] = field(default_factory=list)

    def loc(self, mt: MappedText, offset: int) -> Location:
        line, column = mt.locate(offset)
        return self.fm.loc(line, column)

    def problem(self, mt: MappedText, offset: int, message: str) -> None:
        line, column = mt.locate(offset)
        self.fm.problem(message, line, column)

    def refuse(self, word: MappedText, message: str) -> None:
        """A problem at ``word`` that makes pip refuse the file: no options from it."""
        self.problem(word, 0, message)

    def read(self, lines: Sequence[MappedText]) -> list[MappedText]:
        """Read physical lines (each with its position map); return the logical lines."""
        logical = logical_lines(lines)
        for mt in logical:
            self.note_env_references(mt)
            self.read_logical(mt)
        return logical

    # -- one logical line ------------------------------------------------------------
    def read_logical(self, mt: MappedText) -> None:
        words = mt.text.split(" ")
        n_args = 0
        for word in words:
            if word.startswith("-"):
                break
            n_args += 1
        args_end = len(" ".join(words[:n_args])) if n_args else 0
        opts_start = args_end + 1 if n_args else 0
        opts_mt = mt.slice(opts_start) if n_args < len(words) else mt.slice(0, 0)
        try:
            tokens = shell_tokens(opts_mt)
        except ValueError:
            self.problem(mt, opts_start, "unbalanced quote or trailing backslash in options")
            return
        opts = self._options(tokens)
        if opts is None:
            return
        editables = [o for o in opts if o.name == "editable"]
        if n_args:  # pip 26 reads ``pkg -e x`` as the editable requirement ``pkg``
            self._requirement(mt.slice(0, args_end), opts, editable=bool(editables))
            return
        if editables:
            first = editables[0]
            self._requirement(first.at, opts, editable=True, raw=first.value)
            return
        self._option_line(opts)

    def _options(self, tokens: list[MappedText]) -> Optional[list[_Opt]]:
        """optparse over ``tokens``; ``None`` (and a problem) when pip would refuse."""
        out: list[_Opt] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            word = tok.text
            if word == "--":
                break
            if word.startswith("--"):
                spelled, eq, value = word.partition("=")
                option, why = _match_long(spelled)
                if option is None:
                    self.refuse(tok, f"{why} option {_shown(spelled)}")
                    return None
                name, takes = _LONG.get(option) or _LEGACY[option]
                if takes:
                    if eq:
                        at = tok.slice(len(spelled) + 1)
                    elif i + 1 < len(tokens):
                        i += 1
                        value, at = tokens[i].text, tokens[i]
                    else:
                        self.refuse(tok, f"{_shown(spelled)} needs a value")
                        return None
                else:
                    if eq:
                        self.refuse(tok, f"{_shown(spelled)} does not take a value")
                        return None
                    value, at = "", tok
                out.append(_Opt(name, spelled, value, at))
            elif word.startswith("-") and len(word) > 1:
                short = word[:2]
                if short not in _SHORT:
                    self.refuse(tok, f"unknown option {_shown(short)}")
                    return None
                name = _LONG[_SHORT[short]][0]
                if len(word) > 2:
                    value, at = word[2:], tok.slice(2)
                elif i + 1 < len(tokens):
                    i += 1
                    value, at = tokens[i].text, tokens[i]
                else:
                    self.refuse(tok, f"{_shown(short)} needs a value")
                    return None
                out.append(_Opt(name, short, value, at))
            i += 1
        for opt in out:
            if opt.name == "hash":
                algo, sep, _ = opt.value.partition(":")
                if not sep or algo not in _STRONG_HASHES:
                    self.refuse(opt.at, "`--hash` must be sha256:, sha384: or sha512: a digest")
                    return None
            elif opt.name == "config-settings" and "=" not in opt.value:
                self.refuse(opt.at, "`--config-settings` must be KEY=VALUE")
                return None
        return out

    def _requirement(
        self, mt: MappedText, opts: list[_Opt], editable: bool, raw: Optional[str] = None
    ) -> None:
        text = mt.text.strip() if raw is None else raw.strip()
        lead = (len(mt.text) - len(mt.text.lstrip())) if raw is None else 0
        parsed = _editable(text) if editable else _requirement(text)
        if parsed.error:
            self.problem(mt, lead + parsed.error_offset, parsed.error)
            return
        hashes = tuple(o.value for o in opts if o.name == "hash") if not editable else ()
        self.fm.packages.append(
            PackageRef(
                name=parsed.name,
                location=self.loc(mt, lead + parsed.name_offset),
                kind=self.kind,
                installer=self.installer,
                raw_name=parsed.raw_name,
                specifier=parsed.specifier,
                version=parsed.version,
                marker=parsed.marker,
                extras=parsed.extras,
                hashes=hashes,
                url=parsed.url,
                editable=editable,
                group=self.group,
            )
        )

    def _option_line(self, opts: list[_Opt]) -> None:
        includes = [o for o in opts if o.name == "requirement"] or [
            o for o in opts if o.name == "constraint"
        ]
        if includes:  # pip reads the first include and nothing else of this line
            inc = includes[0]
            self.fm.includes.append(
                Include(
                    source=self.fm.path,
                    target=resolve_include(self.base_dir, inc.value),
                    raw=inc.value,
                    constraint=inc.name == "constraint",
                    location=self.loc(inc.at, 0),
                )
            )
            return
        by_name: dict[str, list[_Opt]] = {}
        for o in opts:
            by_name.setdefault(o.name, []).append(o)
        # the order pip's handle_option_line applies them
        for o in by_name.get("no-index", []):
            self._setting("no-index", True, o)
            self._order(o, "no-index")
        for o in by_name.get("index-url", []):
            if o.value:
                self._index(o, IndexRole.INDEX)
                self._order(o, "index")
        for o in by_name.get("extra-index-url", []):
            if o.value:
                self._index(o, IndexRole.EXTRA)
                self._order(o, "extra")
        for o in by_name.get("find-links", []):
            if o.value:
                self._index(o, IndexRole.FIND_LINKS)
                self._order(o, "find-links")
        for key in ("pre", "prefer-binary", "require-hashes", "no-require-hashes"):
            for o in by_name.get(key, []):
                self._setting(key, True, o)
        for key in ("trusted-host", "only-binary", "no-binary", "use-feature"):
            for o in by_name.get(key, []):
                if o.value:
                    self._setting(key, o.value, o)

    def _index(self, opt: _Opt, role: IndexRole) -> None:
        self.fm.indexes.append(
            IndexRef(
                url=opt.value,
                role=role,
                installer=self.installer,
                location=self.loc(opt.at, 0),
                scope=self.scope,
                via=opt.spelling,
            )
        )

    def _setting(self, key: str, value: object, opt: _Opt) -> None:
        self.fm.settings.append(
            Setting(
                key=key,
                value=value,
                installer=self.installer,
                location=self.loc(opt.at, 0),
                scope=self.scope,
                via=opt.spelling,
            )
        )

    def _order(self, opt: _Opt, role: str) -> None:
        line, column = opt.at.locate(0)
        self.index_options.append(
            {"option": opt.spelling, "role": role, "line": line, "column": column}
        )

    _REF = re.compile(
        r"\$\{(?P<braced>[^}\s]*)\}|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)|%(?P<win>[A-Za-z_][A-Za-z0-9_]*)%"
    )

    def note_env_references(self, mt: MappedText) -> None:
        for m in self._REF.finditer(mt.text):
            name = m.group("braced") or m.group("bare") or m.group("win") or ""
            if m.group("win") is not None and re.fullmatch(r"[0-9A-Fa-f]{2}", name):
                continue  # percent-encoding such as %AB%CD
            line, column = mt.locate(m.start())
            self.env_references.append(
                {
                    "text": m.group(0),
                    "name": name,
                    "expanded": bool(ENV_VAR_RE.fullmatch(m.group(0))),
                    "line": line,
                    "column": column,
                }
            )


# -- generator headers -----------------------------------------------------------------
def _header_facts(lines: Sequence[str]) -> dict[str, object]:
    """``exported-by``/``export-command`` from the leading comment block."""
    comments: list[str] = []
    for text in lines[:40]:
        stripped = text.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        comments.append(stripped.lstrip("#").strip())
    facts: dict[str, object] = {}
    for i, text in enumerate(comments):
        low = text.lower()
        rest = [c for c in comments[i + 1 :] if c]
        if "autogenerated by pip-compile" in low:
            facts["exported-by"] = "pip-compile"
            cmd = next((c for c in rest if c.startswith("pip-compile")), None)
        elif "autogenerated by uv" in low:
            cmd = next((c for c in rest if c.startswith("uv ")), None)
            compile_ = bool(cmd and re.match(r"^uv\s+pip\s+compile\b", cmd))
            facts["exported-by"] = "uv-pip-compile" if compile_ else "uv"
        elif "@generated by pdm" in low:
            facts["exported-by"] = "pdm"
            cmd = None
        else:
            continue
        if cmd:
            facts["export-command"] = cmd
        break
    return facts


_POETRY_LINE = lazy_compile(r'^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?==\S+( ; .*"[^"]*".*)?$')
_PIPENV_LINE = lazy_compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?==\S+")


def _export_shape(source: SourceFile, logical: list[MappedText]) -> Optional[str]:
    """``poetry``/``pipenv`` when the file has exactly the layout their exports write."""
    if any(t.strip().startswith("#") for t in source.lines) or not logical:
        return None
    reqs = [mt.text.split(" --hash", 1)[0].rstrip(" \\") for mt in logical]
    reqs = [r for r in reqs if r and not r.startswith("-")]
    if not reqs:
        return None
    opts = [mt.text for mt in logical if mt.text.startswith("-")]
    if logical[0].text.startswith("-i ") and all(_PIPENV_LINE.match(r) for r in reqs):
        return "pipenv"
    poetry_opts = ("--index-url ", "--extra-index-url ", "--trusted-host ", "-e ")
    poetry_like = all(o.startswith(poetry_opts) for o in opts) and all(
        _POETRY_LINE.match(r) or " @ " in r for r in reqs
    )
    if poetry_like and any(" ; " in r for r in reqs) and reqs == sorted(reqs):
        return "poetry"
    return None


def parse(source: SourceFile) -> FileModel:
    """Parse a requirements or constraints file (see the module docstring)."""
    fm = FileModel(source)
    base_dir = posixpath.dirname(source.path)
    reader = RequirementsReader(fm, base_dir=base_dir)
    physical = [MappedText.at(text, number) for number, text in enumerate(source.lines, 1)]
    logical = reader.read(physical)
    fm.facts["index-options"] = reader.index_options
    if reader.env_references:
        fm.facts["env-references"] = reader.env_references
    fm.facts.update(_header_facts(source.lines))
    if "exported-by" not in fm.facts:
        shape = _export_shape(source, logical)
        if shape:
            fm.facts["export-shape"] = shape
    return fm
