// Block Kit referee, part 1: composition objects (text, option, confirm) and block elements.
// Part of the Slack API emulator: it must never import from the rest of src/, so a renderer bug
// cannot hide behind a shared limit constant. Limits are block-kit-limits.ts (docs.slack.dev).
import { BLOCK_KIT_LIMITS as L } from './block-kit-limits.ts';

/** One reason Slack would refuse a payload, located by a JSON pointer into the request. */
export interface BlockKitIssue {
  message: string;
  pointer: string;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Collects issues while walking one payload; element action_ids are tracked per block. */
export class IssueCollector {
  readonly issues: BlockKitIssue[] = [];

  add(pointer: string, message: string): void {
    this.issues.push({ pointer, message });
  }

  /** Slack counts characters; UTF-16 length is never below that count, so it errs on the strict side. */
  maxLength(value: unknown, max: number, pointer: string): void {
    if (typeof value === 'string' && value.length > max) this.add(pointer, `must be less than ${max + 1} characters`);
  }

  optionalString(value: unknown, max: number, pointer: string): void {
    if (value === undefined) return;
    if (typeof value !== 'string') this.add(pointer, 'must provide a string');
    else this.maxLength(value, max, pointer);
  }

  requiredString(parent: Record<string, unknown>, field: string, max: number, pointer: string): void {
    if (parent[field] === undefined) this.add(pointer, `missing required field: ${field}`);
    else this.optionalString(parent[field], max, `${pointer}/${field}`);
  }

  /** Checks an array's presence and item count; returns the items to walk (none when invalid). */
  list(value: unknown, pointer: string, { min = 0, max }: { min?: number; max: number }): unknown[] {
    if (!Array.isArray(value)) {
      this.add(pointer, 'must provide an array');
      return [];
    }
    if (value.length < min) this.add(pointer, `must provide at least ${min} items`);
    if (value.length > max) this.add(pointer, `no more than ${max} items allowed`);
    return value;
  }
}

export type TextKind = 'plain_text' | 'mrkdwn' | 'any';

/** A text object: `{ type: 'plain_text' | 'mrkdwn', text }`, 1..max characters. */
export function checkText(c: IssueCollector, value: unknown, pointer: string, max: number, kind: TextKind = 'any'): void {
  if (value === undefined) {
    const cut = pointer.lastIndexOf('/');
    c.add(pointer.slice(0, cut), `missing required field: ${pointer.slice(cut + 1)}`);
    return;
  }
  if (!isRecord(value)) {
    c.add(pointer, 'must provide an object');
    return;
  }
  if (value.type === undefined) c.add(pointer, 'missing required field: type');
  else if (value.type !== 'plain_text' && value.type !== 'mrkdwn') c.add(`${pointer}/type`, 'must be a valid enum value');
  else if (kind !== 'any' && value.type !== kind) c.add(`${pointer}/type`, `must be ${kind}`);
  if (typeof value.text !== 'string') {
    c.add(pointer, 'missing required field: text');
    return;
  }
  if (value.text.length === 0) c.add(`${pointer}/text`, 'must be more than 0 characters');
  c.maxLength(value.text, max, `${pointer}/text`);
}

function checkConfirm(c: IssueCollector, value: unknown, pointer: string): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    c.add(pointer, 'must provide an object');
    return;
  }
  checkText(c, value.title, `${pointer}/title`, L.confirmTitle, 'plain_text');
  checkText(c, value.text, `${pointer}/text`, L.confirmText);
  checkText(c, value.confirm, `${pointer}/confirm`, L.confirmButton, 'plain_text');
  checkText(c, value.deny, `${pointer}/deny`, L.confirmButton, 'plain_text');
}

function checkOption(c: IssueCollector, value: unknown, pointer: string): void {
  if (!isRecord(value)) {
    c.add(pointer, 'must provide an object');
    return;
  }
  checkText(c, value.text, `${pointer}/text`, L.optionText);
  c.requiredString(value, 'value', L.optionValue, pointer);
  if (value.description !== undefined) checkText(c, value.description, `${pointer}/description`, L.optionText, 'plain_text');
  c.optionalString(value.url, L.url, `${pointer}/url`);
}

