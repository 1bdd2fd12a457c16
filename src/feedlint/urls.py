"""URL and value shapes shared by parsers and rules: index hosts, user-info, environment
references and placeholders. Pure string functions, no I/O.

Index classes (:func:`index_class`):

* ``pypi``: pypi.org, files.pythonhosted.org, test.pypi.org, pypi.python.org;
* ``public-mirror``: a host listed in ``[tool.feedlint] public-mirrors``, a well-known
  full mirror of PyPI (Tsinghua, Aliyun, USTC, Tencent, Douban, Huawei Cloud mirrors), or
  devpi's built-in PyPI mirror index ``/root/pypi/+simple/`` on any host;
* ``third-party``: a well-known *public* index that is not PyPI and serves its own builds
  (download.pytorch.org, data.pyg.org, pypi.nvidia.com ...). Such an index is still a
  second source for any name (the 2022 ``torchtriton`` compromise came through one), but
  a package taken from it is not one of the project's private packages;
* ``private``: everything else. :func:`private_host_shape` names the product when the
  host has a known private-feed shape (Azure Artifacts, JFrog, CodeArtifact, GitLab,
  Nexus, Google Artifact Registry, Gemfury, devpi) or matches ``private-indexes``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Optional
from urllib.parse import unquote

from feedlint.lazyre import lazy_compile
from feedlint.record import Record

__all__ = [
    "UrlParts",
    "host_port",
    "index_class",
    "is_env_reference",
    "is_placeholder",
    "is_pypi",
    "is_test_pypi",
    "norm_url",
    "normalize_name",
    "private_host_shape",
    "same_index",
    "split_url",
]

PYPI_HOSTS = frozenset(
    {
        "pypi.org",
        "files.pythonhosted.org",
        "test.pypi.org",
        "pypi.python.org",
        "testpypi.python.org",  # legacy TestPyPI, still in old .pypirc files
        "upload.pypi.org",
        "test-files.pythonhosted.org",
    }
)

_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Azure Artifacts",
        re.compile(
            r"(?i)^(pkgs\.dev\.azure\.com|[^/]+\.pkgs\.visualstudio\.com)(:\d+)?/.*_packaging/"
        ),
    ),
    ("Azure Artifacts", re.compile(r"(?i)^[^/]+\.pkgs\.visualstudio\.com")),
    ("JFrog Artifactory", re.compile(r"(?i)/artifactory/api/pypi/|^[^/]+\.jfrog\.io")),
    ("AWS CodeArtifact", re.compile(r"(?i)^[^/]+\.d\.codeartifact\.[^/]+\.amazonaws\.com")),
    ("GitLab", re.compile(r"(?i)/api/v4/(projects|groups)/[^/]+/(-/)?packages/pypi")),
    ("Nexus", re.compile(r"(?i)^[^/]+/(nexus/)?repository/[^/]+")),
    ("Google Artifact Registry", re.compile(r"(?i)^[^/]+-python\.pkg\.dev")),
    ("Gemfury", re.compile(r"(?i)^(pypi|repo|[^/]+\.)?\.?fury\.io|^pypi\.fury\.io")),
    ("devpi", re.compile(r"(?i)devpi")),
)

# ${VAR} ${VAR:-x} $VAR $(VAR) %VAR% ${{ expr }} {{ expr }} $env:VAR #{VAR}# ${secrets.X}
_ENV_REF = lazy_compile(
    r"""^(
        \$\{\{.*\}\}                # GitHub Actions expression
      | \{\{.*\}\}                  # Jinja / Helm / Go templates
      | \{env:[^{}]+\}              # tox {env:NAME} / {env:NAME:default}
      | \$\{[^}]+\}                 # ${VAR}, ${VAR:-default}, ${secrets.X}
      | \$\([^)]+\)                 # $(System.AccessToken) (Azure Pipelines macro) / $(cmd)
      | \$[A-Za-z_][A-Za-z0-9_]*    # $VAR
      | \$env:[A-Za-z_][A-Za-z0-9_]*  # PowerShell
      | %(?![0-9A-Fa-f]{2}%)[A-Za-z_][A-Za-z0-9_]*%  # Windows %VAR% (not '%C3%' of a URL)
      | \#\{[^}]+\}\#?              # Azure DevOps token replacement #{VAR}#
      | \$\[[^\]]+\]                # Azure runtime expression $[ variables.x ]
    )$""",
    re.VERBOSE,
)
_HAS_ENV_REF = lazy_compile(
    r"\$\{\{.*?\}\}|\{\{.*?\}\}|\{env:[^{}]+\}|\$\{[^}]+\}|\$\([^)]+\)|\$[A-Za-z_][A-Za-z0-9_]*|\$env:\w+|%(?![0-9A-Fa-f]{2}%)[A-Za-z_]\w*%|#\{[^}]+\}"
)

_PLACEHOLDER_WORDS = frozenset(
    [
        "password",
        "passwd",
        "pass",
        "pwd",
        "secret",
        "token",
        "pat",
        "apikey",
        "api_key",
        "api-key",
        "key",
        "changeme",
        "change_me",
        "changeit",
        "replaceme",
        "replace_me",
        "your_token",
        "your_pat",
        "your_password",
        "yourpassword",
        "yourtoken",
        "mytoken",
        "mypassword",
        "example",
        "dummy",
        "fake",
        "test",
        "none",
        "null",
        "redacted",
        "hidden",
        "masked",
        "placeholder",
        "username",
        "user",
        "foo",
        "bar",
        "baz",
        "xxx",
        "todo",
        "tbd",
        "fixme",
        # "the real value is kept elsewhere": `PYPI_PASSWORD: SECURE` in CI variables
        "secure",
        "secured",
        "protected",
        "sensitive",
        "confidential",
        "encrypted",
        "required",
        "undefined",
        "unset",
    ]
)
_PLACEHOLDER_RE = lazy_compile(
    r"""(?ix)^(
        <[^<>]*>                      # <PAT>, <Personal Access Token>
      | \[[^\[\]]*\]                  # [token]
      | \{[^{}]*\}                    # {token}
      | x{3,} | X{3,} | \*{3,} | \.{3,} | …+ | _{3,} | -{3,} | 0{4,} | 1234\d* | #{3,}
      | (your|insert|enter|replace|put)[-_ ]?(own[-_ ]?)?(feed[-_ ]?|azure[-_ ]?|ado[-_ ]?|devops[-_ ]?|pypi[-_ ]?|api[-_ ]?)?(token|pat|password|passwd|pass|secret|key|credential|here|it|me)\S*
      | my[-_ ]?(token|pat|password|secret|key)                       # bare 'mytoken', 'my_pat'
      | .*[-_ ](here|goes[-_ ]here)
      | [a-z]*_?(token|pat|password|secret|key)_?(here)?
    )$"""
)


def normalize_name(name: str) -> str:
    """PEP 503 normalisation: lower-case, runs of ``-_.`` become ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def is_env_reference(value: str) -> bool:
    """Whether the whole ``value`` is an environment/CI variable reference or template."""
    return bool(_ENV_REF.match(value.strip()))


