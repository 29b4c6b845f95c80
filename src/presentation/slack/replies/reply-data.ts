// The machine-readable results the /dlq operations attach to their replies (`Reply.data`), which
// `redrive dlq ... --json` prints (README "Machine-readable output"). Plain objects with stable keys;
// bodies are included as read (the terminal serializer redacts every string). Pure.

import { DEFAULT_FIELD_MAPPING, mapDlqMessage, type FieldMapping } from '../../../core/analysis/field-mapping.ts';
import type { Job } from '../../../core/model.ts';
import type { DlqMessage } from '../../../ports/dead-letter-queue.port.ts';
import type { RedriveJobResult } from '../../../app/jobs/redrive-job-result.ts';

/** One DLQ message: where it sits, what it carries, and the runbook fields read through the mapping. */
export const messageData = (message: DlqMessage, mapping: FieldMapping = DEFAULT_FIELD_MAPPING) => {
  const { json: _json, ...fields } = mapDlqMessage(message, mapping);
  return {
    messageKey: message.messageKey,
    partition: message.partition,
    offset: message.offset,
    key: message.key,
    enqueuedAt: message.enqueuedAt,
    receiveCount: message.receiveCount,
    groupId: message.groupId,
    attributes: message.attributes,
    messageAttributes: message.messageAttributes,
    fields,
    body: message.body,
  };
};

export const jobData = (job: Job) => ({
  id: job.id,
  kind: job.kind,
  queue: job.queue,
  status: job.status,
  error: job.error,
  progress: job.progress,
  params: job.params,
  createdBy: job.createdBy,
  createdAt: job.createdAt,
  updatedAt: job.updatedAt,
  incidentId: job.incidentId,
});

/** A manual job's end: what it did, what failed (still in the DLQ), what it left alone. */
export const jobResultData = (result: RedriveJobResult) => ({
  job: jobData(result.job),
  done: result.done,
  failed: result.failed,
  uncertain: result.uncertain,
  skipped: result.skipped,
  stopped: result.stopped,
  elapsedMs: result.elapsedMs,
});
