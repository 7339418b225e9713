"""Package records read from real prefixes, cross-checked against rattler's own reader."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import rattler

from jupyterlab_conda_envs.core.urls import channel_display_name, mask_url
from jupyterlab_conda_envs.environments import records as conda_records
from jupyterlab_conda_envs.environments.inventory import Inventory
from jupyterlab_conda_envs.environments.package import Package

from .conftest import env_named


def _packages(prefix: str) -> tuple[list[Package], list[Any]]:
    result = Inventory(enabled=False).packages(os.path.realpath(prefix))
    return result.packages, result.errors


def _conda(packages: list[Package]) -> dict[str, Package]:
    return {p.name: p for p in packages if p.source == "conda"}


def _pip(packages: list[Package]) -> dict[str, Package]:
    return {p.normalized_name: p for p in packages if p.source == "pypi"}


def test_conda_records_match_rattler(conda_root: dict[str, Any]) -> None:
    checked = 0
    for env in conda_root["envs"]:
        if env["name"] == "corrupt_record":
            continue
        packages, errors = _packages(env["prefix"])
        assert errors == [], env["name"]
        ours = _conda(packages)
        meta = Path(env["prefix"]) / "conda-meta"
        files = sorted(meta.glob("*.json"))
        assert len(ours) == len(files), env["name"]
        for path in files:
            ref = rattler.PrefixRecord.from_path(path)
            mine = ours[ref.name.normalized]
            assert mine.version == str(ref.version)
            assert mine.build == str(ref.build)
            assert mine.build_number == ref.build_number
            assert mine.subdir == ref.subdir
            assert mine.depends == list(ref.depends)
            assert mine.constrains == list(ref.constrains)
            assert mine.size == ref.size
            assert mine.url == mask_url(str(ref.url))
            assert mine.channel == channel_display_name(str(ref.channel))
            checked += 1
    assert checked > 50


def test_glm_finetune_has_the_pytorch_channel_build_and_pip_packages(conda_root: dict[str, Any]) -> None:
    packages, _ = _packages(env_named(conda_root, "glm_finetune")["prefix"])
    conda = _conda(packages)
    assert conda["pytorch"].build == "py3.10_cuda11.8_cudnn8.7.0_0"
    assert conda["pytorch"].version == "2.1.0"
    assert any(d.startswith("pytorch-cuda") for d in conda["pytorch"].depends)
    assert conda["python"].version.startswith("3.10")
    pip = _pip(packages)
    assert {"transformers", "datasets", "accelerate", "peft", "bitsandbytes"} <= set(pip)
    transformers = pip["transformers"]
    assert (transformers.version, transformers.build, transformers.channel) == ("4.35.2", "pypi_0", "pypi")
    assert transformers.installer == "pip"
    assert any(r.startswith("huggingface-hub") for r in transformers.depends)
    assert not any(p.conflicts for p in packages)


def test_pip_numpy_shadowing_conda_numpy_is_a_conflict_on_both_sides(conda_root: dict[str, Any]) -> None:
    packages, _ = _packages(env_named(conda_root, "pip_shadow")["prefix"])
    numpy = [p for p in packages if p.normalized_name == "numpy"]
    assert [(p.source, p.version) for p in numpy] == [("conda", "1.24.3"), ("pypi", "1.26.4")]
    conda_np, pip_np = numpy
    assert [(c.name, c.version, c.source) for c in pip_np.conflicts] == [("numpy", "1.24.3", "conda")]
    assert [(c.name, c.version, c.source) for c in conda_np.conflicts] == [("numpy", "1.26.4", "pypi")]
    # conda's own dist-info for numpy 1.24.3 is not counted as a pip package.
    assert sum(1 for p in packages if p.source == "pypi" and p.normalized_name == "numpy") == 1


def test_conda_built_python_packages_are_not_pip_packages(conda_root: dict[str, Any]) -> None:
    packages, _ = _packages(env_named(conda_root, "cpu_only")["prefix"])
    assert [p.name for p in packages if p.source == "pypi"] == []


def test_editable_install_is_tagged(conda_root: dict[str, Any]) -> None:
    packages, _ = _packages(env_named(conda_root, "runnable")["prefix"])
    editable = [p for p in packages if p.editable]
    assert len(editable) == 1
    assert editable[0].source == "pypi"
    assert {"ipykernel"} <= {p.normalized_name for p in packages if p.source == "pypi"}


def test_corrupt_record_is_reported_and_the_rest_still_read(conda_root: dict[str, Any]) -> None:
    env = env_named(conda_root, "corrupt_record")
    packages, errors = _packages(env["prefix"])
    assert len(errors) == 1
    assert errors[0].file.startswith("conda-meta/") and errors[0].file.endswith(".json")
    assert "invalid JSON" in errors[0].message
    json_files = list((Path(env["prefix"]) / "conda-meta").glob("*.json"))
    assert len(_conda(packages)) == len(json_files) - 1
    summary = Inventory(enabled=False).summary(os.path.realpath(env["prefix"]))
    assert summary.conda_count == len(json_files)


def test_summary_agrees_with_the_package_list(conda_root: dict[str, Any]) -> None:
    for env in conda_root["envs"]:
        if env["name"] == "corrupt_record":
            continue
        prefix = os.path.realpath(env["prefix"])
        summary = Inventory(enabled=False).summary(prefix)
        packages, _ = _packages(prefix)
        assert summary.conda_count == len(_conda(packages)), env["name"]
        assert summary.pip_count == len(_pip(packages)), env["name"]
        assert summary.has_ipykernel == any(p.normalized_name == "ipykernel" for p in packages), env["name"]
        python = _conda(packages).get("python")
        assert summary.python_version == (python.version if python else None), env["name"]


def test_no_kernel_env_has_python_but_no_ipykernel(conda_root: dict[str, Any]) -> None:
    summary = Inventory(enabled=False).summary(os.path.realpath(env_named(conda_root, "no_kernel")["prefix"]))
    assert summary.python_version is not None
    assert summary.has_ipykernel is False


@pytest.fixture
def env_copy(conda_root: dict[str, Any], tmp_path: Path) -> Path:
    target = tmp_path / "env copy"  # a space in the prefix on purpose
    shutil.copytree(env_named(conda_root, "no_kernel")["prefix"], target, symlinks=True)
    return target


def test_cache_is_invalidated_by_a_real_pip_install(conda_root: dict[str, Any], env_copy: Path) -> None:
    inventory = Inventory(enabled=True)
    prefix = str(env_copy)
    first = inventory.summary(prefix)
    assert inventory.summary(prefix) is first  # warm: served from the cache
    packages = inventory.packages(prefix)
    assert inventory.packages(prefix) is packages
    site = next(env_copy.glob("lib/python*/site-packages"))
    wheels = conda_root["paths"]["wheels"]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-index",
            "--find-links",
            wheels,
            "--no-deps",
            "--target",
            str(site),
            "peft==0.7.1",
        ],
        check=True,
    )
    second = inventory.summary(prefix)
    assert second is not first
    assert second.pip_count == first.pip_count + 1
    assert "peft" in {p.normalized_name for p in inventory.packages(prefix).packages}


def test_cache_is_invalidated_by_a_conda_meta_change(env_copy: Path) -> None:
    inventory = Inventory(enabled=True)
    prefix = str(env_copy)
    first = inventory.summary(prefix)
    record = next((env_copy / "conda-meta").glob("python-*.json"))
    record.unlink()
    assert inventory.summary(prefix).conda_count == first.conda_count - 1


def test_oversized_and_non_object_records_are_refused(env_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    meta = env_copy / "conda-meta"
    python = next(meta.glob("python-*.json"))
    monkeypatch.setattr(conda_records, "MAX_RECORD_BYTES", 1024)
    _, errors = _packages(str(env_copy))
    assert any(e.file == f"conda-meta/{python.name}" and "larger than" in e.message for e in errors)
    monkeypatch.undo()
    ssl = next(p for p in meta.glob("*.json") if not p.name.startswith("python-"))
    ssl.write_text(json.dumps(["not", "an", "object"]), encoding="utf-8")
    _, errors = _packages(str(env_copy))
    assert [e.message for e in errors] == ["record is not a JSON object"]


def test_a_record_that_is_a_symlink_loop_is_reported(env_copy: Path) -> None:
    meta = env_copy / "conda-meta"
    (meta / "loop-1.0-0.json").symlink_to(meta / "loop-1.0-0.json")
    _, errors = _packages(str(env_copy))
    assert [e.file for e in errors] == ["conda-meta/loop-1.0-0.json"]


def test_html_in_package_metadata_is_returned_verbatim_as_data(conda_root: dict[str, Any], env_copy: Path) -> None:
    site = next(env_copy.glob("lib/python*/site-packages"))
    dist = site / "evil-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_bytes(
        b"Metadata-Version: 2.1\nName: <img src=x onerror=alert(1)>\nVersion: 1.0\n\n\xff\xfe body"
    )
    (dist / "INSTALLER").write_text("pip\n", encoding="utf-8")
    packages, _ = _packages(str(env_copy))
    evil = [p for p in packages if p.version == "1.0" and p.source == "pypi"]
    assert evil and evil[0].name == "<img src=x onerror=alert(1)>"


def _service_for(envs_dir: Path) -> Any:
    from jupyterlab_conda_envs.environments.discovery import DiscoveryOptions
    from jupyterlab_conda_envs.environments.service import EnvironmentService

    options = DiscoveryOptions(
        environ={}, home=str(envs_dir), server_prefix="/x", extra_env_dirs=[str(envs_dir)], system_condarc_dirs=()
    )
    return EnvironmentService(lambda: options)


def test_non_utf8_file_names_do_not_break_listing_or_packages(env_copy: Path, tmp_path: Path) -> None:
    # A prefix whose name is not UTF-8: its path reaches the JSON as lone surrogates.
    envs = tmp_path / os.fsdecode(b"envs-\xff")
    envs.mkdir()
    env_copy = Path(shutil.move(str(env_copy), envs / "odd"))
    site = next(env_copy.glob("lib/python*/site-packages"))
    odd = os.path.join(os.fsencode(site), b"caf\xe9-1.0.dist-info")
    os.mkdir(odd)
    with open(os.path.join(odd, b"METADATA"), "wb") as f:
        f.write(b"Metadata-Version: 2.1\nName: caf\xe9\nVersion: 1.0\n\n")
    service = _service_for(env_copy.parent)
    (env,) = service.list_environments({})["environments"]
    assert env["errors"] == []
    data = json.loads(service.packages_json(env["id"]))
    assert any(p["version"] == "1.0" and p["source"] == "pypi" for p in data["packages"])


def test_a_fifo_named_like_a_record_does_not_hang_the_read(env_copy: Path) -> None:
    os.mkfifo(env_copy / "conda-meta" / "fifo-1.0-0.json")
    _, errors = _packages(str(env_copy))
    assert [e.file for e in errors] == ["conda-meta/fifo-1.0-0.json"]
    assert "not a regular file" in errors[0].message


def test_a_record_with_a_bad_channel_url_is_still_listed(env_copy: Path) -> None:
    record = next((env_copy / "conda-meta").glob("python-*.json"))
    data = json.loads(record.read_text(encoding="utf-8"))
    data["channel"] = "https://user:pw@[broken/conda-forge"
    record.write_text(json.dumps(data), encoding="utf-8")
    packages, errors = _packages(str(env_copy))
    assert errors == []
    assert _conda(packages)["python"].channel == "https://***@[broken/conda-forge"


def test_revision_follows_a_history_only_change(env_copy: Path) -> None:
    """conda appends to conda-meta/history on every transaction, even one that changes no file name."""
    inventory = Inventory(enabled=True)
    prefix = str(env_copy)
    first = inventory.summary(prefix)
    history = env_copy / "conda-meta" / "history"
    stat = history.stat()
    with history.open("a", encoding="utf-8") as f:
        f.write("==> 2026-11-27 12:00:00 <==\n# cmd: conda update numpy\n")
    os.utime(history, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = inventory.summary(prefix)
    assert second is not first
    assert second.revision != first.revision


def test_a_change_during_a_read_is_not_cached(env_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """conda or pip writing while we read: the result must not be cached under the new mtimes."""
    from jupyterlab_conda_envs.environments import inventory as inventory_module

    real = inventory_module._read_summary
    calls = []

    def racing(prefix: str, layout: Any, signature: Any) -> Any:
        calls.append(prefix)
        result = real(prefix, layout, signature)
        if len(calls) == 1:  # a transaction lands while the first read is in progress
            with (env_copy / "conda-meta" / "history").open("a", encoding="utf-8") as f:
                f.write("# cmd: conda install x\n")
            meta = env_copy / "conda-meta"
            os.utime(meta, ns=(meta.stat().st_atime_ns, meta.stat().st_mtime_ns + 1_000_000))
        return result

    monkeypatch.setattr(inventory_module, "_read_summary", racing)
    inventory = Inventory(enabled=True)
    inventory.summary(str(env_copy))
    inventory.summary(str(env_copy))
    assert len(calls) == 2  # read again, not served from a cache entry taken during the change
    inventory.summary(str(env_copy))
    assert len(calls) == 2  # and cached once things are quiet
