"""The project model: the one shared truth between parsers and rules.

Parsers turn files into the objects below (each with an exact :class:`Location`);
:class:`ProjectModel` gathers them for a whole root; rules read only the model and never
open files. The facts are frozen :class:`~feedlint.record.Record` classes (immutable and
hashable, like frozen dataclasses but cheaper to define on every run), so rules stay pure
functions; the per-file and per-root containers are mutable while parsers fill them.

Vocabulary
----------
* An **index reference** (:class:`IndexRef`) is any place that tells an installer where to
  look for distributions: ``--index-url``, ``extra-index-url``, ``--find-links``, a Poetry
  source, a uv index, a PDM or Pipenv source, and the ``PIP_*``/``UV_*`` environment variables.
* A **package reference** (:class:`PackageRef`) is any place that names a distribution:
  a requirement line, a pyproject dependency, a lock entry, the project's own name.
* A **setting** (:class:`Setting`) is an installer option that changes how indexes are used
  (``index-strategy``, ``trusted-host``, ``verify_ssl``, ``no-index`` ...).
* A **credential candidate** (:class:`Credential`) is a value that may be a secret, in the
  context that makes it one (a URL's user-info, a ``password =`` key, a ``.netrc`` entry).
  Whether it is a literal secret, a placeholder or an environment reference is decided by
  rules, not parsers.
* A **command** (:class:`Command`) is one shell command line found in a Dockerfile ``RUN``,
  a CI script or a shell script; an **environment assignment** (:class:`EnvAssignment`)
  is ``ENV``/``ARG``/``export``/CI ``env:``/``.env``.
* A **publish target** (:class:`PublishTarget`) is a repository the project uploads to.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from pathlib import Path
from typing import Optional, Union

from feedlint.record import Record, field

__all__ = [
    "Command",
    "Credential",
    "EnvAssignment",
    "FileKind",
    "FileModel",
    "Include",
    "IndexRef",
    "IndexRole",
    "Installer",
    "Location",
    "PackageRef",
    "ParseProblem",
    "ProjectModel",
    "PublishTarget",
    "Setting",
    "SourceFile",
]


class Location(Record, frozen=True, order=True):
    """A position in a file: ``path`` is relative to the root, ``/``-separated; 1-based."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class FileKind(str, enum.Enum):
    """Every kind of file feedlint reads. The value is the name used in messages."""

    PYPROJECT = "pyproject.toml"
    POETRY_LOCK = "poetry.lock"
    UV_LOCK = "uv.lock"
    PDM_LOCK = "pdm.lock"
    PIPFILE = "Pipfile"
    PIPFILE_LOCK = "Pipfile.lock"
    REQUIREMENTS = "requirements"
    PIP_CONF = "pip.conf"
    PYPIRC = ".pypirc"
    SETUP_CFG = "setup.cfg"
    TOX_INI = "tox.ini"
    SETUP_PY = "setup.py"
    UV_TOML = "uv.toml"
    POETRY_CONFIG = "poetry config"  # poetry.toml, auth.toml, pypoetry config.toml
    PDM_CONFIG = "pdm config"  # pdm.toml / .pdm.toml
    DOCKERFILE = "Dockerfile"
    CI_YAML = "CI YAML"
    SHELL = "shell script"
    DOTENV = ".env"
    NETRC = ".netrc"
    GIT_CREDENTIALS = ".git-credentials"
    COMPOSE = "Compose file"  # docker-compose.yml, compose.yaml ...
    CONDA_ENV = "conda environment file"  # environment.yml
    MAKEFILE = "Makefile"

    @property
    def is_ini(self) -> bool:
        """INI files cannot carry a trailing comment: pip would read it as part of the value."""
        return self in (FileKind.PIP_CONF, FileKind.PYPIRC, FileKind.SETUP_CFG, FileKind.TOX_INI)


class Installer(str, enum.Enum):
    """Which tool reads a setting. ``ANY`` is for values every tool reads (e.g. ``.netrc``)."""

    PIP = "pip"
    POETRY = "poetry"
    UV = "uv"
    PDM = "pdm"
    PIPENV = "pipenv"
    TWINE = "twine"
    HATCH = "hatch"
    TOX = "tox"
    SETUPTOOLS = "setuptools"
    ANY = "any"


class IndexRole(str, enum.Enum):
    """How an index reference is used by its installer."""

    INDEX = "index"  # pip --index-url / index-url / PIP_INDEX_URL / uv --index-url / default index
    EXTRA = "extra"  # pip --extra-index-url / extra-index-url / PIP_EXTRA_INDEX_URL / uv extra
    FIND_LINKS = "find-links"  # pip -f / find-links, poetry/uv flat indexes
    SOURCE = "source"  # a named source: poetry source, uv [[index]], pdm source, pipenv [[source]]
    DEPENDENCY_LINK = "dependency-link"  # setup.py dependency_links
    PUBLISH = "publish"  # an upload URL (.pypirc repository, poetry repositories.*)


