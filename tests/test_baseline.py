"""Baselines: write, edit unrelated lines (line numbers shift), still suppressed; new
findings still reported; duplicates counted; exit codes; bad baseline files exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from feedlint.baseline import Baseline, digest, finding_key, load_baseline, normalise
from feedlint.findings import Finding, Severity
from feedlint.model import Location

BAD_LINE = b"caf\xe9==1\n"  # undecodable: FL001 at this line
SECRET = "Sup3rS3cretValue99"


def _lint(root: Path, *args: str):
    return run_cli(str(root), "--format", "json", *args)


def test_normalise_and_digest() -> None:
    assert normalise("  a \t b  \n") == "a b"
    assert digest("FL201", "r.txt", " x  y ") == digest("FL201", "r.txt", "x y")
    assert digest("FL201", "r.txt", "x") != digest("FL202", "r.txt", "x")
    assert digest("FL201", "r.txt", "x") != digest("FL201", "s.txt", "x")
    assert len(digest("FL201", "r.txt", "x")) == 64


def test_round_trip_survives_line_shifts_and_reports_new_findings(tree, tmp_path) -> None:
    root = tree({"requirements.txt": b"flask\n" + BAD_LINE})
    baseline = tmp_path / "feedlint-baseline.json"
    first = _lint(root)
    assert first.findings == ["requirements.txt:2:4: FL001"]
    written = run_cli(str(root), "--write-baseline", str(baseline))
    assert written.code == 0, written.err
    assert "wrote 1 finding to baseline" in written.err
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert data["version"] == 1
    [entry] = data["findings"]
    assert set(entry) == {"code", "path", "fingerprint", "count"}
    assert entry["code"] == "FL001" and entry["path"] == "requirements.txt"
    assert entry["count"] == 1
    assert "caf" not in baseline.read_text(encoding="utf-8")  # only the hash

    suppressed = _lint(root, "--baseline", str(baseline))
    assert suppressed.code == 0 and suppressed.json["findings"] == []
    assert "1 finding in the baseline" in suppressed.err

    # unrelated edits above the finding: its line number moves, the baseline still holds
    (root / "requirements.txt").write_bytes(b"# comment\nrequests\n\nflask\n" + BAD_LINE)
    assert _lint(root).findings == ["requirements.txt:5:4: FL001"]
    shifted = _lint(root, "--baseline", str(baseline))
    assert shifted.code == 0 and shifted.json["findings"] == []

    # new findings (an unused suppression, a bad file) are still reported
    (root / "requirements.txt").write_bytes(b"# comment\nflask  # feedlint: ignore\n" + BAD_LINE)
    (root / "constraints.txt").write_bytes(b"na\xefve==2\n")
    new = _lint(root, "--baseline", str(baseline))
    assert new.code == 1
    assert new.findings == ["constraints.txt:1:3: FL001", "requirements.txt:2:8: FL002"]


UNUSED = "flask  # feedlint: ignore\n"  # FL002 on every such line


def test_duplicates_are_counted(tree, tmp_path) -> None:
    root = tree({"requirements.txt": UNUSED * 2})
    baseline = tmp_path / "b.json"
    assert run_cli(str(root), "--write-baseline", str(baseline)).code == 0
    [entry] = json.loads(baseline.read_text())["findings"]
    assert entry["count"] == 2
    assert _lint(root, "--baseline", str(baseline)).findings == []
    (root / "requirements.txt").write_text("requests\n" + UNUSED * 3)
    run = _lint(root, "--baseline", str(baseline))
    assert run.code == 1
    assert run.findings == ["requirements.txt:4:8: FL002"]  # one occurrence more than baselined


def test_editing_the_offending_line_makes_it_new(tree, tmp_path) -> None:
    root = tree({"requirements.txt": BAD_LINE})
    baseline = tmp_path / "b.json"
    run_cli(str(root), "--write-baseline", str(baseline))
    (root / "requirements.txt").write_bytes(b"caf\xe9==2\n")
    assert _lint(root, "--baseline", str(baseline)).findings == ["requirements.txt:1:4: FL001"]
    (root / "requirements.txt").write_bytes(b"   caf\xe9==1   \n")  # whitespace only: same
    assert _lint(root, "--baseline", str(baseline)).findings == []


def test_same_text_in_another_file_is_new(tree, tmp_path) -> None:
    root = tree({"requirements.txt": BAD_LINE})
    baseline = tmp_path / "b.json"
    run_cli(str(root), "--write-baseline", str(baseline))
    (root / "constraints.txt").write_bytes(BAD_LINE)
    assert _lint(root, "--baseline", str(baseline)).findings == ["constraints.txt:1:4: FL001"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), 0),
        (("--fail-on", "info"), 0),
        (("--select", "FL001"), 0),
    ],
)
def test_exit_codes_computed_on_remaining_findings(tree, tmp_path, args, expected) -> None:
    root = tree({"requirements.txt": BAD_LINE, "constraints.txt": "flask  # feedlint: ignore\n"})
    baseline = tmp_path / "b.json"
    assert run_cli(str(root), "--write-baseline", str(baseline)).code == 0
    assert _lint(root, "--baseline", str(baseline), *args).code == expected
    assert _lint(root, *args).code == 1  # without the baseline the findings fail the run


def test_exit_code_with_new_finding_below_fail_on(tree, tmp_path) -> None:
    root = tree({"requirements.txt": BAD_LINE})
    baseline = tmp_path / "b.json"
    run_cli(str(root), "--write-baseline", str(baseline))
    (root / "constraints.txt").write_bytes(BAD_LINE)
    assert _lint(root, "--baseline", str(baseline)).code == 1
    assert _lint(root, "--baseline", str(baseline), "--exit-zero").code == 0


def test_write_baseline_with_no_findings_and_update(tree, tmp_path) -> None:
    root = tree({"requirements.txt": "flask\n"})
    baseline = tmp_path / "b.json"
    assert run_cli(str(root), "--write-baseline", str(baseline)).code == 0
    assert json.loads(baseline.read_text()) == {"version": 1, "findings": []}
    (root / "requirements.txt").write_bytes(BAD_LINE)
    assert _lint(root, "--baseline", str(baseline)).code == 1
    # re-writing while reading the old one records the current state
    assert (
        run_cli(str(root), "--baseline", str(baseline), "--write-baseline", str(baseline)).code == 0
    )
    assert _lint(root, "--baseline", str(baseline)).code == 0


def test_write_baseline_unwritable_exits_two(tree, tmp_path) -> None:
    root = tree({"requirements.txt": BAD_LINE})
    run = run_cli(str(root), "--write-baseline", str(tmp_path / "no" / "such" / "b.json"))
    assert run.code == 2 and "cannot write baseline" in run.err


def test_baseline_never_holds_the_secret(tree, tmp_path) -> None:
    url = f"https://user:{SECRET}@pkgs.dev.azure.com/o/_packaging/f/pypi/simple/"
    root = tree(
        {"requirements.txt": f"--extra-index-url {url}  # feedlint: ignore[FL001]\n".encode()}
    )
    baseline = tmp_path / "b.json"
    run = run_cli(str(root), "--write-baseline", str(baseline), "--select", "ALL")
    assert run.code == 0
    text = baseline.read_text(encoding="utf-8")
    assert json.loads(text)["findings"]  # at least the unused suppression
    assert SECRET not in text and "pkgs.dev.azure.com" not in text


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "cannot read baseline"),
        (b"{not json", "is not valid JSON (line 1"),
        (b"\xff\xfe\x00", "is not UTF-8"),
        (b"[]", "must be a JSON object"),
        (b'{"findings": []}', "no integer `version`"),
        (b'{"version": true, "findings": []}', "no integer `version`"),
        (b'{"version": 2, "findings": []}', "unsupported version 2"),
        (b'{"version": 1}', "`findings` must be a list"),
        (b'{"version": 1, "findings": [3]}', "findings[0] must be an object"),
        (
            b'{"version": 1, "findings": [{"code": "E501", "path": "a", "fingerprint": "0"}]}',
            "findings[0].code",
        ),
        (
            b'{"version": 1, "findings": [{"code": "FL001", "path": "", "fingerprint": "0"}]}',
            "findings[0].path",
        ),
        (
            b'{"version": 1, "findings": [{"code": "FL001", "path": "a", "fingerprint": "0"}]}',
            "findings[0].fingerprint must be a sha256",
        ),
        (
            b'{"version": 1, "findings": [{"code": "FL001", "path": "a", "fingerprint": "'
            + b"a" * 64
            + b'", "count": 0}]}',
            "findings[0].count must be a positive integer",
        ),
    ],
)
def test_bad_baseline_exits_two_with_a_clear_message(tree, tmp_path, content, needle) -> None:
    root = tree({"requirements.txt": BAD_LINE})
    baseline = tmp_path / "b.json"
    if content is not None:
        baseline.write_bytes(content)
    run = run_cli(str(root), "--baseline", str(baseline))
    assert run.code == 2
    assert needle in run.err, run.err
    assert run.err.startswith("feedlint: error: ")
    assert "Traceback" not in run.err
    assert run.out == ""


def test_load_baseline_sums_duplicate_entries_and_defaults_count(tmp_path) -> None:
    fp = "b" * 64
    path = tmp_path / "b.json"
    entry = {"code": "FL001", "path": "r.txt", "fingerprint": fp}
    path.write_text(json.dumps({"version": 1, "findings": [entry, {**entry, "count": 2}]}))
    assert load_baseline(path).counts[("FL001", "r.txt", fp)] == 3


def test_filter_consumes_counts_and_hashes_raw_fingerprints() -> None:
    def f(line: int, fingerprint: str) -> Finding:
        return Finding(
            "FL001",
            "unparseable-file",
            Severity.ERROR,
            Location("r.txt", line),
            "m",
            fingerprint=fingerprint,
        )

    raw = f(1, "some text")
    key = finding_key(raw)
    assert key == ("FL001", "r.txt", digest("FL001", "r.txt", "some text"))
    hashed = f(2, key[2])
    assert finding_key(hashed) == key
    baseline = Baseline.from_findings([raw])
    kept, covered = baseline.filter([hashed, raw])
    assert covered == 1 and kept == [raw]


def test_round_trip_with_credential_and_index_findings(tree, tmp_path) -> None:
    from feedlint.registry import get_rule

    if get_rule("FL101") is None or get_rule("FL201") is None:
        pytest.skip("credential and index rules not on this branch")
    url = f"https://build:{SECRET}@pkgs.dev.azure.com/contoso/_packaging/internal/pypi/simple/"
    root = tree({"requirements.txt": f"--extra-index-url {url}\nrequests==2.32.3\n"})
    baseline = tmp_path / "b.json"
    assert sorted(f.split(": ")[1] for f in _lint(root).findings) == ["FL101", "FL201"]
    assert run_cli(str(root), "--write-baseline", str(baseline)).code == 0
    text = baseline.read_text(encoding="utf-8")
    assert SECRET not in text and "pkgs.dev.azure.com" not in text
    (root / "requirements.txt").write_text(f"# header\n\n--extra-index-url {url}\nrequests\n")
    assert _lint(root, "--baseline", str(baseline)).code == 0
    with (root / "requirements.txt").open("a") as fh:
        fh.write("--extra-index-url https://other.example.com/simple/\n")
    run = _lint(root, "--baseline", str(baseline))
    assert run.code == 1
    assert run.findings == ["requirements.txt:5:19: FL201"]
