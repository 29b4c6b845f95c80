import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FIELD_MAPPING,
  mapMessage,
  resolveFieldMapping,
  setRetryCount,
  type FieldMapping,
} from '../../../src/core/analysis/field-mapping.ts';
import { jsonShape, parseTimestamp } from '../../../src/core/analysis/field-values.ts';
import { downloadDlqBodyJson, RUNBOOK_EXAMPLES } from '../../fixtures/download-dlq-body.ts';

const FAILED_AT = new Date('2024-12-27T10:45:00.000Z');

describe('mapMessage: the Kafka runbook download pipeline', () => {
  it.each(Object.entries(RUNBOOK_EXAMPLES))('%s maps every field `dlq.cli view` shows', (_name, example) => {
    const body = downloadDlqBodyJson({ ...example, traceId: 'evt-abc-123', failedAt: FAILED_AT, destinationPath: 'claims/C-1/file.pdf', eventType: 'claim' });
    const mapped = mapMessage(body);
    expect(mapped).toMatchObject({
      parsed: 'json',
      traceId: 'evt-abc-123',
      errorCategory: example.errorCategory,
      errorText: example.finalError,
      retryCount: example.retryCount,
      retryCountSource: 'body',
      url: example.url,
      domain: new URL(example.url).hostname,
      eventType: 'claim',
      destinationPath: 'claims/C-1/file.pdf',
      failedAt: FAILED_AT,
      createdAt: new Date(FAILED_AT.getTime() - 3_600_000),
      jobId: null,
      shape: '{attachment_url:string,error_category:string,failed_at:string,final_error:string,original_task:object,retry_count:number,trace_id:string}',
    });
    expect(mapped.json).toEqual(JSON.parse(body));
  });
});

