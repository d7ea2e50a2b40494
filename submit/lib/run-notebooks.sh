#!/usr/bin/env bash
# Executes every notebook in notebooks/ headlessly against an output root, failing on any cell
# error. Installs notebooks/requirements.txt into a venv first (kept in $NIGHTJAR_VENV, default
# ~/.cache/nightjar/notebook-venv), from the machine's configured package index or wheel mirror.
# Usage: submit/lib/run-notebooks.sh OUTPUT_ROOT [EXECUTED_DIR]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=launcher.sh
source "$(dirname "${BASH_SOURCE[0]}")/launcher.sh"
[[ $# -ge 1 && "$1" != -* ]] || fail "usage: submit/lib/run-notebooks.sh OUTPUT_ROOT [EXECUTED_DIR]"
output_root="$1"
executed="${2:-$(mktemp -d)}"
venv="${NIGHTJAR_VENV:-$HOME/.cache/nightjar/notebook-venv}"

if [[ ! -x "$venv/bin/jupyter" ]] || ! cmp -s "$repo/notebooks/requirements.txt" "$venv/requirements.txt"; then
  echo "Installing the notebooks' packages into $venv" >&2
  python3 -m venv "$venv"
  # No retries: a package missing from the mirror fails at once instead of waiting on the network.
  "$venv/bin/pip" install -q --retries 0 --timeout 20 -r "$repo/notebooks/requirements.txt" >&2
  cp "$repo/notebooks/requirements.txt" "$venv/requirements.txt"
fi

mkdir -p "$executed"
status=0
for notebook in "$repo"/notebooks/*.ipynb; do
  echo "Executing $(basename "$notebook") against $output_root" >&2
  if ! NIGHTJAR_OUTPUT="$output_root" PYTHONPATH="$repo/notebooks" MPLBACKEND=Agg \
      "$venv/bin/jupyter" nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
      --output-dir "$executed" "$notebook" >&2; then
    echo "FAILED: $(basename "$notebook")" >&2
    status=1
  fi
done
exit $status
