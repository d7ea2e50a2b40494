#!/usr/bin/env bash
# Runs the whole Nightjar pipeline (prepare -> train -> optimize -> infer) on this machine in Spark local mode,
# setting up what is missing first: the jars and the Fashion-MNIST data set. See --help.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/launcher.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/launcher.sh"

usage() {
  cat <<USAGE
Usage: submit/pipeline.sh [options]

Run prepare -> train -> optimize -> infer on Fashion-MNIST in Spark local mode and print a summary.
Builds the jars if needed and, unless a data source is given, installs the data set (Debian
package dataset-fashion-mnist) if it is not on the machine.

Options:
  --output DIR          output root, a path or Hadoop URI (default: ./output)
  --date YYYY-MM-DD     run date (default: today)
  --data DIR            folder with the four Fashion-MNIST IDX .gz files (default: data.source if
                        given with --conf, else /usr/share/datasets/fashion-mnist, installed from
                        the Debian package if missing); wins over --conf data.source=...
  --conf KEY=VALUE      override a setting, e.g. --conf train.epochs=2 (repeatable)
  --master URL          Spark master (default: local[*])
  --driver-memory SIZE  heap of the local JVM, in g (default: 6g)
  --rebuild             rebuild the jars even if they exist
  -h, --help            this help
USAGE
}

output="$PWD/output"; data=""; master="local[*]"; driver_memory=6g; rebuild=""; conf_source=""
job_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --output) need_value "$@"; output="$2"; shift 2 ;;
    --date) need_value "$@"; job_args+=(--date "$2"); shift 2 ;;
    --data) need_value "$@"; data="$2"; shift 2 ;;
    --conf)
      need_value "$@"
      [[ "$2" != data.source=* && "$2" != nightjar.data.source=* ]] || conf_source=1
      job_args+=(--conf "$2"); shift 2 ;;
    --master) need_value "$@"; master="$2"; shift 2 ;;
    --driver-memory) need_value "$@"; driver_memory="$2"; shift 2 ;;
    --rebuild) rebuild=--rebuild; shift ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown option $1 (see --help)" ;;
  esac
done

step() { printf '\n==> %s\n' "$*"; }

command -v java >/dev/null || fail "java not found; install a Java 17 JDK"
build_if_missing ${rebuild:+"$rebuild"}

# --data is the job's shortcut for data.source and wins over --conf, so it is passed only when
# the user gave it, or gave no source at all (then the default data set).
if [[ -z "$data" && -z "$conf_source" ]]; then
  step "Checking for Fashion-MNIST"
  data="$("$submit_dir/install-data.sh")"
fi
[[ -z "$data" ]] || job_args+=(--data "$data")

step "Running the pipeline on $master: output in $output"
exec "$submit_dir/nightjar-submit.sh" --master "$master" --driver-memory "$driver_memory" \
  pipeline --output "$output" "${job_args[@]}"
