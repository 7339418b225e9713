"""The fixture conda root itself: what rattler, pip, venv and ipykernel wrote must be what the manifest says.

Uses the session's `conda_root` (conftest.py), so the `test` catalogue is built once per run (and reused across
runs while the catalogue and the builder's code are unchanged).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

import pytest
import rattler
import rattler.package_streaming

from fixture_root import build_root, catalogue, catalogue_hash, live_channel, load_manifest


def _env(manifest: dict[str, Any], name: str) -> dict[str, Any]:
    return next(e for e in manifest["envs"] if e["name"] == name)


def _site(env: dict[str, Any]) -> Path:
    xy = ".".join(env["python_version"].split(".")[:2])
    return Path(env["prefix"]) / "lib" / f"python{xy}" / "site-packages"


def test_every_record_is_what_rattler_installed(conda_root: dict[str, Any]) -> None:
    for env in conda_root["envs"]:
        meta = Path(env["prefix"]) / "conda-meta"
        expected = {p["record"] for p in env["conda_packages"]}
        assert {f"conda-meta/{p.name}" for p in meta.glob("*.json")} == expected, env["name"]
        for entry in env["conda_packages"]:
            path = Path(env["prefix"]) / entry["record"]
            if entry["record"] in env["corrupt_records"]:
                continue
            record = rattler.PrefixRecord.from_path(path)
            assert (record.name.source, str(record.version), str(record.build)) == (
                entry["name"],
                entry["version"],
                entry["build"],
            )
            assert str(record.channel).rstrip("/").endswith(entry["channel"]), record.channel


def test_records_carry_the_upstream_channel_urls(conda_root: dict[str, Any]) -> None:
    glm = Path(_env(conda_root, "glm_finetune")["prefix"]) / "conda-meta"
    torch = json.loads((glm / "pytorch-2.1.0-py3.10_cuda11.8_cudnn8.7.0_0.json").read_text(encoding="utf-8"))
    assert torch["channel"] == "https://conda.anaconda.org/pytorch/"
    assert torch["url"].startswith("https://conda.anaconda.org/pytorch/linux-64/pytorch-2.1.0-")
    assert "pytorch-cuda >=11.8,<11.9" in torch["depends"]
    assert torch["constrains"] == ["cpuonly <0"]
    python = next(glm.glob("python-3.10.13-*.json"))
    assert json.loads(python.read_text(encoding="utf-8"))["channel"] == "https://repo.anaconda.com/pkgs/main/"
    cf = Path(_env(conda_root, "cf_cuda12")["prefix"]) / "conda-meta"
    cf_torch = json.loads(next(cf.glob("pytorch-2.5.1-*.json")).read_text(encoding="utf-8"))
    assert "__cuda" in cf_torch["depends"]
    assert "cuda-version >=12.6,<13" in cf_torch["depends"]
    cuda_version = json.loads(next(cf.glob("cuda-version-12.6-*.json")).read_text(encoding="utf-8"))
    assert cuda_version["noarch"] == "generic"
    assert "__cuda >=12" in cuda_version["constrains"]


def test_python_records_are_large_and_python_packages_say_conda(conda_root: dict[str, Any]) -> None:
    cpu = _env(conda_root, "cpu_only")
    python = next((Path(cpu["prefix"]) / "conda-meta").glob("python-3.11.5-*.json"))
    assert len(rattler.PrefixRecord.from_path(python).files) > 1000
    site = _site(cpu)
    assert (site / "torch-2.1.0.dist-info" / "INSTALLER").read_text() == "conda\n"
    assert "cuda: Optional[str] = None" in (site / "torch" / "version.py").read_text()
    glm_site = _site(_env(conda_root, "glm_finetune"))
    assert "cuda: Optional[str] = '11.8'" in (glm_site / "torch" / "version.py").read_text()


def test_history_is_conda_format(conda_root: dict[str, Any]) -> None:
    for env in conda_root["envs"]:
        if env["manager"] == "pixi":
            continue  # pixi writes no conda history; see test_pixi_project
        text = (Path(env["prefix"]) / "conda-meta" / "history").read_text(encoding="utf-8")
        assert text.startswith("==> "), env["name"]
        assert "# cmd: " in text and "# update specs: " in text
        installed = [line for line in text.splitlines() if line.startswith("+")]
        assert len(installed) == len(env["conda_packages"]), env["name"]


def test_pip_packages_are_installed_by_pip(conda_root: dict[str, Any]) -> None:
    glm = _env(conda_root, "glm_finetune")
    assert sorted(p["name"] for p in glm["pip_packages"]) == [
        "accelerate",
        "bitsandbytes",
        "datasets",
        "peft",
        "transformers",
    ]
    site = _site(glm)
    info = site / "transformers-4.35.2.dist-info"
    assert (info / "INSTALLER").read_text() == "pip\n"
    assert "Requires-Dist: huggingface-hub<1.0,>=0.16.4" in (info / "METADATA").read_text()
    assert (info / "RECORD").is_file()


def test_pip_numpy_shadows_conda_numpy(conda_root: dict[str, Any]) -> None:
    env = _env(conda_root, "pip_shadow")
    site = _site(env)
    assert (site / "numpy-1.24.3.dist-info" / "INSTALLER").read_text() == "conda\n"
    assert (site / "numpy-1.26.4.dist-info" / "INSTALLER").read_text() == "pip\n"
    assert list((Path(env["prefix"]) / "conda-meta").glob("numpy-1.24.3-*.json"))
    assert env["conflicts"] == [{"name": "numpy", "conda_version": "1.24.3", "pip_version": "1.26.4"}]


def test_editable_install_and_runnable_interpreter(conda_root: dict[str, Any]) -> None:
    env = _env(conda_root, "runnable")
    editable = [p for p in env["pip_packages"] if p["editable"]]
    assert [p["name"] for p in editable] == ["glm-utils"]
    direct = json.loads((_site(env) / "glm_utils-0.1.0.dist-info" / "direct_url.json").read_text())
    assert direct["dir_info"] == {"editable": True}
    python = Path(env["prefix"]) / "bin" / "python"
    out = subprocess.run(
        [str(python), "-c", "import sys; print(sys.prefix)"], capture_output=True, text=True, check=True
    )
    assert os.path.realpath(out.stdout.strip()) == os.path.realpath(env["prefix"])
    assert (
        env["python_version"]
        == subprocess.run(
            [str(python), "-c", "import platform; print(platform.python_version())"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    spec = json.loads((Path(env["kernel"]["spec_dir"]) / "kernel.json").read_text())
    assert spec["argv"][0] == str(python)
    assert spec["display_name"] == "Python [conda env:runnable]"
    assert Path(env["kernel"]["spec_dir"]).parent.parent == Path(conda_root["env"]["JUPYTER_PATH"])


def test_activation_scripts_come_from_a_package(conda_root: dict[str, Any]) -> None:
    env = _env(conda_root, "gpu_vars")
    prefix = Path(env["prefix"])
    assert env["activate_scripts"] == ["etc/conda/activate.d/cuda-env-hooks_activate.sh"]
    (script,) = [prefix / rel for rel in env["activate_scripts"]]
    assert script.is_file()
    (entry,) = [p for p in env["conda_packages"] if p["name"] == "cuda-env-hooks"]
    files = json.loads((prefix / entry["record"]).read_text(encoding="utf-8"))["files"]
    assert files == [
        "etc/conda/activate.d/cuda-env-hooks_activate.sh",
        "etc/conda/deactivate.d/cuda-env-hooks_deactivate.sh",
    ]
    assert [str(f) for f in rattler.PrefixRecord.from_path(prefix / entry["record"]).files] == files
    assert entry["channel"] == "conda-forge"
    expected = {
        "CONDA_ENVS_FIXTURE_ACTIVATED": "yes",
        "XLA_FLAGS": f"--xla_gpu_cuda_data_dir={env['prefix']}",
    }
    assert env["activate_exports"] == expected
    deactivate = prefix / "etc/conda/deactivate.d/cuda-env-hooks_deactivate.sh"
    show = 'printf "%s|%s" "${CONDA_ENVS_FIXTURE_ACTIVATED-unset}" "${XLA_FLAGS-unset}"'
    code = f'. "$1"; {show}; echo; . "$2"; {show}'
    out = subprocess.run(
        ["sh", "-c", code, "sh", str(script), str(deactivate)],
        env={"PATH": os.environ["PATH"], "CONDA_PREFIX": env["prefix"]},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert out == [f"yes|{expected['XLA_FLAGS']}", "unset|unset"]
    others = [e["name"] for e in conda_root["envs"] if e["activate_scripts"] or e["activate_exports"]]
    assert others == ["gpu_vars"]


def test_gpu_vars_runs_but_registers_no_kernelspec(conda_root: dict[str, Any]) -> None:
    env = _env(conda_root, "gpu_vars")
    assert env["runnable"] and env["has_ipykernel"] and env["kernel"] is None
    python = Path(env["prefix"]) / "bin" / "python"
    out = subprocess.run(
        [str(python), "-c", "import sys, ipykernel; print(sys.prefix)"], capture_output=True, text=True, check=True
    )
    assert os.path.realpath(out.stdout.strip()) == os.path.realpath(env["prefix"])
    kernels = Path(conda_root["paths"]["jupyter_path"]) / "kernels"
    assert sorted(p.name for p in kernels.iterdir()) == ["conda-env-runnable-py"]
    for spec in kernels.glob("*/kernel.json"):
        assert not json.loads(spec.read_text())["argv"][0].startswith(env["prefix"])


def _notebook(path: str | Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    assert (data["nbformat"], data["nbformat_minor"]) == (4, 5)
    assert [c["cell_type"] for c in data["cells"]] == ["code"]
    return data


def test_project_folders(conda_root: dict[str, Any]) -> None:
    paths = conda_root["paths"]
    python3 = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    runnable_dir = Path(paths["runnable_project_dir"])
    assert "name: runnable\n" in (runnable_dir / "environment.yml").read_text(encoding="utf-8")
    notebook = Path(paths["runnable_project_notebook"])
    assert notebook == runnable_dir / "notebooks" / "train.ipynb"
    data = _notebook(notebook)
    assert data["metadata"]["kernelspec"] == python3
    assert data["cells"][0]["source"] == ["import sys; print(sys.prefix)"]

    ghost = Path(paths["ghost_project_dir"])
    assert not (ghost / "environment.yml").exists()
    text = (ghost / "environment.yaml").read_text(encoding="utf-8")
    assert text.startswith("name: ghost_env\n")
    assert "ghost_env" not in {e["name"] for e in conda_root["envs"]}
    assert _notebook(ghost / "analysis.ipynb")["metadata"]["kernelspec"] == python3
    demo = _notebook(Path(paths["project_dir"]) / "finetune.ipynb")
    assert demo["metadata"]["kernelspec"]["name"] == "conda-env-glm_finetune-py"


def test_pixi_project(conda_root: dict[str, Any]) -> None:
    paths = conda_root["paths"]
    env = _env(conda_root, "pixi_default")
    project = Path(paths["pixi_project_dir"])
    prefix = Path(env["prefix"])
    assert prefix == project / ".pixi" / "envs" / "default"
    assert (env["kind"], env["location"], env["manager"]) == ("project", "project", "pixi")
    assert not env["in_environments_txt"]
    assert os.path.relpath(prefix, paths["projects"]) == "pixi_project/.pixi/envs/default"
    history = (prefix / "conda-meta" / "history").read_text(encoding="utf-8")
    assert "# cmd:" not in history and history.startswith("//")
    info = json.loads((prefix / "conda-meta" / "pixi").read_text(encoding="utf-8"))
    assert info["manifest_path"] == str(project / "pixi.toml") and info["environment_name"] == "default"
    assert (project / "pixi.toml").is_file()
    assert {p["name"] for p in env["conda_packages"]} >= {"python", "pip"}
    assert Path(paths["pixi_project_notebook"]) == project / "analysis.ipynb"
    assert _notebook(paths["pixi_project_notebook"])["metadata"]["kernelspec"]["name"] == "python3"


def test_environments_txt_and_condarc(conda_root: dict[str, Any]) -> None:
    paths = conda_root["paths"]
    text = Path(paths["environments_txt"]).read_text(encoding="utf-8")
    assert text == "".join(f"{line}\n" for line in conda_root["environments_txt"])
    lines = text.splitlines()
    assert paths["root"] in lines
    assert _env(conda_root, "outside_env")["prefix"] in lines
    assert " " in _env(conda_root, "outside_env")["prefix"]
    assert _env(conda_root, "project_env")["prefix"] not in lines
    assert paths["deleted_path"] in lines and not os.path.exists(paths["deleted_path"])
    assert paths["non_env_path"] in lines and not os.path.exists(os.path.join(paths["non_env_path"], "conda-meta"))
    assert paths["symlink_path"] in lines and os.path.islink(paths["symlink_path"])
    assert os.path.realpath(paths["symlink_path"]) in {os.path.realpath(e["prefix"]) for e in conda_root["envs"]}
    condarc = Path(paths["condarc"]).read_text(encoding="utf-8")
    assert f"envs_dirs:\n  - {paths['team_envs_dir']}\n" in condarc
    assert Path(_env(conda_root, "shared_tools")["prefix"]).parent == Path(paths["team_envs_dir"])
    assert "name: glm_finetune" in Path(paths["environment_yml"]).read_text(encoding="utf-8")
    assert (Path(_env(conda_root, "project_env")["prefix"]) / "conda-meta" / "history").is_file()


def test_kinds_and_names(conda_root: dict[str, Any]) -> None:
    kinds = {e["name"]: e["kind"] for e in conda_root["envs"]}
    assert kinds["base"] == "base" and kinds["glm_finetune"] == "named" and kinds["shared_tools"] == "named"
    assert kinds["outside_env"] == "path" and kinds["project_env"] == "project"
    assert any(not name.isascii() for name in kinds)
    assert {e["name"] for e in conda_root["envs"] if e["has_ipykernel"]} >= {"glm_finetune", "runnable", "cf_cuda12"}
    assert not _env(conda_root, "no_kernel")["has_ipykernel"]


def test_corrupt_record_does_not_parse(conda_root: dict[str, Any]) -> None:
    env = _env(conda_root, "corrupt_record")
    (rel,) = env["corrupt_records"]
    path = Path(env["prefix"]) / rel
    with pytest.raises(json.JSONDecodeError):
        json.loads(path.read_text(encoding="utf-8"))
    with pytest.raises(Exception):  # noqa: B017 - rattler raises its own error type for bad JSON
        rattler.PrefixRecord.from_path(path)


def test_reuse_and_hash(conda_root: dict[str, Any]) -> None:
    out = Path(conda_root["fixture_dir"])
    assert catalogue_hash(catalogue("test"), out) == conda_root["catalogue_hash"]
    again = build_root("test", out, reuse=True)
    assert again == load_manifest(out)
    assert again["catalogue_hash"] == conda_root["catalogue_hash"]


def _live_archive(conda_root: dict[str, Any], name: str, dest: Path) -> Path:
    """Unpack the live channel's package `name` into `dest`."""
    folder = Path(conda_root["paths"]["live_channel"]) / "linux-64"
    entry = next(p for p in conda_root["live_packages"] if p["name"] == name)
    rattler.package_streaming.extract(folder / f"{name}-{entry['version']}-{entry['build']}.conda", dest)
    return dest


