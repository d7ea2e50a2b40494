#!/usr/bin/env bash
# The nightly run, as cron and systemd start it: the pipeline for one date (today by default),
# logged to a dated file. The pipeline takes the output root's lock itself, so a second start
# while one runs exits with code 4 and touches nothing. Stages already done for the date are
# skipped, so rerunning a failed night redoes only what failed.
#
# Settings come from the environment (for systemd: /etc/nightjar/nightly.env):
#   NIGHTJAR_OUTPUT       output root (default: ./output)
#   NIGHTJAR_MASTER       Spark master (default: the profile's, else local[*])
#   NIGHTJAR_PROFILE      a kind of cluster from submit/profiles, e.g. standalone or yarn-gpu
#   NIGHTJAR_ENV_FILE     an environment layer, e.g. conf/env/standalone.conf
#   NIGHTJAR_SUBMIT_OPTS  more options for nightjar-submit.sh, e.g. "--executor-memory 8g"
#   NIGHTJAR_LOG_DIR      where the dated logs go (default: ./logs)
# Arguments are passed to the pipeline job, e.g. --date 2026-11-27 or --force train.
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/launcher.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/launcher.sh"

if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
  exit 0
fi
# The date names the log, so it is read here; the arguments go to the job as they are.
date_arg=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --date) need_value "${args[@]:i}"; date_arg="${args[i + 1]}"; i=$((i + 1)) ;;
    --date=*) date_arg="${args[i]#--date=}" ;;
  esac
done
[[ -z "$date_arg" || "$date_arg" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || fail "--date takes YYYY-MM-DD (got '$date_arg')"
job_args=()
if [[ -z "$date_arg" ]]; then
  date_arg="$(date +%F)"
  job_args+=(--date "$date_arg")
fi
[[ -z "${NIGHTJAR_ENV_FILE:-}" ]] || job_args+=(--env-file "$NIGHTJAR_ENV_FILE")

submit_opts=()
[[ -z "${NIGHTJAR_PROFILE:-}" ]] || submit_opts+=(--profile "$NIGHTJAR_PROFILE")
# Without NIGHTJAR_MASTER the profile's master holds (nightjar-submit.sh's default without one).
[[ -z "${NIGHTJAR_MASTER:-}" ]] || submit_opts+=(--master "$NIGHTJAR_MASTER")
read -ra more_opts <<< "${NIGHTJAR_SUBMIT_OPTS:-}"
submit_opts+=("${more_opts[@]}")

log_dir="${NIGHTJAR_LOG_DIR:-$PWD/logs}"
mkdir -p "$log_dir" || fail "cannot make the log folder $log_dir (NIGHTJAR_LOG_DIR)"
log="$log_dir/nightjar-$date_arg.log"

{
  echo "=== $(date -Is) nightly run for $date_arg on $(hostname)"
  "$submit_dir/nightjar-submit.sh" "${submit_opts[@]}" \
    pipeline --output "${NIGHTJAR_OUTPUT:-$PWD/output}" "${job_args[@]}" "$@"
  code=$?
  echo "=== $(date -Is) exit code $code"
  exit $code
} >> "$log" 2>&1
