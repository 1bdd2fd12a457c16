"""lazy_compile behaves as the compiled pattern and compiles only when used."""

from __future__ import annotations

import re

import pytest

from feedlint.lazyre import lazy_compile


def test_lazy_pattern_behaves_as_compiled() -> None:
    lazy = lazy_compile(r"(?P<w>a+)b", re.I)
    real = re.compile(r"(?P<w>a+)b", re.I)
    for text in ("xAAb", "ab", "b", "aab aB"):
        assert bool(lazy.match(text)) == bool(real.match(text))
        assert [m.group("w") for m in lazy.finditer(text)] == [
            m.group("w") for m in real.finditer(text)
        ]
        assert lazy.sub("-", text) == real.sub("-", text)
    assert lazy.pattern == real.pattern and lazy.flags == real.flags


def test_lazy_pattern_compiles_on_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = re.compile

    def spy(pattern: str, flags: int = 0) -> re.Pattern[str]:
        calls.append(pattern)
        return original(pattern, flags)

    monkeypatch.setattr(re, "compile", spy)
    lazy = lazy_compile("x+y")
    assert calls == []
    assert lazy.search("axxy")
    assert lazy.search("nope") is None
    assert calls == ["x+y"]