def test_live_channel_holds_the_hosts_python_and_ipykernel(conda_root: dict[str, Any]) -> None:
    folder = Path(conda_root["paths"]["live_channel"])
    assert folder == Path(conda_root["paths"]["channels"]) / "live"
    repodata = json.loads((folder / "linux-64" / "repodata.json").read_text(encoding="utf-8"))
    records = {r["name"]: r for r in repodata["packages.conda"].values()}
    listed = {p["name"]: p["version"] for p in conda_root["live_packages"]}
    assert {n: r["version"] for n, r in records.items()} == listed
    assert {"python", "ipykernel", "pip", "jupyter-client", "pyzmq", "tornado"} <= set(records)
    assert listed["python"] == platform.python_version()
    assert all(r["build"] == "live_0" for r in records.values())
    xy = ".".join(platform.python_version().split(".")[:2])
    assert records["python"]["depends"] == []
    assert records["ipykernel"]["depends"][0] == f"python {xy}.*"
    assert {"jupyter-client", "pyzmq", "traitlets"} <= set(records["ipykernel"]["depends"])
    # Every dependency is in the channel: a solve from it alone succeeds.
    assert {d.split()[0] for r in records.values() for d in r["depends"]} <= set(records)
    assert (folder / ".digest").read_text(encoding="utf-8") == live_channel.live_digest()
    assert json.loads((folder / "noarch" / "repodata.json").read_text(encoding="utf-8"))["packages.conda"] == {}


