#!/usr/bin/env bash
# Creates .venv and installs Selko with its development tools. Idempotent: it reinstalls only when
# pyproject.toml changed since the last run.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || { echo "Selko needs Python 3.11 or newer (found $("$PYTHON" --version))." >&2; exit 1; }

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=.venv/.selko-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Installing Selko into .venv (first run: a few minutes)…"
  .venv/bin/python -m pip install -q --upgrade pip
  # torch first, pinned to the CPU build: a bare requirement would pull several GB of CUDA wheels.
  .venv/bin/python -c 'import torch' 2>/dev/null || .venv/bin/python -m pip install -q "torch==${SELKO_TORCH_VERSION:-2.13.0}"
  .venv/bin/python -m pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi
