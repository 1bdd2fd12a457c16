"""setup.py: setup() arguments through libcst, syntax errors, hidden URL credentials."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO

from feedlint.model import FileKind, FileModel, IndexRole, Location, SourceFile
from feedlint.parsers.setuppy import parse

PATH = "setup.py"


def read(text: str) -> FileModel:
    return parse(SourceFile(PATH, FileKind.SETUP_PY, tuple(text.split("\n"))))


def loc(line: int, column: int) -> Location:
    return Location(PATH, line, column)


SETUP = '''\
import setuptools

REQUIRES = [
    "requests>=2",
    'corp-lib==1.0; python_version > "3.8"',
]

setuptools.setup(
    name="Corp_Tool",
    install_requires=REQUIRES + [r"flask"],
    extras_require={"dev": ["pytest"], "bad": ["not valid!!"]},
    tests_require=("tox",),
    dependency_links=["https://corp.example/links/"],
    setup_requires="""
        wheel
    """,
)
'''


def test_setup_arguments_with_exact_positions() -> None:
    fm = read(SETUP)
    assert [(p.name, p.kind, p.group, p.location) for p in fm.packages] == [
        ("corp-tool", "project", "", loc(9, 11)),
        ("requests", "dependency", "", loc(4, 6)),
        ("corp-lib", "dependency", "", loc(5, 6)),
        ("flask", "dependency", "", loc(10, 36)),
        ("pytest", "dependency", "dev", loc(11, 30)),
        ("tox", "dependency", "tests", loc(12, 21)),
        ("wheel", "dependency", "setup", loc(15, 9)),
    ]
    assert fm.packages[2].marker == 'python_version > "3.8"'
    (link,) = fm.indexes
    assert (link.role, link.url, link.location) == (
        IndexRole.DEPENDENCY_LINK,
        "https://corp.example/links/",
        loc(13, 24),
    )
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(11, 49)]


def test_syntax_error_is_fl001_at_the_line() -> None:
    fm = read('from setuptools import setup\nsetup(\n    name="x",\n    version=1 2,\n)\n')
    assert [(p.location.line, p.location.column) for p in fm.problems] == [(4, 13)]
    assert fm.packages == []
    assert "1 2" not in fm.problems[0].message


def test_credentials_the_text_scan_cannot_see() -> None:
    fm = read(
        'A = "plain://ignored"\n'
        'URL = ("https://build:" "s3cr3t-value@feed.example/simple")\n'
        'ESC = "https://build:p\\x40ss-word@host.example/x"\n'
        'PLAIN = "https://build:visible-to-scan@host.example/x"\n'
    )
    assert [(c.kind, c.value, c.location) for c in fm.credentials] == [
        ("url-password", "s3cr3t-value", loc(2, 26)),
        ("url-password", "p@ss-word", loc(3, 22)),
    ]


def test_libcst_is_not_imported_without_setup_py(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask\n", encoding="utf-8")
    (tmp_path / "setup.cfg").write_text("[metadata]\nname = x\n", encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from feedlint.engine import build_model; "
        f"build_model(Path({str(tmp_path)!r})); print('libcst' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": ""},
        check=True,
    )
    assert out.stdout.strip() == "False"


def test_secret_named_bindings_are_credential_candidates() -> None:
    fm = read(
        "import os\n"
        'GITLAB_TOKEN = "Xq7pLm2vRt9sKw4zAb3c"\n'
        'FEED_PAT: str = os.environ.get("FEED_PAT", "Ab9kLm2vRt9sKw4zXy7q")\n'
        'os.environ["TWINE_PASSWORD"] = "Cd9kLm2vRt9sKw4z"\n'
        'TOKEN_FILE = "token.txt"\n'
        'HOME = os.getenv("HOME", "/root")\n'
        'setup(name="x")\n'
    )
    found = [(c.key, c.value, c.location) for c in fm.credentials]
    assert found == [
        ("GITLAB_TOKEN", "Xq7pLm2vRt9sKw4zAb3c", loc(2, 17)),
        ("FEED_PAT", "Ab9kLm2vRt9sKw4zXy7q", loc(3, 45)),
        ("TWINE_PASSWORD", "Cd9kLm2vRt9sKw4z", loc(4, 33)),
        ("TOKEN_FILE", "token.txt", loc(5, 15)),  # a candidate; the rules see a file name
    ]
