"""The shared command-line and environment parser (what the `lines` branch added)."""

from __future__ import annotations

from feedlint.model import Command, FileKind, FileModel, IndexRole, Installer, Location, SourceFile
from feedlint.parsers.commands import apply_env, extract_command, split_words
from feedlint.parsers.textmap import source_text

P = "x.sh"


def run(*lines: str) -> FileModel:
    fm = FileModel(SourceFile(P, FileKind.SHELL, lines))
    cmd = source_text(lines).command(P, "shell")
    extract_command(cmd, fm)
    return fm


def at(line: int, column: int) -> Location:
    return Location(P, line, column)


def idx(fm: FileModel) -> list[tuple[str, str, Location]]:
    return [(i.url, i.role.value, i.location) for i in fm.indexes]


# -- split_words ------------------------------------------------------------------------
def test_split_words_continuations_and_double_quotes() -> None:
    words = split_words('pip install \\\n  "a \\"b\\" $(cat "/x y")" c`\nd')
    assert [[w.text for w in cmd] for cmd in words] == [
        ["pip", "install", 'a "b" $(cat "/x y")', "c", "d"],  # backtick-newline continues
    ]
    (cmd,) = split_words("pip install `\n  --index-url u")
    assert [w.text for w in cmd] == ["pip", "install", "--index-url", "u"]


# -- locations and values ------------------------------------------------------------------
def test_quoted_values_are_located_at_their_content() -> None:
    fm = run(
        "pip install --index-url \"https://q.example/simple\" --extra-index-url='https://e.example/' x"
    )
    assert idx(fm) == [
        ("https://q.example/simple", "index", at(1, 26)),
        ("https://e.example/", "extra", at(1, 71)),
    ]


def test_env_values_keep_command_substitutions_whole() -> None:
    fm = run('UV_EXTRA_INDEX_URL="https://o:$(cat /run/secrets/t)@x.example/simple" uv sync')
    assert idx(fm) == [("https://o:$(cat /run/secrets/t)@x.example/simple", "extra", at(1, 21))]


# -- what runs the installer -------------------------------------------------------------------
def test_keywords_wrappers_and_nested_shells() -> None:
    fm = run(
        "if sudo -E -u root env PIP_INDEX_URL=https://a.example/ pip --isolated install q; then",
        "  bash -lc 'pip install --extra-index-url https://b.example/ r'",
        "fi",
        'cmd /c "pip install -i https://c.example/ s"',
        "powershell -Command pip install -i https://d.example/ t",
    )
    assert idx(fm) == [
        ("https://a.example/", "index", at(1, 38)),
        ("https://b.example/", "extra", at(2, 43)),
        ("https://c.example/", "index", at(4, 24)),
        ("https://d.example/", "index", at(5, 36)),
    ]
    assert [p.name for p in fm.packages] == ["q", "r", "s", "t"]


def test_python_m_pip_with_options_and_runners() -> None:
    fm = run(
        "python3 -u -m pip install -i https://a.example/ x",
        "poetry run twine upload -r corp dist/*",
        "uv run --with keyring pip install --extra-index-url https://b.example/ y",
        "pipx install --index-url https://c.example/ tool",
        "pip-compile --extra-index-url https://d.example/ requirements.in",
        "pipenv install --pypi-mirror https://e.example/ z",
    )
    assert [u for u, _, _ in idx(fm)] == [f"https://{c}.example/" for c in "abcde"]
    assert [(t.name, t.tool) for t in fm.publish_targets] == [("corp", "twine")]


def test_python_options_before_m_pip() -> None:
    fm = run(
        "python -I -m pip install -i https://a.example/ x",
        "python3 -Im pip install -i https://b.example/ x",
        "python -mpip install -i https://c.example/ x",
        "python -W ignore -X utf8 -m pip install -i https://d.example/ x",
        "py -3.12 -Wdefault -m pip install -i https://e.example/ x",
        "python -c 'import pip' -m pip install -i https://no.example/ x",
        "python setup.py -m pip install -i https://no.example/ x",
    )
    assert [u for u, _, _ in idx(fm)] == [f"https://{c}.example/" for c in "abcde"]
    assert idx(fm)[2][2] == at(3, 25)


def test_uv_allow_insecure_host_is_a_setting_not_a_package() -> None:
    fm = run(
        "uv pip install --allow-insecure-host nexus.corp.example -i http://nexus.corp.example/ x",
        "uv sync --allow-insecure-host=localhost:8080",
    )
    assert [(s.key, s.value, s.installer, s.location) for s in fm.settings] == [
        ("allow-insecure-host", "nexus.corp.example", Installer.UV, at(1, 38)),
        ("allow-insecure-host", "localhost:8080", Installer.UV, at(2, 31)),
    ]
    assert [p.name for p in fm.packages] == ["x"]