class SourceFile(Record, frozen=True):
    """A file that was read: its decoded text lines (without line endings) and kind."""

    path: str
    kind: FileKind
    lines: tuple[str, ...] = ()

    def line(self, number: int) -> str:
        """The text of 1-based line ``number`` or ``""`` when out of range."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return ""


class IndexRef(Record, frozen=True):
    """A place that tells an installer where to find distributions.

    ``name`` is the source name for named sources (poetry/uv/pdm/pipenv), ``priority`` the
    declared priority for Poetry (``primary``/``supplemental``/``explicit``/``default``/
    ``secondary``; ``None`` when not written) and ``default``/``explicit`` the uv/Poetry flags.
    ``scope`` tells where the value applies: a pip config section (``global``, ``install``,
    ``download`` ...), ``env`` for an environment variable, ``cli`` for a command line,
    ``requirements`` for an option line in a requirements file, ``project`` for pyproject.
    ``via`` is the spelling that set it (``--extra-index-url``, ``PIP_EXTRA_INDEX_URL``,
    ``extra-index-url`` ...) for messages.
    """

    url: str
    role: IndexRole
    installer: Installer
    location: Location
    name: Optional[str] = None
    priority: Optional[str] = None
    default: bool = False
    explicit: bool = False
    scope: str = ""
    via: str = ""


class PackageRef(Record, frozen=True):
    """A place that names a distribution.

    ``kind`` is one of ``requirement`` (requirements file line), ``constraint``,
    ``dependency`` (pyproject/Pipfile/setup.py declaration), ``lock`` (lock file entry),
    ``project`` (the project's own name), ``command`` (``pip install NAME`` in a script).
    ``source`` is the pinned source name (``source = "x"``, ``index = "x"``, uv sources);
    ``source_url`` is the index URL a lock file recorded (``None`` for PyPI or unknown) and
    ``source_type`` its type (``legacy``, ``registry``, ``git``, ``path``, ``url``, ``pypi`` ...).
    ``hashes`` are ``algo:hex`` strings. ``version`` is the exact pinned/locked version if any.
    ``url`` is a direct reference (``name @ url``, VCS, path) when the requirement has one.
    """

    name: str  # PEP 503-normalised
    location: Location
    kind: str
    installer: Installer = Installer.ANY
    raw_name: str = ""
    specifier: str = ""
    version: Optional[str] = None
    marker: str = ""
    extras: tuple[str, ...] = ()
    hashes: tuple[str, ...] = ()
    source: Optional[str] = None
    source_url: Optional[str] = None
    source_type: Optional[str] = None
    url: Optional[str] = None
    editable: bool = False
    group: str = ""  # dependency group / dev / extra name, when relevant


class Setting(Record, frozen=True):
    """An installer option that changes how indexes are used.

    ``key`` uses the installer's own spelling normalised to lower-case with ``-``
    (``index-strategy``, ``trusted-host``, ``no-index``, ``verify-ssl``,
    ``install-search-all-sources``, ``respect-source-order``, ``include-packages``,
    ``exclude-packages``, ``ignore-error-codes``, ``keyring-provider`` ...). ``value`` is the
    parsed value (str, bool, list of str). ``scope`` as in :class:`IndexRef`. ``subject``
    names what the setting belongs to, e.g. the PDM source name for ``include-packages``.
    """

    key: str
    value: object
    installer: Installer
    location: Location
    scope: str = ""
    subject: str = ""
    via: str = ""


class Credential(Record, frozen=True):
    """A value that may be a secret, with the context that makes it one.

    ``kind``: ``url-password`` (``scheme://user:SECRET@host``), ``url-user``
    (``scheme://TOKEN@host``), ``url-path`` (Gemfury's ``https://pypi.fury.io/TOKEN/acct/``),
    ``url-query`` (``https://host/x?token=SECRET``; ``key`` is the parameter name),
    ``key-value`` (``password = SECRET``, ``TOKEN=...``),
    ``netrc`` (a ``.netrc`` password), ``text`` (a token-looking string anywhere).
    ``key`` is the key, variable or user name next to the value, ``host`` the URL host.
    ``location`` points at the first character of ``value``.
    """

    value: str
    kind: str
    location: Location
    file_kind: FileKind
    key: str = ""
    host: str = ""
    url: str = ""  # the whole URL (for url-* kinds); contains the secret: never print it


class Command(Record, frozen=True):
    """One shell command line (continuations joined) from a Dockerfile, CI file or script.

    ``text`` is the joined command, ``location`` where it starts. ``origin`` is
    ``docker-run``, ``ci-script`` or ``shell``. ``secret_mounts`` lists the ids of
    BuildKit ``--mount=type=secret`` mounts on a Dockerfile ``RUN``.
    ``line_map`` gives, for each joined physical line, (offset in ``text``, line number,
    column of that line's first character) so positions inside ``text`` can be located.
    """

    text: str
    location: Location
    origin: str
    secret_mounts: tuple[str, ...] = ()
    line_map: tuple[tuple[int, int, int], ...] = ()

    def locate(self, offset: int) -> Location:
        """The file position of character ``offset`` of ``text``."""
        line, column, start = self.location.line, self.location.column, 0
        for seg_offset, seg_line, seg_col in self.line_map:
            if seg_offset <= offset:
                start, line, column = seg_offset, seg_line, seg_col
            else:
                break
        return Location(self.location.path, line, column + offset - start)


class EnvAssignment(Record, frozen=True):
    """An environment variable set in a file.

    ``origin``: ``docker-arg``, ``docker-env``, ``ci-env``, ``shell-export``, ``dotenv``,
    ``tox-setenv``, ``hatch-env``, ``compose-env`` (a Compose service's ``environment:``),
    ``docker-build-arg`` (``--build-arg``, ``build-args:``, Compose ``build.args``). ``value`` is ``None`` for a Docker ``ARG NAME`` without a
    default. ``location`` points at the variable name.
    """

    name: str
    value: Optional[str]
    origin: str
    location: Location
    value_location: Optional[Location] = None


class PublishTarget(Record, frozen=True):
    """A repository the project uploads to (``.pypirc``, ``poetry publish -r``, ``twine
    upload -r``, ``TwineAuthenticate``, poetry ``repositories.*``)."""

    name: str
    url: Optional[str]
    tool: str
    location: Location


class Include(Record, frozen=True):
    """A requirements-file include: ``-r`` (``constraint=False``) or ``-c``.

    ``target`` is the included path relative to the root (``/``-separated), resolved
    against the including file's directory; ``None`` when it points outside the root or
    is a URL.
    """

    source: str
    target: Optional[str]
    raw: str
    constraint: bool
    location: Location


class ParseProblem(Record, frozen=True):
    """Why (part of) a file could not be read: becomes an FL001 finding."""

    message: str
    location: Location


class FileModel(Record):
    """What one parser read from one file. Parsers fill it; the model builder merges it."""

    source: SourceFile
    indexes: list[IndexRef] = field(default_factory=list)
    packages: list[PackageRef] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    env: list[EnvAssignment] = field(default_factory=list)
    publish_targets: list[PublishTarget] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    # Free-form facts a parser knows about its file that rules may use, e.g.
    # {"exported-by": "poetry"} for a requirements header, {"lock-version": "2.0"}.
    facts: dict[str, object] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.source.path

    def problem(self, message: str, line: int = 1, column: int = 1) -> None:
        """Record an FL001 problem at ``line``:``column`` of this file."""
        self.problems.append(ParseProblem(message, Location(self.path, line, column)))

    def loc(self, line: int, column: int = 1) -> Location:
        return Location(self.path, line, column)


ModelItem = Union[
    IndexRef, PackageRef, Setting, Credential, Command, EnvAssignment, PublishTarget, Include
]


class ProjectModel(Record):
    """Everything feedlint knows about one root. Rules read only this.

    ``config`` is the resolved :class:`feedlint.config.Config` (private prefixes, packages,
    indexes, public mirrors); it is typed loosely here to keep the model import-light.
    ``extras`` is a place for precomputed, optional data a rule needs (e.g. the PyPI name
    set, loaded by the engine only when a rule that needs it is selected).
    """

    root: Path
    files: dict[str, FileModel] = field(default_factory=dict)
    config: object = None
    extras: dict[str, object] = field(default_factory=dict)

    # -- iteration helpers -------------------------------------------------
    def _all(self, attr: str) -> Iterator:
        for fm in self.files.values():
            yield from getattr(fm, attr)

    @property
    def indexes(self) -> list[IndexRef]:
        return list(self._all("indexes"))

    @property
    def packages(self) -> list[PackageRef]:
        return list(self._all("packages"))

    @property
    def settings(self) -> list[Setting]:
        return list(self._all("settings"))

    @property
    def credentials(self) -> list[Credential]:
        return list(self._all("credentials"))

    @property
    def commands(self) -> list[Command]:
        return list(self._all("commands"))

    @property
    def env(self) -> list[EnvAssignment]:
        return list(self._all("env"))

    @property
    def publish_targets(self) -> list[PublishTarget]:
        return list(self._all("publish_targets"))

    @property
    def includes(self) -> list[Include]:
        return list(self._all("includes"))

    @property
    def problems(self) -> list[ParseProblem]:
        return list(self._all("problems"))

    def files_of(self, *kinds: FileKind) -> list[FileModel]:
        """The parsed files of the given kinds, in path order."""
        return [fm for _, fm in sorted(self.files.items()) if fm.source.kind in kinds]

    def source(self, path: str) -> SourceFile | None:
        fm = self.files.get(path)
        return fm.source if fm else None
