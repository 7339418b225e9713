"""Listing, package and export latency through the real server, beside rattler reading the same records in the same
run.

    python -m benchmarks [--out .bench-root]

Cold = the extension's cache invalidated (as conda does: conda-meta/history touched) before the request, with the
operating system's file cache warm, exactly as for the rattler reference. Figures are medians.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import rattler

from fixture_root import build_root, load_manifest

from . import create, gator, kernels
from .server import Server, environ_for
from .timing import median_ms

REPEAT_COLD = 9
REPEAT_WARM = 20


def _records(prefix: str) -> list[Path]:
    return sorted((Path(prefix) / "conda-meta").glob("*.json"))


def _read_with_rattler(paths: list[Path]) -> None:
    for path in paths:
        rattler.PrefixRecord.from_path(path)


def _touch_history(prefixes: list[str]) -> None:
    now = time.time()
    for prefix in prefixes:
        history = os.path.join(prefix, "conda-meta", "history")
        os.utime(history, (now, now + (time.monotonic_ns() % 1000) / 1000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=".bench-root", help="where the 30-environment root is built (reused)")
    parser.add_argument("--test-root", default=".fixture-root/test", help="the test root (its runnable envs)")
    args = parser.parse_args()
    out = Path(args.out).resolve()
    build_root("bench", out, reuse=True)
    manifest = load_manifest(out)
    prefixes = [os.path.realpath(e["prefix"]) for e in manifest["envs"]]
    largest = max(prefixes, key=lambda p: len(_records(p)))
    all_records = [p for prefix in prefixes for p in _records(prefix)]
    largest_records = _records(largest)

    with (
        tempfile.TemporaryDirectory() as tmp,
        Server(environ_for(manifest["env"]), Path(tmp), Path(tmp) / "server.log") as server,
    ):
        first_ms, listing = server.timed_get("conda-envs/environments")
        env_id = next(e["id"] for e in listing["environments"] if e["prefix"] == largest)
        packages_path = f"conda-envs/environments/{env_id}/packages"

        def cold_listing() -> None:
            _touch_history(prefixes)
            server.get("conda-envs/environments")

        def cold_packages() -> None:
            _touch_history([largest])
            server.get(packages_path)

        export_path = f"conda-envs/environments/{env_id}/export?mode="

        def cold_export(mode: str) -> Callable[[], object]:
            def run() -> None:
                _touch_history([largest])
                server.get_text(export_path + mode)

            return run

        server.get(packages_path)
        rows = [
            ("listing, first request after start", first_ms),
            ("listing, cold", median_ms(cold_listing, REPEAT_COLD)),
            ("listing, warm", median_ms(lambda: server.get("conda-envs/environments"), REPEAT_WARM)),
            ("packages of the largest env, cold", median_ms(cold_packages, REPEAT_COLD)),
            ("packages of the largest env, warm", median_ms(lambda: server.get(packages_path), REPEAT_WARM)),
            # The export renders from the same cached inventory; `history` also reads conda-meta/history.
            ("export full, largest env, cold", median_ms(cold_export("full"), REPEAT_COLD)),
            ("export full, largest env, warm", median_ms(lambda: server.get_text(export_path + "full"), REPEAT_WARM)),
            (
                "export history, largest env, warm",
                median_ms(lambda: server.get_text(export_path + "history"), REPEAT_WARM),
            ),
            (
                "export explicit, largest env, warm",
                median_ms(lambda: server.get_text(export_path + "explicit"), REPEAT_WARM),
            ),
        ]
    listing_rows = kernels.kernelspec_listing(dict(manifest), _touch_history)
    test_out = Path(args.test_root).resolve()
    build_root("test", test_out, reuse=True)
    start_rows = kernels.kernel_start(dict(load_manifest(test_out)))
    create_rows = create.create_rows(dict(load_manifest(test_out)))
    gator_rows, gator_what = gator.gator_rows(out / "gator", dict(load_manifest(test_out)))
    ref_all = median_ms(lambda: _read_with_rattler(all_records), REPEAT_COLD)
    ref_largest = median_ms(lambda: _read_with_rattler(largest_records), REPEAT_COLD)

    print(f"root: {len(prefixes)} environments, {len(all_records)} conda records; largest env {len(largest_records)}")
    print(f"reference: rattler.PrefixRecord.from_path, all records {ref_all:.1f} ms, largest env {ref_largest:.1f} ms")
    print(f"{'measure':<40} {'ms':>9} {'x reference':>12}")
    for label, ms in rows:
        reference = ref_all if label.startswith("listing") else ref_largest
        print(f"{label:<40} {ms:>9.1f} {ms / reference:>12.2f}")
    print("\nkernelspec listing (get_all_specs), same root; reference: the same kernels as kernel.json files")
    print(f"{'measure':<40} {'ms':>9} {'x reference':>12} {'kernels':>8}")
    for label, ms, ratio, count in listing_rows:
        print(f"{label:<40} {ms:>9.2f} {ratio:>12.2f} {count:>8}")
    print(f"\nkernel start to first executed cell, median of {kernels.REPEAT_KERNEL} (test root's runnable env)")
    print(f"{'measure':<40} {'ms':>9} {'x reference':>12}")
    for label, ms, ratio in start_rows:
        print(f"{label:<40} {ms:>9.1f} {ratio:>12.2f}")
    print(f"\ncreate from environment.yml, median of {create.REPEAT_CREATE} (test root's local channels, warm cache)")
    print(f"{'measure':<48} {'ms':>9} {'x reference':>12}")
    for label, ms, ratio in create_rows:
        print(f"{label:<48} {ms:>9.1f} {ratio:>12.2f}")

    gator.print_rows(gator_rows, gator_what)


if __name__ == "__main__":
    main()
