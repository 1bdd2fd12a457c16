"""feedlint.record: the dataclass-like base class the model is built from."""

from __future__ import annotations

import copy
import pickle

import pytest

from feedlint.record import Record, asdict, field, fields, replace


class Point(Record, frozen=True, order=True):
    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list)


class Bag(Record):
    items: dict[str, int] = field(default_factory=dict)
    label: str = "bag"


class Empty(Record, frozen=True):
    pass


class One(Record, frozen=True):
    value: str


def test_construction_defaults_and_factories() -> None:
    p = Point(1)
    assert (p.x, p.y, p.tags) == (1, 0, [])
    assert Point(1, y=2).y == 2
    assert Point(x=3, y=4, tags=["a"]).tags == ["a"]
    assert Point(1).tags is not Point(1).tags  # a new list per instance
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, z=2)  # type: ignore[call-arg]


def test_frozen_records_refuse_assignment_and_hash_by_value() -> None:
    p = Point(1, 2)
    with pytest.raises(AttributeError):
        p.x = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del p.x  # type: ignore[misc]
    assert hash(Point(1, 2, ())) == hash(Point(1, 2, ()))  # type: ignore[arg-type]
    assert {One("a"), One("a"), One("b")} == {One("a"), One("b")}
    assert hash(Empty()) == hash(Empty())


def test_plain_records_are_mutable_and_unhashable() -> None:
    b = Bag()
    b.label = "other"
    b.items["k"] = 1
    assert b == Bag({"k": 1}, "other")
    with pytest.raises(TypeError):
        hash(b)


def test_equality_needs_the_same_class() -> None:
    class Other(Record, frozen=True):
        value: str

    assert One("a") == One("a")
    assert One("a") != One("b")
    assert One("a") != Other("a")
    assert One("a") != ("a",)


def test_order_compares_field_tuples() -> None:
    assert Point(1, 2) < Point(1, 3) <= Point(1, 3) < Point(2)
    assert sorted([Point(2), Point(1, 5), Point(1, 1)]) == [Point(1, 1), Point(1, 5), Point(2)]
    with pytest.raises(TypeError):
        _ = One("a") < One("b")  # type: ignore[operator]


def test_repr_replace_fields_asdict() -> None:
    p = Point(1, 2, ["t"])
    assert repr(p) == "Point(x=1, y=2, tags=['t'])"
    assert replace(p, y=9) == Point(1, 9, ["t"])
    assert p.y == 2
    with pytest.raises(TypeError):
        replace(p, nope=1)
    assert fields(p) == fields(Point) == ("x", "y", "tags")
    assert asdict(Bag({"a": 1})) == {"items": {"a": 1}, "label": "bag"}
    assert One.__match_args__ == ("value",)


def test_copy_and_pickle_round_trip() -> None:
    p = Point(1, 2, ["t"])
    assert copy.copy(p) == p
    assert copy.deepcopy(p) == p
    assert pickle.loads(pickle.dumps(p)) == p


def test_a_required_field_after_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default"):

        class Bad(Record):
            a: int = 0
            b: int
