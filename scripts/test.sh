#!/usr/bin/env bash
# Runs every test: lint, type check, unit, integration (real Kafka, ElasticMQ, moto, PostgreSQL on loopback,
# started by scripts/services.sh through the vitest global setup), end-to-end and the local console in a
# browser (Debian's chromium, installed by scripts/install-chromium.sh).
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
# The browser test drives Debian's chromium: install it when the run includes that project. In CI a
# missing browser fails the run (the test itself refuses to skip); elsewhere it is a loud skip.
case " $* " in
  *" --project "*) wants_browser=false; case " $* " in *" --project browser "*|*" --project=browser "*) wants_browser=true ;; esac ;;
  *) wants_browser=true ;;
esac
if [ "$wants_browser" = true ] && ! scripts/install-chromium.sh; then
  if [ "${CI:-}" = true ]; then
    echo "test: chromium could not be installed; the browser test will fail (CI)" >&2
  else
    echo "test: *** chromium is missing: the browser test will be SKIPPED (run scripts/install-chromium.sh as root) ***" >&2
  fi
fi
echo "test: lint (Biome, then the layering rules of .dependency-cruiser.cjs)"
if ! npm run --silent lint; then
  echo "test: lint failed (npm run lint): fix the findings above" >&2
  exit 1
fi
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
