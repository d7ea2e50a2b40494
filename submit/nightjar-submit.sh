#!/usr/bin/env bash
# Submits one Nightjar stage (or the whole pipeline) to Spark, with the JVM and memory settings
# DL4J needs on the driver and the executors. See --help.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

usage() {
  cat <<USAGE
Usage: submit/nightjar-submit.sh [options] STAGE [job options]

Submit a Nightjar stage to Spark. STAGE is one of: prepare, train, optimize, infer, pipeline.
Job options (--output, --date, --conf key=value, --help, ...) go to the job; see
'submit/nightjar-submit.sh STAGE --help'.

Options:
  --profile NAME          settings for a kind of cluster, from submit/profiles/NAME.env: local,
                          standalone, yarn or k8s, each also as NAME-gpu; options given after win
  --master URL            Spark master: local[N], spark://host:port, yarn, k8s://... (default local[*])
  --deploy-mode MODE      client or cluster (default client)
  --executor-memory SIZE  executor JVM heap, in g (default 4g)
  --executor-offheap SIZE ND4J off-heap per executor, in g (default 4g); memoryOverhead is this plus 1g
  --executor-cores N      cores per executor (default 1)
  --gpus N                GPUs per executor (default 0): one task per GPU, each bound to its own
                          device; ships submit/gpu/discover-gpus.sh; needs a jar built with -Pcuda
  --driver-memory SIZE    driver JVM heap, in g (default 4g)
  --principal NAME        Kerberos principal, passed to spark-submit
  --keytab FILE           Kerberos keytab, passed to spark-submit
  --spark-conf KEY=VALUE  any other Spark setting (repeatable)
  -h, --help              this help

Environment:
  SPARK_HOME          a Spark 3.5 installation; default jobs/target/spark-home (built by 'mvn package')
  NIGHTJAR_JOB_JAR    the job jar; default jobs/target/nightjar-jobs-*-job.jar
  NIGHTJAR_CONF_DIR   folder with nightjar.conf and log4j2.properties; default conf/
  NIGHTJAR_SPARK_SECRET_FILE
                      the secret shared by a standalone cluster's daemons, for spark.authenticate
                      (--profile standalone turns it on); a file readable by its owner only
  NIGHTJAR_SPARK_SECRET
                      the same secret itself, when there is no file
USAGE
}

fail() {
  echo "nightjar-submit: $1" >&2
  exit 2
}

gigabytes() { # "4g" or "4" -> 4
  local value="${1%[gG]}"
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "nightjar-submit: $2 must be a whole number of gigabytes, e.g. 4g (got '$1')" >&2; exit 2; }
  echo "$value"
}

master="local[*]"; deploy_mode="client"; executor_memory=4; executor_offheap=4; executor_cores=1; driver_memory=4; gpus=0
extra=()
spark_conf=()
if [[ "${1:-}" == --profile ]]; then
  profile="$here/profiles/${2:-}.env"
  [[ -f "$profile" ]] || { echo "nightjar-submit: no profile '${2:-}': expected one of $(cd "$here/profiles" && ls *.env | sed 's/\.env$//' | tr '\n' ' ')" >&2; exit 2; }
  # shellcheck source=/dev/null
  source "$profile"
  shift 2
fi
for setting in "${spark_conf[@]}"; do extra+=(--conf "$setting"); done
while [[ $# -gt 0 ]]; do
  case "$1" in
    --master) master="$2"; shift 2 ;;
    --deploy-mode) deploy_mode="$2"; shift 2 ;;
    --executor-memory) executor_memory="$(gigabytes "$2" --executor-memory)"; shift 2 ;;
    --executor-offheap) executor_offheap="$(gigabytes "$2" --executor-offheap)"; shift 2 ;;
    --executor-cores) executor_cores="$2"; shift 2 ;;
    --driver-memory) driver_memory="$(gigabytes "$2" --driver-memory)"; shift 2 ;;
    --gpus) gpus="$2"; [[ "$gpus" =~ ^[0-9]+$ ]] || { echo "nightjar-submit: --gpus takes a whole number (got '$gpus')" >&2; exit 2; }; shift 2 ;;
    --principal) extra+=(--principal "$2"); shift 2 ;;
    --keytab) extra+=(--keytab "$2"); shift 2 ;;
    --spark-conf)
      [[ "$2" != spark.authenticate.secret=* ]] || fail "spark.authenticate.secret on the command line would show in ps: put it in a file readable by you only and set NIGHTJAR_SPARK_SECRET_FILE"
      extra+=(--conf "$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "nightjar-submit: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || { usage >&2; exit 2; }

spark_setting() { # the last value given to Spark setting $1 with --conf, or nothing
  local i value=""
  for ((i = 1; i < ${#extra[@]}; i++)); do
    [[ "${extra[i - 1]}" == --conf && "${extra[i]}" == "$1="* ]] && value="${extra[i]#*=}"
  done
  echo "$value"
}

spark_secret() { # prints the standalone cluster's shared secret
  local file="${NIGHTJAR_SPARK_SECRET_FILE:-}" secret mode
  if [[ -n "$file" ]]; then
    [[ -f "$file" && -r "$file" ]] || fail "cannot read the Spark secret file $file (NIGHTJAR_SPARK_SECRET_FILE)"
    mode="$(stat -c %a "$file")"
    [[ "$mode" == *00 ]] || fail "the Spark secret file $file must be readable by its owner only (mode $mode): chmod 600 $file"
    secret="$(<"$file")"
  elif [[ -n "${NIGHTJAR_SPARK_SECRET:-}" ]]; then
    secret="$NIGHTJAR_SPARK_SECRET"
  else
    fail "spark.authenticate is on for $master: set NIGHTJAR_SPARK_SECRET_FILE to the file holding the secret the cluster's daemons share (or NIGHTJAR_SPARK_SECRET to the secret)"
  fi
  [[ -n "$secret" && "$secret" != *$'\n'* ]] || fail "the Spark secret${file:+ in $file} must be one line, not empty"
  printf '%s' "$secret"
}
stage="$1"; shift
case "$stage" in
  prepare) class=dev.nightjar.jobs.PrepareJob ;;
  train) class=dev.nightjar.jobs.TrainJob ;;
  optimize) class=dev.nightjar.jobs.OptimizeJob ;;
  infer) class=dev.nightjar.jobs.InferJob ;;
  pipeline) class=dev.nightjar.jobs.PipelineJob ;;
  *) echo "nightjar-submit: unknown stage '$stage': expected prepare, train, optimize, infer or pipeline" >&2; exit 2 ;;
