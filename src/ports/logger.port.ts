// The logging port: the one structural logger every layer takes, (fields, message) at four levels and
// child() for bound fields. pino's Logger satisfies it; a consumer asks only for the levels it uses
// (`Pick<Logger, 'warn'>`). Implementations redact secrets; callers never log payloads or tokens.

/** Structured fields of one log line (`err` carries an error). */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
  /** A logger whose every line carries `bindings` too (`{ component }`, `{ incidentId, queue }`). */
  child(bindings: LogFields): Logger;
}
