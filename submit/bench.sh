#!/usr/bin/env bash
# Runs a Nightjar benchmark on this machine (Spark local mode), through nightjar-submit.sh with
# the benchmarks' jar and entry class. See --help.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/launcher.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/launcher.sh"

usage() {
  cat <<USAGE
Usage: submit/bench.sh BENCHMARK [options]

Benchmarks:
  load    loading throughput against parallel workers, with and without augmentation, against a
          single-threaded loop; generates 20,000 RGB JPEGs of 250x250 from Fashion-MNIST first.
          With --workload small-files: the prepare stage on Fashion-MNIST's 60,000 training images
          as 28x28 PNGs against a plain two-thread javax.imageio loop, measured in turns.
          'submit/bench.sh load --help' lists its options.
  train   FashionCNN on the full Fashion-MNIST: the default pipeline's wall time, its test accuracy
          and the training seconds until it first reached 0.91 (--target-accuracy), and the
          throughput of Nightjar with 1 and 2 workers, DL4J's Spark training at its defaults and a
          plain fit.
  infer   inference on the 10,000 test images in local[2]: trains and optimizes a model, then
          Nightjar's Spark inference (serving model and fp32, ONNX Runtime and DL4J) against
          DL4J's feedForwardWithKey and a plain two-thread loop.
  schedule
          one training schedule in local[2] on the full Fashion-MNIST, prepared under --work (with
          --prepare the first time) and trained with --conf train.KEY=VALUE overrides: every epoch's
          validation and test accuracy, fit and evaluation seconds, and the epochs and seconds to
          0.91 test accuracy (--target-accuracy). Run once per schedule, one at a time.

Each prints a summary table and, as its last line, one JSON object of figures. Options go to the
benchmark; --fashion-mnist DIR (default: submit/install-data.sh's folder, installed if missing)
may come anywhere. Runs bench/target/nightjar-bench-*.jar beside the job jar, both built first if
missing, in a driver of 8g heap and 6g ND4J off-heap, with one OpenMP thread.
USAGE
}
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") usage >&2; exit 2 ;;
  -*) fail "the benchmark's name comes first (see --help)" ;;
esac
benchmark="$1"; shift
data=""
bench_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --fashion-mnist) need_value "$@"; data="$2"; shift 2 ;;
    --fashion-mnist=*) data="${1#--fashion-mnist=}"; shift ;;
    *) bench_args+=("$1"); shift ;;
  esac
done

build_if_missing bench_jar job_jar
jar="$(bench_jar)" || fail "no benchmarks' jar bench/target/nightjar-bench-*.jar after 'mvn -B -q -DskipTests package': the build has no bench module"
libraries="$(job_jar)" || fail "no job jar after 'mvn -B -q -DskipTests package'"
[[ -n "$data" ]] || data="$("$submit_dir/install-data.sh")"

# The benchmarks start their own local sessions (local[1], local[2]); the master here is nominal.
# Figures are comparable only with one OpenMP thread per task, whatever the caller's environment.
export NIGHTJAR_JOB_JAR="$jar" NIGHTJAR_MAIN_CLASS=dev.nightjar.bench.BenchJob OMP_NUM_THREADS=1 SPARK_LOCAL_IP=127.0.0.1
exec "$submit_dir/nightjar-submit.sh" --master 'local[2]' --driver-memory 8g --driver-offheap 6g \
  --spark-conf "spark.jars=$libraries" "$benchmark" --fashion-mnist "$data" "${bench_args[@]}"
