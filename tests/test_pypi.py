"""The PyPI name index: download, cache, refresh, failures, opt-in look-ups, `feedlint names`.

Network tests talk only to servers started here on 127.0.0.1 (see ``indexservers``):
the real pypiserver for the PEP 503 HTML path and request counting, a scripted
http.server for PEP 691 JSON with ETags and for broken answers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import run_cli
from indexservers import PypiServer, ScriptedIndex, build_sdist, build_wheel

from feedlint import namecache, namefetch, pypi
from feedlint.namecache import (
    IndexDataError,
    cache_dir,
    cache_paths,
    display_url,
    load_names,
    parse_project_list,
    save_names,
    ultranormalize,
)
from feedlint.pypi import NameData, obtain_names

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:.*cgi.*:DeprecationWarning"),
]


@pytest.fixture(autouse=True)
def _fresh_memo() -> None:
    namecache._MEMO.clear()
    pypi._FAILURES.clear()


@pytest.fixture
def pypiserver(tmp_path: Path):
    packages = tmp_path / "packages"
    packages.mkdir()
    build_wheel(packages, "acme-core", "1.2.0")
    build_wheel(packages, "Shared.Utils", "0.3")
    build_sdist(packages, "public-thing", "2.0")
    server = PypiServer(packages)
    yield server
    server.stop()


@pytest.fixture
def scripted():
    server = ScriptedIndex(projects=["Acme-Core", "shared_utils", "public.thing", "lion"])
    yield server
    server.stop()


# -- download and cache ------------------------------------------------------------
def test_pypiserver_html_list_is_downloaded_and_cached(pypiserver: PypiServer) -> None:
    names, notices = obtain_names(pypiserver.url, online=True, max_age_hours=24)
    assert notices == []
    assert names is not None
    assert set(names) == {"acme-core", "shared-utils", "public-thing"}
    assert names.meta.source_format == "html"
    assert pypiserver.paths() == ["/simple/"]
    sent = pypiserver.seen[0].headers
    assert sent["user-agent"].startswith("feedlint/")
    assert sent["accept"].startswith("application/vnd.pypi.simple.v1+json")
    meta_path, data_path = cache_paths(pypiserver.url)
    assert meta_path.is_file() and data_path.is_file()
    namecache._MEMO.clear()
    reloaded = load_names(pypiserver.url)
    assert reloaded is not None and list(reloaded) == ["acme-core", "public-thing", "shared-utils"]


def test_fresh_cache_is_reused_without_a_request(pypiserver: PypiServer) -> None:
    obtain_names(pypiserver.url, online=True, max_age_hours=24)
    namecache._MEMO.clear()  # as a new process would
    names, notices = obtain_names(pypiserver.url, online=True, max_age_hours=24)
    assert names is not None and "acme-core" in names
    names, notices = obtain_names(pypiserver.url, online=False, max_age_hours=24)
    assert names is not None and notices == []
    assert pypiserver.paths() == ["/simple/"]  # one request in three runs


def test_offline_without_cache_is_one_notice_and_no_request(pypiserver: PypiServer) -> None:
    names, notices = obtain_names(pypiserver.url, online=False, max_age_hours=24)
    assert names is None
    assert len(notices) == 1 and "--online" in notices[0] and "FL302/FL303" in notices[0]
    assert pypiserver.seen == []


def test_stale_cache_offline_is_used_with_a_notice(pypiserver: PypiServer) -> None:
    names, _ = obtain_names(pypiserver.url, online=True, max_age_hours=24)
    assert names is not None
    _age_cache(pypiserver.url, hours=30)
    names, notices = obtain_names(pypiserver.url, online=False, max_age_hours=24)
    assert names is not None and "acme-core" in names
    assert len(notices) == 1 and "30 hours old" in notices[0]
    assert len(pypiserver.seen) == 1


def test_stale_cache_online_is_refreshed_conditionally(scripted: ScriptedIndex) -> None:
    first, _ = obtain_names(scripted.url, online=True, max_age_hours=24)
    assert first is not None and first.meta.etag == '"v1"' and first.meta.last_serial == 42
    assert first.meta.source_format == "json"
    assert set(first) == {"acme-core", "shared-utils", "public-thing", "lion"}
    fetched_at = first.meta.fetched_at
    _age_cache(scripted.url, hours=25)
    namecache._MEMO.clear()
    again, notices = obtain_names(scripted.url, online=True, max_age_hours=24)
    assert notices == [] and again is not None
    assert scripted.seen[-1].headers.get("if-none-match") == '"v1"'  # answered 304
    assert again.meta.age_hours() < 0.01 and again.meta.fetched_at < fetched_at
    # the list changed upstream: a new ETag brings the new names
    _age_cache(scripted.url, hours=25)
    scripted.projects.append("brand-new")
    scripted.etag = '"v2"'
    third, _ = obtain_names(scripted.url, online=True, max_age_hours=24)
    assert third is not None and "brand-new" in third and third.meta.etag == '"v2"'
    assert len(scripted.seen) == 3


def test_max_age_zero_always_asks_when_online(scripted: ScriptedIndex) -> None:
    obtain_names(scripted.url, online=True, max_age_hours=0)
    obtain_names(scripted.url, online=True, max_age_hours=0)
    assert len(scripted.seen) == 2


def _age_cache(url: str, hours: float) -> None:
    meta_path, _ = cache_paths(url)
    meta = json.loads(meta_path.read_text())
    meta["checked_at"] -= hours * 3600
    meta["fetched_at"] -= hours * 3600
    meta_path.write_text(json.dumps(meta))


# -- failures: a notice and a skip, never a guess ----------------------------------------
@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("status:500", "HTTP 500"),
        ("status:403", "HTTP 403"),
        ("garbage", "not valid JSON"),
        ("cut-json", "not valid JSON"),
        ("truncated", "closed early"),
        ("html-cut", "incomplete"),
        ("empty", "no projects"),
        ("text", "unexpected content type"),
    ],
)
def test_bad_answers_skip_with_one_notice(scripted: ScriptedIndex, mode: str, reason: str) -> None:
    scripted.mode = mode
    names, notices = obtain_names(scripted.url, online=True, max_age_hours=24)
    assert names is None
    assert len(notices) == 1, notices
    assert notices[0].startswith("FL302/FL303 skipped") and reason in notices[0]
    assert not cache_paths(scripted.url)[0].exists()  # nothing half-written


def test_timeout_is_a_notice(scripted: ScriptedIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(namefetch, "READ_TIMEOUT", 0.3)
    scripted.mode, scripted.delay = "slow", 2.0
    names, notices = obtain_names(scripted.url, online=True, max_age_hours=24)
    assert names is None and "timed out" in notices[0]


def test_stopped_server_is_a_notice_and_a_stale_cache_is_kept(pypiserver: PypiServer) -> None:
    obtain_names(pypiserver.url, online=True, max_age_hours=24)
    pypiserver.stop()
    names, notices = obtain_names(pypiserver.url, online=True, max_age_hours=0)
    assert names is not None and "acme-core" in names  # the cached copy, said so
    assert len(notices) == 1 and "could not connect" in notices[0] and "cached copy" in notices[0]
    namecache._MEMO.clear()
    for path in cache_paths(pypiserver.url):
        path.unlink()
    names, notices = obtain_names(pypiserver.url, online=True, max_age_hours=0)
    assert names is None and "could not connect" in notices[0]


def test_a_failed_index_is_tried_once_per_process(scripted: ScriptedIndex) -> None:
    """Linting many roots in one run must not wait for the same dead index each time."""
    scripted.mode = "status:503"
    for _ in range(3):
        names, notices = obtain_names(scripted.url, online=True, max_age_hours=24)
        assert names is None and "HTTP 503" in notices[0]
    assert len(scripted.seen) == 1
    scripted.mode = "json"
    names, _ = obtain_names(scripted.url, online=True, max_age_hours=24, force=True)
    assert names is not None and len(scripted.seen) == 2


def test_failure_after_a_good_download_keeps_the_good_cache(scripted: ScriptedIndex) -> None:
    obtain_names(scripted.url, online=True, max_age_hours=24)
    scripted.mode = "garbage"
    names, notices = obtain_names(scripted.url, online=True, max_age_hours=0)
    assert names is not None and "lion" in names and "cached copy" in notices[0]
    namecache._MEMO.clear()
    assert load_names(scripted.url) is not None


def test_credentials_in_the_index_url_never_show(tmp_path: Path) -> None:
    url = "http://build:s3cr3t-pa55word@127.0.0.1:9/simple/"
    names, notices = obtain_names(url, online=True, max_age_hours=24)
    assert names is None and notices
    assert "s3cr3t" not in " ".join(notices)
    save_names(url, ["a"])
    assert "s3cr3t" not in cache_paths(url)[0].read_text()
    assert "s3cr3t" not in str(cache_paths(url)[0])
    assert display_url(url) == "http://127.0.0.1:9/simple/"


def test_implausibly_short_pypi_list_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Edge case (a mock: pypi.org is not reachable from tests): a captive portal or a
    cut-down mirror answering for pypi.org must not make every name "unclaimed"."""

    def fake_fetch(url: str, etag: object = None, progress: object = None):
        return namefetch.Fetched(["requests", "numpy"], None, None, "json")

    monkeypatch.setattr(namefetch, "fetch_project_list", fake_fetch)
    names, notices = obtain_names("https://pypi.org/simple/", online=True, max_age_hours=24)
    assert names is None and "implausibly short" in notices[0]


