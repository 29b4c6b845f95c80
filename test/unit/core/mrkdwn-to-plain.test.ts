import { describe, expect, it } from 'vitest';
import { mrkdwnToPlain } from '../../../src/core/text/mrkdwn-to-plain.ts';

describe('mrkdwnToPlain (what the terminal prints of a Slack reply)', () => {
  it.each([
    [':rotating_light: *Verdict:* Systematic: of 12 messages', 'Verdict: Systematic: of 12 messages'],
    ['Samples: `doc-1`, `doc-2`', 'Samples: doc-1, doc-2'],
    ['```PARTITION  OFFSET\n0          *2*```', 'PARTITION  OFFSET\n0          *2*'],
    ['see <https://x.example/t|the thread> by <@U123>', 'see the thread (https://x.example/t) by @U123'],
    ['at <!date^1700000000^{date_short_pretty} {time}|2023-11-14 22:13 UTC>', 'at 2023-11-14 22:13 UTC'],
    ['page <!subteam^S0ONCALL|@oncall> and <!channel>', 'page @oncall and @channel'],
    ['keeps urn:x:y, 0:12 and 12:30:45', 'keeps urn:x:y, 0:12 and 12:30:45'],
    [':warning: a &lt;b&gt; &amp;amp; c', 'a <b> &amp; c'],
    ['_italic_ and snake_case_name', 'italic and snake_case_name'],
  ])('%j', (mrkdwn, plain) => {
    expect(mrkdwnToPlain(mrkdwn)).toBe(plain);
  });
});
