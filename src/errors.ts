// The one error catalogue. Every thrown error in Redrive is a RedriveError with a code from here;
// it says whether a retry can help and carries context ids, never payloads, tokens or secrets.

export const ERROR_CATALOGUE = {
  CONFIG_INVALID: { retriable: false, hint: 'Fix the listed paths in the config file, then run `redrive check-config`.' },
  CONFIG_NOT_FOUND: { retriable: false, hint: 'Pass --config <file> or set REDRIVE_CONFIG.' },
  CONFIG_SECRET_MISSING: { retriable: false, hint: 'Export the named environment variable before starting Redrive.' },
  CLI_USAGE: { retriable: false, userMistake: true, hint: 'Run `redrive help` for usage.' },
  STORE_UNAVAILABLE: { retriable: true, hint: 'Check that the database is reachable, then retry.' },
  STORE_MIGRATION_FAILED: { retriable: false, hint: 'The database schema could not be migrated; see the log for the failing step.' },
  STORE_CONFLICT: { retriable: true, hint: 'Someone else changed this record at the same time; retry.' },
  STORE_NOT_FOUND: { retriable: false, hint: 'The record does not exist.' },
  QUEUE_UNKNOWN: { retriable: false, userMistake: true, hint: 'Use a queue name from the config (`redrive dlq status` lists them).' },
  DLQ_UNREACHABLE: { retriable: true, hint: 'The queue server did not answer; check the endpoint and network, then retry.' },
  DLQ_QUEUE_MISSING: { retriable: false, hint: 'The queue or topic does not exist on the server; check its name in the config.' },
  DLQ_ACCESS_DENIED: { retriable: false, hint: 'Check the credentials Redrive runs with (AWS role, profile or keys; Kafka SASL user) and what they are allowed to do.' },
  DLQ_MESSAGE_NOT_FOUND: { retriable: false, userMistake: true, hint: 'The message is not in the DLQ any more (replayed, resolved or expired).' },
  DLQ_REPLAY_PARTIAL: { retriable: true, hint: 'Some messages were not accepted downstream and stay in the DLQ; retry them.' },
  DLQ_REPLAY_FAILED: { retriable: true, hint: 'The destination refused the message; it stays in the DLQ.' },
  DLQ_REPLAY_UNCONFIRMED: { retriable: false, userMistake: true, hint: 'Nothing was sent: confirm the destination (the Replay button\'s dialog, or `--to <topic>` in a terminal), or set the queue\'s replayTopic.' },
  DLQ_REPLAY_NO_DESTINATION: { retriable: false, userMistake: true, hint: 'Set replayTopic for the queue in the config, or resolve the message.' },
  DLQ_BODY_INVALID: { retriable: false, userMistake: true, hint: 'The edited body is not valid JSON; nothing was sent.' },
  DLQ_OPERATION_UNSUPPORTED: { retriable: false, userMistake: true, hint: 'This operation does not apply to this kind of queue.' },
  JOB_NOT_FOUND: { retriable: false, userMistake: true, hint: 'No job with that id; `redrive dlq jobs` lists them.' },
  JOB_NOT_RESUMABLE: { retriable: false, userMistake: true, hint: 'Only a paused, failed or interrupted manual redrive job can be resumed; start a new one.' },
  INGEST_SIGNATURE_INVALID: { retriable: false, hint: 'The request signature did not verify.' },
  INGEST_PAYLOAD_INVALID: { retriable: false, hint: 'The payload does not have the expected shape.' },
  INGEST_UNAUTHORIZED: { retriable: false, hint: 'Missing or wrong credentials.' },
  SLACK_API_FAILED: { retriable: true, hint: 'Slack did not accept the call; it will be retried.' },
  SLACK_NOT_CONFIGURED: { retriable: false, hint: 'Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode).' },
  AUTH_DENIED: { retriable: false, userMistake: true, hint: 'Ask an admin for the role this action needs.' },
  SERVER_PORT_UNAVAILABLE: { retriable: false, hint: 'Free the port, or choose another one.' },
  INTERNAL_ERROR: { retriable: false, hint: 'An unexpected error; see the log line with the same request id.' },
} as const satisfies Record<string, { retriable: boolean; hint: string; userMistake?: true }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Context ids only: queue names, message ids, job ids. Never bodies, tokens or secrets. */
export type ErrorContext = Record<string, string | number | boolean | undefined>;

export class RedriveError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly context: ErrorContext;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, options: { context?: ErrorContext; cause?: unknown; retriable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RedriveError';
    this.code = code;
    this.retriable = options.retriable ?? ERROR_CATALOGUE[code].retriable;
    this.context = options.context ?? {};
    this.hint = ERROR_CATALOGUE[code].hint;
  }

  /** One sentence for a person: what went wrong and what to do next. */
  userMessage(): string {
    return `${this.message} ${this.hint}`;
  }
}

export const isRedriveError = (value: unknown): value is RedriveError => value instanceof RedriveError;

export const errorCodes = (): ErrorCode[] => Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/**
 * Whether an error is an ordinary mistake of the person asking (an unknown queue or id, bad
 * arguments, a denied action) rather than a fault of Redrive or its backends: catalogue entries
 * marked `userMistake`. Such errors are logged at info without a stack; faults stay at error.
 */
export const isUserMistake = (error: unknown): error is RedriveError =>
  isRedriveError(error) && (ERROR_CATALOGUE[error.code] as { userMistake?: true }).userMistake === true;
