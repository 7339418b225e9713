#!/usr/bin/env bash
# Sets up a development checkout from nothing: a venv with the Python packages, the npm packages, the built
# extension installed into the venv (server extension enabled, labextension linked). Idempotent; safe to rerun.
#   --browser   also install Debian's chromium for the UI tests (never a downloaded browser)
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

want_browser=0
for arg in "$@"; do
  [ "$arg" = "--browser" ] && want_browser=1
done

if [ "$want_browser" = 1 ] && [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "setup: installing Debian chromium"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

command -v node >/dev/null || { echo "setup: Node.js >= 18 is required (node not found)" >&2; exit 1; }

python_bin="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$python_bin" -m venv .venv
fi
# shellcheck disable=SC1091
source .venv/bin/activate
python -m pip install -q --upgrade pip
# JupyterLab first: it provides jlpm, which builds the frontend.
python -m pip install -q "jupyterlab>=4.6,<5" "hatchling>=1.25" "hatch-jupyter-builder>=0.9" "hatch-nodejs-version>=0.3.2" editables build

echo "setup: npm packages and frontend build"
jlpm install --immutable 2>/dev/null || jlpm install
jlpm build

echo "setup: installing the package (editable) with its test dependencies"
# A link left by an earlier `labextension develop` would make pip write install.json into the source tree.
linked=".venv/share/jupyter/labextensions/jupyterlab-conda-envs"
[ -L "$linked" ] && rm "$linked"
python -m pip install -q --no-build-isolation -e ".[test]"
jupyter labextension develop . --overwrite >/dev/null
jupyter server extension enable jupyterlab_conda_envs >/dev/null
