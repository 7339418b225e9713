"""Command line: `python -m fixture_root build --catalogue {test,demo,bench} --out DIR [--reuse] [--quiet]`,
`python -m fixture_root conda-made --conda CONDA --test-root DIR --out DIR` (environments made by the real conda
CLI from a built test root's channels), and `python -m fixture_root env DIR` (the variables to export)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from .builder import build_root
from .conda_made import build_conda_root
from .manifest import load_manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fixture_root", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build (or with --reuse, keep) a fixture conda root")
    build.add_argument("--catalogue", choices=("test", "demo", "bench"), required=True)
    build.add_argument("--out", type=Path, required=True)
    build.add_argument(
        "--reuse", action="store_true", help="keep OUT when its manifest matches this catalogue and code"
    )
    build.add_argument("--quiet", action="store_true")
    made = sub.add_parser("conda-made", help="make (or keep) a conda root whose environments real conda made")
    made.add_argument("--conda", type=Path, required=True, help="the real conda CLI")
    made.add_argument("--test-root", type=Path, required=True, help="a built test root (its channels are used)")
    made.add_argument("--out", type=Path, required=True)
    made.add_argument("--quiet", action="store_true")
    env = sub.add_parser("env", help="print `export`/`unset` lines for a built root's manifest")
    env.add_argument("out", type=Path)
    args = parser.parse_args(argv)

    if args.command == "build":
        log = None if args.quiet else (lambda msg: print(f"fixture_root: {msg}", file=sys.stderr, flush=True))
        manifest = build_root(args.catalogue, args.out, reuse=args.reuse, log=log)
        print(Path(manifest["fixture_dir"]) / "manifest.json")
        return 0
    if args.command == "conda-made":
        log = None if args.quiet else (lambda msg: print(f"fixture_root: {msg}", file=sys.stderr, flush=True))
        build_conda_root(args.out, args.conda, args.test_root, log=log)
        print(Path(args.out).resolve() / "manifest.json")
        return 0
    for key, value in load_manifest(args.out)["env"].items():
        print(f"export {key}={shlex.quote(value)}" if value else f"unset {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
