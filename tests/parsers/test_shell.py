"""Shell scripts: POSIX shells, PowerShell, batch."""

from __future__ import annotations

from pathlib import Path

from conftest import corpus_tree

from feedlint.engine import build_model
from feedlint.model import FileKind, FileModel, IndexRole, Location, SourceFile
from feedlint.parsers import parse_file
from feedlint.textio import split_lines


def parse(text: str, path: str = "scripts/setup.sh") -> FileModel:
    return parse_file(SourceFile(path, FileKind.SHELL, split_lines(text)))


def at(line: int, column: int, path: str = "scripts/setup.sh") -> Location:
    return Location(path, line, column)


def test_logical_lines_continuations_and_comments() -> None:
    fm = parse(
        "#!/bin/bash\n"
        "set -euo pipefail\n"
        "# pip install --extra-index-url https://commented.example/ x\n"
        "pip install \\\n"
        "    --extra-index-url https://x.example/simple \\\n"
        "    foo  # don't: an apostrophe in a comment\n"
        'echo "multi\n'
        'line" && pip install -i https://i.example/ bar\n'
    )
    assert [(c.text, c.location) for c in fm.commands] == [
        ("set -euo pipefail", at(2, 1)),
        ("pip install     --extra-index-url https://x.example/simple     foo", at(4, 1)),
        ('echo "multi\nline" && pip install -i https://i.example/ bar', at(7, 1)),
    ]
    assert [(i.url, i.location) for i in fm.indexes] == [
        ("https://x.example/simple", at(5, 23)),
        ("https://i.example/", at(8, 25)),
    ]
    assert [(p.name, p.location) for p in fm.packages] == [("foo", at(6, 5)), ("bar", at(8, 44))]


def test_exports_and_assignments() -> None:
    fm = parse(
        'export PIP_EXTRA_INDEX_URL="https://${USER}:${TOKEN}@corp.example/simple"\n'
        "URL=https://pkgs.dev.azure.com/$ORG/_packaging/$FEED/pypi/simple\n"
        "UV_INDEX_URL=https://uv.example/simple uv pip install x\n"
    )
    assert [(e.name, e.origin, e.location, e.value_location) for e in fm.env] == [
        ("PIP_EXTRA_INDEX_URL", "shell-export", at(1, 8), at(1, 29)),
        ("URL", "command-prefix", at(2, 1), at(2, 5)),
        ("UV_INDEX_URL", "command-prefix", at(3, 1), at(3, 14)),
    ]
    assert [i.role for i in fm.indexes] == [IndexRole.EXTRA, IndexRole.INDEX]


def test_heredocs_data_shell_and_config_files() -> None:
    fm = parse(
        "cat > ~/.pip/pip.conf <<EOF\n"
        "[global]\n"
        "index-url = https://conf.example/simple\n"
        "EOF\n"
        "python - <<'PY'\n"
        'import subprocess; subprocess.run("pip install --extra-index-url https://py.example/ x")\n'
        "PY\n"
        "ssh build bash -s <<EOF\n"
        "pip install --extra-index-url https://remote.example/simple y\n"
        "EOF\n"
        "pip install z\n"
    )
    assert [c.text for c in fm.commands] == [
        "cat > ~/.pip/pip.conf <<EOF",
        "python - <<'PY'",
        "ssh build bash -s <<EOF",
        "pip install --extra-index-url https://remote.example/simple y",
        "pip install z",
    ]
    assert [i.url for i in fm.indexes if i.via == "--extra-index-url"] == [
        "https://remote.example/simple"
    ]
    # the heredoc written to pip.conf is read as a pip.conf, located in the script
    (conf,) = [i for i in fm.indexes if i.scope == "global"]
    assert (conf.url, conf.role, conf.location) == (
        "https://conf.example/simple",
        IndexRole.INDEX,
        at(3, 13),
    )


def test_heredoc_to_a_windows_path_is_read_by_its_file_name() -> None:
    fm = parse(
        'cat > "C:\\Users\\runner\\pip\\pip.ini" <<EOF\n'
        "[global]\n"
        "index-url = https://win.example/simple\n"
        "EOF\n"
    )
    assert [(i.url, i.scope, i.location) for i in fm.indexes] == [
        ("https://win.example/simple", "global", at(3, 13))
    ]


def test_heredoc_through_tee_and_piped_to_a_shell() -> None:
    fm = parse(
        "sudo tee /etc/pip.conf <<EOF >/dev/null\n"
        "[global]\n"
        "extra-index-url = https://tee.example/simple\n"
        "EOF\n"
        "cat <<'EOF' | bash\n"
        "pip install --index-url https://piped.example/ x\n"
        "EOF\n"
    )
    assert [(i.url, i.role, i.location) for i in fm.indexes] == [
        ("https://tee.example/simple", IndexRole.EXTRA, at(3, 19)),
        ("https://piped.example/", IndexRole.INDEX, at(6, 25)),
    ]


