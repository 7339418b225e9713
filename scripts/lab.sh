#!/usr/bin/env bash
# Sets everything up and starts JupyterLab with the extension.
# On this machine's conda when there is one; otherwise on a demo conda root built by the project's fixture builder
# (in .demo-root, with HOME pointed at .demo-root/home so nothing of yours is read or written).
#   CONDA_ENVS_DEMO=1 forces the demo root. Extra arguments go to `jupyter lab`.
#   CONDA_ENVS_LAB_SKIP_SETUP=1 skips scripts/setup.sh (for tests and CI, where it already ran): the project's .venv
#   is used when there is one, else the `jupyter` already on PATH.
# The conda used is the first of: CONDA_EXE / MAMBA_ROOT_PREFIX, a conda or mamba on PATH, an installation in one of
# the default places discovery also reads (~/miniconda3, ~/anaconda3, ~/miniforge3, ~/mambaforge, ~/micromamba),
# ~/.conda/environments.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${CONDA_ENVS_LAB_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
fi
if [ -f .venv/bin/activate ]; then
  # shellcheck disable=SC1091
  source .venv/bin/activate
fi

# JupyterLab refuses to start as root unless told; containers and fresh cloud machines often run as root.
root_flag=()
[ "$(id -u)" = 0 ] && root_flag=(--allow-root)

real_conda=""
if [ -n "${CONDA_EXE:-}" ] || [ -n "${MAMBA_ROOT_PREFIX:-}" ]; then
  if [ -n "${CONDA_EXE:-}" ]; then real_conda="CONDA_EXE=$CONDA_EXE"; else real_conda="MAMBA_ROOT_PREFIX=$MAMBA_ROOT_PREFIX"; fi
elif conda_path="$(type -P conda || type -P mamba || true)" && [ -n "$conda_path" ]; then
  # A conda on PATH whose shell was never activated: tell discovery where its root is.
  export CONDA_EXE="$conda_path"
  real_conda="$conda_path, found on PATH"
else
  # The same names and the same test as discovery's default roots (environments/discovery.py): discovery lists such
  # an installation without CONDA_EXE, so it is this machine's conda, not a reason to build the demo.
  for name in miniconda3 anaconda3 miniforge3 mambaforge micromamba; do
    if [ -d "$HOME/$name/conda-meta" ] || [ -d "$HOME/$name/envs" ]; then
      real_conda="the installation in $HOME/$name"
      break
    fi
  done
  if [ -z "$real_conda" ] && [ -s "$HOME/.conda/environments.txt" ]; then
    real_conda="the environments listed in $HOME/.conda/environments.txt"
  fi
fi

if [ -n "$real_conda" ] && [ "${CONDA_ENVS_DEMO:-0}" != 1 ]; then
  echo "lab: using this machine's conda ($real_conda)"
  exec jupyter lab "${root_flag[@]}" "$@"
fi

echo "lab: no conda found here (no CONDA_EXE, no conda on PATH, none in ~/miniconda3 and the other default places); building the demo conda root in .demo-root (first time: about a minute)"
python -m fixture_root build --catalogue demo --out .demo-root --reuse
eval "$(python - <<'PY'
import json, shlex
env = json.load(open(".demo-root/manifest.json", encoding="utf-8"))["env"]
for key, value in env.items():
    print(f"export {key}={shlex.quote(value)}" if value else f"unset {key}")
PY
)"
# A file to try "Create Conda Environment" on (right-click it in the file browser): it names the demo's local
# channel, whose python and ipykernel really run here, so the new environment's kernel runs too.
python - <<'PY'
import json, pathlib
manifest = json.load(open(".demo-root/manifest.json", encoding="utf-8"))
live = manifest["paths"].get("live_channel")
target = pathlib.Path(".demo-root/projects/try-create.environment.yml")
if live and not target.exists():
    uri = pathlib.Path(live).as_uri()
    target.write_text(f"name: demo_new\nchannels:\n  - {uri}\ndependencies:\n  - python\n", encoding="utf-8")
PY
exec jupyter lab "${root_flag[@]}" --ServerApp.root_dir="$(pwd)/.demo-root/projects" "$@"
