"""'Check in environment': ask the environment's own interpreter what its frameworks see, within a time limit.

This runs code (the environment's Python importing torch/tensorflow/jax), so the route authorizes it as code
execution. The script is a constant passed with `-I -c` (isolated: no PYTHONPATH, no user site, no current folder
on sys.path); nothing from the request reaches the command line. It runs activated as the environment's kernels
are. Output is bounded; a probe that hangs (an import waiting on a lock, a driver call stuck) is killed with its
process group at the deadline (`core.process`).
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from ..core.process import run_bounded, without_server_python
from ..kernels.env_kernelspecs import (
    EnvForKernels,
    activated_argv,
    activated_environ,
    activation_scripts,
    interpreter,
    path_with_reals,
)

_OUTPUT_MAX = 256 * 1024
_MARK = "CONDA_ENVS_PROBE:"

# Each framework is probed only when installed (find_spec does not import), each in its own try, so one broken
# framework does not hide the others. Printed as one JSON line after a marker: imports may print banners first.
PROBE_SCRIPT = r"""
import importlib.util, json, platform, sys
import os
# The variables that decide which CUDA libraries and devices a framework uses, as the kernel will have them.
VARIABLES = ("CONDA_PREFIX", "CUDA_HOME", "CUDA_PATH", "CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH", "XLA_FLAGS")
out = {"python": platform.python_version(), "executable": sys.executable, "frameworks": {},
       "variables": {name: os.environ[name] for name in VARIABLES if name in os.environ}}
def probe(name, fn):
    if importlib.util.find_spec(name) is None:
        return
    try:
        out["frameworks"][name] = fn()
    except BaseException as err:
        out["frameworks"][name] = {"error": type(err).__name__ + ": " + str(err)[:500]}
def torch_facts():
    import torch
    available = bool(torch.cuda.is_available())
    facts = {"version": torch.__version__, "cuda": torch.version.cuda, "available": available,
             "device_count": torch.cuda.device_count() if available else 0}
    if available:
        facts["devices"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
        facts["capabilities"] = [".".join(map(str, torch.cuda.get_device_capability(i)))
                                 for i in range(torch.cuda.device_count())]
        facts["arch_list"] = torch.cuda.get_arch_list()
    return facts
def tf_facts():
    import tensorflow as tf
    info = tf.sysconfig.get_build_info()
    return {"version": tf.__version__, "cuda": info.get("cuda_version"), "cudnn": info.get("cudnn_version"),
            "devices": [d.name for d in tf.config.list_physical_devices("GPU")]}
def jax_facts():
    import jax
    return {"version": jax.__version__, "backend": jax.default_backend(), "devices": [str(d) for d in jax.devices()]}
probe("torch", torch_facts)
probe("tensorflow", tf_facts)
probe("jax", jax_facts)
print("CONDA_ENVS_PROBE:" + json.dumps(out), flush=True)
"""


class NoInterpreter(LookupError):
    pass


def _tail(text: str, limit: int = 2000) -> str:
    return text[-limit:].strip()


def probe_command(env: EnvForKernels) -> tuple[list[str], dict[str, str]]:
    """The probe's argv and environment: the same activation a kernel of this environment gets (variables, and the
    activate.d scripts when there are some), so the probe sees what the kernel will see."""
    python = interpreter(env.prefix)
    if not (os.path.isfile(python) and os.access(python, os.X_OK)):
        raise NoInterpreter(python)
    variables = activated_environ(env, path_with_reals(os.environ.get("PATH", "")))
    argv = activated_argv(env.prefix, [python, "-I", "-c", PROBE_SCRIPT], activation_scripts(env.prefix))
    environ = without_server_python(os.environ)
    environ.update(variables)
    return argv, environ


def run_probe(env: EnvForKernels, timeout: float) -> dict[str, Any]:
    """The probe's answer: `{"status": "ok", "result": {...}}`, or `timeout` / `failed` with what was printed."""
    argv, environ = probe_command(env)
    started = time.monotonic()
    try:
        done = run_bounded(argv, timeout, env=environ, cwd=env.prefix, limit=_OUTPUT_MAX)
    except OSError as err:
        return {"status": "failed", "seconds": 0.0, "exit_code": None, "stderr": f"cannot start: {err}"}
    seconds = round(time.monotonic() - started, 2)
    errors = _tail(done.stderr)
    if done.timed_out:
        return {
            "status": "timeout",
            "seconds": seconds,
            "message": f"no answer within {timeout:g} s (an import or a driver call hung)",
            "stderr": errors,
        }
    line = next((ln for ln in reversed(done.stdout.splitlines()) if ln.startswith(_MARK)), None)
    if done.returncode != 0 or line is None:
        return {"status": "failed", "seconds": seconds, "exit_code": done.returncode, "stderr": errors}
    try:
        result = json.loads(line[len(_MARK) :])
    except ValueError:
        return {"status": "failed", "seconds": seconds, "exit_code": done.returncode, "stderr": "unreadable answer"}
    return {"status": "ok", "seconds": seconds, "result": result, "stderr": errors}