esac

spark_home="${SPARK_HOME:-$repo/jobs/target/spark-home}"
job_jar="${NIGHTJAR_JOB_JAR:-$(ls "$repo"/jobs/target/nightjar-jobs-*-job.jar 2>/dev/null | head -n 1)}"
conf_dir="${NIGHTJAR_CONF_DIR:-$repo/conf}"
[[ -d "$spark_home/jars" ]] || { echo "nightjar-submit: no Spark installation at $spark_home: set SPARK_HOME or run 'mvn -DskipTests package'" >&2; exit 2; }
[[ -f "$job_jar" ]] || { echo "nightjar-submit: job jar not found: set NIGHTJAR_JOB_JAR or run 'mvn -DskipTests package'" >&2; exit 2; }

# ND4J keeps its arrays off the JVM heap; javacpp enforces these limits, and Spark's container
# limits must leave room for them (memoryOverhead), or YARN and Kubernetes kill the executor.
offheap_opts="-Dorg.bytedeco.javacpp.maxbytes=${executor_offheap}G -Dorg.bytedeco.javacpp.maxphysicalbytes=$((executor_memory + executor_offheap + 1))G"
driver_offheap_opts="-Dorg.bytedeco.javacpp.maxbytes=${driver_memory}G -Dorg.bytedeco.javacpp.maxphysicalbytes=$((2 * driver_memory + 1))G"
log_opts=""
[[ -f "$conf_dir/log4j2.properties" ]] && log_opts="-Dlog4j2.configurationFile=file:$conf_dir/log4j2.properties"

args=(
  --master "$master" --deploy-mode "$deploy_mode" --class "$class"
  --conf "spark.executor.memory=${executor_memory}g"
  --conf "spark.executor.memoryOverhead=$((executor_offheap + 1))g"
  --conf "spark.executor.cores=$executor_cores"
  --conf "spark.task.cpus=1"
  --conf "spark.executor.extraJavaOptions=$offheap_opts $log_opts"
  --conf "spark.driver.memory=${driver_memory}g"
  --conf "spark.driver.extraJavaOptions=$driver_offheap_opts $log_opts"
  "${extra[@]}"
)
properties_file=""
[[ -f "$conf_dir/spark-defaults.conf" ]] && properties_file="$conf_dir/spark-defaults.conf"
if [[ "$master" == spark://* && "$(spark_setting spark.authenticate)" == true ]]; then
  # A standalone cluster shares one secret between its daemons and the applications, and Spark's
  # driver takes it only from spark.authenticate.secret. So that it shows neither in ps nor on disk,
  # it goes into a private copy of the properties file that is deleted once opened: the JVMs read it
  # through /dev/fd (on Linux a deleted file stays readable there as long as it is open).
  secret="$(spark_secret)"
  private_properties="$(mktemp "${TMPDIR:-/tmp}/nightjar-spark.XXXXXX")" # mode 600
  { [[ -n "$properties_file" ]] && cat "$properties_file"
    printf '\nspark.authenticate.secret=%s\n' "${secret//\\/\\\\}"; } > "$private_properties"
  exec {properties_fd}< "$private_properties"
  rm -f "$private_properties"
  unset secret NIGHTJAR_SPARK_SECRET
  properties_file="/dev/fd/$properties_fd"
fi
[[ -n "$properties_file" ]] && args+=(--properties-file "$properties_file")
if [[ "$gpus" -gt 0 ]]; then
  # Spark runs the discovery script on each executor host, from the executor's working folder.
  args+=(--files "$here/gpu/discover-gpus.sh"
    --conf "spark.executor.resource.gpu.amount=$gpus"
    --conf "spark.executor.resource.gpu.discoveryScript=./discover-gpus.sh"
    --conf "spark.task.resource.gpu.amount=1")
fi
# The driver reads nightjar.conf from here (client mode; in cluster mode pass settings with --conf).
[[ -d "$conf_dir" ]] && export NIGHTJAR_CONF_DIR="$conf_dir"
# Local mode runs the tasks inside the driver JVM: one OpenMP thread per task slot, as the jobs set
# for executors (nightjar.train.threads-per-worker); N tasks each starting one thread per core thrash the CPU.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

if [[ -x "$spark_home/bin/spark-submit" ]]; then
  exec "$spark_home/bin/spark-submit" "${args[@]}" "$job_jar" "$@"
fi
# A Spark home that is only jars (as built by this project): launch SparkSubmit ourselves, with
# what the spark-submit script would add: the Java 17 opens and the driver's heap.
mapfile -t opens < "$here/lib/java17-opens"
export SPARK_HOME="$spark_home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java "${opens[@]}" -Xmx"${driver_memory}"g $driver_offheap_opts $log_opts \
  -cp "$spark_home/jars/*" org.apache.spark.deploy.SparkSubmit "${args[@]}" "$job_jar" "$@"
