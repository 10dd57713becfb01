"""`sendstats` command line: thin over the modules. User errors print one line and exit 2."""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from .errors import ParameterError, SendstatsError

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 and C1 controls (escape sequences), not tab/newline


def say(text: str, *, err: bool = False) -> None:
    """Print one line for a person at a terminal: control characters taken from documents, file names or data
    (an escape sequence could recolour or rewrite the terminal) are removed first."""
    print(CONTROL.sub("", str(text)), file=sys.stderr if err else sys.stdout)


def _params(pairs) -> dict:
    out = {}
    for p in pairs or []:
        if "=" not in p:
            raise ParameterError(f"-p expects key=value, got {p!r}")
        k, v = p.split("=", 1)
        out[k.strip()] = v
    return out


def main(argv=None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("sendstats: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    """The command line's arguments: ``data`` (verify, build, add-snapshot, export), ``report``, ``list`` and
    ``letters`` (fetch, parse)."""
    from . import __version__

    ap = argparse.ArgumentParser(prog="sendstats", description=__doc__)
    ap.add_argument("--version", action="version", version=f"sendstats {__version__}")
    ap.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data folder holding raw/MANIFEST.csv (default: $SENDSTATS_DATA, else the checkout's data/)",
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    data = sub.add_parser("data", help="raw and processed data").add_subparsers(dest="action", required=True)
    data.add_parser(
        "verify", help="check every raw file's sha256 against data/raw/MANIFEST.csv, and look for unlisted files"
    )
    data.add_parser(
        "build", help="build the tables of data/processed/ that are missing or out of date (every raw file checked)"
    ).add_argument("--force", action="store_true", help="rebuild every table")
    snap = data.add_parser(
        "add-snapshot",
        help="add a newer saved copy of Data to Insight's published 2023-framework outcomes page (.html) to data/raw/",
    )
    snap.add_argument("path", help="the saved page (index.html of the published outcomes table)")
    ex = data.add_parser(
        "export", help="write every table (CSV or Parquet) and a Frictionless datapackage.json into DIR"
    )
    ex.add_argument("dir", help="a new (or empty) folder")
    ex.add_argument(
        "--format", default="csv", choices=["csv", "parquet"], help="file format of the tables (default csv)"
    )
    _add_report(sub)
    sub.add_parser("list", help="list the reports and their parameters")
    let = sub.add_parser("letters", help="inspection letters and reports").add_subparsers(dest="action", required=True)
    fe = let.add_parser("fetch", help="download letters/reports from the Ofsted area pages in the official file")
    fe.add_argument("--cache", default=None, help="cache directory (default: data/letters_cache)")
    fe.add_argument("--limit", type=int, help="only the first N area pages")
    fe.add_argument("--delay", type=float, default=1.0, help="seconds between requests (default 1)")
    pa = let.add_parser("parse", help="read and extract documents; failures are listed at the end")
    pa.add_argument("paths", nargs="*", help="files or folders of .pdf/.txt (default: every bundled letter and report)")
    return ap


def _add_report(sub) -> None:
    """The ``report`` command's arguments."""
    rep = sub.add_parser(
        "report",
        help="render reports to HTML (without NAME: the whole site, core reports, areas page, every profile, index)",
    )
    rep.add_argument("name", nargs="?", help="one report, e.g. 01_inspection_outcomes")
    rep.add_argument("-p", "--param", action="append", metavar="KEY=VALUE", help="a notebook parameter")
    rep.add_argument("--output-dir", help="where to write HTML (default: reports/)")
    rep.add_argument(
        "--areas",
        action="append",
        metavar="all|NAMES",
        help="the core reports plus only these areas' profiles (names or codes, comma-separated or the option"
        " repeated; 'all': whole site)",
    )
    rep.add_argument("--core-only", action="store_true", help="the core reports and the index only (the quick path)")
    rep.add_argument("--force", action="store_true", help="re-render even when nothing changed since the last render")
    rep.add_argument(
        "--reproducible",
        action="store_true",
        help="pin the footer's render time (to SOURCE_DATE_EPOCH, else the git commit time)",
    )
    rep.add_argument("--workers", type=int, help="parallel kernels (default: number of cores)")


def _main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.data_dir:
        import os

        os.environ["SENDSTATS_DATA"] = str(Path(args.data_dir).resolve())
    command = {"data": _data, "report": _report, "list": _list, "letters": _letters}[args.cmd]
    try:
        return command(args)
    except SendstatsError as e:
        say(f"sendstats: error: {e}", err=True)
        return 2
    except OSError as e:  # a full disk, a file-size limit, a folder that vanished: one line, previous outputs whole
        place = f"{e.filename}: " if getattr(e, "filename", None) else ""
        print(f"sendstats: error: cannot write or read {place}{e.strerror or e}", file=sys.stderr)
        return 1


def _data(args) -> int:
    """``sendstats data verify|build|add-snapshot|export``."""
    if args.action == "verify":
        from .data import sources

        problems = sources.verify()
        for path, why in problems:
            print(f"sendstats: {path}: {why}", file=sys.stderr)
        if problems:
            return 1
        print(f"all {len(sources.manifest())} raw files match {sources.manifest_path()}; no unlisted files")
    elif args.action == "build":
        from .data import registry, store

        t = time.perf_counter()
        rows = store.build() if args.force else store.update()
        took = f" ({time.perf_counter() - t:.1f} s)"
        if rows:
            print(", ".join(f"{k}: {v} rows" for k, v in rows.items()) + took)
        else:
            print(f"all {len(registry.TABLES)} tables current; every raw file matches the manifest{took}")
    elif args.action == "add-snapshot":
        from .data.ingest import snapshots

        where, when, n = snapshots.add_snapshot(args.path)
        print(
            f"added {where} (last updated {when:%Y-%m-%d}, {n} areas) with a manifest row; "
            "`sendstats data build` includes it"
        )
    elif args.action == "export":
        from .data import datapackage

        out = datapackage.export(args.dir, args.format)
        print(f"wrote {len(list(out.iterdir())) - 1} tables and datapackage.json to {out}")
    return 0


def _list(args) -> int:
    """``sendstats list``: the reports and their parameters."""
    from .render import catalogue

    for name, entry in catalogue.reports().items():
        print(f"{name}{' (core)' if entry.core else ''}: {entry.description}")
        for k, spec in entry.parameters.items():
            kind = f", {spec['kind']}" if spec.get("kind") else ""
            print(f"    {k} ({spec['type']}{kind}, default {spec.get('default')!r}): {spec.get('help', '')}")
    return 0


def _report(args) -> int:
    """``sendstats report [NAME]``: one report, or the site (its areas chosen by ``--areas``/``--core-only``)."""
    from .render import report

    if args.workers is not None and args.workers < 1:
        raise ParameterError(f"--workers must be at least 1, got {args.workers}")
    opts = dict(force=args.force, progress=True, reproducible=args.reproducible, workers=args.workers)
    if args.name:
        if args.areas or args.core_only:
            flag = "--areas" if args.areas else "--core-only"
            raise ParameterError(f"{flag} chooses which reports of the site to render; give it without a NAME")
        res = report.render([(args.name, _params(args.param))], args.output_dir, **opts)
    else:
        if args.param:
            raise ParameterError("-p needs a report NAME (parameters differ between reports)")
        if args.areas and args.core_only:
            raise ParameterError("--areas and --core-only: give one (--core-only renders no area profile)")
        codes: tuple | list | None = None  # None: the whole site
        if args.core_only:
            codes = ()
        elif args.areas and (spec := ",".join(args.areas)).strip().lower() != "all":
            from .questions import areas

            codes = areas.area_codes(spec)
        res = report.render_all(args.output_dir, area_codes=codes, **opts)
    for e in res["errors"]:
        print(f"sendstats: error: {e}", file=sys.stderr)
    pages = res["written"] + res["skipped"]
    page = pages[0] if args.name and pages else res["index"]  # one report: its own page
    print(
        f"rendered {len(res['written'])}, unchanged {len(res['skipped'])}, failed {len(res['errors'])}; "
        f"open {Path(page).resolve()}"
    )
    return 1 if res["errors"] else 0


def _letters(args) -> int:
    from . import config, letters

    if args.action == "fetch":
        from .outcomes import load_inspections

        urls = load_inspections("2016")["ofsted_url"].dropna().unique().tolist()
        if args.limit is not None:
            if args.limit < 1:
                raise ParameterError(f"--limit must be at least 1, got {args.limit}")
            urls = urls[: args.limit]
        cache = args.cache or str(config.data_dir() / "letters_cache")

        def said(url, ok):
            print(f"{'fetched' if ok else 'failed'} {url}", file=sys.stderr)

        res = letters.fetch(urls, cache, delay=args.delay, progress=said)
        for _, r in res[res["status"] == "failed"].iterrows():
            print(f"sendstats: failed: {r['error']}", file=sys.stderr)
        print(
            f"{(res['status'] == 'downloaded').sum()} downloaded, {(res['status'] == 'cached').sum()} cached, "
            f"{(res['status'] == 'failed').sum()} failed; files in {cache}"
        )
        return 1 if (res["status"] == "failed").any() else 0
    paths = args.paths or [str(p) for p in letters.bundled_documents()]
    if args.paths and not letters.expand_paths(paths):
        raise ParameterError(f"no .pdf or .txt files in {', '.join(args.paths)}")
    records, failures = letters.read_many(paths)
    for r in records:
        say(
            f"{r.source}: {r.framework} {r.area}, {r.inspection_start} to {r.inspection_end}, "
            + (
                f"WSoA {'required' if r.wsoa_required else 'not required'}, {len(r.weaknesses)} weaknesses"
                if r.framework == "2016"
                else f"{r.outcome}, {len(r.priority_actions)} priority actions, "
                f"{len(r.improvements)} areas for improvement"
            )
        )
    for _path, why in failures:
        say(f"sendstats: failed: {why}", err=True)
    print(f"{len(records)} parsed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
