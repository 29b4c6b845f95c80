// A loopback HTTP proxy in front of an AWS-protocol server (ElasticMQ) that records, for every request,
// the access key id of its SigV4 Authorization header, the X-Amz-Target operation and the QueueUrl.
// ElasticMQ accepts any credentials; this shows which ones Redrive signed with. Test support only.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SignedRequest {
  accessKeyId: string | null;
  operation: string | null;
  queueUrl: string | null;
}

export interface RecordingProxy {
  url: string;
  requests: SignedRequest[];
  close(): Promise<void>;
}

const ACCESS_KEY = /Credential=([^/,\s]+)\//;

export const startSigV4RecordingProxy = async (upstream: string): Promise<RecordingProxy> => {
  const target = new URL(upstream);
  const requests: SignedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let queueUrl: string | null = null;
      try {
        const parsed = JSON.parse(body.toString('utf8')) as { QueueUrl?: unknown };
        queueUrl = typeof parsed.QueueUrl === 'string' ? parsed.QueueUrl : null;
      } catch {
        queueUrl = null;
      }
      requests.push({ accessKeyId: ACCESS_KEY.exec(req.headers.authorization ?? '')?.[1] ?? null, operation: (req.headers['x-amz-target'] as string | undefined) ?? null, queueUrl });
      const forward = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      forward.on('error', () => {
        res.writeHead(502).end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
