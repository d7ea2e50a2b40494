#!/usr/bin/env bash
# Makes sure Fashion-MNIST is on this machine: the Debian package dataset-fashion-mnist, installed
# with apt-get when we are root or may use sudo without a password. Used by the build (before the
# tests) and by submit/pipeline.sh. Prints the folder holding the four IDX files.
set -euo pipefail

dir="${NIGHTJAR_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
if [[ -f "$dir/train-images-idx3-ubyte.gz" ]]; then
  echo "$dir"
  exit 0
fi
if [[ $(id -u) -eq 0 ]]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
if [[ "$sudo" != none ]]; then
  echo "Installing Fashion-MNIST (Debian package dataset-fashion-mnist)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  { $sudo apt-get install -y -q dataset-fashion-mnist || { $sudo apt-get update -q && $sudo apt-get install -y -q dataset-fashion-mnist; }; } >&2 || true
fi
if [[ -f "$dir/train-images-idx3-ubyte.gz" ]]; then
  echo "$dir"
  exit 0
fi
cat >&2 <<MSG
Fashion-MNIST is not in $dir and could not be installed. Either install it:
  sudo apt-get install dataset-fashion-mnist
or put the four IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in a folder and set
NIGHTJAR_FASHION_MNIST=DIR (for the tests) or pass --data DIR (to submit/pipeline.sh).
MSG
exit 2