def test_live_python_is_a_venv_style_copy_of_the_host(conda_root: dict[str, Any], tmp_path: Path) -> None:
    prefix = _live_archive(conda_root, "python", tmp_path / "python")
    xy = ".".join(platform.python_version().split(".")[:2])
    exe = prefix / "bin" / f"python{xy}"
    assert exe.is_file() and not exe.is_symlink() and os.access(exe, os.X_OK)
    for link in ("python", "python3"):
        assert os.readlink(prefix / "bin" / link) == f"python{xy}"
    cfg = (prefix / "pyvenv.cfg").read_text(encoding="utf-8")
    assert f"home = {live_channel.host_python()[0].parent}\n" in cfg
    assert f"version = {platform.python_version()}\n" in cfg
    assert (prefix / "lib" / f"python{xy}" / "site-packages").is_dir()
    # Unpacked anywhere, it runs as an interpreter of its own prefix.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    out = subprocess.run(
        [str(prefix / "bin" / "python"), "-c", "import sys; print(sys.prefix)"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert out.stdout.strip() == str(prefix)


def test_live_python_packages_say_conda(conda_root: dict[str, Any], tmp_path: Path) -> None:
    version = next(p["version"] for p in conda_root["live_packages"] if p["name"] == "ipykernel")
    prefix = _live_archive(conda_root, "ipykernel", tmp_path / "ipykernel")
    xy = ".".join(platform.python_version().split(".")[:2])
    site = prefix / "lib" / f"python{xy}" / "site-packages"
    info = site / f"ipykernel-{version}.dist-info"
    assert (info / "INSTALLER").read_text(encoding="utf-8") == "conda\n"
    assert not (info / "direct_url.json").exists() and not (info / "REQUESTED").exists()
    assert (site / "ipykernel" / "kernelapp.py").is_file()
    assert not list(prefix.rglob("__pycache__"))
    assert {p.name for p in prefix.iterdir()} == {"lib", "info"}  # nothing outside site-packages (no bin/ scripts)
    recorded = {line.split(",")[0] for line in (info / "RECORD").read_text(encoding="utf-8").splitlines()}
    shipped = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}
    assert recorded == shipped


