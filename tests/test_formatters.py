"""Every output format: exact output for a small set of findings, escaping, SARIF schema
validity, secrets never printed, ``--output-file`` and the fix hints."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from conftest import run_cli

from feedlint.baseline import digest
from feedlint.findings import Finding, Severity
from feedlint.formatters import FORMATTERS, Report, get_formatter
from feedlint.model import Location
from feedlint.record import replace

SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json"
FORMATS = sorted(FORMATTERS)
BINARY = b"\x00\x01\x02binary\x00"
SECRET = "Sup3rS3cretValue99"
CRED_URL = f"https://user:{SECRET}@pkgs.dev.azure.com/o/_packaging/f/pypi/simple/"


def _finding(
    code: str,
    severity: Severity,
    path: str,
    line: int,
    col: int,
    message: str,
    fix: str = "",
    fingerprint: str = "",
) -> Finding:
    return Finding(
        code=code,
        name={"FL001": "unparseable-file", "FL002": "unused-suppression"}[code],
        severity=severity,
        location=Location(path, line, col),
        message=message,
        fix=fix,
        fingerprint=fingerprint or digest(code, path, message),
    )


FINDINGS = [
    _finding("FL001", Severity.ERROR, "requirements.txt", 2, 1, "binary file", "Fix it."),
    _finding("FL002", Severity.WARNING, "sub/pip.conf", 3, 5, "unused suppression for FL201"),
    _finding("FL002", Severity.INFO, "tox.ini", 10, 2, "just so you know", "Look."),
]


def render(fmt: str, report: Report) -> str:
    out = io.StringIO()
    get_formatter(fmt)(report, out, False)
    return out.getvalue()


# -- exact output -----------------------------------------------------------------
def test_text_exact() -> None:
    assert render("text", Report(FINDINGS, files_checked=3)) == (
        "requirements.txt:2:1: FL001 binary file\n"
        "  fix: Fix it.\n"
        "sub/pip.conf:3:5: FL002 unused suppression for FL201\n"
        "tox.ini:10:2: FL002 just so you know\n"
        "  fix: Look.\n"
        "Found 3 findings (1 error, 1 warning, 1 info) in 3 packaging files.\n"
    )
    assert "fix:" not in render("text", Report(FINDINGS, files_checked=3, show_fixes=False))


def test_json_exact() -> None:
    data = json.loads(render("json", Report(FINDINGS[:1])))
    assert data == {
        "version": 1,
        "findings": [
            {
                "code": "FL001",
                "name": "unparseable-file",
                "severity": "error",
                "path": "requirements.txt",
                "line": 2,
                "column": 1,
                "message": "binary file",
                "fix": "Fix it.",
            }
        ],
    }


def test_github_exact() -> None:
    assert render("github", Report(FINDINGS)) == (
        "::error file=requirements.txt,line=2,col=1,title=FL001::binary file%0AFix: Fix it.\n"
        "::warning file=sub/pip.conf,line=3,col=5,title=FL002::unused suppression for FL201\n"
        "::notice file=tox.ini,line=10,col=2,title=FL002::just so you know%0AFix: Look.\n"
    )
    assert render("github", Report(FINDINGS[:1], show_fixes=False)) == (
        "::error file=requirements.txt,line=2,col=1,title=FL001::binary file\n"
    )
    assert render("github", Report([])) == ""


def test_azure_exact() -> None:
    assert render("azure", Report(FINDINGS)) == (
        "##vso[task.logissue type=error;sourcepath=requirements.txt;linenumber=2;"
        "columnnumber=1;code=FL001]binary file%0AFix: Fix it.\n"
        "##vso[task.logissue type=warning;sourcepath=sub/pip.conf;linenumber=3;"
        "columnnumber=5;code=FL002]unused suppression for FL201\n"
        "##vso[task.logissue type=warning;sourcepath=tox.ini;linenumber=10;"
        "columnnumber=2;code=FL002]just so you know%0AFix: Look.\n"
    )
    assert render("azure", Report([])) == ""


def test_sarif_exact_results_and_rules() -> None:
    from feedlint import __version__
    from feedlint.registry import all_rules

    log = json.loads(render("sarif", Report(FINDINGS)))
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "feedlint" and driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    codes = [r.code for r in all_rules()]
    assert [r["id"] for r in driver["rules"]] == codes
    fl001 = driver["rules"][codes.index("FL001")]
    assert fl001["name"] == "unparseable-file"
    assert fl001["shortDescription"] == {"text": "A packaging file that cannot be read or parsed."}
    assert fl001["fullDescription"]["text"].startswith("TOML or INI syntax errors, invalid")
    assert "\n" not in fl001["fullDescription"]["text"]  # unwrapped paragraph
    assert fl001["defaultConfiguration"] == {"level": "error"}
    for title in ("What it detects", "Why it is risky", "How to fix", "Example"):
        assert f"### {title}" in fl001["help"]["markdown"]
        assert title in fl001["help"]["text"]
    assert fl001["helpUri"].endswith("rules.md#fl001")
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["results"][0] == {
        "ruleId": "FL001",
        "ruleIndex": codes.index("FL001"),
        "level": "error",
        "message": {"text": "binary file\nFix: Fix it."},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "requirements.txt", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 2, "startColumn": 1},
                }
            }
        ],
        "partialFingerprints": {
            "feedlintFingerprint/v1": digest("FL001", "requirements.txt", "binary file")
        },
    }
    assert [r["level"] for r in run["results"]] == ["error", "warning", "note"]
    assert [r["ruleIndex"] for r in run["results"]] == [
        codes.index(c) for c in ("FL001",) + ("FL002",) * 2
    ]


def test_sarif_levels_follow_rule_severity() -> None:
    from feedlint.formatters.sarif import LEVEL, rule_descriptor
    from feedlint.registry import all_rules

    assert LEVEL == {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    for rule in all_rules():
        desc = rule_descriptor(rule)
        assert desc["defaultConfiguration"]["level"] == LEVEL[rule.severity]
        assert desc["shortDescription"]["text"] == rule.summary()


def test_sarif_uri_is_percent_encoded() -> None:
    finding = _finding("FL001", Severity.ERROR, "dir with space/req#1.txt", 1, 1, "x")
    log = json.loads(render("sarif", Report([finding])))
    loc = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "dir%20with%20space/req%231.txt"


def test_sarif_never_carries_raw_fingerprint_text() -> None:
    raw = _finding("FL001", Severity.ERROR, "a.txt", 1, 1, "m", fingerprint="x")
    raw = replace(raw, fingerprint=f"token {SECRET}")
    out = render("sarif", Report([raw]))
    assert SECRET not in out
    fp = json.loads(out)["runs"][0]["results"][0]["partialFingerprints"]
    assert re.fullmatch(r"[0-9a-f]{64}", fp["feedlintFingerprint/v1"])


# -- schema validation ------------------------------------------------------------
def _validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.Draft4Validator
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.mark.parametrize("findings", [FINDINGS, []], ids=["findings", "empty"])
def test_sarif_validates_against_official_schema(findings) -> None:
    validator = _validator()
    log = json.loads(render("sarif", Report(findings)))
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_schema_validation_catches_a_broken_log() -> None:
    validator = _validator()
    log = json.loads(render("sarif", Report(FINDINGS)))
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["runs"][0]["tool"]["driver"]["name"]
    assert len(list(validator.iter_errors(log))) == 2


def test_sarif_of_a_real_run_validates(tree) -> None:
    validator = _validator()
    root = tree(
        {
            "requirements.txt": f"flask  # feedlint: ignore[FL001]\n--extra-index-url {CRED_URL}\n",
            "sub dir/constraints.txt": BINARY,
        }
    )
    run = run_cli(str(root), "--format", "sarif")
    assert run.code == 1
    log = json.loads(run.out)
    assert not list(validator.iter_errors(log))
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    ]
    assert "requirements.txt" in uris and "sub%20dir/constraints.txt" in uris
    assert SECRET not in run.out


def test_schema_file_is_the_official_one() -> None:
    """Byte-identical to the OASIS file named in tests/schemas/README.md."""
    import hashlib

    data = SCHEMA.read_bytes()
    assert hashlib.sha256(data).hexdigest() == (
        "ddddcccbf95c7c50c037b5b07eff4140556278ca574ff374db46786b5fce7949"
    )
    schema = json.loads(data)
    assert schema["id"] == (
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    )
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"


# -- escaping ---------------------------------------------------------------------
def _github_parse(line: str) -> tuple[str, dict[str, str], str]:
    """The runner's reading of a workflow command (actions/runner ActionCommand)."""
    assert line.startswith("::")
    end = line.index("::", 2)
    head, data = line[2:end], line[end + 2 :]
    name, _, props = head.partition(" ")

    def unescape(text: str, prop: bool) -> str:
        text = text.replace("%0D", "\r").replace("%0A", "\n")
        if prop:
            text = text.replace("%3A", ":").replace("%2C", ",")
        return text.replace("%25", "%")

    properties = {}
    for pair in props.split(","):
        key, _, value = pair.partition("=")
        properties[key] = unescape(value, True)
    return name, properties, unescape(data, False)