# -- the cache files ------------------------------------------------------------------
def test_damaged_cache_is_ignored_with_a_notice(pypiserver: PypiServer) -> None:
    obtain_names(pypiserver.url, online=True, max_age_hours=24)
    namecache._MEMO.clear()
    _, data_path = cache_paths(pypiserver.url)
    data_path.write_bytes(data_path.read_bytes()[:-10])
    names, notices = obtain_names(pypiserver.url, online=False, max_age_hours=24)
    assert names is None
    assert "damaged" in notices[0] and "FL302/FL303 skipped" in notices[1]
    with pytest.raises(IndexDataError):
        load_names(pypiserver.url)
    # online, the damaged pair is replaced
    names, notices = obtain_names(pypiserver.url, online=True, max_age_hours=24)
    assert names is not None and len(notices) == 1
    namecache._MEMO.clear()
    assert load_names(pypiserver.url) is not None


def test_blocks_and_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(namecache, "BLOCK", 3)
    listed = [f"name-{i:03d}" for i in range(0, 100, 2)]
    save_names("https://x.example/simple/", [*listed, "lion"])
    namecache._MEMO.clear()
    names = load_names("https://x.example/simple/")
    assert names is not None and len(names) == 51
    assert list(names) == sorted([*listed, "lion"])
    for i in range(-1, 101):
        assert (f"name-{i:03d}" in names) == (f"name-{i:03d}" in listed)
    assert "a" not in names and "zzz" not in names and "" not in names
    assert names.similar_exists("l10n") and names.similar_exists("LION")
    assert not names.similar_exists("l10m")
    assert len(names.meta.sections["names"]) == 17


