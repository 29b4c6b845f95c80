// Checks the Authorization header of Alertmanager webhooks: a bearer token or basic auth, whichever the
// config names. Security: candidate and secret are compared as SHA-256 digests with timingSafeEqual,
// so neither length nor content leaks through timing; secrets are never logged or returned.

import { createHash, timingSafeEqual } from 'node:crypto';

export interface AlertmanagerCredentials {
  bearerToken?: string | undefined;
  basicUser?: string | undefined;
  basicPassword?: string | undefined;
}

export type AuthCheck = { ok: true } | { ok: false; reason: 'not-configured' | 'missing' | 'wrong' };

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Equal-length digests compared in constant time. */
export const secretEquals = (candidate: string, secret: Buffer): boolean => timingSafeEqual(digest(candidate), secret);

export type AlertmanagerAuth = ((authorization: string | undefined) => AuthCheck) & { readonly configured: boolean };

export const createAlertmanagerAuth = (credentials: AlertmanagerCredentials): AlertmanagerAuth => {
  const bearer = credentials.bearerToken ? digest(credentials.bearerToken) : null;
  const basic =
    credentials.basicUser !== undefined && credentials.basicPassword
      ? { user: digest(credentials.basicUser), password: digest(credentials.basicPassword) }
      : null;
  const check = (authorization: string | undefined): AuthCheck => {
    if (!bearer && !basic) return { ok: false, reason: 'not-configured' };
    if (!authorization) return { ok: false, reason: 'missing' };
    const space = authorization.indexOf(' ');
    const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : authorization.slice(space + 1).trim();
    if (scheme === 'bearer' && bearer) return secretEquals(value, bearer) ? { ok: true } : { ok: false, reason: 'wrong' };
    if (scheme === 'basic' && basic) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return { ok: false, reason: 'wrong' };
      // Both halves are always compared: no early exit on a wrong user name.
      const userOk = secretEquals(decoded.slice(0, colon), basic.user);
      const passwordOk = secretEquals(decoded.slice(colon + 1), basic.password);
      return userOk && passwordOk ? { ok: true } : { ok: false, reason: 'wrong' };
    }
    return { ok: false, reason: scheme === 'bearer' || scheme === 'basic' ? 'wrong' : 'missing' };
  };
  return Object.assign(check, { configured: bearer !== null || basic !== null });
};
