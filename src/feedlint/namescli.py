"""``feedlint names``: show, refresh (``--update``) and query (``--check NAME...``) the
cached PyPI project list that FL302/FL303 use (see :mod:`feedlint.pypi` for the policy).

``--update`` always goes to the network (it is an explicit request), conditionally
(``If-None-Match``) unless ``--force``, with a progress line on a terminal. ``--check``
answers from the cache; it sends the names only with ``--pypi-lookup --online``.
Exit codes: 0, or 2 when the data could not be obtained or the configuration is bad.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import IO, Optional

from feedlint.config import Config
from feedlint.namecache import (
    IndexDataError,
    NameList,
    cache_paths,
    canonical_url,
    display_url,
    read_meta,
)
from feedlint.pypi import NameData, age_text, lookup, obtain_names
from feedlint.urls import normalize_name

__all__ = ["names_command"]


class _TtyProgress:
    """``\\r``-updated progress line on a terminal; silent otherwise."""

    def __init__(self, stream: IO[str], what: str) -> None:
        self.stream = stream
        self.what = what
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self._last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and (not total or done < total):
            return
        self._last = now
        if self.what == "download":
            text = f"{done / 1e6:.1f} MB" + (f" of {total / 1e6:.1f} MB" if total else "")
        else:
            text = f"{done}/{total} names"
        self.stream.write(f"\rfeedlint: {self.what}: {text}\x1b[K")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _names_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="feedlint names",
        description="Show, refresh or query the cached PyPI project list used by FL302/FL303. "
        "Without options: show what is cached.",
    )
    p.add_argument(
        "--update",
        action="store_true",
        help="download the project list now (conditional request when cached; implies network)",
    )
    p.add_argument("--force", action="store_true", help="with --update: ignore the ETag")
    p.add_argument(
        "--check",
        nargs="+",
        metavar="NAME",
        help="say for each NAME whether it is on the index, free, or refused by PyPI's rules "
        "(local look-up in the cached list; nothing is sent unless --pypi-lookup)",
    )
    p.add_argument("--pypi-url", metavar="URL", help="index to use (default: configuration)")
    p.add_argument("--online", action="store_true", help="with --check: refresh a stale list")
    p.add_argument(
        "--pypi-lookup",
        action="store_true",
        help="with --check and --online: also ask the index about each NAME (sends the names)",
    )
    p.add_argument("--config", type=Path, metavar="FILE", help="configuration file")
    return p


def _names_config(args: argparse.Namespace) -> Config:
    from feedlint.config import load_config
    from feedlint.discover import find_root

    config = load_config(find_root(Path.cwd()), args.config)
    if args.pypi_url:
        config.pypi_url = args.pypi_url
    return config


def _status(url: str, out: IO[str]) -> int:
    label = display_url(url)
    try:
        meta = read_meta(url)
    except IndexDataError as exc:
        print(f"{label}: {exc}", file=out)
        return 0
    if meta is None:
        print(f"{label}: no cached name data (run `feedlint names --update`)", file=out)
        return 0
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(meta.fetched_at))
    print(f"{label}: {meta.count:,} names, downloaded {when}", file=out)
    print(f"  last confirmed {age_text(meta.age_hours())} ago ({meta.source_format})", file=out)
    if meta.last_serial is not None:
        print(f"  last serial {meta.last_serial}", file=out)
    print(f"  cache: {cache_paths(url)[1]}", file=out)
    return 0


def _check(args: argparse.Namespace, config: Config, names: Optional[NameList]) -> int:
    url = config.pypi_url
    wanted = [normalize_name(n.strip()) for n in args.check if n.strip()]
    data = NameData(url, names)
    if args.pypi_lookup and not args.online:
        print("feedlint: notice: --pypi-lookup needs --online; nothing was sent", file=sys.stderr)
    if args.pypi_lookup and args.online:
        progress = _TtyProgress(sys.stderr, "look-ups")
        data.lookups, notices = lookup(url, wanted, config.cache_max_age, progress)
        progress.finish()
        for notice in notices:
            print(f"feedlint: notice: {notice}", file=sys.stderr)
    if names is None and not data.lookups:
        print(f"feedlint: error: no name data for {display_url(url)}", file=sys.stderr)
        return 2
    label = data.label
    for name in wanted:
        exists = data.exists(name)
        if exists is None:
            verdict = "unknown (no answer)"
        elif exists:
            verdict = f"on {label}"
        else:
            reason = data.refusal(name)
            if reason:
                verdict = f"not on {label}, and PyPI would refuse it: {reason}"
            else:
                verdict = f"not on {label}: anyone can register it"
        print(f"{name}: {verdict}")
    return 0


def names_command(argv: list[str]) -> int:
    """``feedlint names [--update] [--check NAME...] [--pypi-url URL]``; exit 0 or 2."""
    from feedlint.config import ConfigError

    args = _names_parser().parse_args(argv)
    try:
        config = _names_config(args)
    except ConfigError as exc:
        print(f"feedlint: error: {exc}", file=sys.stderr)
        return 2
    url = canonical_url(config.pypi_url)
    if not args.update and not args.check:
        return _status(url, sys.stdout)
    names: Optional[NameList] = None
    if args.update:
        progress = _TtyProgress(sys.stderr, "download")
        before = _cached_count(url)
        names, notices = obtain_names(
            url,
            online=True,
            max_age_hours=0.0,
            force=True,
            conditional=not args.force,
            progress=progress,
        )
        progress.finish()
        for notice in notices:
            print(f"feedlint: notice: {notice}", file=sys.stderr)
        if names is None:
            print("feedlint: error: the name data could not be updated", file=sys.stderr)
            return 2
        fresh = names.meta.fetched_at >= time.time() - 60 and before != len(names)
        change = f" ({len(names) - before:+,})" if before is not None and fresh else ""
        print(f"{display_url(url)}: {len(names):,} names{change}", file=sys.stderr)
    if args.check:
        if names is None:
            names, notices = obtain_names(
                url, online=args.online, max_age_hours=config.cache_max_age
            )
            for notice in notices:
                print(f"feedlint: notice: {notice}", file=sys.stderr)
        return _check(args, config, names)
    return 0


def _cached_count(url: str) -> Optional[int]:
    try:
        meta = read_meta(url)
    except IndexDataError:
        return None
    return meta.count if meta else None
