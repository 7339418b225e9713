#!/usr/bin/env bash
# Benchmark: builds (or reuses) a 30-environment × 400-package root in .bench-root and measures the real server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
source .venv/bin/activate
python -m benchmarks --out .bench-root "$@"
