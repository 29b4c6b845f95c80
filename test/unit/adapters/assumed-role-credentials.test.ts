import { describe, expect, it } from 'vitest';
import type { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { assumedRoleCredentials } from '../../../src/adapters/outbound/aws/assumed-role-credentials.ts';
import { accessKey, awsAccessFor, credentialSets, describeCredentialSet } from '../../../src/config/aws-credential-sets.ts';
import { parseConfig } from '../../../src/config/load-config.ts';
import { isRedriveError } from '../../../src/errors.ts';
import { fixedClock } from '../../../src/ports/clock.port.ts';

const ROLE = 'arn:aws:iam::111111111111:role/redrive-reader';

/** A stand-in STS: issues numbered keys valid for an hour from the test clock, or fails. */
const fakeSts = (clock: { now(): Date }, options: { fail?: Error } = {}) => {
  const calls: AssumeRoleCommand['input'][] = [];
  return {
    calls,
    send: async (command: AssumeRoleCommand) => {
      calls.push(command.input);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (options.fail) throw options.fail;
      return { Credentials: { AccessKeyId: `ASIA${calls.length}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(clock.now().getTime() + 3_600_000) }, $metadata: {} };
    },
  };
};

describe('assumedRoleCredentials', () => {
  it('assumes once, shares the credentials, and assumes again before they expire', async () => {
    const clock = fixedClock(new Date('2026-12-04T10:00:00Z'));
    const sts = fakeSts(clock);
    const creds = assumedRoleCredentials(sts as never, { roleArn: ROLE, externalId: 'ext-42', sessionName: 'redrive' }, clock);
    const [a, b] = await Promise.all([creds.provider(), creds.provider()]);
    expect(a.accessKeyId).toBe('ASIA1');
    expect(b).toBe(a);
    expect(sts.calls).toEqual([{ RoleArn: ROLE, RoleSessionName: 'redrive', DurationSeconds: 3600, ExternalId: 'ext-42' }]);
    clock.advance(54 * 60_000);
    expect((await creds.provider()).accessKeyId).toBe('ASIA1');
    clock.advance(2 * 60_000); // 4 min before expiry: inside the 5 min margin
    expect((await creds.provider()).accessKeyId).toBe('ASIA2');
    expect(creds.assumeCount).toBe(2);
  });

  it('a refused AssumeRole is DLQ_ACCESS_DENIED naming the role, and the next call tries again', async () => {
    const clock = fixedClock(new Date('2026-12-04T10:00:00Z'));
    const denied = Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const sts = fakeSts(clock, { fail: denied });
    const creds = assumedRoleCredentials(sts as never, { roleArn: ROLE, externalId: null, sessionName: 'redrive' }, clock);
    const error = await creds.provider().catch((e: unknown) => e);
    expect(isRedriveError(error) && error.code).toBe('DLQ_ACCESS_DENIED');
    expect(String((error as Error).message)).toContain(`AssumeRole ${ROLE}`);
    await creds.provider().catch(() => undefined);
    expect(sts.calls).toHaveLength(2);
    expect(sts.calls[0]).not.toHaveProperty('ExternalId');
  });
});

describe('credential sets (check-config, client cache)', () => {
  const parsed = parseConfig({
    aws: { region: 'us-east-1' },
    queues: [
      { name: 'a', kind: 'sqs', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/a', region: 'eu-west-1', assumeRoleArn: ROLE, externalId: 'ext-42' },
      { name: 'b', kind: 'sqs', queueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/b' },
      { name: 'c', kind: 'sqs', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/c', region: 'eu-west-1', assumeRoleArn: ROLE, externalId: 'ext-42' },
      { name: 'd', kind: 'sqs', queueUrl: 'https://sqs.us-east-1.amazonaws.com/111111111111/d', assumeRoleArn: ROLE, externalId: 'ext-42' },
    ],
  });

  it('groups queues by role and region and never prints the external id', () => {
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const lines = credentialSets(parsed.config).map(describeCredentialSet);
    expect(lines).toEqual([
      `role ${ROLE} (external id set, session redrive) in eu-west-1: a, c`,
      'default AWS credential chain in us-east-1: b',
      `role ${ROLE} (external id set, session redrive) in us-east-1: d`,
    ]);
    expect(lines.join('\n')).not.toContain('ext-42');
  });

  it('rejects an external id without a role, and a malformed role ARN or region', () => {
    const bad = parseConfig({ queues: [{ name: 'x', kind: 'sqs', queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/x', externalId: 'abc', region: 'Europe', assumeRoleArn: undefined }, { name: 'y', kind: 'sqs', queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/y', assumeRoleArn: 'arn:aws:iam::1:user/bob' }] });
    expect(bad.ok).toBe(false);
    const paths = bad.ok ? [] : bad.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['queues[0].externalId', 'queues[0].region', 'queues[1].assumeRoleArn']));
  });

  it('access keys differ exactly when credentials may not be shared', () => {
    const base = { region: 'us-east-1' };
    expect(accessKey(awsAccessFor(base, { assumeRoleArn: ROLE }))).toBe(accessKey(awsAccessFor(base, { assumeRoleArn: ROLE, region: 'us-east-1' })));
    expect(accessKey(awsAccessFor(base, { assumeRoleArn: ROLE }))).not.toBe(accessKey(awsAccessFor(base, { assumeRoleArn: ROLE, externalId: 'x' })));
    expect(accessKey(awsAccessFor(base, {}))).not.toBe(accessKey(awsAccessFor(base, { assumeRoleArn: ROLE })));
  });
});
