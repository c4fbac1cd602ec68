#!/usr/bin/env bash
# Install the JavaScript clients the snippets use (scripts/js/package.json, exact versions) into a cache folder
# outside the tree, and print that folder. Tests find it through PLAYGROUND_JS_DIR (default: the same folder).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${PLAYGROUND_JS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/playground-js}"
mkdir -p "$target"
if ! cmp -s "$here/js/package.json" "$target/package.json" || [ ! -d "$target/node_modules/@huggingface/inference" ]; then
  cp "$here/js/package.json" "$target/package.json"
  (cd "$target" && npm install --silent --no-audit --no-fund --no-package-lock >&2)
fi
echo "$target"
