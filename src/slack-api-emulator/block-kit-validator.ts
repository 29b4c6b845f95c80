// Block Kit referee, part 2: blocks, messages and views, answering with the error code and the
// `[ERROR] <reason> [json-pointer:<path>]` lines Slack puts in `response_metadata.messages`.
// Part of the Slack API emulator and independent of app code (never imports the rest of src/): it
// is the one referee the console and the tests' Slack server apply, so renderers are judged by
// Slack's rules, not their own.
import { BLOCK_KIT_LIMITS } from './block-kit-limits.ts';
import {
  ELEMENTS_ALLOWED,
  IssueCollector,
  checkElement,
  checkElementList,
  checkImage,
  checkText,
  isRecord,
  type BlockKitIssue,
} from './block-kit-elements.ts';

export type { BlockKitIssue } from './block-kit-elements.ts';
export type Surface = 'message' | 'modal' | 'home';

export { BLOCK_KIT_LIMITS } from './block-kit-limits.ts';

export const formatIssue = (issue: BlockKitIssue): string => `[ERROR] ${issue.message} [json-pointer:${issue.pointer}]`;

type BlockCheck = (c: IssueCollector, block: Record<string, unknown>, p: string) => void;

const L = BLOCK_KIT_LIMITS;
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

const BLOCK_CHECKS: Record<string, BlockCheck> = {
  section: (c, b, p) => {
    if (b.text === undefined && b.fields === undefined) c.add(p, 'must define either `text` or `fields`');
    if (b.text !== undefined) checkText(c, b.text, `${p}/text`, L.sectionText);
    if (b.fields !== undefined) {
      c.list(b.fields, `${p}/fields`, { min: 1, max: L.sectionFields })
        .forEach((f, i) => checkText(c, f, `${p}/fields/${i}`, L.fieldText));
    }
    if (b.accessory !== undefined) checkElement(c, b.accessory, `${p}/accessory`, ELEMENTS_ALLOWED.accessory);
  },
  header: (c, b, p) => checkText(c, b.text, `${p}/text`, L.headerText, 'plain_text'),
  divider: () => {},
  context: (c, b, p) => {
    c.list(b.elements, `${p}/elements`, { min: 1, max: L.contextElements }).forEach((el, i) => {
      const at = `${p}/elements/${i}`;
      if (isRecord(el) && el.type === 'image') checkImage(c, el, at);
      else checkText(c, el, at, L.sectionText);
    });
  },
  actions: (c, b, p) => {
    const elements = c.list(b.elements, `${p}/elements`, { min: 1, max: L.actionsElements });
    checkElementList(c, elements, `${p}/elements`, ELEMENTS_ALLOWED.actions);
  },
  image: (c, b, p) => {
    checkImage(c, b, p);
    if (b.title !== undefined) checkText(c, b.title, `${p}/title`, L.label, 'plain_text');
  },
  input: (c, b, p) => {
    checkText(c, b.label, `${p}/label`, L.label, 'plain_text');
    if (b.element === undefined) c.add(p, 'missing required field: element');
    else checkElement(c, b.element, `${p}/element`, ELEMENTS_ALLOWED.input);
    if (b.hint !== undefined) checkText(c, b.hint, `${p}/hint`, L.label, 'plain_text');
  },
  markdown: (c, b, p) => c.requiredString(b, 'text', L.markdownText, p),
  rich_text: (c, b, p) => void c.list(b.elements, `${p}/elements`, { max: UNBOUNDED }),
  file: (c, b, p) => {
    c.requiredString(b, 'external_id', L.id, p);
    c.requiredString(b, 'source', L.id, p);
  },
  video: (c, b, p) => {
    for (const field of ['alt_text', 'video_url', 'thumbnail_url']) c.requiredString(b, field, L.videoField, p);
    checkText(c, b.title, `${p}/title`, L.videoTitle, 'plain_text');
  },
  table: (c, b, p) => void c.list(b.rows, `${p}/rows`, { min: 1, max: UNBOUNDED }),
  context_actions: (c, b, p) => void c.list(b.elements, `${p}/elements`, { min: 1, max: UNBOUNDED }),
};