def test_powershell_and_windows_environment() -> None:
    fm = run(
        '$env:PIP_INDEX_URL = "https://ps.example/"',
        "${env:UV_INDEX_URL}='https://uv.example/'",
        '[System.Environment]::SetEnvironmentVariable("PIP_EXTRA_INDEX_URL", "https://x.example/", "Machine")',
        'set "PIP_TRUSTED_HOST=corp.example"',
        "set /p PIP_INDEX_URL=Which index?",
        "setx PIP_NO_INDEX 1",
    )
    env = sorted(fm.env, key=lambda e: e.location)
    assert [(e.name, e.origin, e.location, e.value_location) for e in env] == [
        ("PIP_INDEX_URL", "shell-export", at(1, 6), at(1, 23)),
        ("UV_INDEX_URL", "shell-export", at(2, 7), at(2, 22)),
        ("PIP_EXTRA_INDEX_URL", "shell-export", at(3, 47), at(3, 70)),
        ("PIP_TRUSTED_HOST", "shell-export", at(4, 6), at(4, 23)),
        ("PIP_NO_INDEX", "shell-export", at(6, 6), at(6, 19)),
    ]


def test_variables_handed_to_later_ci_steps() -> None:
    fm = run(
        'echo "##vso[task.setvariable variable=PIP_EXTRA_INDEX_URL]https://a.example/"',
        "echo '##vso[task.setvariable variable=FEED_PAT;issecret=true]$(pat)'",
        'echo "PIP_INDEX_URL=https://b.example/" >> "$GITHUB_ENV"',
        "echo UV_INDEX_URL=https://c.example/ >> $env:GITHUB_ENV",
        'echo "PIP_EXTRA_INDEX_URL=https://d.example/" > notes.txt',
    )
    env = sorted(fm.env, key=lambda e: e.location)
    assert [(e.name, e.value, e.origin, e.location, e.value_location) for e in env] == [
        ("PIP_EXTRA_INDEX_URL", "https://a.example/", "ci-env", at(1, 39), at(1, 59)),
        ("FEED_PAT", "$(pat)", "ci-env", at(2, 39), at(2, 62)),
        ("PIP_INDEX_URL", "https://b.example/", "ci-env", at(3, 7), at(3, 21)),
        ("UV_INDEX_URL", "https://c.example/", "ci-env", at(4, 6), at(4, 19)),
    ]
    assert [(u, r) for u, r, _ in idx(fm)] == [
        ("https://a.example/", "extra"),
        ("https://b.example/", "index"),
        ("https://c.example/", "index"),
    ]


def test_docker_build_args() -> None:
    fm = run(
        'docker buildx build --build-arg PAT=$(System.AccessToken) --build-arg "PIP_EXTRA_INDEX_URL=https://x.example/" --build-arg=FROM_ENV .'
    )
    assert [(e.name, e.value, e.origin, e.location) for e in fm.env] == [
        ("PAT", "$(System.AccessToken)", "docker-build-arg", at(1, 33)),
        ("PIP_EXTRA_INDEX_URL", "https://x.example/", "docker-build-arg", at(1, 72)),
        ("FROM_ENV", None, "docker-build-arg", at(1, 124)),
    ]
    assert [c.key for c in fm.credentials] == ["PAT"]
    assert idx(fm) == [("https://x.example/", "extra", at(1, 92))]


def test_publishers() -> None:
    fm = run(
        "poetry config repositories.corp.url https://p.example/legacy/",
        "poetry publish --repository=corp",
        "uv publish --publish-url https://u.example/legacy/ --token tok",
        "pdm config pypi.corp.url https://pdm.example/simple && pdm publish -r corp -P pw",
        "hatch publish -r https://h.example/legacy/ -a secret",
    )
    assert [(t.name, t.url, t.tool, t.location) for t in fm.publish_targets] == [
        ("corp", "https://p.example/legacy/", "poetry", at(1, 37)),
        ("corp", None, "poetry", at(2, 29)),
        ("", "https://u.example/legacy/", "uv", at(3, 26)),
        ("corp", None, "pdm", at(4, 71)),
        ("", "https://h.example/legacy/", "hatch", at(5, 18)),
    ]
    assert [(c.value, c.key) for c in fm.credentials] == [
        ("tok", "uv publish --token"),
        ("pw", "pdm publish -P"),
        ("secret", "hatch publish -a"),
    ]
    pdm = [i for i in fm.indexes if i.installer is Installer.PDM]
    assert [(i.url, i.role, i.name) for i in pdm] == [
        ("https://pdm.example/simple", IndexRole.SOURCE, "corp")
    ]


def test_apply_env_publish_repositories() -> None:
    fm = FileModel(SourceFile(".env", FileKind.DOTENV, ()))
    loc = Location(".env", 1, 1)
    apply_env("TWINE_REPOSITORY", "corp", loc, fm, "dotenv", loc)
    apply_env("UV_PUBLISH_URL", "https://u.example/legacy/", loc, fm, "dotenv", loc)
    apply_env("PDM_PUBLISH_REPO", "https://pdm.example/legacy/", loc, fm, "dotenv", loc)
    assert [(t.name, t.url, t.tool) for t in fm.publish_targets] == [
        ("corp", None, "twine"),
        ("", "https://u.example/legacy/", "uv"),
        ("", "https://pdm.example/legacy/", "pdm"),
    ]


