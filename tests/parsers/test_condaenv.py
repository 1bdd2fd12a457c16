"""conda environment files: the ``pip:`` list read as a requirements file."""

from __future__ import annotations

from feedlint.kinds import classify
from feedlint.model import FileKind, FileModel, IndexRole, Location, SourceFile
from feedlint.parsers import parse_file
from feedlint.textio import split_lines

PATH = "envs/environment.yml"


def parse(text: str) -> FileModel:
    return parse_file(SourceFile(PATH, FileKind.CONDA_ENV, split_lines(text)))


def at(line: int, column: int) -> Location:
    return Location(PATH, line, column)


def test_classify_conda_names() -> None:
    for name in (
        "environment.yml",
        "environment.yaml",
        "binder/environment.yml",
        "environment-dev.yml",
        "ci/environment_py311.yaml",  # not a pipeline
        "conda.yml",
        "conda-env.yaml",
    ):
        assert classify(name) is FileKind.CONDA_ENV, name
    assert classify("environments.yml") is None
    assert classify(".github/workflows/environment.yml") is FileKind.CI_YAML


def test_pip_items_are_requirements_lines_at_their_yaml_positions() -> None:
    fm = parse(
        "name: ml\n"
        "channels:\n"
        "  - conda-forge\n"
        "dependencies:\n"
        "  - python=3.11\n"
        "  - numpy\n"
        "  - pip:\n"
        "      # a comment\n"
        "      - --extra-index-url https://feed.example/simple\n"
        '      - "--index-url https://pypi.org/simple"\n'
        "      - acme-core==1.2 --hash=sha256:abc\n"
        "      - --trusted-host feed.example\n"
        "      - -r requirements.txt\n"
        "      - --requirement ../base.txt\n"
    )
    assert fm.problems == []
    assert [(r.url, r.role, r.location, r.scope) for r in fm.indexes] == [
        ("https://feed.example/simple", IndexRole.EXTRA, at(9, 27), "pip"),
        ("https://pypi.org/simple", IndexRole.INDEX, at(10, 22), "pip"),
    ]
    assert [(p.name, p.version, p.location, p.hashes) for p in fm.packages] == [
        ("acme-core", "1.2", at(11, 9), ("sha256:abc",))
    ]
    assert [(s.key, s.location) for s in fm.settings] == [("trusted-host", at(12, 24))]
    assert [(i.target, i.location) for i in fm.includes] == [
        ("envs/requirements.txt", at(13, 12)),
        ("base.txt", at(14, 23)),
    ]
    assert "conda-forge" not in {p.name for p in fm.packages}


def test_an_unrelated_environment_file_reads_nothing() -> None:
    fm = parse(
        "production:\n"
        "  url: https://app.example\n"
        "dependencies:\n"
        "  - redis\n"
        "  - pip: not-a-list\n"
        "  - extra-index-url: https://feed.example/simple\n"
    )
    assert fm.indexes == [] and fm.packages == [] and fm.problems == []


def test_malformed_yaml_never_raises() -> None:
    fm = parse('dependencies:\n  - pip:\n    - "--index-url https://x\n  - {bad\n\t- tab\n')
    assert fm.problems == []