function checkOptions(c: IssueCollector, el: Record<string, unknown>, pointer: string, min: number, max: number): void {
  if (el.option_groups !== undefined) {
    c.list(el.option_groups, `${pointer}/option_groups`, { min: 1, max: L.optionGroups }).forEach((group, g) => {
      const at = `${pointer}/option_groups/${g}`;
      if (!isRecord(group)) return c.add(at, 'must provide an object');
      checkText(c, group.label, `${at}/label`, L.optionText, 'plain_text');
      c.list(group.options, `${at}/options`, { min: 1, max: L.selectOptions }).forEach((o, i) => checkOption(c, o, `${at}/options/${i}`));
    });
    return;
  }
  c.list(el.options, `${pointer}/options`, { min, max }).forEach((o, i) => checkOption(c, o, `${pointer}/options/${i}`));
}

const SELECT_MENUS = [
  'static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select',
  'multi_static_select', 'multi_external_select', 'multi_users_select', 'multi_conversations_select', 'multi_channels_select',
];
const TEXT_INPUTS = ['plain_text_input', 'email_text_input', 'url_text_input', 'number_input', 'rich_text_input'];
const PICKERS = ['datepicker', 'timepicker', 'datetimepicker'];

/** Which element types each container accepts (docs.slack.dev "Block elements" compatibility table). */
export const ELEMENTS_ALLOWED = {
  actions: ['button', 'checkboxes', 'overflow', 'radio_buttons', 'workflow_button', 'rich_text_input', ...SELECT_MENUS, ...PICKERS],
  accessory: ['button', 'checkboxes', 'image', 'overflow', 'radio_buttons', 'workflow_button', ...SELECT_MENUS, ...PICKERS],
  input: ['checkboxes', 'radio_buttons', 'file_input', ...SELECT_MENUS, ...TEXT_INPUTS, ...PICKERS],
} as const;

/** An element in an actions block, a section accessory or an input block. */
export function checkElement(c: IssueCollector, el: unknown, pointer: string, allowed: readonly string[]): void {
  if (!isRecord(el)) {
    c.add(pointer, 'must provide an object');
    return;
  }
  if (typeof el.type !== 'string') {
    c.add(pointer, 'missing required field: type');
    return;
  }
  if (!allowed.includes(el.type)) {
    c.add(`${pointer}/type`, `unsupported type: ${el.type}`);
    return;
  }
  c.optionalString(el.action_id, L.id, `${pointer}/action_id`);
  if (el.placeholder !== undefined) checkText(c, el.placeholder, `${pointer}/placeholder`, L.placeholder, 'plain_text');
  checkConfirm(c, el.confirm, `${pointer}/confirm`);
  switch (el.type) {
    case 'image':
      checkImage(c, el, pointer);
      break;
    case 'button':
    case 'workflow_button':
      checkText(c, el.text, `${pointer}/text`, L.buttonText, 'plain_text');
      c.optionalString(el.value, L.buttonValue, `${pointer}/value`);
      c.optionalString(el.url, L.url, `${pointer}/url`);
      c.optionalString(el.accessibility_label, L.accessibilityLabel, `${pointer}/accessibility_label`);
      if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
        c.add(`${pointer}/style`, 'must be a valid enum value');
      }
      break;
    case 'overflow':
      checkOptions(c, el, pointer, 1, L.overflowOptions);
      break;
    case 'checkboxes':
    case 'radio_buttons':
      checkOptions(c, el, pointer, 1, L.choiceOptions);
      break;
    case 'static_select':
    case 'multi_static_select':
      checkOptions(c, el, pointer, 1, L.selectOptions);
      break;
    case 'plain_text_input':
      c.optionalString(el.initial_value, L.inputText, `${pointer}/initial_value`);
      if (typeof el.max_length === 'number' && el.max_length > L.inputText) c.add(`${pointer}/max_length`, `must be less than ${L.inputText + 1}`);
      break;
    default:
      break;
  }
}

/** An image (block or element): alt_text plus image_url or slack_file. */
export function checkImage(c: IssueCollector, el: Record<string, unknown>, pointer: string): void {
  c.requiredString(el, 'alt_text', L.label, pointer);
  if (el.image_url === undefined && el.slack_file === undefined) {
    c.add(pointer, 'must define either `image_url` or `slack_file`');
  }
  c.optionalString(el.image_url, L.url, `${pointer}/image_url`);
}

/** Walks elements of one block, adding issues and flagging action_ids used twice in that block. */
export function checkElementList(c: IssueCollector, elements: unknown[], pointer: string, allowed: readonly string[]): void {
  const seen = new Set<string>();
  elements.forEach((el, i) => {
    const at = `${pointer}/${i}`;
    checkElement(c, el, at, allowed);
    if (isRecord(el) && typeof el.action_id === 'string') {
      if (seen.has(el.action_id)) c.add(`${at}/action_id`, `duplicate action_id: ${el.action_id}`);
      seen.add(el.action_id);
    }
  });
}
