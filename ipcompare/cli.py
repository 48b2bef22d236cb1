"""Command line: ``ipcompare build | validate | add | review | extract | report | site``.

Errors are one clear message on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from ipcompare.paths import raw_dir, tidy_dir


def _build(args: argparse.Namespace) -> int:
    from ipcompare.build import drafts, read_inputs
    from ipcompare.export import tidy_files
    from ipcompare.tidy_io import write_generation

    inputs = read_inputs(raw_dir())
    tables, version, files = tidy_files(inputs)
    out = tidy_dir()
    if args.check:
        stale = [n for n, data in files.items() if not (out / n).exists() or (out / n).read_bytes() != data]
        if stale:
            print(f"data/tidy is out of date ({', '.join(stale)}); run `ipcompare build`", file=sys.stderr)
            return 1
        print(f"data/tidy matches a fresh build ({version})")
        return 0
    write_generation(files, out)
    n_obs, n_st = len(tables["observations"]), len(tables["statements"])
    print(f"built {version}: {n_st} statements, {n_obs} observations, {len(files)} files in {out}")
    for doc_id, n in inputs.pending:
        print(f"pending: data/raw/statements/{doc_id}.draft.csv holds {n} draft row(s) not in the build; "
              f"`ipcompare review {doc_id}`")
    # Drafts of documents not (yet) registered, e.g. from `ipcompare extract --draft`: listed, never built.
    stray = [p.name for p in drafts(raw_dir()) if p.name.removesuffix(".draft.csv") not in dict(inputs.pending)]
    if stray:
        print(f"not built: {len(stray)} draft(s) under review: {', '.join(stray)}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from ipcompare.validate import validate_tidy

    report = validate_tidy(tidy_dir(), raw_dir())
    print(report)
    return 0


class _VersionAction(argparse.Action):
    """``--version``: both versions, computed only when asked (reading datapackage.json)."""

    def __init__(self, option_strings, dest, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from ipcompare.version import describe_versions

        print(describe_versions())
        parser.exit()


_COMMANDS = {"add": "ipcompare.add", "review": "ipcompare.review", "extract": "ipcompare.extract.cli",
             "report": "ipcompare.report.cli", "site": "ipcompare.site.cli"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="ipcompare", description="Compare Chinese cities' IP plans.")
    ap.add_argument("--version", action=_VersionAction, help="print the code and dataset versions and exit")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build data/tidy from data/raw (checks everything first)")
    b.add_argument("--check", action="store_true", help="only check that data/tidy matches a fresh build")
    b.set_defaults(func=_build)
    v = sub.add_parser("validate", help="validate data/tidy against the schema and the source texts")
    v.set_defaults(func=_validate)
    # Only the module of the command asked for is imported (all of them for help): importing every command's
    # module cost each `ipcompare report` 1.5 CPU-s before its first job started.
    wanted = next((a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")), None)
    modules = ([_COMMANDS[wanted]] if wanted in _COMMANDS else [] if wanted in ("build", "validate")
               else list(_COMMANDS.values()))
    for mod in modules:
        try:
            module = __import__(mod, fromlist=["register"])
        except ModuleNotFoundError:
            continue
        module.register(sub)
    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing half-written (data/tidy is replaced only as a whole)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
