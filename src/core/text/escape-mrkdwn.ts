// Escaping for Slack mrkdwn: exactly &, < and > (Slack's documented rule), so text from queues and
// alerts renders as text and can never ping `<!channel>`, mention `<@U123>` or fake a `<url|link>`.
// https://api.slack.com/reference/surfaces/formatting#escaping

/** Replaces `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;` and nothing else. Not idempotent by design. */
export const escapeMrkdwn = (text: string): string =>
  text.replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;'));
