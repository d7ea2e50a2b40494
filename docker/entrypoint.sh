#!/usr/bin/env bash
# The job image's entry point. Spark on Kubernetes starts its pods with the argument "driver" or
# "executor" (and the driver's spark-submit arguments); anything else runs as a command. The Spark
# home is jars only, without Spark's bin/ scripts, so this does their work: Spark's launcher library
# (org.apache.spark.launcher.Main, as bin/spark-class uses it) builds the driver's java command from
# spark-submit's arguments, and the executor's command is built here from the environment the
# executor pod is given.
set -euo pipefail

spark_jars="$SPARK_HOME/jars/*"
# The image's JVM, which Spark's launcher also names in the driver's command.
java="$JAVA_HOME/bin/java"
mapfile -t opens < <(grep -v '^[[:space:]]*$' "${NIGHTJAR_HOME:-/opt/nightjar}/lib/java17-opens")

# The launcher prints any messages as lines, then a line holding only NUL, then the command with a
# NUL after each argument; its own exit code follows.
launch() {
  local command=() word delimiter=$'\n' started=""
  while IFS= read -r -d "$delimiter" word; do
    if [[ -n "$started" ]]; then
      command+=("$word")
    elif [[ -z "$word" ]]; then
      started=1 delimiter=''
    else
      echo "$word" >&2
    fi
  done < <("$java" -Xmx128m -cp "$spark_jars" org.apache.spark.launcher.Main "$@"; printf '%d\0' $?)
  [[ ${#command[@]} -gt 1 ]] || { echo "entrypoint: Spark's launcher gave no command" >&2; exit 1; }
  local status="${command[${#command[@]} - 1]}"
  unset 'command[${#command[@]}-1]'
  [[ "$status" == 0 ]] || exit "$status"
  exec "${command[@]}"
}

case "${1:-}" in
  driver)
    shift
    launch org.apache.spark.deploy.SparkSubmit \
      --conf "spark.driver.bindAddress=$SPARK_DRIVER_BIND_ADDRESS" \
      --conf "spark.executorEnv.SPARK_DRIVER_POD_IP=$SPARK_DRIVER_BIND_ADDRESS" \
      --deploy-mode client "$@"
    ;;
  executor)
    shift
    # The executor's JVM options: spark.executor.extraJavaOptions and Spark's own settings.
    java_opts=()
    for name in $(compgen -v SPARK_JAVA_OPT_ | sort -t_ -k4 -n); do
      java_opts+=("${!name}")
    done
    exec "$java" "${opens[@]}" "-Xms$SPARK_EXECUTOR_MEMORY" "-Xmx$SPARK_EXECUTOR_MEMORY" "${java_opts[@]}" \
      -cp "${SPARK_CLASSPATH:+$SPARK_CLASSPATH:}$spark_jars" \
      org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend \
      --driver-url "$SPARK_DRIVER_URL" --executor-id "$SPARK_EXECUTOR_ID" \
      --cores "$SPARK_EXECUTOR_CORES" --app-id "$SPARK_APPLICATION_ID" \
      --hostname "$SPARK_EXECUTOR_POD_IP" --resourceProfileId "$SPARK_RESOURCE_PROFILE_ID" \
      ${SPARK_EXECUTOR_POD_NAME:+--podName "$SPARK_EXECUTOR_POD_NAME"} "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