function walkBlocks(c: IssueCollector, blocks: unknown, surface: Surface, pointer: string): unknown[] {
  const max = surface === 'message' ? L.messageBlocks : L.viewBlocks;
  const list = c.list(blocks, pointer, { max });
  const blockIds = new Set<string>();
  list.forEach((block, i) => {
    const p = `${pointer}/${i}`;
    if (!isRecord(block)) return c.add(p, 'must provide an object');
    if (typeof block.type !== 'string') return c.add(p, 'missing required field: type');
    const check = BLOCK_CHECKS[block.type];
    if (check === undefined) return c.add(`${p}/type`, `unsupported type: ${block.type}`);
    c.optionalString(block.block_id, L.id, `${p}/block_id`);
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id)) c.add(`${p}/block_id`, `duplicate block_id: ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    check(c, block, p);
  });
  return list;
}

/** Every issue in a blocks array for a surface; `pointer` defaults to where Slack reports it. */
export function validateBlocks(blocks: unknown, surface: Surface, pointer?: string): BlockKitIssue[] {
  const c = new IssueCollector();
  walkBlocks(c, blocks, surface, pointer ?? (surface === 'message' ? '/blocks' : '/view/blocks'));
  return c.issues;
}

export type MessageError = 'no_text' | 'invalid_blocks' | 'invalid_blocks_format' | 'msg_too_long' | 'msg_blocks_too_long';
export type Verdict<E extends string> = { ok: true } | { ok: false; error: E; issues: BlockKitIssue[] };

export interface MessageCheckOptions {
  /** JSON characters of `blocks` above which `msg_blocks_too_long` is answered. */
  blocksJsonLimit?: number;
}

/**
 * What chat.postMessage / chat.update / a response_url would answer for this text and blocks.
 * `blocks` must already be parsed; a string here means it arrived as unparseable JSON.
 */
export function checkMessage(
  message: { text?: unknown; blocks?: unknown; attachments?: unknown },
  options: MessageCheckOptions = {},
): Verdict<MessageError> {
  const { text, blocks, attachments } = message;
  if (blocks !== undefined && !Array.isArray(blocks)) {
    return { ok: false, error: 'invalid_blocks_format', issues: [{ pointer: '/blocks', message: 'must provide an array' }] };
  }
  const hasText = typeof text === 'string' && text.length > 0;
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  if (!hasText && !hasBlocks && attachments === undefined) return { ok: false, error: 'no_text', issues: [] };
  if (typeof text === 'string' && text.length > L.messageText) {
    return { ok: false, error: 'msg_too_long', issues: [{ pointer: '/text', message: `must be less than ${L.messageText + 1} characters` }] };
  }
  return checkMessageBlocks(blocks, options);
}

/** The blocks part of checkMessage: what Slack answers for a message's `blocks` (absent blocks pass). */
export function checkMessageBlocks(blocks: unknown, options: MessageCheckOptions = {}): Verdict<'invalid_blocks' | 'msg_blocks_too_long'> {
  if (blocks === undefined) return { ok: true };
  const issues = validateBlocks(blocks, 'message');
  if (issues.length > 0) return { ok: false, error: 'invalid_blocks', issues };
  const limit = options.blocksJsonLimit ?? L.messageBlocksJson;
  if (JSON.stringify(blocks).length > limit) return { ok: false, error: 'msg_blocks_too_long', issues: [] };
  return { ok: true };
}

/**
 * Issues in a view object for views.open/update/push (`modal`) or views.publish (`home`).
 * Slack answers these with `invalid_arguments`, not `invalid_blocks`.
 */
export function validateView(view: unknown, kind: 'modal' | 'home'): BlockKitIssue[] {
  const c = new IssueCollector();
  if (!isRecord(view)) {
    c.add('/view', view === undefined ? 'missing required field: view' : 'must provide an object');
    return c.issues;
  }
  if (view.type === undefined) c.add('/view', 'missing required field: type');
  else if (view.type !== kind) c.add('/view/type', `must be ${kind}`);
  c.optionalString(view.private_metadata, L.privateMetadata, '/view/private_metadata');
  c.optionalString(view.callback_id, L.id, '/view/callback_id');
  c.optionalString(view.external_id, L.id, '/view/external_id');
  if (view.blocks === undefined) c.add('/view', 'missing required field: blocks');
  const blocks = view.blocks === undefined ? [] : walkBlocks(c, view.blocks, kind, '/view/blocks');
  if (kind === 'modal') {
    checkText(c, view.title, '/view/title', L.viewTitle, 'plain_text');
    if (view.submit !== undefined) checkText(c, view.submit, '/view/submit', L.viewTitle, 'plain_text');
    if (view.close !== undefined) checkText(c, view.close, '/view/close', L.viewTitle, 'plain_text');
    const firstInput = blocks.findIndex((b) => isRecord(b) && b.type === 'input');
    if (firstInput >= 0 && view.submit === undefined) {
      c.add(`/view/blocks/${firstInput}/input`, 'must define `submit` to use an `input` block in modals');
    }
  }
  return c.issues;
}

export function checkView(view: unknown, kind: 'modal' | 'home'): Verdict<'invalid_arguments'> {
  const issues = validateView(view, kind);
  return issues.length === 0 ? { ok: true } : { ok: false, error: 'invalid_arguments', issues };
}
