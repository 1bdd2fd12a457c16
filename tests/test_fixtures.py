"""Every fixture tree under ``tests/fixtures/<CODE>/<case>/`` is one test.

The case directory is linted as a root with only ``<CODE>`` selected (plus any codes in an
optional ``select.txt``); its ``expected.txt`` lists the findings as ``path:line:col: CODE``
lines in order (empty or absent: the case must stay silent). Lines starting with ``#`` are
comments. A ``.feedlint.toml`` in the case configures it like a user would.

The runner is offline. A case that needs PyPI name data (FL302/FL303) ships a
``pypi-names.txt`` (one project name a line, ``#`` comments): it is installed as the
cached project list of the default ``--pypi-url`` in the test's own cache directory
(``FEEDLINT_CACHE_DIR``, see conftest) before the run, exactly as `feedlint names
--update` would have left it. Without that file the name data is absent, as on a fresh
machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, fixture_cases, run_cli


def _expected(case: Path) -> list[str]:
    path = case / "expected.txt"
    if not path.is_file():
        return []
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    return [ln for ln in lines if ln and not ln.startswith("#")]


def _install_pypi_names(case: Path) -> None:
    names = case / "pypi-names.txt"
    if names.is_file():
        from feedlint.namecache import save_names
        from feedlint.urls import normalize_name

        lines = [ln.strip() for ln in names.read_text(encoding="utf-8").splitlines()]
        listed = [normalize_name(ln) for ln in lines if ln and ln[0] != "#"]
        save_names("https://pypi.org/simple/", listed)


@pytest.mark.parametrize("case", list(fixture_cases()), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_tree(case: Path) -> None:
    _install_pypi_names(case)
    code = case.parent.name
    select = [code]
    extra = case / "select.txt"
    if extra.is_file():
        select += extra.read_text(encoding="utf-8").split()
    run = run_cli(str(case), "--format", "json", "--select", ",".join(select), "--exit-zero", "-q")
    assert run.code == 0, run.err
    assert run.findings == _expected(case), f"{case.relative_to(FIXTURES)}\n{run.out}"


def test_every_registered_rule_has_a_firing_and_a_silent_fixture() -> None:
    """A rule without fixtures is a rule without tests (FL002/FL001 included)."""
    from feedlint.registry import all_rules

    missing = []
    for rule in all_rules():
        cases = [c for c in fixture_cases() if c.parent.name == rule.code]
        firing = [c for c in cases if _expected(c)]
        silent = [c for c in cases if not _expected(c)]
        if not firing or not silent:
            missing.append(rule.code)
    assert not missing, f"rules lacking a firing or a silent fixture: {missing}"
