#!/usr/bin/env bash
# Runs every test from a fresh checkout: lint, jest, pytest, Galata (Debian chromium). Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
bash scripts/setup.sh --browser
# shellcheck disable=SC1091
source .venv/bin/activate
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# The real conda CLI that setup installed: the parity and conda-backend tests fail (not skip) without it.
export CONDA_ENVS_REAL_CONDA="$repo/.real-conda/bin/conda"
export CONDA_ENVS_REQUIRE_REAL_CONDA=1
if [ ! -x "$CONDA_ENVS_REAL_CONDA" ]; then
  echo "test: no real conda CLI at $CONDA_ENVS_REAL_CONDA: setup installs it from ../shared/tools/real-conda" >&2
  exit 1
fi

echo "== lint"
ruff check .
ruff format --check .
mypy
jlpm lint:check

echo "== jest"
jlpm test

echo "== fixture conda root (shared by pytest and Galata)"
export CONDA_ENVS_FIXTURE_ROOT="$repo/.fixture-root/test"
python -m fixture_root build --catalogue test --out "$CONDA_ENVS_FIXTURE_ROOT" --reuse

echo "== galata"
(
  cd ui-tests
  jlpm install
  jlpm playwright test
)

echo "== pytest"
python -m pytest -ra
