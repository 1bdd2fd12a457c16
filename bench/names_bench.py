"""Benchmark the PyPI name checks (FL302/FL303). Prints figures; asserts nothing.

Serves a PEP 691 project list of ``--names`` synthetic names (default 700,000, about
PyPI's size) from a local counting HTTP server on 127.0.0.1, then:

1. a cold run: ``--online`` with an empty cache (one download, parse, cache write);
2. ``--runs`` warm runs, each as a fresh process would see it (the in-process memo is
   cleared): load the cached list and check ``--private`` private names (default 1,000,
   half present, half absent, so FL303's confusable-name check runs too) through the
   engine's real path (``prepare`` + FL302/FL303 on a model with that many pinned names);
3. the same warm run offline.

For each it prints the wall time and the number of HTTP requests the server saw (a warm
cache must make zero), plus the cache size and a break-down of the warm run.

    python bench/names_bench.py [--names 700000] [--private 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import string
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def synthetic_names(count: int, seed: int = 7) -> list[str]:
    """Deterministic, PyPI-like names: words joined by ``-``/``_``/``.``, some digits."""
    rng = random.Random(seed)
    syllables = ["py", "django", "flask", "data", "lib", "tool", "kit", "core", "utils", "io"]
    syllables += ["api", "client", "sdk", "aws", "azure", "torch", "ml", "test", "cli", "web"]
    names: set[str] = set()
    while len(names) < count:
        parts = [rng.choice(syllables) for _ in range(rng.randint(1, 3))]
        parts.append("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 7))))
        if rng.random() < 0.3:
            parts.append(str(rng.randint(0, 999)))
        names.add(rng.choice("-_.").join(parts))
    return sorted(names)


class _Index(ThreadingHTTPServer):
    requests = 0
    body = b""


class _Handler(BaseHTTPRequestHandler):
    server: _Index

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.requests += 1
        if self.headers.get("If-None-Match") == '"bench"':
            self.send_response(304)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.pypi.simple.v1+json")
        self.send_header("Content-Length", str(len(self.server.body)))
        self.send_header("ETag", '"bench"')
        self.end_headers()
        self.wfile.write(self.server.body)


def _model(root: Path, private: list[str]) -> Any:
    from feedlint.config import Config
    from feedlint.model import (
        FileKind,
        FileModel,
        IndexRef,
        IndexRole,
        Installer,
        Location,
        PackageRef,
        ProjectModel,
        SourceFile,
    )

    feed = "https://pkgs.dev.azure.com/contoso/_packaging/feed/pypi/simple/"
    fm = FileModel(SourceFile("pyproject.toml", FileKind.PYPROJECT, ()))
    fm.indexes.append(
        IndexRef(feed, IndexRole.SOURCE, Installer.POETRY, Location("pyproject.toml", 1), "feed")
    )
    for i, name in enumerate(private):
        fm.packages.append(
            PackageRef(
                name,
                Location("pyproject.toml", 10 + i),
                "dependency",
                Installer.POETRY,
                source="feed",
            )
        )
    model = ProjectModel(root=root, config=Config())
    model.files[fm.path] = fm
    return model


def _check(root: Path, private: list[str], url: str, online: bool) -> tuple[float, int, int]:
    """One run as a fresh process would do it: (seconds, FL302 count, FL303 count)."""
    from feedlint import engine, namecache
    from feedlint.engine import LintOptions
    from feedlint.selection import Selector

    namecache._MEMO.clear()
    model = _model(root, private)
    model.config.online = online
    model.config.pypi_url = url
    started = time.perf_counter()
    findings, notices = engine._run_rules(model, Selector(["FL302", "FL303"]), LintOptions(), [])
    elapsed = time.perf_counter() - started
    if notices:
        print("  notices:", notices)
    codes = [f.code for f in findings]
    return elapsed, codes.count("FL302"), codes.count("FL303")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--names", type=int, default=700_000)
    parser.add_argument("--private", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="feedlint-names-bench-") as tmp:
        os.environ["FEEDLINT_CACHE_DIR"] = str(Path(tmp) / "cache")
        from feedlint import namecache
        from feedlint.urls import normalize_name

        t = time.perf_counter()
        names = synthetic_names(args.names)
        listing = {
            "meta": {"api-version": "1.1", "_last-serial": 1},
            "projects": [{"name": n, "_last-serial": 1} for n in names],
        }
        body = json.dumps(listing).encode()
        print(
            f"generated {len(names):,} names ({len(body) / 1e6:.1f} MB of JSON) "
            f"in {time.perf_counter() - t:.2f} s"
        )
        rng = random.Random(11)
        present = [normalize_name(n) for n in rng.sample(names, args.private // 2)]
        words = ["billing", "ledger", "auth", "orders", "search", "infra", "ml", "reports"]
        absent = [
            f"{rng.choice(words)}-{rng.choice(string.ascii_lowercase)}{i}-internal"
            for i in range(args.private - len(present))
        ]
        private = present + absent

        server = _Index(("127.0.0.1", 0), _Handler)
        server.body = body
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_port}/simple/"
        root = Path(tmp)
        try:
            before = server.requests
            cold, n302, n303 = _check(root, private, url, online=True)
            print(
                f"cold run (--online, empty cache): {cold:.2f} s, "
                f"{server.requests - before} request(s), FL302={n302} FL303={n303}"
            )
            meta_path, data_path = namecache.cache_paths(url)
            print(
                f"cache: {data_path.stat().st_size / 1e6:.2f} MB names + "
                f"{meta_path.stat().st_size} B metadata"
            )

            for online in (True, False):
                times, requests = [], []
                for _ in range(args.runs):
                    before = server.requests
                    elapsed, n302, n303 = _check(root, private, url, online=online)
                    times.append(elapsed)
                    requests.append(server.requests - before)
                label = "--online, warm cache" if online else "offline, warm cache"
                print(
                    f"warm run ({label}): load + check {args.private:,} names: "
                    f"median {statistics.median(times) * 1000:.0f} ms "
                    f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}) over "
                    f"{args.runs} runs; requests per run: {requests}; "
                    f"FL302={n302} FL303={n303}"
                )

            # break-down of one warm run
            namecache._MEMO.clear()
            t = time.perf_counter()
            loaded = namecache.load_names(url)
            t_load = time.perf_counter() - t
            assert loaded is not None
            t = time.perf_counter()
            hits = sum(1 for n in private if n in loaded)
            t_member = time.perf_counter() - t
            t = time.perf_counter()
            similar = sum(1 for n in absent if loaded.similar_exists(n))
            t_similar = time.perf_counter() - t
            print(
                f"break-down: load {t_load * 1000:.0f} ms (read, SHA-256, block index of "
                f"{len(loaded):,} names in {len(loaded.meta.sections['names'])} blocks); "
                f"{args.private:,} membership checks {t_member * 1000:.0f} ms ({hits} present); "
                f"{len(absent)} confusable-name checks {t_similar * 1000:.0f} ms "
                f"({similar} similar)"
            )
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main()
