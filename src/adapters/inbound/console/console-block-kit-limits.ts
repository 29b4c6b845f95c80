// Slack's Block Kit limits, checked by the local console's Web API before it accepts a message or a
// view, so what the console shows Slack would accept too (a refusal is answered with Slack's error
// code and `[ERROR]` lines, never drawn). Covers the limits Redrive's renderers must respect (SPEC "Slack surface"):
// blocks per message/view, text and field sizes, ids, buttons, context elements, modal titles.

export interface BlockKitIssue {
  pointer: string;
  message: string;
}

export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  /** Slack answers msg_blocks_too_long well before 50 full sections; the test server uses the same bound. */
  messageBlocksJson: 13_000,
  sectionText: 3_000,
  fields: 10,
  fieldText: 2_000,
  headerText: 150,
  id: 255,
  actionsElements: 25,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2_000,
  buttonUrl: 3_000,
  viewTitle: 24,
  privateMetadata: 3_000,
} as const;

type Json = Record<string, unknown>;
const L = BLOCK_KIT_LIMITS;

const textOf = (value: unknown): string | null => (value && typeof value === 'object' && typeof (value as Json).text === 'string' ? ((value as Json).text as string) : null);

const tooLong = (issues: BlockKitIssue[], pointer: string, value: unknown, max: number, what: string): void => {
  const length = typeof value === 'string' ? value.length : (textOf(value)?.length ?? 0);
  if (length > max) issues.push({ pointer, message: `${what} must be less than ${max + 1} characters` });
};

const checkElement = (issues: BlockKitIssue[], element: Json, pointer: string): void => {
  tooLong(issues, `${pointer}/action_id`, element.action_id, L.id, 'action_id');
  if (element.type === 'button') {
    tooLong(issues, `${pointer}/text`, element.text, L.buttonText, 'button text');
    tooLong(issues, `${pointer}/value`, element.value, L.buttonValue, 'button value');
    tooLong(issues, `${pointer}/url`, element.url, L.buttonUrl, 'button url');
  }
};

const checkBlock = (issues: BlockKitIssue[], block: Json, pointer: string): void => {
  if (typeof block.type !== 'string') issues.push({ pointer: `${pointer}/type`, message: 'missing required field: type' });
  tooLong(issues, `${pointer}/block_id`, block.block_id, L.id, 'block_id');
  switch (block.type) {
    case 'section': {
      tooLong(issues, `${pointer}/text`, block.text, L.sectionText, 'section text');
      const fields = Array.isArray(block.fields) ? (block.fields as Json[]) : [];
      if (fields.length > L.fields) issues.push({ pointer: `${pointer}/fields`, message: `must provide no more than ${L.fields} items` });
      fields.forEach((field, i) => tooLong(issues, `${pointer}/fields/${i}`, field, L.fieldText, 'field text'));
      if (!block.text && fields.length === 0) issues.push({ pointer, message: 'must provide text or fields' });
      if (block.accessory && typeof block.accessory === 'object') checkElement(issues, block.accessory as Json, `${pointer}/accessory`);
      break;
    }
    case 'header':
      tooLong(issues, `${pointer}/text`, block.text, L.headerText, 'header text');
      break;
    case 'actions': {
      const elements = Array.isArray(block.elements) ? (block.elements as Json[]) : [];
      if (elements.length > L.actionsElements) issues.push({ pointer: `${pointer}/elements`, message: `must provide no more than ${L.actionsElements} items` });
      elements.forEach((element, i) => checkElement(issues, element, `${pointer}/elements/${i}`));
      break;
    }
    case 'context': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length > L.contextElements) issues.push({ pointer: `${pointer}/elements`, message: `must provide no more than ${L.contextElements} items` });
      break;
    }
    case 'input':
      if (block.element && typeof block.element === 'object') checkElement(issues, block.element as Json, `${pointer}/element`);
      break;
    default:
  }
};

const checkBlocks = (blocks: unknown, max: number): BlockKitIssue[] => {
  if (blocks === undefined || blocks === null) return [];
  if (!Array.isArray(blocks)) return [{ pointer: '/blocks', message: 'must be an array' }];
  const issues: BlockKitIssue[] = [];
  if (blocks.length > max) issues.push({ pointer: '/blocks', message: `must provide no more than ${max} items` });
  blocks.forEach((block, i) => checkBlock(issues, (block ?? {}) as Json, `/blocks/${i}`));
  return issues;
};

/** Slack's verdict on a message's blocks: null when accepted, else the error code and issues. */
export const checkMessageBlocks = (blocks: unknown): { error: string; issues: BlockKitIssue[] } | null => {
  const issues = checkBlocks(blocks, L.messageBlocks);
  if (issues.length > 0) return { error: 'invalid_blocks', issues };
  if (Array.isArray(blocks) && JSON.stringify(blocks).length > L.messageBlocksJson) return { error: 'msg_blocks_too_long', issues: [] };
  return null;
};

/** Slack's verdict on a modal or App Home view: null when accepted. */
export const checkView = (view: Json): { error: string; issues: BlockKitIssue[] } | null => {
  const issues = checkBlocks(view.blocks, L.viewBlocks);
  if (view.type === 'modal') {
    if (!textOf(view.title)) issues.push({ pointer: '/title', message: 'missing required field: title' });
    tooLong(issues, '/title', view.title, L.viewTitle, 'title');
    tooLong(issues, '/submit', view.submit, L.viewTitle, 'submit');
    tooLong(issues, '/close', view.close, L.viewTitle, 'close');
  }
  tooLong(issues, '/private_metadata', view.private_metadata, L.privateMetadata, 'private_metadata');
  tooLong(issues, '/callback_id', view.callback_id, L.id, 'callback_id');
  return issues.length > 0 ? { error: 'invalid_arguments', issues } : null;
};

/** Slack's `[ERROR] … [json-pointer:…]` line for an issue. */
export const formatIssue = (issue: BlockKitIssue): string => `[ERROR] ${issue.message} [json-pointer:${issue.pointer}]`;
