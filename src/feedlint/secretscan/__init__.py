"""Where secrets are exposed in a project, and which credential rule reports each one.

One analysis serves FL101–FL105 (see :mod:`feedlint.rules.credentials`): every place a
secret is exposed becomes an :class:`Exposure` that names, in order of preference, the
codes that may report it. Resolution then keeps **one finding per secret per place**:

1. exposures are taken tier by tier: credential stores (FL105), ``.pypirc`` passwords
   (FL103), URL user-info (FL101), Docker build channels (FL104), literals in credential
   variables and keys (FL102), token formats found by scanning lines (FL102);
2. an exposure goes to the first of its codes that is enabled for its file (so
   ``--select FL102`` alone still reports a PyPI token in a ``.pypirc`` password);
3. an exposure whose span (line and columns) overlaps one already reported is dropped.

So a PyPI token as a ``.pypirc`` password is FL103, not also FL102; a GitHub token in a
URL is FL101; a literal URL password in a Dockerfile ``RUN`` or ``ENV`` is FL101 (its fix
names BuildKit secrets) while FL104 covers what has no literal: build arguments, ENV values
taken from them, commands that write credentials into a layer and COPY of credential files.

What is *not* a secret (no finding): empty values, environment references (``${VAR}``,
``$VAR``, ``$(System.AccessToken)``, ``%VAR%``, ``${{ secrets.X }}``, ``{{ x }}``, partial
ones such as ``${PREFIX}abc``, command substitution), placeholders
(:func:`feedlint.urls.is_placeholder` plus the shapes in :mod:`.values`), BuildKit secret mounts.
A URL user name alone is a secret only when it is a recognised token, the Gemfury-style
``TOKEN:@host`` form, or a long random-looking string in a package-index or forge URL
(``git@github.com``, ``https://myorg@dev.azure.com/...`` and e-mail users are not).
A literal on a commented-out line is still reported, as a warning: it is readable in the
repository but not in use, and often stale.
"""

from __future__ import annotations

from collections.abc import Iterable

from feedlint.findings import Severity
from feedlint.model import ProjectModel
from feedlint.record import Record, field
from feedlint.secretscan.base import Exposure, Resolved, fingerprint
from feedlint.secretscan.docker import build_arg_exposures, docker_exposures
from feedlint.secretscan.literals import (
    commented_assignment_exposures,
    context_exposures,
    pypirc_exposures,
    store_exposures,
    token_exposures,
    url_exposures,
)
from feedlint.secretscan.values import is_feed_secret_key, is_secret_var, value_state
from feedlint.urls import private_host_shape

__all__ = [
    "Exposure",
    "Resolved",
    "is_feed_secret_key",
    "is_secret_var",
    "resolve",
    "resolved",
    "value_state",
]

_CACHE_KEY = "credential-exposures"


# -- resolution ---------------------------------------------------------------------------
def _all_exposures(model: ProjectModel) -> list[Exposure]:
    out: list[Exposure] = []
    azure = any(private_host_shape(ix.url) == "Azure Artifacts" for ix in model.indexes)
    for _, fm in sorted(model.files.items()):
        out.extend(store_exposures(fm))
        out.extend(pypirc_exposures(fm))
        out.extend(url_exposures(fm, model))
        out.extend(docker_exposures(fm, model))
        out.extend(build_arg_exposures(fm))
        out.extend(context_exposures(fm, azure))
        out.extend(commented_assignment_exposures(fm))
        out.extend(token_exposures(fm))
    return out


def _enabled(model: ProjectModel, code: str, path: str) -> bool:
    selector = model.extras.get("selector")
    if selector is None:
        return True
    return bool(selector.enabled_in(code, path))  # type: ignore[attr-defined]


class _Taken(Record):
    spans: dict[tuple[str, int], list[tuple[int, int]]] = field(default_factory=dict)

    def overlaps(self, e: Exposure) -> bool:
        key = (e.location.path, e.location.line)
        return any(
            e.location.column < end and start < e.end_column
            for start, end in self.spans.get(key, [])
        )

    def add(self, e: Exposure) -> None:
        key = (e.location.path, e.location.line)
        self.spans.setdefault(key, []).append((e.location.column, e.end_column))


def resolve(model: ProjectModel, exposures: Iterable[Exposure]) -> list[Resolved]:
    """Assign each exposure to its first enabled code, one per secret per place."""
    taken = _Taken()
    out: list[Resolved] = []
    ordered = sorted(exposures, key=lambda e: (e.tier, e.location, e.end_column))
    for e in ordered:
        code = next((c for c in e.owners if _enabled(model, c, e.location.path)), None)
        if code is None or taken.overlaps(e):
            continue
        taken.add(e)
        message, fix = e.texts[code]
        out.append(
            Resolved(
                code,
                e.location,
                message,
                fix,
                Severity.WARNING if e.commented else None,
                fingerprint(e.secret),
            )
        )
    return out


def resolved(model: ProjectModel) -> list[Resolved]:
    """Every credential finding of the model, computed once per model."""
    cached = model.extras.get(_CACHE_KEY)
    if isinstance(cached, list):
        return cached
    result = resolve(model, _all_exposures(model))
    model.extras[_CACHE_KEY] = result
    return result
