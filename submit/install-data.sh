#!/usr/bin/env bash
# Makes sure Fashion-MNIST is on this machine: the Debian package dataset-fashion-mnist, installed
# with apt-get when we are root or may use sudo without a password. Run by .ci/run before the
# build (the tests read the data set), and by pipeline.sh and bench.sh. See --help.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/launcher.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/launcher.sh"

usage() {
  cat <<USAGE
Usage: submit/install-data.sh

Make sure Fashion-MNIST's four IDX .gz files are on this machine, installing the Debian package
dataset-fashion-mnist if they are not, and print the folder that holds them.

Environment:
  NIGHTJAR_FASHION_MNIST  the folder to look in (default /usr/share/datasets/fashion-mnist); the
                          package installs into the default folder only
USAGE
}
case "${1:-}" in
  "") ;;
  -h|--help) usage; exit 0 ;;
  *) fail "unknown argument $1 (see --help)" ;;
esac

default=/usr/share/datasets/fashion-mnist
dir="${NIGHTJAR_FASHION_MNIST:-$default}"
if [[ -f "$dir/train-images-idx3-ubyte.gz" ]]; then
  echo "$dir"
  exit 0
fi
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo -n)
if [[ "$dir" == "$default" ]] && "${sudo[@]}" true 2>/dev/null; then
  echo "Installing Fashion-MNIST (Debian package dataset-fashion-mnist)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  { "${sudo[@]}" apt-get install -y -q dataset-fashion-mnist \
      || { "${sudo[@]}" apt-get update -q && "${sudo[@]}" apt-get install -y -q dataset-fashion-mnist; }; } >&2 || true
fi
if [[ -f "$dir/train-images-idx3-ubyte.gz" ]]; then
  echo "$dir"
  exit 0
fi
cat >&2 <<MSG
$launcher_name: Fashion-MNIST is not in $dir. Either install it into $default:
  sudo apt-get install dataset-fashion-mnist
or put the four IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in a folder and set
NIGHTJAR_FASHION_MNIST=DIR, or pass --data DIR to submit/pipeline.sh (--fashion-mnist DIR to bench.sh).
MSG
exit 2
