#!/usr/bin/env bash
# The nightly run, as cron and systemd start it: the pipeline for one date (today by default),
# logged to a dated file. The pipeline takes the output root's lock itself, so a second start
# while one runs exits with code 4 and touches nothing. Stages already done for the date are
# skipped, so rerunning a failed night redoes only what failed.
#
# Settings come from the environment (for systemd: /etc/nightjar/nightly.env):
#   NIGHTJAR_OUTPUT       output root (default: ./output)
#   NIGHTJAR_MASTER       Spark master (default: local[*])
#   NIGHTJAR_PROFILE      a kind of cluster from submit/profiles, e.g. standalone or yarn-gpu
#   NIGHTJAR_ENV_FILE     an environment layer, e.g. conf/env/standalone.conf
#   NIGHTJAR_SUBMIT_OPTS  more options for nightjar-submit.sh, e.g. "--executor-memory 8g"
#   NIGHTJAR_LOG_DIR      where the dated logs go (default: ./logs)
# Arguments are passed to the pipeline job, e.g. --date 2026-11-27 or --force train.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
  exit 0
fi
date_arg="$(date +%F)"
prev=""
for arg in "$@"; do
  [[ "$prev" == --date ]] && date_arg="$arg"
  prev="$arg"
done
log_dir="${NIGHTJAR_LOG_DIR:-$PWD/logs}"
mkdir -p "$log_dir"
log="$log_dir/nightjar-$date_arg.log"

profile=()
[[ -n "${NIGHTJAR_PROFILE:-}" ]] && profile=(--profile "$NIGHTJAR_PROFILE") # must come first
extra=()
[[ -n "${NIGHTJAR_ENV_FILE:-}" ]] && extra+=(--env-file "$NIGHTJAR_ENV_FILE")
has_date=""
for arg in "$@"; do [[ "$arg" == --date ]] && has_date=1; done
[[ -z "$has_date" ]] && extra+=(--date "$date_arg")

{
  echo "=== $(date -Is) nightly run for $date_arg on $(hostname)"
  # shellcheck disable=SC2086
  "$here/nightjar-submit.sh" "${profile[@]}" --master "${NIGHTJAR_MASTER:-local[*]}" ${NIGHTJAR_SUBMIT_OPTS:-} \
    pipeline --output "${NIGHTJAR_OUTPUT:-$PWD/output}" "${extra[@]}" "$@"
  code=$?
  echo "=== $(date -Is) exit code $code"
  exit $code
} >> "$log" 2>&1
