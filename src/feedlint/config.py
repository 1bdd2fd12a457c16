"""Configuration: ``[tool.feedlint]`` in the root's pyproject.toml or a ``.feedlint.toml``.

Every key is declared once in :data:`KEYS` with its validator; unknown keys and bad values
raise :class:`ConfigError` naming the key (the CLI turns it into exit code 2).
``.feedlint.toml`` takes precedence over pyproject.toml and holds the keys at top level
(``[tool.feedlint]`` inside it is accepted too).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from feedlint.findings import Severity
from feedlint.lazyre import lazy_compile
from feedlint.record import Record, field

if TYPE_CHECKING:  # pragma: no cover
    from feedlint.model import ProjectModel

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Config", "ConfigError", "config_of", "load_config"]

_CODE_PREFIX = lazy_compile(r"^(ALL|FL\d{0,3})$")


class ConfigError(Exception):
    """A configuration or usage problem: exit code 2 with this message."""


def _str_list(key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"`{key}` must be a list of strings")
    return list(value)


def _codes(key: str, value: Any) -> list[str]:
    codes = [c.strip().upper() for c in _str_list(key, value) if c.strip()]
    for code in codes:
        if not _CODE_PREFIX.match(code):
            raise ConfigError(f"`{key}` has an invalid rule code or prefix {code!r}")
    return codes


def _per_file(key: str, value: Any) -> dict[str, list[str]]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"`{key}` must be a table of glob = [codes]")
    return {str(k): _codes(f"{key}.{k}", v) for k, v in value.items()}


def _severity(key: str, value: Any) -> Severity:
    if not isinstance(value, str):
        raise ConfigError(f"`{key}` must be a string")
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise ConfigError(f"`{key}`: {exc}") from None


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"`{key}` must be true or false")
    return value


def _url(key: str, value: Any) -> str:
    if not isinstance(value, str) or not re.match(r"^https?://\S+$", value):
        raise ConfigError(f"`{key}` must be an http(s) URL")
    return value


def _hours(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(f"`{key}` must be a number of hours >= 0")
    return float(value)


def _str_map(key: str, value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ConfigError(f"`{key}` must be a table of strings")
    return dict(value)


#: key -> (Config field, validator). The single source of truth for accepted keys.
KEYS: dict[str, tuple[str, Callable[[str, Any], Any]]] = {
    "select": ("select", _codes),
    "ignore": ("ignore", _codes),
    "extend-select": ("extend_select", _codes),
    "per-file-ignores": ("per_file_ignores", _per_file),
    "private-prefixes": ("private_prefixes", _str_list),
    "private-packages": ("private_packages", _str_list),
    "private-indexes": ("private_indexes", _str_list),
    "public-mirrors": ("public_mirrors", _str_list),
    "exclude": ("exclude", _str_list),
    "fail-on": ("fail_on", _severity),
    "online": ("online", _bool),
    "pypi-url": ("pypi_url", _url),
    "cache-max-age": ("cache_max_age", _hours),
    "pypi-lookup": ("pypi_lookup", _bool),
    "exports": ("exports", _str_map),
}


class Config(Record):
    """Resolved configuration for one root (file values; the CLI overlays its flags)."""

    select: Optional[list[str]] = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    private_prefixes: list[str] = field(default_factory=list)
    private_packages: list[str] = field(default_factory=list)
    private_indexes: list[str] = field(default_factory=list)
    public_mirrors: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.WARNING
    online: bool = False
    pypi_url: str = "https://pypi.org/simple/"
    cache_max_age: float = 24.0
    #: opt-in: per-name look-ups at pypi-url (sends private names there); see feedlint.pypi
    pypi_lookup: bool = False
    #: requirements file (root-relative) -> lock file it was exported from
    exports: dict[str, str] = field(default_factory=dict)
    #: where the values came from, for messages
    origin: str = "defaults"

    @classmethod
    def from_mapping(cls, table: Mapping[str, Any], origin: str) -> Config:
        cfg = cls(origin=origin)
        for key, value in table.items():
            if key not in KEYS:
                known = ", ".join(sorted(KEYS))
                raise ConfigError(
                    f"{origin}: unknown key `{key}` in [tool.feedlint] (known: {known})"
                )
            attr, validate = KEYS[key]
            try:
                setattr(cfg, attr, validate(key, value))
            except ConfigError as exc:
                raise ConfigError(f"{origin}: {exc}") from None
        return cfg


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def config_of(model: ProjectModel) -> Config:
    """The model's resolved configuration (the defaults when it has none)."""
    return model.config if isinstance(model.config, Config) else Config()


def load_config(root: Path, explicit: Optional[Path] = None) -> Config:
    """Read the configuration for ``root``: ``explicit`` file, ``.feedlint.toml``, or
    ``[tool.feedlint]`` in ``pyproject.toml``; defaults when none exists.

    A malformed pyproject.toml is not a configuration error (it is linted and reported as
    FL001); a malformed ``.feedlint.toml`` or explicit config file is.
    """
    candidates = [explicit] if explicit else [root / ".feedlint.toml", root / "pyproject.toml"]
    for path in candidates:
        if path is None or not path.is_file():
            if explicit:
                raise ConfigError(f"{explicit}: configuration file not found")
            continue
        if path.name == "pyproject.toml":
            try:
                data = _read_toml(path)
            except ConfigError:
                return Config()
            table = data.get("tool", {}).get("feedlint")
            if table is None:
                return Config()
        else:
            data = _read_toml(path)
            table = data.get("tool", {}).get("feedlint", data)
        if not isinstance(table, Mapping):
            raise ConfigError(f"{path.name}: [tool.feedlint] must be a table")
        return Config.from_mapping(table, path.name)
    return Config()