def _azure_parse(line: str) -> tuple[str, dict[str, str], str]:
    """The agent's reading of a logging command (Command.TryParse + CommandStringConvertor)."""
    start = line.index("##vso[") + len("##vso[")
    end = line.index("]", start)
    head, data = line[start:end], line[end + 1 :]
    name, _, props = head.partition(" ")

    def unescape(text: str) -> str:
        for token, repl in ((";", "%3B"), ("\r", "%0D"), ("\n", "%0A"), ("]", "%5D")):
            text = text.replace(repl, token)
        return text.replace("%AZP25", "%")

    properties = {}
    for pair in props.split(";"):
        if pair:
            key, _, value = pair.partition("=")
            properties[key] = unescape(value)
    return name, properties, unescape(data)


NASTY_MESSAGE = "100% sure\r\nnext line ::error::boom ##vso[task.complete result=Failed]; a,b: c"
NASTY_PATH = "we;ird],dir:x/100%/requirements.txt"


def test_github_escaping_round_trips() -> None:
    from feedlint.formatters.github import escape_data, escape_property

    assert escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"
    finding = _finding("FL001", Severity.WARNING, NASTY_PATH, 7, 3, NASTY_MESSAGE)
    out = render("github", Report([finding], show_fixes=False))
    assert out.count("\n") == 1 and "\r" not in out  # one command line, nothing injected
    name, props, data = _github_parse(out.rstrip("\n"))
    assert name == "warning"
    assert props == {"file": NASTY_PATH, "line": "7", "col": "3", "title": "FL001"}
    assert data == NASTY_MESSAGE


