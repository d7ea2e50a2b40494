# shellcheck shell=bash
# Shared by the scripts in submit/, which source it: their failure messages, option checks, where
# the jars and the Spark home are, the build when they are missing, and the JVM options that every
# JVM running Spark and ND4J needs. Defines functions and the variables submit_dir and repo.

submit_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$submit_dir/.." && pwd)"
# Messages start with the running script's name, e.g. "nightjar-submit: ...".
launcher_name="$(basename "$0" .sh)"

# fail MESSAGE: prints "NAME: MESSAGE" on stderr and exits with code 2 (a usage or setup error).
fail() {
  echo "$launcher_name: $*" >&2
  exit 2
}

# need_value "$@": fails unless the option in $1 is followed by a value. An option in its place
# (e.g. "--master --deploy-mode cluster") counts as missing.
need_value() {
  [[ $# -ge 2 && "$2" != --* ]] || fail "$1 needs a value"
}

# whole_gigabytes VALUE OPTION: prints VALUE ("4g", "4G" or "4") as a number of gigabytes.
whole_gigabytes() {
  local value="${1%[gG]}"
  [[ "$value" =~ ^[0-9]+$ ]] || fail "$2 must be a whole number of gigabytes, e.g. 4g (got '$1')"
  echo "$value"
}

# first_file GLOB...: prints the first existing file the patterns match; fails (status 1) if none.
first_file() {
  local file
  for file in "$@"; do
    [[ -f "$file" ]] && { echo "$file"; return 0; }
  done
  return 1
}

# job_jar: the job jar, NIGHTJAR_JOB_JAR if set (whether or not it exists), else the build's;
# status 1 and no output when neither is set nor built.
job_jar() {
  if [[ -n "${NIGHTJAR_JOB_JAR:-}" ]]; then
    echo "$NIGHTJAR_JOB_JAR"
  else
    first_file "$repo"/jobs/target/nightjar-jobs-*-job.jar
  fi
}

# bench_jar: the benchmarks' jar built by the bench module (their classes only; they run beside
# the job jar); status 1 when it is not built.
bench_jar() {
  first_file "$repo"/bench/target/nightjar-bench-*[0-9T].jar
}

# spark_home: SPARK_HOME, else the Spark made of the build's jars.
spark_home() {
  echo "${SPARK_HOME:-$repo/jobs/target/spark-home}"
}

# build_if_missing [--rebuild] [JAR_FUNCTION...]: runs the Maven build when one of the jars
# (default: job_jar) or the build's Spark home is missing, or always with --rebuild. What the
# environment names (NIGHTJAR_JOB_JAR, SPARK_HOME) is the user's and never triggers a build.
build_if_missing() {
  local rebuild="" jar missing=""
  if [[ "${1:-}" == --rebuild ]]; then rebuild=1; shift; fi
  [[ $# -gt 0 ]] || set -- job_jar
  for jar in "$@"; do
    if [[ "$jar" == job_jar && -n "${NIGHTJAR_JOB_JAR:-}" ]]; then continue; fi
    "$jar" >/dev/null || missing=1
  done
  [[ -n "${SPARK_HOME:-}" || -d "$repo/jobs/target/spark-home/jars" ]] || missing=1
  [[ -n "$rebuild$missing" ]] || return 0
  command -v mvn >/dev/null || fail "mvn not found; install Maven 3.8+"
  printf '\n==> %s\n' "Building the jars (mvn -B -q -DskipTests package)" >&2
  (cd "$repo" && mvn -B -q -DskipTests package) || fail "the build failed: mvn -B -q -DskipTests package"
}

# java17_opens ARRAY: reads the JVM options that Spark needs on Java 17 into the array named ARRAY.
# submit/lib/java17-opens is their only copy on this side; the build checks its own against it.
java17_opens() {
  mapfile -t "$1" < <(grep -v '^[[:space:]]*$' "$submit_dir/lib/java17-opens")
}

# javacpp_limits HEAP_G OFFHEAP_G: ND4J's off-heap limits for a JVM with that heap. javacpp refuses
# allocations past maxbytes, and past maxphysicalbytes of the whole process (heap, off-heap and 1g
# for the JVM itself), so a container sized the same is never killed for memory first.
javacpp_limits() {
  echo "-Dorg.bytedeco.javacpp.maxbytes=${2}G -Dorg.bytedeco.javacpp.maxphysicalbytes=$(($1 + $2 + 1))G"
}
