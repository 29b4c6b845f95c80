// Error signatures: one stable, short, secret-free line per kind of error, so "HTTP 404" from a
// thousand messages with different URLs and ids groups as one. Pure and idempotent.

import { redactSecrets } from '../text/redact.ts';

/** Signature of a message that has no error text at all. */
export const NO_ERROR_TEXT = '(no error text)';
export const MAX_SIGNATURE_LENGTH = 160;
/** Only the start of a long error (a stack trace) is looked at, so the cost per message is bounded. */
const MAX_INPUT_LENGTH = 2000;

// A quote is legal inside a URL; one that ends it is given back by urlPlaceholder.
const URL_RE = /\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s"<>[\]{}]+/gi;
const WWW_RE = /\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/[^\s"<>[\]{}]*)?/gi;
const EMAIL_RE = /[\w.!#$%&*+/=?^{|}~-]{1,64}@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b/gi;
const UNIX_PATH_RE = /(?<![\w.:/<>-])(?:~|\.{1,2})?(?:\/[\w.@%+~-]+){2,}\/?/g;
const RELATIVE_PATH_RE = /(?<![\w./<>-])[\w.-]+(?:\/[\w.@%+~-]+){2,}\/?/g;
const WINDOWS_PATH_RE = /\b[A-Za-z]:\\[^\s"'<>|]*/g;
const ISO_TIME_RE = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w])/g;
const CLOCK_TIME_RE = /\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g;
const UUID_RE = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const IP_RE = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g;
const DOUBLE_QUOTED_RE = /"([^"\n]{0,200})"/g;
const SINGLE_QUOTED_RE = /(?<![A-Za-z])'([^'\n]{0,200})'(?![A-Za-z])/g;
const HEX_PREFIXED_RE = /\b0x[0-9a-f]+\b/gi;
const HEX_ID_RE = /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi;
const LONG_ID_RE = /(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{16,}(?![\w-])/g;
// Standalone numbers (not glued to a letter: `v2`, `S3`, `sha256` stay), and long digit runs anywhere.
const NUMBER_RE = /(?<![A-Za-z_\d])\d+(?:[.,]\d+)*|(?<!\d)\d{4,}(?:[.,]\d+)*/g;
// An HTTP status stays: it names the failure class and does not vary per message.
const HTTP_BEFORE_RE = /(?:\bHTTP(?:\/[\d.<>n]+)?|\bstatus(?:[ _]?code)?|\bcode|\breturned|\bresponse|\berror)[\s:=#]*\(?$/i;
const HTTP_AFTER_RE =
  /^\)?[\s:-]*(?:not found|gone|forbidden|unauthori[sz]ed|bad request|conflict|too many requests|service unavailable|bad gateway|gateway time-?out|internal server error|request time-?out|unsupported media type|not allowed|payload too large)\b/i;
const PLACEHOLDER_RE = /^<\w+>$/;

const isHttpStatus = (text: string, offset: number, match: string): boolean => {
  if (!/^[45]\d\d$/.test(match)) return false;
  const before = text.slice(Math.max(0, offset - 24), offset);
  const after = text.slice(offset + match.length, offset + match.length + 32);
  if (HTTP_BEFORE_RE.test(before) || HTTP_AFTER_RE.test(after)) return true;
  return before.endsWith('(') && after.startsWith(')');
};

/** Cuts at a word boundary when one is near, so the kept tail is a whole token. */
const cap = (text: string): string => {
  if (text.length <= MAX_SIGNATURE_LENGTH) return text;
  const room = MAX_SIGNATURE_LENGTH - 1;
  const space = text.lastIndexOf(' ', room);
  let cut = space >= room - 40 ? space : room;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}…`;
};

/**
 * Punctuation, a closing quote or an unbalanced closing parenthesis right after a URL ("see
 * 'https://x/y.pdf', then", "(at https://x/y)") is not part of it: give it back.
 */
const urlPlaceholder = (url: string): string => {
  let end = url.length;
  let open = 0;
  for (const char of url) {
    if (char === '(') open += 1;
    else if (char === ')') open -= 1;
  }
  while (end > 0) {
    const char = url[end - 1] ?? '';
    if (char === ')' && open < 0) open += 1;
    else if (!".,;:!?'".includes(char)) break;
    end -= 1;
  }
  return `<url>${url.slice(end)}`;
};

const normalise = (input: string): string => {
  // URLs go first and whole (with any presigned signature in them); then what is left is redacted.
  let text = input.replace(URL_RE, urlPlaceholder).replace(WWW_RE, urlPlaceholder);
  text = redactSecrets(text).replace(EMAIL_RE, '<email>');
  text = text.replace(WINDOWS_PATH_RE, '<path>').replace(UNIX_PATH_RE, '<path>').replace(RELATIVE_PATH_RE, '<path>');
  text = text.replace(ISO_TIME_RE, '<time>').replace(CLOCK_TIME_RE, '<time>');
  text = text.replace(UUID_RE, '<uuid>').replace(IP_RE, '<ip>');
  text = text.replace(DOUBLE_QUOTED_RE, (match, inner: string) => (PLACEHOLDER_RE.test(inner) ? match : '"<v>"'));
  text = text.replace(SINGLE_QUOTED_RE, (match, inner: string) => (PLACEHOLDER_RE.test(inner) ? match : "'<v>'"));
  text = text.replace(HEX_PREFIXED_RE, '<hex>').replace(HEX_ID_RE, '<hex>').replace(LONG_ID_RE, '<id>');
  text = text.replace(NUMBER_RE, (match: string, offset: number, whole: string) =>
    isHttpStatus(whole, offset, match) ? match : '<n>',
  );
  return cap(text.replace(/\s+/g, ' ').trim());
};

/**
 * Normalises an error text into a stable signature: URLs, e-mails, file paths, timestamps, UUIDs,
 * IPs, quoted values, hex and long ids and numbers become placeholders (`<url>`, `<path>`, `<n>`,
 * ...), HTTP status codes (4xx/5xx in an HTTP context) stay, secrets are redacted, whitespace is
 * collapsed and the result is capped at 160 characters. `errorSignature(errorSignature(x))` equals
 * `errorSignature(x)`. The URL's host is not kept here: domains are grouped separately.
 */
export const errorSignature = (text: string | null | undefined): string => {
  if (text === null || text === undefined) return NO_ERROR_TEXT;
  let current = text.length > MAX_INPUT_LENGTH ? text.slice(0, MAX_INPUT_LENGTH) : text;
  // Replacements can expose a new match (a cut token, a freed quote): run to a fixed point.
  for (let round = 0; round < 4; round += 1) {
    const next = normalise(current);
    if (next === current) break;
    current = next;
  }
  return current === '' ? NO_ERROR_TEXT : current;
};

/** The signature of a body that is not JSON and has no mapped error text. */
export const UNPARSED_SIGNATURE = '(unparsed body)';

/** What a message's signature is made from: a fixed marker, or the text to normalise. */
export type SignatureSource = { marker: string } | { text: string };

/**
 * The error text of a mapped message as the analyzer groups it: the error type goes in front when
 * the text lacks it (Lambda's KeyError message is just "'city'"); markers for raw bodies and for
 * messages without any error text.
 */
export const signatureSource = (mapped: { parsed: 'json' | 'raw'; errorText: string | null; errorType: string | null }): SignatureSource => {
  if (mapped.parsed === 'raw' && mapped.errorText === null) return { marker: UNPARSED_SIGNATURE };
  const type = mapped.errorType;
  const text = mapped.errorText;
  if (text === null && type === null) return { marker: NO_ERROR_TEXT };
  return { text: text === null ? (type as string) : type !== null && !text.includes(type) ? `${type}: ${text}` : text };
};

/** The signature of one mapped message, exactly as `analyze` groups it. */
export const messageSignature = (mapped: { parsed: 'json' | 'raw'; errorText: string | null; errorType: string | null }): string => {
  const source = signatureSource(mapped);
  return 'marker' in source ? source.marker : errorSignature(source.text);
};
