// PostgreSQL schema, as numbered migrations applied by sql-migrate.ts; the same tables as SQLite in
// PostgreSQL types: timestamptz, jsonb, bigint offsets, identity ids. Append new versions; never edit
// an applied one. An advisory lock per schema serialises replicas migrating at the same time.

import { RedriveError } from '../../../errors.ts';
import { checkMigrationList, type Migration, type MigrationDialect } from '../sql/sql-migrate.ts';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Lower-case identifier only, so it needs no quoting in search_path or DDL. */
export const checkSchemaName = (schema: string): string => {
  if (!SCHEMA_NAME.test(schema)) {
    throw new RedriveError('CONFIG_INVALID', `PostgreSQL schema "${schema.slice(0, 64)}" must be a lower-case identifier.`);
  }
  return schema;
};

export const postgresMigrationDialect = (schema: string | null): MigrationDialect => ({
  prelude: `
    SELECT pg_advisory_xact_lock(hashtext('redrive-migrations:' || current_setting('search_path')));
    ${schema === null ? '' : `CREATE SCHEMA IF NOT EXISTS ${checkSchemaName(schema)};`}
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL
    );`,
});

const incidents = `
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  queue TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  level TEXT NOT NULL CHECK (level IN ('OK', 'L1', 'L2', 'L3')),
  level_since TIMESTAMPTZ NOT NULL,
  opened_at TIMESTAMPTZ NOT NULL,
  resolved_at TIMESTAMPTZ,
  acknowledged_by TEXT,
  acknowledged_at TIMESTAMPTZ,
  last_notified_at TIMESTAMPTZ,
  slack_channel TEXT,
  slack_ts TEXT,
  peak_depth DOUBLE PRECISION NOT NULL,
  alert_state TEXT NOT NULL CHECK (alert_state IN ('firing', 'ok', 'none')),
  data JSONB NOT NULL,
  version INTEGER NOT NULL
);
-- At most one open incident per queue: concurrent openers race on this index, not on a read.
CREATE UNIQUE INDEX incidents_one_open_per_queue ON incidents (queue) WHERE status = 'open';
CREATE INDEX incidents_queue_opened ON incidents (queue, opened_at);
CREATE INDEX incidents_status_opened ON incidents (status, opened_at);

CREATE TABLE incident_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  at TIMESTAMPTZ NOT NULL,
  kind TEXT NOT NULL,
  data JSONB NOT NULL
);
CREATE INDEX incident_events_incident_at ON incident_events (incident_id, at, id);

CREATE TABLE alerts (
  dedup_key TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  queue TEXT NOT NULL,
  name TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('firing', 'ok')),
  received_at TIMESTAMPTZ NOT NULL,
  details JSONB NOT NULL
);
CREATE INDEX alerts_queue_received ON alerts (queue, received_at);
CREATE INDEX alerts_received ON alerts (received_at);

CREATE TABLE depth_samples (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue TEXT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  depth DOUBLE PRECISION NOT NULL,
  in_flight DOUBLE PRECISION,
  delayed DOUBLE PRECISION,
  oldest_age_seconds DOUBLE PRECISION
);
CREATE INDEX depth_samples_queue_at ON depth_samples (queue, at);
CREATE INDEX depth_samples_at ON depth_samples (at);
`;

const messages = `
CREATE TABLE message_index (
  queue TEXT NOT NULL,
  message_key TEXT NOT NULL,
  trace_id TEXT,
  kafka_partition INTEGER,
  kafka_offset BIGINT,
  body_hash TEXT NOT NULL,
  first_seen_at TIMESTAMPTZ NOT NULL,
  last_seen_at TIMESTAMPTZ NOT NULL,
  summary JSONB NOT NULL,
  PRIMARY KEY (queue, message_key)
);
CREATE INDEX message_index_trace ON message_index (queue, trace_id);

CREATE TABLE resolutions (
  queue TEXT NOT NULL,
  message_key TEXT NOT NULL,
  trace_id TEXT,
  kafka_partition INTEGER,
  kafka_offset BIGINT,
  body TEXT,
  attributes JSONB NOT NULL,
  resolved_by TEXT NOT NULL,
  reason TEXT,
  resolved_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (queue, message_key)
);
CREATE INDEX resolutions_partition_offset ON resolutions (queue, kafka_partition, kafka_offset);
CREATE INDEX resolutions_resolved ON resolutions (queue, resolved_at);

CREATE TABLE replays (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue TEXT NOT NULL,
  message_key TEXT NOT NULL,
  fingerprints JSONB NOT NULL,
  job_id TEXT,
  replayed_by TEXT NOT NULL,
  replayed_at TIMESTAMPTZ NOT NULL,
  destination TEXT NOT NULL
);
CREATE INDEX replays_queue_replayed ON replays (queue, replayed_at);
CREATE INDEX replays_job ON replays (job_id);

-- One row per (queue, fingerprint, replay): "did this message come back?" is one index lookup.
CREATE TABLE replay_fingerprints (
  queue TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  replay_id BIGINT NOT NULL REFERENCES replays (id),
  PRIMARY KEY (queue, fingerprint, replay_id)
);
CREATE INDEX replay_fingerprints_replay ON replay_fingerprints (replay_id);
`;

