"""Small immutable (or plain) record classes, cheap to define at import time.

Every feedlint run imports the whole model, every parser and every rule, so the cost of
*defining* classes is paid on every commit. ``dataclasses`` generates and compiles five or
six methods per class (about 0.5 ms each class, 29 ms for feedlint's 59), and ``msgspec``
brings in typing_extensions, uuid, platform and decimal (about 15 ms). A record compiles
only its ``__init__``; equality, hashing, ordering and ``repr`` are shared functions over an
``operator.attrgetter`` of the fields.

Declare a record like a dataclass, by subclassing::

    class Location(Record, frozen=True):
        path: str
        line: int
        column: int = 1
        notes: list[str] = field(default_factory=list)

Supported: positional or keyword construction in field order, defaults and
``field(default_factory=...)``, ``frozen`` (assignment raises, instances hash by value),
``order`` (``<`` and friends compare field tuples), ``replace``, ``fields`` and ``asdict``.
Equality holds only between instances of the same class, as with dataclasses.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any, Callable, TypeVar

__all__ = ["Record", "asdict", "field", "fields", "replace"]

if TYPE_CHECKING:  # type checkers read Record subclasses as dataclasses
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[type], type]:
        return lambda cls: cls


R = TypeVar("R", bound="Record")


class _Factory:
    """A ``field(default_factory=...)`` marker, replaced by the factory's result per instance."""

    __slots__ = ("factory",)

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory


def field(*, default_factory: Callable[[], Any]) -> Any:
    """A field whose default is built per instance (``list``, ``dict``...)."""
    return _Factory(default_factory)


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise AttributeError(f"cannot assign to field {name!r} of frozen {type(self).__name__}")


def _frozen_delattr(self: object, name: str) -> None:
    raise AttributeError(f"cannot delete field {name!r} of frozen {type(self).__name__}")


@dataclass_transform(field_specifiers=(field,))
class Record:
    """Base class of feedlint's records; see the module docstring."""

    __slots__ = ()
    __record_fields__: tuple[str, ...] = ()
    __record_key__: Callable[[Any], tuple[Any, ...]]

    def __init_subclass__(cls, frozen: bool = False, order: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # The class's own annotations (strings, under ``from __future__ import annotations``);
        # inspect.get_annotations would cost an inspect import on every run.
        annotations = cls.__dict__.get("__annotations__")  # noqa: RUF063
        if annotations is None:  # Python 3.14+ without the __future__ import: lazily built
            annotations = cls.__annotations__ if "__annotate__" in cls.__dict__ else {}
        names = tuple(
            name
            for name, hint in annotations.items()
            if not (isinstance(hint, str) and hint.startswith(("ClassVar", "typing.ClassVar")))
        )
        defaults: dict[str, Any] = {}
        for name in names:
            if name in cls.__dict__:
                defaults[name] = cls.__dict__[name]
                if isinstance(defaults[name], _Factory):
                    delattr(cls, name)  # as with dataclasses: no class-level value to share
            elif defaults:
                raise TypeError(
                    f"{cls.__name__}: field {name!r} without a default follows one with"
                )
        cls.__record_fields__ = names
        getter = attrgetter(*names) if names else (lambda self: ())
        key = (lambda self: (getter(self),)) if len(names) == 1 else getter
        cls.__record_key__ = staticmethod(key)  # type: ignore[assignment]
        cls.__init__ = _make_init(cls, names, defaults)  # type: ignore[method-assign]
        cls.__repr__ = _repr  # type: ignore[method-assign]
        cls.__eq__ = _eq  # type: ignore[method-assign]
        cls.__match_args__ = names
        if frozen:
            cls.__setattr__ = _frozen_setattr  # type: ignore[method-assign,assignment]
            cls.__delattr__ = _frozen_delattr  # type: ignore[method-assign,assignment]
            cls.__hash__ = _hash  # type: ignore[method-assign]
        else:
            cls.__hash__ = None  # type: ignore[assignment]
        if order:
            cls.__lt__ = _lt  # type: ignore[method-assign,assignment]
            cls.__le__ = _le  # type: ignore[method-assign,assignment]
            cls.__gt__ = _gt  # type: ignore[method-assign,assignment]
            cls.__ge__ = _ge  # type: ignore[method-assign,assignment]


def _make_init(cls: type, names: tuple[str, ...], defaults: dict[str, Any]) -> Callable[..., None]:
    """Compile ``__init__`` for ``names``. Values go straight into the instance ``__dict__``,
    which bypasses a frozen ``__setattr__`` and costs one store per field."""
    env: dict[str, Any] = {"_MISSING": _MISSING}
    params, body = [], []
    for i, name in enumerate(names):
        if name not in defaults:
            params.append(name)
            body.append(f"    d[{name!r}] = {name}")
        elif isinstance(defaults[name], _Factory):
            env[f"_f{i}"] = defaults[name].factory
            params.append(f"{name}=_MISSING")
            body.append(f"    d[{name!r}] = _f{i}() if {name} is _MISSING else {name}")
        else:
            env[f"_d{i}"] = defaults[name]
            params.append(f"{name}=_d{i}")
            body.append(f"    d[{name!r}] = {name}")
    source = f"def __init__(self, {', '.join(params)}):\n    d = self.__dict__\n" + "\n".join(body)
    if not names:
        source = "def __init__(self):\n    pass"
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<record {cls.__module__}.{cls.__qualname__}>", "exec"), env, namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _repr(self: Record) -> str:
    inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__record_fields__)
    return f"{type(self).__qualname__}({inner})"


def _eq(self: Record, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return self is other or self.__record_key__(self) == self.__record_key__(other)


def _hash(self: Record) -> int:
    return hash(self.__record_key__(self))


def _lt(self: Record, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return self.__record_key__(self) < self.__record_key__(other)


def _le(self: Record, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return self.__record_key__(self) <= self.__record_key__(other)


def _gt(self: Record, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return self.__record_key__(self) > self.__record_key__(other)


def _ge(self: Record, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return self.__record_key__(self) >= self.__record_key__(other)


def fields(obj: Record | type[Record]) -> tuple[str, ...]:
    """The field names of a record (class or instance), in declaration order."""
    return obj.__record_fields__


def replace(obj: R, **changes: Any) -> R:
    """A copy of ``obj`` with ``changes`` applied (unknown names raise ``TypeError``)."""
    values = {name: getattr(obj, name) for name in obj.__record_fields__}
    values.update(changes)
    return type(obj)(**values)


def asdict(obj: Record) -> dict[str, Any]:
    """The record's fields as a dict (records nested in fields are converted too)."""
    return {name: _plain(getattr(obj, name)) for name in obj.__record_fields__}


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return asdict(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