def test_corpus_tyconsulting_push_script(tmp_path: Path) -> None:
    root = corpus_tree(
        tmp_path,
        {
            "a_credentials/tyconsulting__azure.artifacts.demo__scripts__pipeline-push-pip-package.sh": "scripts/push.sh"
        },
    )
    fm = build_model(root).files["scripts/push.sh"]
    assert any(c.text == "cat $PYPIRCPATH" for c in fm.commands)
    (url,) = [e for e in fm.env if e.name == "URL"]
    assert url.value == "https://pkgs.dev.azure.com/$ORG/_packaging/$FEED/pypi/simple"
    assert url.location == at(36, 1, "scripts/push.sh")
    assert [(t.name, t.tool, t.location) for t in fm.publish_targets] == [
        ("$FEED", "twine", at(45, 17, "scripts/push.sh"))
    ]
    assert [(p.name, p.kind) for p in fm.packages] == []  # `pip wheel $PACKAGE`
    assert not fm.problems


# -- PowerShell ------------------------------------------------------------------------
def test_powershell_env_and_commands() -> None:
    path = "build.ps1"
    fm = parse(
        "# setup\n"
        '$env:PIP_INDEX_URL = "https://ps.example/simple"\n'
        "[Environment]::SetEnvironmentVariable('UV_EXTRA_INDEX_URL', 'https://uv.example/simple', 'User')\n"
        "<# pip install --extra-index-url https://blockcomment.example/ x #>\n"
        "pip install `\n"
        "  --extra-index-url https://tick.example/simple C:\\pkgs\\y.whl\n",
        path,
    )
    assert [(e.name, e.origin, e.location, e.value_location) for e in fm.env] == [
        ("PIP_INDEX_URL", "shell-export", at(2, 6, path), at(2, 23, path)),
        ("UV_EXTRA_INDEX_URL", "shell-export", at(3, 40, path), at(3, 62, path)),
    ]
    assert [(i.url, i.location) for i in fm.indexes] == [
        ("https://ps.example/simple", at(2, 23, path)),
        ("https://uv.example/simple", at(3, 62, path)),
        ("https://tick.example/simple", at(6, 21, path)),
    ]


# -- batch -----------------------------------------------------------------------------
def test_batch_set_and_commands() -> None:
    path = "build.cmd"
    fm = parse(
        "@echo off\n"
        "REM pip install --extra-index-url https://rem.example/ x\n"
        ":: pip install --extra-index-url https://colons.example/ x\n"
        "set PIP_EXTRA_INDEX_URL=https://%USER%:%PAT%@corp.example/simple\n"
        'set "PIP_TRUSTED_HOST=corp.example"\n'
        "set /p ANSWER=Continue?\n"
        "call pip install ^\n"
        "  --index-url https://caret.example/simple z\n",
        path,
    )
    assert [(e.name, e.value, e.location, e.value_location) for e in fm.env] == [
        (
            "PIP_EXTRA_INDEX_URL",
            "https://%USER%:%PAT%@corp.example/simple",
            at(4, 5, path),
            at(4, 25, path),
        ),
        ("PIP_TRUSTED_HOST", "corp.example", at(5, 6, path), at(5, 23, path)),
    ]
    assert [(i.url, i.location) for i in fm.indexes] == [
        ("https://%USER%:%PAT%@corp.example/simple", at(4, 25, path)),
        ("https://caret.example/simple", at(8, 15, path)),
    ]
    assert [c.location for c in fm.commands][-1] == at(7, 6, path)


def test_echo_lines_appended_to_pip_conf_are_read_as_pip_conf() -> None:
    fm = parse(
        'echo "[global]" > /etc/pip.conf \\\n'
        '  && echo "index-url = https://nexus.example/repository/pypi-all/simple" >> /etc/pip.conf \\\n'
        "  && echo 'extra-index-url = https://pypi.org/simple' >> /etc/pip.conf\n"
        'echo "extra-index-url = https://ignored.example/simple" > notes.txt\n'
    )
    assert [(i.url, i.role, i.location) for i in fm.indexes] == [
        ("https://nexus.example/repository/pypi-all/simple", IndexRole.INDEX, at(2, 24)),
        ("https://pypi.org/simple", IndexRole.EXTRA, at(3, 30)),
    ]


def test_echo_lines_that_cannot_be_placed_are_not_read() -> None:
    # two echoes on one line, and `echo -e` with escaped newlines: no line of their own
    fm = parse(
        'echo "[global]" > pip.conf; echo "extra-index-url = https://a.example/s" >> pip.conf\n'
        'echo -e "[global]\\nextra-index-url = https://b.example/s" > /etc/pip.conf\n'
    )
    assert fm.indexes == []
