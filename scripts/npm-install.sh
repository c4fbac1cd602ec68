#!/usr/bin/env bash
# The npm packages the sandbox tests run under `python -m playground.sim run` (tests/test_sim_run.py):
# the launch post's JS examples use them. Installed into .cache/npm (gitignored); idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGES=("@huggingface/inference@4.13.30" "openai@7.59.0")
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: the node sandbox tests will be skipped" >&2
  exit 0
fi
mkdir -p .cache/npm
if [ -f .cache/npm/installed ] && [ "$(cat .cache/npm/installed)" = "${PACKAGES[*]}" ]; then
  exit 0
fi
npm install --prefix .cache/npm --no-audit --no-fund --loglevel=error --cache .cache/npm/_cache "${PACKAGES[@]}"
echo "${PACKAGES[*]}" > .cache/npm/installed
