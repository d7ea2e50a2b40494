#!/usr/bin/env bash
# Runs the whole Nightjar pipeline (prepare -> train -> optimize -> infer) on this machine in Spark local mode,
# setting up what is missing first: the jars and the Fashion-MNIST data set. See --help.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

usage() {
  cat <<USAGE
Usage: submit/pipeline.sh [options]

Run prepare -> train -> optimize -> infer on Fashion-MNIST in Spark local mode and print a summary.
Builds the jars if needed and installs the data set (Debian package dataset-fashion-mnist)
if it is not on the machine.

Options:
  --output DIR          output root, a path or Hadoop URI (default: ./output)
  --date YYYY-MM-DD     run date (default: today)
  --data DIR            folder with the four Fashion-MNIST IDX .gz files (default: /usr/share/datasets/fashion-mnist,
                        installed from the Debian package if missing)
  --conf KEY=VALUE      override a setting, e.g. --conf train.epochs=2 (repeatable)
  --master URL          Spark master (default: local[*])
  --driver-memory SIZE  heap of the local JVM, in g (default: 6g)
  --rebuild             rebuild the jars even if they exist
  -h, --help            this help
USAGE
}

output="$PWD/output"; date_arg=""; data=""; master="local[*]"; driver_memory=6g; rebuild=""
job_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --output) output="$2"; shift 2 ;;
    --date) date_arg="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --conf) job_args+=(--conf "$2"); shift 2 ;;
    --master) master="$2"; shift 2 ;;
    --driver-memory) driver_memory="$2"; shift 2 ;;
    --rebuild) rebuild=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "pipeline.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

step() { printf '\n==> %s\n' "$*"; }

command -v java >/dev/null || { echo "pipeline.sh: java not found; install a Java 17 JDK" >&2; exit 2; }

if [[ -n "$rebuild" ]] || ! ls "$repo"/jobs/target/nightjar-jobs-*-job.jar >/dev/null 2>&1 || [[ ! -d "$repo/jobs/target/spark-home/jars" ]]; then
  command -v mvn >/dev/null || { echo "pipeline.sh: mvn not found; install Maven 3.8+" >&2; exit 2; }
  step "Building the jars (mvn package, tests skipped)"
  (cd "$repo" && mvn -B -q -DskipTests package)
fi

if [[ -z "$data" ]]; then
  step "Checking for Fashion-MNIST"
  data="$("$here/lib/ensure-fashion-mnist.sh")"
fi

[[ -n "$date_arg" ]] && job_args+=(--date "$date_arg")
step "Running the pipeline on $master: output in $output"
exec "$here/nightjar-submit.sh" --master "$master" --driver-memory "$driver_memory" \
  pipeline --output "$output" --data "$data" "${job_args[@]}"
