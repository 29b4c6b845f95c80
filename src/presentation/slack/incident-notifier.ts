// The Slack incident notifier: renders what an incident says (incident-blocks.ts) and sends it through
// Chat. It decides nothing about when or whether to speak (the incident service does) and never throws.

import type { Chat, ChatResult, PostedMessage } from '../../ports/chat.port.ts';
import type { IncidentNote, IncidentNotifier } from '../../ports/incident-notifier.port.ts';
import { utcMinute } from '../../core/text/time-format.ts';
import {
  LEVEL_LABEL,
  renderAckReply,
  renderAlertReply,
  renderLevelReply,
  renderOpenedReply,
  renderPage,
  renderParent,
  renderRenotifyReply,
  renderResolvedReply,
  type RenderedMessage,
} from './replies/incident-blocks.ts';

const renderNote = (note: IncidentNote): RenderedMessage => {
  switch (note.kind) {
    case 'opened': return renderOpenedReply(note.level, note.reasons, note.steps);
    case 'level-changed': return renderLevelReply(note.from, note.to, note.reasons, note.steps);
    case 'alert': return renderAlertReply(note.alert);
    case 'acknowledged': return renderAckReply(note.user);
    case 'renotified': return renderRenotifyReply(note.from, note.to, note.waitedMinutes, note.mentionGroup ? `<!subteam^${note.mentionGroup}>` : null);
    case 'resolved': return renderResolvedReply(note.summary, note.reasons);
  }
};

export const createSlackIncidentNotifier = (chat: Chat): IncidentNotifier => {
  /** What each parent message shows now (by incident id), to skip edits that change nothing. */
  const shown = new Map<string, string>();
  return {
    postParent: async (channel, view) => {
      const message = renderParent(view);
      const posted = await chat.post(channel, message);
      if (posted.ok) shown.set(view.incidentId, JSON.stringify(message));
      return posted;
    },
    editParent: async (channel, ts, view) => {
      const message = renderParent(view);
      const json = JSON.stringify(message);
      if (shown.get(view.incidentId) === json) return { ok: true, value: { changed: false } };
      const updated = await chat.update(channel, ts, message);
      if (!updated.ok) return updated;
      shown.set(view.incidentId, json);
      if (view.status === 'resolved') shown.delete(view.incidentId);
      return { ok: true, value: { changed: true } };
    },
    note: (channel, parentTs, note, options = {}) =>
      chat.reply(channel, parentTs, renderNote(note), options.broadcast ? { broadcast: true } : undefined),
    uploadChart: (channel, parentTs, chart) =>
      chat.uploadFile({
        channel,
        threadTs: parentTs,
        filename: `${chart.queue}-depth-${chart.level}.png`,
        title: `${chart.queue}: depth since ${utcMinute(chart.openedAt)} UTC (${LEVEL_LABEL[chart.level]})`,
        altText: `Depth of ${chart.queue} over the incident, ${chart.samples} samples`,
        bytes: chart.bytes,
      }),
    permalink: (channel, ts) => chat.permalink(channel, ts),
    page: (place, view): Promise<ChatResult<PostedMessage>> => {
      const message = renderPage(view);
      return place.threadTs === undefined ? chat.post(place.channel, message) : chat.reply(place.channel, place.threadTs, message);
    },
  };
};
