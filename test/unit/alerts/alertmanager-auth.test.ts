import { describe, expect, it } from 'vitest';
import { createAlertmanagerAuth } from '../../../src/adapters/inbound/alertmanager/alertmanager-auth.ts';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('Alertmanager credentials', () => {
  const bearerOnly = createAlertmanagerAuth({ bearerToken: 's3cret-token' });
  const basicOnly = createAlertmanagerAuth({ basicUser: 'am', basicPassword: 'pa:ss' });
  const both = createAlertmanagerAuth({ bearerToken: 's3cret-token', basicUser: 'am', basicPassword: 'pa:ss' });

  it.each([
    ['bearerOnly', bearerOnly, 'Bearer s3cret-token', { ok: true }],
    ['bearerOnly', bearerOnly, 'bearer s3cret-token', { ok: true }],
    ['bearerOnly', bearerOnly, 'Bearer s3cret-token ', { ok: true }],
    ['bearerOnly', bearerOnly, 'Bearer s3cret-tokeN', { ok: false, reason: 'wrong' }],
    ['bearerOnly', bearerOnly, 'Bearer s3cret-token-longer', { ok: false, reason: 'wrong' }],
    ['bearerOnly', bearerOnly, 'Bearer ', { ok: false, reason: 'wrong' }],
    ['bearerOnly', bearerOnly, undefined, { ok: false, reason: 'missing' }],
    ['bearerOnly', bearerOnly, '', { ok: false, reason: 'missing' }],
    ['bearerOnly', bearerOnly, 's3cret-token', { ok: false, reason: 'missing' }],
    ['bearerOnly', bearerOnly, basic('am', 'pa:ss'), { ok: false, reason: 'wrong' }],
    ['basicOnly', basicOnly, basic('am', 'pa:ss'), { ok: true }],
    ['basicOnly', basicOnly, basic('am', 'pa:sS'), { ok: false, reason: 'wrong' }],
    ['basicOnly', basicOnly, basic('AM', 'pa:ss'), { ok: false, reason: 'wrong' }],
    ['basicOnly', basicOnly, 'Basic bm9jb2xvbg==', { ok: false, reason: 'wrong' }],
    ['basicOnly', basicOnly, 'Basic !!!', { ok: false, reason: 'wrong' }],
    ['basicOnly', basicOnly, 'Bearer s3cret-token', { ok: false, reason: 'wrong' }],
    ['both', both, 'Bearer s3cret-token', { ok: true }],
    ['both', both, basic('am', 'pa:ss'), { ok: true }],
    ['both', both, 'Digest abc', { ok: false, reason: 'missing' }],
  ])('%s with %j', (_name, auth, header, expected) => {
    expect(auth(header)).toEqual(expected);
  });

  it('refuses everything when nothing is configured, and says so', () => {
    const none = createAlertmanagerAuth({});
    expect(none.configured).toBe(false);
    expect(none('Bearer anything')).toEqual({ ok: false, reason: 'not-configured' });
    expect(createAlertmanagerAuth({ basicUser: 'am' }).configured).toBe(false);
    expect(bearerOnly.configured).toBe(true);
  });
});