const jobs = `
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  queue TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'paused', 'succeeded', 'failed', 'cancelled')),
  params JSONB NOT NULL,
  progress_total INTEGER,
  progress_done INTEGER NOT NULL,
  progress_failed INTEGER NOT NULL,
  checkpoint JSONB NOT NULL,
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  incident_id TEXT,
  error TEXT
);
CREATE INDEX jobs_queue_created ON jobs (queue, created_at);
CREATE INDEX jobs_status_created ON jobs (status, created_at);

CREATE TABLE job_items (
  job_id TEXT NOT NULL REFERENCES jobs (id),
  item_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'done', 'failed')),
  error TEXT,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (job_id, item_key)
);
CREATE INDEX job_items_status ON job_items (job_id, status);
`;

const auditAndCoordination = `
CREATE TABLE audit_log (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at TIMESTAMPTZ NOT NULL,
  action TEXT NOT NULL,
  queue TEXT,
  message_id TEXT,
  trace_id TEXT,
  kafka_partition INTEGER,
  kafka_offset BIGINT,
  actor TEXT NOT NULL,
  result TEXT NOT NULL CHECK (result IN ('success', 'failure', 'denied')),
  error TEXT,
  incident_id TEXT,
  job_id TEXT,
  details JSONB NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_queue_at ON audit_log (queue, at);
CREATE INDEX audit_log_actor_at ON audit_log (actor, at);
CREATE INDEX audit_log_action_at ON audit_log (action, at);
CREATE INDEX audit_log_message ON audit_log (message_id);
CREATE INDEX audit_log_trace ON audit_log (trace_id);
CREATE INDEX audit_log_incident ON audit_log (incident_id);
CREATE INDEX audit_log_job ON audit_log (job_id);
-- Append-only: the store has no method to change a record, and the database refuses it too.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE idempotency_keys (
  idempotency_key TEXT PRIMARY KEY,
  claimed_at TIMESTAMPTZ NOT NULL,
  details JSONB NOT NULL
);
CREATE INDEX idempotency_keys_claimed ON idempotency_keys (claimed_at);

CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
`;

export const POSTGRES_MIGRATIONS: readonly Migration[] = checkMigrationList([
  { version: 1, name: 'incidents, events, alerts, depth samples', sql: incidents },
  { version: 2, name: 'message index, resolutions, replays', sql: messages },
  { version: 3, name: 'jobs and job items', sql: jobs },
  { version: 4, name: 'append-only audit log, idempotency keys, leases', sql: auditAndCoordination },
  { version: 5, name: 'the Slack thread a job reports in', sql: 'ALTER TABLE jobs ADD COLUMN slack_thread JSONB;' },
  {
    version: 6,
    name: 'stored /dlq monitors',
    sql: `CREATE TABLE monitors (
  queue TEXT PRIMARY KEY,
  interval_seconds INTEGER NOT NULL CHECK (interval_seconds > 0),
  channel TEXT,
  thread_ts TEXT,
  started_by TEXT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  last_reading_at TIMESTAMPTZ
);`,
  },
  {
    version: 7,
    name: 'trace ids looked up by a SHA-256 digest (any length, exact)',
    // A btree index row holds at most about 2.7 KB: a longer trace or message id would make the
    // insert fail. The message index keys on a digest; the audit log's id columns get hash indexes
    // (fixed-size entries, equality only, which is all `/dlq audit <id>` asks).
    sql: `ALTER TABLE message_index ADD COLUMN trace_digest TEXT;
UPDATE message_index SET trace_digest = encode(sha256(convert_to(trace_id, 'UTF8')), 'hex') WHERE trace_id IS NOT NULL;
DROP INDEX message_index_trace;
CREATE INDEX message_index_trace_digest ON message_index (queue, trace_digest);
DROP INDEX audit_log_message;
DROP INDEX audit_log_trace;
CREATE INDEX audit_log_message ON audit_log USING hash (message_id);
CREATE INDEX audit_log_trace ON audit_log USING hash (trace_id);`,
  },
]);
