#!/usr/bin/env bash
# Submits a Nightjar stage (or the whole pipeline) to Spark, with the JVM and memory settings
# DL4J needs on the driver and the executors. See --help.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/launcher.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/launcher.sh"

usage() {
  cat <<USAGE
Usage: submit/nightjar-submit.sh [options] STAGE [job options]

Submit a Nightjar stage to Spark. STAGE is one of prepare, train, optimize, infer or pipeline, or
one of the model registry's commands models, promote or rollback (docs/registry.md); it is passed
to the job's entry class, which checks it. Job options (--output, --date,
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
  NIGHTJAR_JOB_JAR    the jar to submit: a file, or a local://, hdfs://, s3a://... URI passed to
                      spark-submit as it is; default jobs/target/nightjar-jobs-*-job.jar, or with the
                      k8s profiles the job image's own jar (local:///opt/nightjar/jars/...)
  NIGHTJAR_MAIN_CLASS the class to run; default dev.nightjar.jobs.NightjarMain. STAGE, or any
                      word in its place, is that class's first argument
  NIGHTJAR_CONF_DIR   folder with nightjar.conf, log4j2.properties and spark-defaults.conf; default conf/.
                      On YARN log4j2.properties travels with the job (--files); in cluster mode
                      nightjar.conf and the job's --env-file too, and the script exits with the
                      job's own exit code (docs/yarn.md)
  HADOOP_CONF_DIR, YARN_CONF_DIR
                      the cluster's Hadoop and YARN client settings (--master yarn, hdfs://)
  NIGHTJAR_SPARK_SECRET_FILE
                      the secret shared by a standalone cluster's daemons, for spark.authenticate
                      (--profile standalone turns it on); a file readable by its owner only
  NIGHTJAR_SPARK_SECRET
                      the same secret itself, when there is no file
  NIGHTJAR_IMAGE, NIGHTJAR_UPLOAD_PATH, NIGHTJAR_SPARK_SECRET_NAME, NIGHTJAR_NAMESPACE,
  NIGHTJAR_SERVICE_ACCOUNT
                      Kubernetes: the job image (required), where local files are uploaded, the
                      Kubernetes secret holding the Spark secret, ... (submit/profiles/k8s.env,
                      docs/kubernetes.md)
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
# A profile may name a jar inside its cluster's image, for a driver in the cluster when
# NIGHTJAR_JOB_JAR is not set.
image_job_jar=""
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

# spark_class_path: Spark's jars, then the Hadoop and YARN configuration folders when set.
spark_class_path() {
  local path="$spark_home/jars/*" dir
  for dir in "${HADOOP_CONF_DIR:-}" "${YARN_CONF_DIR:-}"; do
    [[ -z "$dir" ]] || path+=":$dir"
  done
  echo "$path"
}

# create_event_log_dir: Spark refuses to start when event logging is on and its folder is missing.
# A folder on this host (file: or a plain path) is created when the driver runs here.
create_event_log_dir() {
  local dir
  dir="$(spark_setting spark.eventLog.dir)"
  [[ "$(spark_setting spark.eventLog.enabled)" == true && "$deploy_mode" == client ]] || return 0
  case "$dir" in
    file:*) dir="${dir#file:}"; while [[ "$dir" == //* ]]; do dir="${dir#/}"; done ;;
    /*) ;;
    *) return 0 ;;
  esac
  mkdir -p "$dir" 2>/dev/null || fail "cannot create the event log folder $dir (spark.eventLog.dir): set NIGHTJAR_EVENT_LOG_DIR to a folder you may write"
}

# The stage names live in the entry class, which takes the stage as its first argument.
main_class="${NIGHTJAR_MAIN_CLASS:-dev.nightjar.jobs.NightjarMain}"
spark_home="$(spark_home)"
conf_dir="${NIGHTJAR_CONF_DIR:-$repo/conf}"
[[ -d "$spark_home/jars" ]] || fail "no Spark installation at $spark_home: set SPARK_HOME or run 'mvn -B -DskipTests package'"
# A driver on this host (client mode) runs the build's jar, as a driver in the cluster runs the image's.
if [[ -z "${NIGHTJAR_JOB_JAR:-}" && -n "$image_job_jar" && "$deploy_mode" == cluster ]]; then
  job_jar="$image_job_jar"
else
  job_jar="$(job_jar)" || fail "no job jar in jobs/target: set NIGHTJAR_JOB_JAR or run 'mvn -B -DskipTests package'"
fi
# A URI other than file: (local://, hdfs://, s3a://, ...) names a jar spark-submit or the cluster
# reaches; only a file of this host can be checked here.
remote_jar=""
if [[ "$job_jar" =~ ^[A-Za-z][A-Za-z0-9+.-]*: && "$job_jar" != file:* ]]; then
  remote_jar=1
else
  jar_path="${job_jar#file:}"
  while [[ "$jar_path" == //* ]]; do jar_path="${jar_path#/}"; done
  [[ -f "$jar_path" ]] || fail "job jar not found: $job_jar (NIGHTJAR_JOB_JAR)"
fi

on_yarn=""; [[ "$master" != yarn ]] || on_yarn=1
on_k8s=""; [[ "$master" != k8s://* ]] || on_k8s=1
yarn_cluster=""; [[ -z "$on_yarn" || "$deploy_mode" != cluster ]] || yarn_cluster=1
# The driver runs in the cluster, where this host's paths do not exist.
remote_driver=""; [[ "$deploy_mode" != cluster || -z "$on_yarn$on_k8s" ]] || remote_driver=1
# Where the job image (docker/Dockerfile) holds Nightjar's settings and scripts.
image_home=/opt/nightjar
if [[ -n "$on_k8s" ]]; then
  [[ -n "$(spark_setting spark.kubernetes.container.image)" ]] \
    || fail "no image for $master: set NIGHTJAR_IMAGE to the job image built from docker/Dockerfile (docs/kubernetes.md)"
fi
# Files for --files. On YARN each lands in the working folder of the containers (the driver's in
# cluster mode, the executors' always) under the name after '#', by which the JVMs refer to it. On
# Kubernetes spark-submit uploads it to spark.kubernetes.file.upload.path, and a driver in a pod
# fetches it into its working folder under its own name.
files=()
# ship FILE NAME: adds FILE to --files, as NAME on YARN (elsewhere a file keeps its own name, which
# must then be NAME); fails with one line if FILE is missing.
ship() {
  [[ -f "$1" && -r "$1" ]] || fail "cannot read $1, which the job needs in the cluster"
  [[ -n "$on_yarn" || "$(basename "$1")" == "$2" ]] \
    || fail "$1 would reach the driver as $(basename "$1"), the name of another settings file: give it another name"
  files+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")${on_yarn:+#$2}")
}
job_args=("$@")
driver_env=()
if [[ -n "$remote_driver" ]]; then
  # The driver runs in a YARN container or a pod, where the submitting host's paths do not exist:
  # the settings files the job reads travel with it and it reads them by name from its working folder.
  conf_dir_given=""
  for ((i = 1; i < ${#job_args[@]}; i++)); do
    option="${job_args[i]}" value=""
    case "$option" in
      --env-file|--conf-dir) ((i + 1 < ${#job_args[@]})) || break; value="${job_args[i + 1]}" ;;
      --env-file=*|--conf-dir=*) value="${option#*=}"; option="${option%%=*}" ;;
      *) continue ;;
    esac
    if [[ "$option" == --env-file ]]; then
      name="$(basename "$value")"
      [[ "$name" != nightjar.conf && "$name" != log4j2.properties && "$name" != discover-gpus.sh ]] || name="env-$name"
      ship "$value" "$name"
    else
      [[ -d "$value" ]] || fail "--conf-dir $value: no such folder"
      name=.
      [[ ! -f "$value/nightjar.conf" ]] || ship "$value/nightjar.conf" nightjar.conf
      conf_dir_given=1
    fi
    if [[ "${job_args[i]}" == *=* ]]; then job_args[i]="$option=$name"; else job_args[i + 1]="$name"; ((++i)); fi
  done
  if [[ -z "$conf_dir_given" && -f "$conf_dir/nightjar.conf" ]]; then
    ship "$conf_dir/nightjar.conf" nightjar.conf
    if [[ -n "$on_yarn" ]]; then
      driver_env+=(--conf "spark.yarn.appMasterEnv.NIGHTJAR_CONF_DIR=.")
    else
      driver_env+=(--conf "spark.kubernetes.driverEnv.NIGHTJAR_CONF_DIR=.")
    fi
  fi
fi

# ND4J keeps its arrays off the JVM heap; javacpp enforces these limits, and Spark's container
# limits must leave room for them (memoryOverhead), or YARN and Kubernetes kill the executor.
executor_jvm_opts="$(javacpp_limits "$executor_memory" "$executor_offheap")"
driver_jvm_opts="$(javacpp_limits "$driver_memory" "$driver_offheap")"
# The JVM started here: the driver in client mode, only the submitting client in cluster mode.
local_jvm_opts="$driver_jvm_opts"
if [[ -n "$on_k8s" ]]; then
  # A pod's JVM reads its log settings as it starts, before any shipped file arrives: the image's.
  image_log_conf="-Dlog4j2.configurationFile=file:$image_home/conf/log4j2.properties"
  executor_jvm_opts+=" $image_log_conf"
  [[ -z "$remote_driver" ]] || driver_jvm_opts+=" $image_log_conf"
fi
if [[ -f "$conf_dir/log4j2.properties" ]]; then
  log_conf="file:$conf_dir/log4j2.properties"
  local_jvm_opts+=" -Dlog4j2.configurationFile=$log_conf"
  if [[ -n "$on_yarn" ]]; then
    ship "$conf_dir/log4j2.properties" log4j2.properties
    executor_jvm_opts+=" -Dlog4j2.configurationFile=log4j2.properties"
  elif [[ -z "$on_k8s" ]]; then
    executor_jvm_opts+=" -Dlog4j2.configurationFile=$log_conf"
  fi
  if [[ -n "$yarn_cluster" ]]; then
    driver_jvm_opts+=" -Dlog4j2.configurationFile=log4j2.properties"
  elif [[ -z "$remote_driver" ]]; then
    driver_jvm_opts+=" -Dlog4j2.configurationFile=$log_conf"
  fi
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
  "${driver_env[@]}"
  "${extra[@]}"
)
# In cluster mode the driver has a container of its own, which must leave room for ND4J's off-heap too.
[[ "$deploy_mode" != cluster ]] || args+=(--conf "spark.driver.memoryOverhead=$((driver_offheap + 1))g")
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
if [[ -n "$on_k8s" && -z "$remote_driver" && -n "$(spark_setting spark.authenticate.secret.driver.file)" ]]; then
  # A driver on this host reads the secret from a file here; the executors' pods mount theirs.
  secret_file="${NIGHTJAR_SPARK_SECRET_FILE:-}"
  [[ -n "$secret_file" ]] || fail "a driver on this host needs the Spark secret the pods mount: set NIGHTJAR_SPARK_SECRET_FILE to a file holding it"
  spark_secret >/dev/null
  args+=(--conf "spark.authenticate.secret.driver.file=$(cd "$(dirname "$secret_file")" && pwd)/$(basename "$secret_file")")
fi
[[ -n "$properties_file" ]] && args+=(--properties-file "$properties_file")
# Every GPU setting is made here; the *-gpu profiles only set gpus (and the master or cores).
if [[ "$gpus" -gt 0 ]]; then
  if [[ "$master" == local* ]]; then
    # Local mode has no executors: the tasks take the driver's GPUs, found on this host.
    args+=(--conf "spark.driver.resource.gpu.amount=$gpus"
      --conf "spark.driver.resource.gpu.discoveryScript=$submit_dir/gpu/discover-gpus.sh")
  else
    args+=(--conf "spark.executor.resource.gpu.amount=$gpus")
    if [[ -n "$on_k8s" ]]; then
      # An executor looks for its GPUs as it starts, before shipped files arrive: the image's script.
      # Kubernetes asks the device plugin for VENDOR/gpu.
      args+=(--conf "spark.executor.resource.gpu.discoveryScript=$image_home/gpu/discover-gpus.sh"
        --conf "spark.executor.resource.gpu.vendor=nvidia.com")
    else
      # Spark runs the discovery script on each executor host, from the executor's working folder.
      # On YARN it asks for yarn.io/gpu from this setting itself.
      ship "$submit_dir/gpu/discover-gpus.sh" discover-gpus.sh
      args+=(--conf "spark.executor.resource.gpu.discoveryScript=./discover-gpus.sh")
    fi
  fi
  args+=(--conf "spark.task.resource.gpu.amount=1")
fi
[[ ${#files[@]} -eq 0 ]] || args+=(--files "$(IFS=,; echo "${files[*]}")")
# In YARN's cluster mode spark-submit only says whether the application failed. Tagged with a
# submission id, the application can be found afterwards, and its driver leaves its exit code
# under that id (dev.nightjar.jobs.cli.YarnOutcome), which this script then exits with.
submission=""
if [[ -n "$yarn_cluster" && "$(spark_setting spark.yarn.submit.waitAppCompletion)" != false ]]; then
  submission="nightjar-$(date -u +%Y%m%d%H%M%S)-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  tags="$(spark_setting spark.yarn.tags)"
  args+=(--conf "spark.yarn.tags=${tags:+$tags,}$submission" --conf "spark.nightjar.submission=$submission")
fi
# The driver reads nightjar.conf from here in client mode (in YARN's cluster mode, from its shipped copy).
[[ -d "$conf_dir" ]] && export NIGHTJAR_CONF_DIR="$conf_dir"
# Local mode runs the tasks inside the driver JVM: one OpenMP thread per task slot, as the jobs set
# for executors (nightjar.train.threads-per-worker); N tasks each starting one thread per core thrash the CPU.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

if [[ -x "$spark_home/bin/spark-submit" ]]; then
  command=("$spark_home/bin/spark-submit")
else
  # A Spark home that is only jars (as built by this project): launch SparkSubmit ourselves, with
  # what the spark-submit script would add: the Java 17 opens, the driver's heap, and the Hadoop
  # and YARN configuration folders on the class path.
  java17_opens opens
  read -ra local_jvm_words <<< "$local_jvm_opts"
  export SPARK_HOME="$spark_home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  command=(java "${opens[@]}" "-Xmx${driver_memory}g" "${local_jvm_words[@]}"
    -cp "$(spark_class_path)" org.apache.spark.deploy.SparkSubmit)
fi
command+=("${args[@]}" "$job_jar" "${job_args[@]}")
if [[ "${NIGHTJAR_DRY_RUN:-}" == 1 ]]; then
  printf '%s\n' "${command[@]}"
  exit 0
fi
create_event_log_dir
[[ -n "$submission" ]] || exec "${command[@]}"

# spark-submit in the background, so that a signal to this script reaches it; stopped so, the
# script stops too (the application goes on in the cluster, as with spark-submit alone).
"${command[@]}" &
submit_pid=$!
signalled=""
trap 'signalled=1; kill -TERM "$submit_pid" 2>/dev/null' TERM INT HUP
status=0
while kill -0 "$submit_pid" 2>/dev/null; do
  wait "$submit_pid" || status=$?
done
trap - TERM INT HUP
[[ -z "$signalled" ]] || exit 143
java17_opens opens
# The class path takes a path, not a URI: the job jar's, or the build's when the job jar is remote.
outcome_jar="${jar_path:-}"
[[ -z "$remote_jar" ]] || outcome_jar="$(first_file "$repo"/jobs/target/nightjar-jobs-*-job.jar)" \
  || fail "spark-submit exited with $status; reading the job's exit code needs the build's job jar here (mvn -B -DskipTests package)"
exec java "${opens[@]}" ${log_conf:+"-Dlog4j2.configurationFile=$log_conf"} -cp "$(spark_class_path):$outcome_jar" \
  dev.nightjar.jobs.cli.YarnOutcome "$submission" "$status"
