// The console page's mrkdwn renderer (src/adapters/inbound/console/static/block-kit.js, a plain
// browser module): Slack's formatting, links and mentions, and no way for queue text to inject HTML.

import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

type Names = { user(id: string): string | null; channel(id: string): string | null; group(id: string): string | null };
const modulePath = pathToFileURL(resolve(import.meta.dirname, '../../../src/adapters/inbound/console/static/block-kit.js')).href;
const { mrkdwnToHtml, textToHtml } = (await import(modulePath)) as {
  mrkdwnToHtml(text: string, names: Names): string;
  textToHtml(obj: unknown, names: Names): string;
};
const names: Names = { user: (id) => (id === 'U0CONSOLE' ? 'you' : null), channel: (id) => (id === 'C0A' ? 'dlq-alerts' : null), group: () => null };
const html = (text: string): string => mrkdwnToHtml(text, names);

describe('console mrkdwn rendering', () => {
  it('draws bold, italics, strike, inline code, code blocks, quotes and emoji', () => {
    expect(html('*L2* is _critical_ ~not~ `peek q`')).toBe('<b>L2</b> is <i>critical</i> <s>not</s> <code>peek q</code>');
    expect(html('```a *b* _c_\n<d>```')).toBe('<pre class="code-block">a *b* _c_\n&lt;d&gt;</pre>');
    expect(html('&gt; quoted\nnext')).toBe('<span class="quote">quoted</span><br>next');
    expect(html(':white_check_mark: done :unknown_emoji:')).toBe('✅ done :unknown_emoji:');
    expect(html('snake_case_name and 2*3*4')).toBe('snake_case_name and 2*3*4');
  });

  it('draws links and mentions; only http(s) and console links become anchors', () => {
    expect(html('<https://x.example/a?b=1&amp;c=2|the thread>')).toBe('<a href="https://x.example/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the thread</a>');
    expect(html('<http://127.0.0.1:3000/console#thread=C0A:1.2|open>')).toContain('href="http://127.0.0.1:3000/console#thread=C0A:1.2"');
    expect(html('<javascript:alert(1)|click>')).toBe('click');
    expect(html('<@U0CONSOLE> in <#C0A> for <!subteam^S0ONCALL|@dlq-oncall> and <!channel>')).toBe(
      '<span class="mention">@you</span> in <span class="mention">#dlq-alerts</span> for <span class="mention group">@dlq-oncall</span> and <span class="mention special">@channel</span>',
    );
    expect(html('<!date^1796190192^{date_short_pretty}|2026-12-02 05:43 UTC>')).toMatch(/^<time>.+<\/time>$/);
  });

  it('never lets text become markup', () => {
    for (const hostile of ['&lt;script&gt;alert(1)&lt;/script&gt;', '<img src=x onerror=alert(1)>', '<https://x.example|"><script>alert(1)</script>>', '"quoted" & \'single\'', '`</code><script>`']) {
      const out = html(hostile);
      expect(out, hostile).not.toMatch(/<(script|img)\b/i);
      // The only tags are the renderer's own; whatever the text held is now text.
      const tags = [...out.matchAll(/<\/?([a-z]+)/gi)].map((m) => m[1]!.toLowerCase());
      for (const tag of tags) expect(['a', 'b', 'i', 's', 'code', 'pre', 'span', 'br', 'time'], `${hostile} → ${out}`).toContain(tag);
    }
    expect(textToHtml({ type: 'plain_text', text: '<b>not bold</b> *nor this*' }, names)).toBe('&lt;b&gt;not bold&lt;/b&gt; *nor this*');
  });
});