def test_inner_command_keeps_the_outer_line_map() -> None:
    lines = ("sh -c 'pip install \\", "  --index-url https://i.example/ x'")
    fm = FileModel(SourceFile(P, FileKind.SHELL, lines))
    cmd = source_text(lines).command(P, "shell")
    assert isinstance(cmd, Command)
    extract_command(cmd, fm)
    assert idx(fm) == [("https://i.example/", "index", at(2, 15))]


def test_pip_config_set_with_several_urls_locates_each() -> None:
    fm = run(
        'pip config --global set global.extra-index-url "https://a.example/simple https://b.example/"'
    )
    assert idx(fm) == [
        ("https://a.example/simple", "extra", at(1, 49)),
        ("https://b.example/", "extra", at(1, 74)),
    ]
    assert {i.scope for i in fm.indexes} == {"global"}


# -- installs of requirements files (FL401 follows an export to them) ---------------------
def installs(fm: FileModel) -> list[tuple[str, str, str, Location, list[str], bool, str]]:
    from feedlint.parsers.commands import INSTALLS_FACT

    return [
        (i.target, i.installer.value, i.sub, i.location, [r.url for r in i.indexes], i.no_index,
         i.strategy)
        for i in fm.facts.get(INSTALLS_FACT, [])
    ]  # fmt: skip


def test_installs_record_the_file_and_the_command_indexes() -> None:
    fm = run(
        "pip install --index-url https://a.example/simple -r requirements.txt && "
        "pip wheel -w /wheels -c c.txt",
        "python -m pip install --no-index -f /wheels -r /app/requirements.txt",
        "uv pip sync --index-strategy unsafe-best-match requirements.lock.txt",
        "pip-sync dev.txt; pip-compile -o out.txt in.txt -c requirements.txt",
        "pip install flask  # no file",
    )
    assert installs(fm) == [
        ("requirements.txt", "pip", "install", at(1, 53), ["https://a.example/simple"], False, ""),
        ("c.txt", "pip", "wheel", at(1, 97), [], False, ""),
        ("/app/requirements.txt", "pip", "install", at(2, 48), ["/wheels"], True, ""),
        ("requirements.lock.txt", "uv", "sync", at(3, 48), [], False, "unsafe-best-match"),
        ("dev.txt", "pip", "pip-sync", at(4, 10), [], False, ""),
    ]


def test_publish_without_a_repository_goes_to_pypi() -> None:
    fm = run(
        "poetry publish --build",
        "poetry publish -r internal",
        "poetry publish --dry-run",
        "twine upload dist/*",
        "twine upload --repository-url https://feed.example/upload/ dist/*",
        "uv publish --token $PYPI_TOKEN",
        "uv publish --publish-url https://feed.example/upload/",
    )
    assert [(t.name, t.url, t.tool, t.location.line) for t in fm.publish_targets] == [
        ("pypi", "https://upload.pypi.org/legacy/", "poetry", 1),
        ("internal", None, "poetry", 2),
        ("pypi", "https://upload.pypi.org/legacy/", "twine", 4),
        ("", "https://feed.example/upload/", "twine", 5),
        ("pypi", "https://upload.pypi.org/legacy/", "uv", 6),
        ("", "https://feed.example/upload/", "uv", 7),
    ]


def test_publish_redirected_by_the_environment_is_not_pypi() -> None:
    fm = run("export TWINE_REPOSITORY_URL=https://feed.example/upload/", "twine upload dist/*")
    assert [(t.name, t.tool) for t in fm.publish_targets] == [("twine", "twine")]


# -- programs held in variables ------------------------------------------------------------
def test_program_held_in_a_variable_named_after_it() -> None:
    fm = run(
        "PIP=$(which pip)",
        "$PIP install --extra-index-url https://a.example/simple x",
        '"${PYTHON_BIN}" -m pip install --index-url https://b.example/simple y',
    )
    assert idx(fm) == [
        ("https://a.example/simple", "extra", at(2, 32)),
        ("https://b.example/simple", "index", at(3, 44)),
    ]


def test_other_variables_are_not_programs() -> None:
    fm = run(
        "$PIP_OPTS install --extra-index-url https://a.example/simple x",
        "${PIP install --extra-index-url https://a.example/simple x",
        "$1 install --extra-index-url https://a.example/simple x",
    )
    assert idx(fm) == []


def test_backquoted_command_stays_in_its_word() -> None:
    (cmd,) = split_words("export T=`aws codeartifact get-authorization-token --domain d` x")
    assert [w.text for w in cmd] == [
        "export",
        "T=`aws codeartifact get-authorization-token --domain d`",
        "x",
    ]
    # PowerShell's backtick-newline still continues the line; an unclosed one is a character
    (cmd,) = split_words("pip install x `\n  --index-url u")
    assert [w.text for w in cmd] == ["pip", "install", "x", "--index-url", "u"]
    (cmd,) = split_words("x=`y z")
    assert [w.text for w in cmd] == ["x=`y", "z"]
