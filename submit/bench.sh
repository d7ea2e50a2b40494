#!/usr/bin/env bash
# Runs a Nightjar benchmark on this machine (Spark local mode). See --help.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

usage() {
  cat <<USAGE
Usage: submit/bench.sh BENCHMARK [options]

Benchmarks:
  load    loading throughput against parallel workers, with and without augmentation, against a
          single-threaded loop; generates 20,000 RGB JPEGs of 250x250 from Fashion-MNIST first.
          'submit/bench.sh load --help' lists its options.
  train   FashionCNN on the full Fashion-MNIST: Nightjar's test accuracy, and the throughput of
          Nightjar with 1 and 2 workers, DL4J's Spark training at its defaults and a plain fit.
  infer   inference on the 10,000 test images in local[2]: trains and optimizes a model, then
          Nightjar's Spark inference (serving model and fp32, ONNX Runtime and DL4J) against
          DL4J's feedForwardWithKey and a plain two-thread loop.

Each prints a summary table and, as its last line, one JSON object of figures.
USAGE
}
[[ $# -ge 1 && "$1" != -h && "$1" != --help ]] || { usage; exit 0; }

if ! ls "$repo"/jobs/target/nightjar-jobs-*-job.jar >/dev/null 2>&1 || [[ ! -d "$repo/jobs/target/spark-home/jars" ]]; then
  (cd "$repo" && mvn -B -q -DskipTests package)
fi
data="$("$here/lib/ensure-fashion-mnist.sh")"
job_jar="$(ls "$repo"/jobs/target/nightjar-jobs-*-job.jar | head -n 1)"
mapfile -t opens < "$here/lib/java17-opens"
export OMP_NUM_THREADS=1 SPARK_LOCAL_IP=127.0.0.1
benchmark="$1"; shift
exec java "${opens[@]}" -Xmx8g -Dorg.bytedeco.javacpp.maxbytes=6G -Dorg.bytedeco.javacpp.maxphysicalbytes=16G \
  -Dlog4j2.configurationFile="file:$repo/conf/log4j2.properties" \
  -cp "$repo/jobs/target/spark-home/jars/*:$job_jar" dev.nightjar.jobs.bench.BenchJob \
  "$benchmark" --fashion-mnist "$data" "$@"