def contains_env_reference(value: str) -> bool:
    return bool(_HAS_ENV_REF.search(value))


def is_placeholder(value: str) -> bool:
    """Whether ``value`` is an obvious placeholder rather than a real secret
    (``<PAT>``, ``YOUR_PAT_HERE``, ``xxxx``, ``***``, ``changeme``, ``password``, ``token`` ...)."""
    v = value.strip().strip("'\"")
    if not v:
        return True
    if v.lower() in _PLACEHOLDER_WORDS:
        return True
    return bool(_PLACEHOLDER_RE.match(v))


class UrlParts(Record, frozen=True):
    """A URL split leniently. ``user``/``password`` are percent-decoded; ``None`` when
    absent. ``userinfo_start`` is the offset of the user-info in the original string,
    ``password_start`` of the password, ``userinfo_end`` of the ``@`` after it (``-1``
    when absent)."""

    scheme: str
    user: Optional[str]
    password: Optional[str]
    host: str
    port: Optional[str]
    path: str
    userinfo_start: int = -1
    password_start: int = -1
    userinfo_end: int = -1


_URL = lazy_compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<rest>.*)$", re.DOTALL)


@lru_cache(maxsize=8192)
def split_url(url: str) -> Optional[UrlParts]:
    """Split ``url`` leniently (never raises); ``None`` when it is not ``scheme://...``.

    The authority ends at the first ``/``, ``?`` or ``#`` after the *last* ``@`` before
    the path, so ``https://user@corp.com:${TOKEN}@host/`` has user ``user@corp.com``.
    """
    m = _URL.match(url.strip())
    if not m:
        return None
    offset = url.find(m.group("rest"))
    rest = m.group("rest")
    # the authority ends at the first '/', '?' or '#'; user-info is up to its last '@'
    path_at = next((i for i, ch in enumerate(rest) if ch in "/?#"), len(rest))
    at = rest.rfind("@", 0, path_at)
    authority, path = rest[:path_at], rest[path_at:]
    user = password = None
    ui_start = pw_start = ui_end = -1
    hostport = authority
    if at != -1 and at < path_at:
        userinfo, hostport = authority[:at], authority[at + 1 :]
        ui_start, ui_end = offset, offset + at
        u, sep, p = _split_templated(userinfo)
        user = unquote(u)
        if sep:
            password = unquote(p)
            pw_start = offset + len(u) + 1
    host, _, port = hostport.partition(":") if not hostport.startswith("[") else (hostport, "", "")
    return UrlParts(
        m.group("scheme").lower(),
        user,
        password,
        host.lower(),
        port or None,
        path,
        ui_start,
        pw_start,
        ui_end,
    )


def _split_templated(userinfo: str) -> tuple[str, str, str]:
    """Split user-info at the first ':' outside ``{...}`` (``${USER:-x}:${PASS}``)."""
    depth = 0
    for i, ch in enumerate(userinfo):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == ":" and depth == 0:
            return userinfo[:i], ":", userinfo[i + 1 :]
    return userinfo, "", ""


