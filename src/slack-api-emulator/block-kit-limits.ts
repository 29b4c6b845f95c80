// Slack's Block Kit limits in one table (docs.slack.dev: blocks, elements, composition objects,
// views, chat.postMessage), read by the emulator's validator. Numbers only: no checks, no imports.

/**
 * `messageBlocksJson` is not published: Slack answers `msg_blocks_too_long` somewhere near 13,200
 * characters (bolt-js issue #2509 measured 13,297 of markdown text). We count the blocks' JSON,
 * which is stricter.
 */
export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  messageBlocksJson: 13_000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  /** block_id, action_id, callback_id, external_id. */
  id: 255,
  viewTitle: 24,
  privateMetadata: 3000,
  markdownText: 12_000,
  buttonText: 75,
  buttonValue: 2000,
  /** Button, option and image URLs. */
  url: 3000,
  accessibilityLabel: 75,
  placeholder: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  optionText: 75,
  optionValue: 150,
  optionGroups: 100,
  overflowOptions: 5,
  choiceOptions: 10,
  selectOptions: 100,
  inputText: 3000,
  /** Input labels and hints, image titles and alt texts. */
  label: 2000,
  videoTitle: 200,
  videoField: 3000,
} as const;
