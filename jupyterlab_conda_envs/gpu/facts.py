"""This machine's NVIDIA driver and GPUs, as facts (the judgement is the frontend's, `src/compat/`).

Detection order (reference/cuda-compat.md §A): NVML through nvidia-ml-py (optional; full facts), the kernel module's
version in `/sys/module/nvidia/version` then `/proc/driver/nvidia/version` (driver version only), then `nvidia-smi`
(banner for the driver's maximum CUDA, CSV query for the GPUs; a bounded wait; retried without `compute_cap` for old
drivers that reject the whole query). Every attempt is recorded with what it said, so "no NVIDIA GPU" comes with
its reason. Nothing here raises: a failure is an attempt that did not work.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ..core.files import read_regular
from ..core.process import run_bounded

Method = Literal["nvml", "sysfs", "procfs", "nvidia-smi", "file"]

_DRIVER = re.compile(r"Driver Version:\s*([\d.]+)")
_CUDA = re.compile(r"CUDA Version:\s*([\d.]+)")
_PROC_VERSION = re.compile(r"Kernel Module(?:\s+for\s+\S+)?\s+([\d.]+)")
_VERSION = re.compile(r"^\d+(\.\d+)+$")
_QUERY_FIELDS = ("index", "name", "memory.total", "compute_cap")
_OUTPUT_MAX = 256 * 1024


@dataclass
class GpuDevice:
    index: int
    name: str
    memory_mib: int | None
    compute_capability: str | None


@dataclass
class DetectionAttempt:
    method: Method
    ok: bool
    detail: str


@dataclass
class GpuFacts:
    available: bool = False
    reason: str | None = None
    driver_version: str | None = None
    cuda_driver_version: str | None = None
    gpus: list[GpuDevice] = field(default_factory=list)
    detected_by: Method | None = None
    attempts: list[DetectionAttempt] = field(default_factory=list)
    simulated: bool = False


@dataclass(frozen=True)
class DetectionSources:
    """Where detection looks; tests point these at recorded outputs and stand-ins."""

    sysfs_version: str = "/sys/module/nvidia/version"
    procfs_version: str = "/proc/driver/nvidia/version"
    path: str | None = None  # PATH to find nvidia-smi on (None: the process's)
    nvidia_smi_timeout: float = 5.0
    use_nvml: bool = True


# -- parsers (pure, tested on recorded outputs) --------------------------------------------------------------------
def parse_banner(text: str) -> tuple[str | None, str | None]:
    """(driver version, max CUDA of the driver) from plain `nvidia-smi` output."""
    driver = _DRIVER.search(text)
    cuda = _CUDA.search(text)
    found_driver = driver.group(1) if driver and _VERSION.match(driver.group(1)) else None
    found_cuda = cuda.group(1) if cuda and _VERSION.match(cuda.group(1)) else None
    return found_driver, found_cuda


def parse_proc_version(text: str) -> str | None:
    """`NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.65.06  Sun Jul 27 …` → `580.65.06`."""
    match = _PROC_VERSION.search(text)
    return match.group(1) if match else None


def _memory_mib(value: str) -> int | None:
    number = value.replace("MiB", "").strip()
    return int(number) if number.isdigit() else None


def parse_query_csv(text: str, fields: tuple[str, ...]) -> list[GpuDevice]:
    """GPUs from `--query-gpu=<fields> --format=csv,noheader,nounits`. Raises ValueError on anything else."""
    devices: list[GpuDevice] = []
    for line in text.strip().splitlines():
        cells = [c.strip() for c in line.split(",")]
        if len(cells) != len(fields):
            raise ValueError(f"unexpected nvidia-smi line: {line[:120]!r}")
        row = dict(zip(fields, cells, strict=True))
        if not row["index"].isdigit():
            raise ValueError(f"unexpected nvidia-smi line: {line[:120]!r}")
        cap = row.get("compute_cap")
        devices.append(
            GpuDevice(
                index=int(row["index"]),
                name=row["name"],
                memory_mib=_memory_mib(row["memory.total"]),
                compute_capability=cap if cap and re.fullmatch(r"\d+\.\d+", cap) else None,
            )
        )
    if not devices:
        raise ValueError("nvidia-smi listed no GPU")
    return devices


# -- the methods ----------------------------------------------------------------------------------------------------
def _cuda_from_int(value: int) -> str:
    return f"{value // 1000}.{(value % 1000) // 10}"


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _nvml(facts: GpuFacts) -> bool:
    try:
        import pynvml  # nvidia-ml-py: optional (`pip install jupyterlab-conda-envs[gpu]`)
    except ImportError:
        facts.attempts.append(DetectionAttempt("nvml", False, "nvidia-ml-py is not installed"))
        return False
    try:
        pynvml.nvmlInit()
    except Exception as err:  # NVMLError_LibraryNotFound, _DriverNotLoaded, ...
        facts.attempts.append(DetectionAttempt("nvml", False, f"{type(err).__name__}: {err}"))
        return False
    try:
        facts.driver_version = _text(pynvml.nvmlSystemGetDriverVersion())
        try:
            facts.cuda_driver_version = _cuda_from_int(pynvml.nvmlSystemGetCudaDriverVersion_v2())
        except Exception:
            facts.cuda_driver_version = _cuda_from_int(pynvml.nvmlSystemGetCudaDriverVersion())
        for index in range(pynvml.nvmlDeviceGetCount()):
            # One device that cannot answer (a MIG slice, a fallen-off GPU) must not drop the others.
            try:
                handle = pynvml.nvmlDeviceGetHandleByIndex(index)
                name = _text(pynvml.nvmlDeviceGetName(handle))
            except Exception as err:
                facts.attempts.append(DetectionAttempt("nvml", False, f"GPU {index}: {type(err).__name__}: {err}"))
                continue
            cap: str | None
            try:
                major, minor = pynvml.nvmlDeviceGetCudaComputeCapability(handle)
                cap = f"{major}.{minor}"
            except Exception:
                cap = None
            try:
                memory: int | None = pynvml.nvmlDeviceGetMemoryInfo(handle).total // (1024 * 1024)
            except Exception:
                memory = None
            facts.gpus.append(GpuDevice(index, name, memory, cap))
        facts.attempts.append(DetectionAttempt("nvml", True, f"driver {facts.driver_version}"))
        return True
    except Exception as err:
        facts.attempts.append(DetectionAttempt("nvml", False, f"{type(err).__name__}: {err}"))
        return False
    finally:
        try:
            pynvml.nvmlShutdown()
        except Exception:
            pass


def _module_version(facts: GpuFacts, sources: DetectionSources) -> None:
    places: tuple[tuple[Method, str], ...] = (("sysfs", sources.sysfs_version), ("procfs", sources.procfs_version))
    for method, path in places:
        try:
            text = _read_kernel_file(path)
        except FileNotFoundError:
            facts.attempts.append(DetectionAttempt(method, False, f"{path} does not exist (no NVIDIA kernel module)"))
            continue
        except OSError as err:
            facts.attempts.append(DetectionAttempt(method, False, f"cannot read {path}: {err}"))
            continue
        version = text.strip() if method == "sysfs" else parse_proc_version(text)
        if version and _VERSION.match(version):
            facts.attempts.append(DetectionAttempt(method, True, f"driver {version}"))
            facts.driver_version = facts.driver_version or version
            facts.detected_by = facts.detected_by or method
            return
        facts.attempts.append(DetectionAttempt(method, False, f"unexpected content in {path}"))


def _read_kernel_file(path: str, limit: int = 64 * 1024) -> str:
    """/proc and /sys files report a size of 0 (or a page): read until end of file, up to `limit`."""
    with open(path, "rb") as f:
        return f.read(limit).decode("utf-8", "replace")


def _run(argv: list[str], timeout: float) -> tuple[int, str]:
    """(exit status, stdout+stderr), bounded in time and size; raises subprocess.TimeoutExpired at the deadline."""
    done = run_bounded(argv, timeout, limit=_OUTPUT_MAX)
    if done.timed_out or done.returncode is None:
        raise subprocess.TimeoutExpired(argv, timeout)
    return done.returncode, done.stdout + done.stderr


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0][:300] if lines else "(no output)"


def _nvidia_smi(facts: GpuFacts, sources: DetectionSources) -> None:
    # Only absolute PATH entries: an empty or relative one would resolve against the server's working folder.
    entries = (sources.path or os.environ.get("PATH", "")).split(os.pathsep)
    path = os.pathsep.join(p for p in entries if os.path.isabs(p))
    exe = shutil.which("nvidia-smi", path=path) if path else None
    if exe is None:
        facts.attempts.append(DetectionAttempt("nvidia-smi", False, "nvidia-smi not found on PATH"))
        return
    try:
        code, out = _run([exe], sources.nvidia_smi_timeout)
    except subprocess.TimeoutExpired:
        facts.attempts.append(
            DetectionAttempt("nvidia-smi", False, f"no answer within {sources.nvidia_smi_timeout:g} s")
        )
        return
    except OSError as err:
        facts.attempts.append(DetectionAttempt("nvidia-smi", False, f"cannot run: {err}"))
        return
    driver, cuda = parse_banner(out)
    if code != 0 or driver is None:
        facts.attempts.append(DetectionAttempt("nvidia-smi", False, f"exit {code}: {_first_line(out)}"))
        return
    facts.driver_version = facts.driver_version or driver
    facts.cuda_driver_version = facts.cuda_driver_version or cuda
    fields: tuple[str, ...] = _QUERY_FIELDS
    for _ in range(2):
        query = [exe, f"--query-gpu={','.join(fields)}", "--format=csv,noheader,nounits"]
        try:
            code, out = _run(query, sources.nvidia_smi_timeout)
        except (subprocess.TimeoutExpired, OSError) as err:
            facts.attempts.append(DetectionAttempt("nvidia-smi", False, f"GPU query: {type(err).__name__}"))
            return
        if code != 0 and "compute_cap" in out and "compute_cap" in fields:
            # Drivers up to R470 reject the whole query for this one field.
            fields = tuple(f for f in fields if f != "compute_cap")
            continue
        try:
            facts.gpus = parse_query_csv(out, fields) if code == 0 else []
        except ValueError as err:
            facts.attempts.append(DetectionAttempt("nvidia-smi", False, str(err)))
            return
        if code != 0:
            facts.attempts.append(DetectionAttempt("nvidia-smi", False, f"GPU query exit {code}: {_first_line(out)}"))
            return
        break
    note = "" if "compute_cap" in fields else " (this driver has no compute_cap field)"
    facts.attempts.append(DetectionAttempt("nvidia-smi", True, f"driver {driver}, {len(facts.gpus)} GPU(s){note}"))
    facts.detected_by = facts.detected_by or "nvidia-smi"


def detect(sources: DetectionSources | None = None) -> GpuFacts:
    sources = sources or DetectionSources()
    facts = GpuFacts()
    if sources.use_nvml and _nvml(facts):
        facts.detected_by = "nvml"
    else:
        _module_version(facts, sources)
        _nvidia_smi(facts, sources)
    facts.available = bool(facts.gpus)
    if not facts.available:
        failed = "; ".join(f"{a.method}: {a.detail}" for a in facts.attempts if not a.ok)
        if facts.driver_version:
            facts.reason = f"an NVIDIA driver ({facts.driver_version}) is installed but no GPU answered — {failed}"
        else:
            facts.reason = f"no NVIDIA GPU: {failed}"
    return facts


def load_simulated(path: str) -> GpuFacts:
    try:
        return _load_simulated(path)
    except (TypeError, KeyError, AttributeError) as err:
        raise ValueError(f"unexpected content: {err}") from None


def _load_simulated(path: str) -> GpuFacts:
    """GPU facts from a JSON file (c.CondaEnvs.gpu_facts_file), for demos and UI tests; always labelled simulated."""
    data = json.loads(read_regular(path, 1024 * 1024))
    if not isinstance(data, Mapping):
        raise ValueError("the GPU facts file must hold a JSON object")
    gpus = [
        GpuDevice(
            index=int(g.get("index", i)),
            name=str(g.get("name", "")),
            memory_mib=int(g["memory_mib"]) if g.get("memory_mib") is not None else None,
            compute_capability=str(g["compute_capability"]) if g.get("compute_capability") else None,
        )
        for i, g in enumerate(data.get("gpus") or [])
        if isinstance(g, Mapping)
    ]
    driver = data.get("driver_version")
    cuda = data.get("cuda_driver_version")
    facts = GpuFacts(
        available=bool(gpus),
        driver_version=str(driver) if driver else None,
        cuda_driver_version=str(cuda) if cuda else None,
        gpus=gpus,
        detected_by="file",
        attempts=[DetectionAttempt("file", True, f"simulated from {os.path.basename(path)}")],
        simulated=True,
    )
    if not gpus:
        facts.reason = str(data.get("reason") or "no NVIDIA GPU (simulated)")
    return facts
