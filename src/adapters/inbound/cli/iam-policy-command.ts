// `redrive iam-policy`: prints the least-privilege IAM policy for the config's SQS queues as JSON on
// stdout (ready for `aws iam put-role-policy --policy-document file://…`), and on stderr what it
// had to leave out because the config does not name the resource.

import type { Config } from '../../../config/config.schema.ts';
import { buildIamPolicy } from '../../outbound/aws-iam/iam-policy.ts';

export const printIamPolicy = (config: Pick<Config, 'aws' | 'queues'>, source: string, io: { out: (line: string) => void; err: (line: string) => void }): number => {
  const result = buildIamPolicy(config);
  if (!result) {
    io.err(`${source}: no SQS queue is configured, so Redrive needs no AWS permission (Kafka queues use the cluster's own credentials).`);
    return 1;
  }
  io.out(JSON.stringify(result.policy, null, 2));
  for (const note of result.notes) io.err(`note: ${note}`);
  return 0;
};