def test_tampered_index_is_damage_not_absence(tmp_path: Path) -> None:
    url = "https://x.example/simple/"
    save_names(url, ["alpha", "beta"])
    namecache._MEMO.clear()
    meta_path, _ = cache_paths(url)
    meta = json.loads(meta_path.read_text())
    meta["sections"]["names"][0][2] += 10_000
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(IndexDataError, match="bad index"):
        load_names(url)
    names, notices = obtain_names(url, online=False, max_age_hours=24)
    assert names is None and "damaged" in notices[0]


def test_cache_is_keyed_by_index_url(tmp_path: Path) -> None:
    save_names("https://a.example/simple", ["one"])
    save_names("https://b.example/simple/", ["two"])
    a = load_names("https://a.example/simple/")  # trailing slash does not matter
    b = load_names("https://b.example/simple/")
    assert a is not None and set(a) == {"one"}
    assert b is not None and set(b) == {"two"}


def test_cache_dir_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FEEDLINT_CACHE_DIR", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x"
    monkeypatch.delenv("FEEDLINT_CACHE_DIR")
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert cache_dir() == tmp_path / "xdg" / "feedlint"
        monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
        assert cache_dir() == Path.home() / ".cache" / "feedlint"


def test_cache_write_failure_still_checks_this_run(
    scripted: ScriptedIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("FEEDLINT_CACHE_DIR", str(blocker / "cache"))
    names, notices = obtain_names(scripted.url, online=True, max_age_hours=24)
    assert names is not None and "lion" in names
    assert len(notices) == 1 and "could not write the name cache" in notices[0]


# -- parsing --------------------------------------------------------------------------
def test_parse_json_normalises_names() -> None:
    body = json.dumps(
        {"meta": {"api-version": "1.3"}, "projects": [{"name": "Foo.Bar_baz"}, {"name": "x"}]}
    ).encode()
    assert parse_project_list(body, "application/vnd.pypi.simple.v1+json") == (
        ["foo-bar-baz", "x"],
        "json",
    )


@pytest.mark.parametrize(
    "body",
    [
        b'{"meta": {"api-version": "2.0"}, "projects": []}',
        b'{"projects": {"name": "x"}}',
        b'{"projects": [{"nom": "x"}]}',
        b"[1, 2]",
        b"{" * 100_000,
    ],
)
def test_parse_json_rejects_non_pep691(body: bytes) -> None:
    with pytest.raises(IndexDataError):
        parse_project_list(body, "application/json")


def test_parse_html_pep503() -> None:
    body = (
        b"<!DOCTYPE html><html><body>"
        b'<a href="/simple/zope-interface/">zope.interface</a>'
        b'<a href="/simple/a-b/">A&amp;B</a><a href="x/"><b>Tagged</b></a>'
        b"</body></html>"
    )
    assert parse_project_list(body, "text/html; charset=utf-8") == (
        ["zope-interface", "a&b", "tagged"],
        "html",
    )


def test_ultranormalize_matches_warehouse() -> None:
    assert ultranormalize("L10n") == ultranormalize("lion") == "110n"
    assert ultranormalize("Foo.O_l-I") == "f00011"


def test_refusals() -> None:
    names = save_names("https://x.example/simple/", ["lion", "requests"])
    data = NameData("https://x.example/simple/", names)
    assert data.refusal("l10n") == "it is too similar to an existing project"
    assert data.refusal("asyncio") == "it is a standard-library module name"
    assert data.refusal("urllib2") == "it is a standard-library module name"  # Python 2
    assert data.refusal("os-path") == "it is a standard-library module name"  # os.path
    assert data.refusal("-bad") == "it is not a valid project name"
    assert data.refusal("contoso-billing") is None
    assert data.exists("requests") is True and data.exists("contoso-billing") is False
    data.lookups["contoso-billing"] = True  # a fresher per-name answer wins
    assert data.exists("contoso-billing") is True
    assert NameData("https://x.example/simple/").exists("requests") is None


# -- per-name look-ups (opt-in) ---------------------------------------------------------
def test_lookups_send_only_the_names_given_and_are_cached(scripted: ScriptedIndex) -> None:
    results, notices = pypi.lookup(scripted.url, ["lion", "contoso-billing"], 24)
    assert results == {"lion": True, "contoso-billing": False} and notices == []
    assert sorted(scripted.paths()) == ["/simple/contoso-billing/", "/simple/lion/"]
    assert all(s.headers["user-agent"].startswith("feedlint/") for s in scripted.seen)
    results, _ = pypi.lookup(scripted.url, ["lion", "contoso-billing"], 24)
    assert results == {"lion": True, "contoso-billing": False}
    assert len(scripted.seen) == 2  # cached


def test_lookup_errors_are_unknown_not_absent(scripted: ScriptedIndex) -> None:
    scripted.lookup_status = 503
    results, notices = pypi.lookup(scripted.url, ["a", "b"], 24)
    assert results == {"a": None, "b": None}
    assert "2 of 2" in notices[0]
    scripted.lookup_status = 302  # a pypiserver fallback redirect is not followed
    results, _ = pypi.lookup(scripted.url, ["c"], 24)
    assert results == {"c": None}
    assert all(p.startswith("/simple/") for p in scripted.paths())


def test_lookups_against_pypiserver(pypiserver: PypiServer) -> None:
    results, _ = pypi.lookup(pypiserver.url, ["acme-core", "contoso-billing"], 24)
    assert results == {"acme-core": True, "contoso-billing": False}


# -- feedlint names ---------------------------------------------------------------------
def test_names_update_status_and_check(pypiserver: PypiServer, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli("names", "--pypi-url", pypiserver.url)
    assert run.code == 0 and "no cached name data" in run.out
    run = run_cli("names", "--update", "--pypi-url", pypiserver.url)
    assert run.code == 0, run.err
    assert "3 names" in run.err
    run = run_cli("names", "--pypi-url", pypiserver.url)
    assert run.code == 0 and "3 names, downloaded" in run.out
    run = run_cli(
        "names", "--check", "Acme_Core", "contoso-billing", "asyncio", "--pypi-url", pypiserver.url
    )
    assert run.code == 0
    assert run.out.splitlines() == [
        f"acme-core: on {display_url(pypiserver.url)}",
        f"contoso-billing: not on {display_url(pypiserver.url)}: anyone can register it",
        f"asyncio: not on {display_url(pypiserver.url)}, and PyPI would refuse it: "
        "it is a standard-library module name",
    ]
    assert pypiserver.paths() == ["/simple/"]  # --check looked names up locally


def test_names_update_failure_exits_two(scripted: ScriptedIndex, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    scripted.mode = "status:502"
    run = run_cli("names", "--update", "--pypi-url", scripted.url)
    assert run.code == 2 and "HTTP 502" in run.err and "Traceback" not in run.err


def test_names_update_is_conditional_unless_forced(scripted, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_cli("names", "--update", "--pypi-url", scripted.url).code == 0
    assert run_cli("names", "--update", "--pypi-url", scripted.url).code == 0
    assert run_cli("names", "--update", "--force", "--pypi-url", scripted.url).code == 0
    sent = [s.headers.get("if-none-match") for s in scripted.seen]
    assert sent == [None, '"v1"', None]


def test_names_update_progress_on_a_tty(scripted, tmp_path, monkeypatch, capsys) -> None:
    import io

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.chdir(tmp_path)
    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    assert pypi.names_command(["--update", "--pypi-url", scripted.url]) == 0
    assert "\rfeedlint: download:" in err.getvalue() and "MB" in err.getvalue()


@pytest.mark.parametrize("url", ["not a url", "ftp://x.example/simple/", "http://[::1", "https://"])
def test_unusable_pypi_url_is_a_notice(url: str) -> None:
    names, notices = obtain_names(url, online=True, max_age_hours=24)
    assert names is None and len(notices) == 1 and notices[0].startswith("FL302/FL303 skipped")
