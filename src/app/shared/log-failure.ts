// One rule for logging a failed request: an ordinary mistake of the person asking (unknown queue or
// id, bad arguments, a denied action; `isUserMistake`) is an info line without a stack, a fault of
// Redrive or its backends an error line with the error and its stack. So error level stays a signal
// worth paging on, and a typo never looks like an outage.

import { isUserMistake } from '../../errors.ts';
import type { Logger } from '../../ports/logger.port.ts';

export const logFailure = (logger: Pick<Logger, 'info' | 'error'>, error: unknown, fields: Record<string, unknown>, message: string): void => {
  if (isUserMistake(error)) logger.info({ ...fields, code: error.code, userMistake: true, reason: error.message }, message);
  else logger.error({ ...fields, err: error }, message);
};
