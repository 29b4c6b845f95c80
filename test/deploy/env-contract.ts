// What a deployment must give Redrive's container, from the config it mounts: the environment
// variables the config names (Slack secrets, DATABASE_URL, Alertmanager and Kafka credentials), the
// ones Redrive itself reads, and whether a given environment satisfies them. Shared by the Compose and
// Helm tests so both fail the same way when the config schema grows a secret.

import { parseConfigText, missingSecrets, resolveSecrets, slackTransport } from '../../src/config/load-config.ts';
import type { Config } from '../../src/config/config.schema.ts';

export const parseDeployedConfig = (text: string): Config => {
  const parsed = parseConfigText(text);
  if (!parsed.ok) throw new Error(`the deployed config is invalid: ${JSON.stringify(parsed.problems)}`);
  return parsed.config;
};

/** Every environment variable a container may set for this config; anything else is a typo or stale. */
export const knownEnvNames = (config: Config): Set<string> => {
  const am = config.alerts.alertmanager;
  const names = [
    config.slack.botTokenEnv,
    config.slack.signingSecretEnv,
    config.slack.appTokenEnv,
    config.store.kind === 'postgres' ? config.store.urlEnv : null,
    am.bearerTokenEnv,
    am.basicAuthUserEnv,
    am.basicAuthPasswordEnv,
    ...Object.values(config.kafka).flatMap((c) => (c.sasl ? [c.sasl.usernameEnv, c.sasl.passwordEnv] : [])),
    // Read by main.ts / bin/redrive, not named by the config.
    'REDRIVE_CONFIG',
    'LOG_LEVEL',
    'NODE_ENV',
  ];
  return new Set(names.filter((n): n is string => Boolean(n)));
};

/** Problems Redrive would report at start with this environment, and the Slack transport it would use. */
export const startupWith = (config: Config, env: Record<string, string>) => {
  const secrets = resolveSecrets(config, env);
  return { missing: missingSecrets(config, secrets).map((p) => p.message), slack: slackTransport(config, secrets) };
};
