// The incident notifier port: what an incident says in the chat workspace, as typed facts (the parent
// message's state, thread notes, the depth chart, the L3 page). It carries no rendering: the adapter
// (presentation/slack/incident-notifier.ts) turns these into Block Kit and calls Chat.

import type { AlertStatus, AnalysisSnapshot, Reading } from '../core/incident/incident-data.ts';
import type { IncidentSummary } from '../core/incident/incident-lifecycle.ts';
import type { AuditRecord, Level } from '../core/model.ts';
import type { ChatResult, PostedMessage } from './chat.port.ts';

/** What the incident's parent message shows now. */
export interface IncidentParentView {
  incidentId: string;
  queue: string;
  status: 'open' | 'resolved';
  level: Level;
  levelSince: Date;
  openedAt: Date;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  reading: Reading | null;
  sparkline: string;
  /** The alert to name as the source: the latest firing one, else the latest. */
  sourceAlert: AlertStatus | null;
  reasons: string[];
  holdUntil: Date | null;
  summary: IncidentSummary | null;
}

/** What the L3 page says: the runbook's "Escalation Information to Provide", as far as Redrive knows it. */
export interface IncidentPageView {
  queue: string;
  /** The L3 user group to mention, or null. */
  userGroup: string | null;
  /** The link to the incident thread, or null. */
  permalink: string | null;
  reading: Reading | null;
  reasons: readonly string[];
  analysis: AnalysisSnapshot | null;
  /** The actions people took on the queue since the incident opened, newest first. */
  actions: readonly AuditRecord[];
}

/** A thread note: one event of the incident's life, told in its thread. */
export type IncidentNote =
  | { kind: 'opened'; level: Level; reasons: readonly string[]; steps: readonly string[] }
  | { kind: 'level-changed'; from: Level; to: Level; reasons: readonly string[]; steps: readonly string[] }
  | { kind: 'alert'; alert: AlertStatus }
  | { kind: 'acknowledged'; user: string }
  /** Nobody acknowledged for `waitedMinutes`; `mentionGroup` (a user group id) is mentioned when set. */
  | { kind: 'renotified'; from: Level; to: Level; waitedMinutes: number; mentionGroup: string | null }
  | { kind: 'resolved'; summary: IncidentSummary; reasons: readonly string[] };

/** The depth chart of the incident so far, already drawn (PNG bytes). */
export interface IncidentChart {
  queue: string;
  level: Level;
  openedAt: Date;
  /** How many depth samples the chart draws (for its alt text). */
  samples: number;
  bytes: Uint8Array;
}

/** Where a message of the incident goes: a channel, or a thread when `threadTs` is set. */
export interface IncidentPlace {
  channel: string;
  threadTs?: string;
}

/**
 * Guarantees:
 * - Every method resolves; failures come back as `{ ok: false }` (never thrown), as Chat's do.
 * - No retries: the incident service decides (a missing parent is retried by the lease holder;
 *   a failed edit is retried by the next coalesced edit; thread notes are best effort).
 * - `editParent` skips (ok, `changed: false`) an edit whose rendering equals what this process last
 *   posted or edited for that incident, so coalesced edits that change nothing cost no API call.
 *   Once a resolved incident's parent is edited, it is forgotten.
 */
export interface IncidentNotifier {
  /** Posts the parent message into the queue's alert channel. */
  postParent(channel: string, view: IncidentParentView): Promise<ChatResult<PostedMessage>>;
  /** Edits the parent message in place. */
  editParent(channel: string, ts: string, view: IncidentParentView): Promise<ChatResult<{ changed: boolean }>>;
  /** A thread reply under the parent; `broadcast` also shows it in the channel, which is what notifies people. */
  note(channel: string, parentTs: string, note: IncidentNote, options?: { broadcast?: boolean }): Promise<ChatResult<PostedMessage>>;
  /** Uploads the depth chart into the incident thread. */
  uploadChart(channel: string, parentTs: string, chart: IncidentChart): Promise<ChatResult<{ fileId: string | null }>>;
  /** A link to the parent message, for the L3 page. */
  permalink(channel: string, ts: string): Promise<ChatResult<string>>;
  /** Posts the L3 page into the L3 channel, or as a reply in the incident thread. */
  page(place: IncidentPlace, view: IncidentPageView): Promise<ChatResult<PostedMessage>>;
}