describe('mapMessage: alternates and odd bodies', () => {
  it.each<[string, string, Partial<ReturnType<typeof mapMessage>>]>([
    [
      'camelCase with a nested error object',
      '{"traceId":"t-1","url":"https://A.Example.com:8443/x","error":{"category":"Transient","message":"HTTP 503"},"retryCount":"3","eventType":"claim"}',
      { traceId: 't-1', errorCategory: 'transient', errorText: 'HTTP 503', retryCount: 3, domain: 'a.example.com', eventType: 'claim' },
    ],
    [
      'snake_case error_message and attempts',
      '{"trace_id": 42, "download_url": "http://files.example.org/a", "error_message": "Connection reset", "attempts": 5}',
      { traceId: '42', errorText: 'Connection reset', retryCount: 5, domain: 'files.example.org' },
    ],
    [
      'SQS job body with a Lambda error',
      '{"job_id":"job-7","city":"Paris","errorType":"KeyError","errorMessage":"\'url\'","failed_at":1735296300}',
      { jobId: 'job-7', errorType: 'KeyError', errorText: "'url'", failedAt: new Date(1735296300_000), url: null, domain: null, traceId: null },
    ],
    [
      'Lambda destination record',
      '{"requestContext":{"requestId":"r-1"},"responsePayload":{"errorType":"Runtime.ExitError","errorMessage":"Task timed out after 30.03 seconds"}}',
      { errorType: 'Runtime.ExitError', errorText: 'Task timed out after 30.03 seconds' },
    ],
    [
      'an explicit domain wins over the URL host',
      '{"url":"https://cdn.example.com/a","domain":"Example.COM"}',
      { domain: 'example.com' },
    ],
    [
      'wrong-typed candidates are skipped',
      '{"error": {"code": 1}, "final_error": null, "last_error": "boom", "retry_count": "many", "retries": 2, "failed_at": "yesterday", "timestamp": "2024-12-27T10:45:00Z"}',
      { errorText: 'boom', retryCount: 2, failedAt: FAILED_AT },
    ],
    ['flat keys containing dots', '{"error.category": "permanent"}', { errorCategory: 'permanent' }],
    ['an unusable URL gives no domain', '{"url": "not a url"}', { url: 'not a url', domain: null }],
    ['the host drops userinfo and port', '{"url": "https://u:p@Files.Example.com:8443/a?b=1"}', { domain: 'files.example.com' }],
    ['an IPv6 host', '{"url": "http://[::1]:8080/x"}', { domain: '[::1]' }],
    ['an S3 URL', '{"url": "s3://bucket-name/key/file.pdf"}', { domain: 'bucket-name' }],
    ['empty object', '{}', { parsed: 'json', shape: '{}', traceId: null, errorText: null, retryCount: null, retryCountSource: null }],
  ])('%s', (_name, body, expected) => {
    expect(mapMessage(body)).toMatchObject(expected);
  });

  it.each([
    ['plain text', 'Task timed out after 3.00 seconds', 'raw'],
    ['broken JSON', '{"trace_id": "evt-1", ', 'raw'],
    ['a JSON array', '[{"trace_id":"evt-1"}]', 'json:array'],
    ['a JSON string', '"hello"', 'json:string'],
    ['a number', '12345', 'raw'],
    ['empty', '', 'raw'],
    ['XML', '<job id="1"/>', 'raw'],
    ['binary-ish', '\u0000\u0001\uFFFD', 'raw'],
  ])('never throws on %s: raw, fields null', (_name, body, shape) => {
    const mapped = mapMessage(body);
    expect(mapped).toMatchObject({ parsed: 'raw', json: null, traceId: null, errorText: null, url: null, retryCount: null, failedAt: null, shape });
  });

  it('fills retry count, failure time and header fields from the fallback', () => {
    const enqueuedAt = new Date('2024-12-27T09:00:00Z');
    expect(mapMessage('not json', DEFAULT_FIELD_MAPPING, { receiveCount: 6, enqueuedAt })).toMatchObject({
      retryCount: 6,
      retryCountSource: 'receive-count',
      failedAt: enqueuedAt,
    });
    expect(mapMessage('{"job_id":"j"}', DEFAULT_FIELD_MAPPING, { attributes: { ApproximateReceiveCount: '5' } })).toMatchObject({
      retryCount: 5,
      retryCountSource: 'receive-count',
    });
    // Kafka headers answer to the same candidate names; the body wins when it has the field.
    expect(mapMessage('raw', DEFAULT_FIELD_MAPPING, { attributes: { trace_id: 'evt-h', retry_count: '4', error_category: 'TRANSIENT' } })).toMatchObject({
      traceId: 'evt-h',
      retryCount: 4,
      retryCountSource: 'header',
      errorCategory: 'transient',
    });
    expect(mapMessage('{"retry_count":0,"failed_at":"2024-12-27T10:45:00Z"}', DEFAULT_FIELD_MAPPING, { receiveCount: 9, enqueuedAt, attributes: { retry_count: '4' } })).toMatchObject({
      retryCount: 0,
      retryCountSource: 'body',
      failedAt: FAILED_AT,
    });
  });

  it('uses a custom mapping, a single path or candidates in order', () => {
    const { mapping, unknownFields } = resolveFieldMapping({ traceId: 'meta.id', errorText: ['why', 'err.msg'], bogus: 'x' });
    expect(unknownFields).toEqual(['bogus']);
    expect(mapping.url).toBe(DEFAULT_FIELD_MAPPING.url);
    const mapped = mapMessage('{"meta":{"id":"m-1"},"trace_id":"ignored","err":{"msg":"bad"},"items":[{"url":"https://x.io/1"}]}', {
      ...mapping,
      url: 'items.0.url',
    });
    expect(mapped).toMatchObject({ traceId: 'm-1', errorText: 'bad', url: 'https://x.io/1', domain: 'x.io' });
  });

  it('never throws, whatever the body', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), (body) => {
        const mapped = mapMessage(body, DEFAULT_FIELD_MAPPING, { receiveCount: null });
        expect(['json', 'raw']).toContain(mapped.parsed);
        expect(typeof mapped.shape).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('jsonShape', () => {
  it('lists sorted keys with their JSON types, bounded', () => {
    expect(jsonShape({ url: 'u', trace_id: 't', retry_count: 0, error: {}, tags: [], ok: true, gone: null })).toBe(
      '{error:object,gone:null,ok:boolean,retry_count:number,tags:array,trace_id:string,url:string}',
    );
    expect(jsonShape({ 'odd key:{}': 1 })).toBe('{"odd key:{}":number}');
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${String(i).padStart(3, '0')}`, i]));
    const shape = jsonShape(wide);
    expect(shape.endsWith(',…+70}')).toBe(true);
    expect(shape.length).toBeLessThan(600);
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2024-12-27T10:45:00Z', FAILED_AT],
    ['2024-12-27T10:45:00+00:00', FAILED_AT],
    [1735296300, FAILED_AT],
    [1735296300000, FAILED_AT],
    ['1735296300000', FAILED_AT],
    ['1735296300.5', new Date(1735296300500)],
    ['yesterday', null],
    ['12', null],
    [null, null],
    [Number.NaN, null],
    ['2024-13-45T99:99:99Z', null],
  ])('%j', (input, expected) => {
    expect(parseTimestamp(input)).toEqual(expected);
  });
});

describe('setRetryCount', () => {
  const mapping: FieldMapping = DEFAULT_FIELD_MAPPING;

  it('resets the envelope and the original task (Kafka replay: retry count reset to 0)', () => {
    const body = downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES.timeout, traceId: 'evt-timeout-789', failedAt: FAILED_AT });
    const reset = JSON.parse(setRetryCount(body, mapping, 0));
    const original = JSON.parse(body);
    expect(reset.retry_count).toBe(0);
    expect(reset.original_task.retry_count).toBe(0);
    expect({ ...reset, retry_count: 4, original_task: { ...reset.original_task, retry_count: 4 } }).toEqual(original);
  });

  it.each([
    ['keeps a string count a string', '{"retryCount":"4"}', '{"retryCount":"0"}'],
    ['creates the first candidate when none is present', '{"job_id":"j"}', '{"job_id":"j","retry_count":0}'],
    ['sets a null count', '{"retry_count":null}', '{"retry_count":0}'],
    ['leaves an attempts array alone', '{"attempts":[{"at":1}]}', '{"attempts":[{"at":1}],"retry_count":0}'],
    ['keeps big and formatted numbers byte-exact', '{"id":12345678901234567890,"f":1.0,"retry_count":4}', '{"id":12345678901234567890,"f":1.0,"retry_count":0}'],
  ])('%s', (_name, body, expected) => {
    expect(setRetryCount(body, mapping, 0)).toBe(expected);
  });

  it.each([['raw text'], ['{broken'], ['[1,2]'], ['"str"'], ['']])('returns %j unchanged', (body) => {
    expect(setRetryCount(body, mapping, 0)).toBe(body);
  });

  it('returns the body unchanged when the path cannot be written', () => {
    expect(setRetryCount('{"meta":"flat"}', { ...mapping, retryCount: 'meta.retry' }, 0)).toBe('{"meta":"flat"}');
  });
});
