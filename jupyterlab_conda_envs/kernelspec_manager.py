"""The kernelspec manager's public import path since 0.1, which configurations name
(`c.ServerApp.kernel_spec_manager_class = "jupyterlab_conda_envs.kernelspec_manager.CondaEnvsKernelSpecManager"`).
The manager itself lives with the kernels, in `kernels/kernelspec_manager.py`."""

from __future__ import annotations

from .kernels.kernelspec_manager import CondaEnvsKernelSpecManager

__all__ = ["CondaEnvsKernelSpecManager"]
