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

python_bin="${PYTHON:-python3}"

# Debian packages this needs: Node.js for the frontend build, venv support, and chromium for the UI tests.
apt_packages=()
command -v node >/dev/null || apt_packages+=(nodejs npm)
"$python_bin" -c "import ensurepip, venv" 2>/dev/null || apt_packages+=(python3-venv)
if [ "$want_browser" = 1 ] && [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  apt_packages+=(chromium)
fi
if [ "${#apt_packages[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${apt_packages[*]}"
  sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install ${apt_packages[*]}" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

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
jlpm install
jlpm build

echo "setup: installing the package (editable) with its test dependencies"
# A link left by an earlier `labextension develop` would make pip write install.json into the source tree.
linked=".venv/share/jupyter/labextensions/jupyterlab-conda-envs"
[ -L "$linked" ] && rm "$linked"
python -m pip install -q --no-build-isolation -e ".[test]"
jupyter labextension develop . --overwrite >/dev/null
jupyter server extension enable jupyterlab_conda_envs >/dev/null

# The real conda CLI (conda's own source, ../shared/wheels), the reference for every conda behaviour in the tests:
# installed into .real-conda (a venv of its own; .real-conda/bin/conda runs it). Outside this workplace there is no
# ../shared: the tests that need it then say so (scripts/test.sh requires it).
real_conda_tool="$(cd .. && pwd)/shared/tools/real-conda"
if [ -x "$real_conda_tool" ] || [ -f "$real_conda_tool" ]; then
  echo "setup: real conda CLI in .real-conda"
  PYTHON="$python_bin" bash "$real_conda_tool" .real-conda >/dev/null
  .real-conda/bin/conda --version
else
  echo "setup: no real conda installer at $real_conda_tool; the parity tests will report it missing"
fi
