// Verifies an SNS message's signature: SignatureVersion 1 (SHA1withRSA) or 2 (SHA256withRSA) over the
// canonical string, with the public key of the certificate at SigningCertURL. Security: the URL is
// checked before anything is fetched; unsigned, unknown-version and forged messages all fail.

import { verify } from 'node:crypto';
import { SnsFetchError, checkSnsUrl, type CertificateCache } from './sns-certificate.ts';
import type { SnsEnvelope } from './sns-message.schema.ts';
import { snsStringToSign } from './sns-string-to-sign.ts';

export type SignatureCheck =
  | { ok: true }
  /** 403 for anything the sender got wrong; 503 when the certificate could not be fetched right now. */
  | { ok: false; status: 403 | 503; reason: string; message: string };

export type SnsSignatureVerifier = (message: SnsEnvelope) => Promise<SignatureCheck>;

const ALGORITHMS: Readonly<Record<string, string>> = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' };
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const forged = (reason: string, message: string): SignatureCheck => ({ ok: false, status: 403, reason, message });

export const createSnsSignatureVerifier = (options: { certificates: CertificateCache; extraHosts: readonly string[] }): SnsSignatureVerifier =>
  async (message) => {
    const { Signature: signature, SignatureVersion: version, SigningCertURL: certUrl } = message;
    if (!signature || !version || !certUrl) return forged('unsigned', 'The message has no Signature, SignatureVersion or SigningCertURL.');
    const algorithm = ALGORITHMS[version];
    if (!algorithm) return forged('signature-version-unsupported', `SignatureVersion ${JSON.stringify(version)} is not 1 or 2.`);
    const checked = checkSnsUrl(certUrl, { extraHosts: options.extraHosts, requirePem: true });
    if (!checked.ok) return forged('certificate-url-untrusted', `SigningCertURL ${checked.reason}.`);
    if (!BASE64.test(signature)) return forged('signature-invalid', 'The signature is not base64.');
    let key;
    try {
      key = await options.certificates.publicKey(checked.url);
    } catch (error) {
      if (error instanceof SnsFetchError && error.kind === 'unavailable') {
        return { ok: false, status: 503, reason: 'certificate-unavailable', message: `The signing certificate could not be fetched (${error.message}); SNS will retry.` };
      }
      return forged('certificate-rejected', `The signing certificate was refused (${error instanceof Error ? error.message : 'unknown error'}).`);
    }
    let valid = false;
    try {
      valid = verify(algorithm, Buffer.from(snsStringToSign(message), 'utf8'), key, Buffer.from(signature, 'base64'));
    } catch {
      valid = false;
    }
    return valid ? { ok: true } : forged('signature-invalid', 'The signature does not match the message.');
  };
