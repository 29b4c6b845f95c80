// The layering rules of the house (STYLE.md, README "Layout"), checked by `npm run lint`:
// core <- ports <- app <- presentation <- adapters <- bootstrap/main. Type-only imports count too.

/** Node built-ins that do I/O: the pure core must not touch them. */
const IO_BUILTINS = '^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|dns|dns/promises|child_process|cluster|worker_threads|readline|inspector|v8|vm)$';
/** The capabilities inside app: each imports only its own folder, app/shared, core and ports. */
const CAPABILITIES = ['access', 'incidents', 'jobs', 'messages', 'monitors', 'report', 'health'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules form no import cycle at run time.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-types',
      comment: 'Modules form no import cycle, type-only imports included.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-stays-in-core',
      comment: 'src/core is pure: it imports only src/core.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'core-does-no-io',
      comment: 'src/core does no I/O: no file, network, process or thread built-ins.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'], path: IO_BUILTINS },
    },
    {
      name: 'core-packages',
      comment: 'src/core uses no npm package but the pure date library (date-fns).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: '(^|/)node_modules/(date-fns|@date-fns/utc)/' },
    },
    {
      name: 'ports-import-core-and-ports',
      comment: 'src/ports (interfaces) import only core and ports.',
      severity: 'error',
      from: { path: '^src/ports/' },
      to: { path: '^src/', pathNot: ['^src/(core|ports)/', '^src/presentation/'] },
    },
    {
      name: 'ports-not-presentation',
      comment: 'src/ports does not import presentation (ports speak typed results, not Slack blocks).',
      severity: 'error',
      from: { path: '^src/ports/' },
      to: { path: '^src/presentation/' },
    },
    {
      name: 'app-below-presentation',
      comment: 'src/app imports only core, ports, app and the error catalogue: never adapters, bootstrap, config or main.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/', pathNot: ['^src/(core|ports|app)/', '^src/errors\\.ts$', '^src/presentation/'] },
    },
    {
      name: 'app-not-presentation',
      comment: 'src/app returns typed results; presentation renders them.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/presentation/' },
    },
    {
      name: 'app-shared-stays-shared',
      comment: 'app/shared imports only app/shared (and core, ports) inside app.',
      severity: 'error',
      from: { path: '^src/app/shared/' },
      to: { path: '^src/app/', pathNot: '^src/app/shared/' },
    },
    {
      name: 'app-capabilities-not-siblings',
      comment: `A capability folder (${CAPABILITIES.join(', ')}) imports only itself and app/shared inside app; app/commands composes them.`,
      severity: 'error',
      from: { path: `^src/app/(${CAPABILITIES.join('|')})/` },
      to: { path: '^src/app/', pathNot: ['^src/app/$1/', '^src/app/shared/'] },
    },
    {
      name: 'presentation-below-adapters',
      comment: 'src/presentation never imports adapters, bootstrap or main.',
      severity: 'error',
      from: { path: '^src/presentation/' },
      to: { path: '^src/(adapters/|bootstrap/|main\\.ts$)' },
    },
    {
      name: 'slack-api-emulator-stands-alone',
      comment: 'src/slack-api-emulator imports nothing from the rest of src (the console and the tests both use it).',
      severity: 'error',
      from: { path: '^src/slack-api-emulator/' },
      to: { path: '^src/', pathNot: '^src/slack-api-emulator/' },
    },
    {
      name: 'main-is-the-top',
      comment: 'Nothing in src imports src/main.ts (bin/redrive runs it; tests and bench start it).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^src/main\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
