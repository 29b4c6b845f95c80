// Slack's published limits that Redrive's rendering relies on, each with the page that states it.
// Renderers cap text and counts with these (minus a margin where they say so); nothing else here.

/** A section block's text: 3,000 characters. https://docs.slack.dev/reference/block-kit/blocks/section-block */
export const SECTION_TEXT_MAX = 3_000;
/** A context block's mrkdwn text element: 3,000 characters (a text object). https://docs.slack.dev/reference/block-kit/composition-objects/text-object */
export const TEXT_OBJECT_MAX = 3_000;
/** A header block's text: 150 characters. https://docs.slack.dev/reference/block-kit/blocks/header-block */
export const HEADER_TEXT_MAX = 150;
/** A block_id: 255 characters. https://docs.slack.dev/reference/block-kit/blocks */
export const BLOCK_ID_MAX = 255;
/** Blocks in one message: 50. https://docs.slack.dev/reference/block-kit/blocks */
export const MESSAGE_BLOCKS_MAX = 50;
/** Blocks in a modal or Home tab view: 100. https://docs.slack.dev/reference/views/modal-views */
export const VIEW_BLOCKS_MAX = 100;
/** A modal's title: 24 characters. https://docs.slack.dev/reference/views/modal-views */
export const MODAL_TITLE_MAX = 24;
/** A view's private_metadata: 3,000 characters. https://docs.slack.dev/reference/views/modal-views */
export const PRIVATE_METADATA_MAX = 3_000;
/** A button's value: 2,000 characters. https://docs.slack.dev/reference/block-kit/block-elements/button-element */
export const BUTTON_VALUE_MAX = 2_000;
/** A plain_text_input's max_length (and initial_value): 3,000 characters. https://docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element */
export const PLAIN_TEXT_INPUT_MAX = 3_000;
/** Slack waits 3 seconds for an interaction or command to be acknowledged. https://docs.slack.dev/interactivity/handling-user-interaction */
export const ACK_DEADLINE_MS = 3_000;