def test_no_fixture_environment_uses_the_live_channel(conda_root: dict[str, Any]) -> None:
    for env in conda_root["envs"]:
        assert "live" not in env["channels"], env["name"]
        assert not [p for p in env["conda_packages"] if p["channel"] == "live" or p["build"] == "live_0"], env["name"]


def test_a_stale_live_channel_is_rebuilt_alone_on_reuse(
    conda_root: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another host interpreter or ipykernel/pip version rebuilds the live channel, and only it: the rest of a
    reused fixture stays (every setup upgrades pip, which must not rebuild the environments)."""
    out = Path(conda_root["fixture_dir"])
    assert catalogue("test").live_channel and catalogue("demo").live_channel
    monkeypatch.setattr(live_channel, "live_digest", lambda dists=None: "another ipykernel")
    assert catalogue_hash(catalogue("test"), out) == conda_root["catalogue_hash"]
    monkeypatch.undo()

    stamp = Path(conda_root["paths"]["live_channel"]) / ".digest"
    manifest_file = out / "manifest.json"
    history = Path(_env(conda_root, "pip_shadow")["prefix"]) / "conda-meta" / "history"
    before = history.stat().st_mtime_ns
    stamp.write_text("stale", encoding="utf-8")
    again = build_root("test", out, reuse=True)
    assert stamp.read_text(encoding="utf-8") == live_channel.live_digest()
    assert again["catalogue_hash"] == conda_root["catalogue_hash"]
    assert again["live_packages"] == conda_root["live_packages"]
    assert json.loads(manifest_file.read_text(encoding="utf-8"))["live_packages"] == conda_root["live_packages"]
    assert history.stat().st_mtime_ns == before, "the environments were not rebuilt"


def test_refuses_to_wipe_a_foreign_directory(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(RuntimeError, match="refusing"):
        build_root("test", tmp_path)
    assert (tmp_path / "precious.txt").read_text() == "keep me"