def test_azure_escaping_round_trips() -> None:
    from feedlint.formatters.azure import escape_data, escape_property

    assert escape_data("a%b\r\nc;d]e") == "a%AZP25b%0D%0Ac;d]e"
    assert escape_property("a%b\r\nc;d]e") == "a%AZP25b%0D%0Ac%3Bd%5De"
    finding = _finding("FL001", Severity.ERROR, NASTY_PATH, 7, 3, NASTY_MESSAGE)
    out = render("azure", Report([finding], show_fixes=False))
    assert out.count("\n") == 1 and "\r" not in out
    name, props, data = _azure_parse(out.rstrip("\n"))
    assert name == "task.logissue"
    assert props == {
        "type": "error",
        "sourcepath": NASTY_PATH,
        "linenumber": "7",
        "columnnumber": "3",
        "code": "FL001",
    }
    assert data == NASTY_MESSAGE


# -- secrets ----------------------------------------------------------------------
REDACTED_MESSAGE = "credential Sup3…(18 chars) in the URL of --extra-index-url"


@pytest.mark.parametrize("fmt", FORMATS)
def test_redacted_message_passes_through_unchanged(fmt) -> None:
    finding = _finding("FL001", Severity.ERROR, "requirements.txt", 2, 19, REDACTED_MESSAGE)
    out = render(fmt, Report([finding]))
    assert REDACTED_MESSAGE in out


