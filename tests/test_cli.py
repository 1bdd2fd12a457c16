"""The command line surface: version, rules, formats, selection, config, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

BINARY = b"\x00\x01\x02binary\x00"


def test_version() -> None:
    run = run_cli("--version")
    assert run.code == 0
    assert run.out.startswith("feedlint ")


def test_python_dash_m_works(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "feedlint", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0 and "feedlint" in proc.stdout


def _console_script(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """What the installed ``feedlint`` script runs: ``feedlint.cli.run`` (fast exit)."""
    code = "import sys; from feedlint.cli import run; sys.argv[0] = 'feedlint'; run()"
    return subprocess.run([sys.executable, "-c", code, *args], check=False, **kwargs)  # type: ignore[call-overload,no-any-return]


def test_console_script_flushes_everything_before_its_fast_exit(tmp_path: Path) -> None:
    lines = [f"--extra-index-url https://pkgs.example.internal/feed{i}/simple/" for i in range(400)]
    (tmp_path / "requirements.txt").write_text("\n".join(lines) + "\n")
    out_file = tmp_path / "report.json"
    proc = _console_script(str(tmp_path), "--format", "json", capture_output=True)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)  # complete: far more than one stdio buffer
    assert len(report["findings"]) >= 400
    proc = _console_script(
        str(tmp_path), "--format", "json", "--output-file", str(out_file), capture_output=True
    )
    assert proc.returncode == 1 and json.loads(out_file.read_text()) == report
    assert _console_script("--version", capture_output=True).returncode == 0
    assert _console_script("--no-such-flag", capture_output=True).returncode == 2


def test_console_script_survives_a_reader_that_goes_away(tmp_path: Path) -> None:
    lines = [f"--extra-index-url https://pkgs.example.internal/feed{i}/simple/" for i in range(400)]
    (tmp_path / "requirements.txt").write_text("\n".join(lines) + "\n")
    code = "import sys; from feedlint.cli import run; run()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) in (0, 1)
    assert "Traceback" not in err and "Exception ignored" not in err


def test_rules_lists_every_rule_as_text_and_json() -> None:
    from feedlint.registry import all_rules

    text = run_cli("rules")
    assert text.code == 0
    codes = [r.code for r in all_rules()]
    for code in codes:
        assert code in text.out
    data = json.loads(run_cli("rules", "--format", "json").out)
    assert [r["code"] for r in data] == codes
    assert set(data[0]) == {"code", "name", "severity", "summary"}


def test_rule_prints_documentation_sections() -> None:
    run = run_cli("rule", "FL001")
    assert run.code == 0
    for section in ("What it detects", "Why it is risky", "How to fix", "Example"):
        assert section in run.out
    assert run_cli("rule", "fl001").code == 0
    unknown = run_cli("rule", "FL999")
    assert unknown.code == 2 and "unknown rule" in unknown.err


def test_clean_tree_exits_zero(tree) -> None:
    root = tree({"requirements.txt": "flask==3.0.0\n"})
    run = run_cli(str(root))
    assert run.code == 0, run.err
    assert "All checks passed" in run.out


def test_json_shape_and_relative_posix_paths(tree) -> None:
    root = tree({"sub/dir/requirements.txt": BINARY})
    run = run_cli(str(root), "--format", "json")
    assert run.code == 1
    data = run.json
    assert data["version"] == 1
    [finding] = data["findings"]
    assert set(finding) == {"code", "name", "severity", "path", "line", "column", "message", "fix"}
    assert finding["path"] == "sub/dir/requirements.txt"
    assert finding["code"] == "FL001" and finding["name"] == "unparseable-file"
    assert finding["severity"] == "error" and finding["fix"]


def test_text_format_lines_fix_and_summary(tree) -> None:
    root = tree({"requirements.txt": BINARY})
    run = run_cli(str(root))
    lines = run.out.splitlines()
    assert lines[0].startswith("requirements.txt:1:1: FL001 ")
    assert lines[1].strip().startswith("fix:")
    assert lines[-1].startswith("Found 1 finding (1 error)")
    assert "\033[" not in run.out  # not a TTY: no colour
    assert "fix:" not in run_cli(str(root), "--no-fixes").out


def test_colour_only_on_tty_and_never_with_no_color(tree, monkeypatch) -> None:
    from feedlint import cli

    root = tree({"requirements.txt": BINARY})

    class TTY:
        def isatty(self) -> bool:
            return True

    assert cli._use_color(TTY())  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli._use_color(TTY())  # type: ignore[arg-type]
    assert "\033[" not in run_cli(str(root)).out


@pytest.mark.parametrize(
    ("args", "expected_code", "expect_finding"),
    [
        ((), 1, True),
        (("--select", "FL0"), 1, True),
        (("--select", "FL2"), 0, False),
        (("--ignore", "FL001"), 0, False),
        (("--ignore", "FL0"), 0, False),
        (("--select", "FL2", "--extend-select", "FL001"), 1, True),
        (("--ignore", "FL0", "--select", "FL001"), 1, True),  # longest prefix wins
        (("--exit-zero",), 0, True),
        (("--fail-on", "error"), 1, True),
    ],
)
def test_selection_and_exit_codes(tree, args, expected_code, expect_finding) -> None:
    root = tree({"requirements.txt": BINARY})
    run = run_cli(str(root), "--format", "json", *args)
    assert run.code == expected_code, run.err
    assert bool(run.json["findings"]) is expect_finding


def test_usage_errors_exit_two(tree) -> None:
    root = tree({"requirements.txt": "flask\n"})
    assert run_cli(str(root), "--select", "XX1").code == 2
    assert run_cli(str(root), "--format", "yaml").code == 2
    missing = run_cli(str(root / "nope"))
    assert missing.code == 2 and "no such file" in missing.err


@pytest.mark.parametrize(
    ("config", "needle"),
    [
        ("[tool.feedlint]\nbogus = 1\n", "unknown key `bogus`"),
        ("[tool.feedlint]\nselect = 3\n", "`select` must be a list of strings"),
        ("[tool.feedlint]\nselect = ['E501']\n", "invalid rule code"),
        ("[tool.feedlint]\nfail-on = 'fatal'\n", "`fail-on`"),
        ("[tool.feedlint]\nonline = 'yes'\n", "`online` must be true or false"),
        ("[tool.feedlint]\nper-file-ignores = ['x']\n", "`per-file-ignores`"),
    ],
)
def test_bad_configuration_names_the_key(tree, config, needle) -> None:
    root = tree({"pyproject.toml": config})
    run = run_cli(str(root))
    assert run.code == 2
    assert needle in run.err
    assert "Traceback" not in run.err


def test_config_from_pyproject_and_dot_feedlint(tree) -> None:
    root = tree(
        {"requirements.txt": BINARY, "pyproject.toml": "[tool.feedlint]\nignore = ['FL001']\n"}
    )
    assert run_cli(str(root)).code == 0
    (root / ".feedlint.toml").write_text("select = ['FL001']\n")
    assert run_cli(str(root)).code == 1  # .feedlint.toml wins
    (root / ".feedlint.toml").write_text("fail-on = 'error'\nignore = ['FL0']\n")
    assert run_cli(str(root)).code == 0


def test_config_fail_on_and_exclude(tree) -> None:
    root = tree(
        {
            "vendor/requirements.txt": BINARY,
            "pyproject.toml": "[tool.feedlint]\nexclude = ['vendor']\n",
        }
    )
    assert run_cli(str(root)).code == 0


def test_per_file_ignores(tree) -> None:
    root = tree(
        {
            "a/requirements.txt": BINARY,
            "b/requirements.txt": BINARY,
            ".feedlint.toml": "[per-file-ignores]\n'a/*' = ['FL001']\n",
        }
    )
    run = run_cli(str(root), "--format", "json")
    assert run.findings == ["b/requirements.txt:1:1: FL001"]


def test_inline_suppression_same_line_and_line_above(tree) -> None:
    root = tree(
        {
            "requirements.txt": b"flask\ncaf\xe9==1  # feedlint: ignore[FL001]\n",
            "constraints.txt": b"# feedlint: ignore\ncaf\xe9==1\n",
            "dev-requirements.txt": b"caf\xe9==1  # feedlint: ignore[FL2]\n",
        }
    )
    run = run_cli(str(root), "--format", "json", "--select", "FL001")
    assert run.findings == ["dev-requirements.txt:1:4: FL001"]


def test_unused_suppression_is_reported(tree) -> None:
    root = tree(
        {"requirements.txt": "flask  # feedlint: ignore[FL001]\nrequests  # feedlint: ignore\n"}
    )
    run = run_cli(str(root), "--format", "json")
    assert run.findings == ["requirements.txt:1:8: FL002", "requirements.txt:2:11: FL002"]
    assert run_cli(str(root), "--format", "json", "--ignore", "FL002").json["findings"] == []


def test_file_arguments_report_only_those_files(tree, monkeypatch) -> None:
    root = tree(
        {
            "pyproject.toml": "[project]\nname = 'x'\n",
            "requirements.txt": BINARY,
            "sub/requirements-dev.txt": BINARY,
            "README.md": "not packaging\n",
        }
    )
    monkeypatch.chdir(root)
    run = run_cli("sub/requirements-dev.txt", "README.md", "--format", "json")
    assert run.findings == ["sub/requirements-dev.txt:1:1: FL001"]
    assert run.code == 1


def test_internal_error_is_one_line_exit_two(tree, monkeypatch) -> None:
    from feedlint import engine

    root = tree({"requirements.txt": "flask\n"})

    def boom(*a, **k):
        raise RuntimeError("kaboom secret-value")

    monkeypatch.setattr(engine, "build_model", boom)
    run = run_cli(str(root))
    assert run.code == 2
    assert "internal error" in run.err and "Traceback" not in run.err
    assert "secret-value" not in run.err


def test_output_file(tree, tmp_path) -> None:
    root = tree({"requirements.txt": BINARY})
    out = tmp_path / "report.json"
    run = run_cli(str(root), "--format", "json", "--output-file", str(out))
    assert run.out == ""
    assert json.loads(out.read_text())["findings"][0]["code"] == "FL001"


def test_files_named_in_a_monorepo_are_reported_as_named(tmp_path: Path, monkeypatch) -> None:
    """Pre-commit passes paths relative to the checkout. A service with its own
    pyproject.toml is its own root, but its findings must still say which service, match
    annotations (`--format github`) and match a baseline written for the whole checkout."""
    from conftest import make_tree

    extra = "--extra-index-url https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/\n"
    make_tree(
        tmp_path,
        {
            "services/api/pyproject.toml": "[project]\nname = 'api'\nversion = '1'\n",
            "services/api/requirements.txt": extra + "api-core==1.0\n",
            "services/web/pyproject.toml": "[project]\nname = 'web'\nversion = '1'\n",
            "services/web/requirements.txt": extra + "web-core==1.0\n",
        },
    )
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    named = ["services/api/requirements.txt", "services/web/requirements.txt"]
    run = run_cli(*named, "--select", "FL201", "--format", "json")
    paths = sorted(f["path"] for f in json.loads(run.out)["findings"])
    assert paths == named
    run = run_cli(named[0], "--select", "FL201", "--format", "github")
    assert "file=services/api/requirements.txt,line=1,col=19" in run.out
    # a baseline of the whole checkout covers the same findings in pre-commit mode
    run_cli(".", "--select", "FL201", "--write-baseline", "baseline.json", "-q")
    run = run_cli(*named, "--select", "FL201", "--baseline", "baseline.json")
    assert run.code == 0, run.out
    # a directory stays the root of its paths; a file above the working directory too
    run = run_cli("services/api", "--select", "FL201", "--format", "json")
    assert [f["path"] for f in json.loads(run.out)["findings"]] == ["requirements.txt"]
    monkeypatch.chdir(tmp_path / "services" / "web")
    run = run_cli("../api/requirements.txt", "--select", "FL201", "--format", "json")
    assert [f["path"] for f in json.loads(run.out)["findings"]] == ["requirements.txt"]
