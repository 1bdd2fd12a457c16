"""Classifying index URLs the way the FL2 rules need them.

An index URL is one of:

* ``pypi``: PyPI itself; ``public-mirror``: a full mirror of PyPI (same names, same
  files), built in or listed in ``public-mirrors``. Both serve "PyPI content";
* ``third-party``: a known public index serving its own builds (download.pytorch.org ...),
  and TestPyPI (test.pypi.org): a public index with its own namespace where anyone can
  upload any free name (see :attr:`IndexInfo.open_upload`);
* ``private``: anything else, including local directories and ``file:`` URLs (packages
  nobody can publish on PyPI under that index's authority);
* ``unknown``: the value is an environment reference feedlint cannot resolve from the
  same file (``$FEED_URL``, ``${{ vars.INDEX }}``) or a placeholder (``<your-feed>``), and
  the host has no recognisable private-feed shape.

Environment references are resolved against the assignments of the same file
(Dockerfile ``ENV``/``ARG`` defaults, CI ``env:``, ``export``): ``$VAR``, ``${VAR}``,
``${VAR:-default}``, ``$(VAR)``, ``%VAR%`` and tox's ``{env:VAR:default}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from feedlint.config import Config, config_of
from feedlint.lazyre import lazy_compile
from feedlint.model import FileModel
from feedlint.record import Record
from feedlint.urls import (
    TEST_PYPI_HOSTS,
    host_port,
    index_class,
    is_env_reference,
    private_host_shape,
    split_url,
)

__all__ = [
    "IndexInfo",
    "classify",
    "config_of",
    "env_values",
    "is_loopback",
    "resolve",
]

PYPI_CONTENT = frozenset({"pypi", "public-mirror"})
PUBLIC = frozenset({"pypi", "public-mirror", "third-party"})

_WHOLE_REF = lazy_compile(
    r"""^(?:
        \$\{(?P<a>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?P<default>[^}]*))?\}
      | \$(?P<b>[A-Za-z_][A-Za-z0-9_]*)
      | \$\((?P<c>[A-Za-z_][A-Za-z0-9_.]*)\)
      | %(?P<d>[A-Za-z_][A-Za-z0-9_]*)%
      | \$\{\{\s*(?:env|vars|variables)\.(?P<e>[A-Za-z_][A-Za-z0-9_]*)\s*\}\}   # ${{ env.X }}, ${{ variables.X }}
      | \{env:(?P<f>[A-Za-z_][A-Za-z0-9_]*)(?::(?P<fdefault>[^{}]*))?\}   # tox {env:X:default}
    )$""",
    re.VERBOSE,
)
#: ``${VAR}``, ``$VAR`` and make's ``$(VAR)`` inside a longer value
_INNER_REF = lazy_compile(
    r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$\(([A-Za-z_][A-Za-z0-9_]*)\)"
)
_TEMPLATE_CHARS = lazy_compile(r"[${}%<>#]")
_LOOPBACK = lazy_compile(
    r"^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1|0\.0\.0\.0|[^.]+\.localhost)$"
)


def env_values(fm: FileModel) -> dict[str, str]:
    """Concrete values assigned in ``fm`` (first assignment wins; references skipped)."""
    out: dict[str, str] = {}
    for assignment in sorted(fm.env, key=lambda a: a.location):
        value = assignment.value
        if value is None or not value.strip() or assignment.name in out:
            continue
        if is_env_reference(value.strip()):
            continue
        out[assignment.name] = value.strip()
    return out


def resolve(value: str, env: Mapping[str, str]) -> str | None:
    """``value`` with environment references replaced from ``env``; ``None`` when the whole
    value is a reference that cannot be resolved."""
    text = value.strip().strip("'\"")
    m = _WHOLE_REF.match(text)
    if m:
        name = m.group("a") or m.group("b") or m.group("c") or m.group("d") or m.group("e")
        name = name or m.group("f")
        if name in env:
            return env[name]
        default = m.group("default") or m.group("fdefault")
        if default:
            return default
        return None
    if is_env_reference(text):
        return None

    def sub(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2) or match.group(3)
        return env.get(name, match.group(0))

    return _INNER_REF.sub(sub, text)


def is_loopback(host: str) -> bool:
    return bool(_LOOPBACK.match(host.lower()))


class IndexInfo(Record, frozen=True):
    """One index URL as an installer would see it.

    ``raw`` is the text as written, ``url`` the resolved URL (``raw`` when unresolved),
    ``kind`` its class (see the module docstring), ``key`` an identity for comparing two
    references (host, port and path, lower-case, no user-info, no trailing slash) and
    ``label`` a secret-free form for messages.
    """

    raw: str
    url: str
    kind: str
    key: str
    label: str
    scheme: str = ""
    host: str = ""
    #: the private-feed product the URL looks like (``Azure Artifacts``, ``configured`` ...)
    shape: str = ""

    @property
    def pypi_content(self) -> bool:
        return self.kind in PYPI_CONTENT

    @property
    def public(self) -> bool:
        return self.kind in PUBLIC

    @property
    def private(self) -> bool:
        return self.kind == "private"

    @property
    def open_upload(self) -> bool:
        """TestPyPI: anyone can publish any name there, PyPI's names included."""
        return self.kind == "third-party" and self.host in TEST_PYPI_HOSTS

    @property
    def unknown(self) -> bool:
        return self.kind == "unknown"

    def same(self, other: IndexInfo) -> bool:
        """Whether ``other`` names the same index: equal keys, an Azure Artifacts feed
        spelled with its ``<org>.pkgs.visualstudio.com`` or ``pkgs.dev.azure.com/<org>``
        host, or a PipAuthenticate feed whose organization is unknown
        (``pkgs.dev.azure.com/<organization>/...``) matching any organization."""
        if self.key == other.key:
            return True
        a, b = _azure_key(self.key), _azure_key(other.key)
        if a == b:
            return True
        if _ANY_ORG in a or _ANY_ORG in b:
            pattern, text = (a, b) if _ANY_ORG in a else (b, a)
            head, _, tail = pattern.partition(_ANY_ORG)
            return (
                text.startswith(head)
                and text.endswith(tail)
                and len(text) > len(head) + len(tail)
                and "/" not in text[len(head) : len(text) - len(tail)]
            )
        return False

    def describe(self) -> str:
        """``PyPI``, ``the PyPI mirror host``, ``the public index host``, ``private index
        host`` ... for messages."""
        if self.kind == "pypi":
            return "PyPI"
        if self.kind == "public-mirror":
            return f"the PyPI mirror {self.label}"
        if self.open_upload:
            return f"TestPyPI ({self.label})"
        if self.kind == "third-party":
            return f"the public index {self.label}"
        if self.kind == "unknown":
            return f"the index in {self.label}"
        if self.shape or self.scheme == "file" or not self.host:
            return f"the private index {self.label}"
        return f"the non-PyPI index {self.label}"


