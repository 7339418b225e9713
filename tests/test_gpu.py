"""GPU detection from recorded outputs, a stand-in nvidia-smi on PATH, and GET /conda-envs/system."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_conda_envs.gpu.facts import (
    DetectionSources,
    detect,
    parse_banner,
    parse_proc_version,
    parse_query_csv,
)
from jupyterlab_conda_envs.gpu.system import SystemFacts, conda_subdir

RECORDED = Path(__file__).parent / "fixtures" / "gpu"
FIELDS = ("index", "name", "memory.total", "compute_cap")


def test_parse_the_banner() -> None:
    assert parse_banner((RECORDED / "h100.banner.txt").read_text()) == ("580.159.04", "13.0")
    assert parse_banner((RECORDED / "r470.banner.txt").read_text()) == ("470.182.03", "11.4")
    assert parse_banner((RECORDED / "no-driver.txt").read_text()) == (None, None)


def test_parse_the_query() -> None:
    (h100,) = parse_query_csv((RECORDED / "h100.query.csv").read_text(), FIELDS)
    facts = (h100.index, h100.name, h100.memory_mib, h100.compute_capability)
    assert facts == (0, "NVIDIA H100 80GB HBM3", 81559, "9.0")
    h200 = parse_query_csv((RECORDED / "h200x2.query.csv").read_text(), FIELDS)
    assert [(g.index, g.memory_mib) for g in h200] == [(0, 143771), (1, 143771)]
    (t4,) = parse_query_csv((RECORDED / "r470.query.csv").read_text(), FIELDS[:3])
    assert t4.compute_capability is None and t4.memory_mib == 15109
    # With units (the man page's default) the memory still parses.
    (unit,) = parse_query_csv("0, NVIDIA A100-SXM4-40GB, 40960 MiB, 8.0\n", FIELDS)
    assert unit.memory_mib == 40960


@pytest.mark.parametrize(
    "text", ["", "garbage", "0, only two", "x, NVIDIA H100, 81559, 9.0", (RECORDED / "no-driver.txt").read_text()]
)
def test_odd_query_output_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_query_csv(text, FIELDS)


def test_parse_proc_version() -> None:
    assert parse_proc_version((RECORDED / "proc-version.txt").read_text()) == "580.65.06"
    assert parse_proc_version("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  575.57.08  Release Build") == (
        "575.57.08"
    )
    assert parse_proc_version("nothing here") is None


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding only a stand-in `nvidia-smi`, to put on PATH."""
    folder = tmp_path / "bin"
    folder.mkdir()
    exe = folder / "nvidia-smi"
    exe.write_text(f"#!{sys.executable}\n" + (RECORDED / "stand_in_nvidia_smi.py").read_text())
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("NVIDIA_SMI_RECORDED", str(RECORDED))
    return folder


def _sources(tmp_path: Path, path: Path | None, *, module: bool = False, timeout: float = 10.0) -> DetectionSources:
    sysfs = tmp_path / "sys-version"
    procfs = tmp_path / "proc-version"
    if module:
        sysfs.write_text((RECORDED / "sys-version.txt").read_text())
        procfs.write_text((RECORDED / "proc-version.txt").read_text())
    return DetectionSources(
        sysfs_version=str(sysfs),
        procfs_version=str(procfs),
        path=str(path) if path else str(tmp_path / "empty"),
        nvidia_smi_timeout=timeout,
        use_nvml=False,
    )


