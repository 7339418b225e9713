"""Kernel figures: start-to-first-cell of an environment kernel against a plain kernelspec running the same
interpreter, and the kernelspec listing against jupyter_client's default manager, in the same run.

Kernels start through jupyter_client's AsyncKernelManager, as the server starts them. Runs alternate between the
two kernelspecs so that drift in the machine's load affects both alike.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager

from jupyterlab_conda_envs.kernels.kernelspec_manager import CondaEnvsKernelSpecManager

from .timing import median_ms

REPEAT_KERNEL = 10
REPEAT_LISTING = 20


@contextmanager
def applied_environ(env: dict[str, str | None]) -> Iterator[None]:
    saved = dict(os.environ)
    try:
        for key, value in env.items():
            if value:
                os.environ[key] = value
            else:
                os.environ.pop(key, None)
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


async def _first_cell_ms(manager: KernelSpecManager, name: str) -> float:
    started = time.perf_counter()
    km = AsyncKernelManager(kernel_name=name, kernel_spec_manager=manager)
    await km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = km.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        reply = await client.execute_interactive("1 + 1", timeout=60, output_hook=lambda _msg: None)
        assert reply["content"]["status"] == "ok"
        return (time.perf_counter() - started) * 1000
    finally:
        client.stop_channels()
        await km.shutdown_kernel(now=True)


def _plain_manager(python: str, folder: Path) -> KernelSpecManager:
    spec_dir = folder / "kernels" / "plain"
    spec_dir.mkdir(parents=True)
    spec = {"argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"], "language": "python"}
    (spec_dir / "kernel.json").write_text(json.dumps({**spec, "display_name": "plain"}))
    return KernelSpecManager(kernel_dirs=[str(folder / "kernels")], ensure_native_kernel=False)


def kernel_start(test_manifest: dict[str, Any]) -> list[tuple[str, float, float]]:
    """(label, median ms, ratio to the plain kernelspec) for the runnable env, and for the env with activate.d."""
    runnable = next(e for e in test_manifest["envs"] if e["name"] == "runnable")
    python = os.path.join(runnable["prefix"], "bin", "python")
    with applied_environ(test_manifest["env"]), tempfile.TemporaryDirectory() as tmp:
        ours = CondaEnvsKernelSpecManager()
        plain = _plain_manager(python, Path(tmp))
        ours_ms: list[float] = []
        plain_ms: list[float] = []
        hooks_ms: list[float] = []
        has_hooks = "conda-env-gpu_vars-py" in ours.find_kernel_specs()
        for _ in range(REPEAT_KERNEL):
            plain_ms.append(asyncio.run(_first_cell_ms(plain, "plain")))
            ours_ms.append(asyncio.run(_first_cell_ms(ours, "conda-env-runnable-py")))
            if has_hooks:
                hooks_ms.append(asyncio.run(_first_cell_ms(ours, "conda-env-gpu_vars-py")))
    reference = statistics.median(plain_ms)
    rows = [
        ("plain kernelspec, same interpreter", reference, 1.0),
        ("environment kernel (variables only)", statistics.median(ours_ms), statistics.median(ours_ms) / reference),
    ]
    if hooks_ms:
        hooks = statistics.median(hooks_ms)
        rows.append(("environment kernel with activate.d", hooks, hooks / reference))
    return rows


def _installed_copies(specs: dict[str, Any], folder: Path) -> KernelSpecManager:
    """The same kernels written as kernel.json files, as `ipykernel install` once per environment would leave them."""
    for name, entry in specs.items():
        spec_dir = folder / name
        spec_dir.mkdir(parents=True)
        (spec_dir / "kernel.json").write_text(json.dumps(entry["spec"]))
    return KernelSpecManager(kernel_dirs=[str(folder)], ensure_native_kernel=False)


def kernelspec_listing(
    bench_manifest: dict[str, Any], touch: Callable[[list[str]], None]
) -> list[tuple[str, float, float, int]]:
    """(label, median ms, ratio to the reference, kernel count) for `get_all_specs()` over the bench root.

    Reference: jupyter_client's default manager listing the same kernels installed as kernel.json files."""
    prefixes = [os.path.realpath(e["prefix"]) for e in bench_manifest["envs"]]
    with applied_environ(bench_manifest["env"]), tempfile.TemporaryDirectory() as tmp:
        ours = CondaEnvsKernelSpecManager()
        specs = ours.get_all_specs()
        reference = _installed_copies(specs, Path(tmp))
        reference_ms = median_ms(reference.get_all_specs, REPEAT_LISTING)
        count_reference = len(reference.get_all_specs())
        warm = median_ms(ours.get_all_specs, REPEAT_LISTING)

        def cold() -> None:
            touch(prefixes)
            ours.get_all_specs()

        cold_ms = median_ms(cold, REPEAT_LISTING // 2)
    return [
        ("default manager, same kernels on disk", reference_ms, 1.0, count_reference),
        ("ours, warm", warm, warm / reference_ms, len(specs)),
        ("ours, every env changed", cold_ms, cold_ms / reference_ms, len(specs)),
    ]
