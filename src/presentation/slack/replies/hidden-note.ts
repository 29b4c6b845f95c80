// The "N queues hidden" note on replies about no single queue (`status`, `jobs`, `report`, `audit`):
// a context block in Slack, a last line in the terminal. The scope itself is app/shared/queue-visibility.ts.

import { context, type Reply } from '../block-kit/blocks.ts';

/** Appends the note (if any) to the reply: a context block in Slack, a last line in the terminal. */
export const withHiddenNote = (reply: Reply, note: string | null): Reply =>
  note === null
    ? reply
    : {
        ...reply,
        text: `${reply.text} (${note})`,
        blocks: [...reply.blocks, context(`:see_no_evil: ${note}`)],
        ...(reply.terminal === undefined ? {} : { terminal: `${reply.terminal}\n${note}` }),
      };
