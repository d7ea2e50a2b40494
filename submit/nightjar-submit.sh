#!/usr/bin/env bash
# Submits a Nightjar stage (or the whole pipeline) to Spark, with the JVM and memory settings
# DL4J needs on the driver and the executors. See --help.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/launcher.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/launcher.sh"

usage() {
  cat <<USAGE
Usage: submit/nightjar-submit.sh [options] STAGE [job options]

Submit a Nightjar stage to Spark. STAGE is one of prepare, train, optimize, infer or pipeline; it
is passed to the job's entry class, which checks it. Job options (--output, --date,
--conf key=value, --help, ...) go to the job; see 'submit/nightjar-submit.sh STAGE --help'.
Options come before STAGE, in any order.

Options:
  --profile NAME          settings for a kind of cluster, from submit/profiles/NAME.env: local,
                          standalone, yarn or k8s, each also as NAME-gpu; the other options win
  --master URL            Spark master: local[N], spark://host:port, yarn, k8s://... (default local[*])
  --deploy-mode MODE      client or cluster (default client)
  --executor-memory SIZE  executor JVM heap, in g (default 4g)
  --executor-offheap SIZE ND4J off-heap per executor, in g (default 4g); memoryOverhead is this plus 1g
  --executor-cores N      cores per executor (default 1)
  --gpus N                GPUs per executor, or for the driver in local mode (default 0): one task
                          per GPU, each bound to its own device; ships submit/gpu/discover-gpus.sh;
                          needs a jar built with -Pcuda
  --driver-memory SIZE    driver JVM heap, in g (default 4g)
  --driver-offheap SIZE   ND4J off-heap of the driver, in g (default: the driver's heap)
  --principal NAME        Kerberos principal, passed to spark-submit
  --keytab FILE           Kerberos keytab, passed to spark-submit
  --spark-conf KEY=VALUE  any other Spark setting (repeatable)
  -h, --help              this help

Environment:
  SPARK_HOME          a Spark 3.5 installation; default jobs/target/spark-home (built by 'mvn package')
  NIGHTJAR_JOB_JAR    the jar to submit; default jobs/target/nightjar-jobs-*-job.jar
  NIGHTJAR_MAIN_CLASS the class to run; default dev.nightjar.jobs.NightjarMain. STAGE, or any
                      word in its place, is that class's first argument
  NIGHTJAR_CONF_DIR   folder with nightjar.conf, log4j2.properties and spark-defaults.conf; default conf/
  NIGHTJAR_SPARK_SECRET_FILE
                      the secret shared by a standalone cluster's daemons, for spark.authenticate
                      (--profile standalone turns it on); a file readable by its owner only
  NIGHTJAR_SPARK_SECRET
                      the same secret itself, when there is no file
  NIGHTJAR_DRY_RUN    if 1, print the command that would run, one argument a line, and exit
USAGE
}

