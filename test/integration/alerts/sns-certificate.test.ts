import { describe, expect, it } from 'vitest';
import {
  SnsFetchError,
  checkSnsUrl,
  createCertificateCache,
  createHttpsCertificateFetcher,
} from '../../../src/adapters/inbound/sns/sns-certificate.ts';
import { createHttpsSubscriptionConfirmer } from '../../../src/adapters/inbound/sns/sns-subscription.ts';
import { fixedClock } from '../../../src/ports/clock.port.ts';
import { makeTestCertificate } from '../../fixtures/alerts/sns-signer.ts';

describe('checkSnsUrl', () => {
  it.each([
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem',
    'https://sns.us-gov-west-1.amazonaws.com/x/y.pem',
  ])('accepts %s', (url) => {
    expect(checkSnsUrl(url, { extraHosts: [], requirePem: true }).ok).toBe(true);
  });

  it.each([
    ['http://sns.us-east-1.amazonaws.com/a.pem', /not https/],
    ['https://sns.us-east-1.amazonaws.com.evil.com/a.pem', /not an SNS host/],
    ['https://evil.com/sns.us-east-1.amazonaws.com/a.pem', /not an SNS host/],
    ['https://sns.us-east-1.amazonaws.com:8443/a.pem', /not an SNS host/],
    ['https://user:pw@sns.us-east-1.amazonaws.com/a.pem', /credentials/],
    ['https://s3.us-east-1.amazonaws.com/a.pem', /not an SNS host/],
    ['https://sns.us_east-1.amazonaws.com/a.pem', /not an SNS host/],
    ['https://sns.amazonaws.com/a.pem', /not an SNS host/],
    ['https://sns.us-east-1.amazonaws.com/a.pem.txt', /\.pem/],
    ['https://sns.us-east-1.amazonaws.com/a.txt?x=1.pem', /\.pem/],
    ['file:///etc/passwd.pem', /not https/],
    ['not a url', /not a URL/],
  ])('refuses %s', (url, reason) => {
    const result = checkSnsUrl(url, { extraHosts: [], requirePem: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('trusts configured extra hosts (tests, emulators), still https only', () => {
    expect(checkSnsUrl('https://certs.test.invalid/a.pem', { extraHosts: ['certs.test.invalid'], requirePem: true }).ok).toBe(true);
    expect(checkSnsUrl('https://127.0.0.1:9911/a.pem', { extraHosts: ['127.0.0.1:9911'], requirePem: true }).ok).toBe(true);
    expect(checkSnsUrl('http://certs.test.invalid/a.pem', { extraHosts: ['certs.test.invalid'], requirePem: true }).ok).toBe(false);
  });

  it('does not require .pem for SubscribeURL', () => {
    expect(checkSnsUrl('https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=t', { extraHosts: [], requirePem: false }).ok).toBe(true);
  });
});

const url = new URL('https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-1.pem');

describe('createHttpsCertificateFetcher', () => {
  it('refuses redirects, and passes a timeout signal', async () => {
    let init: RequestInit | undefined;
    const fetcher = createHttpsCertificateFetcher({
      fetch: async (_input, options) => {
        init = options;
        return new Response('-----BEGIN CERTIFICATE-----');
      },
    });
    await expect(fetcher(url)).resolves.toContain('BEGIN CERTIFICATE');
    expect(init?.redirect).toBe('error');
    expect(init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('stops reading past the size cap, declared or streamed', async () => {
    const declared = createHttpsCertificateFetcher({ maxBytes: 100, fetch: async () => new Response('x'.repeat(500), { headers: { 'content-length': '500' } }) });
    await expect(declared(url)).rejects.toMatchObject({ kind: 'rejected', message: /larger than 100/ });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64));
      },
    });
    const streamed = createHttpsCertificateFetcher({ maxBytes: 1_000, fetch: async () => new Response(endless) });
    await expect(streamed(url)).rejects.toMatchObject({ kind: 'rejected' });
    expect(pulled).toBeLessThan(40);
  });

  it('times out a server that never answers', async () => {
    const fetcher = createHttpsCertificateFetcher({
      timeoutMs: 50,
      fetch: (_input, options) =>
        new Promise((_resolve, rejectFetch) => options?.signal?.addEventListener('abort', () => rejectFetch(options.signal?.reason))),
    });
    const started = Date.now();
    await expect(fetcher(url)).rejects.toMatchObject({ kind: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('says rejected for 4xx and unavailable for 5xx', async () => {
    await expect(createHttpsCertificateFetcher({ fetch: async () => new Response('no', { status: 404 }) })(url)).rejects.toMatchObject({ kind: 'rejected' });
    await expect(createHttpsCertificateFetcher({ fetch: async () => new Response('no', { status: 503 }) })(url)).rejects.toMatchObject({ kind: 'unavailable' });
  });
});

describe('createCertificateCache', () => {
  const certificate = makeTestCertificate();
  const clock = fixedClock(new Date(Date.now() + 60_000));

  it('fetches each URL once, even for concurrent messages', async () => {
    let fetches = 0;
    const cache = createCertificateCache({
      clock,
      fetcher: async () => {
        fetches++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return certificate.certificatePem;
      },
    });
    const keys = await Promise.all(Array.from({ length: 20 }, () => cache.publicKey(url)));
    expect(fetches).toBe(1);
    expect(keys.every((key) => key.asymmetricKeyType === 'rsa')).toBe(true);
    await cache.publicKey(url);
    expect(fetches).toBe(1);
  });

  it('forgets failures so a retry can succeed, and refuses what is not a certificate', async () => {
    let calls = 0;
    const cache = createCertificateCache({
      clock,
      fetcher: async () => {
        calls++;
        if (calls === 1) throw new SnsFetchError('unavailable', 'down');
        if (calls === 2) return 'not a certificate';
        return certificate.certificatePem;
      },
    });
    await expect(cache.publicKey(url)).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(cache.publicKey(url)).rejects.toMatchObject({ kind: 'rejected', message: /PEM/ });
    await expect(cache.publicKey(url)).resolves.toBeDefined();
    expect(calls).toBe(3);
  });

  it('keeps at most maxEntries URLs', async () => {
    const cache = createCertificateCache({ clock, maxEntries: 3, fetcher: async () => certificate.certificatePem });
    for (let i = 0; i < 10; i++) await cache.publicKey(new URL(`https://sns.eu-west-1.amazonaws.com/c${i}.pem`));
    expect(cache.size).toBe(3);
  });

  it('refuses a certificate outside its validity period', async () => {
    const later = fixedClock(new Date(Date.now() + 5 * 86_400_000));
    const cache = createCertificateCache({ clock: later, fetcher: async () => certificate.certificatePem });
    await expect(cache.publicKey(url)).rejects.toMatchObject({ kind: 'rejected', message: /not valid now/ });
  });
});

describe('createHttpsSubscriptionConfirmer', () => {
  const subscribe = new URL('https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-1:1:t&Token=tok');

  it('GETs the SubscribeURL without following redirects', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const confirm = createHttpsSubscriptionConfirmer({
      fetch: async (input, init) => {
        calls.push({ url: String(input), init });
        return new Response('<ConfirmSubscriptionResponse/>');
      },
    });
    await confirm(subscribe);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(subscribe.href);
    expect(calls[0]?.init).toMatchObject({ method: 'GET', redirect: 'error' });
  });

  it('fails when SNS does not answer 2xx', async () => {
    const confirm = createHttpsSubscriptionConfirmer({ fetch: async () => new Response('<Error/>', { status: 403 }) });
    await expect(confirm(subscribe)).rejects.toBeInstanceOf(SnsFetchError);
  });
});

describe('certificate fetch concurrency', () => {
  it('fetches at most maxConcurrentFetches distinct URLs at once and refuses the rest as unavailable', async () => {
    const pem = makeTestCertificate().certificatePem;
    const release: (() => void)[] = [];
    let open = false;
    const cache = createCertificateCache({
      clock: fixedClock(new Date(Date.now() + 60_000)),
      maxConcurrentFetches: 2,
      fetcher: () => (open ? Promise.resolve(pem) : new Promise<string>((resolve) => release.push(() => resolve(pem)))),
    });
    const urls = [0, 1, 2].map((i) => new URL(`https://sns.eu-west-1.amazonaws.com/c${i}.pem`));
    const first = cache.publicKey(urls[0] as URL);
    const second = cache.publicKey(urls[1] as URL);
    await expect(cache.publicKey(urls[2] as URL)).rejects.toMatchObject({ kind: 'unavailable', message: /in flight/ });
    const sameAsFirst = cache.publicKey(urls[0] as URL); // shares the pending fetch, no new one
    open = true;
    for (const done of release) done();
    await Promise.all([first, second, sameAsFirst]);
    expect(release).toHaveLength(2);
    await expect(cache.publicKey(urls[2] as URL)).resolves.toBeDefined();
  });
});
