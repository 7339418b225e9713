#!/usr/bin/env bash
# Sets everything up and starts JupyterLab with the extension.
# On this machine's conda when there is one; otherwise on a demo conda root built by the project's fixture builder
# (in .demo-root, with HOME pointed at .demo-root/home so nothing of yours is read or written).
#   CONDA_ENVS_DEMO=1 forces the demo root. Extra arguments go to `jupyter lab`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
source .venv/bin/activate

# JupyterLab refuses to start as root unless told; containers and fresh cloud machines often run as root.
root_flag=()
[ "$(id -u)" = 0 ] && root_flag=(--allow-root)

real_conda=""
if [ -n "${CONDA_EXE:-}" ] || [ -n "${MAMBA_ROOT_PREFIX:-}" ]; then
  real_conda="${CONDA_EXE:-$MAMBA_ROOT_PREFIX}"
elif conda_path="$(type -P conda || type -P mamba || true)" && [ -n "$conda_path" ]; then
  # A conda on PATH whose shell was never activated: tell discovery where its root is.
  export CONDA_EXE="$conda_path"
  real_conda="$conda_path"
elif [ -s "$HOME/.conda/environments.txt" ]; then
  real_conda="$HOME/.conda/environments.txt"
fi

if [ -n "$real_conda" ] && [ "${CONDA_ENVS_DEMO:-0}" != 1 ]; then
  echo "lab: using this machine's conda ($real_conda)"
  exec jupyter lab "${root_flag[@]}" "$@"
fi

echo "lab: no conda found here; building the demo conda root in .demo-root (first time: about a minute)"
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