def test_an_h100_through_nvidia_smi(tmp_path: Path, stand_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NVIDIA_SMI_STANDIN", "h100")
    facts = detect(_sources(tmp_path, stand_in))
    assert facts.available and facts.reason is None
    assert (facts.driver_version, facts.cuda_driver_version, facts.detected_by) == ("580.159.04", "13.0", "nvidia-smi")
    gpus = [(g.name, g.memory_mib, g.compute_capability) for g in facts.gpus]
    assert gpus == [("NVIDIA H100 80GB HBM3", 81559, "9.0")]
    assert [a.method for a in facts.attempts] == ["sysfs", "procfs", "nvidia-smi"]


def test_the_kernel_module_files_come_first(tmp_path: Path, stand_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NVIDIA_SMI_STANDIN", "h200x2")
    facts = detect(_sources(tmp_path, stand_in, module=True))
    assert facts.detected_by == "sysfs"
    assert facts.driver_version == "580.65.06"  # the module's own, as /sys says
    assert facts.cuda_driver_version == "13.0" and len(facts.gpus) == 2


def test_proc_when_sys_is_missing(tmp_path: Path) -> None:
    sources = _sources(tmp_path, None)
    (tmp_path / "proc-version").write_text((RECORDED / "proc-version.txt").read_text())
    facts = detect(sources)
    assert (facts.driver_version, facts.detected_by) == ("580.65.06", "procfs")
    assert not facts.available
    assert "installed but no GPU answered" in (facts.reason or "")


def test_an_old_driver_without_compute_cap(tmp_path: Path, stand_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NVIDIA_SMI_STANDIN", "r470")
    facts = detect(_sources(tmp_path, stand_in))
    assert facts.available
    assert [(g.name, g.compute_capability) for g in facts.gpus] == [("Tesla T4", None)]
    assert facts.cuda_driver_version == "11.4"
    assert "no compute_cap field" in facts.attempts[-1].detail


def test_no_nvidia_smi_and_no_module(tmp_path: Path) -> None:
    facts = detect(_sources(tmp_path, None))
    assert not facts.available
    assert facts.reason is not None and facts.reason.startswith("no NVIDIA GPU")
    assert "nvidia-smi not found on PATH" in facts.reason
    assert "no NVIDIA kernel module" in facts.reason


def test_the_driver_cannot_be_reached(tmp_path: Path, stand_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NVIDIA_SMI_STANDIN", "no-driver")
    facts = detect(_sources(tmp_path, stand_in))
    assert not facts.available
    assert "exit 9" in (facts.reason or "") and "couldn't communicate with the NVIDIA driver" in (facts.reason or "")


def test_a_hanging_nvidia_smi_is_given_up_on(tmp_path: Path, stand_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NVIDIA_SMI_STANDIN", "hang")
    started = time.monotonic()
    facts = detect(_sources(tmp_path, stand_in, timeout=1.0))
    assert time.monotonic() - started < 8
    assert not facts.available and "no answer within 1 s" in (facts.reason or "")


def test_garbage(tmp_path: Path, stand_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NVIDIA_SMI_STANDIN", "garbage")
    facts = detect(_sources(tmp_path, stand_in))
    assert not facts.available and facts.driver_version is None
    assert facts.attempts[-1].method == "nvidia-smi" and not facts.attempts[-1].ok


def _nvml_works() -> bool:
    try:
        import pynvml

        pynvml.nvmlInit()
        pynvml.nvmlShutdown()
        return True
    except Exception:
        return False


def test_nvml_missing_falls_back(tmp_path: Path, stand_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NVIDIA_SMI_STANDIN", "h100")
    sources = _sources(tmp_path, stand_in)
    with_nvml = DetectionSources(**{**sources.__dict__, "use_nvml": True})
    facts = detect(with_nvml)
    if _nvml_works():  # a GPU machine: NVML answers and nothing else is asked
        assert facts.detected_by == "nvml" and facts.attempts[0].ok
    else:
        # nvidia-ml-py is installed here, but no libnvidia-ml exists: NVML's own error, then the other methods.
        assert facts.attempts[0].method == "nvml" and not facts.attempts[0].ok
        assert "NVML Shared Library Not Found" in facts.attempts[0].detail
        assert facts.available and facts.detected_by == "nvidia-smi"
    # And without the package at all.
    monkeypatch.setitem(sys.modules, "pynvml", None)
    facts = detect(with_nvml)
    assert facts.attempts[0].detail == "nvidia-ml-py is not installed"
    assert facts.available


@pytest.mark.parametrize(
    ("system", "machine", "subdir"),
    [
        ("Linux", "x86_64", "linux-64"),
        ("Linux", "aarch64", "linux-aarch64"),
        ("Darwin", "arm64", "osx-arm64"),
        ("Windows", "AMD64", "win-64"),
    ],
)
def test_conda_subdir(system: str, machine: str, subdir: str) -> None:
    assert conda_subdir(system, machine) == subdir


# -- the route ------------------------------------------------------------------------------------------------------
SIMULATED = {
    "driver_version": "525.60.13",
    "cuda_driver_version": "12.0",
    "gpus": [{"index": 0, "name": "NVIDIA A100-SXM4-40GB", "memory_mib": 40960, "compute_capability": "8.0"}],
}


SERVER = {"jpserver_extensions": {"jupyterlab_conda_envs": True}, "allow_unauthenticated_access": False}


class TestSystemRoute:
    @pytest.fixture
    def jp_server_config(self, conda_environ: Any, tmp_path: Path) -> dict[str, Any]:
        facts = tmp_path / "gpu-facts.json"
        facts.write_text(json.dumps(SIMULATED))
        return {
            "ServerApp": SERVER,
            "CondaEnvs": {"gpu_facts_file": str(facts)},
        }

    async def test_simulated_facts_are_labelled(self, jp_fetch: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CONDA_OVERRIDE_CUDA", "12.8")
        data = json.loads((await jp_fetch("conda-envs", "system")).body)
        assert data["gpu"]["simulated"] is True and data["gpu"]["detected_by"] == "file"
        assert data["gpu"]["gpus"][0]["name"] == "NVIDIA A100-SXM4-40GB"
        assert data["gpu"]["driver_version"] == "525.60.13"
        assert data["conda_override_cuda"] == "12.8"
        assert set(data["platform"]) == {"system", "machine", "conda_subdir"}


class TestSystemRouteDetecting:
    @pytest.fixture
    def jp_server_config(self, conda_environ: Any) -> dict[str, Any]:
        return {
            "ServerApp": SERVER,
            "CondaEnvs": {"nvidia_smi_timeout": 3.0},
        }

    async def test_detection_does_not_block_the_server(
        self, jp_fetch: Any, stand_in: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        monkeypatch.setenv("NVIDIA_SMI_STANDIN", "hang")
        # Hermetic on a GPU machine too: no NVML, and the kernel module files only say which driver is installed.
        monkeypatch.setitem(sys.modules, "pynvml", None)
        conda = stand_in / "conda"
        conda.write_text("#!/bin/sh\nexit 0\n")
        conda.chmod(0o755)
        monkeypatch.setenv("PATH", f"{stand_in}:/usr/bin:/bin")
        slow = asyncio.ensure_future(jp_fetch("conda-envs", "system"))
        await asyncio.sleep(0.3)
        started = time.monotonic()
        await jp_fetch("conda-envs", "environments")
        assert time.monotonic() - started < 2.5, "the listing waited for nvidia-smi"
        data = json.loads((await slow).body)
        assert data["gpu"]["available"] is False and "no answer within 3 s" in data["gpu"]["reason"]
        assert {"name": "conda", "path": str(conda), "source": "PATH"} in data["tools"]
        assert data["conda_override_cuda"] is None


def test_kernel_files_are_read_to_the_end(tmp_path: Path) -> None:
    # /proc files report a size of 0; the real /proc/version must still be read whole.
    sources = DetectionSources(
        sysfs_version=str(tmp_path / "absent"),
        procfs_version="/proc/version",
        path=str(tmp_path / "empty"),
        use_nvml=False,
    )
    facts = detect(sources)
    procfs = next(a for a in facts.attempts if a.method == "procfs")
    # Not an NVIDIA module, but its content was read: the attempt says it was unexpected, not empty/unreadable.
    assert procfs.detail == "unexpected content in /proc/version"


def test_relative_path_entries_are_not_searched(
    tmp_path: Path, stand_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NVIDIA_SMI_STANDIN", "h100")
    monkeypatch.chdir(stand_in.parent)
    facts = detect(
        DetectionSources(
            sysfs_version=str(tmp_path / "absent"),
            procfs_version=str(tmp_path / "absent"),
            path=f"{stand_in.name}{os.pathsep}",  # "bin" and "": both relative to the working folder
            use_nvml=False,
        )
    )
    assert not facts.available
    assert "nvidia-smi not found on PATH" in (facts.reason or "")


@pytest.mark.parametrize("content", ['{"gpus": 5}', '{"gpus": [{"index": null}]}', "[1, 2]", "not json"])
def test_a_malformed_simulated_file_is_an_error_not_a_crash(tmp_path: Path, content: str) -> None:
    path = tmp_path / "facts.json"
    path.write_text(content)
    system = SystemFacts(
        environ=lambda: {}, simulated_file=lambda: str(path), sources=DetectionSources, cache_seconds=0
    )
    gpu = system.gpu()
    assert gpu.simulated and not gpu.available
    assert "cannot read the simulated GPU facts" in (gpu.reason or "")
