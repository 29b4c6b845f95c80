// Renders an access denial (app/access) as the ephemeral explanation: what was refused, the role it
// needs and how to get it. Pure; the denial was audited before it got here.

import type { AccessDenial } from '../../../app/access/access-control.ts';
import { isSlackUserId, toSlackText } from '../../../core/text/slack-text.ts';
import { context, section, type Reply } from '../block-kit/blocks.ts';

const mention = (user: string): string => (isSlackUserId(user) ? `<@${user}>` : toSlackText(user, { max: 80 }));

/** The ephemeral explanation: what was refused, the role it needs, and how to get it. */
export const renderDenied = (decision: AccessDenial): Reply => {
  const reason = toSlackText(decision.reason, { max: 500 });
  const ask = decision.admins.length > 0 ? `a Redrive admin (${decision.admins.slice(0, 5).map(mention).join(', ')})` : 'a Redrive admin';
  const groups = decision.groups.length > 0 ? `, or to add you to ${decision.groups.slice(0, 5).map((g) => `<!subteam^${g}>`).join(' or ')}` : '';
  const how = `To get the ${decision.needed} role, ask ${ask} to add your Slack user id to \`${toSlackText(decision.configKey, { max: 200 })}\` in Redrive's config${groups}.`;
  return {
    text: `Not allowed: ${reason}`,
    private: true,
    blocks: [section(`:no_entry: *Not allowed.* ${reason}`), section(how), context('Nothing was done. This attempt is in the audit log (`/dlq audit`).')],
  };
};

/** The explanation as a message's text and blocks (what a listener whispers to the clicker). */
export const deniedMessage = (decision: AccessDenial): { text: string; blocks: Reply['blocks'] } => {
  const { text, blocks } = renderDenied(decision);
  return { text, blocks };
};