@pytest.fixture
def leaky_rule():
    """A rule that (wrongly) puts the raw secret into its message, fix and fingerprint:
    the engine must scrub the text and hash the fingerprint before any formatter runs."""
    from feedlint import registry
    from feedlint.registry import Rule

    registry.all_rules()  # load the real families first

    class LeakyRule(Rule):
        """Test-only rule that leaks credential values.

        What it detects
        ---------------
        Nothing real.
        """

        code = "FL999"
        name = "leaky-test-rule"
        severity = Severity.ERROR

        def check(self, model):
            for cred in model.credentials:
                yield self.finding(
                    cred.location,
                    f"secret {cred.value} at {cred.url}",
                    f"Remove {cred.value}.",
                    fingerprint=cred.value,
                )

    yield LeakyRule
    registry._REGISTRY.pop("FL999", None)


def _secret_tree(tree) -> Path:
    return tree(
        {
            "requirements.txt": f"flask==3.0.0\n--extra-index-url {CRED_URL}\n",
            "constraints.txt": BINARY,
            "pip.conf": f"[global]\nextra-index-url = {CRED_URL}\n",
        }
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_raw_secret_in_any_format(tree, fmt) -> None:
    root = _secret_tree(tree)
    run = run_cli(str(root), "--format", fmt)
    assert run.code == 1, run.err  # FL001 on the binary file at least
    assert SECRET not in run.out and SECRET not in run.err


@pytest.mark.parametrize("fmt", FORMATS)
def test_engine_scrubs_a_leaky_rule_in_every_format(tree, leaky_rule, fmt, tmp_path) -> None:
    root = _secret_tree(tree)
    baseline = tmp_path / "baseline.json"
    run = run_cli(
        str(root), "--format", fmt, "--select", "FL999", "--write-baseline", str(baseline)
    )
    assert run.code == 0, run.err
    assert "FL999" in run.out
    assert SECRET not in run.out and SECRET not in run.err
    assert "Sup3" in run.out  # the redacted form is shown
    assert SECRET not in baseline.read_text(encoding="utf-8")


def test_every_format_hides_the_credential_of_every_finding(tree) -> None:
    """Once the credential rules land (FL101), their findings are checked here too."""
    from feedlint.registry import get_rule

    root = _secret_tree(tree)
    for fmt in FORMATS:
        run = run_cli(str(root), "--format", fmt, "--select", "ALL")
        assert SECRET not in run.out + run.err, fmt
    if get_rule("FL101") is None:
        pytest.skip("FL101 (credential rules) not on this branch yet")
    run = run_cli(str(root), "--format", "json", "--select", "FL101")
    flagged = {f.split(":")[0] for f in run.findings}
    assert {"requirements.txt", "pip.conf"} <= flagged
    for fmt in FORMATS:
        run = run_cli(str(root), "--format", fmt, "--select", "FL101")
        assert run.code == 1
        assert "FL101" in run.out
        assert SECRET not in run.out + run.err, fmt


# -- output file and fix hints ------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_output_file_for_every_format(tree, tmp_path, fmt) -> None:
    root = tree({"requirements.txt": BINARY})
    out = tmp_path / f"report.{fmt}"
    run = run_cli(str(root), "--format", fmt, "--output-file", str(out))
    assert run.code == 1
    assert run.out == ""
    assert "FL001" in out.read_text(encoding="utf-8")
    again = run_cli(str(root), "--format", fmt)
    assert out.read_text(encoding="utf-8") == again.out


def test_output_file_unwritable_exits_two(tree, tmp_path) -> None:
    root = tree({"requirements.txt": BINARY})
    run = run_cli(str(root), "--output-file", str(tmp_path / "missing-dir" / "r.txt"))
    assert run.code == 2 and "cannot write" in run.err


def test_show_fixes_and_no_fixes(tree) -> None:
    root = tree({"requirements.txt": BINARY})
    assert "fix:" in run_cli(str(root)).out
    assert "fix:" in run_cli(str(root), "--show-fixes").out
    assert "fix:" not in run_cli(str(root), "--no-fixes").out
    assert run_cli(str(root), "--show-fixes", "--no-fixes").code == 2  # mutually exclusive
    assert "Fix:" not in run_cli(str(root), "--format", "github", "--no-fixes").out
    assert "Fix:" in run_cli(str(root), "--format", "azure").out
