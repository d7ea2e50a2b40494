#!/usr/bin/env bash
# Spark GPU discovery script: prints the GPUs of this host as Spark's ResourceInformation JSON,
# e.g. {"name": "gpu", "addresses": ["0", "1"]}. Needs nvidia-smi on the host.
set -euo pipefail
addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed -e 's/^ *//' -e 's/.*/"&"/' | paste -sd, -)
echo "{\"name\": \"gpu\", \"addresses\": [${addresses}]}"
