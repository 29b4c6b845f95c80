// Escaping for Slack mrkdwn: exactly &, < and > (Slack's rule), so text from queues and alerts can
// never mention a user, @channel, or fake a link.

export const escapeText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
