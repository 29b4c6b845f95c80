// Two-person approval decisions (issue 14): when a job needs approval, and who may approve or reject
// a request when.

import { describe, expect, it } from 'vitest';
import { approvalNeeded, decideApprovalClick, type ApprovalPolicy, type ApprovalRequestState } from '../../../src/core/safety/approval-decision.ts';

const policy: ApprovalPolicy = { above: 100, adminMayApproveAlone: false, expiresAfterMs: 30 * 60_000 };
const now = new Date('2026-12-04T12:00:00Z');
const request = (extra: Partial<ApprovalRequestState> = {}): ApprovalRequestState => ({ requestedBy: 'U_ALICE', expiresAt: new Date(now.getTime() + 60_000), status: 'pending', ...extra });

describe('approvalNeeded', () => {
  it.each([
    [null, 10_000, false],
    [policy, 100, false],
    [policy, 101, true],
    [policy, 0, false],
    [policy, null, true],
    [{ ...policy, above: 0 }, 1, true],
  ] as const)('policy %o, planned %s → %s', (p, planned, expected) => {
    expect(approvalNeeded(p, planned)).toBe(expected);
  });
});

describe('decideApprovalClick', () => {
  const click = (input: Partial<Parameters<typeof decideApprovalClick>[0]>) =>
    decideApprovalClick({ request: request(), actor: 'U_BOB', action: 'approve', actorIsAdmin: false, policy, now, ...input });

  it('a second person may approve', () => {
    expect(click({})).toEqual({ ok: true });
  });

  it('the starter may not approve their own request, even as admin, unless the policy allows an admin alone', () => {
    expect(click({ actor: 'U_ALICE' })).toMatchObject({ ok: false, why: 'self' });
    expect(click({ actor: 'U_ALICE', actorIsAdmin: true })).toMatchObject({ ok: false, why: 'self' });
    expect(click({ actor: 'U_ALICE', actorIsAdmin: false, policy: { adminMayApproveAlone: true } })).toMatchObject({ ok: false, why: 'self' });
    expect(click({ actor: 'U_ALICE', actorIsAdmin: true, policy: { adminMayApproveAlone: true } })).toEqual({ ok: true });
  });

  it('the starter may withdraw (reject) their own request', () => {
    expect(click({ actor: 'U_ALICE', action: 'reject' })).toEqual({ ok: true });
  });

  it('an expired request can be neither approved nor rejected', () => {
    const expired = request({ expiresAt: now });
    expect(click({ request: expired })).toMatchObject({ ok: false, why: 'expired' });
    expect(click({ request: expired, action: 'reject' })).toMatchObject({ ok: false, why: 'expired' });
    expect(click({ request: request({ status: 'expired' }) })).toMatchObject({ ok: false, why: 'expired' });
  });

  it('a decided request cannot be decided again', () => {
    expect(click({ request: request({ status: 'approved' }) })).toMatchObject({ ok: false, why: 'decided', text: 'This request was already approved.' });
    expect(click({ request: request({ status: 'rejected' }), action: 'reject' })).toMatchObject({ ok: false, why: 'decided' });
  });
});
