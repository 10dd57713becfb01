"""`sendstats` command line: thin over the modules. User errors print one line and exit 2."""
from __future__ import annotations

import argparse
import sys
import time

from .errors import ParameterError, SendstatsError


def _params(pairs) -> dict:
    out = {}
    for p in pairs or []:
        if "=" not in p:
            raise ParameterError(f"-p expects key=value, got {p!r}")
        k, v = p.split("=", 1)
        out[k.strip()] = v
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="sendstats", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    data = sub.add_parser("data", help="raw and processed data").add_subparsers(dest="action", required=True)
    data.add_parser("verify", help="check every raw file's sha256 against data/raw/MANIFEST.csv")
    data.add_parser("build", help="build data/processed/ from data/raw/")
    rep = sub.add_parser("report", help="render reports to HTML (all core reports and the index if no NAME)")
    rep.add_argument("name", nargs="?", help="one report, e.g. 01_inspection_outcomes")
    rep.add_argument("-p", "--param", action="append", metavar="KEY=VALUE", help="a notebook parameter")
    rep.add_argument("--output-dir", help="where to write HTML (default: reports/)")
    rep.add_argument("--areas", metavar="all|NAMES", help="also render area profiles: 'all', or names/codes separated by commas")
    rep.add_argument("--force", action="store_true", help="re-render even when nothing changed since the last render")
    rep.add_argument("--reproducible", action="store_true",
                     help="pin the footer's render time (to SOURCE_DATE_EPOCH, else the git commit time)")
    rep.add_argument("--workers", type=int, help="parallel kernels (default: number of cores)")
    sub.add_parser("list", help="list the reports and their parameters")
    args = ap.parse_args(argv)

    try:
        if args.cmd == "data" and args.action == "verify":
            from . import sources

            problems = sources.verify()
            for path, why in problems:
                print(f"sendstats: {path}: {why}", file=sys.stderr)
            if problems:
                return 1
            print(f"all {len(sources.manifest())} raw files match data/raw/MANIFEST.csv")
        elif args.cmd == "data" and args.action == "build":
            from . import build

            t = time.perf_counter()
            rows = build.build()
            print(", ".join(f"{k}: {v} rows" for k, v in rows.items()) + f" ({time.perf_counter() - t:.1f} s)")
        elif args.cmd == "list":
            from . import report

            for name, info in report.available().items():
                print(f"{name}: {info['description']}")
                for k, v in report.declared_parameters(info["path"]).items():
                    print(f"    {k} ({v['inferred_type_name']}, default {v['default']}): {v['help']}")
        elif args.cmd == "report":
            from . import report

            if args.workers is not None and args.workers < 1:
                raise ParameterError(f"--workers must be at least 1, got {args.workers}")
            opts = dict(force=args.force, progress=True, reproducible=args.reproducible, workers=args.workers)
            if args.name:
                if args.areas:
                    raise ParameterError("--areas renders area profiles; give it without a report NAME")
                res = report.render_jobs([(args.name, _params(args.param), None)], args.output_dir, **opts)
                res["index"] = report.write_index(args.output_dir)
            else:
                if args.param:
                    raise ParameterError("-p needs a report NAME (parameters differ between reports)")
                res = report.render_all(args.output_dir, areas=args.areas, **opts)
            for e in res["errors"]:
                print(f"sendstats: error: {e}", file=sys.stderr)
            print(f"rendered {len(res['written'])}, unchanged {len(res['skipped'])}, failed {len(res['errors'])}; "
                  f"open {res['index'].resolve()}")
            if res["errors"]:
                return 1
    except SendstatsError as e:
        print(f"sendstats: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
