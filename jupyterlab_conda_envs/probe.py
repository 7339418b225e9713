"""'Check in environment': ask the environment's own interpreter what its frameworks see, within a time limit.

This runs code (the environment's Python importing torch/tensorflow/jax), so the route authorizes it as code
execution. The script is a constant passed with `-I -c` (isolated: no PYTHONPATH, no user site, no current folder
on sys.path); nothing from the request reaches the command line. Output is bounded; a probe that hangs (an import
waiting on a lock, a driver call stuck) is killed with its process group at the deadline.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from typing import Any

from .env_kernelspecs import interpreter

_OUTPUT_MAX = 256 * 1024
_MARK = "CONDA_ENVS_PROBE:"

# Each framework is probed only when installed (find_spec does not import), each in its own try, so one broken
# framework does not hide the others. Printed as one JSON line after a marker: imports may print banners first.
PROBE_SCRIPT = r"""
import importlib.util, json, platform, sys
out = {"python": platform.python_version(), "executable": sys.executable, "frameworks": {}}
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


def run_probe(prefix: str, timeout: float, environ: dict[str, str]) -> dict[str, Any]:
    """The probe's answer: `{"status": "ok", "result": {...}}`, or `timeout` / `failed` with what was printed."""
    python = interpreter(prefix)
    if not (os.path.isfile(python) and os.access(python, os.X_OK)):
        raise NoInterpreter(python)
    env = dict(environ)
    env["CONDA_PREFIX"] = prefix
    env["PATH"] = os.pathsep.join([os.path.join(prefix, "bin"), env.get("PATH", "")])
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONHOME", None)
    started = time.monotonic()
    proc = subprocess.Popen(
        [python, "-I", "-c", PROBE_SCRIPT],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=prefix,
        start_new_session=True,  # its own process group: a framework's helper processes die with it
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, err = proc.communicate()
        return {
            "status": "timeout",
            "seconds": round(time.monotonic() - started, 2),
            "message": f"no answer within {timeout:g} s (an import or a driver call hung)",
            "stderr": _tail(err[:_OUTPUT_MAX].decode("utf-8", "replace")),
        }
    seconds = round(time.monotonic() - started, 2)
    text = out[:_OUTPUT_MAX].decode("utf-8", "replace")
    errors = _tail(err[:_OUTPUT_MAX].decode("utf-8", "replace"))
    line = next((ln for ln in reversed(text.splitlines()) if ln.startswith(_MARK)), None)
    if proc.returncode != 0 or line is None:
        return {"status": "failed", "seconds": seconds, "exit_code": proc.returncode, "stderr": errors}
    try:
        result = json.loads(line[len(_MARK) :])
    except ValueError:
        return {"status": "failed", "seconds": seconds, "exit_code": proc.returncode, "stderr": "unreadable answer"}
    return {"status": "ok", "seconds": seconds, "result": result, "stderr": errors}


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        try:
            proc.wait(timeout=2)
            return
        except subprocess.TimeoutExpired:
            continue
