// Vitest global setup for the deploy project: installs the Python linters (scripts/deploy-tools.sh,
// from PyPI into .tools/deploy-venv) once before the test files run in parallel.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  execFileSync('bash', [join(import.meta.dirname, '../../scripts/deploy-tools.sh')], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 10 * 60_000 });
}
