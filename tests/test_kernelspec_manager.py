"""The KernelSpecManager: every environment with ipykernel is a kernel, with no `ipykernel install`.

Kernels really start here (the `runnable` and `gpu_vars` fixture envs are real interpreters with ipykernel), through
the server's own kernel manager.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.kernelspec import NoSuchKernel
from traitlets.config import Config

from jupyterlab_conda_envs.kernels.kernelspec_manager import CondaEnvsKernelSpecManager

from .conftest import KSM_CLASS, REPO, env_named

# What IRkernel::installspec() writes into an environment (an R kernel cannot be installed on these machines).
IR_KERNEL_JSON = {
    "argv": ["R", "--slave", "-e", "IRkernel::main()", "--args", "{connection_file}"],
    "display_name": "R",
    "language": "R",
}


async def _kernelspecs(jp_fetch: Any) -> dict[str, Any]:
    response = await jp_fetch("api", "kernelspecs")
    specs: dict[str, Any] = json.loads(response.body)["kernelspecs"]
    return specs


def _expected_kernel(env: dict[str, Any]) -> str:
    return "conda-base-py" if env["kind"] == "base" else f"conda-env-{env['name']}-py"


def _has_interpreter(env: dict[str, Any]) -> bool:
    return os.path.isfile(os.path.join(env["prefix"], "bin", "python"))


async def test_every_env_with_ipykernel_is_a_kernel(jp_fetch: Any, conda_root: dict[str, Any]) -> None:
    specs = await _kernelspecs(jp_fetch)
    by_path: dict[str, list[str]] = {}
    for name, entry in specs.items():
        path = entry["spec"]["metadata"].get("conda_env_path")
        if path:
            by_path.setdefault(path, []).append(name)
    for env in conda_root["envs"]:
        prefix = os.path.realpath(env["prefix"])
        if env["kind"] == "project":
            continue  # named by their project folder; see test_project_envs_are_kernels
        if env["has_ipykernel"] and _has_interpreter(env):
            expected = _expected_kernel(env).replace("données_ü", "donnees_u")
            assert by_path.get(prefix) == [expected], env["name"]
            spec = specs[expected]["spec"]
            assert spec["display_name"] == f"Python [conda env:{'base' if env['kind'] == 'base' else env['name']}]"
            assert spec["metadata"]["conda_env_name"] == ("base" if env["kind"] == "base" else env["name"])
            assert spec["language"] == "python"
        else:
            assert prefix not in by_path, env["name"]


async def test_spec_runs_the_envs_interpreter_with_the_env_activated(jp_fetch: Any, conda_root: dict[str, Any]) -> None:
    runnable = env_named(conda_root, "runnable")
    prefix = os.path.realpath(runnable["prefix"])
    spec = (await _kernelspecs(jp_fetch))["conda-env-runnable-py"]["spec"]
    assert spec["argv"] == [
        os.path.join(prefix, "bin", "python"),
        "-m",
        "ipykernel_launcher",
        "-f",
        "{connection_file}",
    ]
    assert spec["env"]["CONDA_PREFIX"] == prefix
    assert spec["env"]["CONDA_DEFAULT_ENV"] == "runnable"
    assert spec["env"]["PATH"].split(os.pathsep)[0] == os.path.join(prefix, "bin")
    assert spec["metadata"]["conda_env_activation"] == "variables"
    # The carried resources (ipykernel's logos in the env) are served for the launcher.
    resources = (await _kernelspecs(jp_fetch))["conda-env-runnable-py"]["resources"]
    assert "logo-64x64" in resources


async def _run_in_kernel(serverapp: Any, kernel_name: str, code: str) -> str:
    km = serverapp.kernel_manager
    # pytest-jupyter exports this process's sys.path as PYTHONPATH, and a kernel inherits it: the kernel would import
    # the test venv's ipykernel instead of its environment's own. A real server has no such PYTHONPATH.
    saved = os.environ.pop("PYTHONPATH", None)
    try:
        kernel_id = await km.start_kernel(kernel_name=kernel_name)
    finally:
        if saved is not None:
            os.environ["PYTHONPATH"] = saved
    try:
        client = km.get_kernel(kernel_id).client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            chunks: list[str] = []
            reply = await client.execute_interactive(
                code, timeout=60, output_hook=lambda m: chunks.append(m["content"].get("text", ""))
            )
            assert reply["content"]["status"] == "ok", reply["content"]
            return "".join(chunks)
        finally:
            client.stop_channels()
    finally:
        await km.shutdown_kernel(kernel_id, now=True)


PROBE = (
    "import json, os, sys; print(json.dumps({'prefix': sys.prefix, 'conda_prefix': os.environ.get('CONDA_PREFIX'),"
    " 'default_env': os.environ.get('CONDA_DEFAULT_ENV'), 'activated': os.environ.get('CONDA_ENVS_FIXTURE_ACTIVATED'),"
    " 'xla': os.environ.get('XLA_FLAGS'), 'path0': os.environ['PATH'].split(os.pathsep)[0]}))"
)


async def test_a_kernel_starts_in_its_environment(jp_fetch: Any, jp_serverapp: Any, conda_root: dict[str, Any]) -> None:
    prefix = os.path.realpath(env_named(conda_root, "runnable")["prefix"])
    out = json.loads(await _run_in_kernel(jp_serverapp, "conda-env-runnable-py", PROBE))
    assert os.path.realpath(out["prefix"]) == prefix
    assert out["conda_prefix"] == prefix
    assert out["default_env"] == "runnable"
    assert out["path0"] == os.path.join(prefix, "bin")
    assert out["activated"] is None


async def test_activate_d_scripts_reach_the_kernel(
    jp_fetch: Any, jp_serverapp: Any, conda_root: dict[str, Any]
) -> None:
    env = env_named(conda_root, "gpu_vars")
    prefix = os.path.realpath(env["prefix"])
    assert env["activate_scripts"], "the fixture env carries an activate.d script from its package"
    spec = (await _kernelspecs(jp_fetch))["conda-env-gpu_vars-py"]["spec"]
    assert spec["metadata"]["conda_env_activation"] == "scripts"
    assert os.path.basename(spec["argv"][0]) in ("bash", "sh")
    out = json.loads(await _run_in_kernel(jp_serverapp, "conda-env-gpu_vars-py", PROBE))
    assert os.path.realpath(out["prefix"]) == prefix
    assert out["activated"] == env["activate_exports"]["CONDA_ENVS_FIXTURE_ACTIVATED"]
    assert out["xla"] == f"--xla_gpu_cuda_data_dir={prefix}"


def _copy_env(source: str, dest: Path) -> Path:
    """`conda create --clone` copies a prefix; a copy of a real prefix is a real prefix."""
    shutil.copytree(source, dest, symlinks=True)
    return dest


async def test_new_and_removed_envs_without_restart(
    jp_fetch: Any, conda_root: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    envs_dir = tmp_path / "more_envs"
    envs_dir.mkdir()
    monkeypatch.setenv("CONDA_ENVS_PATH", str(envs_dir))
    assert "conda-env-fresh_env-py" not in await _kernelspecs(jp_fetch)
    _copy_env(env_named(conda_root, "cpu_only")["prefix"], envs_dir / "fresh_env")
    specs = await _kernelspecs(jp_fetch)
    assert specs["conda-env-fresh_env-py"]["spec"]["metadata"]["conda_env_path"] == str(envs_dir / "fresh_env")
    shutil.rmtree(envs_dir / "fresh_env")
    assert "conda-env-fresh_env-py" not in await _kernelspecs(jp_fetch)


async def test_kernelspecs_an_environment_carries(
    jp_fetch: Any, conda_root: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    envs_dir = tmp_path / "lang_envs"
    envs_dir.mkdir()
    monkeypatch.setenv("CONDA_ENVS_PATH", str(envs_dir))
    prefix = _copy_env(env_named(conda_root, "cpu_only")["prefix"], envs_dir / "r_and_py")
    kernels = prefix / "share" / "jupyter" / "kernels"
    (kernels / "ir").mkdir(parents=True)
    (kernels / "ir" / "kernel.json").write_text(json.dumps(IR_KERNEL_JSON))
    (kernels / "python3").mkdir()
    # ipykernel's own spec uses a bare `python`, which jupyter_client would swap for the *server's* interpreter.
    carried_py = {
        "argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "metadata": {"debugger": True},
    }
    (kernels / "python3" / "kernel.json").write_text(json.dumps(carried_py))
    # nb_conda_kernels' `kernelspec_path` may leave its own copies inside a prefix: not a second kernel.
    (kernels / "conda-env-r_and_py-py").mkdir()
    (kernels / "conda-env-r_and_py-py" / "kernel.json").write_text(json.dumps(carried_py))
    (kernels / "broken").mkdir()
    (kernels / "broken" / "kernel.json").write_text("{not json")

    specs = await _kernelspecs(jp_fetch)
    mine = {n: s for n, s in specs.items() if s["spec"]["metadata"].get("conda_env_path") == str(prefix)}
    assert set(mine) == {"conda-env-r_and_py-py", "conda-env-r_and_py-r"}
    r_spec = mine["conda-env-r_and_py-r"]["spec"]
    assert r_spec["argv"] == IR_KERNEL_JSON["argv"]  # found on the activated PATH
    assert r_spec["env"]["PATH"].startswith(str(prefix / "bin") + os.pathsep)
    assert r_spec["display_name"] == "R [conda env:r_and_py]"
    assert r_spec["language"] == "R"
    py_spec = mine["conda-env-r_and_py-py"]["spec"]
    assert py_spec["argv"][0] == str(prefix / "bin" / "python")
    assert py_spec["metadata"]["debugger"] is True


async def test_nb_conda_kernels_specs_on_disk_are_not_duplicated(
    jp_fetch: Any, conda_root: dict[str, Any], jp_data_dir: Path
) -> None:
    glm = os.path.realpath(env_named(conda_root, "glm_finetune")["prefix"])
    bert = os.path.realpath(env_named(conda_root, "legacy_bert")["prefix"])
    runnable = os.path.realpath(env_named(conda_root, "runnable")["prefix"])

    def write(name: str, spec: dict[str, Any]) -> None:
        (jp_data_dir / "kernels" / name).mkdir(parents=True)
        (jp_data_dir / "kernels" / name / "kernel.json").write_text(json.dumps(spec))

    runner = [sys.executable, "-m", "nb_conda_kernels.runner", "/opt/conda"]
    # As nb_conda_kernels' kernelspec_path writes them: same name as ours, and an older collision-numbered one.
    write(
        "conda-env-glm_finetune-py",
        {
            "argv": [*runner, glm, "python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "old",
            "language": "python",
            "metadata": {"conda_env_path": glm},
        },
    )
    write(
        "conda-env-legacy_bert-2-py",
        {
            "argv": [*runner, bert, "python"],
            "display_name": "old 2",
            "language": "python",
            "metadata": {"conda_env_path": bert},
        },
    )
    # The user's own spec for an environment is theirs to keep.
    write(
        "my-runnable",
        {
            "argv": [os.path.join(runnable, "bin", "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Mine",
            "language": "python",
        },
    )
    specs = await _kernelspecs(jp_fetch)
    assert "conda-env-legacy_bert-2-py" not in specs
    assert specs["conda-env-glm_finetune-py"]["spec"]["display_name"] == "Python [conda env:glm_finetune]"
    assert "my-runnable" in specs
    per_env = [s["spec"]["metadata"].get("conda_env_path") for s in specs.values()]
    assert per_env.count(glm) == 1 and per_env.count(bert) == 1

    # The panel groups all of them, ours and the user's, under the environment they run in.
    listing = json.loads((await jp_fetch("conda-envs", "environments")).body)
    grouped = next(e for e in listing["environments"] if e["prefix"] == runnable)["kernels"]
    assert {k["name"] for k in grouped} == {"conda-env-runnable-py", "my-runnable"}


@pytest.fixture
def standalone(conda_environ: Path) -> Any:
    def make(**settings: Any) -> CondaEnvsKernelSpecManager:
        config = Config()
        for key, value in settings.items():
            section, name = key.split("__")
            config[section][name] = value
        return CondaEnvsKernelSpecManager(config=config)

    return make


def test_switches_filters_and_exclusions(standalone: Any, conda_root: dict[str, Any]) -> None:
    everything = standalone().find_kernel_specs()
    assert {"conda-env-runnable-py", "conda-env-glm_finetune-py"} <= set(everything)
    off = standalone(CondaEnvsKernelSpecManager__conda_kernels=False).find_kernel_specs()
    assert not [n for n in off if n.startswith("conda-env-") and n != "conda-env-runnable-py"]
    # The registered on-disk spec of `runnable` is the user's and stays when ours are off.
    assert "conda-env-runnable-py" in off
    filtered = standalone(CondaEnvsKernelSpecManager__env_filter="glm_|legacy").find_kernel_specs()
    assert "conda-env-glm_finetune-py" not in filtered and "conda-env-legacy_bert-py" not in filtered
    assert "conda-env-cpu_only-py" in filtered
    excluded = standalone(CondaEnvs__exclude=["cpu_*"]).find_kernel_specs()
    assert "conda-env-cpu_only-py" not in excluded and "conda-env-cf_cuda12-py" in excluded


def test_name_format(standalone: Any) -> None:
    ksm = standalone(CondaEnvsKernelSpecManager__name_format="{environment} ({kernel}, {language})")
    assert ksm.get_kernel_spec("conda-env-cpu_only-py").display_name == "cpu_only (py, Python)"
    parity = standalone(CondaEnvsKernelSpecManager__name_format="{0} [{1}]")
    assert parity.get_kernel_spec("conda-env-cpu_only-py").display_name == "Python [cpu_only]"
    broken = standalone(CondaEnvsKernelSpecManager__name_format="{nope}")
    assert broken.get_kernel_spec("conda-env-cpu_only-py").display_name == "Python [conda env:cpu_only]"


def test_get_all_specs_reads_the_environments_once(standalone: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    ksm = standalone()
    calls = 0
    real = ksm.service.discover

    def counting() -> Any:
        nonlocal calls
        calls += 1
        return real()

    monkeypatch.setattr(ksm.service, "discover", counting)
    specs = ksm.get_all_specs()
    assert len([n for n in specs if n.startswith("conda-")]) >= 8
    assert calls == 1


def test_a_broken_discovery_leaves_the_other_kernels(standalone: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    ksm = standalone()

    def boom() -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ksm.service, "discover", boom)
    specs = ksm.find_kernel_specs()
    assert "conda-env-runnable-py" in specs  # the registered on-disk one
    assert "conda-env-glm_finetune-py" not in specs


NB_CONDA = "nb_conda_kernels.CondaKernelSpecManager"
OTHER = "company_kernels.TeamKernelSpecManager"
DOCUMENTED_KSM_PATH = "jupyterlab_conda_envs.kernelspec_manager.CondaEnvsKernelSpecManager"


@pytest.mark.parametrize(
    ("configured", "extra", "expected"),
    [
        (None, {}, KSM_CLASS),
        # What `python -m nb_conda_kernels.install --enable` writes: replaced, since our names are the same.
        ({"JupyterApp": {"kernel_spec_manager_class": NB_CONDA}}, {}, KSM_CLASS),
        # Somebody's own manager is theirs: kept.
        ({"ServerApp": {"kernel_spec_manager_class": OTHER}}, {}, OTHER),
        # Ours named by its documented path (the module beside the package root): the same class.
        (
            {
                "ServerApp": {
                    "kernel_spec_manager_class": "jupyterlab_conda_envs.kernelspec_manager.CondaEnvsKernelSpecManager"
                }
            },
            {},
            KSM_CLASS,
        ),
        # Switched off: whatever is configured stays.
        (
            {"JupyterApp": {"kernel_spec_manager_class": NB_CONDA}},
            {"CondaEnvsKernelSpecManager": {"conda_kernels": False}},
            NB_CONDA,
        ),
    ],
)
def test_installing_is_all_it_takes(
    tmp_path: Path, configured: dict[str, Any] | None, extra: dict[str, Any], expected: str
) -> None:
    """A server that reads only the shipped jupyter-config file runs our manager, also beside nb_conda_kernels."""
    config_path = tmp_path / "etc"
    (config_path / "jupyter_server_config.d").mkdir(parents=True)
    shipped = REPO / "jupyter-config" / "server-config" / "jupyterlab_conda_envs.json"
    shutil.copy(shipped, config_path / "jupyter_server_config.d" / "jupyterlab_conda_envs.json")
    config = {**(configured or {}), **extra}
    (config_path / "jupyter_config.json").write_text(json.dumps(config))
    # nb_conda_kernels is a conda-only package (not on PyPI) and the other manager is made up: importable stand-ins
    # take their places, since traitlets imports every configured class.
    standins = tmp_path / "standins"
    for module in ("nb_conda_kernels", "company_kernels"):
        (standins / module).mkdir(parents=True)
        (standins / module / "__init__.py").write_text(
            "from jupyter_client.kernelspec import KernelSpecManager\n\n\n"
            "class CondaKernelSpecManager(KernelSpecManager):\n    pass\n\n\n"
            "class TeamKernelSpecManager(KernelSpecManager):\n    pass\n"
        )
    code = (
        "from jupyter_server.serverapp import ServerApp\n"
        "app = ServerApp()\n"
        "app.initialize(argv=['--ServerApp.open_browser=False', '--ServerApp.port=0', '--allow-root'])\n"
        "cls = type(app.kernel_spec_manager)\n"
        "print(cls.__module__.replace('.manager', '').replace('.kernelspec_manager', '') + '.' + cls.__name__)\n"
    )
    env = dict(os.environ)
    env.update(
        # Only this config folder: not the developer's sys.prefix copy of the same file.
        JUPYTER_CONFIG_PATH=str(config_path),
        JUPYTER_CONFIG_DIR=str(tmp_path / "user-config"),
        JUPYTER_DATA_DIR=str(tmp_path / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTER_PREFER_ENV_PATH="0",
        HOME=str(tmp_path),
        PYTHONPATH=str(standins),
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    got = out.stdout.strip().splitlines()[-1]
    assert got == expected.replace(".kernelspec_manager", ""), out.stderr[-2000:]


def _clone(conda_root: dict[str, Any], dest: Path) -> Path:
    return _copy_env(env_named(conda_root, "cpu_only")["prefix"], dest)


def test_what_gets_no_kernel(
    standalone: Any, conda_root: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    envs_dir = tmp_path / "odd_envs"
    envs_dir.mkdir()
    monkeypatch.setenv("CONDA_ENVS_PATH", str(envs_dir))
    not_executable = _clone(conda_root, envs_dir / "no_exec")
    (not_executable / "bin" / "python").chmod(0o644)
    # jupyter_client would substitute `{prefix}` inside argv: such a prefix gets no kernel at all.
    _clone(conda_root, envs_dir / "{prefix}")
    _clone(conda_root, envs_dir / "fine")
    names = standalone().find_kernel_specs()
    assert "conda-env-fine-py" in names
    assert "conda-env-no_exec-py" not in names
    assert not [n for n in names if "prefix" in n]


def test_a_kernel_created_a_moment_ago_starts(
    standalone: Any, conda_root: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    envs_dir = tmp_path / "new_envs"
    envs_dir.mkdir()
    monkeypatch.setenv("CONDA_ENVS_PATH", str(envs_dir))
    ksm = standalone()
    ksm.get_all_specs()  # the listing a kernel start may reuse
    _clone(conda_root, envs_dir / "just_made")
    assert ksm.get_kernel_spec("conda-env-just_made-py").metadata["conda_env_path"] == str(envs_dir / "just_made")
    with pytest.raises(NoSuchKernel):
        ksm.get_kernel_spec("conda-env-never_made-py")


def test_old_nb_conda_kernels_root_names_still_open(
    standalone: Any, conda_root: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _clone(conda_root, tmp_path / "miniconda3")
    monkeypatch.setenv("CONDA_EXE", str(root / "bin" / "conda"))
    ksm = standalone()
    assert "conda-base-py" in ksm.find_kernel_specs()
    # nb_conda_kernels before 2.4 saved `conda-root-py` in notebooks.
    assert ksm.get_kernel_spec("conda-root-py").metadata["conda_env_path"] == str(root)


def test_environment_kernels_cannot_be_removed_as_folders(standalone: Any, conda_root: dict[str, Any]) -> None:
    ksm = standalone()
    resource_dir = ksm.find_kernel_specs()["conda-env-runnable-py"]
    # Ours replaces the registered on-disk spec of the same name; removing goes to that on-disk folder only.
    glm_dir = ksm.find_kernel_specs()["conda-env-glm_finetune-py"]
    with pytest.raises(NoSuchKernel):
        ksm.remove_kernel_spec("conda-env-glm_finetune-py")
    assert os.path.isdir(glm_dir) and os.path.isdir(resource_dir)


async def test_kernelspecs_inside_the_workspace_are_not_run_as_they_are(
    jp_fetch: Any, conda_root: dict[str, Any], jp_root_dir: Path
) -> None:
    """Anyone who may write files under the server root could plant a kernelspec in a project prefix there."""
    prefix = _clone(conda_root, jp_root_dir / "proj" / "env")
    kernels = prefix / "share" / "jupyter" / "kernels"
    (kernels / "planted").mkdir(parents=True)
    (kernels / "planted" / "kernel.json").write_text(
        json.dumps({"argv": ["/bin/sh", "-c", "touch /tmp/pwned"], "display_name": "x", "language": "python"})
    )
    (kernels / "python3").mkdir()
    (kernels / "python3" / "kernel.json").write_text(
        json.dumps(
            {
                "argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3",
                "language": "python",
                "env": {"PYTHONPATH": str(jp_root_dir / "proj")},
            }
        )
    )
    specs = await _kernelspecs(jp_fetch)
    mine = {n: s for n, s in specs.items() if s["spec"]["metadata"].get("conda_env_path") == str(prefix)}
    assert set(mine) == {"conda-env-proj-env-py"}
    assert "PYTHONPATH" not in mine["conda-env-proj-env-py"]["spec"]["env"]
