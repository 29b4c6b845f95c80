#!/usr/bin/env bash
# Runs every test: type check, unit, integration (real Kafka, ElasticMQ, moto, PostgreSQL on loopback,
# started by scripts/services.sh through the vitest global setup) and end-to-end.
# Installs what it needs on a fresh machine: Node 24 (.tools/), npm dependencies, the services.
# Extra arguments go to vitest (e.g. --project unit).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/node-env.sh
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "test: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi
started=$(date +%s)
echo "test: type check"
npx tsc -p tsconfig.json --noEmit
mkdir -p test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
# One plain closing line any CI reader understands.
if [ -f test-results/vitest.json ]; then
  node -e '
    const r = JSON.parse(require("node:fs").readFileSync("test-results/vitest.json", "utf8"));
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  '
fi
echo "test: finished in $(( $(date +%s) - started )) s (exit $status)"
exit $status
