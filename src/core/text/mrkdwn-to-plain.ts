// Slack mrkdwn (as Redrive renders it) to plain terminal text: no emoji codes, no *bold*/_italic_
// markers, no code fences or inline-code backticks, links and mentions as readable text, and the
// &amp; &lt; &gt; escapes undone. Code blocks keep their content verbatim (tables, bodies). Pure.
// https://api.slack.com/reference/surfaces/formatting

/** `<…>` forms: links `<url|text>`, `<url>`, mentions `<@U1>`, `<#C1|name>`, `<!subteam^S1|@h>`, `<!date^…|fallback>`. */
const angle = (inner: string): string => {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? inner.slice(bar + 1) : null;
  if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
  if (target.startsWith('#')) return label ? `#${label}` : target;
  if (target.startsWith('!date^')) return label ?? target.split('^')[1] ?? '';
  if (target.startsWith('!subteam^')) return label ?? `@${target.slice('!subteam^'.length)}`;
  if (target.startsWith('!')) return `@${target.slice(1)}`;
  return label && label !== target ? `${label} (${target})` : target;
};

const unescapeEntities = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Outside code: emoji codes between spaces, formatting markers around words, inline code, links. */
const plainProse = (text: string): string =>
  text
    .replace(/<([^<>\n]+)>/g, (_m, inner: string) => angle(inner))
    .replace(/(^|[\s(])`([^`\n]+)`/g, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/(^|[\s(["'])\*([^*\n]+)\*(?=$|[\s).,:;!?'"\]])/gm, '$1$2')
    .replace(/(^|[\s(["'])_([^_\n]+)_(?=$|[\s).,:;!?'"\]])/gm, '$1$2')
    .replace(/(^|[ \t(])~([^~\n]+)~(?=$|[\s).,:;!?])/gm, '$1$2')
    .replace(/(^|[ \t])(:[a-z0-9_+-]+:)+(?=[ \t]|$)[ \t]?/gm, '$1')
    .replace(/[ \t]+$/gm, '');

/** Plain text of a mrkdwn string; fenced code keeps its content as is. */
export const mrkdwnToPlain = (text: string): string =>
  text
    .split(/```/)
    .map((part, i) => (i % 2 === 1 ? unescapeEntities(part.replace(/^\n|\n$/g, '')) : unescapeEntities(plainProse(part))))
    .join('');