# Options are collected first and applied over the profile's settings, wherever --profile is.
profile=""
declare -A given=()
user_conf=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --profile) need_value "$@"; profile="$2"; shift 2 ;;
    --master) need_value "$@"; given[master]="$2"; shift 2 ;;
    --deploy-mode) need_value "$@"; given[deploy_mode]="$2"; shift 2 ;;
    --executor-memory) need_value "$@"; given[executor_memory]="$(whole_gigabytes "$2" "$1")"; shift 2 ;;
    --executor-offheap) need_value "$@"; given[executor_offheap]="$(whole_gigabytes "$2" "$1")"; shift 2 ;;
    --executor-cores) need_value "$@"; given[executor_cores]="$2"; shift 2 ;;
    --driver-memory) need_value "$@"; given[driver_memory]="$(whole_gigabytes "$2" "$1")"; shift 2 ;;
    --driver-offheap) need_value "$@"; given[driver_offheap]="$(whole_gigabytes "$2" "$1")"; shift 2 ;;
    --gpus)
      need_value "$@"
      [[ "$2" =~ ^[0-9]+$ ]] || fail "--gpus takes a whole number (got '$2')"
      given[gpus]="$2"; shift 2 ;;
    --principal|--keytab) need_value "$@"; user_conf+=("$1" "$2"); shift 2 ;;
    --spark-conf)
      need_value "$@"
      [[ "$2" != spark.authenticate.secret=* ]] || fail "spark.authenticate.secret on the command line would show in ps: put it in a file readable by you only and set NIGHTJAR_SPARK_SECRET_FILE"
      user_conf+=(--conf "$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) fail "unknown option $1 (see --help)" ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || { usage >&2; exit 2; }

# The settings a profile may change, at their defaults.
master="local[*]"; deploy_mode="client"; executor_memory=4; executor_offheap=4; executor_cores=1
driver_memory=4; driver_offheap=""; gpus=0
spark_conf=()
if [[ -n "$profile" ]]; then
  if [[ ! -f "$submit_dir/profiles/$profile.env" ]]; then
    known=("$submit_dir"/profiles/*.env); known=("${known[@]##*/}")
    fail "no profile '$profile': expected one of ${known[*]%.env}"
  fi
  # shellcheck source=/dev/null
  source "$submit_dir/profiles/$profile.env"
fi
for key in "${!given[@]}"; do printf -v "$key" '%s' "${given[$key]}"; done
driver_offheap="${driver_offheap:-$driver_memory}"
extra=()
for setting in "${spark_conf[@]}"; do extra+=(--conf "$setting"); done
extra+=("${user_conf[@]}")

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

# The stage names live in the entry class, which takes the stage as its first argument.
main_class="${NIGHTJAR_MAIN_CLASS:-dev.nightjar.jobs.NightjarMain}"
spark_home="$(spark_home)"
conf_dir="${NIGHTJAR_CONF_DIR:-$repo/conf}"
[[ -d "$spark_home/jars" ]] || fail "no Spark installation at $spark_home: set SPARK_HOME or run 'mvn -B -DskipTests package'"
job_jar="$(job_jar)" || fail "no job jar in jobs/target: set NIGHTJAR_JOB_JAR or run 'mvn -B -DskipTests package'"
[[ -f "$job_jar" ]] || fail "job jar not found: $job_jar (NIGHTJAR_JOB_JAR)"

# ND4J keeps its arrays off the JVM heap; javacpp enforces these limits, and Spark's container
# limits must leave room for them (memoryOverhead), or YARN and Kubernetes kill the executor.
executor_jvm_opts="$(javacpp_limits "$executor_memory" "$executor_offheap")"
driver_jvm_opts="$(javacpp_limits "$driver_memory" "$driver_offheap")"
if [[ -f "$conf_dir/log4j2.properties" ]]; then
  executor_jvm_opts+=" -Dlog4j2.configurationFile=file:$conf_dir/log4j2.properties"
  driver_jvm_opts+=" -Dlog4j2.configurationFile=file:$conf_dir/log4j2.properties"
fi

args=(
  --master "$master" --deploy-mode "$deploy_mode" --class "$main_class"
  --conf "spark.executor.memory=${executor_memory}g"
  --conf "spark.executor.memoryOverhead=$((executor_offheap + 1))g"
  --conf "spark.executor.cores=$executor_cores"
  --conf "spark.task.cpus=1"
  --conf "spark.executor.extraJavaOptions=$executor_jvm_opts"
  --conf "spark.driver.memory=${driver_memory}g"
  --conf "spark.driver.extraJavaOptions=$driver_jvm_opts"
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
# Every GPU setting is made here; the *-gpu profiles only set gpus (and the master or cores).
if [[ "$gpus" -gt 0 ]]; then
  if [[ "$master" == local* ]]; then
    # Local mode has no executors: the tasks take the driver's GPUs, found on this host.
    args+=(--conf "spark.driver.resource.gpu.amount=$gpus"
      --conf "spark.driver.resource.gpu.discoveryScript=$submit_dir/gpu/discover-gpus.sh")
  else
    # Spark runs the discovery script on each executor host, from the executor's working folder.
    # On YARN it asks for yarn.io/gpu from this setting itself.
    args+=(--files "$submit_dir/gpu/discover-gpus.sh"
      --conf "spark.executor.resource.gpu.amount=$gpus"
      --conf "spark.executor.resource.gpu.discoveryScript=./discover-gpus.sh")
    # Kubernetes asks the device plugin for VENDOR/gpu.
    [[ "$master" != k8s://* ]] || args+=(--conf "spark.executor.resource.gpu.vendor=nvidia.com")
  fi
  args+=(--conf "spark.task.resource.gpu.amount=1")
fi
# The driver reads nightjar.conf from here (client mode; in cluster mode pass settings with --conf).
[[ -d "$conf_dir" ]] && export NIGHTJAR_CONF_DIR="$conf_dir"
# Local mode runs the tasks inside the driver JVM: one OpenMP thread per task slot, as the jobs set
# for executors (nightjar.train.threads-per-worker); N tasks each starting one thread per core thrash the CPU.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

if [[ -x "$spark_home/bin/spark-submit" ]]; then
  command=("$spark_home/bin/spark-submit")
else
  # A Spark home that is only jars (as built by this project): launch SparkSubmit ourselves, with
  # what the spark-submit script would add: the Java 17 opens and the driver's heap.
  java17_opens opens
  read -ra driver_jvm_words <<< "$driver_jvm_opts"
  export SPARK_HOME="$spark_home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  command=(java "${opens[@]}" "-Xmx${driver_memory}g" "${driver_jvm_words[@]}"
    -cp "$spark_home/jars/*" org.apache.spark.deploy.SparkSubmit)
fi
command+=("${args[@]}" "$job_jar" "$@")
if [[ "${NIGHTJAR_DRY_RUN:-}" == 1 ]]; then
  printf '%s\n' "${command[@]}"
  exit 0
fi
exec "${command[@]}"
