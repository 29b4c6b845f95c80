// Makes invisible control characters from queue text visible before any renderer shows it (Slack,
// the local console, the terminal). Pure. Security: a message body can carry a right-to-left
// override (U+202E) that reverses what follows (`exe.txt` shown for `txt.exe`), other bidi controls,
// a NUL that cuts a C string, or terminal escape sequences (ESC, CSI) that move the cursor or
// recolour a screen. Each becomes its `\uXXXX` spelling, so the reader sees that it is there.

/**
 * Bidi controls (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM), C0 controls, DEL and
 * C1 controls. `\n` and `\t` are matched too; `neutralizeControls` keeps them when asked to.
 */
const BIDI = '\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069\\u061C';
const CONTROL = new RegExp(`[\\u0000-\\u001F\\u007F-\\u009F${BIDI}]`, 'g');
const CONTROL_OR_CRLF = new RegExp(`\\r\\n|[\\u0000-\\u001F\\u007F-\\u009F${BIDI}]`, 'g');
/** The same without line feed and tab. */
const HIDDEN = new RegExp(`[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F${BIDI}]`);

/** `\u202E` for U+202E: what replaces a control character. */
export const visibleControl = (char: string): string => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

export interface NeutralizeOptions {
  /**
   * Keep line feeds and tabs (and turn CRLF into LF), for renderers that show multi-line bodies
   * (code blocks, pretty JSON, terminal tables). Default true; false puts everything on one line.
   */
  keepLayout?: boolean;
}

/**
 * Replaces every bidi control and every C0/C1 control character (NUL, ESC, CR, DEL, U+0080–U+009F...)
 * with its visible `\uXXXX` spelling. With `keepLayout` (the default) `\n` and `\t` stay and `\r\n`
 * becomes `\n`; a lone `\r` (which lets a terminal overwrite a line) is shown as `\u000D`.
 * Idempotent: its output holds none of these characters.
 */
export const neutralizeControls = (text: string, options: NeutralizeOptions = {}): string => {
  const keepLayout = options.keepLayout ?? true;
  if (keepLayout) {
    return text.replace(CONTROL_OR_CRLF, (match) => (match === '\r\n' || match === '\n' ? '\n' : match === '\t' ? '\t' : visibleControl(match)));
  }
  return text.replace(CONTROL, visibleControl);
};

/** Whether `text` holds a control character other than a line feed or a tab (a CR counts). */
export const hasHiddenControls = (text: string): boolean => HIDDEN.test(text);
