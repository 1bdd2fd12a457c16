"""Docker Compose files: ``build.args`` and ``environment`` of every service."""

from __future__ import annotations

from feedlint.kinds import classify
from feedlint.model import FileKind, FileModel, IndexRole, Location, SourceFile
from feedlint.parsers import parse_file
from feedlint.textio import split_lines

PATH = "docker-compose.yml"


def parse(text: str) -> FileModel:
    return parse_file(SourceFile(PATH, FileKind.COMPOSE, split_lines(text)))


def at(line: int, column: int) -> Location:
    return Location(PATH, line, column)


def env(fm: FileModel) -> list[tuple[str, object, str, Location, object]]:
    return [(e.name, e.value, e.origin, e.location, e.value_location) for e in fm.env]


def test_classify_compose_names() -> None:
    for name in (
        "docker-compose.yml",
        "docker-compose.yaml",
        "deploy/docker-compose.prod.yml",
        "docker-compose.ci.yml",  # not a pipeline
        "ci/docker-compose.yml",
        "compose.yaml",
        "compose.override.yml",
    ):
        assert classify(name) is FileKind.COMPOSE, name
    assert classify("composer.yml") is None
    assert classify("docs/compose-guide.yml") is None


def test_build_args_mapping_and_list_forms() -> None:
    fm = parse(
        "services:\n"
        "  api:\n"
        "    build:\n"
        "      context: .\n"
        "      args:\n"
        "        FEED_PAT: ${FEED_PAT}\n"
        '        PIP_INDEX_URL: "https://u:${PAT}@feed.example/simple"\n'
        "        HOST_VALUE:\n"
        "  worker:\n"
        "    build:\n"
        "      args:\n"
        "        - NPM_TOKEN\n"
        '        - "PIP_EXTRA_INDEX_URL=https://x.example/simple"\n'
        "        - APP_ENV=prod\n"
    )
    assert env(fm) == [
        ("FEED_PAT", "${FEED_PAT}", "docker-build-arg", at(6, 9), at(6, 19)),
        (
            "PIP_INDEX_URL",
            "https://u:${PAT}@feed.example/simple",
            "docker-build-arg",
            at(7, 9),
            at(7, 25),
        ),
        ("HOST_VALUE", None, "docker-build-arg", at(8, 9), None),
        ("NPM_TOKEN", None, "docker-build-arg", at(12, 11), None),
        (
            "PIP_EXTRA_INDEX_URL",
            "https://x.example/simple",
            "docker-build-arg",
            at(13, 12),
            at(13, 32),
        ),
        ("APP_ENV", "prod", "docker-build-arg", at(14, 11), at(14, 19)),
    ]
    assert [(r.url, r.role, r.location) for r in fm.indexes] == [
        ("https://u:${PAT}@feed.example/simple", IndexRole.INDEX, at(7, 25)),
        ("https://x.example/simple", IndexRole.EXTRA, at(13, 32)),
    ]


def test_environment_both_forms_merge_keys_and_aliases() -> None:
    fm = parse(
        "x-env: &env\n"
        "  PIP_INDEX_URL: https://feed.example/simple\n"
        "services:\n"
        "  a:\n"
        "    image: x\n"
        "    environment:\n"
        "      <<: *env\n"
        "      TWINE_PASSWORD: ${TWINE_PASSWORD:-}\n"
        "  b:\n"
        "    image: x\n"
        "    environment: *env\n"
        "  c:\n"
        "    image: x\n"
        "    environment:\n"
        "      - PIP_NO_INDEX=1\n"
        "      - PASS_THROUGH\n"
    )
    # the anchored block is read once, where it is written
    assert env(fm) == [
        ("PIP_INDEX_URL", "https://feed.example/simple", "compose-env", at(2, 3), at(2, 18)),
        ("TWINE_PASSWORD", "${TWINE_PASSWORD:-}", "compose-env", at(8, 7), at(8, 23)),
        ("PIP_NO_INDEX", "1", "compose-env", at(15, 9), at(15, 22)),
    ]
    assert [c.key for c in fm.credentials] == ["TWINE_PASSWORD"]


def test_secrets_and_other_keys_are_not_read() -> None:
    fm = parse(
        "services:\n"
        "  api:\n"
        "    build:\n"
        "      secrets: [feed_pat]\n"
        "    secrets:\n"
        "      - feed_pat\n"
        "    labels:\n"
        "      TOKEN: abc\n"
        "secrets:\n"
        "  feed_pat:\n"
        "    environment: FEED_PAT\n"
    )
    assert fm.env == [] and fm.credentials == [] and fm.problems == []


def test_version_1_top_level_services() -> None:
    fm = parse("web:\n  build: .\n  environment:\n    - PIP_INDEX_URL=https://f.example/simple\n")
    assert [(e.name, e.location) for e in fm.env] == [("PIP_INDEX_URL", at(4, 7))]


def test_malformed_yaml_is_read_as_far_as_possible() -> None:
    fm = parse(
        "services:\n"
        "  api:\n"
        "    build: [unclosed\n"
        "    environment:\n"
        '      - "FEED_PAT=abc\n'
        "\t: : bad\n"
        "  ok:\n"
        "    environment:\n"
        "      PIP_INDEX_URL: https://f.example/simple\n"
    )
    assert fm.problems == []  # as for CI YAML: `docker compose config` reports it better
    assert ("PIP_INDEX_URL", at(9, 7)) in [(e.name, e.location) for e in fm.env]
