// `redrive iam-policy [--role <arn>]`: prints the least-privilege IAM policy as JSON on stdout (ready
// for `aws iam put-role-policy --policy-document file://…`): for Redrive's own credentials, or with
// --role for the queues that assume that role. On stderr: what it left out because the config does
// not name the resource, and which roles need their own policy.

import type { Config } from '../../../config/config.schema.ts';
import { buildIamPolicy } from '../../outbound/aws-iam/iam-policy.ts';

export const printIamPolicy = (
  config: Pick<Config, 'aws' | 'queues'>,
  role: string | null,
  source: string,
  io: { out: (line: string) => void; err: (line: string) => void },
): number => {
  const outcome = buildIamPolicy(config, role);
  if (outcome.kind === 'unknown-role') {
    io.err(`${source}: no queue assumes ${role} (${outcome.roles.length > 0 ? `roles in the config: ${outcome.roles.join(', ')}` : 'no queue sets assumeRoleArn'}).`);
    return 2;
  }
  if (outcome.kind === 'none') {
    io.err(`${source}: no SQS queue is configured, so Redrive needs no AWS permission (Kafka queues use the cluster's own credentials).`);
    return 1;
  }
  io.out(JSON.stringify(outcome.policy, null, 2));
  for (const note of outcome.notes) io.err(`note: ${note}`);
  return 0;
};
