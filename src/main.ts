// The entry point: runs the command line (the Dockerfile and bin/redrive run this file). The
// composition root lives in src/bootstrap; this file re-exports what the tests start it through.

import { runCli } from './bootstrap/cli.ts';

export { runCli } from './bootstrap/cli.ts';
export { startServer } from './bootstrap/serve.ts';
export type { Runtime, ServerOptions } from './bootstrap/container.ts';

if (import.meta.main) {
  const code = await runCli(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  process.exitCode = code;
}
