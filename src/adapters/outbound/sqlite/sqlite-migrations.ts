// SQLite schema, as numbered migrations applied by sql-migrate.ts. Append new versions; never edit an
// applied one. Dates are epoch milliseconds (INTEGER), JSON is TEXT, Kafka offsets are INTEGER
// (int64) so they sort numerically. STRICT tables refuse values of the wrong type.

import { checkMigrationList, type Migration, type MigrationDialect } from '../sql/sql-migrate.ts';

export const SQLITE_MIGRATION_DIALECT: MigrationDialect = {
  // The transaction is BEGIN IMMEDIATE, which already serialises migrating connections.
  prelude: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT;`,
};

const incidents = `
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  queue TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  level TEXT NOT NULL CHECK (level IN ('OK', 'L1', 'L2', 'L3')),
  level_since INTEGER NOT NULL,
  opened_at INTEGER NOT NULL,
  resolved_at INTEGER,
  acknowledged_by TEXT,
  acknowledged_at INTEGER,
  last_notified_at INTEGER,
  slack_channel TEXT,
  slack_ts TEXT,
  peak_depth REAL NOT NULL,
  alert_state TEXT NOT NULL CHECK (alert_state IN ('firing', 'ok', 'none')),
  data TEXT NOT NULL,
  version INTEGER NOT NULL
) STRICT;
-- At most one open incident per queue: concurrent openers race on this index, not on a read.
CREATE UNIQUE INDEX incidents_one_open_per_queue ON incidents (queue) WHERE status = 'open';
CREATE INDEX incidents_queue_opened ON incidents (queue, opened_at);
CREATE INDEX incidents_status_opened ON incidents (status, opened_at);

CREATE TABLE incident_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  data TEXT NOT NULL
) STRICT;
CREATE INDEX incident_events_incident_at ON incident_events (incident_id, at, id);

CREATE TABLE alerts (
  dedup_key TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  queue TEXT NOT NULL,
  name TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('firing', 'ok')),
  received_at INTEGER NOT NULL,
  details TEXT NOT NULL
) STRICT;
CREATE INDEX alerts_queue_received ON alerts (queue, received_at);
CREATE INDEX alerts_received ON alerts (received_at);

CREATE TABLE depth_samples (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  at INTEGER NOT NULL,
  depth REAL NOT NULL,
  in_flight REAL,
  delayed REAL,
  oldest_age_seconds REAL
) STRICT;
CREATE INDEX depth_samples_queue_at ON depth_samples (queue, at);
CREATE INDEX depth_samples_at ON depth_samples (at);
`;

const messages = `
CREATE TABLE message_index (
  queue TEXT NOT NULL,
  message_key TEXT NOT NULL,
  trace_id TEXT,
  kafka_partition INTEGER,
  kafka_offset INTEGER,
  body_hash TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  summary TEXT NOT NULL,
  PRIMARY KEY (queue, message_key)
) STRICT;
CREATE INDEX message_index_trace ON message_index (queue, trace_id);

CREATE TABLE resolutions (
  queue TEXT NOT NULL,
  message_key TEXT NOT NULL,
  trace_id TEXT,
  kafka_partition INTEGER,
  kafka_offset INTEGER,
  body TEXT,
  attributes TEXT NOT NULL,
  resolved_by TEXT NOT NULL,
  reason TEXT,
  resolved_at INTEGER NOT NULL,
  PRIMARY KEY (queue, message_key)
) STRICT;
CREATE INDEX resolutions_partition_offset ON resolutions (queue, kafka_partition, kafka_offset);
CREATE INDEX resolutions_resolved ON resolutions (queue, resolved_at);

CREATE TABLE replays (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  message_key TEXT NOT NULL,
  fingerprints TEXT NOT NULL,
  job_id TEXT,
  replayed_by TEXT NOT NULL,
  replayed_at INTEGER NOT NULL,
  destination TEXT NOT NULL
) STRICT;
CREATE INDEX replays_queue_replayed ON replays (queue, replayed_at);
CREATE INDEX replays_job ON replays (job_id);

-- One row per (queue, fingerprint, replay): "did this message come back?" is one index lookup.
CREATE TABLE replay_fingerprints (
  queue TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  replay_id INTEGER NOT NULL REFERENCES replays (id),
  PRIMARY KEY (queue, fingerprint, replay_id)
) STRICT;
`;

const jobs = `
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  queue TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'paused', 'succeeded', 'failed', 'cancelled')),
  params TEXT NOT NULL,
  progress_total INTEGER,
  progress_done INTEGER NOT NULL,
  progress_failed INTEGER NOT NULL,
  checkpoint TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  incident_id TEXT,
  error TEXT
) STRICT;
CREATE INDEX jobs_queue_created ON jobs (queue, created_at);
CREATE INDEX jobs_status_created ON jobs (status, created_at);

CREATE TABLE job_items (
  job_id TEXT NOT NULL REFERENCES jobs (id),
  item_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'done', 'failed')),
  error TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (job_id, item_key)
) STRICT;
CREATE INDEX job_items_status ON job_items (job_id, status);
`;

const auditAndCoordination = `
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  action TEXT NOT NULL,
  queue TEXT,
  message_id TEXT,
  trace_id TEXT,
  kafka_partition INTEGER,
  kafka_offset INTEGER,
  actor TEXT NOT NULL,
  result TEXT NOT NULL CHECK (result IN ('success', 'failure', 'denied')),
  error TEXT,
  incident_id TEXT,
  job_id TEXT,
  details TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_queue_at ON audit_log (queue, at);
CREATE INDEX audit_log_actor_at ON audit_log (actor, at);
CREATE INDEX audit_log_action_at ON audit_log (action, at);
CREATE INDEX audit_log_message ON audit_log (message_id);
CREATE INDEX audit_log_trace ON audit_log (trace_id);
CREATE INDEX audit_log_incident ON audit_log (incident_id);
CREATE INDEX audit_log_job ON audit_log (job_id);
-- Append-only: the store has no method to change a record, and the database refuses it too.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE idempotency_keys (
  idempotency_key TEXT PRIMARY KEY,
  claimed_at INTEGER NOT NULL,
  details TEXT NOT NULL
) STRICT;
CREATE INDEX idempotency_keys_claimed ON idempotency_keys (claimed_at);

CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
`;

export const SQLITE_MIGRATIONS: readonly Migration[] = checkMigrationList([
  { version: 1, name: 'incidents, events, alerts, depth samples', sql: incidents },
  { version: 2, name: 'message index, resolutions, replays', sql: messages },
  { version: 3, name: 'jobs and job items', sql: jobs },
  { version: 4, name: 'append-only audit log, idempotency keys, leases', sql: auditAndCoordination },
  { version: 5, name: 'the Slack thread a job reports in', sql: 'ALTER TABLE jobs ADD COLUMN slack_thread TEXT;' },
  {
    version: 6,
    name: 'stored /dlq monitors',
    sql: `CREATE TABLE monitors (
  queue TEXT PRIMARY KEY,
  interval_seconds INTEGER NOT NULL CHECK (interval_seconds > 0),
  channel TEXT,
  thread_ts TEXT,
  started_by TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  last_reading_at INTEGER
) STRICT;`,
  },
  {
    version: 7,
    name: 'trace ids looked up by a SHA-256 digest (any length, exact)',
    sql: `ALTER TABLE message_index ADD COLUMN trace_digest TEXT;
DROP INDEX message_index_trace;
CREATE INDEX message_index_trace_digest ON message_index (queue, trace_digest);`,
  },
]);
