#!/usr/bin/env bash
# Benchmark: builds (or reuses) a 30-environment x 400-package root in .bench-root, measures the real server
# against rattler reading the same records, then reports the panel's render time for that root and the time from
# submitting a create to its first progress in the panel, in Debian chromium. It also builds, with the real conda
# (.real-conda), a 30-environment root in .bench-root/gator and times a gator-style listing by the conda CLI there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
# shellcheck disable=SC1091
source .venv/bin/activate
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
python -m benchmarks --out .bench-root "$@"
(
  cd ui-tests
  jlpm install
  CONDA_ENVS_FIXTURE_ROOT="$(cd .. && pwd)/.bench-root" jlpm playwright test -g "Render time|cancel a running create" --reporter=line 2>&1 |
    grep -E "^render:|^create:|passed|failed"
)
