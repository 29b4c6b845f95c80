// Renders `/dlq help` and usage errors as Block Kit.

import { escapeMrkdwn as escapeText } from '../../../core/text/escape-mrkdwn.ts';
import { context, header, section, type Reply } from '../block-kit/blocks.ts';
import { DLQ_OPS, opUsageText, usageText, type DlqOp } from '../../../core/command/parse-dlq-command.ts';

const opData = (op: DlqOp, prefix: string) => ({ op, usage: `${prefix} ${DLQ_OPS[op].usage}`, summary: DLQ_OPS[op].summary, options: DLQ_OPS[op].flagHelp ?? {} });

export const renderHelp = (prefix = '/dlq', topic?: DlqOp): Reply => {
  if (topic !== undefined) {
    const usage = opUsageText(topic, prefix);
    return { text: usage, private: true, blocks: [section('```' + escapeText(usage) + '```')], data: opData(topic, prefix) };
  }
  const usage = usageText(prefix);
  return {
    text: `Redrive commands:\n${usage}`,
    private: true,
    blocks: [
      header('Redrive — dead-letter queue commands'),
      section('```' + escapeText(usage) + '```'),
      context('Ids: SQS message id, Kafka trace id or `partition:offset`. Buttons on alert messages do the same.'),
    ],
    data: { commands: (Object.keys(DLQ_OPS) as DlqOp[]).map((op) => opData(op, prefix)) },
  };
};

export const renderUsageError = (error: string, usage: string): Reply => ({
  text: `${error}\n${usage}`,
  private: true,
  blocks: [section(`:warning: ${escapeText(error)}`), section('```' + escapeText(usage) + '```')],
});
