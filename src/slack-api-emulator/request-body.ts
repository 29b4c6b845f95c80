// Parses request bodies the way Slack's Web API receives them from @slack/web-api and friends:
// form-urlencoded (JSON-valued fields arrive as strings), JSON, and multipart file uploads.
// Test support only.
import type { IncomingMessage } from 'node:http';

/** Form fields Slack treats as JSON when they arrive as strings; other fields stay strings. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata', 'unfurls']);

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function parseJsonFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (JSON_FIELDS.has(key) && typeof value === 'string') {
      try {
        out[key] = JSON.parse(value);
      } catch {
        out[key] = value; // left as a string: the method answers invalid_blocks_format / invalid_arguments
      }
    } else {
      out[key] = value;
    }
  }
  return out;
}

export type ParsedBody = { ok: true; args: Record<string, unknown> } | { ok: false; error: 'invalid_json' | 'invalid_form_data' };

/** Arguments of a Web API call: query string merged with the body, JSON-valued fields parsed. */
export function parseApiArgs(raw: Buffer, contentType: string | undefined, query: URLSearchParams): ParsedBody {
  const fields: Record<string, unknown> = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (raw.length === 0) return { ok: true, args: parseJsonFields(fields) };
  if (type === 'application/json') {
    try {
      const body: unknown = JSON.parse(raw.toString('utf8'));
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, error: 'invalid_json' };
      return { ok: true, args: { ...fields, ...(body as Record<string, unknown>) } };
    } catch {
      return { ok: false, error: 'invalid_json' };
    }
  }
  if (type === 'multipart/form-data') {
    const parts = parseMultipart(raw, contentType ?? '');
    if (parts === undefined) return { ok: false, error: 'invalid_form_data' };
    for (const part of parts) fields[part.name] = part.filename !== undefined ? part.data : part.data.toString('utf8');
    return { ok: true, args: parseJsonFields(fields) };
  }
  Object.assign(fields, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
  return { ok: true, args: parseJsonFields(fields) };
}

export interface MultipartPart {
  name: string;
  filename?: string;
  data: Buffer;
}

/** Minimal multipart/form-data reader (RFC 7578): enough for fetch's FormData uploads. */
export function parseMultipart(raw: Buffer, contentType: string): MultipartPart[] | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const headerStart = start + delimiter.length;
    if (raw.subarray(headerStart, headerStart + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, headerStart);
    if (next === -1) return undefined;
    const part = raw.subarray(headerStart + 2, next - 2); // skip CRLF after delimiter and before the next one
    const split = part.indexOf('\r\n\r\n');
    if (split === -1) return undefined;
    const headers = part.subarray(0, split).toString('utf8');
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) return undefined;
    parts.push({ name, ...(filename !== undefined ? { filename } : {}), data: part.subarray(split + 4) });
    start = next;
  }
  return parts;
}

/** The bytes of an upload: the first file part of a multipart body, else the raw body. */
export function uploadedBytes(raw: Buffer, contentType: string | undefined): Buffer {
  if ((contentType ?? '').toLowerCase().startsWith('multipart/form-data')) {
    const file = parseMultipart(raw, contentType ?? '')?.find((p) => p.filename !== undefined);
    if (file !== undefined) return file.data;
  }
  return raw;
}