def is_pypi(url: str) -> bool:
    parts = split_url(url)
    return bool(parts and parts.host in PYPI_HOSTS)


#: TestPyPI: a separate public index with its own namespace, where anyone can register
#: any free name (``flask`` included) without it being PyPI's project of that name.
TEST_PYPI_HOSTS = frozenset({"test.pypi.org", "testpypi.python.org", "test-files.pythonhosted.org"})


def is_test_pypi(url: str) -> bool:
    parts = split_url(url)
    return bool(parts and parts.host in TEST_PYPI_HOSTS)


def host_port(parts: UrlParts) -> str:
    """``host`` or ``host:port`` of a split URL: the authority without user-info."""
    return f"{parts.host}:{parts.port}" if parts.port else parts.host


def _host_path(url: str) -> str:
    parts = split_url(url)
    if not parts:
        return url
    return f"{host_port(parts)}{parts.path}"


def norm_url(url: str) -> str:
    """An index URL for comparison: no user-info, lower-case scheme and host, no
    trailing ``/`` (the path keeps its case, the query stays)."""
    parts = split_url(url)
    if parts is None:
        return url.strip().rstrip("/")
    return f"{parts.scheme}://{host_port(parts)}{parts.path}".rstrip("/")


def same_index(a: Optional[str], b: Optional[str]) -> bool:
    """Whether two index URLs name the same index (see :func:`norm_url`)."""
    return bool(a and b) and norm_url(a or "") == norm_url(b or "")


def _matches_any(url: str, patterns: Iterable[str]) -> bool:
    """Whether ``url`` is at or below one of ``patterns`` (``host``, ``host/path``, a full
    URL, or a ``*.corp.example`` host wildcard)."""
    hp = _host_path(url).lower().rstrip("/")
    host = hp.split("/", 1)[0].split(":", 1)[0]
    for pat in patterns:
        p = (_host_path(pat) if "://" in pat else pat).lower().rstrip("/")
        if not p:
            continue
        if "*" in p and "/" not in p:
            if fnmatch.fnmatchcase(host, p):
                return True
        elif hp == p or hp.startswith(p + "/") or ("/" not in p and ":" not in p and host == p):
            return True
    return False


def parts_host(url: str) -> str:
    parts = split_url(url)
    return parts.host if parts else ""


def private_host_shape(url: str, private_indexes: Iterable[str] = ()) -> Optional[str]:
    """The private-feed product ``url`` looks like, ``"configured"`` when it matches
    ``private-indexes``, or ``None``."""
    if _matches_any(url, private_indexes):
        return "configured"
    hp = _host_path(url)
    for name, pattern in _SHAPES:
        if pattern.search(hp):
            return name
    return None


KNOWN_PYPI_MIRRORS = (
    "pypi.tuna.tsinghua.edu.cn",
    "mirrors.tuna.tsinghua.edu.cn/pypi",
    "mirrors.aliyun.com/pypi",
    "pypi.mirrors.ustc.edu.cn",
    "mirrors.ustc.edu.cn/pypi",
    "mirrors.cloud.tencent.com/pypi",
    "pypi.douban.com",
    "pypi.doubanio.com",
    "repo.huaweicloud.com/repository/pypi",
    "mirrors.bfsu.edu.cn/pypi",
    "mirror.baidu.com/pypi",
)
#: devpi-server's built-in on-demand mirror of PyPI, on any host: ``/root/pypi/+simple/``.
_DEVPI_PYPI_MIRROR = lazy_compile(r"(?i)^[^/]+(/[^/]+)*?/root/pypi(/\+simple)?/?$")
KNOWN_THIRD_PARTY = (
    "download.pytorch.org",
    "data.pyg.org",
    "pypi.nvidia.com",
    "pypi.ngc.nvidia.com",
    "storage.googleapis.com/jax-releases",
    "storage.googleapis.com/libtpu-releases",
    "developer.download.nvidia.com",
    "dl.fbaipublicfiles.com",
    "pip.repos.neuron.amazonaws.com",
    "flashinfer.ai/whl",
    "wheels.vllm.ai",
    "abetlen.github.io",
    "girder.github.io",
)


def index_class(
    url: str, private_indexes: Iterable[str] = (), public_mirrors: Iterable[str] = ()
) -> str:
    """``pypi``, ``public-mirror``, ``third-party`` or ``private`` (see the module docstring)."""
    return _index_class(url, tuple(private_indexes), tuple(public_mirrors))


@lru_cache(maxsize=4096)
def _index_class(
    url: str, private_indexes: tuple[str, ...], public_mirrors: tuple[str, ...]
) -> str:
    if _matches_any(url, private_indexes):
        return "private"
    if is_pypi(url):
        return "pypi"
    if _matches_any(url, public_mirrors) or _matches_any(url, KNOWN_PYPI_MIRRORS):
        return "public-mirror"
    if _DEVPI_PYPI_MIRROR.match(_host_path(url)):
        return "public-mirror"
    if _matches_any(url, KNOWN_THIRD_PARTY):
        return "third-party"
    return "private"