_ANY_ORG = "<organization>"
_VISUALSTUDIO = lazy_compile(r"^([a-z0-9][a-z0-9-]*)\.pkgs\.visualstudio\.com(/.*)$")


def _azure_key(key: str) -> str:
    """``org.pkgs.visualstudio.com/...`` as ``pkgs.dev.azure.com/org/...`` (one feed)."""
    m = _VISUALSTUDIO.match(key)
    return f"pkgs.dev.azure.com/{m.group(1)}{m.group(2)}" if m else key


def _is_local(text: str) -> bool:
    return bool(re.match(r"^(\.{0,2}/|~|[A-Za-z]:[\\/]|\.\.?$|[\w.-]+/)", text)) or text in (
        ".",
        "..",
    )


def _templated_label(url: str, userinfo_start: int, userinfo_end: int) -> str:
    """``url`` without user-info, query or fragment, its case kept: a host written as a
    reference (``https://${NEXUS_HOST}/...``) names a variable, which is case-sensitive."""
    if userinfo_start >= 0 and userinfo_end >= 0:
        url = url[:userinfo_start] + url[userinfo_end + 1 :]
    return re.split(r"[?#]", url, maxsplit=1)[0]


def classify(
    raw: str,
    config: Config | None = None,
    env: Mapping[str, str] | None = None,
    extra_private: Iterable[str] = (),
) -> IndexInfo:
    """Classify the index reference ``raw`` (see the module docstring)."""
    config = config or Config()
    private_indexes = [*config.private_indexes, *extra_private]
    resolved = resolve(raw, env or {})
    if resolved is None:
        label = raw.strip()
        return IndexInfo(raw, raw, "unknown", label.lower(), label)
    parts = split_url(resolved)
    if parts is None:
        if _is_local(resolved) and not _TEMPLATE_CHARS.search(resolved):
            label = resolved.rstrip("/")
            return IndexInfo(raw, resolved, "private", f"local:{label}", label, "file", "")
        label = resolved
        return IndexInfo(raw, resolved, "unknown", label.lower(), label)
    path = parts.path.split("?", 1)[0].split("#", 1)[0]
    label = f"{parts.scheme}://{host_port(parts)}{path}"
    key = f"{host_port(parts)}{path.rstrip('/')}".lower()
    if parts.scheme == "file":
        return IndexInfo(raw, resolved, "private", key, label, parts.scheme, parts.host)
    if _TEMPLATE_CHARS.search(parts.host) or not parts.host:
        label = _templated_label(resolved.strip(), parts.userinfo_start, parts.userinfo_end)
        shape = private_host_shape(resolved, private_indexes) or ""
        kind = "private" if shape else "unknown"
        return IndexInfo(raw, resolved, kind, key, label, parts.scheme, parts.host, shape)
    kind = index_class(resolved, private_indexes, config.public_mirrors)
    if kind == "pypi" and parts.host in TEST_PYPI_HOSTS:
        kind = "third-party"  # as an index TestPyPI is not PyPI: its own, open namespace
    shape = (private_host_shape(resolved, private_indexes) or "") if kind == "private" else ""
    return IndexInfo(raw, resolved, kind, key, label, parts.scheme, parts.host, shape)
