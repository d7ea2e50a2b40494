#!/usr/bin/env bash
# The entry point common/pom.xml's ensure-fashion-mnist execution runs; delete the two together.
exec "$(dirname "${BASH_SOURCE[0]}")/../install-data.sh" "$@"
